//! Small pieces every settings page reader needs: the drift error, CSS
//! selectors, cell text and yes/no cells.

use crate::Error;
use scraper::{ElementRef, Selector};

/// `<context>: <what>; Kagi's settings page may have changed`: a page whose
/// layout is not the one the plugin knows (a parse error, never a wrong
/// result). `context` says where (`lens list`, `bang custom get`).
pub fn drifted(context: &str, what: &str) -> Error {
    Error::parse(format!(
        "{context}: {what}; Kagi's settings page may have changed"
    ))
}

/// A selector the plugin wrote itself; an invalid one is a bug (panics).
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a static CSS selector")
}

/// An element's text with its white space collapsed to single spaces.
pub fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A yes/no cell's text: `yes`, `on`, `true` or `enabled` (any case) mean true.
pub fn toggle_on(text: &str) -> bool {
    ["yes", "on", "true", "enabled"]
        .iter()
        .any(|on| text.trim().eq_ignore_ascii_case(on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn drift_names_where_and_what() {
        assert_eq!(
            drifted("lens list", "no lens items found").to_string(),
            "parse error: lens list: no lens items found; Kagi's settings page may have changed"
        );
    }

    #[test]
    fn cell_text_is_collapsed_and_yes_cells_read_true() {
        let doc = Html::parse_fragment("<table><tr><td>\n  Google \n Search </td></tr></table>");
        let cell = doc.select(&selector("td")).next().unwrap();
        assert_eq!(text_of(cell), "Google Search");
        assert!(toggle_on(" Enabled ") && toggle_on("YES"));
        assert!(!toggle_on("Off") && !toggle_on(""));
    }
}
