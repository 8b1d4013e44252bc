//! The arguments of `kagi summarize` (cli-surface §1.5) and the checks that
//! tie each option to its mode: the paid Summarizer API, or `--subscriber`.

use kagi_plugin_sdk::{Error, FromInvocation, Invocation};
use std::time::Duration;

/// Subscriber lengths, in the order the error message lists them.
const LENGTHS: [&str; 5] = ["headline", "overview", "digest", "medium", "long"];

/// What to summarize: `Stdin` when neither `--url` nor `--text` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Url(String),
    Text(String),
    Stdin,
}

/// The options of the paid Summarizer API, sent only when given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ApiOptions {
    pub engine: Option<String>,
    pub summary_type: Option<String>,
    pub target_language: Option<String>,
    pub cache: Option<bool>,
}

/// The options of the subscriber summarizer, in their wire values.
#[derive(Debug, PartialEq, Eq)]
pub struct SubscriberOptions {
    /// `article` (the CLI's `summary`), `keypoints` or `eli5`.
    pub summary_type: &'static str,
    /// One of [`LENGTHS`]; `medium` by default.
    pub length: String,
    /// Always sent, empty when not given.
    pub target_language: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Mode {
    Api(ApiOptions),
    Subscriber(SubscriberOptions),
}

#[derive(Debug)]
pub struct Args {
    pub input: Input,
    /// `--filter`: each stdin line is summarized on its own (input is
    /// [`Input::Stdin`]).
    pub filter: bool,
    pub mode: Mode,
    /// The local cache's time to live, when `--local-cache` is given.
    pub local_cache: Option<Duration>,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let url: Option<String> = inv.get_opt("url")?;
        let text: Option<String> = inv.get_opt("text")?;
        let filter = inv.get_flag("filter")?;
        if filter && (url.is_some() || text.is_some()) {
            return Err(Error::config(
                "summarize --filter reads from stdin; omit --url and --text",
            ));
        }
        let input = match (url, text) {
            (Some(url), _) => Input::Url(url),
            (None, Some(text)) => Input::Text(text),
            (None, None) => Input::Stdin,
        };
        let engine: Option<String> = inv.get_opt("engine")?;
        let summary_type: Option<String> = inv.get_opt("summary-type")?;
        let target_language: Option<String> = inv.get_opt("target-language")?;
        let length: Option<String> = inv.get_opt("length")?;
        let cache: Option<bool> = inv.get_opt("cache")?;
        // --filter ignores the options of the other mode instead (spec).
        let mode = if inv.get_flag("subscriber")? {
            if engine.is_some() && !filter {
                return Err(paid_api_only("--engine"));
            }
            if cache.is_some() && !filter {
                return Err(paid_api_only("--cache"));
            }
            Mode::Subscriber(SubscriberOptions {
                summary_type: subscriber_summary_type(summary_type.as_deref())?,
                length: subscriber_length(length)?,
                target_language: target_language.unwrap_or_default(),
            })
        } else {
            if length.is_some() && !filter {
                return Err(Error::config("--length requires --subscriber"));
            }
            Mode::Api(ApiOptions {
                engine,
                summary_type,
                target_language,
                cache,
            })
        };
        let ttl: u64 = inv.get("cache-ttl")?;
        // --filter never uses the local cache.
        let local_cache = inv.get_flag("local-cache")? && !filter;
        Ok(Args {
            input,
            filter,
            mode,
            local_cache: local_cache.then(|| Duration::from_secs(ttl)),
        })
    }
}

fn paid_api_only(flag: &str) -> Error {
    Error::config(format!(
        "{flag} is only supported for the paid public summarizer API"
    ))
}

fn subscriber_summary_type(given: Option<&str>) -> Result<&'static str, Error> {
    match given {
        None | Some("summary") => Ok("article"),
        Some("keypoints") => Ok("keypoints"),
        Some("eli5") => Ok("eli5"),
        Some(other) => Err(Error::config(format!(
            "subscriber summarize --summary-type must be one of: summary, keypoints, eli5; got '{other}'"
        ))),
    }
}

