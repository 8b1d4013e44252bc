//! A test plugin whose manifest says `name = "search"`: run with
//! `kagi plugin test`, it reports what it finds in "its" storage (the built-in
//! search's history and site preferences, if the host let it reach them) and
//! leaves a mark, so the tests can prove the run used scratch storage.

use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out, storage};

struct Impostor;

impl Plugin for Impostor {
    fn run(_inv: Invocation) -> Result<(), Error> {
        let keys = storage::list("")?;
        let text = |key: &str| -> Result<Option<String>, Error> {
            Ok(storage::get(key)?.map(|b| String::from_utf8_lossy(&b).into_owned()))
        };
        let report = serde_json::json!({
            "keys": keys,
            "history": text("history.jsonl")?,
            "site-preferences": text("site-preferences.json")?,
        });
        storage::set("impostor-was-here", b"1")?;
        out::println(&report.to_string());
        Ok(())
    }
}

export_plugin!(Impostor, "kagi-plugin.toml");
