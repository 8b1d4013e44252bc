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
use std::collections::HashSet;
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

/// What one plugin is granted for this run.
#[derive(Debug, Clone)]
pub struct Grants {
    pub plugin: String,
    pub services: HashSet<Service>,
    pub hosts: Vec<String>,
    pub credentials: HashSet<Kind>,
    pub storage: bool,
    pub stdin: bool,
    pub limits: Limits,
}

fn service(s: kagi_manifest::Service) -> Service {
    match s {
        kagi_manifest::Service::Kagi => Service::Kagi,
        kagi_manifest::Service::News => Service::News,
        kagi_manifest::Service::Translate => Service::Translate,
    }
}

pub fn kind(c: Credential) -> Kind {
    match c {
        Credential::Session => Kind::Session,
        Credential::Api => Kind::Api,
    }
}

impl Grants {
    /// Everything the manifest declares, narrowed by the policy.
    pub fn from_manifest(manifest: &Manifest, policy: &Policy) -> Grants {
        let caps = &manifest.capabilities;
        let mut hosts: Vec<String> = caps.hosts.iter().map(|h| h.to_ascii_lowercase()).collect();
        if let Some(allowed) = &policy.allowed_hosts {
            hosts.retain(|h| allowed.iter().any(|a| a.eq_ignore_ascii_case(h)));
        }
        let credentials = caps
            .credentials
            .iter()
            .filter(|c| !policy.forbid_credentials.contains(c))
            .map(|c| kind(*c))
            .collect();
        let memory_mb = manifest
            .limits
            .memory_mb
            .unwrap_or(DEFAULT_MEMORY_MB)
            .clamp(16, MAX_MEMORY_MB)
            .min(policy.max_memory_mb.unwrap_or(u64::MAX));
        let timeout_secs = match manifest.limits.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS) {
            0 => policy.max_timeout_secs,
            n => Some(n.min(policy.max_timeout_secs.unwrap_or(u64::MAX))),
        };
        let cpu = manifest
            .limits
            .cpu_gigainstructions
            .unwrap_or(DEFAULT_CPU_GIGA)
            .min(policy.max_cpu_gigainstructions.unwrap_or(u64::MAX));
        Grants {
            plugin: manifest.name.clone(),
            services: caps.services.iter().map(|s| service(*s)).collect(),
            hosts,
            credentials,
            storage: caps.storage,
            stdin: caps.stdin,
            limits: Limits {
                memory_bytes: memory_mb * 1024 * 1024,
                timeout: timeout_secs.map(Duration::from_secs),
                fuel: cpu.saturating_mul(1_000_000_000),
            },
        }
    }

    fn denied(&self, reason: String) -> Error {
        Error::PluginDenied {
            plugin: self.plugin.clone(),
            reason,
        }
    }

    pub fn check_service(&self, s: Service) -> Result<()> {
        if self.services.contains(&s) {
            Ok(())
        } else {
            Err(self.denied(format!(
                "tried to reach the `{}` service, which its manifest does not declare",
                s.name()
            )))
        }
    }

    pub fn check_credential(&self, k: Kind) -> Result<()> {
        if self.credentials.contains(&k) {
            Ok(())
        } else {
            let name = match k {
                Kind::Session => "session",
                Kind::Api => "api",
            };
            Err(self.denied(format!(
                "asked for the `{name}` credential, which it was not granted (its manifest must declare it, and no policy may forbid it)"
            )))
        }
    }

    /// An absolute URL target: http(s) to a granted host, never with a credential.
    pub fn check_url(&self, url: &Url, with_credential: bool) -> Result<()> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(self.denied(format!(
                "tried to reach `{url}`; only http and https URLs are allowed"
            )));
        }
        if with_credential {
            return Err(self.denied(format!(
                "tried to send a credential to `{}`; credentials only go to Kagi's services",
                url.origin().ascii_serialization()
            )));
        }
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        if self.hosts.contains(&host) {
            Ok(())
        } else {
            Err(self.denied(format!(
                "tried to reach `{host}`, a host it was not granted"
            )))
        }
    }

    pub fn check_storage(&self) -> Result<()> {
        if self.storage {
            Ok(())
        } else {
            Err(self.denied("used storage, which its manifest does not declare".into()))
        }
    }

    pub fn check_stdin(&self) -> Result<()> {
        if self.stdin {
            Ok(())
        } else {
            Err(self.denied("read stdin, which its manifest does not declare".into()))
        }
    }

    /// Which URLs a redirect may lead to: the granted services' origins and granted hosts.
    pub fn host_check(&self, bases: &Bases) -> HostCheck {
        let origins: Vec<url::Origin> = self
            .services
            .iter()
            .map(|s| bases.get(*s).origin())
            .collect();
        let hosts = self.hosts.clone();
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
        let open = Grants::from_manifest(&m, &Policy::default());
        assert_eq!(open.credentials.len(), 2);
        assert_eq!(open.limits.timeout, None);
        assert_eq!(open.limits.memory_bytes, 512 * 1024 * 1024);
        let policy = Policy {
            forbid_credentials: vec![Credential::Session],
            allowed_hosts: Some(vec!["a.example".into()]),
            max_memory_mb: Some(64),
            max_timeout_secs: Some(5),
            ..Policy::default()
        };
        let narrow = Grants::from_manifest(&m, &policy);
        assert!(narrow.check_credential(Kind::Session).is_err());
        assert!(narrow.check_credential(Kind::Api).is_ok());
        assert_eq!(narrow.hosts, vec!["a.example".to_string()]);
        assert_eq!(narrow.limits.memory_bytes, 64 * 1024 * 1024);
        assert_eq!(narrow.limits.timeout, Some(Duration::from_secs(5)));
    }

    #[test]
    fn urls_need_a_granted_host_and_no_credential() {
        let g = Grants::from_manifest(
            &manifest("[capabilities]\nhosts = [\"example.com\"]"),
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
