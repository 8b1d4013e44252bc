//! Human formats (cli-surface §5.3, §5.4): pretty, Markdown, CSV and templates
//! for web and news results. JSON is rendered by the SDK. Every function
//! returns the whole text, ending in a newline unless it is empty. Text that
//! came from a page is stripped of escape sequences and control characters
//! first: a result title must not be able to write the clipboard or clear the
//! screen.

use crate::model::{NewsResponse, SearchResult};
use kagi_plugin_sdk::render::{Format, Style, csv_row, markdown_link, strip_controls, template};

/// The results with every page-derived field made safe to print.
fn printable(results: &[SearchResult]) -> Vec<SearchResult> {
    results
        .iter()
        .map(|r| SearchResult {
            url: strip_controls(&r.url),
            title: strip_controls(&r.title),
            snippet: strip_controls(&r.snippet),
            published: r.published.as_deref().map(strip_controls),
            ..r.clone()
        })
        .collect()
}

/// The news results with every page-derived field made safe to print.
fn printable_news(news: &NewsResponse) -> NewsResponse {
    let mut news = news.clone();
    for item in news.clusters.iter_mut().flat_map(|c| c.items.iter_mut()) {
        item.title = strip_controls(&item.title);
        item.url = strip_controls(&item.url);
        for field in [&mut item.source, &mut item.time_relative, &mut item.snippet] {
            *field = field.as_deref().map(strip_controls);
        }
    }
    news
}

/// Web results as `format` (not JSON) or through `tpl`.
pub fn results(
    results: &[SearchResult],
    format: Format,
    tpl: Option<&str>,
    style: Style,
) -> String {
    if let Some(tpl) = tpl {
        return templated(results, tpl);
    }
    match format {
        Format::Pretty => pretty(results, style),
        Format::Markdown => markdown(results),
        Format::Csv => csv(results),
        Format::Json | Format::Compact => unreachable!("JSON is rendered by the caller"),
    }
}

