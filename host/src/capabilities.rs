//! What a plugin may do, decided and checked in one place.
//!
//! A plugin's manifest asks; the host grants. Built-in plugins are trusted with
//! what they declare. An administrator's policy can only narrow what is granted.
//! Every host function that touches the outside world asks this module first.

use crate::auth::Kind;
use crate::error::{Error, Result};
use crate::net::{Bases, HopCheck, NetError, Service};
use kagi_manifest::{Credential, Manifest};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
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
/// CPU budget a sleep gives back per second actually slept (capped at the
/// budget): sleeping makes room for more work, `sleep-ms(0)` does not.
pub const FUEL_PER_SECOND_SLEPT: u64 = 1_000_000_000;

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

/// An administrator's policy: it can only narrow. Read from the system-wide
/// `/etc/kagi/policy.toml`, narrowed further by the file `KAGI_POLICY` names:
/// the variable can add restrictions, never lift the administrator's.
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
    /// `true` forbids the account pages to every plugin.
    #[serde(default)]
    pub forbid_account: bool,
    /// The files it was read from, the system-wide one first.
    #[serde(skip)]
    pub sources: Vec<PathBuf>,
}

/// The administrator's policy file.
pub const SYSTEM_POLICY: &str = "/etc/kagi/policy.toml";

impl Policy {
    pub fn load() -> Result<Policy> {
        let extra = std::env::var_os("KAGI_POLICY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        Policy::load_from(Path::new(SYSTEM_POLICY), extra.as_deref())
    }

    /// The policy in `system` (if that file exists) narrowed by the one in
    /// `extra` (which must exist).
    fn load_from(system: &Path, extra: Option<&Path>) -> Result<Policy> {
        // Only a file that is not there means no policy; one kagi cannot
        // read is an error, not a way around it.
        let mut policy = match std::fs::symlink_metadata(system) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Policy::default(),
            _ => Policy::read(system)?,
        };
        if let Some(extra) = extra {
            policy = policy.narrowed_by(Policy::read(extra)?);
        }
        Ok(policy)
    }

    fn read(path: &Path) -> Result<Policy> {
        let text = std::fs::read_to_string(path).map_err(|e| {
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
        policy.sources = vec![path.to_path_buf()];
        Ok(policy)
    }

    /// What both policies allow: each restriction of either holds.
    fn narrowed_by(self, other: Policy) -> Policy {
        let min = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let allow_third_party = match (self.allow_third_party, other.allow_third_party) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (a, b) => a.or(b),
        };
        let mut forbid_credentials = self.forbid_credentials;
        for c in other.forbid_credentials {
            if !forbid_credentials.contains(&c) {
                forbid_credentials.push(c);
            }
        }
        let allowed_hosts = match (self.allowed_hosts, other.allowed_hosts) {
            (Some(a), Some(b)) => Some(
                a.into_iter()
                    .filter(|h| b.iter().any(|o| o.eq_ignore_ascii_case(h)))
                    .collect(),
            ),
            (a, b) => a.or(b),
        };
        Policy {
            allow_third_party,
            forbid_credentials,
            allowed_hosts,
            max_memory_mb: min(self.max_memory_mb, other.max_memory_mb),
            max_timeout_secs: min(self.max_timeout_secs, other.max_timeout_secs),
            max_cpu_gigainstructions: min(
                self.max_cpu_gigainstructions,
                other.max_cpu_gigainstructions,
            ),
            forbid_account: self.forbid_account || other.forbid_account,
            sources: self.sources.into_iter().chain(other.sources).collect(),
        }
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn kagi_policy_only_narrows_the_system_policy() {
        let dir = tempfile::tempdir().unwrap();
        let system = write(
            dir.path(),
            "system.toml",
            "allow-third-party = false\nforbid-credentials = [\"session\"]\nallowed-hosts = [\"a.example\", \"B.example\"]\nmax-memory-mb = 64\nmax-timeout-secs = 30\n",
        );
        let extra = write(
            dir.path(),
            "extra.toml",
            "allow-third-party = true\nforbid-credentials = [\"api\", \"session\"]\nallowed-hosts = [\"b.example\", \"c.example\"]\nmax-memory-mb = 512\nmax-timeout-secs = 10\nmax-cpu-gigainstructions = 5\nforbid-account = true\n",
        );
        let p = Policy::load_from(&system, Some(&extra)).unwrap();
        assert_eq!(p.allow_third_party, Some(false), "false wins");
        assert_eq!(
            p.forbid_credentials,
            vec![Credential::Session, Credential::Api],
            "union"
        );
        assert_eq!(
            p.allowed_hosts,
            Some(vec!["B.example".to_string()]),
            "intersection"
        );
        assert_eq!(p.max_memory_mb, Some(64), "the smaller maximum");
        assert_eq!(p.max_timeout_secs, Some(10), "the smaller maximum");
        assert_eq!(
            p.max_cpu_gigainstructions,
            Some(5),
            "a maximum only one sets"
        );
        assert!(p.forbid_account);
        assert_eq!(p.sources, vec![system.clone(), extra.clone()]);

        // The other way round, the same restrictions hold.
        let q = Policy::load_from(&extra, Some(&system)).unwrap();
        assert_eq!(q.allow_third_party, Some(false));
        assert_eq!(q.max_memory_mb, Some(64));
        assert_eq!(q.allowed_hosts, Some(vec!["b.example".to_string()]));
        assert!(q.forbid_account);
    }

    #[test]
    fn an_empty_kagi_policy_lifts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let system = write(
            dir.path(),
            "system.toml",
            "allow-third-party = false\nallowed-hosts = []\nforbid-account = true\n",
        );
        let empty = write(dir.path(), "empty.toml", "");
        let p = Policy::load_from(&system, Some(&empty)).unwrap();
        assert_eq!(p.allow_third_party, Some(false));
        assert_eq!(p.allowed_hosts, Some(Vec::new()));
        assert!(p.forbid_account);
        assert!(
            p.summary()
                .contains(&"plugins may not use account pages".to_string())
        );
    }

    #[test]
    fn without_a_system_policy_kagi_policy_applies_alone() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-policy.toml");
        let extra = write(dir.path(), "extra.toml", "max-memory-mb = 32\n");
        let p = Policy::load_from(&missing, Some(&extra)).unwrap();
        assert_eq!(p.max_memory_mb, Some(32));
        assert_eq!(p.sources, vec![extra]);
        let none = Policy::load_from(&missing, None).unwrap();
        assert!(none.summary().is_empty() && none.sources.is_empty());
        // A named policy file that is missing is an error, not "no policy".
        let e = Policy::load_from(&missing, Some(&missing)).unwrap_err();
        assert!(
            e.to_string().contains("cannot read the kagi policy file"),
            "{e}"
        );
    }
}

