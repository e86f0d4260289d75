//! Sentence alignment between an input and a reference, and the word-level deviations of
//! each aligned pair.
//!
//! 1. Both texts are split into sentences (byte spans).
//! 2. Sentences are compared by weighted content-word overlap; names and numbers — the
//!    words spinners and translators leave alone — weigh more, so they anchor the
//!    alignment.
//! 3. A monotone dynamic programme pairs sentences 1:1, 1:2 or 2:1, leaving gaps for added
//!    or dropped sentences.
//! 4. Each aligned pair is diffed by words (`similar`, with a deadline) and every changed
//!    stretch is classified ([`Deviation`]).

use crate::FastMap as HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use crate::document::{tokens, Span, Token};

/// Sentences of a pair need at least this similarity to be aligned.
pub const MIN_PAIR_SIMILARITY: f64 = 0.3;
/// Alignment is skipped (reported) above this many sentence-pair cells.
pub const MAX_CELLS: usize = 4_000_000;
/// Up to this many sentence pairs, similarities are looked up in a dense matrix.
const DENSE_CELLS: usize = 1_000_000;
/// A pair needs at least this word ratio for its word swaps to count as substitutions.
pub const MIN_SUBSTITUTION_RATIO: f64 = 0.6;
/// Word diff deadline per sentence pair.
pub const DIFF_DEADLINE: Duration = Duration::from_millis(50);

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep",
    "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k",
];

/// Splits `text` into sentence spans (trimmed): at line breaks, and after `.`, `!` or `?`
/// (plus closing quotes and brackets) followed by a space and an uppercase letter, digit
/// or opening quote — except after common abbreviations and single initials.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Span>, s: usize, e: usize| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if lead + trail < seg.len() {
            out.push(Span::new(s + lead, e - trail));
        }
    };
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let mut start = line_start;
        let bytes = line.as_bytes();
        // Sentence ends are ASCII, so they are found byte-wise; what follows is decoded.
        let mut from = 0;
        while let Some(off) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) {
            let i = from + off;
            let mut j = i + 1;
            while let Some(ch) = line[j..].chars().next() {
                if !matches!(
                    ch,
                    '"' | '\u{201D}' | '\u{2019}' | '\'' | ')' | ']' | '.' | '!' | '?'
                ) {
                    break;
                }
                j += ch.len_utf8();
            }
            let mut rest = line[j..].chars();
            let space = rest.next() == Some(' ');
            let starts = rest.next().is_some_and(|n| {
                n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '\u{201C}' | '\u{2018}')
            });
            if space && starts && !(bytes[i] == b'.' && is_abbreviation(&line[..i])) {
                let end = if j < line.len() {
                    line_start + j
                } else {
                    line_end
                };
                push(&mut out, start, end);
                start = end;
            }
            from = j;
        }
        push(&mut out, start, line_end);
        line_start = line_end;
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let w: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let lw = w.to_lowercase();
    (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
        || ABBREVIATIONS.contains(&lw.as_str())
}

/// A sentence's words and their weights.
#[derive(Debug, Clone, Default)]
struct Bag {
    weights: HashMap<String, f64>,
    total: f64,
}

const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from",
    "that", "this", "is", "was", "are", "were", "be", "been", "it", "its", "as", "his", "her",
    "their", "he", "she", "they", "which", "who", "has", "have", "had", "not", "but", "also",
    "will", "would", "may", "might", "can", "could", "than", "into", "about", "s",
];

fn is_stop(w: &str) -> bool {
    // The words of `STOP`, as a match (it runs for every word of every sentence).
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "for"
            | "by"
            | "with"
            | "from"
            | "that"
            | "this"
            | "is"
            | "was"
            | "are"
            | "were"
            | "be"
            | "been"
            | "it"
            | "its"
            | "as"
            | "his"
            | "her"
            | "their"
            | "he"
            | "she"
            | "they"
            | "which"
            | "who"
            | "has"
            | "have"
            | "had"
            | "not"
            | "but"
            | "also"
            | "will"
            | "would"
            | "may"
            | "might"
            | "can"
            | "could"
            | "than"
            | "into"
            | "about"
            | "s"
    )
}

fn norm_word(w: &str) -> String {
    w.to_lowercase().replace('\u{2019}', "'")
}

fn bag(text: &str) -> Bag {
    let mut b = Bag::default();
    for t in tokens(text).filter(|t| t.is_word) {
        let mut lw = if t.text.is_ascii() {
            t.text.to_ascii_lowercase()
        } else {
            norm_word(t.text)
        };
        if lw.ends_with("'s") {
            lw.truncate(lw.len() - 2);
        }
        if is_stop(&lw) {
            continue;
        }
        let anchor = t
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let w = if anchor { 2.0 } else { 1.0 };
        let e = b.weights.entry(lw).or_insert(0.0);
        if *e < w {
            b.total += w - *e;
            *e = w;
        }
    }
    b
}

