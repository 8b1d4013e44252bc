//! `kagi fastgpt` and `kagi enrich web|news`, the paid API tools, against the mock.

use crate::support::Env;
use kagi_mock::API_TOKEN;
use serde_json::{Value, json};

fn api_env() -> Env {
    Env::new().var("KAGI_API_TOKEN", API_TOKEN)
}

fn fastgpt_bodies(env: &Env) -> Vec<Value> {
    env.requests_to("/api/v0/fastgpt")
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[test]
fn fastgpt_prints_the_answer_in_the_spec_shape() {
    let env = api_env();
    let run = env.run(&["fastgpt", "what changed in rust 1.86?"]);
    assert_eq!(
        run.json(),
        json!({
            "meta": {"id": "mock-paid-api", "node": "us-east4", "ms": 912},
            "data": {
                "output": "FastGPT answer to: what changed in rust 1.86? [1]",
                "tokens": 321,
                "references": [
                    {"title": "Reference for the answer", "snippet": "Where the <b>answer</b> comes from.", "url": "https://docs.example/answer"},
                    {"title": "Second reference", "snippet": "", "url": "https://second.example/"},
                ],
            },
        })
    );
    // Declaration order, two-space JSON.
    assert!(
        run.stdout.starts_with("{\n  \"meta\": {\n    \"id\""),
        "{}",
        run.stdout
    );
    let sent = env.requests_to("/api/v0/fastgpt");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].header("content-type"), Some("application/json"));
}

