//! `kagi mcp` with a real MCP client (rmcp's) over stdio: the handshake and
//! ping, tools derived from every loaded plugin's manifest, the choice of
//! tools (globs, destructive tools, the policy), calls that return the CLI's
//! JSON or its error, an installed plugin's tool, and progress notifications
//! for a streamed answer.

use crate::support::{Env, assert_contains, example_plugin};
use kagi_manifest::{CommandSpec, Manifest, ValueType};
use kagi_mock::{API_TOKEN, SESSION_TOKEN};
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientRequest, ProgressNotificationParam, Request,
    ServerResult, Tool,
};
use rmcp::service::{NotificationContext, PeerRequestOptions, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;
use tokio::sync::mpsc;

/// An MCP client that passes on the progress notifications it receives.
#[derive(Clone)]
struct Client {
    progress: mpsc::UnboundedSender<ProgressNotificationParam>,
}

impl ClientHandler for Client {
    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        let _ = self.progress.send(params);
    }
}

type Session = RunningService<RoleClient, Client>;

/// `kagi mcp ARGS` in `env`, initialized.
async fn connect(env: &Env, args: &[&str]) -> Session {
    connect_with_progress(env, args).await.0
}

/// Also the progress notifications the server sends.
async fn connect_with_progress(
    env: &Env,
    args: &[&str],
) -> (Session, mpsc::UnboundedReceiver<ProgressNotificationParam>) {
    let mut argv = vec!["mcp"];
    argv.extend_from_slice(args);
    let command = tokio::process::Command::from(env.command(&argv));
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(Stdio::null())
        .spawn()
        .expect("kagi mcp starts");
    let (progress, notes) = mpsc::unbounded_channel();
    let session = Client { progress }
        .serve(transport)
        .await
        .expect("kagi mcp completes the MCP handshake");
    (session, notes)
}

async fn tool_names(session: &Session) -> BTreeSet<String> {
    let tools = session.list_all_tools().await.expect("tools/list");
    tools.into_iter().map(|t| t.name.into_owned()).collect()
}

async fn call(session: &Session, name: &str, arguments: Value) -> CallToolResult {
    let mut params = CallToolRequestParams::new(name.to_string());
    params.arguments = Some(arguments.as_object().expect("an object").clone());
    session.call_tool(params).await.expect("tools/call answers")
}

fn text_of(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The built-in plugins' manifests, put together as the SDK puts them into
/// each plugin: the API version, the plugin's kagi-plugin.toml, the SDK's
/// argument groups.
fn built_in_manifests() -> Vec<Manifest> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut manifests = Vec::new();
    for dir in std::fs::read_dir(root.join("plugins")).unwrap() {
        let path = dir.unwrap().path().join("kagi-plugin.toml");
        if let Ok(body) = std::fs::read_to_string(&path) {
            let text = kagi_manifest::stamped(&body, "0.1.0");
            manifests.push(Manifest::parse(&text).unwrap_or_else(|e| panic!("{path:?}: {e}")));
        }
    }
    assert!(manifests.len() >= 5, "the built-in plugins are found");
    manifests
}

/// Every command path of `manifests` that is a tool an agent can call: not
/// one that needs a file or destination only a person names.
fn expected_tools(manifests: &[Manifest]) -> Vec<(String, &CommandSpec)> {
    fn walk<'a>(
        path: &mut Vec<String>,
        c: &'a CommandSpec,
        out: &mut Vec<(String, &'a CommandSpec)>,
    ) {
        path.push(c.name.clone());
        let user_named = c.args.iter().any(|a| {
            a.required
                && (a.destination
                    || matches!(a.value_type, ValueType::File | ValueType::OutputFile))
        });
        if c.is_tool() && !user_named {
            out.push((path.join("_").replace('-', "_"), c));
        }
        for sub in &c.subcommands {
            walk(path, sub, out);
        }
        path.pop();
    }
    let mut out = Vec::new();
    for manifest in manifests {
        for command in &manifest.commands {
            walk(&mut Vec::new(), command, &mut out);
        }
    }
    out
}

fn is_destructive(tool: &Tool) -> bool {
    tool.annotations
        .as_ref()
        .and_then(|a| a.destructive_hint)
        .unwrap_or(false)
}

