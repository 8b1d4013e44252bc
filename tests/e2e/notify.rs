//! `kagi notify` against the mock: a plain search (or a news category) run
//! as the CLI would run it, POSTed as JSON to a webhook the user named (the
//! mock's `/_webhook/{status}` receiver), never with a credential; a policy
//! can forbid the webhook; `--change-only` sends only what changed.

use crate::support::{Env, Run};
use kagi_mock::{API_TOKEN, Recorded, SESSION_TOKEN};
use serde_json::{Value, json};

const SENT: &str = "{\n  \"sent\": true\n}\n";

fn env() -> Env {
    Env::new().var("KAGI_API_TOKEN", API_TOKEN)
}

/// The mock's webhook receiver, answering `status`.
fn hook(env: &Env, status: u16) -> String {
    format!("{}/_webhook/{status}", env.mock.url())
}

/// What the webhook received, in order.
fn deliveries(env: &Env) -> Vec<Recorded> {
    env.mock
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/_webhook/"))
        .collect()
}

fn body_json(r: &Recorded) -> Value {
    serde_json::from_slice(&r.body).expect("the webhook got JSON")
}

#[test]
fn a_search_is_posted_as_the_spec_payload_with_the_search_output_as_the_response() {
    let env = env();
    let run = env.run(&[
        "notify",
        "--query",
        "rust lang",
        "--webhook-url",
        &hook(&env, 200),
    ]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, SENT, "")
    );
    let expected = env.run(&["search", "rust lang"]).json();
    let sent = deliveries(&env);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let post = &sent[0];
    assert_eq!(post.method, "POST");
    assert_eq!(post.header("content-type"), Some("application/json"));
    assert_eq!(
        post.header("user-agent"),
        Some(concat!("kagi/", env!("CARGO_PKG_VERSION")))
    );
    let body = String::from_utf8(post.body.clone()).unwrap();
    assert!(
        body.starts_with(r#"{"kind":"search","query":"rust lang","response":{"data":["#),
        "keys in alphabetical order: {body}"
    );
    assert_eq!(
        body_json(post),
        json!({"kind": "search", "query": "rust lang", "response": expected})
    );
}

