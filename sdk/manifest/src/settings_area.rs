//! Kagi's settings pages, as paths on the `kagi` service: the one list of
//! the settings area (pages that read or change a user's settings) and of
//! the account pages inside it, shared by the manifest check (what
//! `capabilities.account-settings` may name) and the host (what a plugin's
//! credentialed requests may reach).
//!
//! Paths here are normalised: `/` then lower-case segments, no empty ones,
//! no trailing `/`. They match on whole segments (see [`path_is_within`]).

use super::{AccountSettings, ManifestError};
use std::collections::HashSet;

/// The settings area: a credentialed request below one of these needs the
/// `account-settings` capability naming a path that covers it.
pub const SETTINGS_AREA: &[&str] = &[
    "/settings",
    "/html/settings",
    "/lenses",
    "/bangs",
    "/rewrite_rules",
];

/// Pages that show or change credentials or the account itself: a plugin
/// holding the session could read the Session Link or the API token there,
/// regenerate them, sign the user out or change billing. Only the `account`
/// capability reaches them; `account-settings` never does.
pub const ACCOUNT_PAGES: &[&str] = &[
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

/// Whether normalised `path` is `prefix` or below it, on whole segments
/// (`/settings/apiary` is not below `/settings/api`).
pub fn path_is_within(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether normalised `path` is an account page.
pub fn is_account_path(path: &str) -> bool {
    ACCOUNT_PAGES.iter().any(|page| path_is_within(path, page))
}

/// Whether normalised `path` is in the settings area.
pub fn is_settings_path(path: &str) -> bool {
    SETTINGS_AREA.iter().any(|area| path_is_within(path, area))
}

/// The longest `about`, so that the install review stays one readable line.
pub const MAX_ABOUT_LEN: usize = 100;

impl AccountSettings {
    /// The review's words for it: `READ AND CHANGE YOUR KAGI SETTINGS: your
    /// lenses (pages /html/settings/lenses, /lenses)`.
    pub fn describe(&self) -> String {
        format!(
            "READ AND CHANGE YOUR KAGI SETTINGS: {} (pages {})",
            self.about,
            self.paths.join(", ")
        )
    }

    /// Whether normalised `path` is below one of its paths.
    pub fn covers(&self, path: &str) -> bool {
        self.paths.iter().any(|p| path_is_within(path, p))
    }

    /// `owner` (`plugin \`x\`` or `command \`x\``) names it in errors.
    pub(crate) fn validate(&self, owner: &str) -> Result<(), ManifestError> {
        let refuse = |why: String| {
            Err(ManifestError(format!(
                "{owner}: capabilities.account-settings {why}"
            )))
        };
        let about = self.about.trim();
        if about.is_empty() {
            return refuse(
                "needs `about`: plain words for what it changes, such as \"your lenses\"".into(),
            );
        }
        if self.about.chars().any(char::is_control) {
            return refuse("`about` must be one line of text, without control characters".into());
        }
        if self.about.chars().count() > MAX_ABOUT_LEN {
            return refuse(format!("`about` is longer than {MAX_ABOUT_LEN} characters"));
        }
        if self.paths.is_empty() {
            return refuse("lists no `paths`: name the settings pages it uses".into());
        }
        let mut seen = HashSet::new();
        for path in &self.paths {
            check_settings_path(path).or_else(|why| refuse(format!("path `{path}` {why}")))?;
            if !seen.insert(path.as_str()) {
                return refuse(format!("lists the path `{path}` twice"));
            }
        }
        Ok(())
    }
}

/// One declared path: normalised, inside the settings area, and neither an
/// account page nor above one.
fn check_settings_path(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("must start with `/`".into());
    };
    if path.contains(['?', '#']) {
        return Err("must be a path alone, without a query or fragment".into());
    }
    for segment in rest.split('/') {
        if segment.is_empty() {
            return Err("has an empty segment (`//` or a trailing `/`)".into());
        }
        if segment == "." || segment == ".." {
            return Err("may not contain `.` or `..` segments".into());
        }
        let plain = segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'));
        if !plain {
            return Err(
                "may have only lower-case letters, digits, `_`, `-` and `.` between its `/`s (no percent-encoding)"
                    .into(),
            );
        }
    }
    if !is_settings_path(path) {
        return Err(format!(
            "is not a settings page: it must lie below one of {}",
            SETTINGS_AREA.join(", ")
        ));
    }
    if let Some(page) = ACCOUNT_PAGES
        .iter()
        .find(|page| path_is_within(path, page) || path_is_within(page, path))
    {
        return Err(format!(
            "would reach the account page {page}, which only the `account` capability may use; name the settings pages below it instead"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Manifest;

    const LENSES: &str = r#"
api = "0.2.0"
name = "lens"
[capabilities]
services = ["kagi"]
credentials = ["session"]
[capabilities.account-settings]
about = "your lenses"
paths = ["/html/settings/lenses", "/settings/create_lens", "/lenses"]
[[commands]]
name = "lens"
"#;

    fn with_paths(paths: &str) -> String {
        LENSES.replace(
            r#"["/html/settings/lenses", "/settings/create_lens", "/lenses"]"#,
            paths,
        )
    }

    fn refusal(text: &str) -> String {
        Manifest::parse(text).unwrap_err().0
    }

    #[test]
    fn a_plugin_names_its_settings_pages_in_plain_words() {
        let m = Manifest::parse(LENSES).unwrap();
        let settings = m.capabilities.account_settings.as_ref().unwrap();
        assert_eq!(
            settings.describe(),
            "READ AND CHANGE YOUR KAGI SETTINGS: your lenses (pages /html/settings/lenses, /settings/create_lens, /lenses)"
        );
        assert!(m.capabilities.names().contains(&"account-settings".into()));
        assert!(settings.covers("/lenses/update"));
        assert!(!settings.covers("/lensesx"));
        assert!(!settings.covers("/settings/custom_bangs"));
        // It round-trips, as the SDK and the host both parse it.
        assert_eq!(Manifest::parse(&toml::to_string(&m).unwrap()).unwrap(), m);
    }

    #[test]
    fn about_is_one_non_empty_line_of_plain_words() {
        for (about, why) in [
            (r#""""#, "needs `about`"),
            (r#""   ""#, "needs `about`"),
            (r#""your\nlenses""#, "must be one line"),
            (r#""your\tlenses""#, "must be one line"),
            (r#""your\u001b[2Jlenses""#, "control character"),
        ] {
            let text = LENSES.replace(r#""your lenses""#, about);
            let e = refusal(&text);
            assert!(e.contains(why), "{about}: {e}");
        }
        let long = LENSES.replace("your lenses", &"x".repeat(101));
        assert!(refusal(&long).contains("longer than 100"), "long about");
        let missing = LENSES.replace("about = \"your lenses\"\n", "");
        assert!(refusal(&missing).contains("missing field `about`"));
    }

    #[test]
    fn each_path_is_a_plain_settings_path() {
        for (paths, why) in [
            ("[]", "lists no `paths`"),
            (r#"["html/settings/lenses"]"#, "must start with `/`"),
            (r#"["/html/settings/lenses?x=1"]"#, "without a query"),
            (r#"["/html/settings/lenses#top"]"#, "without a query"),
            (r#"["/html/settings/lenses/"]"#, "empty segment"),
            (r#"["/html//settings/lenses"]"#, "empty segment"),
            (r#"["/html/settings/lenses/../../settings/api"]"#, "`..`"),
            (r#"["/html/settings/./lenses"]"#, "`..`"),
            (r#"["/HTML/settings/lenses"]"#, "lower-case letters"),
            (r#"["/html/settings/%6Censes"]"#, "no percent-encoding"),
            (
                r#"["/html/settings/lenses", "/html/settings/lenses"]"#,
                "twice",
            ),
            (r#"["/api/v0/search"]"#, "is not a settings page"),
            (r#"["/"]"#, "empty segment"),
            (r#"["/settingsx"]"#, "is not a settings page"),
        ] {
            let e = refusal(&with_paths(paths));
            assert!(e.contains(why), "{paths}: {e}");
            assert!(
                e.starts_with("plugin `lens`: capabilities.account-settings "),
                "{e}"
            );
        }
    }

    #[test]
    fn no_path_reaches_an_account_page_or_lies_above_one() {
        for path in [
            "/settings",
            "/settings/api",
            "/settings/api/regenerate",
            "/settings/billing",
        ] {
            let e = refusal(&with_paths(&format!("[\"{path}\"]")));
            assert!(
                e.contains("which only the `account` capability may use"),
                "{path}: {e}"
            );
        }
        // Below the settings area, beside the account pages: fine.
        for path in ["/settings/custom_bangs", "/html/settings", "/rewrite_rules"] {
            assert!(
                Manifest::parse(&with_paths(&format!("[\"{path}\"]"))).is_ok(),
                "{path}"
            );
        }
    }

    #[test]
    fn it_needs_the_session_on_the_kagi_service() {
        let e = refusal(&LENSES.replace("credentials = [\"session\"]", "credentials = [\"api\"]"));
        assert!(
            e.contains("add \"session\" to capabilities.credentials"),
            "{e}"
        );
        let e = refusal(&LENSES.replace("services = [\"kagi\"]", "services = [\"news\"]"));
        assert!(e.contains("add \"kagi\" to capabilities.services"), "{e}");
    }

    #[test]
    fn a_command_may_only_narrow_its_plugins_settings_pages() {
        let command = |paths: &str| {
            format!(
                "{LENSES}[commands.capabilities]\nservices = [\"kagi\"]\ncredentials = [\"session\"]\n[commands.capabilities.account-settings]\nabout = \"your lenses\"\npaths = {paths}\n"
            )
        };
        let m = Manifest::parse(&command(r#"["/lenses/update"]"#)).unwrap();
        let own = m.command_capabilities(&["lens".into()]).unwrap();
        assert_eq!(
            own.account_settings.as_ref().unwrap().paths,
            ["/lenses/update"]
        );
        assert_eq!(
            refusal(&command(r#"["/settings/custom_bangs"]"#)),
            "command `lens` lists the settings page `/settings/custom_bangs` under capabilities.account-settings, which its plugin does not cover; a command's capabilities can only narrow"
        );
        // Its own table is checked like the plugin's.
        let e = refusal(&command(r#"["/settings"]"#));
        assert!(
            e.starts_with("command `lens`: capabilities.account-settings path `/settings`"),
            "{e}"
        );
        // A plugin without it has no command with it.
        let bare = command(r#"["/lenses"]"#).replacen(
            "[capabilities.account-settings]\nabout = \"your lenses\"\npaths = [\"/html/settings/lenses\", \"/settings/create_lens\", \"/lenses\"]\n",
            "",
            1,
        );
        assert!(
            refusal(&bare).contains(
                "asks for the capability `account-settings`, which its plugin does not declare"
            ),
            "{}",
            refusal(&bare)
        );
    }
}
