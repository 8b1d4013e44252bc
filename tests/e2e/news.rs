//! `kagi news` and `kagi smallweb` against the mock.

use crate::support::{BIN, Env};
use kagi_mock::MockServer;

#[test]
fn news_prints_the_world_category_by_default() {
    let env = Env::new();
    let out = env.run(&["news"]).json();
    assert_eq!(out["latest_batch"]["id"], "batch-20260406-0700");
    assert_eq!(out["latest_batch"]["dateSlug"], "2026-04-06");
    assert_eq!(out["category"]["category_id"], "world");
    assert_eq!(out["category"]["id"], "cat-world-5f2c81");
    assert_eq!(out["category"]["metadata"]["displayName"], "World");
    let stories = out["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 12, "the default limit is 12");
    assert_eq!(
        stories[0]["title"],
        "UN Security Council backs ceasefire framework for eastern Congo"
    );
    assert!(out.get("content_filter").is_none());
    // latest_batch keeps upstream camelCase; category is snake_case.
    let keys: Vec<&String> = out["latest_batch"].as_object().unwrap().keys().collect();
    assert!(keys.iter().any(|k| *k == "totalReadCount"), "{keys:?}");
    let paths: Vec<String> = env.mock.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths.contains(
            &"/api/batches/batch-20260406-0700/categories/cat-world-5f2c81/stories".to_string()
        ),
        "{paths:?}"
    );
    let stories_request = env
        .mock
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/stories"))
        .unwrap();
    assert_eq!(stories_request.query_value("limit"), Some("12"));
    assert_eq!(stories_request.query_value("lang"), Some("default"));
    assert!(
        stories_request.header("authorization").is_none()
            && stories_request.header("cookie").is_none()
    );
    assert_eq!(
        stories_request.header("user-agent"),
        Some(concat!("kagi/", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn news_resolves_categories_by_id_name_or_display_name() {
    let env = Env::new();
    for (given, expected) in [
        ("TECH", "tech"),
        ("technology", "tech"),
        ("United States", "usa"),
    ] {
        let out = env
            .run(&["news", "--category", given, "--limit", "2"])
            .json();
        assert_eq!(out["category"]["category_id"], expected, "{given}");
        assert_eq!(out["stories"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn independent_news_requests_run_concurrently() {
    let env = Env::new();
    let slow = env.mock.fault_url("delay=400");
    let env = env.var("KAGI_NEWS_BASE_URL", &slow);
    env.run(&["news", "--limit", "1"]).json();
    assert!(
        env.mock.max_in_flight() >= 2,
        "max in flight: {}",
        env.mock.max_in_flight()
    );
}

#[test]
fn news_validation_errors_name_the_fix() {
    let env = Env::new();
    env.run(&["news", "--category", "gardening"]).fails_with(
        1,
        "configuration error: unknown news category 'gardening'. Run `kagi news --list-categories` to inspect current categories.",
    );
    env.run(&["news", "--limit", "0"]).fails_with(
        1,
        "configuration error: news --limit must be greater than 0",
    );
    env.run(&["news", "--category", " "])
        .fails_with(1, "configuration error: news category cannot be empty");
    env.run(&["news", "--filter-mode", "blur"]).fails_with(
        1,
        "configuration error: --filter-mode and --filter-scope require at least one --filter-preset or --filter-keyword",
    );
    env.run(&["news", "--chaos", "--filter-keyword", "x"]).fails_with(
        1,
        "configuration error: news filters are not supported with --list-categories, --chaos, or --list-filter-presets",
    );
    let run = env.run(&["news", "--filter-preset", "gossip"]);
    run.fails_starting(
        1,
        "configuration error: unknown news filter preset 'gossip'",
    );
}

#[test]
fn listings_chaos_and_presets() {
    let env = Env::new();
    let out = env.run(&["news", "--list-categories"]).json();
    let ids: Vec<&str> = out["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["world", "usa", "business", "tech", "science", "sports"]
    );
    assert_eq!(out["latest_batch"]["id"], "batch-20260406-0700");

    let out = env.run(&["news", "--chaos"]).json();
    assert_eq!(out["chaos"]["chaosIndex"], 62);

    let before = env.mock.requests().len();
    let out = env.run(&["news", "--list-filter-presets"]).json();
    assert_eq!(env.mock.requests().len(), before, "presets are offline");
    let ids: Vec<&str> = out["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "politics",
        "conflicts",
        "health",
        "violence",
        "tabloid",
        "crypto",
        "celebrities",
        "sports",
        "ai",
        "climate",
        "sexual-misconduct",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn keyword_filters_hide_or_blur_matching_stories() {
    let env = Env::new();
    let all = env.run(&["news", "--category", "business"]).json();
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(titles(&all)[0].starts_with("Bitcoin tops"));

    let hidden = env
        .run(&[
            "news",
            "--category",
            "business",
            "--filter-keyword",
            "Bitcoin",
        ])
        .json();
    assert!(
        !titles(&hidden).iter().any(|t| t.contains("Bitcoin")),
        "{:?}",
        titles(&hidden)
    );
    assert_eq!(hidden["content_filter"]["mode"], "hide");
    assert_eq!(
        hidden["content_filter"]["custom_keywords"],
        serde_json::json!(["bitcoin"])
    );
    assert!(hidden["content_filter"]["filtered_count"].as_u64().unwrap() >= 1);

    let blurred = env
        .run(&[
            "news",
            "--category",
            "business",
            "--filter-preset",
            "crypto",
            "--filter-mode",
            "blur",
        ])
        .json();
    assert_eq!(titles(&blurred).len(), titles(&all).len());
    assert_eq!(blurred["stories"][0]["_content_filter"]["mode"], "blur");
    assert!(
        !blurred["stories"][0]["_content_filter"]["matched_keywords"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn news_errors_map_to_classes() {
    let env = Env::new();
    let cases = [
        ("status=503", 1, "network error: "),
        ("status=429", 1, "configuration error: "),
        ("status=401", 1, "authentication error: "),
        ("malformed", 1, "parse error: failed to parse news"),
        ("truncate", 1, "network error: "),
    ];
    for (fault, code, prefix) in cases {
        let run = Env::with_mock(MockServer::start())
            .var("KAGI_NEWS_BASE_URL", &env.mock.fault_url(fault))
            .run(&["news"]);
        run.fails_starting(code, prefix);
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "{fault}: one line: {}",
            run.stderr
        );
    }
    let refused = Env::new().var("KAGI_NEWS_BASE_URL", "http://127.0.0.1:9");
    refused.run(&["news"]).fails_starting(
        1,
        "network error: failed to connect to http://127.0.0.1:9/api/",
    );
    let bad = Env::new().var("KAGI_NEWS_BASE_URL", "not a url");
    bad.run(&["news"]).fails_starting(
        1,
        "configuration error: KAGI_NEWS_BASE_URL is not a valid URL",
    );
}

#[test]
fn smallweb_returns_the_feed() {
    let env = Env::new();
    let out = env.run(&["smallweb"]).json();
    assert!(
        out["xml"]
            .as_str()
            .unwrap()
            .contains("Why I still write my own static site generator")
    );
    env.run(&["smallweb", "--limit", "2"]).json();
    let requests = env.mock.requests();
    assert_eq!(requests[0].path, "/api/v1/smallweb/feed/");
    assert_eq!(requests[0].query_value("limit"), None);
    assert_eq!(requests[1].query_value("limit"), Some("2"));
    let failing = Env::new();
    let url = failing.mock.fault_url("status=500");
    let failing = failing.var("KAGI_BASE_URL", &url);
    failing
        .run(&["smallweb"])
        .fails_starting(1, "network error: ");
}

#[test]
fn the_binary_alone_runs_news_from_another_folder() {
    let env = Env::new();
    let lonely = env.dir.path().join("elsewhere");
    std::fs::create_dir_all(&lonely).unwrap();
    let copy = lonely.join("kagi");
    std::fs::copy(BIN, &copy).unwrap();
    let run = crate::support::Run::from(
        env.command_for(&copy, &["news", "--limit", "1"])
            .current_dir(&lonely)
            .output()
            .unwrap(),
    );
    assert_eq!(run.json()["stories"].as_array().unwrap().len(), 1);
}
