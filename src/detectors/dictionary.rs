//! The dictionary detector: phrase-dictionary matches become findings, gated by the
//! document spin score.

use std::sync::Arc;

use crate::detector::{Context, Detector, Sink};
use crate::dictionary::{copy_case, DictMatch, DictionarySet, Entry};
use crate::document::{count_words, Document, Span};
use crate::finding::{Edit, Evidence, Finding, Kind, Rule};

pub static SPIN: Rule = Rule {
    code: "D001",
    name: "spun-phrase",
    kind: Kind::Spin,
    what: "A phrase an article spinner produced by swapping words for wrong-sense synonyms \
           (\"navy help\" for military aid, \"a yr in the past\" for a year ago).",
    example: "Chinese language officers have denied it → Chinese officials have denied it",
    fix_safety: "safe for entries whose garbled side does not occur in edited English; weak \
                 entries (common words) fire only in documents that are evidently spun",
};

pub static TORTURED: Rule = Rule {
    code: "D002",
    name: "tortured-phrase",
    kind: Kind::Tortured,
    what: "A scientific term paraphrased by a paper-spinning tool (\"counterfeit \
           consciousness\" for artificial intelligence).",
    example: "profound learning models → deep learning models",
    fix_safety: "safe for unambiguous phrases; entries with ordinary senses are conditioned \
                 on technical context or review-level",
};

pub static MISTRANSLATION: Rule = Rule {
    code: "D003",
    name: "mistranslated-name",
    kind: Kind::Mistranslation,
    what: "A public figure's name that machine translation rendered as a common word \
           (\"The teacher refused\" for Vucic refused), recognised by document cues.",
    example: "(with Serbia in the text) The teacher refused → Vucic refused",
    fix_safety: "review: applied with --apply review",
};

pub static NAME_VARIANT: Rule = Rule {
    code: "D004",
    name: "name-variant",
    kind: Kind::NameVariant,
    what: "A name spelled two ways in one document (Lukashenka and Lukashenko).",
    example: "Lukashenka … Lukashenko → reported for consistency",
    fix_safety: "flag: never rewritten",
};

fn rule_for(kind: Kind) -> &'static Rule {
    match kind {
        Kind::Tortured => &TORTURED,
        Kind::Mistranslation => &MISTRANSLATION,
        Kind::NameVariant => &NAME_VARIANT,
        _ => &SPIN,
    }
}

/// Matches of non-weak spin entries needed before a document counts as evidently spun.
pub const SPUN_MIN_HITS: usize = 3;
/// Share of words covered by those matches needed as well.
pub const SPUN_MIN_SCORE: f64 = 0.005;

/// Reports dictionary matches.
#[derive(Debug, Clone)]
pub struct DictionaryDetector {
    set: Arc<DictionarySet>,
    /// Treat every document as evidently spun (used to run weak entries' own examples).
    force_spun: bool,
}

impl DictionaryDetector {
    pub fn new(set: Arc<DictionarySet>) -> Self {
        DictionaryDetector {
            set,
            force_spun: false,
        }
    }

    /// A detector that treats every document as evidently spun, so weak entries fire.
    pub fn with_gate_open(set: Arc<DictionarySet>) -> Self {
        DictionaryDetector {
            set,
            force_spun: true,
        }
    }

    pub fn set(&self) -> &DictionarySet {
        &self.set
    }
}

/// Longest match wins, then leftmost; returns the chosen matches sorted by position.
fn select(mut cands: Vec<DictMatch>) -> Vec<DictMatch> {
    cands.sort_unstable_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start, m.entry));
    // The chosen spans, sorted by start; they never overlap, so their ends are sorted too.
    let mut taken: Vec<DictMatch> = Vec::with_capacity(cands.len());
    for m in cands {
        let at = taken.partition_point(|t| t.start <= m.start);
        let blocked_before = at > 0 && taken[at - 1].end > m.start;
        let blocked_after = taken.get(at).is_some_and(|t| t.start < m.end);
        if !blocked_before && !blocked_after {
            taken.insert(at, m);
        }
    }
    taken
}