#[test]
fn fastgpt_sends_cache_and_web_search_only_when_given() {
    let env = api_env();
    env.run(&["fastgpt", "q"]).json();
    env.run(&["fastgpt", "q", "--cache", "false"]).json();
    env.run(&["fastgpt", "q", "--web-search", "true", "--cache", "true"])
        .json();
    assert_eq!(
        fastgpt_bodies(&env),
        [
            json!({"query": "q"}),
            json!({"query": "q", "cache": false}),
            json!({"query": "q", "cache": true, "web_search": true}),
        ]
    );
    // The values are true|false, required.
    let run = env.run(&["fastgpt", "q", "--cache", "maybe"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(fastgpt_bodies(&env).len(), 3);
}

#[test]
fn fastgpt_local_cache_answers_a_second_run_without_a_request() {
    let env = api_env();
    let first = env.run(&["fastgpt", "cached question", "--local-cache"]);
    let second = env.run(&["fastgpt", "cached question", "--local-cache"]);
    assert_eq!(first.json(), second.json());
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(
        fastgpt_bodies(&env).len(),
        1,
        "the second run is a cache hit"
    );
    // Without the flag, with other options or a TTL of zero, it asks again.
    env.run(&["fastgpt", "cached question"]).json();
    env.run(&[
        "fastgpt",
        "cached question",
        "--local-cache",
        "--cache",
        "false",
    ])
    .json();
    env.run(&[
        "fastgpt",
        "cached question",
        "--local-cache",
        "--cache-ttl",
        "0",
    ])
    .json();
    assert_eq!(fastgpt_bodies(&env).len(), 4);
}

#[test]
fn fastgpt_errors_are_never_cached() {
    let env = api_env().with_fault("status=503");
    for _ in 0..2 {
        env.run(&["fastgpt", "q", "--local-cache"])
            .fails_starting(1, "network error: Kagi FastGPT server error: HTTP 503");
    }
    assert_eq!(fastgpt_bodies(&env).len(), 2);
}

#[test]
fn a_missing_api_token_names_the_fix_and_sends_nothing() {
    let env = Env::new();
    let line = "configuration error: this command requires KAGI_API_TOKEN (env or .kagi.toml [auth] api_token); run `kagi auth` to set it up";
    env.run(&["fastgpt", "q"]).fails_with(1, line);
    env.run(&["fastgpt", "q", "--local-cache"])
        .fails_with(1, line);
    env.run(&["enrich", "web", "q"]).fails_with(1, line);
    env.run(&["enrich", "news", "q"]).fails_with(1, line);
    assert_eq!(env.mock.requests(), []);
}

#[test]
fn running_out_of_api_credit_is_shown_as_kagi_reports_it() {
    let env = api_env().with_fault("status=402");
    env.run(&["fastgpt", "q"]).fails_with(
        1,
        "authentication error: Kagi FastGPT request rejected: HTTP 402 Payment Required; Insufficient credit to perform this request. Add API credit at https://kagi.com/settings/billing_api, then try again",
    );
    env.run(&["enrich", "web", "q"]).fails_with(
        1,
        "authentication error: Kagi Enrich web request rejected: HTTP 402 Payment Required; Insufficient credit to perform this request. Add API credit at https://kagi.com/settings/billing_api, then try again",
    );
}

#[test]
fn a_rejected_api_token_is_an_authentication_error() {
    let env = api_env().var("KAGI_API_TOKEN", "wrong");
    env.run(&["fastgpt", "q"]).fails_with(
        1,
        "authentication error: invalid Kagi API token or access is not enabled for FastGPT: HTTP 401 Unauthorized; check KAGI_API_TOKEN or run `kagi auth`; Invalid token",
    );
    env.run(&["enrich", "news", "q"]).fails_with(
        1,
        "authentication error: invalid Kagi API token or access is not enabled for Enrich news: HTTP 401 Unauthorized; check KAGI_API_TOKEN or run `kagi auth`; Invalid token",
    );
    // The token was attached as `Authorization: Bot <token>`.
    assert_eq!(
        env.requests_to("/api/v0/fastgpt")[0].header("authorization"),
        Some("Bot wrong")
    );
}

#[test]
fn a_rate_limit_is_a_network_error_with_kagis_retry_after() {
    api_env().with_fault("status=429")
        .run(&["fastgpt", "q"])
        .fails_with(
            1,
            "network error: Kagi FastGPT request rejected: HTTP 429 Too Many Requests; Rate limited. Retry later. Kagi asks to wait 30 seconds before trying again",
        );
}

#[test]
fn an_html_page_where_json_belongs_is_a_parse_error() {
    api_env().with_fault("logged-out")
        .run(&["fastgpt", "q"])
        .fails_with(
            1,
            "parse error: failed to parse FastGPT response: Kagi answered with a web page instead of JSON; try again later",
        );
    api_env().with_fault("logged-out")
        .run(&["enrich", "web", "q"])
        .fails_with(
            1,
            "parse error: failed to parse Enrich web response: Kagi answered with a web page instead of JSON; try again later",
        );
}

#[test]
fn malformed_json_and_server_errors_give_one_line() {
    api_env()
        .with_fault("malformed")
        .run(&["fastgpt", "q"])
        .fails_starting(1, "parse error: failed to parse FastGPT response: ");
    api_env().with_fault("status=500")
        .run(&["enrich", "news", "q"])
        .fails_with(
            1,
            "network error: Kagi Enrich news server error: HTTP 500 Internal Server Error; Internal server error. Please try again later.",
        );
    let run = api_env()
        .with_fault("malformed")
        .run(&["enrich", "web", "q"]);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn enrich_web_and_news_print_results_without_related_searches() {
    let env = api_env();
    for index in ["web", "news"] {
        let out = env
            .run(&["enrich", index, "  local-first software "])
            .json();
        assert_eq!(
            out,
            json!({
                "meta": {"id": "mock-paid-api", "node": "test", "ms": 12},
                "data": [
                    {"t": 0, "rank": 1, "url": format!("https://{index}.example/first"), "title": format!("{index}:   local-first software "), "snippet": "The first enrich result.", "published": "2024-01-01T00:00:00Z"},
                    {"t": 0, "rank": 2, "url": format!("https://{index}.example/second"), "title": "Second result", "snippet": "", "published": null},
                ],
            })
        );
        let sent = env.requests_to(&format!("/api/v0/enrich/{index}"));
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].method, "GET");
        assert_eq!(sent[0].query_value("q"), Some("  local-first software "));
    }
    // `enrich` alone is a usage error.
    assert_eq!(env.run(&["enrich"]).code, 2);
}
