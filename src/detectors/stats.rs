//! S001: spin no dictionary lists, found with the reverse thesaurus and the bigram language
//! model of [`crate::lexicon`].
//!
//! A spinner replaces a word by one of its synonyms. For a lowercase word, the candidate
//! originals are the thesaurus headwords that list it. Each reading — the word as written,
//! or a candidate — is scored as a noisy channel, in log10:
//!
//! * **context**: `log P(x | p2 p1) + log P(n1 | p1 x) + log P(n2 | x n1)` under the
//!   backoff trigram model, for the two words before (`p2 p1`) and after (`n1 n2`), as far
//!   as plain words reach (sentence starts and ends count as words);
//! * **channel**: the written word was kept with probability `1 − r`; a candidate `c` was
//!   replaced with probability `r / synonyms(c)`, where `r` is the share of words a spinner
//!   rewrites ([`SPIN_RATE`]) and `synonyms(c)` how many words the thesaurus offers for `c`
//!   — a word with hundreds of synonyms ("make", "get") explains no particular one — or
//!   with probability `r` when a spin dictionary makes exactly this swap somewhere
//!   ([`spin_swaps`]: "assist" for "help", "navy" for "military"): the spinners' own habits
//!   are the channel model, and such candidates are weighed even where the thesaurus
//!   lacks them.
//!
//! A word is suspect only when the model does not list it with one of its neighbours (a
//! word in known company on both sides is left alone). The **gain** is the best
//! candidate's score minus the written word's. The detector runs
//! only in documents the dictionaries found evidently spun (in others the prior odds of a
//! spun word are far lower than any gain the model can show), never on words a dictionary
//! finding covers or touches, and never on capitalised words, quoted text, numbers or the
//! words next to them.
//! A gain of [`REVIEW_GAIN`] makes a suggestion; a fix is safe only with a gain of
//! [`SAFE_GAIN`], a lead of [`CLEAR_MARGIN`] over the next candidate, and both of the
//! candidate's word pairs listed by the model.

use crate::detector::{Context, Detector, Sink};
use crate::document::{tokens, Document, Span, Token};
use crate::finding::{Applicability, Edit, Evidence, Finding, Kind, Rule};
use crate::lexicon::{Lexicon, WordId};
use crate::FastMap as HashMap;

pub static UNLISTED_SPIN: Rule = Rule {
    code: "S001",
    name: "unlisted-spin",
    kind: Kind::Spin,
    what: "A word that reads as a wrong-sense synonym in its context, found without a \
           dictionary entry: a word it is a synonym of is far more likely between the same \
           neighbours under a trigram language model, even after paying for the spinner's \
           choice among that word's synonyms.",
    example: "(in an evidently spun article) their yearly retreat → their annual retreat",
    fix_safety: "opt-in (--statistics); only in documents the dictionaries found evidently spun; safe when the gain \
                 is large, one candidate clearly wins and the model lists both of its word \
                 pairs (a swap a spin dictionary makes pays less for the spinner's choice); \
                 otherwise a review suggestion",
};

/// The share of words a spinner rewrites (the channel's replacement probability).
pub const SPIN_RATE: f32 = 0.3;
/// Gain (log10) for a review suggestion.
pub const REVIEW_GAIN: f32 = 1.5;
/// Gain (log10) for a safe fix.
pub const SAFE_GAIN: f32 = 2.5;
/// How far (log10) the best candidate must lead the next one for a safe fix.
pub const CLEAR_MARGIN: f32 = 1.0;
/// How many candidates the evidence lists.
const SHOWN: usize = 3;
/// How many of a word's candidates are weighed: the thesaurus lists them most frequent
/// first, and rarer ones seldom win after paying their channel cost.
const CANDIDATES: usize = 20;
/// How many candidates, best by their bigram context, are scored under the trigram model.
const SHORTLIST: usize = 6;

/// How far below [`REVIEW_GAIN`] a word's best candidate may fall and still be explained
/// (with `explain`): closer calls are the ones a user tuning thresholds wants to see.
pub const EXPLAIN_GAIN: f32 = 0.0;

