//! Properties over arbitrary text: no panic, the edit log rebuilds the input exactly, edits
//! never overlap or leave the text, and a second run changes nothing.

use std::sync::OnceLock;

use proptest::prelude::*;
use ungarble::Engine;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(super::engine)
}

/// Text built from pieces that exercise the rules: words, spaces, punctuation, dashes,
/// line breaks, multi-byte characters, and spun phrases.
fn garbled_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,8}".prop_map(|s| s),
        3 => Just(" ".to_string()),
        1 => Just("  ".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\n\n".to_string()),
        1 => prop::sample::select(vec![",", ".", ";", ":", "?", "!", "...", " .", " ,", " – ", " - ", "—", "-", "’", "'", "\"", "“", "”", "\u{a0}", "\t", "é", "Vučić", "中文", "\u{feff}"]).prop_map(str::to_string),
        1 => prop::sample::select(vec!["far", "reaching", "long", "term", "navy help", "a yr in the past", "Chinese language officers", "mentioned", "counterfeit consciousness", "Title Line Here"]).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let out = engine().clean_text(text, None);
    prop_assert!(out.problems.is_empty(), "{:?}", out.problems);
    prop_assert_eq!(out.log.apply(text), out.cleaned.clone());
    let rebuilt = out.log.revert(&out.cleaned);
    prop_assert_eq!(rebuilt.as_deref(), Some(text));
    let mut pos = 0;
    for e in &out.log.edits {
        prop_assert!(e.start >= pos, "overlapping edits");
        prop_assert!(e.end <= text.len(), "edit past the end");
        prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
        prop_assert_eq!(&text[e.start..e.end], e.original.as_str());
        pos = e.end;
    }
    for r in &out.findings {
        prop_assert!(r.finding.span.end <= text.len());
    }
    let again = engine().clean_text(&out.cleaned, None);
    prop_assert!(
        again.log.edits.is_empty(),
        "second run changed {:?} in {:?}",
        again.log.edits,
        out.cleaned
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn garbled_text_round_trips(text in garbled_text()) {
        check(&text)?;
    }

    #[test]
    fn any_unicode_text_round_trips(text in any::<String>()) {
        check(&text)?;
    }
}
