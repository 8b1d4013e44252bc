//! `kagi assistant [QUERY]`: one prompt, streamed (cli-surface §1.7, wire
//! protocol §6.13).

use crate::answer::{self, Prompt};
use crate::view;
use kagi_plugin_sdk::answer_view::AnswerOutput;
use kagi_plugin_sdk::files::NamedFile;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};
use serde_json::{Map, Value};

pub struct Args {
    pub query: Option<String>,
    pub thread_id: Option<String>,
    pub attachments: Vec<NamedFile>,
    pub assistant: Option<String>,
    pub model: Option<String>,
    pub lens: Option<u64>,
    pub web_access: Option<bool>,
    pub personalized: Option<bool>,
    pub output: AnswerOutput,
}

/// `--yes` / `--no-yes` as a tri-state: given one way, the other, or not at all.
fn either(inv: &Invocation, yes: &str, no: &str) -> Result<Option<bool>, Error> {
    Ok(match (inv.get_flag(yes)?, inv.get_flag(no)?) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    })
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        // `--export` is accepted and unused in prompt mode (only the repl writes one).
        let _: Option<String> = inv.get_opt("export")?;
        Ok(Args {
            query: inv.get_opt("query")?,
            thread_id: inv.get_opt("thread-id")?,
            attachments: inv.files("attach").into_iter().cloned().collect(),
            assistant: inv.get_opt("assistant")?,
            model: inv.get_opt("model")?,
            lens: inv.get_opt("lens")?,
            web_access: either(inv, "web-access", "no-web-access")?,
            personalized: either(inv, "personalized", "no-personalized")?,
            output: AnswerOutput::from_invocation(inv)?,
        })
    }
}

impl Args {
    /// The prompt, after the checks the spec words exactly.
    pub fn prompt(&self) -> Result<Prompt, Error> {
        let query = self.query.as_deref().ok_or_else(|| {
            Error::config(
                "assistant prompt mode requires a QUERY unless a thread subcommand is used",
            )
        })?;
        let text = query.trim();
        if text.is_empty() {
            return Err(Error::config("assistant query cannot be empty"));
        }
        let thread_id = match self.thread_id.as_deref().map(str::trim) {
            Some("") => return Err(Error::config("assistant thread id cannot be empty")),
            id => id.map(str::to_string),
        };
        let mut profile = Map::new();
        let mut set = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                profile.insert(key.to_string(), value);
            }
        };
        set("id", self.assistant.clone().map(Value::from));
        set("internet_access", self.web_access.map(Value::from));
        set("lens_id", self.lens.map(Value::from));
        set("model", self.model.clone().map(Value::from));
        set("personalizations", self.personalized.map(Value::from));
        Ok(Prompt {
            text: text.to_string(),
            thread_id,
            profile,
            attachments: self.attachments.clone(),
        })
    }
}

pub fn run(args: Args) -> Result<(), Error> {
    let prompt = args.prompt()?;
    let mut view = view::new(&args.output);
    let answer = answer::ask(&prompt, &mut view)?;
    view.finish(&answer, &answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(given: &[(&str, &[&str])]) -> Args {
        Args::from_invocation(&crate::test_invocation(&["assistant"], given)).unwrap()
    }

    #[test]
    fn the_state_carries_only_the_profile_options_given() {
        let p = args(&[("query", &[" hello there "])]).prompt().unwrap();
        assert_eq!(
            p.state(),
            json!({"focus":{"branch_id":"00000000-0000-4000-0000-000000000000","message_id":null,"prompt":"hello there","thread_id":null},"profile":{}})
        );
        let p = args(&[
            ("query", &["q"]),
            ("thread-id", &["t-1"]),
            ("assistant", &["research"]),
            ("model", &["gpt-5-mini"]),
            ("lens", &["3"]),
            ("no-web-access", &[]),
            ("personalized", &[]),
        ])
        .prompt()
        .unwrap();
        assert_eq!(
            serde_json::to_string(&p.state()).unwrap(),
            r#"{"focus":{"branch_id":"00000000-0000-4000-0000-000000000000","message_id":null,"prompt":"q","thread_id":"t-1"},"profile":{"id":"research","internet_access":false,"lens_id":3,"model":"gpt-5-mini","personalizations":true}}"#
        );
    }

    #[test]
    fn a_missing_or_blank_query_or_thread_id_is_refused_in_the_spec_words() {
        let message = |given: &[(&str, &[&str])]| args(given).prompt().unwrap_err().message;
        assert_eq!(
            message(&[]),
            "assistant prompt mode requires a QUERY unless a thread subcommand is used"
        );
        assert_eq!(
            message(&[("query", &["  "])]),
            "assistant query cannot be empty"
        );
        assert_eq!(
            message(&[("query", &["q"]), ("thread-id", &[" "])]),
            "assistant thread id cannot be empty"
        );
    }
}
