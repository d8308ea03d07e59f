//! Text that someone else chose (contract, party and signee names, emails, Comake's status texts) made inert for Discord, and shortened to fit without losing what follows it.
//!
//! Inert means: it cannot render as a link, a mention, markdown, a heading,
//! or reversed text. Bidi controls and zero-width characters are removed,
//! line breaks become spaces, markdown characters are escaped, and a URL
//! scheme's `://` is broken with an escape so Discord does not linkify it
//! (the text still reads the same).

/// Characters that change the direction, hide in the text or show as
/// nothing: Unicode's format characters (Cf) and the Hangul fillers.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}' // Arabic letter mark
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}' // Hangul choseong/jungseong fillers
            | '\u{180E}' // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}' // isolates, deprecated format characters
            | '\u{3164}' // Hangul filler
            | '\u{FEFF}' // BOM / zero-width no-break space
            | '\u{FFA0}' // halfwidth Hangul filler
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotations
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}' // tag characters
    )
}

/// Characters Discord's markdown gives a meaning to.
fn markdown(c: char) -> bool {
    matches!(
        c,
        '*' | '_'
            | '`'
            | '~'
            | '|'
            | '>'
            | '<'
            | '['
            | ']'
            | '('
            | ')'
            | '#'
            | '@'
            | '\\'
            | '-'
            | ':'
            | '/'
    )
}

/// One character of the input, as it is shown: nothing, a space, an escaped
/// character, or itself.
fn shown(c: char, out: &mut String) {
    match c {
        // Line and paragraph separators too: a name cannot fake a line.
        '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push(' '),
        c if c.is_control() || invisible(c) => {}
        c if markdown(c) => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

/// `text`, inert.
pub(crate) fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        shown(c, &mut out);
    }
    list_proof(out)
}

/// Text that starts like an ordered list item (`1. x`) gets its `.`
/// escaped, in case it stands at the start of a line.
fn list_proof(mut text: String) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with('.') {
        text.insert(digits, '\\');
    }
    text
}

/// `text`, inert, in at most `max` characters (at least 2): when it is
/// longer, as much as fits followed by `…`. The cut falls between the
/// input's characters, never inside an escape, so nothing after it is
/// changed.
pub fn inert_max(text: &str, max: usize) -> String {
    let max = max.max(2);
    let full = inert(text);
    if full.chars().count() <= max {
        return full;
    }
    let mut out = String::new();
    // Room for the escape a leading `1.` may get.
    let mut len = usize::from(text.starts_with(|c: char| c.is_ascii_digit()));
    let mut piece = String::new();
    for c in text.chars() {
        piece.clear();
        shown(c, &mut piece);
        let n = piece.chars().count();
        if len + n + 1 > max {
            break;
        }
        out.push_str(&piece);
        len += n;
    }
    out.push('…');
    list_proof(out)
}

/// `text` trimmed, or `fallback` when nothing visible is left.
pub fn or_fallback(text: &str, fallback: impl FnOnce() -> String) -> String {
    let visible = text
        .chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !invisible(c));
    if visible {
        text.trim().to_owned()
    } else {
        fallback()
    }
}

/// Plain text, no escapes, in at most `max` characters (for places that do
/// not render markdown: button labels, autocomplete choices, modal titles):
/// invisible characters removed, shortened with `…`.
pub(crate) fn label(text: &str, max: usize) -> String {
    let max = max.max(2);
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !invisible(*c))
        .collect();
    let clean = clean.trim();
    if clean.chars().count() <= max {
        return clean.to_owned();
    }
    let kept: String = clean.chars().take(max - 1).collect();
    // "매수인…", not "매수인 …".
    let mut out = kept.trim_end().to_owned();
    out.push('…');
    out
}

/// A character as the scrubber reads it: full-width forms (`０`-`９`,
/// `＠`, `．`, `－`, `＋`, `（`, `）`) as their ASCII twins, the small and
/// ideographic `﹫` and `。` as `@` and `.`, and every kind of white space
/// (line breaks and no-break spaces too) as a space.
fn scrubbed(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{FE6B}' => '@',
        '\u{3002}' | '\u{FF61}' => '.',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// A digit of any script.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || c.is_numeric()
}

