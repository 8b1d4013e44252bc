//! Keeping configured secrets (the session token, the API token) out of
//! everything a plugin receives, and out of everything it sends.
//!
//! A secret can travel in several spellings: as it is, percent-encoded (with
//! upper- or lower-case hex), form-encoded (`+` for space), JSON-escaped (with
//! or without `\/`) and HTML-escaped (a page showing a Session Link).
//! One multi-pattern matcher (aho-corasick) knows every spelling of every
//! secret. Inbound, matches are replaced by [`REDACTED`]; the body of a
//! response is redacted as a stream, holding back the few bytes at a chunk's
//! end that could be the start of a secret split across two chunks.
//! Outbound, a request carrying any spelling is refused before it is sent.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::sync::Arc;

/// What a secret is replaced with.
pub const REDACTED: &[u8] = b"[redacted]";

/// Every character but RFC 3986's unreserved ones.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The configured secrets, in every spelling, ready to search for.
#[derive(Default)]
pub struct Secrets {
    matcher: Option<AhoCorasick>,
    /// Which secret each pattern spells (for denial messages).
    owners: Vec<&'static str>,
    /// Every spelling, for telling whether a chunk ends inside one.
    patterns: Vec<Vec<u8>>,
    longest: usize,
}

impl Secrets {
    /// `secrets`: a description (`your session token`) and the value.
    pub fn new<'a>(secrets: impl IntoIterator<Item = (&'static str, &'a str)>) -> Secrets {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        for (what, value) in secrets {
            if value.is_empty() {
                continue;
            }
            for spelling in spellings(value) {
                if !patterns.iter().any(|p| p.eq_ignore_ascii_case(&spelling)) {
                    patterns.push(spelling);
                    owners.push(what);
                }
            }
        }
        if patterns.is_empty() {
            return Secrets::default();
        }
        let longest = patterns.iter().map(String::len).max().unwrap_or(0);
        // Case-insensitive: percent-encoding hex may come in either case (or
        // both, mixed); a token differing from a secret only in case is as
        // good as the secret to anyone trying to smuggle it.
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .expect("a handful of literal patterns always builds");
        Secrets {
            matcher: Some(matcher),
            owners,
            patterns: patterns.into_iter().map(String::into_bytes).collect(),
            longest,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.is_none()
    }

    /// Where the part of `buf` that could begin a secret (the next bytes
    /// completing it) starts: its length when no tail of it begins one. Only
    /// such a tail is held back, so a streamed answer is not held up by bytes
    /// that cannot be part of a secret.
    fn unfinished_from(&self, buf: &[u8]) -> usize {
        let from = buf.len().saturating_sub(self.longest.saturating_sub(1));
        (from..buf.len())
            .find(|&i| {
                let tail = &buf[i..];
                self.patterns
                    .iter()
                    .any(|p| p.len() > tail.len() && p[..tail.len()].eq_ignore_ascii_case(tail))
            })
            .unwrap_or(buf.len())
    }

    /// Which secret `bytes` contains, if any.
    pub fn find(&self, bytes: &[u8]) -> Option<&'static str> {
        let m = self.matcher.as_ref()?.find(bytes)?;
        Some(self.owners[m.pattern().as_usize()])
    }

    /// `bytes` with every secret replaced.
    pub fn redact(&self, bytes: &[u8]) -> Vec<u8> {
        let Some(matcher) = &self.matcher else {
            return bytes.to_vec();
        };
        let mut out = Vec::with_capacity(bytes.len());
        let mut pos = 0;
        for m in matcher.find_iter(bytes) {
            out.extend_from_slice(&bytes[pos..m.start()]);
            out.extend_from_slice(REDACTED);
            pos = m.end();
        }
        out.extend_from_slice(&bytes[pos..]);
        out
    }

    /// `text` with every secret replaced.
    pub fn redact_str(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        // Patterns and the replacement are ASCII, so UTF-8 survives.
        String::from_utf8_lossy(&self.redact(text.as_bytes())).into_owned()
    }
}

/// The spellings of one secret a plugin could receive or send.
fn spellings(value: &str) -> Vec<String> {
    let percent = utf8_percent_encode(value, URI_COMPONENT).to_string();
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let json = serde_json::to_string(value).expect("strings serialise");
    let json = json[1..json.len() - 1].to_string();
    let json_slashes = json.replace('/', "\\/");
    let html = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let mut all = vec![
        value.to_string(),
        percent,
        form,
        json,
        json_slashes,
        html.replace('\'', "&#39;"),
        html.replace('\'', "&#x27;"),
    ];
    all.dedup();
    all
}

/// Redacts a response body as it streams in.
pub struct StreamRedactor {
    secrets: Arc<Secrets>,
    /// Bytes held back: they could begin a secret the next chunk completes.
    carry: Vec<u8>,
}

impl StreamRedactor {
    pub fn new(secrets: Arc<Secrets>) -> StreamRedactor {
        StreamRedactor {
            secrets,
            carry: Vec::new(),
        }
    }

