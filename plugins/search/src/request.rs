//! From the command line to Kagi requests: the query, the filters and their
//! validation (cli-surface §1.2), which credential a search uses and when it
//! falls back (§2.1), and how each path's response becomes results or an error.

use crate::args::{FilterArgs, SearchArgs};
use crate::model::{NewsResponse, SearchResponse};
use crate::parse;
use kagi_plugin_sdk::http::{Family, Request, Service, TimeoutClass, check_status, error_detail};
use kagi_plugin_sdk::protocol::{Token, looks_like_html};
use kagi_plugin_sdk::{Credential, Error};
use serde::Serialize;
use std::str::FromStr;

/// The time window of `--time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Window {
    Day,
    Week,
    Month,
    Year,
}

impl FromStr for Window {
    type Err = Error;
    fn from_str(v: &str) -> Result<Window, Error> {
        Ok(match v {
            "day" => Window::Day,
            "week" => Window::Week,
            "month" => Window::Month,
            "year" => Window::Year,
            other => return Err(Error::usage(format!("invalid value '{other}' for --time"))),
        })
    }
}

impl Window {
    /// `dr=` on the web search.
    fn code(self) -> &'static str {
        match self {
            Window::Day => "1",
            Window::Week => "2",
            Window::Month => "3",
            Window::Year => "4",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Window::Day => "day",
            Window::Week => "week",
            Window::Month => "month",
            Window::Year => "year",
        }
    }
}

/// `--order`; `default` sends nothing on the web search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    Default,
    Recency,
    Website,
    Trackers,
}

impl FromStr for Order {
    type Err = Error;
    fn from_str(v: &str) -> Result<Order, Error> {
        Ok(match v {
            "default" => Order::Default,
            "recency" => Order::Recency,
            "website" => Order::Website,
            "trackers" => Order::Trackers,
            other => return Err(Error::usage(format!("invalid value '{other}' for --order"))),
        })
    }
}

/// The search flags shared by `search` and `batch`, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filters {
    pub snap: Option<String>,
    pub lens: Option<u32>,
    pub region: Option<String>,
    pub time: Option<Window>,
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    pub order: Option<Order>,
    pub verbatim: bool,
    pub personalized: Option<bool>,
}

/// Why a search must use the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionNeed {
    Lens,
    Filters,
    News,
}

impl SessionNeed {
    pub fn message(self) -> String {
        let setup = Token::Session.setup();
        match self {
            SessionNeed::Lens => format!(
                "lens search requires KAGI_SESSION_TOKEN (the Search API cannot search lenses): {setup}"
            ),
            SessionNeed::Filters => format!(
                "search filters (--region, --time, --from-date, --to-date, --order, --verbatim, --personalized) require KAGI_SESSION_TOKEN (the Search API only runs plain searches): {setup}"
            ),
            SessionNeed::News => {
                format!("search --news requires KAGI_SESSION_TOKEN: {setup}")
            }
        }
    }
}

/// A value with its surrounding blanks removed; blank is absent.
fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

impl Filters {
    /// Validates the `filters` group for a web search.
    pub fn parse(args: &FilterArgs) -> Result<Filters, Error> {
        let snap = args
            .snap
            .as_deref()
            .map(|s| s.trim().trim_start_matches('@').trim().to_string())
            .filter(|s| !s.is_empty());
        let lens = match trimmed(&args.lens) {
            None => None,
            Some(v) => Some(v.parse::<u32>().map_err(|_| {
                Error::config(format!(
                    "lens '{v}' must be a numeric index (e.g., '0', '1', '2'); find a lens's index at https://kagi.com/settings/lenses"
                ))
            })?),
        };
        let time = args.time;
        let from_date = trimmed(&args.from_date);
        let to_date = trimmed(&args.to_date);
        if time.is_some() && (from_date.is_some() || to_date.is_some()) {
            return Err(Error::config(
                "search --time cannot be combined with --from-date or --to-date",
            ));
        }
        for (flag, value) in [("from-date", &from_date), ("to-date", &to_date)] {
            if let Some(v) = value
                && !valid_date(v)
            {
                return Err(Error::config(format!(
                    "search --{flag} must use YYYY-MM-DD format and be a real date (got '{v}')"
                )));
            }
        }
        if let (Some(from), Some(to)) = (&from_date, &to_date)
            && from > to
        {
            return Err(Error::config(format!(
                "search --from-date cannot be after --to-date ({from} > {to})"
            )));
        }
        let personalized = if args.personalized {
            Some(true)
        } else if args.no_personalized {
            Some(false)
        } else {
            None
        };
        Ok(Filters {
            snap,
            lens,
            region: trimmed(&args.region),
            time,
            from_date,
            to_date,
            order: args.order,
            verbatim: args.verbatim,
            personalized,
        })
    }

