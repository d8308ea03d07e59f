//! The state every route shares: the company, the signing key, and the control settings (tokens, faults, the log).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jsonwebtoken::{DecodingKey, EncodingKey};

use crate::faults::{FailureRule, LoggedRequest};
use crate::handle::SimOptions;
use crate::model::Company;

/// What the control surface sets, and what the simulator keeps for it.
#[derive(Default)]
pub(crate) struct Control {
    pub(crate) latency: Duration,
    pub(crate) failures: VecDeque<FailureRule>,
    pub(crate) log: Vec<LoggedRequest>,
    pub(crate) issued: Vec<String>,
    pub(crate) revoked: HashSet<u64>,
    pub(crate) token_subjects: HashMap<u64, String>,
    pub(crate) refused_users: HashSet<String>,
    /// register-client answers with this email instead (a misbehaving Comake).
    pub(crate) register_as: Option<String>,
    pub(crate) next_jti: u64,
    pub(crate) admin_lifetime: Duration,
    pub(crate) client_lifetime: Duration,
}

pub(crate) struct Shared {
    pub(crate) opts: SimOptions,
    pub(crate) company: Mutex<Company>,
    pub(crate) control: Mutex<Control>,
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
    pub(crate) started: Instant,
}

impl Shared {
    /// A fresh company under `opts`, with a per-run signing key: tokens of
    /// one run are worthless in the next.
    pub(crate) fn new(opts: SimOptions) -> Self {
        let key: [u8; 32] = rand::random();
        let control = Control {
            admin_lifetime: opts.admin_token_lifetime,
            client_lifetime: opts.client_token_lifetime,
            ..Control::default()
        };
        Self {
            opts,
            company: Mutex::new(Company::default()),
            control: Mutex::new(control),
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            started: Instant::now(),
        }
    }
}

/// The guarded value, even if a holder panicked (the simulator's state stays usable).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
