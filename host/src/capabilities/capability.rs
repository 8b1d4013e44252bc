//! The capabilities a plugin can ask for, as users grant them, and what a
//! manifest asks for.

use super::{DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECS};
use crate::auth::Kind;
use crate::net::Service;
use kagi_manifest::{Credential, Manifest};
use std::collections::BTreeSet;
use std::fmt;
use url::Url;

/// One thing a manifest can ask for, named the way users grant it:
/// `service:kagi`, `host:example.com`, `credential:api`, `storage`, `stdin`,
/// `limits` (more memory, time or CPU than the defaults).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    Service(Service),
    /// A host reached by absolute URL: over https only, unless `http` is set.
    Host(HostGrant),
    Credential(Kind),
    /// Credentialed requests to the account pages
    /// (`kagi_manifest::settings_area::ACCOUNT_PAGES`).
    Account,
    /// Credentialed requests to the settings pages the manifest names under
    /// `capabilities.account-settings` (never the account pages).
    AccountSettings,
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
    pub(super) fn covers(&self, url: &Url) -> bool {
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

impl Capability {
    pub fn parse(text: &str) -> std::result::Result<Capability, String> {
        let text = text.trim();
        let parsed = match text.split_once(':') {
            Some(("service", name)) => match Service::named(name) {
                Some(service) => Capability::Service(service),
                None => {
                    return Err(format!(
                        "unknown service `{name}` in `{text}`; kagi knows the services {}",
                        Service::known_names()
                    ));
                }
            },
            Some(("host", host)) if !host.trim().is_empty() => {
                Capability::Host(HostGrant::parse(host))
            }
            Some(("credential", "session")) => Capability::Credential(Kind::Session),
            Some(("credential", "api")) => Capability::Credential(Kind::Api),
            None if text == "account" => Capability::Account,
            None if text == "account-settings" => Capability::AccountSettings,
            None if text == "storage" => Capability::Storage,
            None if text == "stdin" => Capability::Stdin,
            None if text == "limits" => Capability::Limits,
            _ => {
                return Err(format!(
                    "unknown capability `{text}`; use service:kagi|news|translate, host:NAME (https) or host:http://NAME, credential:session|api, account, account-settings, storage, stdin or limits"
                ));
            }
        };
        Ok(parsed)
    }

    /// What granting it allows, for people deciding; where the manifest
    /// says more (the settings pages), [`Capability::describe_in`].
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
            Capability::AccountSettings => "READ AND CHANGE YOUR KAGI SETTINGS: the settings pages its manifest lists under capabilities.account-settings".into(),
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

impl Capability {
    /// What granting it to the plugin of `manifest` allows: for
    /// `account-settings`, the plugin's own words and pages.
    pub fn describe_in(&self, manifest: &Manifest) -> String {
        match (self, &manifest.capabilities.account_settings) {
            (Capability::AccountSettings, Some(settings)) => settings.describe(),
            _ => self.describe(),
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
            Capability::AccountSettings => f.write_str("account-settings"),
            Capability::Storage => f.write_str("storage"),
            Capability::Stdin => f.write_str("stdin"),
            Capability::Limits => f.write_str("limits"),
        }
    }
}

pub(super) fn kind(c: Credential) -> Kind {
    match c {
        Credential::Session => Kind::Session,
        Credential::Api => Kind::Api,
    }
}

/// Everything a manifest asks for.
pub fn requested(manifest: &Manifest) -> BTreeSet<Capability> {
    let mut set = declared(&manifest.capabilities);
    let l = &manifest.limits;
    if l.memory_mb.is_some_and(|m| m > DEFAULT_MEMORY_MB)
        || l.timeout_secs
            .is_some_and(|t| t == 0 || t > DEFAULT_TIMEOUT_SECS)
        || l.cpu_seconds.is_some_and(|c| c > DEFAULT_CPU_SECONDS)
    {
        set.insert(Capability::Limits);
    }
    set
}

/// The capabilities a `[capabilities]` table (a plugin's or a command's) declares.
pub(super) fn declared(caps: &kagi_manifest::Capabilities) -> BTreeSet<Capability> {
    let mut set = BTreeSet::new();
    set.extend(
        caps.services
            .iter()
            // Unknown names were refused by `check_api` at load.
            .filter_map(|s| Service::named(s).map(Capability::Service)),
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
    if caps.account_settings.is_some() {
        set.insert(Capability::AccountSettings);
    }
    if caps.storage {
        set.insert(Capability::Storage);
    }
    if caps.stdin {
        set.insert(Capability::Stdin);
    }
    set
}
