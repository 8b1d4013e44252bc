//! Kagi's stream format (`application/vnd.kagi.stream`): frames `tag:payload`,
//! each ended by NUL + LF. [`FrameReader`] splits frames as chunks arrive, so
//! answers can be printed while they stream.
//!
//! For a streamed answer (Assistant, Quick Answer, the subscriber summarizer):
//! [`open`] sends the request and checks its status, [`FrameStream::next`]
//! yields frames as they arrive (turning the failure frames into errors),
//! [`message_failed`] reads a final message's error state, [`LiveText`] prints
//! the text as it grows on a terminal, and [`NdjsonEvents`] writes `--stream`
//! events for scripts. [`crate::answer_view`] puts these together into the
//! one way every answer command shows its answer.

use crate::Error;
use crate::http::{Family, Request, Response, check_status, html_text, is_html_answer};
use crate::out::{self, Progress};
use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;

/// One frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub tag: String,
    pub payload: String,
}

/// Accumulates chunks and yields complete frames.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: Vec<u8>,
}

impl FrameReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk and returns the frames it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Frame> {
        self.buffer.extend_from_slice(chunk);
        let mut frames = Vec::new();
        let mut start = 0;
        while let Some(pos) = self.buffer[start..].windows(2).position(|w| w == b"\0\n") {
            if let Some(frame) = parse_frame(&self.buffer[start..start + pos]) {
                frames.push(frame);
            }
            start += pos + 2;
        }
        self.buffer.drain(..start);
        frames
    }

    /// The last frame when the body ends without a terminator.
    pub fn finish(self) -> Option<Frame> {
        parse_frame(&self.buffer)
    }
}

/// Every frame of a complete body.
pub fn frames(body: &[u8]) -> Vec<Frame> {
    let mut reader = FrameReader::new();
    let mut frames = reader.push(body);
    frames.extend(reader.finish());
    frames
}

fn parse_frame(bytes: &[u8]) -> Option<Frame> {
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        return None;
    }
    let (tag, payload) = text.split_once(':')?;
    Some(Frame {
        tag: tag.trim().to_string(),
        payload: payload.to_string(),
    })
}

/// A response read frame by frame as its chunks arrive.
pub struct FrameStream {
    response: Response,
    reader: FrameReader,
    ready: VecDeque<Frame>,
    family: Family,
    surface: String,
    status: u16,
    limit_notice_prefix: String,
    /// The body until its first frame, to tell a web page from frames.
    head: Vec<u8>,
    saw_frame: bool,
    ended: bool,
}

/// Sends `request` and starts reading its stream. A status `family` refuses
/// is its error (the body read for the detail); `surface` names the endpoint
/// in messages, e.g. `assistant prompt`.
pub fn open(request: &Request, family: Family, surface: &str) -> Result<FrameStream, Error> {
    let mut response = request.send()?;
    let status = response.status();
    if status != 200 {
        let body = response.bytes()?;
        check_status(family, surface, status, &body)?;
    }
    Ok(FrameStream {
        response,
        reader: FrameReader::new(),
        ready: VecDeque::new(),
        family,
        surface: surface.to_string(),
        status,
        limit_notice_prefix: String::new(),
        head: Vec::new(),
        saw_frame: false,
        ended: false,
    })
}

impl FrameStream {
    /// Put before the text of a `limit_notice.html` frame in its
    /// configuration error (default none: `configuration error: Daily limit reached`).
    pub fn limit_notice_prefix(mut self, prefix: &str) -> Self {
        self.limit_notice_prefix = prefix.to_string();
        self
    }

