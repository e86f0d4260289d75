//! Canonical sources: the [`Reference`] documents a batch is compared against, and the
//! [`ReferenceIndex`] that finds which references an input derives from.
//!
//! The index hashes word shingles (3 consecutive normalised words) and keeps a sample of
//! them (those whose hash is 0 modulo [`SAMPLE_MOD`]), so its size is a fraction of the
//! references' text and a query is one pass over the input plus binary searches. Shingles
//! that occur in very many references (boilerplate) are dropped. An input's *containment*
//! in a reference is the share of its sampled shingles that the reference also has.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::document::tokens;
use crate::resolver::fnv1a;

/// Words per shingle. Three words survive the paraphrase of machine translation far more
/// often than longer shingles, while still being specific to a text.
pub const SHINGLE_WORDS: usize = 3;
/// Keep one shingle in this many (by hash).
pub const SAMPLE_MOD: u64 = 2;
/// An input derives from a reference when at least this share of its sampled shingles
/// occurs in the reference.
pub const MIN_CONTAINMENT: f64 = 0.06;
/// …and at least this many sampled shingles are shared (short texts share a few by chance).
pub const MIN_SHARED: usize = 8;
/// Shingles found in more than this many references are boilerplate and ignored.
pub const MAX_POSTINGS: usize = 64;

/// One canonical source document.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The name shown in reports (the path as given).
    pub name: String,
    /// The canonical path, when it came from a file (a document is never aligned with
    /// itself).
    pub path: Option<PathBuf>,
    pub text: Arc<str>,
    /// Words the reference uses as names (computed on first use, when an input is aligned
    /// with it: most references of a large index never are; see `align::names_of`).
    names: std::sync::OnceLock<HashSet<String>>,
    /// Its sentences and their word bags for alignment (computed on first use).
    prepared: std::sync::OnceLock<crate::align::Prepared>,
}

impl Reference {
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        Reference {
            name: name.into(),
            path,
            names: std::sync::OnceLock::new(),
            prepared: std::sync::OnceLock::new(),
            text,
        }
    }

    /// What aligning an input with this reference needs of it (see `align::Prepared`).
    pub fn prepared(&self) -> &crate::align::Prepared {
        self.prepared
            .get_or_init(|| crate::align::Prepared::new(&self.text))
    }

    /// Words the reference uses as names (see `align::names_of`).
    pub fn names(&self) -> &HashSet<String> {
        self.names
            .get_or_init(|| crate::align::names_of(&self.text))
    }
}

/// A reference an input derives from, with its scores.
#[derive(Debug, Clone, Serialize)]
pub struct RefMatch {
    #[serde(skip)]
    pub index: usize,
    pub reference: String,
    /// Share of the input's sampled shingles found in the reference.
    pub containment: f64,
    /// Number of shared sampled shingles.
    pub shared: usize,
}

/// Sampled shingle hashes → references.
#[derive(Debug, Clone)]
pub struct ReferenceIndex {
    refs: Vec<Arc<Reference>>,
    /// Canonical path → reference, so an input is told from the references in one lookup.
    by_path: std::collections::HashMap<PathBuf, usize>,
    /// (shingle hash, reference id), sorted.
    postings: Vec<(u64, u32)>,
}

