//! `kagi batch` (cli-surface §1.3, §6.6): many searches at once through the
//! host, bounded by `--concurrency` and a token bucket of `--rate-limit`
//! requests per minute. Failures are reported next to the successes, in
//! every format, and make the command fail.

use crate::args::BatchArgs;
use crate::model::SearchResponse;
use crate::request::{self, Failure, Filters, Plan, Route, WebQuery};
use crate::{history, prefs, render};
use kagi_plugin_sdk::http::{self, Pending};
use kagi_plugin_sdk::render::{Format, Style, sorted, strip_controls};
use kagi_plugin_sdk::{Error, Output, OutputArgs, out};
use serde::Serialize;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// A token bucket: `capacity` tokens, starting full, one more every
/// `60 / rpm` seconds. Times are seconds since the batch started.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    tokens: f64,
    per_token: f64,
    last: f64,
}

impl TokenBucket {
    pub fn per_minute(rpm: u32) -> TokenBucket {
        let rpm = f64::from(rpm.max(1));
        TokenBucket {
            capacity: rpm,
            tokens: rpm,
            per_token: 60.0 / rpm,
            last: 0.0,
        }
    }

    fn refill(&mut self, now: f64) {
        if now > self.last {
            self.tokens = (self.tokens + (now - self.last) / self.per_token).min(self.capacity);
            self.last = now;
        }
    }

    /// Takes a token if one is there.
    pub fn try_take(&mut self, now: f64) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Seconds until the next token.
    pub fn wait(&mut self, now: f64) -> f64 {
        self.refill(now);
        ((1.0 - self.tokens) * self.per_token).max(0.0)
    }
}

struct Job {
    index: usize,
    route: Route,
}

/// Runs every query, in input order of results; `plan` applies to each.
fn run_all(
    queries: &[WebQuery],
    plan: Plan,
    concurrency: usize,
    rpm: u32,
) -> Vec<Result<SearchResponse, Error>> {
    let mut results: Vec<Option<Result<SearchResponse, Error>>> =
        (0..queries.len()).map(|_| None).collect();
    let mut queue: VecDeque<Job> = (0..queries.len())
        .map(|index| Job {
            index,
            route: plan.primary,
        })
        .collect();
    let mut bucket = TokenBucket::per_minute(rpm);
    let start = Instant::now();
    let mut in_flight: Vec<(Job, Pending)> = Vec::new();
    let progress = out::Progress::bar("searching", queries.len() as u64);
    while !queue.is_empty() || !in_flight.is_empty() {
        // Start what the concurrency bound and the bucket allow.
        while in_flight.len() < concurrency && !queue.is_empty() {
            if !bucket.try_take(start.elapsed().as_secs_f64()) {
                break;
            }
            let job = queue.pop_front().expect("not empty");
            let pending = queries[job.index].request(job.route).start();
            in_flight.push((job, pending));
        }
        let waiting_for_token = !queue.is_empty() && in_flight.len() < concurrency;
        let ready = if in_flight.is_empty() {
            // Only the bucket holds us back.
            let wait = bucket.wait(start.elapsed().as_secs_f64());
            out::sleep(Duration::from_secs_f64(wait.max(0.001)));
            continue;
        } else if waiting_for_token {
            // A response or the next token, whichever comes first: the host
            // waits on the requests with a deadline, no polling.
            let wait = bucket.wait(start.elapsed().as_secs_f64());
            let pendings: Vec<&Pending> = in_flight.iter().map(|(_, p)| p).collect();
            match http::wait_any_within(&pendings, Some(Duration::from_secs_f64(wait.max(0.001)))) {
                Some(i) => i,
                None => continue,
            }
        } else {
            let pendings: Vec<&Pending> = in_flight.iter().map(|(_, p)| p).collect();
            http::wait_any(&pendings)
        };
        let (job, pending) = in_flight.swap_remove(ready);
        let outcome = pending
            .wait()
            .and_then(|mut r| Ok((r.status(), r.bytes()?)))
            .map_err(Failure::from)
            .and_then(|(status, body)| request::outcome(job.route, status, &body));
        match outcome {
            Err(f) if f.refused_by_api && plan.fallback && job.route == Route::Api => {
                queue.push_front(Job {
                    index: job.index,
                    route: Route::Session,
                });
            }
            other => {
                results[job.index] = Some(other.map_err(|f| f.error));
                progress.inc(1);
            }
        }
    }
    progress.finish();
    results
        .into_iter()
        .map(|r| r.expect("every query finished"))
        .collect()
}

#[derive(Serialize)]
struct QueryError {
    query: String,
    error: String,
}

