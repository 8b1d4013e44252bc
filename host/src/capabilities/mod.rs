//! What a plugin may do, decided and checked in one place.
//!
//! A plugin's manifest asks; the host grants. Built-in plugins are trusted with
//! what they declare. An administrator's policy can only narrow what is granted.
//! Every host function that touches the outside world asks this module first.

mod account;
mod capability;
mod command;
mod destinations;
mod policy;

pub use account::normalised_path;
pub use capability::{Capability, HostGrant, requested};
use capability::{declared, kind};
pub use destinations::admit_destination;
pub use policy::Policy;

use crate::auth::Kind;
use crate::error::{Error, Result};
use crate::net::{Bases, HopCheck, NetError, Service};
use kagi_manifest::Manifest;
use kagi_manifest::settings_area::{is_account_path, is_settings_path, path_is_within};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Default limits for one command.
pub use kagi_manifest::{DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECS};
pub const MAX_MEMORY_MB: u64 = 2048;
/// stdout plus stderr a plugin may write in one run.
pub const MAX_OUTPUT_BYTES: u64 = 256 * 1024 * 1024;
/// Core wasm instances, linear memories and tables one plugin may create. A
/// Rust plugin built for wasm32-wasip2 uses 3, 1 and 2 (its module, the WASI
/// adapter and the shims that glue them); the caps leave room for components
/// composed of several, while their memory stays bounded by the memory limit.
pub const MAX_INSTANCES: usize = 32;
pub const MAX_MEMORIES: usize = 8;
pub const MAX_TABLES: usize = 32;
/// HTTP requests a plugin may have in flight (sent, response head not yet
/// received); more wait for a free slot.
pub const MAX_IN_FLIGHT_REQUESTS: usize = 16;
/// Resource handles (responses, pending requests, locks, progress bars, WASI
/// streams) a plugin may hold at once.
pub const MAX_HANDLES: usize = 256;
/// What `stdin.read-all` and `stdin.read-line` may return.
pub const MAX_STDIN_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_STDIN_LINE_BYTES: u64 = 1024 * 1024;
/// Storage one plugin may use.
pub const STORAGE_QUOTA_BYTES: u64 = 64 * 1024 * 1024;
pub const STORAGE_QUOTA_KEYS: u64 = 10_000;

/// WASI interfaces a plugin may import: no filesystem, no sockets.
const ALLOWED_WASI: &[&str] = &["wasi:cli/", "wasi:io/", "wasi:clocks/", "wasi:random/"];

/// Why an import is refused, in words a user understands.
fn forbidden_reason(import: &str) -> Option<&'static str> {
    if import.starts_with("wasi:filesystem/") {
        Some("filesystem access")
    } else if import.starts_with("wasi:sockets/") {
        Some("network sockets")
    } else if import.starts_with("wasi:http/") {
        Some("direct HTTP (plugins reach the network only through kagi:plugin/http)")
    } else {
        None
    }
}

/// Checks a component's imports before it is instantiated, naming every
/// capability it asked for that kagi does not grant.
pub fn check_imports<'a>(plugin: &str, imports: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut refused: Vec<String> = Vec::new();
    let mut reasons: Vec<&str> = Vec::new();
    for import in imports {
        let reason = match forbidden_reason(import) {
            Some(reason) => reason,
            None if import.starts_with("kagi:plugin/")
                || ALLOWED_WASI.iter().any(|p| import.starts_with(p)) =>
            {
                continue;
            }
            None => "an interface kagi does not provide",
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
            refused.push(format!("`{import}` ({reason})"));
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    Err(Error::PluginDenied {
        plugin: plugin.to_string(),
        reason: format!(
            "was refused at load: it imports {}, which kagi does not grant to plugins",
            refused.join(" and ")
        ),
    })
}

/// Refuses a plugin built for a plugin API this host does not speak, or
/// naming a service this host does not know.
pub fn check_api(manifest: &Manifest) -> Result<()> {
    let denied = |reason: String| Error::PluginDenied {
        plugin: manifest.name.clone(),
        reason,
    };
    if crate::api_versions::api_binding(&manifest.api).is_none() {
        return Err(denied(format!(
            "was built for plugin API {} but this kagi speaks {}; rebuild it against a matching kagi-plugin-sdk",
            manifest.api,
            crate::api_versions::API_VERSIONS.join(" and ")
        )));
    }
    if let Some(unknown) = manifest
        .capabilities
        .services
        .iter()
        .find(|s| Service::named(s).is_none())
    {
        return Err(denied(format!(
            "asks for the service `{unknown}`, which this kagi does not know (it knows {}); update kagi or the plugin",
            Service::known_names()
        )));
    }
    Ok(())
}

/// Limits in force for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub memory_bytes: u64,
    /// None: no wall-clock limit (long-running commands that asked for it).
    pub timeout: Option<Duration>,
    /// CPU time of the plugin's thread (see `runtime::cpu_budget`).
    pub cpu: Duration,
}

