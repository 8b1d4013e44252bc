//! Credentials and configuration: precedence, the config files, `kagi auth
//! set/status/check`, the keychain, the error messages, and that tokens never
//! leak.

use crate::support::{Env, Run, assert_contains, test_plugin, write_private};
use kagi_mock::{API_TOKEN, MockServer, SESSION_TOKEN};
use std::path::{Path, PathBuf};

fn run_with(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut cmd = env.command(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    crate::support::canaries_of(&cmd);
    Run::from(cmd.output().expect("kagi runs"))
}

fn ok(run: &Run) -> &str {
    assert_eq!(
        run.code, 0,
        "expected success; stderr:\n{}\nstdout:\n{}",
        run.stderr, run.stdout
    );
    &run.stdout
}

fn local_config(env: &Env) -> PathBuf {
    env.work_dir().join(".kagi.toml")
}

fn user_config(env: &Env) -> PathBuf {
    env.dir.path().join("config/kagi/config.toml")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn creds_plugin(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Run {
    creds_plugin_in(env, &[], args, vars)
}

/// Runs the creds test plugin with `global` options (like `--profile p`) first.
fn creds_plugin_in(env: &Env, global: &[&str], args: &[&str], vars: &[(&str, &str)]) -> Run {
    let path = test_plugin("creds");
    let mut all = global.to_vec();
    all.extend([
        "plugin",
        "test",
        path.to_str().unwrap(),
        "--grant-all",
        "--",
        "creds",
    ]);
    all.extend_from_slice(args);
    run_with(env, &all, vars)
}

fn line<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no `{key}:` line in\n{stdout}"))
}

/// The `--verbose` detail line of `auth status` for `key` (which file, block
/// or keychain, masked value).
fn detail<'a>(stderr: &'a str, key: &str) -> &'a str {
    let prefix = format!("kagi[debug]: auth status: {key}: ");
    stderr
        .lines()
        .find(|l| l.starts_with(&prefix))
        .map(|l| &l["kagi[debug]: auth status: ".len()..])
        .unwrap_or_else(|| panic!("no `{key}:` detail in\n{stderr}"))
}

/// The reference CLI's precedence line, printed as is: here a profile's
/// block does fall back to `[auth]`, so it is true.
const PRECEDENCE: &str = "precedence: env > selected profile config > default config; base search defaults to session unless preferred_auth = \"api\"; lens search requires session token";

#[test]
fn status_with_nothing_configured_has_seven_lines() {
    let env = Env::new();
    let run = env.run(&["auth", "status"]);
    let expected = format!(
        "selected: none\nprofile: default\npreferred auth for base search: session\napi token: not configured\nsession token: not configured\nconfig path: .kagi.toml\n{PRECEDENCE}\n"
    );
    assert_eq!(ok(&run), expected);
    assert_eq!(run.stderr, "");
    // --verbose adds the detail on stderr; stdout stays the same seven lines.
    let run = env.run(&["--verbose", "auth", "status"]);
    assert_eq!(ok(&run), expected);
    assert_eq!(
        detail(&run.stderr, "config file"),
        format!(
            "config file: none (neither ./.kagi.toml nor {} exists)",
            user_config(&env).display()
        )
    );
    assert_eq!(
        detail(&run.stderr, "preferred auth for base search"),
        "preferred auth for base search: session (default)"
    );
}

