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
    check_with(engine(), text)
}

/// An engine with the statistical rules on (S001 and S002, as `--statistics` gives).
fn statistics() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::builder()
            .statistics(true)
            .terms(true)
            .build()
            .unwrap()
    })
}

/// A spun article, so that S001 weighs what follows it.
fn spun_prefix() -> &'static str {
    static P: OnceLock<String> = OnceLock::new();
    P.get_or_init(|| {
        let dir = super::root().join("seeds");
        let p = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("004"))
            .unwrap();
        std::fs::read_to_string(p).unwrap()
    })
}

/// Prose-like text with words S001 has candidates for and words S002 maps onto terms, in
/// and out of quotes and next to numbers and names.
fn weighed_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => prop::sample::select(vec!["the", "a", "their", "to", "of", "and", "news", "meeting", "yearly", "retreat", "solely", "assist", "keenly", "conscious", "that", "identical", "web", "page", "facet", "help", "offset", "grown", "has", "he", "said", "was", "blast", "killed", "inconsistency", "discovery", "anomaly", "detection", "typical", "appropriation", "Inconsistency", "Discovery"]).prop_map(str::to_string),
        4 => Just(" ".to_string()),
        1 => prop::sample::select(vec![".", ",", "\"", "“", "”", "2024", "Yearly", "\n", "navy help"]).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

fn check_with(engine: &Engine, text: &str) -> Result<(), TestCaseError> {
    let out = engine.clean_text(text, None);
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
    let again = engine.clean_text(&out.cleaned, None);
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn statistics_round_trip_in_a_spun_document(text in weighed_text()) {
        check_with(statistics(), &format!("{}\n{text}\n", spun_prefix()))?;
    }

    #[test]
    fn statistics_never_panic_on_any_text(text in any::<String>()) {
        check_with(statistics(), &format!("{}\n{text}", spun_prefix()))?;
    }
}
