//! `tools/call`: the tool's arguments become the command line the CLI would
//! get, kagi runs it as a child (see [`crate::child_command`]), and its
//! output becomes the tool result: structured content and text, or a tool
//! error with the message the CLI prints.

use super::tools::{CommandTool, Param};
use crate::child_command::{Captured, spawn_kagi};
use kagi_manifest::{ArgKind, ValueType};
use rmcp::model::{
    CallToolResult, ContentBlock, JsonObject, ProgressNotificationParam, ProgressToken,
};
use rmcp::service::{RequestContext, RoleServer};
use serde_json::{Value, json};

/// A tool error: the call ran (or could not start) and failed.
pub fn tool_error(message: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}

/// Runs `tool` with the client's `arguments` under `profile`. A cancelled
/// request interrupts the command; its result is never sent.
pub async fn call(
    tool: &CommandTool,
    arguments: Option<&JsonObject>,
    profile: Option<&str>,
    context: &RequestContext<RoleServer>,
) -> CallToolResult {
    let progress = context
        .meta
        .get_progress_token()
        .filter(|_| tool.stream.is_some());
    let mut args = match profile {
        Some(profile) => vec!["--profile".to_string(), profile.to_string()],
        None => Vec::new(),
    };
    match argv(tool, arguments, progress.is_some()) {
        Ok(command) => args.extend(command),
        Err(message) => return tool_error(message),
    }
    let mut child = match spawn_kagi(&args) {
        Ok(child) => child,
        Err(e) => return tool_error(format!("cannot run kagi: {e}")),
    };
    let mut deltas = 0u32;
    loop {
        let line = tokio::select! {
            line = child.next_line() => line,
            () = context.ct.cancelled() => {
                child.interrupt().await;
                return tool_error("cancelled");
            }
        };
        match line {
            Ok(Some(line)) => {
                if let (Some(token), Some(text)) = (&progress, delta_text(&line)) {
                    deltas += 1;
                    notify(context, token, deltas, text).await;
                }
            }
            Ok(None) => break,
            Err(e) => return tool_error(format!("cannot read kagi's output: {e}")),
        }
    }
    match child.finish().await {
        Ok(captured) => result_of(&captured, progress.is_some()),
        Err(e) => tool_error(format!("cannot run kagi: {e}")),
    }
}

async fn notify(context: &RequestContext<RoleServer>, token: &ProgressToken, n: u32, text: String) {
    let param = ProgressNotificationParam::new(token.clone(), f64::from(n)).with_message(text);
    // A client that went away gets the result (or nothing) anyway.
    let _ = context.peer.notify_progress(param).await;
}

/// The text of a `--stream` delta line, `{"event":"delta","text":"…"}`.
fn delta_text(line: &str) -> Option<String> {
    let event: Value = serde_json::from_str(line).ok()?;
    if event.get("event")? != "delta" {
        return None;
    }
    Some(event.get("text")?.as_str()?.to_string())
}

/// The tool result of a finished command: its JSON output as structured
/// content (an array as `{"items": [...]}`) and as text; a failure is a tool
/// error with the CLI's message.
pub fn result_of(captured: &Captured, streamed: bool) -> CallToolResult {
    if !captured.success() {
        return tool_error(captured.error_message());
    }
    // A streamed answer ends with the final object, after its deltas.
    let text = if streamed {
        captured
            .stdout_text()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty() && delta_text(l).is_none())
            .unwrap_or_default()
            .to_string()
    } else {
        captured.stdout_text()
    };
    let structured = match serde_json::from_str::<Value>(text.trim()) {
        Ok(object @ Value::Object(_)) => Some(object),
        Ok(Value::Array(items)) => Some(json!({ "items": items })),
        _ => None,
    };
    let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
    result.structured_content = structured;
    result
}

