//! Custom assistants on the settings pages (wire protocol §6.19, checklist
//! rows 16–19), kept per server: the list at `/html/settings/assistant`
//! (also served at `/settings/assistant`, where a delete lands), the edit
//! form at `/settings/custom_assistant[?id=]` (blank for a create, with a
//! checked `selected_lens`), `POST /settings/ast/profiles/update` (302 to
//! `/settings/custom_assistant?id=<id>`) and `POST
//! /settings/ast/profiles/delete` (302 to `/settings/assistant`).
//!
//! Every server starts with two built-in assistants (`Code`, `Research`: no
//! edit link) and two custom ones: `Writer` (id `profile-2`, as in the wire
//! protocol, invoked as `profile-2`) and `Reviewer` (id `profile-3`,
//! invoked as `review-bot`). The form carries a field this client's version
//! does not know, `temperature`, whose posted value is stored, so a test
//! proves an update sends it back.
//!
//! The update POST checks its fields: each of the 8 missing is a 400 naming
//! it, a boolean other than `on`/`false` is a 400, an unknown id a 404, a
//! bang trigger another assistant has a 400. Signed out, every page and POST
//! is a 302 to `/signin`. Drifted layouts are served under
//! `/_drift/<variant>/…`: `no-model` (list items without the model `dd`),
//! `no-lens` (forms without a checked `selected_lens`), `no-table` (the
//! list has no `#custom_mode_table`) and `no-id-redirect` (the update POST
//! redirects to the list, so the client must find a new assistant by name).

use axum::Router;
use axum::extract::{Query, State as Shared};
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::pages::escape;
use crate::settings_pages::{
    Account, Answer, Drift, Posted, SignedIn, error, no_such, page, required, see_other, variant,
    with_drift,
};
use crate::{AppState, param};

/// One assistant as Kagi stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assistant {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The `profile` parameter of its invoke link.
    pub(crate) invoke: String,
    pub(crate) bang_trigger: String,
    pub(crate) internet_access: bool,
    pub(crate) selected_lens: String,
    pub(crate) personalizations: bool,
    pub(crate) base_model: String,
    pub(crate) custom_instructions: String,
    /// A field newer than the client: it must survive updates.
    pub(crate) temperature: String,
    pub(crate) built_in: bool,
}

/// What this module remembers between requests.
pub(crate) type State = Account<Assistant>;

fn assistant(id: &str, name: &str, invoke: &str, built_in: bool) -> Assistant {
    Assistant {
        id: id.into(),
        name: name.into(),
        invoke: invoke.into(),
        bang_trigger: String::new(),
        internet_access: true,
        selected_lens: "0".into(),
        personalizations: true,
        base_model: "claude-4-sonnet".into(),
        custom_instructions: String::new(),
        temperature: "0.7".into(),
        built_in,
    }
}

impl Default for State {
    fn default() -> Self {
        let writer = Assistant {
            bang_trigger: "write".into(),
            selected_lens: "15".into(),
            personalizations: false,
            base_model: "gpt-5-mini".into(),
            custom_instructions: "Write clearly.".into(),
            ..assistant("profile-2", "Writer", "profile-2", false)
        };
        let reviewer = Assistant {
            internet_access: false,
            custom_instructions: "Be blunt.".into(),
            temperature: "0.2".into(),
            ..assistant("profile-3", "Reviewer", "review-bot", false)
        };
        Account::new(
            vec![
                assistant("code", "Code", "code", true),
                assistant("research", "Research", "research", true),
                writer,
                reviewer,
            ],
            4,
        )
    }
}

/// The models the form offers: slug and the name the list shows.
const MODELS: [(&str, &str); 3] = [
    ("gpt-5-mini", "GPT 5 Mini"),
    ("claude-4-sonnet", "Claude 4 Sonnet"),
    ("kimi-k2", "Kimi K2"),
];
/// The lenses the form offers.
const LENSES: [&str; 3] = ["0", "15", "22"];
/// The fields of the update POST, all required.
const FIELDS: [&str; 8] = [
    "profile_id",
    "name",
    "bang_trigger",
    "internet_access",
    "selected_lens",
    "personalizations",
    "base_model",
    "custom_instructions",
];