/// The statistics detector (uses the built-in lexicon, parsed on first use).
#[derive(Debug, Default, Clone)]
pub struct Statistics {
    /// Also report, as flags that are never applied, the suspect words the model kept
    /// (best candidate's gain from [`EXPLAIN_GAIN`] up to [`REVIEW_GAIN`]), with the same
    /// evidence as a suggestion, and record why a document was skipped.
    pub explain: bool,
    /// Single-word swaps the spin dictionaries make (written word → the words it replaced;
    /// see [`spin_swaps`]): candidates whose channel probability is the spinner's rate
    /// itself, not that rate shared among all the candidate's synonyms.
    pub swaps: std::sync::Arc<HashMap<WordId, Vec<WordId>>>,
}

/// The word swaps of the loaded spin dictionaries' entries: for every entry with one
/// repair, each garbled phrase aligned word by word with the repair when they have as many
/// words ("navy help" / "military aid" gives navy → military and help → aid). These are
/// the spinners' own habits, so a swap listed here explains the written word far better
/// than one synonym among hundreds.
pub fn spin_swaps(
    lex: &Lexicon,
    dicts: &crate::dictionary::DictionarySet,
) -> HashMap<WordId, Vec<WordId>> {
    let mut swaps: HashMap<WordId, Vec<WordId>> = HashMap::default();
    for (garbled, repair) in dicts.repairs(Kind::Spin) {
        for (b, g) in lex.word_swaps(garbled, repair) {
            swaps.entry(b).or_default().push(g);
        }
    }
    for v in swaps.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    swaps
}

/// Where a verdict falls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Level {
    /// Kept: shown only when explaining.
    Kept,
    Review,
    Safe,
}

/// One side of a word's context: up to two neighbours, nearest first. A sentence boundary
/// counts as a word (`<s>`, `</s>`) and ends the side; punctuation or a word the model lacks
/// ends it too.
#[derive(Clone, Copy, Default)]
struct Side {
    ids: [WordId; 2],
    len: usize,
}

impl Side {
    fn get(&self, k: usize) -> Option<WordId> {
        (k < self.len).then(|| self.ids[k])
    }
}

/// A reading's score and its parts.
#[derive(Clone, Copy)]
struct Scored {
    id: WordId,
    total: f32,
    left: f32,
    right: f32,
    /// Whether the model lists the reading with its nearest neighbours (filled in by
    /// [`mark_listed`] only for the readings a verdict keeps).
    left_listed: bool,
    right_listed: bool,
    /// Whether a spin dictionary makes this swap (the channel paid the spinner's rate).
    swap: bool,
}

/// Fills in whether the model lists `s` with its nearest neighbours.
fn mark_listed(lex: &Lexicon, prev: &Side, next: &Side, s: &mut Scored) {
    s.left_listed = prev.get(0).is_some_and(|p| lex.bigram(p, s.id).is_some());
    s.right_listed = next.get(0).is_some_and(|n| lex.bigram(s.id, n).is_some());
}

/// Scores the reading `x` between `prev` and `next` under the trigram model:
/// `P(x | p2 p1) · P(n1 | p1 x) · P(n2 | x n1)`, each as far as the context reaches.
fn score(lex: &Lexicon, prev: &Side, x: WordId, next: &Side, channel: f32) -> Scored {
    let (p1, p2) = (prev.get(0), prev.get(1));
    let (n1, n2) = (next.get(0), next.get(1));
    let left = match (p2, p1) {
        (Some(p2), Some(p1)) => lex.logp3(p2, p1, x),
        (None, Some(p1)) => lex.logp(p1, x),
        _ => lex.unigram(x),
    };
    let mut right = 0.0;
    if let Some(n1) = n1 {
        right += match p1 {
            Some(p1) => lex.logp3(p1, x, n1),
            None => lex.logp(x, n1),
        };
        if let Some(n2) = n2 {
            right += lex.logp3(x, n1, n2);
        }
    }
    Scored {
        id: x,
        total: left + right + channel,
        left,
        right,
        left_listed: false,
        right_listed: false,
        swap: false,
    }
}

