//! Every user-facing sentence, in English and Korean, from the Fluent files in `locales/`.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

const EN: &str = include_str!("../locales/en.ftl");
const KO: &str = include_str!("../locales/ko.ftl");

/// The two languages the bot answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// Korean for Discord's `ko` locale, English for everything else.
    pub(crate) fn from_locale(locale: &str) -> Self {
        if locale.eq_ignore_ascii_case("ko") || locale.to_ascii_lowercase().starts_with("ko-") {
            Lang::Ko
        } else {
            Lang::En
        }
    }
}

/// `FluentValue` of an owned string (message arguments).
pub(crate) fn fv(s: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(s.into())
}

/// Arguments of a message: name and value pairs.
pub(crate) type Args<'a> = [(&'a str, FluentValue<'a>)];

/// The loaded message files.
pub(crate) struct I18n {
    en: FluentBundle<FluentResource>,
    ko: FluentBundle<FluentResource>,
}

#[derive(Debug, thiserror::Error)]
#[error("the {lang} message file is invalid: {detail}")]
pub struct I18nError {
    lang: &'static str,
    detail: String,
}

fn bundle(
    lang: &'static str,
    tag: &str,
    source: &str,
) -> Result<FluentBundle<FluentResource>, I18nError> {
    let err = |detail: String| I18nError { lang, detail };
    let id: LanguageIdentifier = tag.parse().map_err(|e| err(format!("{e:?}")))?;
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| err(format!("{errors:?}")))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Discord shows Unicode isolation marks as odd characters; our
    // placeables are plain text, so turn them off.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| err(format!("{errors:?}")))?;
    Ok(bundle)
}

impl I18n {
    pub(crate) fn load() -> Result<Self, I18nError> {
        Ok(Self {
            en: bundle("English", "en-US", EN)?,
            ko: bundle("Korean", "ko", KO)?,
        })
    }

    /// The message `id` in `lang`, falling back to English, then to the id.
    pub(crate) fn t(&self, lang: Lang, id: &str, args: &Args<'_>) -> String {
        let primary = match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        };
        for bundle in [primary, &self.en] {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut fargs = FluentArgs::new();
                for (k, v) in args {
                    fargs.set(*k, v.clone());
                }
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(id, ?errors, "message formatted with errors");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(id, "no such message");
        id.to_owned()
    }
}

/// The message id of a signee's progress.
pub(crate) fn signee_status_id(status: crate::comake::wire::SigneeStatus) -> &'static str {
    use crate::comake::wire::SigneeStatus;
    match status {
        SigneeStatus::Waiting => "signee-waiting",
        SigneeStatus::Viewed => "signee-viewed",
        SigneeStatus::Signed => "signee-signed",
        SigneeStatus::Rejected => "signee-rejected",
        SigneeStatus::Unknown => "signee-unknown",
    }
}

