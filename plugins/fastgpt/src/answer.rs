//! What every command of this plugin shares: an API token is required, and
//! answers are read as the paid API's (wire protocol §4.3, API-JSON family;
//! the refusal wording is the SDK's [`Response::api_json`]).
//!
//! [`Response::api_json`]: kagi_plugin_sdk::http::Response::api_json

use kagi_plugin_sdk::http::{Request, missing_credential};
use kagi_plugin_sdk::{Credential, Error, credentials};
use serde::de::DeserializeOwned;

/// Fails without an API token, before anything is sent or read from the
/// cache: every command of this plugin needs one.
pub fn require_api_token() -> Result<(), Error> {
    if credentials::configured().api {
        Ok(())
    } else {
        Err(missing_credential(Credential::Api))
    }
}

/// Sends `request` and decodes its JSON answer into `T`.
pub fn fetch<T: DeserializeOwned>(request: &Request, surface: &str) -> Result<T, Error> {
    request.send()?.api_json(surface)
}
