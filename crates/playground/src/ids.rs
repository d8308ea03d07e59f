//! Discord ids travel as strings to the page: JavaScript numbers lose digits past 2^53.

use serde::{Deserialize, Deserializer, Serializer};

pub(crate) fn ser<S: Serializer>(id: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_string())
}

pub(crate) fn ser_opt<S: Serializer>(id: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_str(&id.to_string()),
        None => s.serialize_none(),
    }
}

pub(crate) fn de<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let raw = String::deserialize(d)?;
    raw.parse().map_err(serde::de::Error::custom)
}

pub(crate) fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(raw) => raw.parse().map(Some).map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Both {
        #[serde(serialize_with = "super::ser", deserialize_with = "super::de")]
        id: u64,
        #[serde(
            serialize_with = "super::ser_opt",
            deserialize_with = "super::de_opt",
            default
        )]
        other: Option<u64>,
    }

    #[test]
    fn large_ids_round_trip_as_strings() {
        let b = Both {
            id: 100_000_000_000_000_101,
            other: None,
        };
        let json = serde_json::to_string(&b).expect("serializes");
        assert_eq!(json, r#"{"id":"100000000000000101","other":null}"#);
        assert_eq!(serde_json::from_str::<Both>(&json).expect("parses"), b);
    }
}