#[test]
fn env_beats_the_profile_which_beats_auth_key_by_key() {
    let env = Env::new();
    write_private(
        &local_config(&env),
        "[auth]\nsession_token = \"auth-session-0000000001\"\napi_token = \"auth-api-00000000000001\"\npreferred_auth = \"api\"\n\n[profiles.work.auth]\napi_token = \"work-api-00000000000002\"\n",
    );
    let run = run_with(
        &env,
        &["--profile", "work", "auth", "status"],
        &[("KAGI_SESSION_TOKEN", "env-session-000000000003")],
    );
    assert_eq!(
        ok(&run),
        format!(
            "selected: api-token (config)\n\
             profile: work\n\
             preferred auth for base search: api\n\
             api token: configured via config\n\
             session token: configured via env\n\
             config path: .kagi.toml\n\
             {PRECEDENCE}\n"
        )
    );
    // Which block each value came from is in the --verbose detail.
    let run = run_with(
        &env,
        &["--profile", "work", "--verbose", "auth", "status"],
        &[("KAGI_SESSION_TOKEN", "env-session-000000000003")],
    );
    let err = &run.stderr;
    assert_eq!(
        detail(err, "selected"),
        "selected: api-token from ./.kagi.toml [profiles.work.auth]"
    );
    assert_eq!(
        detail(err, "preferred auth for base search"),
        "preferred auth for base search: api (./.kagi.toml [auth])"
    );
    assert_eq!(
        detail(err, "api token"),
        "api token: configured via ./.kagi.toml [profiles.work.auth] (work…0002)"
    );
    assert_eq!(
        detail(err, "session token"),
        "session token: configured via env KAGI_SESSION_TOKEN (env-…0003)"
    );
    assert_eq!(
        detail(err, "precedence"),
        "precedence: env > [profiles.work.auth] > [auth], key by key"
    );
    // Without the profile, [auth] is used; the env still wins for its key.
    let run = run_with(
        &env,
        &["--verbose", "auth", "status"],
        &[("KAGI_API_TOKEN", "env-api-0000000000000004")],
    );
    let out = ok(&run);
    assert_eq!(line(out, "api token"), "api token: configured via env");
    assert_eq!(
        line(out, "session token"),
        "session token: configured via config"
    );
    assert_eq!(
        detail(&run.stderr, "api token"),
        "api token: configured via env KAGI_API_TOKEN (env-…0004)"
    );
    assert_eq!(
        detail(&run.stderr, "session token"),
        "session token: configured via ./.kagi.toml [auth] (auth…0001)"
    );
    // An unknown profile is an error that lists the known ones.
    env.run(&["--profile", "home", "auth", "status"]).fails_with(
        1,
        "configuration error: profile `home` was not found in ./.kagi.toml; profiles there: work; add a [profiles.home.auth] section or run `kagi --profile home auth set ...`",
    );
}

#[test]
fn the_user_config_file_is_read_when_there_is_no_local_one() {
    let env = Env::new();
    let user = user_config(&env);
    write_private(
        &user,
        "[auth]\nsession_token = \"user-session-00000000001\"\n",
    );
    let run = env.run(&["--verbose", "auth", "status"]);
    let out = ok(&run);
    assert_eq!(
        line(out, "config path"),
        format!("config path: {}", user.display())
    );
    assert_eq!(
        line(out, "session token"),
        "session token: configured via config"
    );
    assert_eq!(
        detail(&run.stderr, "config file"),
        format!(
            "config file: {} (there is no ./.kagi.toml here)",
            user.display()
        )
    );
    assert_eq!(
        detail(&run.stderr, "session token"),
        format!(
            "session token: configured via {} [auth] (user…0001)",
            user.display()
        )
    );
    // It works: auth check reads the token from there.
    write_private(
        &user,
        &format!("[auth]\nsession_token = \"{SESSION_TOKEN}\"\n"),
    );
    let run = env.run(&["--verbose", "auth", "check"]);
    assert_eq!(ok(&run), "auth check passed: session-token (config)\n");
    assert_contains(
        &run.stderr,
        &format!(
            "kagi[debug]: auth check: checking the session token from {} [auth] (preferred_auth = session)\n",
            user.display()
        ),
    );
    // auth set writes the file in use, not a new ./.kagi.toml.
    ok(&env.run(&["auth", "set", "--api-token", "user-api-000000000000002"]));
    assert!(!local_config(&env).exists());
    assert!(
        std::fs::read_to_string(&user)
            .unwrap()
            .contains("api_token = \"user-api-000000000000002\"")
    );
    // A ./.kagi.toml takes over completely.
    write_private(&local_config(&env), "[auth]\n");
    let out = env.run(&["auth", "status"]);
    let out = ok(&out);
    assert_eq!(line(out, "config path"), "config path: .kagi.toml");
    assert_eq!(line(out, "session token"), "session token: not configured");
}

#[test]
fn auth_set_global_creates_the_user_config_file() {
    let env = Env::new();
    let run = env.run(&[
        "auth",
        "set",
        "--global",
        "--session-token",
        "global-session-000000001",
    ]);
    let user = user_config(&env);
    assert!(
        ok(&run).starts_with(&format!(
            "saved session token to {} [auth]\n",
            user.display()
        )),
        "{}",
        run.stdout
    );
    #[cfg(unix)]
    assert_eq!(mode(&user), 0o600);
    assert!(!local_config(&env).exists());
}

