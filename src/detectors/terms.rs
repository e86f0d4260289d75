//! S002: tortured phrases no dictionary lists, found by mapping a phrase word by word onto
//! an established technical term through the word swaps paper-spinning tools are known to
//! make.
//!
//! A paper-spinning tool rewrites a term such as "hidden layer" by swapping each word for a
//! thesaurus synonym ("buried layer", "concealed layer", "cryptic layer"). Dictionaries list
//! the variants someone has seen; this rule knows the *targets* instead: a list of
//! established multi-word terms ([`TERMS`], `dictionaries/terms.txt`, plus the repairs of
//! every loaded tortured-phrase dictionary entry). A run of words is a tortured form of a
//! term when every word either is the term's word or was swapped for it, at least one word
//! differs, and the run as written is not itself a term.
//!
//! Thesaurus synonyms alone are no evidence (the thesaurus links nearly any two common
//! words: "received data" to "standard error"), so every swapped word must be a swap that
//! a loaded tortured-phrase dictionary makes somewhere, or one listed in
//! `dictionaries/tortured-swaps.txt` ([`SWAPS`]): those word pairs are the channel model.
//! New combinations of known swaps are what this rule finds.
//!
//! * **safe** when two or more words were swapped (or one rare word for a far commoner one:
//!   "random timberland"), one term fits, the language model lists no pair of the written
//!   phrase (ordinary English such as "remote system" is listed) and the term fits the word
//!   before as well as the written phrase does;
//! * **review** when a single common word was swapped ("free variable" is English too), the
//!   model lists a pair of the phrase, or several terms fit equally well (the candidates
//!   are reported).
//!
//! No finding when the written phrase runs on into the next word where the term would not
//! ("model plays a role"), when it shares words with a term written exactly ("heart
//! failure plays"), or inside a dictionary finding. Words in all capitals (acronyms) or
//! with digits are only ever matched exactly. Opt-in with S001 (`--statistics`).

use std::sync::Arc;

use crate::detector::{Context, Detector, Sink};
use crate::dictionary::{copy_case, DictionarySet};
use crate::document::{tokens, Document, Span, Token};
use crate::finding::{Applicability, Edit, Evidence, Finding, Kind, Rule};
use crate::lexicon::{Lexicon, WordId};
use crate::phrase::PhraseIndex;
use crate::{FastMap as HashMap, FastSet as HashSet};

pub static UNLISTED_TORTURED: Rule = Rule {
    code: "S002",
    name: "unlisted-tortured",
    kind: Kind::Tortured,
    what: "A tortured phrase no dictionary lists: each word is the word of an established \
           technical term or a word paper-spinning tools are known to swap for it (the \
           tortured-phrase entries' own swaps and a swap list) \
           (\"inconsistency discovery\" for anomaly detection, from the swaps of two \
           different entries), and the phrase as written is not itself a term.",
    example: "(with --statistics) we apply inconsistency discovery to the logs → we apply anomaly detection to the logs",
    fix_safety: "opt-in (--statistics); safe when two or more words were swapped (or one rare \
                 word for a far commoner one), one term \
                 fits, the language model lists no pair of the written phrase and the term \
                 fits the word before as well as the phrase does; one swapped word, a listed \
                 pair or several fitting terms make it a review suggestion",
};

/// The built-in term list (see `dictionaries/terms.txt`).
pub const TERMS: &str = include_str!("../../dictionaries/terms.txt");

/// The built-in single-word swaps of paper-spinning tools (see
/// `dictionaries/tortured-swaps.txt`), beside those the tortured-phrase entries make.
pub const SWAPS: &str = include_str!("../../dictionaries/tortured-swaps.txt");

