use kagi_plugin_sdk::{export_plugin, out, Error, Invocation, Plugin};

struct News;

impl Plugin for News {
    fn run(inv: Invocation) -> Result<(), Error> {
        out::println(&format!("news {:?}", inv.value("limit")));
        Ok(())
    }
}

export_plugin!(News, "kagi-plugin.toml");
