use super::*;

const ALL: [Family; 8] = [
    Family::ApiJson,
    Family::SearchApi,
    Family::SearchHtml,
    Family::SettingsHtml,
    Family::Session,
    Family::SubscriberSummarizer,
    Family::FreeJson,
    Family::SmallWeb,
];

/// The §4.3 table written out, one status of each class per column:
/// 200, other 2xx, 3xx, 401, 403, other 4xx, 429, 5xx, 503 (none: accepted).
#[test]
fn every_family_maps_every_status_class_as_the_wire_protocol_says() {
    use Class::*;
    const STATUSES: [u16; 9] = [200, 204, 302, 401, 403, 404, 429, 500, 503];
    const N: Option<Class> = Some(Network);
    const A: Option<Class> = Some(Auth);
    const C: Option<Class> = Some(Config);
    let rows = [
        (Family::ApiJson, [None, N, N, A, A, A, A, N, N]),
        (Family::SearchApi, [None, N, N, A, A, A, A, N, N]),
        (Family::SearchHtml, [None, N, N, A, A, N, N, N, N]),
        (Family::SettingsHtml, [None, None, N, A, A, C, C, N, N]),
        (Family::Session, [None, N, N, A, A, C, C, N, N]),
        (Family::SubscriberSummarizer, [None, N, N, A, A, N, N, N, N]),
        (Family::FreeJson, [None, N, N, A, A, C, C, N, N]),
        (Family::SmallWeb, [None, N, N, N, N, N, N, N, N]),
    ];
    assert_eq!(rows.len(), ALL.len(), "every family has a row");
    for (family, classes) in rows {
        for (status, class) in STATUSES.into_iter().zip(classes) {
            let got = check_status(family, "surface", status, b"")
                .err()
                .map(|e| e.class);
            assert_eq!(got, class, "{family:?} HTTP {status}");
        }
    }
}

#[test]
fn messages_name_the_surface_the_status_and_the_body() {
    let e = check_status(Family::FreeJson, "news", 429, b"slow down").unwrap_err();
    assert_eq!(e.class, Class::Config);
    assert_eq!(
        e.message,
        "Kagi news request rejected: HTTP 429 Too Many Requests; slow down"
    );
    let e = check_status(Family::FreeJson, "news", 503, b"").unwrap_err();
    assert_eq!(e.class, Class::Network);
    assert_eq!(
        e.message,
        "Kagi news server error: HTTP 503 Service Unavailable"
    );
    let e = check_status(
        Family::SearchApi,
        "Search API",
        402,
        br#"{"error":[{"code":101,"msg":"Insufficient credit"}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.class, Class::Auth);
    assert_eq!(
        e.message,
        "Kagi Search API request rejected: HTTP 402 Payment Required; Insufficient credit"
    );
    let e = check_status(Family::ApiJson, "FastGPT", 401, b"").unwrap_err();
    assert_eq!(
        e.message,
        "invalid Kagi API token or access is not enabled for FastGPT: HTTP 401 Unauthorized; check KAGI_API_TOKEN or run `kagi auth`"
    );
    let e = check_status(Family::Session, "assistant", 403, b"").unwrap_err();
    assert_eq!(
        e.message,
        "invalid or expired Kagi session token for assistant: HTTP 403 Forbidden; copy a fresh Session Link and run `kagi auth`"
    );
    let e = check_status(Family::FreeJson, "news", 401, b"").unwrap_err();
    assert_eq!(
        e.message,
        "authentication is not supported for public Kagi news endpoints, yet the server asked for it: HTTP 401 Unauthorized"
    );
    let e = check_status(Family::SearchHtml, "search", 429, b"<html>x</html>").unwrap_err();
    assert_eq!(
        e.message,
        "unexpected Kagi search response status: HTTP 429 Too Many Requests; x"
    );
}

const SIGNED_OUT: &[u8] = b"<html><title>Kagi Search - A Premium Search Engine</title><h1>Welcome to Kagi</h1><p>the paid search engine that gives power back to the user</p></html>";

#[test]
fn a_signed_out_page_fails_the_html_families_only() {
    for family in [Family::SearchHtml, Family::SettingsHtml] {
        let e = check_status(family, "search", 200, SIGNED_OUT).unwrap_err();
        assert_eq!(e.class, Class::Auth);
        assert_eq!(
            e.message,
            "invalid or expired Kagi session token: Kagi answered the search with its signed-out page; copy a fresh Session Link and run `kagi auth`"
        );
    }
    let e = check_status(Family::SettingsHtml, "lens", 204, SIGNED_OUT).unwrap_err();
    assert_eq!(e.class, Class::Auth);
    assert!(check_status(Family::SearchHtml, "search", 200, b"<html>results</html>").is_ok());
    assert!(check_status(Family::SmallWeb, "small web", 200, SIGNED_OUT).is_ok());
}

#[test]
fn an_html_page_fails_the_session_stream_families() {
    for family in [Family::Session, Family::SubscriberSummarizer] {
        let e = check_status(
            family,
            "subscriber summarizer",
            200,
            b"<!DOCTYPE html><p>sign in</p>",
        )
        .unwrap_err();
        assert_eq!(e.class, Class::Auth);
        assert_eq!(
            e.message,
            "invalid or expired Kagi session token: the subscriber summarizer answered with a web page; copy a fresh Session Link and run `kagi auth`"
        );
        assert!(check_status(family, "s", 200, b"hi:{}\0\n").is_ok());
    }
    assert!(check_status(Family::FreeJson, "news", 200, b"<html></html>").is_ok());
}

#[test]
fn status_lines_carry_the_standard_reason() {
    assert_eq!(status_line(429), "429 Too Many Requests");
    assert_eq!(status_line(418), "418 I'm a teapot");
    assert_eq!(status_line(200), "200 OK");
    assert_eq!(status_line(299), "299");
}
