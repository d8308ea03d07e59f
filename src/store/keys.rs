//! The keys derived from `STATE_KEY` with HKDF-SHA256, one per purpose (sealing, registration-code hashes), and the sealing of what PostgreSQL holds for a while.
//!
//! `STATE_KEY` itself keys nothing: a key that leaked from one use (a code
//! hash compared in a log, say) tells nothing about the other.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use ring::hkdf;

use super::StoreError;

/// HKDF's salt: fixed and public, it only separates this application's keys.
const SALT: &[u8] = b"comake-bot STATE_KEY";
/// What each derived key is for (HKDF's `info`).
const SEAL_INFO: &[u8] = b"comake-bot: sealing held state, AES-256-GCM, v1";
const CODES_INFO: &[u8] = b"comake-bot: registration code hashes, HMAC-SHA256, v1";

/// A derived key's length: 32 bytes.
struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

fn derive(state_key: &[u8], info: &'static [u8]) -> [u8; 32] {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, SALT).extract(state_key);
    let mut out = [0u8; 32];
    // HKDF-SHA256 gives up to 8,160 bytes; 32 always fits, so neither step
    // fails (a failure would leave zeros, which the tests would catch).
    if let Ok(okm) = prk.expand(&[info], Len32) {
        let _ = okm.fill(&mut out);
    }
    out
}

/// The key registration codes are hashed under, derived from `STATE_KEY`
/// (so every instance sharing it checks every code).
pub(crate) fn code_key(state_key: &[u8]) -> [u8; 32] {
    derive(state_key, CODES_INFO)
}

/// Seals and opens held state with AES-256-GCM under the sealing key, bound
/// to the nonce and the user it is held for.
#[derive(Clone)]
pub(super) struct Sealer {
    cipher: Aes256Gcm,
}

impl Sealer {
    /// The sealer of `STATE_KEY`, which must be 32 bytes.
    pub(super) fn new(state_key: &[u8]) -> Result<Self, StoreError> {
        if state_key.len() != 32 {
            return Err(StoreError::Open {
                path: "STATE_KEY".into(),
                reason: "must be 32 bytes, base64".into(),
            });
        }
        let key = derive(state_key, SEAL_INFO);
        Ok(Self {
            cipher: Aes256Gcm::new(&key.into()),
        })
    }

    pub(super) fn seal(&self, nonce: &str, user: u64, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let iv: [u8; 12] = rand::random();
        let aad = format!("{nonce}/{user}");
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&iv),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Io("cannot seal a confirmation".into()))?;
        let mut out = iv.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub(super) fn open(
        &self,
        nonce: &str,
        user: u64,
        sealed: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        let aad = format!("{nonce}/{user}");
        let (iv, body) = sealed
            .split_at_checked(12)
            .ok_or_else(|| StoreError::Corrupt("a sealed confirmation is too short".into()))?;
        self.cipher
            .decrypt(
                Nonce::from_slice(iv),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| {
                StoreError::Corrupt(
                    "a confirmation does not open with STATE_KEY (was the key changed?)".into(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE_KEY: [u8; 32] = [7; 32];

    #[test]
    fn each_purpose_has_its_own_key() {
        let seal = derive(&STATE_KEY, SEAL_INFO);
        let codes = code_key(&STATE_KEY);
        assert_ne!(seal, codes);
        assert_ne!(seal, STATE_KEY);
        assert_ne!(codes, STATE_KEY);
        assert_ne!(codes, [0; 32]);
        // The same on every instance, and another STATE_KEY gives others.
        assert_eq!(codes, code_key(&STATE_KEY));
        assert_ne!(codes, code_key(&[8; 32]));
        // RFC 5869's construction, checked against ring's HMAC by hand:
        // PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info || 0x01).
        let prk = ring::hmac::sign(
            &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SALT),
            &STATE_KEY,
        );
        let mut block = CODES_INFO.to_vec();
        block.push(1);
        let okm = ring::hmac::sign(
            &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, prk.as_ref()),
            &block,
        );
        assert_eq!(okm.as_ref(), codes);
    }

    #[test]
    fn sealing_round_trips_and_binds_its_owner() {
        let sealer = Sealer::new(&STATE_KEY).unwrap();
        let sealed = sealer.seal("n1", 7, b"a signee password").unwrap();
        assert!(!sealed.windows(b"password".len()).any(|w| w == b"password"));
        assert_eq!(sealer.open("n1", 7, &sealed).unwrap(), b"a signee password");
        assert!(sealer.open("n1", 8, &sealed).is_err(), "another user");
        assert!(sealer.open("n2", 7, &sealed).is_err(), "another nonce");
        assert!(sealer.open("n1", 7, &sealed[..5]).is_err(), "cut short");
        // Sealed under the derived key, not STATE_KEY itself.
        let raw = Aes256Gcm::new(&STATE_KEY.into());
        let (iv, body) = sealed.split_at(12);
        let opened = raw.decrypt(
            Nonce::from_slice(iv),
            Payload {
                msg: body,
                aad: b"n1/7",
            },
        );
        assert!(opened.is_err());
        assert!(Sealer::new(&[1; 16]).is_err(), "a short STATE_KEY");
    }

    #[test]
    fn code_hashes_round_trip_under_the_code_key() {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &code_key(&STATE_KEY));
        let tag = ring::hmac::sign(&key, b"1\nkim@example.com\n12345678");
        assert!(ring::hmac::verify(&key, b"1\nkim@example.com\n12345678", tag.as_ref()).is_ok());
        assert!(ring::hmac::verify(&key, b"1\nkim@example.com\n12345679", tag.as_ref()).is_err());
        let other = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &derive(&STATE_KEY, SEAL_INFO));
        assert!(ring::hmac::verify(&other, b"1\nkim@example.com\n12345678", tag.as_ref()).is_err());
    }
}
