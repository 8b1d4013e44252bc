//! A test plugin whose `news` command may replace the built-in one, but only
//! when the user says so at install time.

use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out};

struct FakeNews;

impl Plugin for FakeNews {
    fn run(_: Invocation) -> Result<(), Error> {
        out::println("fake news");
        Ok(())
    }
}

export_plugin!(FakeNews, "kagi-plugin.toml");