fn is_sentence_end(t: &str) -> bool {
    matches!(t, "." | "!" | "?")
}

/// What a token is to the model.
#[derive(Clone, Copy)]
enum Known {
    /// A word the model has (lowercased).
    Word(WordId),
    /// A sentence end.
    End,
    /// Anything else: punctuation, a number, a word the model lacks.
    Break,
}

fn known(lex: &Lexicon, t: &Token) -> Known {
    if is_sentence_end(t.text) {
        return Known::End;
    }
    if !t.is_word
        || !t
            .text
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'\'')
    {
        return Known::Break;
    }
    let id = if t.text.bytes().any(|b| b.is_ascii_uppercase()) {
        lex.id(&t.text.to_ascii_lowercase())
    } else {
        lex.id(t.text)
    };
    id.map_or(Known::Break, Known::Word)
}

/// The context on one side of token `i`: `step` is -1 (before) or +1 (after).
fn side(kinds: &[Known], i: usize, step: isize, boundary: WordId) -> Side {
    let mut s = Side::default();
    let mut j = i as isize;
    while s.len < 2 {
        j += step;
        let k = usize::try_from(j).ok().and_then(|j| kinds.get(j));
        match k {
            None | Some(Known::End) => {
                s.ids[s.len] = boundary;
                s.len += 1;
                break;
            }
            Some(Known::Break) => break,
            Some(&Known::Word(id)) => {
                s.ids[s.len] = id;
                s.len += 1;
            }
        }
    }
    s
}

/// Is `t` a quotation mark that opens (`Some(true)`), closes (`Some(false)`) or toggles
/// (`None` inside `Some`) a quote?
fn quote(t: &str) -> Option<Option<bool>> {
    match t {
        "“" | "«" | "„" => Some(Some(true)),
        "”" | "»" => Some(Some(false)),
        "\"" => Some(None),
        _ => None,
    }
}

