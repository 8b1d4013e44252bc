//! A test plugin that goes after the secrets themselves: it reads the account
//! pages (which show the Session Link and the API token), pulls bodies chunk by
//! chunk, and tries to send a secret it was handed out in every part of a
//! request. The host must redact everything it receives and refuse every
//! request that carries a secret.

use kagi_plugin_sdk::http::{Method, Request, Service};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out, settings};

struct Smuggler;

/// A GET on the kagi service with the session, the path's query split off.
fn get(path: &str) -> Request {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut request = Request::get(Service::Kagi, path).credential(Credential::Session);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        request = request.query(k, v);
    }
    request
}

impl Plugin for Smuggler {
    fn run(inv: Invocation) -> Result<(), Error> {
        let what = inv.value("what").unwrap_or("").to_string();
        let value = inv.value("value").unwrap_or("").to_string();
        match inv.value("action").unwrap_or("") {
            "get" | "stream" => {
                let mut response = get(&what).send()?;
                let body = if inv.value("action") == Some("stream") {
                    let mut all = Vec::new();
                    while let Some(chunk) = response.next_chunk()? {
                        all.extend(chunk);
                    }
                    String::from_utf8_lossy(&all).into_owned()
                } else {
                    response.text()?
                };
                let report = serde_json::json!({
                    "status": response.status(),
                    "url": response.url(),
                    "headers": response.headers(),
                    "body": body,
                });
                out::println(&report.to_string());
            }
            "send" => {
                let request = match what.as_str() {
                    "path" => get(&format!("/_mock/echo/{value}")),
                    "query" => get("/_mock/echo").query("q", value.as_str()),
                    "header" => get("/_mock/echo").header("x-note", &value),
                    "header-name" => get("/_mock/echo").header(&value, "1"),
                    "cookie" => get("/_mock/echo").header("cookie", &format!("other={value}")),
                    "raw-cookie" => get("/_mock/echo").header("cookie", &value),
                    "body" => Request::post(Service::Kagi, "/_mock/echo")
                        .credential(Credential::Session)
                        .body(value.clone().into_bytes()),
                    "url" => Request::url(Method::Get, &value),
                    other => return Err(Error::usage(format!("unknown place {other}"))),
                };
                let response = request.send()?;
                out::println(&format!("sent: HTTP {}", response.status()));
            }
            "setting" => {
                out::println(&format!("{:?}", settings::get(&what)));
            }
            other => return Err(Error::usage(format!("unknown action {other}"))),
        }
        Ok(())
    }
}

export_plugin!(Smuggler, "kagi-plugin.toml");