fn subscriber_length(given: Option<String>) -> Result<String, Error> {
    let length = given.unwrap_or_else(|| "medium".to_string());
    if LENGTHS.contains(&length.as_str()) {
        Ok(length)
    } else {
        Err(Error::config(format!(
            "subscriber summarize --length must be one of: {}; got '{length}'",
            LENGTHS.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[(&str, &[&str])]) -> Result<Args, Error> {
        Args::from_invocation(&crate::test_invocation(&["summarize"], args))
    }

    fn message(args: &[(&str, &[&str])]) -> String {
        parse(args).unwrap_err().message
    }

    #[test]
    fn neither_url_nor_text_reads_stdin() {
        assert_eq!(parse(&[]).unwrap().input, Input::Stdin);
        assert_eq!(
            parse(&[("text", &["hi"])]).unwrap().input,
            Input::Text("hi".into())
        );
    }

    #[test]
    fn subscriber_defaults_are_article_medium_and_no_language() {
        let args = parse(&[("subscriber", &["true"])]).unwrap();
        assert_eq!(
            args.mode,
            Mode::Subscriber(SubscriberOptions {
                summary_type: "article",
                length: "medium".into(),
                target_language: String::new(),
            })
        );
        assert_eq!(args.local_cache, None);
    }

    #[test]
    fn each_flag_is_refused_in_the_mode_it_does_not_belong_to() {
        let sub: (&str, &[&str]) = ("subscriber", &["true"]);
        assert_eq!(
            message(&[sub, ("engine", &["agnes"])]),
            "--engine is only supported for the paid public summarizer API"
        );
        assert_eq!(
            message(&[sub, ("cache", &["false"])]),
            "--cache is only supported for the paid public summarizer API"
        );
        assert_eq!(
            message(&[("length", &["long"])]),
            "--length requires --subscriber"
        );
        assert_eq!(
            message(&[sub, ("length", &["huge"])]),
            "subscriber summarize --length must be one of: headline, overview, digest, medium, long; got 'huge'"
        );
        assert_eq!(
            message(&[sub, ("summary-type", &["takeaway"])]),
            "subscriber summarize --summary-type must be one of: summary, keypoints, eli5; got 'takeaway'"
        );
    }

    #[test]
    fn filter_ignores_the_other_modes_options_and_the_local_cache() {
        let filter: (&str, &[&str]) = ("filter", &["true"]);
        let args = parse(&[filter, ("length", &["long"]), ("local-cache", &["true"])]).unwrap();
        assert!(args.filter);
        assert_eq!(args.input, Input::Stdin);
        assert_eq!(args.mode, Mode::Api(ApiOptions::default()));
        assert_eq!(args.local_cache, None);
        let args = parse(&[
            filter,
            ("subscriber", &["true"]),
            ("engine", &["agnes"]),
            ("cache", &["false"]),
        ])
        .unwrap();
        assert!(matches!(args.mode, Mode::Subscriber(_)));
        // The values themselves are still checked.
        assert_eq!(
            message(&[filter, ("subscriber", &["true"]), ("length", &["huge"])]),
            "subscriber summarize --length must be one of: headline, overview, digest, medium, long; got 'huge'"
        );
    }

    #[test]
    fn filter_refuses_url_and_text() {
        for given in [("url", &["https://a.example/"][..]), ("text", &["t"][..])] {
            assert_eq!(
                message(&[("filter", &["true"]), given]),
                "summarize --filter reads from stdin; omit --url and --text"
            );
        }
    }

    #[test]
    fn the_api_passes_the_summary_type_through_verbatim() {
        let args = parse(&[("summary-type", &["takeaway"]), ("local-cache", &["true"])]).unwrap();
        assert_eq!(
            args.mode,
            Mode::Api(ApiOptions {
                summary_type: Some("takeaway".into()),
                ..ApiOptions::default()
            })
        );
        assert_eq!(args.local_cache, Some(Duration::from_secs(3600)));
    }
}
