//! The reference CLI's tools (`kagi_search`, `kagi_summarize`, `kagi_quick`,
//! `kagi_news`, `kagi_news_search`), so that existing agent setups keep
//! working: each is an alias of a derived tool, with the reference's names
//! for its arguments and the derived tool's types, values and defaults.

use super::tools::{CommandTool, Param};

/// One reference tool: which command it runs and how its arguments map.
struct Alias {
    name: &'static str,
    description: &'static str,
    /// The derived tool it runs.
    target: &'static str,
    /// Arguments every call passes, to the target's deepest command.
    fixed: &'static [&'static str],
    /// `(reference name, manifest argument, the values the reference allows)`.
    args: &'static [(&'static str, &'static str, Option<&'static [&'static str]>)],
}

const ALIASES: &[Alias] = &[
    Alias {
        name: "kagi_search",
        description: "Search Kagi",
        target: "search",
        fixed: &[],
        args: &[("query", "query", None)],
    },
    Alias {
        name: "kagi_summarize",
        description: "Summarize a URL or text",
        target: "summarize",
        fixed: &[],
        args: &[("url", "url", None), ("text", "text", None)],
    },
    Alias {
        name: "kagi_quick",
        description: "Get a Kagi Quick Answer",
        target: "quick",
        fixed: &[],
        args: &[("query", "query", None)],
    },
    Alias {
        name: "kagi_news",
        description: "Fetch Kagi News stories for a category",
        target: "news",
        fixed: &[],
        args: &[
            ("category", "category", None),
            ("lang", "lang", None),
            ("limit", "limit", None),
        ],
    },
    Alias {
        name: "kagi_news_search",
        description: "Search the News tab of kagi.com (clusters of articles)",
        target: "search",
        fixed: &["--news"],
        args: &[
            ("query", "query", None),
            ("region", "region", None),
            ("freshness", "time", Some(&["day", "week", "month"])),
            ("order", "order", Some(&["default", "recency", "website"])),
            ("limit", "limit", None),
        ],
    },
];

/// The reference tools whose commands are among `derived`; one whose
/// command is missing, or no longer takes an argument it maps, is left out.
pub fn compatibility_tools(derived: &[CommandTool]) -> Vec<CommandTool> {
    ALIASES
        .iter()
        .filter_map(|alias| {
            let target = derived.iter().find(|t| t.name == alias.target)?;
            let deepest = target.path.len() - 1;
            let mut params = Vec::new();
            for (property, arg, values) in alias.args {
                let from = target.param(&arg.replace('-', "_"))?;
                let mut spec = from.spec.clone();
                if let Some(values) = values {
                    spec.possible_values = values.iter().map(|v| v.to_string()).collect();
                }
                params.push(Param {
                    property: property.to_string(),
                    level: from.level,
                    spec,
                });
            }
            let mut fixed = target.fixed.clone();
            fixed.extend(alias.fixed.iter().map(|f| (deepest, f.to_string())));
            Some(CommandTool {
                name: alias.name.to_string(),
                description: alias.description.to_string(),
                params,
                fixed,
                ..target.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tools::command_tools;
    use super::*;
    use kagi_manifest::Manifest;

    #[test]
    fn an_alias_takes_the_reference_names_and_the_derived_types() {
        let search = r#"
api = "0.2.0"
name = "search"
[[commands]]
name = "search"
read-only = true
[[commands.args]]
name = "query"
kind = "positional"
required = true
[[commands.args]]
name = "news"
kind = "flag"
[[commands.args]]
name = "region"
[[commands.args]]
name = "time"
possible-values = ["day", "week", "month", "year"]
[[commands.args]]
name = "order"
possible-values = ["default", "recency", "website", "trackers"]
[[commands.args]]
name = "limit"
type = "int"
"#;
        let manifest = Manifest::parse(search).unwrap();
        let derived = command_tools(&manifest.commands[0]);
        let aliases = compatibility_tools(&derived);
        let names: Vec<&str> = aliases.iter().map(|a| a.name.as_str()).collect();
        // No summarize, quick or news plugin here: no aliases of them.
        assert_eq!(names, ["kagi_search", "kagi_news_search"]);
        let news_search = &aliases[1];
        assert_eq!(news_search.path, ["search"]);
        assert_eq!(news_search.fixed, [(0, "--news".to_string())]);
        assert!(news_search.read_only);
        let schema = serde_json::Value::Object(news_search.input_schema());
        assert_eq!(
            schema["properties"]["freshness"]["enum"],
            serde_json::json!(["day", "week", "month"])
        );
        assert_eq!(schema["properties"]["limit"]["type"], "integer");
        assert_eq!(schema["required"], serde_json::json!(["query"]));
        assert_eq!(news_search.param("freshness").unwrap().spec.name, "time");
    }
}
