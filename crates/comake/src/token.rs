//! Cached bearer tokens: refreshed shortly before they expire or after a 401, one login at a time.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// tokio's clock, so tests can move time past a token's life.
use tokio::time::Instant;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::wire::JWT_EXPIRY_CLAIM;

/// How long before `exp` a token is replaced.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The lifetime assumed for a token whose JWT has no `exp`.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// A token and the generation it was cached as, so that a caller that saw it
/// fail can drop exactly that token and not a newer one.
#[derive(Clone)]
pub struct Lease {
    pub token: SecretString,
    pub generation: u64,
}

struct Cached {
    token: SecretString,
    refresh_at: Instant,
    generation: u64,
}

/// One cached token. Callers that find it missing or stale queue on the lock,
/// so exactly one of them logs in and the rest reuse its token.
#[derive(Default)]
pub struct TokenCell {
    slot: Mutex<Option<Cached>>,
    // Generations increase for the life of the cell, across invalidations.
    next_generation: std::sync::atomic::AtomicU64,
}

impl TokenCell {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached token, or a new one from `login` when there is none or it is
    /// about to expire.
    pub async fn get<F, Fut, E>(&self, login: F) -> Result<Lease, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<SecretString, E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(c) = slot.as_ref() {
            if Instant::now() < c.refresh_at {
                return Ok(Lease {
                    token: c.token.clone(),
                    generation: c.generation,
                });
            }
        }
        let token = login().await?;
        Ok(Self::fill(&mut slot, &self.next_generation, token))
    }

    /// Cache a token obtained elsewhere (a fresh login made for a link).
    pub async fn put(&self, token: SecretString) -> Lease {
        let mut slot = self.slot.lock().await;
        Self::fill(&mut slot, &self.next_generation, token)
    }

    /// Forget the token of `generation` (it was refused); a newer one stays.
    pub async fn invalidate(&self, generation: u64) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.generation == generation) {
            *slot = None;
        }
    }

    /// Whether a usable token is cached now (it may still be refused).
    pub fn is_fresh(&self) -> bool {
        self.slot
            .try_lock()
            .map(|s| s.as_ref().is_some_and(|c| Instant::now() < c.refresh_at))
            .unwrap_or(false)
    }

    /// How long the cached token stays in use before it is replaced
    /// (`None`: none is cached, or the cell is busy logging in).
    pub fn usable_for(&self) -> Option<Duration> {
        self.slot.try_lock().ok().and_then(|s| {
            s.as_ref()
                .map(|c| c.refresh_at.saturating_duration_since(Instant::now()))
        })
    }

    fn fill(
        slot: &mut Option<Cached>,
        counter: &std::sync::atomic::AtomicU64,
        token: SecretString,
    ) -> Lease {
        let generation = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let refresh_at = Instant::now() + refresh_after(time_left(&token));
        *slot = Some(Cached {
            token: token.clone(),
            refresh_at,
            generation,
        });
        Lease { token, generation }
    }
}

/// How long from now a token with `left` to live should be used: until
/// [`REFRESH_MARGIN`] before it expires, or half its life when it is shorter
/// than twice the margin (so very short-lived tokens are still reused).
pub fn refresh_after(left: Duration) -> Duration {
    if left > REFRESH_MARGIN * 2 {
        left - REFRESH_MARGIN
    } else {
        left / 2
    }
}

/// How long the token has left, from its JWT `exp` claim read without
/// verifying the signature; [`DEFAULT_LIFETIME`] when it has none.
pub fn time_left(token: &SecretString) -> Duration {
    match jwt_expiry(token.expose_secret()) {
        Some(exp) => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            Duration::from_secs(exp.saturating_sub(now))
        }
        None => DEFAULT_LIFETIME,
    }
}

/// The `exp` claim of a JWT, if the token is one and has it.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get(JWT_EXPIRY_CLAIM)?;
    exp.as_u64()
        .or_else(|| exp.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn jwt_with(claims: serde_json::Value) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            e.encode(br#"{"alg":"HS256"}"#),
            e.encode(claims.to_string())
        )
    }

    #[test]
    fn reads_exp_without_verifying() {
        assert_eq!(
            jwt_expiry(&jwt_with(serde_json::json!({"exp": 42}))),
            Some(42)
        );
        assert_eq!(jwt_expiry(&jwt_with(serde_json::json!({"sub": "x"}))), None);
        assert_eq!(jwt_expiry("not a jwt"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
    }

    #[test]
    fn refresh_sixty_seconds_early() {
        assert_eq!(
            refresh_after(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(60)),
            Duration::from_secs(30)
        );
        assert_eq!(refresh_after(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn missing_exp_means_one_hour() {
        let t = SecretString::from("opaque".to_owned());
        assert_eq!(time_left(&t), DEFAULT_LIFETIME);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_login() {
        let cell = Arc::new(TokenCell::new());
        let logins = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cell, logins) = (cell.clone(), logins.clone());
            tasks.push(tokio::spawn(async move {
                cell.get(|| async {
                    logins.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok::<_, ()>(SecretString::from("t".to_owned()))
                })
                .await
                .map(|l| l.generation)
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), Ok(1));
        }
        assert_eq!(logins.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidate_drops_only_the_refused_generation() {
        let cell = TokenCell::new();
        let first = cell
            .get(|| async { Ok::<_, ()>(SecretString::from("a".to_owned())) })
            .await
            .unwrap();
        cell.invalidate(first.generation).await;
        let second = cell
            .get(|| async { Ok::<_, ()>(SecretString::from("b".to_owned())) })
            .await
            .unwrap();
        assert_eq!(second.token.expose_secret(), "b");
        cell.invalidate(first.generation).await; // stale: keeps "b"
        let third = cell
            .get(|| async { Err::<SecretString, _>("should not log in") })
            .await
            .unwrap();
        assert_eq!(third.generation, second.generation);
    }
}