/// `args![name => value, …]`: message arguments.
#[macro_export]
macro_rules! args {
    ($($k:literal => $v:expr),* $(,)?) => {
        [$(($k, ::fluent_bundle::FluentValue::from($v))),*]
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message id in a Fluent source.
    fn ids(source: &str) -> Vec<String> {
        source
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let mut en = ids(EN);
        let mut ko = ids(KO);
        en.sort();
        ko.sort();
        assert!(en.len() > 50);
        assert_eq!(en, ko);
    }

    #[test]
    fn formats_with_arguments_and_selectors() {
        let i18n = I18n::load().unwrap();
        let en = i18n.t(
            Lang::En,
            "error-comake-down",
            &args!["changed" => "no", "id" => "abc123"],
        );
        assert!(
            en.contains("Nothing was changed") && en.contains("abc123"),
            "{en}"
        );
        let ko = i18n.t(
            Lang::Ko,
            "error-comake-down",
            &args!["changed" => "maybe", "id" => "abc123"],
        );
        assert!(ko.contains("알 수 없으니") && ko.contains("abc123"), "{ko}");
        assert!(!en.contains('\u{2068}'), "isolation marks");
    }

    /// The name a client in `lang` shows for a command, subcommand or option.
    fn shown(v: &serde_json::Value, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => v["name"].as_str(),
            Lang::Ko => v["name_localizations"]["ko"].as_str(),
        }
    }

    /// The entry of `list` (a JSON array) that `lang` shows as `word`.
    fn named<'v>(
        list: &'v serde_json::Value,
        lang: Lang,
        word: &str,
    ) -> Option<&'v serde_json::Value> {
        list.as_array()?
            .iter()
            .find(|v| shown(v, lang) == Some(word))
    }

    /// Why the mention `/command sub option:value …` is not one a client in
    /// `lang` shows, if it is not.
    fn check_mention(commands: &[serde_json::Value], lang: Lang, mention: &str) -> Option<String> {
        let mut words = mention.trim_start_matches('/').split_whitespace();
        let first = words.next()?;
        let Some(mut at) = commands.iter().find(|c| shown(c, lang) == Some(first)) else {
            return Some(format!("no command shown as /{first}"));
        };
        for word in words {
            match word.split_once(':') {
                None => match named(&at["options"], lang, word) {
                    Some(sub) if sub["type"] == 1 => at = sub,
                    _ => return Some(format!("no subcommand {word}")),
                },
                Some((option, value)) => {
                    let Some(o) = named(&at["options"], lang, option).filter(|o| o["type"] != 1)
                    else {
                        return Some(format!("no option {option}"));
                    };
                    // Booleans read True/False in both languages.
                    if o["type"] == 5 && !["", "True", "False"].contains(&value) {
                        return Some(format!("{option} is a boolean, not {value}"));
                    }
                }
            }
        }
        None
    }

    /// Every `/…` span between backticks in a Fluent source.
    fn mentions(source: &str) -> Vec<&str> {
        source
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|span| span.starts_with('/'))
            .collect()
    }

    /// Every command definition in `commands/`.
    fn definitions() -> Vec<serde_json::Value> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("commands");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("commands/")
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(files.len() >= 3, "{files:?}");
        files
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("readable");
                serde_json::from_str(&text).expect("valid JSON")
            })
            .collect()
    }

    #[test]
    fn every_command_mention_is_one_the_client_shows() {
        let commands = definitions();
        for (lang, source) in [(Lang::En, EN), (Lang::Ko, KO)] {
            let found = mentions(source);
            assert!(found.len() > 15, "{lang:?}: {found:?}");
            for m in found {
                if let Some(why) = check_mention(&commands, lang, m) {
                    panic!("{lang:?} names `{m}`: {why}");
                }
            }
        }
        // No English command name in Korean, even outside backticks.
        for c in &commands {
            let english = format!("/{}", c["name"].as_str().unwrap_or_default());
            assert!(!KO.contains(&english), "ko.ftl names {english}");
        }
    }

    #[test]
    fn mentions_are_checked_against_the_definitions() {
        let commands = definitions();
        for (lang, good) in [
            (Lang::En, "/contract show contract:"),
            (Lang::En, "/comake notifications enabled:False"),
            (Lang::Ko, "/계약 보기 계약:"),
            (Lang::Ko, "/코메이크 알림 사용:True"),
        ] {
            assert_eq!(check_mention(&commands, lang, good), None, "{good}");
        }
        for (lang, bad) in [
            (Lang::Ko, "/contract show"),
            (Lang::Ko, "/계약 show"),
            (Lang::Ko, "/코메이크 알림 enabled:True"),
            (Lang::Ko, "/코메이크 알림 사용:참"),
            (Lang::En, "/계약 보기"),
            (Lang::En, "/contract shows"),
        ] {
            assert!(check_mention(&commands, lang, bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn locale_mapping() {
        assert_eq!(Lang::from_locale("ko"), Lang::Ko);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("ja"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
