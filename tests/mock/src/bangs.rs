//! Custom bang settings pages (wire protocol §6.21, checklist rows 27–29),
//! kept per server: the list at `/settings/custom_bangs`, the edit form at
//! `/settings/custom_bangs_form[?bang_id=]` and `POST /bangs/modify`
//! (create, update, or delete with `delete=1`), each POST answered with a
//! 302 to the list.
//!
//! Every server starts with two bangs (`!g` Google, id 1, as in the wire
//! protocol's captured update, and `!mdn`). Their form carries a field this
//! client's version does not know, `category`, whose posted value is stored,
//! so a test proves an update sends it back. `POST /_mock/bangs/clear`
//! empties the account.
//!
//! The POST checks its fields: a missing `bang_id`, `name`, `trigger`,
//! `template`, `snap_domain`, `regex_pattern` or checkbox field is a 400
//! naming it; an unknown id is a 404; a trigger another bang has is a 400.
//!
//! Signed out (no session cookie), every page and POST is a 302 to the
//! sign-in page `/signin` (see `settings_pages.rs`). Drifted layouts are served under
//! `/_drift/<variant>/settings/…`: `no-table` (the list has no
//! `table.custom_bangs_table`), `no-edit-link` (rows without
//! `a.s-edit-btn`), `no-trigger` (the form has no `trigger` input).

use axum::Router;
use axum::extract::{Query, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::pages::escape;
use crate::settings_pages::{
    Account, Answer, Drift, Posted, SignedIn, cleared, error, missing, no_such, page, required,
    see_other, variant, with_drift,
};
use crate::{AppState, param};

/// One custom bang as Kagi stores it (the trigger without `!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bang {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) trigger: String,
    pub(crate) template: String,
    pub(crate) snap_domain: String,
    pub(crate) regex_pattern: String,
    pub(crate) shortcut_menu: bool,
    pub(crate) fmt_open_snap_domain: bool,
    pub(crate) fmt_open_base_path: bool,
    pub(crate) fmt_url_encode_placeholder: bool,
    pub(crate) fmt_url_encode_space_to_plus: bool,
    /// A field newer than the client: it must survive updates.
    pub(crate) category: String,
}

/// What this module remembers between requests.
pub(crate) type State = Account<Bang>;

impl Default for State {
    fn default() -> Self {
        Account::new(
            vec![
                Bang {
                    id: 1,
                    name: "Google".into(),
                    trigger: "g".into(),
                    template: "https://google.com/search?q=%s".into(),
                    snap_domain: "google.com".into(),
                    regex_pattern: String::new(),
                    shortcut_menu: true,
                    fmt_open_snap_domain: false,
                    fmt_open_base_path: true,
                    fmt_url_encode_placeholder: false,
                    fmt_url_encode_space_to_plus: true,
                    category: "search".into(),
                },
                Bang {
                    id: 2,
                    name: "MDN Docs".into(),
                    trigger: "mdn".into(),
                    template: "https://developer.mozilla.org/search?q=%s".into(),
                    snap_domain: "developer.mozilla.org".into(),
                    regex_pattern: "^mdn (.*)$".into(),
                    shortcut_menu: false,
                    fmt_open_snap_domain: true,
                    fmt_open_base_path: false,
                    fmt_url_encode_placeholder: true,
                    fmt_url_encode_space_to_plus: false,
                    category: "docs".into(),
                },
            ],
            3,
        )
    }
}

pub(crate) fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/bangs/modify", post(modify))
        .route("/_mock/bangs/clear", post(clear));
    let router = with_drift(router, "/settings/custom_bangs", get(list));
    with_drift(router, "/settings/custom_bangs_form", get(form))
}

/// The checkbox fields of the form, in the form's order.
const CHECKBOXES: [&str; 5] = [
    "shortcut_menu",
    "fmt_open_snap_domain",
    "fmt_open_base_path",
    "fmt_url_encode_placeholder",
    "fmt_url_encode_space_to_plus",
];