/// Weighted Dice similarity of two bags.
fn similarity(a: &Bag, b: &Bag) -> f64 {
    if a.total == 0.0 || b.total == 0.0 {
        return 0.0;
    }
    let (small, large) = if a.weights.len() <= b.weights.len() {
        (a, b)
    } else {
        (b, a)
    };
    let shared: f64 = small
        .weights
        .iter()
        .filter_map(|(w, x)| large.weights.get(w).map(|y| x.min(*y)))
        .sum();
    2.0 * shared / (a.total + b.total)
}

/// The similarity of `a` and `b` taken together (each word at its larger weight) with
/// `c`: what `similarity` gives for the merged bag, without building it.
fn merged_similarity(a: &Bag, b: &Bag, c: &Bag) -> f64 {
    let get = |bag: &Bag, w: &str| bag.weights.get(w).copied();
    let total = a.total
        + b.weights
            .iter()
            .map(|(w, x)| (x - get(a, w).unwrap_or(0.0)).max(0.0))
            .sum::<f64>();
    if total == 0.0 || c.total == 0.0 {
        return 0.0;
    }
    let shared: f64 = c
        .weights
        .iter()
        .filter_map(|(w, y)| {
            let x = match (get(a, w), get(b, w)) {
                (Some(p), Some(q)) => p.max(q),
                (Some(p), None) | (None, Some(p)) => p,
                (None, None) => return None,
            };
            Some(x.min(*y))
        })
        .sum();
    2.0 * shared / (total + c.total)
}

/// Can `merged_similarity(a, b, c)` pass the test a 2:1 or 1:2 group must pass (at least
/// [`MIN_PAIR_SIMILARITY`] and 0.1 above both single pairs), given `ac = similarity(a, c)`
/// and `bc = similarity(b, c)`? A word's merged weight is at most the sum of its weights in
/// `a` and `b`, so the shared weight is at most the two single pairs' shared weights
/// together, and the merged total is at least the larger of the two totals: an upper
/// bound, read off the similarities already known, that skips the map walks of
/// `merged_similarity` for most cells. (Slack of 1e-9 for rounding: when in doubt, compute.)
fn merged_may_win(a: &Bag, b: &Bag, c: &Bag, ac: f64, bc: f64) -> bool {
    let shared = ac * (a.total + c.total) / 2.0 + bc * (b.total + c.total) / 2.0;
    let total = a.total.max(b.total) + c.total;
    if total == 0.0 {
        return true;
    }
    let bound = 2.0 * shared / total + 1e-9;
    bound >= MIN_PAIR_SIMILARITY && bound > ac.max(bc) + 0.1
}

/// One aligned group: input sentences ↔ reference sentences.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// Byte span in the input covering the aligned input sentences.
    pub input: Span,
    /// Byte span in the reference.
    pub reference: Span,
    /// `1:1`, `1:2` or `2:1`.
    pub shape: &'static str,
    pub similarity: f64,
}

/// The alignment of an input with one reference.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Alignment {
    pub pairs: Vec<Pair>,
    /// Input sentences with no counterpart, inside the aligned region.
    pub added: Vec<Span>,
    /// Reference sentences with no counterpart, inside the aligned region.
    pub omitted: Vec<Span>,
    /// Set when the texts were too long to align.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// Aligns `input` with `reference` sentence by sentence.
pub fn align(input: &str, reference: &str) -> Alignment {
    align_prepared(input, &Prepared::new(reference))
}

/// What aligning with a reference needs of the reference alone — its sentences, their
/// word bags and which sentences hold each word — computed once per reference (see
/// `Reference::prepared`) instead of on every pass over every input.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    spans: Vec<Span>,
    bags: Vec<Bag>,
    /// Word → the sentences whose bags hold it, in order.
    post: HashMap<String, Vec<usize>>,
}

impl Prepared {
    pub fn new(reference: &str) -> Self {
        let spans = sentences(reference);
        let bags: Vec<Bag> = spans.iter().map(|s| bag(&reference[s.range()])).collect();
        let mut post: HashMap<String, Vec<usize>> = HashMap::default();
        for (j, b) in bags.iter().enumerate() {
            for w in b.weights.keys() {
                post.entry(w.clone()).or_default().push(j);
            }
        }
        Prepared { spans, bags, post }
    }
}

/// [`align`] with the reference's part prepared.
pub fn align_prepared(input: &str, prep: &Prepared) -> Alignment {
    align_memo(input, prep, None).0
}

/// An input sentence's word bag and its similarities with the reference's sentences (those
/// above zero, by reference sentence): pure functions of the sentence's text and the
/// reference.
#[derive(Debug, Default)]
pub struct Measured {
    bag: Bag,
    row: Vec<(usize, f64)>,
}

/// The sentences of one pass measured against one reference, by their text: the next pass
/// over the repaired text meets most of them again and need not measure them twice.
#[derive(Debug, Default, Clone)]
pub struct Memo(HashMap<Box<str>, std::sync::Arc<Measured>>);