#[test]
fn the_handshake_names_kagi_offers_tools_and_ping_answers() {
    runtime().block_on(async {
        let env = Env::new();
        let session = connect(&env, &["--json-lines"]).await;
        let info = session.peer_info().expect("the server's initialize result");
        let server = info.server_info.as_ref().expect("the server names itself");
        assert_eq!(server.name, "kagi");
        assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
        assert!(info.capabilities.tools.is_some());
        assert_eq!(
            info.protocol_version,
            rmcp::model::ProtocolVersion::LATEST_WITH_INITIALIZE
        );
        let pong = session
            .send_request(ClientRequest::PingRequest(Default::default()))
            .await
            .expect("ping answers");
        assert!(matches!(pong, ServerResult::EmptyResult(_)), "{pong:?}");
        session.cancel().await.unwrap();
    });
}

#[test]
fn every_built_in_command_that_is_a_tool_is_listed_with_its_schema() {
    runtime().block_on(async {
        let env = Env::new();
        let manifests = built_in_manifests();
        let expected = expected_tools(&manifests);
        for (allow, args) in [(false, &[][..]), (true, &["--allow-destructive"][..])] {
            let session = connect(&env, args).await;
            let tools = session.list_all_tools().await.unwrap();
            let listed: BTreeSet<String> = tools
                .iter()
                .map(|t| t.name.to_string())
                .filter(|n| !n.starts_with("kagi_"))
                .collect();
            let wanted: BTreeSet<String> = expected
                .iter()
                .filter(|(_, c)| allow || !c.destructive)
                .map(|(name, _)| name.clone())
                .collect();
            assert_eq!(listed, wanted, "--allow-destructive: {allow}");
            for tool in &tools {
                assert_eq!(tool.input_schema["type"], "object", "{}", tool.name);
                assert!(tool.input_schema["properties"].is_object(), "{}", tool.name);
                assert!(
                    !tool.description.as_deref().unwrap_or("").is_empty(),
                    "{}",
                    tool.name
                );
                let command = expected
                    .iter()
                    .find(|(n, _)| *n == tool.name)
                    .map(|(_, c)| c);
                if let Some(command) = command {
                    let hints = tool.annotations.as_ref().unwrap();
                    assert_eq!(
                        hints.read_only_hint,
                        Some(command.read_only),
                        "{}",
                        tool.name
                    );
                    assert_eq!(is_destructive(tool), command.destructive, "{}", tool.name);
                }
            }
            assert_eq!(
                tools.iter().any(is_destructive),
                allow,
                "destructive tools only with --allow-destructive"
            );
            // Long-running, interactive, or reading a file only a person names.
            for gone in ["watch", "assistant_repl", "lens_import"] {
                assert!(!listed.contains(gone), "{gone} is not a tool");
            }
            // An agent never makes kagi read a file of the user's: the
            // assistant is a tool, its --attach is not an argument of it.
            let assistant = tools.iter().find(|t| t.name == "assistant").unwrap();
            assert!(
                assistant.input_schema["properties"].get("attach").is_none(),
                "{:?}",
                assistant.input_schema
            );
            assert!(assistant.input_schema["properties"].get("query").is_some());
            session.cancel().await.unwrap();
        }
    });
}

#[test]
fn the_schema_carries_types_values_defaults_and_required_arguments() {
    runtime().block_on(async {
        let env = Env::new();
        let session = connect(&env, &[]).await;
        let tools = session.list_all_tools().await.unwrap();
        let schema = |name: &str| {
            Value::Object((*tools.iter().find(|t| t.name == name).unwrap().input_schema).clone())
        };
        let search = schema("search");
        assert_eq!(search["required"], json!(["query"]));
        assert_eq!(search["properties"]["query"]["type"], "string");
        assert_eq!(search["properties"]["news"]["type"], "boolean");
        assert_eq!(search["properties"]["limit"]["type"], "integer");
        assert!(
            search["properties"].get("format").is_none(),
            "JSON is forced"
        );
        let news = schema("news");
        assert_eq!(news["properties"]["limit"]["default"], 12);
        assert_eq!(
            news["properties"]["filter_mode"]["enum"],
            json!(["hide", "blur"])
        );
        assert_eq!(news["properties"]["filter_keyword"]["type"], "array");
        let news_search = schema("kagi_news_search");
        assert_eq!(
            news_search["properties"]["freshness"]["enum"],
            json!(["day", "week", "month"])
        );
        session.cancel().await.unwrap();
    });
}

