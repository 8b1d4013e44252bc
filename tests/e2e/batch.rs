//! `kagi batch` and `kagi watch` against the mock.

use crate::search::{api_env, titles, urls};
use crate::support::session_env;
use crate::support::{Env, Run, assert_contains};
use std::process::Stdio;

#[test]
fn batch_runs_arguments_concurrently_in_input_order() {
    let env = session_env();
    let slow = env.mock.fault_url("delay=300");
    let env = env.var("KAGI_BASE_URL", &slow);
    let run = env.run(&["batch", "rust", "go", "zig", "--limit", "2"]);
    let out = run.json();
    assert_eq!(out["queries"], serde_json::json!(["rust", "go", "zig"]));
    assert_eq!(out["errors"], serde_json::json!([]));
    let results = out["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        titles(&results[1]),
        ["go — Official Site", "go - Wikipedia"]
    );
    // Sorted keys everywhere, embedded results included.
    assert!(
        run.stdout
            .starts_with("{\n  \"errors\": [],\n  \"queries\": [\n"),
        "{}",
        run.stdout
    );
    assert_contains(
        &run.stdout,
        "{\n          \"published\": null,\n          \"rank\": null,\n          \"snippet\"",
    );
    assert!(
        env.mock.max_in_flight() >= 2,
        "{}",
        env.mock.max_in_flight()
    );
    assert_eq!(env.mock.max_in_flight(), 3, "the default concurrency is 3");

    let env = session_env();
    let slow = env.mock.fault_url("delay=100");
    let env = env.var("KAGI_BASE_URL", &slow);
    env.run(&["batch", "a", "b", "c", "--concurrency", "1"])
        .json();
    assert_eq!(env.mock.max_in_flight(), 1);
}

#[test]
fn batch_from_stdin_with_one_failing_query() {
    let env = api_env();
    let run = env.run_with_stdin(
        &["batch", "--snap", "docs"],
        "rust\n\n   \n  servererror please \ngo\n",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        out["queries"],
        serde_json::json!(["@docs rust", "@docs go"])
    );
    assert_eq!(out["results"].as_array().unwrap().len(), 2);
    assert_eq!(
        out["errors"],
        serde_json::json!([{"query": "@docs servererror please", "error": "network error: Kagi Search API server error: HTTP 500 Internal Server Error; Internal server error. Please try again later."}])
    );
    assert_eq!(
        run.stderr.trim_end(),
        "batch error: 1 batch query failed (2 succeeded): @docs servererror please: network error: Kagi Search API server error: HTTP 500 Internal Server Error; Internal server error. Please try again later."
    );
    let queries: Vec<String> = env
        .mock
        .requests()
        .iter()
        .map(|r| r.query_value("q").unwrap().to_string())
        .collect();
    assert_eq!(queries.len(), 3, "blank lines are dropped: {queries:?}");
}