    /// The next frame, as soon as its chunk has arrived; `None` at the end of
    /// the body. A web page instead of frames and the `unauthorized` frame
    /// are authentication errors, `limit_notice.html` a configuration error;
    /// a transport error is returned as it is.
    // Not an Iterator: a transport error mid-stream ends it with that error.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Frame>, Error> {
        loop {
            if let Some(frame) = self.ready.pop_front() {
                return self.checked(frame).map(Some);
            }
            if self.ended {
                return Ok(None);
            }
            match self.response.next_chunk()? {
                Some(chunk) => {
                    if !self.saw_frame {
                        self.head.extend_from_slice(&chunk);
                        self.refuse_a_web_page()?;
                    }
                    let frames = self.reader.push(&chunk);
                    self.take(frames);
                }
                None => {
                    self.ended = true;
                    if !self.saw_frame {
                        self.refuse_a_web_page()?;
                    }
                    let last = std::mem::take(&mut self.reader).finish();
                    self.take(last.into_iter().collect());
                }
            }
        }
    }

    fn take(&mut self, frames: Vec<Frame>) {
        if !frames.is_empty() {
            self.saw_frame = true;
            self.head = Vec::new();
        }
        self.ready.extend(frames);
    }

    /// A web page where frames belong is the session refused: said before
    /// anything of it could be taken for a frame.
    fn refuse_a_web_page(&mut self) -> Result<(), Error> {
        if is_html_answer(&String::from_utf8_lossy(&self.head)) {
            let mut body = std::mem::take(&mut self.head);
            body.extend(self.response.bytes()?);
            check_status(self.family, &self.surface, self.status, &body)?;
        }
        Ok(())
    }

    fn checked(&self, frame: Frame) -> Result<Frame, Error> {
        match frame.tag.as_str() {
            "unauthorized" => Err(Error::auth(format!(
                "invalid or expired Kagi session token: the {} answered `unauthorized`; {}",
                self.surface,
                kagi_protocol::Token::Session.renew()
            ))),
            "limit_notice.html" => Err(Error::config(format!(
                "{}{}",
                self.limit_notice_prefix,
                crate::http::collapse_whitespace(&html_text(&frame.payload))
            ))),
            _ => Ok(frame),
        }
    }
}

/// A final message's failure: `state: "error"` is a network error carrying
/// its `md` text, else its `reply` reduced to text.
pub fn message_failed(message: &Value) -> Result<(), Error> {
    if message.get("state").and_then(Value::as_str) != Some("error") {
        return Ok(());
    }
    let text = |name: &str| message.get(name).and_then(Value::as_str).unwrap_or("");
    let md = text("md").trim();
    let reason = if md.is_empty() {
        crate::http::collapse_whitespace(&html_text(text("reply")))
    } else {
        md.to_string()
    };
    Err(Error::network(if reason.is_empty() {
        "Kagi answered with an error and gave no reason".to_string()
    } else {
        reason
    }))
}

/// Text printed to stdout as it grows: each call to [`show`](Self::show)
/// gets the whole text so far and prints what it adds. Until the first text
/// the host shows a spinner on stderr (on a terminal only).
pub struct LiveText {
    render: fn(&str) -> String,
    printed: String,
    /// Printed with the first text.
    heading: Option<String>,
    spinner: Option<Progress>,
}

impl LiveText {
    /// Prints texts as given; `waiting` is the spinner's message.
    pub fn new(waiting: &str) -> Self {
        LiveText {
            render: |text| text.to_string(),
            printed: String::new(),
            heading: None,
            spinner: Some(Progress::spinner(waiting)),
        }
    }

    /// Prints each text through `render` (e.g. [`crate::answer::html_to_text`]
    /// for the partial HTML of `tokens.json` frames).
    pub fn rendered(mut self, render: fn(&str) -> String) -> Self {
        self.render = render;
        self
    }

    /// What has been printed so far.
    pub fn printed(&self) -> &str {
        &self.printed
    }

    /// Prints what `text` (rendered) adds to what is on screen. A text that
    /// does not continue it (the answer was rewritten) waits for [`finish`](Self::finish).
    pub fn show(&mut self, text: &str) {
        let rendered = (self.render)(text);
        self.print_growth(&rendered);
    }

    /// Puts `heading` (its lines ended) above the text, printed with the
    /// first of it: the spinner stays until there is text to show. Once
    /// text is shown it is too late for a heading: ignored.
    pub fn heading(&mut self, heading: &str) {
        if self.printed.is_empty() {
            self.heading = Some(heading.to_string());
        }
    }