/// The data lines of a list file with their line numbers (from 1): blank lines and `#`
/// comments are skipped.
fn data_lines(src: &str) -> impl Iterator<Item = (usize, &str)> {
    src.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// The `written → original` pairs of a swap list.
fn swap_lines(src: &str) -> impl Iterator<Item = (&str, &str)> {
    data_lines(src).filter_map(|(_, l)| l.split_once('\t'))
}

/// A single swapped word makes a safe fix only when the written word is this rare (log10
/// unigram probability under the language model: about one word in 300,000)…
const RARE_WORD: f32 = -5.5;
/// …and the term's word at least this much (log10) commoner.
const RARER_BY: f32 = 1.0;

/// Terms longer than this are not indexed (none of the lists has one).
const MAX_WORDS: usize = 6;

/// One established term.
#[derive(Debug)]
struct Term {
    /// As conventionally written ("restricted Boltzmann machine").
    display: String,
    /// Its words, lowercase.
    words: Vec<String>,
    /// Each word's id in the lexicon, when it has one (a word without one only matches
    /// itself).
    ids: Vec<Option<WordId>>,
}

/// The terms, indexed by the written first words that may stand for them.
#[derive(Debug, Default)]
pub struct TermIndex {
    terms: Vec<Term>,
    /// Every term, lowercase, words joined by one space: a phrase that is a term is left
    /// alone.
    known: HashSet<String>,
    /// Terms by their first word (lowercase), to find terms written exactly.
    by_first: HashMap<String, Vec<u32>>,
    /// Known word swaps, (written, term word): the channel evidence that a paper-spinning
    /// tool makes exactly this swap.
    attested: HashSet<(WordId, WordId)>,
    /// Finds the written sides of the swaps in a text: every tortured form this rule
    /// repairs has one.
    finder: Option<PhraseIndex>,
    /// For each of the finder's patterns, the (term, word position) it may stand in.
    swap_lists: Vec<Vec<(u32, u8)>>,
    /// The most words a term has.
    longest: usize,
}

/// Is `w` a word the rule may treat as swapped: lowercase or capitalised letters (with
/// inner apostrophes or hyphens), no digits, not an acronym?
fn swappable(w: &str) -> bool {
    let b = w.as_bytes();
    if b.is_empty()
        || !b
            .iter()
            .all(|&c| c.is_ascii_alphabetic() || c == b'\'' || c == b'-')
    {
        return false;
    }
    // A capital after the first letter (acronyms, "iPhone"): matched only as written.
    !b[1..].iter().any(u8::is_ascii_uppercase)
}

impl TermIndex {
    /// The built-in terms and the repairs of `dicts`' tortured-phrase entries that are
    /// one unambiguous multi-word term.
    pub fn new(lex: &Lexicon, dicts: &DictionarySet) -> Self {
        let listed = data_lines(TERMS).map(|(_, l)| l);
        let repairs = dicts.repairs(Kind::Tortured).map(|(_, r)| r);
        let swaps = dicts.repairs(Kind::Tortured).chain(swap_lines(SWAPS));
        Self::from_terms(lex, listed.chain(repairs), swaps)
    }

    /// An index of `terms` (each as conventionally written; single words and duplicates
    /// are ignored). A term whose last word has a plural the lexicon knows also stands in
    /// the plural ("hidden layers").
    /// `swaps` are (tortured phrase, term) pairs whose aligned word swaps are attested.
    pub fn from_terms<'a>(
        lex: &Lexicon,
        terms: impl Iterator<Item = &'a str>,
        swaps: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut ix = TermIndex::default();
        for (bad, good) in swaps {
            ix.attested.extend(lex.word_swaps(bad, good));
        }
        let add = |display: String, ix: &mut TermIndex| {
            let words: Vec<String> = display.split(' ').map(str::to_ascii_lowercase).collect();
            if words.len() < 2 || words.len() > MAX_WORDS || words.iter().any(String::is_empty) {
                return;
            }
            let key = words.join(" ");
            if !ix.known.insert(key) {
                return;
            }
            let ids = words.iter().map(|w| lex.id(w)).collect();
            ix.terms.push(Term {
                display,
                words,
                ids,
            });
        };
        for t in terms {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            add(t.clone(), &mut ix);
            if let Some((head, last)) = t.rsplit_once(' ') {
                if let Some(p) = plural(lex, last) {
                    add(format!("{head} {p}"), &mut ix);
                }
            }
        }
        // Which written words may stand where in which term: only the written sides of
        // attested swaps (a match needs one).
        let mut swap_from: HashMap<WordId, Vec<WordId>> = HashMap::default();
        for &(w, c) in &ix.attested {
            swap_from.entry(c).or_default().push(w);
        }
        let mut by_swap: std::collections::BTreeMap<&str, Vec<(u32, u8)>> = Default::default();
        for (i, t) in ix.terms.iter().enumerate() {
            ix.by_first
                .entry(t.words[0].clone())
                .or_default()
                .push(i as u32);
            for (k, id) in t.ids.iter().enumerate() {
                for &w in id.and_then(|id| swap_from.get(&id)).into_iter().flatten() {
                    by_swap
                        .entry(lex.word(w))
                        .or_default()
                        .push((i as u32, k as u8));
                }
            }
        }
        // The finder's patterns must begin with a letter or digit.
        by_swap.retain(|w, _| w.as_bytes()[0].is_ascii_alphanumeric());
        let words: Vec<&str> = by_swap.keys().copied().collect();
        ix.finder = PhraseIndex::new(&words).ok();
        ix.swap_lists = by_swap
            .into_values()
            .map(|mut list| {
                list.sort_unstable();
                list.dedup();
                list
            })
            .collect();
        ix.longest = ix.terms.iter().map(|t| t.words.len()).max().unwrap_or(0);
        ix
    }

    /// How many terms are indexed (plurals included).
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The plural of `w` when the lexicon knows it and `w` does not already look plural.
fn plural(lex: &Lexicon, w: &str) -> Option<String> {
    if !w.bytes().all(|b| b.is_ascii_lowercase()) || w.len() < 3 || w.ends_with('s') {
        return None;
    }
    let p = if let Some(stem) = w
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if w.ends_with("sh") || w.ends_with("ch") || w.ends_with('x') || w.ends_with('z') {
        format!("{w}es")
    } else {
        format!("{w}s")
    };
    lex.id(&p).map(|_| p)
}

/// The tortured-phrase detector over a shared term index.
pub struct TermDetector {
    index: Arc<TermIndex>,
}

impl TermDetector {
    pub fn new(index: Arc<TermIndex>) -> Self {
        TermDetector { index }
    }
}

/// How a written word stands to a term's word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    Same,
    /// A known swap.
    Swapped,
}

