//! Kagi News (the news host, wire-protocol §6.11): no auth, JSON only.
//!
//! The fixture holds one batch of six categories with their stories; totals in the batch are
//! precomputed in the fixture so the JSON stays the single source of truth.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Extension, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use crate::faults::Faults;
use crate::{AppState, api_error, json_ok, param};

static FIXTURE: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../fixtures/news.json")).expect("fixtures/news.json")
});

/// The stories endpoint's default when the client sends no `limit`.
const DEFAULT_LIMIT: usize = 12;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/batches/latest", get(latest))
        .route("/api/categories/metadata", get(metadata))
        .route("/api/batches/{batch}/categories", get(categories))
        .route(
            "/api/batches/{batch}/categories/{category}/stories",
            get(stories),
        )
        .route("/api/batches/{batch}/chaos", get(chaos))
}

type Params = Query<Vec<(String, String)>>;

fn batch() -> &'static Value {
    &FIXTURE["batch"]
}

fn fixture_categories() -> &'static [Value] {
    FIXTURE["categories"].as_array().expect("categories array")
}

/// `lang=default` (what the CLI sends by default) or no lang means English.
fn language(q: &[(String, String)]) -> String {
    match param(q, "lang").map(str::trim) {
        None | Some("") | Some("default") => "en".to_string(),
        Some(lang) => lang.to_string(),
    }
}

/// The 404 for a batch id other than the fixture's.
fn unknown_batch(id: &str) -> Option<Response> {
    (id != batch()["id"])
        .then(|| api_error(StatusCode::NOT_FOUND, &format!("Batch '{id}' not found")))
}

async fn latest(Query(q): Params) -> Response {
    let mut b = batch().clone();
    b["languageCode"] = json!(language(&q));
    json_ok(b)
}

async fn metadata(Extension(f): Extension<Faults>) -> Response {
    let categories: Vec<Value> = if f.empty {
        vec![]
    } else {
        fixture_categories()
            .iter()
            .map(|c| {
                json!({
                    "categoryId": c["categoryId"],
                    "categoryType": "topic",
                    "displayName": c["displayName"],
                    "isCore": true,
                    "sourceLanguage": c["sourceLanguage"],
                })
            })
            .collect()
    };
    json_ok(json!({ "categories": categories }))
}

async fn categories(Path(batch_id): Path<String>, Extension(f): Extension<Faults>) -> Response {
    if let Some(err) = unknown_batch(&batch_id) {
        return err;
    }
    let categories: Vec<Value> = if f.empty {
        vec![]
    } else {
        fixture_categories()
            .iter()
            .map(|c| {
                json!({
                    "id": c["id"],
                    "categoryId": c["categoryId"],
                    "categoryName": c["categoryName"],
                    "sourceLanguage": c["sourceLanguage"],
                    "timestamp": c["timestamp"],
                    "readCount": c["readCount"],
                    "clusterCount": c["clusterCount"],
                })
            })
            .collect()
    };
    json_ok(json!({
        "batchId": batch_id,
        "createdAt": batch()["createdAt"],
        "hasOnThisDay": false,
        "categories": categories,
    }))
}

async fn stories(
    Path((batch_id, category)): Path<(String, String)>,
    Query(q): Params,
    Extension(f): Extension<Faults>,
) -> Response {
    if let Some(err) = unknown_batch(&batch_id) {
        return err;
    }
    // Kagi addresses stories by the per-batch id, never by categoryId.
    let Some(cat) = fixture_categories()
        .iter()
        .find(|c| c["id"] == category.as_str())
    else {
        let msg = format!("Category '{category}' not found in batch '{batch_id}'");
        return api_error(StatusCode::NOT_FOUND, &msg);
    };
    let limit = match param(&q, "limit").map(str::parse::<usize>) {
        None => DEFAULT_LIMIT,
        Some(Ok(n)) => n,
        Some(Err(_)) => return api_error(StatusCode::BAD_REQUEST, "Invalid limit"),
    };
    let all = cat["stories"].as_array().expect("stories array");
    let stories: Vec<Value> = if f.empty {
        vec![]
    } else {
        all.iter().take(limit).cloned().collect()
    };
    // The top-level domain list is the union of the returned stories' domains.
    let mut domains: Vec<Value> = Vec::new();
    for d in stories
        .iter()
        .flat_map(|s| s["domains"].as_array().into_iter().flatten())
    {
        if !domains.iter().any(|seen| seen["name"] == d["name"]) {
            domains.push(d.clone());
        }
    }
    json_ok(json!({
        "batchId": batch_id,
        "categoryId": cat["categoryId"],
        "categoryName": cat["categoryName"],
        "timestamp": cat["timestamp"],
        "stories": stories,
        "totalStories": if f.empty { 0 } else { all.len() },
        "domains": domains,
        "readCount": cat["readCount"],
    }))
}

async fn chaos(Path(batch_id): Path<String>) -> Response {
    if let Some(err) = unknown_batch(&batch_id) {
        return err;
    }
    json_ok(FIXTURE["chaos"].clone())
}
