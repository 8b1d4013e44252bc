//! Tools from manifests: one per command path that is a tool
//! ([`CommandSpec::is_tool`]), named by its path, described by its help and
//! taking a JSON Schema built from its argument specs.

use kagi_manifest::{ArgKind, ArgSpec, CommandSpec, ValueType};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Value, json};
use std::sync::Arc;

/// A command an MCP client can call, and how its arguments become argv.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandTool {
    /// The path joined by `_`, with `-` as `_`: `assistant_thread_list`.
    pub name: String,
    /// The command path, outermost first: `["assistant", "thread", "list"]`.
    pub path: Vec<String>,
    pub description: String,
    pub params: Vec<Param>,
    /// Arguments every call passes, by the level of the path that takes them
    /// (`--format=json`; an alias's `--news`).
    pub fixed: Vec<(usize, String)>,
    /// The level whose `--stream` flag streams the answer as NDJSON.
    pub stream: Option<usize>,
    pub read_only: bool,
    pub destructive: bool,
    pub long_running: bool,
}

/// One property of a tool's input: a manifest argument of one level of the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The property name: the argument's name with `-` as `_`.
    pub property: String,
    /// Which command along the path takes it (0: the top-level command).
    pub level: usize,
    pub spec: ArgSpec,
}

/// The tool name of a command path.
pub fn tool_name(path: &[String]) -> String {
    path.join("_").replace('-', "_")
}

/// Every tool among `top` and its subcommands, outermost first.
pub fn command_tools(top: &CommandSpec) -> Vec<CommandTool> {
    let mut tools = Vec::new();
    walk(&mut vec![top], &mut tools);
    tools
}

fn walk(chain: &mut Vec<&CommandSpec>, tools: &mut Vec<CommandTool>) {
    let command = *chain.last().expect("the chain starts at the top command");
    if command.is_tool()
        && let Some(tool) = CommandTool::from_chain(chain)
    {
        tools.push(tool);
    }
    for sub in &command.subcommands {
        chain.push(sub);
        walk(chain, tools);
        chain.pop();
    }
}

/// What the server itself decides about an argument instead of the client.
enum Role {
    /// An argument the client sets.
    Param,
    /// `--format`, forced to `json` so the result is structured.
    JsonFormat,
    /// `--stream`, given when the client asked for progress.
    Stream,
    /// Not offered: terminal colour, which captured output never has.
    Dropped,
    /// Never offered: a path kagi would read or write, or a destination it
    /// would send to. Only a person names those, not an agent.
    UserNamed,
}

fn role(arg: &ArgSpec) -> Role {
    let user_named = matches!(arg.value_type, ValueType::File | ValueType::OutputFile);
    match (arg.kind, arg.name.as_str()) {
        _ if user_named || arg.destination => Role::UserNamed,
        (ArgKind::Option, "format") if arg.possible_values.iter().any(|v| v == "json") => {
            Role::JsonFormat
        }
        (ArgKind::Flag, "stream") => Role::Stream,
        (ArgKind::Flag, "no-color") => Role::Dropped,
        _ if arg.hide => Role::Dropped,
        _ => Role::Param,
    }
}

impl CommandTool {
    /// The tool of the last command of `chain`, taking its arguments and
    /// those of the commands above it that can go with a subcommand; none if
    /// it needs an argument only a person may give (a file, a destination).
    fn from_chain(chain: &[&CommandSpec]) -> Option<CommandTool> {
        let command = *chain.last()?;
        let path: Vec<String> = chain.iter().map(|c| c.name.clone()).collect();
        let deepest = chain.len() - 1;
        let mut tool = CommandTool {
            name: tool_name(&path),
            description: describe(command, &path),
            path,
            params: Vec::new(),
            fixed: Vec::new(),
            stream: None,
            read_only: command.read_only,
            destructive: command.destructive,
            long_running: command.long_running,
        };
        // The command's own arguments first: on a clash of names, its own win.
        for level in (0..chain.len()).rev() {
            if level < deepest && chain[level].args_conflict_with_subcommands {
                continue;
            }
            for arg in &chain[level].args {
                match role(arg) {
                    Role::Param => {
                        let property = arg.name.replace('-', "_");
                        if tool.param(&property).is_none() {
                            tool.params.push(Param {
                                property,
                                level,
                                spec: arg.clone(),
                            });
                        }
                    }
                    Role::JsonFormat => tool.fixed.push((level, "--format=json".into())),
                    Role::Stream => tool.stream = tool.stream.or(Some(level)),
                    Role::Dropped => {}
                    Role::UserNamed if arg.required => return None,
                    Role::UserNamed => {}
                }
            }
        }
        tool.params.sort_by_key(|p| p.level);
        Some(tool)
    }