impl Detector for Statistics {
    fn name(&self) -> &'static str {
        "statistics"
    }

    fn detect(&self, doc: &Document, cx: &Context, sink: &mut Sink) {
        // The dictionary detector runs before this one and records the verdict on the
        // first pass; later passes read the first pass's.
        let evident = cx
            .first_pass_metrics
            .unwrap_or(&sink.metrics)
            .get("evidently_spun")
            .copied()
            .unwrap_or(0.0)
            > 0.0;
        // One pass: later passes see the dictionaries' repairs, whose words this detector
        // leaves alone anyway, and would only say the same again.
        if cx.pass > 0 {
            return;
        }
        if !evident {
            if self.explain {
                // The report's metrics say why nothing was weighed.
                sink.metric("statistics_weighed", 0.0);
            }
            return;
        }
        let text = doc.text();
        let lex = Lexicon::get();
        // Spans of this pass's dictionary findings: their words and neighbours are theirs.
        let taken = sink.phrase_spans();
        let touches = |s: usize, e: usize| {
            let i = taken.partition_point(|&(_, end)| end < s);
            taken.get(i).is_some_and(|&(start, _)| start <= e)
        };
        let keep = (1.0 - SPIN_RATE).log10();
        let (Some(start), Some(end)) = (lex.id("<s>"), lex.id("</s>")) else {
            return;
        };
        let toks: Vec<Token> = tokens(text).collect();
        let kinds: Vec<Known> = toks.iter().map(|t| known(lex, t)).collect();
        let mut quoted = false;
        let mut found = Vec::new();
        let mut memo: HashMap<_, Option<Verdict>> = HashMap::default();
        for i in 0..toks.len() {
            let t = &toks[i];
            if let Some(q) = quote(t.text) {
                quoted = q.unwrap_or(!quoted);
                continue;
            }
            if quoted || !t.is_word || t.text.len() < 3 {
                continue;
            }
            if !t.text.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            let Known::Word(wid) = kinds[i] else {
                continue;
            };
            let swapped: &[WordId] = self.swaps.get(&wid).map_or(&[], Vec::as_slice);
            let cands = lex.candidates(wid);
            if cands.len() == 0 && swapped.is_empty() {
                continue;
            }
            // The dictionaries' swaps first, then the thesaurus's candidates.
            let cands = swapped
                .iter()
                .copied()
                .chain(cands.take(CANDIDATES).filter(|c| !swapped.contains(c)));
            let prev_tok = i.checked_sub(1).map(|k| &toks[k]);
            let next_tok = toks.get(i + 1);
            // The neighbours must be plain text too: not a dictionary finding's.
            let s = prev_tok.map_or(t.start, |p| p.start);
            let e = next_tok.map_or(t.end(), |n| n.end());
            if touches(s, e) {
                continue;
            }
            // Numbers are never touched, nor the words that count them ("307 billion").
            let numeric =
                |t: Option<&Token>| t.is_some_and(|t| t.text.bytes().any(|b| b.is_ascii_digit()));
            if numeric(prev_tok) || numeric(next_tok) {
                continue;
            }
            let prev = side(&kinds, i, -1, start);
            let next = side(&kinds, i, 1, end);
            if prev.len == 0 && next.len == 0 {
                continue;
            }
            // A word the model knows in the company of both its neighbours is not suspect.
            let listed_left = prev.get(0).is_none_or(|p| lex.bigram(p, wid).is_some());
            let listed_right = next.get(0).is_none_or(|n| lex.bigram(wid, n).is_some());
            if listed_left && listed_right {
                continue;
            }
            // The same word between the same neighbours gets the same verdict.
            let key = (prev.ids, prev.len, wid, next.ids, next.len);
            let verdict = memo.entry(key).or_insert_with(|| {
                judge(
                    lex,
                    &prev,
                    wid,
                    (cands, swapped),
                    &next,
                    keep,
                    (listed_left, listed_right),
                )
            });
            if let Some(v) = verdict {
                if v.level != Level::Kept || self.explain {
                    found.push(finding(lex, t, v));
                }
            }
        }
        for f in found {
            sink.push(f);
        }
    }
}

/// What the model says of one word in its context, when it says anything.
struct Verdict {
    written: Scored,
    /// The best candidates, best first (at most [`SHOWN`]).
    ranked: Vec<Scored>,
    gain: f32,
    margin: f32,
    level: Level,
}

/// Scores the written word and its candidates. A candidate must be listed with a
/// neighbour the written word is not listed with; those are shortlisted by their bigram
/// context (`P(c | p1) · P(n1 | c)` and the channel), and the [`SHORTLIST`] best are scored
/// under the trigram model.
/// `swapped` are the candidates a spin dictionary's swap gives (their channel is the
/// spinner's rate itself).
fn judge(
    lex: &Lexicon,
    prev: &Side,
    wid: WordId,
    (cands, swapped): (impl Iterator<Item = WordId>, &[WordId]),
    next: &Side,
    keep: f32,
    (listed_left, listed_right): (bool, bool),
) -> Option<Verdict> {
    let channel = |c: WordId| {
        if swapped.contains(&c) {
            SPIN_RATE.log10()
        } else {
            (SPIN_RATE / lex.fanout(c) as f32).log10()
        }
    };
    // A candidate must fit where the written word does not: listed with a neighbour the
    // written word is not listed with.
    let fits = |c: WordId| {
        (!listed_left && prev.get(0).is_some_and(|p| lex.bigram(p, c).is_some()))
            || (!listed_right && next.get(0).is_some_and(|n| lex.bigram(c, n).is_some()))
    };
    let near = |x: WordId, ch: f32| {
        let l = prev.get(0).map_or(lex.unigram(x), |p| lex.logp(p, x));
        let r = next.get(0).map_or(0.0, |n| lex.logp(x, n));
        l + r + ch
    };
    let mut short: Vec<(f32, WordId)> = cands
        .filter(|&c| fits(c))
        .map(|c| (near(c, channel(c)), c))
        .collect();
    if short.is_empty() {
        return None;
    }
    short.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    short.truncate(SHORTLIST);
    let mut written = score(lex, prev, wid, next, keep);
    let mut ranked: Vec<Scored> = short
        .iter()
        .map(|&(_, c)| Scored {
            swap: swapped.contains(&c),
            ..score(lex, prev, c, next, channel(c))
        })
        .collect();
    ranked.sort_by(|a, b| b.total.total_cmp(&a.total).then(a.id.cmp(&b.id)));
    let gain = ranked[0].total - written.total;
    if gain < EXPLAIN_GAIN {
        return None;
    }
    ranked.truncate(SHOWN);
    for s in ranked.iter_mut().chain(std::iter::once(&mut written)) {
        mark_listed(lex, prev, next, s);
    }
    let best = ranked[0];
    let margin = ranked
        .get(1)
        .map_or(f32::INFINITY, |r| best.total - r.total);
    let listed = best.left_listed && best.right_listed;
    let level = if gain < REVIEW_GAIN {
        Level::Kept
    } else if gain >= SAFE_GAIN && margin >= CLEAR_MARGIN && listed {
        Level::Safe
    } else {
        Level::Review
    };
    Some(Verdict {
        written,
        ranked,
        gain,
        margin,
        level,
    })
}

