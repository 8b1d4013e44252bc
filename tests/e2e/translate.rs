//! `kagi translate [TEXT]` against the mock translate host (cli-surface
//! §1.10, wire protocol §6.12): detection, the translation, the four
//! auxiliary calls and what their failures become.

use crate::support::Env;
use crate::support::session_env;
use kagi_mock::{MockServer, Recorded, SESSION_TOKEN};
use serde_json::{Value, json};

const AUXILIARY: [(&str, &str, &str); 4] = [
    (
        "alternative-translations",
        "alternatives",
        "--no-alternatives",
    ),
    ("text-alignments", "text_alignments", "--no-alignments"),
    (
        "translation-suggestions",
        "translation_suggestions",
        "--no-suggestions",
    ),
    ("word-insights", "word_insights", "--no-word-insights"),
];

/// The translate base pointed at the mock's fault prefix.
fn faulty(spec: &str) -> Env {
    let mock = MockServer::start();
    let base = mock.fault_url(spec);
    Env::with_mock(mock)
        .var("KAGI_SESSION_TOKEN", SESSION_TOKEN)
        .var("KAGI_TRANSLATE_BASE_URL", &base)
}

/// `kagi ARGS` with `input` on stdin.
fn api_requests(env: &Env) -> Vec<Recorded> {
    let all = env.mock.requests();
    all.into_iter()
        .filter(|r| r.path.starts_with("/api/"))
        .collect()
}

fn body_of(env: &Env, path: &str) -> Value {
    let sent: Vec<Recorded> = api_requests(env)
        .into_iter()
        .filter(|r| r.path == path)
        .collect();
    assert_eq!(sent.len(), 1, "one request to {path}");
    serde_json::from_slice(&sent[0].body).unwrap()
}

fn minted(env: &Env) -> String {
    let minted = env.mock.translate_sessions();
    assert_eq!(minted.len(), 1, "{minted:?}");
    minted[0].clone()
}

#[test]
fn translate_prints_detection_translation_and_every_auxiliary_section() {
    let env = session_env();
    let out = env.run(&["translate", "Bonjour"]).json();
    assert_eq!(
        out,
        json!({
            "bootstrap": {"method": "reqwest(set-cookie bootstrap)", "authenticated": true},
            "detected_language": {"iso": "fr", "label": "French", "isUncertain": false, "isMixed": false,
                "alternatives": [{"iso": "ca", "label": "Catalan"}]},
            "translation": {"translation": "[fr->en] Bonjour", "source_language": "fr", "target_language": "en"},
            "alternatives": {"original_description": "Greeting",
                "elements": [{"translation": "Hi everyone", "explanation": "More casual"}]},
            "text_alignments": {"source_blocks": [], "target_blocks": [], "source_roles": [],
                "target_roles": [], "alignments": []},
            "translation_suggestions": {"suggestions": [{"id": "s1", "label": "More formal",
                "description": "Use a formal register", "steps": [], "exclusiveWith": []}]},
            "word_insights": {"insights": [{"id": "w1", "original_text": "Bonjour", "type": "greeting",
                "variations": [{"text": "Hello"}]}], "marked_translation": "Hello"},
        })
    );
    // Detect, then translate, then the four others in any order.
    let paths: Vec<String> = api_requests(&env).into_iter().map(|r| r.path).collect();
    assert_eq!(paths[..2], ["/api/detect", "/api/translate"]);
    let mut rest = paths[2..].to_vec();
    rest.sort();
    let mut expected: Vec<String> = AUXILIARY.iter().map(|a| format!("/api/{}", a.0)).collect();
    expected.sort();
    assert_eq!(rest, expected);
}

