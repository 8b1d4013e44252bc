//! `kagi lens …` against the mock's stateful lens pages (cli-surface §1.19,
//! wire protocol §6.20): every subcommand and flag, the exact form bodies,
//! an update that keeps a field this version does not know, export → import
//! into an empty account, `--dry-run`, drifted pages and each failure family.

use crate::settings_support::{
    body, drifted, expired_session, posts, rejected, run, sent_to_sign_in, signed_out, without,
    write_file,
};
use crate::support::session_env;
use crate::support::{Env, Run};
use kagi_mock::SESSION_TOKEN;
use serde_json::{Value, json};

const SURFACE: &str = "lens settings page";

/// An account with no lenses.
fn empty_account() -> Env {
    crate::settings_support::empty_account("lenses")
}

fn lens(env: &Env, args: &[&str]) -> Run {
    run(env, &["lens"], args)
}

/// Each POST as `path body`.
fn sent(env: &Env) -> Vec<String> {
    posts(env)
        .iter()
        .map(|r| format!("{} {}", r.path, body(r)))
        .collect()
}

/// Every request kagi sent, as `METHOD path[?query]`.
fn requests(env: &Env) -> Vec<String> {
    env.mock
        .requests()
        .iter()
        .filter(|r| !r.path.starts_with("/_mock/"))
        .map(|r| {
            let query: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if query.is_empty() {
                format!("{} {}", r.method, r.path)
            } else {
                format!("{} {}?{}", r.method, r.path, query.join("&"))
            }
        })
        .collect()
}

fn reddit() -> Value {
    json!({"id": "22524", "name": "Reddit", "included_sites": "reddit.com",
        "included_keywords": "", "description": "", "search_region": "no_region",
        "excluded_sites": "", "excluded_keywords": "", "shortcut_keyword": "reddit",
        "autocomplete_keywords": true, "template": "0", "file_type": "pdf",
        "share_with_team": false, "share_copy_code": true})
}

fn news() -> Value {
    json!({"id": "1", "name": "News", "included_sites": "apnews.com,reuters.com",
        "included_keywords": "", "description": "Wire services", "search_region": "us",
        "after_time": "2024-01-01", "excluded_sites": "", "excluded_keywords": "",
        "shortcut_keyword": "", "autocomplete_keywords": false, "template": "1",
        "file_type": "", "share_with_team": false, "share_copy_code": false})
}

fn with(mut value: Value, key: &str, v: Value) -> Value {
    value[key] = v;
    value
}

/// The wire protocol's captured update body, plus the field Kagi added.
const REDDIT_UPDATE: &str = "name=Reddit&included_sites=reddit.com&included_keywords=&description=d&search_region=no_region&date_range=0&before_time=&after_time=&excluded_sites=&excluded_keywords=&shortcut_keyword=reddit&autocomplete_keywords=true&template=0&file_type=&share_with_team=false&share_copy_code=true&id=22524&lens_color=teal";

#[test]
fn list_shows_each_lens_with_its_state_position_and_edit_link() {
    let env = session_env();
    assert_eq!(
        lens(&env, &["list"]).json(),
        json!([
            {"id": "22524", "name": "Reddit", "enabled": true, "position": 0,
             "edit_url": "/settings/update_lens?id=22524"},
            {"id": "1", "name": "News", "description": "Wire services", "enabled": false,
             "edit_url": "/settings/update_lens?id=1"},
        ])
    );
    assert_eq!(requests(&env), ["GET /html/settings/lenses"]);
    let cookie = env.mock.requests()[0].header("cookie").unwrap().to_string();
    assert!(cookie.contains(&format!("kagi_session={SESSION_TOKEN}")));
}