/// The command line of a call: at each level of the path its name, then its
/// options (`--name=value`, so a value may start with `-`), and on the last
/// level `--` and the positional values.
pub fn argv(
    tool: &CommandTool,
    arguments: Option<&JsonObject>,
    stream: bool,
) -> Result<Vec<String>, String> {
    let empty = JsonObject::new();
    let arguments = arguments.unwrap_or(&empty);
    if let Some(unknown) = arguments.keys().find(|k| tool.param(k).is_none()) {
        let known: Vec<&str> = tool.params.iter().map(|p| p.property.as_str()).collect();
        return Err(format!(
            "tool `{}` has no argument `{unknown}`; it takes: {}",
            tool.name,
            if known.is_empty() {
                "none".into()
            } else {
                known.join(", ")
            }
        ));
    }
    if let Some(missing) = tool.params.iter().find(|p| {
        p.spec.required
            && p.spec.kind != ArgKind::Flag
            && arguments.get(&p.property).is_none_or(Value::is_null)
    }) {
        return Err(format!(
            "tool `{}` needs the argument `{}`",
            tool.name, missing.property
        ));
    }
    let last = tool.path.len() - 1;
    let mut argv = Vec::new();
    for (level, name) in tool.path.iter().enumerate() {
        argv.push(name.clone());
        argv.extend(
            tool.fixed
                .iter()
                .filter(|(l, _)| *l == level)
                .map(|(_, arg)| arg.clone()),
        );
        if stream && tool.stream == Some(level) {
            argv.push("--stream".into());
        }
        let mut positionals = Vec::new();
        for param in tool.params.iter().filter(|p| p.level == level) {
            let Some(value) = arguments.get(&param.property).filter(|v| !v.is_null()) else {
                continue;
            };
            let long = param.spec.long_name().map(|l| format!("--{l}"));
            match (param.spec.kind, long) {
                (ArgKind::Flag, Some(long)) => {
                    if value
                        .as_bool()
                        .ok_or_else(|| type_error(tool, param, "true or false"))?
                    {
                        argv.push(long);
                    }
                }
                (ArgKind::Positional, _) | (_, None) => {
                    positionals.extend(values(tool, param, value)?)
                }
                (_, Some(long)) => argv.extend(
                    values(tool, param, value)?
                        .into_iter()
                        .map(|v| format!("{long}={v}")),
                ),
            }
        }
        if !positionals.is_empty() {
            if level == last {
                argv.push("--".into());
            }
            argv.extend(positionals);
        }
    }
    Ok(argv)
}

/// An argument's values as the command line takes them: several for a
/// repeatable one (an array, or one value alone).
fn values(tool: &CommandTool, param: &Param, value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Array(items) if param.spec.multiple => {
            items.iter().map(|v| scalar(tool, param, v)).collect()
        }
        value => Ok(vec![scalar(tool, param, value)?]),
    }
}

/// One value as text. Numbers and booleans may come as JSON or as text; the
/// command's own parser checks the text as it does on the command line.
fn scalar(tool: &CommandTool, param: &Param, value: &Value) -> Result<String, String> {
    let expected = match param.spec.value_type {
        ValueType::Int => "a whole number",
        ValueType::Bool => "true or false",
        _ => "a string",
    };
    match (param.spec.value_type, value) {
        (_, Value::String(text)) => Ok(text.clone()),
        (ValueType::Int, Value::Number(n)) if n.is_u64() => Ok(n.to_string()),
        (ValueType::Bool, Value::Bool(b)) => Ok(b.to_string()),
        (ValueType::String, Value::Number(n)) => Ok(n.to_string()),
        _ => Err(type_error(tool, param, expected)),
    }
}

fn type_error(tool: &CommandTool, param: &Param, expected: &str) -> String {
    let many = if param.spec.multiple {
        " (or a list of them)"
    } else {
        ""
    };
    format!(
        "argument `{}` of tool `{}` must be {expected}{many}",
        param.property, tool.name
    )
}

#[cfg(test)]
mod tests {
    use super::super::tools::command_tools;
    use super::*;
    use kagi_manifest::Manifest;

