//! The `quick` plugin: `kagi quick QUERY`, Kagi Quick Answer on the session
//! (cli-surface §1.8, wire protocol §6.5), streamed on a terminal.

mod answer;
mod references;
mod render;

use answer::Quick;
use kagi_plugin_sdk::answer_view::{AnswerOutput, AnswerView, print_answer};
use kagi_plugin_sdk::cache::Cache;
use kagi_plugin_sdk::render::Format;
use kagi_plugin_sdk::{Error, FromInvocation, Invocation, Plugin, Router, export_plugin};
use std::time::Duration;

/// The local cache's namespace (cli-surface §6.3).
const CACHE_NAMESPACE: &str = "quick";
/// The spinner's message until the answer starts.
const WAITING: &str = "Asking Quick Answer…";
/// The formats shown as growing text on a terminal: not markdown, whose
/// final text (Kagi's own, with footnote marks) does not continue the HTML's.
const LIVE: &[Format] = &[Format::Pretty];

/// The arguments of `kagi quick`.
#[derive(Debug)]
struct Args {
    query: String,
    /// As given (trimmed) and as sent.
    lens: Option<(String, u32)>,
    output: AnswerOutput,
    local_cache: Option<Duration>,
}

impl FromInvocation for Args {
    fn from_invocation(inv: &Invocation) -> Result<Self, Error> {
        let query = inv.get::<String>("query")?.trim().to_string();
        if query.is_empty() {
            return Err(Error::config("quick query cannot be empty"));
        }
        let lens = match inv.get_opt::<String>("lens")? {
            None => None,
            Some(raw) => {
                let lens = raw.trim();
                if lens.is_empty() {
                    return Err(Error::config("quick --lens cannot be empty"));
                }
                let index = lens.parse::<u32>().map_err(|_| {
                    Error::config(format!(
                        "lens '{lens}' must be a numeric index (e.g., '0', '1', '2'); find a lens's index at https://kagi.com/settings/lenses"
                    ))
                })?;
                Some((lens.to_string(), index))
            }
        };
        let ttl: u64 = inv.get("cache-ttl")?;
        Ok(Args {
            query,
            lens,
            output: AnswerOutput::from_invocation(inv)?,
            local_cache: inv
                .get_flag("local-cache")?
                .then(|| Duration::from_secs(ttl)),
        })
    }
}

fn run(args: Args) -> Result<(), Error> {
    let request = answer::request(&args.query, args.lens.as_ref().map(|l| l.1));
    let cache = args.local_cache.map(|ttl| Cache::new(CACHE_NAMESPACE, ttl));
    if let Some(hit) = cache.as_ref().and_then(|c| c.get::<Quick, _>(&request)) {
        return print_answer(&args.output, &hit, &hit);
    }
    let mut view = AnswerView::new(&args.output, LIVE, WAITING);
    let heading = view.style().heading(render::ANSWER_HEADING);
    view.heading(&format!("{heading}\n"));
    let lens = args.lens.as_ref().map(|l| l.0.as_str());
    let quick = answer::fetch(&request, &args.query, lens, &mut view)?;
    if let Some(cache) = &cache {
        cache.put(&request, &quick);
    }
    view.finish(&quick, &quick)
}

struct QuickPlugin;

impl Plugin for QuickPlugin {
    fn router() -> Router {
        Router::new().command(&["quick"], run)
    }
}

export_plugin!(QuickPlugin, "kagi-plugin.toml");
