//! Lens settings pages (wire protocol §6.20, checklist rows 20–26), kept per
//! server: the list at `/html/settings/lenses` (and `/settings/lenses`, where
//! changes land), the blank form at `/settings/create_lens`, the edit form at
//! `/settings/update_lens?id=`, and `POST /lenses/create|update|delete|subscribe`,
//! each answered with a 302.
//!
//! Every server starts with two lenses: `Reddit` (id 22524, enabled, at
//! position 0, the wire protocol's example) and `News` (id 1, disabled).
//! Their form carries a field this client's version does not know,
//! `lens_color`, whose posted value is stored, so a test proves an update
//! sends it back. Checkboxes are followed by Kagi's hidden `value="false"`
//! twins. `POST /_mock/lenses/clear` empties the account.
//!
//! The POSTs check their fields: create and update need all 16 fields
//! (update also `id`), delete `id`, subscribe `lens_id` and the toggle field
//! the list gave (`active_index` for an enabled lens, `next_index` for a
//! disabled one); a missing one is a 400 naming it, an unknown id a 404.
//! Subscribe flips the lens, so a re-list shows the new state.
//!
//! Signed out, every page and POST is a 302 to the sign-in page (see
//! `settings_pages.rs`). Drifted layouts are served under `/_drift/<variant>/…`:
//! `no-items` (the list is a redesign without `form.__lens_item` and
//! without the create link), `no-index` (items without `active_index` or
//! `next_index`), `no-name-field` (the forms have no `name` input).

use axum::Router;
use axum::extract::{Query, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::pages::escape;
use crate::settings_pages::{
    Account, Answer, Drift, Posted, Refusal, SignedIn, cleared, error, no_such, page, required,
    see_other, variant, with_drift,
};
use crate::{AppState, param};

/// The text fields of the form, in the order the client posts them (with
/// the radios, checkboxes and `date_range` among them, see [`FIELDS`]).
const FIELDS: [&str; 16] = [
    "name",
    "included_sites",
    "included_keywords",
    "description",
    "search_region",
    "date_range",
    "before_time",
    "after_time",
    "excluded_sites",
    "excluded_keywords",
    "shortcut_keyword",
    "autocomplete_keywords",
    "template",
    "file_type",
    "share_with_team",
    "share_copy_code",
];

const CHECKBOXES: [&str; 3] = [
    "autocomplete_keywords",
    "share_with_team",
    "share_copy_code",
];

const REGIONS: [&str; 4] = ["no_region", "us", "de", "jp"];

/// One lens as Kagi stores it: the posted fields (without `date_range`),
/// by name, in [`FIELDS`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lens {
    pub(crate) id: u64,
    pub(crate) enabled: bool,
    pub(crate) fields: Vec<(String, String)>,
    /// A field newer than the client: it must survive updates.
    pub(crate) lens_color: String,
}

impl Lens {
    fn get(&self, name: &str) -> &str {
        param(&self.fields, name).unwrap_or_default()
    }

    fn blank() -> Lens {
        Lens {
            id: 0,
            enabled: true,
            fields: FIELDS
                .iter()
                .filter(|f| **f != "date_range")
                .map(|f| {
                    let value = match *f {
                        "search_region" => "no_region",
                        "template" => "0",
                        "autocomplete_keywords" | "share_with_team" | "share_copy_code" => "false",
                        _ => "",
                    };
                    (f.to_string(), value.to_string())
                })
                .collect(),
            lens_color: "grey".into(),
        }
    }

    fn with(mut self, name: &str, value: &str) -> Lens {
        if let Some(slot) = self.fields.iter_mut().find(|(k, _)| k == name) {
            slot.1 = value.to_string();
        }
        self
    }
}

/// What this module remembers between requests. Enabled lenses come first,
/// in their positions; a lens switched on goes to the end of them.
pub(crate) type State = Account<Lens>;

impl Default for State {
    fn default() -> Self {
        let reddit = Lens {
            id: 22524,
            lens_color: "teal".into(),
            ..Lens::blank()
        }
        .with("name", "Reddit")
        .with("included_sites", "reddit.com")
        .with("shortcut_keyword", "reddit")
        .with("autocomplete_keywords", "true")
        .with("file_type", "pdf")
        .with("share_copy_code", "true");
        let news = Lens {
            id: 1,
            enabled: false,
            lens_color: "navy".into(),
            ..Lens::blank()
        }
        .with("name", "News")
        .with("included_sites", "apnews.com,reuters.com")
        .with("description", "Wire services")
        .with("search_region", "us")
        .with("after_time", "2024-01-01")
        .with("template", "1");
        Account::new(vec![reddit, news], 30000)
    }
}

impl Account<Lens> {
    fn position(&self, id: u64) -> Option<usize> {
        self.items.iter().position(|l| l.id == id)
    }

    fn enabled_count(&self) -> usize {
        self.items.iter().filter(|l| l.enabled).count()
    }

