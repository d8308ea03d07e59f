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

    #[test]
    fn locale_mapping() {
        assert_eq!(Lang::from_locale("ko"), Lang::Ko);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("ja"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
