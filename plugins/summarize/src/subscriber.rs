//! The subscriber summarizer, `GET {main}/mother/summary_labs` (wire
//! protocol §6.7, Sub-summ family): a Kagi stream whose `new_message.json`
//! frames carry the summary so far, the last one final. On a terminal the
//! text is printed as the frames arrive.

use crate::args::SubscriberOptions;
use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass, check_status, is_html_answer};
use kagi_plugin_sdk::stream::{Frame, FrameReader, LiveText};
use kagi_plugin_sdk::{Credential, Error};
use serde_json::Value;

pub const SURFACE: &str = "subscriber summarizer";

/// `{"meta":{"version"?,"trace"?},"data":{...}}` (cli-surface §5.2).
pub use kagi_plugin_sdk::summarizer::{Summary, SummaryData as Data, SummaryMeta as Meta};

/// The query in the order Kagi's web app sends it: the input, `stream`,
/// `target_language` (always, possibly empty), `summary_type`, `summary_length`.
pub fn request(input: (&str, &str), options: &SubscriberOptions) -> Request {
    Request::get(Service::Kagi, "/mother/summary_labs")
        .query(input.0, input.1)
        .query("stream", "1")
        .query("target_language", options.target_language.as_str())
        .query("summary_type", options.summary_type)
        .query("summary_length", options.length.as_str())
        .header("accept", "application/vnd.kagi.stream")
        .header("cache-control", "no-store")
        .credential(Credential::Session)
        .timeout(TimeoutClass::Streaming)
}

/// Sends `request` and reads its stream; with `live`, the summary's text is
/// printed to stdout as it grows.
pub fn fetch(request: &Request, live: bool) -> Result<Summary, Error> {
    let mut response = request.send()?;
    let status = response.status();
    if status != 200 {
        let body = response.bytes()?;
        check_status(Family::SubscriberSummarizer, SURFACE, status, &body)?;
    }
    let mut reader = FrameReader::new();
    let mut summary = Stream::new(live);
    let mut body = Vec::new();
    while let Some(chunk) = response.next_chunk()? {
        body.extend_from_slice(&chunk);
        // A web page where frames belong is the session refused: say so
        // before anything of it could be printed.
        if summary.message.is_none() && is_html_answer(&String::from_utf8_lossy(&body)) {
            body.extend(response.bytes()?);
            check_status(Family::SubscriberSummarizer, SURFACE, status, &body)?;
        }
        for frame in reader.push(&chunk) {
            summary.apply(frame)?;
        }
    }
    if let Some(frame) = reader.finish() {
        summary.apply(frame)?;
    }
    check_status(Family::SubscriberSummarizer, SURFACE, status, &body)?;
    summary.finish()
}

/// What the frames so far say, and the text shown as it grows (when live).
struct Stream {
    meta: Meta,
    message: Option<Value>,
    live: Option<LiveText>,
}

impl Stream {
    fn new(live: bool) -> Self {
        Stream {
            meta: Meta::default(),
            message: None,
            live: live.then(|| LiveText::new("Summarizing")),
        }
    }

