//! `kagi:plugin/credentials` and `settings`: which credential kinds are
//! configured (never their values), and the user's settings for the plugin
//! (redacted like everything else it receives).

use super::super::bindings::kagi::plugin::{credentials, settings, types};
use super::super::{HostState, Stop};
use super::WResult;
use crate::auth::Kind;

pub(super) fn kind(c: types::Credential) -> Kind {
    match c {
        types::Credential::Session => Kind::Session,
        types::Credential::Api => Kind::Api,
        // Derived from the session: granted, configured and sent with it.
        types::Credential::Translate => Kind::Session,
    }
}

fn wit_credential(k: Kind) -> types::Credential {
    match k {
        Kind::Session => types::Credential::Session,
        Kind::Api => types::Credential::Api,
    }
}

impl types::Host for HostState {}

impl credentials::Host for HostState {
    fn get(&mut self) -> WResult<credentials::Configured> {
        let declared_session = self.grants.has_credential(Kind::Session);
        let declared_api = self.grants.has_credential(Kind::Api);
        if !declared_session && !declared_api {
            return Ok(credentials::Configured {
                session: false,
                api: false,
                preferred: types::Credential::Session,
            });
        }
        let creds = self.ctx.credentials().map_err(Stop::Host)?;
        Ok(credentials::Configured {
            session: declared_session && creds.session.is_some(),
            api: declared_api && creds.api.is_some(),
            preferred: wit_credential(creds.preferred),
        })
    }
}

impl settings::Host for HostState {
    fn get(&mut self, name: String) -> WResult<Option<String>> {
        let value = crate::config::plugin_setting(
            &self.grants.plugin,
            self.grants.settings.as_deref(),
            &name,
        )
        .map_err(Stop::Host)?;
        let secrets = self.secrets()?;
        Ok(value.map(|v| secrets.redact_str(&v)))
    }
}