pub fn pretty(results: &[SearchResult], style: Style) -> String {
    let results = printable(results);
    if results.is_empty() {
        return "No results found.\n".to_string();
    }
    let mut blocks = Vec::with_capacity(results.len());
    for (i, r) in results.iter().enumerate() {
        let mut block = format!(
            "{}\n   {}",
            style.heading(&format!("{}. {}", i + 1, r.title)),
            style.link(&r.url)
        );
        if !r.snippet.trim().is_empty() {
            block.push_str("\n\n   ");
            block.push_str(r.snippet.trim());
        }
        blocks.push(block);
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

pub fn markdown(results: &[SearchResult]) -> String {
    let results = printable(results);
    if results.is_empty() {
        return "# No results found.\n".to_string();
    }
    let mut blocks = Vec::with_capacity(results.len());
    for (i, r) in results.iter().enumerate() {
        let mut block = format!("## {}. {}\n", i + 1, markdown_link(&r.title, &r.url));
        if !r.snippet.trim().is_empty() {
            block.push('\n');
            block.push_str(r.snippet.trim());
            block.push('\n');
        }
        blocks.push(block);
    }
    blocks.join("\n")
}

pub fn csv(results: &[SearchResult]) -> String {
    let results = printable(results);
    let mut out = csv_row(&["title", "url", "snippet"]);
    for r in results {
        out.push_str(&csv_row(&[&r.title, &r.url, &r.snippet]));
    }
    out
}

/// One line per result; `{{rank}}` is the 1-based position shown.
pub fn templated(results: &[SearchResult], tpl: &str) -> String {
    let results = printable(results);
    let mut out = String::new();
    for (i, r) in results.iter().enumerate() {
        let rank = (i + 1).to_string();
        out.push_str(&template(
            tpl,
            &[
                ("rank", &rank),
                ("title", &r.title),
                ("url", &r.url),
                ("snippet", &r.snippet),
            ],
        ));
        out.push('\n');
    }
    out
}

/// News-tab results as `format` (not JSON).
pub fn news(news: &NewsResponse, format: Format, style: Style) -> String {
    match format {
        Format::Pretty => news_pretty(news, style),
        Format::Markdown => news_markdown(news),
        Format::Csv => news_csv(news),
        Format::Json | Format::Compact => unreachable!("JSON is rendered by the caller"),
    }
}

fn source_line(source: Option<&str>, time: Option<&str>) -> Option<String> {
    match (source, time) {
        (Some(s), Some(t)) => Some(format!("{s} · {t}")),
        (Some(x), None) | (None, Some(x)) => Some(x.to_string()),
        (None, None) => None,
    }
}

fn news_pretty(news: &NewsResponse, style: Style) -> String {
    let news = printable_news(news);
    if news.clusters.is_empty() {
        return "No news results found.\n".to_string();
    }
    let mut blocks = Vec::new();
    for (n, cluster) in news.clusters.iter().enumerate() {
        let mut block = style.dim(&format!("── Cluster {}", n + 1));
        for item in &cluster.items {
            block.push('\n');
            let paywall = if item.paywall { " [paywall]" } else { "" };
            match source_line(item.source.as_deref(), item.time_relative.as_deref()) {
                Some(line) => {
                    block.push_str(&style.dim(&format!("{line}{paywall}")));
                    block.push_str(&format!("\n  {}", style.heading(&item.title)));
                }
                None => block.push_str(&format!("{}{paywall}", style.heading(&item.title))),
            }
            block.push_str(&format!("\n  {}", style.link(&item.url)));
            if let Some(snippet) = item.snippet.as_deref().filter(|s| !s.trim().is_empty()) {
                block.push_str(&format!("\n  {}", snippet.trim()));
            }
        }
        blocks.push(block);
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn news_markdown(news: &NewsResponse) -> String {
    let news = printable_news(news);
    if news.clusters.is_empty() {
        return "# No news results found.\n".to_string();
    }
    let mut blocks = Vec::new();
    for (n, cluster) in news.clusters.iter().enumerate() {
        let mut block = format!("## Cluster {}\n\n", n + 1);
        for item in &cluster.items {
            block.push_str(&format!("- {}", markdown_link(&item.title, &item.url)));
            if let Some(line) = source_line(item.source.as_deref(), item.time_relative.as_deref()) {
                block.push_str(&format!(" — {}", line.replace(" · ", ", ")));
            }
            if item.paywall {
                block.push_str(" *(paywall)*");
            }
            block.push('\n');
            if let Some(snippet) = item.snippet.as_deref().filter(|s| !s.trim().is_empty()) {
                block.push_str(&format!("  {}\n", snippet.trim()));
            }
        }
        blocks.push(block);
    }
    blocks.join("\n")
}

fn news_csv(news: &NewsResponse) -> String {
    let news = printable_news(news);
    let mut out = csv_row(&[
        "cluster",
        "source",
        "time_relative",
        "title",
        "url",
        "paywall",
        "snippet",
    ]);
    for (n, cluster) in news.clusters.iter().enumerate() {
        for item in &cluster.items {
            out.push_str(&csv_row(&[
                (n + 1).to_string().as_str(),
                item.source.as_deref().unwrap_or(""),
                item.time_relative.as_deref().unwrap_or(""),
                &item.title,
                &item.url,
                if item.paywall { "true" } else { "false" },
                item.snippet.as_deref().unwrap_or(""),
            ]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewsCluster, NewsItem};

    fn sample() -> Vec<SearchResult> {
        vec![
            SearchResult::web(
                "https://a.example/".into(),
                "A, \"quoted\"".into(),
                "First.".into(),
            ),
            SearchResult::web("https://b.example/".into(), "B [x]".into(), "  ".into()),
        ]
    }

    #[test]
    fn pretty_plain_and_coloured() {
        let plain = pretty(&sample(), Style { color: false });
        assert_eq!(
            plain,
            "1. A, \"quoted\"\n   https://a.example/\n\n   First.\n\n2. B [x]\n   https://b.example/\n"
        );
        let coloured = pretty(&sample()[..1], Style { color: true });
        assert_eq!(
            coloured,
            "\x1b[1;34m1. A, \"quoted\"\x1b[0m\n   \x1b[36mhttps://a.example/\x1b[0m\n\n   First.\n"
        );
        assert_eq!(pretty(&[], Style { color: true }), "No results found.\n");
    }

    #[test]
    fn markdown_and_csv() {
        assert_eq!(
            markdown(&sample()),
            "## 1. [A, \"quoted\"](https://a.example/)\n\nFirst.\n\n## 2. [B \\[x\\]](https://b.example/)\n"
        );
        assert_eq!(markdown(&[]), "# No results found.\n");
        assert_eq!(
            csv(&sample()),
            "title,url,snippet\n\"A, \"\"quoted\"\"\",https://a.example/,First.\nB [x],https://b.example/,  \n"
        );
        assert_eq!(csv(&[]), "title,url,snippet\n");
    }

    #[test]
    fn templates() {
        assert_eq!(
            templated(&sample(), "{{rank}}|{{title}}|{{url}}|{{other}}"),
            "1|A, \"quoted\"|https://a.example/|{{other}}\n2|B [x]|https://b.example/|{{other}}\n"
        );
        assert_eq!(templated(&[], "{{url}}"), "");
    }

    #[test]
    fn page_text_loses_its_escape_sequences_in_every_human_format() {
        let hostile = vec![SearchResult::web(
            "https://a.example/\x1b]8;;https://evil.example\x07x".into(),
            "Title\x1b]52;c;aGk=\x07\x1b[2J\x1b[31m!\u{202e}".into(),
            "Snippet\x1b]0;pwned\x1b\\ ok\r".into(),
        )];
        let outputs = [
            pretty(&hostile, Style { color: false }),
            markdown(&hostile),
            csv(&hostile),
            templated(&hostile, "{{title}}|{{url}}|{{snippet}}"),
        ];
        for out in &outputs {
            assert!(!out.contains(['\x1b', '\x07', '\r', '\u{202e}']), "{out:?}");
        }
        assert_eq!(outputs[3], "Title!|https://a.example/x|Snippet ok\n");
        let news = NewsResponse {
            query: "q".into(),
            clusters: vec![NewsCluster {
                items: vec![NewsItem {
                    title: "T\x1b[H".into(),
                    url: "https://n.example/\x1b[1A".into(),
                    source: Some("s\x1bP1$q\x1b\\".into()),
                    time_relative: Some("now\x07".into()),
                    snippet: Some("x\x1b_apc\x1b\\".into()),
                    paywall: false,
                    image_url: None,
                }],
            }],
        };
        for format in [Format::Pretty, Format::Markdown, Format::Csv] {
            let out = super::news(&news, format, Style { color: false });
            assert!(!out.contains(['\x1b', '\x07']), "{out:?}");
        }
    }

    #[test]
    fn news_formats() {
        let n = NewsResponse {
            query: "q".into(),
            clusters: vec![NewsCluster {
                items: vec![
                    NewsItem {
                        title: "Lead".into(),
                        url: "https://cnn.example/lead".into(),
                        source: Some("cnn.com".into()),
                        time_relative: Some("2 hours ago".into()),
                        snippet: Some("Lead snippet.".into()),
                        paywall: true,
                        image_url: None,
                    },
                    NewsItem {
                        title: "Plain".into(),
                        url: "https://b.example/".into(),
                        source: None,
                        time_relative: None,
                        snippet: None,
                        paywall: false,
                        image_url: None,
                    },
                ],
            }],
        };
        let style = Style { color: false };
        assert_eq!(
            news_pretty(&n, style),
            "── Cluster 1\ncnn.com · 2 hours ago [paywall]\n  Lead\n  https://cnn.example/lead\n  Lead snippet.\nPlain\n  https://b.example/\n"
        );
        assert_eq!(
            news_markdown(&n),
            "## Cluster 1\n\n- [Lead](https://cnn.example/lead) — cnn.com, 2 hours ago *(paywall)*\n  Lead snippet.\n- [Plain](https://b.example/)\n"
        );
        assert_eq!(
            news_csv(&n),
            "cluster,source,time_relative,title,url,paywall,snippet\n1,cnn.com,2 hours ago,Lead,https://cnn.example/lead,true,Lead snippet.\n1,,,Plain,https://b.example/,false,\n"
        );
        let empty = NewsResponse::default();
        assert_eq!(news_pretty(&empty, style), "No news results found.\n");
        assert_eq!(news_markdown(&empty), "# No news results found.\n");
    }
}