/// One thing a manifest can ask for, named the way users grant it:
/// `service:kagi`, `host:example.com`, `credential:api`, `storage`, `stdin`,
/// `limits` (more memory, time or CPU than the defaults).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    Service(Service),
    /// A host reached by absolute URL: over https only, unless `http` is set.
    Host(HostGrant),
    Credential(Kind),
    /// Credentialed requests to the account pages (see [`is_account_page`]).
    Account,
    Storage,
    Stdin,
    Limits,
}

/// One `host:` grant: `example.com` means https only; `http://example.com`
/// allows plain http too.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostGrant {
    pub name: String,
    pub http: bool,
}

impl HostGrant {
    /// From a manifest entry or a `host:` grant: `NAME`, `https://NAME` or `http://NAME`.
    pub fn parse(text: &str) -> HostGrant {
        let text = text.trim().to_ascii_lowercase();
        if let Some(name) = text.strip_prefix("http://") {
            return HostGrant {
                name: name.to_string(),
                http: true,
            };
        }
        let name = text.strip_prefix("https://").unwrap_or(&text);
        HostGrant {
            name: name.to_string(),
            http: false,
        }
    }

    /// Whether a URL (already known to be http or https) is covered.
    fn covers(&self, url: &Url) -> bool {
        url.host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(&self.name))
            && (url.scheme() == "https" || self.http)
    }
}

impl fmt::Display for HostGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.http {
            write!(f, "http://{}", self.name)
        } else {
            f.write_str(&self.name)
        }
    }
}

/// Pages that show or change credentials or the account itself, as path
/// prefixes (whole segments) on the `kagi` service: a plugin holding the
/// session could read the Session Link or the API token there, regenerate
/// them, sign the user out or change billing. Matched after the path is
/// normalised (percent-decoded, lower-cased, empty segments dropped).
const ACCOUNT_PAGES: &[&str] = &[
    "/settings/user_details",
    "/settings/account",
    "/settings/api",
    "/settings/api_token",
    "/settings/billing",
    "/settings/payment",
    "/settings/subscription",
    "/settings/plan",
    "/settings/sessions",
    "/settings/session_link",
    "/settings/security",
    "/settings/password",
    "/settings/change_password",
    "/settings/change_email",
    "/settings/email",
    "/settings/delete_account",
    "/settings/2fa",
    "/settings/mfa",
    "/settings/gift",
    "/settings/family",
    "/settings/team",
    "/settings/regenerate_token",
    "/api/v0/token",
    "/api/user",
    "/billing",
    "/logout",
    "/signout",
    "/account",
    "/token",
];