    /// Whether the Search API can run this search.
    pub fn session_need(&self) -> Option<SessionNeed> {
        if self.lens.is_some() {
            Some(SessionNeed::Lens)
        } else if self.region.is_some()
            || self.time.is_some()
            || self.from_date.is_some()
            || self.to_date.is_some()
            || matches!(self.order, Some(o) if o != Order::Default)
            || self.verbatim
            || self.personalized.is_some()
        {
            Some(SessionNeed::Filters)
        } else {
            None
        }
    }

    /// The query as sent: trimmed, with `@snap ` in front.
    pub fn query(&self, raw: &str) -> Result<String, Error> {
        let q = raw.trim();
        if q.is_empty() {
            return Err(Error::config("search query cannot be empty"));
        }
        Ok(match &self.snap {
            Some(snap) => format!("@{snap} {q}"),
            None => q.to_string(),
        })
    }
}

/// `YYYY-MM-DD`, a real calendar day (leap years included).
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The news tab's own checks (cli-surface §1.2, `--news`): the filters it
/// cannot take, and whether `--follow` or `--template` was given.
pub fn check_news(f: &FilterArgs, follow: bool, template: bool) -> Result<(), Error> {
    let refuse = |what: &str| {
        Err(Error::config(format!(
            "--news cannot be combined with {what}"
        )))
    };
    if f.lens.is_some() {
        return refuse("--lens");
    }
    if f.snap.is_some() {
        return refuse("--snap");
    }
    if f.from_date.is_some() || f.to_date.is_some() {
        return refuse("--from-date or --to-date");
    }
    if f.verbatim {
        return refuse("--verbatim");
    }
    if f.personalized || f.no_personalized {
        return refuse("--personalized or --no-personalized");
    }
    if follow {
        return refuse("--follow");
    }
    if template {
        return refuse("--template");
    }
    if f.time == Some(Window::Year) {
        return Err(Error::config(
            "--time year is not supported with --news (only day, week, or month)",
        ));
    }
    if f.order == Some(Order::Trackers) {
        return Err(Error::config(
            "--order trackers is not supported with --news (use default, recency, or website)",
        ));
    }
    Ok(())
}

/// A news-tab search, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewsQuery {
    pub query: String,
    pub region: Option<String>,
    pub time: Option<Window>,
    pub order: Option<Order>,
}

impl NewsQuery {
    /// `kagi search --news`: the tab's checks, then the query.
    pub fn parse(args: &SearchArgs, template: bool) -> Result<NewsQuery, Error> {
        let f = &args.filters;
        check_news(f, args.follow.is_some(), template)?;
        let query = args.query.trim().to_string();
        if query.is_empty() {
            return Err(Error::config("search query cannot be empty"));
        }
        Ok(NewsQuery {
            query,
            region: trimmed(&f.region),
            time: f.time,
            order: f.order,
        })
    }

    pub fn request(&self) -> Request {
        let order = self.order.map(|o| match o {
            Order::Default => "1",
            Order::Recency => "2",
            _ => "3",
        });
        Request::get(Service::Kagi, "/news")
            .query("q", self.query.clone())
            .query_opt("r", self.region.clone())
            .query_opt("freshness", self.time.map(|t| t.name()))
            .query_opt("order", order)
            .credential(Credential::Session)
            .timeout(TimeoutClass::Search)
    }
}

/// Which way a search goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// The Search API with the API token.
    Api,
    /// The subscriber web search with the session cookie.
    Session,
}

/// The credentials configured, as the host reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Available {
    pub session: bool,
    pub api: bool,
    pub prefer_api: bool,
}