/// A term that fits the words from token `i` on.
struct Match {
    term: u32,
    swapped: usize,
    /// Whether the term fits the word before as well as the written phrase does.
    left_fits: bool,
}

impl TermDetector {
    /// How the written token `t` fits the term word `k` of `term`, if it does.
    /// `id` is the token's lexicon id, if it has one.
    fn fit(ix: &TermIndex, term: &Term, k: usize, t: &Token, id: Option<WordId>) -> Option<Fit> {
        let same = match (id, term.ids[k]) {
            // Ids are one per lowercase word.
            (Some(a), Some(b)) => a == b,
            _ => t.text.eq_ignore_ascii_case(&term.words[k]),
        };
        if same {
            return Some(Fit::Same);
        }
        if !swappable(t.text) {
            return None;
        }
        let (want, id) = (term.ids[k]?, id?);
        // Thesaurus synonyms alone are no evidence (see the module doc).
        ix.attested.contains(&(id, want)).then_some(Fit::Swapped)
    }
}

/// Calls `f` with `w` in ASCII lowercase, without allocating for words of up to 32 bytes.
fn with_lower<T>(w: &str, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    let b = w.as_bytes();
    if !b.iter().any(u8::is_ascii_uppercase) {
        return f(w);
    }
    let mut buf = [0u8; 32];
    if b.len() > buf.len() {
        return f(&w.to_ascii_lowercase());
    }
    let low = &mut buf[..b.len()];
    low.copy_from_slice(b);
    low.make_ascii_lowercase();
    // Lowercasing ASCII bytes keeps UTF-8 valid.
    f(std::str::from_utf8(low).ok()?)
}

