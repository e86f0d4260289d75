//! Source alignment (`--reference`) on the seeds: seed 001 is the ISW report that 000
//! retells and 002 quotes.

use ungarble::resolver::Status;
use ungarble::{Applicability, Engine};

use super::{engine, root, seed};

fn with_001(apply: Applicability) -> Engine {
    Engine::builder()
        .apply(apply)
        .reference(root().join("seeds/001_341e67400f292e9e.txt"))
        .build()
        .unwrap()
}

fn rule_texts(out: &ungarble::Outcome, rule: &str) -> Vec<(String, Status, String)> {
    out.findings
        .iter()
        .filter(|r| r.finding.rule == rule)
        .map(|r| {
            (
                r.text.clone(),
                r.status,
                r.finding.suggestion().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn seed_000_is_matched_to_001_and_its_deviations_classified() {
    let e = with_001(Applicability::Safe);
    let out = e.clean(&seed("000"), Some("000"), None);
    assert_eq!(out.sources.len(), 1);
    assert!(out.sources[0]
        .matched
        .reference
        .ends_with("001_341e67400f292e9e.txt"));
    assert!(out.sources[0].matched.containment > 0.2);

    // The mistranslated name is repaired at review level…
    assert_eq!(
        rule_texts(&out, "A002"),
        vec![(
            "The teacher".to_string(),
            Status::Suggested,
            "Vucic".to_string()
        )]
    );
    // …the misquote is reported with the source's words…
    let quotes = rule_texts(&out, "A004");
    assert!(
        quotes.contains(&(
            "when we are in corner and when our policy should change".to_string(),
            Status::Suggested,
            "when we are in a deadlock and when our policy has to change".to_string()
        )),
        "{quotes:?}"
    );
    // …and the wrong entity is flagged, never rewritten.
    let entity = rule_texts(&out, "A003");
    assert_eq!(
        entity,
        vec![(
            "The Russian president's".to_string(),
            Status::Flagged,
            String::new()
        )]
    );
    let f = out
        .findings
        .iter()
        .find(|r| r.finding.rule == "A003")
        .unwrap();
    assert!(f
        .finding
        .evidence
        .0
        .iter()
        .any(|(k, v)| *k == "source sentence" && v.contains("Serbian President Aleksandar Vucic")));

    let review = with_001(Applicability::Review).clean(&seed("000"), Some("000"), None);
    assert!(review
        .cleaned
        .contains("Vucic refused to promise that Serbia would not"));
    assert!(review
        .cleaned
        .contains("“when we are in a deadlock and when our policy has to change “March 17,”"));
    assert!(review.cleaned.contains("The Russian president's rhetoric"));
}

#[test]
fn seed_002_16_documents_sentence_is_linked_to_001s_16_agreements() {
    let text = seed("002");
    let out = with_001(Applicability::Safe).clean(&text, Some("002"), None);
    assert_eq!(out.sources.len(), 1);
    let src = seed("001");
    let linked = out.sources[0].alignment.pairs.iter().any(|p| {
        text[p.input.range()].contains("16 documents")
            && src[p.reference.range()].contains("16 agreements")
    });
    assert!(linked, "{:#?}", out.sources[0].alignment.pairs);
}

#[test]
fn seeds_003_and_004_match_no_reference_and_are_cleaned_as_without_one() {
    let with = with_001(Applicability::Safe);
    let without = engine();
    for p in ["003", "004"] {
        let a = with.clean(&seed(p), Some(p), None);
        let b = without.clean(&seed(p), Some(p), None);
        assert!(a.sources.is_empty(), "seed {p}");
        assert_eq!(a.cleaned, b.cleaned, "seed {p}");
        assert_eq!(a.findings.len(), b.findings.len(), "seed {p}");
    }
}

#[test]
fn a_document_is_never_aligned_with_itself() {
    let path = root().join("seeds/001_341e67400f292e9e.txt");
    let out = with_001(Applicability::Safe).clean(&seed("001"), Some("001"), Some(&path));
    assert!(out.sources.is_empty());
    assert!(out
        .findings
        .iter()
        .all(|r| !r.finding.rule.starts_with('A')));
}

#[test]
fn a_spun_copy_is_restored_from_its_source() {
    let source = "The minister said on Tuesday that the government would increase military aid to the region. \
                  Officials expect the package to be approved by parliament next month, after a long debate \
                  about the cost of the programme and the pace of deliveries to the front line. \
                  The opposition has asked for a full account of the weapons already sent and of the training \
                  given to the soldiers who will use them.";
    let spun = "The minister mentioned on Tuesday that the authorities would increase navy help to the region. \
                Officers expect the package to be approved by parliament next month, after a long debate \
                about the cost of the programme and the pace of deliveries to the front line. \
                The opposition has asked for a full account of the weapons already sent and of the training \
                given to the soldiers who will use them.";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("src.txt"), source).unwrap();
    let e = Engine::builder()
        .default_dicts(false)
        .reference(dir.path().join("src.txt"))
        .build()
        .unwrap();
    let out = e.clean_text(spun, None);
    assert_eq!(out.cleaned, source);
    assert!(out.findings.iter().all(|r| r.finding.rule == "A001"));
}

#[test]
fn a_missing_reference_is_a_clear_error() {
    let err = Engine::builder()
        .reference(root().join("no/such/file.txt"))
        .build()
        .err()
        .unwrap();
    assert!(err.to_string().contains("no/such/file.txt"), "{err}");
}
