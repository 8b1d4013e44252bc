//! `kagi smallweb`: the Small Web Atom feed, returned verbatim (wire protocol §6.10).

use kagi_plugin_sdk::http::{Family, Request, Service};
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};
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

/// `kagi smallweb`'s arguments.
pub struct SmallWebArgs {
    limit: Option<u32>,
}

impl FromInvocation for SmallWebArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(SmallWebArgs {
            limit: inv.get_opt("limit")?,
        })
    }
}

pub fn run(args: SmallWebArgs) -> Result<FeedOutput, Error> {
    let body = request(args.limit)
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
        let inv = crate::test_invocation(&["smallweb"], &[("limit", &["5"])]);
        let with = request(SmallWebArgs::from_invocation(&inv).unwrap().limit);
        assert_eq!(with.service(), Some(Service::Kagi));
        assert_eq!(with.path(), "/api/v1/smallweb/feed/");
        assert_eq!(with.query_pairs(), [("limit".to_string(), "5".to_string())]);
        assert_eq!(with.credential_used(), None);
        let inv = crate::test_invocation(&["smallweb"], &[]);
        let without = request(SmallWebArgs::from_invocation(&inv).unwrap().limit);
        assert!(without.query_pairs().is_empty());
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