/// What may stand between the digits of one phone number: spaces, dots,
/// brackets, `+`, and every dash, slash and middle dot people type.
fn is_number_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '(' | ')' | '+' | '/' | '_' | '\u{00B7}' | '\u{2022}' | '\u{30FB}'
    ) || matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}'
    )
}

fn looks_like_email(w: &str) -> bool {
    w.find('@')
        .is_some_and(|i| i > 0 && w[i + 1..].contains('.') && !w[i + 1..].starts_with('.'))
}

/// `s` with email addresses and phone-like numbers (9 or more digits,
/// with spaces, dashes, dots, slashes and the like between them) masked:
/// for third-party text (an approver's reason) that goes where contact
/// details must not (a DM). Full-width and other look-alike forms count as
/// their ASCII twins, and an `@` with spaces around it still joins an
/// address. Made inert afterwards like any other text.
pub(crate) fn scrub_contacts(s: &str) -> String {
    let s: String = s.chars().map(scrubbed).collect();
    let words: Vec<&str> = s.split(' ').collect();
    let mut kept: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        // `kim @ example.com`, `kim@ example.com`, `kim @example.com`: the
        // words around a loose `@` are read as one.
        let mut joined = words[i].to_owned();
        let mut j = i;
        while j + 1 < words.len()
            && j < i + 4
            && (joined.ends_with('@') || words[j + 1].starts_with('@'))
        {
            j += 1;
            joined.push_str(words[j]);
        }
        if looks_like_email(&joined) {
            kept.push("[email]".to_owned());
            i = j + 1;
        } else {
            kept.push(words[i].to_owned());
            i += 1;
        }
    }
    let joined = kept.join(" ");
    // Runs of digits with separators, counted by their digits.
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::with_capacity(joined.len());
    let mut i = 0;
    while i < chars.len() {
        if is_digit(chars[i]) || (chars[i] == '+' && chars.get(i + 1).is_some_and(|c| is_digit(*c)))
        {
            let start = i;
            let mut end = i;
            let mut digits = 0;
            let mut j = i;
            while j < chars.len() && (is_digit(chars[j]) || is_number_separator(chars[j])) {
                if is_digit(chars[j]) {
                    digits += 1;
                    end = j + 1;
                }
                j += 1;
            }
            if digits >= 9 {
                out.push_str("[number]");
            } else {
                out.extend(&chars[start..end]);
            }
            i = end.max(start + 1);
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_separators_and_loose_ats_are_seen_through() {
        for number in [
            "010–1234–5678",
            "010/1234/5678",
            "010·1234·5678",
            "010\u{00A0}1234\u{00A0}5678",
            "010\n1234\n5678",
            "٠١٠١٢٣٤٥٦٧٨",
        ] {
            assert_eq!(
                scrub_contacts(&format!("call {number} now")),
                "call [number] now",
                "{number:?}"
            );
        }
        for email in [
            "kim @ example.com",
            "kim@ example.com",
            "kim ﹫example。com",
            "kim\n@\nexample.com",
        ] {
            assert_eq!(
                scrub_contacts(&format!("mail {email} now")),
                "mail [email] now",
                "{email:?}"
            );
        }
        // Not an address, not a number: kept.
        assert_eq!(
            scrub_contacts("meet @ 5 on 2026/12/01"),
            "meet @ 5 on 2026/12/01"
        );
    }

    #[test]
    fn contact_details_are_masked() {
        assert_eq!(
            scrub_contacts("call 010-1234-5678 or mail kim@example.com, thanks"),
            "call [number] or mail [email] thanks"
        );
        assert_eq!(scrub_contacts("+82 10 1234 5678"), "[number]");
        assert_eq!(
            scrub_contacts("pay 1,000 by 2026-12-01"),
            "pay 1,000 by 2026-12-01"
        );
        assert_eq!(scrub_contacts("@everyone"), "@everyone");
        assert_eq!(
            scrub_contacts("전화 ０１０－１２３４－５６７８ 메일 kim＠example．com"),
            "전화 [number] 메일 [email]"
        );
    }

    /// A digit in any of the forms the scrubber must see through.
    fn digit_forms() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (0u32..10, any::<bool>()).prop_map(|(d, wide)| {
            let base = if wide { 0xFF10 } else { 0x30 };
            char::from_u32(base + d)
                .map(String::from)
                .unwrap_or_default()
        })
    }

    proptest::proptest! {
        /// A phone number written with any mix of ASCII and full-width
        /// digits and separators, anywhere in a sentence, is masked whole.
        #[test]
        fn phone_numbers_in_any_width_are_masked(
            digits in proptest::collection::vec(digit_forms(), 9..16),
            seps in proptest::collection::vec(proptest::sample::select(vec!["", "-", "－", " ", "\u{3000}"]), 16),
            before in "[a-z가-힣]{0,8}",
            after in "[a-z가-힣]{0,8}",
        ) {
            let number: String = digits
                .iter()
                .zip(&seps)
                .map(|(d, s)| format!("{d}{s}"))
                .collect::<String>();
            let number = number.trim_end_matches(['-', '－', ' ', '\u{3000}']);
            let out = scrub_contacts(&format!("{before} {number} {after}"));
            proptest::prop_assert!(out.contains("[number]"), "{out}");
            proptest::prop_assert!(
                !out.chars().any(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)),
                "{out}"
            );
        }

        /// An email with an ASCII or full-width `@` (and dot) is masked.
        #[test]
        fn emails_with_a_full_width_at_are_masked(
            local in "[a-z]{1,10}",
            domain in "[a-z]{1,10}",
            wide_at in proptest::bool::ANY,
            wide_dot in proptest::bool::ANY,
        ) {
            let at = if wide_at { '＠' } else { '@' };
            let dot = if wide_dot { '．' } else { '.' };
            let out = scrub_contacts(&format!("mail {local}{at}{domain}{dot}com now"));
            proptest::prop_assert_eq!(out, "mail [email] now");
        }
    }

    #[test]
    fn urls_mentions_markdown_and_bidi_are_inert() {
        let s = inert("긴급: https://comake-secure.example/login");
        assert!(s.contains("https\\:\\/\\/comake"), "{s}");
        assert_eq!(inert("@everyone <@1>"), "\\@everyone \\<\\@1\\>");
        assert_eq!(inert("[click](x)"), "\\[click\\]\\(x\\)");
        assert_eq!(inert("계약서\u{202E}exe.fdp"), "계약서exe.fdp");
        assert_eq!(inert("a\u{200B}b\u{FEFF}c\nd"), "abc d");
        assert_eq!(inert("# title"), "\\# title");
        assert_eq!(inert("1. not a list"), "1\\. not a list");
        assert_eq!(inert("a\u{2028}b\u{E0041}c"), "a bc");
        assert_eq!(
            or_fallback("\u{3164}\u{115F}", || "Party 1".into()),
            "Party 1"
        );
    }

    #[test]
    fn shortening_never_splits_an_escape() {
        let s = inert_max("ab*cd", 4);
        assert_eq!(s, "ab…");
        let s = inert_max("가나다라마바사", 5);
        assert_eq!(s, "가나다라…");
        assert_eq!(inert_max("short", 10), "short");
        // A backslash is escaped whole or not at all.
        assert_eq!(inert_max("x\\\\\\", 4), "x\\\\…");
        assert_eq!(inert_max("xy\\\\", 4), "xy…");
    }

    #[test]
    fn empty_names_get_a_fallback() {
        assert_eq!(or_fallback(" \u{200B} ", || "Party 2".into()), "Party 2");
        assert_eq!(or_fallback(" 갑 ", || "x".into()), "갑");
    }

    #[test]
    fn labels_fit() {
        assert_eq!(label(&"가".repeat(120), 100).chars().count(), 100);
        assert_eq!(label("a\u{202E}b", 10), "ab");
        // Cut after a space: the space goes, not a character of the name.
        assert_eq!(label("매수인 주식회사", 5), "매수인…");
    }
}
