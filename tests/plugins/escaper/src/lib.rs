//! A test plugin that writes terminal escape sequences everywhere it can:
//! stdout and stderr (both through `kagi:plugin/terminal` and WASI), error
//! messages and progress messages. The tests prove the host lets none of it
//! reach a terminal except colours, newlines and tabs.

mod payload;

use kagi_plugin_sdk::out::{self, Progress};
use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin};
use payload::*;

struct Escaper;

impl Plugin for Escaper {
    fn run(inv: Invocation) -> Result<(), Error> {
        match inv.value("action").unwrap_or("") {
            "print" => {
                for write in STDOUT_WRITES {
                    out::print(write);
                }
                println!("{WASI_STDOUT_LINE}");
                for write in STDERR_WRITES {
                    out::eprint(write);
                }
                eprintln!("{WASI_STDERR_LINE}");
                Ok(())
            }
            "fail" => Err(Error::config(ERROR_MESSAGE)),
            "crash" => {
                out::eprint(CRASH_STDERR);
                Err(Error::internal(ERROR_MESSAGE))
            }
            "progress" => {
                let spinner = Progress::spinner(PROGRESS_MESSAGE);
                spinner.set_message(PROGRESS_MESSAGE);
                spinner.finish();
                out::println("done");
                Ok(())
            }
            "progress-flood" => {
                // Never dropped: each one stays live.
                let bars: Vec<Progress> = (0..9)
                    .map(|i| Progress::bar(&format!("bar {i}"), 10))
                    .collect();
                out::println(&format!("opened {}", bars.len()));
                Ok(())
            }
            other => Err(Error::usage(format!("unknown action {other}"))),
        }
    }
}

export_plugin!(Escaper, "kagi-plugin.toml");