#[test]
fn a_news_category_is_posted_with_twelve_stories_and_world_is_the_default() {
    let env = env();
    let run = env.run(&[
        "notify",
        "--news-category",
        "business",
        "--webhook-url",
        &hook(&env, 202),
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, SENT), "{}", run.stderr);
    let run = env.run(&["notify", "--webhook-url", &hook(&env, 200)]);
    assert_eq!((run.code, run.stdout.as_str()), (0, SENT), "{}", run.stderr);
    let business = env.run(&["news", "--category", "business"]).json();
    let world = env.run(&["news"]).json();
    let sent = deliveries(&env);
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert_eq!(
        body_json(&sent[0]),
        json!({"category": "business", "kind": "news", "response": business})
    );
    let body = String::from_utf8(sent[1].body.clone()).unwrap();
    assert!(
        body.starts_with(r#"{"category":"world","kind":"news","response":"#),
        "{body}"
    );
    assert_eq!(
        body_json(&sent[1]),
        json!({"category": "world", "kind": "news", "response": world})
    );
    let stories = env
        .mock
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/stories"))
        .unwrap();
    assert_eq!(stories.query_value("limit"), Some("12"));
    assert_eq!(stories.query_value("lang"), Some("default"));
}

#[test]
fn the_webhook_never_receives_a_credential() {
    let env = env().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
    let run = env.run(&[
        "notify",
        "--query",
        "rust lang",
        "--webhook-url",
        &hook(&env, 200),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = deliveries(&env);
    assert_eq!(sent.len(), 1);
    let post = &sent[0];
    for name in ["authorization", "cookie", "proxy-authorization"] {
        assert_eq!(post.header(name), None, "{name}: {:?}", post.headers);
    }
    let everything = format!("{:?}{}", post.headers, String::from_utf8_lossy(&post.body));
    for token in [API_TOKEN, SESSION_TOKEN] {
        assert!(!everything.contains(token), "{everything}");
    }
}

#[test]
fn a_webhook_that_refuses_is_a_network_error_naming_its_status() {
    let env = env();
    env.run(&[
        "notify",
        "--query",
        "rust lang",
        "--webhook-url",
        &hook(&env, 500),
    ])
    .fails_with(1, "network error: webhook rejected notification: HTTP 500");
    assert_eq!(deliveries(&env).len(), 1, "it was tried once");
}

#[test]
fn a_policy_that_forbids_destinations_refuses_the_webhook_before_any_request() {
    let env = env().policy("forbid-destinations = true\n");
    let url = hook(&env, 200);
    env.run(&["notify", "--query", "rust lang", "--webhook-url", &url])
        .fails_with(
            4,
            &format!(
                "plugin denied: plugin `notify` was refused the destination {} given with --webhook-url: the administrator's policy forbids destinations named on the command line (forbid-destinations)",
                env.mock.url()
            ),
        );
    assert_eq!(env.mock.requests(), vec![], "no search and no POST");
}

#[test]
fn a_failing_search_fails_notify_with_its_own_message_and_sends_nothing() {
    let env = env();
    let search = env.run(&["search", "servererror now"]);
    assert_eq!(search.code, 1, "{}", search.stderr);
    let run = env.run(&[
        "notify",
        "--query",
        "servererror now",
        "--webhook-url",
        &hook(&env, 200),
    ]);
    assert_eq!(run.code, search.code);
    assert_eq!(run.stderr, search.stderr);
    assert_eq!(run.stdout, "");
    assert!(deliveries(&env).is_empty());
}

#[test]
fn change_only_sends_the_first_result_then_nothing_until_the_results_change() {
    let env = env();
    let url = hook(&env, 200);
    let args = [
        "notify",
        "--query",
        "rust lang",
        "--webhook-url",
        &url,
        "--change-only",
    ];
    let first = env.run(&args);
    assert_eq!(
        (first.code, first.stdout.as_str()),
        (0, SENT),
        "{}",
        first.stderr
    );
    let again = env.run(&args);
    assert_eq!(
        (again.code, again.stdout.as_str(), again.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(
        deliveries(&env).len(),
        1,
        "the same results are not sent again"
    );
    // The same query, now with no results: a change, so it is sent.
    let mut cmd = env.command(&args);
    cmd.env("KAGI_BASE_URL", env.mock.fault_url("empty"));
    let changed = Run::from(cmd.output().unwrap());
    assert_eq!(
        (changed.code, changed.stdout.as_str()),
        (0, SENT),
        "{}",
        changed.stderr
    );
    let sent = deliveries(&env);
    assert_eq!(sent.len(), 2);
    assert_eq!(body_json(&sent[1])["response"], json!({"data": []}));
}

#[test]
fn change_only_keeps_a_result_whose_delivery_failed_for_the_next_run() {
    let env = env();
    let query = [
        "notify",
        "--query",
        "rust lang",
        "--change-only",
        "--webhook-url",
    ];
    let (refusing, accepting) = (hook(&env, 503), hook(&env, 200));
    let failing = [&query[..], &[refusing.as_str()]].concat();
    env.run(&failing)
        .fails_with(1, "network error: webhook rejected notification: HTTP 503");
    let working = [&query[..], &[accepting.as_str()]].concat();
    let run = env.run(&working);
    assert_eq!((run.code, run.stdout.as_str()), (0, SENT), "{}", run.stderr);
    assert_eq!(
        deliveries(&env).len(),
        2,
        "the unsent result was sent on the next run"
    );
}

#[test]
fn change_only_needs_a_query_and_the_query_conflicts_with_a_news_category() {
    let env = env();
    let url = hook(&env, 200);
    let run = env.run(&["notify", "--change-only", "--webhook-url", &url]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--query"), "{}", run.stderr);
    let run = env.run(&[
        "notify",
        "--query",
        "a",
        "--news-category",
        "world",
        "--webhook-url",
        &url,
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = env.run(&["notify", "--query", "a"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--webhook-url"), "{}", run.stderr);
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_notify_search_is_not_recorded_in_the_history() {
    let env = env();
    let run = env.run(&[
        "notify",
        "--query",
        "rust lang",
        "--webhook-url",
        &hook(&env, 200),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.run(&["history", "list"]).json(), json!([]));
    // The history itself is on: a search the user types is recorded.
    env.run(&["search", "rust lang"]).json();
    assert_eq!(
        env.run(&["history", "list"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn verbose_names_the_webhook_by_its_origin_and_never_shows_its_path() {
    let env = env();
    let url = format!("{}?key=hook-secret-path-123", hook(&env, 200));
    let run = env.run(&[
        "--verbose",
        "notify",
        "--query",
        "rust lang",
        "--webhook-url",
        &url,
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, SENT), "{}", run.stderr);
    let origin = env.mock.url();
    assert!(
        run.stderr.contains(&format!(
            "kagi[debug]: notify: may POST to {origin} for this run: the webhook given with --webhook-url (never with a credential)"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("notify: HTTP 200 from {origin}")),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("hook-secret-path-123"),
        "{}",
        run.stderr
    );
    let sent = deliveries(&env);
    assert_eq!(
        sent[0].query_value("key"),
        Some("hook-secret-path-123"),
        "sent to the URL as given"
    );
}

#[test]
fn an_unreachable_webhook_is_a_network_error_that_shows_only_its_origin() {
    let env = env();
    // A port nothing listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hooks/secret-path-456");
    let run = env.run(&["notify", "--query", "rust lang", "--webhook-url", &url]);
    run.fails_starting(
        1,
        &format!("network error: failed to connect to http://127.0.0.1:{port}: "),
    );
    assert!(!run.stderr.contains("secret-path-456"), "{}", run.stderr);
}
