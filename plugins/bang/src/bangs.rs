//! The custom bang operations on Kagi's settings pages (wire protocol
//! §6.21): list, get, create, update, delete, and the export/import
//! collection. Every POST goes through one [`SettingsSite`], so a dry run
//! sends none of them and nothing is ever retried.

use crate::args::Changes;
use crate::page::{Bang, ListItem, MODIFY, parse_form, parse_list};
use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::settings_html::sync::Collection;
use kagi_plugin_sdk::settings_html::{Form, SettingsSite, resolve};
use std::cell::RefCell;

pub const LIST: &str = "/settings/custom_bangs";
pub const BLANK_FORM: &str = "/settings/custom_bangs_form";

/// The custom bangs of the signed-in account, for one command.
pub struct Bangs {
    site: SettingsSite,
    /// The command path (`bang custom update`), which parse errors name.
    command: String,
    /// The last list read, for the edit links import needs.
    listed: RefCell<Vec<ListItem>>,
}

impl Bangs {
    pub fn new(command: &str) -> Bangs {
        Bangs {
            site: SettingsSite::new("custom bang settings page"),
            command: command.to_string(),
            listed: RefCell::new(Vec::new()),
        }
    }

    pub fn dry_run(mut self, dry_run: bool) -> Bangs {
        self.site = self.site.dry_run(dry_run);
        self
    }

    pub fn list(&self) -> Result<Vec<ListItem>, Error> {
        let page = self.site.get(LIST)?;
        let items = parse_list(&page.html, &self.command)?;
        self.listed.replace(items.clone());
        Ok(items)
    }

    /// The bang `target` names: its id, its trigger (with or without `!`,
    /// ignoring case) or its name (ignoring case).
    pub fn find(&self, target: &str) -> Result<ListItem, Error> {
        let items = self.list()?;
        let trigger = target.trim_start_matches('!');
        resolve(
            &items,
            target,
            |item, t| item.id == t || item.trigger.eq_ignore_ascii_case(trigger),
            |item| &item.name,
            || Error::config(format!("no custom bang matched '{target}'")),
        )
        .cloned()
    }

    /// The edit form of a listed bang, and the bang it shows.
    pub fn form(&self, item: &ListItem) -> Result<(Form, Bang), Error> {
        parse_form(&self.site.get(&item.edit_url)?, &self.command)
    }

    pub fn get(&self, target: &str) -> Result<Bang, Error> {
        let item = self.find(target)?;
        Ok(self.form(&item)?.1)
    }

    /// Creates a bang from the blank form with `changes` applied; the new
    /// bang as Kagi then shows it (none in a dry run).
    pub fn create(&self, changes: &Changes) -> Result<Option<Bang>, Error> {
        let (form, mut bang) = parse_form(&self.site.get(BLANK_FORM)?, &self.command)?;
        changes.apply(&mut bang);
        self.create_from(&form, &bang)
    }

    fn create_from(&self, blank: &Form, bang: &Bang) -> Result<Option<Bang>, Error> {
        // `bang_id` goes first only when the blank form has one (§6.21).
        let id = blank.text("bang_id");
        let fields = blank.submission(&bang.known_fields(id.as_deref()));
        let Some(landed) = self.site.post(MODIFY, &fields)? else {
            return Ok(None);
        };
        let created = match landed.query_param("bang_id").filter(|id| !id.is_empty()) {
            Some(id) => self.find(&id)?,
            None => self.find(&bang.trigger).map_err(|_| {
                Error::config(format!(
                    "Kagi accepted the custom bang '!{}' but does not list it",
                    bang.trigger
                ))
            })?,
        };
        Ok(Some(self.form(&created)?.1))
    }

    /// Changes what `changes` names on the bang `target` names, sending
    /// every other field of its form back as it was.
    pub fn update(&self, target: &str, changes: &Changes) -> Result<Option<Bang>, Error> {
        let item = self.find(target)?;
        let (form, mut bang) = self.form(&item)?;
        changes.apply(&mut bang);
        self.update_from(&item, &form, &bang)
    }

    fn update_from(
        &self,
        item: &ListItem,
        form: &Form,
        bang: &Bang,
    ) -> Result<Option<Bang>, Error> {
        let fields = form.submission(&bang.known_fields(Some(&item.id)));
        if self.site.post(MODIFY, &fields)?.is_none() {
            return Ok(None);
        }
        let updated = self.find(&item.id)?;
        Ok(Some(self.form(&updated)?.1))
    }

    /// Deletes the bang `target` names; its id.
    pub fn delete(&self, target: &str) -> Result<String, Error> {
        let item = self.find(target)?;
        // As the reference does: the bang's form must still be there.
        self.form(&item)?;
        let fields = vec![
            ("bang_id".to_string(), item.id.clone()),
            ("delete".to_string(), "1".to_string()),
        ];
        self.site.post(MODIFY, &fields)?;
        Ok(item.id)
    }
}

impl Collection for Bangs {
    type Item = Bang;

    fn site(&self) -> &SettingsSite {
        &self.site
    }

    /// The trigger, without any `!` a hand-written file gives it.
    fn key(item: &Bang) -> String {
        item.trigger.trim_start_matches('!').to_string()
    }

    fn same(existing: &Bang, wanted: &Bang) -> bool {
        existing
            .trigger
            .trim_start_matches('!')
            .eq_ignore_ascii_case(wanted.trigger.trim_start_matches('!'))
    }

    fn export(&self) -> Result<Vec<Bang>, Error> {
        self.list()?
            .iter()
            .map(|item| {
                let mut bang = self.form(item)?.1;
                bang.bang_id.get_or_insert_with(|| item.id.clone());
                Ok(bang)
            })
            .collect()
    }

    fn create(&self, item: &Bang) -> Result<(), Error> {
        let (blank, _) = parse_form(&self.site.get(BLANK_FORM)?, &self.command)?;
        let wanted = Bang {
            trigger: item.trigger.trim_start_matches('!').to_string(),
            ..item.clone()
        };
        self.create_from(&blank, &wanted).map(|_| ())
    }

    fn update(&self, existing: &Bang, wanted: &Bang) -> Result<bool, Error> {
        let wanted = Bang {
            trigger: wanted.trigger.trim_start_matches('!').to_string(),
            ..wanted.clone()
        };
        if existing.same_settings(&wanted) {
            return Ok(false);
        }
        let id = existing.bang_id.clone().unwrap_or_default();
        let item = self
            .listed
            .borrow()
            .iter()
            .find(|item| item.id == id)
            .cloned()
            .ok_or_else(|| Error::config(format!("no custom bang matched '{id}'")))?;
        // The form again, for the fields this version does not know.
        let (form, _) = self.form(&item)?;
        self.update_from(&item, &form, &wanted)?;
        Ok(true)
    }
}