/// Why a declared capability is not in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withheld {
    NotGranted,
    Policy,
    /// The plugin declares it, but the command being run (this path) does not.
    NotDeclaredByCommand(String),
}

/// What one plugin is granted for this run.
#[derive(Debug, Clone)]
pub struct Grants {
    pub plugin: String,
    /// Capabilities in force.
    pub allowed: BTreeSet<Capability>,
    /// Declared capabilities that are not in force, and why.
    pub withheld: BTreeMap<Capability, Withheld>,
    pub limits: Limits,
    /// A `kagi plugin test` run: grants come from its flags, not `plugin grant`.
    test_run: bool,
    /// The settings it declares, the only ones the host answers; none for a
    /// plugin built for API 0.1, which could not declare them.
    pub settings: Option<Vec<kagi_manifest::SettingSpec>>,
    /// The policy's maximum limits, for [`Grants::for_command`].
    ceilings: command::Ceilings,
    /// Origins the user named as destinations for this run (see `destinations`).
    destinations: Vec<url::Origin>,
    destination_rule: destinations::DestinationRule,
    /// The settings pages it may use with its credentials
    /// (`capabilities.account-settings`), and who lists them, for denials.
    settings_pages: SettingsPages,
}

/// The paths a plugin, or the command being run, lists under
/// `capabilities.account-settings`.
#[derive(Debug, Clone)]
struct SettingsPages {
    paths: Vec<String>,
    /// `its manifest`, or `the command \`lens list\``.
    listed_by: String,
}

impl SettingsPages {
    fn of(caps: &kagi_manifest::Capabilities, listed_by: String) -> SettingsPages {
        SettingsPages {
            paths: caps
                .account_settings
                .as_ref()
                .map(|s| s.paths.clone())
                .unwrap_or_default(),
            listed_by,
        }
    }
}

impl Grants {
    /// `approved`: what the user granted an installed plugin; `None` for a
    /// built-in plugin, which is trusted with what it declares. The policy
    /// narrows both.
    pub fn new(
        manifest: &Manifest,
        approved: Option<&BTreeSet<Capability>>,
        policy: &Policy,
    ) -> Grants {
        let mut allowed = BTreeSet::new();
        let mut withheld = BTreeMap::new();
        for cap in requested(manifest) {
            if policy.forbids(&cap) {
                withheld.insert(cap, Withheld::Policy);
            } else if approved.is_some_and(|a| !a.contains(&cap)) {
                withheld.insert(cap, Withheld::NotGranted);
            } else {
                allowed.insert(cap);
            }
        }
        let ceilings = command::Ceilings::of(policy);
        let limits = command::limits_for(
            &manifest.limits,
            allowed.contains(&Capability::Limits),
            &ceilings,
        );
        Grants {
            plugin: manifest.name.clone(),
            allowed,
            withheld,
            test_run: false,
            destinations: Vec::new(),
            destination_rule: destinations::DestinationRule::of(policy),
            settings: (!manifest.predates_0_2()).then(|| manifest.settings.clone()),
            settings_pages: SettingsPages::of(&manifest.capabilities, "its manifest".into()),
            ceilings,
            limits,
        }
    }

    /// The grants of a `kagi plugin test` run, whose denials say which flag grants.
    pub fn for_test_run(mut self) -> Grants {
        self.test_run = true;
        self
    }

    pub fn has(&self, cap: &Capability) -> bool {
        self.allowed.contains(cap)
    }

