//! A test plugin for interrupts: it streams a body that stalls after its
//! first line (`stream`), keeps running after Ctrl-C without taking it
//! (`ignore`), and echoes lines read at a prompt, going on after Ctrl-C
//! (`echo`), the way a repl does.

use kagi_plugin_sdk::http::{Request, Service};
use kagi_plugin_sdk::terminal::{self, Prompted};
use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out};
use std::time::Duration;

struct Interruptible;

impl Plugin for Interruptible {
    fn run(inv: Invocation) -> Result<(), Error> {
        match inv.value("action").unwrap_or("") {
            "stream" => stream(),
            "ignore" => ignore(),
            "echo" => echo(),
            other => Err(Error::usage(format!("unknown action `{other}`"))),
        }
    }
}

/// Prints each chunk of a body that never ends; only Ctrl-C stops it.
fn stream() -> Result<(), Error> {
    let mut response = Request::get(Service::Kagi, "/_mock/stall").send()?;
    while let Some(chunk) = response.next_chunk()? {
        out::print(&String::from_utf8_lossy(&chunk));
    }
    Ok(())
}

/// Sleeps; once Ctrl-C cut the sleep short, says so and keeps going without
/// taking the interrupt (every sleep now returns at once), so only a second
/// Ctrl-C ends it.
fn ignore() -> Result<(), Error> {
    out::println("sleeping");
    out::sleep(Duration::from_secs(3600));
    out::println("ignoring the interrupt");
    loop {
        out::sleep(Duration::from_secs(3600));
    }
}

/// Echoes each line read at the prompt; Ctrl-C cancels only the current
/// line, end of input ends the loop.
fn echo() -> Result<(), Error> {
    loop {
        match terminal::read_prompt("say> ")? {
            Prompted::Line(line) => out::println(&format!("echo: {line}")),
            Prompted::Interrupted => {
                terminal::take_interrupt();
                out::println("[cancelled]");
            }
            Prompted::Eof => {
                out::println("bye");
                return Ok(());
            }
        }
    }
}

export_plugin!(Interruptible, "kagi-plugin.toml");
