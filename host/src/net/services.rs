//! Kagi's services: one table of names, base-URL variables and defaults, and
//! the base URLs in force for this run.

use crate::error::{Error, Result};
use url::Url;

/// One Kagi service a plugin can name: its name, the variable that overrides
/// its base URL, and the default base URL.
#[derive(Debug)]
pub struct ServiceSpec {
    pub name: &'static str,
    pub env: &'static str,
    pub default_url: &'static str,
}

/// Every service the host knows. A new Kagi service is one more row here: no
/// plugin API type changes, and plugins name it by string.
pub const SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        name: "kagi",
        env: "KAGI_BASE_URL",
        default_url: "https://kagi.com",
    },
    ServiceSpec {
        name: "news",
        env: "KAGI_NEWS_BASE_URL",
        default_url: "https://news.kagi.com",
    },
    ServiceSpec {
        name: "translate",
        env: "KAGI_TRANSLATE_BASE_URL",
        default_url: "https://translate.kagi.com",
    },
];

/// A service of [`SERVICES`] (only constructed from that table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Service(&'static str);

impl Service {
    pub const KAGI: Service = Service("kagi");

    /// The service called `name`, if the host knows it.
    pub fn named(name: &str) -> Option<Service> {
        SERVICES
            .iter()
            .find(|s| s.name == name)
            .map(|s| Service(s.name))
    }

    pub fn name(self) -> &'static str {
        self.0
    }

    /// The names the host knows, for messages: `kagi, news, translate`.
    pub fn known_names() -> String {
        SERVICES
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The base URL of every service.
#[derive(Debug, Clone)]
pub struct Bases {
    pub(super) urls: Vec<(Service, Url)>,
}

impl Bases {
    /// From each service's variable (KAGI_BASE_URL, KAGI_NEWS_BASE_URL, ...), or its default.
    pub fn from_env() -> Result<Bases> {
        let read = |var: &str, default: &str| -> Result<Url> {
            let value = std::env::var(var).unwrap_or_default();
            let value = value.trim().trim_end_matches('/');
            let value = if value.is_empty() { default } else { value };
            let url = Url::parse(value)
                .map_err(|e| Error::Config(format!("{var} is not a valid URL (`{value}`): {e}")))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(Error::Config(format!(
                    "{var} must be an http or https URL, got `{value}`"
                )));
            }
            Ok(url)
        };
        let urls = SERVICES
            .iter()
            .map(|s| Ok((Service(s.name), read(s.env, s.default_url)?)))
            .collect::<Result<_>>()?;
        Ok(Bases { urls })
    }

    pub fn get(&self, service: Service) -> &Url {
        self.urls
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, url)| url)
            .expect("every service of the table has a base URL")
    }

    /// Every service's base URL.
    pub fn all(&self) -> impl Iterator<Item = &Url> {
        self.urls.iter().map(|(_, url)| url)
    }

    /// `base + path` (the base may carry a path prefix) plus query pairs.
    pub fn resolve(
        &self,
        service: Service,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Url, String> {
        if !path.is_empty() && !path.starts_with('/') {
            return Err(format!("request path `{path}` must start with `/`"));
        }
        let base = self.get(service).as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{path}"))
            .map_err(|e| format!("bad request path `{path}`: {e}"))?;
        append_query(&mut url, query);
        Ok(url)
    }
}

pub fn append_query(url: &mut Url, query: &[(String, String)]) {
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
}