    pub fn param(&self, property: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.property == property)
    }

    /// The MCP tool: name, description, input schema and annotations.
    pub fn to_tool(&self) -> Tool {
        let mut annotations = ToolAnnotations::with_title(format!("kagi {}", self.path.join(" ")))
            .read_only(self.read_only);
        if !self.read_only {
            annotations = annotations.destructive(self.destructive);
        }
        let mut tool = Tool::new(
            self.name.clone(),
            self.description.clone(),
            Arc::new(self.input_schema()),
        )
        .annotate(annotations);
        if self.long_running {
            let mut meta = rmcp::model::MetaObject::default();
            meta.0.insert("kagi/long-running".into(), Value::Bool(true));
            tool = tool.with_meta(meta);
        }
        tool
    }

    /// A JSON Schema object with a property per argument.
    pub fn input_schema(&self) -> JsonObject {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for param in &self.params {
            properties.insert(
                param.property.clone(),
                Value::Object(arg_schema(&param.spec)),
            );
            if param.spec.required && param.spec.kind != ArgKind::Flag {
                required.push(Value::String(param.property.clone()));
            }
        }
        let mut schema = JsonObject::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        schema.insert("additionalProperties".into(), Value::Bool(false));
        schema
    }
}

/// The command's help, or what it is when it has none.
fn describe(command: &CommandSpec, path: &[String]) -> String {
    let mut text = command.about.trim().to_string();
    if let Some(long) = command.long_about.as_deref().map(str::trim)
        && !long.is_empty()
        && long != text
    {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(long);
    }
    if text.is_empty() {
        text = format!("Runs `kagi {}`", path.join(" "));
    }
    text
}

/// The schema of one argument's value: its type, values, default and help.
pub fn arg_schema(arg: &ArgSpec) -> JsonObject {
    let mut schema = JsonObject::new();
    if arg.kind == ArgKind::Flag {
        schema.insert("type".into(), json!("boolean"));
    } else {
        let one = value_schema(arg);
        if arg.multiple {
            schema.insert("type".into(), json!("array"));
            schema.insert("items".into(), Value::Object(one));
            if arg.required {
                schema.insert("minItems".into(), json!(1));
            }
        } else {
            schema = one;
        }
    }
    let help = if arg.help.trim().is_empty() {
        arg.long_help.as_deref().unwrap_or_default()
    } else {
        &arg.help
    };
    if !help.trim().is_empty() {
        schema.insert("description".into(), json!(help.trim()));
    }
    schema
}

