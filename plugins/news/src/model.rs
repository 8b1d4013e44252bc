//! Kagi News payloads as upstream sends them, and the output shapes built
//! from them. Unknown upstream fields are ignored everywhere.

use crate::filter::{ContentFilter, FilterSummary};
use kagi_plugin_sdk::Error;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET /api/batches/latest`. Printed with upstream's camelCase keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LatestBatch {
    pub created_at: String,
    pub date_slug: String,
    pub id: String,
    pub language_code: String,
    pub processing_time: u64,
    pub total_articles: u64,
    pub total_categories: u64,
    pub total_clusters: u64,
    pub total_read_count: u64,
}

/// `GET /api/categories/metadata`.
#[derive(Debug, Clone, Deserialize)]
pub struct MetadataResponse {
    pub categories: Vec<CategoryMetadata>,
}

/// One metadata entry; printed camelCase inside the snake_case category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryMetadata {
    pub category_id: String,
    pub category_type: String,
    pub display_name: String,
    pub is_core: bool,
    pub source_language: String,
}

/// `GET /api/batches/{batch}/categories`.
#[derive(Debug, Clone, Deserialize)]
pub struct BatchCategoriesResponse {
    pub categories: Vec<BatchCategory>,
}

/// A category of one batch. `id` is the per-batch id the stories call needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchCategory {
    pub id: String,
    pub category_id: String,
    pub category_name: String,
    pub source_language: String,
    pub timestamp: i64,
    pub read_count: u64,
    pub cluster_count: u64,
}

/// `GET /api/batches/{batch}/categories/{category}/stories`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoriesResponse {
    pub stories: Vec<Value>,
    pub total_stories: u64,
    pub domains: Vec<Value>,
    pub read_count: u64,
}

/// `GET /api/batches/{batch}/chaos`, printed as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chaos {
    pub chaos_index: u64,
    pub chaos_description: String,
    pub chaos_last_updated: String,
}

/// A category as printed: snake_case, with its metadata when there is some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub id: String,
    pub category_id: String,
    pub category_name: String,
    pub source_language: String,
    pub timestamp: i64,
    pub read_count: u64,
    pub cluster_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<CategoryMetadata>,
}

impl Category {
    pub fn new(category: &BatchCategory, metadata: &[CategoryMetadata]) -> Category {
        Category {
            id: category.id.clone(),
            category_id: category.category_id.clone(),
            category_name: category.category_name.clone(),
            source_language: category.source_language.clone(),
            timestamp: category.timestamp,
            read_count: category.read_count,
            cluster_count: category.cluster_count,
            metadata: metadata_for(category, metadata).cloned(),
        }
    }
}

/// `kagi news` output.
#[derive(Debug, Serialize)]
pub struct StoriesOutput {
    pub latest_batch: LatestBatch,
    pub category: Category,
    pub stories: Vec<Value>,
    pub total_stories: u64,
    pub domains: Vec<Value>,
    pub read_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_filter: Option<FilterSummary>,
}

/// `kagi news --list-categories` output.
#[derive(Debug, Serialize)]
pub struct CategoriesOutput {
    pub latest_batch: LatestBatch,
    pub categories: Vec<Category>,
}

/// `kagi news --chaos` output.
#[derive(Debug, Serialize)]
pub struct ChaosOutput {
    pub latest_batch: LatestBatch,
    pub chaos: Chaos,
}

fn metadata_for<'a>(
    category: &BatchCategory,
    metadata: &'a [CategoryMetadata],
) -> Option<&'a CategoryMetadata> {
    metadata
        .iter()
        .find(|m| m.category_id.eq_ignore_ascii_case(&category.category_id))
}

/// Finds `wanted` (already trimmed, non-empty) among the batch's categories by
/// `categoryId`, then `categoryName`, then metadata `displayName`, ignoring
/// case. Trying the id first keeps a name that equals another category's id
/// from shadowing it.
pub fn resolve_category<'a>(
    categories: &'a [BatchCategory],
    metadata: &[CategoryMetadata],
    wanted: &str,
) -> Result<&'a BatchCategory, Error> {
    let wanted_lower = wanted.to_lowercase();
    let eq = |s: &str| s.to_lowercase() == wanted_lower;
    categories
        .iter()
        .find(|c| eq(&c.category_id))
        .or_else(|| categories.iter().find(|c| eq(&c.category_name)))
        .or_else(|| {
            categories
                .iter()
                .find(|c| metadata_for(c, metadata).is_some_and(|m| eq(&m.display_name)))
        })
        .ok_or_else(|| {
            Error::config(format!(
                "unknown news category '{wanted}'. Run `kagi news --list-categories` to inspect current categories."
            ))
        })
}

pub fn categories_output(
    latest_batch: LatestBatch,
    categories: &[BatchCategory],
    metadata: &[CategoryMetadata],
) -> CategoriesOutput {
    CategoriesOutput {
        latest_batch,
        categories: categories
            .iter()
            .map(|c| Category::new(c, metadata))
            .collect(),
    }
}

pub fn stories_output(
    latest_batch: LatestBatch,
    category: Category,
    response: StoriesResponse,
    filter: Option<&ContentFilter>,
) -> StoriesOutput {
    let (stories, content_filter) = match filter {
        Some(filter) => {
            let (kept, summary) = filter.apply(response.stories);
            (kept, Some(summary))
        }
        None => (response.stories, None),
    };
    StoriesOutput {
        latest_batch,
        category,
        stories,
        total_stories: response.total_stories,
        domains: response.domains,
        read_count: response.read_count,
        content_filter,
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    pub const LATEST: &str = r#"{"createdAt":"2026-04-06T00:00:00Z","dateSlug":"2026-04-06","id":"batch-1","languageCode":"en","processingTime":14,"totalArticles":120,"totalCategories":8,"totalClusters":64,"totalReadCount":90,"extra":{"ignored":true}}"#;

    pub const METADATA: &str = r#"{"categories":[
        {"categoryId":"world","categoryType":"core","displayName":"World","isCore":true,"sourceLanguage":"en"},
        {"categoryId":"tech","categoryType":"topic","displayName":"Technology","isCore":true,"sourceLanguage":"en","icon":"chip"},
        {"categoryId":"de-inland","categoryType":"regional","displayName":"Deutschland","isCore":false,"sourceLanguage":"de"}
    ]}"#;

    pub const CATEGORIES: &str = r#"{"batchId":"batch-1","createdAt":"2026-04-06T00:00:00Z","hasOnThisDay":false,"categories":[
        {"id":"category-1","categoryId":"world","categoryName":"World","sourceLanguage":"en","timestamp":1712361600,"readCount":42,"clusterCount":12},
        {"id":"category-2","categoryId":"tech","categoryName":"Tech","sourceLanguage":"en","timestamp":1712361600,"readCount":7,"clusterCount":3},
        {"id":"category-3","categoryId":"de-inland","categoryName":"Inland","sourceLanguage":"de","timestamp":1712361601,"readCount":1,"clusterCount":2},
        {"id":"category-4","categoryId":"science","categoryName":"Science","sourceLanguage":"en","timestamp":1712361602,"readCount":0,"clusterCount":1}
    ]}"#;

    pub const STORIES: &str = r#"{"batchId":"batch-1","categoryId":"tech","categoryName":"Tech","timestamp":1712361600,"stories":[
        {"title":"Rust ships new release","url":"https://example.com/rust-release","short_summary":"The compiler got faster.","category":"Tech","cluster_number":1},
        {"title":"Bitcoin slides again","short_summary":"Crypto markets fell.","category":"Tech","cluster_number":2,
         "articles":[{"link":"https://coins.example/slide","domain":"coins.example"}]}
    ],"totalStories":2,"domains":[{"name":"example.com","favicon":"https://example.com/f.ico"}],"readCount":10}"#;

    pub const CHAOS: &str = r#"{"chaosIndex":42,"chaosDescription":"A busy day.","chaosLastUpdated":"2026-04-06T00:00:00Z","trend":"up"}"#;
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::filter::{Mode, Scope};
    use kagi_plugin_sdk::http::decode_json;
    use kagi_plugin_sdk::render::json_pretty;

    fn latest() -> LatestBatch {
        decode_json(LATEST.as_bytes(), "news latest batch").unwrap()
    }
    fn metadata() -> Vec<CategoryMetadata> {
        decode_json::<MetadataResponse>(METADATA.as_bytes(), "news category metadata")
            .unwrap()
            .categories
    }
    fn categories() -> Vec<BatchCategory> {
        decode_json::<BatchCategoriesResponse>(CATEGORIES.as_bytes(), "news categories")
            .unwrap()
            .categories
    }
    fn stories() -> StoriesResponse {
        decode_json(STORIES.as_bytes(), "news stories").unwrap()
    }

    #[test]
    fn categories_resolve_by_id_name_or_display_name() {
        let (cats, meta) = (categories(), metadata());
        assert_eq!(
            resolve_category(&cats, &meta, "world").unwrap().id,
            "category-1"
        );
        assert_eq!(
            resolve_category(&cats, &meta, "TECH").unwrap().id,
            "category-2"
        );
        assert_eq!(
            resolve_category(&cats, &meta, "technology").unwrap().id,
            "category-2"
        );
        assert_eq!(
            resolve_category(&cats, &meta, "inland").unwrap().id,
            "category-3"
        );
        assert_eq!(
            resolve_category(&cats, &meta, "DEUTSCHLAND").unwrap().id,
            "category-3"
        );
        assert_eq!(
            resolve_category(&cats, &meta, "De-Inland").unwrap().id,
            "category-3"
        );
        // Metadata that has no batch category cannot be chosen.
        let err = resolve_category(&cats[1..], &meta, "world").unwrap_err();
        assert_eq!(err.class, kagi_plugin_sdk::ErrorClass::Config);
        assert_eq!(
            err.message,
            "unknown news category 'world'. Run `kagi news --list-categories` to inspect current categories."
        );
    }

    #[test]
    fn an_id_match_wins_over_an_earlier_name_match() {
        let cats: Vec<BatchCategory> = serde_json::from_str(
            r#"[{"id":"a","categoryId":"usa","categoryName":"World","sourceLanguage":"en","timestamp":1,"readCount":0,"clusterCount":0},
                {"id":"b","categoryId":"world","categoryName":"Global","sourceLanguage":"en","timestamp":1,"readCount":0,"clusterCount":0}]"#,
        )
        .unwrap();
        assert_eq!(resolve_category(&cats, &[], "world").unwrap().id, "b");
    }

    #[test]
    fn non_ascii_names_match_case_insensitively() {
        let cats: Vec<BatchCategory> = serde_json::from_str(
            r#"[{"id":"x","categoryId":"ukraine","categoryName":"Україна","sourceLanguage":"uk","timestamp":1,"readCount":0,"clusterCount":0}]"#,
        )
        .unwrap();
        assert_eq!(resolve_category(&cats, &[], "УКРАЇНА").unwrap().id, "x");
    }

    #[test]
    fn latest_batch_keeps_camel_case_and_drops_extras() {
        let text = serde_json::to_string(&latest()).unwrap();
        assert_eq!(
            text,
            r#"{"createdAt":"2026-04-06T00:00:00Z","dateSlug":"2026-04-06","id":"batch-1","languageCode":"en","processingTime":14,"totalArticles":120,"totalCategories":8,"totalClusters":64,"totalReadCount":90}"#
        );
    }

    #[test]
    fn latest_batch_rejects_missing_and_negative_fields() {
        let missing = LATEST.replace(r#""dateSlug":"2026-04-06","#, "");
        let err = decode_json::<LatestBatch>(missing.as_bytes(), "news latest batch").unwrap_err();
        assert_eq!(err.class, kagi_plugin_sdk::ErrorClass::Parse);
        assert!(
            err.message
                .starts_with("failed to parse news latest batch response: "),
            "{}",
            err.message
        );
        assert!(err.message.contains("dateSlug"), "{}", err.message);
        let negative = LATEST.replace(r#""totalClusters":64"#, r#""totalClusters":-1"#);
        let err = decode_json::<LatestBatch>(negative.as_bytes(), "news latest batch").unwrap_err();
        assert!(err.message.contains("totalClusters"), "{}", err.message);
        let fractional = LATEST.replace(r#""processingTime":14"#, r#""processingTime":14.5"#);
        assert!(decode_json::<LatestBatch>(fractional.as_bytes(), "news latest batch").is_err());
    }

    #[test]
    fn metadata_requires_is_core() {
        let broken = METADATA.replace(r#""isCore":false,"#, "");
        let err = decode_json::<MetadataResponse>(broken.as_bytes(), "news category metadata")
            .unwrap_err();
        assert!(err.message.contains("categories[2]"), "{}", err.message);
        assert!(err.message.contains("isCore"), "{}", err.message);
    }

    #[test]
    fn category_is_snake_case_with_camel_case_metadata() {
        let (cats, meta) = (categories(), metadata());
        let tech = serde_json::to_string(&Category::new(&cats[1], &meta)).unwrap();
        assert_eq!(
            tech,
            r#"{"id":"category-2","category_id":"tech","category_name":"Tech","source_language":"en","timestamp":1712361600,"read_count":7,"cluster_count":3,"metadata":{"categoryId":"tech","categoryType":"topic","displayName":"Technology","isCore":true,"sourceLanguage":"en"}}"#
        );
        let science = serde_json::to_string(&Category::new(&cats[3], &meta)).unwrap();
        assert!(!science.contains("metadata"), "{science}");
    }

    #[test]
    fn stories_output_shape() {
        let (cats, meta) = (categories(), metadata());
        let out = stories_output(latest(), Category::new(&cats[1], &meta), stories(), None);
        let text = json_pretty(&out).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["total_stories"], 2);
        assert_eq!(value["read_count"], 10);
        assert_eq!(value["domains"][0]["name"], "example.com");
        assert_eq!(value["stories"].as_array().unwrap().len(), 2);
        assert!(value.get("content_filter").is_none());
        // Top-level keys in declaration order, pretty-printed with two spaces.
        let order: Vec<usize> = [
            "\n  \"latest_batch\"",
            "\n  \"category\"",
            "\n  \"stories\"",
            "\n  \"total_stories\"",
            "\n  \"domains\"",
            "\n  \"read_count\"",
        ]
        .iter()
        .map(|k| {
            text.find(k)
                .unwrap_or_else(|| panic!("{k} missing in {text}"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.ends_with("}\n"));
        // Raw stories come out with sorted keys.
        let first_story = serde_json::to_string(&out.stories[0]).unwrap();
        assert_eq!(
            first_story,
            r#"{"category":"Tech","cluster_number":1,"short_summary":"The compiler got faster.","title":"Rust ships new release","url":"https://example.com/rust-release"}"#
        );
    }

    #[test]
    fn stories_output_with_a_filter() {
        let (cats, meta) = (categories(), metadata());
        let filter =
            ContentFilter::new(&["crypto".to_string()], &[], Mode::Hide, Scope::All, "en").unwrap();
        let out = stories_output(
            latest(),
            Category::new(&cats[1], &meta),
            stories(),
            Some(&filter),
        );
        assert_eq!(out.stories.len(), 1);
        assert_eq!(out.stories[0]["title"], "Rust ships new release");
        // Upstream's total is kept; the filter reports what it removed.
        assert_eq!(out.total_stories, 2);
        let value = serde_json::to_value(&out).unwrap();
        assert_eq!(value["content_filter"]["filtered_count"], 1);
        assert_eq!(value["content_filter"]["mode"], "hide");
        assert_eq!(value["content_filter"]["scope"], "all");
    }

    #[test]
    fn stories_require_their_counts() {
        let broken = STORIES.replace(r#""totalStories":2,"#, "");
        let err = decode_json::<StoriesResponse>(broken.as_bytes(), "news stories").unwrap_err();
        assert!(
            err.message
                .starts_with("failed to parse news stories response: "),
            "{}",
            err.message
        );
        assert!(err.message.contains("totalStories"), "{}", err.message);
    }

    #[test]
    fn categories_and_chaos_outputs() {
        let out = categories_output(latest(), &categories(), &metadata());
        let value = serde_json::to_value(&out).unwrap();
        assert_eq!(value["categories"].as_array().unwrap().len(), 4);
        assert_eq!(
            value["categories"][2]["metadata"]["displayName"],
            "Deutschland"
        );
        assert_eq!(value["latest_batch"]["dateSlug"], "2026-04-06");
        let text = serde_json::to_string(&out).unwrap();
        assert!(
            text.starts_with(r#"{"latest_batch":{"createdAt""#),
            "{text}"
        );

        let chaos: Chaos = decode_json(CHAOS.as_bytes(), "news chaos").unwrap();
        let text = serde_json::to_string(&ChaosOutput {
            latest_batch: latest(),
            chaos,
        })
        .unwrap();
        assert!(
            text.ends_with(r#""chaos":{"chaosIndex":42,"chaosDescription":"A busy day.","chaosLastUpdated":"2026-04-06T00:00:00Z"}}"#),
            "{text}"
        );
        let negative = CHAOS.replace("42", "-3");
        assert!(decode_json::<Chaos>(negative.as_bytes(), "news chaos").is_err());
    }
}