    /// Denies `cap`, saying why and what would change that.
    fn check(&self, cap: Capability, attempt: &str) -> Result<()> {
        if self.allowed.contains(&cap) {
            return Ok(());
        }
        let why = match self.withheld.get(&cap) {
            None => "its manifest does not declare it".to_string(),
            Some(Withheld::Policy) => "the administrator's policy forbids it".to_string(),
            Some(Withheld::NotDeclaredByCommand(command)) => {
                format!("the command `{command}` does not declare it")
            }
            Some(Withheld::NotGranted) if self.test_run => {
                format!("you did not grant it (pass `--grant {cap}` to `kagi plugin test`)")
            }
            Some(Withheld::NotGranted) => {
                format!(
                    "you have not granted it (`kagi plugin grant {} {cap}`)",
                    self.plugin
                )
            }
        };
        Err(Error::PluginDenied {
            plugin: self.plugin.clone(),
            reason: format!("{attempt} ({cap}), which it was not granted: {why}"),
        })
    }

    pub fn check_service(&self, s: Service) -> Result<()> {
        self.check(
            Capability::Service(s),
            &format!("tried to reach the `{}` service", s.name()),
        )
    }

    pub fn check_credential(&self, k: Kind) -> Result<()> {
        let name = match k {
            Kind::Session => "session",
            Kind::Api => "api",
        };
        self.check(
            Capability::Credential(k),
            &format!("asked for the `{name}` credential"),
        )
    }