#[test]
fn tools_and_exclude_tools_choose_by_name_or_glob_and_the_policy_narrows() {
    runtime().block_on(async {
        let env = Env::new();
        let session = connect(
            &env,
            &[
                "--tools",
                "assistant_thread_*",
                "--tools",
                "news",
                "--exclude-tools",
                "*_delete",
                "--allow-destructive",
            ],
        )
        .await;
        let names = tool_names(&session).await;
        assert!(
            names.contains("news") && names.contains("assistant_thread_list"),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .all(|n| n == "news" || n.starts_with("assistant_thread_")),
            "{names:?}"
        );
        assert!(!names.contains("assistant_thread_delete"), "{names:?}");
        session.cancel().await.unwrap();

        // Excluding a command excludes its reference alias too.
        let session = connect(&env, &["--exclude-tools", "quick"]).await;
        let names = tool_names(&session).await;
        assert!(
            !names.contains("quick") && !names.contains("kagi_quick"),
            "{names:?}"
        );
        assert!(names.contains("kagi_search"), "{names:?}");
        session.cancel().await.unwrap();

        let env = env
            .policy("mcp-allow-destructive = false\nmcp-exclude-tools = [\"news\", \"kagi_*\"]\n");
        let session = connect(&env, &["--allow-destructive"]).await;
        let tools = session.list_all_tools().await.unwrap();
        assert!(
            !tools.iter().any(is_destructive),
            "the policy keeps them out"
        );
        let names: BTreeSet<String> = tools.iter().map(|t| t.name.to_string()).collect();
        assert!(!names.contains("news") && !names.iter().any(|n| n.starts_with("kagi_")));
        assert!(names.contains("search"));
        // What is not offered cannot be called.
        let refused = call(&session, "news", json!({})).await;
        assert_eq!(refused.is_error, Some(true));
        assert_eq!(
            text_of(&refused),
            "unknown tool `news`: this server offers the tools tools/list names"
        );
        session.cancel().await.unwrap();
    });
}

#[test]
fn search_and_news_calls_return_the_clis_json_as_structured_content() {
    runtime().block_on(async {
        let env = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
        let session = connect(&env, &[]).await;
        let search = call(
            &session,
            "search",
            json!({"query": "rust lang", "limit": 2}),
        )
        .await;
        assert_eq!(search.is_error, Some(false), "{}", text_of(&search));
        let cli = env.run(&["search", "rust lang", "--limit", "2"]).json();
        assert_eq!(search.structured_content, Some(cli.clone()));
        assert_eq!(
            serde_json::from_str::<Value>(&text_of(&search)).unwrap(),
            cli
        );

        let news = call(&session, "news", json!({"category": "tech", "limit": 3})).await;
        let cli = env
            .run(&["news", "--category", "tech", "--limit", "3"])
            .json();
        assert_eq!(news.structured_content, Some(cli));

        // The reference tools are aliases of the same commands.
        let alias = call(
            &session,
            "kagi_news",
            json!({"category": "tech", "limit": 3}),
        )
        .await;
        assert_eq!(alias.structured_content, news.structured_content);
        let news_search = call(
            &session,
            "kagi_news_search",
            json!({"query": "rust", "freshness": "week"}),
        )
        .await;
        let cli = env
            .run(&["search", "--news", "--time", "week", "rust"])
            .json();
        assert_eq!(news_search.structured_content, Some(cli));
        session.cancel().await.unwrap();
    });
}

