//! `kagi summarize --filter` (cli-surface §1.5, §5.2): each trimmed,
//! non-blank stdin line is summarized on its own, one request after the
//! other (wire protocol §6.6); the first failure stops the command.
//! Output: `{"results":[{"input","response"}]}` with sorted keys at every
//! level, as the spec's ad-hoc JSON has.

use crate::args::Mode;
use crate::{api, subscriber};
use kagi_plugin_sdk::{Error, Output, out, stdin};
use serde_json::{Value, json};

pub fn run(mode: &Mode) -> Result<(), Error> {
    // A terminal is not waited on: no lines were piped.
    let lines = if out::info().stdin_is_tty {
        Vec::new()
    } else {
        stdin::lines()?
    };
    if lines.is_empty() {
        return Err(Error::config(
            "summarize --filter requires at least one stdin line",
        ));
    }
    let mut results = Vec::with_capacity(lines.len());
    for line in lines {
        let response = summarize(mode, &line)?;
        results.push(json!({"input": line, "response": response}));
    }
    // serde_json's map is ordered by key, which sorts every level.
    Output::json().print(&json!({ "results": results }), None)
}

/// One line's summary, in the shape of its mode's answer.
fn summarize(mode: &Mode, line: &str) -> Result<Value, Error> {
    let is_url = line.starts_with("http://") || line.starts_with("https://");
    let value = match mode {
        Mode::Api(options) => {
            let (url, text) = if is_url {
                (Some(line), None)
            } else {
                (None, Some(line))
            };
            serde_json::to_value(api::fetch(&api::request(url, text, options)?)?)?
        }
        Mode::Subscriber(options) => {
            let kind = if is_url { "url" } else { "text" };
            let request = subscriber::request((kind, line), options);
            serde_json::to_value(subscriber::fetch(&request, false)?)?
        }
    };
    Ok(value)
}
