//! The account pages and the settings area: where a plugin holding the
//! session could read or change the credentials themselves, or the user's
//! Kagi settings. Credentialed requests to account pages need the `account`
//! capability; to other settings pages, `account-settings` naming them
//! (checked in `Grants::check_account` and on every redirect hop). The lists
//! live in `kagi_manifest::settings_area`, which the manifest check shares.

use url::Url;

/// `url`'s path on the service whose base is `base`, normalised the way the
/// page lists are: percent-decoded, lower-cased, split on `/` and `\`, empty
/// and `.` segments dropped, `..` resolved, the base's own path prefix
/// removed. The legacy `/settings?p=NAME` form counts as `/settings/NAME`.
/// Decoding before resolving means `%2f..%2f` cannot hide a page from the
/// check that a server which decodes it would serve.
pub fn normalised_path(url: &Url, base: &Url) -> String {
    let decoded = percent_encoding::percent_decode_str(url.path()).decode_utf8_lossy();
    let mut segments = Vec::new();
    push_segments(&mut segments, &decoded);
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
            // Resolved on its own, so that `..` cannot climb out of `/settings`.
            if k == "p" {
                let mut page = Vec::new();
                push_segments(&mut page, &v);
                segments.extend(page);
            }
        }
    }
    format!("/{}", segments.join("/"))
}

/// Appends `path`'s segments, lower-cased, resolving `.` and `..`.
fn push_segments(segments: &mut Vec<String>, path: &str) {
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s.to_ascii_lowercase()),
        }
    }
}
