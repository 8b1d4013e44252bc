//! The `assistant` plugin: Kagi Assistant on the session. `kagi assistant
//! [QUERY]` (prompt mode) and `kagi ask-page URL QUESTION` stream their
//! answers. Each command group has its own module; routes are listed below,
//! one line each.

mod answer;
mod ask_page;
mod custom;
mod model;
mod prompt;
mod render;
mod repl;
mod threads;
mod view;

use kagi_plugin_sdk::{Plugin, Router, export_plugin};

struct Assistant;

impl Plugin for Assistant {
    fn router() -> Router {
        Router::new()
            .command(&["assistant"], prompt::run)
            .command(&["ask-page"], ask_page::run)
            .command(&["assistant", "thread", "list"], |_: ()| threads::list())
            .command(&["assistant", "thread", "get"], threads::get)
            .command(&["assistant", "thread", "delete"], threads::delete)
            .command(&["assistant", "thread", "export"], threads::export)
            .command(&["assistant", "repl"], repl::run)
            .command(&["assistant", "custom", "list"], |_: ()| custom::list())
            .command(&["assistant", "custom", "get"], custom::get)
            .command(&["assistant", "custom", "create"], custom::create)
            .command(&["assistant", "custom", "update"], custom::update)
            .command(&["assistant", "custom", "delete"], custom::delete)
    }
}

export_plugin!(Assistant, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{Credential, Manifest};

    /// What the router's generated test cannot see: the capabilities.
    #[test]
    fn only_the_session_on_kagi() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert_eq!(m.capabilities.credentials, [Credential::Session]);
        assert_eq!(m.capabilities.services, ["kagi"]);
        // stdin: the prompts of `assistant repl`.
        assert!(!m.capabilities.storage && m.capabilities.stdin);
    }
}
