//! Signs interactions with an Ed25519 key, as Discord does, and posts them to a bot's interactions endpoint.

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::Value;

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Discord's side of the interactions endpoint: the key the bot knows by
/// its public half (`DISCORD_PUBLIC_KEY`).
#[derive(Clone)]
pub struct InteractionSigner {
    key: SigningKey,
    http: reqwest::Client,
}

impl InteractionSigner {
    /// A signer with the key of this seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
            http: reqwest::Client::new(),
        }
    }

    /// The public key in hex, as `DISCORD_PUBLIC_KEY`.
    pub fn public_key_hex(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }

    /// The `x-signature-timestamp` and `x-signature-ed25519` headers for `body` sent at `timestamp`.
    pub fn headers(&self, timestamp: &str, body: &str) -> (String, String) {
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body.as_bytes());
        (
            timestamp.to_owned(),
            hex(&self.key.sign(&message).to_bytes()),
        )
    }

    /// POST `payload`, signed now, to `http://addr/interactions`; returns
    /// the status and the JSON body (`Null` when it is not JSON).
    pub async fn post(&self, addr: SocketAddr, payload: &Value) -> reqwest::Result<(u16, Value)> {
        let body = payload.to_string();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let (ts, signature) = self.headers(&now.to_string(), &body);
        let resp = self
            .http
            .post(format!("http://{addr}/interactions"))
            .header("x-signature-timestamp", ts)
            .header("x-signature-ed25519", signature)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    #[test]
    fn the_signature_verifies_with_the_public_key_over_timestamp_and_body() {
        let signer = InteractionSigner::from_seed([7; 32]);
        let (ts, sig) = signer.headers("1700000000", r#"{"type":1}"#);
        let bytes: Vec<u8> = (0..sig.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&sig[i..i + 2], 16).ok())
            .collect();
        let signature = Signature::from_slice(&bytes).expect("64 bytes");
        let key =
            VerifyingKey::from_bytes(&SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes())
                .expect("a key");
        assert!(key.verify(b"1700000000{\"type\":1}", &signature).is_ok());
        assert!(key.verify(b"1700000001{\"type\":1}", &signature).is_err());
        assert_eq!(ts, "1700000000");
        assert_eq!(signer.public_key_hex(), hex(key.as_bytes()));
    }
}
