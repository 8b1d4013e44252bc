//! `kagi enrich web|news QUERY` (cli-surface §1.12, wire protocol §6.9).

use crate::answer;
use crate::fastgpt::Meta;
use kagi_plugin_sdk::http::{Request, Service, TimeoutClass};
use kagi_plugin_sdk::{Credential, Error, FromInvocation, Invocation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which index to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Web,
    News,
}

impl Index {
    fn path(self) -> &'static str {
        match self {
            Index::Web => "/api/v0/enrich/web",
            Index::News => "/api/v0/enrich/news",
        }
    }

    fn surface(self) -> &'static str {
        match self {
            Index::Web => "Enrich web",
            Index::News => "Enrich news",
        }
    }
}

/// The query of `enrich web` or `enrich news`, sent as given (not trimmed).
#[derive(Debug)]
pub struct Query(String);

impl FromInvocation for Query {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let query: String = inv.get("query")?;
        if query.trim().is_empty() {
            return Err(Error::config("enrich needs a non-empty query"));
        }
        Ok(Query(query))
    }
}

/// A search result (cli-surface §5.2), fields in this order.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub t: u8,
    pub rank: Option<u32>,
    pub url: String,
    pub title: String,
    #[serde(default)]
    pub snippet: String,
    pub published: Option<String>,
}

/// `{"meta":{...},"data":[<search result>]}`.
#[derive(Debug, Serialize, PartialEq)]
pub struct Results {
    pub meta: Meta,
    pub data: Vec<Item>,
}

/// The answer as sent: `data` may mix results with `t: 1` related
/// searches, which have no URL.
#[derive(Deserialize)]
struct Raw {
    meta: Meta,
    #[serde(default)]
    data: Option<Vec<Value>>,
}

pub fn request(index: Index, query: &Query) -> Request {
    Request::get(Service::Kagi, index.path())
        .query("q", &query.0)
        .credential(Credential::Api)
        .timeout(TimeoutClass::Standard)
}

pub fn run(index: Index, query: &Query) -> Result<Results, Error> {
    answer::require_api_token()?;
    let raw: Raw = answer::fetch(&request(index, query), index.surface())?;
    results(raw, index.surface())
}

/// The results of an answer, without the `t: 1` items.
fn results(raw: Raw, surface: &str) -> Result<Results, Error> {
    let mut data = Vec::new();
    for (i, item) in raw.data.unwrap_or_default().into_iter().enumerate() {
        if item.get("t").and_then(Value::as_u64) == Some(1) {
            continue;
        }
        let item = serde_json::from_value(item).map_err(|e| {
            Error::parse(format!(
                "failed to parse {surface} response: at `data[{i}]`: {e}"
            ))
        })?;
        data.push(item);
    }
    Ok(Results {
        meta: raw.meta,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Query {
        let inv = crate::test_invocation(&["enrich", "web"], &[("query", &[q])]);
        Query::from_invocation(&inv).unwrap()
    }

    #[test]
    fn the_query_is_sent_untrimmed_with_the_api_token() {
        let r = request(Index::News, &query("  local-first "));
        assert_eq!(r.path(), "/api/v0/enrich/news");
        assert_eq!(r.query_value("q"), Some("  local-first "));
        assert_eq!(r.credential_used(), Some(Credential::Api));
        assert_eq!(
            request(Index::Web, &query("x")).path(),
            "/api/v0/enrich/web"
        );
    }

    #[test]
    fn related_searches_are_skipped_and_results_keep_the_search_shape() {
        let body = br#"{"meta":{"id":"r","node":"n","ms":3},"data":[
            {"t":0,"rank":1,"url":"https://a.example/","title":"A","snippet":"s","published":"2024-01-01T00:00:00Z"},
            {"t":1,"list":["related one","related two"]},
            {"t":0,"url":"https://b.example/","title":"B"}]}"#;
        let raw: Raw =
            kagi_plugin_sdk::http::decode_api_json("Enrich web", 200, None, body).unwrap();
        let out = results(raw, "Enrich web").unwrap();
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            serde_json::json!({"meta":{"id":"r","node":"n","ms":3},"data":[
                {"t":0,"rank":1,"url":"https://a.example/","title":"A","snippet":"s","published":"2024-01-01T00:00:00Z"},
                {"t":0,"rank":null,"url":"https://b.example/","title":"B","snippet":"","published":null}]})
        );
    }

    #[test]
    fn a_result_without_a_url_is_a_parse_error_naming_it() {
        let raw: Raw = serde_json::from_str(
            r#"{"meta":{"id":"r","node":"n","ms":3},"data":[{"t":0,"title":"A"}]}"#,
        )
        .unwrap();
        let e = results(raw, "Enrich web").unwrap_err();
        assert_eq!(
            e.message,
            "failed to parse Enrich web response: at `data[0]`: missing field `url`"
        );
    }
}
