//! The `news` plugin: `kagi news` (Kagi News, https://news.kagi.com) and
//! `kagi smallweb` (the Small Web feed). Neither needs credentials.

mod api;
mod cli;
mod filter;
mod model;
mod presets;
mod smallweb;

use cli::NewsCommand;
use kagi_plugin_sdk::render::json_pretty;
use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out};
use model::{Category, ChaosOutput};

struct News;

impl Plugin for News {
    fn run(inv: Invocation) -> Result<(), Error> {
        let text = if inv.is(&["news"]) {
            news(&inv)?
        } else if inv.is(&["smallweb"]) {
            json_pretty(&smallweb::run(&inv)?)?
        } else {
            return Err(Error::internal(format!(
                "news plugin has no command {:?}",
                inv.command()
            )));
        };
        out::print(&text);
        Ok(())
    }
}

/// Runs `kagi news` and returns the pretty JSON to print.
fn news(inv: &Invocation) -> Result<String, Error> {
    match cli::parse(inv)? {
        NewsCommand::ListPresets { lang } => json_pretty(&presets::list(&lang)),
        NewsCommand::ListCategories { lang } => {
            let overview = api::overview(&lang)?;
            json_pretty(&model::categories_output(
                overview.batch,
                &overview.categories,
                &overview.metadata,
            ))
        }
        NewsCommand::Chaos { lang } => {
            let latest_batch = api::latest(&lang)?;
            let chaos = api::chaos(&latest_batch.id, &lang)?;
            json_pretty(&ChaosOutput {
                latest_batch,
                chaos,
            })
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
            json_pretty(&model::stories_output(
                overview.batch,
                category,
                response,
                filter.as_ref(),
            ))
        }
    }
}

export_plugin!(News, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{ArgKind, Manifest, ValueType};

    fn manifest() -> Manifest {
        Manifest::parse(&crate::__kagi_manifest_text()).unwrap()
    }

    #[test]
    fn manifest_declares_what_the_code_reads() {
        let m = manifest();
        assert!(m.capabilities.credentials.is_empty());
        assert!(!m.capabilities.storage && !m.capabilities.stdin);
        let news = m.find_command(&["news".to_string()]).unwrap();
        let arg = |name: &str| {
            news.args
                .iter()
                .find(|a| a.name == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        assert_eq!(
            arg("category").default.as_deref(),
            Some(crate::cli::DEFAULT_CATEGORY)
        );
        assert_eq!(arg("limit").default.as_deref(), Some("12"));
        assert_eq!(arg("limit").value_type, ValueType::Int);
        assert_eq!(
            arg("lang").default.as_deref(),
            Some(crate::cli::DEFAULT_LANG)
        );
        assert_eq!(arg("filter-mode").default.as_deref(), Some("hide"));
        assert_eq!(arg("filter-mode").possible_values, ["hide", "blur"]);
        assert_eq!(arg("filter-scope").default.as_deref(), Some("all"));
        assert_eq!(
            arg("filter-scope").possible_values,
            ["title", "summary", "all"]
        );
        assert!(arg("filter-preset").multiple && arg("filter-keyword").multiple);
        for flag in ["list-categories", "chaos", "list-filter-presets"] {
            assert_eq!(arg(flag).kind, ArgKind::Flag);
            assert_eq!(arg(flag).conflicts_with.len(), 2, "{flag}");
        }
        for value in &arg("filter-mode").possible_values {
            assert!(crate::filter::Mode::parse(value).is_some());
        }
        for value in &arg("filter-scope").possible_values {
            assert!(crate::filter::Scope::parse(value).is_some());
        }
        let smallweb = m.find_command(&["smallweb".to_string()]).unwrap();
        assert_eq!(smallweb.args.len(), 1);
        assert_eq!(smallweb.args[0].name, "limit");
        assert_eq!(smallweb.args[0].default, None);
    }
}
