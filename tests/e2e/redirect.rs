//! `kagi redirect …` against the mock's stateful redirect rule pages
//! (cli-surface §1.21, wire protocol §6.22): every subcommand, the exact
//! form bodies, enable/disable as a flip skipped when already in the state,
//! export → import into an empty account, `--dry-run`, drifted pages and
//! each failure family.

use crate::settings_support::{
    body, drifted, expired_session, rejected, run, sent_to_sign_in, signed_out, write_file,
};
use crate::support::session_env;
use crate::support::{Env, Run};
use serde_json::{Value, json};

const SURFACE: &str = "redirect settings page";

const REDDIT: &str = "^https://www.reddit.com|https://old.reddit.com";
const TWITTER: &str = r"^https?://(www\.)?twitter\.com/(.*)|https://nitter.net/$2";

/// An account with no redirect rules.
fn empty_account() -> Env {
    crate::settings_support::empty_account("redirects")
}

fn redirect(env: &Env, args: &[&str]) -> Run {
    run(env, &["redirect"], args)
}

/// The POSTs kagi sent (not the test's own `/_mock` calls), as path and body.
fn posts(env: &Env) -> Vec<(String, String)> {
    crate::settings_support::posts(env)
        .iter()
        .map(|r| (r.path.clone(), body(r)))
        .collect()
}

fn post(path: &str, body: &str) -> (String, String) {
    (path.to_string(), body.to_string())
}

fn list_of_two() -> Value {
    json!([
        {"id": "16641", "rule": REDDIT, "enabled": true,
         "edit_url": "/settings/redirects_form?rule_id=16641"},
        {"id": "16642", "rule": TWITTER, "enabled": false,
         "edit_url": "/settings/redirects_form?rule_id=16642"},
    ])
}

#[test]
fn list_prints_every_complete_row_and_skips_the_template_row() {
    let env = session_env();
    assert_eq!(redirect(&env, &["list"]).json(), list_of_two());
}

