//! Plugin API versions: a plugin built for 0.1.0 (a prebuilt fixture, never
//! rebuilt) keeps running next to plugins built for the newest API, and what
//! 0.2 added works end to end.

use crate::support::{Env, Run, assert_contains, test_plugin};
use kagi_mock::API_TOKEN;
use std::path::PathBuf;

/// Today's example plugin as it was built for API 0.1.0, committed as is.
fn fixture_0_1_0() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/plugins/top-result-api-0.1.0.wasm")
}

fn install(env: &Env, path: &std::path::Path) -> Run {
    env.run(&["plugin", "install", path.to_str().unwrap(), "--grant-all"])
}

fn platform(env: &Env, args: &[&str]) -> Run {
    let mut argv = vec!["platform"];
    argv.extend_from_slice(args);
    env.run_plugin_test("platform", &["--grant-all"], &argv)
}

#[test]
fn the_api_0_1_0_fixture_plugin_installs_and_runs_on_this_host() {
    let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
    let run = install(&env, &fixture_0_1_0());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let info = env.run(&["plugin", "info", "top-result"]);
    assert_contains(&info.stdout, "\nplugin API: 0.1.0\n");

    let run = env.run(&["top-result", "rust lang"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "rust lang - Wikipedia\nhttps://en.wikipedia.org/wiki/rust-lang\n"
    );
    let request = env.mock.requests().pop().unwrap();
    assert_eq!(request.path, "/api/v0/search");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bot {API_TOKEN}").as_str())
    );
    // Its 0.1.0 errors still print and exit as they did.
    env.run(&["top-result", " "])
        .fails_with(1, "configuration error: top-result needs a non-empty query");
}

#[test]
fn a_0_2_plugin_and_the_0_1_fixture_run_in_the_same_host() {
    let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
    assert_eq!(install(&env, &fixture_0_1_0()).code, 0);
    let run = install(&env, &test_plugin("platform"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = env.run(&["plugin", "list"]);
    assert_contains(
        &list.stdout,
        "top-result 0.1.0 (installed, plugin API 0.1.0)",
    );
    assert_contains(&list.stdout, "platform 0.1.0 (installed, plugin API 0.2.0)");

    let old = env.run(&["top-result", "--url-only", "rust lang"]);
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert_eq!(old.stdout, "https://en.wikipedia.org/wiki/rust-lang\n");
    let new = env.run(&["platform", "json"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert_contains(&new.stdout, "\"title\": \"Rust\"");
}

#[test]
fn wait_any_with_a_deadline_returns_none_while_nothing_is_ready() {
    // The mock answers after a second: a 50 ms wait ends with none, a long
    // one with the request.
    let run = platform(&Env::new(), &["wait-none"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "none\nready 0\n");
}

#[test]
fn a_service_kagi_does_not_know_is_refused_naming_it() {
    let env = Env::new();
    platform(&env, &["service", "weather"]).fails_with(
        4,
        "plugin denied: plugin `platform` tried to reach the service `weather`, which kagi does not know (it knows kagi, news, translate)",
    );
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_structured_result_is_printed_as_pretty_json_after_the_plugins_own_output() {
    let run = platform(&Env::new(), &["json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "printed by the plugin\n{\n  \"ranks\": [\n    1,\n    2\n  ],\n  \"title\": \"Rust\"\n}\n"
    );
}

#[test]
fn the_host_renders_a_structured_result_per_format() {
    let env = Env::new();
    let compact = platform(&env, &["json", "--format", "compact"]);
    assert_eq!(compact.code, 0, "{}", compact.stderr);
    assert_eq!(
        compact.stdout,
        "printed by the plugin\n{\"ranks\":[1,2],\"title\":\"Rust\"}\n"
    );
    let json = platform(&env, &["json", "--format", "json"]);
    assert_eq!(
        json.stdout,
        "printed by the plugin\n{\n  \"ranks\": [\n    1,\n    2\n  ],\n  \"title\": \"Rust\"\n}\n"
    );
}

#[test]
fn a_plugins_own_error_class_prints_its_prefix_and_exits_with_its_code() {
    let env = Env::new();
    platform(&env, &["fail"]).fails_with(7, "quota error: out of quota");
    // The SDK's batch class prints and exits exactly as API 0.1.0's did.
    platform(&env, &["batch"]).fails_with(1, "batch error: 2 of 3 queries failed");
}
