//! The setup's flow with scripted answers, a mock keychain and a fake validator.

use super::*;
use crate::keyring::Keyring;
use std::collections::VecDeque;

/// Scripted answers; records what was said.
#[derive(Default)]
struct Script {
    answers: VecDeque<Answer>,
    said: Vec<String>,
    asked: Vec<String>,
}

#[derive(Debug)]
enum Answer {
    Pick(usize),
    Text(&'static str),
    Yes,
    No,
    Cancel,
}

impl Prompt for Script {
    fn say(&mut self, text: &str) {
        self.said.push(text.to_string());
    }
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        _default: usize,
    ) -> std::io::Result<Option<usize>> {
        self.asked.push(prompt.to_string());
        match self.answers.pop_front() {
            Some(Answer::Pick(i)) => {
                assert!(i < items.len());
                Ok(Some(i))
            }
            Some(Answer::Cancel) => Ok(None),
            other => panic!("select {prompt:?} got {other:?}"),
        }
    }
    fn secret(
        &mut self,
        prompt: &str,
        validate: &dyn Fn(&str) -> std::result::Result<(), String>,
    ) -> std::io::Result<Option<String>> {
        self.asked.push(prompt.to_string());
        loop {
            match self.answers.pop_front() {
                Some(Answer::Text(t)) => match validate(t) {
                    Ok(()) => return Ok(Some(t.to_string())),
                    Err(e) => self.said.push(format!("invalid: {e}")),
                },
                Some(Answer::Cancel) => return Ok(None),
                other => panic!("secret {prompt:?} got {other:?}"),
            }
        }
    }
    fn confirm(&mut self, prompt: &str, default: bool) -> std::io::Result<Option<bool>> {
        self.asked.push(format!("{prompt} [{default}]"));
        match self.answers.pop_front() {
            Some(Answer::Yes) => Ok(Some(true)),
            Some(Answer::No) => Ok(Some(false)),
            Some(Answer::Cancel) => Ok(None),
            other => panic!("confirm {prompt:?} got {other:?}"),
        }
    }
}

fn resolved_empty(target: &ConfigFile) -> Resolved {
    Resolved {
        file: Some(target.clone()),
        profile: None,
        session: Slot::NotSet,
        api: Slot::NotSet,
        preferred: Kind::Session,
        preferred_source: Source::Default,
        warnings: Vec::new(),
    }
}

fn target(dir: &std::path::Path) -> ConfigFile {
    ConfigFile {
        path: dir.join("kagi.toml"),
        display: "cfg".into(),
        local: true,
    }
}

fn run(answers: Vec<Answer>, setup: &Setup) -> (Script, i32) {
    let mut script = Script {
        answers: answers.into(),
        ..Script::default()
    };
    let code = run_setup(&mut script, setup).unwrap();
    assert!(
        script.answers.is_empty(),
        "unused answers: {:?}",
        script.answers
    );
    (script, code)
}

#[test]
fn sets_up_a_session_link_then_the_api_token() {
    let dir = tempfile::tempdir().unwrap();
    let t = target(dir.path());
    let keyring = Keyring::with_store(keyring_core::mock::Store::new().unwrap());
    let open = {
        let keyring = keyring.clone();
        move || Ok(keyring.clone())
    };
    let checked = std::cell::RefCell::new(Vec::new());
    let validate = |kind: Kind, s: &Secret| {
        checked.borrow_mut().push((kind, s.expose().to_string()));
        Ok(())
    };
    let setup = Setup {
        profile: None,
        target: t.clone(),
        resolved: resolved_empty(&t),
        keyring: &open,
        validate: &validate,
    };
    let (script, code) = run(
        vec![
            Answer::Pick(0),
            Answer::Text("https://kagi.com/search?q=x"),
            Answer::Text("https://kagi.com/search?token=sess.tok"),
            Answer::Pick(0),
            Answer::Yes,
            Answer::Text("api-tok"),
            Answer::Pick(1),
            Answer::Yes,
        ],
        &setup,
    );
    assert_eq!(code, 0);
    assert!(
        script
            .said
            .iter()
            .any(|s| s.contains("no token= parameter")),
        "{:?}",
        script.said
    );
    assert_eq!(
        *checked.borrow(),
        vec![
            (Kind::Session, "sess.tok".to_string()),
            (Kind::Api, "api-tok".to_string())
        ]
    );
    let text = std::fs::read_to_string(&t.path).unwrap();
    assert_eq!(
        text,
        "[auth]\nsession_token = \"sess.tok\"\napi_token_in_keyring = true\npreferred_auth = \"api\"\n"
    );
    assert_eq!(
        keyring.get("api_token").unwrap(),
        Some(Secret::new("api-tok"))
    );
    assert!(
        script
            .asked
            .contains(&"Also set up the API token? [false]".to_string())
    );
}

