//! Destinations the user names: a `url` argument that its command declares a
//! destination (`notify --webhook-url URL`) lets the plugin reach exactly that
//! scheme, host and port for this one run, never with a credential (absolute
//! URLs never carry one). An administrator's policy can forbid destinations,
//! and its `allowed-hosts` applies to them as to every other host.

use super::{Grants, HostGrant, Policy};
use crate::error::{Error, Result};
use crate::log;
use url::Url;

/// What a policy says of destinations, kept with the grants of a run.
#[derive(Debug, Clone, Default)]
pub(super) struct DestinationRule {
    forbidden: bool,
    allowed_hosts: Option<Vec<String>>,
}

impl DestinationRule {
    pub(super) fn of(policy: &Policy) -> DestinationRule {
        DestinationRule {
            forbidden: policy.forbid_destinations,
            allowed_hosts: policy.allowed_hosts.clone(),
        }
    }
}

/// The URL `raw` that the user gave `who` (a plugin, or a host command such
/// as `notify`) with `flag`, if the policy lets it be reached. A malformed or
/// non-http(s) URL is a usage error; one the policy forbids is a denial.
pub fn admit_destination(policy: &Policy, who: &str, flag: &str, raw: &str) -> Result<Url> {
    DestinationRule::of(policy).admit(who, flag, raw)
}

impl DestinationRule {
    fn admit(&self, who: &str, flag: &str, raw: &str) -> Result<Url> {
        let url = Url::parse(raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "`{raw}` given with {flag} is not an http or https URL"
                ))
            })?;
        let shown = url.origin().ascii_serialization();
        let refused = |why: String| Error::PluginDenied {
            plugin: who.to_string(),
            reason: format!("was refused the destination {shown} given with {flag}: {why}"),
        };
        if self.forbidden {
            return Err(refused(
                "the administrator's policy forbids destinations named on the command line (forbid-destinations)".into(),
            ));
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if let Some(allowed) = &self.allowed_hosts
            && !allowed.iter().any(|a| HostGrant::parse(a).name == host)
        {
            return Err(refused(format!(
                "the administrator's policy does not allow the host `{host}` (allowed-hosts)"
            )));
        }
        Ok(url)
    }
}

impl Grants {
    /// Grants the origin of `raw`, which the user gave with `flag`, for this
    /// run (see [`admit_destination`]).
    pub fn grant_destination(&mut self, flag: &str, raw: &str) -> Result<()> {
        let origin = self
            .destination_rule
            .admit(&self.plugin, flag, raw)?
            .origin();
        let shown = origin.ascii_serialization();
        log::debug(&format!(
            "plugin {}: may reach {shown} for this run: the destination given with {flag} (never with a credential)",
            self.plugin
        ));
        if !self.destinations.contains(&origin) {
            self.destinations.push(origin);
        }
        Ok(())
    }

    /// Whether `url` is on a destination the user named for this run.
    pub(super) fn is_destination(&self, url: &Url) -> bool {
        self.destinations.contains(&url.origin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_manifest::Manifest;

    fn grants(policy: &str) -> Grants {
        let m = Manifest::parse(
            "api = \"0.2.0\"\nname = \"demo\"\n[capabilities]\nservices = [\"kagi\"]\n[[commands]]\nname = \"demo\"\n",
        )
        .unwrap();
        let policy: Policy = toml::from_str(policy).unwrap();
        Grants::new(&m, None, &policy)
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_destination_grants_exactly_its_scheme_host_and_port() {
        let mut g = grants("");
        g.grant_destination("--to", "https://hooks.example/a/b?x=1")
            .unwrap();
        assert!(
            g.check_url(&url("https://hooks.example/other"), false)
                .is_ok()
        );
        assert!(
            g.check_url(&url("https://hooks.example:443/"), false)
                .is_ok()
        );
        for other in [
            "http://hooks.example/",
            "https://hooks.example:8443/",
            "https://sub.hooks.example/",
            "https://example/",
        ] {
            assert!(g.check_url(&url(other), false).is_err(), "{other}");
        }
        let e = g
            .check_url(&url("https://hooks.example/"), true)
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("credentials only go to Kagi's services"),
            "{e}"
        );
    }

    #[test]
    fn a_bad_destination_is_a_usage_error_naming_the_flag() {
        let mut g = grants("");
        for bad in [
            "not a url",
            "ftp://x.example/",
            "file:///etc/passwd",
            "mailto:a@b.example",
        ] {
            assert_eq!(
                g.grant_destination("--to", bad).unwrap_err(),
                Error::Usage(format!(
                    "`{bad}` given with --to is not an http or https URL"
                ))
            );
        }
        assert!(g.destinations.is_empty());
    }

    #[test]
    fn the_policy_can_forbid_destinations_or_limit_their_hosts() {
        let e = grants("forbid-destinations = true\n")
            .grant_destination("--to", "https://hooks.example/")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "plugin denied: plugin `demo` was refused the destination https://hooks.example given with --to: the administrator's policy forbids destinations named on the command line (forbid-destinations)"
        );
        let mut g = grants("allowed-hosts = [\"hooks.example\"]\n");
        g.grant_destination("--to", "https://HOOKS.example/")
            .unwrap();
        let e = g
            .grant_destination("--to", "https://elsewhere.example/")
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("does not allow the host `elsewhere.example` (allowed-hosts)"),
            "{e}"
        );
    }
}
