//! How a streamed answer (Kagi Assistant, ask-page, Quick Answer) is shown:
//! one rule for every answer command, taken with `groups = ["answer-output"]`.
//!
//! - The format: `--format` as given; without it, `pretty` when stdout is a
//!   terminal and `json` (the spec's object) when it is not
//!   ([`AnswerOutput::shown_format`]).
//! - `--stream`: NDJSON whatever the format, a `delta` event per piece of new
//!   text (as Markdown), then the final object ([`NdjsonEvents`]).
//! - On a terminal, a format the plugin streams (`pretty`, and for the
//!   Assistant `markdown`): the text as it grows ([`LiveText`]), a spinner
//!   until the first words, then what follows the text (references, ids).
//! - Otherwise the complete answer in its format, with a spinner meanwhile
//!   on a terminal.
//!
//! On a failure what was already shown stays, its line ended
//! ([`AnswerView::abandon`]). Each plugin renders its own answer through
//! [`HumanAnswer`].

use crate::answer::{html_to_markdown, html_to_text};
use crate::out::{self, Progress};
use crate::render::{Format, Style, json_for, strip_controls};
use crate::stream::{LiveText, NdjsonEvents};
use crate::{Error, FromInvocation, Invocation};
use serde::Serialize;

/// The `answer-output` group's arguments: `--format`, `--no-color`, `--stream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerOutput {
    /// As given; see [`shown_format`](Self::shown_format).
    pub format: Option<Format>,
    pub no_color: bool,
    pub stream: bool,
}

impl FromInvocation for AnswerOutput {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(AnswerOutput {
            format: inv.get_opt("format")?,
            no_color: inv.get_flag("no-color")?,
            stream: inv.get_flag("stream")?,
        })
    }
}

impl AnswerOutput {
    /// The format the answer is shown in (see [`format_for`]).
    pub fn shown_format(&self) -> Format {
        format_for(self.format, out::info().stdout_is_tty)
    }
}

/// The rule: the format given wins; without one, pretty on a terminal and
/// JSON off one.
pub fn format_for(given: Option<Format>, stdout_is_tty: bool) -> Format {
    match given {
        Some(format) => format,
        None if stdout_is_tty => Format::Pretty,
        None => Format::Json,
    }
}

/// How a plugin's answer reads to a person: `pretty` and `markdown`.
pub trait HumanAnswer {
    /// The complete answer in `format` (`Pretty` or `Markdown`), its last
    /// line ended: printed when the answer did not stream.
    fn whole(&self, format: Format, style: Style) -> String;

    /// The answer's text once complete, after it streamed in `format` as the
    /// growing partial HTML reduced to text (pretty) or Markdown: it should
    /// continue what is on screen (else it is shown again on its own line).
    fn final_text(&self, format: Format) -> String;

    /// What follows the streamed text (references, ids), starting with its
    /// own blank line and its last line ended; empty for nothing.
    fn after_text(&self, format: Format, style: Style) -> String;
}

enum Mode {
    Events(NdjsonEvents),
    Live(LiveText),
    /// The complete answer only; the spinner until then.
    Whole(Option<Progress>),
}

/// The view of one answer while it streams and once it is complete.
pub struct AnswerView {
    format: Format,
    style: Style,
    mode: Mode,
}

impl AnswerView {
    /// The view `output` asks for. `live`: the formats this plugin shows as
    /// growing text on a terminal; `waiting`: the spinner's message.
    pub fn new(output: &AnswerOutput, live: &[Format], waiting: &str) -> AnswerView {
        let format = output.shown_format();
        let mode = if output.stream {
            Mode::Events(NdjsonEvents::new())
        } else if out::info().stdout_is_tty && live.contains(&format) {
            let text = LiveText::new(waiting);
            Mode::Live(match format {
                Format::Markdown => text.rendered(|html| strip_controls(&html_to_markdown(html))),
                _ => text.rendered(|html| strip_controls(&html_to_text(html))),
            })
        } else {
            Mode::Whole(Some(Progress::spinner(waiting)))
        };
        AnswerView {
            format,
            style: Style::detect(output.no_color),
            mode,
        }
    }

    /// The colours of pretty output.
    pub fn style(&self) -> Style {
        self.style
    }

    /// Puts `heading` (its lines ended) above pretty text shown as it grows,
    /// printed with the first words; other views show no heading.
    pub fn heading(&mut self, heading: &str) {
        if let Mode::Live(text) = &mut self.mode
            && self.format == Format::Pretty
        {
            text.heading(heading);
        }
    }

    /// The answer so far, as the partial HTML of a `tokens.json` frame.
    pub fn tokens(&mut self, html: &str) {
        match &mut self.mode {
            Mode::Events(events) => events.text(&html_to_markdown(html)),
            Mode::Live(text) => text.show(html),
            Mode::Whole(_) => {}
        }
    }

    /// The answer failed: what was shown stays, its line ended, and the
    /// spinner stops, so that the error is printed below it.
    pub fn abandon(&mut self) {
        match &mut self.mode {
            Mode::Live(text) => text.end_line(),
            Mode::Whole(spinner) => {
                if let Some(spinner) = spinner.take() {
                    spinner.finish();
                }
            }
            Mode::Events(_) => {}
        }
    }

    /// Shows the complete answer: `value` is the object printed as JSON (and
    /// last under `--stream`), `answer` what people read.
    pub fn finish<T: Serialize + ?Sized>(
        self,
        value: &T,
        answer: &impl HumanAnswer,
    ) -> Result<(), Error> {
        match self.mode {
            Mode::Events(events) => events.finish(value),
            Mode::Live(mut text) => {
                text.finish(&answer.final_text(self.format));
                out::print(&answer.after_text(self.format, self.style));
                Ok(())
            }
            Mode::Whole(spinner) => {
                if let Some(spinner) = spinner {
                    spinner.finish();
                }
                out::print(&whole(self.format, self.style, value, answer)?);
                Ok(())
            }
        }
    }
}

/// Prints an answer that is complete already (from a cache, say) as
/// `output` asks: the final object under `--stream`, else the whole answer
/// in its format.
pub fn print_answer<T: Serialize + ?Sized>(
    output: &AnswerOutput,
    value: &T,
    answer: &impl HumanAnswer,
) -> Result<(), Error> {
    if output.stream {
        return NdjsonEvents::new().finish(value);
    }
    let style = Style::detect(output.no_color);
    out::print(&whole(output.shown_format(), style, value, answer)?);
    Ok(())
}

fn whole<T: Serialize + ?Sized>(
    format: Format,
    style: Style,
    value: &T,
    answer: &impl HumanAnswer,
) -> Result<String, Error> {
    match format {
        Format::Pretty | Format::Markdown => Ok(answer.whole(format, style)),
        format => json_for(format, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_format_wins_and_without_one_a_terminal_gets_pretty_and_a_pipe_json() {
        for tty in [true, false] {
            for format in [
                Format::Json,
                Format::Compact,
                Format::Pretty,
                Format::Markdown,
            ] {
                assert_eq!(format_for(Some(format), tty), format);
            }
        }
        assert_eq!(format_for(None, true), Format::Pretty);
        assert_eq!(format_for(None, false), Format::Json);
    }
}
