//! Configuration: `./.kagi.toml`, the user's config file, the environment and
//! profiles, resolved into the credentials in force.

use crate::auth::Credentials;
use crate::error::Result;

/// The credentials for this run (`profile` from `--profile`).
pub fn load_credentials(profile: Option<&str>) -> Result<Credentials> {
    let _ = profile;
    Ok(Credentials::from_env())
}

/// Environment variables that carry plugin settings: (plugin, setting, variable).
/// Only these names are answered, so a plugin cannot read other variables
/// (least of all a token) through `settings.get`.
const SETTING_VARS: &[(&str, &str, &str)] = &[("search", "history", "KAGI_HISTORY")];

/// A setting the user chose for `plugin`. Today only from the environment
/// (`KAGI_HISTORY=off` turns the search history off); the config file joins
/// this when `.kagi.toml` is read.
pub fn plugin_setting(plugin: &str, name: &str) -> Option<String> {
    SETTING_VARS
        .iter()
        .find(|(p, n, _)| *p == plugin && *n == name)
        .and_then(|(_, _, var)| std::env::var(var).ok())
        .filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_known_settings_are_answered() {
        assert_eq!(super::plugin_setting("evil", "history"), None);
        assert_eq!(super::plugin_setting("search", "api-token"), None);
        assert_eq!(super::plugin_setting("search", "KAGI_API_TOKEN"), None);
    }
}
