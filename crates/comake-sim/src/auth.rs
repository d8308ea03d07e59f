//! The simulator's tokens: HS256 JWTs for the admin and for each user, issued on login and checked on every request.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::{lock, Shared};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Admin,
    Client,
}

impl TokenKind {
    fn claim(self) -> &'static str {
        match self {
            TokenKind::Admin => "admin",
            TokenKind::Client => "client",
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    kind: String,
    iat: u64,
    exp: u64,
    jti: u64,
}

/// The bearer credential of a request (a token, or the API key on login).
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

impl Shared {
    pub(crate) fn issue(&self, kind: TokenKind, sub: &str) -> String {
        let mut c = lock(&self.control);
        c.next_jti += 1;
        let jti = c.next_jti;
        let lifetime = match kind {
            TokenKind::Admin => c.admin_lifetime,
            TokenKind::Client => c.client_lifetime,
        };
        let now = unix_now();
        let claims = Claims {
            sub: sub.to_owned(),
            kind: kind.claim().into(),
            iat: now,
            exp: now + lifetime.as_secs(),
            jti,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .unwrap_or_default();
        c.issued.push(token.clone());
        c.token_subjects.insert(jti, sub.to_owned());
        token
    }

    /// The subject of the request's valid bearer token of `kind`, or the 401 to send.
    pub(crate) fn authenticate(
        &self,
        headers: &HeaderMap,
        kind: TokenKind,
    ) -> Result<String, ApiError> {
        let token = bearer(headers).ok_or_else(|| unauthorized("missing bearer token"))?;
        self.check_token(token, kind)
    }

    /// The subject of `token` if it is a valid token of `kind`, or the 401 to send.
    pub(crate) fn check_token(&self, token: &str, kind: TokenKind) -> Result<String, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => unauthorized("token expired"),
                _ => unauthorized("invalid token"),
            },
        )?;
        let claims = data.claims;
        let c = lock(&self.control);
        if claims.kind != kind.claim() {
            return Err(unauthorized("wrong kind of token"));
        }
        if c.revoked.contains(&claims.jti) {
            return Err(unauthorized("token revoked"));
        }
        if kind == TokenKind::Client && c.refused_users.contains(&claims.sub) {
            return Err(unauthorized("token refused"));
        }
        Ok(claims.sub)
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(401, "unauthorized", message)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}
