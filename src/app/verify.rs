//! One-time codes that prove a person owns the email they register with: random, kept only as a keyed hash, single use, bounded in tries, time and rate.
//!
//! They are held by the store, like confirmations: in this process's memory
//! with sled (a pending registration holds a phone number, never written to
//! disk), sealed in PostgreSQL with `STATE_KEY` when instances share it, so
//! a code asked for through one instance can be entered through another.
//! The counts (codes per person and per email an hour) are the store's
//! windows, shared the same way.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use ring::hmac;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError};

/// How long a code stays valid.
pub(crate) const CODE_TTL: Duration = Duration::from_secs(10 * 60);
/// Wrong codes before the pending registration is dropped.
pub(crate) const MAX_TRIES: u32 = 5;
/// Codes one Discord user, or one email, may be sent in [`RATE_WINDOW`].
pub(crate) const MAX_CODES: u32 = 3;
pub(crate) const RATE_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Digits in a code: 15 guesses an hour per email (3 codes, 5 tries each)
/// find one of 10^8 codes once in about 760 years.
pub(crate) const CODE_DIGITS: usize = 8;
/// How long an expired code is remembered as expired (its email only), so
/// the person is told it expired rather than that none was asked for.
const REMEMBER_EXPIRED: Duration = Duration::from_secs(60 * 60);

/// A registration waiting for its code.
pub(crate) struct Pending {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) phone: Option<SecretString>,
}

/// What the store holds for a pending registration.
#[derive(Serialize, Deserialize)]
struct Record {
    email: String,
    name: String,
    /// Sealed with the rest in PostgreSQL; only in memory with sled.
    phone: Option<String>,
    /// The code's keyed hash, hex.
    tag: String,
    expires_at: DateTime<Utc>,
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

/// The pending registrations, through the store.
pub(crate) struct Verifications {
    key: hmac::Key,
    store: Store,
}

fn code_nonce(user: u64) -> String {
    format!("code:{user}")
}

fn expired_nonce(user: u64) -> String {
    format!("code-expired:{user}")
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("a pending registration: {e}"))
}

impl Verifications {
    /// Codes hashed under `secret`: the same on every instance sharing a
    /// store (derived from `STATE_KEY`), random with sled.
    pub(crate) fn new(store: Store, secret: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            store,
        }
    }

    fn tag(&self, user: u64, email: &str, code: &str) -> hmac::Tag {
        hmac::sign(&self.key, format!("{user}\n{email}\n{code}").as_bytes())
    }

    /// A new code for `user` to prove `email`, replacing any earlier one,
    /// unless the user or the email had [`MAX_CODES`] codes within the hour.
    pub(crate) async fn start(
        &self,
        user: u64,
        email: &str,
        name: &str,
        phone: Option<SecretString>,
    ) -> Result<Start, StoreError> {
        let now = super::now();
        // The ask counts against the user either way, so probing an email
        // that is at its limit still costs the prober.
        let (asked, since) = self
            .store
            .count(&format!("codes-user:{user}"), now, RATE_WINDOW)
            .await?;
        if asked > MAX_CODES {
            let wait = (since + chrono(RATE_WINDOW) - now)
                .to_std()
                .unwrap_or_default();
            return Ok(Start::UserLimit(wait));
        }
        self.store.take_held(&code_nonce(user), user, now).await?;
        let (sent, _) = self
            .store
            .count(&format!("codes-email:{email}"), now, RATE_WINDOW)
            .await?;
        if sent > MAX_CODES {
            return Ok(Start::EmailLimit);
        }
        let n: u32 = rand::rngs::OsRng.gen_range(0..10u32.pow(CODE_DIGITS as u32));
        let code = format!("{n:0width$}", width = CODE_DIGITS);
        let record = Record {
            email: email.to_owned(),
            name: name.to_owned(),
            phone: phone.map(|p| p.expose_secret().to_owned()),
            tag: hex(self.tag(user, email, &code).as_ref()),
            expires_at: now + chrono(CODE_TTL),
            tries: 0,
        };
        self.hold(user, &record, now).await?;
        Ok(Start::Code(SecretString::from(code)))
    }

    async fn hold(&self, user: u64, record: &Record, now: DateTime<Utc>) -> Result<(), StoreError> {
        let payload = serde_json::to_vec(record).map_err(corrupt)?;
        self.store
            .hold(&code_nonce(user), user, &payload, record.expires_at, now)
            .await?;
        // Remembered a while longer, with the email only, to say "expired".
        self.store
            .hold(
                &expired_nonce(user),
                user,
                record.email.as_bytes(),
                record.expires_at + chrono(REMEMBER_EXPIRED),
                now,
            )
            .await
    }

    /// Whether a code is waiting for `user` and has not expired.
    pub(crate) async fn waiting(&self, user: u64) -> Result<bool, StoreError> {
        self.store
            .is_held(&code_nonce(user), user, super::now())
            .await
    }

    /// Check `typed` against `user`'s code. Spaces and dashes are ignored.
    /// The registration is taken while it is checked, so two guesses at
    /// once (on any instances) cannot both count as the same try.
    pub(crate) async fn check(&self, user: u64, typed: &str) -> Result<Check, StoreError> {
        let typed: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let now = super::now();
        let Some(payload) = self.store.take_held(&code_nonce(user), user, now).await? else {
            return Ok(
                match self
                    .store
                    .take_held(&expired_nonce(user), user, now)
                    .await?
                {
                    Some(email) => Check::Expired {
                        email: String::from_utf8_lossy(&email).into_owned(),
                    },
                    None => Check::Nothing,
                },
            );
        };
        let mut record: Record = serde_json::from_slice(&payload).map_err(corrupt)?;
        let message = format!("{user}\n{}\n{typed}", record.email);
        let tag: Vec<u8> = (0..record.tag.len() / 2)
            .filter_map(|i| u8::from_str_radix(record.tag.get(2 * i..2 * i + 2)?, 16).ok())
            .collect();
        if hmac::verify(&self.key, message.as_bytes(), &tag).is_ok() {
            self.store
                .take_held(&expired_nonce(user), user, now)
                .await?;
            return Ok(Check::Proven(Pending {
                email: record.email,
                name: record.name,
                phone: record.phone.map(SecretString::from),
            }));
        }
        record.tries += 1;
        if record.tries >= MAX_TRIES {
            self.store
                .take_held(&expired_nonce(user), user, now)
                .await?;
            return Ok(Check::Locked {
                email: record.email,
            });
        }
        self.hold(user, &record, now).await?;
        Ok(Check::Wrong {
            left: MAX_TRIES - record.tries,
            email: record.email,
        })
    }
}

