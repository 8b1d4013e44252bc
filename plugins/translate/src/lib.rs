//! The `translate` plugin: `kagi translate [TEXT]` (cli-surface §1.10, wire
//! protocol §6.12). The host mints the translate session from the session
//! token and puts it where the placeholder stands; this plugin never sees it.

mod args;
mod aux;
mod translate;
mod wire;

use kagi_plugin_sdk::{Output, Plugin, Router, export_plugin};

struct Translate;

impl Plugin for Translate {
    fn router() -> Router {
        Router::new().command(&["translate"], |args: args::Args| {
            Output::json().print(&translate::run(args)?, None)
        })
    }
}

export_plugin!(Translate, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{Credential, Manifest};

    /// What the router's generated test cannot see: the capabilities.
    #[test]
    fn only_the_session_the_translate_service_and_stdin() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert_eq!(m.capabilities.credentials, [Credential::Session]);
        assert_eq!(m.capabilities.services, ["translate"]);
        assert!(m.capabilities.stdin && !m.capabilities.storage);
    }
}
