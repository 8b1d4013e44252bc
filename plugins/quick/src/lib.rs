//! The `quick` plugin: `kagi quick QUERY`, Kagi Quick Answer on the session
//! (cli-surface §1.8, wire protocol §6.5), streamed on a terminal.

mod answer;
mod references;
mod render;

use answer::{Live, Quick};
use kagi_plugin_sdk::cache::Cache;
use kagi_plugin_sdk::render::{Format, Style};
use kagi_plugin_sdk::stream::{LiveText, NdjsonEvents};
use kagi_plugin_sdk::{Error, FromInvocation, Invocation, Plugin, Router, export_plugin, out};
use std::time::Duration;

/// The local cache's namespace (cli-surface §6.3).
const CACHE_NAMESPACE: &str = "quick";
/// The spinner's message until the answer starts.
const WAITING: &str = "Asking Quick Answer…";

/// The arguments of `kagi quick`.
#[derive(Debug)]
struct Args {
    query: String,
    /// As given (trimmed) and as sent.
    lens: Option<(String, u32)>,
    /// As given; none: pretty on a terminal, else JSON.
    format: Option<Format>,
    no_color: bool,
    stream: bool,
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
            format: inv.get_opt("format")?,
            no_color: inv.get_flag("no-color")?,
            stream: inv.get_flag("stream")?,
            local_cache: inv
                .get_flag("local-cache")?
                .then(|| Duration::from_secs(ttl)),
        })
    }
}

impl Args {
    /// The format shown: as asked, else pretty on a terminal and JSON off one.
    fn shown_format(&self) -> Format {
        match self.format {
            Some(format) => format,
            None if out::info().stdout_is_tty => Format::Pretty,
            None => Format::Json,
        }
    }
}

fn run(args: Args) -> Result<(), Error> {
    let request = answer::request(&args.query, args.lens.as_ref().map(|l| l.1));
    let cache = args.local_cache.map(|ttl| Cache::new(CACHE_NAMESPACE, ttl));
    let format = args.shown_format();
    let style = Style::detect(args.no_color);
    if let Some(hit) = cache.as_ref().and_then(|c| c.get::<Quick, _>(&request)) {
        return print(&args, format, style, &hit);
    }
    let streamed_text = format == Format::Pretty && out::info().stdout_is_tty && !args.stream;
    let mut live = if args.stream {
        Live::Events(NdjsonEvents::new())
    } else if streamed_text {
        Live::Text {
            live: LiveText::new(WAITING).rendered(kagi_plugin_sdk::answer::html_to_text),
            heading: Some(format!("{}\n", style.heading(render::ANSWER_HEADING))),
        }
    } else {
        Live::Quiet
    };
    let lens = args.lens.as_ref().map(|l| l.0.as_str());
    // Not streamed: a spinner (on a terminal's stderr) until the answer is complete.
    let spinner = matches!(live, Live::Quiet).then(|| out::Progress::spinner(WAITING));
    let fetched = answer::fetch(&request, &args.query, lens, &mut live);
    if let Some(spinner) = spinner {
        spinner.finish();
    }
    let quick = fetched?;
    if let Some(cache) = &cache {
        cache.put(&request, &quick);
    }
    match live {
        Live::Events(events) => events.finish(&quick),
        Live::Text { mut live, heading } => {
            if let Some(h) = heading {
                live.print_above(&h);
            }
            live.finish(&render::streamed_answer_text(&quick));
            let rest = render::after_answer(&quick, style);
            if !rest.is_empty() {
                out::print(&format!("\n{rest}\n"));
            }
            Ok(())
        }
        Live::Quiet => print(&args, format, style, &quick),
    }
}

/// Prints a whole answer (not streamed) in `format`.
fn print(args: &Args, format: Format, style: Style, quick: &Quick) -> Result<(), Error> {
    if args.stream {
        return NdjsonEvents::new().finish(quick);
    }
    let text = match format {
        Format::Pretty => render::pretty(quick, style),
        Format::Markdown => render::markdown(quick),
        Format::Compact => format!("{}\n", serde_json::to_string(quick)?),
        _ => format!("{}\n", serde_json::to_string_pretty(quick)?),
    };
    out::print(&text);
    Ok(())
}

struct QuickPlugin;

impl Plugin for QuickPlugin {
    fn router() -> Router {
        Router::new().command(&["quick"], run)
    }
}

export_plugin!(QuickPlugin, "kagi-plugin.toml");
