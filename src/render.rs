//! How a contract reads in any message, for the commands and the watcher alike: localized state and progress labels, party names with their fallback, Discord times, and the names of people outside the company masked.

use crate::args;
use crate::comake::wire::{Approver, ApproverStatus, ContractStatus, Party, SigneeStatus};
use crate::i18n::{Args, I18n, Lang};

/// Labels in one language.
#[derive(Clone, Copy)]
pub(crate) struct Labels<'a> {
    i18n: &'a I18n,
    lang: Lang,
}

impl<'a> Labels<'a> {
    pub(crate) fn new(i18n: &'a I18n, lang: Lang) -> Self {
        Self { i18n, lang }
    }

    /// One message of the language.
    pub(crate) fn t(&self, id: &str, args: &Args<'_>) -> String {
        self.i18n.t(self.lang, id, args)
    }

    /// A contract's state, as the website names it.
    pub(crate) fn state(&self, status: ContractStatus) -> String {
        self.t(&format!("state-{}", status.as_str()), &[])
    }

    /// Comake's own line about a contract's state (`statusText`), when it
    /// says more than the state's name: blank, or just the website's name
    /// of the state (what the Korean label says), it would only repeat it.
    /// The website writes it in Korean: an English reply leaves Korean out
    /// (the reply's own lines say the same in English).
    pub(crate) fn status_note<'t>(&self, status: ContractStatus, text: &'t str) -> Option<&'t str> {
        let words = |s: &str| s.split_whitespace().collect::<String>();
        let note = words(text);
        let name = words(
            &self
                .i18n
                .t(Lang::Ko, &format!("state-{}", status.as_str()), &[]),
        );
        let readable = self.lang == Lang::Ko || !note.chars().any(is_hangul);
        (!note.is_empty() && note != name && readable).then_some(text.trim())
    }

    /// A signee's progress.
    pub(crate) fn progress(&self, status: SigneeStatus) -> String {
        self.t(crate::i18n::signee_status_id(status), &[])
    }

    /// The approval line (결재선) in order, one line each with its state,
    /// the approver whose turn it is marked; `name` says how a name shows
    /// (in full, or masked on a public card). Empty without approvers.
    pub(crate) fn approval_line(
        &self,
        approvers: &[Approver],
        name: impl Fn(&Approver) -> String,
    ) -> Vec<String> {
        let mut ordered: Vec<&Approver> = approvers.iter().collect();
        ordered.sort_by_key(|a| a.order);
        let stopped = ordered.iter().any(|a| a.status == ApproverStatus::Rejected);
        let next = ordered
            .iter()
            .position(|a| a.status == ApproverStatus::Waiting)
            .filter(|_| !stopped);
        ordered
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let state = self.t(
                    match a.status {
                        ApproverStatus::Waiting => "approver-waiting",
                        ApproverStatus::Approved => "approver-approved",
                        ApproverStatus::Rejected => "approver-rejected",
                        ApproverStatus::Unknown => "approver-unknown",
                    },
                    &[],
                );
                // A name that shows nothing reads "Approver 2".
                let shown = name(a);
                let shown = if shown.trim().is_empty() {
                    self.t("approver-fallback", &args!["n" => (i + 1) as i64])
                } else {
                    shown
                };
                let args = args!["order" => (i + 1) as i64, "name" => shown, "state" => state];
                let id = if next == Some(i) {
                    "approver-next"
                } else {
                    "approver-line"
                };
                format!("• {}", self.t(id, &args))
            })
            .collect()
    }

    /// A party's name as Comake has it, or "Party 2" when it has none that
    /// shows (raw: make it inert before it goes into a message).
    pub(crate) fn party(&self, party: &Party) -> String {
        crate::text::or_fallback(&party.name, || {
            self.t("party-fallback", &args!["n" => i64::from(party.index) + 1])
        })
    }
}

/// A Hangul syllable or letter.
fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Discord's `<t:…:style>` timestamp, shown in each reader's own time zone
/// (`R`: relative, "3 days ago").
pub(crate) fn time(at: chrono::DateTime<chrono::Utc>, style: char) -> String {
    format!("<t:{}:{style}>", at.timestamp())
}

