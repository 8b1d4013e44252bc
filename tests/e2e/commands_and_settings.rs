//! Manifest 0.2: each command runs with the capabilities and limits it
//! declares within its plugin's, and a plugin reads only the settings it
//! declares, never through one of kagi's own variables.

use crate::support::{Env, Run, assert_contains, test_plugin, write_private};
use kagi_mock::{API_TOKEN, SESSION_TOKEN};

fn narrow(env: &Env, args: &[&str]) -> Run {
    let mut argv = vec!["narrow"];
    argv.extend_from_slice(args);
    env.run_plugin_test("narrow", &["--grant-all"], &argv)
}

#[test]
fn search_has_the_default_wall_clock_limit_while_watch_has_none() {
    let env = Env::new();
    let info = env.run(&["plugin", "info", "search"]);
    assert_eq!(info.code, 0, "{}", info.stderr);
    let limits = |time: &str| format!("limits: memory 256 MiB, time {time}, CPU 50 s");
    let all = "capabilities: service:kagi (granted), credential:session (granted), credential:api (granted), storage (granted), stdin (granted)";
    for (command, section) in [
        (
            "search",
            format!(
                "  {all}\n  {}\n  flags: none\n  tool: yes\n",
                limits("600 s")
            ),
        ),
        (
            "batch",
            format!(
                "  {all}\n  {}\n  flags: reads-stdin\n  tool: yes\n",
                limits("600 s")
            ),
        ),
        (
            "watch",
            format!(
                "  {all}\n  {}\n  flags: long-running\n  tool: no\n",
                limits("unlimited")
            ),
        ),
        (
            "history list",
            format!(
                "  capabilities: storage (granted)\n  {}\n  flags: none\n  tool: yes\n",
                limits("600 s")
            ),
        ),
        (
            "site-pref set",
            format!(
                "  capabilities: storage (granted)\n  {}\n  flags: destructive\n  tool: yes\n",
                limits("600 s")
            ),
        ),
    ] {
        assert_contains(&info.stdout, &format!("command `{command}`:\n{section}"));
    }
    assert_contains(&info.stdout, "settings:\n  history (bool, KAGI_HISTORY): ");

    // The runs themselves: `--verbose` shows the limits each command got.
    let env = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
    let search = env.run(&["--verbose", "search", "rust"]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    assert_contains(
        &search.stderr,
        &format!(
            "kagi[debug]: plugin search: command `search` runs with {}\n",
            limits("600 s")
        ),
    );
    let watch = env.run(&["--verbose", "watch", "rust", "--count", "1"]);
    assert_eq!(watch.code, 0, "{}", watch.stderr);
    assert_contains(
        &watch.stderr,
        &format!(
            "kagi[debug]: plugin search: command `watch` runs with {}\n",
            limits("unlimited")
        ),
    );
}

#[test]
fn a_command_that_does_not_declare_a_capability_of_its_plugin_is_denied_naming_the_command() {
    let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
    let online = narrow(&env, &["online", "/api/v0/search?q=x"]);
    assert_eq!(online.code, 0, "{}", online.stderr);
    assert_eq!(online.stdout, "HTTP 200\n");
    assert_eq!(env.mock.requests().len(), 1);

    narrow(&env, &["offline", "/api/v0/search?q=x"]).fails_with(
        4,
        "plugin denied: plugin `narrow` used the network (service:kagi), which it was not granted: the command `narrow offline` does not declare it",
    );
    assert_eq!(env.mock.requests().len(), 1, "nothing more was sent");
}

#[test]
fn an_undeclared_setting_is_none_even_when_the_config_file_sets_it() {
    let env = Env::new();
    write_private(
        &env.work_dir().join(".kagi.toml"),
        "[plugins.narrow]\nnote = \"hello\"\nrounds = 3\n",
    );
    let run = narrow(&env, &["setting", "note"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "None\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_declared_setting_is_read_from_its_variable_first_then_the_config_file() {
    let env = Env::new();
    write_private(
        &env.work_dir().join(".kagi.toml"),
        "[plugins.narrow]\nrounds = 3\nloud = \"on\"\n",
    );
    assert_eq!(narrow(&env, &["setting", "rounds"]).stdout, "Some(\"3\")\n");
    assert_eq!(
        narrow(&env, &["setting", "loud"]).stdout,
        "Some(\"true\")\n"
    );
    let env = env.var("KAGI_NARROW_ROUNDS", "7");
    assert_eq!(narrow(&env, &["setting", "rounds"]).stdout, "Some(\"7\")\n");
}

#[test]
fn a_setting_of_the_wrong_type_is_a_configuration_error_naming_where_it_was_set() {
    let env = Env::new();
    write_private(
        &env.work_dir().join(".kagi.toml"),
        "[plugins.narrow]\nrounds = \"many\"\n",
    );
    narrow(&env, &["setting", "rounds"]).fails_with(
        1,
        "configuration error: ./.kagi.toml: `[plugins.narrow] rounds` must be a whole number; fix it in the file",
    );
    let env = env.var("KAGI_NARROW_ROUNDS", "lots");
    narrow(&env, &["setting", "rounds"]).fails_with(
        1,
        "configuration error: the environment variable KAGI_NARROW_ROUNDS must be a whole number (it is the `rounds` setting of plugin `narrow`); fix or unset it",
    );
}

#[test]
fn kagi_history_still_turns_the_search_history_off() {
    let env = Env::new()
        .var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
        .var("KAGI_HISTORY", "off");
    assert_eq!(env.run(&["search", "rust"]).code, 0);
    let list = env.run(&["history", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.json(), serde_json::json!([]));
    let on = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
    assert_eq!(on.run(&["search", "rust"]).code, 0);
    assert_eq!(
        on.run(&["history", "list"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The narrow plugin with its `rounds` setting reading `var` instead
/// (the same length, so the custom section keeps its size).
fn reading(env: &Env, var: &str) -> std::path::PathBuf {
    let bytes = std::fs::read(test_plugin("narrow")).unwrap();
    let needle = b"KAGI_NARROW_ROUNDS";
    assert_eq!(var.len(), needle.len());
    // Every copy: the custom section the host reads, and the SDK's own.
    let mut patched = bytes.clone();
    let mut found = 0;
    let mut at = 0;
    while let Some(i) = patched[at..]
        .windows(needle.len())
        .position(|w| w == needle)
    {
        patched[at + i..at + i + needle.len()].copy_from_slice(var.as_bytes());
        at += i + needle.len();
        found += 1;
    }
    assert!(found > 0, "the setting's variable in the manifest");
    let path = env.dir.path().join("narrow-patched.wasm");
    std::fs::write(&path, patched).unwrap();
    path
}

#[test]
fn a_plugin_whose_setting_reads_the_session_token_is_refused_at_install_and_at_test() {
    let env = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
    let path = reading(&env, "KAGI_SESSION_TOKEN");
    let path = path.to_str().unwrap();
    let refusal = format!(
        "plugin denied: plugin `{path}` setting `rounds` reads the environment variable `KAGI_SESSION_TOKEN`, which is kagi's own (credentials, paths, policy); a plugin may not read it: choose another name"
    );
    env.run(&["plugin", "install", path, "--grant-all"])
        .fails_with(4, &refusal);
    let test = env.run(&[
        "plugin",
        "test",
        path,
        "--grant-all",
        "--",
        "narrow",
        "setting",
        "rounds",
    ]);
    test.fails_with(4, &refusal);
    assert!(!test.stdout.contains(SESSION_TOKEN));
    assert!(
        env.run(&["plugin", "list"])
            .stdout
            .lines()
            .all(|l| !l.starts_with("narrow"))
    );
}
