//! Quick Answer's references: footnote lines `[^N]: [Title](URL) (NN%)` of
//! the message's `references_md` (wire protocol §6.5).

use serde::{Deserialize, Serialize};

/// One reference, `{index, title, domain?, url, contribution_pct?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub index: u32,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contribution_pct: Option<u32>,
}

/// Every footnote line of `markdown` that has the reference form; other
/// lines are skipped.
pub fn parse(markdown: &str) -> Vec<Reference> {
    markdown.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Reference> {
    let rest = line.trim().strip_prefix("[^")?;
    let (index, rest) = rest.split_once("]:")?;
    let index = index.trim().parse().ok()?;
    let rest = rest.trim_start().strip_prefix('[')?;
    let (title, rest) = rest.split_once("](")?;
    let (url, rest) = split_balanced(rest)?;
    let contribution_pct = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix("%)"))
        .and_then(|pct| pct.trim().parse().ok());
    Some(Reference {
        index,
        title: title.trim().to_string(),
        domain: host_of(url),
        url: url.to_string(),
        contribution_pct,
    })
}

/// Splits `url) rest` at the `)` that closes the link, so URLs with
/// parentheses (Wikipedia's) stay whole.
fn split_balanced(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some((&s[..i], &s[i + 1..])),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The host of an absolute http(s) URL, without credentials or port.
fn host_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host.split(':').next()?,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_index_title_url_domain_and_percentage() {
        let refs = parse(
            "[^1]: [Rust](https://www.rust-lang.org/) (26%)\n\
             not a reference\n\
             [^12]: [Rust (language) - Wikipedia](https://en.wikipedia.org/wiki/Rust_(programming_language)) (7%)\n\
             [^3]: [No pct](https://user@Example.com:8443/x)",
        );
        assert_eq!(
            refs,
            vec![
                Reference {
                    index: 1,
                    title: "Rust".into(),
                    domain: Some("www.rust-lang.org".into()),
                    url: "https://www.rust-lang.org/".into(),
                    contribution_pct: Some(26),
                },
                Reference {
                    index: 12,
                    title: "Rust (language) - Wikipedia".into(),
                    domain: Some("en.wikipedia.org".into()),
                    url: "https://en.wikipedia.org/wiki/Rust_(programming_language)".into(),
                    contribution_pct: Some(7),
                },
                Reference {
                    index: 3,
                    title: "No pct".into(),
                    domain: Some("example.com".into()),
                    url: "https://user@Example.com:8443/x".into(),
                    contribution_pct: None,
                },
            ]
        );
    }

    #[test]
    fn a_relative_url_has_no_domain_and_a_broken_line_is_skipped() {
        let refs =
            parse("[^1]: [Doc](/local) (5%)\n[^x]: [Bad](https://a.b)\n[^2]: [Open](https://a.b");
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].domain, None);
    }
}
