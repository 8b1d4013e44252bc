//! Each command's arguments, read through the SDK's typed accessors. Names
//! and defaults live only in kagi-plugin.toml (the `filters` group is shared
//! by `search` and `batch`; both take the SDK's `output` group as well). The
//! checks the manifest cannot express (dates, lens indexes, combinations)
//! run later, in the order the reference CLI reports them.

use crate::prefs::Mode;
use crate::request::{Order, Window};
use kagi_plugin_sdk::render::Format;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation};

/// The `filters` group, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterArgs {
    pub snap: Option<String>,
    pub lens: Option<String>,
    pub region: Option<String>,
    pub time: Option<Window>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub order: Option<Order>,
    pub verbatim: bool,
    pub personalized: bool,
    pub no_personalized: bool,
    limit: Option<u64>,
}

impl FromInvocation for FilterArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(FilterArgs {
            snap: inv.get_opt("snap")?,
            lens: inv.get_opt("lens")?,
            region: inv.get_opt("region")?,
            time: inv.get_opt("time")?,
            from_date: inv.get_opt("from-date")?,
            to_date: inv.get_opt("to-date")?,
            order: inv.get_opt("order")?,
            verbatim: inv.get_flag("verbatim")?,
            personalized: inv.get_flag("personalized")?,
            no_personalized: inv.get_flag("no-personalized")?,
            limit: inv.get_opt("limit")?,
        })
    }
}

impl FilterArgs {
    /// `--limit`: at least 1 when given.
    pub fn limit(&self) -> Result<Option<usize>, Error> {
        match self.limit {
            Some(0) => Err(Error::config("limit must be at least 1")),
            Some(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
            None => Ok(None),
        }
    }
}

/// `kagi search`'s own arguments (with the `filters` group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchArgs {
    pub query: String,
    pub filters: FilterArgs,
    pub news: bool,
    pub follow: Option<u64>,
    pub local_cache: bool,
    pub cache_ttl: u64,
    pub bench_parse: Option<u64>,
}

impl FromInvocation for SearchArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(SearchArgs {
            query: inv.get("query")?,
            filters: FilterArgs::from_invocation(inv)?,
            news: inv.get_flag("news")?,
            follow: inv.get_opt("follow")?,
            local_cache: inv.get_flag("local-cache")?,
            cache_ttl: inv.get("cache-ttl")?,
            bench_parse: inv.get_opt("bench-parse")?,
        })
    }
}

/// `kagi batch`'s own arguments (with the `filters` group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchArgs {
    pub queries: Vec<String>,
    pub concurrency: u64,
    pub rate_limit: u64,
    pub filters: FilterArgs,
}

impl FromInvocation for BatchArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(BatchArgs {
            queries: inv.get_all("queries")?,
            concurrency: inv.get("concurrency")?,
            rate_limit: inv.get("rate-limit")?,
            filters: FilterArgs::from_invocation(inv)?,
        })
    }
}

/// `kagi watch`: its own `--format` and `--no-color` (no `--template`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchArgs {
    pub query: String,
    pub interval: u64,
    pub count: u64,
    pub format: Format,
    pub no_color: bool,
}

impl FromInvocation for WatchArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(WatchArgs {
            query: inv.get("query")?,
            interval: inv.get("interval")?,
            count: inv.get("count")?,
            format: inv.get("format")?,
            no_color: inv.get_flag("no-color")?,
        })
    }
}

/// `kagi history list --limit N` (0: all).
pub struct HistoryLimit(pub u64);

impl FromInvocation for HistoryLimit {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(HistoryLimit(inv.get("limit")?))
    }
}

/// The site of `site-pref set` and `site-pref remove`, as given.
pub struct Domain(pub String);

impl FromInvocation for Domain {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(Domain(inv.get("domain")?))
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;
    fn from_str(given: &str) -> Result<Mode, Error> {
        Mode::parse(given).ok_or_else(|| {
            Error::usage(format!(
                "invalid value '{given}' for --mode (pin, higher, raise, normal, lower, block)"
            ))
        })
    }
}

/// `kagi site-pref set DOMAIN --mode MODE`.
pub struct SitePrefSet {
    pub domain: Domain,
    pub mode: Mode,
}

impl FromInvocation for SitePrefSet {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(SitePrefSet {
            domain: Domain::from_invocation(inv)?,
            mode: inv.get("mode")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_reads_the_manifests_defaults_and_the_shared_groups() {
        let inv = crate::test_invocation(&["search"], &[("query", &["rust"])]);
        let args = SearchArgs::from_invocation(&inv).unwrap();
        assert_eq!(args.cache_ttl, 900);
        assert_eq!(args.filters, FilterArgs::default());
        let batch = BatchArgs::from_invocation(&crate::test_invocation(&["batch"], &[])).unwrap();
        assert_eq!((batch.concurrency, batch.rate_limit), (3, 60));
        let watch = crate::test_invocation(&["watch"], &[("query", &["q"])]);
        let watch = WatchArgs::from_invocation(&watch).unwrap();
        assert_eq!(
            (watch.interval, watch.count, watch.format),
            (300, 0, Format::Json)
        );
    }

    #[test]
    fn a_zero_limit_is_refused() {
        let inv = crate::test_invocation(&["batch"], &[("limit", &["0"])]);
        let filters = FilterArgs::from_invocation(&inv).unwrap();
        assert_eq!(
            filters.limit().unwrap_err().message,
            "limit must be at least 1"
        );
    }
}