async fn list(_: SignedIn, Shared(state): Shared<AppState>, drift: Drift) -> Answer {
    let bangs = state.bangs.lock().unwrap().items.clone();
    let layout = match variant(drift).as_str() {
        "no-table" => Layout::NoTable,
        "no-edit-link" => Layout::NoEditLink,
        _ => Layout::Normal,
    };
    Ok(page("Custom Bangs", &list_html(&bangs, layout)))
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Normal,
    NoTable,
    NoEditLink,
}

fn list_html(bangs: &[Bang], layout: Layout) -> String {
    if layout == Layout::NoTable {
        // A redesign: cards instead of the table.
        let cards: String = bangs
            .iter()
            .map(|b| {
                format!(
                    r#"<div class="bang-card"><span>{}</span> <code>!{}</code> <a href="/settings/custom_bangs_form?bang_id={}">Edit</a></div>"#,
                    escape(&b.name),
                    escape(&b.trigger),
                    b.id
                )
            })
            .collect();
        return format!(r#"<h1>Custom Bangs</h1><div class="bang-cards">{cards}</div>"#);
    }
    let edit_class = if layout == Layout::NoEditLink {
        "bang-edit"
    } else {
        "s-edit-btn"
    };
    let rows: String = bangs
        .iter()
        .map(|b| {
            format!(
                r#"<tr><td>{name}</td><td>!{trigger}</td><td>{shortcut}</td>
 <td><a class="{edit_class}" href="/settings/custom_bangs_form?bang_id={id}">Edit</a></td></tr>
"#,
                name = escape(&b.name),
                trigger = escape(&b.trigger),
                shortcut = if b.shortcut_menu { "Yes" } else { "No" },
                id = b.id,
            )
        })
        .collect();
    format!(
        r#"<h1>Custom Bangs</h1>
<p>Bangs you define here work like Kagi's own. <a class="s-btn" href="/settings/custom_bangs_form">Add a bang</a></p>
<table class="custom_bangs_table">
<thead><tr><th>Name</th><th>Trigger</th><th>Shortcut menu</th><th></th></tr></thead>
<tbody>
{rows}<tr class="custom_bangs_hint"><td colspan="4">Tip: type !trigger in the search box.</td></tr>
</tbody></table>"#
    )
}

async fn form(
    _: SignedIn,
    Shared(state): Shared<AppState>,
    drift: Drift,
    Query(query): Query<Vec<(String, String)>>,
) -> Answer {
    let bang = match param(&query, "bang_id") {
        None | Some("") => None,
        Some(id) => {
            let found = state
                .bangs
                .lock()
                .unwrap()
                .items
                .iter()
                .find(|b| b.id.to_string() == id)
                .cloned();
            Some(found.ok_or_else(|| no_such("custom bang", id))?)
        }
    };
    let with_trigger = variant(drift) != "no-trigger";
    Ok(page("Custom Bang", &form_html(bang.as_ref(), with_trigger)))
}

fn form_html(bang: Option<&Bang>, with_trigger: bool) -> String {
    let text = |name: &str, value: &str| {
        format!(
            r#"<label>{name}<input type="text" name="{name}" value="{}"></label>"#,
            escape(value)
        )
    };
    let b = bang.cloned().unwrap_or(Bang {
        id: 0,
        name: String::new(),
        trigger: String::new(),
        template: String::new(),
        snap_domain: String::new(),
        regex_pattern: String::new(),
        shortcut_menu: false,
        fmt_open_snap_domain: false,
        fmt_open_base_path: false,
        fmt_url_encode_placeholder: false,
        fmt_url_encode_space_to_plus: false,
        category: "general".into(),
    });
    let id = bang.map(|b| b.id.to_string()).unwrap_or_default();
    let checked = [
        b.shortcut_menu,
        b.fmt_open_snap_domain,
        b.fmt_open_base_path,
        b.fmt_url_encode_placeholder,
        b.fmt_url_encode_space_to_plus,
    ];
    let boxes: String = CHECKBOXES
        .iter()
        .zip(checked)
        .map(|(name, on)| {
            format!(
                r#"<label><input type="checkbox" name="{name}"{} value="true"> {name}</label>"#,
                if on { " checked" } else { "" }
            )
        })
        .collect();
    let trigger = if with_trigger {
        text("trigger", &b.trigger)
    } else {
        // Drift: the field was renamed.
        text("shortcut", &b.trigger)
    };
    let delete = if bang.is_some() {
        format!(
            r#"<form class="s-form-delete" action="/bangs/modify" method="POST"><input type="hidden" name="bang_id" value="{id}"><input type="hidden" name="delete" value="1"><button type="submit">Delete</button></form>"#
        )
    } else {
        String::new()
    };
    format!(
        r#"<h1>Custom Bang</h1>
<form class="s-form" action="/bangs/modify" method="POST">
  <input type="hidden" name="bang_id" value="{id}">{name}
  {trigger}{template}
  {snap}{regex}
  {category}
  {boxes}
  <button type="submit">Save</button>
</form>
{delete}"#,
        name = text("name", &b.name),
        template = text("template", &b.template),
        snap = text("snap_domain", &b.snap_domain),
        regex = text("regex_pattern", &b.regex_pattern),
        category = text("category", &b.category),
    )
}

async fn modify(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let id = required(&fields, "bang_id")?;
    let mut st = state.bangs.lock().unwrap();
    let existing = if id.is_empty() {
        None
    } else {
        let at = st.items.iter().position(|b| b.id.to_string() == id);
        Some(at.ok_or_else(|| no_such("custom bang", id))?)
    };
    if param(&fields, "delete") == Some("1") {
        let i = existing.ok_or_else(|| missing("bang_id"))?;
        st.items.remove(i);
        return Ok(see_other("/settings/custom_bangs"));
    }
    let text = |name: &str| {
        param(&fields, name)
            .map(str::to_string)
            .ok_or_else(|| name.to_string())
    };
    let flag = |name: &str| text(name).map(|v| v == "true");
    let parsed = (|| -> Result<Bang, String> {
        Ok(Bang {
            id: 0,
            name: text("name")?,
            trigger: text("trigger")?.trim_start_matches('!').to_string(),
            template: text("template")?,
            snap_domain: text("snap_domain")?,
            regex_pattern: text("regex_pattern")?,
            shortcut_menu: flag(CHECKBOXES[0])?,
            fmt_open_snap_domain: flag(CHECKBOXES[1])?,
            fmt_open_base_path: flag(CHECKBOXES[2])?,
            fmt_url_encode_placeholder: flag(CHECKBOXES[3])?,
            fmt_url_encode_space_to_plus: flag(CHECKBOXES[4])?,
            // Newer than the client: absent means the default.
            category: param(&fields, "category").unwrap_or("general").to_string(),
        })
    })();
    let mut bang = parsed.map_err(|name| missing(&name))?;
    if bang.name.trim().is_empty() || bang.trigger.trim().is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "A bang needs a name and a trigger",
        ));
    }
    let taken = st
        .items
        .iter()
        .enumerate()
        .any(|(i, b)| Some(i) != existing && b.trigger.eq_ignore_ascii_case(&bang.trigger));
    if taken {
        return Err(error(
            StatusCode::BAD_REQUEST,
            &format!("The trigger !{} is already in use", bang.trigger),
        ));
    }
    match existing {
        Some(i) => {
            bang.id = st.items[i].id;
            st.items[i] = bang;
        }
        None => {
            bang.id = st.mint_id();
            st.items.push(bang);
        }
    }
    Ok(see_other("/settings/custom_bangs"))
}

async fn clear(Shared(state): Shared<AppState>) -> Response {
    state.bangs.lock().unwrap().items.clear();
    cleared()
}
