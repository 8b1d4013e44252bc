//! What one command of a plugin may do: the plugin's grants narrowed to the
//! capabilities the command declares, and the limits it asks for within the
//! plugin's (see `kagi_manifest::Manifest::command_limits`).

use super::{
    Capability, DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECS, Grants, Limits,
    MAX_MEMORY_MB, Policy, SettingsPages, Withheld, declared,
};
use kagi_manifest::Manifest;
use std::time::Duration;

/// The most an administrator's policy lets any command use, kept with the
/// grants so that a command's limits are computed under the same policy.
#[derive(Debug, Clone, Default)]
pub(super) struct Ceilings {
    memory_mb: Option<u64>,
    timeout_secs: Option<u64>,
    cpu_seconds: Option<u64>,
}

impl Ceilings {
    pub(super) fn of(policy: &Policy) -> Ceilings {
        Ceilings {
            memory_mb: policy.max_memory_mb,
            timeout_secs: policy.max_timeout_secs,
            cpu_seconds: policy.max_cpu_seconds,
        }
    }
}

/// The limits in force for what a manifest asks (`asked`): the defaults, or
/// more with the `limits` capability (`extra`); never more than the policy.
pub(super) fn limits_for(asked: &kagi_manifest::Limits, extra: bool, most: &Ceilings) -> Limits {
    let within_defaults = |asked: u64, default: u64| if extra { asked } else { asked.min(default) };
    let memory_mb = within_defaults(
        asked.memory_mb.unwrap_or(DEFAULT_MEMORY_MB),
        DEFAULT_MEMORY_MB,
    )
    .clamp(16, MAX_MEMORY_MB)
    .min(most.memory_mb.unwrap_or(u64::MAX));
    let timeout_secs = match asked.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS) {
        // No wall-clock limit, unless a policy sets one.
        0 if extra => most.timeout_secs,
        0 => Some(DEFAULT_TIMEOUT_SECS.min(most.timeout_secs.unwrap_or(u64::MAX))),
        n => Some(
            within_defaults(n, DEFAULT_TIMEOUT_SECS).min(most.timeout_secs.unwrap_or(u64::MAX)),
        ),
    };
    let cpu = within_defaults(
        asked.cpu_seconds.unwrap_or(DEFAULT_CPU_SECONDS),
        DEFAULT_CPU_SECONDS,
    )
    .min(most.cpu_seconds.unwrap_or(u64::MAX));
    Limits {
        memory_bytes: memory_mb.saturating_mul(1024 * 1024),
        timeout: timeout_secs.map(Duration::from_secs),
        cpu: Duration::from_secs(cpu),
    }
}

impl std::fmt::Display for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let time = match self.timeout {
            Some(t) => format!("{} s", t.as_secs()),
            None => "unlimited".into(),
        };
        write!(
            f,
            "memory {} MiB, time {time}, CPU {} s",
            self.memory_bytes / (1024 * 1024),
            self.cpu.as_secs()
        )
    }
}

impl Grants {
    /// The grants of one run of command `path` (`["history", "list"]`): the
    /// plugin's, less every capability the command does not declare (a
    /// command declaring none has its plugin's), with the command's limits.
    pub fn for_command(&self, manifest: &Manifest, path: &[String]) -> Grants {
        let (Some(capabilities), Some(asked)) = (
            manifest.command_capabilities(path),
            manifest.command_limits(path),
        ) else {
            return self.clone();
        };
        let declared = declared(capabilities);
        let listed_by = if std::ptr::eq(capabilities, &manifest.capabilities) {
            "its manifest".to_string()
        } else {
            format!("the command `{}`", path.join(" "))
        };
        // `limits` follows from the limits asked for, not from a declaration.
        let undeclared = |c: &Capability| *c != Capability::Limits && !declared.contains(c);
        let mut grants = self.clone();
        let why = || Withheld::NotDeclaredByCommand(path.join(" "));
        for cap in self.allowed.iter().filter(|c| undeclared(c)) {
            grants.allowed.remove(cap);
            grants.withheld.insert(cap.clone(), why());
        }
        // Granting it would not help: the command does not ask for it.
        for (cap, reason) in grants.withheld.iter_mut() {
            if undeclared(cap) {
                *reason = why();
            }
        }
        grants.settings_pages = SettingsPages::of(capabilities, listed_by);
        let extra = grants.allowed.contains(&Capability::Limits);
        grants.limits = limits_for(&asked, extra, &self.ceilings);
        grants
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HostGrant, Policy};
    use super::*;
    use crate::auth::Kind;
    use std::collections::BTreeSet;