pub(crate) fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/settings/assistant", get(list))
        .route("/settings/ast/profiles/delete", post(delete));
    let router = with_drift(router, "/html/settings/assistant", get(list));
    let router = with_drift(router, "/settings/custom_assistant", get(form));
    with_drift(router, "/settings/ast/profiles/update", post(update))
}

async fn list(_: SignedIn, Shared(state): Shared<AppState>, drift: Drift) -> Answer {
    let layout = variant(drift);
    let all = state.custom_assistants.lock().unwrap().items.clone();
    let items: String = all.iter().map(|a| item_html(a, &layout)).collect();
    let table = if layout == "no-table" {
        "assistant_cards"
    } else {
        "custom_mode_table"
    };
    Ok(page(
        "Assistant Settings",
        &format!(
            r#"<h1>Assistant</h1><p><a class="s-btn" href="/settings/custom_assistant">Create an assistant</a></p>
<div id="{table}"><ul id="items_p">
{items}</ul></div>"#
        ),
    ))
}

fn model_label(slug: &str) -> &str {
    MODELS
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or(slug, |(_, label)| label)
}

fn item_html(a: &Assistant, variant: &str) -> String {
    let model = if variant == "no-model" {
        String::new()
    } else {
        format!("<dd>{}</dd>", escape(model_label(&a.base_model)))
    };
    let trigger = if a.bang_trigger.is_empty() {
        String::new()
    } else {
        format!("<div>!{}</div>", escape(&a.bang_trigger))
    };
    let edit = if a.built_in {
        String::new()
    } else {
        format!(
            r#"<div class="edit"><a href="/settings/custom_assistant?id={}">Edit</a></div>"#,
            escape(&a.id)
        )
    };
    format!(
        r#" <li class="item" id="{id}"><div class="item-name"><a href="/assistant?profile={invoke}">{name}</a></div>
  <dl class="item-details"><div><dt>Model:</dt>{model}</div>{trigger}<div><dt>Internet Access:</dt><dd>{internet}</dd></div></dl>
  {edit}</li>
"#,
        id = escape(&a.id),
        invoke = escape(&a.invoke),
        name = escape(&a.name),
        internet = if a.internet_access { "On" } else { "Off" },
    )
}

async fn form(
    _: SignedIn,
    Shared(state): Shared<AppState>,
    drift: Drift,
    Query(query): Query<Vec<(String, String)>>,
) -> Answer {
    let existing = match param(&query, "id") {
        None | Some("") => None,
        Some(id) => {
            let st = state.custom_assistants.lock().unwrap();
            let found = st.items.iter().find(|a| a.id == id && !a.built_in);
            Some(
                found
                    .ok_or_else(|| no_such("custom assistant", id))?
                    .clone(),
            )
        }
    };
    Ok(page(
        "Custom Assistant",
        &form_html(existing.as_ref(), variant(drift) == "no-lens"),
    ))
}

fn form_html(existing: Option<&Assistant>, no_lens: bool) -> String {
    let blank = Assistant {
        base_model: "gpt-5-mini".into(),
        ..assistant("", "", "", false)
    };
    let a = existing.unwrap_or(&blank);
    let checked = |on: bool| if on { " checked" } else { "" };
    let checkbox = |name: &str, on: bool| {
        format!(
            r#"<label><input type="checkbox" name="{name}"{} value="on"><input type="hidden" name="{name}" value="false"> {name}</label>"#,
            checked(on)
        )
    };
    let radios = |name: &str, values: &[&str], current: &str, check: bool| -> String {
        let mut values: Vec<&str> = values.to_vec();
        if !values.contains(&current) {
            values.push(current);
        }
        values
            .iter()
            .map(|v| {
                format!(
                    r#"<input type="radio" name="{name}" value="{}"{}>"#,
                    escape(v),
                    checked(check && *v == current)
                )
            })
            .collect()
    };
    let slugs: Vec<&str> = MODELS.iter().map(|(s, _)| *s).collect();
    let delete = if existing.is_some() {
        format!(
            r#"<form class="s-form-delete" action="/settings/ast/profiles/delete" method="POST"><input type="hidden" name="profile_id" value="{}"><button type="submit">Delete</button></form>"#,
            escape(&a.id)
        )
    } else {
        String::new()
    };
    format!(
        r#"<h1>Custom Assistant</h1>
<form class="s-form" action="/settings/ast/profiles/update" method="POST">
  <input type="hidden" name="profile_id" value="{id}"><label>Name <input type="text" name="name" value="{name}"></label>
  <label>Bang <input type="text" name="bang_trigger" value="{trigger}"></label>
  {internet}
  <fieldset>{lenses}</fieldset>
  {personal}
  <fieldset>{models}</fieldset>
  <input type="hidden" name="temperature" value="{temperature}">
  <textarea name="custom_instructions">{instructions}</textarea>
  <button type="submit" name="save" value="1">Save</button>
</form>
{delete}"#,
        id = escape(&a.id),
        name = escape(&a.name),
        trigger = escape(&a.bang_trigger),
        internet = checkbox("internet_access", a.internet_access),
        lenses = radios("selected_lens", &LENSES, &a.selected_lens, !no_lens),
        personal = checkbox("personalizations", a.personalizations),
        models = radios("base_model", &slugs, &a.base_model, true),
        temperature = escape(&a.temperature),
        instructions = escape(&a.custom_instructions),
    )
}