    const MANIFEST: &str = r#"
api = "0.2.0"
name = "demo"
[[commands]]
name = "ask"
[[commands.args]]
name = "query"
kind = "positional"
required = true
[[commands.args]]
name = "site"
multiple = true
[[commands.args]]
name = "limit"
type = "int"
[[commands.args]]
name = "cache"
type = "bool"
[[commands.args]]
name = "verbatim"
kind = "flag"
[[commands.args]]
name = "format"
possible-values = ["json", "pretty"]
[[commands.args]]
name = "stream"
kind = "flag"
[[commands]]
name = "thread"
[[commands.args]]
name = "lang"
[[commands.subcommands]]
name = "get"
[[commands.subcommands.args]]
name = "thread-id"
kind = "positional"
required = true
"#;

    fn tool(name: &str) -> CommandTool {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        manifest
            .commands
            .iter()
            .flat_map(command_tools)
            .find(|t| t.name == name)
            .unwrap()
    }

    fn args(value: Value) -> JsonObject {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn arguments_become_the_command_line() {
        let argv = argv(
            &tool("ask"),
            Some(&args(json!({
                "query": "-rust lang",
                "site": ["a.example", "b.example"],
                "limit": 3,
                "cache": false,
                "verbatim": true,
            }))),
            true,
        )
        .unwrap();
        assert_eq!(
            argv,
            [
                "ask",
                "--format=json",
                "--stream",
                "--site=a.example",
                "--site=b.example",
                "--limit=3",
                "--cache=false",
                "--verbatim",
                "--",
                "-rust lang"
            ]
        );
        let plain = super::argv(
            &tool("ask"),
            Some(&args(json!({"query": "x", "verbatim": false}))),
            false,
        )
        .unwrap();
        assert_eq!(plain, ["ask", "--format=json", "--", "x"]);
    }

    #[test]
    fn each_level_takes_its_own_arguments() {
        let argv = argv(
            &tool("thread_get"),
            Some(&args(json!({"thread_id": "t1", "lang": "de"}))),
            false,
        )
        .unwrap();
        assert_eq!(argv, ["thread", "--lang=de", "get", "--", "t1"]);
    }

    #[test]
    fn bad_arguments_are_refused_before_anything_runs() {
        let ask = tool("ask");
        let refused = |value: Value| argv(&ask, Some(&args(value)), false).unwrap_err();
        assert_eq!(
            refused(json!({"query": "x", "format": "pretty"})),
            "tool `ask` has no argument `format`; it takes: query, site, limit, cache, verbatim"
        );
        assert_eq!(
            refused(json!({"limit": 3})),
            "tool `ask` needs the argument `query`"
        );
        assert_eq!(
            refused(json!({"query": "x", "limit": -1})),
            "argument `limit` of tool `ask` must be a whole number"
        );
        assert_eq!(
            refused(json!({"query": "x", "verbatim": "yes"})),
            "argument `verbatim` of tool `ask` must be true or false"
        );
        assert_eq!(
            refused(json!({"query": "x", "site": [true]})),
            "argument `site` of tool `ask` must be a string (or a list of them)"
        );
    }

    #[test]
    fn output_becomes_structured_content_and_text() {
        let ok = |stdout: &str| Captured {
            stdout: stdout.into(),
            stderr: Vec::new(),
            exit_code: 0,
        };
        let object = result_of(&ok("{\"data\": [1]}\n"), false);
        assert_eq!(object.structured_content, Some(json!({"data": [1]})));
        assert_eq!(object.is_error, Some(false));
        let array = result_of(&ok("[1, 2]\n"), false);
        assert_eq!(array.structured_content, Some(json!({"items": [1, 2]})));
        let text = result_of(&ok("plain text\n"), false);
        assert_eq!(text.structured_content, None);
        let streamed = result_of(
            &ok("{\"event\":\"delta\",\"text\":\"Hi\"}\n{\"answer\":\"Hi\"}\n"),
            true,
        );
        assert_eq!(streamed.structured_content, Some(json!({"answer": "Hi"})));
        let failed = result_of(
            &Captured {
                stdout: b"{}".to_vec(),
                stderr: "configuration error: missing credentials\n".into(),
                exit_code: 1,
            },
            false,
        );
        assert_eq!(failed.is_error, Some(true));
        assert_eq!(failed.structured_content, None);
        assert_eq!(
            failed.content[0].as_text().unwrap().text,
            "configuration error: missing credentials"
        );
    }
}
