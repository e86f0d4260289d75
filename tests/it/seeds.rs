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
            out.findings.iter().all(|r| r.status != Status::Applied
                || matches!(r.finding.kind, Kind::Typography | Kind::Junk)),
            "seed {p}"
        );
    }
}

/// Exactly these junk lines are removed from the seeds by default, and nothing else.
#[test]
fn seed_junk_is_removed_and_nothing_else() {
    let engine = engine();
    let expected: &[(&str, &[&str])] = &[
        ("000", &["Leave a Reply"]),
        ("001", &["Share the Post:"]),
        (
            "002",
            &[
                "Support Us",
                "Journalists fight on their own frontline. Support Ukrainska Pravda or become our patron!",
            ],
        ),
        ("003", &["Home » ", "by alex", "You may also like", "Leave a Comment"]),
        ("004", &["By admin"]),
    ];
    for (p, lines) in expected {
        let out = engine.clean_text(&seed(p), None);
        let removed: Vec<&str> = out
            .findings
            .iter()
            .filter(|r| r.finding.kind == Kind::Junk && r.status == Status::Applied)
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(&removed, lines, "seed {p}");
        for l in *lines {
            let l = l.trim();
            assert!(
                !out.cleaned
                    .lines()
                    .any(|x| x.trim() == l || x.starts_with(l)),
                "seed {p}: {l}"
            );
        }
    }
}

#[test]
fn seed_001_unrelated_tail_is_proposed_for_review() {
    let text = seed("001");
    let out = engine().clean_text(&text, None);
    let drift: Vec<_> = out
        .findings
        .iter()
        .filter(|r| r.finding.rule == "J003")
        .collect();
    assert_eq!(drift.len(), 1);
    let d = drift[0];
    assert_eq!(d.status, Status::Suggested);
    assert!(d
        .text
        .starts_with("Share the Post:\n\nWilson Center\n\nForced displacement"));
    assert!(d
        .text
        .ends_with("from passive acknowledgment to proactive intervention."));
    let overlap: f64 = d
        .finding
        .evidence
        .0
        .iter()
        .find(|(k, _)| *k == "overlap")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!(overlap < 0.2, "{overlap}");
    // The ISW report itself is untouched by it in safe mode…
    assert!(out.cleaned.contains("Forced displacement represents"));
    // …and removed with --apply review, leaving the report's last line as the end.
    let review = Engine::builder()
        .apply(Applicability::Review)
        .build()
        .unwrap();
    let c = review.clean_text(&text, None).cleaned;
    assert!(!c.contains("Wilson Center"));
    assert!(c.trim_end().ends_with("Russian authorities reportedly detained three Ukrainian partisans in occupied Zaporizhia Oblast."));
}

#[test]
fn no_drift_is_proposed_on_the_other_seeds() {
    let engine = engine();
    for p in ["000", "002", "003", "004"] {
        let out = engine.clean_text(&seed(p), None);
        assert!(
            out.findings.iter().all(|r| r.finding.rule != "J003"),
            "seed {p}"
        );
    }
}