/// The sampled shingle hashes of a text (deduplicated, sorted).
///
/// Each word's comparison form (lowercase, curly apostrophes straight) is written once
/// into one buffer, and every window of [`SHINGLE_WORDS`] words is hashed from it: no
/// allocation per word (this runs over every reference when the index is built).
pub fn shingles(text: &str) -> Vec<u64> {
    let mut buf: Vec<u8> = Vec::with_capacity(text.len());
    let mut ends: Vec<usize> = Vec::with_capacity(text.len() / 5 + 1);
    for t in tokens(text).filter(|t| t.is_word) {
        if t.text.is_ascii() {
            buf.extend(t.text.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            buf.extend_from_slice(t.text.to_lowercase().replace('\u{2019}', "'").as_bytes());
        }
        ends.push(buf.len());
    }
    let mut out: Vec<u64> = Vec::with_capacity(ends.len() / SAMPLE_MOD as usize + 1);
    for w in 0..ends.len().saturating_sub(SHINGLE_WORDS - 1) {
        let mut parts: [&[u8]; SHINGLE_WORDS] = [&[]; SHINGLE_WORDS];
        for (k, part) in parts.iter_mut().enumerate() {
            let i = w + k;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            *part = &buf[start..ends[i]];
        }
        let h = fnv1a(&parts);
        if h % SAMPLE_MOD == 0 {
            out.push(h);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl ReferenceIndex {
    /// Builds the index (the references' shingles are computed in parallel).
    pub fn new(refs: Vec<Reference>) -> Self {
        use rayon::prelude::*;
        let refs: Vec<Arc<Reference>> = refs.into_iter().map(Arc::new).collect();
        let per_ref: Vec<Vec<u64>> = refs.par_iter().map(|r| shingles(&r.text)).collect();
        let mut postings: Vec<(u64, u32)> = per_ref
            .iter()
            .enumerate()
            .flat_map(|(i, hs)| hs.iter().map(move |&h| (h, i as u32)))
            .collect();
        postings.par_sort_unstable();
        // Drop boilerplate shingles.
        let mut kept = Vec::with_capacity(postings.len());
        let mut i = 0;
        while i < postings.len() {
            let h = postings[i].0;
            let j = i + postings[i..].partition_point(|p| p.0 == h);
            if j - i <= MAX_POSTINGS {
                kept.extend_from_slice(&postings[i..j]);
            }
            i = j;
        }
        let mut by_path = std::collections::HashMap::new();
        for (i, r) in refs.iter().enumerate() {
            if let Some(p) = &r.path {
                by_path.entry(p.clone()).or_insert(i);
            }
        }
        ReferenceIndex {
            refs,
            by_path,
            postings: kept,
        }
    }

    pub fn len(&self) -> usize {
        self.refs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    pub fn reference(&self, i: usize) -> &Arc<Reference> {
        &self.refs[i]
    }

    /// Every reference with its containment score, best first, including those below the
    /// threshold (for `--explain`-style reports); `exclude` skips one reference (the input
    /// itself).
    pub fn scores(&self, text: &str, exclude: Option<usize>) -> Vec<RefMatch> {
        let hs = shingles(text);
        if hs.is_empty() {
            return Vec::new();
        }
        // Keyed by reference number: the fast fixed-seed hasher, not SipHash (this runs
        // once per input and shingle posting).
        let mut counts: crate::FastMap<u32, usize> = crate::FastMap::default();
        for h in &hs {
            let start = self.postings.partition_point(|p| p.0 < *h);
            for p in self.postings[start..].iter().take_while(|p| p.0 == *h) {
                *counts.entry(p.1).or_default() += 1;
            }
        }
        let mut out: Vec<RefMatch> = counts
            .into_iter()
            .filter(|(r, _)| Some(*r as usize) != exclude)
            .map(|(r, n)| RefMatch {
                index: r as usize,
                reference: self.refs[r as usize].name.clone(),
                containment: (n as f64 / hs.len() as f64 * 1e4).round() / 1e4,
                shared: n,
            })
            .collect();
        out.sort_by(|a, b| {
            b.containment
                .total_cmp(&a.containment)
                .then(a.index.cmp(&b.index))
        });
        out
    }

    /// The references `text` derives from (containment and shared-shingle thresholds met),
    /// best first.
    pub fn matches(&self, text: &str, exclude: Option<usize>) -> Vec<RefMatch> {
        self.scores(text, exclude)
            .into_iter()
            .filter(|m| m.containment >= MIN_CONTAINMENT && m.shared >= MIN_SHARED)
            .collect()
    }

    /// The index of the reference loaded from `path` (compared canonically), if any.
    pub fn find_path(&self, path: &std::path::Path) -> Option<usize> {
        let c = std::fs::canonicalize(path).ok()?;
        self.by_path.get(&c).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `shingles` as first written (a `String` per word): the reference.
    fn shingles_reference(text: &str) -> Vec<u64> {
        let words: Vec<String> = tokens(text)
            .filter(|t| t.is_word)
            .map(|t| t.text.to_lowercase().replace('\u{2019}', "'"))
            .collect();
        let mut out: Vec<u64> = words
            .windows(SHINGLE_WORDS)
            .map(|w| {
                let parts: Vec<&[u8]> = w.iter().map(|s| s.as_bytes()).collect();
                fnv1a(&parts)
            })
            .filter(|h| h % SAMPLE_MOD == 0)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    proptest::proptest! {
        #[test]
        fn shingles_are_unchanged(text in "([A-Za-zÀÉüß’'ΣΑ]{1,6}[ .,\n]{1,2}){0,40}") {
            proptest::prop_assert_eq!(shingles(&text), shingles_reference(&text));
        }
    }

    #[test]
    fn shingles_fold_case_and_apostrophes() {
        let a = shingles("Putin’s Army Said It Would Go On Fighting There");
        assert!(!a.is_empty());
        assert_eq!(
            a,
            shingles("putin's army said it would go on fighting there")
        );
        assert_eq!(
            a,
            shingles_reference("Putin’s Army Said It Would Go On Fighting There")
        );
    }

    fn words(n: usize, seed: u64) -> String {
        // Deterministic pseudo-random words, so texts share nothing by accident.
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("w{}", x >> 44)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn containment_threshold_decides_a_match() {
        let source = words(400, 1);
        let idx = ReferenceIndex::new(vec![Reference::new("src", None, source.clone())]);
        // An input that copies a stretch of the source, padded with unrelated words.
        let src_words: Vec<&str> = source.split(' ').collect();
        let make = |copied: usize| {
            format!(
                "{} {}",
                src_words[..copied].join(" "),
                words(400 - copied, 7)
            )
        };
        let low = idx.scores(&make(10), None);
        let high = idx.scores(&make(120), None);
        assert!(
            low.first().is_none_or(|m| m.containment < MIN_CONTAINMENT),
            "{low:?}"
        );
        assert!(idx.matches(&make(10), None).is_empty());
        assert!(high[0].containment > MIN_CONTAINMENT, "{high:?}");
        assert_eq!(idx.matches(&make(120), None).len(), 1);
        // An identical text is fully contained; excluding it (the input itself) leaves none.
        assert_eq!(idx.scores(&source, None)[0].containment, 1.0);
        assert!(idx.matches(&source, Some(0)).is_empty());
    }

    #[test]
    fn boilerplate_shingles_are_dropped() {
        let common = words(60, 3);
        let refs: Vec<Reference> = (0..MAX_POSTINGS as u64 + 5)
            .map(|i| {
                Reference::new(
                    format!("r{i}"),
                    None,
                    format!("{common} {}", words(200, 100 + i)),
                )
            })
            .collect();
        let idx = ReferenceIndex::new(refs);
        // The shared boilerplate alone matches nothing.
        assert!(idx.matches(&common, None).is_empty());
    }
}
