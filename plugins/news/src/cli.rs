//! Turns a `kagi news` invocation into what to do, with the runtime checks
//! the host's parser cannot make (cli-surface §1.6). Names and defaults come
//! from kagi-plugin.toml only.

use crate::filter::ContentFilter;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};

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

impl FromInvocation for NewsCommand {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let lang = match inv.get::<String>("lang")? {
            lang if lang.trim().is_empty() => {
                inv.default_of("lang")?.unwrap_or_default().to_string()
            }
            lang => lang,
        };
        // Parsed before any check, so that the router's test tries every
        // possible value of the manifest against this parser.
        let (mode, scope) = (inv.get("filter-mode")?, inv.get("filter-scope")?);
        let presets: Vec<String> = inv.get_all("filter-preset")?;
        let keywords: Vec<String> = inv.get_all("filter-keyword")?;
        let has_filter_input = !presets.is_empty() || !keywords.is_empty();
        // The host fills in defaults, so an explicit `--filter-mode hide` looks
        // like no flag at all; only other values count as filter input.
        let custom_mode_or_scope =
            !inv.is_default("filter-mode")? || !inv.is_default("filter-scope")?;
        let listing = inv.get_flag("list-categories")?
            || inv.get_flag("chaos")?
            || inv.get_flag("list-filter-presets")?;

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
        if inv.get_flag("list-filter-presets")? {
            return Ok(NewsCommand::ListPresets { lang });
        }
        if inv.get_flag("list-categories")? {
            return Ok(NewsCommand::ListCategories { lang });
        }
        if inv.get_flag("chaos")? {
            return Ok(NewsCommand::Chaos { lang });
        }

        let limit: u32 = inv.get("limit")?;
        if limit == 0 {
            return Err(Error::config("news --limit must be greater than 0"));
        }
        let category = inv.get::<String>("category")?.trim().to_string();
        if category.is_empty() {
            return Err(Error::config("news category cannot be empty"));
        }
        let filter = if has_filter_input {
            Some(ContentFilter::new(&presets, &keywords, mode, scope, &lang)?)
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Mode, Scope};
    use kagi_plugin_sdk::ErrorClass;

    /// An invocation as the host builds it: the manifest's defaults filled in.
    fn news(args: &[(&str, &[&str])]) -> Invocation {
        crate::test_invocation(&["news"], args)
    }

    fn parse(inv: &Invocation) -> Result<NewsCommand, Error> {
        NewsCommand::from_invocation(inv)
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
