//! The account pages: where a plugin holding the session could read or
//! change the credentials themselves. Credentialed requests to them need the
//! `account` capability (checked in `Grants::check_account` and on every
//! redirect hop).

use url::Url;

/// Pages that show or change credentials or the account itself, as path
/// prefixes (whole segments) on the `kagi` service: a plugin holding the
/// session could read the Session Link or the API token there, regenerate
/// them, sign the user out or change billing. Matched after the path is
/// normalised (percent-decoded, lower-cased, empty segments dropped).
const ACCOUNT_PAGES: &[&str] = &[
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

/// Whether `url` (on the service whose base is `base`) is an account page.
/// The legacy `/settings?p=NAME` form counts as `/settings/NAME`.
pub fn is_account_page(url: &Url, base: &Url) -> bool {
    let decoded = percent_encoding::percent_decode_str(url.path()).decode_utf8_lossy();
    let mut segments: Vec<String> = decoded
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    // The base may carry a path prefix of its own.
    let prefix: Vec<String> = base
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if segments.starts_with(&prefix) {
        segments.drain(..prefix.len());
    }
    if segments.len() == 1 && segments[0] == "settings" {
        for (k, v) in url.query_pairs() {
            if k == "p" {
                segments.push(v.to_ascii_lowercase());
            }
        }
    }
    let path = format!("/{}", segments.join("/"));
    ACCOUNT_PAGES.iter().any(|page| {
        path == *page
            || path
                .strip_prefix(page)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}
