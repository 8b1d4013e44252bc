//! `kagi notify` (cli-surface §1.16, §6.7; wire-protocol §6.23): runs one
//! search, or reads one news category, exactly as `kagi search` / `kagi news`
//! would (a child `kagi`, so the same plugins, credentials, grants and
//! sandbox), then POSTs the result as JSON to the webhook the user named.
//!
//! The webhook is reachable for this run only because the user named it; it
//! never gets a credential, and a policy with `forbid-destinations` refuses
//! it before anything runs. Its path is often a secret (chat webhooks), so
//! logs and errors show only its origin.
//!
//! `--change-only` (with `--query` only) keeps the last response that was
//! delivered for the query and profile, and stays silent while a new search
//! returns the same. The response is stored only after the webhook accepted
//! it, so a failed delivery is retried on the next run.

use crate::capabilities::{Policy, admit_destination};
use crate::child_command::{Captured, run_kagi};
use crate::error::{Error, Result, exit};
use crate::io_runtime::IoRuntime;
use crate::log;
use crate::net::{NetError, Outgoing, TimeoutClass};
use crate::registry::Registry;
use crate::storage::Store;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use url::Url;

/// The news category read when neither `--query` nor `--news-category` is given.
const DEFAULT_CATEGORY: &str = "world";
/// Where `--change-only` keeps delivered responses: a name no plugin can
/// have (plugin names start with a letter), so no plugin can read them.
const STORE_NAME: &str = "_notify";

pub fn command() -> Command {
    Command::new("notify")
        .about("Run a search (or read a news category) and POST the result to a webhook")
        .long_about(
            "Run a plain search for --query, or read the --news-category stories (default: world), \
             and POST the JSON result to --webhook-url. The webhook is reachable for this run only \
             and never receives a credential; a policy with forbid-destinations refuses it.\n\n\
             With --change-only (searches only), nothing is sent, and nothing printed, while the \
             results are the same as the last ones the webhook accepted for this query and profile.",
        )
        .arg(
            Arg::new("query")
                .long("query")
                .value_name("QUERY")
                .conflicts_with("news-category")
                .help("Search for QUERY and send the results"),
        )
        .arg(
            Arg::new("news-category")
                .long("news-category")
                .value_name("CATEGORY")
                .help("Send the stories of this news category (default: world)"),
        )
        .arg(
            Arg::new("webhook-url")
                .long("webhook-url")
                .value_name("URL")
                .required(true)
                .help("Where to POST the JSON payload (http or https)"),
        )
        .arg(
            Arg::new("change-only")
                .long("change-only")
                .action(ArgAction::SetTrue)
                .requires("query")
                .help("Send only when the results differ from the last ones sent for this query"),
        )
}

/// What is sent: a search or a news category.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    Search(String),
    News(String),
}

impl Subject {
    fn of(matches: &ArgMatches) -> Subject {
        match matches.get_one::<String>("query") {
            Some(q) => Subject::Search(q.clone()),
            None => Subject::News(
                matches
                    .get_one::<String>("news-category")
                    .cloned()
                    .unwrap_or_else(|| DEFAULT_CATEGORY.to_string()),
            ),
        }
    }

    /// The command line of the child `kagi` that fetches the response.
    fn child_args(&self, profile: Option<&str>) -> Vec<String> {
        let mut args: Vec<String> = Vec::new();
        if let Some(p) = profile {
            args.extend(["--profile".into(), p.into()]);
        }
        if log::enabled() {
            args.push("--verbose".into());
        }
        match self {
            // `--` so that a query starting with `-` stays the query.
            Subject::Search(q) => {
                args.extend(["search", "--format", "json", "--", q].map(String::from))
            }
            Subject::News(c) => args.extend(
                [
                    "news",
                    "--category",
                    c,
                    "--limit",
                    "12",
                    "--lang",
                    "default",
                ]
                .map(String::from),
            ),
        }
        args
    }

    /// The webhook's body (keys in alphabetical order, as the reference CLI sends them).
    fn payload(&self, response: Value) -> Value {
        match self {
            Subject::Search(q) => json!({"kind": "search", "query": q, "response": response}),
            Subject::News(c) => json!({"category": c, "kind": "news", "response": response}),
        }
    }
}

pub fn run(
    matches: &ArgMatches,
    registry: &Registry,
    policy: &Policy,
    profile: Option<&str>,
    state_dir: &Path,
) -> Result<i32> {
    let subject = Subject::of(matches);
    let raw_url = matches
        .get_one::<String>("webhook-url")
        .expect("clap requires --webhook-url");
    // Before anything runs: a refused webhook means no search either.
    let webhook = admit_destination(policy, "notify", "--webhook-url", raw_url)?;
    let shown = webhook.origin().ascii_serialization();
    log::debug(&format!(
        "notify: may POST to {shown} for this run: the webhook given with --webhook-url (never with a credential)"
    ));

    // As in the reference CLI, notify's searches are not in the history:
    // the plugin serving `search` is told so through its own `history`
    // setting's variable, whatever its manifest names it.
    let no_history = history_off(registry);
    let vars: Vec<(&str, &str)> = no_history.iter().map(|v| (v.as_str(), "off")).collect();
    let captured = run_kagi(&subject.child_args(profile), &vars)?;
    // The child's diagnostics (its error, warnings, --verbose lines) are ours.
    let _ = std::io::stderr().write_all(&captured.stderr);
    if captured.exit_code != exit::OK {
        return Ok(captured.exit_code);
    }
    let response = response_of(&subject, &captured)?;

    let mut delivered = match (&subject, matches.get_flag("change-only")) {
        (Subject::Search(q), true) => Some(Delivered::open(state_dir, q, profile)),
        _ => None,
    };
    if let Some(d) = &delivered
        && d.last()?.as_ref() == Some(&response)
    {
        log::debug("notify: the results are the same as the last ones sent; nothing to send");
        return Ok(exit::OK);
    }

    let body = serde_json::to_vec(&subject.payload(response.clone()))
        .map_err(|e| Error::Parse(format!("JSON serialization error: {e}")))?;
    post(&webhook, &shown, body)?;
    if let Some(d) = &mut delivered {
        d.remember(&response)?;
    }
    let mut out = serde_json::to_string_pretty(&json!({"sent": true})).expect("plain JSON");
    out.push('\n');
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Error::Output(format!("cannot write to stdout: {e}")))?;
    Ok(exit::OK)
}

