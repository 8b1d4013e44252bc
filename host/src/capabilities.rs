//! What a plugin may do, decided and checked in one place.
//!
//! A plugin's manifest asks; the host grants. Built-in plugins are trusted with
//! what they declare. An administrator's policy can only narrow what is granted.
//! Every host function that touches the outside world asks this module first.

use crate::auth::Kind;
use crate::error::{Error, Result};
use crate::net::{Bases, HostCheck, Service};
use kagi_manifest::{Credential, Manifest};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Default limits for one command.
pub const DEFAULT_MEMORY_MB: u64 = 256;
pub const MAX_MEMORY_MB: u64 = 2048;
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;
pub const DEFAULT_CPU_GIGA: u64 = 50;
/// stdout plus stderr a plugin may write in one run.
pub const MAX_OUTPUT_BYTES: u64 = 256 * 1024 * 1024;

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

/// Refuses a plugin built for a plugin API this host does not speak.
pub fn check_api(manifest: &Manifest) -> Result<()> {
    if kagi_manifest::api_compatible(&manifest.api, kagi_manifest::API_VERSION) {
        return Ok(());
    }
    Err(Error::PluginDenied {
        plugin: manifest.name.clone(),
        reason: format!(
            "was built for plugin API {} but this kagi speaks {}; rebuild it against a matching kagi-plugin-sdk",
            manifest.api,
            kagi_manifest::API_VERSION
        ),
    })
}

/// Limits in force for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub memory_bytes: u64,
    /// None: no wall-clock limit (long-running commands that asked for it).
    pub timeout: Option<Duration>,
    pub fuel: u64,
}

/// An administrator's policy: it can only narrow. Read from `KAGI_POLICY`
/// (a file path) or the system-wide `/etc/kagi/policy.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Policy {
    /// `false` forbids installing or running third-party plugins.
    #[serde(default)]
    pub allow_third_party: Option<bool>,
    #[serde(default)]
    pub forbid_credentials: Vec<Credential>,
    /// When set, absolute-URL hosts must be in this list.
    #[serde(default)]
    pub allowed_hosts: Option<Vec<String>>,
    #[serde(default)]
    pub max_memory_mb: Option<u64>,
    #[serde(default)]
    pub max_timeout_secs: Option<u64>,
    #[serde(default)]
    pub max_cpu_gigainstructions: Option<u64>,
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

impl Policy {
    pub fn load() -> Result<Policy> {
        let path = match std::env::var_os("KAGI_POLICY").filter(|v| !v.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => {
                let system = PathBuf::from("/etc/kagi/policy.toml");
                if !system.exists() {
                    return Ok(Policy::default());
                }
                system
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Config(format!(
                "cannot read the kagi policy file {}: {e}",
                path.display()
            ))
        })?;
        let mut policy: Policy = toml::from_str(&text).map_err(|e| {
            Error::Config(format!(
                "the kagi policy file {} is invalid: {}",
                path.display(),
                e.message()
            ))
        })?;
        policy.source = Some(path);
        Ok(policy)
    }
}

/// One thing a manifest can ask for, named the way users grant it:
/// `service:kagi`, `host:example.com`, `credential:api`, `storage`, `stdin`,
/// `limits` (more memory, time or CPU than the defaults).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    Service(Service),
    Host(String),
    Credential(Kind),
    Storage,
    Stdin,
    Limits,
}

impl Capability {
    pub fn parse(text: &str) -> std::result::Result<Capability, String> {
        let text = text.trim();
        let parsed = match text.split_once(':') {
            Some(("service", "kagi")) => Capability::Service(Service::Kagi),
            Some(("service", "news")) => Capability::Service(Service::News),
            Some(("service", "translate")) => Capability::Service(Service::Translate),
            Some(("host", host)) if !host.is_empty() => Capability::Host(host.to_ascii_lowercase()),
            Some(("credential", "session")) => Capability::Credential(Kind::Session),
            Some(("credential", "api")) => Capability::Credential(Kind::Api),
            None if text == "storage" => Capability::Storage,
            None if text == "stdin" => Capability::Stdin,
            None if text == "limits" => Capability::Limits,
            _ => {
                return Err(format!(
                    "unknown capability `{text}`; use service:kagi|news|translate, host:NAME, credential:session|api, storage, stdin or limits"
                ));
            }
        };
        Ok(parsed)
    }

    /// What granting it allows, for people deciding.
    pub fn describe(&self) -> String {
        match self {
            Capability::Service(s) => format!("talk to Kagi's `{}` service", s.name()),
            Capability::Host(h) => format!("reach https://{h} directly (never with your credentials)"),
            Capability::Credential(Kind::Session) => {
                "have your Kagi session attached to its requests to Kagi (it never sees the token)".into()
            }
            Capability::Credential(Kind::Api) => {
                "have your API token attached to its requests to Kagi (it never sees the token; API calls cost credit)".into()
            }
            Capability::Storage => "keep its own files in kagi's data directory".into(),
            Capability::Stdin => "read what you pipe into kagi".into(),
            Capability::Limits => "use more memory, time or CPU than the defaults".into(),
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capability::Service(s) => write!(f, "service:{}", s.name()),
            Capability::Host(h) => write!(f, "host:{h}"),
            Capability::Credential(Kind::Session) => f.write_str("credential:session"),
            Capability::Credential(Kind::Api) => f.write_str("credential:api"),
            Capability::Storage => f.write_str("storage"),
            Capability::Stdin => f.write_str("stdin"),
            Capability::Limits => f.write_str("limits"),
        }
    }
}

