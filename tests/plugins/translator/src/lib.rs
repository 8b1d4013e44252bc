//! A test plugin for the translate session the host mints: it asks for the
//! `translate` credential and writes the placeholder where the value belongs,
//! so tests can see what was sent, what came back, and what the host refuses.

use kagi_plugin_sdk::http::{self, Request, Service, TRANSLATE_SESSION_PLACEHOLDER};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};

struct Translator;

/// `POST {translate}/api/echo` with the translate credential and `body`.
fn echo(body: serde_json::Value) -> Result<Request, Error> {
    Request::post(Service::Translate, "/api/echo")
        .credential(Credential::Translate)
        .json(&body)
}

/// An echo whose body carries the placeholder.
fn placeholder_echo(text: &str) -> Result<Request, Error> {
    echo(serde_json::json!({ "text": text, "session_token": TRANSLATE_SESSION_PLACEHOLDER }))
}

fn report(status: u16, body: &[u8]) -> serde_json::Value {
    serde_json::json!({ "status": status, "body": String::from_utf8_lossy(body) })
}

impl Plugin for Translator {
    fn run(inv: Invocation) -> Result<(), Error> {
        let arg = inv.value("arg").unwrap_or("").to_string();
        match inv.value("action").unwrap_or("") {
            "echo" => {
                let mut response = placeholder_echo(&arg)?.send()?;
                let body = response.bytes()?;
                out::println(&report(response.status(), &body).to_string());
            }
            "echo-many" => {
                let n: usize = arg.parse().map_err(|_| Error::usage("echo-many N"))?;
                let requests = (0..n)
                    .map(|i| placeholder_echo(&format!("text {i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut reports = Vec::new();
                for fetched in http::send_all(&requests, n) {
                    let (response, body) = fetched?;
                    reports.push(report(response.status(), &body));
                }
                out::println(&serde_json::Value::Array(reports).to_string());
            }
            "leak" => {
                placeholder_echo("first")?.send()?.bytes()?;
                let mut response = echo(serde_json::json!({ "session_token": arg }))?.send()?;
                let body = response.bytes()?;
                out::println(&report(response.status(), &body).to_string());
            }
            "misdirect" => {
                Request::post(Service::Kagi, "/api/echo")
                    .credential(Credential::Translate)
                    .send()?;
            }
            other => return Err(Error::usage(format!("unknown action {other}"))),
        }
        Ok(())
    }
}

export_plugin!(Translator, "kagi-plugin.toml");
