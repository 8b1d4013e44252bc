//! The `summarize` plugin: `kagi summarize` (cli-surface §1.5) through the
//! paid Summarizer API (API token) or, with `--subscriber`, the subscriber
//! summarizer (session token). The mode decides the credential; there is no
//! fallback between them. `--filter` summarizes each stdin line on its own.

mod api;
mod args;
mod filter;
mod subscriber;

use args::{Args, Input, Mode};
use kagi_plugin_sdk::cache::Cache;
use kagi_plugin_sdk::http::missing_credential;
use kagi_plugin_sdk::{
    Credential, Error, Output, Plugin, Router, credentials, export_plugin, out, stdin,
};

struct Summarize;

impl Plugin for Summarize {
    fn router() -> Router {
        Router::new().command(&["summarize"], |args: Args| run(&args))
    }
}

export_plugin!(Summarize, "kagi-plugin.toml");

/// The local cache's namespaces (cli-surface §6.3).
const API_NAMESPACE: &str = "summarize";
const SUBSCRIBER_NAMESPACE: &str = "subscriber-summarize";

fn run(args: &Args) -> Result<(), Error> {
    // The credential first: a missing one is reported before stdin is read.
    let needed = match args.mode {
        Mode::Api(_) => Credential::Api,
        Mode::Subscriber(_) => Credential::Session,
    };
    let configured = credentials::configured();
    let present = match needed {
        Credential::Api => configured.api,
        _ => configured.session,
    };
    if !present {
        return Err(missing_credential(needed));
    }
    if args.filter {
        return filter::run(&args.mode);
    }
    let (kind, value) = input(&args.input)?;
    match &args.mode {
        Mode::Api(options) => {
            let (url, text) = match kind {
                "url" => (Some(value.as_str()), None),
                _ => (None, Some(value.as_str())),
            };
            let request = api::request(url, text, options)?;
            let summary = cached(args, API_NAMESPACE, &request, || api::fetch(&request))?;
            Output::json().print(&summary, None)
        }
        Mode::Subscriber(options) => {
            let request = subscriber::request((kind, &value), options);
            let live = out::info().stdout_is_tty;
            let cache = args
                .local_cache
                .map(|ttl| Cache::new(SUBSCRIBER_NAMESPACE, ttl));
            if let Some(hit) = cache
                .as_ref()
                .and_then(|c| c.get::<subscriber::Summary, _>(&request))
            {
                return if live {
                    out::println(hit.data.markdown.trim_end_matches('\n'));
                    Ok(())
                } else {
                    Output::json().print(&hit, None)
                };
            }
            let summary = subscriber::fetch(&request, live)?;
            if let Some(cache) = &cache {
                cache.put(&request, &summary);
            }
            if live {
                Ok(())
            } else {
                Output::json().print(&summary, None)
            }
        }
    }
}

/// The fetch through the local cache when `--local-cache` is given; errors
/// are never cached.
fn cached<T, F>(
    args: &Args,
    namespace: &str,
    request: &kagi_plugin_sdk::http::Request,
    fetch: F,
) -> Result<T, Error>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
    F: FnOnce() -> Result<T, Error>,
{
    let cache = args.local_cache.map(|ttl| Cache::new(namespace, ttl));
    if let Some(hit) = cache.as_ref().and_then(|c| c.get::<T, _>(request)) {
        return Ok(hit);
    }
    let value = fetch()?;
    if let Some(cache) = &cache {
        cache.put(request, &value);
    }
    Ok(value)
}

/// The wire name of the input (`url` or `text`) and its value. Stdin is read
/// only when it is not a terminal: there, a missing input is an error rather
/// than a wait for typing.
fn input(input: &Input) -> Result<(&'static str, String), Error> {
    match input {
        Input::Url(url) => Ok(("url", url.clone())),
        Input::Text(text) if text.trim().is_empty() => {
            Err(Error::config("summarize --text cannot be empty"))
        }
        Input::Text(text) => Ok(("text", text.clone())),
        Input::Stdin => {
            let text = if out::info().stdin_is_tty {
                String::new()
            } else {
                stdin::read_to_string()?
            };
            if text.trim().is_empty() {
                Err(Error::config(
                    "summarize requires exactly one of --url or --text (or the text on stdin)",
                ))
            } else {
                Ok(("text", text.trim().to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{Credential, Manifest};

    /// What the router's generated test cannot see: the capabilities.
    #[test]
    fn both_tokens_storage_and_stdin_and_nothing_else() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert_eq!(
            m.capabilities.credentials,
            [Credential::Api, Credential::Session]
        );
        assert_eq!(m.capabilities.services, ["kagi"]);
        assert!(m.capabilities.storage && m.capabilities.stdin);
        assert!(m.capabilities.hosts.is_empty());
    }
}
