//! The `lens` plugin: `kagi lens list|get|create|update|delete|enable|disable`
//! and `export`/`import`, on Kagi's lens settings pages (wire protocol §6.20).
//! The session only; the settings pages it may reach are in its manifest.

mod args;
mod commands;
mod lens;
mod list;
mod sync;

use kagi_plugin_sdk::settings_html::SettingsSite;
use kagi_plugin_sdk::settings_html::args::{Import, Target};
use kagi_plugin_sdk::{Output, Plugin, Router, export_plugin};

/// How the lens pages are named in messages.
pub(crate) const SURFACE: &str = "lens settings page";

pub(crate) fn site() -> SettingsSite {
    SettingsSite::new(SURFACE)
}

struct Lens;

impl Plugin for Lens {
    fn router() -> Router {
        let print = |value: serde_json::Value| Output::json().print(&value, None);
        Router::new()
            .command(&["lens", "list"], move |()| print(commands::list(&site())?))
            .command(&["lens", "get"], move |a: Target| {
                print(commands::get(&site(), &a.target)?)
            })
            .command(&["lens", "create"], move |a: args::Create| {
                print(commands::create(&site(), &a)?)
            })
            .command(&["lens", "update"], move |a: args::Update| {
                print(commands::update(&site(), &a)?)
            })
            .command(&["lens", "delete"], move |a: Target| {
                print(commands::delete(&site(), &a.target)?)
            })
            .command(&["lens", "enable"], move |a: Target| {
                print(commands::set_enabled(&site(), &a.target, true)?)
            })
            .command(&["lens", "disable"], move |a: Target| {
                print(commands::set_enabled(&site(), &a.target, false)?)
            })
            .command(&["lens", "export"], move |()| print(sync::export(&site())?))
            .command(&["lens", "import"], move |a: Import| {
                print(sync::import(&site().dry_run(a.dry_run), &a)?)
            })
    }
}

export_plugin!(Lens, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{Credential, Manifest};

    /// What the router's generated test cannot see: the capabilities.
    #[test]
    fn only_the_session_and_the_lens_settings_pages() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert_eq!(m.capabilities.credentials, [Credential::Session]);
        assert_eq!(m.capabilities.services, ["kagi"]);
        let settings = m.capabilities.account_settings.as_ref().unwrap();
        assert_eq!(settings.about, "your lenses");
        assert!(!m.capabilities.storage && !m.capabilities.stdin);
    }
}
