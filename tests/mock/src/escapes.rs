//! A results page whose text carries terminal escape sequences, as a hostile
//! page could: a search whose query mentions [`QUERY`] gets one result whose
//! title, URL and snippet write the clipboard (OSC 52), set the window title
//! (OSC 0), open a hyperlink (OSC 8), clear the screen and move the cursor
//! (CSI), send a DCS request, and colour a word (SGR, the only harmless one).

use serde_json::{Value, json};

/// The word that selects this page.
pub const QUERY: &str = "terminalescapes";

pub const TITLE: &str = "Escapes\x1b]52;c;cHduZWQ=\x07 title\x1b]0;pwned\x07 \x1b[31mred\x1b[0m";
pub const URL: &str =
    "https://escapes.example/\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\";
pub const SNIPPET: &str = "Snippet\x1b[2J\x1b[H\x1b[3A moves\x1bP1$qm\x1b\\ dcs";

pub(crate) fn wanted(q: &str) -> bool {
    q.to_ascii_lowercase().contains(QUERY)
}

/// The Search API's `data` for the page.
pub(crate) fn api_results() -> Vec<Value> {
    vec![json!({"t": 0, "rank": 1, "url": URL, "title": TITLE, "snippet": SNIPPET})]
}