#[test]
fn session_links_full_schemeless_and_bare_are_all_accepted() {
    let env = Env::new();
    for (input, stored) in [
        (
            format!("https://kagi.com/search?token={SESSION_TOKEN}&utm=x"),
            SESSION_TOKEN.to_string(),
        ),
        (
            "kagi.com/search?token=abc123.def456".to_string(),
            "abc123.def456".to_string(),
        ),
        (
            "  bare.token-value  ".to_string(),
            "bare.token-value".to_string(),
        ),
    ] {
        ok(&env.run(&["auth", "set", "--session-token", &input]));
        let text = std::fs::read_to_string(local_config(&env)).unwrap();
        assert_eq!(text, format!("[auth]\nsession_token = \"{stored}\"\n"));
    }
    // The same forms work from the environment.
    let link = format!("https://kagi.com/search?token={SESSION_TOKEN}");
    let run = run_with(&env, &["auth", "check"], &[("KAGI_SESSION_TOKEN", &link)]);
    assert_eq!(ok(&run), "auth check passed: session-token (env)\n");
    // The token travelled in the cookie, never in the URL.
    let last = env.mock.requests().pop().unwrap();
    assert_eq!(last.path, "/html/search");
    assert_eq!(last.query, vec![("q".to_string(), "rust lang".to_string())]);
    assert_eq!(
        last.header("cookie"),
        Some(format!("kagi_session={SESSION_TOKEN}").as_str())
    );
    // Bad links are refused with the fix, without echoing them.
    env.run(&["auth", "set", "--session-token", "https://kagi.com/search?q=secretish"])
        .fails_with(
            1,
            "configuration error: --session-token: the Session Link has no token= parameter; copy the whole link from https://kagi.com/settings/user_details",
        );
    let run = run_with(
        &env,
        &["auth", "status"],
        &[("KAGI_SESSION_TOKEN", "https://kagi.com/search?token=")],
    );
    run.fails_with(
        1,
        "configuration error: KAGI_SESSION_TOKEN is set but not usable: the Session Link has an empty token= parameter; copy the whole link from https://kagi.com/settings/user_details; fix or unset it",
    );
}

