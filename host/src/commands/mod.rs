//! The host's own commands (the rest are plugins). A command uses the host
//! services (config, credentials, net, keyring, paths), never the plugin
//! runtime.

pub mod auth;
pub mod mcp;
pub mod notify;
pub mod plugin;
