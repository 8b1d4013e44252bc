//! An example third-party plugin: `kagi top-result QUERY` prints the first
//! result of a Search API query. It shows the plugin API in little code:
//! a router from the command to its handler, arguments read through a typed
//! struct (names and defaults stay in the manifest), a request with a
//! credential the host attaches, status handling, JSON decoding that skips
//! related searches, plain-text output, errors, and unit tests of each.

use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass};
use kagi_plugin_sdk::{
    Credential, Error, FromInvocation, Invocation, Plugin, Router, export_plugin, out,
};
use serde::Deserialize;

/// The arguments of `top-result`, as the manifest declares them.
struct Args {
    query: String,
    url_only: bool,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let query: String = inv.get("query")?;
        let url_only = inv.get_flag("url-only")?;
        // A check the manifest cannot express: a configuration error (exit 1),
        // as the built-in commands report values they refuse.
        let query = query.trim().to_string();
        if query.is_empty() {
            return Err(Error::config("top-result needs a non-empty query"));
        }
        Ok(Args { query, url_only })
    }
}

#[derive(Deserialize)]
struct SearchResponse {
    #[serde(default)]
    data: Vec<Item>,
}

/// Search API items; related-search items (`t: 1`) have no url or title.
#[derive(Deserialize)]
struct Item {
    t: u8,
    url: Option<String>,
    title: Option<String>,
}

/// The first real result, skipping related searches and other item types.
fn top(response: SearchResponse) -> Option<(String, String)> {
    response
        .data
        .into_iter()
        .find_map(|item| match (item.t, item.title, item.url) {
            (0, Some(title), Some(url)) => Some((title, url)),
            _ => None,
        })
}

fn search_request(args: &Args) -> Request {
    Request::get(Service::Kagi, "/api/v0/search")
        .query("q", &args.query)
        .credential(Credential::Api) // the host attaches `Authorization: Bot …`
        .timeout(TimeoutClass::Search)
}

fn top_result(args: Args) -> Result<(), Error> {
    let response: SearchResponse = search_request(&args)
        .send()?
        .checked_json(Family::SearchApi, "Search API")?;
    match top(response) {
        Some((_, url)) if args.url_only => out::println(&url),
        Some((title, url)) => out::println(&format!("{title}\n{url}")),
        None => {
            return Err(Error::config(format!("no results for `{}`", args.query)));
        }
    }
    Ok(())
}

struct TopResult;

impl Plugin for TopResult {
    fn router() -> Router {
        Router::new().command(&["top-result"], top_result)
    }
}

export_plugin!(TopResult, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_related_searches() {
        let json =
            r#"{"data":[{"t":1,"list":["a","b"]},{"t":0,"url":"https://x.example","title":"X"}]}"#;
        let response: SearchResponse = serde_json::from_str(json).unwrap();
        assert_eq!(
            top(response),
            Some(("X".into(), "https://x.example".into()))
        );
    }

    #[test]
    fn the_search_api_request_carries_the_api_token_and_the_trimmed_query() {
        let inv = crate::test_invocation(&["top-result"], &[("query", &["  rust lang "])]);
        let request = search_request(&Args::from_invocation(&inv).unwrap());
        assert_eq!(request.path(), "/api/v0/search");
        assert_eq!(request.query_value("q"), Some("rust lang"));
        assert_eq!(request.credential_used(), Some(Credential::Api));
    }

    #[test]
    fn a_blank_query_is_a_configuration_error() {
        let inv = crate::test_invocation(&["top-result"], &[("query", &["  "])]);
        let err = Args::from_invocation(&inv).err().unwrap();
        assert_eq!(err, Error::config("top-result needs a non-empty query"));
    }
}
