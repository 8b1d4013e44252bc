//! Nothing a plugin wrote can trick the user: terminal escape sequences from a
//! plugin (or a page it fetched) never reach a terminal, except colours,
//! newlines and tabs; piped output stays byte-exact; plugin text the host
//! prints itself is shown escaped; a manifest carrying controls is refused.

use crate::support::{Env, Run, on_a_terminal, test_plugin};
use kagi_mock::{API_TOKEN, escapes};

#[path = "../plugins/escaper/src/payload.rs"]
#[allow(dead_code)]
mod payload;

/// Runs `kagi plugin test escaper.wasm -- escaper ACTION` with piped output.
fn escaper_piped(env: &Env, action: &str) -> std::process::Output {
    let escaper = test_plugin("escaper");
    let output = env
        .command(&[
            "plugin",
            "test",
            escaper.to_str().unwrap(),
            "--",
            "escaper",
            action,
        ])
        .output()
        .expect("kagi runs");
    // The canary check, as every run gets.
    let _ = Run::from(output.clone());
    output
}

/// The same on a pseudo-terminal, where stdout and stderr arrive merged;
/// the terminal's own LF → CRLF translation is undone.
fn escaper_on_a_terminal(env: &Env, action: &str) -> Run {
    let escaper = test_plugin("escaper");
    let mut run = on_a_terminal(
        env,
        &[
            "plugin",
            "test",
            escaper.to_str().unwrap(),
            "--",
            "escaper",
            action,
        ],
        "",
    );
    run.stdout = run.stdout.replace("\r\n", "\n");
    run
}

#[test]
fn on_a_terminal_plugin_output_keeps_only_text_colours_newlines_and_tabs() {
    let env = Env::new();
    let run = escaper_on_a_terminal(&env, "print");
    assert_eq!(run.code, 0, "{:?}", run.stdout);
    assert_eq!(
        run.stdout,
        concat!(
            "text \x1b[1;31mred\x1b[0m\ttab\n",
            "clip title linkhere cursor dcs apc bell crback\n",
            "split end\n",
            "wasi \x1b[32mgreen\x1b[0m\n",
            "err \x1b[33myellow\x1b[0m\n",
            "wasi-err done\n",
        ),
        "only SGR, newlines and tabs survive, even a sequence split across two writes"
    );
}

#[test]
fn piped_plugin_output_is_byte_exact() {
    let env = Env::new();
    let output = escaper_piped(&env, "print");
    assert_eq!(output.status.code(), Some(0));
    let stdout = format!(
        "{}{}\n",
        payload::STDOUT_WRITES.concat(),
        payload::WASI_STDOUT_LINE
    );
    let stderr = format!(
        "{}{}\n",
        payload::STDERR_WRITES.concat(),
        payload::WASI_STDERR_LINE
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), stdout);
    assert_eq!(output.stdout, stdout.as_bytes());
    assert_eq!(output.stderr, stderr.as_bytes());
}

#[test]
fn a_plugin_error_message_with_escapes_is_printed_escaped() {
    let env = Env::new();
    let output = escaper_piped(&env, "fail");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "configuration error: bad \\u{1b}]0;pwned\\u{7} thing\\u{1b}[2J\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_plugin_internal_error_and_its_stderr_tail_are_printed_escaped() {
    let env = Env::new();
    let output = escaper_piped(&env, "crash");
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The plugin's own stderr comes first, exactly as written (it is piped);
    // the host's report after it quotes the plugin's text escaped.
    assert_eq!(
        stderr,
        format!(
            "{}{}",
            payload::CRASH_STDERR,
            concat!(
                "plugin error: plugin `escaper` reported an internal error: bad \\u{1b}]0;pwned\\u{7} thing\\u{1b}[2J\n",
                "  last lines of its stderr:\n",
                "  | about to fail \\u{1b}]52;c;aGk=\\u{7}\n",
            )
        )
    );

    // On a terminal nothing of it arrives raw.
    let run = escaper_on_a_terminal(&env, "crash");
    assert_eq!(run.code, 3, "{:?}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    assert!(
        run.stdout
            .starts_with("about to fail \nplugin error: plugin `escaper` reported"),
        "{:?}",
        run.stdout
    );
}

