//! The human formats of an Assistant answer (cli-surface §5.3). Text from
//! Kagi passes through `strip_controls`: answers quote web pages.

use crate::model::{Message, Thread};
use kagi_plugin_sdk::render::{Style, strip_controls};

/// `Thread: <id>` (label bold blue), its line ended.
pub fn thread_line(thread: &Thread, style: Style) -> String {
    format!(
        "{} {}\n",
        style.heading("Thread:"),
        strip_controls(&thread.id)
    )
}

/// `Message: <id>` (label cyan), its line ended.
pub fn message_line(message: &Message, style: Style) -> String {
    format!(
        "{} {}\n",
        style.link("Message:"),
        strip_controls(&message.id)
    )
}

/// The `References` section, when there are references: a blank line
/// first, its line ended.
pub fn references_section(message: &Message, style: Style) -> String {
    match message.references() {
        Some(refs) => format!(
            "\n{}\n{}\n",
            style.heading("References"),
            strip_controls(refs)
        ),
        None => String::new(),
    }
}

/// `pretty`: the thread and message ids, a blank line, the reply, then the
/// references.
pub fn pretty(thread: &Thread, message: &Message, style: Style) -> String {
    format!(
        "{}{}\n{}\n{}",
        thread_line(thread, style),
        message_line(message, style),
        strip_controls(message.reply_text()),
        references_section(message, style),
    )
}

/// `markdown`: the reply, then the references, blank-line separated.
pub fn markdown(message: &Message) -> String {
    let mut text = strip_controls(message.reply_text());
    if let Some(refs) = message.references() {
        text.push_str("\n\n");
        text.push_str(&strip_controls(refs));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(refs: Option<&str>) -> Message {
        Message {
            id: "msg-1".into(),
            thread_id: "thread-1".into(),
            created_at: "c".into(),
            branch_list: vec![],
            state: "done".into(),
            prompt: "p".into(),
            reply_html: Some("<p>Hi</p>".into()),
            markdown: Some(" Hi \n".into()),
            references_html: None,
            references_markdown: refs.map(str::to_string),
            metadata_html: None,
            documents: vec![],
            profile: None,
            trace_id: None,
        }
    }

    fn thread() -> Thread {
        serde_json::from_str(r#"{"id":"thread-1","title":"t","ack":"a","created_at":"c","saved":false,"shared":false,"branch_id":"b"}"#).unwrap()
    }

    #[test]
    fn pretty_shows_ids_reply_and_references_in_colour_when_asked() {
        let plain = Style { color: false };
        assert_eq!(
            pretty(
                &thread(),
                &message(Some("1. [Doc](https://d.example)")),
                plain
            ),
            "Thread: thread-1\nMessage: msg-1\n\nHi\n\nReferences\n1. [Doc](https://d.example)\n"
        );
        assert_eq!(
            pretty(&thread(), &message(None), plain),
            "Thread: thread-1\nMessage: msg-1\n\nHi\n"
        );
        let colour = pretty(&thread(), &message(None), Style { color: true });
        assert!(
            colour
                .starts_with("\x1b[1;34mThread:\x1b[0m thread-1\n\x1b[36mMessage:\x1b[0m msg-1\n"),
            "{colour:?}"
        );
    }

    #[test]
    fn markdown_is_the_reply_then_the_references() {
        assert_eq!(markdown(&message(Some("1. r"))), "Hi\n\n1. r\n");
        assert_eq!(markdown(&message(None)), "Hi\n");
    }
}
