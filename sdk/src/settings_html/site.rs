//! GETs and form POSTs on kagi.com's settings pages with the session
//! credential, the Settings-HTML status family (wire protocol §4.3) and a
//! dry-run mode that records POSTs instead of sending them.

use crate::http::{Family, Request, Response, Service, check_status};
use crate::{Credential, Error};
use kagi_protocol::Token;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// The settings pages of one feature (e.g. lenses), named in messages by
/// their surface (e.g. `lens settings page`).
#[derive(Debug)]
pub struct SettingsSite {
    surface: &'static str,
    dry_run: bool,
    posts: RefCell<Vec<PlannedRequest>>,
}

/// A page as Kagi served it, after redirects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The final URL (after redirects); it may carry ids, e.g. `?id=22524`.
    pub url: String,
    pub html: String,
}

/// A POST a dry run did not send (or a run sent), as `--dry-run` prints it:
/// `{"method":"POST","path":"/lenses/update","form":[["name","Reddit"],…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRequest {
    pub method: String,
    pub path: String,
    pub form: Vec<(String, String)>,
}

impl SettingsSite {
    pub fn new(surface: &'static str) -> Self {
        SettingsSite {
            surface,
            dry_run: false,
            posts: RefCell::new(Vec::new()),
        }
    }

    /// In a dry run [`post`](Self::post) sends nothing: it records the
    /// request and returns none. GETs are still sent (they change nothing).
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    pub fn surface(&self) -> &'static str {
        self.surface
    }

    /// GETs a settings page (a path like `/settings/lenses?id=1`, or an
    /// absolute URL on kagi.com, whose path and query are used) and checks it.
    pub fn get(&self, path_or_url: &str) -> Result<Page, Error> {
        let (path, query) = split_target(path_or_url);
        let mut request = Request::get(Service::Kagi, &path).credential(Credential::Session);
        for (name, value) in query {
            request = request.query(&name, value);
        }
        self.page(request.send()?, &path)
    }

    /// POSTs a form (`application/x-www-form-urlencoded`, fields in the
    /// given order), follows Kagi's redirect and returns the page it lands
    /// on. In a dry run nothing is sent: the request is recorded and the
    /// answer is none.
    pub fn post(&self, path: &str, fields: &[(String, String)]) -> Result<Option<Page>, Error> {
        self.posts.borrow_mut().push(PlannedRequest {
            method: "POST".to_string(),
            path: path.to_string(),
            form: fields.to_vec(),
        });
        if self.dry_run {
            return Ok(None);
        }
        let request = Request::post(Service::Kagi, path)
            .credential(Credential::Session)
            .form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        self.page(request.send()?, path).map(Some)
    }

    /// Every POST so far, in order: the requests a dry run would have sent.
    pub fn planned(&self) -> Vec<PlannedRequest> {
        self.posts.borrow().clone()
    }

    fn page(&self, mut response: Response, requested: &str) -> Result<Page, Error> {
        let body = response.bytes()?;
        check_status(Family::SettingsHtml, self.surface, response.status(), &body)?;
        let url = response.url().to_string();
        if is_sign_in_redirect(requested, &url) {
            return Err(Error::auth(format!(
                "invalid or expired Kagi session token: Kagi redirected the {} to its sign-in page; {}",
                self.surface,
                Token::Session.renew()
            )));
        }
        Ok(Page {
            url,
            html: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

/// Whether a request for a settings page ended on Kagi's sign-in page: the
/// way Kagi answers an expired session with a redirect rather than its
/// signed-out page (which the status family already catches).
fn is_sign_in_redirect(requested: &str, final_url: &str) -> bool {
    let path = url_path(final_url);
    let sign_in = ["/signin", "/login", "/sign_in"]
        .iter()
        .any(|p| path == *p || path.ends_with(p) || path.contains(&format!("{p}/")));
    sign_in && !requested.contains("signin") && !requested.contains("login")
}

/// The path of an absolute URL (or of a path with a query).
fn url_path(url: &str) -> &str {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => url,
    };
    rest.split(['?', '#']).next().unwrap_or(rest)
}

/// `/a/b?x=1&y=2` (or `https://kagi.com/a/b?x=1`) → (`/a/b`, [(x,1),(y,2)]).
fn split_target(path_or_url: &str) -> (String, Vec<(String, String)>) {
    let without_origin = match path_or_url.find("://") {
        Some(i) => {
            let after = &path_or_url[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => path_or_url,
    };
    let without_fragment = without_origin.split('#').next().unwrap_or("");
    match without_fragment.split_once('?') {
        Some((path, query)) => (
            path.to_string(),
            form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ),
        None => (without_fragment.to_string(), Vec::new()),
    }
}

impl Page {
    /// Parses the HTML.
    pub fn document(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.html)
    }

    /// The first value of query parameter `name` in the page's final URL.
    pub fn query_param(&self, name: &str) -> Option<String> {
        query_param(&self.url, name)
    }
}

/// The first value of query parameter `name` in a URL or path (e.g. an
/// edit link's `?id=`).
pub fn query_param(url: &str, name: &str) -> Option<String> {
    split_target(url)
        .1
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_path_and_query() {
        assert_eq!(
            split_target("/settings/update_lens?id=22524&x=a%20b"),
            (
                "/settings/update_lens".to_string(),
                vec![
                    ("id".to_string(), "22524".to_string()),
                    ("x".to_string(), "a b".to_string())
                ]
            )
        );
        assert_eq!(
            split_target("https://kagi.com/settings/lenses#top"),
            ("/settings/lenses".to_string(), vec![])
        );
    }

    #[test]
    fn query_params_come_from_the_final_url() {
        let page = Page {
            url: "http://127.0.0.1:9/settings/update_lens?id=7".to_string(),
            html: String::new(),
        };
        assert_eq!(page.query_param("id").as_deref(), Some("7"));
        assert_eq!(page.query_param("bang_id"), None);
    }

    #[test]
    fn a_landing_on_the_sign_in_page_is_recognised() {
        assert!(is_sign_in_redirect(
            "/html/settings/lenses",
            "http://127.0.0.1:9/signin?next=/settings"
        ));
        assert!(is_sign_in_redirect(
            "/lenses/update",
            "https://kagi.com/login"
        ));
        assert!(!is_sign_in_redirect(
            "/lenses/update",
            "https://kagi.com/settings/lenses"
        ));
    }

    #[test]
    fn a_dry_run_records_posts_and_sends_nothing() {
        let site = SettingsSite::new("lens settings page").dry_run(true);
        let fields = vec![("id".to_string(), "1".to_string())];
        // Sending would need the host; a dry run must not get that far.
        assert_eq!(site.post("/lenses/delete", &fields).unwrap(), None);
        let planned = site.planned();
        assert_eq!(
            serde_json::to_string(&planned).unwrap(),
            r#"[{"method":"POST","path":"/lenses/delete","form":[["id","1"]]}]"#
        );
    }
}
