//! Turns a `kagi news` invocation into what to do, with the runtime checks
//! the host's parser cannot make (cli-surface §1.6).

use crate::filter::{ContentFilter, Mode, Scope};
use kagi_plugin_sdk::{Error, Invocation};

pub const DEFAULT_CATEGORY: &str = "world";
pub const DEFAULT_LIMIT: u32 = 12;
pub const DEFAULT_LANG: &str = "default";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewsCommand {
    /// `--list-filter-presets`: offline.
    ListPresets {
        lang: String,
    },
    ListCategories {
        lang: String,
    },
    Chaos {
        lang: String,
    },
    Stories {
        lang: String,
        category: String,
        limit: u32,
        filter: Option<ContentFilter>,
    },
}

pub fn parse(inv: &Invocation) -> Result<NewsCommand, Error> {
    let lang = match inv.value("lang") {
        Some(lang) if !lang.trim().is_empty() => lang.to_string(),
        _ => DEFAULT_LANG.to_string(),
    };
    let presets = inv.values("filter-preset");
    let keywords = inv.values("filter-keyword");
    let mode_value = inv.value("filter-mode").unwrap_or(Mode::DEFAULT);
    let scope_value = inv.value("filter-scope").unwrap_or(Scope::DEFAULT);
    let has_filter_input = !presets.is_empty() || !keywords.is_empty();
    // The host fills in defaults, so an explicit `--filter-mode hide` looks
    // like no flag at all; only other values count as filter input.
    let custom_mode_or_scope = mode_value != Mode::DEFAULT || scope_value != Scope::DEFAULT;
    let listing =
        inv.flag("list-categories") || inv.flag("chaos") || inv.flag("list-filter-presets");

    if listing && (has_filter_input || custom_mode_or_scope) {
        return Err(Error::config(
            "news filters are not supported with --list-categories, --chaos, or --list-filter-presets",
        ));
    }
    if custom_mode_or_scope && !has_filter_input {
        return Err(Error::config(
            "--filter-mode and --filter-scope require at least one --filter-preset or --filter-keyword",
        ));
    }
    if inv.flag("list-filter-presets") {
        return Ok(NewsCommand::ListPresets { lang });
    }
    if inv.flag("list-categories") {
        return Ok(NewsCommand::ListCategories { lang });
    }
    if inv.flag("chaos") {
        return Ok(NewsCommand::Chaos { lang });
    }

    let limit = inv.parse::<u32>("limit")?.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 {
        return Err(Error::config("news --limit must be greater than 0"));
    }
    let category = inv
        .value("category")
        .unwrap_or(DEFAULT_CATEGORY)
        .trim()
        .to_string();
    if category.is_empty() {
        return Err(Error::config("news category cannot be empty"));
    }
    let filter = if has_filter_input {
        let mode = Mode::parse(mode_value).ok_or_else(|| bad_value("filter-mode", mode_value))?;
        let scope =
            Scope::parse(scope_value).ok_or_else(|| bad_value("filter-scope", scope_value))?;
        Some(ContentFilter::new(presets, keywords, mode, scope, &lang)?)
    } else {
        None
    };
    Ok(NewsCommand::Stories {
        lang,
        category,
        limit,
        filter,
    })
}

