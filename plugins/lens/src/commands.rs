//! The lens commands, each the request sequence of wire protocol §6.20.

use crate::args::{Create, Update};
use crate::lens::{Lens, read_form};
use crate::list::{self, Listed};
use kagi_plugin_sdk::settings_html::{Form, SettingsSite, drifted};
use kagi_plugin_sdk::{Error, out};
use serde_json::{Value, json};

pub const CREATE_FORM_PATH: &str = "/settings/create_lens";

fn to_value(lens: &Lens) -> Result<Value, Error> {
    Ok(serde_json::to_value(lens)?)
}

pub fn list(site: &SettingsSite) -> Result<Value, Error> {
    Ok(serde_json::to_value(list::fetch(site)?)?)
}

/// A listed lens in full detail, and its edit form.
pub fn details(site: &SettingsSite, listed: &Listed) -> Result<(Lens, Form), Error> {
    let form = read_form(&site.get(&listed.edit_url)?)?;
    let mut lens = Lens::from_form(&form)?;
    lens.id.get_or_insert_with(|| listed.id.clone());
    Ok((lens, form))
}

pub fn get(site: &SettingsSite, target: &str) -> Result<Value, Error> {
    let lenses = list::fetch(site)?;
    to_value(&details(site, list::find(&lenses, target)?)?.0)
}

/// Creates a lens from the blank form, with `fill` setting its fields;
/// returns it as listed after the create (none in a dry run).
pub fn create_with(
    site: &SettingsSite,
    fill: impl FnOnce(&mut Lens),
) -> Result<Option<Listed>, Error> {
    let form = read_form(&site.get(CREATE_FORM_PATH)?)?;
    let mut lens = Lens::from_form(&form)?;
    fill(&mut lens);
    let Some(landed) = site.post("/lenses/create", &lens.submission(&form))? else {
        return Ok(None);
    };
    let lenses = list::fetch(site)?;
    let created = match landed.query_param("id") {
        Some(id) => lenses.iter().find(|l| l.id == id),
        None => lenses
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(&lens.name)),
    };
    created.cloned().map(Some).ok_or_else(|| {
        drifted(
            "lens list",
            &format!("the new lens '{}' is not in the list", lens.name),
        )
    })
}

pub fn create(site: &SettingsSite, args: &Create) -> Result<Value, Error> {
    let created = create_with(site, |lens| {
        lens.name.clone_from(&args.name);
        lens.apply(&args.changes);
    })?
    .expect("only dry runs send nothing");
    to_value(&details(site, &created)?.0)
}

pub fn update(site: &SettingsSite, args: &Update) -> Result<Value, Error> {
    let lenses = list::fetch(site)?;
    let listed = list::find(&lenses, &args.target)?;
    let (mut lens, form) = details(site, listed)?;
    if let Some(name) = &args.name {
        lens.name.clone_from(name);
    }
    lens.apply(&args.changes);
    site.post("/lenses/update", &lens.submission(&form))?;
    let lenses = list::fetch(site)?;
    let updated = refreshed(&lenses, &listed.id)?;
    to_value(&details(site, updated)?.0)
}

/// The lens with `id` in a list read after a change.
fn refreshed<'a>(lenses: &'a [Listed], id: &str) -> Result<&'a Listed, Error> {
    lenses
        .iter()
        .find(|l| l.id == id)
        .ok_or_else(|| drifted("lens list", &format!("lens {id} is no longer listed")))
}

pub fn delete(site: &SettingsSite, target: &str) -> Result<Value, Error> {
    let lenses = list::fetch(site)?;
    let listed = list::find(&lenses, target)?;
    site.post("/lenses/delete", &[("id".to_string(), listed.id.clone())])?;
    Ok(json!({ "id": listed.id }))
}

/// Flips a listed lens with `/lenses/subscribe` (the toggle field the list
/// gave it).
pub fn toggle(site: &SettingsSite, listed: &Listed) -> Result<(), Error> {
    let fields = [
        ("lens_id".to_string(), listed.id.clone()),
        listed.toggle.clone(),
    ];
    site.post("/lenses/subscribe", &fields).map(drop)
}

pub fn set_enabled(site: &SettingsSite, target: &str, enabled: bool) -> Result<Value, Error> {
    let lenses = list::fetch(site)?;
    let listed = list::find(&lenses, target)?;
    if listed.enabled == enabled {
        let state = if enabled { "enabled" } else { "disabled" };
        out::eprintln(&format!(
            "lens '{}' is already {state}; nothing to change",
            listed.name
        ));
        return Ok(json!({ "id": listed.id, "enabled": enabled }));
    }
    toggle(site, listed)?;
    // Reported from the list Kagi shows now, not assumed.
    let lenses = list::fetch(site)?;
    let now = refreshed(&lenses, &listed.id)?;
    Ok(json!({ "id": now.id, "enabled": now.enabled }))
}
