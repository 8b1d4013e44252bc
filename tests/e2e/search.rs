//! `kagi search` against the mock: both paths, every flag, the refused
//! combinations, every format, the cache, history and site preferences.

use crate::support::session_env;
use crate::support::{Env, Run, assert_contains};
use kagi_mock::{API_TOKEN, SESSION_TOKEN};
use serde_json::Value;

/// An environment with only an API token.
pub fn api_env() -> Env {
    Env::new().var("KAGI_API_TOKEN", API_TOKEN)
}

pub fn titles(out: &Value) -> Vec<String> {
    out["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

pub fn urls(out: &Value) -> Vec<String> {
    out["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_string())
        .collect()
}

fn search_requests(env: &Env) -> Vec<kagi_mock::Recorded> {
    env.mock
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v0/search" || r.path == "/html/search" || r.path == "/news")
        .collect()
}

#[test]
fn api_path_skips_related_searches_and_keeps_field_order() {
    let env = api_env();
    let run = env.run(&["search", "rust lang"]);
    let out = run.json();
    assert_eq!(
        titles(&out),
        [
            "rust lang - Wikipedia",
            "rust lang: the complete guide",
            "Latest news about rust lang",
            "rust lang on Reddit",
            "Ask HN: What are your thoughts on rust lang?"
        ],
        "the t:1 related-searches item is skipped"
    );
    assert_eq!(out["data"][0]["rank"], 1);
    assert_eq!(out["data"][2]["rank"], Value::Null);
    assert_eq!(out["data"][2]["published"], "2026-04-05T14:30:00Z");
    assert!(
        run.stdout
            .starts_with("{\n  \"data\": [\n    {\n      \"t\": 0,\n      \"rank\": 1,\n      \"url\": \"https://en.wikipedia.org/wiki/rust-lang\",\n      \"title\": \"rust lang - Wikipedia\",\n      \"snippet\": "),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
    let reqs = search_requests(&env);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/api/v0/search");
    assert_eq!(reqs[0].query, [("q".to_string(), "rust lang".to_string())]);
    assert_eq!(
        reqs[0].header("authorization"),
        Some(format!("Bot {API_TOKEN}").as_str())
    );
    assert!(reqs[0].header("cookie").is_none());
}

#[test]
fn session_path_parses_the_page_in_order() {
    let env = session_env();
    let out = env.run(&["search", "  rust lang  "]).json();
    let t = titles(&out);
    assert_eq!(t.len(), 8, "{t:?}");
    assert_eq!(t[0], "rust lang — Official Site");
    assert_eq!(t[3], "r/rust-lang: community discussion");
    assert_eq!(t[2], "Tips & tricks for rust lang");
    for r in out["data"].as_array().unwrap() {
        assert_eq!(r["t"], 0);
        assert_eq!(r["rank"], Value::Null);
        assert_eq!(r["published"], Value::Null);
    }
    assert!(
        out["data"][0]["snippet"]
            .as_str()
            .unwrap()
            .starts_with("The official home of rust lang.")
    );
    let reqs = search_requests(&env);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/html/search");
    assert_eq!(reqs[0].query_value("q"), Some("rust lang"));
    assert!(
        reqs[0]
            .header("cookie")
            .unwrap()
            .contains(&format!("kagi_session={SESSION_TOKEN}"))
    );
    assert!(reqs[0].header("authorization").is_none());
}

#[test]
fn the_session_is_preferred_by_default_when_both_are_configured() {
    let env = session_env().var("KAGI_API_TOKEN", API_TOKEN);
    env.run(&["search", "rust"]).json();
    let reqs = search_requests(&env);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/html/search");
}

#[test]
fn missing_credentials_name_the_fix() {
    let env = Env::new();
    env.run(&["search", "rust"]).fails_with(
        1,
        "configuration error: missing credentials: set KAGI_API_TOKEN or KAGI_SESSION_TOKEN (env), or add [auth] api_token/session_token to .kagi.toml; run `kagi auth` to set one up",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn session_only_flags_need_the_session() {
    let env = api_env();
    let fix = "set KAGI_SESSION_TOKEN (env) or [auth] session_token in .kagi.toml; run `kagi auth` to set it up";
    env.run(&["search", "rust", "--lens", "2"]).fails_with(
        1,
        &format!("configuration error: lens search requires KAGI_SESSION_TOKEN (the Search API cannot search lenses): {fix}"),
    );
    let filters = format!(
        "configuration error: search filters (--region, --time, --from-date, --to-date, --order, --verbatim, --personalized) require KAGI_SESSION_TOKEN (the Search API only runs plain searches): {fix}"
    );
    for args in [
        &["--region", "us"][..],
        &["--time", "day"],
        &["--from-date", "2026-01-01"],
        &["--to-date", "2026-01-01"],
        &["--order", "recency"],
        &["--order", "website"],
        &["--order", "trackers"],
        &["--verbatim"],
        &["--personalized"],
        &["--no-personalized"],
    ] {
        let mut argv = vec!["search", "rust"];
        argv.extend_from_slice(args);
        env.run(&argv).fails_with(1, &filters);
    }
    env.run(&["search", "rust", "--news"]).fails_with(
        1,
        &format!("configuration error: search --news requires KAGI_SESSION_TOKEN: {fix}"),
    );
    env.run(&["search", "rust", "--follow", "1"]).fails_with(
        1,
        &format!("configuration error: search --follow summarises results with the subscriber summarizer, which requires KAGI_SESSION_TOKEN: {fix}"),
    );
    assert!(env.mock.requests().is_empty(), "nothing is sent");
    // --order default and --snap keep the Search API.
    env.run(&["search", "rust", "--order", "default", "--snap", "@reddit"])
        .json();
    let reqs = search_requests(&env);
    assert_eq!(reqs[0].path, "/api/v0/search");
    assert_eq!(reqs[0].query_value("q"), Some("@reddit rust"));
}

#[test]
fn filters_reach_the_session_search() {
    let env = session_env().var("KAGI_API_TOKEN", API_TOKEN);
    let out = env
        .run(&[
            "search",
            "rust lang",
            "--snap",
            "reddit",
            "--lens",
            "2",
            "--region",
            "us",
            "--time",
            "week",
            "--order",
            "recency",
            "--verbatim",
            "--no-personalized",
        ])
        .json();
    assert_eq!(
        out["data"][0]["title"],
        "Lens 2: @reddit rust lang — Official Site"
    );
    let reqs = search_requests(&env);
    let pairs: Vec<(&str, &str)> = reqs[0]
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("q", "@reddit rust lang"),
            ("l", "2"),
            ("r", "us"),
            ("dr", "2"),
            ("order", "2"),
            ("verbatim", "1"),
            ("personalized", "0")
        ]
    );
    env.run(&[
        "search",
        "rust",
        "--from-date",
        "2024-02-29",
        "--to-date",
        "2024-03-01",
        "--personalized",
        "--order",
        "trackers",
    ])
    .json();
    let last = search_requests(&env).pop().unwrap();
    assert_eq!(last.query_value("from_date"), Some("2024-02-29"));
    assert_eq!(last.query_value("to_date"), Some("2024-03-01"));
    assert_eq!(last.query_value("personalized"), Some("1"));
    assert_eq!(last.query_value("order"), Some("4"));
    env.run(&["search", "rust", "--time", "year", "--order", "website"])
        .json();
    let last = search_requests(&env).pop().unwrap();
    assert_eq!(last.query_value("dr"), Some("4"));
    assert_eq!(last.query_value("order"), Some("3"));
}

#[test]
fn refused_combinations_and_bad_values() {
    let env = session_env();
    let config = |args: &[&str], message: &str| {
        let mut argv = vec!["search"];
        argv.extend_from_slice(args);
        env.run(&argv)
            .fails_with(1, &format!("configuration error: {message}"));
    };
    config(
        &["rust", "--time", "day", "--from-date", "2026-01-01"],
        "search --time cannot be combined with --from-date or --to-date",
    );
    config(
        &["rust", "--from-date", "2023-02-29"],
        "search --from-date must use YYYY-MM-DD format and be a real date (got '2023-02-29')",
    );
    config(
        &["rust", "--to-date", "26-01-01"],
        "search --to-date must use YYYY-MM-DD format and be a real date (got '26-01-01')",
    );
    config(
        &[
            "rust",
            "--from-date",
            "2026-02-02",
            "--to-date",
            "2026-02-01",
        ],
        "search --from-date cannot be after --to-date (2026-02-02 > 2026-02-01)",
    );
    config(
        &["rust", "--lens", "programming"],
        "lens 'programming' must be a numeric index (e.g., '0', '1', '2'); find a lens's index at https://kagi.com/settings/lenses",
    );
    config(&["rust", "--limit", "0"], "limit must be at least 1");
    config(&["   "], "search query cannot be empty");
    config(&["rust", "--follow", "0"], "--follow must be at least 1");
    for (args, message) in [
        (
            &["--lens", "1"][..],
            "--news cannot be combined with --lens",
        ),
        (&["--snap", "x"], "--news cannot be combined with --snap"),
        (
            &["--from-date", "2026-01-01"],
            "--news cannot be combined with --from-date or --to-date",
        ),
        (&["--verbatim"], "--news cannot be combined with --verbatim"),
        (
            &["--no-personalized"],
            "--news cannot be combined with --personalized or --no-personalized",
        ),
        (
            &["--follow", "1"],
            "--news cannot be combined with --follow",
        ),
        (
            &["--template", "{{url}}"],
            "--news cannot be combined with --template",
        ),
        (
            &["--time", "year"],
            "--time year is not supported with --news (only day, week, or month)",
        ),
        (
            &["--order", "trackers"],
            "--order trackers is not supported with --news (use default, recency, or website)",
        ),
    ] {
        let mut argv = vec!["rust", "--news"];
        argv.extend_from_slice(args);
        config(&argv, message);
    }
    // Usage errors come from the parser built from the manifest (exit 2).
    let run = env.run(&["search", "rust", "--personalized", "--no-personalized"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(&run.stderr, "cannot be used with");
    let run = env.run(&["search", "rust", "--template", "{{url}}", "--follow", "1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(&run.stderr, "cannot be used with");
    for bad in [
        &["search", "rust", "--format", "xml"][..],
        &["search", "rust", "--time", "decade"],
        &["search", "rust", "--limit", "-1"],
        &["search"],
    ] {
        assert_eq!(env.run(bad).code, 2, "{bad:?}");
    }
    assert!(env.mock.requests().is_empty(), "no refused search is sent");
}

fn stdout(run: Run) -> String {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.stdout
}

#[test]
fn every_format() {
    let env = api_env();
    let pretty = stdout(env.run(&["search", "rust", "--format", "pretty", "--limit", "2"]));
    assert_eq!(
        pretty,
        "1. rust - Wikipedia\n   https://en.wikipedia.org/wiki/rust\n\n   rust is covered in this encyclopedia article: history, definitions, notable uses and further reading.\n\n2. rust: the complete guide\n   https://www.guidehub.example.com/guides/rust\n\n   Everything you need to know about rust, from the basics to advanced techniques, updated for 2026.\n"
    );
    assert!(!pretty.contains('\x1b'), "no colour off a terminal");
    let markdown = stdout(env.run(&["search", "rust", "--format", "markdown", "--limit", "2"]));
    assert_eq!(
        markdown,
        "## 1. [rust - Wikipedia](https://en.wikipedia.org/wiki/rust)\n\nrust is covered in this encyclopedia article: history, definitions, notable uses and further reading.\n\n## 2. [rust: the complete guide](https://www.guidehub.example.com/guides/rust)\n\nEverything you need to know about rust, from the basics to advanced techniques, updated for 2026.\n"
    );
    let csv = stdout(env.run(&["search", "rust", "--format", "csv", "--limit", "2"]));
    assert_eq!(
        csv,
        "title,url,snippet\nrust - Wikipedia,https://en.wikipedia.org/wiki/rust,\"rust is covered in this encyclopedia article: history, definitions, notable uses and further reading.\"\nrust: the complete guide,https://www.guidehub.example.com/guides/rust,\"Everything you need to know about rust, from the basics to advanced techniques, updated for 2026.\"\n"
    );
    let compact = stdout(env.run(&["search", "rust", "--format", "compact", "--limit", "1"]));
    assert!(
        compact.starts_with("{\"data\":[{\"t\":0,\"rank\":1,\"url\":\"https://en.wikipedia.org/wiki/rust\",\"title\":\"rust - Wikipedia\",\"snippet\":"),
        "{compact}"
    );
    assert!(compact.ends_with("\"published\":null}]}\n"), "{compact}");
    let template = stdout(env.run(&[
        "search",
        "rust",
        "--template",
        "{{rank}}\t{{title}}\t{{url}}\t{{other}}",
        "--format",
        "csv",
        "--limit",
        "3",
    ]));
    assert_eq!(
        template,
        "1\trust - Wikipedia\thttps://en.wikipedia.org/wiki/rust\t{{other}}\n2\trust: the complete guide\thttps://www.guidehub.example.com/guides/rust\t{{other}}\n3\tLatest news about rust\thttps://news.example.org/topics/rust\t{{other}}\n"
    );
    let snippet = stdout(env.run(&[
        "search",
        "rust",
        "--template",
        "{{snippet}}",
        "--limit",
        "1",
    ]));
    assert!(snippet.starts_with("rust is covered"), "{snippet}");
    // NO_COLOR and --no-color keep pretty output plain.
    let plain = stdout(api_env().var("NO_COLOR", "1").run(&[
        "search",
        "rust",
        "--format",
        "pretty",
        "--no-color",
        "--limit",
        "1",
    ]));
    assert!(plain.starts_with("1. rust - Wikipedia\n"), "{plain}");
}

#[test]
fn no_results() {
    let env = session_env();
    let run = env.run(&["search", "noresults here"]);
    assert_eq!(run.stdout, "{\n  \"data\": []\n}\n");
    assert_eq!(
        stdout(env.run(&["search", "noresults", "--format", "pretty"])),
        "No results found.\n"
    );
    assert_eq!(
        stdout(env.run(&["search", "noresults", "--format", "markdown"])),
        "# No results found.\n"
    );
    assert_eq!(
        stdout(env.run(&["search", "noresults", "--format", "csv"])),
        "title,url,snippet\n"
    );
    assert_eq!(
        stdout(env.run(&["search", "noresults", "--template", "{{url}}"])),
        ""
    );
    let api = api_env();
    assert_eq!(
        api.run(&["search", "noresults"]).json()["data"],
        serde_json::json!([])
    );
}

#[test]
fn a_logged_out_page_is_an_authentication_error() {
    let env = Env::new().var("KAGI_SESSION_TOKEN", "expired-token");
    env.run(&["search", "rust"]).fails_with(
        1,
        "authentication error: invalid or expired Kagi session token: Kagi answered the search with its signed-out page; copy a fresh Session Link and run `kagi auth`",
    );
    let env = session_env();
    let faulty = env.mock.fault_url("logged-out");
    let env = env.var("KAGI_BASE_URL", &faulty);
    env.run(&["search", "rust"]).fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token",
    );
    env.run(&["search", "rust", "--news"]).fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token",
    );
}

#[test]
fn search_api_failures() {
    api_env().with_fault("status=401").run(&["search", "rust"]).fails_with(
        1,
        "authentication error: Kagi Search API rejected the API token: HTTP 401 Unauthorized; Invalid token; check KAGI_API_TOKEN or run `kagi auth`",
    );
    Env::new()
        .var("KAGI_API_TOKEN", "wrong")
        .run(&["search", "rust"])
        .fails_starting(
            1,
            "authentication error: Kagi Search API rejected the API token: HTTP 401",
        );
    api_env().with_fault("status=402").run(&["search", "rust"]).fails_with(
        1,
        "configuration error: Kagi Search API request rejected: HTTP 402 Payment Required; Insufficient credit to perform this request.",
    );
    api_env().with_fault("status=429").run(&["search", "rust"]).fails_with(
        1,
        "network error: Kagi Search API is rate limiting requests: HTTP 429 Too Many Requests; Rate limited. Retry later.; try again later",
    );
    api_env()
        .with_fault("status=503")
        .run(&["search", "rust"])
        .fails_starting(
            1,
            "network error: Kagi Search API server error: HTTP 503 Service Unavailable",
        );
    api_env()
        .with_fault("malformed")
        .run(&["search", "rust"])
        .fails_starting(1, "parse error: failed to parse Kagi Search API response:");
    api_env()
        .with_fault("truncate")
        .run(&["search", "rust"])
        .fails_starting(1, "network error:");
}

#[test]
fn session_search_failures() {
    session_env()
        .with_fault("status=429")
        .run(&["search", "rust"])
        .fails_starting(
            1,
            "network error: unexpected Kagi search response status: HTTP 429 Too Many Requests",
        );
    session_env().with_fault("status=403")
        .run(&["search", "rust"])
        .fails_starting(1, "authentication error: invalid or expired Kagi session token for search: HTTP 403 Forbidden");
    session_env()
        .with_fault("status=500")
        .run(&["search", "rust"])
        .fails_starting(1, "network error: Kagi search server error: HTTP 500");
    session_env()
        .with_fault("malformed")
        .run(&["search", "rust"])
        .fails_with(
            1,
            "parse error: failed to parse Kagi search response: it is not an HTML page",
        );
    let out = session_env()
        .with_fault("empty")
        .run(&["search", "rust"])
        .json();
    assert_eq!(out["data"], serde_json::json!([]));
}

#[test]
fn limit_truncates_after_site_preferences() {
    let env = session_env();
    env.run(&["site-pref", "set", "example.com", "--mode", "block"])
        .json();
    let out = env.run(&["search", "rust", "--limit", "3"]).json();
    assert_eq!(
        urls(&out),
        [
            "https://en.wikipedia.org/wiki/rust",
            "https://www.tipsandtricks.example.net/rust",
            "https://www.reddit.com/r/rust/"
        ],
        "subdomains of a blocked site are gone before the limit applies"
    );
}

#[test]
fn news_tab() {
    let env = session_env().var("KAGI_API_TOKEN", API_TOKEN);
    let run = env.run(&[
        "search", "iran", "--news", "--region", "us", "--time", "day", "--order", "website",
    ]);
    let out = run.json();
    assert!(
        run.stdout
            .starts_with("{\n  \"query\": \"iran\",\n  \"clusters\": ["),
        "{}",
        run.stdout
    );
    let clusters = out["clusters"].as_array().unwrap();
    let sizes: Vec<usize> = clusters
        .iter()
        .map(|c| c["items"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [1, 3, 1, 2]);
    let lead = &clusters[0]["items"][0];
    assert_eq!(lead["title"], "Talks on iran resume as deadline nears");
    assert_eq!(lead["source"], "www.cnn.com");
    assert_eq!(lead["time_relative"], "2 hours ago");
    assert_eq!(lead["paywall"], true);
    assert!(
        lead["image_url"]
            .as_str()
            .unwrap()
            .starts_with("https://kagiproxy.com/img/")
    );
    assert_eq!(
        lead["snippet"],
        "Negotiators met again on iran on Monday. Filters: r=us, freshness=day, order=3."
    );
    let brief = &clusters[2]["items"][0];
    assert!(brief.get("source").is_none() && brief.get("time_relative").is_none());
    assert!(brief.get("snippet").is_none() && brief.get("image_url").is_none());
    let req = search_requests(&env).pop().unwrap();
    assert_eq!(req.path, "/news");
    let pairs: Vec<(&str, &str)> = req
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("q", "iran"),
            ("r", "us"),
            ("freshness", "day"),
            ("order", "3")
        ]
    );

    let limited = env
        .run(&[
            "search", "iran", "--news", "--limit", "3", "--order", "default",
        ])
        .json();
    let sizes: Vec<usize> = limited["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["items"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [1, 2]);
    assert_eq!(
        search_requests(&env).pop().unwrap().query_value("order"),
        Some("1")
    );

    let pretty = stdout(env.run(&[
        "search", "iran", "--news", "--format", "pretty", "--limit", "2",
    ]));
    assert_eq!(
        pretty,
        "── Cluster 1\nwww.cnn.com · 2 hours ago [paywall]\n  Talks on iran resume as deadline nears\n  https://www.cnn.com/world/iran\n  Negotiators met again on iran on Monday.\n\n── Cluster 2\nbbc.com · 3 hours ago\n  What we know about iran\n  https://bbc.com/news/iran\n  A guide to iran.\n"
    );
    let markdown = stdout(env.run(&[
        "search", "iran", "--news", "--format", "markdown", "--limit", "1",
    ]));
    assert_eq!(
        markdown,
        "## Cluster 1\n\n- [Talks on iran resume as deadline nears](https://www.cnn.com/world/iran) — www.cnn.com, 2 hours ago *(paywall)*\n  Negotiators met again on iran on Monday.\n"
    );
    let csv = stdout(env.run(&[
        "search", "iran", "--news", "--format", "csv", "--limit", "2",
    ]));
    assert_eq!(
        csv,
        "cluster,source,time_relative,title,url,paywall,snippet\n1,www.cnn.com,2 hours ago,Talks on iran resume as deadline nears,https://www.cnn.com/world/iran,true,Negotiators met again on iran on Monday.\n2,bbc.com,3 hours ago,What we know about iran,https://bbc.com/news/iran,false,A guide to iran.\n"
    );
    let compact = stdout(env.run(&[
        "search", "iran", "--news", "--format", "compact", "--limit", "1",
    ]));
    assert!(
        compact.starts_with("{\"query\":\"iran\",\"clusters\":[{\"items\":[{\"title\":"),
        "{compact}"
    );
    let none = env.run(&["search", "noresults", "--news"]).json();
    assert_eq!(none["clusters"], serde_json::json!([]));
    assert_eq!(
        stdout(env.run(&["search", "noresults", "--news", "--format", "pretty"])),
        "No news results found.\n"
    );
}

#[test]
fn follow_summarises_the_top_results() {
    let env = session_env();
    let run = env.run(&["search", "rust", "--follow", "2", "--limit", "3"]);
    let out = run.json();
    // Ad-hoc JSON has sorted keys at every level, search results included.
    assert!(run.stdout.starts_with("{\n  \"query\": \"rust\",\n  \"search\": {\n    \"data\": [\n      {\n        \"published\": null,\n        \"rank\": null,\n        \"snippet\":"), "{}", run.stdout);
    assert_eq!(out["search"]["data"].as_array().unwrap().len(), 3);
    let summaries = out["summaries"].as_array().unwrap();
    assert_eq!(summaries.len(), 2);
    assert_eq!(summaries[0]["url"], "https://rust.example.com/");
    assert_eq!(summaries[0]["title"], "rust — Official Site");
    let s = &summaries[0]["summary"];
    assert_eq!(
        s["data"]["output"],
        "Summary (article) of https://rust.example.com/: the page explains its topic in three parts."
    );
    assert_eq!(s["data"]["state"], "done");
    assert_eq!(s["meta"]["version"], "202604060700.stage.mock");
    assert_eq!(s["data"]["metadata_html"], "<li>mock summarizer</li>");
    let reqs: Vec<_> = env
        .mock
        .requests()
        .into_iter()
        .filter(|r| r.path == "/mother/summary_labs")
        .collect();
    assert_eq!(reqs.len(), 2);
    let mut seen: Vec<&str> = reqs.iter().map(|r| r.query_value("url").unwrap()).collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            "https://en.wikipedia.org/wiki/rust",
            "https://rust.example.com/"
        ]
    );
    let pairs: Vec<&str> = reqs[0].query.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        pairs,
        [
            "url",
            "stream",
            "target_language",
            "summary_type",
            "summary_length"
        ]
    );
    assert_eq!(
        reqs[0].header("accept"),
        Some("application/vnd.kagi.stream")
    );
    assert!(reqs[0].header("cookie").unwrap().contains("kagi_session="));
    // A summary that fails fails the command.
    env.run(&["search", "summary error", "--follow", "1"]).fails_with(
        1,
        "network error: Kagi subscriber summarizer failed: This page could not be summarized. (summarising https://summary-error.example.com/)",
    );
}

#[test]
fn the_cache_answers_without_a_request() {
    let env = session_env();
    let first = env.run(&["search", "rust", "--local-cache"]);
    assert_eq!(search_requests(&env).len(), 1);
    let second = env.run(&["search", "rust", "--local-cache"]);
    assert_eq!(search_requests(&env).len(), 1, "a hit makes no request");
    assert_eq!(first.stdout, second.stdout);
    // Site preferences and --limit apply to cached answers too.
    let limited = env
        .run(&["search", "rust", "--local-cache", "--limit", "1"])
        .json();
    assert_eq!(limited["data"].as_array().unwrap().len(), 1);
    assert_eq!(search_requests(&env).len(), 1);
    // Other queries, other filters and runs without the flag miss.
    env.run(&["search", "rust", "--local-cache", "--region", "de"])
        .json();
    env.run(&["search", "rust"]).json();
    assert_eq!(search_requests(&env).len(), 3);
    // The news tab has its own namespace.
    env.run(&["search", "rust", "--news", "--local-cache"])
        .json();
    env.run(&["search", "rust", "--news", "--local-cache"])
        .json();
    assert_eq!(search_requests(&env).len(), 4);
    // Errors are never cached.
    let failing = session_env().with_fault("status=500");
    failing
        .run(&["search", "rust", "--local-cache"])
        .fails_starting(1, "network error:");
    failing
        .run(&["search", "rust", "--local-cache"])
        .fails_starting(1, "network error:");
    assert_eq!(search_requests(&failing).len(), 2);
    let files = std::fs::read_dir(env.state_dir().join("storage/search/responses"))
        .unwrap()
        .count();
    assert_eq!(files, 3);
}

#[test]
fn history_records_searches() {
    let env = session_env();
    env.run(&["search", "rust", "--limit", "2"]).json();
    env.run(&["search", "go", "--snap", "reddit"]).json();
    env.run(&["search", "noresults"]).json();
    env.run(&["search", "iran", "--news"]).json();
    let list = env.run(&["history", "list"]).json();
    let entries = list.as_array().unwrap();
    assert_eq!(entries.len(), 3, "the news tab is not recorded: {list}");
    let queries: Vec<&str> = entries
        .iter()
        .map(|e| e["query"].as_str().unwrap())
        .collect();
    assert!(queries.contains(&"@reddit go") && queries.contains(&"noresults"));
    let rust = entries.iter().find(|e| e["query"] == "rust").unwrap();
    assert_eq!(rust["command"], "search");
    assert_eq!(rust["result_count"], 2, "the count of results shown");
    let keys: Vec<&String> = rust.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    assert!(rust["timestamp"].as_u64().unwrap() > 1_700_000_000);
    assert_eq!(
        env.run(&["history", "list", "--limit", "1"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let stats = env.run(&["history", "stats"]);
    assert_eq!(
        stats.json(),
        serde_json::json!({"by_command": {"search": 3}, "by_query": {"@reddit go": 1, "noresults": 1, "rust": 1}, "total": 3})
    );
    assert!(stats.stdout.starts_with("{\n  \"by_command\""));
    // A torn line is skipped with a warning.
    let file = env.state_dir().join("storage/search/history.jsonl");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("{\"timestamp\":12");
    std::fs::write(&file, text).unwrap();
    let run = env.run(&["history", "list", "--limit", "0"]);
    assert_eq!(run.json().as_array().unwrap().len(), 3);
    assert_eq!(
        run.stderr,
        "warning: skipped 1 unreadable line of the search history\n"
    );
}

#[test]
fn history_can_be_turned_off() {
    let env = session_env().var("KAGI_HISTORY", "off");
    env.run(&["search", "rust"]).json();
    assert!(
        !env.state_dir()
            .join("storage/search/history.jsonl")
            .exists()
    );
    assert_eq!(env.run(&["history", "list"]).stdout, "[]\n");
}

#[test]
fn site_preferences() {
    let env = api_env();
    assert_eq!(
        env.run(&["site-pref", "list"]).json(),
        serde_json::json!({"domains": {}})
    );
    assert_eq!(
        env.run(&[
            "site-pref",
            "set",
            "https://WWW.Reddit.com/r/rust",
            "--mode",
            "pin"
        ])
        .json(),
        serde_json::json!({"domain": "www.reddit.com", "mode": "pin"})
    );
    assert_eq!(
        env.run(&["site-pref", "set", "example.org", "--mode", "raise"])
            .json(),
        serde_json::json!({"domain": "example.org", "mode": "higher"})
    );
    env.run(&["site-pref", "set", "wikipedia.org", "--mode", "lower"])
        .json();
    env.run(&["site-pref", "set", "ycombinator.com", "--mode", "block"])
        .json();
    let out = env.run(&["search", "rust"]).json();
    assert_eq!(
        urls(&out),
        [
            "https://www.reddit.com/r/rust/",
            "https://news.example.org/topics/rust",
            "https://www.guidehub.example.com/guides/rust",
            "https://en.wikipedia.org/wiki/rust",
        ]
    );
    assert_eq!(
        env.run(&["site-pref", "list"]).json(),
        serde_json::json!({"domains": {"example.org": "higher", "wikipedia.org": "lower", "www.reddit.com": "pin", "ycombinator.com": "block"}})
    );
    assert_eq!(
        env.run(&["site-pref", "remove", "ycombinator.com"]).json(),
        serde_json::json!({"domain": "ycombinator.com", "removed": true})
    );
    assert_eq!(
        env.run(&["site-pref", "remove", "ycombinator.com"]).json(),
        serde_json::json!({"domain": "ycombinator.com", "removed": false})
    );
    assert_eq!(urls(&env.run(&["search", "rust"]).json()).len(), 5);
    env.run(&["site-pref", "set", "a b", "--mode", "block"])
        .fails_with(
            1,
            "configuration error: invalid domain `a b`: give a host name such as example.com",
        );
    assert_eq!(
        env.run(&["site-pref", "set", "x.com", "--mode", "sideways"])
            .code,
        2
    );
    assert_eq!(env.run(&["site-pref", "set", "x.com"]).code, 2);
    assert_eq!(env.run(&["site-pref"]).code, 2);
    assert!(
        env.mock.requests().len() == 2,
        "site-pref never goes online"
    );
}

#[test]
fn concurrent_runs_do_not_lose_or_corrupt_local_state() {
    let env = session_env();
    let children: Vec<_> = (0..6)
        .map(|i| {
            let domain = format!("site{i}.example");
            env.command(&["site-pref", "set", &domain, "--mode", "block"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .chain((0..4).map(|i| {
            env.command(&["search", &format!("query {i}")])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        }))
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let domains = env.run(&["site-pref", "list"]).json();
    assert_eq!(
        domains["domains"].as_object().unwrap().len(),
        6,
        "{domains}"
    );
    let run = env.run(&["history", "list"]);
    assert_eq!(run.json().as_array().unwrap().len(), 4);
    assert_eq!(run.stderr, "");
}

#[test]
fn cache_ttl_is_the_one_of_the_reading_run() {
    let env = session_env();
    env.run(&["search", "rust", "--local-cache"]).json();
    let dir = env.state_dir().join("storage/search/responses");
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // Age the entry by an hour.
    let mut envelope: Value = serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    assert_eq!(envelope["ttl_seconds"], 900);
    envelope["created_at"] = (envelope["created_at"].as_u64().unwrap() - 3600).into();
    std::fs::write(&entry, serde_json::to_vec(&envelope).unwrap()).unwrap();
    env.run(&["search", "rust", "--local-cache", "--cache-ttl", "7200"])
        .json();
    assert_eq!(
        search_requests(&env).len(),
        1,
        "an hour old is fresh for a 2-hour TTL"
    );
    env.run(&["search", "rust", "--local-cache"]).json();
    assert_eq!(
        search_requests(&env).len(),
        2,
        "and stale for the default 15 minutes"
    );
    env.run(&["search", "rust", "--local-cache", "--cache-ttl", "7200"])
        .json();
    assert_eq!(
        search_requests(&env).len(),
        2,
        "the refreshed entry is used again"
    );
    // A corrupt entry is a miss, not an error.
    std::fs::write(&entry, b"{broken").unwrap();
    env.run(&["search", "rust", "--local-cache"]).json();
    assert_eq!(search_requests(&env).len(), 3);
}

/// Writes `./.kagi.toml` in the test's working directory.
fn config(env: &Env, text: &str) {
    crate::support::write_private(&env.work_dir().join(".kagi.toml"), text);
}

#[test]
fn api_first_falls_back_to_the_session_when_the_api_rejects_the_token() {
    let env = Env::new();
    config(
        &env,
        &format!(
            "[auth]\npreferred_auth = \"api\"\napi_token = \"bad-api-token-0000000001\"\nsession_token = \"{SESSION_TOKEN}\"\n"
        ),
    );
    let out = env.run(&["search", "rust lang"]).json();
    // The HTML path's first result, not the API's.
    assert_eq!(titles(&out)[0], "rust lang — Official Site");
    let paths: Vec<String> = search_requests(&env).into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/v0/search", "/html/search"]);
    // The strict check does not fall back, so it fails where search succeeded.
    let check = env.run(&["auth", "check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .starts_with("authentication error: auth check failed for api-token"),
        "{}",
        check.stderr
    );
}

#[test]
fn api_first_with_a_good_token_uses_the_api_and_a_profile_inherits_the_preference() {
    let env = Env::new();
    config(
        &env,
        &format!(
            "[auth]\npreferred_auth = \"api\"\napi_token = \"{API_TOKEN}\"\nsession_token = \"{SESSION_TOKEN}\"\n[profiles.work.auth]\napi_token = \"bad-api-token-0000000002\"\n"
        ),
    );
    let out = env.run(&["search", "rust lang"]).json();
    assert_eq!(titles(&out)[0], "rust lang - Wikipedia");
    assert_eq!(search_requests(&env).len(), 1);
    // The profile only overrides the API token: it inherits preferred_auth and the session.
    let out = env
        .run(&["--profile", "work", "search", "rust lang"])
        .json();
    assert_eq!(titles(&out)[0], "rust lang — Official Site");
}

#[test]
fn without_a_session_the_api_rejection_is_the_error() {
    let env = Env::new();
    config(
        &env,
        "[auth]\npreferred_auth = \"api\"\napi_token = \"bad-api-token-0000000003\"\n",
    );
    let run = env.run(&["search", "rust lang"]);
    run.fails_starting(1, "authentication error: ");
    let paths: Vec<String> = search_requests(&env).into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/v0/search"], "no fallback without a session");
}

#[test]
fn history_can_be_turned_off_in_the_config_file() {
    let env = session_env();
    config(&env, "[plugins.search]\nhistory = false\n");
    env.run(&["search", "rust"]).json();
    assert_eq!(env.run(&["history", "list"]).stdout, "[]\n");
    config(&env, "[plugins.search]\nhistory = true\n");
    env.run(&["search", "rust"]).json();
    assert_eq!(
        env.run(&["history", "list"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