impl Detector for DictionaryDetector {
    fn name(&self) -> &'static str {
        "dictionary"
    }

    fn detect(&self, doc: &Document, cx: &Context, sink: &mut Sink) {
        if self.set.is_empty() {
            return;
        }
        let text = doc.text();
        let entries = self.set.entries();
        // On a later pass, scan again only around the last pass's edits.
        let scan = match cx.previous.and_then(|p| {
            p.state::<crate::dictionary::Scan>(self.name())
                .map(|before| (&p.edits, before))
        }) {
            Some((edits, before)) => self.set.rescan(text, edits, before),
            None => self.set.scan(text),
        };
        // Weak entries' context is checked only if the document turns out to be spun.
        let mut strong_all = scan.valid(&self.set, text, |e| !e.weak);
        let weak_present = scan.any(&self.set, |e| e.weak);
        // Kept for a second choice only when weak entries may join it.
        let strong = if weak_present {
            select(strong_all.clone())
        } else {
            select(std::mem::take(&mut strong_all))
        };
        // The spin score and the verdict are the first pass's: later passes see text that
        // is being repaired (and need not count its words again).
        let (score, evident) = match cx.first_pass_metrics {
            Some(m) => (
                m.get("spin_score").copied().unwrap_or(0.0),
                self.force_spun || m.get("evidently_spun").copied().unwrap_or(0.0) > 0.0,
            ),
            None => {
                let spin: Vec<&DictMatch> = strong
                    .iter()
                    .filter(|m| entries[m.entry].kind == Kind::Spin)
                    .collect();
                let covered: usize = spin
                    .iter()
                    .map(|m| count_words(&text[m.start..m.end]))
                    .sum();
                let words = doc.word_count().max(1);
                let score = covered as f64 / words as f64;
                let evident_here = spin.len() >= SPUN_MIN_HITS && score >= SPUN_MIN_SCORE;
                let evident = self.force_spun || evident_here;
                sink.metric("spin_score", (score * 1e6).round() / 1e6);
                sink.metric("spin_hits", spin.len() as f64);
                sink.metric("evidently_spun", if evident { 1.0 } else { 0.0 });
                (score, evident)
            }
        };

        let chosen = if evident && weak_present {
            let mut all = strong_all;
            all.extend(scan.valid(&self.set, text, |e| e.weak));
            select(all)
        } else {
            strong
        };
        sink.keep(self.name(), scan);
        // The gate's words are the same for every weak entry of the document: made once
        // and shared.
        let gate: std::sync::Arc<str> = format!(
            "weak entry: fires because the document is evidently spun (spin score {:.2}%)",
            score * 100.0
        )
        .into();
        for m in chosen {
            let e = &entries[m.entry];
            if let Some(f) = finding_for(e, text, m, &gate) {
                sink.push(f);
            }
        }
    }
}

fn finding_for(e: &Entry, text: &str, m: DictMatch, gate: &std::sync::Arc<str>) -> Option<Finding> {
    let span = Span::new(m.start, m.end);
    let matched = &text[m.start..m.end];
    let rule = rule_for(e.kind);
    let mut evidence = Evidence::with_capacity(3)
        .with("entry", &e.id)
        .with("dictionary", e.location());
    if e.weak {
        evidence = evidence.with("gate", gate);
    }
    let confidence = if e.weak { 0.9 } else { 0.95 };
    if let [repair] = e.replace.as_slice() {
        // One repair: the usual case, built without a candidate list.
        let repair = copy_case(matched, repair);
        if repair == matched {
            return None;
        }
        let message = e.message.clone().unwrap_or_else(|| match e.kind {
            Kind::NameVariant => {
                format!("\"{matched}\" is spelled \"{repair}\" elsewhere in this document")
            }
            _ => {
                let kind = kind_phrase(e.kind);
                let mut m = String::with_capacity(kind.len() + matched.len() + repair.len() + 10);
                for part in [kind, " \"", matched, "\" → \"", &repair, "\""] {
                    m.push_str(part);
                }
                m
            }
        });
        let f = Finding::new(rule, span, message)
            .with_confidence(confidence)
            .with_evidence(evidence);
        return Some(f.with_fix(vec![Edit::new(span, repair)], e.applicability));
    }
    let candidates: Vec<String> = e.replace.iter().map(|r| copy_case(matched, r)).collect();
    let message = e.message.clone().unwrap_or_else(|| match e.kind {
        Kind::NameVariant => format!(
            "\"{matched}\" is spelled \"{}\" elsewhere in this document",
            candidates.join("\" or \"")
        ),
        _ => format!(
            "{} \"{matched}\": one of \"{}\"",
            kind_phrase(e.kind),
            candidates.join("\", \"")
        ),
    });
    let f = Finding::new(rule, span, message)
        .with_confidence(confidence)
        .with_evidence(evidence);
    Some(f.with_candidates(candidates))
}

