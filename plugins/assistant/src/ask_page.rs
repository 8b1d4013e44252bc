//! `kagi ask-page URL QUESTION` (cli-surface §1.9, wire protocol §6.14): an
//! Assistant prompt `URL\nQUESTION` in a new thread, without profile options.

use crate::answer::{self, Prompt};
use crate::model::{Message, Meta, Thread};
use crate::view;
use kagi_plugin_sdk::answer_view::AnswerOutput;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};
use serde::Serialize;

pub struct Args {
    pub url: String,
    pub question: String,
    pub output: AnswerOutput,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Args {
            url: inv.get("url")?,
            question: inv.get("question")?,
            output: AnswerOutput::from_invocation(inv)?,
        })
    }
}

/// `{meta, source, thread, message}`.
#[derive(Debug, Serialize)]
struct PageAnswer<'a> {
    meta: &'a Meta,
    source: Source<'a>,
    thread: &'a Thread,
    message: &'a Message,
}

#[derive(Debug, Serialize)]
struct Source<'a> {
    url: &'a str,
    question: &'a str,
}

/// The URL as URL parsing normalises it (e.g. a trailing `/` added); http or https only.
fn normalised_url(raw: &str) -> Result<String, Error> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("invalid ask-page URL: {e}")))?;
    match url.scheme() {
        "http" | "https" => Ok(url.to_string()),
        other => Err(Error::config(format!(
            "ask-page URL must use http or https, got `{other}`"
        ))),
    }
}

pub fn run(args: Args) -> Result<(), Error> {
    let url = normalised_url(&args.url)?;
    let question = args.question.trim();
    if question.is_empty() {
        return Err(Error::config("ask-page question cannot be empty"));
    }
    let prompt = Prompt {
        text: format!("{url}\n{question}"),
        ..Prompt::default()
    };
    let mut view = view::new(&args.output);
    let answer = answer::ask(&prompt, &mut view)?;
    let shown = PageAnswer {
        meta: &answer.meta,
        source: Source {
            url: &url,
            question,
        },
        thread: &answer.thread,
        message: &answer.message,
    };
    view.finish(&shown, &answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised_and_only_http_or_https() {
        assert_eq!(
            normalised_url("https://rust-lang.org").unwrap(),
            "https://rust-lang.org/"
        );
        assert_eq!(
            normalised_url("file:///etc/passwd").unwrap_err().message,
            "ask-page URL must use http or https, got `file`"
        );
        assert_eq!(
            normalised_url("not a url").unwrap_err().message,
            "invalid ask-page URL: relative URL without a base"
        );
    }
}