#[test]
fn a_progress_message_with_escapes_is_shown_escaped() {
    // Progress bars are drawn only on a terminal that names its type.
    let env = Env::new().var("TERM", "xterm");
    let run = escaper_on_a_terminal(&env, "progress");
    assert_eq!(run.code, 0, "{:?}", run.stdout);
    assert!(
        run.stdout.contains("loading\\u{1b}]0;pwned\\u{7} now"),
        "the spinner shows the message escaped: {:?}",
        run.stdout
    );
    // The spinner itself moves the cursor (CSI); no OSC ever reaches the terminal.
    assert!(!run.stdout.contains("\x1b]"), "{:?}", run.stdout);
    assert!(run.stdout.ends_with("done\n"), "{:?}", run.stdout);
}

#[test]
fn a_plugin_cannot_hold_more_than_eight_progress_bars() {
    let env = Env::new();
    let output = escaper_piped(&env, "progress-flood");
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "plugin error: plugin `escaper` opened more than 8 progress bars at once (finish one before starting another)\n"
    );
    assert!(output.stdout.is_empty(), "the ninth bar stopped the plugin");
}

/// The escaper with its manifest's description slot replaced by `text`
/// (TOML source, padded to the slot's length).
fn with_description(env: &Env, text: &str) -> std::path::PathBuf {
    let bytes = std::fs::read(test_plugin("escaper")).unwrap();
    let slot = b"[slot for a hostile description]";
    assert!(text.len() <= slot.len(), "the text must fit the slot");
    // The text also sits in the plugin's data; the host reads the custom section.
    let section = bytes
        .windows(13)
        .position(|w| w == b"kagi:manifest")
        .expect("manifest section");
    let at = section
        + bytes[section..]
            .windows(slot.len())
            .position(|w| w == slot)
            .expect("the description slot in the manifest section");
    let mut patched = bytes.clone();
    let replacement = format!("{text:<width$}", width = slot.len());
    patched[at..at + slot.len()].copy_from_slice(replacement.as_bytes());
    let path = env.dir.path().join("hostile-escaper.wasm");
    std::fs::write(&path, patched).unwrap();
    path
}

#[test]
fn a_manifest_carrying_control_characters_is_refused_at_install() {
    let env = Env::new();
    let path = with_description(&env, "\\u001b]0;pwned\\u0007");
    let run = env.run(&["plugin", "install", path.to_str().unwrap(), "--yes"]);
    run.fails_with(
        4,
        &format!(
            "plugin denied: plugin `{}` manifest field `description` contains the control character U+001B; plugin text may not carry terminal controls",
            path.display()
        ),
    );
    assert!(!env.data_dir().join("plugins/escaper").exists());
    // The same file with plain text in the slot installs.
    let plain = with_description(&env, "plain words");
    let run = env.run(&["plugin", "install", plain.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn search_pretty_output_of_a_page_with_escapes_has_no_escape_byte_even_when_piped() {
    let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
    let query = escapes::QUERY;
    let run = env.run(&["search", query, "--format", "pretty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "1. Escapes title red\n   https://escapes.example/link\n\n   Snippet moves dcs\n"
    );
    for format in ["markdown", "csv"] {
        let run = env.run(&["search", query, "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stdout.contains('\x1b'), "{format}: {:?}", run.stdout);
        assert!(run.stdout.contains("Escapes title red"), "{:?}", run.stdout);
    }
    let run = env.run(&["search", query, "--template", "{{title}} {{url}}"]);
    assert_eq!(
        run.stdout,
        "Escapes title red https://escapes.example/link\n"
    );

    // JSON keeps the data as the page had it (escaped by the JSON encoder).
    let json = env.run(&["search", query]).json();
    assert_eq!(json["data"][0]["title"], escapes::TITLE);
    assert_eq!(json["data"][0]["url"], escapes::URL);
}
