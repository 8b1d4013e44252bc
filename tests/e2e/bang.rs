//! `kagi bang custom …` against the mock's stateful custom bang pages
//! (cli-surface §1.20, wire protocol §6.21): every subcommand and flag, the
//! exact form bodies, an update that keeps a field this version does not
//! know, export → import into an empty account, `--dry-run`, drifted pages
//! and each failure family.

use crate::settings_support::{
    body, drifted, expired_session, posts, rejected, run, sent_to_sign_in, signed_out, without,
    write_file,
};
use crate::support::session_env;
use crate::support::{Env, Run};
use serde_json::{Value, json};

const SURFACE: &str = "custom bang settings page";

/// An account with no custom bangs.
fn empty_account() -> Env {
    crate::settings_support::empty_account("bangs")
}

fn bang(env: &Env, args: &[&str]) -> Run {
    run(env, &["bang", "custom"], args)
}

fn google() -> Value {
    json!({"bang_id": "1", "name": "Google", "trigger": "g",
        "template": "https://google.com/search?q=%s", "snap_domain": "google.com",
        "regex_pattern": "", "shortcut_menu": true, "fmt_open_snap_domain": false,
        "fmt_open_base_path": true, "fmt_url_encode_placeholder": false,
        "fmt_url_encode_space_to_plus": true})
}

fn mdn() -> Value {
    json!({"bang_id": "2", "name": "MDN Docs", "trigger": "mdn",
        "template": "https://developer.mozilla.org/search?q=%s",
        "snap_domain": "developer.mozilla.org", "regex_pattern": "^mdn (.*)$",
        "shortcut_menu": false, "fmt_open_snap_domain": true, "fmt_open_base_path": false,
        "fmt_url_encode_placeholder": true, "fmt_url_encode_space_to_plus": false})
}

const GOOGLE_UPDATE: &str = "bang_id=1&name=Google2&trigger=g&template=https%3A%2F%2Fgoogle.com%2Fsearch%3Fq%3D%25s&snap_domain=google.com&regex_pattern=&shortcut_menu=true&fmt_open_snap_domain=false&fmt_open_base_path=true&fmt_url_encode_placeholder=false&fmt_url_encode_space_to_plus=false";

#[test]
fn list_prints_every_row_of_the_custom_bang_table() {
    let env = session_env();
    assert_eq!(
        bang(&env, &["list"]).json(),
        json!([
            {"id": "1", "name": "Google", "trigger": "g", "shortcut_menu": true,
             "edit_url": "/settings/custom_bangs_form?bang_id=1"},
            {"id": "2", "name": "MDN Docs", "trigger": "mdn", "shortcut_menu": false,
             "edit_url": "/settings/custom_bangs_form?bang_id=2"},
        ])
    );
    assert!(posts(&env).is_empty());
}

