//! The `account-settings` capability, tried as an attacker would: a plugin
//! uses with the session only the settings pages its manifest lists (on the
//! first request and on every redirect hop, however the path is spelled),
//! never the account pages, and the review says so in plain words.

use crate::support::session_env;
use crate::support::{Env, Run, assert_contains, test_plugin};
use kagi_mock::SESSION_TOKEN;

const SNOOP: &str = "settings-snoop";

/// Runs the snoop under `kagi plugin test` with everything it declares granted.
fn snoop(env: &Env, args: &[&str]) -> Run {
    env.run_plugin_test(SNOOP, &["--grant-all"], args)
}

fn denied_for_bangs(listed_by: &str) -> String {
    format!(
        "plugin denied: plugin `settings-snoop` may not use the Kagi settings page `/settings/custom_bangs`: {listed_by} does not list it under capabilities.account-settings"
    )
}

#[test]
fn a_plugin_uses_the_settings_page_its_manifest_lists_with_the_session() {
    let env = session_env();
    let run = snoop(&env, &["open", "/html/settings/lenses"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = env.requests_to("/html/settings/lenses");
    assert_eq!(sent.len(), 1, "the request reached the mock");
    let cookie = format!("kagi_session={SESSION_TOKEN}");
    assert_eq!(sent[0].header("cookie"), Some(cookie.as_str()));
}

#[test]
fn a_settings_page_its_manifest_does_not_list_is_refused_and_never_sent() {
    let env = session_env();
    snoop(&env, &["open", "/settings/custom_bangs"])
        .fails_with(4, &denied_for_bangs("its manifest"));
    // Every part of the settings area, and the pages beside the listed one.
    for path in [
        "/settings/redirects",
        "/html/settings/assistant",
        "/html/settings",
        "/html/settings/lensesx",
        "/lenses/create",
        "/bangs/modify",
        "/rewrite_rules",
        "/settings/custom_assistant",
    ] {
        snoop(&env, &["open", path]).fails_with(
            4,
            &format!(
                "plugin denied: plugin `settings-snoop` may not use the Kagi settings page `{path}`: its manifest does not list it under capabilities.account-settings"
            ),
        );
    }
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn every_spelling_of_an_unlisted_settings_page_is_refused_and_never_sent() {
    let env = session_env();
    for path in [
        "/HTML/Settings/%6Censes/../../settings/custom_bangs",
        "/html/settings/lenses/../../../settings/custom_bangs",
        "/html/settings/lenses/%2e%2e/%2E%2E/%2e%2e/settings/custom_bangs",
        "/html/settings/lenses/..%2f..%2f..%2fsettings%2fcustom_bangs",
        "/html/settings/lenses%2F..%2F..%2F..%2Fsettings%2Fcustom_bangs",
        "/html/settings/lenses/..%5c..%5c..%5csettings%5ccustom_bangs",
        "//SETTINGS//Custom_Bangs/",
        "/settings/%63ustom_bangs",
        "/settings?p=custom_bangs",
        "/settings?p=../html/settings/lenses",
    ] {
        let run = snoop(&env, &["open", path]);
        assert_eq!(run.code, 4, "{path}: {}", run.stderr);
        assert_contains(
            &run.stderr,
            "plugin denied: plugin `settings-snoop` may not use the Kagi settings page `",
        );
        assert_contains(
            &run.stderr,
            "does not list it under capabilities.account-settings",
        );
    }
    assert!(env.mock.requests().is_empty(), "nothing was sent");
    // The listed page, spelled oddly, is still the listed page.
    let run = snoop(&env, &["open", "/HTML//Settings/%6Censes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.mock.requests().len(), 1);
}

#[test]
fn account_settings_never_opens_an_account_page() {
    let env = session_env();
    for page in ["/settings/api", "/settings/user_details"] {
        snoop(&env, &["open", page]).fails_with(
            4,
            &format!(
                "plugin denied: plugin `settings-snoop` tried to open the account page `{page}` with your credentials (account), which it was not granted: its manifest does not declare it"
            ),
        );
    }
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_redirect_from_the_listed_page_to_another_settings_page_is_not_followed() {
    let env = session_env();
    snoop(
        &env,
        &["open", "/html/settings/lenses/_mock/redirect?to=/settings/custom_bangs"],
    )
    .fails_with(
        4,
        "plugin denied: plugin `settings-snoop` was redirected to the Kagi settings page `/settings/custom_bangs`, which it may not use: its manifest does not list it under capabilities.account-settings",
    );
    let paths: Vec<String> = env.mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        ["/html/settings/lenses/_mock/redirect"],
        "the hop was not sent"
    );
    // A hop to an account page is refused as ever.
    let run = snoop(
        &env,
        &[
            "open",
            "/html/settings/lenses/_mock/redirect?to=/SETTINGS/%61pi",
        ],
    );
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "was redirected to the account page `/SETTINGS/%61pi`",
    );
    assert!(
        env.requests_to("/SETTINGS/%61pi").is_empty()
            && env.requests_to("/settings/api").is_empty()
    );
}

#[test]
fn a_command_that_does_not_list_the_page_cannot_use_it() {
    let env = session_env();
    snoop(&env, &["peek", "/html/settings/lenses"]).fails_with(
        4,
        "plugin denied: plugin `settings-snoop` may not use the Kagi settings page `/html/settings/lenses`: the command `peek` does not list it under capabilities.account-settings",
    );
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_plugin_without_the_capability_cannot_use_any_settings_page() {
    let env = session_env();
    env.run_plugin_test("thief", &["--grant-all"], &["steal", "/html/settings/lenses"])
        .fails_with(
            4,
            "plugin denied: plugin `thief` may not use the Kagi settings page `/html/settings/lenses`: its manifest does not list it under capabilities.account-settings",
        );
    assert!(env.mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_install_review_says_in_plain_words_which_settings_it_changes() {
    let env = session_env();
    let path = test_plugin(SNOOP);
    let path = path.to_str().unwrap();
    let refused = env.run(&["plugin", "install", path]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_contains(
        &refused.stderr,
        "  account-settings: READ AND CHANGE YOUR KAGI SETTINGS: your lenses (pages /html/settings/lenses)\n",
    );
    assert_contains(&refused.stderr, "credential:session, account-settings\n");
    // Installed without it, the page is refused and the error says how to grant it.
    let install = env.run(&[
        "plugin",
        "install",
        path,
        "--grant",
        "service:kagi",
        "--grant",
        "credential:session",
    ]);
    assert_eq!(install.code, 0, "{}", install.stderr);
    env.run(&["open", "/html/settings/lenses"]).fails_with(
        4,
        "plugin denied: plugin `settings-snoop` may not use the Kagi settings page `/html/settings/lenses` with your credentials (account-settings), which it was not granted: you have not granted it (`kagi plugin grant settings-snoop account-settings`)",
    );
    assert!(env.mock.requests().is_empty(), "nothing was sent");
    let info = env.run(&["plugin", "info", SNOOP]);
    assert_contains(&info.stdout, "  account-settings (not granted)\n");
    assert_contains(
        &info.stdout,
        "  account-settings: READ AND CHANGE YOUR KAGI SETTINGS: your lenses (pages /html/settings/lenses)\n",
    );
    let grant = env.run(&["plugin", "grant", SNOOP, "account-settings"]);
    assert_eq!(grant.code, 0, "{}", grant.stderr);
    let run = env.run(&["open", "/html/settings/lenses"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.requests_to("/html/settings/lenses").len(), 1);
    // Granted, it still reaches only its listed page.
    env.run(&["open", "/settings/custom_bangs"])
        .fails_with(4, &denied_for_bangs("its manifest"));
    assert!(env.requests_to("/settings/custom_bangs").is_empty());
}

#[test]
fn grant_all_grants_the_settings_pages_but_a_policy_can_forbid_them() {
    let env = session_env().policy("forbid-account-settings = true\n");
    snoop(&env, &["open", "/html/settings/lenses"]).fails_with(
        4,
        "plugin denied: plugin `settings-snoop` may not use the Kagi settings page `/html/settings/lenses` with your credentials (account-settings), which it was not granted: the administrator's policy forbids it",
    );
    assert!(env.mock.requests().is_empty(), "nothing was sent");
    let list = env.run(&["plugin", "list"]);
    assert_contains(
        &list.stdout,
        "plugins may not read or change your Kagi settings",
    );
}
