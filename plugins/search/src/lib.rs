//! The `search` plugin: `kagi search`, `kagi batch`, `kagi watch`,
//! `kagi history` and `kagi site-pref`. It reaches Kagi only through the host
//! (which attaches the API token or the session cookie) and keeps its cache,
//! history and site preferences in its own storage.

pub mod args;
pub mod batch;
pub mod bench;
pub mod cache;
pub mod follow;
pub mod history;
pub mod model;
pub mod parse;
pub mod prefs;
pub mod render;
pub mod request;
pub mod watch;

use args::{Domain, HistoryLimit, SearchArgs, SitePrefSet};
use kagi_plugin_sdk::render::{Format, Style, json_for, sorted};
use kagi_plugin_sdk::{Error, Output, OutputArgs, Plugin, Router, export_plugin, out};
use model::{NewsResponse, SearchResponse};
use request::{Filters, NewsQuery, Route, WebQuery};
use serde_json::json;

struct Search;

impl Plugin for Search {
    fn router() -> Router {
        Router::new()
            .command(&["search"], search)
            .command(&["batch"], batch::run)
            .command(&["watch"], watch::run)
            .command(&["history", "list"], |HistoryLimit(limit)| {
                let limit = usize::try_from(limit).unwrap_or(usize::MAX);
                Output::json().print(&history::newest_first(history::load()?, limit), None)
            })
            .command(&["history", "stats"], |()| {
                Output::json().print(&history::stats(&history::load()?), None)
            })
            .command(&["site-pref", "list"], |()| {
                Output::json().print(&prefs::list()?, None)
            })
            .command(&["site-pref", "set"], |set: SitePrefSet| {
                let domain = prefs::normalize_domain(&set.domain.0)?;
                prefs::set(&domain, set.mode)?;
                Output::json().print(&json!({"domain": domain, "mode": set.mode.name()}), None)
            })
            .command(&["site-pref", "remove"], |Domain(given)| {
                let domain = prefs::normalize_domain(&given)?;
                let removed = prefs::remove(&domain)?;
                Output::json().print(&json!({"domain": domain, "removed": removed}), None)
            })
    }
}

fn search((args, output): (SearchArgs, OutputArgs)) -> Result<(), Error> {
    if let Some(n) = args.bench_parse {
        return bench::run(n);
    }
    let limit = args.filters.limit()?;
    if args.news {
        return news_search(&args, &output, limit);
    }
    let filters = Filters::parse(&args.filters)?;
    let q = WebQuery {
        query: filters.query(&args.query)?,
        filters,
    };
    let follow = match args.follow {
        Some(0) => return Err(Error::config("--follow must be at least 1")),
        Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        None => None,
    };
    let available = request::Available::from_host();
    let plan = request::plan(available, q.filters.session_need())?;
    if follow.is_some() && !available.session {
        return Err(Error::config(format!(
            "search --follow summarises results with the subscriber summarizer, which requires KAGI_SESSION_TOKEN: {}",
            kagi_plugin_sdk::protocol::Token::Session.setup()
        )));
    }

    let use_cache = args.local_cache && follow.is_none();
    let cache_request = json!({"search": &q, "route": plan.primary});
    let now = history::now();
    let cached = if use_cache {
        cache::get::<SearchResponse>("search", &cache_request, args.cache_ttl, now)
    } else {
        None
    };
    let response = match cached {
        Some(r) => r,
        None => {
            let r = request::search(&q, plan)?;
            if use_cache {
                cache::put("search", &cache_request, args.cache_ttl, now, &r);
            }
            r
        }
    };

    let mut data = prefs::load_for_results().apply(response.data);
    if let Some(n) = limit {
        data.truncate(n);
    }
    let shown = SearchResponse { data };

    if let Some(n) = follow {
        let summaries = follow::summaries(&shown, n)?;
        history::record("search-follow", &q.query, shown.data.len());
        let followed = follow::Output {
            query: &q.query,
            search: &shown,
            summaries,
        };
        out::print(&json_for(output.format, &sorted(&followed)?)?);
        return Ok(());
    }
    history::record("search", &q.query, shown.data.len());
    print_results(&shown, &output)
}

/// JSON through the SDK's output layer; the human formats and templates
/// through search's own renderer (numbered results, "No results found.").
fn print_results(shown: &SearchResponse, output: &OutputArgs) -> Result<(), Error> {
    match (&output.template, output.format) {
        (None, Format::Json | Format::Compact) => Output::new(output).print(shown, None),
        (template, format) => {
            out::print(&render::results(
                &shown.data,
                format,
                template.as_deref(),
                Style::detect(output.no_color),
            ));
            Ok(())
        }
    }
}

fn news_search(args: &SearchArgs, output: &OutputArgs, limit: Option<usize>) -> Result<(), Error> {
    let q = NewsQuery::parse(args, output.template.is_some())?;
    request::plan(
        request::Available::from_host(),
        Some(request::SessionNeed::News),
    )?;
    let cache_request = json!({"news": &q, "route": Route::Session});
    let now = history::now();
    let cached = if args.local_cache {
        cache::get::<NewsResponse>("news-search", &cache_request, args.cache_ttl, now)
    } else {
        None
    };
    let mut news = match cached {
        Some(n) => n,
        None => {
            let (status, body) = request::fetch(&q.request())?;
            let n = request::news_outcome(&q.query, status, &body)?;
            if args.local_cache {
                cache::put("news-search", &cache_request, args.cache_ttl, now, &n);
            }
            n
        }
    };
    if let Some(n) = limit {
        news.truncate(n);
    }
    match output.format {
        Format::Json | Format::Compact => Output::new(output).print(&news, None),
        format => {
            out::print(&render::news(&news, format, Style::detect(output.no_color)));
            Ok(())
        }
    }
}

export_plugin!(Search, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{ArgSpec, CommandSpec, Manifest};

    fn arg<'a>(c: &'a CommandSpec, name: &str) -> &'a ArgSpec {
        c.args
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("{} --{name}", c.name))
    }

    /// What the router's generated test cannot see: capabilities, limits,
    /// and the parts of the surface the reference CLI fixes.
    #[test]
    fn the_manifest_keeps_the_reference_surface() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert!(m.capabilities.storage && m.capabilities.stdin);
        assert_eq!(m.capabilities.credentials.len(), 2);
        assert_eq!(m.limits.timeout_secs, Some(0));
        let names: Vec<&str> = m.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["search", "batch", "watch", "history", "site-pref"]);
        let search = m.find_command(&["search".into()]).unwrap();
        let batch = m.find_command(&["batch".into()]).unwrap();
        let watch = m.find_command(&["watch".into()]).unwrap();
        // Search and batch share the filters and the SDK's output group.
        for shared in ["format", "template", "no-color", "lens", "time", "limit"] {
            assert_eq!(arg(search, shared), arg(batch, shared), "{shared}");
        }
        // Watch's own format flag takes the same values, and no --template.
        assert_eq!(
            arg(watch, "format").possible_values,
            arg(search, "format").possible_values
        );
        assert!(!watch.args.iter().any(|a| a.name == "template"));
        assert_eq!(arg(search, "follow").conflicts_with, ["template"]);
        assert!(arg(search, "bench-parse").hide);
    }
}
