//! One-time codes that prove a person owns the email they register with: random, kept only as a keyed hash, single use, bounded in tries, time and rate.
//!
//! They live in memory: a pending registration holds a phone number, and a
//! restart only means asking for a new code.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use rand::Rng;
// tokio's clock, so tests can move time forward instead of waiting.
use ring::hmac;
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

/// How long a code stays valid.
pub(crate) const CODE_TTL: Duration = Duration::from_secs(10 * 60);
/// Wrong codes before the pending registration is dropped.
pub(crate) const MAX_TRIES: u32 = 5;
/// Codes one Discord user, or one email, may be sent in [`RATE_WINDOW`].
pub(crate) const MAX_CODES: usize = 3;
pub(crate) const RATE_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Digits in a code: 15 guesses an hour per email (3 codes, 5 tries each)
/// find one of 10^8 codes once in about 760 years.
pub(crate) const CODE_DIGITS: usize = 8;

/// A registration waiting for its code.
pub(crate) struct Pending {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) phone: Option<SecretString>,
    tag: hmac::Tag,
    created: Instant,
    tries: u32,
}

/// What asking for a code gave.
pub(crate) enum Start {
    /// A new code to mail.
    Code(SecretString),
    /// This user had [`MAX_CODES`] codes within the hour: wait this long.
    UserLimit(Duration),
    /// The email had [`MAX_CODES`] codes within the hour (from anyone):
    /// nothing is sent, and the answer must not say so.
    EmailLimit,
}

/// What checking a code found.
pub(crate) enum Check {
    /// The right code: the registration, taken (the code cannot be used again).
    Proven(Pending),
    /// A wrong code; `left` more tries.
    Wrong { email: String, left: u32 },
    /// The last allowed try was wrong: the registration is dropped.
    Locked { email: String },
    /// The code had expired: the registration is dropped.
    Expired { email: String },
    /// Nothing is waiting for this user.
    Nothing,
}

/// Sends over the last [`RATE_WINDOW`], by key.
type Sends<K> = HashMap<K, Vec<Instant>>;

#[derive(Default)]
struct Inner {
    pending: HashMap<u64, Pending>,
    by_user: Sends<u64>,
    by_email: Sends<String>,
}

/// The pending registrations and the send counts.
pub(crate) struct Verifications {
    key: hmac::Key,
    inner: Mutex<Inner>,
}

impl Default for Verifications {
    fn default() -> Self {
        let secret: [u8; 32] = rand::thread_rng().gen();
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
            inner: Mutex::new(Inner::default()),
        }
    }
}

/// Drop the sends older than the window; whether any are left.
fn recent(sends: &mut Vec<Instant>, now: Instant) -> bool {
    sends.retain(|at| now.duration_since(*at) < RATE_WINDOW);
    !sends.is_empty()
}

/// When the oldest of `MAX_CODES` recent sends leaves the window, if full.
fn full<K: std::hash::Hash + Eq>(sends: &mut Sends<K>, key: &K, now: Instant) -> Option<Duration> {
    let list = sends.get_mut(key)?;
    recent(list, now);
    (list.len() >= MAX_CODES).then(|| {
        let oldest = list.iter().min().copied().unwrap_or(now);
        RATE_WINDOW.saturating_sub(now.duration_since(oldest))
    })
}

impl Verifications {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn tag(&self, user: u64, email: &str, code: &str) -> hmac::Tag {
        hmac::sign(&self.key, format!("{user}\n{email}\n{code}").as_bytes())
    }

    /// A new code for `user` to prove `email`, replacing any earlier one,
    /// unless the user or the email had [`MAX_CODES`] codes within the hour.
    pub(crate) fn start(
        &self,
        user: u64,
        email: &str,
        name: &str,
        phone: Option<SecretString>,
    ) -> Start {
        let now = Instant::now();
        let mut inner = self.lock();
        if let Some(wait) = full(&mut inner.by_user, &user, now) {
            return Start::UserLimit(wait);
        }
        inner.pending.remove(&user);
        // The ask counts against the user either way, so probing an email
        // that is at its limit still costs the prober.
        inner.by_user.entry(user).or_default().push(now);
        if full(&mut inner.by_email, &email.to_owned(), now).is_some() {
            return Start::EmailLimit;
        }
        let n: u32 = rand::rngs::OsRng.gen_range(0..10u32.pow(CODE_DIGITS as u32));
        let code = format!("{n:0width$}", width = CODE_DIGITS);
        let pending = Pending {
            email: email.to_owned(),
            name: name.to_owned(),
            phone,
            tag: self.tag(user, email, &code),
            created: now,
            tries: 0,
        };
        inner.pending.insert(user, pending);
        inner
            .by_email
            .entry(email.to_owned())
            .or_default()
            .push(now);
        Start::Code(SecretString::from(code))
    }