#[test]
fn auth_set_keeps_comments_and_other_content_and_writes_0600() {
    let env = Env::new();
    let path = local_config(&env);
    let original = "# kagi settings for this project\n\n[auth]\n# from the settings page\nsession_token = \"old-session\" # rotate monthly\npreferred_auth = \"session\"\n\n[profiles.ci.auth]\napi_token = \"ci-api\"\n\n[editor]\ntheme = \"dark\" # not kagi's\n";
    std::fs::write(&path, original).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let run = env.run(&[
        "auth",
        "set",
        "--session-token",
        "new-session-token-000001",
        "--api-token",
        "new-api-token-0000000002",
    ]);
    let out = ok(&run);
    assert!(
        out.starts_with("saved session token and API token to ./.kagi.toml [auth]\nselected: session-token (config)\n"),
        "{out}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        original
            .replace("\"old-session\"", "\"new-session-token-000001\"")
            .replace(
                "preferred_auth = \"session\"\n",
                "preferred_auth = \"session\"\napi_token = \"new-api-token-0000000002\"\n"
            )
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&path), 0o600);
        // The warning before the write, and the note that it is fixed now.
        assert_contains(
            &run.stderr,
            "note: ./.kagi.toml was readable by other users (mode 644); it is now 600 (only you)",
        );
    }
    // Nothing but the config file is left in the directory.
    let names: Vec<String> = std::fs::read_dir(env.work_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![".kagi.toml".to_string()]);

    // A profile block is created when missing, and preferred_auth only
    // changes when asked.
    ok(&env.run(&[
        "--profile",
        "work",
        "auth",
        "set",
        "--api-token",
        "work-api-token-000000003",
        "--preferred-auth",
        "api",
    ]));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("[profiles.ci.auth]\napi_token = \"ci-api\"\n\n[profiles.work.auth]\napi_token = \"work-api-token-000000003\"\npreferred_auth = \"api\"\n\n[editor]\ntheme = \"dark\" # not kagi's\n"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_config_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let path = local_config(&env);
    std::fs::write(
        &path,
        format!("[auth]\nsession_token = \"{SESSION_TOKEN}\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = env.run(&["auth", "status"]);
    ok(&run);
    assert_eq!(
        run.stderr,
        "warning: ./.kagi.toml holds a token and is readable by other users (mode 644); run `chmod 600 ./.kagi.toml`\n"
    );
}

#[test]
fn auth_set_needs_something_to_save() {
    let env = Env::new();
    let run = env.run(&["auth", "set"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(&run.stderr, "--session-token");
    assert!(!local_config(&env).exists());
}

#[test]
fn a_corrupt_config_is_one_clear_line_and_is_never_overwritten() {
    let env = Env::new();
    let path = local_config(&env);
    let broken = "[auth]\nsession_token = \"unterminated\n";
    write_private(&path, broken);
    let run = env.run(&["auth", "status"]);
    run.fails_starting(
        1,
        "configuration error: ./.kagi.toml is not valid TOML (line 2, column ",
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .trim_end()
            .ends_with("; fix that line or move the file away"),
        "{}",
        run.stderr
    );
    let run = env.run(&["auth", "set", "--api-token", "x-api-token"]);
    run.fails_starting(1, "configuration error: ./.kagi.toml is not valid TOML");
    assert!(
        run.stderr
            .trim_end()
            .ends_with("kagi will not overwrite it"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);

    // Commands that need no credentials do not care.
    let run = env.run(&["news", "--limit", "1"]);
    ok(&run);
    assert_eq!(run.stderr, "");
    // A plugin that asks for a credential gets the configuration error.
    creds_plugin(&env, &["api", "/api/v0/search?q=x"], &[])
        .fails_starting(1, "configuration error: ./.kagi.toml is not valid TOML");
    // So does a bad value.
    write_private(&path, "[auth]\npreferred_auth = \"both\"\n");
    env.run(&["auth", "check"]).fails_with(
        1,
        "configuration error: preferred_auth in ./.kagi.toml [auth] is `both`; expected \"session\" or \"api\"",
    );
}

#[test]
fn auth_check_names_the_credential_and_source_it_checked() {
    let env = Env::new();
    write_private(
        &local_config(&env),
        &format!(
            "[auth]\nsession_token = \"{SESSION_TOKEN}\"\n[profiles.api.auth]\npreferred_auth = \"api\"\n"
        ),
    );
    let run = env.run(&["--verbose", "auth", "check"]);
    assert_eq!(ok(&run), "auth check passed: session-token (config)\n");
    assert_contains(
        &run.stderr,
        "kagi[debug]: auth check: checking the session token from ./.kagi.toml [auth] (preferred_auth = session)\n",
    );
    // API preferred, API token from the environment.
    let run = run_with(
        &env,
        &["--profile", "api", "--verbose", "auth", "check"],
        &[("KAGI_API_TOKEN", API_TOKEN)],
    );
    assert_eq!(ok(&run), "auth check passed: api-token (env)\n");
    assert_contains(
        &run.stderr,
        "kagi[debug]: auth check: checking the API token from env KAGI_API_TOKEN (preferred_auth = api)\n",
    );
    let last = env.mock.requests().pop().unwrap();
    assert_eq!(last.path, "/api/v0/search");
    assert_eq!(last.query_value("q"), Some("rust lang"));
    assert_eq!(
        last.header("authorization"),
        Some(format!("Bot {API_TOKEN}").as_str())
    );
    assert_eq!(last.header("cookie"), None);
}

#[test]
fn auth_check_never_falls_back_from_a_bad_api_token_to_a_good_session() {
    let env = Env::new();
    write_private(
        &local_config(&env),
        &format!(
            "[auth]\npreferred_auth = \"api\"\napi_token = \"bad-api-token-0000000001\"\nsession_token = \"{SESSION_TOKEN}\"\n"
        ),
    );
    env.run(&["auth", "check"]).fails_with(
        1,
        "authentication error: auth check failed for api-token (./.kagi.toml [auth]): Kagi rejected the API token (HTTP 401 Unauthorized; Invalid token); create a new token at https://kagi.com/settings/api and run `kagi auth set --api-token <token>`",
    );
    let paths: Vec<String> = env.mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, vec!["/api/v0/search".to_string()]);
    // The session token is fine on its own.
    let run = run_with(
        &env,
        &["auth", "check"],
        &[
            ("KAGI_API_TOKEN", ""),
            ("KAGI_SESSION_TOKEN", SESSION_TOKEN),
        ],
    );
    // An empty KAGI_API_TOKEN counts as unset, so the file's bad one is still primary.
    assert_eq!(run.code, 1);
    let env2 = Env::new();
    write_private(
        &local_config(&env2),
        &format!("[auth]\npreferred_auth = \"api\"\nsession_token = \"{SESSION_TOKEN}\"\n"),
    );
    assert_eq!(
        ok(&env2.run(&["auth", "check"])),
        "auth check passed: session-token (config)\n"
    );
}

#[test]
fn an_expired_session_is_named_as_such() {
    let env = Env::new();
    write_private(
        &local_config(&env),
        "[auth]\nsession_token = \"expired-session-00000001\"\n",
    );
    env.run(&["auth", "check"]).fails_with(
        1,
        "authentication error: your Kagi session has expired or was signed out: the auth check of session-token (./.kagi.toml [auth]) got Kagi's sign-in page; copy a fresh Session Link from https://kagi.com/settings/user_details and run `kagi auth set --session-token '<Session Link>'`",
    );
    let run = run_with(
        &env,
        &["auth", "check"],
        &[("KAGI_SESSION_TOKEN", "expired-env-session-0001")],
    );
    run.fails_starting(
        1,
        "authentication error: your Kagi session has expired or was signed out: the auth check of session-token (env KAGI_SESSION_TOKEN) got Kagi's sign-in page; copy a fresh Session Link from https://kagi.com/settings/user_details and put the new value in KAGI_SESSION_TOKEN",
    );
}

#[test]
fn an_api_token_out_of_credit_is_named_as_such() {
    let env = Env::new();
    let base = env.mock.fault_url("status=402");
    let run = run_with(
        &env,
        &["auth", "check"],
        &[("KAGI_API_TOKEN", API_TOKEN), ("KAGI_BASE_URL", &base)],
    );
    run.fails_with(
        1,
        "authentication error: auth check failed for api-token (env KAGI_API_TOKEN): the Kagi API account is out of credit (HTTP 402 Payment Required; Insufficient credit to perform this request.); add API credit at https://kagi.com/settings/billing_api, then run `kagi auth check` again",
    );
}

#[test]
fn server_and_network_failures_are_network_errors() {
    let env = Env::new();
    let base = env.mock.fault_url("status=503");
    run_with(
        &env,
        &["auth", "check"],
        &[("KAGI_SESSION_TOKEN", SESSION_TOKEN), ("KAGI_BASE_URL", &base)],
    )
    .fails_with(
        1,
        "network error: auth check of session-token (env KAGI_SESSION_TOKEN) could not finish: Kagi server error (HTTP 503 Service Unavailable); try again later",
    );
    // Nothing listens on port 9 of loopback.
    run_with(
        &env,
        &["auth", "check"],
        &[("KAGI_API_TOKEN", API_TOKEN), ("KAGI_BASE_URL", "http://127.0.0.1:9")],
    )
    .fails_starting(
        1,
        "network error: auth check of api-token (env KAGI_API_TOKEN) could not reach Kagi: failed to connect to http://127.0.0.1:9/api/v0/search?q=rust+lang",
    );
}

#[test]
fn missing_credentials_say_how_to_add_them() {
    let env = Env::new();
    env.run(&["auth", "check"]).fails_with(
        1,
        "configuration error: missing credentials: no session token or API token is configured (checked KAGI_SESSION_TOKEN, KAGI_API_TOKEN; there is no config file); run `kagi auth` to set one up, or `kagi auth set --session-token '<Session Link>'`",
    );
    // A plugin asking for a credential that is not configured gets the
    // typed error its SDK words for the user.
    creds_plugin(&env, &["session", "/html/search?q=x"], &[]).fails_with(
        1,
        "configuration error: this command requires KAGI_SESSION_TOKEN (env or .kagi.toml [auth] session_token); run `kagi auth` to set it up",
    );
    creds_plugin(&env, &["api", "/api/v0/search?q=x"], &[]).fails_with(
        1,
        "configuration error: this command requires KAGI_API_TOKEN (env or .kagi.toml [auth] api_token); run `kagi auth` to set it up",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn wizard_off_a_terminal_points_to_auth_set() {
    let env = Env::new();
    env.run(&["auth"]).fails_with(
        1,
        "configuration error: kagi auth is interactive and needs a terminal; in scripts use `kagi auth set --session-token '<Session Link>'` or `kagi auth set --api-token <token>`, then `kagi auth status` and `kagi auth check`",
    );
}

#[test]
fn plugins_see_which_kinds_are_configured_and_the_preference_never_values() {
    let env = Env::new();
    write_private(
        &local_config(&env),
        &format!(
            "[auth]\npreferred_auth = \"api\"\napi_token = \"{API_TOKEN}\"\n[profiles.p.auth]\nsession_token = \"{SESSION_TOKEN}\"\n"
        ),
    );
    let run = creds_plugin_in(&env, &["--profile", "p"], &["configured"], &[]);
    let out: serde_json::Value = serde_json::from_str(ok(&run)).unwrap();
    assert_eq!(
        out,
        serde_json::json!({"session": true, "api": true, "preferred": "api"})
    );
    // The profile's session token and [auth]'s API token both work.
    for (kind, path) in [
        ("session", "/html/search?q=x"),
        ("api", "/api/v0/search?q=x"),
    ] {
        let run = creds_plugin_in(&env, &["--profile", "p"], &[kind, path], &[]);
        let out: serde_json::Value = serde_json::from_str(ok(&run)).unwrap();
        assert_eq!(out["status"], 200, "{out}");
    }
}

#[test]
fn verbose_shows_requests_and_credential_kinds_but_no_values() {
    let env = Env::new();
    let run = run_with(
        &env,
        &["--verbose", "auth", "check"],
        &[("KAGI_SESSION_TOKEN", SESSION_TOKEN)],
    );
    ok(&run);
    let url = format!("{}/html/search?q=rust+lang", env.mock.url());
    assert!(
        run.stderr.contains(&format!(
            "kagi[debug]: auth check: GET {url} (with the session token attached)"
        )),
        "{}",
        run.stderr
    );
    assert_contains(
        &run.stderr,
        &format!("kagi[debug]: auth check: HTTP 200 from {url}"),
    );
    assert!(!run.stderr.contains(SESSION_TOKEN));
}

/// keyring-core's file-backed sample store stands in for the system
/// keychain (debug builds only), so a token stored by one `kagi` process is
/// read by the next.
#[test]
fn keychain_storage_keeps_the_token_out_of_the_file() {
    let env = Env::new();
    let store = env.dir.path().join("keyring.ron");
    let store_var = ("KAGI_TEST_KEYRING_FILE", store.to_str().unwrap());
    let link = format!("https://kagi.com/search?token={SESSION_TOKEN}");
    let run = run_with(
        &env,
        &[
            "auth",
            "set",
            "--keyring",
            "--session-token",
            &link,
            "--api-token",
            API_TOKEN,
        ],
        &[store_var],
    );
    assert!(
        ok(&run).starts_with(
            "saved session token and API token to the test keychain file (noted in ./.kagi.toml [auth])\n"
        ),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(local_config(&env)).unwrap();
    assert_eq!(
        text,
        "[auth]\nsession_token_in_keyring = true\napi_token_in_keyring = true\n"
    );
    assert!(store.is_file());

    let run = run_with(&env, &["--verbose", "auth", "status"], &[store_var]);
    assert_eq!(
        line(ok(&run), "session token"),
        "session token: configured via config"
    );
    assert_eq!(
        detail(&run.stderr, "session token"),
        "session token: configured via keychain, noted in ./.kagi.toml [auth] (test…oken)"
    );
    let run = run_with(&env, &["--verbose", "auth", "check"], &[store_var]);
    assert_eq!(ok(&run), "auth check passed: session-token (config)\n");
    assert_contains(
        &run.stderr,
        "kagi[debug]: auth check: checking the session token from keychain, noted in ./.kagi.toml [auth] (preferred_auth = session)\n",
    );
    let run = creds_plugin(&env, &["api", "/api/v0/search?q=x"], &[store_var]);
    let out: serde_json::Value = serde_json::from_str(ok(&run)).unwrap();
    assert_eq!(out["status"], 200);

    // The file says "keychain" but the keychain has nothing: a clear error.
    let empty = env.dir.path().join("empty.ron");
    let run = run_with(
        &env,
        &["auth", "check"],
        &[("KAGI_TEST_KEYRING_FILE", empty.to_str().unwrap())],
    );
    run.fails_with(
        1,
        "configuration error: ./.kagi.toml [auth] says the session token is in the test keychain file, but it has no entry `session_token` for service `kagi`; run `kagi auth set --keyring --session-token ...` again, or remove the session_token_in_keyring line",
    );

    // Moving a token back into the file removes it from the keychain.
    ok(&run_with(
        &env,
        &["auth", "set", "--session-token", SESSION_TOKEN],
        &[store_var],
    ));
    let text = std::fs::read_to_string(local_config(&env)).unwrap();
    assert_eq!(
        text,
        format!("[auth]\napi_token_in_keyring = true\nsession_token = \"{SESSION_TOKEN}\"\n")
    );
    // ... which a note pointing at the keychain now shows.
    write_private(
        &local_config(&env),
        "[auth]\nsession_token_in_keyring = true\napi_token_in_keyring = true\n",
    );
    run_with(&env, &["auth", "check"], &[store_var]).fails_starting(
        1,
        "configuration error: ./.kagi.toml [auth] says the session token is in the test keychain file, but it has no entry `session_token`",
    );
    let run = run_with(&env, &["--verbose", "auth", "status"], &[store_var]);
    assert_eq!(
        line(ok(&run), "api token"),
        "api token: configured via config"
    );
    assert_eq!(
        detail(&run.stderr, "api token"),
        "api token: configured via keychain, noted in ./.kagi.toml [auth] (hidden, 14 characters)"
    );
}

/// Without the test store, a system with no reachable keychain (CI has no
/// Secret Service) gives a configuration error and changes nothing.
#[cfg(target_os = "linux")]
#[test]
fn an_unavailable_keychain_is_a_configuration_error_not_a_panic() {
    let env = Env::new();
    let no_bus = [
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/kagi-test-bus",
        ),
        ("XDG_RUNTIME_DIR", "/nonexistent"),
    ];
    let run = run_with(
        &env,
        &[
            "auth",
            "set",
            "--keyring",
            "--api-token",
            "some-api-token-00000001",
        ],
        &no_bus,
    );
    run.fails_starting(
        1,
        "configuration error: cannot store the API token in the system keychain: ",
    );
    assert!(
        run.stderr.trim_end().ends_with(
            "; nothing was changed. Save it in ./.kagi.toml instead (without --keyring), or set KAGI_API_TOKEN"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert!(!local_config(&env).exists());

    write_private(&local_config(&env), "[auth]\napi_token_in_keyring = true\n");
    let run = run_with(&env, &["auth", "check"], &no_bus);
    run.fails_starting(
        1,
        "configuration error: cannot read the API token from the system keychain (noted in ./.kagi.toml [auth]): ",
    );
    assert!(!run.stderr.contains("panicked"));
    // status still shows everything else, and why the token cannot be read.
    let run = run_with(&env, &["auth", "status"], &no_bus);
    assert_eq!(
        line(ok(&run), "api token"),
        "api token: configured via config"
    );
    assert!(
        run.stderr.starts_with(
            "warning: cannot read the API token from the system keychain (noted in ./.kagi.toml [auth]): "
        ),
        "{}",
        run.stderr
    );
}

/// Tokens that look real (not the mock's defaults) must not appear in any
/// output of any command, with debug logging on, and a plugin must not see
/// them even when the server sends them back.
#[test]
fn tokens_never_appear_in_any_output() {
    const SESSION: &str = "Zk4mQv9TxW2pLs7nB3rYc8dHf6gJa1eU0oKiN5tR";
    const API: &str = "pX7vLq2ZbN9mW4sK8tHc3rYd6fJg1aUe5oTiB0nMkQ";
    let env = Env::with_mock(
        MockServer::builder()
            .session_token(SESSION)
            .api_token(API)
            .start(),
    );
    let mut outputs: Vec<(String, Run)> = Vec::new();
    let mut record = |name: &str, run: Run| outputs.push((name.to_string(), run));
    let debug = ("KAGI_LOG", "debug");
    let link = format!("https://kagi.com/search?token={SESSION}");

    record(
        "set",
        run_with(
            &env,
            &["auth", "set", "--session-token", &link, "--api-token", API],
            &[debug],
        ),
    );
    record("status", run_with(&env, &["auth", "status"], &[debug]));
    record(
        "check",
        run_with(&env, &["--verbose", "auth", "check"], &[debug]),
    );
    record(
        "prefer api",
        run_with(
            &env,
            &["--profile", "a", "auth", "set", "--preferred-auth", "api"],
            &[debug],
        ),
    );
    record(
        "check api",
        run_with(
            &env,
            &["--profile", "a", "--verbose", "auth", "check"],
            &[debug],
        ),
    );
    record(
        "unknown profile",
        run_with(
            &env,
            &["--profile", "zz", "auth", "check"],
            &[("KAGI_API_TOKEN", API)],
        ),
    );
    record(
        "check failing",
        run_with(
            &env,
            &["auth", "check"],
            &[debug, ("KAGI_BASE_URL", &env.mock.fault_url("status=401"))],
        ),
    );
    record(
        "check wrong session",
        run_with(
            &env,
            &["auth", "check"],
            &[debug, ("KAGI_SESSION_TOKEN", &format!("{SESSION}x"))],
        ),
    );
    let echo_api = creds_plugin(&env, &["api", "/_test/echo-credentials"], &[debug]);
    let echo_session = creds_plugin(&env, &["session", "/_test/echo-credentials"], &[debug]);
    let probe = test_plugin("probe");
    let probe_run = run_with(
        &env,
        &[
            "plugin",
            "test",
            probe.to_str().unwrap(),
            "--grant-all",
            "--",
            "probe",
            "api",
            "/_test/echo-credentials",
        ],
        &[debug],
    );
    let probe_env = run_with(
        &env,
        &[
            "plugin",
            "test",
            probe.to_str().unwrap(),
            "--grant-all",
            "--",
            "probe",
            "env",
        ],
        &[
            debug,
            ("KAGI_SESSION_TOKEN", SESSION),
            ("KAGI_API_TOKEN", API),
        ],
    );
    let failing = creds_plugin(
        &env,
        &["api", "/api/v0/search?q=x"],
        &[debug, ("KAGI_BASE_URL", &env.mock.fault_url("status=401"))],
    );
    for (name, run) in [
        ("creds api echo", &echo_api),
        ("creds session echo", &echo_session),
        ("probe api echo", &probe_run),
        ("probe env", &probe_env),
    ] {
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    }
    record("creds api echo", echo_api);
    record("creds session echo", echo_session);
    record("probe api echo", probe_run);
    record("probe env", probe_env);
    record("creds failing", failing);
    // The commands people run most, on both paths, and one that fails.
    let search = run_with(&env, &["--verbose", "search", "rust lang"], &[debug]);
    let search_api = run_with(
        &env,
        &["--profile", "a", "--verbose", "search", "rust lang"],
        &[debug],
    );
    for (name, run) in [("search", &search), ("search api", &search_api)] {
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    }
    record("search", search);
    record("search api", search_api);
    record(
        "batch",
        run_with(&env, &["batch", "rust", "servererror"], &[debug]),
    );
    record(
        "search failing",
        run_with(
            &env,
            &["search", "rust"],
            &[debug, ("KAGI_BASE_URL", &env.mock.fault_url("status=401"))],
        ),
    );

    // What a plugin got back: no credential-bearing headers.
    for (name, run) in &outputs {
        if name.ends_with("echo") {
            let out: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            let headers = out["headers"].to_string().to_ascii_lowercase();
            assert!(headers.contains("x-mock-echo"), "{name}: {headers}");
            assert!(!headers.contains("set-cookie"), "{name}: {headers}");
            assert!(!headers.contains("\"authorization\""), "{name}: {headers}");
        }
    }
    // The server did get them, in the right headers only.
    let requests = env.mock.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.header("authorization") == Some(&format!("Bot {API}")))
    );
    assert!(
        requests
            .iter()
            .any(|r| r.header("cookie") == Some(&format!("kagi_session={SESSION}")))
    );
    for r in &requests {
        for (k, v) in &r.query {
            assert!(!k.contains(SESSION) && !v.contains(SESSION) && !v.contains(API));
        }
    }
    // No output anywhere holds a token, or a long piece of one.
    for (name, run) in &outputs {
        for token in [SESSION, API] {
            for window in token.as_bytes().windows(10) {
                let piece = std::str::from_utf8(window).unwrap();
                assert!(
                    !run.stdout.contains(piece) && !run.stderr.contains(piece),
                    "{name} leaked part of a token:\nstdout: {}\nstderr: {}",
                    run.stdout,
                    run.stderr
                );
            }
        }
    }
    // The runs did what they should.
    let by_name = |n: &str| &outputs.iter().find(|(name, _)| name == n).unwrap().1;
    assert_eq!(by_name("check").code, 0, "{}", by_name("check").stderr);
    assert!(
        by_name("check")
            .stderr
            .contains("kagi[debug]: auth check: GET")
    );
    assert_eq!(by_name("check failing").code, 1);
    assert_eq!(by_name("check wrong session").code, 1);
    assert!(by_name("creds failing").stdout.contains("\"status\":401"));
    assert_eq!(
        by_name("check api").stdout,
        "auth check passed: api-token (config)\n"
    );
    assert!(
        by_name("unknown profile")
            .stderr
            .contains("profile `zz` was not found")
    );
}