#[test]
fn detect_carries_no_session_token_and_every_other_call_the_minted_one() {
    let env = session_env();
    env.run(&["translate", "Bonjour"]).json();
    let minted = minted(&env);
    assert_eq!(
        body_of(&env, "/api/detect"),
        json!({"include_alternatives": true, "text": "Bonjour"})
    );
    assert_eq!(
        body_of(&env, "/api/translate"),
        json!({"text": "Bonjour", "from": "fr", "to": "en", "stream": false, "session_token": minted})
    );
    let cookie = format!("kagi_session={SESSION_TOKEN}; translate_session={minted}");
    for r in api_requests(&env) {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("cookie"), Some(cookie.as_str()), "{}", r.path);
    }
    assert_eq!(
        body_of(&env, "/api/alternative-translations"),
        json!({"original_text": "Bonjour", "existing_translation": "[fr->en] Bonjour",
            "source_lang": "fr", "target_lang": "en", "session_token": minted})
    );
    assert_eq!(
        body_of(&env, "/api/text-alignments"),
        json!({"source_text": "Bonjour", "target_text": "[fr->en] Bonjour", "session_token": minted})
    );
    assert_eq!(
        body_of(&env, "/api/translation-suggestions"),
        json!({"originalText": "Bonjour", "translatedText": "[fr->en] Bonjour", "sourceLanguage": "fr",
            "targetLanguage": "en", "language": "en", "session_token": minted})
    );
    assert_eq!(
        body_of(&env, "/api/word-insights"),
        json!({"original_text": "Bonjour", "translated_text": "[fr->en] Bonjour",
            "target_explanation_language": "en", "session_token": minted})
    );
}

#[test]
fn without_text_stdin_is_read_and_trimmed() {
    let env = session_env();
    let out = env
        .run_with_stdin(&["translate", "--to", "de"], "\n  Salut tout le monde \n")
        .json();
    assert_eq!(
        out["translation"]["translation"],
        "[fr->de] Salut tout le monde"
    );
    assert_eq!(body_of(&env, "/api/detect")["text"], "Salut tout le monde");
}

