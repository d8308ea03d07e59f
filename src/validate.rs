//! Checks on what people type, applied before anything reaches Comake.

/// Longest name (of a person or a contract).
pub const MAX_NAME: usize = 100;
pub const MAX_PASSWORD: usize = 64;
pub const MAX_MESSAGE: usize = 500;

/// A plausible email: one `@`, something before it, a dotted domain after
/// it, no spaces, at most 254 characters.
pub fn email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(email)
}

/// A name: trimmed, 1 to 100 characters, no control characters.
pub fn name(raw: &str) -> Option<String> {
    let name = raw.trim();
    let n = name.chars().count();
    ((1..=MAX_NAME).contains(&n) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

/// A phone number: 8 to 15 digits, with an optional leading `+`, and `-` or
/// spaces between digits.
pub fn phone(raw: &str) -> Option<String> {
    let phone = raw.trim();
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = (8..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && body.starts_with(|c: char| c.is_ascii_digit());
    ok.then(|| phone.to_owned())
}

/// A signee's password: 1 to 64 characters, kept exactly as typed and as a
/// secret from here on.
pub fn password(raw: &str) -> Option<secrecy::SecretString> {
    let n = raw.chars().count();
    (1..=MAX_PASSWORD)
        .contains(&n)
        .then(|| secrecy::SecretString::from(raw.to_owned()))
}

/// Free text of at most `max` characters, trimmed, not empty.
pub fn text(raw: &str, max: usize) -> Option<String> {
    let text = raw.trim();
    let n = text.chars().count();
    ((1..=max).contains(&n)).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email(" Kim@Example.COM ").as_deref(),
            Some("kim@example.com")
        );
        for bad in [
            "",
            "kim",
            "@x.com",
            "kim@",
            "kim@x",
            "kim@.x.com",
            "kim@x.com.",
            "k m@x.com",
            "a@b@c.com",
            "kim@x..com",
        ] {
            assert!(email(bad).is_none(), "{bad:?}");
        }
        assert!(email(&format!("{}@x.com", "a".repeat(250))).is_none());
    }

    #[test]
    fn phones() {
        for ok in [
            "01012345678",
            "010-1234-5678",
            "+82 10 1234 5678",
            "+1-555-123-4567",
        ] {
            assert!(phone(ok).is_some(), "{ok:?}");
        }
        for bad in [
            "1234567",
            "1234567890123456",
            "010.1234.5678",
            "++8210123456",
            "phone",
            "-01012345678",
            "+",
        ] {
            assert!(phone(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn names_and_text() {
        assert_eq!(name("  김철수 ").as_deref(), Some("김철수"));
        assert!(name("").is_none() && name("   ").is_none());
        assert!(name(&"가".repeat(100)).is_some() && name(&"가".repeat(101)).is_none());
        assert!(name("a\u{0}b").is_none());
        assert!(text(&"x".repeat(500), MAX_MESSAGE).is_some());
        assert!(text(&"x".repeat(501), MAX_MESSAGE).is_none());
        assert!(password(&"비".repeat(64)).is_some());
        assert!(password("").is_none() && password(&"x".repeat(65)).is_none());
    }
}
