//! A deterministic synthetic corpus for the benchmarks: the clean seeds (001, the ISW
//! report, and 002, a news article quoting it) cut into paragraphs, shuffled into
//! documents of about 8 KB, and damaged again at known rates:
//!
//! - **spin**: where a word or two-word phrase is the correct form of a built-in spin
//!   entry (strong entries with one repair that need no neighbouring words or document
//!   cues), it is replaced by the entry's first spun form
//!   with probability [`SPIN_P`];
//! - **typography**: a sentence's full stop gets a space before it (`in the spring .`) with
//!   probability [`SPACE_P`], and a comma one with probability [`SPACE_P`];
//! - **junk**: a document ends with a share prompt with probability [`JUNK_P`].
//!
//! The same seed always gives the same corpus. What was injected is counted, so the
//! benchmarks can state the damage per 1,000 words next to their throughput.

use std::collections::HashMap;

use ungarble::document::tokens;
use ungarble::{DictionarySet, Kind};

/// Chance that an eligible word or phrase is spun.
pub const SPIN_P: f64 = 0.5;
/// Chance that a sentence's full stop, or a comma, gets a space before it.
pub const SPACE_P: f64 = 0.05;
/// Chance that a document ends with a share prompt.
pub const JUNK_P: f64 = 0.3;
/// Target size of one document.
const DOC_BYTES: usize = 8 * 1024;

/// splitmix64: a small, fixed random sequence (only the corpus depends on it).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// What the generator put into the corpus.
#[derive(Debug, Default, Clone)]
pub struct Injected {
    pub words: usize,
    /// Spun forms put in, by form (for looking into what the detectors miss).
    pub forms: std::collections::BTreeMap<String, usize>,
    pub spins: usize,
    pub spaces: usize,
    pub junk_lines: usize,
}

impl Injected {
    pub fn per_thousand_words(&self, n: usize) -> f64 {
        n as f64 * 1000.0 / self.words.max(1) as f64
    }
}

/// The correct form of each strong single-repair spin entry that needs no context (one or
/// two words, lowercase) and the spun form that replaces it: the first entry in dictionary
/// order wins.
fn spin_pairs(set: &DictionarySet) -> HashMap<String, String> {
    let mut pairs = HashMap::new();
    for e in set.entries() {
        if e.kind != Kind::Spin
            || e.weak
            || e.needs_context()
            || e.replace.len() != 1
            || e.find.is_empty()
        {
            continue;
        }
        let right = e.replace[0].to_lowercase();
        let words = right.split(' ').count();
        let plain = right.chars().all(|c| c.is_ascii_lowercase() || c == ' ');
        if (1..=2).contains(&words) && plain {
            pairs.entry(right).or_insert_with(|| e.find[0].clone());
        }
    }
    pairs
}

/// `spun` with the first letter's case of `like`.
fn case_like(like: &str, spun: &str) -> String {
    if like.starts_with(|c: char| c.is_uppercase()) {
        let mut c = spun.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        spun.to_string()
    }
}

/// Appends `p[pos..]` up to `span`, then `spun` in the case of the words it replaces;
/// returns where the text resumes.
fn put_spun(
    out: &mut String,
    p: &str,
    pos: usize,
    span: std::ops::Range<usize>,
    spun: &str,
    got: &mut Injected,
) -> usize {
    out.push_str(&p[pos..span.start]);
    out.push_str(&case_like(&p[span.clone()], spun));
    got.spins += 1;
    *got.forms.entry(spun.to_string()).or_default() += 1;
    span.end
}

/// Damages one paragraph of clean text.
fn damage(p: &str, pairs: &HashMap<String, String>, rng: &mut Rng, got: &mut Injected) -> String {
    let toks: Vec<_> = tokens(p).collect();
    got.words += toks.iter().filter(|t| t.is_word).count();
    let mut out = String::with_capacity(p.len() + 64);
    let mut pos = 0;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if t.is_word {
            // Two words first (joined by one space), then one.
            let two = toks.get(i + 1).filter(|u| {
                u.is_word
                    && u.start == t.start + t.text.len() + 1
                    && &p[t.start + t.text.len()..u.start] == " "
            });
            let mut done = false;
            if let Some(u) = two {
                let phrase = format!("{} {}", t.text, u.text).to_lowercase();
                if let Some(spun) = pairs.get(&phrase) {
                    if rng.chance(SPIN_P) {
                        pos =
                            put_spun(&mut out, p, pos, t.start..u.start + u.text.len(), spun, got);
                        i += 2;
                        done = true;
                    }
                }
            }
            if !done {
                if let Some(spun) = pairs.get(&t.text.to_lowercase()) {
                    if rng.chance(SPIN_P) {
                        pos =
                            put_spun(&mut out, p, pos, t.start..t.start + t.text.len(), spun, got);
                    }
                }
                i += 1;
            }
            continue;
        }
        // A full stop or comma right after a word and before a space: a stray space.
        let after_word =
            i > 0 && toks[i - 1].is_word && toks[i - 1].start + toks[i - 1].text.len() == t.start;
        let stop = t.text == "." || t.text == ",";
        if stop && after_word && p[t.end()..].starts_with(' ') && rng.chance(SPACE_P) {
            out.push_str(&p[pos..t.start]);
            out.push(' ');
            pos = t.start;
            got.spaces += 1;
        }
        i += 1;
    }
    out.push_str(&p[pos..]);
    out
}

/// About `bytes` of synthetic documents from the clean seeds `texts`.
pub fn corpus(
    texts: &[String],
    set: &DictionarySet,
    bytes: usize,
    seed: u64,
) -> (Vec<String>, Injected) {
    let pairs = spin_pairs(set);
    let paragraphs: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.split("\n\n"))
        .map(str::trim)
        .filter(|p| p.split_whitespace().count() >= 8)
        .collect();
    assert!(paragraphs.len() >= 20, "too few paragraphs in the seeds");
    let mut rng = Rng(seed);
    let mut got = Injected::default();
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut doc = String::with_capacity(DOC_BYTES + 1024);
        while doc.len() < DOC_BYTES {
            let p = paragraphs[(rng.next() % paragraphs.len() as u64) as usize];
            doc.push_str(&damage(p, &pairs, &mut rng, &mut got));
            doc.push_str("\n\n");
        }
        if rng.chance(JUNK_P) {
            doc.push_str("Share this article\n");
            got.junk_lines += 1;
        }
        total += doc.len();
        docs.push(doc);
    }
    (docs, got)
}