fn finding(lex: &Lexicon, t: &Token, v: &Verdict) -> Finding {
    let Verdict {
        written,
        ref ranked,
        gain,
        margin,
        level,
    } = *v;
    let best = ranked[0];
    let repl = lex.word(best.id);
    let reading = |s: &Scored| {
        format!(
            "{} {:.2} (left {:.2}{}, right {:.2}{})",
            lex.word(s.id),
            s.total,
            s.left,
            if s.left_listed { ", pair listed" } else { "" },
            s.right,
            if s.right_listed { ", pair listed" } else { "" },
        )
    };
    let cands = ranked
        .iter()
        .map(|s| {
            if s.swap {
                format!("{}; a swap the spin dictionaries make", reading(s))
            } else {
                format!("{}; {} synonyms", reading(s), lex.fanout(s.id))
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let span = Span::new(t.start, t.end());
    let gate = match level {
        Level::Safe => format!(
            "gain {gain:.2} ≥ {SAFE_GAIN}, lead {margin:.2} ≥ {CLEAR_MARGIN}, both pairs listed: safe"
        ),
        Level::Review => format!(
            "suggestion: a safe fix needs gain ≥ {SAFE_GAIN}, a lead ≥ {CLEAR_MARGIN} and both of the candidate's pairs listed"
        ),
        Level::Kept => format!("kept: a suggestion needs gain ≥ {REVIEW_GAIN}"),
    };
    let message = if level == Level::Kept {
        format!(
            "\"{}\" kept: its best candidate \"{repl}\" is not likely enough in this context (explained because of --explain)",
            t.text
        )
    } else {
        format!(
            "\"{}\" reads as a spun synonym here; \"{repl}\" is far more likely in this context",
            t.text
        )
    };
    let (confidence, declared) = match level {
        Level::Safe => (0.9, Applicability::Safe),
        Level::Review => (0.7, Applicability::Review),
        Level::Kept => (0.3, Applicability::Flag),
    };
    Finding::new(&UNLISTED_SPIN, span, message)
        .with_confidence(confidence)
        .with_evidence(
            Evidence::with_capacity(5)
                .with("observed", reading(&written))
                .with("candidates", cands)
                .with(
                    "gain",
                    format!("{gain:.2} (log10; suggestion from {REVIEW_GAIN})"),
                )
                .with(
                    "spin rate",
                    format!("{SPIN_RATE} (the document is evidently spun)"),
                )
                .with("gate", gate),
        )
        .with_candidates(ranked.iter().map(|s| lex.word(s.id).to_string()).collect())
        .with_fix(vec![Edit::new(span, repl.to_string())], declared)
}

#[cfg(test)]
mod tests {
    use crate::finding::Applicability;
    use crate::Engine;

    use crate::test_seed as seed;

    fn engine(stats: bool) -> Engine {
        Engine::builder().statistics(stats).build().unwrap()
    }

    /// The S001 findings of a run: (written word, suggestion, applicability).
    fn s001(text: &str) -> Vec<(String, String, Applicability)> {
        crate::test_rule_findings(&engine(true), "S001", text)
    }

    #[test]
    fn a_spun_article_gets_exactly_these_repairs_and_suggestions() {
        use Applicability::*;
        let found = s001(&seed("004"));
        let safe: Vec<_> = found.iter().filter(|f| f.2 == Safe).collect();
        let pairs = |v: &[&(String, String, Applicability)]| {
            v.iter()
                .map(|f| format!("{}→{}", f.0, f.1))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pairs(&safe),
            [
                "sturdy→strong",
                "conscious→aware",
                "facet→side",
                "secure→safe",
                "assist→support",
                "navy→military",
                "assist→help",
                "solely→only",
                "within→in"
            ],
            "{found:?}"
        );
        assert_eq!(found.len(), 26, "{found:?}");
        assert!(found.iter().all(|f| f.2 != Flag));
        // The safe repairs are applied and the log still reverses to the original bytes; a
        // second run finds nothing more to apply.
        let text = seed("004");
        let e = engine(true);
        let out = e.clean_text(&text, None);
        assert!(out.cleaned.contains("keenly aware that") && out.cleaned.contains("help offset"));
        assert_eq!(out.log.revert(&out.cleaned).as_deref(), Some(text.as_str()));
        assert!(e.clean_text(&out.cleaned, None).log.edits.is_empty());
    }

    #[test]
    fn the_spin_dictionaries_swaps_are_the_channel_model() {
        let lex = crate::lexicon::Lexicon::get();
        let set = crate::dictionary::DictionarySet::builtin().unwrap();
        let swaps = super::spin_swaps(lex, &set);
        let (navy, military) = (lex.id("navy").unwrap(), lex.id("military").unwrap());
        assert!(swaps[&navy].contains(&military));
        // "navy affairs" is in no entry (they need "navy help" and the like), but the
        // swap is weighed at the spinner's full rate and wins; its evidence says why.
        let out = engine(true).clean_text(&seed("004"), None);
        let r = out
            .findings
            .iter()
            .find(|r| r.finding.rule == "S001" && r.finding.suggestion() == Some("military"))
            .unwrap();
        let ev = serde_json::to_string(&r.finding).unwrap();
        assert!(ev.contains("a swap the spin dictionaries make"), "{ev}");
    }

    #[test]
    fn clean_or_unspun_text_gets_nothing() {
        // The canonical report and the article that quotes it are not evidently spun.
        assert_eq!(s001(&seed("001")), vec![]);
        assert_eq!(s001(&seed("002")), vec![]);
        // Nor is one odd word in plain prose, however unlikely.
        assert_eq!(
            s001("The team met at their yearly retreat in the hills.\n"),
            vec![]
        );
    }

    #[test]
    fn off_by_default() {
        let out = engine(false).clean_text(&seed("004"), None);
        assert!(out.findings.iter().all(|r| r.finding.rule != "S001"));
        let out = Engine::builder()
            .build()
            .unwrap()
            .clean_text(&seed("004"), None);
        assert!(out.findings.iter().all(|r| r.finding.rule != "S001"));
    }

    #[test]
    fn names_and_quotes_are_left_alone() {
        let base = seed("004");
        let plain = s001(&format!(
            "{base}\nHe said we spoke at their yearly retreat today.\n"
        ));
        assert!(
            plain.iter().any(|f| f.0 == "yearly" && f.1 == "annual"),
            "the control sentence must be found: {plain:?}"
        );
        for variant in [
            "He said we spoke at their Yearly retreat today.",
            "He said \"we spoke at their yearly retreat today,\" again.",
            "He said “we spoke at their yearly retreat today,” again.",
        ] {
            let found = s001(&format!("{base}\n{variant}\n"));
            assert!(
                !found.iter().any(|f| f.0.eq_ignore_ascii_case("yearly")),
                "{variant}: {found:?}"
            );
        }
    }

    #[test]
    fn words_next_to_numbers_are_not_even_weighed() {
        // With --explain every weighed suspect shows, even far below a suggestion: the word
        // before "retreat" is weighed, unless a number stands next to it.
        let e = Engine::builder()
            .statistics(true)
            .explain(true)
            .build()
            .unwrap();
        let weighed = |line: &str| {
            let text = format!("{}\n{line}\n", seed("004"));
            let start = text.len() - line.len() - 1;
            e.clean_text(&text, None)
                .findings
                .iter()
                .filter(|r| r.finding.rule == "S001" && r.finding.span.start >= start)
                .map(|r| r.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(weighed("He spoke at the yearly retreat."), ["yearly"]);
        assert_eq!(
            weighed("He spoke at the 2024 yearly retreat."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn explaining_adds_flags_for_kept_words_and_changes_no_text() {
        let text = seed("004");
        let plain = engine(true).clean_text(&text, None);
        let e = Engine::builder()
            .statistics(true)
            .explain(true)
            .build()
            .unwrap();
        let explained = e.clean_text(&text, None);
        assert_eq!(plain.cleaned, explained.cleaned);
        let kept: Vec<_> = explained
            .findings
            .iter()
            .filter(|r| r.finding.rule == "S001" && r.finding.applicability == Applicability::Flag)
            .collect();
        assert!(kept.len() > 20, "{}", kept.len());
        for r in &kept {
            let gate = &r
                .finding
                .evidence
                .0
                .iter()
                .find(|(l, _)| *l == "gate")
                .unwrap()
                .1;
            assert!(
                gate.starts_with("kept: a suggestion needs gain"),
                "{}",
                &**gate
            );
            assert!(
                r.finding.message.contains(" kept: "),
                "{}",
                r.finding.message
            );
        }
        // The suggestions are the same with and without explaining.
        let not_kept = |o: &crate::resolver::Outcome| {
            o.findings
                .iter()
                .filter(|r| {
                    r.finding.rule == "S001" && r.finding.applicability != Applicability::Flag
                })
                .map(|r| (r.text.clone(), r.finding.suggestion().map(str::to_string)))
                .collect::<Vec<_>>()
        };
        assert_eq!(not_kept(&plain), not_kept(&explained));
        // A document that is not evidently spun says that it was not weighed.
        let clean = e.clean_text(&seed("001"), None);
        assert_eq!(clean.metrics.get("statistics_weighed"), Some(&0.0));
        assert!(!plain.metrics.contains_key("statistics_weighed"));
    }

    #[test]
    fn evidence_names_the_word_the_candidates_and_the_gate() {
        let out = engine(true).clean_text(&seed("004"), None);
        let r = out
            .findings
            .iter()
            .find(|r| r.finding.rule == "S001" && r.text == "solely")
            .unwrap();
        let ev: Vec<&str> = r.finding.evidence.0.iter().map(|(k, _)| *k).collect();
        assert_eq!(ev, ["observed", "candidates", "gain", "spin rate", "gate"]);
        let get = |k: &str| {
            r.finding
                .evidence
                .0
                .iter()
                .find(|(l, _)| *l == k)
                .unwrap()
                .1
                .to_string()
        };
        assert!(
            get("observed").starts_with("solely "),
            "{}",
            get("observed")
        );
        assert!(
            get("candidates").starts_with("only "),
            "{}",
            get("candidates")
        );
        assert!(get("gate").ends_with("safe"), "{}", get("gate"));
        assert_eq!(
            r.finding.candidates.first().map(String::as_str),
            Some("only")
        );
    }
}