    /// Keeps enabled lenses first (in their order), then the disabled ones.
    fn settle(&mut self) {
        self.items.sort_by_key(|l| !l.enabled);
    }
}

pub(crate) fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/settings/lenses", get(list))
        .route("/lenses/create", post(create))
        .route("/lenses/update", post(update))
        .route("/lenses/delete", post(delete))
        .route("/lenses/subscribe", post(subscribe))
        .route("/_mock/lenses/clear", post(clear));
    let router = with_drift(router, "/html/settings/lenses", get(list));
    let router = with_drift(router, "/settings/create_lens", get(create_form));
    with_drift(router, "/settings/update_lens", get(edit_form))
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Normal,
    NoItems,
    NoIndex,
    NoNameField,
}

fn layout(drift: Drift) -> Layout {
    match variant(drift).as_str() {
        "no-items" => Layout::NoItems,
        "no-index" => Layout::NoIndex,
        "no-name-field" => Layout::NoNameField,
        _ => Layout::Normal,
    }
}

async fn list(_: SignedIn, Shared(state): Shared<AppState>, drift: Drift) -> Answer {
    let st = state.lenses.lock().unwrap();
    Ok(page("Lenses", &list_html(&st, layout(drift))))
}

fn list_html(st: &State, layout: Layout) -> String {
    if layout == Layout::NoItems {
        // A redesign: cards, and a create button instead of the link.
        let cards: String = st
            .items
            .iter()
            .map(|l| {
                format!(
                    r#"<li class="lens-card" data-id="{}"><h3>{}</h3></li>"#,
                    l.id,
                    escape(l.get("name"))
                )
            })
            .collect();
        return format!(
            r#"<h1>Lenses</h1><button data-action="new-lens">New</button><ul class="lens-cards">{cards}</ul>"#
        );
    }
    let enabled = st.enabled_count();
    let items: String = st
        .items
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let index = match (layout, l.enabled) {
                (Layout::NoIndex, _) => String::new(),
                (_, true) => {
                    format!(r#"<input type="hidden" name="active_index" value="{i}">"#)
                }
                (_, false) => {
                    format!(r#"<input type="hidden" name="next_index" value="{enabled}">"#)
                }
            };
            let desc = match l.get("description") {
                "" => String::new(),
                d => format!(r#"<p class="lens_desc">{}</p>"#, escape(d)),
            };
            format!(
                r#"<form class="__lens_item" action="/lenses/move" method="POST"><input type="hidden" name="lens_id" value="{id}">{index}
 <a class="lens_title" href="/settings/update_lens?id={id}"><div>{name}</div><span class="badge">{state}</span></a>{desc}
 <div class="lens_edit_lens"><a aria-label="Edit lens" href="/settings/update_lens?id={id}">Edit</a></div>
 <button class="lens_toggle" formaction="/lenses/subscribe">Toggle</button></form>
"#,
                id = l.id,
                name = escape(l.get("name")),
                state = if l.enabled { "On" } else { "Off" },
            )
        })
        .collect();
    format!(
        r#"<h1>Lenses</h1>
<p>Lenses focus your searches. <a class="s-btn" href="/settings/create_lens">Create a lens</a></p>
<div class="lens_list">
{items}</div>"#
    )
}

async fn create_form(_: SignedIn, drift: Drift) -> Answer {
    Ok(page("Create lens", &form_html(None, layout(drift))))
}

async fn edit_form(
    _: SignedIn,
    Shared(state): Shared<AppState>,
    drift: Drift,
    Query(query): Query<Vec<(String, String)>>,
) -> Answer {
    let id = param(&query, "id").unwrap_or_default();
    let st = state.lenses.lock().unwrap();
    match st.items.iter().find(|l| l.id.to_string() == id) {
        Some(lens) => Ok(page("Edit lens", &form_html(Some(lens), layout(drift)))),
        None => Err(no_such("lens", id)),
    }
}

/// The lens form: the blank one (no `id` input) or a lens's edit form.
fn form_html(lens: Option<&Lens>, layout: Layout) -> String {
    let blank = Lens::blank();
    let l = lens.unwrap_or(&blank);
    let text = |name: &str, kind: &str| {
        format!(
            r#"<label>{name}<input type="{kind}" name="{name}" value="{}"></label>"#,
            escape(l.get(name))
        )
    };
    let radios = |name: &str, values: &[&str]| -> String {
        values
            .iter()
            .map(|v| {
                let checked = if l.get(name) == *v { " checked" } else { "" };
                format!(r#"<input type="radio" name="{name}" value="{v}"{checked}>"#)
            })
            .collect()
    };
    let checkbox = |name: &str| {
        let checked = if l.get(name) == "true" {
            " checked"
        } else {
            ""
        };
        format!(
            r#"<input type="checkbox" name="{name}" value="true"{checked}><input type="hidden" name="{name}" value="false">"#
        )
    };
    let (action, id) = match lens {
        Some(lens) => (
            "/lenses/update",
            format!(r#"<input type="hidden" name="id" value="{}">"#, lens.id),
        ),
        None => ("/lenses/create", String::new()),
    };
    let name = if layout == Layout::NoNameField {
        // Drift: the field was renamed.
        format!(
            r#"<input type="text" name="title" value="{}">"#,
            escape(l.get("name"))
        )
    } else {
        text("name", "text")
    };
    // Kagi shows an empty "before" date as `none`.
    let before = match l.get("before_time") {
        "" => "none".to_string(),
        d => escape(d),
    };
    format!(
        r#"<h1>Lens</h1>
<form class="s-form" action="{action}" method="POST">
  {id}{name}
  {sites}{keywords}
  {description}
  {regions}
  <input type="date" name="before_time" value="{before}">{after}
  {excluded_sites}{excluded_keywords}
  {shortcut}
  {autocomplete}{templates}
  {file_type}
  {share_with_team}{share_copy_code}
  <input type="hidden" name="lens_color" value="{color}">
  <button type="submit">Save</button>
</form>"#,
        sites = text("included_sites", "text"),
        keywords = text("included_keywords", "text"),
        description = text("description", "text"),
        regions = radios("search_region", &REGIONS),
        after = text("after_time", "date"),
        excluded_sites = text("excluded_sites", "text"),
        excluded_keywords = text("excluded_keywords", "text"),
        shortcut = text("shortcut_keyword", "text"),
        autocomplete = checkbox("autocomplete_keywords"),
        templates = radios("template", &["0", "1"]),
        file_type = text("file_type", "text"),
        share_with_team = checkbox("share_with_team"),
        share_copy_code = checkbox("share_copy_code"),
        color = escape(&l.lens_color),
    )
}

/// The lens a create or update form describes, or why it is refused (a 400).
fn posted_lens(fields: &[(String, String)]) -> Result<Lens, String> {
    let mut lens = Lens::blank();
    for name in FIELDS {
        let Some(value) = param(fields, name) else {
            return Err(format!("Missing form field {name}"));
        };
        if name == "date_range" {
            if value != "0" {
                return Err("date_range must be 0".into());
            }
            continue;
        }
        if CHECKBOXES.contains(&name) && value != "true" && value != "false" {
            return Err(format!("{name} must be true or false"));
        }
        lens = lens.with(name, value);
    }
    if lens.get("name").trim().is_empty() {
        return Err("A lens needs a name".into());
    }
    // Newer than the client: absent means the default.
    lens.lens_color = param(fields, "lens_color").unwrap_or("grey").to_string();
    Ok(lens)
}

fn landing(id: u64) -> Response {
    see_other(&format!("/settings/update_lens?id={id}"))
}

async fn create(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let mut lens = posted_lens(&fields).map_err(|why| error(StatusCode::BAD_REQUEST, &why))?;
    let mut st = state.lenses.lock().unwrap();
    lens.id = st.mint_id();
    st.items.push(lens.clone());
    st.settle();
    Ok(landing(lens.id))
}

/// Where the lens `id` stands in the account; a 404 when it has none.
fn find(st: &State, id: &str) -> Result<usize, Refusal> {
    id.parse()
        .ok()
        .and_then(|id| st.position(id))
        .ok_or_else(|| no_such("lens", id))
}

async fn update(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let id = required(&fields, "id")?;
    let lens = posted_lens(&fields).map_err(|why| error(StatusCode::BAD_REQUEST, &why))?;
    let mut st = state.lenses.lock().unwrap();
    let i = find(&st, id)?;
    let stored = &mut st.items[i];
    stored.fields = lens.fields;
    stored.lens_color = lens.lens_color;
    Ok(landing(stored.id))
}

async fn delete(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let id = required(&fields, "id")?;
    let mut st = state.lenses.lock().unwrap();
    let i = find(&st, id)?;
    st.items.remove(i);
    Ok(see_other("/settings/lenses"))
}

async fn subscribe(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let id = required(&fields, "lens_id")?;
    let mut st = state.lenses.lock().unwrap();
    let i = find(&st, id)?;
    // The list gives an enabled lens `active_index` and a disabled one
    // `next_index`: the field tells which way the flip goes.
    let toggle = if st.items[i].enabled {
        "active_index"
    } else {
        "next_index"
    };
    required(&fields, toggle)?;
    let mut lens = st.items.remove(i);
    lens.enabled = !lens.enabled;
    // Switched on: after the other enabled lenses.
    let at = st.enabled_count();
    st.items.insert(at, lens);
    st.settle();
    Ok(see_other("/settings/lenses"))
}

async fn clear(Shared(state): Shared<AppState>) -> Response {
    state.lenses.lock().unwrap().items.clear();
    cleared()
}
