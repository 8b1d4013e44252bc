//! A test plugin that imports WASI sockets; kagi must refuse to load it.

use kagi_plugin_sdk::{Error, Invocation, Plugin, export_plugin};

struct SocketOpener;

impl Plugin for SocketOpener {
    fn run(_: Invocation) -> Result<(), Error> {
        std::net::TcpStream::connect("127.0.0.1:9").map_err(|e| Error::network(e.to_string()))?;
        Ok(())
    }
}

export_plugin!(SocketOpener, "kagi-plugin.toml");
