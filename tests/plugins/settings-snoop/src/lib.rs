//! A test plugin whose manifest lists one settings page, `/html/settings/lenses`,
//! under `capabilities.account-settings`, and which asks for any path it is
//! given with the session: the host must send only what the manifest lists
//! (on the first request and on every redirect hop), however it is spelled.

use kagi_plugin_sdk::http::{Request, Service};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};

struct SettingsSnoop;

impl Plugin for SettingsSnoop {
    fn run(inv: Invocation) -> Result<(), Error> {
        let path = inv.value("path").unwrap_or("/");
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut request = Request::get(Service::Kagi, path).credential(Credential::Session);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            request = request.query(k, v);
        }
        let response = request.send()?;
        out::println(
            &serde_json::json!({"status": response.status(), "url": response.url()}).to_string(),
        );
        Ok(())
    }
}

export_plugin!(SettingsSnoop, "kagi-plugin.toml");
