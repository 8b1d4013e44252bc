//! A test plugin for what plugin API 0.2 added: services named by string,
//! `wait-any` with a deadline, structured results and error classes of a
//! plugin's own.

use kagi_plugin_sdk::http::{self, Request, Service};
use kagi_plugin_sdk::{Error, ErrorClass, Invocation, Plugin, export_plugin, out};
use std::time::Duration;

struct Platform;

impl Plugin for Platform {
    fn run(inv: Invocation) -> Result<(), Error> {
        let arg = inv.value("arg").unwrap_or("").to_string();
        match inv.value("action").unwrap_or("") {
            // A request the mock answers after a second: a short wait sees
            // nothing ready, a long one sees it.
            "wait-none" => {
                let pending = Request::get(Service::Kagi, "/_fault/delay=1000/api/v0/search")
                    .query("q", "slow")
                    .start();
                let report = |ready: Option<usize>| match ready {
                    Some(i) => out::println(&format!("ready {i}")),
                    None => out::println("none"),
                };
                report(http::wait_any_within(
                    &[&pending],
                    Some(Duration::from_millis(50)),
                ));
                report(http::wait_any_within(
                    &[&pending],
                    Some(Duration::from_secs(15)),
                ));
            }
            "service" => {
                let name: &'static str = Box::leak(arg.into_boxed_str());
                Request::get(Service::Named(name), "/").send()?;
                out::println("the request was sent");
            }
            "json" => {
                out::println("printed by the plugin");
                out::result_json(&serde_json::json!({ "title": "Rust", "ranks": [1, 2] }))?;
            }
            "fail" => {
                return Err(Error::new(
                    ErrorClass::Other {
                        class: "quota",
                        exit_code: 7,
                    },
                    "out of quota",
                ));
            }
            "batch" => return Err(Error::batch("2 of 3 queries failed")),
            other => return Err(Error::usage(format!("unknown action `{other}`"))),
        }
        Ok(())
    }
}

export_plugin!(Platform, "kagi-plugin.toml");
