//! Inputs the user names on the command line: files (`file` arguments) read
//! by the host and handed to the plugin by name, sent as multipart/form-data
//! built by the host; and destinations (`url` arguments a command declares a
//! destination) reachable for that run only, never with a credential, and
//! refused by a policy that forbids them. The `courier` test plugin posts
//! what it is handed to a second mock server standing in for a webhook.

use crate::support::{Env, Run, assert_contains};
use kagi_mock::{MockServer, Recorded, SESSION_TOKEN};
use std::path::{Path, PathBuf};

fn env() -> Env {
    Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
}

/// `kagi [global…] plugin test courier --grant-all -- send ARGS…`.
fn courier(env: &Env, global: &[&str], args: &[&str]) -> Run {
    let plugin = crate::support::test_plugin("courier");
    let mut all: Vec<&str> = global.to_vec();
    all.extend([
        "plugin",
        "test",
        plugin.to_str().unwrap(),
        "--grant-all",
        "--",
        "send",
    ]);
    all.extend_from_slice(args);
    env.run(&all)
}

/// A file under a directory of the work dir, so its path has directories.
fn file(env: &Env, name: &str, content: &[u8]) -> PathBuf {
    let dir = env.work_dir().join("private").join("reports");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The only request the webhook got.
fn only_request(hook: &MockServer) -> Recorded {
    let requests = hook.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.into_iter().next().unwrap()
}

#[test]
fn a_named_file_reaches_the_destination_as_a_multipart_upload_with_its_name_and_type() {
    let env = env();
    let hook = MockServer::start();
    let report = file(&env, "report.txt", b"quarterly numbers\n");
    let to = format!("{}/hook", hook.url());
    let run = courier(
        &env,
        &[],
        &[
            "--attach",
            s(&report),
            "--to",
            &to,
            "--note",
            "see attached",
            "--read",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    let seen: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    // The plugin saw the file's name, type and content, never its directories.
    assert_eq!(
        seen,
        serde_json::json!({
            "attach": ["report.txt"],
            "files": [{
                "name": "report.txt",
                "content_type": "text/plain",
                "size": 18,
                "content": "quarterly numbers\n",
            }],
        })
    );
    assert!(!run.stdout.contains("private"), "{}", run.stdout);
    assert_eq!(lines.next(), Some("HTTP 404"), "the mock has no such route");

    let request = only_request(&hook);
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/hook")
    );
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nsee attached\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"attach\"; filename=\"report.txt\"\r\nContent-Type: text/plain\r\n\r\nquarterly numbers\n\r\n\
             --{boundary}--\r\n"
        )
    );
    assert!(env.mock.requests().is_empty(), "nothing went to Kagi");
}

#[test]
fn a_destination_is_reachable_for_that_run_only() {
    let env = env();
    let hook = MockServer::start();
    let url = format!("{}/hook", hook.url());
    let run = courier(&env, &[], &["--to", &url]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "{\"attach\":[],\"files\":[]}\nHTTP 404\n");
    assert_eq!(hook.requests().len(), 1);

    // The next run did not name it: the same URL is out of reach.
    let run = courier(&env, &[], &["--via", &url]);
    run.fails_with(
        4,
        "plugin denied: plugin `courier` tried to reach `127.0.0.1` (host:http://127.0.0.1), which it was not granted: its manifest does not declare it",
    );
    assert_eq!(hook.requests().len(), 1, "the second run sent nothing");
}

