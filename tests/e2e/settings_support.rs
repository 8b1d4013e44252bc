//! What the settings pages' tests (lens, bang, redirect, assistant custom)
//! share: a signed-in environment, the POSTs kagi sent, files to import,
//! drifted layouts of the mock and the messages of each failure family.

use crate::support::session_env;
use crate::support::{Env, Run, mock_post};
use kagi_mock::Recorded;
use serde_json::Value;

/// A signed-in account the mock emptied with `POST /_mock/<what>/clear`.
pub fn empty_account(what: &str) -> Env {
    let env = session_env();
    mock_post(&env, &format!("/_mock/{what}/clear"), "");
    env
}

/// A session the mock does not know: settings pages redirect to sign-in.
pub fn expired_session() -> Env {
    Env::new().var("KAGI_SESSION_TOKEN", "expired-session-token-0000")
}

/// A signed-in environment whose main base URL is a drifted layout of the
/// mock (`/_drift/<variant>`).
pub fn drifted(variant: &str) -> Env {
    let env = session_env();
    let base = format!("{}/_drift/{variant}", env.mock.url());
    env.var("KAGI_BASE_URL", &base)
}

/// Runs `kagi <command…> <args…>`.
pub fn run(env: &Env, command: &[&str], args: &[&str]) -> Run {
    let argv: Vec<&str> = command.iter().chain(args).copied().collect();
    env.run(&argv)
}

/// The POSTs kagi sent (not the test's own `/_mock` calls).
pub fn posts(env: &Env) -> Vec<Recorded> {
    env.mock
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && !r.path.starts_with("/_mock/"))
        .collect()
}

/// A request's form body as sent.
pub fn body(r: &Recorded) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

/// Writes `text` as a file in the environment's working directory; its name.
pub fn write_file(env: &Env, name: &str, text: &str) -> String {
    std::fs::write(env.work_dir().join(name), text).unwrap();
    name.to_string()
}

/// `value` (an object, or each object of an array) without `key`.
pub fn without(mut value: Value, key: &str) -> Value {
    match value.as_array_mut() {
        Some(items) => {
            for item in items {
                item.as_object_mut().unwrap().remove(key);
            }
        }
        None => {
            value.as_object_mut().unwrap().remove(key);
        }
    }
    value
}

/// The error when Kagi answers the `surface` (`lens settings page`) with
/// its signed-out page.
pub fn signed_out(surface: &str) -> String {
    format!(
        "authentication error: invalid or expired Kagi session token: Kagi answered the {surface} with its signed-out page; copy a fresh Session Link and run `kagi auth`"
    )
}

/// The error when Kagi redirects a request for the `surface` to sign-in.
pub fn sent_to_sign_in(surface: &str) -> String {
    format!(
        "authentication error: invalid or expired Kagi session token: Kagi redirected the {surface} to its sign-in page; copy a fresh Session Link and run `kagi auth`"
    )
}

/// The start of the error for a 4xx (`HTTP 429 Too Many Requests`) from
/// the `surface`; Kagi's page text follows.
pub fn rejected(surface: &str, status: &str) -> String {
    format!("configuration error: Kagi {surface} request rejected: {status}; ")
}

/// `run` failed once, with a 4xx from the `surface`: one line naming the
/// status and what Kagi's page said, nothing on stdout.
pub fn assert_rejected(run: &Run, surface: &str, status: &str, kagi_says: &str) {
    run.fails_starting(1, &rejected(surface, status));
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(kagi_says), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}
