//! The manifest a plugin carries, as the SDK's `export_plugin!` stamps it at
//! build time: the API version the SDK speaks and the crate's version, then
//! the author's `kagi-plugin.toml`, then the SDK's argument groups
//! (`arg-groups.toml`: `output`, `settings-import`, `answer-output`).

use crate::API_VERSION;

/// The argument groups every plugin's manifest ends with; a command takes
/// one with `groups = ["output"]`. Starts with a newline, so it follows a
/// body without a final one.
pub const SDK_ARG_GROUPS: &str = include_str!("arg-groups.toml");

/// The manifest for the author's `body`, of a crate at `package_version`.
pub fn stamped(body: &str, package_version: &str) -> String {
    format!(
        "api = \"{API_VERSION}\"\npackage-version = \"{package_version}\"\n{body}{SDK_ARG_GROUPS}"
    )
}
