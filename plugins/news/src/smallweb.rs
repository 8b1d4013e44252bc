//! `kagi smallweb`: the Small Web Atom feed, returned verbatim (wire protocol §6.10).

use kagi_plugin_sdk::http::{Family, Request, Service};
use kagi_plugin_sdk::{Error, Invocation};
use serde::Serialize;

pub const SURFACE: &str = "Small Web feed";

#[derive(Debug, Serialize)]
pub struct FeedOutput {
    pub xml: String,
}

/// The trailing slash is part of the route.
pub fn request(limit: Option<u32>) -> Request {
    Request::get(Service::Kagi, "/api/v1/smallweb/feed/")
        .query_opt("limit", limit.map(|n| n.to_string()))
}

pub fn output(body: &[u8]) -> FeedOutput {
    FeedOutput {
        xml: String::from_utf8_lossy(body).into_owned(),
    }
}

pub fn run(inv: &Invocation) -> Result<FeedOutput, Error> {
    let limit = inv.parse::<u32>("limit")?;
    let body = request(limit)
        .send()?
        .checked_body(Family::SmallWeb, SURFACE)?;
    Ok(output(&body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::render::json_pretty;

    #[test]
    fn limit_is_sent_only_when_given() {
        let with = format!("{:?}", request(Some(5)));
        assert!(with.contains("\"/api/v1/smallweb/feed/\""), "{with}");
        assert!(with.contains("Kagi"), "{with}");
        assert!(with.contains("[(\"limit\", \"5\")]"), "{with}");
        assert!(with.contains("credential: None"), "{with}");
        let without = format!("{:?}", request(None));
        assert!(without.contains("query: []"), "{without}");
    }

    #[test]
    fn body_is_wrapped_verbatim() {
        let feed = "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Kagi Small Web</title>\n<entry><title>Post</title><link href=\"https://blog.example/post\"/></entry></feed>";
        let text = json_pretty(&output(feed.as_bytes())).unwrap();
        assert!(
            text.starts_with("{\n  \"xml\": \"<?xml version=\\\"1.0\\\""),
            "{text}"
        );
        assert!(text.ends_with("\"\n}\n"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["xml"], feed);
        assert_eq!(output(b"").xml, "");
    }
}