/// Whether `url` (on the service whose base is `base`) is an account page.
/// The legacy `/settings?p=NAME` form counts as `/settings/NAME`.
pub fn is_account_page(url: &Url, base: &Url) -> bool {
    let decoded = percent_encoding::percent_decode_str(url.path()).decode_utf8_lossy();
    let mut segments: Vec<String> = decoded
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    // The base may carry a path prefix of its own.
    let prefix: Vec<String> = base
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if segments.starts_with(&prefix) {
        segments.drain(..prefix.len());
    }
    if segments.len() == 1 && segments[0] == "settings" {
        for (k, v) in url.query_pairs() {
            if k == "p" {
                segments.push(v.to_ascii_lowercase());
            }
        }
    }
    let path = format!("/{}", segments.join("/"));
    ACCOUNT_PAGES.iter().any(|page| {
        path == *page
            || path
                .strip_prefix(page)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

impl Capability {
    pub fn parse(text: &str) -> std::result::Result<Capability, String> {
        let text = text.trim();
        let parsed = match text.split_once(':') {
            Some(("service", "kagi")) => Capability::Service(Service::Kagi),
            Some(("service", "news")) => Capability::Service(Service::News),
            Some(("service", "translate")) => Capability::Service(Service::Translate),
            Some(("host", host)) if !host.trim().is_empty() => {
                Capability::Host(HostGrant::parse(host))
            }
            Some(("credential", "session")) => Capability::Credential(Kind::Session),
            Some(("credential", "api")) => Capability::Credential(Kind::Api),
            None if text == "account" => Capability::Account,
            None if text == "storage" => Capability::Storage,
            None if text == "stdin" => Capability::Stdin,
            None if text == "limits" => Capability::Limits,
            _ => {
                return Err(format!(
                    "unknown capability `{text}`; use service:kagi|news|translate, host:NAME (https) or host:http://NAME, credential:session|api, account, storage, stdin or limits"
                ));
            }
        };
        Ok(parsed)
    }

    /// What granting it allows, for people deciding.
    pub fn describe(&self) -> String {
        match self {
            Capability::Service(s) => format!("talk to Kagi's `{}` service", s.name()),
            Capability::Host(h) if h.http => format!(
                "reach {} and https://{} directly (never with your credentials)",
                h,
                h.name
            ),
            Capability::Host(h) => format!("reach https://{} directly (never with your credentials)", h.name),
            Capability::Account => "FULL CONTROL OF YOUR KAGI ACCOUNT: read your Session Link and API token, regenerate them, change your account and billing settings, and sign you out".into(),
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
            Capability::Account => f.write_str("account"),
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
            .map(|h| Capability::Host(HostGrant::parse(h))),
    );
    set.extend(
        caps.credentials
            .iter()
            .map(|c| Capability::Credential(kind(*c))),
    );
    if caps.account {
        set.insert(Capability::Account);
    }
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
    /// A `kagi plugin test` run: grants come from its flags, not `plugin grant`.
    test_run: bool,
}

impl Policy {
    /// Whether the policy forbids `cap` outright.
    pub fn forbids(&self, cap: &Capability) -> bool {
        match cap {
            Capability::Credential(k) => self.forbid_credentials.iter().any(|c| kind(*c) == *k),
            Capability::Host(h) => self
                .allowed_hosts
                .as_ref()
                .is_some_and(|allowed| !allowed.iter().any(|a| HostGrant::parse(a).name == h.name)),
            Capability::Account => self.forbid_account,
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
        if self.forbid_account {
            lines.push("plugins may not use account pages".to_string());
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
            test_run: false,
            limits: Limits {
                memory_bytes: memory_mb.saturating_mul(1024 * 1024),
                timeout: timeout_secs.map(Duration::from_secs),
                fuel: cpu.saturating_mul(1_000_000_000),
            },
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
        self.allowed
            .iter()
            .any(|c| matches!(c, Capability::Host(g) if g.covers(url)))
    }

    /// A request that carries a credential to `url` on a service based at
    /// `base`: account pages need the `account` capability.
    pub fn check_account(&self, url: &Url, base: &Url) -> Result<()> {
        self.account_check(url, base, "tried to open")
    }

    fn account_check(&self, url: &Url, base: &Url, how: &str) -> Result<()> {
        if !is_account_page(url, base) {
            return Ok(());
        }
        self.check(
            Capability::Account,
            &format!(
                "{how} the account page `{}` with your credentials",
                url.path()
            ),
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
                    grants.account_check(url, base, "was redirected to")
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
            Capability::Service(Service::Kagi),
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
}
