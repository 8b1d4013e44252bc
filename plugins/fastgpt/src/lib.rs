//! The `fastgpt` plugin: the paid Kagi API tools, `kagi fastgpt QUERY` and
//! `kagi enrich web|news QUERY`. Both need the API token only.

mod answer;
mod enrich;
mod fastgpt;

use enrich::Index;
use kagi_plugin_sdk::{Output, Plugin, Router, export_plugin};

struct FastGpt;

impl Plugin for FastGpt {
    fn router() -> Router {
        Router::new()
            .command(&["fastgpt"], |args: fastgpt::Args| {
                Output::json().print(&fastgpt::run(&args)?, None)
            })
            .command(&["enrich", "web"], |query: enrich::Query| {
                Output::json().print(&enrich::run(Index::Web, &query)?, None)
            })
            .command(&["enrich", "news"], |query: enrich::Query| {
                Output::json().print(&enrich::run(Index::News, &query)?, None)
            })
    }
}

export_plugin!(FastGpt, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::Manifest;

    /// What the router's generated test cannot see: the capabilities.
    #[test]
    fn only_the_api_token_and_storage_for_the_cache() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        use kagi_plugin_sdk::manifest::Credential;
        assert_eq!(m.capabilities.credentials, [Credential::Api]);
        assert_eq!(m.capabilities.services, ["kagi"]);
        assert!(m.capabilities.storage && !m.capabilities.stdin);
    }
}