#[test]
fn an_account_without_rules_lists_an_empty_array() {
    let run = redirect(&empty_account(), &["list"]);
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn get_finds_a_rule_by_id_or_exact_text_only() {
    let env = session_env();
    let reddit = json!({"rule_id": "16641", "rule": REDDIT, "enabled": true});
    assert_eq!(redirect(&env, &["get", "16641"]).json(), reddit);
    assert_eq!(redirect(&env, &["get", REDDIT]).json(), reddit);
    let upper = REDDIT.to_uppercase();
    redirect(&env, &["get", &upper]).fails_with(
        1,
        &format!("configuration error: no redirect matched '{upper}'"),
    );
}

#[test]
fn create_posts_the_rule_and_prints_it_as_the_list_shows_it() {
    let env = session_env();
    let rule = "^https://medium.com/(.*)|https://scribe.rip/$1";
    assert_eq!(
        redirect(&env, &["create", rule]).json(),
        json!({"rule_id": "16643", "rule": rule, "enabled": true})
    );
    assert_eq!(
        posts(&env),
        [post(
            "/rewrite_rules",
            "regex=%5Ehttps%3A%2F%2Fmedium.com%2F%28.*%29%7Chttps%3A%2F%2Fscribe.rip%2F%241"
        )]
    );
}

#[test]
fn a_rule_without_a_bar_is_refused_before_anything_is_sent() {
    let env = session_env();
    for args in [&["create", "no-bar"][..], &["update", "16641", "no-bar"]] {
        redirect(&env, args).fails_with(
            1,
            "configuration error: redirect rule must use the form regex|replacement",
        );
    }
    assert!(env.mock.requests().is_empty());
}

#[test]
fn update_posts_the_id_and_the_new_rule() {
    let env = session_env();
    let rule = "^https://reddit.com|https://old.reddit.com";
    assert_eq!(
        redirect(&env, &["update", REDDIT, rule]).json(),
        json!({"rule_id": "16641", "rule": rule, "enabled": true})
    );
    assert_eq!(
        posts(&env),
        [post(
            "/rewrite_rules",
            "rule_id=16641&regex=%5Ehttps%3A%2F%2Freddit.com%7Chttps%3A%2F%2Fold.reddit.com"
        )]
    );
}

#[test]
fn delete_posts_the_id_and_the_rule_is_gone() {
    let env = session_env();
    assert_eq!(
        redirect(&env, &["delete", "16642"]).json(),
        json!({"id": "16642"})
    );
    assert_eq!(
        posts(&env),
        [post("/rewrite_rules/delete", "rule_id=16642")]
    );
    assert_eq!(
        redirect(&env, &["list"]).json().as_array().unwrap().len(),
        1
    );
}

#[test]
fn enable_and_disable_flip_the_rule_and_report_the_state_kagi_then_lists() {
    let env = session_env();
    let run = redirect(&env, &["enable", TWITTER]);
    assert_eq!(run.json(), json!({"id": "16642", "enabled": true}));
    assert_eq!(run.stderr, "");
    let run = redirect(&env, &["disable", "16641"]);
    assert_eq!(run.json(), json!({"id": "16641", "enabled": false}));
    assert_eq!(
        posts(&env),
        [
            post("/rewrite_rules/toggle", "rule_id=16642"),
            post("/rewrite_rules/toggle", "rule_id=16641"),
        ]
    );
    let listed = redirect(&env, &["list"]).json();
    assert_eq!(
        (listed[0]["enabled"].clone(), listed[1]["enabled"].clone()),
        (json!(false), json!(true))
    );
}

#[test]
fn enable_or_disable_in_the_state_already_sends_nothing_and_says_so() {
    let env = session_env();
    let run = redirect(&env, &["enable", "16641"]);
    assert_eq!(run.json(), json!({"id": "16641", "enabled": true}));
    assert_eq!(
        run.stderr,
        "redirect 16641 is already enabled; nothing was changed\n"
    );
    let run = redirect(&env, &["disable", "16642"]);
    assert_eq!(run.json(), json!({"id": "16642", "enabled": false}));
    assert_eq!(
        run.stderr,
        "redirect 16642 is already disabled; nothing was changed\n"
    );
    assert!(posts(&env).is_empty());
}

#[test]
fn export_prints_every_rule_in_full() {
    let env = session_env();
    assert_eq!(
        redirect(&env, &["export"]).json(),
        json!([
            {"rule_id": "16641", "rule": REDDIT, "enabled": true},
            {"rule_id": "16642", "rule": TWITTER, "enabled": false},
        ])
    );
    assert!(posts(&env).is_empty());
}

fn rules_and_states(env: &Env) -> Vec<(String, bool)> {
    redirect(env, &["list"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["enabled"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn export_then_import_into_an_empty_account_reproduces_the_same_list() {
    let source = session_env();
    let exported = redirect(&source, &["export"]).stdout;
    let target = empty_account();
    let file = write_file(&target, "rules.json", &exported);
    assert_eq!(
        redirect(&target, &["import", &file]).json(),
        json!({"created": [REDDIT, TWITTER], "updated": [], "unchanged": []})
    );
    assert_eq!(rules_and_states(&target), rules_and_states(&source));
    // The disabled rule was created, then turned off by its new id.
    assert_eq!(
        posts(&target),
        [
            post("/rewrite_rules", &format!("regex={}", encode(REDDIT))),
            post("/rewrite_rules", &format!("regex={}", encode(TWITTER))),
            post("/rewrite_rules/toggle", "rule_id=16644"),
        ]
    );
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[test]
fn importing_an_existing_rule_only_restores_its_enabled_state() {
    let env = session_env();
    let file = write_file(
        &env,
        "rules.json",
        &json!([
            {"rule": REDDIT, "enabled": false},
            {"rule": TWITTER, "enabled": false},
            {"rule": "a|b"},
        ])
        .to_string(),
    );
    assert_eq!(
        redirect(&env, &["import", &file]).json(),
        json!({"created": ["a|b"], "updated": [REDDIT], "unchanged": [TWITTER]})
    );
    assert_eq!(
        posts(&env),
        [
            post("/rewrite_rules/toggle", "rule_id=16641"),
            post("/rewrite_rules", "regex=a%7Cb"),
        ]
    );
}

#[test]
fn import_dry_run_prints_the_requests_it_would_send_and_sends_no_post() {
    let env = empty_account();
    let file = write_file(
        &env,
        "rules.json",
        &json!([{"rule": REDDIT, "enabled": true}, {"rule": TWITTER, "enabled": false}])
            .to_string(),
    );
    assert_eq!(
        redirect(&env, &["import", &file, "--dry-run"]).json(),
        json!({"dry_run": true, "requests": [
            {"method": "POST", "path": "/rewrite_rules", "form": [["regex", REDDIT]]},
            {"method": "POST", "path": "/rewrite_rules", "form": [["regex", TWITTER]]},
            {"method": "POST", "path": "/rewrite_rules/toggle", "form": [["rule_id", "<id of the new rule>"]]},
        ]})
    );
    assert!(posts(&env).is_empty());
    assert_eq!(redirect(&env, &["list"]).stdout, "[]\n");
}

#[test]
fn an_import_file_with_a_bad_rule_is_refused_before_anything_is_sent() {
    let env = session_env();
    let file = write_file(&env, "rules.json", r#"[{"rule":"a|b"},{"rule":"nobar"}]"#);
    redirect(&env, &["import", &file]).fails_with(
        1,
        "configuration error: redirect import file 'rules.json': 'nobar': redirect rule must use the form regex|replacement",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_signed_out_page_is_an_authentication_error() {
    let env = session_env().with_fault("logged-out");
    redirect(&env, &["list"]).fails_with(1, &signed_out(SURFACE));
}

#[test]
fn a_redirect_to_the_sign_in_page_is_an_authentication_error_and_nothing_is_toggled() {
    let env = expired_session();
    redirect(&env, &["enable", "16642"]).fails_with(1, &sent_to_sign_in(SURFACE));
    assert!(posts(&env).is_empty());
}

#[test]
fn a_4xx_is_a_configuration_error_and_a_5xx_a_network_error_each_sent_once() {
    let env = session_env().with_fault("status=404");
    redirect(&env, &["list"]).fails_with(
        1,
        &format!(
            "{}404 Not Found Not Found Not found Back to Kagi",
            rejected(SURFACE, "HTTP 404 Not Found")
        ),
    );
    assert_eq!(env.mock.requests().len(), 1);
    let env = session_env().with_fault("status=500");
    redirect(&env, &["disable", "16641"]).fails_starting(1, "network error: ");
    assert_eq!(env.mock.requests().len(), 1);
}

#[test]
fn a_list_page_without_the_table_is_a_parse_error_not_an_empty_list() {
    redirect(&drifted("no-table"), &["list"]).fails_with(
        1,
        "parse error: redirect list: no redirect table found; Kagi's settings page may have changed",
    );
}

#[test]
fn a_rule_whose_toggle_form_moved_is_a_parse_error_and_nothing_is_toggled() {
    let env = drifted("no-toggle");
    redirect(&env, &["enable", "16642"]).fails_with(
        1,
        &format!("parse error: redirect enable: the redirect row '{REDDIT}' has no toggle form (/rewrite_rules/toggle); Kagi's settings page may have changed"),
    );
    assert!(posts(&env).is_empty());
}

#[test]
fn a_form_without_its_regex_is_a_parse_error() {
    redirect(&drifted("no-regex"), &["get", "16641"]).fails_with(
        1,
        "parse error: redirect get: the redirect form has no regex field; Kagi's settings page may have changed",
    );
}