    fn print_growth(&mut self, rendered: &str) {
        if rendered.len() <= self.printed.len() {
            return;
        }
        if let Some(added) = rendered.strip_prefix(self.printed.as_str()) {
            self.stop_spinner();
            if let Some(heading) = self.heading.take() {
                out::print(&heading);
            }
            out::print(added);
            self.printed = rendered.to_string();
        }
    }

    /// Shows `final_text` (as the user should see it, not rendered again):
    /// the rest of it when it continues what is on screen, else all of it
    /// on a new line; then ends the line.
    pub fn finish(&mut self, final_text: &str) {
        if final_text.starts_with(self.printed.as_str()) {
            self.print_growth(final_text);
        } else {
            self.end_line();
            self.stop_spinner();
            out::print(final_text);
            self.printed = final_text.to_string();
        }
        self.end_line();
    }

    /// Ends the line the text is on, if any, and stops the spinner: before
    /// an error, so that what was shown stays above it.
    pub fn end_line(&mut self) {
        self.stop_spinner();
        if !self.printed.is_empty() && !self.printed.ends_with('\n') {
            out::print("\n");
        }
        self.printed.clear();
    }

    fn stop_spinner(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish();
        }
    }
}

impl Drop for LiveText {
    fn drop(&mut self) {
        self.stop_spinner();
    }
}

/// `--stream` output for scripts: one NDJSON line per text delta,
/// `{"event":"delta","text":"…"}`, then the final object on the last line.
#[derive(Debug, Default)]
pub struct NdjsonEvents {
    sent: String,
}

#[derive(Serialize)]
struct Delta<'a> {
    event: &'static str,
    text: &'a str,
}

impl NdjsonEvents {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes what `text` (the whole text so far) adds as a delta event; a
    /// text that does not continue the one sent is left to the final object.
    pub fn text(&mut self, text: &str) {
        if let Some(added) = text.strip_prefix(self.sent.as_str())
            && !added.is_empty()
        {
            let line = serde_json::to_string(&Delta {
                event: "delta",
                text: added,
            })
            .expect("a delta serialises");
            out::println(&line);
            self.sent = text.to_string();
        }
    }

    /// Writes the final object, compact, on the last line.
    pub fn finish<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        out::println(&serde_json::to_string(value)?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_state_fails_with_the_markdown_else_the_reply_text() {
        use serde_json::json;
        assert!(message_failed(&json!({"state": "done", "md": "x"})).is_ok());
        let e =
            message_failed(&json!({"state": "error", "md": " Too long. ", "reply": "<p>r</p>"}));
        let e = e.unwrap_err();
        assert_eq!(
            (e.class, e.message.as_str()),
            (crate::ErrorClass::Network, "Too long.")
        );
        let e =
            message_failed(&json!({"state": "error", "md": "", "reply": "<p>No <b>way</b></p>"}));
        assert_eq!(e.unwrap_err().message, "No way");
        let e = message_failed(&json!({"state": "error"}));
        assert_eq!(
            e.unwrap_err().message,
            "Kagi answered with an error and gave no reason"
        );
    }

    #[test]
    fn splits_frames_across_chunks() {
        let mut r = FrameReader::new();
        assert!(r.push(b"hi:{\"v\":1}\0").is_empty());
        let f = r.push(b"\nok:null\0\nnoise\0\n  \0\nnew_message.json:{\"a\":\"b:c\"}");
        assert_eq!(
            f,
            vec![
                Frame {
                    tag: "hi".into(),
                    payload: "{\"v\":1}".into()
                },
                Frame {
                    tag: "ok".into(),
                    payload: "null".into()
                },
            ]
        );
        assert_eq!(r.finish().unwrap().payload, "{\"a\":\"b:c\"}");
        assert_eq!(frames(b"a:1\0\nb:2\0\n").len(), 2);
    }
}
