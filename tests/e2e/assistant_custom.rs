//! `kagi assistant custom …` against the mock's stateful custom assistant
//! pages (cli-surface §1.7, wire protocol §6.19): every subcommand and flag,
//! the exact form bodies, target resolution, an update that keeps the
//! fields it was not told to change (one of them unknown to this version),
//! drifted pages and each failure family.

use crate::settings_support::{
    assert_rejected, body, drifted, expired_session, posts, run, sent_to_sign_in, signed_out,
};
use crate::support::session_env;
use crate::support::{Env, Run};
use serde_json::{Value, json};

const SURFACE: &str = "custom assistant settings page";

fn custom(env: &Env, args: &[&str]) -> Run {
    run(env, &["assistant", "custom"], args)
}

fn writer() -> Value {
    json!({"profile_id": "profile-2", "name": "Writer", "bang_trigger": "write",
        "internet_access": true, "selected_lens": "15", "personalizations": false,
        "base_model": "gpt-5-mini", "custom_instructions": "Write clearly.",
        "delete_supported": true})
}

fn reviewer() -> Value {
    json!({"profile_id": "profile-3", "name": "Reviewer", "internet_access": false,
        "selected_lens": "0", "personalizations": true, "base_model": "claude-4-sonnet",
        "custom_instructions": "Be blunt.", "delete_supported": true})
}

const BUILT_IN: &str = "is built in and cannot be modified through custom-assistant commands";

#[test]
fn list_prints_built_in_and_custom_assistants_with_the_model_from_the_page() {
    let env = session_env();
    assert_eq!(
        custom(&env, &["list"]).json(),
        json!([
            {"id": "code", "name": "Code", "invoke_profile": "code", "model": "Claude 4 Sonnet",
             "internet_access": true, "built_in": true},
            {"id": "research", "name": "Research", "invoke_profile": "research",
             "model": "Claude 4 Sonnet", "internet_access": true, "built_in": true},
            {"id": "profile-2", "name": "Writer", "invoke_profile": "profile-2",
             "model": "GPT 5 Mini", "bang_trigger": "!write", "internet_access": true,
             "built_in": false, "edit_url": "/settings/custom_assistant?id=profile-2"},
            {"id": "profile-3", "name": "Reviewer", "invoke_profile": "review-bot",
             "model": "Claude 4 Sonnet", "internet_access": false, "built_in": false,
             "edit_url": "/settings/custom_assistant?id=profile-3"},
        ])
    );
    assert!(posts(&env).is_empty());
}

#[test]
fn get_finds_an_assistant_by_id_invoke_slug_or_name_ignoring_case() {
    let env = session_env();
    for target in ["profile-3", "REVIEW-BOT", "reviewer"] {
        assert_eq!(
            custom(&env, &["get", target]).json(),
            reviewer(),
            "{target}"
        );
    }
    assert_eq!(custom(&env, &["get", "profile-2"]).json(), writer());
    assert_eq!(
        env.requests_to("/settings/custom_assistant")
            .last()
            .unwrap()
            .query,
        [("id".to_string(), "profile-2".to_string())]
    );
}

#[test]
fn a_target_that_matches_nothing_is_a_configuration_error_and_sends_nothing() {
    let env = session_env();
    for args in [
        &["get", "nope"][..],
        &["delete", "nope"],
        &["update", "nope", "--name", "x"],
    ] {
        custom(&env, args).fails_with(1, "configuration error: no assistant matched 'nope'");
    }
    assert!(posts(&env).is_empty());
}

#[test]
fn built_in_assistants_are_refused_by_get_update_and_delete() {
    let env = session_env();
    custom(&env, &["get", "Code"]).fails_with(
        1,
        &format!("configuration error: assistant 'Code' {BUILT_IN}"),
    );
    custom(&env, &["update", "research", "--model", "kimi-k2"]).fails_with(
        1,
        &format!("configuration error: assistant 'research' {BUILT_IN}"),
    );
    custom(&env, &["delete", "code"]).fails_with(
        1,
        &format!("configuration error: assistant 'code' {BUILT_IN}"),
    );
    assert!(posts(&env).is_empty());
    assert!(env.requests_to("/settings/custom_assistant").is_empty());
}

