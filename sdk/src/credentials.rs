//! Which credentials the user configured, never their values: enough for a
//! plugin to choose a path (the Search API or the session) before it asks the
//! host to attach one.

use crate::Credential;
use crate::bindings::kagi::plugin::credentials as wit;

/// What is configured for this run, among the kinds the manifest declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Configured {
    /// A session token is configured.
    pub session: bool,
    /// An API token is configured.
    pub api: bool,
    /// The user's preference for base search (`preferred_auth`).
    pub preferred: Credential,
}

/// Asks the host once per call; cheap, and never fails.
pub fn configured() -> Configured {
    let c = wit::get();
    Configured {
        session: c.session,
        api: c.api,
        preferred: c.preferred,
    }
}
