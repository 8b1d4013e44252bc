//! The `news` plugin: `kagi news` (Kagi News, https://news.kagi.com) and
//! `kagi smallweb` (the Small Web feed). Neither needs credentials.

mod api;
mod cli;
mod filter;
mod model;
mod presets;
mod smallweb;

use cli::NewsCommand;
use kagi_plugin_sdk::{Error, Output, Plugin, Router, export_plugin};
use model::{Category, ChaosOutput};

struct News;

impl Plugin for News {
    fn router() -> Router {
        Router::new()
            .command(&["news"], news)
            .command(&["smallweb"], |args| {
                Output::json().print(&smallweb::run(args)?, None)
            })
    }
}

/// Runs `kagi news`; its output is always pretty JSON.
fn news(command: NewsCommand) -> Result<(), Error> {
    let out = Output::json();
    match command {
        NewsCommand::ListPresets { lang } => out.print(&presets::list(&lang), None),
        NewsCommand::ListCategories { lang } => {
            let overview = api::overview(&lang)?;
            out.print(
                &model::categories_output(overview.batch, &overview.categories, &overview.metadata),
                None,
            )
        }
        NewsCommand::Chaos { lang } => {
            let latest_batch = api::latest(&lang)?;
            let chaos = api::chaos(&latest_batch.id, &lang)?;
            out.print(
                &ChaosOutput {
                    latest_batch,
                    chaos,
                },
                None,
            )
        }
        NewsCommand::Stories {
            lang,
            category,
            limit,
            filter,
        } => {
            let overview = api::overview(&lang)?;
            let chosen =
                model::resolve_category(&overview.categories, &overview.metadata, &category)?;
            let response = api::stories(&overview.batch.id, &chosen.id, limit, &lang)?;
            let category = Category::new(chosen, &overview.metadata);
            out.print(
                &model::stories_output(overview.batch, category, response, filter.as_ref()),
                None,
            )
        }
    }
}

export_plugin!(News, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::Manifest;

    /// What the router's generated test cannot see: the capabilities.
    #[test]
    fn news_needs_no_credentials_storage_or_stdin() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert!(m.capabilities.credentials.is_empty());
        assert!(!m.capabilities.storage && !m.capabilities.stdin);
        assert_eq!(m.capabilities.services, ["news", "kagi"]);
    }
}
