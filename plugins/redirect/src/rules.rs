//! The redirect rule operations on Kagi's settings pages (wire protocol
//! §6.22): list, get, create, update, delete, enable/disable, and the
//! export/import collection. Every POST goes through one [`SettingsSite`],
//! so a dry run sends none of them and nothing is ever retried.

use crate::page::{DELETE, ListItem, Redirect, SAVE, TOGGLE, check_rule, parse_form, parse_list};
use kagi_plugin_sdk::settings_html::sync::Collection;
use kagi_plugin_sdk::settings_html::{Page, SettingsSite};
use kagi_plugin_sdk::{Error, out};

pub const LIST: &str = "/settings/redirects";

/// What a dry run's planned toggle of a rule it has not created yet names.
pub const NEW_RULE_ID: &str = "<id of the new rule>";

/// The redirect rules of the signed-in account, for one command.
pub struct Rules {
    site: SettingsSite,
    /// The command path (`redirect enable`), which parse errors name.
    command: String,
}

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

impl Rules {
    pub fn new(command: &str) -> Rules {
        Rules {
            site: SettingsSite::new("redirect settings page"),
            command: command.to_string(),
        }
    }

    pub fn dry_run(mut self, dry_run: bool) -> Rules {
        self.site = self.site.dry_run(dry_run);
        self
    }

    pub fn list(&self) -> Result<Vec<ListItem>, Error> {
        parse_list(&self.site.get(LIST)?.html, &self.command)
    }

    /// The rule `target` names: its id or its exact text.
    pub fn find(&self, target: &str) -> Result<ListItem, Error> {
        self.list()?
            .into_iter()
            .find(|item| item.id == target || item.rule == target)
            .ok_or_else(|| Error::config(format!("no redirect matched '{target}'")))
    }

    /// A listed rule in full: its form's text, its state from the list.
    fn details(&self, item: &ListItem) -> Result<Redirect, Error> {
        let (_, rule) = parse_form(&self.site.get(&item.edit_url)?, &self.command)?;
        Ok(Redirect {
            rule_id: Some(item.id.clone()),
            rule,
            enabled: Some(item.enabled),
        })
    }

    pub fn get(&self, target: &str) -> Result<Redirect, Error> {
        self.details(&self.find(target)?)
    }

    /// Creates a rule; the new rule (none in a dry run).
    pub fn create(&self, rule: &str) -> Result<Option<Redirect>, Error> {
        check_rule(rule)?;
        let Some(landed) = self.site.post(SAVE, &[field("regex", rule)])? else {
            return Ok(None);
        };
        let created = self.created(&landed, rule)?;
        self.details(&created).map(Some)
    }

    /// The rule a create landed on: the id in the final URL, else the
    /// newest listed rule with exactly this text.
    fn created(&self, landed: &Page, rule: &str) -> Result<ListItem, Error> {
        if let Some(id) = landed.query_param("rule_id").filter(|id| !id.is_empty()) {
            return self.find(&id);
        }
        self.list()?
            .into_iter()
            .rfind(|item| item.rule == rule)
            .ok_or_else(|| Error::config(format!("no redirect matched '{rule}'")))
    }

    /// Replaces the text of the rule `target` names, sending every other
    /// field of its form back as it was.
    pub fn update(&self, target: &str, rule: &str) -> Result<Option<Redirect>, Error> {
        check_rule(rule)?;
        let item = self.find(target)?;
        let (form, _) = parse_form(&self.site.get(&item.edit_url)?, &self.command)?;
        let fields = form.submission(&[field("rule_id", &item.id), field("regex", rule)]);
        if self.site.post(SAVE, &fields)?.is_none() {
            return Ok(None);
        }
        self.get(&item.id).map(Some)
    }

    /// Deletes the rule `target` names; its id.
    pub fn delete(&self, target: &str) -> Result<String, Error> {
        let item = self.find(target)?;
        self.site.post(DELETE, &[field("rule_id", &item.id)])?;
        Ok(item.id)
    }

    /// Brings the rule `target` names to `enabled`; its id and its state as
    /// the list then shows it. Kagi's toggle is a flip, so nothing is sent
    /// when the rule is already in that state.
    pub fn set_enabled(&self, target: &str, enabled: bool) -> Result<(String, bool), Error> {
        let item = self.find(target)?;
        if item.enabled == enabled {
            let state = if enabled { "enabled" } else { "disabled" };
            out::eprintln(&format!(
                "redirect {} is already {state}; nothing was changed",
                item.id
            ));
            return Ok((item.id, enabled));
        }
        self.site.post(TOGGLE, &[field("rule_id", &item.id)])?;
        let now = self.find(&item.id)?;
        Ok((now.id, now.enabled))
    }
}

impl Collection for Rules {
    type Item = Redirect;

    fn site(&self) -> &SettingsSite {
        &self.site
    }

    fn key(item: &Redirect) -> String {
        item.rule.clone()
    }

    fn export(&self) -> Result<Vec<Redirect>, Error> {
        self.list()?.iter().map(|item| self.details(item)).collect()
    }

    /// Creates the rule; a rule exported disabled is then toggled off.
    fn create(&self, item: &Redirect) -> Result<(), Error> {
        let landed = self.site.post(SAVE, &[field("regex", &item.rule)])?;
        if item.enabled != Some(false) {
            return Ok(());
        }
        let id = match landed {
            Some(landed) => self.created(&landed, &item.rule)?.id,
            None => NEW_RULE_ID.to_string(),
        };
        self.site.post(TOGGLE, &[field("rule_id", &id)])?;
        Ok(())
    }

    /// An existing rule only gets its enabled state back.
    fn update(&self, existing: &Redirect, wanted: &Redirect) -> Result<bool, Error> {
        let Some(wanted) = wanted.enabled else {
            return Ok(false);
        };
        if existing.enabled == Some(wanted) {
            return Ok(false);
        }
        let id = existing.rule_id.clone().unwrap_or_default();
        self.site.post(TOGGLE, &[field("rule_id", &id)])?;
        Ok(true)
    }
}