async fn update(Shared(state): Shared<AppState>, drift: Drift, Posted(fields): Posted) -> Answer {
    for field in FIELDS {
        required(&fields, field)?;
    }
    let text = |name: &str| param(&fields, name).unwrap_or_default().to_string();
    // A boolean is `on` or `false`, nothing else.
    let flag = |name: &'static str| match param(&fields, name) {
        Some("on") => Ok(true),
        Some("false") => Ok(false),
        _ => Err(name),
    };
    let (internet_access, personalizations) =
        match (flag("internet_access"), flag("personalizations")) {
            (Ok(i), Ok(p)) => (i, p),
            (Err(name), _) | (_, Err(name)) => {
                let value = param(&fields, name).unwrap_or_default();
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    &format!("Bad value '{value}' for {name}"),
                ));
            }
        };
    let id = text("profile_id");
    let mut st = state.custom_assistants.lock().unwrap();
    let existing = if id.is_empty() {
        None
    } else {
        let at = st.items.iter().position(|a| a.id == id && !a.built_in);
        Some(at.ok_or_else(|| no_such("custom assistant", &id))?)
    };
    let mut saved = Assistant {
        id: String::new(),
        name: text("name"),
        invoke: String::new(),
        bang_trigger: text("bang_trigger"),
        internet_access,
        selected_lens: text("selected_lens"),
        personalizations,
        base_model: text("base_model"),
        custom_instructions: text("custom_instructions"),
        // Newer than the client: absent means the default.
        temperature: param(&fields, "temperature").unwrap_or("0.7").to_string(),
        built_in: false,
    };
    if saved.name.trim().is_empty() {
        return Err(error(StatusCode::BAD_REQUEST, "An assistant needs a name"));
    }
    let taken = st.items.iter().enumerate().any(|(i, a)| {
        Some(i) != existing
            && !saved.bang_trigger.is_empty()
            && a.bang_trigger.eq_ignore_ascii_case(&saved.bang_trigger)
    });
    if taken {
        return Err(error(
            StatusCode::BAD_REQUEST,
            &format!("The bang !{} is already in use", saved.bang_trigger),
        ));
    }
    match existing {
        Some(i) => {
            saved.id.clone_from(&st.items[i].id);
            saved.invoke.clone_from(&st.items[i].invoke);
            st.items[i] = saved.clone();
        }
        None => {
            saved.id = format!("profile-{}", st.mint_id());
            saved.invoke.clone_from(&saved.id);
            st.items.push(saved.clone());
        }
    }
    // The `no-id-redirect` drift lands on the list instead.
    Ok(if variant(drift) == "no-id-redirect" {
        see_other("/settings/assistant")
    } else {
        see_other(&format!("/settings/custom_assistant?id={}", saved.id))
    })
}

async fn delete(Shared(state): Shared<AppState>, Posted(fields): Posted) -> Answer {
    let id = required(&fields, "profile_id")?;
    let mut st = state.custom_assistants.lock().unwrap();
    match st.items.iter().position(|a| a.id == id) {
        Some(i) if st.items[i].built_in => Err(error(
            StatusCode::BAD_REQUEST,
            "Built-in assistants cannot be deleted",
        )),
        Some(i) => {
            st.items.remove(i);
            Ok(see_other("/settings/assistant"))
        }
        None => Err(no_such("custom assistant", id)),
    }
}
