//! What an error body says, briefly, for the end of an error message (wire
//! protocol §4.3, "How error-body suffixes are built").

/// The longest detail, in characters, before it is cut with `...`.
pub const MAX_DETAIL_CHARS: usize = 500;

/// What an error body says, briefly: Kagi's `error[0].msg`, compact JSON, the
/// text of an HTML page, or the whitespace-collapsed body; at most 500 chars.
pub fn error_detail(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    let detail = if let Ok(value) = serde_json::from_str::<serde_json::Value>(trimmed) {
        match kagi_error(&value)
            .and_then(|e| e.get("msg"))
            .and_then(|m| m.as_str())
        {
            Some(msg) => msg.to_string(),
            None => value.to_string(),
        }
    } else if looks_like_html(trimmed) {
        collapse_whitespace(&html_text(trimmed))
    } else {
        collapse_whitespace(trimmed)
    };
    truncate_chars(&detail, MAX_DETAIL_CHARS)
}

/// The `msg` of the first entry of a Kagi API error body
/// (`{"error":[{"code":…,"msg":"…"}]}`), if the body is one.
pub fn api_error_message(body: &[u8]) -> Option<String> {
    let value = parse_json(body)?;
    kagi_error(&value)?.get("msg")?.as_str().map(str::to_string)
}

/// Whether a Kagi API refusal means the account ran out of API credit:
/// HTTP 402, error code 101, or Kagi's "insufficient credit" wording.
pub fn is_out_of_credit(status: u16, body: &[u8]) -> bool {
    if status == 402 {
        return true;
    }
    let code_101 = parse_json(body)
        .and_then(|v| kagi_error(&v).and_then(|e| e.get("code")?.as_i64()))
        == Some(101);
    code_101
        || String::from_utf8_lossy(body)
            .to_ascii_lowercase()
            .contains("insufficient credit")
}

fn parse_json(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_str(String::from_utf8_lossy(body).trim()).ok()
}

/// The first entry of Kagi's `error` array.
fn kagi_error(value: &serde_json::Value) -> Option<&serde_json::Value> {
    value.pointer("/error/0")
}

/// Whether text starts like an HTML document (within its first 200 chars,
/// any case).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html")
}

/// The visible text of an HTML fragment, for error messages only: drops tags,
/// scripts and styles and decodes the common entities.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        let lower: String = tag.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            tag.to_ascii_lowercase().find("</script>").map(|i| i + 9)
        } else if lower.starts_with("<style") {
            tag.to_ascii_lowercase().find("</style>").map(|i| i + 8)
        } else {
            tag.find('>').map(|i| i + 1)
        };
        match skip_to {
            Some(n) => {
                out.push(' ');
                rest = &tag[n..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// Runs of whitespace become one space; the ends are trimmed.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` chars, then `...` if anything was cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_brief() {
        assert_eq!(
            error_detail(
                b"<html><body><p>Rate   limited</p><script>x()</script> Retry later</body></html>"
            ),
            "Rate limited Retry later"
        );
        assert_eq!(error_detail(br#"{"b":1,"a":2}"#), r#"{"a":2,"b":1}"#);
        let long = "x".repeat(600);
        assert_eq!(error_detail(long.as_bytes()).len(), 503);
        assert_eq!(error_detail(b" \n "), "");
        assert_eq!(error_detail(b"too   many\nrequests"), "too many requests");
    }

    #[test]
    fn kagi_api_errors_give_their_first_message() {
        let body = br#"{"meta":{"id":"abc"},"data":null,"error":[{"code":101,"msg":"Insufficient credit to perform this request.","ref":null},{"msg":"second"}]}"#;
        assert_eq!(
            error_detail(body),
            "Insufficient credit to perform this request."
        );
        assert_eq!(
            api_error_message(body).as_deref(),
            Some("Insufficient credit to perform this request.")
        );
        assert_eq!(api_error_message(br#"{"data":[]}"#), None);
        assert_eq!(api_error_message(b"<html>Invalid token</html>"), None);
    }

    #[test]
    fn out_of_credit_is_402_code_101_or_the_wording() {
        assert!(is_out_of_credit(402, b""));
        assert!(is_out_of_credit(
            400,
            br#"{"error":[{"code":101,"msg":"Insufficient credit to perform this request."}]}"#
        ));
        assert!(is_out_of_credit(400, br#"{"error":[{"code":101}]}"#));
        assert!(is_out_of_credit(403, b"INSUFFICIENT CREDIT"));
        assert!(!is_out_of_credit(
            401,
            br#"{"error":[{"code":401,"msg":"Invalid token"}]}"#
        ));
    }

    #[test]
    fn cutting_counts_characters_not_bytes() {
        assert_eq!(truncate_chars("ééé", 2), "éé...");
        assert_eq!(truncate_chars("éé", 2), "éé");
    }
}
