//! End-to-end tests of the mock over real sockets, with a tiny blocking HTTP/1.1 client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{API_TOKEN, MockServer, SESSION_TOKEN};

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends one request with `Connection: close` and reads until the server closes.
fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let target = if target.is_empty() { "/" } else { target };
    let mut stream = TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    // A truncated response ends in EOF or a reset; keep whatever arrived.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    assert!(
        !headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")),
        "test client does not decode chunked bodies"
    );
    Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(url: &str) -> Resp {
    request("GET", url, &[], b"")
}

fn get_with(url: &str, headers: &[(&str, &str)]) -> Resp {
    request("GET", url, headers, b"")
}

const BATCH: &str = "batch-20260406-0700";
const WORLD: &str = "cat-world-5f2c81";
const BOT: (&str, &str) = ("authorization", "Bot test-api-token");
const COOKIE: (&str, &str) = ("cookie", "theme=dark; kagi_session=test-session-token");

fn titles(stories: &Value) -> Vec<String> {
    stories
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn news_latest_metadata_and_categories() {
    let m = MockServer::start();
    let latest = get(&format!("{}/api/batches/latest?lang=default", m.url()));
    assert_eq!(latest.status, 200);
    assert_eq!(latest.header("content-type"), Some("application/json"));
    let b = latest.json();
    assert_eq!(b["id"], BATCH);
    assert_eq!(b["languageCode"], "en");
    for k in [
        "createdAt",
        "dateSlug",
        "processingTime",
        "totalArticles",
        "totalCategories",
        "totalClusters",
        "totalReadCount",
    ] {
        assert!(!b[k].is_null(), "latest batch lacks {k}");
    }
    assert_eq!(b["totalCategories"], 6);
    assert_eq!(b["totalClusters"], 33);
    let de = get(&format!("{}/api/batches/latest?lang=de", m.url())).json();
    assert_eq!(de["languageCode"], "de");

    let meta = get(&format!("{}/api/categories/metadata", m.url())).json();
    let meta = meta["categories"].as_array().unwrap();
    assert_eq!(meta.len(), 6);
    assert!(
        meta.iter()
            .any(|c| c["categoryId"] == "usa" && c["displayName"] == "United States")
    );
    assert!(meta.iter().all(|c| c["isCore"] == true));

    let cats = get(&format!(
        "{}/api/batches/{BATCH}/categories?lang=default",
        m.url()
    ))
    .json();
    assert_eq!(cats["batchId"], BATCH);
    let cats = cats["categories"].as_array().unwrap();
    let names: Vec<&str> = cats
        .iter()
        .map(|c| c["categoryName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "World",
            "USA",
            "Business",
            "Technology",
            "Science",
            "Sports"
        ]
    );
    assert_eq!(cats[0]["id"], WORLD);
    assert_eq!(cats[0]["categoryId"], "world");
    assert_eq!(cats[0]["clusterCount"], 13);
}

#[test]
fn news_stories_and_chaos() {
    let m = MockServer::start();
    let url = |cat: &str, q: &str| {
        format!(
            "{}/api/batches/{BATCH}/categories/{cat}/stories{q}",
            m.url()
        )
    };
    let world = get(&url(WORLD, "?limit=12&lang=default")).json();
    assert_eq!(world["categoryId"], "world");
    assert_eq!(world["categoryName"], "World");
    assert_eq!(world["totalStories"], 13);
    let stories = &world["stories"];
    assert_eq!(stories.as_array().unwrap().len(), 12);
    assert_eq!(
        titles(stories)[0],
        "UN Security Council backs ceasefire framework for eastern Congo"
    );
    let first = &stories[0];
    for k in [
        "short_summary",
        "category",
        "emoji",
        "perspectives",
        "domains",
        "articles",
    ] {
        assert!(!first[k].is_null(), "story lacks {k}");
    }
    assert!(first["perspectives"][0]["sources"][0]["name"].is_string());
    assert!(
        first["articles"][0]["link"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert!(!world["domains"].as_array().unwrap().is_empty());

    let two = get(&url(WORLD, "?limit=2")).json();
    assert_eq!(two["stories"].as_array().unwrap().len(), 2);
    // Keyword filters have material to match.
    let biz = get(&url("cat-business-3e84b0", "?limit=12")).text();
    assert!(biz.contains("Bitcoin") && biz.contains("crypto"));
    let sports = get(&url("cat-sports-e6a35f", "?limit=12")).text();
    assert!(sports.contains("football"));

    // Stories are addressed by the per-batch id only; unknown ids are 404 JSON errors.
    let by_slug = get(&url("world", "?limit=3"));
    assert_eq!(by_slug.status, 404);
    assert!(by_slug.json()["error"][0]["msg"].is_string());
    assert_eq!(
        get(&format!("{}/api/batches/nope/categories", m.url())).status,
        404
    );

    let chaos = get(&format!(
        "{}/api/batches/{BATCH}/chaos?lang=default",
        m.url()
    ))
    .json();
    assert_eq!(chaos["chaosIndex"], 62);
    assert!(chaos["chaosDescription"].is_string() && chaos["chaosLastUpdated"].is_string());
}

#[test]
fn smallweb_feed() {
    let m = MockServer::start();
    let all = get(&format!("{}/api/v1/smallweb/feed/", m.url()));
    assert_eq!(all.status, 200);
    assert!(
        all.header("content-type")
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let xml = all.text();
    assert_eq!(
        xml.matches("<entry>").count(),
        crate::smallweb::entry_count()
    );
    assert_eq!(crate::smallweb::entry_count(), 12);
    assert!(xml.contains("<title>Why I still write my own static site generator</title>"));
    let three = get(&format!("{}/api/v1/smallweb/feed/?limit=3", m.url())).text();
    assert_eq!(three.matches("<entry>").count(), 3);
    assert!(three.trim_end().ends_with("</feed>"));
}

#[test]
fn search_api_checks_the_token() {
    let m = MockServer::start();
    let url = format!("{}/api/v0/search?q=rust+lang", m.url());
    let missing = get(&url);
    assert_eq!(missing.status, 401);
    assert!(missing.json()["error"][0]["msg"].is_string());
    let wrong = get_with(&url, &[("authorization", "Bot nope")]);
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["error"][0]["msg"], "Invalid token");

    let ok = get_with(&url, &[BOT]).json();
    assert!(ok["meta"]["id"].is_string() && ok["meta"]["api_balance"].is_number());
    let data = ok["data"].as_array().unwrap();
    assert_eq!(data.len(), 6);
    assert_eq!(data[0]["title"], "rust lang - Wikipedia");
    assert_eq!(data[0]["url"], "https://en.wikipedia.org/wiki/rust-lang");
    assert_eq!(data[5]["t"], 1);
    assert_eq!(data[5]["list"][0], "rust lang tutorial");

    let none = get_with(
        &format!("{}/api/v0/search?q=noresults+here", m.url()),
        &[BOT],
    )
    .json();
    assert_eq!(none["data"], serde_json::json!([]));
}

#[test]
fn html_search_needs_the_session() {
    let m = MockServer::builder().session_token("s3cret").start();
    let url = format!("{}/html/search?q=rust+lang", m.url());
    for headers in [
        &[][..],
        &[("cookie", "kagi_session=test-session-token")][..],
    ] {
        let page = get_with(&url, headers);
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(text.contains("<title>Kagi Search - A Premium Search Engine</title>"));
        assert!(text.contains("Welcome to Kagi"));
        assert!(text.contains("paid search engine that gives power back to the user"));
    }
    let page = get_with(&url, &[("cookie", "kagi_session=s3cret")]).text();
    assert!(!page.contains("Welcome to Kagi"));
    assert_eq!(
        page.matches(r#"<div class="search-result _0_SRI""#).count(),
        5
    );
    assert_eq!(page.matches(r#"<div class="__srgi">"#).count(), 3);
    assert!(page.contains(r#"href="https://rust-lang.example.com/" rel="noopener noreferrer">rust lang — Official Site</a>"#));
    assert!(page.contains(">Tips &amp; tricks for rust lang</a>"));
    assert!(page.contains(
        r#"<a href="https://www.reddit.com/r/rust-lang/">r/rust-lang: community discussion</a>"#
    ));
}

#[test]
fn html_search_reflects_parameters() {
    let m = MockServer::start();
    let page = get_with(
        &format!(
            "{}/html/search?q=%40reddit+rust&l=2&r=us&dr=2&order=2&verbatim=1&personalized=0",
            m.url()
        ),
        &[COOKIE],
    )
    .text();
    assert!(page.contains(">Lens 2: @reddit rust — Official Site</a>"));
    assert!(page.contains("Filters: r=us, dr=2, order=2, verbatim=1, personalized=0."));
    let none = get_with(&format!("{}/html/search?q=noresults", m.url()), &[COOKIE]).text();
    assert!(!none.contains("<div class=\"search-result _0_SRI\"") && !none.contains("__srgi\""));
    assert!(none.contains("No results found"));
    assert!(none.starts_with("<!DOCTYPE html>"));
}

#[test]
fn status_faults() {
    let m = MockServer::start();
    let api = get_with(
        &format!("{}/api/v0/search?q=x", m.fault_url("status=402")),
        &[BOT],
    );
    assert_eq!(api.status, 402);
    let err = api.json();
    assert_eq!(err["error"][0]["code"], 101);
    assert_eq!(err["data"], Value::Null);
    let html = get_with(
        &format!("{}/html/search?q=x", m.fault_url("status=429")),
        &[COOKIE],
    );
    assert_eq!(html.status, 429);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.text().contains("Too Many Requests"));
    let news = get(&format!(
        "{}/api/batches/latest?lang=en",
        m.fault_url("status=503")
    ));
    assert_eq!(news.status, 503);
    // A 2xx status keeps the real body.
    let created = get(&format!("{}/api/batches/latest", m.fault_url("status=201")));
    assert_eq!(created.status, 201);
    assert_eq!(created.json()["id"], BATCH);
    // The same server still answers normally without the prefix.
    assert_eq!(get(&format!("{}/api/batches/latest", m.url())).status, 200);
}

#[test]
fn body_faults() {
    let m = MockServer::start();
    let bad = get(&format!("{}/api/batches/latest", m.fault_url("malformed")));
    assert_eq!(bad.status, 200);
    assert!(serde_json::from_slice::<Value>(&bad.body).is_err());
    let bad_xml = get(&format!(
        "{}/api/v1/smallweb/feed/",
        m.fault_url("malformed")
    ))
    .text();
    assert!(!bad_xml.contains("</feed>"));

    let out = get(&format!("{}/html/search?q=x", m.fault_url("logged-out"))).text();
    assert!(out.contains("Welcome to Kagi"));

    let empty = m.fault_url("empty");
    let stories = get(&format!(
        "{empty}/api/batches/{BATCH}/categories/{WORLD}/stories?limit=5"
    ))
    .json();
    assert_eq!(stories["stories"], serde_json::json!([]));
    assert_eq!(stories["totalStories"], 0);
    let cats = get(&format!("{empty}/api/batches/{BATCH}/categories")).json();
    assert_eq!(cats["categories"], serde_json::json!([]));
    let search = get_with(&format!("{empty}/api/v0/search?q=rust"), &[BOT]).json();
    assert_eq!(search["data"], serde_json::json!([]));
    let page = get_with(&format!("{empty}/html/search?q=rust"), &[COOKIE]).text();
    assert!(page.contains("No results found"));
    let feed = get(&format!("{empty}/api/v1/smallweb/feed/")).text();
    assert_eq!(feed.matches("<entry>").count(), 0);
    assert!(feed.contains("</feed>"));
}

#[test]
fn truncate_fault_cuts_the_body_short() {
    let m = MockServer::start();
    let r = get(&format!(
        "{}/api/batches/{BATCH}/categories",
        m.fault_url("truncate")
    ));
    assert_eq!(r.status, 200);
    let declared: usize = r.header("content-length").unwrap().parse().unwrap();
    assert!(!r.body.is_empty(), "the first half should arrive");
    assert!(r.body.len() < declared, "{} < {declared}", r.body.len());
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
}

#[test]
fn delay_fault_and_concurrency() {
    let m = MockServer::start();
    let url = format!("{}/api/categories/metadata", m.fault_url("delay=300"));
    let start = Instant::now();
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || get(&url).status)
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(
        m.max_in_flight() >= 2,
        "max_in_flight = {}",
        m.max_in_flight()
    );
}

#[test]
fn unknown_fault_items_are_rejected() {
    let m = MockServer::start();
    let r = get(&format!(
        "{}/api/batches/latest",
        m.fault_url("status=503,wobble")
    ));
    assert_eq!(r.status, 400);
    assert!(r.text().contains("'wobble'"), "{}", r.text());
    assert_eq!(
        m.requests().len(),
        1,
        "rejected requests are still recorded"
    );
}

#[test]
fn requests_are_recorded() {
    let m = MockServer::start();
    get_with(
        &format!(
            "{}/api/v0/search?q=rust+lang&x=a%26b",
            m.fault_url("delay=1")
        ),
        &[BOT],
    );
    request(
        "POST",
        &format!("{}/api/v0/summarize", m.url()),
        &[("Content-Type", "application/json")],
        br#"{"url":"https://example.com"}"#,
    );
    let log = m.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/api/v0/search");
    assert_eq!(
        log[0].query,
        vec![("q".into(), "rust lang".into()), ("x".into(), "a&b".into())]
    );
    assert_eq!(log[0].query_value("q"), Some("rust lang"));
    assert_eq!(log[0].header("Authorization"), Some("Bot test-api-token"));
    assert!(
        log[0]
            .headers
            .iter()
            .all(|(k, _)| *k == k.to_ascii_lowercase())
    );
    assert_eq!(log[1].method, "POST");
    assert_eq!(log[1].header("content-type"), Some("application/json"));
    assert_eq!(log[1].body, br#"{"url":"https://example.com"}"#);
}

#[test]
fn unknown_routes_and_shutdown() {
    let m = MockServer::start();
    let api = get(&format!("{}/api/v9/nothing", m.url()));
    assert_eq!(api.status, 404);
    assert!(api.json()["error"].is_array());
    let page = get(&format!("{}/nowhere", m.url()));
    assert_eq!(page.status, 404);
    assert!(page.text().contains("<html>"));
    let addr = m.addr();
    drop(m);
    assert!(
        TcpStream::connect(addr).is_err(),
        "server still listening after drop"
    );
}

#[test]
fn default_tokens() {
    assert_eq!(SESSION_TOKEN, "test-session-token");
    assert_eq!(API_TOKEN, "test-api-token");
    let m = MockServer::start();
    assert!(m.url().starts_with("http://127.0.0.1:"));
    assert_eq!(m.fault_url("empty"), format!("{}/_fault/empty", m.url()));
}

#[test]
fn long_pages_and_server_errors_on_search() {
    let m = MockServer::start();
    let page = get_with(
        &format!("{}/html/search?q=rust+longpage", m.url()),
        &[COOKIE],
    )
    .text();
    assert_eq!(
        page.matches(r#"<div class="search-result _0_SRI""#).count(),
        40
    );
    assert_eq!(page.matches(r#"<div class="__srgi">"#).count(), 12);
    assert!(page.contains(r##"href="https://rust-longpage.example.com/#p8""##));
    // Result menus carry links that are not results.
    assert!(page.contains(r#"class="__sri-pref" href="/settings/domain_pref?d="#));
    for (path, headers) in [("/html/search", COOKIE), ("/api/v0/search", BOT)] {
        let r = get_with(&format!("{}{path}?q=a+servererror+b", m.url()), &[headers]);
        assert_eq!(r.status, 500, "{path}");
    }
}

#[test]
fn news_tab_clusters_and_filters() {
    let m = MockServer::start();
    let url = format!("{}/news?q=iran&r=us&freshness=day&order=3", m.url());
    assert!(
        get(&url).text().contains("Welcome to Kagi"),
        "needs the session"
    );
    let page = get_with(&url, &[COOKIE]);
    assert_eq!(page.status, 200);
    let text = page.text();
    assert_eq!(
        text.matches(r#"<div class="newsResultItem _0_SRI">"#)
            .count(),
        7
    );
    assert_eq!(text.matches(r#"<div class="newsResultGroup">"#).count(), 2);
    assert!(text.contains("Filters: r=us, freshness=day, order=3."));
    assert!(text.contains(r#"data-domain="www.cnn.com""#));
    assert!(text.contains("paywall-icon"));
    let none = get_with(&format!("{}/news?q=noresults", m.url()), &[COOKIE]).text();
    assert!(!none.contains("newsResultItem") && none.contains("No news found"));
    let empty = get_with(&format!("{}/news?q=iran", m.fault_url("empty")), &[COOKIE]).text();
    assert!(!empty.contains("newsResultItem"));
}

#[test]
fn subscriber_summarizer_streams_frames() {
    let m = MockServer::start();
    let url = format!(
        "{}/mother/summary_labs?url=https%3A%2F%2Fa.example%2F&stream=1&target_language=&summary_type=keypoints&summary_length=medium",
        m.url()
    );
    assert!(get(&url).text().contains("<html"), "needs the session");
    let r = get_with(&url, &[COOKIE]);
    assert_eq!(
        r.header("content-type"),
        Some("application/vnd.kagi.stream")
    );
    let body = r.text();
    let frames: Vec<&str> = body.split("\0\n").filter(|f| !f.is_empty()).collect();
    assert_eq!(frames.len(), 4);
    assert!(frames[0].starts_with("hi:{"));
    let last: Value =
        serde_json::from_str(frames[3].strip_prefix("new_message.json:").unwrap()).unwrap();
    assert_eq!(last["state"], "done");
    assert_eq!(
        last["reply"],
        "Summary (keypoints) of https://a.example/: the page explains its topic in three parts."
    );
    let failed = get_with(
        &format!(
            "{}/mother/summary_labs?url=https://summary-error.example/&stream=1",
            m.url()
        ),
        &[COOKIE],
    )
    .text();
    assert!(failed.contains(r#""state":"error""#));
    let bad = get_with(
        &format!("{}/mother/summary_labs?stream=1", m.url()),
        &[COOKIE],
    );
    assert_eq!(bad.status, 400);
}
