//! The notification workload: a simulated week of 5,000 linked people, read by the fixed-interval watcher and by the adaptive one (the bot's own `notify::schedule` rules), counting Comake requests and the time from each change to its DM.
//!
//! A discrete-event model, not the real watcher against the simulator: a
//! week of requests at up to 20 a second would take hours in real time.
//! It models what each read costs as the real watcher pays it: a login
//! when the person's clientToken is older than 59 minutes (the client's
//! refresh point), the list, and one detail read per sent contract out for
//! signature that changed; and every request waits for the pacer (evenly
//! spaced, 10% under `NOTIFY_MAX_RPS`), as the real one does.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use comake_bot::api::notify::schedule::{Motion, Policy};
use comake_bot::comake::wire::ContractStatus;
use rand::{Rng, SeedableRng};

const DAY: f64 = 86_400.0;

/// Which kind of change an event is, for the report.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    /// A signee acted on a contract a linked person sent to outsiders.
    SentOut,
    /// Either side of a contract between two linked people.
    Between,
    /// A contract from outside arrived for a linked person.
    FromOutside,
}

struct Event {
    at: f64,
    user: usize,
    kind: Kind,
    /// For the sender's detail read: the contract that changed.
    sent_contract: Option<usize>,
    /// When it stops being news: a contract from outside its recipient
    /// signed before a read saw it (the real watcher then sees it
    /// complete, and says nothing of a turn that is over).
    until: f64,
}

/// A contract a linked person sends: when, and each signee (a linked
/// person, or `None` for one outside) with when they sign.
pub struct SentScript {
    pub at: f64,
    pub sender: usize,
    pub signees: Vec<(Option<usize>, f64)>,
}

/// A contract from outside reaching a linked person, and when they sign it.
pub struct OutsideScript {
    pub at: f64,
    pub user: usize,
    pub signs_at: f64,
}

/// How busy the people are, per period.
#[derive(Clone, Copy)]
pub struct Rates {
    /// Periods, and their length in seconds.
    pub periods: u32,
    pub period: f64,
    /// The chance a person sends a contract in a period.
    pub send: f64,
    /// The chance a person receives one from outside in a period.
    pub outside: f64,
    /// The signees' mean delay before they act, in seconds.
    pub act_mean: f64,
}

impl Rates {
    /// The benchmark's week: each day 10% send, 2% receive from outside,
    /// signees act after 3 hours on average.
    pub fn week(days: u32) -> Self {
        Rates {
            periods: days,
            period: DAY,
            send: 0.10,
            outside: 0.02,
            act_mean: 3.0 * 3600.0,
        }
    }
}

/// What happens during the week, generated once and read by both watchers.
pub struct Workload {
    /// The same, as a script to play against the real watcher.
    pub sent: Vec<SentScript>,
    pub from_outside: Vec<OutsideScript>,
    users: usize,
    events: Vec<Event>,
    /// (time, user): commands (the sender sending) and requests to linked
    /// signees, the hints the adaptive watcher gets.
    hints: Vec<(f64, usize)>,
    /// Per user, the spans (start, end, sent) during which something is in
    /// motion: a contract they sent, or one waiting on them.
    motion: Vec<Vec<(f64, f64, bool)>>,
    pub seconds: f64,
}

impl Workload {
    /// `users` people over `days`: each day 10% send a contract to 1-3
    /// signees (half linked people, half outside) who act after an
    /// exponential delay (mean 3 hours); 2% get a contract from outside,
    /// which they sign after the same kind of delay.
    pub fn generate(users: usize, days: u32, seed: u64) -> Self {
        Self::generate_with(users, Rates::week(days), seed)
    }