fn service(s: kagi_manifest::Service) -> Service {
    match s {
        kagi_manifest::Service::Kagi => Service::Kagi,
        kagi_manifest::Service::News => Service::News,
        kagi_manifest::Service::Translate => Service::Translate,
    }
}

fn kind(c: Credential) -> Kind {
    match c {
        Credential::Session => Kind::Session,
        Credential::Api => Kind::Api,
    }
}

/// Everything a manifest asks for.
pub fn requested(manifest: &Manifest) -> BTreeSet<Capability> {
    let caps = &manifest.capabilities;
    let mut set = BTreeSet::new();
    set.extend(
        caps.services
            .iter()
            .map(|s| Capability::Service(service(*s))),
    );
    set.extend(
        caps.hosts
            .iter()
            .map(|h| Capability::Host(h.to_ascii_lowercase())),
    );
    set.extend(
        caps.credentials
            .iter()
            .map(|c| Capability::Credential(kind(*c))),
    );
    if caps.storage {
        set.insert(Capability::Storage);
    }
    if caps.stdin {
        set.insert(Capability::Stdin);
    }
    let l = &manifest.limits;
    if l.memory_mb.is_some_and(|m| m > DEFAULT_MEMORY_MB)
        || l.timeout_secs
            .is_some_and(|t| t == 0 || t > DEFAULT_TIMEOUT_SECS)
        || l.cpu_gigainstructions.is_some_and(|c| c > DEFAULT_CPU_GIGA)
    {
        set.insert(Capability::Limits);
    }
    set
}

/// Why a declared capability is not in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withheld {
    NotGranted,
    Policy,
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
}

impl Policy {
    /// Whether the policy forbids `cap` outright.
    pub fn forbids(&self, cap: &Capability) -> bool {
        match cap {
            Capability::Credential(k) => self.forbid_credentials.iter().any(|c| kind(*c) == *k),
            Capability::Host(h) => self
                .allowed_hosts
                .as_ref()
                .is_some_and(|allowed| !allowed.iter().any(|a| a.eq_ignore_ascii_case(h))),
            _ => false,
        }
    }

    /// A line per restriction, for `kagi plugin list`.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.allow_third_party == Some(false) {
            lines.push("third-party plugins are not allowed".to_string());
        }
        if !self.forbid_credentials.is_empty() {
            let names: Vec<&str> = self.forbid_credentials.iter().map(|c| c.as_str()).collect();
            lines.push(format!(
                "credentials forbidden to plugins: {}",
                names.join(", ")
            ));
        }
        if let Some(hosts) = &self.allowed_hosts {
            lines.push(format!(
                "hosts plugins may reach: {}",
                if hosts.is_empty() {
                    "none".to_string()
                } else {
                    hosts.join(", ")
                }
            ));
        }
        if let Some(m) = self.max_memory_mb {
            lines.push(format!("memory at most {m} MiB"));
        }
        if let Some(t) = self.max_timeout_secs {
            lines.push(format!("time at most {t} s"));
        }
        if let Some(c) = self.max_cpu_gigainstructions {
            lines.push(format!("CPU at most {c} billion instructions"));
        }
        lines
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
        let extra = allowed.contains(&Capability::Limits);
        let l = &manifest.limits;
        let memory_mb = if extra {
            l.memory_mb.unwrap_or(DEFAULT_MEMORY_MB)
        } else {
            l.memory_mb
                .unwrap_or(DEFAULT_MEMORY_MB)
                .min(DEFAULT_MEMORY_MB)
        }
        .clamp(16, MAX_MEMORY_MB)
        .min(policy.max_memory_mb.unwrap_or(u64::MAX));
        let asked_timeout = l.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        let timeout_secs = match asked_timeout {
            0 if extra => policy.max_timeout_secs,
            0 => Some(DEFAULT_TIMEOUT_SECS.min(policy.max_timeout_secs.unwrap_or(u64::MAX))),
            n => {
                let n = if extra {
                    n
                } else {
                    n.min(DEFAULT_TIMEOUT_SECS)
                };
                Some(n.min(policy.max_timeout_secs.unwrap_or(u64::MAX)))
            }
        };
        let cpu = l.cpu_gigainstructions.unwrap_or(DEFAULT_CPU_GIGA);
        let cpu = if extra {
            cpu
        } else {
            cpu.min(DEFAULT_CPU_GIGA)
        }
        .min(policy.max_cpu_gigainstructions.unwrap_or(u64::MAX));
        Grants {
            plugin: manifest.name.clone(),
            allowed,
            withheld,
            limits: Limits {
                memory_bytes: memory_mb * 1024 * 1024,
                timeout: timeout_secs.map(Duration::from_secs),
                fuel: cpu.saturating_mul(1_000_000_000),
            },
        }
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
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        self.check(
            Capability::Host(host.clone()),
            &format!("tried to reach `{host}`"),
        )
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

    /// Which URLs a redirect may lead to: the granted services' origins and granted hosts.
    pub fn host_check(&self, bases: &Bases) -> HostCheck {
        let mut origins = Vec::new();
        let mut hosts = Vec::new();
        for cap in &self.allowed {
            match cap {
                Capability::Service(s) => origins.push(bases.get(*s).origin()),
                Capability::Host(h) => hosts.push(h.clone()),
                _ => {}
            }
        }
        Arc::new(move |url: &Url| {
            origins.contains(&url.origin())
                || url
                    .host_str()
                    .is_some_and(|h| hosts.iter().any(|g| g.eq_ignore_ascii_case(h)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(narrow.has(&Capability::Host("a.example".into())));
        assert!(!narrow.has(&Capability::Host("b.example".into())));
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
}