#[test]
fn a_rejected_token_is_not_saved_unless_the_user_insists() {
    let dir = tempfile::tempdir().unwrap();
    let t = target(dir.path());
    let open = || Err("no keychain here".to_string());
    let validate = |_: Kind, _: &Secret| Err(Failure::SignedOut);
    let setup = Setup {
        profile: Some("work"),
        target: t.clone(),
        resolved: resolved_empty(&t),
        keyring: &open,
        validate: &validate,
    };
    let (script, _) = run(
        vec![
            Answer::Pick(0),
            Answer::Text("raw.session"),
            Answer::Pick(0),
            Answer::No,
            Answer::No,
        ],
        &setup,
    );
    assert!(!t.path.exists());
    assert!(
        script
            .said
            .iter()
            .any(|s| s.contains("your Kagi session has expired or was signed out")),
        "{:?}",
        script.said
    );
    assert!(
        script
            .asked
            .contains(&"Save it anyway? [false]".to_string())
    );

    // Out of credit: the default is to save, into the profile's block.
    let validate = |_: Kind, _: &Secret| {
        Err(Failure::OutOfCredit {
            status: 402,
            detail: String::new(),
        })
    };
    let setup = Setup {
        validate: &validate,
        ..setup
    };
    let (script, _) = run(
        vec![
            Answer::Pick(1),
            Answer::Text("api-1"),
            Answer::Pick(0),
            Answer::Yes,
            Answer::No,
        ],
        &setup,
    );
    assert!(script.asked.contains(&"Save it anyway? [true]".to_string()));
    assert_eq!(
        std::fs::read_to_string(&t.path).unwrap(),
        "[profiles.work.auth]\napi_token = \"api-1\"\n"
    );
}

#[test]
fn keeps_an_existing_token_when_told_and_cancels_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let t = target(dir.path());
    std::fs::write(&t.path, "[auth]\nsession_token = \"old\"\n").unwrap();
    let open = || Err("unused".to_string());
    let validate = |_: Kind, _: &Secret| panic!("not validated when kept");
    let mut resolved = resolved_empty(&t);
    resolved.session = Slot::Set(
        Secret::new("old"),
        Source::File {
            file: "cfg".into(),
            block: "[auth]".into(),
            profile: None,
        },
    );
    let setup = Setup {
        profile: None,
        target: t.clone(),
        resolved,
        keyring: &open,
        validate: &validate,
    };
    let (script, _) = run(
        vec![
            Answer::Pick(0),
            Answer::Text("new"),
            Answer::Pick(0),
            Answer::No,
            Answer::Cancel,
        ],
        &setup,
    );
    assert_eq!(
        script.said.last().unwrap(),
        "Canceled. Nothing more was changed."
    );
    assert_eq!(
        std::fs::read_to_string(&t.path).unwrap(),
        "[auth]\nsession_token = \"old\"\n"
    );
    let (_, code) = run(vec![Answer::Cancel], &setup);
    assert_eq!(code, 0);
}