    /// An absolute URL target: http(s) to a granted host, never with a credential.
    pub fn check_url(&self, url: &Url, with_credential: bool) -> Result<()> {
        let denied = |reason: String| Error::PluginDenied {
            plugin: self.plugin.clone(),
            reason,
        };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(denied(format!(
                "tried to reach `{url}`; only http and https URLs are allowed"
            )));
        }
        if with_credential {
            return Err(denied(format!(
                "tried to send a credential to `{}`; credentials only go to Kagi's services",
                url.origin().ascii_serialization()
            )));
        }
        if self.host_granted(url) {
            return Ok(());
        }
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let https_only = Capability::Host(HostGrant {
            name: host.clone(),
            http: false,
        });
        if url.scheme() == "http" && self.allowed.contains(&https_only) {
            return Err(denied(format!(
                "tried to reach `{host}` over plain http, which it was not granted: its grant {https_only} means https only (the manifest must declare `http://{host}`)"
            )));
        }
        // Name the declared grant that would have covered it, if any, so the
        // reason (not granted, policy) is the right one.
        let cap = self
            .withheld
            .keys()
            .find(|c| matches!(c, Capability::Host(g) if g.covers(url)))
            .cloned()
            .unwrap_or(Capability::Host(HostGrant {
                name: host.clone(),
                http: url.scheme() == "http",
            }));
        self.check(cap, &format!("tried to reach `{host}`"))
    }

    fn host_granted(&self, url: &Url) -> bool {
        self.is_destination(url)
            || self
                .allowed
                .iter()
                .any(|c| matches!(c, Capability::Host(g) if g.covers(url)))
    }

    /// A request that carries a credential to `url` on a service based at
    /// `base`: account pages need the `account` capability; other settings
    /// pages, `account-settings` listing them.
    pub fn check_account(&self, url: &Url, base: &Url) -> Result<()> {
        self.account_check(url, base, false)
    }

    fn account_check(&self, url: &Url, base: &Url, redirected: bool) -> Result<()> {
        let path = normalised_path(url, base);
        // The raw path, still percent-encoded: safe to print.
        let shown = url.path();
        if is_account_path(&path) {
            let how = if redirected {
                "was redirected to"
            } else {
                "tried to open"
            };
            return self.check(
                Capability::Account,
                &format!("{how} the account page `{shown}` with your credentials"),
            );
        }
        if !is_settings_path(&path) {
            return Ok(());
        }
        let attempt = if redirected {
            format!("was redirected to the Kagi settings page `{shown}`, which it may not use")
        } else {
            format!("may not use the Kagi settings page `{shown}`")
        };
        let pages = &self.settings_pages;
        if !pages.paths.iter().any(|p| path_is_within(&path, p)) {
            return Err(Error::PluginDenied {
                plugin: self.plugin.clone(),
                reason: format!(
                    "{attempt}: {} does not list it under capabilities.account-settings",
                    pages.listed_by
                ),
            });
        }
        self.check(
            Capability::AccountSettings,
            &format!("{attempt} with your credentials"),
        )
    }

    /// Any use of the network: a plugin needs a service or a host for it.
    pub fn check_network(&self) -> Result<()> {
        let reaches = |c: &Capability| matches!(c, Capability::Service(_) | Capability::Host(_));
        // A destination the user named for this run counts as a host.
        if self.allowed.iter().any(reaches) || !self.destinations.is_empty() {
            return Ok(());
        }
        // Name the first declared one that was withheld, so the reason is right.
        match self.withheld.keys().find(|c| reaches(c)) {
            Some(cap) => self.check(cap.clone(), "used the network"),
            None => Err(Error::PluginDenied {
                plugin: self.plugin.clone(),
                reason: "used the network, which it was not granted: its manifest declares no service or host".into(),
            }),
        }
    }

    pub fn check_storage(&self) -> Result<()> {
        self.check(Capability::Storage, "used storage")
    }

    pub fn check_stdin(&self) -> Result<()> {
        self.check(Capability::Stdin, "read stdin")
    }

    /// Whether a credential kind is in force (for `credentials.get`).
    pub fn has_credential(&self, k: Kind) -> bool {
        self.has(&Capability::Credential(k))
    }

    /// Which URLs a redirect may lead to: the granted services' origins and
    /// granted hosts; and, while the credential still travels, no account page
    /// unless `account` is granted.
    pub fn hop_check(&self, bases: &Bases) -> HopCheck {
        let services: Vec<Url> = self
            .allowed
            .iter()
            .filter_map(|c| match c {
                Capability::Service(s) => Some(bases.get(*s).clone()),
                _ => None,
            })
            .collect();
        let grants = self.clone();
        Arc::new(move |url: &Url, with_credential: bool| {
            let service = services.iter().find(|b| b.origin() == url.origin());
            if service.is_none() && !grants.host_granted(url) {
                return Err(NetError::Transport(format!(
                    "redirected to {}, which this plugin may not reach",
                    url.origin().ascii_serialization()
                )));
            }
            if let (Some(base), true) = (service, with_credential)
                && let Err(Error::PluginDenied { reason, .. }) =
                    grants.account_check(url, base, true)
            {
                return Err(NetError::Denied(reason));
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_manifest::Credential;

    fn is_account_page(url: &Url, base: &Url) -> bool {
        is_account_path(&normalised_path(url, base))
    }

    fn is_settings_page(url: &Url, base: &Url) -> bool {
        is_settings_path(&normalised_path(url, base))
    }

    fn manifest(extra: &str) -> Manifest {
        Manifest::parse(&format!(
            "api = \"0.1.0\"\nname = \"demo\"\n{extra}\n[[commands]]\nname = \"demo\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn refuses_filesystem_and_sockets() {
        assert!(
            check_imports(
                "p",
                ["wasi:cli/environment@0.2.6", "kagi:plugin/http@0.1.0"]
            )
            .is_ok()
        );
        let e = check_imports("p", ["wasi:filesystem/types@0.2.6"]).unwrap_err();
        assert!(e.to_string().contains("filesystem access"), "{e}");
        let e = check_imports("p", ["wasi:sockets/tcp@0.2.6"]).unwrap_err();
        assert!(e.to_string().contains("network sockets"), "{e}");
        assert!(check_imports("p", ["acme:evil/thing"]).is_err());
    }

    #[test]
    fn policy_only_narrows() {
        let m = manifest(
            "[capabilities]\ncredentials = [\"session\", \"api\"]\nhosts = [\"a.example\", \"b.example\"]\n[limits]\nmemory-mb = 512\ntimeout-secs = 0",
        );
        let open = Grants::new(&m, None, &Policy::default());
        assert!(open.has_credential(Kind::Session) && open.has_credential(Kind::Api));
        assert_eq!(open.limits.timeout, None);
        assert_eq!(open.limits.memory_bytes, 512 * 1024 * 1024);
        let policy = Policy {
            forbid_credentials: vec![Credential::Session],
            allowed_hosts: Some(vec!["a.example".into()]),
            max_memory_mb: Some(64),
            max_timeout_secs: Some(5),
            ..Policy::default()
        };
        let narrow = Grants::new(&m, None, &policy);
        let e = narrow.check_credential(Kind::Session).unwrap_err();
        assert!(
            e.to_string()
                .contains("the administrator's policy forbids it"),
            "{e}"
        );
        assert!(narrow.check_credential(Kind::Api).is_ok());
        assert!(narrow.has(&Capability::Host(HostGrant::parse("a.example"))));
        assert!(!narrow.has(&Capability::Host(HostGrant::parse("b.example"))));
        assert_eq!(narrow.limits.memory_bytes, 64 * 1024 * 1024);
        assert_eq!(narrow.limits.timeout, Some(Duration::from_secs(5)));
    }

    #[test]
    fn installed_plugins_get_only_what_was_granted() {
        let m = manifest(
            "[capabilities]\ncredentials = [\"api\"]\nstorage = true\n[limits]\nmemory-mb = 1024",
        );
        let asked = requested(&m);
        assert_eq!(
            asked.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            ["credential:api", "storage", "limits"]
        );
        let approved: BTreeSet<Capability> = [Capability::Storage].into();
        let g = Grants::new(&m, Some(&approved), &Policy::default());
        assert!(g.check_storage().is_ok());
        let e = g.check_credential(Kind::Api).unwrap_err().to_string();
        assert!(e.contains("`kagi plugin grant demo credential:api`"), "{e}");
        assert_eq!(
            g.limits.memory_bytes,
            DEFAULT_MEMORY_MB * 1024 * 1024,
            "limits were not granted"
        );
        let e = g.check_stdin().unwrap_err().to_string();
        assert!(e.contains("its manifest does not declare it"), "{e}");
    }

    #[test]
    fn capabilities_round_trip_through_text() {
        for text in [
            "service:kagi",
            "host:example.com",
            "host:http://example.com",
            "account",
            "account-settings",
            "credential:session",
            "storage",
            "stdin",
            "limits",
        ] {
            assert_eq!(Capability::parse(text).unwrap().to_string(), text);
        }
        assert!(Capability::parse("filesystem").is_err());
    }

    #[test]
    fn urls_need_a_granted_host_and_no_credential() {
        let g = Grants::new(
            &manifest("[capabilities]\nhosts = [\"example.com\"]"),
            None,
            &Policy::default(),
        );
        assert!(
            g.check_url(&Url::parse("https://example.com/x").unwrap(), false)
                .is_ok()
        );
        assert!(
            g.check_url(&Url::parse("https://example.com/x").unwrap(), true)
                .is_err()
        );
        assert!(
            g.check_url(&Url::parse("https://evil.com/").unwrap(), false)
                .is_err()
        );
        assert!(
            g.check_url(&Url::parse("file:///etc/passwd").unwrap(), false)
                .is_err()
        );
    }

    #[test]
    fn host_grants_mean_https_unless_they_say_http() {
        let g = Grants::new(
            &manifest("[capabilities]\nhosts = [\"secure.example\", \"http://plain.example\"]"),
            None,
            &Policy::default(),
        );
        let url = |u: &str| Url::parse(u).unwrap();
        assert!(g.check_url(&url("https://secure.example/"), false).is_ok());
        let e = g
            .check_url(&url("http://secure.example/"), false)
            .unwrap_err();
        assert!(e.to_string().contains("means https only"), "{e}");
        assert!(g.check_url(&url("http://plain.example/"), false).is_ok());
        assert!(g.check_url(&url("https://plain.example/"), false).is_ok());
        assert_eq!(
            HostGrant::parse("HTTPS://Secure.Example"),
            HostGrant::parse("secure.example")
        );
    }

    #[test]
    fn account_pages_are_recognised_however_they_are_spelled() {
        let base = Url::parse("https://kagi.com").unwrap();
        let prefixed = Url::parse("http://127.0.0.1:9/prefix").unwrap();
        let page = |u: &str, b: &Url| is_account_page(&Url::parse(u).unwrap(), b);
        for u in [
            "https://kagi.com/settings/api",
            "https://kagi.com/settings/api/",
            "https://kagi.com/settings/API",
            "https://kagi.com//settings//user_details",
            "https://kagi.com/settings/%75ser_details",
            "https://kagi.com/x/../settings/api",
            "https://kagi.com/settings?p=api",
            "https://kagi.com/settings/billing/invoices",
            "https://kagi.com/logout",
        ] {
            assert!(page(u, &base), "{u}");
        }
        assert!(page("http://127.0.0.1:9/prefix/settings/api", &prefixed));
        for u in [
            "https://kagi.com/settings/apiary",
            "https://kagi.com/settings/lenses",
            "https://kagi.com/api/v0/search",
            "https://kagi.com/settings?p=lenses",
            "https://kagi.com/html/search?q=/settings/api",
        ] {
            assert!(!page(u, &base), "{u}");
        }
    }

    #[test]
    fn account_is_its_own_capability_and_a_policy_can_forbid_it() {
        let m = manifest(
            "[capabilities]\nservices = [\"kagi\"]\ncredentials = [\"session\"]\naccount = true",
        );
        let base = Url::parse("https://kagi.com").unwrap();
        let api = Url::parse("https://kagi.com/settings/api").unwrap();
        assert!(
            Grants::new(&m, None, &Policy::default())
                .check_account(&api, &base)
                .is_ok()
        );
        let approved: BTreeSet<Capability> = [
            Capability::Service(Service::KAGI),
            Capability::Credential(Kind::Session),
        ]
        .into();
        let e = Grants::new(&m, Some(&approved), &Policy::default())
            .check_account(&api, &base)
            .unwrap_err()
            .to_string();
        assert!(e.contains("kagi plugin grant demo account"), "{e}");
        let policy = Policy {
            forbid_account: true,
            ..Policy::default()
        };
        let e = Grants::new(&m, None, &policy)
            .check_account(&api, &base)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the administrator's policy forbids it"), "{e}");
        assert!(
            Capability::Account
                .describe()
                .starts_with("FULL CONTROL OF YOUR KAGI ACCOUNT")
        );
    }

    const SNOOP: &str = "[capabilities]\nservices = [\"kagi\"]\ncredentials = [\"session\"]\n[capabilities.account-settings]\nabout = \"your lenses\"\npaths = [\"/html/settings/lenses\", \"/lenses\"]";

    #[test]
    fn settings_pages_are_recognised_however_they_are_spelled() {
        let base = Url::parse("https://kagi.com").unwrap();
        let prefixed = Url::parse("http://127.0.0.1:9/prefix").unwrap();
        let normal = |u: &str, b: &Url| normalised_path(&Url::parse(u).unwrap(), b);
        for (u, path) in [
            (
                "https://kagi.com/HTML//Settings/%6Censes/",
                "/html/settings/lenses",
            ),
            (
                "https://kagi.com/html/settings/lenses/..%2f..%2f..%2fsettings",
                "/settings",
            ),
            ("https://kagi.com/lenses%5c..%5cbangs", "/bangs"),
            (
                "https://kagi.com/settings?p=custom_bangs",
                "/settings/custom_bangs",
            ),
            (
                "https://kagi.com/settings?p=../../lenses",
                "/settings/lenses",
            ),
            ("https://kagi.com/a/./b/../c", "/a/c"),
        ] {
            assert_eq!(normal(u, &base), path, "{u}");
        }
        assert_eq!(
            normal("http://127.0.0.1:9/prefix/Settings/custom_bangs", &prefixed),
            "/settings/custom_bangs"
        );
        let page = |u: &str| is_settings_page(&Url::parse(u).unwrap(), &base);
        for u in [
            "https://kagi.com/settings/custom_bangs",
            "https://kagi.com/html/settings",
            "https://kagi.com/lenses/update",
            "https://kagi.com/bangs/modify",
            "https://kagi.com/rewrite_rules/toggle",
        ] {
            assert!(page(u), "{u}");
        }
        for u in [
            "https://kagi.com/html/search",
            "https://kagi.com/settingsx",
            "https://kagi.com/lensesx",
            "https://kagi.com/assistant/prompt",
        ] {
            assert!(!page(u), "{u}");
        }
    }

    #[test]
    fn credentialed_settings_pages_need_account_settings_listing_them() {
        let m = manifest(SNOOP);
        let base = Url::parse("https://kagi.com").unwrap();
        let check = |g: &Grants, p: &str| {
            g.check_account(&Url::parse(&format!("https://kagi.com{p}")).unwrap(), &base)
                .map_err(|e| e.to_string())
        };
        let open = Grants::new(&m, None, &Policy::default());
        for allowed in ["/html/settings/lenses", "/lenses/update", "/html/search"] {
            assert!(check(&open, allowed).is_ok(), "{allowed}");
        }
        assert_eq!(
            check(&open, "/settings/custom_bangs").unwrap_err(),
            "plugin denied: plugin `demo` may not use the Kagi settings page `/settings/custom_bangs`: its manifest does not list it under capabilities.account-settings"
        );
        // The account pages stay behind `account`.
        let e = check(&open, "/settings/api").unwrap_err();
        assert!(e.contains("the account page `/settings/api`"), "{e}");
        // A plugin that does not declare it has no settings page at all.
        let bare = Grants::new(
            &manifest("[capabilities]\nservices = [\"kagi\"]\ncredentials = [\"session\"]"),
            None,
            &Policy::default(),
        );
        let e = check(&bare, "/html/settings/lenses").unwrap_err();
        assert!(
            e.ends_with("its manifest does not list it under capabilities.account-settings"),
            "{e}"
        );
        // Not granted, or forbidden by policy: listed, but still refused.
        let approved: BTreeSet<Capability> = [
            Capability::Service(Service::KAGI),
            Capability::Credential(Kind::Session),
        ]
        .into();
        let e = check(
            &Grants::new(&m, Some(&approved), &Policy::default()),
            "/lenses",
        )
        .unwrap_err();
        assert!(
            e.contains("(`kagi plugin grant demo account-settings`)"),
            "{e}"
        );
        let policy = Policy {
            forbid_account_settings: true,
            ..Policy::default()
        };
        let e = check(&Grants::new(&m, None, &policy), "/lenses").unwrap_err();
        assert!(e.ends_with("the administrator's policy forbids it"), "{e}");
        assert!(
            policy
                .summary()
                .contains(&"plugins may not read or change your Kagi settings".to_string())
        );
    }

    #[test]
    fn a_command_uses_only_the_settings_pages_it_lists() {
        let m = Manifest::parse(&format!(
            "api = \"0.2.0\"\nname = \"demo\"\n{SNOOP}\n[[commands]]\nname = \"all\"\n[[commands]]\nname = \"update\"\n[commands.capabilities]\nservices = [\"kagi\"]\ncredentials = [\"session\"]\n[commands.capabilities.account-settings]\nabout = \"your lenses\"\npaths = [\"/lenses/update\"]\n[[commands]]\nname = \"search\"\n[commands.capabilities]\nservices = [\"kagi\"]\ncredentials = [\"session\"]\n"
        ))
        .unwrap();
        let base = Url::parse("https://kagi.com").unwrap();
        let plugin = Grants::new(&m, None, &Policy::default());
        let check = |command: &str, p: &str| {
            plugin
                .for_command(&m, &[command.to_string()])
                .check_account(&Url::parse(&format!("https://kagi.com{p}")).unwrap(), &base)
                .map_err(|e| e.to_string())
        };
        assert!(check("all", "/lenses/delete").is_ok());
        assert!(check("update", "/lenses/update").is_ok());
        let e = check("update", "/lenses/delete").unwrap_err();
        assert!(
            e.ends_with(
                "the command `update` does not list it under capabilities.account-settings"
            ),
            "{e}"
        );
        let e = check("search", "/html/settings/lenses").unwrap_err();
        assert!(
            e.ends_with(
                "the command `search` does not list it under capabilities.account-settings"
            ),
            "{e}"
        );
    }

    #[test]
    fn the_review_describes_the_settings_pages_in_the_plugins_words() {
        let m = manifest(SNOOP);
        assert_eq!(
            Capability::AccountSettings.describe_in(&m),
            "READ AND CHANGE YOUR KAGI SETTINGS: your lenses (pages /html/settings/lenses, /lenses)"
        );
        assert!(requested(&m).contains(&Capability::AccountSettings));
    }
}
