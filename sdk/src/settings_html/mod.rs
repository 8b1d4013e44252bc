//! Kagi's settings pages (wire protocol §6.19–§6.22): session-credentialed
//! GETs and form POSTs with the Settings-HTML status family, reading and
//! re-posting HTML forms the way a browser would, picking an item by id or
//! name, the export/import loop the settings plugins share, their command
//! lines ([`args`]: `import` takes the SDK's `settings-import` argument
//! group) and the drift error (`<where>: <what>; Kagi's settings page may
//! have changed`) with the small readers every page parser needs.
//!
//! Behind the SDK's `html` feature (it brings in `scraper`).
//!
//! ```ignore
//! use kagi_plugin_sdk::settings_html::{Form, SettingsSite};
//!
//! let site = SettingsSite::new("lens settings page");
//! let page = site.get("/settings/update_lens?id=22524")?;
//! let form = Form::parse(&page.document(), "form[action=\"/lenses/update\"]")
//!     .ok_or_else(|| Error::parse("lens form not found"))?;
//! let fields = form.submission(&[("name".into(), "Reddit".into())]);
//! let done = site.post("/lenses/update", &fields)?; // None in a dry run
//! ```

pub mod args;
mod form;
mod parse;
mod resolve;
mod site;
pub mod sync;

pub use form::Form;
pub use parse::{drifted, selector, text_of, toggle_on};
pub use resolve::resolve;
pub use site::{Page, PlannedRequest, SettingsSite, query_param};

/// Re-exported so plugins parse pages with the same `scraper` as the SDK.
pub use scraper;
