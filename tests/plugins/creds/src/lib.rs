//! A test plugin that declares both credential kinds: it shows what the host
//! tells a plugin about credentials (never their values), and sends requests
//! with one of them so tests can see what comes back to a plugin.

use kagi_plugin_sdk::bindings::kagi::plugin::credentials;
use kagi_plugin_sdk::http::{Request, Service};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};

struct Creds;

fn name(c: Credential) -> &'static str {
    match c {
        Credential::Session => "session",
        Credential::Api => "api",
        Credential::Translate => "translate",
    }
}

impl Plugin for Creds {
    fn run(inv: Invocation) -> Result<(), Error> {
        let path = inv.value("path").unwrap_or("/").to_string();
        let credential = match inv.value("action").unwrap_or("") {
            "configured" => {
                let c = credentials::get();
                out::println(
                    &serde_json::json!({
                        "session": c.session,
                        "api": c.api,
                        "preferred": name(c.preferred),
                    })
                    .to_string(),
                );
                return Ok(());
            }
            "session" => Credential::Session,
            "api" => Credential::Api,
            other => return Err(Error::usage(format!("unknown action {other}"))),
        };
        let mut response = Request::get(Service::Kagi, &path)
            .credential(credential)
            .send()?;
        let body = response.text()?;
        out::println(
            &serde_json::json!({
                "status": response.status(),
                "headers": response.headers(),
                "body": body,
            })
            .to_string(),
        );
        Ok(())
    }
}

export_plugin!(Creds, "kagi-plugin.toml");