/// A name masked for people who never agreed to appear in a channel, so
/// that at most about half its letters show: Hangul and other names
/// written without spaces keep their first and last letter (`김*수`,
/// `김*`), names in words keep each word's initial (`P*** K***`), a
/// one-letter word shows nothing, and letters spaced out one by one
/// (`김 민 수`) are read as one word. Raw: make it inert before it goes
/// into a message.
pub(crate) fn mask_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let letters = |w: &str| w.chars().count();
    match words.as_slice() {
        [] => String::new(),
        [one] if !one.chars().all(|c| c.is_ascii_alphabetic()) => mask_word(one),
        _ if words.iter().all(|w| letters(w) == 1) => mask_word(&words.concat()),
        _ => words
            .iter()
            .map(|w| match w.chars().next() {
                Some(first) if letters(w) > 1 => format!("{first}***"),
                _ => "*".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `김민수` → `김*수`, `김수` → `김*`, `김` → `*`.
fn mask_word(word: &str) -> String {
    let letters: Vec<char> = word.chars().collect();
    match letters.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", letters[0]),
        n => format!("{}{}{}", letters[0], "*".repeat(n - 2), letters[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn comakes_status_text_is_shown_only_when_it_says_more_in_the_readers_words() {
        let i18n = I18n::load().expect("messages");
        let (ko, en) = (Labels::new(&i18n, Lang::Ko), Labels::new(&i18n, Lang::En));
        let told = "홍길동, 심청이에게 서명요청";
        assert_eq!(ko.status_note(ContractStatus::Signing, told), Some(told));
        // The state's own name, however spaced, repeats the state.
        assert_eq!(ko.status_note(ContractStatus::Saved, "저장됨"), None);
        assert_eq!(
            ko.status_note(ContractStatus::SignCancelled, " 서명요청  취소 "),
            None
        );
        assert_eq!(ko.status_note(ContractStatus::Saved, "  "), None);
        // Another state's name is news (Comake knows better than the list).
        assert_eq!(
            ko.status_note(ContractStatus::Saved, "체결중"),
            Some("체결중")
        );
        // Korean in an English reply is left out; other text is kept.
        assert_eq!(en.status_note(ContractStatus::Signing, told), None);
        assert_eq!(
            en.status_note(ContractStatus::Signing, " Sent to Lee "),
            Some("Sent to Lee")
        );
    }

    #[test]
    fn the_approval_line_is_in_order_with_whose_turn_it_is() {
        let i18n = I18n::load().expect("messages");
        let l = Labels::new(&i18n, Lang::En);
        let a = |order, name: &str, status| Approver {
            order,
            name: name.into(),
            email: format!("{name}@x.example"),
            status,
        };
        let line = [
            a(2, "Choi", ApproverStatus::Waiting),
            a(1, "Boss", ApproverStatus::Approved),
        ];
        assert_eq!(
            l.approval_line(&line, |a| a.name.clone()),
            ["• 1. Boss · approved", "• 2. Choi · waiting ← next"]
        );
        // Rejected: nobody is next.
        let line = [
            a(1, "Boss", ApproverStatus::Rejected),
            a(2, "Choi", ApproverStatus::Waiting),
        ];
        let shown = l.approval_line(&line, |a| a.name.clone());
        assert!(shown.iter().all(|s| !s.contains("next")), "{shown:?}");
        assert!(l.approval_line(&[], |a| a.name.clone()).is_empty());
        // No name to show: a fallback, not an empty place.
        let line = [a(1, " ", ApproverStatus::Waiting)];
        assert_eq!(
            l.approval_line(&line, |a| a.name.clone()),
            ["• 1. Approver 1 · waiting ← next"]
        );
    }

    #[test]
    fn names_are_masked_as_the_issue_shows() {
        assert_eq!(mask_name("김민수"), "김*수");
        assert_eq!(mask_name("김수"), "김*");
        assert_eq!(mask_name("Park Kim"), "P*** K***");
        assert_eq!(mask_name("Lee"), "L***");
        assert_eq!(mask_name("  "), "");
        assert_eq!(mask_name("남궁 민수"), "남*** 민***");
        assert_eq!(mask_name("김 민 수"), "김*수");
        assert_eq!(mask_name("K i m"), "K*m");
        assert_eq!(mask_name("Kim A Lee"), "K*** * L***");
    }

    proptest! {
        /// A masked name never shows more than about half of the name's
        /// letters, whatever its words.
        #[test]
        fn a_masked_name_shows_at_most_half(name in "[가-힣a-zA-Z ]{0,30}") {
            let masked = mask_name(&name);
            let letters = name.chars().filter(|c| !c.is_whitespace()).count();
            let shown = masked.chars().filter(|c| !c.is_whitespace() && *c != '*').count();
            prop_assert!(2 * shown <= letters + 1, "{name:?} -> {masked:?}");
        }
    }
}