impl Available {
    pub fn from_host() -> Available {
        let c = kagi_plugin_sdk::credentials::configured();
        Available {
            session: c.session,
            api: c.api,
            prefer_api: c.preferred == Credential::Api,
        }
    }
}

/// The route to try first, and whether an API refusal may be retried with the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub primary: Route,
    pub fallback: bool,
}

/// Neither token is configured: how to set either.
pub fn missing_credentials() -> String {
    let (api, session) = (Token::Api, Token::Session);
    format!(
        "missing credentials: set {} or {} (env), or add [auth] {}/{} to .kagi.toml; run `kagi auth` to set one up",
        api.env_var(),
        session.env_var(),
        api.config_key(),
        session.config_key()
    )
}

/// cli-surface §2.1: lens, filters and the news tab use the session only;
/// otherwise the preferred credential if configured, else the other one. Only
/// an API-first search may fall back, and only when a session exists.
pub fn plan(available: Available, need: Option<SessionNeed>) -> Result<Plan, Error> {
    if let Some(need) = need {
        return if available.session {
            Ok(Plan {
                primary: Route::Session,
                fallback: false,
            })
        } else {
            Err(Error::config(need.message()))
        };
    }
    let primary = match (available.prefer_api, available.api, available.session) {
        (true, true, _) => Route::Api,
        (true, false, true) => Route::Session,
        (false, _, true) => Route::Session,
        (false, true, false) => Route::Api,
        (_, false, false) => return Err(Error::config(missing_credentials())),
    };
    Ok(Plan {
        primary,
        fallback: primary == Route::Api && available.session,
    })
}

/// One web search, ready to send on either route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebQuery {
    /// The query as sent (with the snap prefix).
    pub query: String,
    pub filters: Filters,
}

impl WebQuery {
    pub fn request(&self, route: Route) -> Request {
        match route {
            Route::Api => Request::get(Service::Kagi, "/api/v0/search")
                .query("q", self.query.clone())
                .credential(Credential::Api)
                .timeout(TimeoutClass::Search),
            Route::Session => {
                let f = &self.filters;
                let order = f.order.and_then(|o| match o {
                    Order::Default => None,
                    Order::Recency => Some("2"),
                    Order::Website => Some("3"),
                    Order::Trackers => Some("4"),
                });
                Request::get(Service::Kagi, "/html/search")
                    .query("q", self.query.clone())
                    .query_opt("l", f.lens.map(|l| l.to_string()))
                    .query_opt("r", f.region.clone())
                    .query_opt("dr", f.time.map(Window::code))
                    .query_opt("from_date", f.from_date.clone())
                    .query_opt("to_date", f.to_date.clone())
                    .query_opt("order", order)
                    .query_opt("verbatim", f.verbatim.then_some("1"))
                    .query_opt(
                        "personalized",
                        f.personalized.map(|p| if p { "1" } else { "0" }),
                    )
                    .credential(Credential::Session)
                    .timeout(TimeoutClass::Search)
            }
        }
    }
}

/// A failed attempt, and whether the session may retry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: Error,
    /// The Search API refused the request (any 4xx).
    pub refused_by_api: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            refused_by_api: false,
        }
    }
}

const API_SURFACE: &str = "Search API";

/// Turns a response on `route` into results.
pub fn outcome(route: Route, status: u16, body: &[u8]) -> Result<SearchResponse, Failure> {
    match route {
        Route::Api => api_outcome(status, body),
        Route::Session => Ok(SearchResponse {
            data: web_page(status, body, "search")?,
        }),
    }
}

fn api_outcome(status: u16, body: &[u8]) -> Result<SearchResponse, Failure> {
    if (400..500).contains(&status) {
        let line = kagi_plugin_sdk::http::status_line(status);
        let detail = error_detail(body);
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!("; {detail}")
        };
        let error = match status {
            401 | 403 => Error::auth(format!(
                "Kagi {API_SURFACE} rejected the API token: HTTP {line}{detail}; {}",
                Token::Api.renew()
            )),
            429 => Error::network(format!(
                "Kagi {API_SURFACE} is rate limiting requests: HTTP {line}{detail}; try again later"
            )),
            _ => Error::config(format!(
                "Kagi {API_SURFACE} request rejected: HTTP {line}{detail}"
            )),
        };
        return Err(Failure {
            error,
            refused_by_api: true,
        });
    }
    check_status(Family::SearchApi, API_SURFACE, status, body)?;
    Ok(SearchResponse {
        data: parse::api_results(body)?,
    })
}

