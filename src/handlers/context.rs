//! What a handler gets (the app, the interaction, its language), how it fails, and the small helpers its messages share.

use super::{App, Invocation, Reply};
use crate::comake::{ComakeError, UserClient};
use crate::i18n::{Args, Lang};
use crate::store::{Account, AuditEntry, StoreError};

/// A short id the user can quote and the log holds with the full error.
pub(crate) fn error_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..8)
        .map(|_| ALPHABET[rand::random::<usize>() % ALPHABET.len()] as char)
        .collect()
}

/// How a handler failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The person can fix it: a sentence in their language.
    User(String),
    /// Something broke: the sentence (with the id) for the person; the
    /// cause for the log.
    Internal {
        id: String,
        message: String,
        cause: String,
    },
    /// A Comake error a handler passed on with `?`: dispatch tells it.
    Comake(ComakeError),
    /// A store error a handler passed on with `?`: dispatch tells it.
    Store(StoreError),
}

impl From<ComakeError> for Failure {
    fn from(e: ComakeError) -> Self {
        Failure::Comake(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

pub(crate) type HandlerResult = Result<Reply, Failure>;

/// What a handler gets: the app, the interaction, and its language.
pub(crate) struct Ctx<'a> {
    pub(crate) app: &'a App,
    pub(crate) inv: &'a Invocation,
    pub(crate) lang: Lang,
    audit: std::sync::Mutex<Vec<AuditEntry>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(app: &'a App, inv: &'a Invocation) -> Self {
        Self {
            app,
            inv,
            lang: Lang::from_locale(&inv.locale),
            audit: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A message in the person's language.
    pub(crate) fn t(&self, id: &str, args: &Args<'_>) -> String {
        self.app.i18n.t(self.lang, id, args)
    }

    /// A refusal the person can act on.
    pub(crate) fn refuse(&self, id: &str, args: &Args<'_>) -> Failure {
        Failure::User(self.t(id, args))
    }

    pub(crate) fn internal(&self, cause: impl std::fmt::Display) -> Failure {
        self.internal_as("error-internal", "no", cause)
    }

    /// An internal failure told with message `message`, which gets the new
    /// error id and whether anything may have changed (`no` or `maybe`).
    pub(crate) fn internal_as(
        &self,
        message: &str,
        changed: &'static str,
        cause: impl std::fmt::Display,
    ) -> Failure {
        let id = error_id();
        Failure::Internal {
            message: self.t(
                message,
                &crate::args!["id" => id.clone(), "changed" => changed],
            ),
            cause: cause.to_string(),
            id,
        }
    }

    /// A failure as the person is told it: errors passed on with `?` get
    /// their sentence (and, if internal, an error id) here, once.
    pub(crate) fn told(&self, failure: Failure) -> Failure {
        match failure {
            Failure::Comake(e) => self.comake_failure(e),
            Failure::Store(e) => self.store_failure(e),
            told => told,
        }
    }

    pub(crate) fn store_failure(&self, e: StoreError) -> Failure {
        match e {
            StoreError::Unavailable(_) => self.internal_as("error-store-down", "no", e),
            e => self.internal(e),
        }
    }

    /// What to tell the person about a Comake error that the handler did not
    /// handle itself.
    pub(crate) fn comake_failure(&self, e: ComakeError) -> Failure {
        match &e {
            ComakeError::InvalidInput(_) => self.refuse("comake-refused-input", &[]),
            ComakeError::Forbidden(_) => self.refuse("comake-forbidden", &[]),
            ComakeError::NotFound(_) => self.refuse("comake-not-found", &[]),
            ComakeError::Conflict(_) => self.refuse("comake-conflict", &[]),
            ComakeError::Unauthorized(_) => self.internal_as("error-comake-auth", "no", e),
            ComakeError::Unavailable { .. }
            | ComakeError::Timeout { .. }
            | ComakeError::RateLimited { .. } => {
                let changed = if e.changed_nothing() { "no" } else { "maybe" };
                self.internal_as("error-comake-down", changed, e)
            }
            ComakeError::UnexpectedResponse { .. } | ComakeError::Config(_) => self.internal(e),
        }
    }

    /// Whether people can register themselves here (`/comake register`):
    /// self-registration is open and the codes can be mailed.
    pub(crate) fn self_registration(&self) -> bool {
        self.app.mailer.is_some()
            && self.app.config.registration == crate::config::Registration::Open
    }

    /// The caller's linked account, or the refusal that explains how to link.
    pub(crate) async fn account(&self) -> Result<Account, Failure> {
        match self.app.store.account(self.inv.user).await {
            Ok(Some(account)) => Ok(account),
            // Told what works here: registering oneself needs codes mailed.
            Ok(None) if self.self_registration() => Err(self.refuse("error-not-linked", &[])),
            Ok(None) => Err(self.refuse("error-not-linked-admin", &[])),
            Err(e) => Err(self.store_failure(e)),
        }
    }

    pub(crate) fn comake_user(&self, account: &Account) -> UserClient {
        self.app.comake.user(&account.email)
    }

    /// Record an audit entry. Entries are written (durably, in one flush)
    /// right after the answer is delivered, so the person does not wait for
    /// the disk; the action they record has already happened at Comake.
    pub(crate) fn audit(&self, action: &str, contract: Option<&str>, outcome: &str) {
        let entry = AuditEntry {
            at: chrono::Utc::now(),
            discord_user: self.inv.user,
            guild: self.inv.guild,
            action: action.to_owned(),
            contract: contract.map(str::to_owned),
            outcome: outcome.to_owned(),
        };
        if let Ok(mut pending) = self.audit.lock() {
            pending.push(entry);
        }
    }

    /// The answer never reached the person: what was recorded as done is
    /// recorded as not delivered (a link issued but not shown is no link).
    pub(super) fn undelivered(&self) {
        if let Ok(mut pending) = self.audit.lock() {
            for entry in pending.iter_mut() {
                if entry.action.starts_with("contract.link_") && entry.outcome == "ok" {
                    entry.outcome = "failed: the link was not delivered".into();
                } else {
                    // The action itself happened; only the answer was lost.
                    entry.outcome.push_str("; the reply was not delivered");
                }
            }
        }
    }

    /// Write the recorded audit entries.
    pub(super) async fn write_audit(&self) {
        let entries = self
            .audit
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        if entries.is_empty() {
            return;
        }
        if let Err(e) = self.app.store.audit_batch(entries).await {
            tracing::error!(error = %e, "could not write the audit log");
        }
    }

    /// The labels every message shares, in the person's language.
    pub(crate) fn labels(&self) -> crate::render::Labels<'_> {
        crate::render::Labels::new(&self.app.i18n, self.lang)
    }

    /// A localized label for a state.
    pub(crate) fn state_label(&self, status: crate::comake::wire::ContractStatus) -> String {
        self.labels().state(status)
    }
}

/// A party's name as Comake has it, or "Party 2" when it has none that
/// shows (raw: escape it with [`plain`] for a message).
pub(crate) fn party_name(ctx: &Ctx<'_>, party: &crate::comake::wire::Party) -> String {
    ctx.labels().party(party)
}

/// Discord's `<t:…:R>` timestamp, shown in each reader's own time zone.
pub(crate) use crate::render::time as discord_time;

/// Text from a user or Comake, made inert (see [`crate::text`]).
pub(crate) use crate::text::inert as plain;

/// A number of items as pages of `per_page`.
pub(crate) fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}