    /// Whether a code is waiting for `user` and has not expired.
    pub(crate) fn waiting(&self, user: u64) -> bool {
        self.lock()
            .pending
            .get(&user)
            .is_some_and(|p| p.created.elapsed() < CODE_TTL)
    }

    /// Check `typed` against `user`'s code. Spaces and dashes are ignored.
    pub(crate) fn check(&self, user: u64, typed: &str) -> Check {
        let typed: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let mut inner = self.lock();
        let Some(pending) = inner.pending.get_mut(&user) else {
            return Check::Nothing;
        };
        if pending.created.elapsed() >= CODE_TTL {
            let email = pending.email.clone();
            inner.pending.remove(&user);
            return Check::Expired { email };
        }
        let message = format!("{user}\n{}\n{typed}", pending.email);
        if hmac::verify(&self.key, message.as_bytes(), pending.tag.as_ref()).is_ok() {
            return match inner.pending.remove(&user) {
                Some(p) => Check::Proven(p),
                None => Check::Nothing,
            };
        }
        pending.tries += 1;
        let email = pending.email.clone();
        if pending.tries >= MAX_TRIES {
            inner.pending.remove(&user);
            return Check::Locked { email };
        }
        Check::Wrong {
            email,
            left: MAX_TRIES - pending.tries,
        }
    }

    /// Drop expired registrations (with their phone numbers) and send
    /// counts that left the window.
    pub(crate) fn sweep(&self) {
        let now = Instant::now();
        let mut inner = self.lock();
        inner
            .pending
            .retain(|_, p| now.duration_since(p.created) < CODE_TTL);
        inner.by_user.retain(|_, s| recent(s, now));
        inner.by_email.retain(|_, s| recent(s, now));
    }

    /// Pending registrations and rate-limit keys held, for the memory bounds.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        let inner = self.lock();
        (
            inner.pending.len(),
            inner.by_user.len() + inner.by_email.len(),
        )
    }
}

/// The code, for the mail; kept apart so nothing else exposes it.
pub(crate) fn code_text(code: &SecretString) -> &str {
    code.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(v: &Verifications, user: u64, email: &str) -> String {
        match v.start(user, email, "Kim", None) {
            Start::Code(c) => code_text(&c).to_owned(),
            _ => panic!("no code"),
        }
    }

    #[test]
    fn codes_have_eight_digits_and_are_single_use() {
        let v = Verifications::default();
        let c = code(&v, 1, "kim@example.com");
        assert_eq!(c.len(), CODE_DIGITS);
        assert!(c.chars().all(|ch| ch.is_ascii_digit()));
        assert!(matches!(v.check(1, &c), Check::Proven(p) if p.email == "kim@example.com"));
        assert!(matches!(v.check(1, &c), Check::Nothing));
    }

    #[test]
    fn another_users_code_does_not_count() {
        let v = Verifications::default();
        let mine = code(&v, 1, "kim@example.com");
        assert!(matches!(v.check(2, &mine), Check::Nothing));
        let theirs = code(&v, 2, "lee@example.com");
        if theirs != mine {
            assert!(matches!(v.check(1, &theirs), Check::Wrong { left: 4, .. }));
        }
        assert!(matches!(v.check(1, &mine), Check::Proven(_)));
    }

    #[test]
    fn five_wrong_codes_lock() {
        let v = Verifications::default();
        let c = code(&v, 1, "kim@example.com");
        let wrong = if c == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        for left in (1..MAX_TRIES).rev() {
            assert!(matches!(v.check(1, wrong), Check::Wrong { left: l, .. } if l == left));
        }
        assert!(matches!(v.check(1, wrong), Check::Locked { .. }));
        assert!(matches!(v.check(1, &c), Check::Nothing), "locked for good");
    }

    #[test]
    fn three_codes_an_hour_per_user_and_per_email() {
        let v = Verifications::default();
        for _ in 0..MAX_CODES {
            code(&v, 1, "kim@example.com");
        }
        match v.start(1, "other@example.com", "Kim", None) {
            Start::UserLimit(wait) => {
                assert!(wait > Duration::from_secs(59 * 60) && wait <= RATE_WINDOW)
            }
            _ => panic!("a fourth code within the hour"),
        }
        assert!(matches!(
            v.start(2, "kim@example.com", "Lee", None),
            Start::EmailLimit
        ));
        assert!(!v.waiting(2), "no code is pending after the email limit");
        assert!(matches!(
            v.start(2, "lee@example.com", "Lee", None),
            Start::Code(_)
        ));
    }
}
