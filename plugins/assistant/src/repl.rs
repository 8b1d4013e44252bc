//! `kagi assistant repl`: one prompt a line, each answered like `kagi
//! assistant QUERY` (wire protocol §6.13) and the returned thread carried
//! forward as the next prompt's `focus.thread_id` (cli-surface §1.7, §7).
//!
//! On a terminal the host draws the `kagi> ` prompt with line editing and
//! history; off one, prompts are the lines of stdin. `/exit`, `/quit` or the
//! end of input leaves; Ctrl-C at the prompt clears the line, during an
//! answer it cancels only that answer. `--export PATH` is rewritten after
//! every answer, so it survives a crash or a later failure.

use crate::answer::{self, Answer};
use crate::prompt;
use crate::render;
use crate::view;
use kagi_plugin_sdk::answer_view::AnswerOutput;
use kagi_plugin_sdk::render::Format;
use kagi_plugin_sdk::terminal::{self, Prompted};
use kagi_plugin_sdk::{Error, FromInvocation, Invocation, files, out};
use serde::Serialize;

const BANNER: &str = "kagi assistant repl. Type /exit to quit, /thread to print current thread.";
const PROMPT: &str = "kagi> ";

pub struct Args {
    thread_id: Option<String>,
    assistant: Option<String>,
    model: Option<String>,
    format: Format,
    no_color: bool,
    export: bool,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Args {
            thread_id: inv.get_opt("thread-id")?,
            assistant: inv.get_opt("assistant")?,
            model: inv.get_opt("model")?,
            format: inv.get("format")?,
            no_color: inv.get_flag("no-color")?,
            export: inv.get_opt::<String>("export")?.is_some(),
        })
    }
}

/// One prompt and its answer as the export keeps them (the reference's
/// shape: a pretty JSON array of these).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Exchange {
    prompt: String,
    /// The reply as Markdown, then its references.
    response: String,
}

/// What a line asked for.
#[derive(Debug, PartialEq)]
enum Line<'a> {
    Nothing,
    Exit,
    Thread,
    Model(&'a str),
    Prompt(&'a str),
}

fn parse(line: &str) -> Line<'_> {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    match word {
        "" => Line::Nothing,
        "/exit" | "/quit" if rest.trim().is_empty() => Line::Exit,
        "/thread" if rest.trim().is_empty() => Line::Thread,
        "/model" => Line::Model(rest.trim()),
        _ => Line::Prompt(line),
    }
}

/// The conversation so far.
struct Session {
    args: Args,
    thread_id: Option<String>,
    exchanges: Vec<Exchange>,
}

impl Session {
    /// The prompt for `text`, built and checked as prompt mode builds it.
    fn prompt(&self, text: &str) -> Result<answer::Prompt, Error> {
        prompt::Args {
            query: Some(text.to_string()),
            thread_id: self.thread_id.clone(),
            attachments: Vec::new(),
            assistant: self.args.assistant.clone(),
            model: self.args.model.clone(),
            lens: None,
            web_access: None,
            personalized: None,
            output: self.output(),
        }
        .prompt()
    }

    fn output(&self) -> AnswerOutput {
        AnswerOutput {
            format: Some(self.args.format),
            no_color: self.args.no_color,
            stream: false,
        }
    }

    /// Asks `text` and shows the answer. A cancelled answer (Ctrl-C) is
    /// dropped and the loop goes on; any other failure ends the REPL.
    fn ask(&mut self, text: &str) -> Result<(), Error> {
        let prompt = self.prompt(text)?;
        let mut view = view::new(&self.output());
        let answer: Answer = match answer::ask(&prompt, &mut view) {
            Ok(answer) => answer,
            Err(e) if e.is_interrupted() => {
                terminal::take_interrupt();
                out::eprintln("answer cancelled");
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        self.thread_id = Some(answer.thread.id.clone());
        view.finish(&answer, &answer)?;
        self.exchanges.push(Exchange {
            prompt: prompt.text,
            response: render::markdown(&answer.message).trim_end().to_string(),
        });
        self.export()
    }

    fn export(&self) -> Result<(), Error> {
        if !self.args.export {
            return Ok(());
        }
        let mut json = serde_json::to_vec_pretty(&self.exchanges)?;
        json.push(b'\n');
        files::write_output("export", &json)
    }
}

pub fn run(args: Args) -> Result<(), Error> {
    let thread_id = match args.thread_id.as_deref().map(str::trim) {
        Some("") => return Err(Error::config("assistant thread id cannot be empty")),
        id => id.map(str::to_string),
    };
    let mut session = Session {
        args,
        thread_id,
        exchanges: Vec::new(),
    };
    // A script reading answers from stdout gets no banner on stderr either.
    if out::info().stdin_is_tty {
        out::eprintln(BANNER);
    }
    loop {
        let line = match terminal::read_prompt(PROMPT)? {
            Prompted::Line(line) => line,
            Prompted::Interrupted => continue,
            Prompted::Eof => return Ok(()),
        };
        match parse(&line) {
            Line::Nothing => {}
            Line::Exit => return Ok(()),
            Line::Thread => out::println(session.thread_id.as_deref().unwrap_or("<new>")),
            Line::Model(model) => out::eprintln(&format!(
                "model switching is per prompt in this REPL; restart with --model {}",
                if model.is_empty() { "MODEL" } else { model }
            )),
            Line::Prompt(text) => session.ask(text)?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_commands_only_when_they_are_exactly_one() {
        assert_eq!(parse("  "), Line::Nothing);
        assert_eq!(parse(" /exit "), Line::Exit);
        assert_eq!(parse("/quit"), Line::Exit);
        assert_eq!(parse("/thread"), Line::Thread);
        assert_eq!(parse("/model  gpt-5 "), Line::Model("gpt-5"));
        assert_eq!(parse("/exit now please"), Line::Prompt("/exit now please"));
        assert_eq!(parse(" what is /exit? "), Line::Prompt("what is /exit?"));
    }

    #[test]
    fn prompts_carry_the_thread_and_the_profile_the_repl_was_started_with() {
        let inv = crate::test_invocation(
            &["assistant", "repl"],
            &[("assistant", &["research"]), ("model", &["gpt-5-mini"])],
        );
        let session = Session {
            args: Args::from_invocation(&inv).unwrap(),
            thread_id: Some("thread-7".into()),
            exchanges: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&session.prompt(" hi ").unwrap().state()).unwrap(),
            r#"{"focus":{"branch_id":"00000000-0000-4000-0000-000000000000","message_id":null,"prompt":"hi","thread_id":"thread-7"},"profile":{"id":"research","model":"gpt-5-mini"}}"#
        );
        assert_eq!(session.args.format, Format::Markdown);
    }
}
