//! Behaviour on the five seed documents.

use ungarble::resolver::Status;
use ungarble::{Applicability, Engine, Kind};

use super::{engine, seed, seeds};

#[test]
fn every_cleaned_seed_rebuilds_the_original_bytes() {
    let engine = engine();
    for (name, text) in seeds() {
        let out = engine.clean_text(&text, Some(&name));
        assert!(out.problems.is_empty(), "{name}: {:?}", out.problems);
        assert!(out.converged, "{name}");
        assert_eq!(out.log.apply(&text), out.cleaned, "{name}");
        assert_eq!(
            out.log.revert(&out.cleaned).as_deref(),
            Some(text.as_str()),
            "{name}"
        );
        // Nothing outside the edits moved: the unedited stretches are identical.
        let mut pos = 0;
        for e in &out.log.edits {
            assert!(
                e.start >= pos && e.end <= text.len(),
                "{name}: edits overlap"
            );
            assert_eq!(&text[e.start..e.end], e.original, "{name}");
            pos = e.end;
        }
    }
}

#[test]
fn cleaning_a_cleaned_seed_changes_nothing() {
    let engine = engine();
    for (name, text) in seeds() {
        let once = engine.clean_text(&text, Some(&name)).cleaned;
        let twice = engine.clean_text(&once, Some(&name));
        assert!(
            twice.log.edits.is_empty(),
            "{name}: second run edited {:?}",
            twice.log.edits
        );
    }
}

#[test]
fn seed_003_typography_is_repaired() {
    let text = seed("003");
    let out = engine().clean_text(&text, None);
    let c = &out.cleaned;
    for bad in [
        "in the spring .",
        "devastatingly .",
        "ammunition .",
        "Belarus ,",
        "Celestial Empire .",
        "for China .",
        "his power .",
        "the day before ,",
        "visited Kiev .",
        "the Kremlin ,",
        "Kazakhstan ,",
        "far – reaching",
    ] {
        assert!(text.contains(bad), "fixture drifted: {bad}");
        assert!(!c.contains(bad), "not repaired: {bad}");
    }
    assert!(c.contains("in the spring. And"));
    assert!(c.contains("far-reaching consequences"));
    // The clause dash in the same document stays.
    assert!(c.contains("And what is important – China's intentions"));
    // No space before punctuation is left anywhere.
    let re = regex::Regex::new(r"\w [,.;:?!](\s|$)").unwrap();
    assert!(re.find(c).is_none(), "left: {:?}", re.find(c));
}

#[test]
fn seed_000_doubled_title_is_reduced_to_one() {
    let text = seed("000");
    let out = engine().clean_text(&text, None);
    let title = text.lines().next().unwrap();
    assert_eq!(text.matches(title).count(), 2);
    assert_eq!(out.cleaned.matches(title).count(), 1);
    assert!(out
        .cleaned
        .starts_with(&format!("{title}\n\nXi Jinping plans")));
}

#[test]
fn clean_seeds_get_no_spin_or_tortured_edits() {
    let engine = Engine::builder()
        .apply(Applicability::Review)
        .build()
        .unwrap();
    for p in ["001", "002"] {
        let out = engine.clean_text(&seed(p), None);
        let bad: Vec<_> = out
            .findings
            .iter()
            .filter(|r| matches!(r.finding.kind, Kind::Spin | Kind::Tortured))
            .map(|r| (&r.text, &r.finding.message))
            .collect();
        assert!(bad.is_empty(), "seed {p}: {bad:?}");
        assert!(
            out.findings
                .iter()
                .all(|r| r.status != Status::Applied || r.finding.kind == Kind::Typography),
            "seed {p}"
        );
    }
}
