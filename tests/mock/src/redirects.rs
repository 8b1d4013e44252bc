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
//! Signed out, everything is a 302 to `/signin` (see `settings_pages`). Every list
//! has a hidden template row without forms, which a client must skip.
//! Drifted layouts under `/_drift/<variant>/settings/…`: `no-table` (no
//! table at all), `no-toggle` (the toggle form posts elsewhere), `no-regex`
//! (the form's `regex` input was renamed).

use axum::Router;
use axum::extract::{Query, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::pages::escape;
use crate::settings_pages::{
    Account, Answer, Drift, Posted, SignedIn, cleared, error, no_such, page, required, see_other,
    variant, with_drift,
};
use crate::{AppState, param};

/// One rule, `regex|replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) id: u64,
    pub(crate) regex: String,
    pub(crate) enabled: bool,
}

/// What this module remembers between requests.
pub(crate) type State = Account<Rule>;

impl Default for State {
    fn default() -> Self {
        Account::new(
            vec![
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
            16643,
        )
    }
}

pub(crate) fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/rewrite_rules", post(save))
        .route("/rewrite_rules/delete", post(delete))
        .route("/rewrite_rules/toggle", post(toggle))
        .route("/_mock/redirects/clear", post(clear));
    let router = with_drift(router, "/settings/redirects", get(list));
    with_drift(router, "/settings/redirects_form", get(form))
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Normal,
    NoTable,
    NoToggle,
}

async fn list(_: SignedIn, Shared(state): Shared<AppState>, drift: Drift) -> Answer {
    let layout = match variant(drift).as_str() {
        "no-table" => Layout::NoTable,
        "no-toggle" => Layout::NoToggle,
        _ => Layout::Normal,
    };
    let rules = state.redirects.lock().unwrap().items.clone();
    Ok(page("Redirects", &list_html(&rules, layout)))
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
    _: SignedIn,
    Shared(state): Shared<AppState>,
    drift: Drift,
    Query(query): Query<Vec<(String, String)>>,
) -> Answer {
    let regex_field = if variant(drift) == "no-regex" {
        "pattern"
    } else {
        "regex"
    };
    let (id, regex) = match param(&query, "rule_id") {
        None | Some("") => (String::new(), String::new()),
        Some(id) => {
            let st = state.redirects.lock().unwrap();
            let rule = st.items.iter().find(|r| r.id.to_string() == id);
            let rule = rule.ok_or_else(|| no_such("redirect rule", id))?;
            (id.to_string(), rule.regex.clone())
        }
    };
    Ok(page(
        "Redirect",
        &format!(
            r#"<h1>Redirect rule</h1>
<form class="s-form" action="/rewrite_rules" method="POST"><input type="hidden" name="rule_id" value="{id}">
  <label>Rule <input type="text" name="{regex_field}" value="{}"></label><button type="submit">Save</button></form>"#,
            escape(&regex)
        ),
    ))
}

async fn save(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let regex = required(&fields, "regex")?;
    if !regex.contains('|') {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "A rule must have the form regex|replacement",
        ));
    }
    let mut st = state.redirects.lock().unwrap();
    match param(&fields, "rule_id") {
        Some(id) if !id.is_empty() => {
            let rule = st.items.iter_mut().find(|r| r.id.to_string() == id);
            rule.ok_or_else(|| no_such("redirect rule", id))?.regex = regex.to_string();
        }
        _ => {
            let id = st.mint_id();
            st.items.push(Rule {
                id,
                regex: regex.to_string(),
                enabled: true,
            });
        }
    }
    Ok(see_other("/settings/redirects"))
}

async fn delete(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    with_rule(&state, &fields, |rules, i| {
        rules.remove(i);
    })
}

async fn toggle(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    with_rule(&state, &fields, |rules, i| {
        rules[i].enabled = !rules[i].enabled;
    })
}

/// A POST naming one existing rule by `rule_id`: `change` it, then 302 to the list.
fn with_rule(
    state: &AppState,
    fields: &[(String, String)],
    change: impl FnOnce(&mut Vec<Rule>, usize),
) -> Answer {
    let id = required(fields, "rule_id")?;
    let mut st = state.redirects.lock().unwrap();
    let i = st.items.iter().position(|r| r.id.to_string() == id);
    change(
        &mut st.items,
        i.ok_or_else(|| no_such("redirect rule", id))?,
    );
    Ok(see_other("/settings/redirects"))
}

async fn clear(Shared(state): Shared<AppState>) -> Response {
    state.redirects.lock().unwrap().items.clear();
    cleared()
}