/// [`align_prepared`], taking the sentences `before` already measured from it, and
/// returning this input's sentences measured for the next pass.
pub fn align_memo(input: &str, prep: &Prepared, before: Option<&Memo>) -> (Alignment, Memo) {
    let is = sentences(input);
    let rs = &prep.spans;
    let (n, m) = (is.len(), rs.len());
    if n == 0 || m == 0 {
        return (Alignment::default(), Memo::default());
    }
    if n.saturating_mul(m) > MAX_CELLS {
        return (
            Alignment {
                skipped: Some(format!("{n} × {m} sentences is too many to align")),
                ..Alignment::default()
            },
            Memo::default(),
        );
    }
    let rb = &prep.bags;
    let post = &prep.post;
    let mut memo = Memo(HashMap::with_capacity_and_hasher(n, Default::default()));
    let measured: Vec<std::sync::Arc<Measured>> = is
        .iter()
        .map(|s| {
            let text = &input[s.range()];
            if let Some(m) = memo.0.get(text) {
                return std::sync::Arc::clone(m);
            }
            let m = match before.and_then(|b| b.0.get(text)) {
                Some(m) => std::sync::Arc::clone(m),
                None => {
                    let b = bag(text);
                    // Sparse candidate pairs through shared words, so the expensive
                    // similarity is computed only where sentences share something.
                    let mut cand: Vec<usize> = b
                        .weights
                        .keys()
                        .filter_map(|w| post.get(w.as_str()))
                        .flatten()
                        .copied()
                        .collect();
                    cand.sort_unstable();
                    cand.dedup();
                    let row = cand
                        .into_iter()
                        .filter_map(|j| {
                            let s = similarity(&b, &rb[j]);
                            (s > 0.0).then_some((j, s))
                        })
                        .collect();
                    std::sync::Arc::new(Measured { bag: b, row })
                }
            };
            memo.0.insert(text.into(), std::sync::Arc::clone(&m));
            m
        })
        .collect();
    let ib: Vec<&Bag> = measured.iter().map(|m| &m.bag).collect();
    // The table below reads each pair's similarity several times: from a dense matrix
    // when it is small enough (8 MB), else from the sparse rows.
    let dense: Option<Vec<f64>> = (n * m <= DENSE_CELLS).then(|| {
        let mut d = vec![0.0f64; n * m];
        for (i, me) in measured.iter().enumerate() {
            for &(j, s) in &me.row {
                d[i * m + j] = s;
            }
        }
        d
    });
    let s11 = |i: usize, j: usize| match &dense {
        Some(d) => d[i * m + j],
        None => {
            let row = &measured[i].row;
            row.binary_search_by_key(&j, |r| r.0)
                .map_or(0.0, |k| row[k].1)
        }
    };

    // dp[i][j]: best score aligning the first i input and j reference sentences.
    let w = m + 1;
    let mut dp = vec![0.0f64; (n + 1) * w];
    let mut back = vec![0u8; (n + 1) * w]; // 0 none, 1 skip input, 2 skip ref, 3 1:1, 4 2:1, 5 1:2
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::NEG_INFINITY;
            let mut how = 0u8;
            let mut consider = |v: f64, h: u8| {
                if v > best {
                    best = v;
                    how = h;
                }
            };
            if i > 0 {
                consider(dp[(i - 1) * w + j], 1);
            }
            if j > 0 {
                consider(dp[i * w + j - 1], 2);
            }
            if i > 0 && j > 0 {
                let s = s11(i - 1, j - 1);
                if s >= MIN_PAIR_SIMILARITY {
                    consider(dp[(i - 1) * w + j - 1] + s, 3);
                }
                if i > 1
                    && (s > 0.0 || s11(i - 2, j - 1) > 0.0)
                    && merged_may_win(ib[i - 2], ib[i - 1], &rb[j - 1], s11(i - 2, j - 1), s)
                {
                    let s = merged_similarity(ib[i - 2], ib[i - 1], &rb[j - 1]);
                    if s >= MIN_PAIR_SIMILARITY
                        && s > s11(i - 1, j - 1).max(s11(i - 2, j - 1)) + 0.1
                    {
                        consider(dp[(i - 2) * w + j - 1] + s * 1.5, 4);
                    }
                }
                if j > 1
                    && (s > 0.0 || s11(i - 1, j - 2) > 0.0)
                    && merged_may_win(&rb[j - 2], &rb[j - 1], ib[i - 1], s11(i - 1, j - 2), s)
                {
                    let s = merged_similarity(&rb[j - 2], &rb[j - 1], ib[i - 1]);
                    if s >= MIN_PAIR_SIMILARITY
                        && s > s11(i - 1, j - 1).max(s11(i - 1, j - 2)) + 0.1
                    {
                        consider(dp[(i - 1) * w + j - 2] + s * 1.5, 5);
                    }
                }
            }
            dp[i * w + j] = best;
            back[i * w + j] = how;
        }
    }
    let (mut i, mut j) = (n, m);
    let mut pairs = Vec::new();
    let mut in_matched = vec![false; n];
    let mut ref_matched = vec![false; m];
    while i > 0 || j > 0 {
        match back[i * w + j] {
            1 => i -= 1,
            2 => j -= 1,
            3 => {
                pairs.push(Pair {
                    input: is[i - 1],
                    reference: rs[j - 1],
                    shape: "1:1",
                    similarity: round3(s11(i - 1, j - 1)),
                });
                in_matched[i - 1] = true;
                ref_matched[j - 1] = true;
                i -= 1;
                j -= 1;
            }
            4 => {
                let s = merged_similarity(ib[i - 2], ib[i - 1], &rb[j - 1]);
                pairs.push(Pair {
                    input: Span::new(is[i - 2].start, is[i - 1].end),
                    reference: rs[j - 1],
                    shape: "2:1",
                    similarity: round3(s),
                });
                in_matched[i - 1] = true;
                in_matched[i - 2] = true;
                ref_matched[j - 1] = true;
                i -= 2;
                j -= 1;
            }
            5 => {
                let s = merged_similarity(&rb[j - 2], &rb[j - 1], ib[i - 1]);
                pairs.push(Pair {
                    input: is[i - 1],
                    reference: Span::new(rs[j - 2].start, rs[j - 1].end),
                    shape: "1:2",
                    similarity: round3(s),
                });
                in_matched[i - 1] = true;
                ref_matched[j - 1] = true;
                ref_matched[j - 2] = true;
                i -= 1;
                j -= 2;
            }
            _ => break,
        }
    }
    pairs.reverse();
    let mut a = Alignment {
        pairs,
        ..Alignment::default()
    };
    if let (Some(first), Some(last)) = (a.pairs.first(), a.pairs.last()) {
        let (fi, li) = (first.input.start, last.input.end);
        let (fr, lr) = (first.reference.start, last.reference.end);
        a.added = is
            .iter()
            .zip(&in_matched)
            .filter(|(s, m)| !**m && s.start > fi && s.end < li)
            .map(|(s, _)| *s)
            .collect();
        a.omitted = rs
            .iter()
            .zip(&ref_matched)
            .filter(|(s, m)| !**m && s.start > fr && s.end < lr)
            .map(|(s, _)| *s)
            .collect();
    }
    (a, memo)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The class of a word-level difference inside an aligned pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviationClass {
    /// A common word or short phrase swapped for a synonym in an otherwise matching sentence.
    SpinSubstitution,
    /// A source name rendered as a common noun phrase.
    MistranslatedName,
    /// A different name or proper adjective than the source's.
    WrongEntity,
    /// A number or date that differs from the source's.
    NumberMismatch,
    /// Quoted words that differ from the source's quote.
    Misquote,
}

