//! How each group of Kagi endpoints maps a response status to an error
//! (wire protocol §4.3), and the status line messages show.

use crate::credential::Token;
use crate::detail::error_detail;
use crate::page::{is_html_answer, is_logged_out_page};
use std::fmt;

/// How a group of Kagi endpoints maps statuses to errors (wire protocol §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Summarizer API, FastGPT, enrich: 401/403 and other 4xx are auth errors.
    ApiJson,
    /// The Search API: every 4xx is an auth error (it drives the session fallback).
    SearchApi,
    /// HTML search and the news tab: 401/403 auth, other statuses network; a
    /// 200 signed-out page is an auth error.
    SearchHtml,
    /// Settings pages: any 2xx is fine unless it is the signed-out page;
    /// other 4xx are configuration errors.
    SettingsHtml,
    /// Assistant streams, Quick Answer, export, translate: other 4xx are
    /// configuration errors; a 200 HTML page is an auth error.
    Session,
    /// The subscriber summarizer: other 4xx are network errors; a 200 HTML
    /// page is an auth error.
    SubscriberSummarizer,
    /// The public Kagi News API: no authentication exists; other 4xx are configuration errors.
    FreeJson,
    /// The Small Web feed: every non-200 is a network error.
    SmallWeb,
}

/// The class of error a status maps to; each side turns it into its own
/// error type (`configuration error:`, `authentication error:`, `network error:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Config,
    Auth,
    Network,
}

/// A response a family's rules refuse: its class and the message to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError {
    pub class: Class,
    pub message: String,
}

impl StatusError {
    fn new(class: Class, message: String) -> Self {
        StatusError { class, message }
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StatusError {}

/// Applies a family's rules to a status and body: the status first, then,
/// for the session families, whether the body is Kagi's way of saying the
/// session did not work.
pub fn check_status(
    family: Family,
    surface: &str,
    status: u16,
    body: &[u8],
) -> Result<(), StatusError> {
    let ok = match family {
        Family::SettingsHtml => (200..300).contains(&status),
        _ => status == 200,
    };
    if !ok {
        return Err(refused(family, surface, status, body));
    }
    let renew = Token::Session.renew();
    match family {
        Family::SearchHtml | Family::SettingsHtml
            if is_logged_out_page(&String::from_utf8_lossy(body)) =>
        {
            Err(StatusError::new(
                Class::Auth,
                format!(
                    "invalid or expired Kagi session token: Kagi answered the {surface} with its signed-out page; {renew}"
                ),
            ))
        }
        Family::Session | Family::SubscriberSummarizer
            if is_html_answer(&String::from_utf8_lossy(body)) =>
        {
            Err(StatusError::new(
                Class::Auth,
                format!(
                    "invalid or expired Kagi session token: the {surface} answered with a web page; {renew}"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The error for a status the family does not accept.
fn refused(family: Family, surface: &str, status: u16, body: &[u8]) -> StatusError {
    let line = status_line(status);
    let detail = error_detail(body);
    let with_detail = |m: String| {
        if detail.is_empty() {
            m
        } else {
            format!("{m}; {detail}")
        }
    };
    let auth_status = status == 401 || status == 403;
    let client_error = (400..500).contains(&status);
    let server_error = (500..600).contains(&status);
    let error = |class, message: String| StatusError::new(class, with_detail(message));
    if server_error {
        return error(
            Class::Network,
            format!("Kagi {surface} server error: HTTP {line}"),
        );
    }
    let unexpected = || {
        error(
            Class::Network,
            format!("unexpected Kagi {surface} response status: HTTP {line}"),
        )
    };
    match family {
        Family::SmallWeb => unexpected(),
        Family::ApiJson if auth_status => error(
            Class::Auth,
            format!(
                "invalid Kagi API token or access is not enabled for {surface}: HTTP {line}; {}",
                Token::Api.renew()
            ),
        ),
        Family::ApiJson | Family::SearchApi if client_error => error(
            Class::Auth,
            format!("Kagi {surface} request rejected: HTTP {line}"),
        ),
        Family::FreeJson if auth_status => error(
            Class::Auth,
            format!(
                "authentication is not supported for public Kagi {surface} endpoints, yet the server asked for it: HTTP {line}"
            ),
        ),
        _ if auth_status => error(
            Class::Auth,
            format!(
                "invalid or expired Kagi session token for {surface}: HTTP {line}; {}",
                Token::Session.renew()
            ),
        ),
        Family::SettingsHtml | Family::Session | Family::FreeJson if client_error => error(
            Class::Config,
            format!("Kagi {surface} request rejected: HTTP {line}"),
        ),
        _ => unexpected(),
    }
}

/// `429 Too Many Requests` style status text: the code and its standard
/// reason, or the code alone when it has none.
pub fn status_line(status: u16) -> String {
    match reason(status) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The standard reason phrases (the same table as the `http` crate's).
fn reason(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
