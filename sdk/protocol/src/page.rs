//! Pages Kagi serves with 200 when the credential did not work (wire
//! protocol §4.1).

/// Kagi's marketing page, served with 200 to a missing or expired session:
/// only when all three markers are there (any other page is parsed as usual).
pub fn is_logged_out_page(body: &str) -> bool {
    body.contains("<title>Kagi Search - A Premium Search Engine</title>")
        && body.contains("Welcome to Kagi")
        && body.contains("paid search engine that gives power back to the user")
}

/// An HTML page where a session endpoint should have answered JSON or
/// frames: Kagi's way of refusing the session there. Case-sensitive, as §4.1
/// says.
pub fn is_html_answer(body: &str) -> bool {
    body.contains("<!DOCTYPE html") || body.contains("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNED_OUT: &str = "<title>Kagi Search - A Premium Search Engine</title> Welcome to Kagi, the paid search engine that gives power back to the user";

    #[test]
    fn logged_out_needs_all_markers() {
        assert!(is_logged_out_page(SIGNED_OUT));
        assert!(!is_logged_out_page("Welcome to Kagi"));
        assert!(!is_logged_out_page(
            "<title>Kagi Search - A Premium Search Engine</title> Welcome to Kagi"
        ));
    }

    #[test]
    fn html_answers_are_recognised_case_sensitively() {
        assert!(is_html_answer("<!DOCTYPE html><p>sign in</p>"));
        assert!(is_html_answer("junk <html lang=en>"));
        assert!(!is_html_answer("<!doctype HTML>"));
        assert!(!is_html_answer(r#"{"text":"<p>html</p>"}"#));
    }
}
