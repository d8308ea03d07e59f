//! How the store's records are laid out on disk: a version byte, then JSON, so later versions can migrate old records.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

/// The record version this build writes.
pub(crate) const CURRENT: u8 = 1;

pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![CURRENT];
    serde_json::to_writer(&mut out, value)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode a record: {e}")))?;
    Ok(out)
}

/// Decode a record of any version this build knows. Version 1 is the only
/// one so far; a new version adds an arm that reads the old layout and
/// converts it.
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
}
