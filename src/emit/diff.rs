//! Unified diffs from the original to the cleaned text, in the form `patch -p1` applies.

use similar::TextDiff;

/// A unified diff (3 lines of context) from `original` to `cleaned`, with `a/` and `b/`
/// headers; empty when nothing changed. A missing final newline is marked the way `patch`
/// expects ("\ No newline at end of file").
pub fn unified(rel: &str, original: &str, cleaned: &str) -> String {
    if original == cleaned {
        return String::new();
    }
    TextDiff::from_lines(original, cleaned)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}
