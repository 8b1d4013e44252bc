//! Answer text for people: the partial HTML of a streamed answer
//! (`tokens.json` frames) reduced to readable text as it grows. Each
//! reduction of a longer prefix of the same HTML continues the reduction of
//! the shorter one (an unfinished tag or entity at the end is held back, and
//! trailing blank space is trimmed), so [`crate::stream::LiveText`] can print
//! it piece by piece.

/// Readable text of (possibly partial) HTML: paragraphs and headings apart
/// by a blank line, list items as `- ` lines, line breaks kept, other tags
/// dropped, common entities decoded.
pub fn html_to_text(html: &str) -> String {
    reduce(html, false)
}

/// Like [`html_to_text`], keeping emphasis and code as Markdown marks
/// (`**`, `*`, `` ` ``) and headings as `#` lines: for `--format markdown`.
pub fn html_to_markdown(html: &str) -> String {
    reduce(html, true)
}

fn reduce(html: &str, marks: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skipping: Option<&str> = None;
    while !rest.is_empty() {
        let Some(start) = rest.find(['<', '&']) else {
            if skipping.is_none() {
                out.push_str(rest);
            }
            break;
        };
        if skipping.is_none() {
            out.push_str(&rest[..start]);
        }
        let at = &rest[start..];
        if let Some(after) = at.strip_prefix('&') {
            // An entity: decoded once complete; an unfinished one waits.
            match at.find(';').filter(|&end| end <= 10) {
                Some(end) => {
                    if skipping.is_none() {
                        out.push_str(&entity(&at[..=end]));
                    }
                    rest = &at[end + 1..];
                }
                None if at.len() <= 10 && !after.contains(char::is_whitespace) => break,
                None => {
                    if skipping.is_none() {
                        out.push('&');
                    }
                    rest = after;
                }
            }
            continue;
        }
        let Some(end) = at.find('>') else { break };
        let tag = &at[1..end];
        rest = &at[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = skipping {
            if closing && name == until {
                skipping = None;
            }
            continue;
        }
        match (name.as_str(), closing) {
            ("script", false) => skipping = Some("script"),
            ("style", false) => skipping = Some("style"),
            ("p" | "div" | "ul" | "ol" | "pre" | "blockquote" | "table", _) => blank_line(&mut out),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                blank_line(&mut out);
                if marks {
                    let level = name[1..].parse::<usize>().unwrap_or(1);
                    out.push_str(&"#".repeat(level));
                    out.push(' ');
                }
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => blank_line(&mut out),
            ("br" | "tr", _) => out.push('\n'),
            ("li", false) => {
                new_line(&mut out);
                out.push_str("- ");
            }
            ("li", true) => new_line(&mut out),
            ("strong" | "b", _) if marks => out.push_str("**"),
            ("em" | "i", _) if marks => out.push('*'),
            ("code", _) if marks => out.push('`'),
            _ => {}
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    let leading = out.len() - out.trim_start().len();
    out.drain(..leading);
    out
}

fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn blank_line(out: &mut String) {
    if out.trim().is_empty() {
        return;
    }
    new_line(out);
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn entity(entity: &str) -> String {
    match entity {
        "&amp;" => "&".into(),
        "&lt;" => "<".into(),
        "&gt;" => ">".into(),
        "&quot;" => "\"".into(),
        "&#39;" | "&apos;" => "'".into(),
        "&nbsp;" => " ".into(),
        other => {
            let number = other
                .strip_prefix("&#x")
                .and_then(|h| u32::from_str_radix(h.trim_end_matches(';'), 16).ok())
                .or_else(|| {
                    other
                        .strip_prefix("&#")
                        .and_then(|d| d.trim_end_matches(';').parse().ok())
                });
            match number.and_then(char::from_u32) {
                Some(c) => c.to_string(),
                None => other.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_lists_and_entities_become_readable_text() {
        let html = "<p>Hello &amp; <strong>welcome</strong></p><ul><li>one</li><li>two</li></ul><h2>End</h2><p>a<br>b</p>";
        assert_eq!(
            html_to_text(html),
            "Hello & welcome\n\n- one\n- two\n\nEnd\n\na\nb"
        );
        assert_eq!(
            html_to_markdown(html),
            "Hello & **welcome**\n\n- one\n- two\n\n## End\n\na\nb"
        );
        assert_eq!(html_to_text("<script>x</script><p>&#233;&#x41;</p>"), "éA");
    }

    #[test]
    fn every_prefix_reduces_to_a_prefix_of_the_whole() {
        let html = "<p>Hello &amp; <em>welcome</em> to the mock.</p><ol><li>First</li><li>Second &lt;2&gt;</li></ol><p>Bye</p>";
        for render in [html_to_text, html_to_markdown] {
            let whole = render(html);
            for end in (0..=html.len()).filter(|&i| html.is_char_boundary(i)) {
                let part = render(&html[..end]);
                assert!(
                    whole.starts_with(&part),
                    "{part:?} is not a prefix of {whole:?}"
                );
            }
        }
    }
}