/// The host enforces the manifest's possible values; this only guards a
/// manifest that drifted from the code.
fn bad_value(name: &str, value: &str) -> Error {
    Error::usage(format!("invalid value '{value}' for --{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::ErrorClass;

    /// An invocation as the host builds it: defaults filled in unless overridden.
    fn news(args: &[(&str, &[&str])]) -> Invocation {
        let defaults: [(&str, &[&str]); 5] = [
            ("category", &["world"]),
            ("limit", &["12"]),
            ("lang", &["default"]),
            ("filter-mode", &["hide"]),
            ("filter-scope", &["all"]),
        ];
        let mut all: Vec<(&str, &[&str])> = defaults
            .into_iter()
            .filter(|(name, _)| !args.iter().any(|(n, _)| n == name))
            .collect();
        all.extend_from_slice(args);
        Invocation::new(&["news"], &all)
    }

    fn config_error(args: &[(&str, &[&str])]) -> String {
        let err = parse(&news(args)).unwrap_err();
        assert_eq!(err.class, ErrorClass::Config, "{err}");
        err.message
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse(&news(&[])).unwrap(),
            NewsCommand::Stories {
                lang: "default".into(),
                category: "world".into(),
                limit: 12,
                filter: None
            }
        );
        // Without the host's defaults (e.g. an older manifest) the same values apply.
        assert_eq!(
            parse(&Invocation::new(&["news"], &[])).unwrap(),
            parse(&news(&[])).unwrap()
        );
    }

    #[test]
    fn values_pass_through() {
        let cmd = parse(&news(&[
            ("category", &["  Tech "]),
            ("limit", &["3"]),
            ("lang", &["de"]),
        ]))
        .unwrap();
        assert_eq!(
            cmd,
            NewsCommand::Stories {
                lang: "de".into(),
                category: "Tech".into(),
                limit: 3,
                filter: None
            }
        );
        let blank_lang = parse(&news(&[("lang", &["  "])])).unwrap();
        assert!(matches!(blank_lang, NewsCommand::Stories { lang, .. } if lang == "default"));
    }

    #[test]
    fn listing_modes() {
        assert_eq!(
            parse(&news(&[("list-categories", &[]), ("lang", &["fr"])])).unwrap(),
            NewsCommand::ListCategories { lang: "fr".into() }
        );
        assert_eq!(
            parse(&news(&[("chaos", &[])])).unwrap(),
            NewsCommand::Chaos {
                lang: "default".into()
            }
        );
        assert_eq!(
            parse(&news(&[("list-filter-presets", &[]), ("lang", &["ja"])])).unwrap(),
            NewsCommand::ListPresets { lang: "ja".into() }
        );
        // Listing ignores --limit and --category.
        assert!(
            parse(&news(&[
                ("chaos", &[]),
                ("limit", &["0"]),
                ("category", &[""])
            ]))
            .is_ok()
        );
    }

    #[test]
    fn limit_and_category_errors() {
        assert_eq!(
            config_error(&[("limit", &["0"])]),
            "news --limit must be greater than 0"
        );
        assert_eq!(
            config_error(&[("category", &["   "])]),
            "news category cannot be empty"
        );
        let err = parse(&news(&[("limit", &["99999999999"])])).unwrap_err();
        assert_eq!(err.class, ErrorClass::Usage);
    }

    #[test]
    fn filters_are_refused_with_listing_modes() {
        let want = "news filters are not supported with --list-categories, --chaos, or --list-filter-presets";
        assert_eq!(
            config_error(&[("chaos", &[]), ("filter-keyword", &["x"])]),
            want
        );
        assert_eq!(
            config_error(&[("list-categories", &[]), ("filter-preset", &["ai"])]),
            want
        );
        assert_eq!(
            config_error(&[("list-filter-presets", &[]), ("filter-mode", &["blur"])]),
            want
        );
        assert_eq!(
            config_error(&[("list-filter-presets", &[]), ("filter-scope", &["title"])]),
            want
        );
    }

    #[test]
    fn mode_and_scope_need_keywords() {
        let want = "--filter-mode and --filter-scope require at least one --filter-preset or --filter-keyword";
        assert_eq!(config_error(&[("filter-mode", &["blur"])]), want);
        assert_eq!(config_error(&[("filter-scope", &["summary"])]), want);
    }

    #[test]
    fn filters_are_built() {
        let cmd = parse(&news(&[
            ("filter-preset", &["AI", "crypto"]),
            ("filter-keyword", &[" Robots "]),
            ("filter-mode", &["blur"]),
            ("filter-scope", &["title"]),
            ("lang", &["de"]),
        ]))
        .unwrap();
        let NewsCommand::Stories {
            filter: Some(filter),
            ..
        } = cmd
        else {
            panic!("{cmd:?}")
        };
        assert_eq!(filter.mode, Mode::Blur);
        assert_eq!(filter.scope, Scope::Title);
        assert_eq!(filter.active_presets, ["ai", "crypto"]);
        assert_eq!(filter.custom_keywords, ["robots"]);
        // German preset keywords because of --lang de.
        assert!(
            filter
                .active_keywords
                .contains(&"künstliche intelligenz".to_string())
        );
        assert!(
            filter
                .active_keywords
                .contains(&"kryptowährung".to_string())
        );
    }

    #[test]
    fn unknown_presets_fail_before_any_request() {
        let message = config_error(&[("filter-preset", &["weather"])]);
        assert!(
            message.starts_with("unknown news filter preset 'weather'."),
            "{message}"
        );
    }
}
