//! Checks on what people type, applied before anything reaches Comake.

/// Longest name (of a person or a contract).
pub(crate) const MAX_NAME: usize = 100;
pub(crate) const MAX_PASSWORD: usize = 64;
pub(crate) const MAX_MESSAGE: usize = 500;

/// Why an email was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmailError {
    /// Not an address at all.
    Invalid,
    /// The part before the `@` has letters outside ASCII, which many mail
    /// systems (and Comake) cannot take.
    NonAsciiLocal,
}

impl EmailError {
    /// The message that explains the refusal.
    pub(crate) fn message(self) -> &'static str {
        match self {
            EmailError::Invalid => "invalid-email",
            EmailError::NonAsciiLocal => "invalid-email-local",
        }
    }
}

/// The characters RFC 5322 allows in a dot-atom, besides letters and digits.
const LOCAL_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~-.";

/// An email in the one form we store and compare: trimmed, lower-cased,
/// the domain in its ASCII (IDNA) form. The local part is a dot-atom of
/// ASCII (no quotes, brackets, parentheses or spaces, so it cannot render
/// as a link or markdown), the domain has a dot, and the whole is at most
/// 254 characters.
pub(crate) fn email(raw: &str) -> Result<String, EmailError> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.rsplit_once('@').ok_or(EmailError::Invalid)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err(EmailError::Invalid);
    }
    if !local.is_ascii() {
        return Err(EmailError::NonAsciiLocal);
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || LOCAL_SYMBOLS.contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !local_ok {
        return Err(EmailError::Invalid);
    }
    // IDNA maps a Unicode domain (회사.한국) to its ASCII form
    // (xn--...) and refuses what cannot be a host name.
    let domain = idna::domain_to_ascii_strict(domain).map_err(|_| EmailError::Invalid)?;
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    });
    // A numeric last label is an IP address, not a mail domain.
    let tld_ok = domain
        .rsplit('.')
        .next()
        .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
    let email = format!("{local}@{domain}");
    (domain.contains('.') && labels_ok && tld_ok && email.len() <= 254)
        .then_some(email)
        .ok_or(EmailError::Invalid)
}

/// `a***@company.example`: enough for an audit reader to tell addresses
/// apart, not enough to read them back.
pub(crate) fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A name: trimmed, 1 to 100 characters, no control characters.
pub(crate) fn name(raw: &str) -> Option<String> {
    let name = raw.trim();
    let n = name.chars().count();
    ((1..=MAX_NAME).contains(&n) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

/// A phone number: 8 to 15 digits, with an optional leading `+`, and `-` or
/// spaces between digits.
pub(crate) fn phone(raw: &str) -> Option<String> {
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
pub(crate) fn password(raw: &str) -> Option<secrecy::SecretString> {
    let n = raw.chars().count();
    (1..=MAX_PASSWORD)
        .contains(&n)
        .then(|| secrecy::SecretString::from(raw.to_owned()))
}

/// Free text of at most `max` characters, trimmed, not empty.
pub(crate) fn text(raw: &str, max: usize) -> Option<String> {
    let text = raw.trim();
    let n = text.chars().count();
    ((1..=max).contains(&n)).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(" Kim@Example.COM ").as_deref(), Ok("kim@example.com"));
        assert_eq!(
            email("kim@회사.한국").as_deref(),
            Ok("kim@xn--vf4b131b.xn--3e0b707e")
        );
        assert_eq!(
            email("kim.o'neil+x@example.com").as_deref(),
            Ok("kim.o'neil+x@example.com")
        );
        assert_eq!(email("김@example.com"), Err(EmailError::NonAsciiLocal));
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
            "[click](https://evil.example)@x.co",
            "<@123>@x.co",
            ".kim@x.com",
            "kim..lee@x.com",
            "kim@-x.com",
            "kim@x_y.com",
            "kim@x.com/evil",
            "kim@10.0.0.5",
        ] {
            assert_eq!(email(bad), Err(EmailError::Invalid), "{bad:?}");
        }
        assert!(email(&format!("{}@x.com", "a".repeat(65))).is_err());
        assert!(email(&format!("a@{}.com", "b.".repeat(130))).is_err());
    }

    #[test]
    fn masked_emails_keep_the_domain_only() {
        assert_eq!(mask_email("alice@company.example"), "a***@company.example");
        assert_eq!(mask_email("nonsense"), "***");
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