/// A session HTML page: the status family's checks (which refuse the
/// signed-out page), then at least HTML when it held no results (a junk or
/// truncated body is a parse error, not "no results").
fn session_page<T>(
    status: u16,
    body: &[u8],
    surface: &str,
    parse: impl FnOnce(&str) -> T,
    is_empty: impl FnOnce(&T) -> bool,
) -> Result<T, Error> {
    check_status(Family::SearchHtml, surface, status, body)?;
    let html = String::from_utf8_lossy(body);
    let parsed = parse(&html);
    if is_empty(&parsed) && !looks_like_html(&html) {
        return Err(Error::parse(format!(
            "failed to parse Kagi {surface} response: it is not an HTML page"
        )));
    }
    Ok(parsed)
}

fn web_page(
    status: u16,
    body: &[u8],
    surface: &str,
) -> Result<Vec<crate::model::SearchResult>, Error> {
    session_page(status, body, surface, parse::results_page, Vec::is_empty)
}

pub fn news_outcome(query: &str, status: u16, body: &[u8]) -> Result<NewsResponse, Error> {
    session_page(
        status,
        body,
        "news search",
        |html| parse::news_page(html, query),
        |news| news.clusters.is_empty(),
    )
}

/// Sends `request` and reads its body (transport errors become failures).
pub fn fetch(request: &Request) -> Result<(u16, Vec<u8>), Error> {
    let mut response = request.send()?;
    let body = response.bytes()?;
    Ok((response.status(), body))
}

