//! HTML shared by the main-host routes: the page frame, the logged-out marketing page and
//! error pages.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A 200 HTML response.
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A signed-in Kagi page: doctype, head with scripts and styles, the top nav, then `main`.
/// Every page carries script noise that mentions result classes, as Kagi's real pages do,
/// so a client that scrapes with string matching instead of an HTML parser gets caught.
pub(crate) fn frame(title: &str, main: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en" class="theme_dark">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/asset/v2/styles.css">
<link rel="search" type="application/opensearchdescription+xml" title="Kagi" href="/asset/opensearch.xml">
<script>window.__kagi = {{"v":"202604060700.stage.mock","app":"search","user":{{"plan":"ultimate"}}}};</script>
<script src="/asset/v2/search.js" defer></script>
</head>
<body class="search-page">
<nav class="top-nav" id="top-nav">
  <a class="logo" href="/" aria-label="Kagi home"><svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg></a>
  <ul class="nav-tabs">
    <li class="active"><a href="/search">Web</a></li>
    <li><a href="/images">Images</a></li>
    <li><a href="/videos">Videos</a></li>
    <li><a href="/news">News</a></li>
    <li><a href="/podcasts">Podcasts</a></li>
  </ul>
  <a class="settings-link" href="/settings">Settings</a>
  <a class="account-link" href="/settings?p=billing">Account</a>
</nav>
{main}
<footer class="page-footer"><a href="/privacy">Privacy</a> · <a href="/help">Help</a> · <span>Kagi Inc.</span></footer>
<script>
  // Real Kagi pages script their results; scrapers must not match these strings.
  document.querySelectorAll('.search-result .__sri_title_link').forEach(function (a) {{
    a.addEventListener('click', function () {{ navigator.sendBeacon('/api/track', a.href); }});
  }});
  var tpl = '<div class="search-result"><a class="__sri_title_link" href="https://template.invalid/">Template</a></div>';
</script>
</body>
</html>
"##
    )
}

/// The page Kagi serves to a missing or expired session: it carries all three logged-out
/// markers of wire-protocol §4.1.
pub(crate) fn logged_out() -> Response {
    html(
        StatusCode::OK,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Kagi Search - A Premium Search Engine</title>
<meta name="description" content="Kagi is a fast, user-centric and private search engine.">
</head>
<body class="landing">
<header><a href="/">Kagi</a> <a href="/signin">Sign in</a> <a class="cta" href="/signup">Try it free</a></header>
<main>
  <h1>Welcome to Kagi</h1>
  <p>Kagi is a premium, ad-free and paid search engine that gives power back to the user.</p>
  <section class="features">
    <div><h2>No ads, no tracking</h2><p>Your searches are private and never sold.</p></div>
    <div><h2>Personalized results</h2><p>Block, lower or raise any website.</p></div>
    <div><h2>Lenses</h2><p>Focus your search on forums, academic papers or programming.</p></div>
  </section>
  <a class="cta" href="/signup">Start your free trial</a>
</main>
<footer><a href="/pricing">Pricing</a> <a href="/privacy">Privacy</a></footer>
</body>
</html>
"#
        .to_string(),
    )
}

/// An HTML error page like the ones Kagi's front end returns.
pub(crate) fn error_page(status: StatusCode, msg: &str) -> Response {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("Error");
    html(
        status,
        format!(
            "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\n<body><h1>{reason}</h1><p>{}</p><p><a href=\"/\">Back to Kagi</a></p></body></html>\n",
            escape(msg)
        ),
    )
}