#[test]
fn blank_stdin_is_refused_before_anything_is_sent() {
    let env = session_env();
    env.run_with_stdin(&["translate"], " \n\t\n").fails_with(
        1,
        "configuration error: translate requires TEXT or non-empty stdin",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn every_option_is_sent_as_the_spec_says() {
    let env = session_env();
    let memory = r#"[{"source":"chat","target":"cat"}]"#;
    env.run(&[
        "translate",
        "Bonjour",
        "--from",
        "fr-CA",
        "--to",
        "ja",
        "--quality",
        "deep_v2",
        "--model",
        " m1 ",
        "--prediction",
        "Hello",
        "--predicted-language",
        "en",
        "--formality",
        "formal",
        "--speaker-gender",
        "female",
        "--addressee-gender",
        "male",
        "--language-complexity",
        "simple",
        "--translation-style",
        "poetic",
        "--context",
        "a letter",
        "--dictionary-language",
        "en",
        "--time-format",
        "24h",
        "--use-definition-context",
        "true",
        "--enable-language-features",
        "false",
        "--preserve-formatting",
        "true",
        "--context-memory-json",
        memory,
    ])
    .json();
    let minted = minted(&env);
    assert_eq!(
        body_of(&env, "/api/translate"),
        json!({"text": "Bonjour", "from": "fr-CA", "to": "ja", "stream": false, "session_token": minted,
            "quality": "deep_v2", "model": "m1", "prediction": "Hello", "predicted_language": "en",
            "formality": "formal", "speaker_gender": "female", "addressee_gender": "male",
            "language_complexity": "simple", "translation_style": "poetic", "context": "a letter",
            "dictionary_language": "en", "time_format": "24h", "use_definition_context": true,
            "enable_language_features": false, "preserve_formatting": true,
            "context_memory": [{"source": "chat", "target": "cat"}]})
    );
    let options = json!({"formality": "formal", "speaker_gender": "female", "addressee_gender": "male",
        "language_complexity": "simple", "style": "poetic", "context": "a letter"});
    let alternatives = body_of(&env, "/api/alternative-translations");
    assert_eq!(alternatives["quality"], "best");
    assert_eq!(alternatives["source_lang"], "fr-CA");
    assert_eq!(alternatives["translation_options"], options);
    assert_eq!(
        body_of(&env, "/api/word-insights")["translation_options"],
        options
    );
    assert_eq!(
        body_of(&env, "/api/translation-suggestions")["translationOptions"],
        options
    );
    assert!(
        body_of(&env, "/api/text-alignments")
            .get("translation_options")
            .is_none()
    );
}

#[test]
fn other_qualities_ask_the_auxiliary_calls_for_standard_answers() {
    let env = session_env();
    env.run(&[
        "translate",
        "Bonjour",
        "--quality",
        "fast",
        "--formality",
        " ",
    ])
    .json();
    assert_eq!(body_of(&env, "/api/translate")["quality"], "fast");
    let alternatives = body_of(&env, "/api/alternative-translations");
    assert_eq!(alternatives["quality"], "standard");
    // An empty option is unset, so no options object at all.
    assert!(
        alternatives.get("translation_options").is_none(),
        "{alternatives}"
    );
}

#[test]
fn each_auxiliary_failure_becomes_a_warning_while_the_translation_prints() {
    for (route, section, _) in AUXILIARY {
        let env = faulty(&format!("translate-fail={route}"));
        let out = env.run(&["translate", "Bonjour"]).json();
        assert_eq!(out["translation"]["translation"], "[fr->en] Bonjour");
        assert!(out.get(section).is_none(), "{section} left out: {out}");
        assert_eq!(
            out["warnings"],
            json!([{"section": section, "message": format!(
                "network error: Kagi Translate API server error: HTTP 503 Service Unavailable; {route} is unavailable"
            )}]),
            "{route}"
        );
        let others = AUXILIARY.iter().filter(|a| a.1 != section);
        for (_, other, _) in others {
            assert!(out.get(*other).is_some(), "{other} still printed: {out}");
        }
    }
}

#[test]
fn each_no_flag_skips_its_call() {
    for (route, section, flag) in AUXILIARY {
        let env = session_env();
        let out = env.run(&["translate", "Bonjour", flag]).json();
        assert!(out.get(section).is_none(), "{flag}: {out}");
        assert!(out.get("warnings").is_none(), "{flag}: {out}");
        let paths: Vec<String> = api_requests(&env).into_iter().map(|r| r.path).collect();
        assert_eq!(paths.len(), 5, "{flag}: {paths:?}");
        assert!(
            !paths.contains(&format!("/api/{route}")),
            "{flag}: {paths:?}"
        );
    }
}

#[test]
fn a_failing_translation_fails_the_command() {
    let env = faulty("translate-fail=translate");
    env.run(&["translate", "Bonjour"]).fails_with(
        1,
        "network error: Kagi Translate API server error: HTTP 503 Service Unavailable; translate is unavailable",
    );
    let paths: Vec<String> = api_requests(&env).into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/detect", "/api/translate"]);
}

#[test]
fn a_refused_session_at_the_translate_call_is_the_specs_line() {
    faulty("translate-fail=translate:401").run(&["translate", "Bonjour"]).fails_with(
        1,
        "authentication error: invalid or expired Kagi session token for Kagi Translate: HTTP 401 Unauthorized; copy a fresh Session Link and run `kagi auth`",
    );
    faulty("translate-fail=translate:html").run(&["translate", "Bonjour"]).fails_with(
        1,
        "authentication error: invalid or expired Kagi session token for Kagi Translate; copy a fresh Session Link and run `kagi auth`",
    );
}

#[test]
fn without_a_session_nothing_is_sent_and_stdin_is_not_read() {
    let env = Env::new();
    // Blank stdin would be refused on its own; the session is checked first.
    env.run_with_stdin(&["translate"], "").fails_with(
        1,
        "configuration error: this command requires KAGI_SESSION_TOKEN (env or .kagi.toml [auth] session_token); run `kagi auth` to set it up",
    );
    assert!(env.mock.requests().is_empty());
}

#[test]
fn a_bootstrap_that_mints_no_cookie_fails_with_the_spec_line() {
    let env = faulty("no-translate-cookie");
    env.run(&["translate", "Bonjour"]).fails_with(
        1,
        "authentication error: translate bootstrap did not mint a translate_session cookie",
    );
    assert!(api_requests(&env).is_empty());
}

#[test]
fn a_rejected_session_fails_at_the_bootstrap() {
    let env = faulty("status=401");
    env.run(&["translate", "Bonjour"]).fails_with(
        1,
        "authentication error: invalid or expired Kagi session token for Kagi Translate: HTTP 401 Unauthorized; copy a fresh Session Link and run `kagi auth`",
    );
    assert!(api_requests(&env).is_empty());
}

#[test]
fn auto_as_the_target_and_bad_context_memory_are_refused() {
    let env = session_env();
    env.run(&["translate", "Bonjour", "--to", "auto"]).fails_with(
        1,
        "configuration error: translate --to cannot be 'auto'; pass an explicit target language code",
    );
    env.run(&["translate", "Bonjour", "--context-memory-json", "{}"])
        .fails_with(
            1,
            "configuration error: --context-memory-json must be a JSON array",
        );
    env.run(&["translate", "Bonjour", "--context-memory-json", "[1,"])
        .fails_starting(
            1,
            "configuration error: --context-memory-json must be valid JSON; parse failed: ",
        );
    assert!(env.mock.requests().is_empty());
}
