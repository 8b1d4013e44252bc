//! Plugin files under review: `kagi plugin test` is held to what install is
//! held to (policy, grants, no access to another plugin's storage), and what
//! was checked is what runs (one read of the file; installed manifests are
//! covered by the recorded hash).

use crate::support::{Env, Run, assert_contains, example_plugin, test_plugin};
use kagi_mock::{API_TOKEN, SESSION_TOKEN};

fn plugin_test(env: &Env, path: &std::path::Path, flags: &[&str], args: &[&str]) -> Run {
    let mut all = vec!["plugin", "test", path.to_str().unwrap()];
    all.extend_from_slice(flags);
    all.push("--");
    all.extend_from_slice(args);
    env.run(&all)
}

#[test]
fn the_policy_refuses_plugin_test_as_it_refuses_install() {
    let env = Env::new()
        .var("KAGI_API_TOKEN", API_TOKEN)
        .policy("allow-third-party = false\n");
    let probe = test_plugin("probe");
    let refusal =
        "configuration error: the administrator's policy does not allow third-party plugins";
    plugin_test(
        &env,
        &probe,
        &["--grant-all"],
        &["probe", "api", "/api/v0/search?q=x"],
    )
    .fails_with(1, refusal);
    plugin_test(&env, &probe, &[], &["probe", "wasi-print"]).fails_with(1, refusal);
    env.run(&["plugin", "install", probe.to_str().unwrap(), "--grant-all"])
        .fails_with(1, refusal);
    assert!(env.mock.requests().is_empty(), "nothing ran");
}

#[test]
fn plugin_test_off_a_terminal_needs_explicit_grants() {
    let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
    let probe = test_plugin("probe");
    let run = plugin_test(&env, &probe, &[], &["probe", "api", "/api/v0/search?q=x"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_contains(&run.stderr, "plugin `probe` ");
    assert_contains(
        &run.stderr,
        "  credential:api: have your API token attached",
    );
    assert!(
        run.stderr.ends_with(
            "configuration error: testing a plugin off a terminal needs explicit grants: pass --grant-all, or --grant CAPABILITY for each of: service:kagi, credential:api\n"
        ),
        "{}",
        run.stderr
    );
    assert!(env.mock.requests().is_empty(), "nothing ran");

    // A partial grant withholds the rest.
    let run = plugin_test(
        &env,
        &probe,
        &["--grant", "service:kagi"],
        &["probe", "api", "/api/v0/search?q=x"],
    );
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "plugin denied: plugin `probe` asked for the `api` credential (credential:api), which it was not granted"
        ),
        "{}",
        run.stderr
    );
    assert!(env.mock.requests().is_empty(), "nothing was sent");
    // A grant it does not ask for is a usage error.
    plugin_test(
        &env,
        &probe,
        &["--grant", "storage"],
        &["probe", "wasi-print"],
    )
    .fails_with(
        2,
        "error: `probe` does not ask for storage; it asks for: service:kagi, credential:api",
    );
    // --yes runs it with nothing granted; it can still compute and print.
    let run = plugin_test(&env, &probe, &["--yes"], &["probe", "wasi-print"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "via wasi stdout\n");
    assert_eq!(run.stderr, "via wasi stderr\n");
    // --grant-all grants what it asks for.
    let run = plugin_test(
        &env,
        &probe,
        &["--grant-all"],
        &["probe", "api", "/api/v0/search?q=x"],
    );
    assert_eq!(run.json()["status"], 200);
}

#[test]
fn a_test_plugin_named_search_never_sees_the_built_in_search_storage() {
    let env = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
    env.run(&["search", "rust"]).json();
    let run = env.run(&["site-pref", "set", "example.com", "--mode", "block"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let storage = env.state_dir().join("storage/search");
    let history = std::fs::read_to_string(storage.join("history.jsonl")).unwrap();
    assert_contains(&history, "\"rust\"");
    let prefs = std::fs::read_to_string(storage.join("site-preferences.json")).unwrap();
    assert_contains(&prefs, "example.com");

    let impostor = test_plugin("impostor");
    let report = plugin_test(&env, &impostor, &["--grant-all"], &["peek"]).json();
    assert_eq!(
        report,
        serde_json::json!({"keys": [], "history": null, "site-preferences": null}),
        "a file calling itself `search` saw the built-in's storage"
    );
    // What it wrote went to scratch storage, discarded after the run.
    assert!(!storage.join("impostor-was-here").exists());
    assert_eq!(
        std::fs::read_to_string(storage.join("history.jsonl")).unwrap(),
        history
    );
    let report = plugin_test(&env, &impostor, &["--grant-all"], &["peek"]).json();
    assert_eq!(report["keys"], serde_json::json!([]), "nothing persisted");
}

#[test]
fn a_swapped_manifest_makes_an_installed_plugin_unusable() {
    let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
    let run = env.run(&[
        "plugin",
        "install",
        example_plugin().to_str().unwrap(),
        "--grant-all",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = env.data_dir().join("plugins/top-result/manifest.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // The swapped manifest gives the plugin a command nobody reviewed.
    let swapped = text.replace(
        "[[commands]]\nname = \"top-result\"",
        "[[commands]]\nname = \"lookup\"",
    );
    assert_ne!(swapped, text);
    std::fs::write(&manifest, swapped).unwrap();

    let list = env.run(&["plugin", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_contains(
        &list.stdout,
        "top-result (installed, unusable: manifest.toml has changed since it was installed; review and install the plugin again; remove it with `kagi plugin remove top-result`)\n",
    );
    assert_eq!(env.run(&["lookup", "rust"]).code, 2, "no such command");
    assert_eq!(env.run(&["top-result", "rust"]).code, 2, "no such command");
    assert!(env.mock.requests().is_empty());
}

/// A pseudo-terminal session for the prompts.
#[cfg(unix)]
mod on_a_terminal {
    use super::*;
    use crate::support::{pty, pty_finish};
    use expectrl::Expect;

    #[test]
    fn plugin_test_runs_the_file_it_reviewed_even_if_swapped_at_the_prompt() {
        let env = Env::new();
        let file = env.dir.path().join("under-review.wasm");
        std::fs::copy(test_plugin("probe"), &file).unwrap();
        let mut p = pty(
            &env,
            &[
                "plugin",
                "test",
                file.to_str().unwrap(),
                "--",
                "probe",
                "wasi-print",
            ],
        );
        p.expect("plugin `probe` ").unwrap();
        p.expect("credential:api: have your API token attached")
            .unwrap();
        p.expect("Run `probe` with all of the above granted, for this run only?")
            .unwrap();
        // The file changes while the user reads the review.
        std::fs::copy(test_plugin("fs-reader"), &file).unwrap();
        p.send("y").unwrap();
        p.expect("via wasi stdout").unwrap();
        let (code, rest) = pty_finish(p);
        assert!(!rest.contains("denied"), "{rest}");
        assert_eq!(code, 0, "{rest}");
    }

    #[test]
    fn declining_at_the_prompt_runs_nothing() {
        let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
        let probe = test_plugin("probe");
        let mut p = pty(
            &env,
            &[
                "plugin",
                "test",
                probe.to_str().unwrap(),
                "--",
                "probe",
                "api",
                "/api/v0/search?q=x",
            ],
        );
        p.expect("Run `probe` with all of the above granted, for this run only?")
            .unwrap();
        p.send("n").unwrap();
        p.expect("Not run.").unwrap();
        let (code, rest) = pty_finish(p);
        assert_eq!(code, 0, "{rest}");
        assert!(env.mock.requests().is_empty(), "nothing ran");
    }
}