/// The child's stdout as JSON.
fn response_of(subject: &Subject, captured: &Captured) -> Result<Value> {
    serde_json::from_slice(&captured.stdout).map_err(|e| {
        let what = match subject {
            Subject::Search(_) => "kagi search",
            Subject::News(_) => "kagi news",
        };
        Error::Parse(format!("{what} did not print JSON for notify: {e}"))
    })
}

/// POSTs `body` to the webhook: no credential, no redirects (the user named
/// this URL, not where it might send us), the 20 s search timeout.
fn post(webhook: &Url, shown: &str, body: Vec<u8>) -> Result<()> {
    let io = IoRuntime::new()?;
    let net = io.net()?;
    log::debug(&format!(
        "notify: POST {shown} ({} bytes of JSON)",
        body.len()
    ));
    let outgoing = Outgoing {
        method: reqwest::Method::POST,
        url: webhook.clone(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Some(body),
        credential: None,
        translate: None,
        timeout: TimeoutClass::Search,
        follow_redirects: false,
        hop_check: Arc::new(|_, _| Ok(())),
    };
    let status = io
        .block_on(async {
            let mut incoming = net.send(outgoing).await?;
            // Read (and drop) the answer so the connection ends cleanly.
            incoming.body.read_all().await?;
            Ok::<_, NetError>(incoming.status)
        })
        .map_err(|e| {
            let message = match e {
                NetError::Timeout(m)
                | NetError::Connect(m)
                | NetError::Transport(m)
                | NetError::TooLarge(m)
                | NetError::Denied(m)
                | NetError::Auth(m) => m,
            };
            // The webhook's path may be its secret: show the origin only.
            Error::Network(message.replace(webhook.as_str(), shown))
        })?;
    log::debug(&format!("notify: HTTP {status} from {shown}"));
    if !(200..300).contains(&status) {
        return Err(Error::Network(format!(
            "webhook rejected notification: HTTP {status}"
        )));
    }
    Ok(())
}

/// The last response delivered for one query and profile (`--change-only`).
struct Delivered {
    store: Store,
    key: String,
}

impl Delivered {
    fn open(state_dir: &Path, query: &str, profile: Option<&str>) -> Delivered {
        // The profile is part of the key: two accounts may see different results.
        let mut hash = Sha256::new();
        hash.update(profile.unwrap_or("").as_bytes());
        hash.update([0xff]);
        hash.update(query.trim().as_bytes());
        let digest = hash.finalize();
        Delivered {
            store: Store::new(state_dir, STORE_NAME),
            key: format!("change-only/{}", hex::encode(&digest[..8])),
        }
    }

    fn last(&self) -> Result<Option<Value>> {
        let Some(bytes) = self.store.get(&self.key).map_err(storage_error)? else {
            return Ok(None);
        };
        // A damaged file only means the next result counts as a change.
        Ok(serde_json::from_slice(&bytes).ok())
    }

    fn remember(&mut self, response: &Value) -> Result<()> {
        let bytes = serde_json::to_vec(response).expect("a parsed value serializes");
        self.store.set(&self.key, &bytes).map_err(storage_error)
    }
}

fn storage_error(message: String) -> Error {
    Error::Config(format!(
        "notify --change-only cannot use its local state: {message}"
    ))
}

/// The variable that turns off the history of the plugin serving `search`,
/// if it declares a `history` setting with one.
fn history_off(registry: &Registry) -> Option<String> {
    registry
        .find_command("search")?
        .manifest
        .settings
        .iter()
        .find(|s| s.name == "history")?
        .env
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_child_runs_a_plain_json_search_or_the_spec_news_request() {
        let search = Subject::Search("-rust lang".into()).child_args(Some("work"));
        assert_eq!(
            search,
            [
                "--profile",
                "work",
                "search",
                "--format",
                "json",
                "--",
                "-rust lang"
            ]
        );
        let news = Subject::News("tech".into()).child_args(None);
        assert_eq!(
            news,
            [
                "news",
                "--category",
                "tech",
                "--limit",
                "12",
                "--lang",
                "default"
            ]
        );
    }

    #[test]
    fn payload_keys_are_in_alphabetical_order() {
        let search = Subject::Search("q".into()).payload(json!({"data": []}));
        assert_eq!(
            serde_json::to_string(&search).unwrap(),
            r#"{"kind":"search","query":"q","response":{"data":[]}}"#
        );
        let news = Subject::News("world".into()).payload(json!({}));
        assert_eq!(
            serde_json::to_string(&news).unwrap(),
            r#"{"category":"world","kind":"news","response":{}}"#
        );
    }

    #[test]
    fn the_change_only_key_depends_on_the_profile_and_the_trimmed_query() {
        let dir = tempfile::tempdir().unwrap();
        let key = |q: &str, p: Option<&str>| Delivered::open(dir.path(), q, p).key;
        assert_eq!(key("rust", None), key("  rust ", None));
        assert_ne!(key("rust", None), key("rust", Some("work")));
        assert_ne!(key("rust", None), key("go", None));
    }
}
