//! Third-party plugins: install with reviewed grants, run, change grants,
//! replace built-ins only with consent, remove; policy; API versions.

use crate::support::{Env, Run, assert_contains, example_plugin, on_a_terminal, test_plugin};
use kagi_mock::{API_TOKEN, MockServer};

fn install(env: &Env, path: &std::path::Path, extra: &[&str]) -> Run {
    let mut args = vec!["plugin", "install", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn api_env() -> Env {
    Env::new().var("KAGI_API_TOKEN", API_TOKEN)
}

#[test]
fn installing_off_a_terminal_needs_explicit_grants() {
    let env = api_env();
    let run = install(&env, &example_plugin(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "plugin `top-result` 0.1.0 asks to:");
    assert_contains(
        &run.stderr,
        "  credential:api: have your API token attached",
    );
    assert!(
        run.stderr.ends_with(
            "configuration error: installing off a terminal needs explicit grants: pass --grant-all, or --grant CAPABILITY for each of: service:kagi, credential:api\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!env.run(&["plugin", "list"]).stdout.contains("top-result"));
    assert_eq!(
        env.run(&["top-result", "x"]).code,
        2,
        "no command was added"
    );
}

#[test]
fn the_example_plugin_is_installed_granted_run_and_removed() {
    let env = api_env();
    let run = install(&env, &example_plugin(), &["--grant-all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stderr, "installed `top-result` into ");

    let list = env.run(&["plugin", "list"]);
    assert_contains(
        &list.stdout,
        "top-result 0.1.0 (installed, plugin API 0.2.0)",
    );
    assert_contains(&list.stdout, "credential:api (granted)");
    assert_contains(&list.stdout, "news 0.1.0 (built-in, plugin API 0.2.0)");
    assert!(env.run(&["--help"]).stdout.contains("top-result"));

    let run = env.run(&["top-result", "rust lang"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "rust lang - Wikipedia\nhttps://en.wikipedia.org/wiki/rust-lang\n"
    );
    let request = env.mock.requests().pop().unwrap();
    assert_eq!(request.path, "/api/v0/search");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bot {API_TOKEN}").as_str())
    );

    let info = env.run(&["plugin", "info", "top-result"]);
    assert_contains(&info.stdout, "sha256: ");
    assert_contains(&info.stdout, "limits: memory 256 MiB, time 600 s");

    let run = env.run(&["plugin", "remove", "top-result"]);
    assert_eq!(
        run.stderr,
        "removed `top-result` and its commands: top-result\n"
    );
    let gone = env.run(&["top-result", "rust lang"]);
    assert_eq!(gone.code, 2);
    assert_contains(&gone.stderr, "unrecognized subcommand 'top-result'");
    assert!(!env.run(&["--help"]).stdout.contains("top-result"));
}

#[test]
fn a_plugin_gets_only_what_was_granted() {
    let env = api_env();
    assert_eq!(
        install(&env, &example_plugin(), &["--grant", "service:kagi"]).code,
        0
    );
    let run = env.run(&["top-result", "rust lang"]);
    run.fails_with(
        4,
        "plugin denied: plugin `top-result` asked for the `api` credential (credential:api), which it was not granted: you have not granted it (`kagi plugin grant top-result credential:api`)",
    );
    assert!(
        env.mock.requests().is_empty(),
        "nothing reached the network"
    );

    assert_eq!(
        env.run(&["plugin", "grant", "top-result", "credential:api"])
            .code,
        0
    );
    assert_eq!(
        env.run(&["top-result", "rust lang", "--url-only"]).stdout,
        "https://en.wikipedia.org/wiki/rust-lang\n"
    );

    assert_eq!(
        env.run(&["plugin", "revoke", "top-result", "credential:api"])
            .code,
        0
    );
    assert_eq!(env.run(&["top-result", "rust lang"]).code, 4);

    let run = env.run(&["plugin", "grant", "top-result", "storage"]);
    run.fails_with(
        2,
        "error: `top-result` does not ask for storage; it asks for: service:kagi, credential:api",
    );
    let run = env.run(&["plugin", "grant", "news", "storage"]);
    assert_eq!(run.code, 1);
    assert_contains(&run.stderr, "`news` is built in");
}

#[test]
fn a_changed_plugin_file_must_be_granted_again() {
    let env = api_env();
    assert_eq!(install(&env, &example_plugin(), &["--grant-all"]).code, 0);
    let file = env.data_dir().join("plugins/top-result/plugin.wasm");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&file, bytes).unwrap();
    env.run(&["top-result", "rust lang"]).fails_with(
        4,
        "plugin denied: plugin `top-result` has changed since you granted its capabilities; review and install it again with `kagi plugin install PATH.wasm`",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn replacing_a_built_in_command_needs_consent() {
    let env = Env::new();
    let fake = test_plugin("fake-news");
    install(&env, &fake, &["--yes"]).fails_with(
        1,
        "configuration error: `kagi news` is built in (plugin `news`); pass --replace to let `fake-news` replace it",
    );
    assert_eq!(install(&env, &fake, &["--yes", "--replace"]).code, 0);
    assert_eq!(env.run(&["news"]).stdout, "fake news\n");
    assert!(
        env.run(&["plugin", "list"])
            .stdout
            .contains("replaces built-in: news")
    );
    assert_eq!(env.run(&["plugin", "remove", "fake-news"]).code, 0);
    assert_eq!(
        env.run(&["news", "--limit", "1"]).json()["stories"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_policy_can_forbid_third_party_plugins() {
    let env = api_env();
    assert_eq!(install(&env, &example_plugin(), &["--grant-all"]).code, 0);
    let env = env.policy("allow-third-party = false\n");
    let list = env.run(&["plugin", "list"]);
    assert!(!list.stdout.contains("top-result"), "{}", list.stdout);
    assert_contains(&list.stdout, "third-party plugins are not allowed");
    assert_eq!(env.run(&["top-result", "x"]).code, 2, "the command is gone");
    install(&env, &example_plugin(), &["--grant-all"]).fails_with(
        1,
        "configuration error: the administrator's policy does not allow third-party plugins",
    );
}

#[test]
fn a_policy_narrows_what_plugin_list_shows() {
    let env = Env::new().policy("forbid-credentials = [\"session\"]\nmax-memory-mb = 64\n");
    let info = env.run(&["plugin", "info", "news"]);
    assert_contains(&info.stdout, "limits: memory 64 MiB");
    let list = env.run(&["plugin", "list"]);
    assert_contains(&list.stdout, "credentials forbidden to plugins: session");
    assert_contains(&list.stdout, "memory at most 64 MiB");
}

/// The same plugin with its manifest claiming another API version.
fn with_api_version(env: &Env, version: &str) -> std::path::PathBuf {
    let bytes = std::fs::read(example_plugin()).unwrap();
    // The stamped version inside the `kagi:manifest` custom section.
    let section = bytes
        .windows(13)
        .position(|w| w == b"kagi:manifest")
        .expect("manifest section");
    let needle = b"api = \"0.2.0\"";
    let at = section
        + bytes[section..]
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("stamped API version");
    let mut patched = bytes.clone();
    patched[at..at + needle.len()].copy_from_slice(format!("api = \"{version}\"").as_bytes());
    let path = env.dir.path().join(format!("top-result-{version}.wasm"));
    std::fs::write(&path, patched).unwrap();
    path
}

#[test]
fn an_incompatible_api_version_is_refused_with_both_versions() {
    let env = api_env();
    let newer = with_api_version(&env, "0.3.0");
    install(&env, &newer, &["--grant-all"]).fails_with(
        4,
        "plugin denied: plugin `top-result` was built for plugin API 0.3.0 but this kagi speaks 0.1.0 and 0.2.0; rebuild it against a matching kagi-plugin-sdk",
    );
    let run = env.run(&[
        "plugin",
        "test",
        newer.to_str().unwrap(),
        "--",
        "top-result",
        "x",
    ]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    // A version this kagi speaks loads.
    let same = with_api_version(&env, "0.2.0");
    assert_eq!(install(&env, &same, &["--grant-all"]).code, 0);
}

/// Runs the thief test plugin's `steal PATH` in `env`.
fn steal(env: &Env, path: &str) -> Run {
    env.run_plugin_test("thief", &["--grant-all"], &["steal", path])
}

#[test]
fn a_redirect_never_carries_the_session_cookie_to_another_origin() {
    let env = Env::new().var("KAGI_SESSION_TOKEN", kagi_mock::SESSION_TOKEN);
    let other = MockServer::start();
    let target = format!("{}/_mock/echo", other.url());
    let path = format!("/_mock/redirect?to={target}");
    let run = steal(&env, &path);
    let out = run.json();
    assert_eq!(out["status"], 200);
    let echoed: serde_json::Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert!(
        echoed.get("cookie").is_none(),
        "the cookie followed the redirect: {echoed}"
    );
    assert_eq!(
        env.mock.requests()[0].header("cookie"),
        Some(format!("kagi_session={}", kagi_mock::SESSION_TOKEN).as_str())
    );
    let landed = other.requests();
    assert_eq!(landed.len(), 1);
    assert!(landed[0].header("cookie").is_none() && landed[0].header("authorization").is_none());

    // A redirect to a host the plugin was not granted is not followed at all.
    let elsewhere = format!(
        "/_mock/redirect?to=http://localhost:{}/_mock/echo",
        other.addr().port()
    );
    let run = steal(&env, &elsewhere);
    run.fails_with(
        1,
        &format!(
            "network error: {}/_mock/redirect?to=http%3A%2F%2Flocalhost%3A{port}%2F_mock%2Fecho redirected to http://localhost:{port}, which this plugin may not reach",
            env.mock.url(),
            port = other.addr().port()
        ),
    );
    assert_eq!(other.requests().len(), 1, "nothing reached the other host");
}

#[test]
fn credential_bearing_response_headers_never_reach_a_plugin() {
    let env = api_env();
    let probe = test_plugin("probe");
    let run = env.run(&[
        "plugin",
        "test",
        probe.to_str().unwrap(),
        "--grant-all",
        "--",
        "probe",
        "api",
        "/_mock/echo",
    ]);
    let out = run.json();
    let headers: Vec<&str> = out["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(headers.contains(&"content-type"), "{headers:?}");
    assert!(!headers.contains(&"set-cookie"), "{headers:?}");
}

#[test]
fn on_a_terminal_install_shows_the_capabilities_and_asks() {
    let env = api_env();
    let path = example_plugin();
    let run = on_a_terminal(&env, &["plugin", "install", path.to_str().unwrap()], "n");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_contains(&run.stdout, "credential:api: have your API token attached");
    assert_contains(
        &run.stdout,
        "Install `top-result` and grant all of the above?",
    );
    assert_contains(&run.stdout, "Not installed. Nothing was changed.");
    assert!(!env.data_dir().join("plugins/top-result").exists());

    let run = on_a_terminal(&env, &["plugin", "install", path.to_str().unwrap()], "y");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_contains(&run.stdout, "granted: service:kagi, credential:api");
    assert_eq!(
        env.run(&["top-result", "rust lang", "--url-only"]).stdout,
        "https://en.wikipedia.org/wiki/rust-lang\n"
    );
}

#[test]
fn a_policy_can_restrict_the_hosts_plugins_reach() {
    let env = Env::new().var("KAGI_SESSION_TOKEN", kagi_mock::SESSION_TOKEN);
    let env = env.policy("allowed-hosts = [\"example.com\"]\n");
    let other = MockServer::start();
    let direct = steal(&env, "/_mock/echo");
    assert_eq!(
        direct.code, 0,
        "the Kagi service itself stays reachable: {}",
        direct.stderr
    );
    let path = format!("/_mock/redirect?to={}/_mock/echo", other.url());
    let run = steal(&env, &path);
    run.fails_starting(1, "network error: ");
    assert_contains(&run.stderr, "which this plugin may not reach");
    assert!(other.requests().is_empty());
    assert!(
        env.run(&["plugin", "list"])
            .stdout
            .contains("hosts plugins may reach: example.com")
    );
}
