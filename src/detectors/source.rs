//! Source alignment: compare a document with the canonical references it derives from and
//! report every deviation that matters — spin substitutions and mistranslated names
//! (repaired from the source), misquotes (repaired at review level), wrong entities and
//! number or date mismatches (flagged, never rewritten), omitted and added sentences
//! (flagged). Every finding carries the aligned source sentence as evidence.

use std::sync::Arc;

use crate::align::{align_memo, deviations, names_of, Deviation, DeviationClass, Memo, Names};
use crate::detector::{Context, Detector, Sink};
use crate::dictionary::copy_case;
use crate::document::{Document, Span};
use crate::finding::{Applicability, Edit, Evidence, Finding, Kind, Rule};
use crate::reference::Reference;

pub static SOURCE_SPIN: Rule = Rule {
    code: "A001",
    name: "source-spin-substitution",
    kind: Kind::Spin,
    what: "A word or short phrase that differs from the source in an otherwise matching \
           sentence: a synonym swapped in by a spinner or translator.",
    example: "(source: \"16 agreements\") a package of 16 documents → a package of 16 agreements",
    fix_safety: "safe when the sentence matches the source closely (word ratio ≥ 0.7) and the \
                 document derives from it (containment ≥ 0.3); review otherwise",
};

pub static SOURCE_NAME: Rule = Rule {
    code: "A002",
    name: "source-mistranslated-name",
    kind: Kind::Mistranslation,
    what: "A name from the source rendered as a common noun phrase in the aligned sentence.",
    example: "(source: \"Vucic refused\") The teacher refused → Vucic refused",
    fix_safety: "review; safe when the sentence matches the source closely (word ratio ≥ 0.7) \
                 and the document derives from it (containment ≥ 0.3)",
};

pub static SOURCE_ENTITY: Rule = Rule {
    code: "A003",
    name: "source-wrong-entity",
    kind: Kind::Fact,
    what: "A different name or proper adjective than the source's in the aligned sentence.",
    example: "(source: \"Serbian President Aleksandar Vucic's rhetoric\") The Russian president's rhetoric",
    fix_safety: "flag: a person decides",
};

pub static SOURCE_QUOTE: Rule = Rule {
    code: "A004",
    name: "source-misquote",
    kind: Kind::Misquote,
    what: "Quoted words that differ from the matching quote in the source.",
    example: "“when we are in corner…” → “when we are in a deadlock…”",
    fix_safety: "review: the repair restores the source's wording",
};

pub static SOURCE_NUMBER: Rule = Rule {
    code: "A005",
    name: "source-number-mismatch",
    kind: Kind::Fact,
    what: "A number or date that differs from the source's in the aligned sentence.",
    example: "(source: \"March 20\") on March 21",
    fix_safety: "flag: a person decides",
};

pub static SOURCE_OMISSION: Rule = Rule {
    code: "A006",
    name: "source-omission",
    kind: Kind::Coverage,
    what: "A source sentence, inside the stretch the document retells, with no counterpart.",
    example: "(the source's sentence is shown as evidence)",
    fix_safety: "flag",
};

pub static SOURCE_ADDITION: Rule = Rule {
    code: "A007",
    name: "source-addition",
    kind: Kind::Coverage,
    what: "A sentence, inside the stretch the document retells, with no counterpart in the \
           source.",
    example: "(a sentence the retelling added)",
    fix_safety: "flag",
};

/// Above this word ratio an aligned sentence pair is a close match.
pub const STRONG_PAIR_RATIO: f64 = 0.7;
/// Above this containment the document clearly derives from the reference.
pub const STRONG_CONTAINMENT: f64 = 0.3;

/// A reference matched to the current document.
#[derive(Debug, Clone)]
pub struct SourceRef {
    pub reference: Arc<Reference>,
    pub containment: f64,
}

/// The source-alignment detector. Stateless: the references come in the [`Context`].
#[derive(Debug, Default, Clone, Copy)]
pub struct SourceAlignment;

fn snippet(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 240 {
        format!("{}…", s.chars().take(240).collect::<String>())
    } else {
        s.to_string()
    }
}

