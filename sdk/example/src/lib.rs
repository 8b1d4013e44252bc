//! An example third-party plugin: `kagi top-result QUERY` prints the first
//! result of a Search API query. It shows the whole plugin API in little
//! code: arguments from the manifest, a request with a credential the host
//! attaches, status handling, JSON decoding, output and errors.

use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};
use serde::Deserialize;

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

struct TopResult;

impl Plugin for TopResult {
    fn run(inv: Invocation) -> Result<(), Error> {
        let query = inv.value("query").unwrap_or_default().trim();
        if query.is_empty() {
            return Err(Error::config("top-result needs a non-empty query"));
        }
        let response: SearchResponse = Request::get(Service::Kagi, "/api/v0/search")
            .query("q", query)
            .credential(Credential::Api)
            .timeout(TimeoutClass::Search)
            .send()?
            .checked_json(Family::SearchApi, "Search API")?;
        match top(response) {
            Some((_, url)) if inv.flag("url-only") => out::println(&url),
            Some((title, url)) => out::println(&format!("{title}\n{url}")),
            None => return Err(Error::config(format!("no results for `{query}`"))),
        }
        Ok(())
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
}
