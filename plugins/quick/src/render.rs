//! Quick Answer for people (cli-surface §5.3): `pretty` is the answer as
//! plain text, its references and the follow-up questions under headings;
//! `markdown` is Kagi's own markdown of each.

use crate::answer::Quick;
use kagi_plugin_sdk::answer::html_to_text;
use kagi_plugin_sdk::answer_view::HumanAnswer;
use kagi_plugin_sdk::render::{Format, Style, strip_controls};

pub const ANSWER_HEADING: &str = "Quick Answer";

/// The whole pretty text, ending in a newline.
pub fn pretty(quick: &Quick, style: Style) -> String {
    let answer = format!("{}\n{}", style.heading(ANSWER_HEADING), answer_text(quick));
    format!(
        "{}\n",
        [answer, after_answer(quick, style)].join("\n\n").trim_end()
    )
}

/// The sections after the answer (references, follow-up questions), blank
/// line separated; empty when there are none.
pub fn after_answer(quick: &Quick, style: Style) -> String {
    let mut sections = Vec::new();
    if !quick.references.items.is_empty() {
        let mut s = style.heading("References");
        for r in &quick.references.items {
            let pct = r
                .contribution_pct
                .map(|p| format!(" ({p}%)"))
                .unwrap_or_default();
            s.push_str(&format!(
                "\n{}. {}{pct}\n   {}",
                r.index,
                strip_controls(&r.title),
                style.link(&strip_controls(&r.url))
            ));
        }
        sections.push(s);
    }
    if !quick.followup_questions.is_empty() {
        sections.push(followups(&style.heading("Follow-up Questions"), quick));
    }
    sections.join("\n\n")
}

fn followups(heading: &str, quick: &Quick) -> String {
    let mut s = heading.to_string();
    for q in &quick.followup_questions {
        s.push_str(&format!("\n- {}", strip_controls(q)));
    }
    s
}

/// The answer as plain text: the markdown without footnotes, emphasis and
/// code marks; the HTML reduced to text when there is no markdown.
pub fn answer_text(quick: &Quick) -> String {
    let md = quick.message.markdown.trim();
    let text = if md.is_empty() {
        html_to_text(&quick.message.html)
    } else {
        plain(md)
    };
    strip_controls(text.trim())
}

/// The answer text on a terminal that streamed it: the HTML's text, which
/// continues what the `tokens.json` frames showed (the markdown need not).
pub fn streamed_answer_text(quick: &Quick) -> String {
    if quick.message.html.trim().is_empty() {
        answer_text(quick)
    } else {
        strip_controls(html_to_text(&quick.message.html).trim())
    }
}

/// Markdown to plain text: footnote lines and `[^N]` markers dropped, `**`,
/// `__` and backticks stripped, spaces before punctuation removed, runs of
/// blank lines collapsed to one.
fn plain(md: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in md.lines() {
        if line.trim_start().starts_with("[^") && line.contains("]:") {
            continue;
        }
        let line = drop_markers(line)
            .replace("**", "")
            .replace("__", "")
            .replace('`', "");
        let line = tidy_spaces(&line);
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    lines.join("\n").trim().to_string()
}

/// Removes footnote markers like `[^12]`.
fn drop_markers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("[^") {
        let after = &rest[start + 2..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(']') {
            out.push_str(&rest[..start]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..start + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Collapses runs of spaces and removes those before punctuation.
fn tidy_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.trim_end().chars() {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')')
            && out.ends_with(' ')
            && !out.trim().is_empty()
        {
            out.pop();
        }
        out.push(c);
    }
    out
}

/// Kagi's markdown: the answer, the references, then the follow-up
/// questions; ending in a newline.
pub fn markdown(quick: &Quick) -> String {
    let mut sections = Vec::new();
    for text in [&quick.message.markdown, &quick.references.markdown] {
        if !text.trim().is_empty() {
            sections.push(strip_controls(text.trim()));
        }
    }
    if !quick.followup_questions.is_empty() {
        sections.push(followups("## Follow-up Questions", quick));
    }
    format!("{}\n", sections.join("\n\n"))
}

impl HumanAnswer for Quick {
    fn whole(&self, format: Format, style: Style) -> String {
        match format {
            Format::Markdown => markdown(self),
            _ => pretty(self, style),
        }
    }

    fn final_text(&self, _: Format) -> String {
        streamed_answer_text(self)
    }

    fn after_text(&self, _: Format, style: Style) -> String {
        match after_answer(self, style) {
            rest if rest.is_empty() => String::new(),
            rest => format!("\n{rest}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_footnotes_marks_and_stray_spaces() {
        assert_eq!(
            plain(
                "**Rust** is fast [^1] and `safe` , mostly [^2].\n\n\n\n__Done__ !\n[^1]: [A](https://a.b) (5%)"
            ),
            "Rust is fast and safe, mostly.\n\nDone!"
        );
    }

    #[test]
    fn an_unfinished_marker_is_kept() {
        assert_eq!(drop_markers("a [^x] b [^1]"), "a [^x] b ");
    }
}
