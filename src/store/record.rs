//! How the store's records are laid out on disk: a version byte, then the body, so later versions can migrate old records. Version 1 is JSON (every record); version 2 is a compact binary layout for accounts, the records a company has by the hundred thousand.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Account, LinkMethod, StoreError};

/// The version of JSON records (audit entries, notification state, cards).
pub(crate) const CURRENT: u8 = 1;
/// The version of account records this build writes ([`encode_account`]).
pub(crate) const ACCOUNT: u8 = 2;

pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![CURRENT];
    serde_json::to_writer(&mut out, value)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode a record: {e}")))?;
    Ok(out)
}

/// Decode a JSON record of any version this build knows.
pub(crate) fn decode<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&1, body)) => serde_json::from_slice(body)
            .map_err(|e| StoreError::Corrupt(format!("{what} record: {e}"))),
        Some((v, _)) => Err(StoreError::Corrupt(format!(
            "{what} record has version {v}, newer than this build ({CURRENT})"
        ))),
        None => Err(StoreError::Corrupt(format!("{what} record is empty"))),
    }
}

/// An account as version 2, about a third of its JSON: the Discord ids as
/// 8 bytes each, the link time as seconds (8) and nanoseconds (4), the
/// method as a byte, then email, name and Comake client id, each a length
/// (LEB128) and UTF-8. A field added to [`Account`] needs a version 3 (and
/// this arm kept to read version 2).
pub(crate) fn encode_account(account: &Account) -> Result<Vec<u8>, StoreError> {
    let strings = [&account.email, &account.name, &account.comake_client_id];
    let mut out = Vec::with_capacity(30 + strings.iter().map(|s| s.len() + 2).sum::<usize>());
    out.push(ACCOUNT);
    out.extend_from_slice(&account.discord_id.to_le_bytes());
    out.extend_from_slice(&account.linked_by.to_le_bytes());
    out.extend_from_slice(&account.linked_at.timestamp().to_le_bytes());
    out.extend_from_slice(&account.linked_at.timestamp_subsec_nanos().to_le_bytes());
    out.push(match account.method {
        LinkMethod::SelfRegistered => 0,
        LinkMethod::Admin => 1,
    });
    for s in strings {
        let mut n = s.len();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
        out.extend_from_slice(s.as_bytes());
    }
    Ok(out)
}

/// An account record of version 1 (JSON) or 2 (compact).
pub(crate) fn decode_account(bytes: &[u8]) -> Result<Account, StoreError> {
    match bytes.first() {
        Some(&ACCOUNT) => {
            let mut r = Reader(bytes.get(1..).unwrap_or_default());
            compact_account(&mut r)
                .ok_or_else(|| StoreError::Corrupt("account record is cut short".into()))
        }
        _ => decode("account", bytes),
    }
}

/// What is left of a compact record to read.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn string(&mut self) -> Option<String> {
        let mut n = 0usize;
        for shift in (0..35).step_by(7) {
            let [byte] = self.array::<1>()?;
            n |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return String::from_utf8(self.take(n)?.to_vec()).ok();
            }
        }
        None
    }
}

fn compact_account(r: &mut Reader<'_>) -> Option<Account> {
    let discord_id = u64::from_le_bytes(r.array()?);
    let linked_by = u64::from_le_bytes(r.array()?);
    let secs = i64::from_le_bytes(r.array()?);
    let nanos = u32::from_le_bytes(r.array()?);
    let linked_at: DateTime<Utc> = DateTime::from_timestamp(secs, nanos)?;
    let method = match r.array::<1>()? {
        [0] => LinkMethod::SelfRegistered,
        [1] => LinkMethod::Admin,
        _ => return None,
    };
    let account = Account {
        discord_id,
        email: r.string()?,
        name: r.string()?,
        comake_client_id: r.string()?,
        linked_at,
        linked_by,
        method,
    };
    r.0.is_empty().then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_versions() {
        let bytes = encode(&vec![1, 2, 3]).unwrap();
        assert_eq!(bytes[0], CURRENT);
        assert_eq!(decode::<Vec<i32>>("x", &bytes).unwrap(), vec![1, 2, 3]);
        let mut future = bytes.clone();
        future[0] = 9;
        assert!(
            matches!(decode::<Vec<i32>>("x", &future), Err(StoreError::Corrupt(m)) if m.contains("version 9"))
        );
        assert!(decode::<Vec<i32>>("x", &[]).is_err());
    }

    #[test]
    fn accounts_are_compact_read_both_versions_and_refuse_damage() {
        let account = Account {
            discord_id: 123_456_789_012_345_678,
            email: "kim@example.com".into(),
            name: "김민준 ".repeat(30),
            comake_client_id: "c-0123456789abcdef".into(),
            linked_at: DateTime::from_timestamp(1_764_000_000, 123_456_789).unwrap(),
            linked_by: 42,
            method: LinkMethod::Admin,
        };
        let v2 = encode_account(&account).unwrap();
        let v1 = encode(&account).unwrap();
        assert_eq!(v2[0], ACCOUNT);
        assert!(v2.len() * 10 < v1.len() * 9, "{} vs {}", v2.len(), v1.len());
        assert_eq!(decode_account(&v2).unwrap(), account);
        assert_eq!(
            decode_account(&v1).unwrap(),
            account,
            "version 1 still reads"
        );
        for cut in 0..v2.len() {
            assert!(decode_account(&v2[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = v2.clone();
        longer.push(0);
        assert!(decode_account(&longer).is_err());
        let mut future = v2;
        future[0] = 9;
        assert!(decode_account(&future).is_err());
    }
}
