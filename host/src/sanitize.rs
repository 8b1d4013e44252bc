//! Keeping plugin-written text from taking over the user's terminal.
//!
//! Two tools: [`escape_for_display`] for plugin text the host prints itself
//! (names, descriptions, error and progress messages), which shows every
//! control character as a visible escape; and [`TerminalFilter`] for a
//! plugin's own output when it goes to a terminal, which keeps text,
//! newlines, tabs and colours (SGR) and drops every other control: OSC
//! (clipboard, window title, hyperlinks), cursor and screen control, DCS, APC,
//! PM and SOS strings. Piped output is never filtered.

use kagi_manifest::is_terminal_control;
use std::fmt::Write as _;

/// `text` with each control character (C0 including newline and tab, DEL,
/// C1, bidirectional overrides) shown as `\n`, `\t`, `\r` or `\u{1b}`.
pub fn escape_for_display(text: &str) -> String {
    escape(text, false)
}

/// Like [`escape_for_display`] but keeps line breaks and tabs, for
/// multi-line text such as help.
pub fn escape_keeping_lines(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, keep_lines: bool) -> String {
    if !text.chars().any(is_terminal_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_terminal_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// [`escape_for_display`], cut to at most `max` characters (with `…`).
pub fn escape_and_cap(text: &str, max: usize) -> String {
    let escaped = escape_for_display(text);
    if escaped.chars().count() <= max {
        return escaped;
    }
    let mut cut: String = escaped.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A streaming filter for plugin output bound for a terminal. It keeps its
/// parser state between writes, so a sequence split across two writes is
/// still recognised and dropped whole.
#[derive(Default)]
pub struct TerminalFilter {
    parser: vte::Parser,
}

impl TerminalFilter {
    pub fn new() -> TerminalFilter {
        TerminalFilter::default()
    }

    /// Appends to `out` what of `bytes` may reach the terminal.
    pub fn filter(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        self.parser.advance(&mut Keep { out }, bytes);
    }
}

/// Receives what the parser recognised and writes back only the safe parts.
struct Keep<'a> {
    out: &'a mut Vec<u8>,
}

impl vte::Perform for Keep<'_> {
    fn print(&mut self, c: char) {
        // The parser hands DEL over as a printable character.
        if c.is_control() {
            return;
        }
        let mut buf = [0; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn execute(&mut self, byte: u8) {
        if matches!(byte, b'\n' | b'\t') {
            self.out.push(byte);
        }
    }

    fn csi_dispatch(
        &mut self,
        params: &vte::Params,
        intermediates: &[u8],
        ignore: bool,
        action: char,
    ) {
        // Only Select Graphic Rendition (colours, bold…): `ESC [ n;n… m`,
        // without private markers or intermediates.
        if action != 'm' || ignore || !intermediates.is_empty() {
            return;
        }
        self.out.extend_from_slice(b"\x1b[");
        for (i, param) in params.iter().enumerate() {
            if i > 0 {
                self.out.push(b';');
            }
            for (j, sub) in param.iter().enumerate() {
                if j > 0 {
                    self.out.push(b':');
                }
                self.out.extend_from_slice(sub.to_string().as_bytes());
            }
        }
        self.out.push(b'm');
    }

    // OSC, DCS (hook/put/unhook), ESC sequences and SOS/PM/APC strings are
    // dropped: the default methods do nothing.
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtered(writes: &[&[u8]]) -> String {
        let mut filter = TerminalFilter::new();
        let mut out = Vec::new();
        for w in writes {
            filter.filter(w, &mut out);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_every_control_character_visibly() {
        assert_eq!(escape_for_display("plain text ✓"), "plain text ✓");
        assert_eq!(
            escape_for_display("a\x1b]52;c;aGk=\x07b\r\n\t\u{9b}\u{202e}\u{7f}"),
            "a\\u{1b}]52;c;aGk=\\u{7}b\\r\\n\\t\\u{9b}\\u{202e}\\u{7f}"
        );
        assert_eq!(
            escape_keeping_lines("one\n\ttwo\x1b[2J"),
            "one\n\ttwo\\u{1b}[2J"
        );
    }

    #[test]
    fn caps_escaped_text() {
        assert_eq!(escape_and_cap("short", 10), "short");
        assert_eq!(escape_and_cap("abcdefghijkl", 5), "abcd…");
        // The escape counts towards the cap: what is shown is bounded.
        assert_eq!(escape_and_cap("\x1b\x1b\x1b", 8), "\\u{1b}\\…");
    }

    #[test]
    fn keeps_text_newlines_tabs_and_colours() {
        assert_eq!(
            filtered(&[b"plain \xc3\xa9\n\tindented \x1b[1;31mred\x1b[0m \x1b[m \x1b[38:2:1:2:3mrgb\x1b[0m\n"]),
            "plain é\n\tindented \x1b[1;31mred\x1b[0m \x1b[0m \x1b[38:2:1:2:3mrgb\x1b[0m\n"
        );
    }

    #[test]
    fn drops_osc_csi_dcs_and_string_sequences() {
        let hostile: &[&[u8]] = &[
            b"a\x1b]52;c;aGVsbG8=\x07", // clipboard write (BEL)
            b"b\x1b]0;title\x1b\\",     // window title (ST)
            b"c\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", // hyperlink
            b"d\x1b[2J\x1b[H\x1b[1A\x1b[?25l\x1b[6n", // clear, home, up, hide cursor, report
            b"e\x1bP1$qm\x1b\\",        // DCS request
            b"f\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\", // APC, PM, SOS
            b"g\x1bc\x1b7\x1b8\x1b(0",  // reset, save/restore, charset
            b"h\x07\x08\r\x0b\x0c\x00\x7f", // bell, backspace, CR, VT, FF, NUL, DEL
            b"i\xc2\x9b2J\xc2\x9d0;t\x07", // C1 CSI and OSC as UTF-8
            b"j\x9b31m\n",              // a raw C1 byte
        ];
        assert_eq!(filtered(hostile), "abclinkdefghi2J0;tj31m\n");
        assert_eq!(filtered(&[b"\x1b[>1;2;3;4m\x1b[=5mk\n"]), "k\n");
    }

    #[test]
    fn a_sequence_split_across_writes_is_still_dropped() {
        assert_eq!(
            filtered(&[
                b"one \x1b]5",
                b"2;c;aGk",
                b"=\x07 two \x1b",
                b"[2",
                b"J three\n"
            ]),
            "one  two  three\n"
        );
        assert_eq!(
            filtered(&[b"\x1b[3", b"1mred\x1b[0m\n"]),
            "\x1b[31mred\x1b[0m\n"
        );
        assert_eq!(filtered(&[b"caf\xc3", b"\xa9\n"]), "café\n");
    }
}