#[derive(Serialize)]
struct Envelope<'a> {
    queries: Vec<&'a str>,
    results: Vec<&'a SearchResponse>,
    errors: Vec<QueryError>,
}

pub fn run((args, output): (BatchArgs, OutputArgs)) -> Result<(), Error> {
    let concurrency = args.concurrency;
    if concurrency == 0 {
        return Err(Error::config("concurrency must be at least 1"));
    }
    let rpm = args.rate_limit;
    if rpm == 0 {
        return Err(Error::config("rate-limit must be at least 1"));
    }
    let rpm = u32::try_from(rpm).unwrap_or(u32::MAX);
    let limit = args.filters.limit()?;
    let filters = Filters::parse(&args.filters)?;
    let mut raw: Vec<String> = args
        .queries
        .iter()
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty())
        .collect();
    if args.queries.is_empty() {
        raw = kagi_plugin_sdk::stdin::lines()?;
    }
    if raw.is_empty() {
        return Err(Error::config(
            "batch requires at least one query argument or stdin line",
        ));
    }
    let queries: Vec<WebQuery> = raw
        .iter()
        .map(|q| {
            Ok(WebQuery {
                query: filters.query(q)?,
                filters: filters.clone(),
            })
        })
        .collect::<Result<_, Error>>()?;
    let plan = request::plan(request::Available::from_host(), filters.session_need())?;
    let site_prefs = prefs::load_for_results();
    let outcomes = run_all(&queries, plan, concurrency as usize, rpm);

    let mut shown: Vec<Result<SearchResponse, Error>> = Vec::with_capacity(outcomes.len());
    for (q, outcome) in queries.iter().zip(outcomes) {
        shown.push(outcome.map(|resp| {
            let mut data = site_prefs.apply(resp.data);
            if let Some(n) = limit {
                data.truncate(n);
            }
            history::record("batch", &q.query, data.len());
            SearchResponse { data }
        }));
    }

    let (format, template) = (output.format, output.template.as_deref());
    let text = match (format, template) {
        (Format::Json | Format::Compact, None) => {
            let envelope = Envelope {
                queries: queries
                    .iter()
                    .zip(&shown)
                    .filter(|(_, r)| r.is_ok())
                    .map(|(q, _)| q.query.as_str())
                    .collect(),
                results: shown.iter().filter_map(|r| r.as_ref().ok()).collect(),
                errors: queries
                    .iter()
                    .zip(&shown)
                    .filter_map(|(q, r)| {
                        r.as_ref().err().map(|e| QueryError {
                            query: q.query.clone(),
                            error: e.to_string(),
                        })
                    })
                    .collect(),
            };
            // The reference CLI sorts every key here, nested results included.
            Output::new(&output).render(&sorted(&envelope)?, None)?
        }
        _ => {
            let style = Style::detect(output.no_color);
            let mut text = String::new();
            for (q, r) in queries.iter().zip(&shown) {
                match r {
                    Ok(resp) => {
                        text.push_str(&format!("=== Results for: {} ===\n", q.query));
                        text.push_str(&render::results(&resp.data, format, template, style));
                    }
                    Err(e) => {
                        // The message may quote the server's page.
                        let e = strip_controls(&e.to_string());
                        text.push_str(&format!("=== Failed: {} ===\n{e}\n", q.query));
                    }
                }
                text.push('\n');
            }
            text
        }
    };
    out::print(&text);

    let failed: Vec<String> = queries
        .iter()
        .zip(&shown)
        .filter_map(|(q, r)| r.as_ref().err().map(|e| format!("{}: {e}", q.query)))
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let ok = shown.len() - failed.len();
    Err(Error::batch(format!(
        "{} batch {} failed ({ok} succeeded): {}",
        failed.len(),
        if failed.len() == 1 {
            "query"
        } else {
            "queries"
        },
        failed.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_paces() {
        let mut b = TokenBucket::per_minute(3);
        assert!(b.try_take(0.0) && b.try_take(0.0) && b.try_take(0.0));
        assert!(!b.try_take(0.0));
        assert!((b.wait(0.0) - 20.0).abs() < 1e-9);
        assert!(!b.try_take(19.9));
        assert!(b.try_take(20.0));
        assert!(!b.try_take(20.0));
        // A long pause refills only up to the capacity.
        assert!(b.try_take(1000.0) && b.try_take(1000.0) && b.try_take(1000.0));
        assert!(!b.try_take(1000.0));
    }

    #[test]
    fn bucket_of_one_per_minute() {
        let mut b = TokenBucket::per_minute(1);
        assert!(b.try_take(0.0));
        assert!((b.wait(30.0) - 30.0).abs() < 1e-9);
        assert!(b.try_take(60.0));
    }
}