    const MANIFEST: &str = r#"
api = "0.2.0"
name = "search"
[capabilities]
services = ["kagi"]
credentials = ["session", "api"]
hosts = ["example.com"]
storage = true
[limits]
timeout-secs = 0
[[commands]]
name = "search"
[[commands]]
name = "watch"
long-running = true
[commands.limits]
timeout-secs = 0
[[commands]]
name = "history"
[commands.capabilities]
storage = true
[[commands.subcommands]]
name = "list"
"#;

    fn path(p: &str) -> Vec<String> {
        p.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_command_gets_only_what_it_declares_and_says_so() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let plugin = Grants::new(&m, None, &Policy::default());
        let history = plugin.for_command(&m, &path("history list"));
        assert!(history.check_storage().is_ok());
        assert_eq!(
            history
                .check_service(crate::net::Service::KAGI)
                .unwrap_err()
                .to_string(),
            "plugin denied: plugin `search` tried to reach the `kagi` service (service:kagi), which it was not granted: the command `history list` does not declare it"
        );
        assert!(!history.has_credential(Kind::Session));
        assert!(!history.has(&Capability::Host(HostGrant::parse("example.com"))));
        // A command that declares nothing has its plugin's grants.
        let search = plugin.for_command(&m, &path("search"));
        assert_eq!(search.allowed, plugin.allowed);
    }

    #[test]
    fn a_capability_the_user_did_not_grant_is_named_as_undeclared_by_the_command() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let approved: BTreeSet<Capability> = [Capability::Storage].into();
        let history =
            Grants::new(&m, Some(&approved), &Policy::default()).for_command(&m, &path("history"));
        let e = history.check_credential(Kind::Api).unwrap_err().to_string();
        assert!(
            e.ends_with("the command `history` does not declare it"),
            "{e}"
        );
    }

    #[test]
    fn settings_are_the_declared_ones_except_for_api_0_1_plugins() {
        let m = Manifest::parse(&format!(
            "{MANIFEST}[[settings]]\nname = \"history\"\nenv = \"KAGI_HISTORY\"\ntype = \"bool\"\n"
        ))
        .unwrap();
        let settings = Grants::new(&m, None, &Policy::default()).settings;
        assert_eq!(settings.unwrap()[0].name, "history");
        // 0.1 manifests could not declare settings: they read their own table.
        let old = Manifest::parse(&MANIFEST.replace("0.2.0", "0.1.0")).unwrap();
        assert!(
            Grants::new(&old, None, &Policy::default())
                .settings
                .is_none()
        );
    }

    #[test]
    fn only_the_long_running_command_runs_without_a_wall_clock_limit() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let plugin = Grants::new(&m, None, &Policy::default());
        let timeout = |p: &str| plugin.for_command(&m, &path(p)).limits.timeout;
        assert_eq!(timeout("watch"), None);
        let default = Some(Duration::from_secs(DEFAULT_TIMEOUT_SECS));
        assert_eq!(timeout("search"), default);
        assert_eq!(timeout("history list"), default);
        // A policy's maximum still applies to the long-running command.
        let policy = Policy {
            max_timeout_secs: Some(60),
            ..Policy::default()
        };
        let watch = Grants::new(&m, None, &policy).for_command(&m, &path("watch"));
        assert_eq!(watch.limits.timeout, Some(Duration::from_secs(60)));
        // Without the `limits` grant, no command escapes the default.
        let approved: BTreeSet<Capability> = [Capability::Storage].into();
        let watch =
            Grants::new(&m, Some(&approved), &Policy::default()).for_command(&m, &path("watch"));
        assert_eq!(watch.limits.timeout, default);
    }
}
