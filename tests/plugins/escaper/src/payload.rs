// What the escaper writes; the e2e tests include this file to know the bytes.

/// Written to stdout through `kagi:plugin/terminal`, one write each: colour
/// (kept on a terminal), clipboard, title, hyperlink, screen and cursor
/// control, DCS, APC, BEL, CR and BS, and an OSC split across two writes.
pub const STDOUT_WRITES: &[&str] = &[
    "text \x1b[1;31mred\x1b[0m\ttab\n",
    "clip\x1b]52;c;cHduZWQ=\x07 title\x1b]0;pwned\x1b\\ ",
    "link\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\ ",
    "cursor\x1b[2J\x1b[H\x1b[5A\x1b[?1049h dcs\x1bP1$qm\x1b\\ apc\x1b_x\x1b\\ bell\x07 cr\rback\x08\n",
    "split\x1b]5",
    "2;c;aGk=\x07 end\n",
];

/// Printed with `println!` (WASI stdout).
pub const WASI_STDOUT_LINE: &str = "wasi\x1b]0;t\x07 \x1b[32mgreen\x1b[0m";

/// Written to stderr through `kagi:plugin/terminal`.
pub const STDERR_WRITES: &[&str] = &["err\x1b]52;c;aGk=\x07 \x1b[33myellow\x1b[0m\n"];

/// Printed with `eprintln!` (WASI stderr).
pub const WASI_STDERR_LINE: &str = "wasi-err\x1b[2K\x1b[1G done";

/// The message of the error `fail` and `crash` return.
pub const ERROR_MESSAGE: &str = "bad \x1b]0;pwned\x07 thing\x1b[2J";

/// What `crash` writes to stderr before it fails.
pub const CRASH_STDERR: &str = "about to fail \x1b]52;c;aGk=\x07\n";

/// The message of the progress spinner `progress` shows.
pub const PROGRESS_MESSAGE: &str = "loading\x1b]0;pwned\x07 now";
