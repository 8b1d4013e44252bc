//! multipart/form-data bodies (RFC 7578), built by the host so that a plugin
//! cannot get the framing wrong and a file the user named need not pass
//! through the plugin. The boundary is random and checked against every
//! part, so no part can end the body early or forge another part.

/// One part, ready to be framed.
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub data: &'a [u8],
}

/// A built body and the Content-Type header that goes with it.
pub struct Body {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Frames `parts`, with a fresh boundary that occurs in none of them.
pub fn encode(parts: &[Part<'_>]) -> Body {
    let boundary = loop {
        let candidate = random_boundary();
        if !parts.iter().any(|p| contains(p, candidate.as_bytes())) {
            break candidate;
        }
    };
    encode_with(parts, &boundary)
}

fn encode_with(parts: &[Part<'_>], boundary: &str) -> Body {
    let size: usize = parts.iter().map(|p| p.data.len() + 200).sum();
    let mut bytes = Vec::with_capacity(size + boundary.len() + 8);
    for part in parts {
        bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!(
            "Content-Disposition: form-data; name=\"{}\"",
            quoted(part.name)
        );
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{}\"", quoted(filename)));
        }
        bytes.extend_from_slice(disposition.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        if let Some(content_type) = part.content_type {
            bytes.extend_from_slice(
                format!("Content-Type: {}\r\n", header_value(content_type)).as_bytes(),
            );
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(part.data);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Body {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        bytes,
    }
}

/// `kagi-` and 32 random hex digits (128 bits).
fn random_boundary() -> String {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).expect("the system's random source works");
    format!("kagi-{}", hex::encode(raw))
}

fn contains(part: &Part<'_>, needle: &[u8]) -> bool {
    let found = |hay: &[u8]| memchr::memmem::find(hay, needle).is_some();
    found(part.data)
        || found(part.name.as_bytes())
        || part.filename.is_some_and(|f| found(f.as_bytes()))
        || part.content_type.is_some_and(|c| found(c.as_bytes()))
}

/// A name or file name inside double quotes, escaped as browsers do (the
/// HTML standard): `"` and line breaks percent-encoded, so a name cannot
/// close the quote or start a header of its own.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value without control characters (which could start a header of
/// its own).
fn header_value(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_fields_and_files_as_rfc_7578_says() {
        let parts = [
            Part {
                name: "note",
                filename: None,
                content_type: None,
                data: b"hello",
            },
            Part {
                name: "attach",
                filename: Some("a.txt"),
                content_type: Some("text/plain"),
                data: b"line\r\n",
            },
        ];
        let body = encode_with(&parts, "B");
        assert_eq!(body.content_type, "multipart/form-data; boundary=B");
        assert_eq!(
            String::from_utf8(body.bytes).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--B\r\nContent-Disposition: form-data; name=\"attach\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nline\r\n\r\n--B--\r\n"
        );
    }

    #[test]
    fn names_cannot_break_out_of_their_header() {
        let parts = [Part {
            name: "a\"\r\nX-Evil: 1",
            filename: Some("b\".txt"),
            content_type: Some("text/plain\r\nX-Evil: 2"),
            data: b"",
        }];
        let text = String::from_utf8(encode_with(&parts, "B").bytes).unwrap();
        assert!(text.contains("name=\"a%22%0D%0AX-Evil: 1\"; filename=\"b%22.txt\"\r\nContent-Type: text/plainX-Evil: 2\r\n"), "{text}");
    }

    #[test]
    fn the_boundary_is_fresh_and_occurs_in_no_part() {
        let a = encode(&[]);
        let b = encode(&[]);
        assert_ne!(a.content_type, b.content_type);
        let boundary = a.content_type.rsplit('=').next().unwrap().to_string();
        assert!(
            boundary.starts_with("kagi-") && boundary.len() == 37,
            "{boundary}"
        );
        let data = format!("--{boundary}--");
        let parts = [Part {
            name: "x",
            filename: None,
            content_type: None,
            data: data.as_bytes(),
        }];
        let body = encode(&parts);
        assert!(!body.content_type.ends_with(&boundary));
    }
}