impl Detector for TermDetector {
    fn name(&self) -> &'static str {
        "terms"
    }

    fn detect(&self, doc: &Document, cx: &Context, sink: &mut Sink) {
        let ix = &*self.index;
        let Some(finder) = &ix.finder else {
            return;
        };
        let text = doc.text();
        // Every tortured form this rule repairs has a word an attested swap starts from:
        // find those words (one scan, word by word, as the dictionary pass does), then
        // tokenise only the text around them.
        let mut hits: Vec<(usize, u32)> = Vec::new();
        match cx.previous {
            None => finder.for_each_match(text, |s, _, id| hits.push((s, id as u32))),
            // On a later pass only the text around the last pass's edits can read
            // differently: scan just that (as far as a window reaches either way, merged
            // where they meet; the stretches start and end at whitespace, so words are
            // whole).
            Some(prev) => {
                let mut near: Vec<(usize, usize)> = Vec::with_capacity(prev.edits.len());
                let mut delta: isize = 0;
                for &(s, e, len) in &prev.edits {
                    let at = ((s as isize + delta).max(0) as usize).min(text.len());
                    let stretch = (
                        chunks_before(text, at, ix.longest + 1),
                        chunks_after(text, (at + len).min(text.len()), ix.longest + 1),
                    );
                    match near.last_mut() {
                        Some(last) if stretch.0 <= last.1 => last.1 = last.1.max(stretch.1),
                        _ => near.push(stretch),
                    }
                    delta += len as isize - (e - s) as isize;
                }
                for (s, e) in near {
                    finder.for_each_match(&text[s..e], |at, _, id| hits.push((s + at, id as u32)));
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        // Spans of the dictionaries' findings: theirs to repair.
        let taken = sink.phrase_spans();
        let mut found = Vec::new();
        let mut h = 0;
        while h < hits.len() {
            // A window of as many whitespace-separated chunks on each side of a hit as the
            // longest term has words (each chunk holds a token at least), cut at
            // whitespace so that its tokens are the text's; hits whose windows meet share
            // one.
            let reach = ix.longest;
            let ws = chunks_before(text, hits[h].0, reach);
            let mut we = chunks_after(text, hits[h].0, reach + 1);
            let mut j = h + 1;
            while j < hits.len() && hits[j].0 < we {
                we = chunks_after(text, hits[j].0, reach + 1);
                j += 1;
            }
            self.window(text, ws, we, &hits[h..j], &taken, &mut found);
            h = j;
        }
        for f in found {
            sink.push(f);
        }
    }
}

/// The start of the `n`th whitespace-separated chunk before the one at `at` (or of the
/// text).
fn chunks_before(text: &str, at: usize, n: usize) -> usize {
    let b = text.as_bytes();
    let mut i = at;
    for _ in 0..=n {
        // Back over the chunk, then over the whitespace before it.
        while i > 0 && !b[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if i == 0 {
            return 0;
        }
        let chunk_start = i;
        while i > 0 && b[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if i == 0 {
            return chunk_start;
        }
    }
    // `i` ends a chunk: go to its start.
    while i > 0 && !b[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i
}

/// The end of the `n`th whitespace-separated chunk from the one at `at` (or of the text).
fn chunks_after(text: &str, at: usize, n: usize) -> usize {
    let b = text.as_bytes();
    let mut i = at;
    for _ in 0..n {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
    }
    i
}

impl TermDetector {
    /// Finds the tortured forms in `text[ws..we]` that the `hits` (byte offset, swap word)
    /// may start.
    fn window(
        &self,
        text: &str,
        ws: usize,
        we: usize,
        hits: &[(usize, u32)],
        taken: &[(usize, usize)],
        found: &mut Vec<Finding>,
    ) {
        let ix = &*self.index;
        let lex = Lexicon::get();
        let toks: Vec<Token> = tokens(&text[ws..we])
            .map(|t| Token {
                start: t.start + ws,
                ..t
            })
            .collect();
        let mut starts: Vec<(usize, u32)> = Vec::new();
        for &(at, id) in hits {
            let Ok(i) = toks.binary_search_by_key(&at, |t| t.start) else {
                continue;
            };
            starts.extend(
                ix.swap_lists[id as usize]
                    .iter()
                    .filter(|&&(_, k)| i >= k as usize)
                    .map(|&(ti, k)| (i - k as usize, ti)),
            );
        }
        if starts.is_empty() {
            return;
        }
        starts.sort_unstable();
        starts.dedup();
        let overlaps = |s: usize, e: usize| {
            let i = taken.partition_point(|&(_, end)| end <= s);
            taken.get(i).is_some_and(|&(start, _)| start < e)
        };
        let lower = |k: usize| toks[k].text.to_ascii_lowercase();
        // Each word's lexicon id, looked up once.
        let ids: Vec<Option<WordId>> = toks
            .iter()
            .map(|t| {
                t.is_word
                    .then(|| with_lower(t.text, |w| lex.id(w)))
                    .flatten()
            })
            .collect();
        let word_id = |k: usize| ids.get(k).copied().flatten();
        let listed = |a: Option<WordId>, b: Option<WordId>| matches!((a, b), (Some(a), Some(b)) if lex.bigram(a, b).is_some());
        // Does a term written exactly cover token `k` without lying inside [s, e)?
        let in_exact_term = |k: usize, s: usize, e: usize| {
            (k.saturating_sub(MAX_WORDS - 1)..=k).any(|j| {
                toks[j].is_word
                    && with_lower(toks[j].text, |w| ix.by_first.get(w)).is_some_and(|list| {
                        list.iter().any(|&ti| {
                            let term = &ix.terms[ti as usize];
                            let n = term.words.len();
                            j + n > k
                                && j + n <= toks.len()
                                && !(j >= s && j + n <= e)
                                && (0..n).all(|m| {
                                    toks[j + m].is_word
                                        && toks[j + m].text.eq_ignore_ascii_case(&term.words[m])
                                })
                        })
                    })
            })
        };
        let mut free = 0;
        let mut c = 0;
        while c < starts.len() {
            let i = starts[c].0;
            let group_end = c + starts[c..].partition_point(|&(s, _)| s == i);
            let group = &starts[c..group_end];
            c = group_end;
            if i < free {
                continue;
            }
            let mut best: Vec<Match> = Vec::new();
            let mut best_len = 0;
            for &(_, ti) in group {
                let term = &ix.terms[ti as usize];
                let n = term.words.len();
                if n < best_len || i + n > toks.len() {
                    continue;
                }
                let mut swapped = 0;
                let ok = (0..n).all(|k| {
                    let tk = &toks[i + k];
                    // Words of one phrase: no punctuation between them, no blank line.
                    if !tk.is_word
                        || (k > 0 && text[toks[i + k - 1].end()..tk.start].contains("\n\n"))
                    {
                        return false;
                    }
                    match Self::fit(ix, term, k, tk, ids[i + k]) {
                        Some(Fit::Swapped) => {
                            swapped += 1;
                            true
                        }
                        Some(Fit::Same) => true,
                        None => false,
                    }
                });
                // No swap: the term as written (left alone below).
                if !ok || swapped == 0 {
                    continue;
                }
                // The written phrase goes on into the next word where the term would not
                // ("model plays a role" is not "standard errors a role"): no match.
                let next_id = word_id(i + n);
                if listed(word_id(i + n - 1), next_id) && !listed(term.ids[n - 1], next_id) {
                    continue;
                }
                let prev_id = i.checked_sub(1).and_then(word_id);
                let left_fits = !listed(prev_id, word_id(i)) || listed(prev_id, term.ids[0]);
                if n > best_len {
                    best.clear();
                    best_len = n;
                }
                best.push(Match {
                    term: ti,
                    swapped,
                    left_fits,
                });
            }
            if best.is_empty() {
                continue;
            }
            let n = best_len;
            let (start, end) = (toks[i].start, toks[i + n - 1].end());
            let written: Vec<String> = (0..n).map(|k| lower(i + k)).collect();
            let written: Vec<&str> = written.iter().map(String::as_str).collect();
            // A phrase that is a term, or that shares words with a term written exactly
            // ("heart failure plays"), or that a dictionary finding covers, is left alone.
            if ix.known.contains(&written.join(" "))
                || overlaps(start, end)
                || (i..i + n).any(|k| in_exact_term(k, i, i + n))
            {
                continue;
            }
            found.push(finding(
                lex,
                ix,
                &text[start..end],
                start,
                (&written, &ids[i..i + n]),
                best,
            ));
            free = i + n;
        }
    }
}

fn finding(
    lex: &Lexicon,
    ix: &TermIndex,
    matched: &str,
    start: usize,
    (written, ids): (&[&str], &[Option<WordId>]),
    mut fits: Vec<Match>,
) -> Finding {
    // Fewest swapped words first: the reading that explains the most words as written.
    fits.sort_by_key(|m| (m.swapped, m.term));
    let swapped = fits[0].swapped;
    fits.retain(|m| m.swapped == swapped);
    let n = written.len();
    let listed_pairs: Vec<String> = ids
        .windows(2)
        .zip(written.windows(2))
        .filter(|(p, _)| matches!(p, [Some(a), Some(b)] if lex.bigram(*a, *b).is_some()))
        .map(|(_, w)| w.join(" "))
        .collect();
    let term = &ix.terms[fits[0].term as usize];
    let clear = fits.len() == 1;
    let left_fits = fits[0].left_fits;
    // One swapped word is too little ("free variable" and "signal handling" are English
    // too) unless the written word is a rare one standing for a far commoner word
    // ("random timberland", "artificial brainpower").
    let rare_swap = (0..n).any(|k| {
        matches!((ids[k], term.ids[k]), (Some(w), Some(t)) if w != t
            && lex.unigram(w) < RARE_WORD
            && lex.unigram(t) - lex.unigram(w) >= RARER_BY)
    });
    let enough = swapped >= 2 || rare_swap;
    let safe = clear && enough && listed_pairs.is_empty() && left_fits;
    let span = Span::new(start, start + matched.len());
    let cands: Vec<String> = fits
        .iter()
        .map(|m| copy_case(matched, &ix.terms[m.term as usize].display))
        .collect();
    let swaps = (0..n)
        .filter(|&k| written[k] != term.words[k])
        .map(|k| format!("{} → {} (a known swap)", written[k], term.words[k]))
        .collect::<Vec<_>>()
        .join("; ");
    let gate = if safe {
        format!(
            "{swapped} of {n} words swapped, each a known swap; one term fits; \
             no pair of the written phrase is ordinary English: safe"
        )
    } else if !clear {
        format!("{} terms fit equally well: a suggestion", fits.len())
    } else if !enough {
        format!(
            "only one word swapped, and not a rare word (log10 P < {RARE_WORD}) for one \
             {RARER_BY} commoner: a suggestion"
        )
    } else if !left_fits {
        "the written phrase fits the word before it and the term does not: a suggestion".to_string()
    } else {
        format!(
            "the language model lists \"{}\" as ordinary English: a suggestion",
            listed_pairs.join("\", \"")
        )
    };
    let message = format!(
        "\"{matched}\" reads as a tortured form of the established term \"{}\"",
        term.display
    );
    let (confidence, declared) = if safe {
        (0.9, Applicability::Safe)
    } else {
        (0.7, Applicability::Review)
    };
    Finding::new(&UNLISTED_TORTURED, span, message)
        .with_confidence(confidence)
        .with_evidence(
            Evidence::with_capacity(3)
                .with("term", term.display.clone())
                .with("swaps", swaps)
                .with("gate", gate),
        )
        .with_candidates(cands.clone())
        .with_fix(vec![Edit::new(span, cands[0].clone())], declared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn engine() -> Engine {
        Engine::builder().terms(true).build().unwrap()
    }

    /// The S002 findings of a run: (written, suggestion, applicability).
    fn s002(text: &str) -> Vec<(String, String, Applicability)> {
        crate::test_rule_findings(&engine(), "S002", text)
    }

    /// Findings of a detector over `terms` whose swaps `swaps` attests, on `text`.
    fn custom(terms: &[&str], swaps: &[(&str, &str)], text: &str) -> Vec<Finding> {
        let lex = Lexicon::get();
        let ix = TermIndex::from_terms(lex, terms.iter().copied(), swaps.iter().copied());
        let det = TermDetector::new(Arc::new(ix));
        let doc = Document::new(text);
        let mut sink = Sink::default();
        det.detect(&doc, &Context::default(), &mut sink);
        sink.findings
    }

    #[test]
    fn two_attested_swaps_no_entry_lists_together_are_a_safe_repair() {
        // The tortured dictionary swaps "anomaly" to "inconsistency" and "detection" to
        // "discovery" in different entries; no entry has this phrase.
        let text = "We apply inconsistency discovery to the vibration logs of each turbine.";
        assert_eq!(
            s002(text),
            vec![(
                "inconsistency discovery".to_string(),
                "anomaly detection".to_string(),
                Applicability::Safe
            )]
        );
        let out = engine().clean_text(text, None);
        assert_eq!(
            out.cleaned,
            "We apply anomaly detection to the vibration logs of each turbine."
        );
    }

    #[test]
    fn the_swap_list_widens_the_channel() {
        // "proliferation" for propagation and "postponement" for delay come from
        // tortured-swaps.txt alone, not from any tortured-phrase entry.
        let text = "The proliferation postponement grows with the length of the cable.";
        assert_eq!(
            s002(text),
            vec![(
                "proliferation postponement".to_string(),
                "propagation delay".to_string(),
                Applicability::Safe
            )]
        );
        let set = DictionarySet::builtin().unwrap();
        let lex = Lexicon::get();
        let only_dicts = TermIndex::from_terms(
            lex,
            ["propagation delay"].into_iter(),
            set.repairs(Kind::Tortured),
        );
        let (w, o) = (
            lex.id("proliferation").unwrap(),
            lex.id("propagation").unwrap(),
        );
        assert!(!only_dicts.attested.contains(&(w, o)));
    }

    #[test]
    fn capitals_are_copied_and_a_term_as_written_is_left_alone() {
        let found = s002("Inconsistency Discovery in Turbine Logs");
        assert_eq!(found[0].1, "Anomaly Detection");
        assert!(
            s002("We apply anomaly detection to the vibration logs of each turbine.").is_empty()
        );
    }

    #[test]
    fn one_swapped_word_is_only_a_suggestion() {
        let found = s002("We apply anomaly discovery to the vibration logs of each turbine.");
        assert_eq!(
            found,
            vec![(
                "anomaly discovery".to_string(),
                "anomaly detection".to_string(),
                Applicability::Review
            )]
        );
    }

    #[test]
    fn one_rare_word_for_a_far_commoner_one_is_enough() {
        let terms = ["random forest", "independent variable"];
        let swaps = [
            ("irregular timberland", "random forest"),
            ("free factor", "independent variable"),
        ];
        // "timberland" is rare and "forest" far commoner: a safe repair.
        let f = custom(&terms, &swaps, "We fit a random timberland to the scores.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].suggestion(), Some("random forest"));
        assert_eq!(f[0].applicability, Applicability::Safe);
        // "free" is a common word: only a suggestion.
        let f = custom(&terms, &swaps, "Each free variable is bound later.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].applicability, Applicability::Review);
    }

    #[test]
    fn a_phrase_that_runs_on_into_the_next_word_is_not_a_term() {
        // "plays a" is listed and "errors a" is not: the written words belong to the
        // sentence, not to a term.
        let terms = ["standard errors"];
        let swaps = [("model plays", "standard errors")];
        assert!(custom(&terms, &swaps, "The model plays a central role.").is_empty());
        let f = custom(&terms, &swaps, "We report model plays.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].suggestion(), Some("standard errors"));
    }

    #[test]
    fn thesaurus_synonyms_alone_are_not_evidence() {
        // "received" and "data" are thesaurus synonyms of "standard" and "error", but no
        // dictionary makes those swaps.
        assert!(custom(&["standard error"], &[], "The received data was logged.").is_empty());
    }

    #[test]
    fn acronyms_and_numbers_are_matched_only_as_written() {
        assert!(!swappable("IEEE"));
        assert!(!swappable("4G"));
        assert!(swappable("Concealed"));
        assert!(!swappable("iPhone"));
        let terms = ["hidden layer"];
        let swaps = [("concealed stratum", "hidden layer")];
        assert!(custom(&terms, &swaps, "A CONCEALED STRATUM here.").is_empty());
        assert_eq!(custom(&terms, &swaps, "A concealed stratum here.").len(), 1);
    }

    #[test]
    fn a_term_also_stands_in_the_plural() {
        let lex = Lexicon::get();
        let ix = TermIndex::from_terms(lex, ["hidden layer"].into_iter(), std::iter::empty());
        assert!(ix.known.contains("hidden layers"));
        assert_eq!(ix.len(), 2);
        assert_eq!(plural(lex, "body").as_deref(), Some("bodies"));
        assert_eq!(plural(lex, "switch").as_deref(), Some("switches"));
        assert_eq!(plural(lex, "bias"), None);
    }

    #[test]
    fn phrases_do_not_cross_punctuation_or_paragraphs() {
        let terms = ["hidden layer"];
        let swaps = [("concealed stratum", "hidden layer")];
        assert!(custom(&terms, &swaps, "It was concealed, stratum by stratum.").is_empty());
        assert!(custom(&terms, &swaps, "It was concealed\n\nStratum two.").is_empty());
        assert_eq!(
            custom(&terms, &swaps, "It was concealed\nstratum two.").len(),
            1
        );
    }

    #[test]
    fn later_passes_scanning_around_edits_change_nothing() {
        use crate::detector::Whole;
        use crate::resolver::Resolver;
        let set = Arc::new(DictionarySet::builtin().unwrap());
        let dict = crate::detectors::DictionaryDetector::new(Arc::clone(&set));
        let typo = crate::detectors::Typography::new();
        let terms = TermDetector::new(Arc::new(TermIndex::new(Lexicon::get(), &set)));
        let enc = crate::detectors::EncodingDamage;
        // The second form reads as one only once E002 has removed the zero-width space:
        // a later pass must find it.
        let tortured = "We apply inconsistency discovery , then fit a typical appropriation \
                        to the navy help logs .\n\nThe power productivity   rose after \
                        incon\u{200b}sistency discovery.\n";
        let mut seen = 0;
        for seed in ["000", "003", "004"] {
            let base = crate::test_seed(seed);
            // Tortured forms before, between and after the seed's own damage.
            let (head, tail) = base.split_at(base.len() / 2);
            let tail = &tail[tail.find(' ').unwrap_or(0)..];
            let text = format!("{tortured}{head}\n\n{tortured}{tail}\n\n{tortured}");
            for apply in [Applicability::Safe, Applicability::Review] {
                let r = Resolver {
                    apply,
                    ..Resolver::default()
                };
                let a = r.resolve(text.as_str().into(), &[&enc, &typo, &dict, &terms], None);
                let b = r.resolve(
                    text.as_str().into(),
                    &[&enc, &typo, &dict, &Whole(&terms)],
                    None,
                );
                assert_eq!(a.cleaned, b.cleaned);
                assert_eq!(
                    serde_json::to_string(&a.findings).unwrap(),
                    serde_json::to_string(&b.findings).unwrap()
                );
                assert_eq!(a.cleaned.matches("anomaly detection").count(), 6);
                seen += usize::from(a.passes > 1);
            }
        }
        assert!(seen >= 3, "{seen}");
    }

    #[test]
    fn the_built_in_swap_list_is_well_formed() {
        let mut seen = HashSet::default();
        for (n, line) in data_lines(SWAPS) {
            let at = format!("tortured-swaps.txt line {n}: {line:?}");
            let (w, o) = line.split_once('\t').expect(&at);
            for side in [w, o] {
                assert!(
                    !side.is_empty()
                        && side.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                        && !side.starts_with('-')
                        && !side.ends_with('-'),
                    "{at}"
                );
            }
            assert_ne!(w, o, "{at}");
            assert!(seen.insert((w, o)), "{at} twice");
        }
        assert_eq!(swap_lines(SWAPS).count(), seen.len());
    }

    #[test]
    fn the_built_in_term_list_is_well_formed() {
        let mut seen = HashSet::default();
        for (n, line) in data_lines(TERMS) {
            let at = format!("terms.txt line {n}: {line:?}");
            let words: Vec<&str> = line.split(' ').collect();
            assert!(
                (2..=MAX_WORDS).contains(&words.len()) && words.iter().all(|w| !w.is_empty()),
                "{at}"
            );
            assert!(
                line.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"' -".contains(&b)),
                "{at}"
            );
            assert!(seen.insert(line.to_ascii_lowercase()), "{at} twice");
        }
        assert!(seen.len() > 1000, "{} terms", seen.len());
    }
}
