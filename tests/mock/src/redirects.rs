//! Redirect rule settings pages (wire protocol §6.22, checklist rows 30–34),
//! kept per server: the list at `/settings/redirects`, the form at
//! `/settings/redirects_form[?rule_id=]`, and the POSTs `/rewrite_rules`
//! (create with `regex=`, update with `rule_id=&regex=`),
//! `/rewrite_rules/delete` and `/rewrite_rules/toggle` (a flip), each
//! answered with a 302 to the list.
//!
//! Every server starts with two rules: 16641 (reddit, enabled) and 16642
//! (twitter, disabled). `POST /_mock/redirects/clear` empties the account.
//! A POST without `regex` (or `rule_id` where it is needed) is a 400 naming
//! the field, a rule without `|` a 400, an unknown id a 404.
//!
//! Signed out, everything is a 302 to `/signin` (see `bangs`). Every list
//! has a hidden template row without forms, which a client must skip.
//! Drifted layouts under `/_drift/<variant>/settings/…`: `no-table` (no
//! table at all), `no-toggle` (the toggle form posts elsewhere), `no-regex`
//! (the form's `regex` input was renamed).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as Shared};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::bangs::{error, form_fields, missing, page, see_other, to_sign_in};
use crate::pages::escape;
use crate::{AppState, param};

/// One rule, `regex|replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) id: u32,
    pub(crate) regex: String,
    pub(crate) enabled: bool,
}

/// What this module remembers between requests.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) rules: Vec<Rule>,
    next_id: u32,
}

