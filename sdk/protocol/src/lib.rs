//! `kagi-protocol`: Kagi's wire conventions as plain functions, used by the
//! `kagi` host and re-exported by `kagi-plugin-sdk`, so both read Kagi's
//! answers by the same rules and tell users the same fix.
//!
//! - [`status`]: the status families of wire protocol §4.3 and the error
//!   class and message each status gets;
//! - [`page`]: the signed-out page and HTML where JSON or frames belong (§4.1);
//! - [`detail`]: what an error body says, briefly;
//! - [`credential`]: where each token is set and how to fix a missing or
//!   rejected one.

pub mod credential;
pub mod detail;
pub mod page;
pub mod status;

pub use credential::Token;
pub use detail::{
    api_error_message, collapse_whitespace, error_detail, html_text, is_out_of_credit,
    looks_like_html, truncate_chars,
};
pub use page::{is_html_answer, is_logged_out_page};
pub use status::{Class, Family, StatusError, check_status, status_line};