#[test]
fn an_account_without_lenses_lists_an_empty_array() {
    let run = lens(&empty_account(), &["list"]);
    assert_eq!(run.json(), json!([]));
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn get_finds_a_lens_by_id_or_by_name_ignoring_case() {
    let env = session_env();
    for target in ["22524", "reddit", "REDDIT"] {
        assert_eq!(lens(&env, &["get", target]).json(), reddit(), "{target}");
    }
    // `before_time` is `none` on the page: no date, so no key.
    assert_eq!(lens(&env, &["get", "1"]).json(), news());
    assert!(posts(&env).is_empty());
}

#[test]
fn a_target_that_matches_nothing_is_a_configuration_error_and_sends_nothing() {
    let env = session_env();
    for sub in ["get", "delete", "enable", "disable"] {
        lens(&env, &[sub, "nope"]).fails_with(1, "configuration error: no lens matched 'nope'");
    }
    lens(&env, &["update", "nope", "--name", "x"])
        .fails_with(1, "configuration error: no lens matched 'nope'");
    assert!(posts(&env).is_empty());
}

#[test]
fn create_posts_the_blank_form_with_every_flag_and_prints_the_new_lens() {
    let env = session_env();
    let out = lens(
        &env,
        &[
            "create",
            "Rust Docs",
            "--included-sites",
            "docs.rs,doc.rust-lang.org",
            "--included-keywords",
            "rust,crate",
            "--description",
            "Rust & co",
            "--region",
            "de",
            "--before-date",
            "2025-12-31",
            "--after-date",
            "2020-01-01",
            "--excluded-sites",
            "w3schools.com",
            "--excluded-keywords",
            "python",
            "--shortcut",
            "rs",
            "--autocomplete-keywords",
            "--template",
            "news",
            "--file-type",
            "pdf",
            "--share-with-team",
            "--share-copy-code",
        ],
    )
    .json();
    assert_eq!(
        out,
        json!({"id": "30000", "name": "Rust Docs", "included_sites": "docs.rs,doc.rust-lang.org",
            "included_keywords": "rust,crate", "description": "Rust & co", "search_region": "de",
            "before_time": "2025-12-31", "after_time": "2020-01-01",
            "excluded_sites": "w3schools.com", "excluded_keywords": "python",
            "shortcut_keyword": "rs", "autocomplete_keywords": true, "template": "1",
            "file_type": "pdf", "share_with_team": true, "share_copy_code": true})
    );
    // The blank form has no `id` input, so no `id` is sent; its unknown
    // field goes along as it was.
    assert_eq!(
        sent(&env),
        [
            "/lenses/create name=Rust+Docs&included_sites=docs.rs%2Cdoc.rust-lang.org&included_keywords=rust%2Ccrate&description=Rust+%26+co&search_region=de&date_range=0&before_time=2025-12-31&after_time=2020-01-01&excluded_sites=w3schools.com&excluded_keywords=python&shortcut_keyword=rs&autocomplete_keywords=true&template=1&file_type=pdf&share_with_team=true&share_copy_code=true&lens_color=grey"
        ]
    );
    // Blank form, POST and its redirect, then list + form of the new lens.
    assert_eq!(
        requests(&env),
        [
            "GET /settings/create_lens",
            "POST /lenses/create",
            "GET /settings/update_lens?id=30000",
            "GET /html/settings/lenses",
            "GET /settings/update_lens?id=30000",
        ]
    );
    let names: Vec<Value> = lens(&env, &["list"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].clone())
        .collect();
    assert_eq!(names, [json!("Reddit"), json!("Rust Docs"), json!("News")]);
}

#[test]
fn create_without_flags_takes_the_blank_forms_defaults() {
    let env = session_env();
    let out = lens(&env, &["create", "Plain"]).json();
    assert_eq!(out["search_region"], "no_region");
    assert_eq!(out["template"], "0");
    assert_eq!(
        sent(&env),
        [
            "/lenses/create name=Plain&included_sites=&included_keywords=&description=&search_region=no_region&date_range=0&before_time=&after_time=&excluded_sites=&excluded_keywords=&shortcut_keyword=&autocomplete_keywords=false&template=0&file_type=&share_with_team=false&share_copy_code=false&lens_color=grey"
        ]
    );
}

#[test]
fn update_sends_the_captured_body_and_keeps_the_field_it_does_not_know() {
    let env = session_env();
    let out = lens(
        &env,
        &["update", "reddit", "--description", "d", "--file-type", ""],
    )
    .json();
    assert_eq!(
        out,
        with(
            with(reddit(), "description", json!("d")),
            "file_type",
            json!("")
        )
    );
    assert_eq!(sent(&env), [format!("/lenses/update {REDDIT_UPDATE}")]);
    assert_eq!(
        requests(&env),
        [
            "GET /html/settings/lenses",
            "GET /settings/update_lens?id=22524",
            "POST /lenses/update",
            "GET /settings/update_lens?id=22524",
            "GET /html/settings/lenses",
            "GET /settings/update_lens?id=22524",
        ]
    );
    // The mock stored what was posted for `lens_color`: a second update
    // still sends `teal`, so the first one kept it.
    lens(&env, &["update", "22524", "--shortcut", "rd"]).json();
    assert!(body(&posts(&env)[1]).ends_with("&id=22524&lens_color=teal"));
}

#[test]
fn update_changes_each_field_it_names_and_nothing_else() {
    let env = session_env();
    let out = lens(
        &env,
        &[
            "update",
            "News",
            "--name",
            "Wires",
            "--included-sites",
            "ap.org",
            "--included-keywords",
            "breaking",
            "--region",
            "jp",
            "--before-date",
            "2026-01-01",
            "--after-date",
            "NONE",
            "--excluded-sites",
            "x.com",
            "--excluded-keywords",
            "opinion",
            "--no-autocomplete-keywords",
            "--template",
            "default",
            "--no-share-with-team",
            "--no-share-copy-code",
        ],
    )
    .json();
    assert_eq!(
        out,
        json!({"id": "1", "name": "Wires", "included_sites": "ap.org",
            "included_keywords": "breaking", "description": "Wire services", "search_region": "jp",
            "before_time": "2026-01-01", "excluded_sites": "x.com",
            "excluded_keywords": "opinion", "shortcut_keyword": "", "autocomplete_keywords": false,
            "template": "0", "file_type": "", "share_with_team": false, "share_copy_code": false})
    );
    assert_eq!(
        sent(&env),
        [
            "/lenses/update name=Wires&included_sites=ap.org&included_keywords=breaking&description=Wire+services&search_region=jp&date_range=0&before_time=2026-01-01&after_time=&excluded_sites=x.com&excluded_keywords=opinion&shortcut_keyword=&autocomplete_keywords=false&template=0&file_type=&share_with_team=false&share_copy_code=false&id=1&lens_color=navy"
        ]
    );
    // The switches the other way round, and the rest untouched.
    let out = lens(
        &env,
        &[
            "update",
            "wires",
            "--autocomplete-keywords",
            "--share-with-team",
            "--share-copy-code",
            "--template",
            "news",
        ],
    )
    .json();
    assert_eq!(
        (
            out["autocomplete_keywords"].clone(),
            out["share_with_team"].clone(),
            out["share_copy_code"].clone(),
            out["template"].clone(),
            out["included_sites"].clone()
        ),
        (
            json!(true),
            json!(true),
            json!(true),
            json!("1"),
            json!("ap.org")
        )
    );
}

#[test]
fn a_flag_and_its_negation_conflict() {
    let env = session_env();
    let run = lens(
        &env,
        &[
            "update",
            "Reddit",
            "--share-with-team",
            "--no-share-with-team",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(env.mock.requests().is_empty());
}

#[test]
fn delete_posts_the_id_and_the_lens_is_gone() {
    let env = session_env();
    assert_eq!(lens(&env, &["delete", "news"]).json(), json!({"id": "1"}));
    assert_eq!(sent(&env), ["/lenses/delete id=1"]);
    let left = lens(&env, &["list"]).json();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["name"], "Reddit");
}

#[test]
fn disable_posts_the_active_index_and_reports_the_state_kagi_lists_afterwards() {
    let env = session_env();
    assert_eq!(
        lens(&env, &["disable", "Reddit"]).json(),
        json!({"id": "22524", "enabled": false})
    );
    assert_eq!(
        sent(&env),
        ["/lenses/subscribe lens_id=22524&active_index=0"]
    );
    assert_eq!(lens(&env, &["list"]).json()[0]["enabled"], false);
}

#[test]
fn enable_posts_the_next_index_and_reports_the_state_kagi_lists_afterwards() {
    let env = session_env();
    assert_eq!(
        lens(&env, &["enable", "News"]).json(),
        json!({"id": "1", "enabled": true})
    );
    assert_eq!(sent(&env), ["/lenses/subscribe lens_id=1&next_index=1"]);
    let list = lens(&env, &["list"]).json();
    assert_eq!(
        (list[1]["enabled"].clone(), list[1]["position"].clone()),
        (json!(true), json!(1))
    );
}

#[test]
fn enabling_an_enabled_lens_or_disabling_a_disabled_one_sends_nothing_and_says_so() {
    let env = session_env();
    let run = lens(&env, &["enable", "reddit"]);
    assert_eq!(run.json(), json!({"id": "22524", "enabled": true}));
    assert_eq!(
        run.stderr,
        "lens 'Reddit' is already enabled; nothing to change\n"
    );
    let run = lens(&env, &["disable", "1"]);
    assert_eq!(run.json(), json!({"id": "1", "enabled": false}));
    assert_eq!(
        run.stderr,
        "lens 'News' is already disabled; nothing to change\n"
    );
    assert!(posts(&env).is_empty());
}

#[test]
fn export_prints_every_lens_in_full_with_its_enabled_state() {
    let env = session_env();
    assert_eq!(
        lens(&env, &["export"]).json(),
        json!([
            with(reddit(), "enabled", json!(true)),
            with(news(), "enabled", json!(false))
        ])
    );
    assert!(posts(&env).is_empty());
}

#[test]
fn export_then_import_into_an_empty_account_reproduces_the_same_list() {
    let source = session_env();
    let exported = lens(&source, &["export"]).stdout;
    let target = empty_account();
    let file = write_file(&target, "lenses.json", &exported);
    assert_eq!(
        lens(&target, &["import", &file]).json(),
        json!({"created": ["Reddit", "News"], "updated": [], "unchanged": []})
    );
    // Ids are the new account's own; everything else is the same, the
    // enabled state included.
    let list = |env: &Env| without(without(lens(env, &["list"]).json(), "id"), "edit_url");
    assert_eq!(list(&target), list(&source));
    assert_eq!(
        without(lens(&target, &["export"]).json(), "id"),
        without(serde_json::from_str(&exported).unwrap(), "id")
    );
    // News was created switched on, then switched off once.
    let toggles: Vec<String> = sent(&target)
        .into_iter()
        .filter(|s| s.starts_with("/lenses/subscribe"))
        .collect();
    assert_eq!(toggles, ["/lenses/subscribe lens_id=30001&active_index=1"]);
    // Importing the same file again changes nothing and sends nothing.
    let before = posts(&target).len();
    assert_eq!(
        lens(&target, &["import", &file]).json(),
        json!({"created": [], "updated": [], "unchanged": ["Reddit", "News"]})
    );
    assert_eq!(posts(&target).len(), before);
}

#[test]
fn import_updates_by_name_keeps_the_field_it_does_not_know_and_restores_the_state() {
    let env = session_env();
    let changed = with(
        with(
            with(reddit(), "description", json!("d")),
            "file_type",
            json!(""),
        ),
        "enabled",
        json!(false),
    );
    // Matched by name ignoring case; the id in the file is not used.
    let changed = with(with(changed, "name", json!("Reddit")), "id", json!("999"));
    let file = write_file(&env, "l.json", &json!([changed, news()]).to_string());
    assert_eq!(
        lens(&env, &["import", &file]).json(),
        json!({"created": [], "updated": ["Reddit"], "unchanged": ["News"]})
    );
    assert_eq!(
        sent(&env),
        [
            format!("/lenses/update {REDDIT_UPDATE}"),
            "/lenses/subscribe lens_id=22524&active_index=0".to_string(),
        ]
    );
}

#[test]
fn import_dry_run_prints_the_requests_it_would_send_and_sends_no_post() {
    let env = session_env();
    let docs = json!({"name": "Docs", "included_sites": "docs.rs", "enabled": false});
    let file = write_file(
        &env,
        "l.json",
        &json!([with(reddit(), "description", json!("d")), news(), docs]).to_string(),
    );
    let out = lens(&env, &["import", &file, "--dry-run"]).json();
    let form =
        |pairs: &[(&str, &str)]| -> Value { pairs.iter().map(|(k, v)| json!([k, v])).collect() };
    assert_eq!(
        out,
        json!({"dry_run": true, "requests": [
            {"method": "POST", "path": "/lenses/update", "form": form(&[
                ("name", "Reddit"), ("included_sites", "reddit.com"), ("included_keywords", ""),
                ("description", "d"), ("search_region", "no_region"), ("date_range", "0"),
                ("before_time", ""), ("after_time", ""), ("excluded_sites", ""),
                ("excluded_keywords", ""), ("shortcut_keyword", "reddit"),
                ("autocomplete_keywords", "true"), ("template", "0"), ("file_type", "pdf"),
                ("share_with_team", "false"), ("share_copy_code", "true"), ("id", "22524"),
                ("lens_color", "teal")])},
            {"method": "POST", "path": "/lenses/create", "form": form(&[
                ("name", "Docs"), ("included_sites", "docs.rs"), ("included_keywords", ""),
                ("description", ""), ("search_region", "no_region"), ("date_range", "0"),
                ("before_time", ""), ("after_time", ""), ("excluded_sites", ""),
                ("excluded_keywords", ""), ("shortcut_keyword", ""),
                ("autocomplete_keywords", "false"), ("template", "0"), ("file_type", ""),
                ("share_with_team", "false"), ("share_copy_code", "false"),
                ("lens_color", "grey")])},
            {"method": "POST", "path": "/lenses/subscribe", "form": form(&[
                ("lens_id", "<id of the new lens>"), ("active_index", "<its position>")])},
        ]})
    );
    assert!(posts(&env).is_empty());
    assert_eq!(lens(&env, &["list"]).json().as_array().unwrap().len(), 2);
}

#[test]
fn an_import_file_that_is_not_an_export_is_refused_before_anything_is_sent() {
    let env = session_env();
    let file = write_file(&env, "bad.json", r#"{"name": "Reddit"}"#);
    lens(&env, &["import", &file]).fails_starting(
        1,
        "configuration error: lens import file 'bad.json' is not an export of this command: invalid type: map, expected a sequence",
    );
    let file = write_file(
        &env,
        "twice.json",
        r#"[{"name": "Docs"}, {"name": "DOCS"}]"#,
    );
    lens(&env, &["import", &file]).fails_with(
        1,
        "configuration error: the import file lists 'DOCS' twice; keep one of them",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_signed_out_page_is_an_authentication_error() {
    let env = session_env().with_fault("logged-out");
    lens(&env, &["list"]).fails_with(1, &signed_out(SURFACE));
}

#[test]
fn a_redirect_to_the_sign_in_page_is_an_authentication_error_and_nothing_is_posted() {
    let env = expired_session();
    lens(&env, &["disable", "Reddit"]).fails_with(1, &sent_to_sign_in(SURFACE));
    assert!(posts(&env).is_empty());
}

#[test]
fn a_4xx_is_a_configuration_error_and_a_5xx_a_network_error_each_sent_once() {
    let env = session_env().with_fault("status=429");
    lens(&env, &["list"]).fails_with(
        1,
        &format!(
            "{}429 Too Many Requests Too Many Requests Rate limited. Retry later. Back to Kagi",
            rejected(SURFACE, "HTTP 429 Too Many Requests")
        ),
    );
    assert_eq!(env.mock.requests().len(), 1);
    let env = session_env().with_fault("status=503");
    lens(&env, &["get", "reddit"]).fails_starting(
        1,
        "network error: Kagi lens settings page server error: HTTP 503 Service Unavailable",
    );
    assert_eq!(env.mock.requests().len(), 1);
}

#[test]
fn a_post_kagi_refuses_is_a_configuration_error_and_is_sent_once() {
    let env = session_env();
    lens(&env, &["create", " "]).fails_with(
        1,
        &format!(
            "{}400 Bad Request Bad Request A lens needs a name Back to Kagi",
            rejected(SURFACE, "HTTP 400 Bad Request")
        ),
    );
    assert_eq!(posts(&env).len(), 1);
}

#[test]
fn without_a_session_nothing_is_sent() {
    let env = Env::new();
    lens(&env, &["list"]).fails_starting(1, "configuration error: ");
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_list_page_without_lens_items_or_the_create_link_is_a_parse_error_not_an_empty_list() {
    lens(&drifted("no-items"), &["list"]).fails_with(
        1,
        "parse error: lens list: no lens items found; Kagi's settings page may have changed",
    );
}

#[test]
fn an_item_without_its_state_input_is_a_parse_error_naming_it() {
    lens(&drifted("no-index"), &["enable", "News"]).fails_with(
        1,
        "parse error: lens list: lens item 1 has neither active_index nor next_index; Kagi's settings page may have changed",
    );
}

#[test]
fn a_form_without_its_name_field_is_a_parse_error_and_nothing_is_posted() {
    let env = drifted("no-name-field");
    lens(&env, &["update", "Reddit", "--description", "x"]).fails_with(
        1,
        "parse error: lens form: no form with a name field found; Kagi's settings page may have changed",
    );
    lens(&env, &["create", "Docs"]).fails_with(
        1,
        "parse error: lens form: no form with a name field found; Kagi's settings page may have changed",
    );
    assert!(posts(&env).is_empty());
}
