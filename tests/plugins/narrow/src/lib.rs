//! A test plugin whose `offline` command declares fewer capabilities than the
//! plugin, so the tests can prove the host narrows a command's grants, and
//! which prints the settings the host answers it.

use kagi_plugin_sdk::http::{Request, Service};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out, settings};

struct Narrow;

impl Plugin for Narrow {
    fn run(inv: Invocation) -> Result<(), Error> {
        if inv.is(&["narrow", "setting"]) {
            out::println(&format!(
                "{:?}",
                settings::get(inv.value("name").unwrap_or(""))
            ));
            return Ok(());
        }
        // `online` and `offline` do the same; only their manifest entries differ.
        let mut response = Request::get(Service::Kagi, inv.value("path").unwrap_or("/"))
            .credential(Credential::Api)
            .send()?;
        out::println(&format!("HTTP {}", response.status()));
        response.text()?;
        Ok(())
    }
}

export_plugin!(Narrow, "kagi-plugin.toml");
