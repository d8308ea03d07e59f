//! When to send a Comake request again: a pure function of the request's kind, what happened, and the attempt number.

use std::time::Duration;

/// Most attempts of one request, the first included.
pub const MAX_ATTEMPTS: u32 = 3;

/// What one attempt ended with, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Comake answered with this status (and maybe a `Retry-After`).
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No connection could be made: the request never left.
    ConnectFailed,
    /// The connection broke or timed out after the request may have been sent.
    TransportFailed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Stop and report what happened.
    Stop,
    /// Try again after the usual backoff.
    Backoff,
    /// Try again after exactly this long, as Comake asked.
    After(Duration),
}

/// Decide whether attempt number `attempt` (1-based) is followed by another.
///
/// - Idempotent requests (reads, DELETE, logins) are retried on connection
///   failures, broken connections, 5xx and 429, at most [`MAX_ATTEMPTS`] in all,
///   waiting `Retry-After` when Comake sends it.
/// - Writes are retried only when the connection was never made: a write that
///   may have reached Comake is never resent.
/// - Nothing else (2xx, 4xx other than 429) is retried here; 401 is handled by
///   logging in again, one level up.
pub fn decide(idempotent: bool, outcome: Outcome, attempt: u32) -> Decision {
    if attempt >= MAX_ATTEMPTS {
        return Decision::Stop;
    }
    match outcome {
        Outcome::ConnectFailed => Decision::Backoff,
        _ if !idempotent => Decision::Stop,
        Outcome::TransportFailed => Decision::Backoff,
        Outcome::Status {
            status,
            retry_after,
        } if status == 429 || (500..=599).contains(&status) => match retry_after {
            Some(wait) => Decision::After(wait),
            None => Decision::Backoff,
        },
        Outcome::Status { .. } => Decision::Stop,
    }
}

/// Parse a `Retry-After` header given in seconds (Comake's form).
/// HTTP dates and nonsense are ignored: the caller then uses its backoff.
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: f64 = value?.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(s: u16) -> Outcome {
        Outcome::Status {
            status: s,
            retry_after: None,
        }
    }

    #[test]
    fn reads_retry_on_server_trouble_up_to_three_attempts() {
        for o in [
            status(500),
            status(503),
            status(429),
            Outcome::ConnectFailed,
            Outcome::TransportFailed,
        ] {
            assert_eq!(decide(true, o, 1), Decision::Backoff, "{o:?}");
            assert_eq!(decide(true, o, 2), Decision::Backoff, "{o:?}");
            assert_eq!(decide(true, o, 3), Decision::Stop, "{o:?}");
        }
    }

    #[test]
    fn writes_are_never_resent_once_they_may_have_landed() {
        for o in [
            status(500),
            status(502),
            status(429),
            Outcome::TransportFailed,
        ] {
            assert_eq!(decide(false, o, 1), Decision::Stop, "{o:?}");
        }
        assert_eq!(decide(false, Outcome::ConnectFailed, 1), Decision::Backoff);
        assert_eq!(decide(false, Outcome::ConnectFailed, 3), Decision::Stop);
    }

    #[test]
    fn client_errors_and_success_are_final() {
        for s in [200, 201, 204, 400, 401, 403, 404, 409, 422] {
            assert_eq!(decide(true, status(s), 1), Decision::Stop, "{s}");
        }
    }

    #[test]
    fn retry_after_is_honoured() {
        let o = Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(1)),
        };
        assert_eq!(decide(true, o, 1), Decision::After(Duration::from_secs(1)));
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(Some("1")), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(Some(" 0.5 ")),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_retry_after(Some("-1")), None);
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(None), None);
    }
}
