//! The translate session, a credential the host derives from the session
//! (wire protocol §6.12): minted by the bootstrap `GET {translate}/` once per
//! run, retried per the Bootstrap family, sent as a cookie and substituted
//! into the body where the plugin wrote the placeholder, and never shown to
//! the plugin (nor sendable by it).

use crate::support::{Env, Run};
use kagi_mock::{MockServer, Recorded, SESSION_TOKEN};
use std::time::Duration;

const NOT_MINTED: &str =
    "authentication error: translate bootstrap did not mint a translate_session cookie";

fn session_env(mock: MockServer) -> Env {
    Env::with_mock(mock).var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
}

/// The same, with the translate base pointing at the mock's `faults`.
fn faulty_env(faults: &str) -> Env {
    let mock = MockServer::start();
    let base = mock.fault_url(faults);
    session_env(mock).var("KAGI_TRANSLATE_BASE_URL", &base)
}

fn translator(env: &Env, action: &[&str]) -> Run {
    let mut args = vec!["translator"];
    args.extend_from_slice(action);
    env.run_plugin_test("translator", &["--grant-all"], &args)
}

fn bootstraps(env: &Env) -> Vec<Recorded> {
    let all = env.mock.requests();
    all.into_iter()
        .filter(|r| r.method == "GET" && r.path == "/")
        .collect()
}

fn echoes(env: &Env) -> Vec<Recorded> {
    let all = env.mock.requests();
    all.into_iter().filter(|r| r.path == "/api/echo").collect()
}

/// The one value the mock minted in this test.
fn minted(env: &Env) -> String {
    let minted = env.mock.translate_sessions();
    assert_eq!(minted.len(), 1, "one bootstrap minted: {minted:?}");
    minted[0].clone()
}

fn body_json(r: &Recorded) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn a_translate_request_carries_the_minted_cookie_and_the_substituted_body() {
    let env = session_env(MockServer::start());
    let out = translator(&env, &["echo", "Bonjour"]).json();
    assert_eq!(out["status"], 200, "{out}");
    let minted = minted(&env);
    let boot = bootstraps(&env);
    assert_eq!(boot.len(), 1);
    let session_cookie = format!("kagi_session={SESSION_TOKEN}");
    assert_eq!(boot[0].header("cookie"), Some(session_cookie.as_str()));
    let echo = echoes(&env);
    assert_eq!(echo.len(), 1);
    let cookie = format!("kagi_session={SESSION_TOKEN}; translate_session={minted}");
    assert_eq!(echo[0].header("cookie"), Some(cookie.as_str()));
    assert_eq!(
        body_json(&echo[0]),
        serde_json::json!({"text": "Bonjour", "session_token": minted})
    );
}

#[test]
fn the_plugin_never_sees_the_minted_value_even_when_the_service_echoes_it() {
    let env = session_env(MockServer::start());
    let out = translator(&env, &["echo", "Bonjour"]).json();
    let echoed: serde_json::Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        echoed,
        serde_json::json!({"text": "Bonjour", "session_token": "[redacted]"})
    );
    // The service did send the value back: there was something to hide.
    assert_eq!(body_json(&echoes(&env)[0])["session_token"], minted(&env));
}

#[test]
fn one_bootstrap_serves_every_request_of_a_run_even_concurrent_ones() {
    let env = session_env(MockServer::start());
    let out = translator(&env, &["echo-many", "4"]).json();
    let statuses: Vec<&serde_json::Value> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, [200, 200, 200, 200], "{out}");
    assert_eq!(bootstraps(&env).len(), 1);
    let minted = minted(&env);
    let echoes = echoes(&env);
    assert_eq!(echoes.len(), 4);
    for echo in &echoes {
        assert_eq!(body_json(echo)["session_token"], minted.as_str());
    }
}

#[test]
fn a_failing_bootstrap_is_retried_after_250_then_500_ms() {
    let env = faulty_env("bootstrap-fail=2");
    let out = translator(&env, &["echo", "Bonjour"]).json();
    assert_eq!(out["status"], 200, "{out}");
    let tries: Vec<Duration> = bootstraps(&env).iter().map(|r| r.arrived).collect();
    assert_eq!(tries.len(), 3);
    let pauses = [tries[1] - tries[0], tries[2] - tries[1]];
    assert!(
        pauses[0] >= Duration::from_millis(250) && pauses[1] >= Duration::from_millis(500),
        "pauses of 250 ms, then 500 ms: {pauses:?}"
    );
    assert_eq!(body_json(&echoes(&env)[0])["session_token"], minted(&env));
}

#[test]
fn a_bootstrap_failing_three_times_is_a_network_error() {
    let env = faulty_env("bootstrap-fail=3");
    translator(&env, &["echo", "Bonjour"]).fails_with(
        1,
        "network error: unexpected Kagi Translate bootstrap response: HTTP 503 Service Unavailable; try again later",
    );
    assert_eq!(bootstraps(&env).len(), 3);
    assert!(echoes(&env).is_empty());
}

#[test]
fn a_bootstrap_that_mints_no_cookie_fails_with_the_spec_error_after_three_tries() {
    let env = faulty_env("no-translate-cookie");
    translator(&env, &["echo", "Bonjour"]).fails_with(1, NOT_MINTED);
    assert_eq!(bootstraps(&env).len(), 3);
    assert!(echoes(&env).is_empty());
}

#[test]
fn a_session_the_bootstrap_rejects_is_not_retried() {
    let env = faulty_env("status=401");
    translator(&env, &["echo", "Bonjour"]).fails_with(
        1,
        "authentication error: invalid or expired Kagi session token for Kagi Translate: HTTP 401 Unauthorized; copy a fresh Session Link and run `kagi auth`",
    );
    assert_eq!(env.mock.requests().len(), 1);
}

#[test]
fn a_plugin_that_learnt_the_minted_value_may_not_send_it() {
    let value = "fixed-translate-session-value";
    let env = session_env(MockServer::builder().translate_session(value).start());
    translator(&env, &["leak", value]).fails_with(
        4,
        "plugin denied: plugin `translator` tried to send your translate session in its request's body, which is never allowed (rule: no secrets in requests; kagi attaches credentials itself)",
    );
    // The first echo minted the value; the second request never left.
    assert_eq!(bootstraps(&env).len(), 1);
    assert_eq!(echoes(&env).len(), 1);
}

#[test]
fn the_translate_credential_goes_only_to_the_translate_service() {
    let env = session_env(MockServer::start());
    translator(&env, &["misdirect"]).fails_with(
        4,
        "plugin denied: plugin `translator` asked for the `translate` credential on a request to the `kagi` service; it is only ever sent to the `translate` service",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn without_a_session_there_is_no_bootstrap() {
    let env = Env::new();
    translator(&env, &["echo", "Bonjour"]).fails_with(
        1,
        "configuration error: this command requires KAGI_SESSION_TOKEN (env or .kagi.toml [auth] session_token); run `kagi auth` to set it up",
    );
    assert!(env.mock.requests().is_empty());
}