    /// The redacted bytes that are safe to hand over now (possibly none).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        let Some(matcher) = &self.secrets.matcher else {
            return chunk.to_vec();
        };
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(chunk);
        // A match starting before `cut` lies wholly inside `buf`; one starting
        // at or after it may still be growing, so those bytes wait.
        let cut = self.secrets.unfinished_from(&buf);
        let mut out = Vec::with_capacity(buf.len());
        let mut pos = 0;
        for m in matcher.find_iter(&buf) {
            if m.start() >= cut {
                break;
            }
            out.extend_from_slice(&buf[pos..m.start()]);
            out.extend_from_slice(REDACTED);
            pos = m.end();
        }
        let emit_to = pos.max(cut);
        out.extend_from_slice(&buf[pos..emit_to]);
        self.carry = buf.split_off(emit_to);
        out
    }

    /// The held-back bytes, redacted, at the end of the body.
    pub fn finish(&mut self) -> Vec<u8> {
        let rest = std::mem::take(&mut self.carry);
        self.secrets.redact(&rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "s3cr3t/Tok+en=ü";

    fn secrets() -> Arc<Secrets> {
        Arc::new(Secrets::new([
            ("your session token", TOKEN),
            ("your API token", "api-0123456789"),
        ]))
    }

    #[test]
    fn every_spelling_is_found_and_redacted() {
        let s = secrets();
        for text in [
            "s3cr3t/Tok+en=ü",
            "s3cr3t%2FTok%2Ben%3D%C3%BC",
            "s3cr3t%2fTok%2ben%3d%c3%bc",
            "s3cr3t%2FTok%2ben%3D%c3%BC",
            "s3cr3t%2FTok%2Ben%3D%C3%BC",
            "s3cr3t\\/Tok+en=ü",
            "API-0123456789",
        ] {
            let wrapped = format!("before {text} after");
            assert!(s.find(wrapped.as_bytes()).is_some(), "{text}");
            assert_eq!(s.redact_str(&wrapped), "before [redacted] after", "{text}");
        }
        assert_eq!(s.find(b"nothing here"), None);
        assert_eq!(
            s.find(b"x api-0123456789"),
            Some("your API token"),
            "the denial names the secret"
        );
    }

    #[test]
    fn form_encoding_spells_spaces_as_plus() {
        let s = Secrets::new([("t", "a b&c")]);
        assert_eq!(s.redact_str("q=a+b%26c"), "q=[redacted]");
        assert_eq!(s.redact_str("q=a%20b%26c"), "q=[redacted]");
    }

    #[test]
    fn html_escaping_is_a_spelling_too() {
        let s = Secrets::new([("t", "a&b'c\"d")]);
        assert_eq!(
            s.redact_str("v=\"a&amp;b&#39;c&quot;d\""),
            "v=\"[redacted]\""
        );
        assert_eq!(s.redact_str("a&amp;b&#x27;c&quot;d"), "[redacted]");
    }

    #[test]
    fn a_secret_split_across_chunks_is_still_redacted() {
        let s = secrets();
        let body = format!("<p>{TOKEN}</p><p>{TOKEN}</p>and more text");
        let bytes = body.as_bytes();
        // Every split point, and one byte at a time.
        for cut in 0..bytes.len() {
            let mut r = StreamRedactor::new(s.clone());
            let mut out = r.push(&bytes[..cut]);
            out.extend(r.push(&bytes[cut..]));
            out.extend(r.finish());
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "<p>[redacted]</p><p>[redacted]</p>and more text",
                "split at {cut}"
            );
        }
        let mut r = StreamRedactor::new(s.clone());
        let mut out: Vec<u8> = bytes.iter().flat_map(|b| r.push(&[*b])).collect();
        out.extend(r.finish());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<p>[redacted]</p><p>[redacted]</p>and more text"
        );
    }

    #[test]
    fn only_a_tail_that_could_begin_a_secret_is_held_back() {
        let mut r = StreamRedactor::new(secrets());
        // Nothing of this could begin a secret: all of it is handed over.
        assert_eq!(
            r.push(b"tokens.json:{\"text\":\"<p>Hi\"}\0\n"),
            b"tokens.json:{\"text\":\"<p>Hi\"}\0\n"
        );
        // `s3c` (any case) could: it waits for the next chunk.
        assert_eq!(r.push(b"more S3C"), b"more ");
        assert_eq!(r.push(b"r3t/Tok+en=\xc3\xbc!"), b"[redacted]!");
        assert_eq!(r.push(b"s3"), b"");
        assert_eq!(r.push(b"x"), b"s3x");
        assert_eq!(r.finish(), b"");
    }

    #[test]
    fn without_secrets_bytes_pass_unchanged() {
        let s = Arc::new(Secrets::new([]));
        assert!(s.is_empty());
        let mut r = StreamRedactor::new(s.clone());
        assert_eq!(r.push(b"abc"), b"abc");
        assert_eq!(r.finish(), b"");
        assert_eq!(s.redact_str("abc"), "abc");
    }
}