#[test]
fn a_failing_call_is_a_tool_error_with_the_clis_message() {
    runtime().block_on(async {
        let env = Env::new();
        let session = connect(&env, &[]).await;
        let failed = call(&session, "quick", json!({"query": "rust"})).await;
        assert_eq!(failed.is_error, Some(true));
        assert_eq!(failed.structured_content, None);
        let cli = env.run(&["quick", "rust"]);
        assert_eq!(cli.code, 1);
        assert_eq!(text_of(&failed), cli.stderr.trim_end());

        // The command's own parser checks values, as on the command line.
        let bad = call(&session, "search", json!({"query": "x", "limit": "many"})).await;
        assert_eq!(bad.is_error, Some(true));
        let cli = env.run(&["search", "x", "--limit", "many"]);
        assert_eq!(cli.code, 2);
        assert_eq!(text_of(&bad), cli.stderr.lines().next().unwrap());
        assert!(text_of(&bad).starts_with("error: invalid value 'many' for '--limit"));
        let unknown = call(&session, "search", json!({"query": "x", "format": "csv"})).await;
        assert!(
            text_of(&unknown)
                .starts_with("tool `search` has no argument `format`; it takes: query, ")
        );
        let nothing = call(&session, "no_such_tool", json!({})).await;
        assert_eq!(nothing.is_error, Some(true));
        assert_eq!(
            text_of(&nothing),
            "unknown tool `no_such_tool`: this server offers the tools tools/list names"
        );
        session.cancel().await.unwrap();
    });
}

#[test]
fn every_call_runs_under_the_servers_profile() {
    runtime().block_on(async {
        let env = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
        let session = connect(&env, &["--profile", "work"]).await;
        let failed = call(&session, "search", json!({"query": "x"})).await;
        assert_eq!(failed.is_error, Some(true));
        let cli = env.run(&["--profile", "work", "search", "x"]);
        assert_contains(&cli.stderr, "profile `work` was not found");
        assert_eq!(text_of(&failed), cli.stderr.trim_end());
        session.cancel().await.unwrap();
    });
}

#[test]
fn an_installed_plugins_command_is_a_tool_unless_the_policy_forbids_the_plugin() {
    runtime().block_on(async {
        let env = Env::new().var("KAGI_API_TOKEN", API_TOKEN);
        let plugin = example_plugin();
        let install = env.run(&["plugin", "install", plugin.to_str().unwrap(), "--grant-all"]);
        assert_eq!(install.code, 0, "{}", install.stderr);
        let session = connect(&env, &[]).await;
        assert!(tool_names(&session).await.contains("top_result"));
        let result = call(
            &session,
            "top_result",
            json!({"query": "rust lang", "url_only": true}),
        )
        .await;
        assert_eq!(result.is_error, Some(false), "{}", text_of(&result));
        assert_eq!(
            text_of(&result),
            env.run(&["top-result", "rust lang", "--url-only"]).stdout
        );
        assert_eq!(result.structured_content, None, "its output is not JSON");
        session.cancel().await.unwrap();

        let env = env.policy("allow-third-party = false\n");
        let session = connect(&env, &[]).await;
        let names = tool_names(&session).await;
        assert!(
            !names.contains("top_result") && names.contains("search"),
            "{names:?}"
        );
        session.cancel().await.unwrap();
    });
}

#[test]
fn a_streamed_answer_sends_a_progress_notification_per_delta_then_the_final_object() {
    runtime().block_on(async {
        let env = Env::new().var("KAGI_SESSION_TOKEN", SESSION_TOKEN);
        let (session, mut progress) = connect_with_progress(&env, &[]).await;
        let mut params = CallToolRequestParams::new("quick");
        params.arguments = json!({"query": "rust"}).as_object().cloned();
        let handle = session
            .send_cancellable_request(
                ClientRequest::CallToolRequest(Request::new(params)),
                PeerRequestOptions::no_options(),
            )
            .await
            .unwrap();
        let token = handle.progress_token.clone();
        let response = handle.await_response().await.unwrap();
        let mut deltas = Vec::new();
        for _ in 0..3 {
            let note = tokio::time::timeout(Duration::from_secs(30), progress.recv())
                .await
                .expect("a progress notification per delta")
                .unwrap();
            assert_eq!(note.progress_token, token);
            deltas.push((note.progress, note.message.unwrap_or_default()));
        }
        assert_eq!(
            deltas,
            [
                (1.0, "Rust is".to_string()),
                (2.0, " a systems".to_string()),
                (3.0, " programming language.".to_string()),
            ]
        );
        let ServerResult::CallToolResult(result) = response else {
            panic!("{response:?}");
        };
        let cli = env.run(&["quick", "rust"]).json();
        assert_eq!(result.structured_content, Some(cli));
        session.cancel().await.unwrap();
    });
}
