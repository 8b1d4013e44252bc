//! How an answer is shown while it streams and once it is complete.
//!
//! - `--stream`: NDJSON, a `delta` event per token, then the final object.
//! - stdout a terminal, `pretty` or `markdown`: the text as it grows
//!   (pretty: the partial HTML reduced to text; markdown: to Markdown), with
//!   a spinner until the first token.
//! - otherwise (JSON, or not a terminal): the complete answer in its format
//!   (a spinner on a terminal meanwhile).

use crate::model::{Message, Thread};
use crate::render;
use kagi_plugin_sdk::answer::{html_to_markdown, html_to_text};
use kagi_plugin_sdk::render::{Format, Style, strip_controls};
use kagi_plugin_sdk::stream::{LiveText, NdjsonEvents};
use kagi_plugin_sdk::{Error, FromInvocation, Invocation, out};
use serde::Serialize;

/// The `answer-output` arguments: `--format`, `--no-color`, `--stream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerOutput {
    pub format: Format,
    pub no_color: bool,
    pub stream: bool,
}

impl FromInvocation for AnswerOutput {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(AnswerOutput {
            format: inv.get("format")?,
            no_color: inv.get_flag("no-color")?,
            stream: inv.get_flag("stream")?,
        })
    }
}

const WAITING: &str = "Waiting for Kagi Assistant";

enum Mode {
    Events(NdjsonEvents),
    /// Live text; `markdown`: Markdown rather than plain text.
    Live {
        text: LiveText,
        markdown: bool,
    },
    /// The complete answer only (the spinner, if any, until then).
    Whole(Option<LiveText>),
}

/// The view of one answer.
pub struct View {
    output: AnswerOutput,
    style: Style,
    mode: Mode,
}

impl View {
    pub fn new(output: AnswerOutput) -> View {
        let terminal = out::info().stdout_is_tty;
        let mode = match output.format {
            _ if output.stream => Mode::Events(NdjsonEvents::new()),
            Format::Pretty if terminal => Mode::Live {
                text: LiveText::new(WAITING).rendered(|html| strip_controls(&html_to_text(html))),
                markdown: false,
            },
            Format::Markdown if terminal => Mode::Live {
                text: LiveText::new(WAITING)
                    .rendered(|html| strip_controls(&html_to_markdown(html))),
                markdown: true,
            },
            _ => Mode::Whole(terminal.then(|| LiveText::new(WAITING))),
        };
        View {
            output,
            style: Style::detect(output.no_color),
            mode,
        }
    }

    /// The thread is known: live pretty output heads the answer with it.
    pub fn thread(&mut self, thread: &Thread) {
        if let Mode::Live {
            text,
            markdown: false,
        } = &mut self.mode
        {
            text.print_above(&format!("{}\n", render::thread_line(thread, self.style)));
        }
    }

    /// The answer so far, as the partial HTML of a `tokens.json` frame.
    pub fn tokens(&mut self, html: &str) {
        match &mut self.mode {
            Mode::Events(events) => events.text(&html_to_markdown(html)),
            Mode::Live { text, .. } => text.show(html),
            Mode::Whole(_) => {}
        }
    }

    /// The answer failed: what was shown stays, its line ended.
    pub fn abandon(&mut self) {
        match &mut self.mode {
            Mode::Live { text, .. } | Mode::Whole(Some(text)) => text.end_line(),
            _ => {}
        }
    }

    /// Shows the complete answer: `value` is the JSON object to print.
    pub fn finish<T: Serialize>(
        self,
        value: &T,
        thread: &Thread,
        message: &Message,
    ) -> Result<(), Error> {
        let style = self.style;
        match self.mode {
            Mode::Events(events) => events.finish(value),
            Mode::Live { mut text, markdown } => {
                if markdown {
                    text.finish(&strip_controls(message.reply_text()));
                    if let Some(refs) = message.references() {
                        out::print(&format!("\n{}\n", strip_controls(refs)));
                    }
                } else {
                    // The final reply reduced like the tokens were, so that
                    // it continues what is on screen.
                    let html = message.reply_html.as_deref().unwrap_or("");
                    let reply = match html_to_text(html) {
                        t if t.is_empty() => message.reply_text().to_string(),
                        t => t,
                    };
                    text.finish(&strip_controls(&reply));
                    out::print(&render::references_section(message, style));
                    out::print(&format!("\n{}", render::message_line(message, style)));
                }
                Ok(())
            }
            Mode::Whole(spinner) => {
                drop(spinner);
                let text = match self.output.format {
                    Format::Pretty => render::pretty(thread, message, style),
                    Format::Markdown => render::markdown(message),
                    format => kagi_plugin_sdk::render::json_for(format, value)?,
                };
                out::print(&text);
                Ok(())
            }
        }
    }
}
