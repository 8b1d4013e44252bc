//! `kagi mcp`: an MCP server whose tools are the commands of every plugin
//! kagi loads, read from their manifests ([`tools`]), called by running kagi
//! itself as the CLI would ([`call`]), narrowed by `--tools`,
//! `--exclude-tools`, `--allow-destructive` and the policy ([`filter`]),
//! plus the reference CLI's tool names ([`compat`]).
//!
//! [`KagiTools`] is the server: an rmcp [`ServerHandler`] any rmcp transport
//! can serve. `kagi mcp` serves it over stdio.

mod call;
mod compat;
mod filter;
mod http;
mod tools;

pub use filter::ToolFilter;
pub use tools::CommandTool;

use crate::capabilities::Policy;
use crate::error::{Error, Result, exit};
use crate::registry::Registry;
use clap::{Arg, ArgAction, ArgMatches, Command};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData as McpError, ServerHandler, ServiceExt};
use std::sync::Arc;

pub fn command() -> Command {
    Command::new("mcp")
        .about("Serve kagi's commands as MCP tools to an AI agent, over stdio")
        .long_about(
            "Serve kagi's commands as MCP tools to an AI agent, over stdio (newline-delimited JSON-RPC).\n\n\
             Every command of every loaded plugin that is a tool (not interactive or long-running) is one, \
             named by its path (`search`, `assistant_thread_list`), with a JSON Schema from its manifest, \
             plus the reference CLI's kagi_search, kagi_summarize, kagi_quick, kagi_news and kagi_news_search. \
             A call runs the command as the CLI would, with the same credentials, grants and policy.",
        )
        .arg(
            Arg::new("tools")
                .long("tools")
                .action(ArgAction::Append)
                .value_name("NAME|GLOB")
                .help("Offer only these tools (repeatable; globs such as 'assistant_*')"),
        )
        .arg(
            Arg::new("exclude-tools")
                .long("exclude-tools")
                .action(ArgAction::Append)
                .value_name("NAME|GLOB")
                .help("Leave these tools out (repeatable; globs such as '*_delete')"),
        )
        .arg(
            Arg::new("allow-destructive")
                .long("allow-destructive")
                .action(ArgAction::SetTrue)
                .help("Also offer tools that delete or change settings (the policy may still forbid them)"),
        )
        .arg(
            Arg::new("http")
                .long("http")
                .value_name("ADDR")
                .help("Serve MCP's Streamable HTTP transport on ADDR (e.g. 127.0.0.1:8765) instead of stdio; every request needs the bearer token kagi prints, or KAGI_MCP_TOKEN"),
        )
        .arg(
            Arg::new("allow-remote")
                .long("allow-remote")
                .action(ArgAction::SetTrue)
                .requires("http")
                .help("Let --http listen on an address other machines can reach"),
        )
        .arg(
            Arg::new("json-lines")
                .long("json-lines")
                .action(ArgAction::SetTrue)
                .help("Accepted for compatibility; messages are always one JSON object per line"),
        )
}

/// What a server offers and how it runs its tools.
#[derive(Debug, Clone, Default)]
pub struct McpOptions {
    /// `--profile NAME`, passed to every command a tool runs.
    pub profile: Option<String>,
    /// The command line's choice of tools; the policy narrows it further.
    pub filter: ToolFilter,
}

impl McpOptions {
    /// From `kagi mcp`'s arguments. A bad glob is a usage error.
    pub fn from_matches(matches: &ArgMatches, profile: Option<String>) -> Result<McpOptions> {
        let list = |name: &str| -> Vec<String> {
            matches
                .get_many::<String>(name)
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        };
        let filter = ToolFilter::new(
            &list("tools"),
            &list("exclude-tools"),
            matches.get_flag("allow-destructive"),
        )
        .map_err(Error::Usage)?;
        Ok(McpOptions { profile, filter })
    }
}