#[test]
fn batch_human_formats_and_templates() {
    let env = api_env();
    let run = env.run(&[
        "batch",
        "rust",
        "servererror",
        "--format",
        "pretty",
        "--limit",
        "1",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "=== Results for: rust ===\n1. rust - Wikipedia\n   https://en.wikipedia.org/wiki/rust\n\n   rust is covered in this encyclopedia article: history, definitions, notable uses and further reading.\n\n=== Failed: servererror ===\nnetwork error: Kagi Search API server error: HTTP 500 Internal Server Error; Internal server error. Please try again later.\n\n"
    );
    assert!(
        run.stderr
            .starts_with("batch error: 1 batch query failed (1 succeeded): servererror:")
    );
    let run = env.run(&[
        "batch",
        "rust",
        "go",
        "--template",
        "{{rank}} {{url}}",
        "--limit",
        "2",
    ]);
    assert_eq!(
        run.stdout,
        "=== Results for: rust ===\n1 https://en.wikipedia.org/wiki/rust\n2 https://www.guidehub.example.com/guides/rust\n\n=== Results for: go ===\n1 https://en.wikipedia.org/wiki/go\n2 https://www.guidehub.example.com/guides/go\n\n"
    );
    let run = env.run(&["batch", "rust", "--format", "csv", "--limit", "1"]);
    assert!(
        run.stdout
            .starts_with("=== Results for: rust ===\ntitle,url,snippet\nrust - Wikipedia,"),
        "{}",
        run.stdout
    );
    let run = env.run(&["batch", "rust", "--format", "markdown", "--limit", "1"]);
    assert!(
        run.stdout
            .starts_with("=== Results for: rust ===\n## 1. [rust - Wikipedia]("),
        "{}",
        run.stdout
    );
    let compact = env.run(&["batch", "rust", "--format", "compact", "--limit", "1"]);
    assert!(compact.stdout.starts_with("{\"errors\":[],\"queries\":[\"rust\"],\"results\":[{\"data\":[{\"published\":null,\"rank\":1,"), "{}", compact.stdout);
    assert_eq!(compact.stdout.lines().count(), 1);
}

#[test]
fn batch_validation_and_shared_filters() {
    let env = session_env();
    env.run_with_stdin(&["batch"], "\n  \n").fails_with(
        1,
        "configuration error: batch requires at least one query argument or stdin line",
    );
    env.run(&["batch", "a", "--concurrency", "0"])
        .fails_with(1, "configuration error: concurrency must be at least 1");
    env.run(&["batch", "a", "--rate-limit", "0"])
        .fails_with(1, "configuration error: rate-limit must be at least 1");
    env.run(&["batch", "a", "--limit", "0"])
        .fails_with(1, "configuration error: limit must be at least 1");
    env.run(&["batch", "a", "--time", "day", "--to-date", "2026-01-01"])
        .fails_with(
            1,
            "configuration error: search --time cannot be combined with --from-date or --to-date",
        );
    api_env().run(&["batch", "a", "--region", "us"]).fails_starting(
        1,
        "configuration error: search filters (--region, --time, --from-date, --to-date, --order, --verbatim, --personalized) require KAGI_SESSION_TOKEN",
    );
    Env::new()
        .run(&["batch", "a"])
        .fails_starting(1, "configuration error: missing credentials");
    assert!(env.mock.requests().is_empty());
    env.run(&[
        "batch",
        "a",
        "b",
        "--lens",
        "3",
        "--region",
        "de",
        "--rate-limit",
        "120",
    ])
    .json();
    for r in env.mock.requests() {
        assert_eq!(r.path, "/html/search");
        assert_eq!(r.query_value("l"), Some("3"));
        assert_eq!(r.query_value("r"), Some("de"));
    }
    let out = env.run(&["history", "stats"]).json();
    assert_eq!(out["by_command"]["batch"], 2);
}

#[test]
fn batch_applies_site_preferences() {
    let env = api_env();
    env.run(&["site-pref", "set", "reddit.com", "--mode", "pin"])
        .json();
    let out = env.run(&["batch", "rust"]).json();
    assert_eq!(
        urls(&out["results"][0])[0],
        "https://www.reddit.com/r/rust/"
    );
}

#[test]
fn watch_reports_added_and_removed_results() {
    let env = session_env();
    let run = env.run(&[
        "watch",
        "rust",
        "--interval",
        "1",
        "--count",
        "2",
        "--format",
        "compact",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["iteration"], 1);
    assert_eq!(events[0]["changed"], true);
    assert_eq!(events[0]["added"].as_array().unwrap().len(), 8);
    assert_eq!(events[0]["removed"], serde_json::json!([]));
    assert_eq!(events[0]["result_count"], 8);
    assert_eq!(events[0]["query"], "rust");
    assert_eq!(events[1]["changed"], false);
    assert_eq!(events[1]["added"], serde_json::json!([]));
    assert!(
        run.stdout.starts_with("{\"added\":[\"https://"),
        "{}",
        run.stdout
    );
    assert_eq!(env.mock.requests().len(), 2);
    let stats = env.run(&["history", "stats"]).json();
    assert_eq!(stats["by_command"]["watch"], 2);

    // A site preference added between polls shows up as a removal.
    let env = session_env();
    let child = env
        .command(&[
            "watch",
            "rust",
            "--interval",
            "2",
            "--count",
            "2",
            "--format",
            "pretty",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    env.run(&["site-pref", "set", "reddit.com", "--mode", "block"])
        .json();
    let run = Run::from(child.wait_with_output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("watch #"))
            .collect::<Vec<_>>(),
        [
            "watch #1: 8 added, 0 removed",
            "watch #2: 0 added, 2 removed"
        ]
    );
    assert_contains(&run.stdout, "  - https://www.reddit.com/r/rust/\n");
}

#[test]
fn watch_formats_and_errors() {
    let env = api_env();
    let run = env.run(&["watch", "rust", "--interval", "1", "--count", "1"]);
    let event = run.json();
    assert!(
        run.stdout.starts_with("{\n  \"added\": ["),
        "{}",
        run.stdout
    );
    assert_eq!(event["result_count"], 5);
    let csv = env.run(&[
        "watch",
        "rust",
        "--interval",
        "1",
        "--count",
        "1",
        "--format",
        "csv",
    ]);
    assert!(
        csv.stdout
            .starts_with("iteration,change,url\n1,added,https://"),
        "{}",
        csv.stdout
    );
    assert_eq!(csv.stdout.lines().count(), 6);
    let md = env.run(&[
        "watch",
        "rust",
        "--interval",
        "1",
        "--count",
        "1",
        "--format",
        "markdown",
    ]);
    assert!(
        md.stdout
            .starts_with("## watch #1: 5 added, 0 removed\n\n- added: ["),
        "{}",
        md.stdout
    );
    env.run(&["watch", "rust", "--interval", "0"]).fails_with(
        1,
        "configuration error: watch --interval must be at least 1 second",
    );
    Env::new()
        .run(&["watch", "rust", "--count", "1"])
        .fails_starting(1, "configuration error: missing credentials");
    let failing = env.mock.fault_url("status=500");
    env.var("KAGI_BASE_URL", &failing)
        .run(&["watch", "rust", "--count", "3", "--interval", "1"])
        .fails_starting(1, "network error: Kagi Search API server error");
}