/// Runs one web search with its plan, falling back once from the API to the
/// session when the API refuses it.
pub fn search(q: &WebQuery, plan: Plan) -> Result<SearchResponse, Error> {
    let attempt = |route: Route| -> Result<SearchResponse, Failure> {
        let (status, body) = fetch(&q.request(route))?;
        outcome(route, status, &body)
    };
    match attempt(plan.primary) {
        Ok(r) => Ok(r),
        Err(f) if f.refused_by_api && plan.fallback => attempt(Route::Session).map_err(|f| f.error),
        Err(f) => Err(f.error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_plugin_sdk::ErrorClass;

    use kagi_plugin_sdk::FromInvocation;

    fn inv(args: &[(&str, &[&str])]) -> FilterArgs {
        FilterArgs::from_invocation(&crate::test_invocation(&["search"], args)).unwrap()
    }

    fn config_error(args: &[(&str, &[&str])]) -> String {
        let e = Filters::parse(&inv(args)).unwrap_err();
        assert_eq!(e.class, ErrorClass::Config, "{e}");
        e.message
    }

    #[test]
    fn dates_are_real_days() {
        for good in ["2024-02-29", "2000-02-29", "2026-12-31", "2026-01-01"] {
            assert!(valid_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-1-01",
            "2026/01/01",
            "20260101",
            "2026-01-00",
            "+026-01-01",
            "2026-0a-01",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn filter_errors() {
        assert_eq!(
            config_error(&[("time", &["day"]), ("from-date", &["2026-01-01"])]),
            "search --time cannot be combined with --from-date or --to-date"
        );
        assert_eq!(
            config_error(&[("from-date", &["2026-02-30"])]),
            "search --from-date must use YYYY-MM-DD format and be a real date (got '2026-02-30')"
        );
        assert_eq!(
            config_error(&[("from-date", &["2026-03-02"]), ("to-date", &["2026-03-01"])]),
            "search --from-date cannot be after --to-date (2026-03-02 > 2026-03-01)"
        );
        assert!(
            config_error(&[("lens", &["programming"])])
                .starts_with("lens 'programming' must be a numeric index (e.g., '0', '1', '2')")
        );
    }

    #[test]
    fn which_filters_need_the_session() {
        let need = |args: &[(&str, &[&str])]| Filters::parse(&inv(args)).unwrap().session_need();
        assert_eq!(need(&[]), None);
        assert_eq!(need(&[("snap", &["reddit"])]), None);
        assert_eq!(need(&[("order", &["default"])]), None);
        assert_eq!(need(&[("lens", &["2"])]), Some(SessionNeed::Lens));
        for args in [
            &[("region", &["us"][..])][..],
            &[("time", &["week"])],
            &[("to-date", &["2026-01-01"])],
            &[("order", &["recency"])],
            &[("verbatim", &[])],
            &[("no-personalized", &[])],
        ] {
            assert_eq!(need(args), Some(SessionNeed::Filters), "{args:?}");
        }
    }

    #[test]
    fn snap_prefixes_the_query() {
        let f = Filters::parse(&inv(&[("snap", &[" @@reddit "])])).unwrap();
        assert_eq!(f.query("  rust lang ").unwrap(), "@reddit rust lang");
        assert_eq!(
            f.query("   ").unwrap_err().message,
            "search query cannot be empty"
        );
        let none = Filters::parse(&inv(&[("snap", &["@"])])).unwrap();
        assert_eq!(none.query("q").unwrap(), "q");
    }

    #[test]
    fn session_requests_carry_filters_in_order() {
        let f = Filters::parse(&inv(&[
            ("lens", &["2"]),
            ("region", &["us"]),
            ("time", &["week"]),
            ("order", &["recency"]),
            ("verbatim", &[]),
            ("no-personalized", &[]),
        ]))
        .unwrap();
        let q = WebQuery {
            query: "@reddit rust lang".into(),
            filters: f,
        };
        let dbg = format!("{:?}", q.request(Route::Session));
        assert!(
            dbg.contains(r#"query: [("q", "@reddit rust lang"), ("l", "2"), ("r", "us"), ("dr", "2"), ("order", "2"), ("verbatim", "1"), ("personalized", "0")]"#),
            "{dbg}"
        );
        assert!(
            dbg.contains("credential: Some(Credential::Session)"),
            "{dbg}"
        );
        let dbg = format!("{:?}", q.request(Route::Api));
        assert!(
            dbg.contains(r#"query: [("q", "@reddit rust lang")]"#),
            "{dbg}"
        );
        assert!(dbg.contains("Credential::Api"), "{dbg}");
    }

    #[test]
    fn news_checks() {
        let news = |args: &[(&str, &[&str])]| {
            let mut all: Vec<(&str, &[&str])> = vec![("query", &["iran"]), ("news", &[])];
            all.extend_from_slice(args);
            let inv = crate::test_invocation(&["search"], &all);
            let args = SearchArgs::from_invocation(&inv).unwrap();
            NewsQuery::parse(&args, inv.value("template").is_some())
        };
        let msg = |args: &[(&str, &[&str])]| news(args).unwrap_err().message;
        assert_eq!(
            msg(&[("lens", &["1"])]),
            "--news cannot be combined with --lens"
        );
        assert_eq!(
            msg(&[("snap", &["x"])]),
            "--news cannot be combined with --snap"
        );
        assert_eq!(
            msg(&[("to-date", &["2026-01-01"])]),
            "--news cannot be combined with --from-date or --to-date"
        );
        assert_eq!(
            msg(&[("verbatim", &[])]),
            "--news cannot be combined with --verbatim"
        );
        assert_eq!(
            msg(&[("personalized", &[])]),
            "--news cannot be combined with --personalized or --no-personalized"
        );
        assert_eq!(
            msg(&[("follow", &["1"])]),
            "--news cannot be combined with --follow"
        );
        assert_eq!(
            msg(&[("template", &["x"])]),
            "--news cannot be combined with --template"
        );
        assert_eq!(
            msg(&[("time", &["year"])]),
            "--time year is not supported with --news (only day, week, or month)"
        );
        assert_eq!(
            msg(&[("order", &["trackers"])]),
            "--order trackers is not supported with --news (use default, recency, or website)"
        );
        let q = news(&[
            ("region", &["us"]),
            ("time", &["day"]),
            ("order", &["website"]),
        ])
        .unwrap();
        let dbg = format!("{:?}", q.request());
        assert!(
            dbg.contains(r#"[("q", "iran"), ("r", "us"), ("freshness", "day"), ("order", "3")]"#),
            "{dbg}"
        );
        let q = news(&[("order", &["default"])]).unwrap();
        assert!(format!("{:?}", q.request()).contains(r#"("order", "1")"#));
    }

    fn avail(session: bool, api: bool, prefer_api: bool) -> Available {
        Available {
            session,
            api,
            prefer_api,
        }
    }

    #[test]
    fn base_search_resolution() {
        let p = |a, need| plan(a, need);
        // Session preferred (the default).
        assert_eq!(
            p(avail(true, true, false), None).unwrap(),
            Plan {
                primary: Route::Session,
                fallback: false
            }
        );
        assert_eq!(
            p(avail(false, true, false), None).unwrap(),
            Plan {
                primary: Route::Api,
                fallback: false
            }
        );
        // API preferred: fall back to the session only when one exists.
        assert_eq!(
            p(avail(true, true, true), None).unwrap(),
            Plan {
                primary: Route::Api,
                fallback: true
            }
        );
        assert_eq!(
            p(avail(false, true, true), None).unwrap(),
            Plan {
                primary: Route::Api,
                fallback: false
            }
        );
        assert_eq!(
            p(avail(true, false, true), None).unwrap(),
            Plan {
                primary: Route::Session,
                fallback: false
            }
        );
        let e = p(avail(false, false, false), None).unwrap_err();
        assert_eq!(e.message, missing_credentials());
        assert_eq!(e.class, ErrorClass::Config);
        // Lens, filters and news ignore the preference.
        for need in [SessionNeed::Lens, SessionNeed::Filters, SessionNeed::News] {
            assert_eq!(
                p(avail(true, true, true), Some(need)).unwrap(),
                Plan {
                    primary: Route::Session,
                    fallback: false
                }
            );
            let e = p(avail(false, true, true), Some(need)).unwrap_err();
            assert_eq!(e.message, need.message());
        }
        assert!(
            SessionNeed::Lens
                .message()
                .starts_with("lens search requires KAGI_SESSION_TOKEN")
        );
    }

    #[test]
    fn api_refusals_allow_fallback_and_keep_their_class() {
        let refused = |status: u16, body: &[u8]| api_outcome(status, body).unwrap_err();
        let f = refused(401, br#"{"error":[{"code":401,"msg":"Invalid token"}]}"#);
        assert!(f.refused_by_api);
        assert_eq!(f.error.class, ErrorClass::Auth);
        assert!(
            f.error.message.starts_with(
                "Kagi Search API rejected the API token: HTTP 401 Unauthorized; Invalid token"
            ),
            "{}",
            f.error.message
        );
        let f = refused(
            402,
            br#"{"error":[{"code":101,"msg":"Insufficient credit to perform this request."}]}"#,
        );
        assert!(f.refused_by_api);
        assert_eq!(f.error.class, ErrorClass::Config);
        assert_eq!(
            f.error.message,
            "Kagi Search API request rejected: HTTP 402 Payment Required; Insufficient credit to perform this request."
        );
        let f = refused(429, b"");
        assert!(f.refused_by_api);
        assert_eq!(f.error.class, ErrorClass::Network);
        let f = refused(503, b"");
        assert!(!f.refused_by_api, "5xx never falls back");
        assert_eq!(f.error.class, ErrorClass::Network);
        let f = refused(200, b"{not json");
        assert!(!f.refused_by_api);
        assert_eq!(f.error.class, ErrorClass::Parse);
    }

    #[test]
    fn session_pages() {
        let logged_out = b"<html><title>Kagi Search - A Premium Search Engine</title><h1>Welcome to Kagi</h1><p>the paid search engine that gives power back to the user</p></html>";
        let e = outcome(Route::Session, 200, logged_out).unwrap_err();
        assert_eq!(e.error.class, ErrorClass::Auth);
        assert!(!e.refused_by_api);
        let e = outcome(Route::Session, 200, b"\xff\xfe garbage").unwrap_err();
        assert_eq!(e.error.class, ErrorClass::Parse);
        let e = outcome(Route::Session, 429, b"<html>slow down</html>").unwrap_err();
        assert_eq!(e.error.class, ErrorClass::Network);
        let empty = outcome(
            Route::Session,
            200,
            b"<!DOCTYPE html><html><body><div class=\"no-results\">No results</div></body></html>",
        )
        .unwrap();
        assert!(empty.data.is_empty());
        let e = news_outcome("q", 200, logged_out).unwrap_err();
        assert_eq!(e.class, ErrorClass::Auth);
    }
}
