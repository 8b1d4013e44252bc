//! The sandbox's first promise, tried as an attacker would: no configured
//! secret reaches a plugin (bodies, streamed chunks, headers, the final URL),
//! no plugin sends one out, and the pages that show or change the credentials
//! are a capability of their own.

use crate::support::{Env, Run, assert_contains, test_plugin, write_private};
use kagi_mock::{API_TOKEN, MockServer, SESSION_TOKEN};

/// A session token with characters that every encoding spells differently.
const ODD_TOKEN: &str = "Sess/ion+Tok=en&1234";

/// Runs a test plugin with everything it declares granted but `account`.
fn run_plugin(env: &Env, plugin: &str, args: &[&str]) -> Run {
    run_granting(env, plugin, &["--grant-all"], args)
}

/// Runs a test plugin with everything it declares granted, `account` included.
fn run_with_account(env: &Env, plugin: &str, args: &[&str]) -> Run {
    run_granting(env, plugin, &["--grant-all", "--grant", "account"], args)
}

fn run_granting(env: &Env, plugin: &str, grants: &[&str], args: &[&str]) -> Run {
    env.run_plugin_test(plugin, grants, args)
}

fn session_env() -> Env {
    Env::new()
        .var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
        .var("KAGI_API_TOKEN", API_TOKEN)
}

/// A mock (and config) whose session token is [`ODD_TOKEN`].
fn odd_token_env() -> Env {
    Env::with_mock(MockServer::builder().session_token(ODD_TOKEN).start())
        .var("KAGI_SESSION_TOKEN", ODD_TOKEN)
}

fn body_of(run: &Run) -> String {
    run.json()["body"].as_str().unwrap().to_string()
}

#[test]
fn a_granted_plugin_never_sees_the_session_token_in_a_body() {
    let env = session_env();
    // The mock's echo answers with the request's headers, cookie included.
    let run = run_plugin(&env, "thief", &["steal", "/_mock/echo"]);
    let echoed: serde_json::Value = serde_json::from_str(&body_of(&run)).unwrap();
    assert_eq!(echoed["cookie"], "kagi_session=[redacted]", "{echoed}");
    // The request itself did carry the real session.
    let sent = format!("kagi_session={SESSION_TOKEN}");
    assert_eq!(env.mock.requests()[0].header("cookie"), Some(sent.as_str()));
}

#[test]
fn a_secret_split_across_body_chunks_never_reaches_a_plugin() {
    let env = session_env();
    for size in ["1", "2", "3", "5", "7", "11"] {
        let path = format!("/_test/echo-chunked?size={size}");
        let body = body_of(&run_plugin(&env, "smuggler", &["smuggle", "stream", &path]));
        assert_contains(&body, "\"cookie\":\"kagi_session=[redacted]\"");
        assert!(body.ends_with("\"end\":true}"), "size {size}: {body}");
    }
    assert_eq!(env.mock.requests().len(), 6);
}

#[test]
fn every_spelling_of_a_secret_in_a_body_is_redacted() {
    // The Session Link page carries the token raw, HTML-escaped and JSON-escaped.
    let env = odd_token_env();
    let run = run_with_account(
        &env,
        "smuggler",
        &["smuggle", "get", "/settings/user_details"],
    );
    let body = body_of(&run);
    assert_contains(&body, "search?token=[redacted]\"");
    assert_contains(
        &body,
        "window.SESSION_LINK = \"https:\\/\\/kagi.com\\/search?token=[redacted]\"",
    );
    assert_contains(
        &body,
        "<a href=\"https://kagi.com/search?token=[redacted]\">",
    );
    for piece in ["Sess/ion", "Sess%2F", "Sess\\/ion", "Tok=en"] {
        assert!(!body.contains(piece), "{piece} reached the plugin: {body}");
    }
}

#[test]
fn the_final_url_and_the_headers_of_a_response_are_redacted() {
    let env = session_env();
    let out = run_plugin(
        &env,
        "smuggler",
        &["smuggle", "get", "/_test/leaky-redirect"],
    )
    .json();
    assert!(
        out["url"]
            .as_str()
            .unwrap()
            .ends_with("/_test/leaky-headers?session=[redacted]"),
        "{out}"
    );
    let headers = out["headers"].to_string();
    assert_contains(&headers, "[\"x-leak\",\"[redacted]\"]");
    assert_contains(&headers, "search?token=[redacted]>; rel=session");
    // Both hops happened: the secret was there to leak.
    assert_eq!(env.mock.requests().len(), 2);
}

