//! `kagi mcp --http ADDR`: the MCP tools over the Streamable HTTP transport,
//! driven by rmcp's own client against the mock. Every request needs the
//! bearer token kagi prints (or takes from KAGI_MCP_TOKEN); without it, or
//! with a wrong one, the answer is 401. Only loopback unless --allow-remote.

use crate::support::Env;
use rmcp::model::CallToolRequestParams;
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceExt};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `kagi mcp --http 127.0.0.1:0`: its URL and the token it printed.
struct Server {
    child: Child,
    url: String,
    /// The stderr lines up to and including the `listening` line.
    banner: Vec<String>,
}

impl Server {
    fn start(env: &Env, extra_env: &[(&str, &str)]) -> Server {
        Server::start_with(env, &["mcp", "--http", "127.0.0.1:0"], extra_env)
    }

    fn start_with(env: &Env, args: &[&str], extra_env: &[(&str, &str)]) -> Server {
        let mut cmd = env.command(args);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kagi runs");
        let (tx, rx) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut banner = Vec::new();
        // Wait for the line that says the server accepts connections.
        let url = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no `listening` line; stderr so far: {banner:#?}"));
            banner.push(line.clone());
            if let Some(rest) = line.strip_prefix("kagi mcp: listening on ") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        Server { child, url, banner }
    }

    /// The token from the `bearer token:` line.
    fn printed_token(&self) -> String {
        self.banner
            .iter()
            .find_map(|l| l.strip_prefix("kagi mcp: bearer token: "))
            .map(|rest| rest.split_whitespace().next().unwrap().to_string())
            .unwrap_or_else(|| panic!("no token line: {:#?}", self.banner))
    }

    /// `127.0.0.1:port` of the server (which may listen on all addresses).
    fn authority(&self) -> String {
        let rest = self.url.strip_prefix("http://").unwrap();
        let port = rest.split('/').next().unwrap().rsplit(':').next().unwrap();
        format!("127.0.0.1:{port}")
    }

    /// A raw HTTP/1.1 POST of an `initialize` request to /mcp, with
    /// `authorization` if given: the response's status line.
    fn raw_initialize(&self, authorization: Option<&str>) -> String {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#;
        let mut conn = std::net::TcpStream::connect(self.authority()).unwrap();
        let auth = authorization
            .map(|a| format!("authorization: {a}\r\n"))
            .unwrap_or_default();
        write!(
            conn,
            "POST /mcp HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\naccept: application/json, text/event-stream\r\n{auth}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            self.authority(),
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        conn.read_to_string(&mut response).unwrap();
        response.lines().next().unwrap_or_default().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// rmcp's client over Streamable HTTP, sending `token` as the bearer token.
async fn connect(
    url: &str,
    token: &str,
) -> Result<RunningService<RoleClient, ()>, rmcp::service::ClientInitializeError> {
    let config = StreamableHttpClientTransportConfig::with_uri(url.to_string()).auth_header(token);
    ().serve(StreamableHttpClientTransport::from_config(config))
        .await
}

#[test]
fn an_agent_with_the_printed_token_lists_the_tools_and_reads_the_news_from_the_mock() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:") && server.url.ends_with("/mcp"),
        "{}",
        server.url
    );
    let token = server.printed_token();
    assert_eq!(token.len(), 64, "32 random bytes in hex: {token}");
    runtime().block_on(async {
        let client = connect(&server.url, &token).await.expect("initialized");
        let tools = client.list_all_tools().await.unwrap();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert!(
            names.contains(&"news") && names.contains(&"search"),
            "{names:?}"
        );
        let mut call = CallToolRequestParams::new("news");
        call.arguments = serde_json::json!({"category": "business", "limit": 2})
            .as_object()
            .cloned();
        let result = client.call_tool(call).await.unwrap();
        assert_ne!(result.is_error, Some(true), "{result:?}");
        let out = result
            .structured_content
            .clone()
            .expect("structured content");
        assert_eq!(out["category"]["category_id"], "business", "{out}");
        assert_eq!(out["stories"].as_array().unwrap().len(), 2);
        client.cancel().await.unwrap();
    });
    let stories = env
        .mock
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/stories"))
        .expect("the tool reached the mock");
    assert_eq!(stories.query_value("limit"), Some("2"));
}

#[test]
fn a_request_without_the_token_or_with_a_wrong_one_gets_401() {
    let env = Env::new();
    let server = Server::start(&env, &[]);
    let token = server.printed_token();
    assert_eq!(server.raw_initialize(None), "HTTP/1.1 401 Unauthorized");
    assert_eq!(
        server.raw_initialize(Some(&format!("Bearer {token}x"))),
        "HTTP/1.1 401 Unauthorized"
    );
    assert_eq!(
        server.raw_initialize(Some(&format!("Basic {token}"))),
        "HTTP/1.1 401 Unauthorized"
    );
    // The right token passes the same request: the 401s were the token's doing.
    assert_eq!(
        server.raw_initialize(Some(&format!("Bearer {token}"))),
        "HTTP/1.1 200 OK"
    );
    runtime().block_on(async {
        let refused = connect(&server.url, "not-the-token").await;
        assert!(refused.is_err(), "a client with a wrong token is refused");
    });
    assert!(env.mock.requests().is_empty(), "nothing reached Kagi");
}

#[test]
fn the_token_can_come_from_kagi_mcp_token_and_is_then_not_printed() {
    let env = Env::new();
    let token = "a-token-the-user-chose-1234";
    let server = Server::start(&env, &[("KAGI_MCP_TOKEN", token)]);
    assert!(
        server.banner.iter().all(|l| !l.contains(token)),
        "{:#?}",
        server.banner
    );
    assert!(
        server.banner.iter().any(|l| l.contains("KAGI_MCP_TOKEN")),
        "{:#?}",
        server.banner
    );
    assert_eq!(
        server.raw_initialize(Some(&format!("Bearer {token}"))),
        "HTTP/1.1 200 OK"
    );
    assert_eq!(server.raw_initialize(None), "HTTP/1.1 401 Unauthorized");
}

#[test]
fn a_non_loopback_address_is_refused_unless_allow_remote_is_given() {
    let env = Env::new();
    let run = env.run(&["mcp", "--http", "0.0.0.0:0"]);
    run.fails_with(
        2,
        "error: --http 0.0.0.0:0 is not a loopback address: other machines could reach the server and use your Kagi credentials with the token; pass --allow-remote if that is what you want",
    );
}

#[test]
fn allow_remote_listens_on_every_address_with_a_warning_and_still_needs_the_token() {
    let env = Env::new();
    let server = Server::start_with(&env, &["mcp", "--http", "0.0.0.0:0", "--allow-remote"], &[]);
    assert!(server.url.starts_with("http://0.0.0.0:"), "{}", server.url);
    assert!(
        server.banner[0].starts_with(
            "kagi mcp: warning: listening on 0.0.0.0:0, which other machines can reach"
        ),
        "{:#?}",
        server.banner
    );
    let token = server.printed_token();
    assert_eq!(server.raw_initialize(None), "HTTP/1.1 401 Unauthorized");
    assert_eq!(
        server.raw_initialize(Some(&format!("Bearer {token}"))),
        "HTTP/1.1 200 OK"
    );
}
