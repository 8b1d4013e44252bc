//! `lens export` and `lens import FILE [--dry-run]`: lenses by name
//! (ignoring case), with their enabled state.

use crate::commands::{create_with, details, toggle};
use crate::lens::Lens;
use crate::list::{self, Listed};
use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::args::Import;
use kagi_plugin_sdk::settings_html::sync::{self, Collection};
use kagi_plugin_sdk::settings_html::{Form, SettingsSite};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

struct Lenses<'a> {
    site: &'a SettingsSite,
    /// What export read of each lens, by id: an update needs its form and
    /// its toggle field.
    read: RefCell<HashMap<String, (Listed, Form)>>,
}

impl<'a> Lenses<'a> {
    fn new(site: &'a SettingsSite) -> Self {
        Lenses {
            site,
            read: RefCell::new(HashMap::new()),
        }
    }
}

impl Collection for Lenses<'_> {
    type Item = Lens;

    fn site(&self) -> &SettingsSite {
        self.site
    }

    fn key(item: &Lens) -> String {
        item.name.clone()
    }

    fn same(existing: &Lens, wanted: &Lens) -> bool {
        existing.name.to_lowercase() == wanted.name.to_lowercase()
    }

    fn export(&self) -> Result<Vec<Lens>, Error> {
        let mut lenses = Vec::new();
        for listed in list::fetch(self.site)? {
            let (mut lens, form) = details(self.site, &listed)?;
            lens.enabled = Some(listed.enabled);
            lens.id = Some(listed.id.clone());
            self.read
                .borrow_mut()
                .insert(listed.id.clone(), (listed, form));
            lenses.push(lens);
        }
        Ok(lenses)
    }

    fn create(&self, item: &Lens) -> Result<(), Error> {
        let created = create_with(self.site, |lens| {
            *lens = Lens {
                id: lens.id.clone(),
                enabled: None,
                ..item.clone()
            };
        })?;
        match (created, item.enabled) {
            (Some(listed), Some(enabled)) if listed.enabled != enabled => {
                toggle(self.site, &listed)
            }
            // A dry run cannot know the new lens's id or position; Kagi
            // enables new lenses, so only disabling one is planned.
            (None, Some(false)) => {
                let fields = [
                    ("lens_id".to_string(), "<id of the new lens>".to_string()),
                    ("active_index".to_string(), "<its position>".to_string()),
                ];
                self.site.post("/lenses/subscribe", &fields).map(drop)
            }
            _ => Ok(()),
        }
    }

    fn update(&self, existing: &Lens, wanted: &Lens) -> Result<bool, Error> {
        let id = existing.id.clone().unwrap_or_default();
        let (listed, form) = self
            .read
            .borrow()
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::internal(format!("lens {id} was not read by the export")))?;
        let mut changed = false;
        if !existing.same_settings(wanted) {
            let lens = Lens {
                id: existing.id.clone(),
                enabled: None,
                ..wanted.clone()
            };
            self.site.post("/lenses/update", &lens.submission(&form))?;
            changed = true;
        }
        if wanted
            .enabled
            .is_some_and(|enabled| enabled != listed.enabled)
        {
            toggle(self.site, &listed)?;
            changed = true;
        }
        Ok(changed)
    }
}

pub fn export(site: &SettingsSite) -> Result<Value, Error> {
    Ok(serde_json::to_value(Lenses::new(site).export()?)?)
}

pub fn import(site: &SettingsSite, args: &Import) -> Result<Value, Error> {
    let items: Vec<Lens> = args.items()?;
    if let Some(n) = items.iter().position(|l| l.name.trim().is_empty()) {
        return Err(Error::config(format!(
            "{}: lens {} has an empty name",
            args.what(),
            n + 1
        )));
    }
    Ok(serde_json::to_value(sync::import(
        &Lenses::new(site),
        &items,
    )?)?)
}
