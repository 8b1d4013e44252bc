//! An administrator's policy: what it may say, where it is read from, and how
//! two policies combine (the stricter of each).

use super::{Capability, HostGrant, kind};
use crate::error::{Error, Result};
use kagi_manifest::Credential;
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
    /// Seconds of CPU time; read under its old name (fuel, billions of
    /// instructions) too, the number then taken as seconds.
    #[serde(default, alias = "max-cpu-gigainstructions")]
    pub max_cpu_seconds: Option<u64>,
    /// `true` forbids the account pages to every plugin.
    #[serde(default)]
    pub forbid_account: bool,
    /// `true` forbids every plugin the settings pages (`account-settings`).
    #[serde(default)]
    pub forbid_account_settings: bool,
    /// `true` refuses destinations the user names on the command line
    /// (`notify --webhook-url URL`); `allowed-hosts` applies to them too.
    #[serde(default)]
    pub forbid_destinations: bool,
    /// `false` keeps the tools that delete or change settings out of
    /// `kagi mcp`, even with `--allow-destructive`.
    #[serde(default)]
    pub mcp_allow_destructive: Option<bool>,
    /// Tools `kagi mcp` never offers, by name or glob.
    #[serde(default)]
    pub mcp_exclude_tools: Vec<String>,
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
        let mcp_allow_destructive = match (self.mcp_allow_destructive, other.mcp_allow_destructive)
        {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (a, b) => a.or(b),
        };
        let mut mcp_exclude_tools = self.mcp_exclude_tools;
        for t in other.mcp_exclude_tools {
            if !mcp_exclude_tools.contains(&t) {
                mcp_exclude_tools.push(t);
            }
        }
        Policy {
            allow_third_party,
            forbid_credentials,
            allowed_hosts,
            max_memory_mb: min(self.max_memory_mb, other.max_memory_mb),
            max_timeout_secs: min(self.max_timeout_secs, other.max_timeout_secs),
            max_cpu_seconds: min(self.max_cpu_seconds, other.max_cpu_seconds),
            forbid_account: self.forbid_account || other.forbid_account,
            forbid_account_settings: self.forbid_account_settings || other.forbid_account_settings,
            forbid_destinations: self.forbid_destinations || other.forbid_destinations,
            mcp_allow_destructive,
            mcp_exclude_tools,
            sources: self.sources.into_iter().chain(other.sources).collect(),
        }
    }
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
            Capability::AccountSettings => self.forbid_account_settings,
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
        if let Some(c) = self.max_cpu_seconds {
            lines.push(format!("CPU at most {c} s"));
        }
        if self.forbid_account {
            lines.push("plugins may not use account pages".to_string());
        }
        if self.forbid_account_settings {
            lines.push("plugins may not read or change your Kagi settings".to_string());
        }
        if self.forbid_destinations {
            lines.push("plugins may not reach destinations named on the command line".to_string());
        }
        if self.mcp_allow_destructive == Some(false) {
            lines.push("kagi mcp offers no tools that delete or change settings".to_string());
        }
        if !self.mcp_exclude_tools.is_empty() {
            lines.push(format!(
                "kagi mcp never offers: {}",
                self.mcp_exclude_tools.join(", ")
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
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
            "allow-third-party = false\nforbid-credentials = [\"session\"]\nallowed-hosts = [\"a.example\", \"B.example\"]\nmax-memory-mb = 64\nmax-timeout-secs = 30\nmax-cpu-gigainstructions = 8\n",
        );
        let extra = write(
            dir.path(),
            "extra.toml",
            "allow-third-party = true\nforbid-credentials = [\"api\", \"session\"]\nallowed-hosts = [\"b.example\", \"c.example\"]\nmax-memory-mb = 512\nmax-timeout-secs = 10\nmax-cpu-seconds = 5\nforbid-account = true\n",
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
            p.max_cpu_seconds,
            Some(5),
            "the smaller maximum, the old name read as seconds"
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
    fn either_policy_can_forbid_destinations_and_the_summary_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let system = write(dir.path(), "system.toml", "forbid-destinations = true\n");
        let lifting = write(dir.path(), "extra.toml", "forbid-destinations = false\n");
        for (a, b) in [(&system, &lifting), (&lifting, &system)] {
            let p = Policy::load_from(a, Some(b)).unwrap();
            assert!(p.forbid_destinations, "true wins");
            assert_eq!(
                p.summary(),
                vec!["plugins may not reach destinations named on the command line".to_string()]
            );
        }
        let open = Policy::load_from(&lifting, None).unwrap();
        assert!(!open.forbid_destinations && open.summary().is_empty());
    }

    #[test]
    fn either_policy_narrows_the_mcp_tools_and_the_summary_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let system = write(
            dir.path(),
            "system.toml",
            "mcp-allow-destructive = false\nmcp-exclude-tools = [\"lens_*\"]\n",
        );
        let lifting = write(
            dir.path(),
            "extra.toml",
            "mcp-allow-destructive = true\nmcp-exclude-tools = [\"news\", \"lens_*\"]\n",
        );
        for (a, b) in [(&system, &lifting), (&lifting, &system)] {
            let p = Policy::load_from(a, Some(b)).unwrap();
            assert_eq!(p.mcp_allow_destructive, Some(false), "false wins");
            let mut excluded = p.mcp_exclude_tools.clone();
            excluded.sort();
            assert_eq!(excluded, ["lens_*", "news"], "the union");
            assert_eq!(
                p.summary(),
                [
                    "kagi mcp offers no tools that delete or change settings".to_string(),
                    format!("kagi mcp never offers: {}", p.mcp_exclude_tools.join(", ")),
                ]
            );
        }
        let open = Policy::load_from(&lifting, None).unwrap();
        assert_eq!(open.mcp_allow_destructive, Some(true));
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
