//! One rendering layer for a command's result: `json`, `compact`, `pretty`,
//! `markdown`, `csv` and `--template`, chosen by the shared `output` argument
//! group (`groups = ["output"]` in the manifest; the SDK declares the group).
//!
//! **Key order, the one rule:** keys come out in the order the value's
//! `Serialize` emits them: a struct's fields in declaration order, a map's
//! keys sorted (`serde_json::Map` and `BTreeMap` are sorted maps). Every
//! format follows it: JSON keys, CSV and Markdown columns, pretty lines. To
//! change an order, change the struct.
//!
//! Human formats (pretty, Markdown, CSV, templates) pass every string through
//! [`strip_controls`]: results carry text from web pages. JSON keeps the data
//! as it came (its encoder escapes controls).

use crate::command::FromInvocation;
use crate::render::{Format, Style, csv_row, strip_controls, template};
use crate::{Error, Invocation};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;
use std::str::FromStr;

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Format::parse(Some(s))
    }
}

/// The `output` group's arguments: `--format`, `--template`, `--no-color`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputArgs {
    pub format: Format,
    pub template: Option<String>,
    pub no_color: bool,
}

impl FromInvocation for OutputArgs {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        Ok(OutputArgs {
            format: inv.get("format")?,
            template: inv.get_opt("template")?,
            no_color: inv.get_flag("no-color")?,
        })
    }
}

/// How a command prints its result.
#[derive(Debug, Clone)]
pub struct Output {
    format: Format,
    template: Option<String>,
    style: Style,
}

impl Output {
    /// Pretty JSON: for commands without the `output` group.
    pub fn json() -> Self {
        Output {
            format: Format::Json,
            template: None,
            style: Style { color: false },
        }
    }

    /// As the user asked; colour only where the terminal allows it.
    pub fn new(args: &OutputArgs) -> Self {
        Output::with_style(args, Style::detect(args.no_color))
    }

    /// Like [`new`](Self::new) with the colour decided by the caller (tests).
    pub fn with_style(args: &OutputArgs, style: Style) -> Self {
        Output {
            format: args.format,
            template: args.template.clone(),
            style,
        }
    }

    /// Renders `value`. JSON formats show all of it; the row formats show
    /// its rows: the value itself when it is a list, else the list under
    /// `rows` (e.g. `Some("stories")`), else the value as one row.
    pub fn render<T: Serialize + ?Sized>(
        &self,
        value: &T,
        rows: Option<&str>,
    ) -> Result<String, Error> {
        let mut text = match (&self.template, self.format) {
            (None, Format::Json) => serde_json::to_string_pretty(value)?,
            (None, Format::Compact) => serde_json::to_string(value)?,
            (template, format) => {
                let node = Node::from_value(value)?;
                let rows = node.rows(rows);
                return Ok(match template {
                    Some(t) => render_template(t, &rows),
                    None if format == Format::Csv => render_csv(&rows),
                    None if format == Format::Markdown => render_markdown(&rows),
                    None => render_pretty(&rows, self.style),
                });
            }
        };
        text.push('\n');
        Ok(text)
    }

    /// Renders `value` (see [`render`](Self::render)) and prints it.
    pub fn print<T: Serialize + ?Sized>(&self, value: &T, rows: Option<&str>) -> Result<(), Error> {
        crate::out::print(&self.render(value, rows)?);
        Ok(())
    }
}

/// A JSON value that keeps keys in the order they were serialised.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn from_value<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
        // serde_json writes fields in serialisation order; reading the text
        // back into `Node` keeps that order (serde_json::Value would sort).
        Ok(serde_json::from_str(&serde_json::to_string(value)?)?)
    }

    fn rows(self, key: Option<&str>) -> Vec<Node> {
        match (self, key) {
            (Node::List(rows), _) => rows,
            (Node::Object(fields), Some(key)) if fields.iter().any(|(k, _)| k == key) => fields
                .into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.rows(None))
                .unwrap_or_default(),
            (node, _) => vec![node],
        }
    }

    /// One cell: scalars as text, lists and objects as compact JSON; web text
    /// made safe to print.
    fn cell(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Bool(b) => b.to_string(),
            Node::Number(n) => n.to_string(),
            Node::Text(s) => strip_controls(s),
            nested => strip_controls(&serde_json::to_string(nested).unwrap_or_default()),
        }
    }

    fn fields(&self) -> Vec<(&str, &Node)> {
        match self {
            Node::Object(fields) => fields.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            scalar => vec![("value", scalar)],
        }
    }
}

/// Every key of every row, in first-seen order.
fn columns(rows: &[Node]) -> Vec<&str> {
    let mut columns: Vec<&str> = Vec::new();
    for row in rows {
        for (key, _) in row.fields() {
            if !columns.contains(&key) {
                columns.push(key);
            }
        }
    }
    columns
}

fn cell_of(row: &Node, column: &str) -> String {
    row.fields()
        .into_iter()
        .find(|(k, _)| *k == column)
        .map(|(_, v)| v.cell())
        .unwrap_or_default()
}

fn render_csv(rows: &[Node]) -> String {
    let columns = columns(rows);
    let mut out = csv_row(&columns);
    for row in rows {
        let cells: Vec<String> = columns.iter().map(|c| cell_of(row, c)).collect();
        out.push_str(&csv_row(&cells));
    }
    out
}

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn render_markdown(rows: &[Node]) -> String {
    let columns = columns(rows);
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = line(columns.iter().map(|c| markdown_cell(c)).collect());
    out.push_str(&line(columns.iter().map(|_| "---".to_string()).collect()));
    for row in rows {
        out.push_str(&line(
            columns
                .iter()
                .map(|c| markdown_cell(&cell_of(row, c)))
                .collect(),
        ));
    }
    out
}