#[test]
fn an_account_without_bangs_lists_an_empty_array() {
    let env = empty_account();
    let run = bang(&env, &["list"]);
    assert_eq!(run.json(), json!([]));
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn get_finds_a_bang_by_id_name_or_trigger_with_or_without_its_bang() {
    let env = session_env();
    for target in ["1", "GOOGLE", "g", "!G"] {
        assert_eq!(bang(&env, &["get", target]).json(), google(), "{target}");
    }
    assert_eq!(bang(&env, &["get", "mdn docs"]).json(), mdn());
}

#[test]
fn a_target_that_matches_nothing_is_a_configuration_error_and_sends_nothing() {
    let env = session_env();
    for sub in ["get", "delete"] {
        bang(&env, &[sub, "nope"])
            .fails_with(1, "configuration error: no custom bang matched 'nope'");
    }
    bang(&env, &["update", "nope", "--name", "x"])
        .fails_with(1, "configuration error: no custom bang matched 'nope'");
    assert!(posts(&env).is_empty());
}

#[test]
fn create_posts_the_blank_form_with_every_flag_and_prints_the_new_bang() {
    let env = session_env();
    let out = bang(
        &env,
        &[
            "create",
            "Rust Docs",
            "--trigger",
            "!rs",
            "--template",
            "https://docs.rs/releases/search?query=%s",
            "--snap-domain",
            "docs.rs",
            "--regex-pattern",
            "^rs (.+)$",
            "--shortcut-menu",
            "--open-snap-domain",
            "--no-open-base-path",
            "--encode-placeholder",
            "--plus-for-space",
        ],
    )
    .json();
    assert_eq!(
        out,
        json!({"bang_id": "3", "name": "Rust Docs", "trigger": "rs",
            "template": "https://docs.rs/releases/search?query=%s", "snap_domain": "docs.rs",
            "regex_pattern": "^rs (.+)$", "shortcut_menu": true, "fmt_open_snap_domain": true,
            "fmt_open_base_path": false, "fmt_url_encode_placeholder": true,
            "fmt_url_encode_space_to_plus": true})
    );
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/bangs/modify");
    // The blank form's empty bang_id first, then Kagi's order, then the
    // field this version does not know with the blank form's value.
    assert_eq!(
        body(&sent[0]),
        "bang_id=&name=Rust+Docs&trigger=rs&template=https%3A%2F%2Fdocs.rs%2Freleases%2Fsearch%3Fquery%3D%25s&snap_domain=docs.rs&regex_pattern=%5Ers+%28.%2B%29%24&shortcut_menu=true&fmt_open_snap_domain=true&fmt_open_base_path=false&fmt_url_encode_placeholder=true&fmt_url_encode_space_to_plus=true&category=general"
    );
    let listed = bang(&env, &["list"]).json();
    assert_eq!(listed[2]["trigger"], "rs");
}

#[test]
fn create_without_flags_takes_the_blank_forms_defaults() {
    let env = session_env();
    let out = bang(&env, &["create", "Plain", "--trigger", "p"]).json();
    assert_eq!(
        out,
        json!({"bang_id": "3", "name": "Plain", "trigger": "p", "template": "",
            "snap_domain": "", "regex_pattern": "", "shortcut_menu": false,
            "fmt_open_snap_domain": false, "fmt_open_base_path": false,
            "fmt_url_encode_placeholder": false, "fmt_url_encode_space_to_plus": false})
    );
}

#[test]
fn an_empty_trigger_is_refused_before_anything_is_sent() {
    let env = session_env();
    bang(&env, &["create", "X", "--trigger", "!"]).fails_with(
        1,
        "configuration error: custom bang trigger cannot be empty",
    );
    bang(&env, &["update", "g", "--trigger", ""]).fails_with(
        1,
        "configuration error: custom bang trigger cannot be empty",
    );
    assert!(
        env.mock
            .requests()
            .iter()
            .all(|r| r.path.starts_with("/_mock"))
    );
}

#[test]
fn create_needs_a_trigger_and_a_flag_pair_conflicts() {
    let env = session_env();
    let run = bang(&env, &["create", "X"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--trigger"), "{}", run.stderr);
    let run = bang(
        &env,
        &["update", "g", "--shortcut-menu", "--no-shortcut-menu"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_trigger_kagi_refuses_is_one_configuration_error_and_one_post() {
    let env = session_env();
    bang(&env, &["create", "Other", "--trigger", "MDN"]).fails_with(
        1,
        &format!(
            "{}400 Bad Request Bad Request The trigger !MDN is already in use Back to Kagi",
            rejected(SURFACE, "HTTP 400 Bad Request")
        ),
    );
    assert_eq!(posts(&env).len(), 1, "nothing is sent twice");
}

#[test]
fn update_sends_the_captured_body_and_keeps_the_field_it_does_not_know() {
    let env = session_env();
    let mut expected = google();
    expected["name"] = json!("Google2");
    expected["fmt_url_encode_space_to_plus"] = json!(false);
    let out = bang(
        &env,
        &["update", "!g", "--name", "Google2", "--no-plus-for-space"],
    );
    assert_eq!(out.json(), expected);
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/bangs/modify");
    assert_eq!(body(&sent[0]), format!("{GOOGLE_UPDATE}&category=search"));
    // Kagi stored the unknown field as it was: the next update sends it again.
    bang(&env, &["update", "1", "--name", "Google3"]).json();
    assert!(body(&posts(&env)[1]).ends_with("&category=search"));
}

#[test]
fn update_changes_each_field_it_names_and_nothing_else() {
    let env = session_env();
    let out = bang(
        &env,
        &[
            "update",
            "mdn",
            "--trigger",
            "!m",
            "--template",
            "https://mdn.example/?q=%s",
            "--snap-domain",
            "mdn.example",
            "--regex-pattern",
            "",
            "--shortcut-menu",
            "--no-open-snap-domain",
            "--open-base-path",
            "--no-encode-placeholder",
            "--plus-for-space",
        ],
    )
    .json();
    assert_eq!(
        out,
        json!({"bang_id": "2", "name": "MDN Docs", "trigger": "m",
            "template": "https://mdn.example/?q=%s", "snap_domain": "mdn.example",
            "regex_pattern": "", "shortcut_menu": true, "fmt_open_snap_domain": false,
            "fmt_open_base_path": true, "fmt_url_encode_placeholder": false,
            "fmt_url_encode_space_to_plus": true})
    );
    // The other bang is untouched.
    assert_eq!(bang(&env, &["get", "g"]).json(), google());
}

#[test]
fn delete_posts_the_id_and_the_delete_flag() {
    let env = session_env();
    assert_eq!(
        bang(&env, &["delete", "MDN DOCS"]).json(),
        json!({"id": "2"})
    );
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].path.as_str(), body(&sent[0]).as_str()),
        ("/bangs/modify", "bang_id=2&delete=1")
    );
    assert_eq!(bang(&env, &["list"]).json().as_array().unwrap().len(), 1);
}

#[test]
fn export_prints_every_bang_in_full() {
    let env = session_env();
    assert_eq!(bang(&env, &["export"]).json(), json!([google(), mdn()]));
    assert!(posts(&env).is_empty());
}

#[test]
fn export_then_import_into_an_empty_account_reproduces_the_same_list() {
    let source = session_env();
    let exported = bang(&source, &["export"]).stdout;
    let target = empty_account();
    let file = write_file(&target, "bangs.json", &exported);
    assert_eq!(
        bang(&target, &["import", &file]).json(),
        json!({"created": ["g", "mdn"], "updated": [], "unchanged": []})
    );
    // Ids are the new account's own; everything else is the same.
    let list = |env: &Env| without(without(bang(env, &["list"]).json(), "id"), "edit_url");
    assert_eq!(list(&target), list(&source));
    assert_eq!(
        without(bang(&target, &["export"]).json(), "bang_id"),
        without(serde_json::from_str(&exported).unwrap(), "bang_id")
    );
    // Importing the same file again changes nothing and sends nothing.
    let before = posts(&target).len();
    assert_eq!(
        bang(&target, &["import", &file]).json(),
        json!({"created": [], "updated": [], "unchanged": ["g", "mdn"]})
    );
    assert_eq!(posts(&target).len(), before);
}

#[test]
fn import_updates_by_trigger_and_keeps_the_fields_it_does_not_know() {
    let env = session_env();
    let mut changed = google();
    changed["name"] = json!("Google2");
    changed["fmt_url_encode_space_to_plus"] = json!(false);
    changed["trigger"] = json!("!g");
    changed.as_object_mut().unwrap().remove("bang_id");
    let file = write_file(&env, "b.json", &json!([changed, mdn()]).to_string());
    assert_eq!(
        bang(&env, &["import", &file]).json(),
        json!({"created": [], "updated": ["g"], "unchanged": ["mdn"]})
    );
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(body(&sent[0]), format!("{GOOGLE_UPDATE}&category=search"));
}

#[test]
fn import_dry_run_prints_the_requests_it_would_send_and_sends_no_post() {
    let env = empty_account();
    let file = write_file(&env, "b.json", &json!([google()]).to_string());
    let out = bang(&env, &["import", &file, "--dry-run"]).json();
    assert_eq!(
        out,
        json!({"dry_run": true, "requests": [{"method": "POST", "path": "/bangs/modify", "form": [
            ["bang_id", ""], ["name", "Google"], ["trigger", "g"],
            ["template", "https://google.com/search?q=%s"], ["snap_domain", "google.com"],
            ["regex_pattern", ""], ["shortcut_menu", "true"], ["fmt_open_snap_domain", "false"],
            ["fmt_open_base_path", "true"], ["fmt_url_encode_placeholder", "false"],
            ["fmt_url_encode_space_to_plus", "true"], ["category", "general"]]}]})
    );
    assert!(posts(&env).is_empty());
    assert_eq!(bang(&env, &["list"]).json(), json!([]));
}

#[test]
fn an_import_file_that_is_not_an_export_is_refused_before_anything_is_sent() {
    let env = session_env();
    let file = write_file(&env, "b.json", r#"[{"name":"x"}]"#);
    let run = bang(&env, &["import", &file]);
    run.fails_starting(
        1,
        "configuration error: bang custom import file 'b.json' is not an export of this command: at `[0]`",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_signed_out_page_is_an_authentication_error() {
    let env = session_env().with_fault("logged-out");
    bang(&env, &["list"]).fails_with(1, &signed_out(SURFACE));
}

#[test]
fn a_redirect_to_the_sign_in_page_is_an_authentication_error_and_nothing_is_posted() {
    let env = expired_session();
    bang(&env, &["update", "g", "--name", "x"]).fails_with(1, &sent_to_sign_in(SURFACE));
    assert!(posts(&env).is_empty());
}

#[test]
fn a_4xx_is_a_configuration_error_and_a_5xx_a_network_error_each_sent_once() {
    let env = session_env().with_fault("status=429");
    bang(&env, &["list"]).fails_with(
        1,
        &format!(
            "{}429 Too Many Requests Too Many Requests Rate limited. Retry later. Back to Kagi",
            rejected(SURFACE, "HTTP 429 Too Many Requests")
        ),
    );
    assert_eq!(env.mock.requests().len(), 1);
    let env = session_env().with_fault("status=503");
    bang(&env, &["get", "g"]).fails_starting(1, "network error: ");
    assert_eq!(env.mock.requests().len(), 1);
}

#[test]
fn without_a_session_nothing_is_sent() {
    let env = Env::new();
    bang(&env, &["list"]).fails_starting(1, "configuration error: ");
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_list_page_without_the_table_is_a_parse_error_not_an_empty_list() {
    bang(&drifted("no-table"), &["list"]).fails_with(
        1,
        "parse error: bang custom list: no custom bang table found; Kagi's settings page may have changed",
    );
}

#[test]
fn a_row_without_its_edit_link_is_a_parse_error() {
    bang(&drifted("no-edit-link"), &["get", "g"]).fails_with(
        1,
        "parse error: bang custom get: the custom bang row 'Google' has no edit link (a.s-edit-btn); Kagi's settings page may have changed",
    );
}

#[test]
fn a_form_without_its_trigger_is_a_parse_error_and_nothing_is_posted() {
    let env = drifted("no-trigger");
    bang(&env, &["update", "g", "--name", "x"]).fails_with(
        1,
        "parse error: bang custom update: the custom bang form has no trigger field; Kagi's settings page may have changed",
    );
    assert!(posts(&env).is_empty());
}