#[test]
fn verbose_shows_the_granted_destination() {
    let env = env();
    let hook = MockServer::start();
    let run = courier(
        &env,
        &["--verbose"],
        &["--to", &format!("{}/a?b=c", hook.url())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        &format!(
            "kagi[debug]: plugin courier: may reach {} for this run: the destination given with --to (never with a credential)\n",
            hook.url()
        ),
    );
}

#[test]
fn a_policy_that_forbids_destinations_refuses_them_before_the_plugin_runs() {
    let hook = MockServer::start();
    let to = format!("{}/hook", hook.url());
    let env = env().policy("forbid-destinations = true\n");
    courier(&env, &[], &["--to", &to]).fails_with(
        4,
        &format!(
            "plugin denied: plugin `courier` was refused the destination {} given with --to: the administrator's policy forbids destinations named on the command line (forbid-destinations)",
            hook.url()
        ),
    );
    // `allowed-hosts` holds for destinations as for every host.
    let env = crate::support::Env::new()
        .var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
        .policy("allowed-hosts = [\"hooks.example\"]\n");
    courier(&env, &[], &["--to", &to]).fails_with(
        4,
        &format!(
            "plugin denied: plugin `courier` was refused the destination {} given with --to: the administrator's policy does not allow the host `127.0.0.1` (allowed-hosts)",
            hook.url()
        ),
    );
    assert!(hook.requests().is_empty());
}

#[test]
fn a_credential_never_goes_to_a_destination() {
    let env = env();
    let hook = MockServer::start();
    courier(&env, &[], &["--to", &hook.url(), "--with-credential"]).fails_with(
        4,
        &format!(
            "plugin denied: plugin `courier` tried to send a credential to `{}`; credentials only go to Kagi's services",
            hook.url()
        ),
    );
    assert!(hook.requests().is_empty());
    // Without asking for one, the upload carries none.
    let run = courier(&env, &[], &["--to", &hook.url()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&hook);
    assert_eq!(request.header("cookie"), None);
    assert_eq!(request.header("authorization"), None);
}

#[test]
fn a_secret_in_any_multipart_part_is_refused() {
    let env = env();
    let hook = MockServer::start();
    let denial = "plugin denied: plugin `courier` tried to send your session token in its request's multipart body, which is never allowed (rule: no secrets in requests; kagi attaches credentials itself)";
    courier(&env, &[], &["--to", &hook.url(), "--note", SESSION_TOKEN]).fails_with(4, denial);
    courier(&env, &[], &["--to", &hook.url(), "--blob", SESSION_TOKEN]).fails_with(4, denial);
    // Even in a file the user named (a config file attached by mistake).
    let leaky = file(
        &env,
        "config.toml",
        format!("session_token = \"{SESSION_TOKEN}\"\n").as_bytes(),
    );
    courier(&env, &[], &["--to", &hook.url(), "--attach", s(&leaky)]).fails_with(4, denial);
    assert!(hook.requests().is_empty());
}

#[test]
fn a_missing_file_is_a_usage_error_naming_it() {
    let env = env();
    let hook = MockServer::start();
    let missing = env.work_dir().join("nowhere").join("gone.pdf");
    courier(&env, &[], &["--attach", s(&missing), "--to", &hook.url()]).fails_with(
        2,
        &format!(
            "error: cannot read `{}` given with --attach: no such file",
            missing.display()
        ),
    );
    assert!(hook.requests().is_empty());
}

#[test]
fn files_over_the_size_limits_are_refused_naming_the_file_and_the_limit() {
    let env = env();
    let hook = MockServer::start();
    // Sparse: the size is refused before anything is read.
    let sized = |name: &str, len: u64| {
        let path = file(&env, name, b"");
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len)
            .unwrap();
        path
    };
    const MIB: u64 = 1024 * 1024;
    let big = sized("big.bin", 32 * MIB + 1);
    courier(&env, &[], &["--attach", s(&big), "--to", &hook.url()]).fails_with(
        2,
        &format!(
            "error: `{}` given with --attach is 33554433 bytes, over the 32 MiB limit for one file; pass a smaller file",
            big.display()
        ),
    );
    let part = sized("part.bin", 30 * MIB);
    courier(
        &env,
        &[],
        &["--attach", s(&part), "--attach", s(&part), "--attach", s(&part)],
    )
    .fails_with(
        2,
        &format!(
            "error: the files given are over the 64 MiB limit for one command together (at `{}` given with --attach); pass fewer or smaller files",
            part.display()
        ),
    );
    assert!(hook.requests().is_empty());
}

#[test]
fn a_malformed_or_non_http_destination_is_a_usage_error_naming_the_argument() {
    let env = env();
    for (bad, why) in [
        ("not a url", "not a URL: relative URL without a base"),
        (
            "ftp://files.example/x",
            "only http and https URLs with a host are allowed",
        ),
    ] {
        let run = courier(&env, &[], &["--to", bad]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr.lines().next(),
            Some(format!("error: invalid value '{bad}' for '--to <to>': {why}").as_str())
        );
        assert_eq!(run.stdout, "");
    }
}