#[test]
fn a_name_two_assistants_share_asks_for_the_id() {
    let env = session_env();
    custom(&env, &["create", "WRITER"]).json();
    custom(&env, &["get", "writer"]).fails_with(
        1,
        "configuration error: 2 items are named 'writer' (ignoring case); use the id to pick one",
    );
    // The id still picks one.
    assert_eq!(custom(&env, &["get", "profile-2"]).json(), writer());
}

#[test]
fn create_posts_the_8_fields_of_the_blank_form_with_every_flag_and_prints_the_new_assistant() {
    let env = session_env();
    let out = custom(
        &env,
        &[
            "create",
            "Translator",
            "--bang-trigger",
            "tr",
            "--no-web-access",
            "--lens",
            "22",
            "--no-personalized",
            "--model",
            "kimi-k2",
            "--instructions",
            "Translate to French & keep names.",
        ],
    )
    .json();
    assert_eq!(
        out,
        json!({"profile_id": "profile-4", "name": "Translator", "bang_trigger": "tr",
            "internet_access": false, "selected_lens": "22", "personalizations": false,
            "base_model": "kimi-k2", "custom_instructions": "Translate to French & keep names.",
            "delete_supported": true})
    );
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/settings/ast/profiles/update");
    // The 8 fields in order (booleans `on`/`false`), then the unknown
    // `temperature` as the blank form had it.
    assert_eq!(
        body(&sent[0]),
        "profile_id=&name=Translator&bang_trigger=tr&internet_access=false&selected_lens=22&personalizations=false&base_model=kimi-k2&custom_instructions=Translate+to+French+%26+keep+names.&temperature=0.7"
    );
    // The new assistant is read back from the list and its form.
    assert_eq!(custom(&env, &["get", "translator"]).json(), out);
}

#[test]
fn create_without_flags_keeps_the_blank_forms_defaults_and_on_flags_send_on() {
    let env = session_env();
    let out = custom(&env, &["create", "Plain"]).json();
    assert_eq!(
        out,
        json!({"profile_id": "profile-4", "name": "Plain", "internet_access": true,
            "selected_lens": "0", "personalizations": true, "base_model": "gpt-5-mini",
            "custom_instructions": "", "delete_supported": true})
    );
    custom(&env, &["create", "Loud", "--web-access", "--personalized"]).json();
    let sent: Vec<String> = posts(&env).iter().map(body).collect();
    assert_eq!(
        sent,
        [
            "profile_id=&name=Plain&bang_trigger=&internet_access=on&selected_lens=0&personalizations=on&base_model=gpt-5-mini&custom_instructions=&temperature=0.7",
            "profile_id=&name=Loud&bang_trigger=&internet_access=on&selected_lens=0&personalizations=on&base_model=gpt-5-mini&custom_instructions=&temperature=0.7",
        ]
    );
}

#[test]
fn create_finds_the_new_assistant_by_name_when_the_redirect_carries_no_id() {
    let env = drifted("no-id-redirect");
    let out = custom(&env, &["create", "Poet", "--instructions", "Rhyme."]).json();
    assert_eq!(out["profile_id"], "profile-4");
    assert_eq!(out["custom_instructions"], "Rhyme.");
}