/// What a pass kept for the next: per reference, the sentences measured and the
/// deviations of each aligned pair, and the names the text used.
#[derive(Debug, Default)]
struct Kept {
    names: std::collections::HashSet<String>,
    sentences: Vec<Memo>,
    pairs: Vec<PairMemo>,
}

/// An aligned pair's deviations (input spans counted from the pair's start) by what they
/// depend on besides the text's names: the pair's input text, the last character before it
/// (which tells whether its first word starts a sentence) and its reference span.
type PairKey = (Box<str>, Option<char>, usize, usize);
type PairMemo = crate::FastMap<PairKey, Arc<Vec<Deviation>>>;

impl Detector for SourceAlignment {
    fn name(&self) -> &'static str {
        "source"
    }

    fn detect(&self, doc: &Document, cx: &Context, sink: &mut Sink) {
        if cx.references.is_empty() {
            return;
        }
        let text = doc.text();
        let input_names = names_of(text);
        // Sentences the pass before measured, and the pairs it compared (most of a
        // repaired text's); its pairs only while the text names the same words.
        let before = cx.previous.and_then(|p| p.state::<Kept>(self.name()));
        let same_names = before.is_some_and(|b| b.names == input_names);
        let mut kept = Kept::default();
        for (k, src) in cx.references.iter().enumerate() {
            let r = &src.reference;
            let rtext: &str = &r.text;
            let (a, memo) = align_memo(text, r.prepared(), before.and_then(|b| b.sentences.get(k)));
            kept.sentences.push(memo);
            let pairs_before = before.filter(|_| same_names).and_then(|b| b.pairs.get(k));
            let mut pairs = PairMemo::default();
            let names = Names {
                input: &input_names,
                reference: r.names(),
            };
            for pair in &a.pairs {
                let evidence = || {
                    Evidence::default()
                        .with("reference", r.name.clone())
                        .with("source sentence", snippet(&rtext[pair.reference.range()]))
                        .with("sentence similarity", format!("{:.3}", pair.similarity))
                        .with("containment", format!("{:.3}", src.containment))
                };
                let key: PairKey = (
                    text[pair.input.range()].into(),
                    text[..pair.input.start]
                        .trim_end_matches([' ', '\u{a0}'])
                        .chars()
                        .next_back(),
                    pair.reference.start,
                    pair.reference.end,
                );
                let found = match pairs_before.and_then(|p| p.get(&key)) {
                    Some(d) => Arc::clone(d),
                    None => Arc::new(
                        deviations(text, pair.input, rtext, pair.reference, &names)
                            .into_iter()
                            .map(|d| Deviation {
                                // Deviations lie inside their pair.
                                input: Span::new(
                                    d.input.start.saturating_sub(pair.input.start),
                                    d.input.end.saturating_sub(pair.input.start),
                                ),
                                ..d
                            })
                            .collect(),
                    ),
                };
                pairs.insert(key, Arc::clone(&found));
                for d in found.iter() {
                    let d = Deviation {
                        input: Span::new(
                            d.input.start + pair.input.start,
                            d.input.end + pair.input.start,
                        ),
                        ..d.clone()
                    };
                    let got = &text[d.input.range()];
                    let want = &rtext[d.reference.range()];
                    let ev = evidence().with("word ratio", format!("{:.3}", d.pair_ratio));
                    let strong = d.pair_ratio >= STRONG_PAIR_RATIO;
                    let f = match d.class {
                        DeviationClass::SpinSubstitution => {
                            let safe = strong && src.containment >= STRONG_CONTAINMENT;
                            Finding::new(
                                &SOURCE_SPIN,
                                d.input,
                                format!("\"{got}\" where the source says \"{want}\""),
                            )
                            .with_confidence(if safe { 0.92 } else { 0.75 })
                            .with_evidence(ev)
                            .with_fix(
                                vec![Edit::new(d.input, copy_case(got, want))],
                                if safe {
                                    Applicability::Safe
                                } else {
                                    Applicability::Review
                                },
                            )
                        }
                        DeviationClass::MistranslatedName => Finding::new(
                            &SOURCE_NAME,
                            d.input,
                            format!("\"{got}\" stands where the source names \"{want}\""),
                        )
                        .with_confidence(if strong { 0.92 } else { 0.75 })
                        .with_evidence(ev)
                        .with_fix(
                            vec![Edit::new(d.input, want.to_string())],
                            if strong && src.containment >= STRONG_CONTAINMENT {
                                Applicability::Safe
                            } else {
                                Applicability::Review
                            },
                        ),
                        DeviationClass::Misquote => Finding::new(
                            &SOURCE_QUOTE,
                            d.input,
                            format!("quote differs from the source: \"{want}\""),
                        )
                        .with_confidence(0.8)
                        .with_evidence(ev.with("source quote", want.to_string()))
                        .with_fix(
                            vec![Edit::new(d.input, want.to_string())],
                            Applicability::Review,
                        ),
                        DeviationClass::WrongEntity => Finding::new(
                            &SOURCE_ENTITY,
                            d.input,
                            format!("\"{got}\" where the source says \"{want}\""),
                        )
                        .with_evidence(ev),
                        DeviationClass::NumberMismatch => Finding::new(
                            &SOURCE_NUMBER,
                            d.input,
                            format!("\"{got}\" where the source says \"{want}\""),
                        )
                        .with_evidence(ev),
                    };
                    sink.push(f);
                }
            }
            // Coverage against the best reference only: with several references each
            // would report the others' sentences as additions.
            if k == 0 {
                for s in &a.added {
                    sink.push(
                        Finding::new(
                            &SOURCE_ADDITION,
                            *s,
                            "sentence with no counterpart in the source",
                        )
                        .with_evidence(Evidence::default().with("reference", r.name.clone())),
                    );
                }
                for s in &a.omitted {
                    // Anchor the omission where the next aligned input sentence begins.
                    let at = a
                        .pairs
                        .iter()
                        .find(|p| p.reference.start > s.start)
                        .map_or(text.len(), |p| p.input.start);
                    sink.push(
                        Finding::new(
                            &SOURCE_OMISSION,
                            Span::new(at, at),
                            "the source has a sentence here that this text omits",
                        )
                        .with_evidence(
                            Evidence::default()
                                .with("reference", r.name.clone())
                                .with("source sentence", snippet(&rtext[s.range()])),
                        ),
                    );
                }
            }
            // The first pass aligns the original text: the report reuses it.
            if cx.pass == 0 {
                sink.alignments.push((k, a));
            }
            kept.pairs.push(pairs);
        }
        kept.names = input_names;
        sink.keep(self.name(), kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::Whole;
    use crate::dictionary::DictionarySet;
    use crate::resolver::Resolver;

    #[test]
    fn later_passes_reusing_the_pass_before_change_nothing() {
        let read = crate::test_seed;
        let source = read("001");
        let refs = [SourceRef {
            reference: Arc::new(Reference::new("001", None, source.as_str())),
            containment: 0.5,
        }];
        let dict =
            crate::detectors::DictionaryDetector::new(Arc::new(DictionarySet::builtin().unwrap()));
        let typo = crate::detectors::Typography::new();
        let src = SourceAlignment;
        let mut passes = 0;
        for n in ["000", "002", "003"] {
            let text = read(n);
            for apply in [Applicability::Safe, Applicability::Review] {
                let r = Resolver {
                    apply,
                    ..Resolver::default()
                };
                let a = r.resolve_with(text.as_str().into(), &[&typo, &dict, &src], None, &refs);
                let b = r.resolve_with(
                    text.as_str().into(),
                    &[&Whole(&typo), &Whole(&dict), &Whole(&src)],
                    None,
                    &refs,
                );
                assert_eq!(a.cleaned, b.cleaned);
                assert_eq!(
                    serde_json::to_string(&a.findings).unwrap(),
                    serde_json::to_string(&b.findings).unwrap()
                );
                passes += a.passes;
            }
        }
        assert!(passes > 6, "{passes}");
    }
}