    /// `users` people under `rates`.
    pub fn generate_with(users: usize, rates: Rates, seed: u64) -> Self {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let exp = |rng: &mut rand::rngs::StdRng, mean: f64| -> f64 {
            let u: f64 = rng.gen_range(f64::EPSILON..1.0);
            (-u.ln() * mean).min(3.0 * DAY)
        };
        let mut w = Workload {
            sent: Vec::new(),
            from_outside: Vec::new(),
            users,
            events: Vec::new(),
            hints: Vec::new(),
            motion: vec![Vec::new(); users],
            seconds: f64::from(rates.periods) * rates.period,
        };
        let mut contract = 0usize;
        for day in 0..rates.periods {
            let base = f64::from(day) * rates.period;
            for sender in 0..users {
                if rng.gen_bool(rates.send) {
                    let at = base + rng.gen_range(0.0..rates.period);
                    contract += 1;
                    w.hints.push((at, sender));
                    let signees = rng.gen_range(1..=3);
                    let mut last = at;
                    let mut linked = Vec::new();
                    let mut script = SentScript {
                        at,
                        sender,
                        signees: Vec::new(),
                    };
                    for _ in 0..signees {
                        let acts = at + exp(&mut rng, rates.act_mean);
                        last = last.max(acts);
                        if rng.gen_bool(0.5) {
                            // A linked signee: the request waits on them.
                            let mut signee = rng.gen_range(0..users);
                            if signee == sender {
                                signee = (signee + 1) % users;
                            }
                            w.hints.push((at, signee));
                            script.signees.push((Some(signee), acts));
                            w.events.push(Event {
                                at,
                                user: signee,
                                kind: Kind::Between,
                                sent_contract: None,
                                until: f64::INFINITY,
                            });
                            linked.push(signee);
                            w.events.push(Event {
                                at: acts,
                                user: sender,
                                kind: Kind::Between,
                                sent_contract: Some(contract),
                                until: f64::INFINITY,
                            });
                        } else {
                            script.signees.push((None, acts));
                            w.events.push(Event {
                                at: acts,
                                user: sender,
                                kind: Kind::SentOut,
                                sent_contract: Some(contract),
                                until: f64::INFINITY,
                            });
                        }
                    }
                    w.motion[sender].push((at, last, true));
                    // The contract waits on a linked signee's box until
                    // everyone has signed (its status is what the watcher
                    // sees), not only until they sign themselves.
                    for signee in linked {
                        w.motion[signee].push((at, last, false));
                    }
                    w.sent.push(script);
                }
                if rng.gen_bool(rates.outside) {
                    let at = base + rng.gen_range(0.0..rates.period);
                    let signs_at = at + exp(&mut rng, rates.act_mean);
                    w.events.push(Event {
                        at,
                        user: sender,
                        kind: Kind::FromOutside,
                        sent_contract: None,
                        until: signs_at,
                    });
                    w.motion[sender].push((at, signs_at, false));
                    w.from_outside.push(OutsideScript {
                        at,
                        user: sender,
                        signs_at,
                    });
                }
            }
        }
        w.events.sort_by(|a, b| a.at.total_cmp(&b.at));
        w.hints.sort_by(|a, b| a.0.total_cmp(&b.0));
        w
    }

    /// What the person's box shows at `at`, as the watcher sees it.
    fn motion(&self, user: usize, at: f64) -> Motion {
        Motion::of(self.motion[user].iter().map(|(s, e, sent)| {
            let status = if *s <= at && at < *e {
                ContractStatus::Signing
            } else {
                ContractStatus::Completed
            };
            (*sent, status)
        }))
    }
}

/// What one watcher did over the week.
#[derive(Debug)]
pub struct Outcome {
    pub requests: u64,
    /// Of them: logins, and detail reads.
    pub logins: u64,
    pub details: u64,
    /// Reads made.
    pub reads: u64,
    pub hours: f64,
    pub announced: usize,
    /// Changes acted on by their recipient before any read saw them.
    pub moot: usize,
    pub missed: usize,
    pub duplicates: usize,
    /// Seconds from change to DM, by kind, sorted.
    pub delays: HashMap<Kind, Vec<f64>>,
}

impl Outcome {
    pub fn percentile(&self, kind: Kind, p: f64) -> f64 {
        let v = &self.delays[&kind];
        if v.is_empty() {
            return 0.0;
        }
        v[((v.len() - 1) as f64 * p).round() as usize]
    }
}

/// The pacer, Comake's request log and each person's view.
struct Reader<'a> {
    w: &'a Workload,
    spacing: f64,
    free_at: f64,
    requests: u64,
    logins: u64,
    details: u64,
    reads: u64,
    token_at: Vec<f64>,
    /// Per user: index into their events of the first not yet announced.
    pending: Vec<Vec<usize>>,
    next_pending: Vec<usize>,
    announced_event: Vec<bool>,
    announced: usize,
    moot: usize,
    duplicates: usize,
    delays: HashMap<Kind, Vec<f64>>,
}

impl<'a> Reader<'a> {
    fn new(w: &'a Workload, max_rps: u32) -> Self {
        let mut pending = vec![Vec::new(); w.users];
        for (i, e) in w.events.iter().enumerate() {
            pending[e.user].push(i);
        }
        Reader {
            w,
            spacing: 1.10 / f64::from(max_rps),
            free_at: 0.0,
            requests: 0,
            logins: 0,
            details: 0,
            reads: 0,
            token_at: vec![f64::NEG_INFINITY; w.users],
            pending,
            next_pending: vec![0; w.users],
            announced_event: vec![false; w.events.len()],
            announced: 0,
            moot: 0,
            duplicates: 0,
            delays: [Kind::SentOut, Kind::Between, Kind::FromOutside]
                .into_iter()
                .map(|k| (k, Vec::new()))
                .collect(),
        }
    }

    fn request(&mut self, at: f64) -> f64 {
        let slot = self.free_at.max(at);
        self.free_at = slot + self.spacing;
        self.requests += 1;
        slot
    }

