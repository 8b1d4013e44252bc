//! The `search` plugin: `kagi search`, `kagi batch`, `kagi watch`,
//! `kagi history` and `kagi site-pref`. It reaches Kagi only through the host
//! (which attaches the API token or the session cookie) and keeps its cache,
//! history and site preferences in its own storage.

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

use kagi_plugin_sdk::render::{Format, Style, json_for, json_pretty, sorted};
use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out};
use model::{NewsResponse, SearchResponse};
use request::{Filters, NewsQuery, Route, WebQuery};
use serde_json::json;

struct Search;

impl Plugin for Search {
    fn run(inv: Invocation) -> Result<(), Error> {
        let command: Vec<&str> = inv.command().iter().map(String::as_str).collect();
        match command.as_slice() {
            ["search"] => search(&inv),
            ["batch"] => batch::run(&inv),
            ["watch"] => watch::run(&inv),
            ["history", "list"] => history_list(&inv),
            ["history", "stats"] => {
                out::print(&json_pretty(&history::stats(&history::load()?))?);
                Ok(())
            }
            ["site-pref", sub] => site_pref(sub, &inv),
            _ => Err(Error::internal(format!(
                "search plugin has no command {:?}",
                inv.command()
            ))),
        }
    }
}

/// `--limit`: at least 1 when given.
pub(crate) fn limit(inv: &Invocation) -> Result<Option<usize>, Error> {
    match inv.parse::<u64>("limit")? {
        Some(0) => Err(Error::config("limit must be at least 1")),
        Some(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        None => Ok(None),
    }
}

fn search(inv: &Invocation) -> Result<(), Error> {
    if let Some(n) = inv.parse::<u64>("bench-parse")? {
        return bench::run(n);
    }
    let format = Format::parse(inv.value("format"))?;
    let limit = limit(inv)?;
    if inv.flag("news") {
        return news_search(inv, format, limit);
    }
    let filters = Filters::parse(inv)?;
    let q = WebQuery {
        query: filters.query(inv.value("query").unwrap_or(""))?,
        filters,
    };
    let follow = match inv.parse::<u64>("follow")? {
        Some(0) => return Err(Error::config("--follow must be at least 1")),
        Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        None => None,
    };
    let available = request::Available::from_host();
    let plan = request::plan(available, q.filters.session_need())?;
    if follow.is_some() && !available.session {
        return Err(Error::config(format!(
            "search --follow summarises results with the subscriber summarizer, which requires KAGI_SESSION_TOKEN: {}",
            request::SESSION_FIX
        )));
    }

    let use_cache = inv.flag("local-cache") && follow.is_none();
    let ttl = inv.parse::<u64>("cache-ttl")?.unwrap_or(cache::DEFAULT_TTL);
    let cache_request = json!({"search": &q, "route": plan.primary});
    let now = history::now();
    let cached = if use_cache {
        cache::get::<SearchResponse>("search", &cache_request, ttl, now)
    } else {
        None
    };
    let response = match cached {
        Some(r) => r,
        None => {
            let r = request::search(&q, plan)?;
            if use_cache {
                cache::put("search", &cache_request, ttl, now, &r);
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
        let output = follow::Output {
            query: &q.query,
            search: &shown,
            summaries,
        };
        out::print(&json_for(format, &sorted(&output)?)?);
        return Ok(());
    }
    history::record("search", &q.query, shown.data.len());
    let text = match (inv.value("template"), format) {
        (None, Format::Json | Format::Compact) => json_for(format, &shown)?,
        (template, _) => render::results(
            &shown.data,
            format,
            template,
            Style::detect(inv.flag("no-color")),
        ),
    };
    out::print(&text);
    Ok(())
}

fn news_search(inv: &Invocation, format: Format, limit: Option<usize>) -> Result<(), Error> {
    let q = NewsQuery::parse(inv)?;
    request::plan(
        request::Available::from_host(),
        Some(request::SessionNeed::News),
    )?;
    let use_cache = inv.flag("local-cache");
    let ttl = inv.parse::<u64>("cache-ttl")?.unwrap_or(cache::DEFAULT_TTL);
    let cache_request = json!({"news": &q, "route": Route::Session});
    let now = history::now();
    let cached = if use_cache {
        cache::get::<NewsResponse>("news-search", &cache_request, ttl, now)
    } else {
        None
    };
    let mut news = match cached {
        Some(n) => n,
        None => {
            let (status, body) = request::fetch(&q.request())?;
            let n = request::news_outcome(&q.query, status, &body)?;
            if use_cache {
                cache::put("news-search", &cache_request, ttl, now, &n);
            }
            n
        }
    };
    if let Some(n) = limit {
        news.truncate(n);
    }
    let text = match format {
        Format::Json | Format::Compact => json_for(format, &news)?,
        _ => render::news(&news, format, Style::detect(inv.flag("no-color"))),
    };
    out::print(&text);
    Ok(())
}

fn history_list(inv: &Invocation) -> Result<(), Error> {
    let limit = inv.parse::<u64>("limit")?.unwrap_or(25);
    let entries = history::newest_first(
        history::load()?,
        usize::try_from(limit).unwrap_or(usize::MAX),
    );
    out::print(&json_pretty(&entries)?);
    Ok(())
}

fn site_pref(sub: &str, inv: &Invocation) -> Result<(), Error> {
    let domain = || prefs::normalize_domain(inv.value("domain").unwrap_or(""));
    let value = match sub {
        "list" => serde_json::to_value(prefs::list()?)?,
        "set" => {
            let domain = domain()?;
            let given = inv.value("mode").unwrap_or("");
            let mode = prefs::Mode::parse(given).ok_or_else(|| {
                Error::usage(format!(
                    "invalid value '{given}' for --mode (pin, higher, raise, normal, lower, block)"
                ))
            })?;
            prefs::set(&domain, mode)?;
            json!({"domain": domain, "mode": mode.name()})
        }
        "remove" => {
            let domain = domain()?;
            let removed = prefs::remove(&domain)?;
            json!({"domain": domain, "removed": removed})
        }
        other => {
            return Err(Error::internal(format!("no site-pref command `{other}`")));
        }
    };
    out::print(&json_pretty(&value)?);
    Ok(())
}

export_plugin!(Search, "kagi-plugin.toml");

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::{ArgKind, Manifest, ValueType};

    #[test]
    fn manifest_declares_what_the_code_reads() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        assert!(m.capabilities.storage && m.capabilities.stdin);
        assert_eq!(m.capabilities.credentials.len(), 2);
        assert_eq!(m.limits.timeout_secs, Some(0));
        let names: Vec<&str> = m.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["search", "batch", "watch", "history", "site-pref"]);
        let search = m.find_command(&["search".into()]).unwrap();
        let batch = m.find_command(&["batch".into()]).unwrap();
        let arg = |c: &kagi_plugin_sdk::manifest::CommandSpec, name: &str| {
            c.args
                .iter()
                .find(|a| a.name == name)
                .cloned()
                .unwrap_or_else(|| panic!("{} --{name}", c.name))
        };
        for shared in [
            "format",
            "no-color",
            "snap",
            "lens",
            "region",
            "time",
            "from-date",
            "to-date",
            "order",
            "verbatim",
            "personalized",
            "no-personalized",
            "limit",
        ] {
            assert_eq!(arg(search, shared), arg(batch, shared), "{shared}");
        }
        assert_eq!(arg(search, "query").kind, ArgKind::Positional);
        assert_eq!(arg(search, "format").default.as_deref(), Some("json"));
        assert_eq!(arg(search, "limit").value_type, ValueType::Int);
        assert_eq!(arg(search, "template").conflicts_with, ["follow"]);
        assert_eq!(arg(search, "template").help, arg(batch, "template").help);
        assert_eq!(
            arg(search, "personalized").conflicts_with,
            ["no-personalized"]
        );
        assert!(arg(search, "bench-parse").hide);
        assert!(arg(batch, "queries").multiple);
        assert_eq!(arg(batch, "concurrency").default.as_deref(), Some("3"));
        assert_eq!(arg(batch, "rate-limit").default.as_deref(), Some("60"));
        let set = m.find_command(&["site-pref".into(), "set".into()]).unwrap();
        for mode in &arg(set, "mode").possible_values {
            assert!(crate::prefs::Mode::parse(mode).is_some(), "{mode}");
        }
        let list = m.find_command(&["history".into(), "list".into()]).unwrap();
        assert_eq!(arg(list, "limit").default.as_deref(), Some("25"));
    }
}