fn kind_phrase(k: Kind) -> &'static str {
    match k {
        Kind::Spin => "spun phrase",
        Kind::Tortured => "tortured phrase",
        Kind::Mistranslation => "mistranslated name",
        Kind::NameVariant => "name variant",
        _ => "finding",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::Whole;
    use crate::finding::Applicability;
    use crate::resolver::Resolver;
    use std::collections::BTreeMap;

    fn detector(src: &str) -> DictionaryDetector {
        DictionaryDetector::new(Arc::new(
            DictionarySet::load(&[("t.toml".into(), src.into())]).unwrap(),
        ))
    }

    const SRC: &str = r#"
family = "t"
[[entry]]
find = ["navy help"]
replace = "military aid"
tests = [["x", "y"]]
[[entry]]
find = ["yr"]
replace = "year"
tests = [["x", "y"]]
[[entry]]
find = ["a yr in the past"]
replace = "a year ago"
tests = [["x", "y"]]
[[entry]]
find = ["prime chief"]
replace = "top leader"
tests = [["x", "y"]]
[[entry]]
find = ["mentioned"]
replace = "said"
weak = true
tests = [["x", "y"]]
"#;

    /// `select` as first written (a map of taken spans): the reference.
    fn select_reference(mut cands: Vec<DictMatch>) -> Vec<DictMatch> {
        cands.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start, m.entry));
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for m in cands {
            let before = taken.range(..=m.start).next_back();
            let blocked_before = before.is_some_and(|(_, &e)| e > m.start);
            let blocked_after = taken.range(m.start..m.end).next().is_some();
            if !blocked_before && !blocked_after {
                taken.insert(m.start, m.end);
                out.push(m);
            }
        }
        out.sort_by_key(|m| (m.start, m.end));
        out
    }

    proptest::proptest! {
        #[test]
        fn select_is_unchanged(spans in proptest::collection::vec((0usize..60, 1usize..12, 0usize..4), 0..40)) {
            let mut cands: Vec<DictMatch> = spans
                .into_iter()
                .map(|(start, len, entry)| DictMatch { start, end: start + len, entry })
                .collect();
            cands.sort_by_key(|m| (m.start, m.end, m.entry));
            cands.dedup();
            proptest::prop_assert_eq!(select(cands.clone()), select_reference(cands));
        }
    }

    #[test]
    fn later_passes_scanning_around_edits_change_nothing() {
        let d = DictionaryDetector::new(Arc::new(DictionarySet::builtin().unwrap()));
        let typo = crate::detectors::Typography::new();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            // Spun text, and the same text with every line break doubled (edits move).
            for text in [text.clone(), text.replace('\n', "\n\n")] {
                for apply in [Applicability::Safe, Applicability::Review] {
                    let r = Resolver {
                        apply,
                        ..Resolver::default()
                    };
                    let a = r.resolve(text.as_str().into(), &[&typo, &d], None);
                    let b = r.resolve(text.as_str().into(), &[&typo, &Whole(&d)], None);
                    assert_eq!(a.cleaned, b.cleaned);
                    assert_eq!(
                        serde_json::to_string(&a.findings).unwrap(),
                        serde_json::to_string(&b.findings).unwrap()
                    );
                    seen += usize::from(a.passes > 1);
                }
            }
        }
        // The seeds need more than one pass, so later passes were compared.
        assert!(seen >= 4, "{seen}");
    }

    #[test]
    fn longest_wins_and_weak_entries_wait_for_evident_spin() {
        let d = detector(SRC);
        let r = Resolver::default();
        let out = r.resolve(
            "He mentioned a yr in the past that navy help came.".into(),
            &[&d],
            None,
        );
        // two strong spin hits: not evidently spun, so weak "mentioned" stays
        assert_eq!(
            out.cleaned,
            "He mentioned a year ago that military aid came."
        );
        let spun = "The prime chief mentioned a yr in the past that navy help came, a yr early.";
        let out = r.resolve(spun.into(), &[&d], None);
        assert_eq!(
            out.cleaned,
            "The top leader said a year ago that military aid came, a year early."
        );
        assert!(out.metrics["spin_score"] > 0.3);
    }
}