impl Default for State {
    fn default() -> Self {
        State {
            rules: vec![
                Rule {
                    id: 16641,
                    regex: "^https://www.reddit.com|https://old.reddit.com".into(),
                    enabled: true,
                },
                Rule {
                    id: 16642,
                    regex: r"^https?://(www\.)?twitter\.com/(.*)|https://nitter.net/$2".into(),
                    enabled: false,
                },
            ],
            next_id: 16643,
        }
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/redirects", get(list))
        .route("/settings/redirects_form", get(form))
        .route("/rewrite_rules", post(save))
        .route("/rewrite_rules/delete", post(delete))
        .route("/rewrite_rules/toggle", post(toggle))
        .route("/_drift/{variant}/settings/redirects", get(drifted_list))
        .route(
            "/_drift/{variant}/settings/redirects_form",
            get(drifted_form),
        )
        .route("/_mock/redirects/clear", post(clear))
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Normal,
    NoTable,
    NoToggle,
}

async fn list(Shared(state): Shared<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    listing(&state, &headers, &uri, Layout::Normal)
}

async fn drifted_list(
    Shared(state): Shared<AppState>,
    Path(variant): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let layout = match variant.as_str() {
        "no-table" => Layout::NoTable,
        "no-toggle" => Layout::NoToggle,
        _ => Layout::Normal,
    };
    listing(&state, &headers, &uri, layout)
}

fn listing(state: &AppState, headers: &HeaderMap, uri: &Uri, layout: Layout) -> Response {
    if !state.has_session(headers) {
        return to_sign_in(uri);
    }
    let rules = state.redirects.lock().unwrap().rules.clone();
    page("Redirects", &list_html(&rules, layout))
}

fn list_html(rules: &[Rule], layout: Layout) -> String {
    if layout == Layout::NoTable {
        let items: String = rules
            .iter()
            .map(|r| format!("<li>{}</li>", escape(&r.regex)))
            .collect();
        return format!(r#"<h1>Redirects</h1><ul class="redirect-cards">{items}</ul>"#);
    }
    let toggle_action = if layout == Layout::NoToggle {
        "/rewrite_rules/switch"
    } else {
        "/rewrite_rules/toggle"
    };
    let rows: String = rules
        .iter()
        .map(|r| {
            format!(
                r#"<tr><td>{rule}</td>
 <td><a href="/settings/redirects_form?rule_id={id}">Edit</a></td>
 <td><form action="/rewrite_rules/delete" method="POST"><input type="hidden" name="rule_id" value="{id}"><button type="submit">Delete</button></form></td>
 <td><form action="{toggle_action}" method="POST"><input type="hidden" name="rule_id" value="{id}"><button type="submit" class="k_ui_toggle_switch{state}"></button></form></td>
</tr>
"#,
                rule = escape(&r.regex),
                id = r.id,
                state = if r.enabled { " --enabled" } else { "" },
            )
        })
        .collect();
    format!(
        r#"<h1>Redirects</h1>
<p>Rewrite result URLs with <code>regex|replacement</code>. <a class="s-btn" href="/settings/redirects_form">Add a rule</a></p>
<table class="redirects_table">
<thead><tr><th>Rule</th><th></th><th></th><th>Enabled</th></tr></thead>
<tbody>
{rows}<tr class="__template" hidden><td></td><td><a href="/settings/redirects_form?rule_id=">Edit</a></td></tr>
</tbody></table>"#
    )
}

async fn form(
    Shared(state): Shared<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    form_page(&state, &headers, &uri, &query, "regex")
}

async fn drifted_form(
    Shared(state): Shared<AppState>,
    Path(variant): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let field = if variant == "no-regex" {
        "pattern"
    } else {
        "regex"
    };
    form_page(&state, &headers, &uri, &query, field)
}

fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    query: &[(String, String)],
    regex_field: &str,
) -> Response {
    if !state.has_session(headers) {
        return to_sign_in(uri);
    }
    let (id, regex) = match param(query, "rule_id") {
        None | Some("") => (String::new(), String::new()),
        Some(id) => {
            let st = state.redirects.lock().unwrap();
            match st.rules.iter().find(|r| r.id.to_string() == id) {
                Some(r) => (id.to_string(), r.regex.clone()),
                None => return error(StatusCode::NOT_FOUND, &format!("No redirect rule {id}")),
            }
        }
    };
    page(
        "Redirect",
        &format!(
            r#"<h1>Redirect rule</h1>
<form class="s-form" action="/rewrite_rules" method="POST"><input type="hidden" name="rule_id" value="{id}">
  <label>Rule <input type="text" name="{regex_field}" value="{}"></label><button type="submit">Save</button></form>"#,
            escape(&regex)
        ),
    )
}

async fn save(
    Shared(state): Shared<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if !state.has_session(&headers) {
        return to_sign_in(&uri);
    }
    let fields = form_fields(&body);
    let Some(regex) = param(&fields, "regex") else {
        return missing("regex");
    };
    if !regex.contains('|') {
        return error(
            StatusCode::BAD_REQUEST,
            "A rule must have the form regex|replacement",
        );
    }
    let mut st = state.redirects.lock().unwrap();
    match param(&fields, "rule_id") {
        Some(id) if !id.is_empty() => match st.rules.iter_mut().find(|r| r.id.to_string() == id) {
            Some(rule) => rule.regex = regex.to_string(),
            None => return error(StatusCode::NOT_FOUND, &format!("No redirect rule {id}")),
        },
        _ => {
            let id = st.next_id;
            st.next_id += 1;
            st.rules.push(Rule {
                id,
                regex: regex.to_string(),
                enabled: true,
            });
        }
    }
    see_other("/settings/redirects")
}

async fn delete(
    Shared(state): Shared<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    with_rule(&state, &headers, &uri, &body, |rules, i| {
        rules.remove(i);
    })
}

async fn toggle(
    Shared(state): Shared<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    with_rule(&state, &headers, &uri, &body, |rules, i| {
        rules[i].enabled = !rules[i].enabled;
    })
}

/// A POST naming one existing rule by `rule_id`: `change` it, then 302 to the list.
fn with_rule(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    body: &[u8],
    change: impl FnOnce(&mut Vec<Rule>, usize),
) -> Response {
    if !state.has_session(headers) {
        return to_sign_in(uri);
    }
    let fields = form_fields(body);
    let Some(id) = param(&fields, "rule_id") else {
        return missing("rule_id");
    };
    let mut st = state.redirects.lock().unwrap();
    match st.rules.iter().position(|r| r.id.to_string() == id) {
        Some(i) => change(&mut st.rules, i),
        None => return error(StatusCode::NOT_FOUND, &format!("No redirect rule {id}")),
    }
    see_other("/settings/redirects")
}

async fn clear(Shared(state): Shared<AppState>) -> Response {
    state.redirects.lock().unwrap().rules.clear();
    StatusCode::NO_CONTENT.into_response()
}