/// The code, for the mail; kept apart so nothing else exposes it.
pub(crate) fn code_text(code: &SecretString) -> &str {
    code.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifications() -> (tempfile::TempDir, Verifications) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("s")).unwrap();
        (dir, Verifications::new(store, &[3u8; 32]))
    }

    async fn code(v: &Verifications, user: u64, email: &str) -> String {
        match v.start(user, email, "Kim", None).await.unwrap() {
            Start::Code(c) => code_text(&c).to_owned(),
            _ => panic!("no code"),
        }
    }

    #[tokio::test]
    async fn codes_have_eight_digits_and_are_single_use() {
        let (_dir, v) = verifications();
        let c = code(&v, 1, "kim@example.com").await;
        assert_eq!(c.len(), CODE_DIGITS);
        assert!(c.chars().all(|ch| ch.is_ascii_digit()));
        assert!(
            matches!(v.check(1, &c).await.unwrap(), Check::Proven(p) if p.email == "kim@example.com")
        );
        assert!(matches!(v.check(1, &c).await.unwrap(), Check::Nothing));
    }

    #[tokio::test]
    async fn another_users_code_does_not_count() {
        let (_dir, v) = verifications();
        let mine = code(&v, 1, "kim@example.com").await;
        assert!(matches!(v.check(2, &mine).await.unwrap(), Check::Nothing));
        let theirs = code(&v, 2, "lee@example.com").await;
        if theirs != mine {
            assert!(matches!(
                v.check(1, &theirs).await.unwrap(),
                Check::Wrong { left: 4, .. }
            ));
        }
        assert!(matches!(v.check(1, &mine).await.unwrap(), Check::Proven(_)));
    }

    #[tokio::test]
    async fn five_wrong_codes_lock() {
        let (_dir, v) = verifications();
        let c = code(&v, 1, "kim@example.com").await;
        let wrong = if c == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        for left in (1..MAX_TRIES).rev() {
            assert!(
                matches!(v.check(1, wrong).await.unwrap(), Check::Wrong { left: l, .. } if l == left)
            );
        }
        assert!(matches!(
            v.check(1, wrong).await.unwrap(),
            Check::Locked { .. }
        ));
        assert!(
            matches!(v.check(1, &c).await.unwrap(), Check::Nothing),
            "locked for good"
        );
    }

    #[tokio::test]
    async fn three_codes_an_hour_per_user_and_per_email() {
        let (_dir, v) = verifications();
        for _ in 0..MAX_CODES {
            code(&v, 1, "kim@example.com").await;
        }
        match v.start(1, "other@example.com", "Kim", None).await.unwrap() {
            Start::UserLimit(wait) => {
                assert!(wait > Duration::from_secs(59 * 60) && wait <= RATE_WINDOW)
            }
            _ => panic!("a fourth code within the hour"),
        }
        assert!(matches!(
            v.start(2, "kim@example.com", "Lee", None).await.unwrap(),
            Start::EmailLimit
        ));
        assert!(
            !v.waiting(2).await.unwrap(),
            "no code is pending after the email limit"
        );
        assert!(matches!(
            v.start(2, "lee@example.com", "Lee", None).await.unwrap(),
            Start::Code(_)
        ));
    }
}
