//! A test plugin that reaches for more than the sandbox allows, so that the
//! tests can prove each limit holds.

use kagi_plugin_sdk::http::{Request, Service};
use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out, stdin};
use std::time::Duration;

struct Greedy;

impl Plugin for Greedy {
    fn run(inv: Invocation) -> Result<(), Error> {
        let count: usize = inv.parse("count")?.unwrap_or(0);
        match inv.value("action").unwrap_or("") {
            "hello" => out::println("hello"),
            "requests" => {
                // All started before any is waited for.
                let pending: Vec<_> = (0..count)
                    .map(|_| Request::get(Service::Kagi, "/html/search").start())
                    .collect();
                let mut answered = 0;
                for p in pending {
                    p.wait()?;
                    answered += 1;
                }
                out::println(&format!("{answered} answered"));
            }
            "hold" => {
                let held: Vec<_> = (0..count)
                    .map(|_| Request::get(Service::Kagi, "/html/search").start())
                    .collect();
                out::println(&format!("holding {}", held.len()));
            }
            "spin" => {
                let mut x: u64 = 0;
                loop {
                    for _ in 0..1_000_000 {
                        x = std::hint::black_box(x.wrapping_add(1));
                    }
                    out::sleep(Duration::ZERO);
                }
            }
            "stdin-all" => {
                let text = stdin::read_to_string()?;
                out::println(&format!("{} bytes", text.len()));
            }
            "stdin-line" => {
                let mut total = 0;
                while let Some(line) = stdin::read_line()? {
                    total += line.len();
                }
                out::println(&format!("{total} bytes"));
            }
            other => return Err(Error::usage(format!("unknown action {other}"))),
        }
        Ok(())
    }
}

export_plugin!(Greedy, "kagi-plugin.toml");
