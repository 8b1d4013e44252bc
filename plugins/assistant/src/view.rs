//! The Assistant's answers as the SDK's answer view shows them
//! ([`kagi_plugin_sdk::answer_view`]): pretty and markdown stream on a
//! terminal, pretty under a `Thread:` line and above the references and a
//! `Message:` line.

use crate::answer::Answer;
use crate::model::Thread;
use crate::render;
use kagi_plugin_sdk::answer::html_to_text;
use kagi_plugin_sdk::answer_view::{AnswerOutput, AnswerView, HumanAnswer};
use kagi_plugin_sdk::render::{Format, Style, strip_controls};

const WAITING: &str = "Waiting for Kagi Assistant";

/// The formats shown as growing text on a terminal.
const LIVE: &[Format] = &[Format::Pretty, Format::Markdown];

/// The view of one answer.
pub fn new(output: &AnswerOutput) -> AnswerView {
    AnswerView::new(output, LIVE, WAITING)
}

/// The thread is known: pretty text streamed on a terminal starts with it.
pub fn thread(view: &mut AnswerView, thread: &Thread) {
    let line = render::thread_line(thread, view.style());
    view.heading(&format!("{line}\n"));
}

impl HumanAnswer for Answer {
    fn whole(&self, format: Format, style: Style) -> String {
        match format {
            Format::Markdown => render::markdown(&self.message),
            _ => render::pretty(&self.thread, &self.message, style),
        }
    }

    fn final_text(&self, format: Format) -> String {
        let message = &self.message;
        if format == Format::Markdown {
            return strip_controls(message.reply_text());
        }
        // The final reply reduced like the tokens were, so that it continues
        // what is on screen.
        match html_to_text(message.reply_html.as_deref().unwrap_or("")) {
            text if text.is_empty() => strip_controls(message.reply_text()),
            text => strip_controls(&text),
        }
    }

    fn after_text(&self, format: Format, style: Style) -> String {
        let message = &self.message;
        if format == Format::Markdown {
            return message
                .references()
                .map(|refs| format!("\n{}\n", strip_controls(refs)))
                .unwrap_or_default();
        }
        format!(
            "{}\n{}",
            render::references_section(message, style),
            render::message_line(message, style)
        )
    }
}