/// `kagi mcp`: serves [`tools_server`] until the client closes stdin.
pub fn run(matches: &ArgMatches, profile: Option<String>, policy: &Policy) -> Result<i32> {
    let options = McpOptions::from_matches(matches, profile)?;
    // A policy whose globs are wrong is refused now, not on the first request.
    narrowed(&options.filter, policy)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Config(format!("cannot start the MCP server: {e}")))?;
    let server = tools_server(options);
    match matches.get_one::<String>("http") {
        Some(addr) => http::run(&runtime, server, addr, matches.get_flag("allow-remote"))?,
        None => runtime.block_on(serve_stdio(server))?,
    }
    Ok(exit::OK)
}

/// Serves `server` on stdin and stdout until the client goes away.
async fn serve_stdio(server: KagiTools) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| Error::Config(format!("MCP server: {e}"));
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| fail(&e))?;
    running.waiting().await.map_err(|e| fail(&e))?;
    Ok(())
}

/// The command line's choice of tools within what the policy allows.
fn narrowed(filter: &ToolFilter, policy: &Policy) -> Result<ToolFilter> {
    filter
        .clone()
        .narrowed_by(&policy.mcp_exclude_tools, policy.mcp_allow_destructive)
        .map_err(Error::Config)
}

/// The MCP server of kagi's tools, for any rmcp transport.
pub fn tools_server(options: McpOptions) -> KagiTools {
    KagiTools {
        options: Arc::new(options),
    }
}

/// kagi's tools as an rmcp [`ServerHandler`]; cheap to clone (a transport
/// that serves several sessions clones one per session).
#[derive(Debug, Clone)]
pub struct KagiTools {
    options: Arc<McpOptions>,
}

impl KagiTools {
    /// The tools on offer now. They are read from the manifests (and the
    /// policy) on every request, so a plugin installed or removed while the
    /// server runs changes its tools with no restart.
    pub fn tools(&self) -> Result<Vec<CommandTool>> {
        let policy = Policy::load()?;
        let filter = narrowed(&self.options.filter, &policy)?;
        let data_dir = crate::paths::data_dir()?;
        let registry = Registry::load(&data_dir, policy.allow_third_party != Some(false))?;
        let mut derived = Vec::new();
        for plugin in &registry.plugins {
            for command in &plugin.manifest.commands {
                // Only the plugin that serves a command, and no host command.
                let serves = registry
                    .find_command(&command.name)
                    .is_some_and(|p| std::ptr::eq(p, plugin));
                if serves && !crate::cli::is_host_command(&command.name) {
                    derived.extend(tools::command_tools(command));
                }
            }
        }
        let mut all = compat::compatibility_tools(&derived);
        all.splice(0..0, derived);
        // A reference tool goes with its command: excluding `search` also
        // excludes `kagi_search`.
        all.retain(|t| {
            let command = tools::tool_name(&t.path);
            filter.allows(&t.name, t.destructive)
                && (command == t.name || !filter.excludes(&command))
        });
        Ok(all)
    }

    fn offered(&self) -> std::result::Result<Vec<CommandTool>, McpError> {
        self.tools()
            .map_err(|e| McpError::internal_error(e.to_string(), None))
    }
}

impl ServerHandler for KagiTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("kagi", crate::cli::VERSION))
            .with_instructions(
                "Kagi search, answers, news and more. Each tool runs one kagi command and returns its JSON output as structured content.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, McpError> {
        let tools = self.offered()?.iter().map(CommandTool::to_tool).collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, McpError> {
        let tools = self.offered()?;
        let Some(tool) = tools.iter().find(|t| t.name == request.name) else {
            return Ok(call::tool_error(format!(
                "unknown tool `{}`: this server offers the tools tools/list names",
                request.name
            ))
            .into());
        };
        let profile = self.options.profile.as_deref();
        Ok(
            call::call(tool, request.arguments.as_ref(), profile, &context)
                .await
                .into(),
        )
    }
}