    fn apply(&mut self, frame: Frame) -> Result<(), Error> {
        match frame.tag.as_str() {
            "hi" => {
                if let Some(meta) = Meta::from_hi(&frame.payload) {
                    self.meta = meta;
                }
            }
            "new_message.json" => {
                let message: Value = serde_json::from_str(&frame.payload)
                    .map_err(|e| Error::parse(format!("failed to parse {SURFACE} message: {e}")))?;
                if let Some(live) = &mut self.live
                    && text_field(&message, "state").as_deref() != Some("error")
                {
                    live.show(&shown_text(&message));
                }
                self.message = Some(message);
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Summary, Error> {
        let message = self.message.take().ok_or_else(|| {
            self.end_line();
            Error::parse(format!(
                "{SURFACE} response did not include a new_message.json frame"
            ))
        })?;
        let summary = summary(self.meta.clone(), &message);
        match &summary {
            // A summary that does not continue what is shown (Kagi rewrote
            // it) is printed whole on a new line.
            Ok(s) => self.live.as_mut().map(|live| live.finish(&s.data.markdown)),
            Err(_) => self.live.as_mut().map(LiveText::end_line),
        };
        summary
    }

    /// Ends the line the streamed text is on, if any.
    fn end_line(&mut self) {
        if let Some(live) = &mut self.live {
            live.end_line();
        }
    }
}

fn text_field(v: &Value, name: &str) -> Option<String> {
    v.get(name).and_then(Value::as_str).map(str::to_string)
}

/// The text a reader sees: the markdown, else the reply.
fn shown_text(message: &Value) -> String {
    text_field(message, "md")
        .filter(|md| !md.is_empty())
        .or_else(|| text_field(message, "reply"))
        .unwrap_or_default()
}

/// The final message as the summary; `state: "error"` is Kagi's failure.
fn summary(meta: Meta, m: &Value) -> Result<Summary, Error> {
    let required = |name: &str| {
        text_field(m, name).ok_or_else(|| {
            Error::parse(format!(
                "failed to parse {SURFACE} message: missing field `{name}`"
            ))
        })
    };
    let state = required("state")?;
    let reply = required("reply")?;
    if state == "error" {
        let reason = if reply.is_empty() {
            "no reason given"
        } else {
            &reply
        };
        return Err(Error::network(format!("Kagi {SURFACE} failed: {reason}")));
    }
    Ok(Summary {
        meta,
        data: Data {
            id: required("id")?,
            thread_id: required("thread_id")?,
            created_at: required("created_at")?,
            prompt: required("prompt")?,
            markdown: text_field(m, "md").unwrap_or_default(),
            metadata_html: text_field(m, "metadata").unwrap_or_default(),
            documents: m
                .get("documents")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            state,
            output: reply,
        },
    })
}

/// A complete body, as a cache or a test has it.
#[cfg(test)]
fn parse(body: &[u8]) -> Result<Summary, Error> {
    let mut stream = Stream::new(false);
    for frame in kagi_plugin_sdk::stream::frames(body) {
        stream.apply(frame)?;
    }
    stream.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::ErrorClass;

    const MESSAGE: &str = r#"{"id":"msg-1","thread_id":"thread-1","created_at":"2026-03-16T05:17:57Z","state":"done","prompt":"hello","reply":"<p>summary output</p>","md":"summary output","metadata":"<li>meta</li>","documents":[{"url":"https://example.com"}]}"#;

    #[test]
    fn the_query_keeps_the_wire_order_and_rides_on_the_session() {
        let options = SubscriberOptions {
            summary_type: "keypoints",
            length: "digest".into(),
            target_language: "JA".into(),
        };
        let r = request(("text", "hello world"), &options);
        let pairs: Vec<(&str, &str)> = r
            .query_pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("text", "hello world"),
                ("stream", "1"),
                ("target_language", "JA"),
                ("summary_type", "keypoints"),
                ("summary_length", "digest"),
            ]
        );
        assert_eq!(
            r.header_value("accept"),
            Some("application/vnd.kagi.stream")
        );
        assert_eq!(r.header_value("cache-control"), Some("no-store"));
        assert_eq!(r.credential_used(), Some(Credential::Session));
    }

    #[test]
    fn the_last_message_wins_and_hi_gives_the_meta() {
        let body = format!(
            "hi:{{\"v\":\"build\",\"trace\":\"t\"}}\0\nnew_message.json:{{\"state\":\"streaming\"}}\0\nnew_message.json:{MESSAGE}\0\n"
        );
        let s = parse(body.as_bytes()).unwrap();
        assert_eq!(s.meta.version.as_deref(), Some("build"));
        assert_eq!(s.data.output, "<p>summary output</p>");
        assert_eq!(s.data.markdown, "summary output");
        assert_eq!(s.data.metadata_html, "<li>meta</li>");
    }

    #[test]
    fn a_stream_without_a_message_or_with_an_error_state_fails() {
        let e = parse(b"hi:{}\0\n").unwrap_err();
        assert_eq!(e.class, ErrorClass::Parse);
        assert_eq!(
            e.message,
            "subscriber summarizer response did not include a new_message.json frame"
        );
        let e =
            parse(b"new_message.json:{\"state\":\"error\",\"reply\":\"Nope\"}\0\n").unwrap_err();
        assert_eq!(e.class, ErrorClass::Network);
        assert_eq!(e.message, "Kagi subscriber summarizer failed: Nope");
        let e = parse(b"new_message.json:{\"state\":\"done\",\"reply\":\"x\"}\0\n").unwrap_err();
        assert_eq!(
            e.message,
            "failed to parse subscriber summarizer message: missing field `id`"
        );
    }
}
