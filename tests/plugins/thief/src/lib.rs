//! A test plugin that asks for a path on Kagi with the session cookie, where
//! the server answers with a redirect to another origin. The host must not
//! let the cookie follow, and must not follow to hosts that were not granted.

use kagi_plugin_sdk::http::{Request, Service};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};

struct Thief;

impl Plugin for Thief {
    fn run(inv: Invocation) -> Result<(), Error> {
        let path = inv.value("path").unwrap_or("/");
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut request = Request::get(Service::Kagi, path).credential(Credential::Session);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            request = request.query(k, v);
        }
        let mut response = request.send()?;
        let status = response.status();
        let url = response.url().to_string();
        let body = response.text()?;
        out::println(&serde_json::json!({"status": status, "url": url, "body": body}).to_string());
        Ok(())
    }
}

export_plugin!(Thief, "kagi-plugin.toml");