/// One value of an option or positional argument.
fn value_schema(arg: &ArgSpec) -> JsonObject {
    let mut schema = JsonObject::new();
    let (kind, format) = match arg.value_type {
        ValueType::Int => ("integer", None),
        ValueType::Bool => ("boolean", None),
        ValueType::Url => ("string", Some("uri")),
        ValueType::String | ValueType::File | ValueType::OutputFile => ("string", None),
    };
    schema.insert("type".into(), json!(kind));
    if let Some(format) = format {
        schema.insert("format".into(), json!(format));
    }
    if arg.value_type == ValueType::Int {
        schema.insert("minimum".into(), json!(0));
    }
    if !arg.possible_values.is_empty() && arg.value_type != ValueType::Bool {
        schema.insert("enum".into(), json!(arg.possible_values));
    }
    if let Some(default) = &arg.default
        && !arg.multiple
    {
        let value = match arg.value_type {
            ValueType::Int => default
                .parse::<u64>()
                .map_or_else(|_| json!(default), |n| json!(n)),
            ValueType::Bool => default
                .parse::<bool>()
                .map_or_else(|_| json!(default), |b| json!(b)),
            _ => json!(default),
        };
        schema.insert("default".into(), value);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use kagi_manifest::Manifest;

    const MANIFEST: &str = r#"
api = "0.2.0"
name = "demo"

[[commands]]
name = "find"
about = "Find things"
long-about = "Find things, at length."

[[commands.args]]
name = "query"
kind = "positional"
required = true
help = "What to find"

[[commands.args]]
name = "limit"
type = "int"
default = "10"
help = "How many"

[[commands.args]]
name = "order"
possible-values = ["default", "recency"]
help = "Sort order"

[[commands.args]]
name = "site"
multiple = true
help = "Only these sites"

[[commands.args]]
name = "cache"
type = "bool"
help = "Let Kagi cache it"

[[commands.args]]
name = "page"
type = "url"
help = "A page"

[[commands.args]]
name = "verbatim"
kind = "flag"
help = "Exactly as typed"

[[commands.args]]
name = "format"
possible-values = ["json", "pretty"]
default = "json"

[[commands.args]]
name = "stream"
kind = "flag"

[[commands.args]]
name = "no-color"
kind = "flag"

[[commands.args]]
name = "secret-knob"
hide = true

[[commands.args]]
name = "attach"
type = "file"
multiple = true

[[commands]]
name = "thread"
subcommand-required = true

[[commands.subcommands]]
name = "list"
read-only = true

[[commands.subcommands]]
name = "delete-all"
destructive = true

[[commands]]
name = "import"
about = "Import a file"

[[commands.args]]
name = "file"
kind = "positional"
type = "file"
required = true

[[commands]]
name = "watch"
long-running = true
"#;

    fn tools() -> Vec<CommandTool> {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        manifest.commands.iter().flat_map(command_tools).collect()
    }

    fn find(name: &str) -> CommandTool {
        tools().into_iter().find(|t| t.name == name).unwrap()
    }

    #[test]
    fn a_tool_per_command_path_that_is_a_tool() {
        let names: Vec<String> = tools().into_iter().map(|t| t.name).collect();
        // `thread` needs a subcommand, `import` a file only a person names,
        // `watch` never ends: none is a tool.
        assert_eq!(names, ["find", "thread_list", "thread_delete_all"]);
        let delete = find("thread_delete_all");
        assert_eq!(delete.path, ["thread", "delete-all"]);
        assert!(delete.destructive && !delete.read_only);
    }

    #[test]
    fn the_schema_has_the_types_values_defaults_and_required_arguments() {
        let find = find("find");
        assert_eq!(find.description, "Find things\n\nFind things, at length.");
        assert_eq!(
            Value::Object(find.input_schema()),
            json!({
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "What to find"},
                    "limit": {"type": "integer", "minimum": 0, "default": 10, "description": "How many"},
                    "order": {"type": "string", "enum": ["default", "recency"], "description": "Sort order"},
                    "site": {"type": "array", "items": {"type": "string"}, "description": "Only these sites"},
                    "cache": {"type": "boolean", "description": "Let Kagi cache it"},
                    "page": {"type": "string", "format": "uri", "description": "A page"},
                    "verbatim": {"type": "boolean", "description": "Exactly as typed"},
                },
                "required": ["query"],
                "additionalProperties": false,
            })
        );
        // The server forces JSON output and streams only for progress.
        assert_eq!(find.fixed, [(0, "--format=json".to_string())]);
        assert_eq!(find.stream, Some(0));
    }

    #[test]
    fn annotations_come_from_the_manifest() {
        let list = find("thread_list").to_tool();
        let hints = list.annotations.unwrap();
        assert_eq!(hints.title.as_deref(), Some("kagi thread list"));
        assert_eq!(
            (hints.read_only_hint, hints.destructive_hint),
            (Some(true), None)
        );
        let delete = find("thread_delete_all").to_tool().annotations.unwrap();
        assert_eq!(
            (delete.read_only_hint, delete.destructive_hint),
            (Some(false), Some(true))
        );
        assert_eq!(
            find("find").to_tool().annotations.unwrap().destructive_hint,
            Some(false)
        );
    }

    #[test]
    fn a_subcommand_takes_its_parents_arguments_unless_they_conflict() {
        let text = r#"
api = "0.2.0"
name = "demo"
[[commands]]
name = "top"
args-conflict-with-subcommands = true
[[commands.args]]
name = "prompt"
kind = "positional"
[[commands.subcommands]]
name = "group"
[[commands.subcommands.args]]
name = "lang"
[[commands.subcommands.args]]
name = "limit"
[[commands.subcommands.subcommands]]
name = "leaf"
[[commands.subcommands.subcommands.args]]
name = "limit"
type = "int"
"#;
        let manifest = Manifest::parse(text).unwrap();
        let tools = command_tools(&manifest.commands[0]);
        let leaf = tools.iter().find(|t| t.name == "top_group_leaf").unwrap();
        let params: Vec<(&str, usize)> = leaf
            .params
            .iter()
            .map(|p| (p.property.as_str(), p.level))
            .collect();
        assert_eq!(params, [("lang", 1), ("limit", 2)]);
        assert_eq!(leaf.param("limit").unwrap().spec.value_type, ValueType::Int);
        let top = tools.iter().find(|t| t.name == "top").unwrap();
        assert_eq!(top.params.len(), 1);
    }
}