    /// Read `user`'s box starting at `at`; returns when the list came back.
    fn read(&mut self, user: usize, at: f64) -> f64 {
        self.reads += 1;
        let mut t = at;
        if t - self.token_at[user] >= 3540.0 {
            t = self.request(t);
            self.token_at[user] = t;
            self.logins += 1;
        }
        let seen_at = self.request(t);
        // Announce every change up to the list's moment, once; a detail
        // read for each sent contract that changed.
        let list = std::mem::take(&mut self.pending[user]);
        let mut i = self.next_pending[user];
        let mut details = BTreeSet::new();
        let mut done = seen_at;
        while i < list.len() && self.w.events[list[i]].at <= seen_at {
            let e = &self.w.events[list[i]];
            if let Some(c) = e.sent_contract {
                details.insert(c);
            }
            i += 1;
        }
        for _ in &details {
            done = self.request(done);
            self.details += 1;
        }
        for &ev in &list[self.next_pending[user]..i] {
            let e = &self.w.events[ev];
            if self.announced_event[ev] {
                self.duplicates += 1;
            } else if e.until <= seen_at {
                self.announced_event[ev] = true;
                self.moot += 1;
            } else {
                self.announced_event[ev] = true;
                self.announced += 1;
                self.delays.entry(e.kind).or_default().push(done - e.at);
            }
        }
        self.next_pending[user] = i;
        self.pending[user] = list;
        done
    }

    fn finish(mut self, hours: f64) -> Outcome {
        for v in self.delays.values_mut() {
            v.sort_by(f64::total_cmp);
        }
        let missed = self.announced_event.iter().filter(|a| !**a).count();
        Outcome {
            requests: self.requests,
            logins: self.logins,
            details: self.details,
            reads: self.reads,
            hours,
            announced: self.announced,
            moot: self.moot,
            missed,
            duplicates: self.duplicates,
            delays: self.delays,
        }
    }
}

/// Every person every `interval`, one after another at the pacer's speed
/// (a cycle that overruns starts the next at once), until every change of
/// the week was read (or a day past its end).
pub fn fixed(w: &Workload, max_rps: u32, interval: Duration) -> Outcome {
    let mut r = Reader::new(w, max_rps);
    let end = w.seconds + DAY;
    let mut start = 0.0;
    let interval = interval.as_secs_f64();
    while start < end {
        let spread = interval / w.users as f64;
        for user in 0..w.users {
            r.read(user, start + spread * user as f64);
        }
        if start >= w.seconds && r.announced_event.iter().all(|a| *a) {
            break;
        }
        start = (start + interval).max(r.free_at);
    }
    let hours = start / 3600.0;
    r.finish(hours)
}

/// The bot's adaptive schedule: each person at their due time, earliest
/// first, due times set by [`Policy`] after each read and moved to "now" by
/// a command of theirs or a signature request to them.
pub fn adaptive(w: &Workload, max_rps: u32, policy: Policy) -> Outcome {
    let mut r = Reader::new(w, max_rps);
    let end = w.seconds + DAY;
    let mut due: Vec<f64> = vec![0.0; w.users];
    let mut gap = vec![Duration::ZERO; w.users];
    let mut queue: BTreeSet<(u64, usize)> = (0..w.users).map(|u| (0, u)).collect();
    let key = |t: f64| (t * 1000.0) as u64;
    let mut hints = w.hints.iter().peekable();
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let mut now = 0.0f64;
    while let Some(&(k, user)) = queue.iter().next() {
        // The exact due time (the queue's key is rounded to milliseconds).
        let at = due[user].max(r.free_at);
        // Hints that happened before this read starts move people up.
        let mut moved = false;
        while let Some(&&(t, hinted)) = hints.peek() {
            if t > at {
                break;
            }
            hints.next();
            if due[hinted] > t {
                queue.remove(&(key(due[hinted]), hinted));
                due[hinted] = t;
                queue.insert((key(t), hinted));
                moved = true;
            }
        }
        if moved {
            continue;
        }
        queue.remove(&(k, user));
        let done = r.read(user, at);
        now = now.max(done);
        let motion = w.motion(user, done);
        let t = epoch + chrono::Duration::milliseconds((done * 1000.0) as i64);
        let left = Duration::from_secs_f64((r.token_at[user] + 3540.0 - done).max(0.0));
        let (next, g) = policy.after_read(t, motion, gap[user], Some(left));
        gap[user] = g;
        let next = (next - epoch).num_milliseconds() as f64 / 1000.0;
        if next <= end || (r.announced + r.moot < w.events.len() && next <= end + DAY) {
            due[user] = next;
            queue.insert((key(next), user));
        }
        if now >= w.seconds && r.announced + r.moot == w.events.len() {
            break;
        }
    }
    r.finish(now / 3600.0)
}
