//! Where the user sets each Kagi token, and the one wording every part of
//! kagi uses to say how to fix a missing or rejected one.

/// A token the user configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Token {
    /// The session token, from a Session Link.
    Session,
    /// The Search API token.
    Api,
}

impl Token {
    /// The environment variable that sets it.
    pub const fn env_var(self) -> &'static str {
        match self {
            Token::Session => "KAGI_SESSION_TOKEN",
            Token::Api => "KAGI_API_TOKEN",
        }
    }

    /// Its key in a `.kagi.toml` auth block.
    pub const fn config_key(self) -> &'static str {
        match self {
            Token::Session => "session_token",
            Token::Api => "api_token",
        }
    }

    /// The kagi.com page where the user gets it.
    pub const fn settings_url(self) -> &'static str {
        match self {
            Token::Session => "https://kagi.com/settings/user_details",
            Token::Api => "https://kagi.com/settings/api",
        }
    }

    /// What to do when Kagi rejected it, after a `; `.
    pub const fn renew(self) -> &'static str {
        match self {
            Token::Session => "copy a fresh Session Link and run `kagi auth`",
            Token::Api => "check KAGI_API_TOKEN or run `kagi auth`",
        }
    }

    /// How to set it, after a `: ` in a message that already says what needs
    /// it (e.g. `lens search requires KAGI_SESSION_TOKEN …: <setup>`).
    pub fn setup(self) -> String {
        format!(
            "set {} (env) or [auth] {} in .kagi.toml; run `kagi auth` to set it up",
            self.env_var(),
            self.config_key()
        )
    }

    /// The message for a command that needs it when none is configured.
    pub fn missing(self) -> String {
        format!(
            "this command requires {} (env or .kagi.toml [auth] {}); run `kagi auth` to set it up",
            self.env_var(),
            self.config_key()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_token_names_its_variable_its_config_key_and_the_setup() {
        assert_eq!(
            Token::Session.missing(),
            "this command requires KAGI_SESSION_TOKEN (env or .kagi.toml [auth] session_token); run `kagi auth` to set it up"
        );
        assert_eq!(
            Token::Api.missing(),
            "this command requires KAGI_API_TOKEN (env or .kagi.toml [auth] api_token); run `kagi auth` to set it up"
        );
    }

    #[test]
    fn the_setup_advice_names_the_variable_and_the_config_key() {
        assert_eq!(
            Token::Session.setup(),
            "set KAGI_SESSION_TOKEN (env) or [auth] session_token in .kagi.toml; run `kagi auth` to set it up"
        );
    }

    #[test]
    fn each_token_has_its_own_settings_page() {
        assert_eq!(
            Token::Session.settings_url(),
            "https://kagi.com/settings/user_details"
        );
        assert_eq!(Token::Api.settings_url(), "https://kagi.com/settings/api");
    }
}
