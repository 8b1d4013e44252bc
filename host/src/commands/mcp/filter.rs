//! Which tools an agent gets: `--tools` and `--exclude-tools` (names or
//! globs), destructive tools only with `--allow-destructive`, and whatever
//! the administrator's policy narrows further.

use glob::{MatchOptions, Pattern};

/// The tools a server offers, by name and by whether they destroy anything.
#[derive(Debug, Clone, Default)]
pub struct ToolFilter {
    /// Only tools matching one of these; none: every tool.
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
    allow_destructive: bool,
}

const EXACT: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: false,
    require_literal_leading_dot: false,
};

/// A `--tools` or `--exclude-tools` value: a tool name or a glob (`*`, `?`,
/// `[...]`). `flag` names the option in the error.
fn pattern(flag: &str, text: &str) -> Result<Pattern, String> {
    Pattern::new(text.trim())
        .map_err(|e| format!("{flag} `{text}` is not a tool name or glob: {}", e.msg))
}

impl ToolFilter {
    /// From the command line's `--tools`, `--exclude-tools` and
    /// `--allow-destructive`.
    pub fn new(
        include: &[String],
        exclude: &[String],
        allow_destructive: bool,
    ) -> Result<ToolFilter, String> {
        Ok(ToolFilter {
            include: include
                .iter()
                .map(|t| pattern("--tools", t))
                .collect::<Result<_, _>>()?,
            exclude: exclude
                .iter()
                .map(|t| pattern("--exclude-tools", t))
                .collect::<Result<_, _>>()?,
            allow_destructive,
        })
    }

    /// Narrowed by the policy: its `mcp-exclude-tools` exclude too, and its
    /// `mcp-allow-destructive = false` keeps destructive tools out whatever
    /// the command line says.
    pub fn narrowed_by(
        mut self,
        exclude_tools: &[String],
        allow_destructive: Option<bool>,
    ) -> Result<ToolFilter, String> {
        for text in exclude_tools {
            self.exclude
                .push(pattern("the policy's mcp-exclude-tools", text)?);
        }
        if allow_destructive == Some(false) {
            self.allow_destructive = false;
        }
        Ok(self)
    }

    /// Whether the tool `name` is offered.
    pub fn allows(&self, name: &str, destructive: bool) -> bool {
        let matches = |p: &Pattern| p.matches_with(name, EXACT);
        (self.include.is_empty() || self.include.iter().any(matches))
            && !self.excludes(name)
            && (self.allow_destructive || !destructive)
    }

    /// Whether `--exclude-tools` (or the policy) names the tool `name`.
    pub fn excludes(&self, name: &str) -> bool {
        self.exclude.iter().any(|p| p.matches_with(name, EXACT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(include: &[&str], exclude: &[&str], destructive: bool) -> ToolFilter {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ToolFilter::new(&owned(include), &owned(exclude), destructive).unwrap()
    }

    #[test]
    fn names_and_globs_include_and_exclude() {
        let all = filter(&[], &[], false);
        assert!(all.allows("search", false));
        let some = filter(&["search", "assistant_*"], &["assistant_custom_*"], false);
        assert!(some.allows("search", false));
        assert!(some.allows("assistant_thread_list", false));
        assert!(!some.allows("assistant_custom_list", false));
        assert!(!some.allows("news", false));
        assert!(!some.allows("search_x", false), "a name matches whole");
        assert!(!some.allows("Search", false), "case matters");
    }

    #[test]
    fn destructive_tools_need_the_flag_and_the_policy_can_take_it_back() {
        assert!(!filter(&[], &[], false).allows("lens_delete", true));
        let allowed = filter(&["lens_*"], &[], true);
        assert!(allowed.allows("lens_delete", true));
        let policy = allowed.clone().narrowed_by(&[], Some(false)).unwrap();
        assert!(!policy.allows("lens_delete", true));
        assert!(policy.allows("lens_list", false));
        // A policy that says true lifts nothing the command line kept out.
        let kept_out = filter(&[], &[], false)
            .narrowed_by(&[], Some(true))
            .unwrap();
        assert!(!kept_out.allows("lens_delete", true));
        let excluded = allowed.narrowed_by(&["lens_l*".into()], None).unwrap();
        assert!(!excluded.allows("lens_list", false));
        assert!(excluded.excludes("lens_list") && !excluded.excludes("lens_get"));
        assert!(excluded.allows("lens_get", false));
    }

    #[test]
    fn a_bad_glob_is_an_error_naming_it() {
        let e = ToolFilter::new(&["[".into()], &[], false).unwrap_err();
        assert!(
            e.starts_with("--tools `[` is not a tool name or glob: "),
            "{e}"
        );
    }
}
