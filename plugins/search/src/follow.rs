//! `kagi search --follow N`: summaries of the top N results through the
//! subscriber summarizer (wire-protocol §6.7), fetched concurrently.

use crate::model::SearchResponse;
use crate::parse::{self, SUMMARIZER, Summary};
use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass, check_status, send_all};
use kagi_plugin_sdk::{Credential, Error};
use serde::Serialize;

pub fn request(url: &str) -> Request {
    Request::get(Service::Kagi, "/mother/summary_labs")
        .query("url", url)
        .query("stream", "1")
        .query("target_language", "")
        .query("summary_type", "article")
        .query("summary_length", "medium")
        .header("accept", "application/vnd.kagi.stream")
        .header("cache-control", "no-store")
        .credential(Credential::Session)
        .timeout(TimeoutClass::Streaming)
}

#[derive(Serialize)]
pub struct Followed {
    pub summary: Summary,
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct Output<'a> {
    pub query: &'a str,
    pub search: &'a SearchResponse,
    pub summaries: Vec<Followed>,
}

/// Summarises the first `n` results; the first failure fails the command.
pub fn summaries(search: &SearchResponse, n: usize) -> Result<Vec<Followed>, Error> {
    let top = &search.data[..n.min(search.data.len())];
    let requests: Vec<Request> = top.iter().map(|r| request(&r.url)).collect();
    let mut out = Vec::with_capacity(top.len());
    for (result, fetched) in top.iter().zip(send_all(&requests, 3)) {
        let (response, body) = fetched?;
        check_status(
            Family::SubscriberSummarizer,
            SUMMARIZER,
            response.status(),
            &body,
        )?;
        let summary = parse::summary_stream(&body).map_err(|e| {
            Error::new(
                e.class,
                format!("{} (summarising {})", e.message, result.url),
            )
        })?;
        out.push(Followed {
            summary,
            title: result.title.clone(),
            url: result.url.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_shape() {
        let dbg = format!("{:?}", super::request("https://a.example/x?y=1"));
        assert!(
            dbg.contains(r#"[("url", "https://a.example/x?y=1"), ("stream", "1"), ("target_language", ""), ("summary_type", "article"), ("summary_length", "medium")]"#),
            "{dbg}"
        );
        assert!(
            dbg.contains(r#"("accept", "application/vnd.kagi.stream")"#),
            "{dbg}"
        );
        assert!(dbg.contains("Credential::Session"), "{dbg}");
    }
}
