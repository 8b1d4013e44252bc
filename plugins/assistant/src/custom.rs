//! `kagi assistant custom list|get|create|update|delete`: the user's custom
//! assistants on Kagi's settings pages (cli-surface §1.7, wire protocol
//! §6.19), each command the request sequence the wire protocol gives.

mod args;
mod page;

pub use args::{Create, Update};
pub use kagi_plugin_sdk::settings_html::args::Target;
use kagi_plugin_sdk::settings_html::{SettingsSite, drifted, resolve};
use kagi_plugin_sdk::{Error, Output};
use page::{DELETE, Details, Listed, UPDATE, parse_form, parse_list};
use serde::Serialize;

const LIST: &str = "/html/settings/assistant";
const BLANK_FORM: &str = "/settings/custom_assistant";

fn site() -> SettingsSite {
    SettingsSite::new("custom assistant settings page")
}

fn print<T: Serialize + ?Sized>(value: &T) -> Result<(), Error> {
    Output::json().print(value, None)
}

fn fetch_list(site: &SettingsSite) -> Result<Vec<Listed>, Error> {
    parse_list(&site.get(LIST)?.html)
}

/// The assistant `target` names: its id, its invoke slug (ignoring case) or
/// its unique name (ignoring case).
fn find<'a>(items: &'a [Listed], target: &str) -> Result<&'a Listed, Error> {
    resolve(
        items,
        target,
        |item, t| item.id == t || item.invoke_profile.eq_ignore_ascii_case(t),
        |item| &item.name,
        || Error::config(format!("no assistant matched '{target}'")),
    )
}

/// The edit link of a custom assistant; built-in ones have none.
fn edit_url<'a>(item: &'a Listed, target: &str) -> Result<&'a str, Error> {
    item.edit_url.as_deref().ok_or_else(|| {
        Error::config(format!(
            "assistant '{target}' is built in and cannot be modified through custom-assistant commands"
        ))
    })
}

/// A listed custom assistant in full, and its edit form.
fn details(
    site: &SettingsSite,
    item: &Listed,
    target: &str,
) -> Result<(kagi_plugin_sdk::settings_html::Form, Details), Error> {
    let (form, mut details) = parse_form(&site.get(edit_url(item, target)?)?)?;
    details.profile_id.get_or_insert_with(|| item.id.clone());
    Ok((form, details))
}

/// The assistant with `id` as Kagi shows it after a change (list + form).
fn reread(site: &SettingsSite, id: &str) -> Result<Details, Error> {
    let items = fetch_list(site)?;
    let item = items.iter().find(|i| i.id == id).ok_or_else(|| {
        drifted(
            "custom assistant list",
            &format!("assistant {id} is not listed after the change"),
        )
    })?;
    Ok(details(site, item, id)?.1)
}

pub fn list() -> Result<(), Error> {
    print(&fetch_list(&site())?)
}

pub fn get(t: Target) -> Result<(), Error> {
    let site = site();
    let items = fetch_list(&site)?;
    let item = find(&items, &t.target)?;
    print(&details(&site, item, &t.target)?.1)
}

pub fn create(c: Create) -> Result<(), Error> {
    let site = site();
    let (form, mut new) = parse_form(&site.get(BLANK_FORM)?)?;
    // The blank form's profile_id is empty: the POST creates.
    c.changes.apply(&mut new);
    let landed = site
        .post(UPDATE, &new.submission(&form))?
        .ok_or_else(|| Error::internal("the custom assistant was not sent"))?;
    let id = match landed.query_param("id").filter(|id| !id.is_empty()) {
        Some(id) => id,
        None => {
            let items = fetch_list(&site)?;
            find(&items, &new.name)
                .map_err(|_| {
                    drifted(
                        "custom assistant list",
                        &format!("the new assistant '{}' is not listed", new.name),
                    )
                })?
                .id
                .clone()
        }
    };
    print(&reread(&site, &id)?)
}

pub fn update(u: Update) -> Result<(), Error> {
    let site = site();
    let items = fetch_list(&site)?;
    let item = find(&items, &u.target)?;
    let (form, mut changed) = details(&site, item, &u.target)?;
    u.changes.apply(&mut changed);
    site.post(UPDATE, &changed.submission(&form))?;
    print(&reread(&site, &item.id)?)
}

#[derive(Serialize)]
struct Deleted<'a> {
    id: &'a str,
}

pub fn delete(t: Target) -> Result<(), Error> {
    let site = site();
    let items = fetch_list(&site)?;
    let item = find(&items, &t.target)?;
    edit_url(item, &t.target)?;
    site.post(DELETE, &[("profile_id".to_string(), item.id.clone())])?;
    print(&Deleted { id: &item.id })
}

#[cfg(test)]
mod tests {
    use kagi_plugin_sdk::manifest::Manifest;

    #[test]
    fn the_plugin_may_reach_only_the_custom_assistant_settings_pages() {
        let m = Manifest::parse(&crate::__kagi_manifest_text()).unwrap();
        let settings = m
            .capabilities
            .account_settings
            .clone()
            .expect("account-settings");
        assert_eq!(settings.about, "your custom assistants");
        assert_eq!(
            settings.paths,
            [
                "/html/settings/assistant",
                "/settings/custom_assistant",
                "/settings/ast/profiles",
                "/settings/assistant"
            ]
        );
        assert!(!m.capabilities.account);
        // The commands that do not need them cannot reach them.
        for path in [&["assistant", "thread", "list"][..], &["ask-page"]] {
            let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
            let caps = m.command_capabilities(&path).unwrap();
            assert!(caps.account_settings.is_none(), "{path:?}");
        }
    }
}
