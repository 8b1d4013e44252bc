//! The shapes this plugin prints (cli-surface §5.2). Search results keep
//! their declaration order; ad-hoc envelopes are sorted by key when rendered.

use serde::{Deserialize, Serialize};

/// One web result. `rank` and `published` are always present, `null` when
/// unknown (the HTML path never knows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub t: u8,
    pub rank: Option<u32>,
    pub url: String,
    pub title: String,
    pub snippet: String,
    pub published: Option<String>,
}

impl SearchResult {
    /// A result scraped from a page: type 0, no rank or date.
    pub fn web(url: String, title: String, snippet: String) -> Self {
        SearchResult {
            t: 0,
            rank: None,
            url,
            title,
            snippet,
            published: None,
        }
    }
}

/// `kagi search` output: `{"data": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub data: Vec<SearchResult>,
}

/// One item of the news tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    pub title: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_relative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    pub paywall: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// Stories Kagi groups together; a lone item is a cluster of one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsCluster {
    pub items: Vec<NewsItem>,
}

/// `kagi search --news` output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsResponse {
    pub query: String,
    pub clusters: Vec<NewsCluster>,
}

impl NewsResponse {
    /// Keeps the first `limit` items across clusters, dropping emptied clusters.
    pub fn truncate(&mut self, limit: usize) {
        let mut left = limit;
        for cluster in &mut self.clusters {
            cluster.items.truncate(left);
            left -= cluster.items.len();
        }
        self.clusters.retain(|c| !c.items.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_declaration_order_and_nulls() {
        let r = SearchResponse {
            data: vec![SearchResult::web("u".into(), "T".into(), String::new())],
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"data":[{"t":0,"rank":null,"url":"u","title":"T","snippet":"","published":null}]}"#
        );
    }

    #[test]
    fn news_truncation_spans_clusters() {
        let item = |t: &str| NewsItem {
            title: t.into(),
            url: format!("https://x/{t}"),
            source: None,
            time_relative: None,
            snippet: None,
            paywall: false,
            image_url: None,
        };
        let mut n = NewsResponse {
            query: "q".into(),
            clusters: vec![
                NewsCluster {
                    items: vec![item("a"), item("b")],
                },
                NewsCluster {
                    items: vec![item("c")],
                },
                NewsCluster {
                    items: vec![item("d")],
                },
            ],
        };
        n.truncate(3);
        assert_eq!(n.clusters.len(), 2);
        assert_eq!(n.clusters[1].items[0].title, "c");
        assert_eq!(
            serde_json::to_string(&n.clusters[1].items[0]).unwrap(),
            r#"{"title":"c","url":"https://x/c","paywall":false}"#
        );
    }
}