/// One classified difference, with input and reference byte spans.
#[derive(Debug, Clone, Serialize)]
pub struct Deviation {
    pub class: DeviationClass,
    pub input: Span,
    pub reference: Span,
    /// The word ratio of the whole aligned pair (1.0: identical words).
    pub pair_ratio: f64,
}

/// Normalised form of a token for diffing: lowercase, apostrophes, quotes and dashes
/// unified.
fn diff_key(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_number(t: &str) -> bool {
    t.chars().any(|c| c.is_ascii_digit())
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Does the capitalised token at `start` stand in the middle of a sentence (not after a
/// sentence break, an opening quote, a bracket or a colon)?
fn mid_sentence(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\u{a0}']);
    !before.is_empty()
        && !before.ends_with([
            '.', '!', '?', '\n', '"', '\u{201C}', '\u{2018}', '(', ':', '[', '\u{2014}',
            '\u{2013}', '-',
        ])
}

/// A word without a possessive ending ("Vucic’s" → "Vucic").
fn base(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w)
}

/// Words a text itself uses as names: capitalised in the middle of a sentence (a word
/// capitalised only at sentence starts is an ordinary word). Possessive endings are
/// dropped.
pub fn names_of(text: &str) -> std::collections::HashSet<String> {
    tokens(text)
        .filter(|t| t.is_word && t.text.chars().next().is_some_and(char::is_uppercase))
        .filter(|t| mid_sentence(text, t.start))
        .map(|t| base(t.text).to_string())
        .collect()
}

/// Is `tok` a proper noun or proper adjective in `text`? It is capitalised and stands
/// mid-sentence, or the text uses it as a name elsewhere (see [`names_of`]).
fn is_proper(tok: &Token, text: &str, names: &std::collections::HashSet<String>) -> bool {
    tok.text.chars().next().is_some_and(char::is_uppercase)
        && (mid_sentence(text, tok.start) || names.contains(base(tok.text)))
}

/// Quote spans (inner text) in `text[span]`, with whether each was closed explicitly:
/// “…” pairs, or "…" pairs. An opening quote followed by another opening quote is taken to
/// end there (its closing mark was lost), and is marked implicit.
fn quotes(text: &str, span: Span) -> Vec<(Span, bool)> {
    let s = &text[span.range()];
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut straight_open: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match c {
            '\u{201C}' => {
                // A new opening quote while one is open: the translator dropped the
                // closing mark, so the open quote ends here.
                if let Some(o) = open {
                    out.push((Span::new(span.start + o, span.start + i), false));
                }
                open = Some(i + c.len_utf8());
            }
            '\u{201D}' => {
                if let Some(o) = open.take() {
                    out.push((Span::new(span.start + o, span.start + i), true));
                }
            }
            '"' => match straight_open.take() {
                Some(o) => out.push((Span::new(span.start + o, span.start + i), true)),
                None => straight_open = Some(i + 1),
            },
            _ => {}
        }
    }
    // Trim the inner spaces so a repair keeps the quote marks tight.
    out.iter()
        .filter_map(|&(q, explicit)| {
            let inner = &text[q.range()];
            let lead = inner.len() - inner.trim_start().len();
            let t = inner.trim();
            (!t.is_empty()).then(|| {
                (
                    Span::new(q.start + lead, q.start + lead + t.len()),
                    explicit,
                )
            })
        })
        .collect()
}

const PRONOUNS: &[&str] = &[
    "it",
    "itself",
    "he",
    "she",
    "him",
    "her",
    "they",
    "them",
    "himself",
    "herself",
    "themselves",
    "we",
    "us",
    "you",
    "this",
    "that",
    "these",
    "those",
    "who",
    "which",
    "one",
];

/// Demonyms and proper adjectives (Russian, Serbian, Chinese, Polish, Israeli).
fn is_demonym(w: &str) -> bool {
    let l = w.to_lowercase();
    ["ian", "an", "ese", "ish", "i"]
        .iter()
        .any(|s| l.ends_with(s))
        && l.len() > 4
}

/// Are two names forms of one stem (China's / Chinese, Russia / Russian)? A common prefix
/// of at least four letters covering 60 % of the shorter word.
fn same_stem(a: &str, b: &str) -> bool {
    let norm = |w: &str| {
        let w = w.to_lowercase().replace('\u{2019}', "'");
        w.strip_suffix("'s").map(str::to_string).unwrap_or(w)
    };
    let (a, b) = (norm(a), norm(b));
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 4.min(shorter) && common * 5 >= shorter * 3
}

/// Levenshtein distance over chars, for telling spelling variants from substitutions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1)
                .min(cur[j] + 1)
                .min(prev[j] + usize::from(ca != *cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Names used by the input and the reference (see [`names_of`]), computed once per text.
pub struct Names<'a> {
    pub input: &'a std::collections::HashSet<String>,
    pub reference: &'a std::collections::HashSet<String>,
}

/// Classifies the differences between an aligned input span and reference span.
pub fn deviations(
    input: &str,
    ispan: Span,
    reference: &str,
    rspan: Span,
    names: &Names,
) -> Vec<Deviation> {
    // Identical sentences differ nowhere (whatever either text takes for a name, a word
    // that is the same on both sides is never reported; tested against the full walk).
    if input[ispan.range()] == reference[rspan.range()] {
        return Vec::new();
    }
    compare(input, ispan, reference, rspan, names)
}

/// [`deviations`] without the shortcut for identical sentences.
fn compare(
    input: &str,
    ispan: Span,
    reference: &str,
    rspan: Span,
    names: &Names,
) -> Vec<Deviation> {
    let it: Vec<Token> = tokens(&input[ispan.range()])
        .map(|t| Token {
            start: t.start + ispan.start,
            ..t
        })
        .collect();
    let rt: Vec<Token> = tokens(&reference[rspan.range()])
        .map(|t| Token {
            start: t.start + rspan.start,
            ..t
        })
        .collect();
    // The diff compares tokens by their keys; it is run on small ids standing for the keys
    // (equal ids for equal keys, so the same diff), which hash and compare faster.
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut id = |t: &Token| -> u32 {
        let n = ids.len() as u32;
        *ids.entry(diff_key(t.text)).or_insert(n)
    };
    let ik: Vec<u32> = it.iter().map(&mut id).collect();
    let rk: Vec<u32> = rt.iter().map(&mut id).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Patience,
        &ik,
        &rk,
        Some(Instant::now() + DIFF_DEADLINE),
    );
    let equal: usize = ops
        .iter()
        .map(|o| match o {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    let ratio = round3(2.0 * equal as f64 / (ik.len() + rk.len()).max(1) as f64);
    let iq = quotes(input, ispan);
    let rq: Vec<Span> = quotes(reference, rspan).into_iter().map(|q| q.0).collect();
    // Words inside explicit quotes, and inside quotes reported as misquotes, are judged as
    // a whole quote, not word by word.
    let mut quoted: Vec<Span> = iq.iter().filter(|q| q.1).map(|q| q.0).collect();
    let mut out = Vec::new();

    // Misquotes: each input quote against its most similar reference quote.
    for (q, _) in &iq {
        let qb = bag(&input[q.range()]);
        let best = rq
            .iter()
            .map(|r| (similarity(&qb, &bag(&reference[r.range()])), *r))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((s, r)) = best {
            let a = input[q.range()].trim_end_matches(['.', ',', ' ']);
            let b = reference[r.range()].trim_end_matches(['.', ',', ' ']);
            if s >= 0.5 && diff_key(a) != diff_key(b) {
                let trim_a = Span::new(q.start, q.start + a.len());
                let trim_b = Span::new(r.start, r.start + b.len());
                out.push(Deviation {
                    class: DeviationClass::Misquote,
                    input: trim_a,
                    reference: trim_b,
                    pair_ratio: ratio,
                });
                quoted.push(*q);
            }
        }
    }

    for op in &ops {
        let (i0, i1, r0, r1) = match *op {
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index,
                old_index + old_len,
                new_index,
                new_index + new_len,
            ),
            _ => continue,
        };
        let iw: Vec<&Token> = it[i0..i1].iter().filter(|t| t.is_word).collect();
        let rw: Vec<&Token> = rt[r0..r1].iter().filter(|t| t.is_word).collect();
        if iw.is_empty() || rw.is_empty() {
            continue;
        }
        let ispan_w = Span::new(iw[0].start, iw.last().unwrap().end());
        let rspan_w = Span::new(rw[0].start, rw.last().unwrap().end());
        if quoted
            .iter()
            .any(|q| q.start <= ispan_w.start && ispan_w.start < q.end)
        {
            continue; // handled as a whole quote above
        }
        let inum = iw
            .iter()
            .any(|t| is_number(t.text) || MONTHS.contains(&t.text.to_lowercase().as_str()));
        let rnum = rw
            .iter()
            .any(|t| is_number(t.text) || MONTHS.contains(&t.text.to_lowercase().as_str()));
        if inum && rnum {
            out.push(Deviation {
                class: DeviationClass::NumberMismatch,
                input: ispan_w,
                reference: rspan_w,
                pair_ratio: ratio,
            });
            continue;
        }
        if inum || rnum {
            continue;
        }
        let iprop = iw.iter().any(|t| is_proper(t, input, names.input));
        let rprop = rw.iter().any(|t| is_proper(t, reference, names.reference));
        if rprop && !iprop {
            // A short all-name source side ("Vucic", "Aleksandar Vucic") against a short
            // common noun phrase ("The teacher"), not a pronoun or a paraphrase.
            let all_names = rw.iter().all(|t| is_proper(t, reference, names.reference));
            let content = iw.iter().any(|t| {
                let l = norm_word(t.text);
                !STOP.contains(&l.as_str()) && !PRONOUNS.contains(&l.as_str())
            });
            if all_names && content && iw.len() <= 3 && rw.len() <= 3 {
                out.push(Deviation {
                    class: DeviationClass::MistranslatedName,
                    input: ispan_w,
                    reference: rspan_w,
                    pair_ratio: ratio,
                });
            }
            continue;
        }
        if rprop && iprop {
            // A different entity, not a form of the same one (China's / Chinese).
            let ip: Vec<&str> = iw
                .iter()
                .filter(|t| is_proper(t, input, names.input))
                .map(|t| t.text)
                .collect();
            let rp: Vec<&str> = rw
                .iter()
                .filter(|t| is_proper(t, reference, names.reference))
                .map(|t| t.text)
                .collect();
            // Only where the two sides speak of the same thing: a shared head word
            // ("president") or two demonyms; otherwise it is paraphrase (Moscow / Russia).
            let common =
                |ws: &[&Token], txt: &str, nm: &std::collections::HashSet<String>| -> Vec<String> {
                    ws.iter()
                        .filter(|t| !is_proper(t, txt, nm))
                        .map(|t| norm_word(t.text).trim_end_matches("'s").to_string())
                        .filter(|w| !STOP.contains(&w.as_str()))
                        .collect()
                };
            let ic = common(&iw, input, names.input);
            let rc = common(&rw, reference, names.reference);
            let shared_head = ic.iter().any(|a| rc.iter().any(|b| same_stem(a, b)));
            let demonyms = ip.iter().any(|a| is_demonym(a)) && rp.iter().any(|b| is_demonym(b));
            let differs = ip.iter().any(|a| !rp.iter().any(|b| same_stem(a, b)));
            if differs && (shared_head || demonyms) {
                out.push(Deviation {
                    class: DeviationClass::WrongEntity,
                    input: ispan_w,
                    reference: rspan_w,
                    pair_ratio: ratio,
                });
            }
            continue;
        }
        if iprop {
            continue;
        }
        // A short swap of common words in an otherwise matching sentence. Spinners swap
        // words and keep the punctuation; a change that moves punctuation is rephrasing.
        let punct = it[i0..i1].iter().chain(&rt[r0..r1]).any(|t| !t.is_word);
        if iw.len() <= 4 && rw.len() <= 4 && ratio >= MIN_SUBSTITUTION_RATIO && !punct {
            let a = diff_key(&input[ispan_w.range()]);
            let b = diff_key(&reference[rspan_w.range()]);
            let variant = edit_distance(&a, &b) * 4 <= a.chars().count().max(b.chars().count());
            if !variant {
                out.push(Deviation {
                    class: DeviationClass::SpinSubstitution,
                    input: ispan_w,
                    reference: rspan_w,
                    pair_ratio: ratio,
                });
            }
        }
    }
    out.sort_by_key(|d| (d.input.start, d.input.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_measured_on_the_pass_before_change_nothing() {
        let reference = include_str!("../seeds/001_341e67400f292e9e.txt");
        let old = include_str!("../seeds/000_7da678bffcb0de02.txt");
        // A repaired text: some words changed, most sentences as they were.
        let new = old
            .replacen("Russian", "Russia's", 7)
            .replacen(" the ", " a ", 11);
        let prep = Prepared::new(reference);
        let (_, memo) = align_memo(old, &prep, None);
        let (a, again) = align_memo(&new, &prep, Some(&memo));
        let (b, fresh) = align_memo(&new, &prep, None);
        assert!(!a.pairs.is_empty());
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        assert_eq!(again.0.len(), fresh.0.len());
        // Most of the new text's sentences were taken from the pass before.
        let kept = again
            .0
            .iter()
            .filter(|(t, m)| {
                memo.0
                    .get(&**t)
                    .is_some_and(|o| std::sync::Arc::ptr_eq(o, m))
            })
            .count();
        assert!(kept * 2 > again.0.len(), "{kept} of {}", again.0.len());
    }

    /// `sentences` as first written (each line's characters collected): the reference.
    fn sentences_reference(text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let push = |out: &mut Vec<Span>, s: usize, e: usize| {
            let seg = &text[s..e];
            let lead = seg.len() - seg.trim_start().len();
            let trail = seg.len() - seg.trim_end().len();
            if lead + trail < seg.len() {
                out.push(Span::new(s + lead, e - trail));
            }
        };
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let line_end = line_start + line.len();
            let mut start = line_start;
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            let mut k = 0;
            while k < chars.len() {
                let (i, c) = chars[k];
                if matches!(c, '.' | '!' | '?') {
                    let mut j = k + 1;
                    while j < chars.len()
                        && matches!(
                            chars[j].1,
                            '"' | '\u{201D}' | '\u{2019}' | '\'' | ')' | ']' | '.' | '!' | '?'
                        )
                    {
                        j += 1;
                    }
                    let space = j < chars.len() && chars[j].1 == ' ';
                    let next = chars.get(j + 1).map(|x| x.1);
                    let starts = next.is_some_and(|n| {
                        n.is_uppercase()
                            || n.is_ascii_digit()
                            || matches!(n, '"' | '\u{201C}' | '\u{2018}')
                    });
                    if space && starts && !(c == '.' && is_abbreviation(&line[..i])) {
                        let end = if j < chars.len() {
                            line_start + chars[j].0
                        } else {
                            line_end
                        };
                        push(&mut out, start, end);
                        start = end;
                    }
                    k = j;
                    continue;
                }
                k += 1;
            }
            push(&mut out, start, line_end);
            line_start = line_end;
        }
        out
    }

    #[test]
    fn sentences_split_as_before_at_every_ending() {
        for end in ["", ".", "!", "?", " Mr.", " U.S.", " e.g."] {
            for close in ["", "\"", "”", "’", "'", ")", "]", ".", "!?", "”)"] {
                for space in ["", " ", "  ", "\n"] {
                    for next in ["", "A", "a", "1", "“", "‘", "\"", "É", "é", "("] {
                        let t = format!("One word{end}{close}{space}{next}rest. Two\nThree. four");
                        assert_eq!(sentences(&t), sentences_reference(&t), "{t:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn sentences_are_unchanged(text in "([A-Za-z]{1,6}|Mr|U\\.S|[0-9]|[ .!?\"'’”“‘)\\]\n]|é|É){0,60}") {
            proptest::prop_assert_eq!(sentences(&text), sentences_reference(&text));
        }
    }

    #[test]
    fn identical_sentences_have_no_deviations() {
        // Every seed aligned with itself, and with its own sentences in other company (the
        // names each text uses differ, so a capital may be a name on one side only).
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        texts.sort();
        let mut checked = 0;
        for a in &texts {
            let shuffled: String = sentences(a)
                .iter()
                .rev()
                .map(|s| &a[s.range()])
                .collect::<Vec<_>>()
                .join(" ");
            for b in [a.clone(), shuffled] {
                let (na, nb) = (names_of(a), names_of(&b));
                let names = Names {
                    input: &nb,
                    reference: &na,
                };
                for p in align(&b, a).pairs {
                    if b[p.input.range()] == a[p.reference.range()] {
                        assert!(compare(&b, p.input, a, p.reference, &names).is_empty());
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 200, "{checked}");
    }

    #[test]
    fn the_stop_match_is_the_stop_list() {
        for w in STOP {
            assert!(is_stop(w), "{w}");
        }
        for w in ["army", "thee", "ass", "", "The", "hers", "S"] {
            assert_eq!(is_stop(w), STOP.contains(&w), "{w}");
        }
        assert_eq!(STOP.len(), 49);
    }

    proptest::proptest! {
        /// The bound never rules out a merged group that the full computation admits.
        #[test]
        fn merged_bound_never_skips_a_winner(
            a in proptest::collection::vec(0usize..12, 0..12),
            b in proptest::collection::vec(0usize..12, 0..12),
            c in proptest::collection::vec(0usize..12, 0..14),
        ) {
            const W: &[&str] = &["Kyiv", "army", "said", "Putin", "front", "line", "troops",
                "attack", "Russian", "the", "2024", "drones"];
            let make = |v: &[usize]| bag(&v.iter().map(|&i| W[i]).collect::<Vec<_>>().join(" "));
            let (a, b, c) = (make(&a), make(&b), make(&c));
            let (ac, bc) = (similarity(&a, &c), similarity(&b, &c));
            let m = merged_similarity(&a, &b, &c);
            let wins = m >= MIN_PAIR_SIMILARITY && m > ac.max(bc) + 0.1;
            proptest::prop_assert!(!wins || merged_may_win(&a, &b, &c, ac, bc));
        }
    }

    #[test]
    fn merged_similarity_equals_the_similarity_of_the_merged_bag() {
        fn merge(a: &Bag, b: &Bag) -> Bag {
            let mut m = a.clone();
            for (w, x) in &b.weights {
                let e = m.weights.entry(w.clone()).or_insert(0.0);
                if *e < *x {
                    m.total += x - *e;
                    *e = *x;
                }
            }
            m
        }
        let s = [
            "Serbian President Aleksandar Vucic refused to promise sanctions.",
            "The teacher refused to promise that Serbia would not impose sanctions.",
            "Vucic said Serbia will decide when the policy changes.",
            "",
            "Xi Jinping plans to visit Moscow next week, ISW said.",
        ];
        let bags: Vec<Bag> = s.iter().map(|t| bag(t)).collect();
        for a in &bags {
            for b in &bags {
                for c in &bags {
                    assert_eq!(merged_similarity(a, b, c), similarity(&merge(a, b), c));
                }
            }
        }
    }

    fn texts(t: &str, spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| t[s.range()].to_string()).collect()
    }

    #[test]
    fn splits_sentences_but_not_abbreviations() {
        let t = "Mr. Smith went to the U.S. on Monday. He said “no.” Then he left!\nNew line here";
        assert_eq!(
            texts(t, &sentences(t)),
            vec![
                "Mr. Smith went to the U.S. on Monday.",
                "He said “no.”",
                "Then he left!",
                "New line here"
            ]
        );
    }

    #[test]
    fn aligns_monotonically_with_gaps() {
        let r = "Vucic refused to promise sanctions. The weather in Belgrade was cold. Putin met Xi in Moscow on March 20.";
        let i = "The teacher refused to promise sanctions. An added sentence about football. Putin met Xi in Moscow on March 21.";
        let a = align(i, r);
        assert_eq!(a.pairs.len(), 2);
        assert_eq!(
            &i[a.pairs[1].input.range()],
            "Putin met Xi in Moscow on March 21."
        );
        assert_eq!(
            texts(r, &a.omitted),
            vec!["The weather in Belgrade was cold."]
        );
        assert_eq!(
            texts(i, &a.added),
            vec!["An added sentence about football."]
        );
    }

    fn classes(i: &str, r: &str) -> Vec<(DeviationClass, String, String)> {
        // The reference mentions Vucic mid-sentence elsewhere, as a real report does.
        let r_full = format!("{r} Officials met the Serbian President Vucic in Belgrade.");
        let (ni, nr) = (names_of(i), names_of(&r_full));
        let names = Names {
            input: &ni,
            reference: &nr,
        };
        deviations(
            i,
            Span::new(0, i.len()),
            &r_full,
            Span::new(0, r.len()),
            &names,
        )
        .into_iter()
        .map(|d| {
            (
                d.class,
                i[d.input.range()].to_string(),
                r[d.reference.range()].to_string(),
            )
        })
        .collect()
    }

    #[test]
    fn classifies_deviations() {
        use DeviationClass::*;
        assert_eq!(
            classes(
                "The teacher refused to promise that Serbia would not impose sanctions.",
                "Vucic refused to promise that Serbia would not impose sanctions."
            ),
            vec![(MistranslatedName, "The teacher".into(), "Vucic".into())]
        );
        assert_eq!(
            classes("The Russian president's rhetoric about Belgrade's refusal is softening.", "Serbian President Aleksandar Vucic's rhetoric about Belgrade's refusal is softening."),
            vec![(WrongEntity, "The Russian president's".into(), "Serbian President Aleksandar Vucic's".into())]
        );
        assert_eq!(
            classes(
                "They signed a package of 16 documents on March 1 in Minsk.",
                "They signed a package of 16 agreements on March 2 in Minsk."
            ),
            vec![
                (SpinSubstitution, "documents".into(), "agreements".into()),
                (NumberMismatch, "1".into(), "2".into())
            ]
        );
        assert_eq!(
            classes("He would appreciate “when we are in corner and when our policy should change.”", "He would appreciate “when we are in a deadlock and when our policy has to change.”"),
            vec![(Misquote, "when we are in corner and when our policy should change".into(), "when we are in a deadlock and when our policy has to change".into())]
        );
        // spelling variants and paraphrase are not findings
        assert!(classes(
            "by channelling goods through Belarus to the army",
            "by channeling goods through Belarus to the army"
        )
        .is_empty());
        assert!(classes("Xi is also likely aimed at facilitating China's efforts as a negotiator.", "Xi also likely aims to promote Chinese efforts aiming to position China as an impartial mediator.").is_empty());
    }
}
