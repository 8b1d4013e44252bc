//! The Kagi News calls (wire protocol §6.11), made through the host. Requests
//! that do not depend on each other are started together.

use crate::model::{
    BatchCategoriesResponse, BatchCategory, CategoryMetadata, Chaos, LatestBatch, MetadataResponse,
    StoriesResponse,
};
use kagi_plugin_sdk::Error;
use kagi_plugin_sdk::http::{Family, Request, Service, path_segment};

/// Surfaces named in error messages ("failed to parse news stories response").
pub const LATEST: &str = "news latest batch";
pub const METADATA: &str = "news category metadata";
pub const CATEGORIES: &str = "news categories";
pub const STORIES: &str = "news stories";
pub const CHAOS: &str = "news chaos";

pub fn latest_request(lang: &str) -> Request {
    Request::get(Service::News, "/api/batches/latest").query("lang", lang)
}

pub fn metadata_request() -> Request {
    Request::get(Service::News, "/api/categories/metadata")
}

pub fn categories_request(batch_id: &str, lang: &str) -> Request {
    let path = format!("/api/batches/{}/categories", path_segment(batch_id));
    Request::get(Service::News, &path).query("lang", lang)
}

/// Uses the per-batch category `id`, not `categoryId`.
pub fn stories_request(batch_id: &str, category_id: &str, limit: u32, lang: &str) -> Request {
    let path = format!(
        "/api/batches/{}/categories/{}/stories",
        path_segment(batch_id),
        path_segment(category_id)
    );
    Request::get(Service::News, &path)
        .query("limit", limit.to_string())
        .query("lang", lang)
}

pub fn chaos_request(batch_id: &str, lang: &str) -> Request {
    let path = format!("/api/batches/{}/chaos", path_segment(batch_id));
    Request::get(Service::News, &path).query("lang", lang)
}

/// The latest batch, the category metadata and the batch's categories.
pub struct Overview {
    pub batch: LatestBatch,
    pub metadata: Vec<CategoryMetadata>,
    pub categories: Vec<BatchCategory>,
}

/// Fetches the [`Overview`]: `latest` and `metadata` start together, and the
/// categories call (which needs the batch id) overlaps with `metadata`.
pub fn overview(lang: &str) -> Result<Overview, Error> {
    let latest = latest_request(lang).start();
    let metadata = metadata_request().start();
    let batch: LatestBatch = latest.wait()?.checked_json(Family::FreeJson, LATEST)?;
    let categories = categories_request(&batch.id, lang).start();
    let metadata: MetadataResponse = metadata.wait()?.checked_json(Family::FreeJson, METADATA)?;
    let categories: BatchCategoriesResponse = categories
        .wait()?
        .checked_json(Family::FreeJson, CATEGORIES)?;
    Ok(Overview {
        batch,
        metadata: metadata.categories,
        categories: categories.categories,
    })
}

pub fn latest(lang: &str) -> Result<LatestBatch, Error> {
    latest_request(lang)
        .send()?
        .checked_json(Family::FreeJson, LATEST)
}

pub fn stories(
    batch_id: &str,
    category_id: &str,
    limit: u32,
    lang: &str,
) -> Result<StoriesResponse, Error> {
    stories_request(batch_id, category_id, limit, lang)
        .send()?
        .checked_json(Family::FreeJson, STORIES)
}

pub fn chaos(batch_id: &str, lang: &str) -> Result<Chaos, Error> {
    chaos_request(batch_id, lang)
        .send()?
        .checked_json(Family::FreeJson, CHAOS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(request: &Request) -> Vec<(&str, &str)> {
        request
            .query_pairs()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn requests_target_the_news_service() {
        let latest = latest_request("de");
        assert_eq!(latest.method_name(), "GET");
        assert_eq!(latest.service(), Some(Service::News));
        assert_eq!(latest.path(), "/api/batches/latest");
        assert_eq!(query(&latest), [("lang", "de")]);
        assert_eq!(latest.credential_used(), None);

        let metadata = metadata_request();
        assert_eq!(metadata.path(), "/api/categories/metadata");
        assert!(metadata.query_pairs().is_empty());

        let stories = stories_request("batch 1", "category-2", 5, "default");
        assert_eq!(
            stories.path(),
            "/api/batches/batch%201/categories/category-2/stories"
        );
        assert_eq!(query(&stories), [("limit", "5"), ("lang", "default")]);

        assert_eq!(
            categories_request("b", "en").path(),
            "/api/batches/b/categories"
        );
        assert_eq!(chaos_request("b", "en").path(), "/api/batches/b/chaos");
    }
}
