//! `kagi assistant thread list|get|delete|export` against the mock (wire
//! protocol §6.15–§6.18): cursor pagination merged into one object, the
//! requests as Kagi receives them, a prompt → list → get → export → delete
//! round trip, and each failure with its exact message.

use crate::support::session_env;
use crate::support::{Env, mock_post};
use serde_json::{Value, json};

const OPEN: &str = "/assistant/thread_open";
const LIST: &str = "/assistant/thread_list";
const DELETE: &str = "/assistant/thread_delete";
const THREAD_ID_BLAMED: &str = "; the thread id may be invalid or no longer available";

/// Seeds threads `(title, prompt, md)` in the mock, oldest first; their ids.
fn seed(env: &Env, threads: &[(&str, &str, &str)]) -> Vec<String> {
    let threads: Vec<Value> = threads
        .iter()
        .map(|(title, prompt, md)| json!({"title": title, "prompt": prompt, "md": md}))
        .collect();
    let body = mock_post(
        env,
        "/_mock/assistant/seed",
        &json!({ "threads": threads }).to_string(),
    );
    let ids: Value = serde_json::from_str(&body).unwrap();
    ids["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn bodies(env: &Env, path: &str) -> Vec<Value> {
    env.requests_to(path)
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn five_threads(env: &Env) -> Vec<String> {
    seed(
        env,
        &[
            ("First", "one?", "The first answer."),
            ("Second", "", ""),
            ("Third", "three?", "The third answer."),
            ("Fourth", "", ""),
            ("Fifth", "five?", "The fifth answer."),
        ],
    )
}

#[test]
fn list_follows_the_cursor_over_every_page_and_merges_them() {
    let env = session_env();
    let ids = five_threads(&env);
    let out = env.run(&["assistant", "thread", "list"]).json();
    let item = |i: usize, title: &str, snippet: &str| {
        let n = i + 1;
        json!({
            "id": ids[i],
            "title": title,
            "url": format!("/assistant/{}", ids[i]),
            "snippet": snippet,
            "saved": n.is_multiple_of(2),
            "shared": n.is_multiple_of(3),
            "tag_ids": if n.is_multiple_of(2) { json!([format!("tag-{n}")]) } else { json!([]) },
        })
    };
    assert_eq!(
        out,
        json!({
            "meta": {"version": "202603160619.stage.mock", "trace": "trace-threads"},
            "tags": [{"id": "tag-2", "name": "Work"}],
            "threads": [
                item(4, "Fifth", "The fifth answer."),
                item(3, "Fourth", "Snippet of Fourth"),
                item(2, "Third", "The third answer."),
                item(1, "Second", "Snippet of Second"),
                item(0, "First", "The first answer."),
            ],
            // The last page sent `total_counts: null`: the earlier pages' stay.
            "pagination": {"has_more": false, "count": 5, "total_counts": {"all": 5, "saved": 2}},
        })
    );
    // Each cursor is echoed back verbatim: an object, then a string.
    let sent: Vec<String> = env
        .requests_to(LIST)
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            r#"{"limit":100}"#,
            r#"{"cursor":{"ack":"2026-02-11T16:22:13Z","created_at":"2026-02-11T16:22:13Z","id":"cursor-2"},"limit":100}"#,
            r#"{"cursor":"cursor-4","limit":100}"#,
        ]
    );
    let r = &env.requests_to(LIST)[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("accept"), Some("application/vnd.kagi.stream"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("cookie"), Some("kagi_session=test-session-token"));
}

#[test]
fn an_empty_list_is_one_page_with_no_threads() {
    let env = session_env();
    let out = env.run(&["assistant", "thread", "list"]).json();
    assert_eq!(out["threads"], json!([]));
    assert_eq!(
        out["pagination"],
        json!({"has_more": false, "count": 0, "total_counts": {}})
    );
    assert_eq!(env.requests_to(LIST).len(), 1);
}

#[test]
fn get_shows_the_thread_and_its_messages_from_thread_open() {
    let env = session_env();
    let ids = seed(&env, &[("Greeting", "Hello", "Hi there")]);
    let out = env.run(&["assistant", "thread", "get", &ids[0]]).json();
    assert_eq!(
        out,
        json!({
            "meta": {"version": "202603160619.stage.mock", "trace": "trace-threads"},
            "tags": [{"id": "tag-2", "name": "Work"}],
            "thread": {
                "id": ids[0], "title": "Greeting", "ack": "2026-03-16T06:01:07Z",
                "created_at": "2026-03-16T06:01:07Z", "expires_at": "2026-04-16T06:19:07Z",
                "saved": false, "shared": false,
                "branch_id": "00000000-0000-4000-0000-000000000000", "tag_ids": [],
            },
            "messages": [{
                "id": "msg-seed-1", "thread_id": ids[0], "created_at": "2026-03-16T06:01:07Z",
                "branch_list": ["00000000-0000-4000-0000-000000000000"], "state": "done",
                "prompt": "Hello", "reply_html": "<p>Hi there</p>", "markdown": "Hi there",
                "documents": [],
            }],
        })
    );
    assert_eq!(
        bodies(&env, OPEN),
        [
            json!({"focus": {"branch_id": "00000000-0000-4000-0000-000000000000", "thread_id": ids[0]}})
        ]
    );
}

#[test]
fn export_prints_kagis_markdown_or_the_get_object_as_json() {
    let env = session_env();
    let ids = seed(&env, &[("Say Hi", "Hello", "Hi there")]);
    let run = env.run(&["assistant", "thread", "export", &ids[0]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "# Say Hi\n\n## User\n\nHello\n\n## Assistant\n\nHi there\n"
    );
    let download = env.requests_to(&format!("/assistant/{}/download", ids[0]));
    assert_eq!(download.len(), 1);
    assert_eq!(download[0].method, "GET");
    assert_eq!(
        download[0].header("cookie"),
        Some("kagi_session=test-session-token")
    );
    assert!(env.requests_to(OPEN).is_empty());

    let json_export = env
        .run(&["assistant", "thread", "export", &ids[0], "--format", "json"])
        .json();
    let get = env.run(&["assistant", "thread", "get", &ids[0]]).json();
    assert_eq!(json_export, get);
}

#[test]
fn delete_opens_the_thread_then_deletes_it_with_its_metadata() {
    let env = session_env();
    let ids = seed(&env, &[("Keep", "", ""), ("Tagged", "q", "a")]);
    let out = env.run(&["assistant", "thread", "delete", &ids[1]]).json();
    assert_eq!(out, json!({"deleted_thread_ids": [ids[1]]}));
    assert_eq!(env.requests_to(OPEN).len(), 1);
    assert_eq!(
        String::from_utf8(env.requests_to(DELETE)[0].body.clone()).unwrap(),
        format!(
            r#"{{"threads":[{{"id":"{}","saved":true,"shared":false,"tag_ids":["tag-2"],"title":"Tagged"}}]}}"#,
            ids[1]
        )
    );
    let left = env.run(&["assistant", "thread", "list"]).json();
    assert_eq!(left["threads"].as_array().unwrap().len(), 1);
    assert_eq!(left["threads"][0]["id"], ids[0]);
}

#[test]
fn a_prompt_round_trips_through_list_get_export_and_delete() {
    let env = session_env();
    let prompt = env.run(&["assistant", "hello there"]).json();
    let id = prompt["thread"]["id"].as_str().unwrap().to_string();
    let list = env.run(&["assistant", "thread", "list"]).json();
    assert!(
        list["threads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id.as_str()),
        "{list}"
    );
    let got = env.run(&["assistant", "thread", "get", &id]).json();
    assert_eq!(got["thread"]["id"], id.as_str());
    assert_eq!(got["messages"][0]["prompt"], "hello there");
    assert_eq!(
        got["messages"][0]["markdown"],
        prompt["message"]["markdown"]
    );
    let export = env.run(&["assistant", "thread", "export", &id]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert!(export.stdout.contains("hello there"), "{}", export.stdout);
    env.run(&["assistant", "thread", "delete", &id]).json();
    env.run(&["assistant", "thread", "get", &id])
        .fails_with(1, &format!("network error: Kagi assistant thread server error: HTTP 500 Internal Server Error{THREAD_ID_BLAMED}"));
}

#[test]
fn an_unknown_thread_id_is_blamed_on_the_id() {
    let env = session_env();
    let line = format!(
        "network error: Kagi assistant thread server error: HTTP 500 Internal Server Error{THREAD_ID_BLAMED}"
    );
    env.run(&["assistant", "thread", "get", "no-such-thread"])
        .fails_with(1, &line);
    env.run(&["assistant", "thread", "delete", "no-such-thread"])
        .fails_with(1, &line);
    env.run(&[
        "assistant",
        "thread",
        "export",
        "no-such-thread",
        "--format",
        "json",
    ])
    .fails_with(1, &line);
    assert!(env.requests_to(DELETE).is_empty());
}

#[test]
fn a_blank_thread_id_is_refused_before_sending() {
    let env = session_env();
    for sub in ["get", "delete", "export"] {
        env.run(&["assistant", "thread", sub, "  "]).fails_with(
            1,
            "configuration error: assistant thread id cannot be empty",
        );
    }
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_list_item_without_data_code_is_a_parse_error() {
    let env = session_env();
    seed(&env, &[("ok", "", ""), ("broken no-data-code", "", "")]);
    env.run(&["assistant", "thread", "list"]).fails_with(
        1,
        "parse error: assistant thread list item is missing its data-code (the thread id)",
    );
}

#[test]
fn a_delete_answer_without_ok_is_a_parse_error() {
    let env = session_env();
    let ids = seed(&env, &[("no-ok-frame", "", "")]);
    env.run(&["assistant", "thread", "delete", &ids[0]])
        .fails_with(
            1,
            "parse error: assistant thread delete response did not include an ok frame",
        );
}

#[test]
fn an_export_of_an_unknown_thread_is_a_configuration_error() {
    let env = session_env();
    env.run(&["assistant", "thread", "export", "no-such-thread"]).fails_with(
        1,
        "configuration error: Kagi assistant thread export request rejected: HTTP 404 Not Found; 404 Not Found Not Found No such thread. Back to Kagi",
    );
}

#[test]
fn a_web_page_instead_of_an_answer_is_an_authentication_error() {
    let env = session_env();
    let ids = seed(&env, &[("html-export", "", "")]);
    env.run(&["assistant", "thread", "export", &ids[0]]).fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token: the assistant thread export answered with a web page",
    );
    // The mock answers its signed-out page to a wrong session on every route.
    let wrong = Env::new().var("KAGI_SESSION_TOKEN", "not-the-session-token");
    wrong.run(&["assistant", "thread", "list"]).fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token: the assistant thread list answered with a web page",
    );
    wrong.run(&["assistant", "thread", "get", "t"]).fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token: the assistant thread answered with a web page",
    );
}

#[test]
fn statuses_map_to_the_stream_family() {
    let run = |spec: &str, args: &[&str]| session_env().with_fault(spec).run(args);
    run("status=429", &["assistant", "thread", "list"]).fails_starting(
        1,
        "configuration error: Kagi assistant thread list request rejected: HTTP 429 Too Many Requests",
    );
    run("status=401", &["assistant", "thread", "get", "t"]).fails_starting(
        1,
        "authentication error: invalid or expired Kagi session token for assistant thread: HTTP 401 Unauthorized",
    );
    run("status=503", &["assistant", "thread", "list"]).fails_starting(
        1,
        "network error: Kagi assistant thread list server error: HTTP 503 Service Unavailable",
    );
}
