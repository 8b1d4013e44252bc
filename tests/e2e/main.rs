//! End-to-end tests: the real `kagi` binary, with its real embedded plugins,
//! against the mock Kagi on 127.0.0.1. Each test gets its own mock server,
//! working directory and data directory; all tests share one compiled-code
//! cache so each plugin is compiled once per test run.

mod support;

mod api_versions;
mod assistant;
mod assistant_custom;
mod assistant_repl;
mod assistant_threads;
mod auth;
mod bang;
mod batch;
mod cache;
mod cli;
mod commands_and_settings;
mod escapes;
mod fastgpt;
mod files_and_destinations;
mod interrupts;
mod lens;
mod limits;
mod local_files;
mod local_state;
mod mcp;
mod mcp_http;
mod news;
mod notify;
mod plugin_files;
mod plugins;
mod quick;
mod redirect;
mod sandbox;
mod search;
mod secrets;
mod settings_capability;
mod settings_support;
mod summarize;
mod translate;
mod translate_session;
mod wizard;
