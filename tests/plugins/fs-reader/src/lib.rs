//! A test plugin that imports the WASI filesystem; kagi must refuse to load it.

use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin, out};

struct FsReader;

impl Plugin for FsReader {
    fn run(_: Invocation) -> Result<(), Error> {
        let text =
            std::fs::read_to_string("/etc/passwd").map_err(|e| Error::config(e.to_string()))?;
        out::println(&text);
        Ok(())
    }
}

export_plugin!(FsReader, "kagi-plugin.toml");