/// Each row as a block: its first field as a heading, the others as
/// `key: value` lines; a blank line between rows.
fn render_pretty(rows: &[Node], style: Style) -> String {
    let blocks: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut block = String::new();
            for (i, (key, value)) in row.fields().into_iter().enumerate() {
                if i == 0 {
                    block.push_str(&style.heading(&value.cell()));
                } else {
                    block.push_str(&format!("  {}: {}", style.dim(key), value.cell()));
                }
                block.push('\n');
            }
            block
        })
        .collect();
    blocks.join("\n")
}

/// Each row through the template: `{{key}}` is the row's field, `{{rank}}`
/// its 1-based position unless the row has a `rank` of its own.
fn render_template(text: &str, rows: &[Node]) -> String {
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let mut values: Vec<(String, String)> = row
            .fields()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.cell()))
            .collect();
        if !values.iter().any(|(k, _)| k == "rank") {
            values.push(("rank".to_string(), (i + 1).to_string()));
        }
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        out.push_str(&strip_controls(&template(text, &pairs)));
        out.push('\n');
    }
    out
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Number(n) => n.serialize(s),
            Node::Text(t) => s.serialize_str(t),
            Node::List(items) => items.serialize(s),
            Node::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Bool(b))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Node, E> {
                Ok(Node::Number(n.into()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Node, E> {
                Ok(Node::Number(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Node, E> {
                Ok(serde_json::Number::from_f64(n).map_or(Node::Null, Node::Number))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Node, E> {
                Ok(Node::Text(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Node, E> {
                Ok(Node::Text(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    fields.push((k, v));
                }
                Ok(Node::Object(fields))
            }
        }
        d.deserialize_any(NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Page {
        query: &'static str,
        results: Vec<Hit>,
    }

    #[derive(serde::Serialize)]
    struct Hit {
        title: &'static str,
        url: &'static str,
        extra: BTreeMap<&'static str, u8>,
    }

    fn page() -> Page {
        Page {
            query: "rust",
            results: vec![
                Hit {
                    title: "Rust \x1b]52;c;aGk=\x07lang",
                    url: "https://rust-lang.org/",
                    extra: BTreeMap::from([("z", 1), ("a", 2)]),
                },
                Hit {
                    title: "a|b, \"c\"",
                    url: "https://x.example/",
                    extra: BTreeMap::new(),
                },
            ],
        }
    }

    fn output(format: Format, template: Option<&str>) -> Output {
        Output::with_style(
            &OutputArgs {
                format,
                template: template.map(str::to_string),
                no_color: true,
            },
            Style { color: false },
        )
    }

    fn render(format: Format, template: Option<&str>) -> String {
        output(format, template)
            .render(&page(), Some("results"))
            .unwrap()
    }

    #[test]
    fn every_format_follows_declaration_order_with_sorted_maps() {
        assert_eq!(
            render(Format::Compact, None),
            "{\"query\":\"rust\",\"results\":[{\"title\":\"Rust \\u001b]52;c;aGk=\\u0007lang\",\"url\":\"https://rust-lang.org/\",\"extra\":{\"a\":2,\"z\":1}},{\"title\":\"a|b, \\\"c\\\"\",\"url\":\"https://x.example/\",\"extra\":{}}]}\n"
        );
        assert!(
            render(Format::Json, None)
                .starts_with("{\n  \"query\": \"rust\",\n  \"results\": [\n    {\n      \"title\"")
        );
        assert_eq!(
            render(Format::Csv, None),
            "title,url,extra\nRust lang,https://rust-lang.org/,\"{\"\"a\"\":2,\"\"z\"\":1}\"\n\"a|b, \"\"c\"\"\",https://x.example/,{}\n"
        );
        assert_eq!(
            render(Format::Markdown, None),
            "| title | url | extra |\n| --- | --- | --- |\n| Rust lang | https://rust-lang.org/ | {\"a\":2,\"z\":1} |\n| a\\|b, \"c\" | https://x.example/ | {} |\n"
        );
        assert_eq!(
            render(Format::Pretty, None),
            "Rust lang\n  url: https://rust-lang.org/\n  extra: {\"a\":2,\"z\":1}\n\na|b, \"c\"\n  url: https://x.example/\n  extra: {}\n"
        );
    }

    #[test]
    fn templates_win_over_the_format_and_number_rows() {
        assert_eq!(
            render(Format::Json, Some("{{rank}}. {{title}} <{{url}}>")),
            "1. Rust lang <https://rust-lang.org/>\n2. a|b, \"c\" <https://x.example/>\n"
        );
    }

    #[test]
    fn rows_are_a_list_value_or_the_value_itself() {
        let plain = output(Format::Csv, None);
        assert_eq!(plain.render(&[1, 2], None).unwrap(), "value\n1\n2\n");
        assert_eq!(
            plain.render(&page(), None).unwrap().lines().next(),
            Some("query,results")
        );
    }

    #[test]
    fn output_args_come_from_the_group() {
        let manifest = r#"
api = "0.2.0"
name = "demo"
[[arg-groups]]
name = "output"
[[arg-groups.args]]
name = "format"
default = "json"
[[arg-groups.args]]
name = "template"
[[arg-groups.args]]
name = "no-color"
kind = "flag"
[[commands]]
name = "list"
groups = ["output"]
"#;
        let inv = Invocation::for_test(manifest, &["list"], &[("format", &["csv"])]);
        assert_eq!(
            OutputArgs::from_invocation(&inv).unwrap(),
            OutputArgs {
                format: Format::Csv,
                template: None,
                no_color: false
            }
        );
    }
}