#[test]
fn a_blank_name_is_refused_before_anything_is_sent() {
    let env = session_env();
    custom(&env, &["create", "  "]).fails_with(
        1,
        "configuration error: custom assistant name cannot be empty",
    );
    custom(&env, &["update", "writer", "--name", ""]).fails_with(
        1,
        "configuration error: custom assistant name cannot be empty",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn update_changes_only_the_named_fields_and_sends_the_rest_and_the_unknown_field_back() {
    let env = session_env();
    let out = custom(&env, &["update", "review-bot", "--model", "kimi-k2"]).json();
    let mut expected = reviewer();
    expected["base_model"] = json!("kimi-k2");
    assert_eq!(out, expected);
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        body(&sent[0]),
        "profile_id=profile-3&name=Reviewer&bang_trigger=&internet_access=false&selected_lens=0&personalizations=on&base_model=kimi-k2&custom_instructions=Be+blunt.&temperature=0.2"
    );
    // The unknown field is still Reviewer's own after a second update.
    custom(&env, &["update", "profile-3", "--web-access"]).json();
    assert!(body(&posts(&env)[1]).ends_with("&temperature=0.2"));
}

#[test]
fn update_sets_every_flag_and_a_new_name() {
    let env = session_env();
    let out = custom(
        &env,
        &[
            "update",
            "Writer",
            "--name",
            "Editor",
            "--bang-trigger",
            "edit",
            "--no-web-access",
            "--lens",
            "0",
            "--personalized",
            "--model",
            "claude-4-sonnet",
            "--instructions",
            "Tighten prose.",
        ],
    )
    .json();
    assert_eq!(
        out,
        json!({"profile_id": "profile-2", "name": "Editor", "bang_trigger": "edit",
            "internet_access": false, "selected_lens": "0", "personalizations": true,
            "base_model": "claude-4-sonnet", "custom_instructions": "Tighten prose.",
            "delete_supported": true})
    );
    assert_eq!(
        body(&posts(&env)[0]),
        "profile_id=profile-2&name=Editor&bang_trigger=edit&internet_access=false&selected_lens=0&personalizations=on&base_model=claude-4-sonnet&custom_instructions=Tighten+prose.&temperature=0.7"
    );
    custom(&env, &["get", "writer"])
        .fails_with(1, "configuration error: no assistant matched 'writer'");
}

#[test]
fn delete_posts_the_profile_id_and_prints_it() {
    let env = session_env();
    let run = custom(&env, &["delete", "Reviewer"]);
    assert_eq!(run.json(), json!({"id": "profile-3"}));
    assert_eq!(run.stdout, "{\n  \"id\": \"profile-3\"\n}\n");
    let sent = posts(&env);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/settings/ast/profiles/delete");
    assert_eq!(body(&sent[0]), "profile_id=profile-3");
    // The redirect was followed to the settings page it names.
    assert_eq!(env.requests_to("/settings/assistant").len(), 1);
    let ids: Vec<Value> = custom(&env, &["list"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(ids, [json!("code"), json!("research"), json!("profile-2")]);
}

#[test]
fn a_rejected_post_is_a_configuration_error_with_kagis_words() {
    let env = session_env();
    let run = custom(&env, &["create", "Copy", "--bang-trigger", "write"]);
    assert_rejected(
        &run,
        SURFACE,
        "HTTP 400 Bad Request",
        "The bang !write is already in use",
    );
}

#[test]
fn a_signed_out_page_or_a_sign_in_redirect_is_an_authentication_error() {
    let env = session_env().with_fault("logged-out");
    custom(&env, &["list"]).fails_with(1, &signed_out(SURFACE));
    let env = expired_session();
    custom(&env, &["get", "writer"]).fails_with(1, &sent_to_sign_in(SURFACE));
}

#[test]
fn a_4xx_is_a_configuration_error_and_a_5xx_a_network_error() {
    let env = session_env().with_fault("status=429");
    let run = custom(&env, &["list"]);
    assert_rejected(
        &run,
        SURFACE,
        "HTTP 429 Too Many Requests",
        "Rate limited. Retry later.",
    );
    let env = session_env().with_fault("status=503");
    custom(&env, &["update", "writer", "--lens", "0"]).fails_starting(1, "network error: ");
    assert_eq!(env.mock.requests().len(), 1);
}

#[test]
fn an_item_without_its_model_is_a_parse_error_not_a_blank_model() {
    custom(&drifted("no-model"), &["list"]).fails_with(
        1,
        "parse error: custom assistant list: assistant 'Code' has no model (.item-details dd); Kagi's settings page may have changed",
    );
}

#[test]
fn a_list_without_its_table_is_a_parse_error_not_an_empty_list() {
    custom(&drifted("no-table"), &["list"]).fails_with(
        1,
        "parse error: custom assistant list: no assistant table (#custom_mode_table) found; Kagi's settings page may have changed",
    );
}

#[test]
fn a_form_without_a_checked_lens_is_a_parse_error_and_nothing_is_posted() {
    let env = drifted("no-lens");
    custom(&env, &["get", "writer"])
        .fails_with(1, "parse error: assistant form missing selected lens");
    custom(&env, &["create", "New"])
        .fails_with(1, "parse error: assistant form missing selected lens");
    custom(&env, &["update", "writer", "--model", "kimi-k2"])
        .fails_with(1, "parse error: assistant form missing selected lens");
    assert!(posts(&env).is_empty());
}