#[test]
fn the_account_pages_need_the_account_capability() {
    let env = session_env();
    for page in ["/settings/user_details", "/settings/api"] {
        run_plugin(&env, "thief", &["steal", page]).fails_with(
            4,
            &format!(
                "plugin denied: plugin `thief` tried to open the account page `{page}` with your credentials (account), which it was not granted: its manifest does not declare it"
            ),
        );
    }
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn every_spelling_of_an_account_path_is_refused() {
    let env = session_env();
    for path in [
        "/settings/api/",
        "//settings//api",
        "/SETTINGS/Api",
        "/settings/%61pi",
        "/x/../settings/api",
        "/settings?p=api",
        "/settings/user_details/edit",
        "/logout",
    ] {
        let run = run_plugin(&env, "thief", &["steal", path]);
        assert_eq!(run.code, 4, "{path}: {}", run.stderr);
        assert_contains(&run.stderr, "tried to open the account page");
    }
    assert!(env.mock.requests().is_empty(), "nothing was sent");
    // A page merely named like one is not an account page (outside the
    // settings area, which needs `account-settings` of its own).
    let run = run_plugin(&env, "thief", &["steal", "/accounting"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_redirect_to_an_account_page_is_not_followed() {
    let env = session_env();
    run_plugin(&env, "thief", &["steal", "/_mock/redirect?to=/settings/api"]).fails_with(
        4,
        "plugin denied: plugin `thief` was redirected to the account page `/settings/api` with your credentials (account), which it was not granted: its manifest does not declare it",
    );
    let paths: Vec<String> = env.mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/_mock/redirect"]);
}

#[test]
fn grant_all_never_grants_the_account() {
    let env = session_env();
    run_plugin(&env, "smuggler", &["smuggle", "get", "/settings/api"]).fails_with(
        4,
        "plugin denied: plugin `smuggler` tried to open the account page `/settings/api` with your credentials (account), which it was not granted: you did not grant it (pass `--grant account` to `kagi plugin test`)",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_plugin_granted_the_account_still_never_sees_a_token() {
    let env = session_env();
    let body = body_of(&run_with_account(
        &env,
        "smuggler",
        &["smuggle", "get", "/settings/api"],
    ));
    assert_contains(&body, "<input type=\"text\" readonly value=\"[redacted]\">");
}

#[test]
fn an_installed_plugin_needs_an_explicit_account_grant() {
    let env = session_env();
    let path = test_plugin("smuggler");
    let install = env.run(&["plugin", "install", path.to_str().unwrap(), "--grant-all"]);
    assert_eq!(install.code, 0, "{}", install.stderr);
    assert_contains(
        &install.stderr,
        "account: FULL CONTROL OF YOUR KAGI ACCOUNT: read your Session Link and API token",
    );
    env.run(&["smuggle", "get", "/settings/api"]).fails_with(
        4,
        "plugin denied: plugin `smuggler` tried to open the account page `/settings/api` with your credentials (account), which it was not granted: you have not granted it (`kagi plugin grant smuggler account`)",
    );
    // Ordinary pages work with what was granted; naming the grant opens the page.
    let run = env.run(&["smuggle", "get", "/_mock/echo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let grant = env.run(&["plugin", "grant", "smuggler", "account"]);
    assert_eq!(grant.code, 0, "{}", grant.stderr);
    let run = env.run(&["smuggle", "get", "/settings/api"]);
    assert_contains(&body_of(&run), "value=\"[redacted]\"");
}

#[test]
fn a_policy_can_forbid_the_account_capability() {
    let env = session_env().policy("forbid-account = true\n");
    run_with_account(&env, "smuggler", &["smuggle", "get", "/settings/api"]).fails_with(
        4,
        "plugin denied: plugin `smuggler` tried to open the account page `/settings/api` with your credentials (account), which it was not granted: the administrator's policy forbids it",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_plugin_cannot_send_a_secret_in_any_part_of_a_request() {
    let env = odd_token_env();
    let lower_percent = "sess%2fion%2btok%3den%261234";
    let json = "Sess\\/ion+Tok=en&1234";
    let form = "Sess%2Fion%2BTok%3Den%261234";
    let url = format!("{}/_mock/echo?t={form}", env.mock.url());
    for (place, value, label) in [
        ("path", ODD_TOKEN, "path"),
        ("query", ODD_TOKEN, "query"),
        ("query", lower_percent, "query"),
        ("header", ODD_TOKEN, "headers"),
        ("header", json, "headers"),
        ("header", lower_percent, "headers"),
        ("cookie", ODD_TOKEN, "headers"),
        ("body", form, "body"),
        ("body", &format!("{{\"t\":\"{json}\"}}"), "body"),
        ("url", &url, "URL"),
    ] {
        run_plugin(&env, "smuggler", &["smuggle", "send", place, value]).fails_with(
            4,
            &format!(
                "plugin denied: plugin `smuggler` tried to send your session token in its request's {label}, which is never allowed (rule: no secrets in requests; kagi attaches credentials itself)"
            ),
        );
    }
    assert!(env.mock.requests().is_empty(), "nothing was sent");
    // The same plugin sending an ordinary value gets through.
    let run = run_plugin(&env, "smuggler", &["smuggle", "send", "header", "harmless"]);
    assert_eq!(run.stdout, "sent: HTTP 200\n", "{}", run.stderr);
}

#[test]
fn a_plugin_cookie_cannot_pose_as_the_session_whatever_its_spelling() {
    let env = session_env();
    let run = run_plugin(
        &env,
        "smuggler",
        &[
            "smuggle",
            "send",
            "raw-cookie",
            "kagi_session =forged; KAGI_SESSION=forged2; theme=dark",
        ],
    );
    assert_eq!(run.stdout, "sent: HTTP 200\n", "{}", run.stderr);
    let expected = format!("kagi_session={SESSION_TOKEN}; theme=dark");
    assert_eq!(
        env.mock.requests()[0].header("cookie"),
        Some(expected.as_str())
    );
}

#[test]
fn a_host_grant_means_https_unless_it_says_http() {
    let env = session_env();
    let url = format!("http://localhost:{}/_mock/echo", env.mock.addr().port());
    run_plugin(&env, "smuggler", &["smuggle", "send", "url", &url]).fails_with(
        4,
        "plugin denied: plugin `smuggler` tried to reach `localhost` over plain http, which it was not granted: its grant host:localhost means https only (the manifest must declare `http://localhost`)",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_granted_host_name_that_resolves_to_a_local_address_is_refused() {
    let env = session_env();
    let url = format!("https://localhost:{}/_mock/echo", env.mock.addr().port());
    let run = run_plugin(&env, "smuggler", &["smuggle", "send", "url", &url]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "localhost resolves only to local or private addresses, which plugins may reach only through a grant naming the address",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_referer_never_crosses_origins() {
    let env = session_env();
    let other = MockServer::start();
    let to_other = format!("/_mock/redirect?to={}/_mock/echo", other.url());
    assert_eq!(run_plugin(&env, "thief", &["steal", &to_other]).code, 0);
    assert_eq!(other.requests().len(), 1);
    assert_eq!(other.requests()[0].header("referer"), None);
    // Within one origin the Referer stays, as Kagi's settings flows expect.
    let same = run_plugin(&env, "thief", &["steal", "/_mock/redirect?to=/_mock/echo"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let landed = env.mock.requests();
    let referer = landed.last().unwrap().header("referer").unwrap_or("");
    assert_contains(referer, "/_mock/redirect?to=");
}

#[test]
fn a_setting_that_holds_a_token_reaches_the_plugin_redacted() {
    let env = Env::new();
    write_private(
        &env.work_dir().join(".kagi.toml"),
        &format!(
            "[auth]\nsession_token = \"{SESSION_TOKEN}\"\n\n[plugins.smuggler]\nnote = \"copied {SESSION_TOKEN} here\"\n"
        ),
    );
    let run = run_plugin(&env, "smuggler", &["smuggle", "setting", "note"]);
    assert_eq!(
        run.stdout, "Some(\"copied [redacted] here\")\n",
        "{}",
        run.stderr
    );
}

/// On a terminal, `account` is asked for on its own, after everything else,
/// and the default answer is no.
#[cfg(unix)]
#[test]
fn on_a_terminal_account_is_asked_for_separately_and_defaults_to_no() {
    use expectrl::Expect;
    let env = session_env();
    let argv =
        crate::support::plugin_test_args("smuggler", &[], &["smuggle", "get", "/settings/api"]);
    let mut p = crate::support::pty(&env, &argv.iter().map(String::as_str).collect::<Vec<_>>());
    p.expect("account: FULL CONTROL OF YOUR KAGI ACCOUNT")
        .unwrap();
    p.expect("with all of the above granted, for this run only?")
        .unwrap();
    p.send("y").unwrap();
    p.expect("Also grant `account`, full control of your Kagi account, to `smuggler`?")
        .unwrap();
    p.send("\r").unwrap();
    p.expect("which it was not granted: you did not grant it")
        .unwrap();
    let (code, rest) = crate::support::pty_finish(p);
    assert_eq!(code, 4, "{rest}");
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}
