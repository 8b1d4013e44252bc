//! Shared renderers: JSON (pretty, compact, sorted keys), CSV, Markdown,
//! templates and ANSI styles. Every renderer returns a `String`; printing is
//! the caller's choice.

use crate::Error;
use serde::Serialize;

/// The output formats a command may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Pretty,
    Compact,
    Markdown,
    Csv,
}

impl Format {
    /// Parses a `--format` value (the host already restricted it to the manifest's values).
    pub fn parse(value: Option<&str>) -> Result<Format, Error> {
        Ok(match value.unwrap_or("json") {
            "json" => Format::Json,
            "pretty" => Format::Pretty,
            "compact" => Format::Compact,
            "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            other => return Err(Error::usage(format!("unknown format '{other}'"))),
        })
    }
}

/// Pretty JSON (two-space indent) with a trailing newline, in the value's own field order.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// Minified JSON with a trailing newline.
pub fn json_compact<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut s = serde_json::to_string(value)?;
    s.push('\n');
    Ok(s)
}

/// The value with object keys sorted at every level (for ad-hoc JSON shapes).
pub fn sorted<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, Error> {
    // serde_json's map is ordered by key unless `preserve_order` is enabled,
    // which this workspace never does; the round trip sorts every level.
    Ok(serde_json::to_value(value)?)
}

/// JSON in the format the user chose: compact for `compact`, pretty otherwise.
pub fn json_for<T: Serialize + ?Sized>(format: Format, value: &T) -> Result<String, Error> {
    match format {
        Format::Compact => json_compact(value),
        _ => json_pretty(value),
    }
}

/// One CSV field: quoted (with `"` doubled) only when it holds `"`, `,`, LF or CR.
pub fn csv_field(field: &str) -> String {
    if field.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One CSV row ending in LF.
pub fn csv_row<S: AsRef<str>>(fields: &[S]) -> String {
    let mut row = fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    row.push('\n');
    row
}

/// Replaces each `{{name}}` with its value, literally; unknown placeholders stay.
pub fn template(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// Text from a web page made safe to print: escape sequences (colours, cursor
/// and screen control, OSC clipboard/title/hyperlink, DCS and the like) are
/// removed whole, and so are other control characters and bidirectional
/// overrides; newlines and tabs stay. Human formats (pretty, Markdown, CSV,
/// templates) pass page-derived text through this; JSON keeps the data as it
/// came (its encoder escapes controls anyway).
pub fn strip_controls(text: &str) -> String {
    if !text.chars().any(kagi_manifest::is_terminal_control) {
        return text.to_string();
    }
    struct Plain(String);
    impl vte::Perform for Plain {
        fn print(&mut self, c: char) {
            if !kagi_manifest::is_terminal_control(c) {
                self.0.push(c);
            }
        }
        fn execute(&mut self, byte: u8) {
            if matches!(byte, b'\n' | b'\t') {
                self.0.push(char::from(byte));
            }
        }
    }
    let mut plain = Plain(String::with_capacity(text.len()));
    vte::Parser::new().advance(&mut plain, text.as_bytes());
    plain.0
}

/// A Markdown link, with brackets in the text escaped.
pub fn markdown_link(text: &str, url: &str) -> String {
    format!(
        "[{}]({})",
        text.replace('[', "\\[").replace(']', "\\]"),
        url.replace(' ', "%20")
    )
}

/// ANSI styling that is a no-op when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour when the host allows it (stdout is a terminal, no NO_COLOR) and
    /// the user did not pass `--no-color`.
    pub fn detect(no_color_flag: bool) -> Style {
        Style {
            color: !no_color_flag && crate::out::info().color,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn heading(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
    pub fn link(&self, text: &str) -> String {
        self.paint("36", text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    pub fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }
}

/// Wraps `text` to `width` columns (by characters), keeping words whole.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let width = width.max(indent.len() + 10);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.len() + line.chars().count() + 1 + word.chars().count() > width
        {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(
            csv_row(&["a", "b,c", "say \"hi\"", "x\ny"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\n"
        );
    }

    #[test]
    fn templates_replace_literally() {
        assert_eq!(
            template(
                "{{rank}}. {{title}} {{other}}",
                &[("rank", "1"), ("title", "T")]
            ),
            "1. T {{other}}"
        );
    }

    #[test]
    fn sorted_sorts_every_level() {
        #[derive(Serialize)]
        struct S {
            z: u8,
            a: Inner,
        }
        #[derive(Serialize)]
        struct Inner {
            y: u8,
            b: u8,
        }
        let v = sorted(&S {
            z: 1,
            a: Inner { y: 2, b: 3 },
        })
        .unwrap();
        assert_eq!(v.to_string(), r#"{"a":{"b":3,"y":2},"z":1}"#);
    }

    #[test]
    fn styles_are_plain_without_colour() {
        let plain = Style { color: false };
        assert_eq!(plain.heading("x"), "x");
        let color = Style { color: true };
        assert_eq!(color.link("u"), "\x1b[36mu\x1b[0m");
    }

    #[test]
    fn strips_escape_sequences_and_controls_from_page_text() {
        assert_eq!(strip_controls("plain — text\n\tok"), "plain — text\n\tok");
        assert_eq!(
            strip_controls(
                "a\x1b]52;c;aGk=\x07b\x1b]0;title\x1b\\c\x1b]8;;https://x.example\x1b\\d\x1b]8;;\x1b\\e"
            ),
            "abcde"
        );
        assert_eq!(
            strip_controls("\x1b[2J\x1b[H\x1b[1;31mred\x1b[0m \x1bP1$q\x1b\\x\x1b_apc\x1b\\y"),
            "red xy"
        );
        assert_eq!(
            strip_controls("cr\rbell\x07del\x7fc1\u{9b}2Jrlo\u{202e}x\u{2066}y"),
            "crbelldelc12Jrloxy"
        );
    }

    #[test]
    fn wraps_words() {
        assert_eq!(
            wrap("one two three four", 14, "  "),
            "  one two\n  three four\n"
        );
    }
}
