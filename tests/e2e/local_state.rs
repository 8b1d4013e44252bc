//! Where kagi keeps its local state (cli-surface §6.1): `KAGI_CACHE_DIR` is
//! the root of the search history, site preferences and response cache, so
//! runs that set it to different folders keep their state apart. (Installed
//! plugins stay in `KAGI_DATA_DIR`: see `plugins.rs`.)

use crate::support::session_env;
use crate::support::{Env, Run, canaries_of};
use std::path::Path;

/// Runs kagi with `KAGI_CACHE_DIR` set to `state`.
fn run_in(env: &Env, state: &Path, args: &[&str]) -> Run {
    let mut cmd = env.command(args);
    cmd.env("KAGI_CACHE_DIR", state);
    canaries_of(&cmd);
    Run::from(cmd.output().expect("kagi runs"))
}

fn history_queries(env: &Env, state: &Path) -> Vec<String> {
    let list = run_in(env, state, &["history", "list"]).json();
    let mut queries: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["query"].as_str().unwrap().to_string())
        .collect();
    queries.sort();
    queries
}

#[test]
fn two_kagi_cache_dirs_keep_separate_search_history() {
    let env = session_env();
    let a = env.dir.path().join("script-a");
    let b = env.dir.path().join("script-b");
    run_in(&env, &a, &["search", "alpha"]).json();
    run_in(&env, &b, &["search", "beta"]).json();
    run_in(&env, &b, &["search", "gamma"]).json();
    assert_eq!(history_queries(&env, &a), ["alpha"]);
    assert_eq!(history_queries(&env, &b), ["beta", "gamma"]);
    // Each root holds its own storage; nothing went to the data dir.
    assert!(a.join("storage/search/history.jsonl").is_file());
    assert!(b.join("storage/search/history.jsonl").is_file());
    assert!(!env.data_dir().join("storage").exists());
    assert!(!env.state_dir().join("storage").exists());

    // Site preferences are kept apart too.
    run_in(
        &env,
        &a,
        &["site-pref", "set", "example.com", "--mode", "block"],
    )
    .json();
    assert_eq!(
        run_in(&env, &b, &["site-pref", "list"]).json(),
        serde_json::json!({"domains": {}})
    );
    assert_eq!(
        run_in(&env, &a, &["site-pref", "list"]).json(),
        serde_json::json!({"domains": {"example.com": "block"}})
    );

    // And the response cache: a hit in one root is a miss in the other.
    let searches = || {
        env.mock
            .requests()
            .iter()
            .filter(|r| r.path == "/html/search")
            .count()
    };
    let before = searches();
    let cached = ["search", "delta", "--local-cache"];
    run_in(&env, &a, &cached).json();
    run_in(&env, &a, &cached).json();
    assert_eq!(searches(), before + 1, "the second run in A is a cache hit");
    run_in(&env, &b, &cached).json();
    assert_eq!(searches(), before + 2, "B does not see A's cache");
}
