//! The lexicon behind statistical spin repair (rule S001): a backoff trigram language model
//! (`dictionaries/lexicon/lm-words.txt`, `lm.bin`, derived from the CMU Sphinx
//! generic US English model; licence in `LM-LICENSE.txt`) and the reverse Moby thesaurus
//! (`thesaurus.txt`). Provenance and rebuilding: `dictionaries/lexicon/README.md`.
//!
//! Both are embedded in the binary and parsed once, on first use; the n-gram tables are
//! read in place (no copy, no parse).

use std::sync::OnceLock;

use crate::FastMap as HashMap;

const WORDS: &str = include_str!("../dictionaries/lexicon/lm-words.txt");
const MODEL: &[u8] = include_bytes!("../dictionaries/lexicon/lm.bin");

const MAGIC: &[u8; 6] = b"UGLM\x04\n";
/// The quantisation step of stored n-gram log10 probabilities.
const STEP: f32 = 0.05;
/// The quantisation step of stored pair backoff weights.
const BO_STEP: f32 = 0.02;
const HEADER: usize = 26;

/// A word's id: its line in `lm-words.txt`.
pub type WordId = u32;

/// Why a lexicon could not be read (only for data that is not the built-in one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError(pub String);

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A blocked Bloom filter over u64 keys, read in place from `lm.bin` (built by
/// `build_lm.py`): each key sets four bits in one 64-byte block, so a look-up costs one
/// cache line. The model's tables are too large for the cache, and most of the scorer's
/// look-ups ask for pairs the model lacks: the filter answers those without touching the
/// tables (a "maybe" is confirmed in them, so answers stay exact).
#[derive(Debug, Clone, Copy)]
struct Bloom<'a> {
    /// Blocks of eight little-endian u64 words; their count is a power of two.
    bytes: &'a [u8],
    mask: u64,
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A key's block (before masking) and the hash bits that pick its four bits.
fn bloom_bits(key: u64) -> (u64, u64) {
    let h = mix(key);
    (h & 0xffff_ffff, h >> 28)
}

impl<'a> Bloom<'a> {
    /// A view of `blocks` blocks (a power of two) at the start of `bytes`.
    fn new(bytes: &'a [u8], blocks: usize) -> Option<Self> {
        (blocks.is_power_of_two() && bytes.len() == 64 * blocks).then_some(Bloom {
            bytes,
            mask: blocks as u64 - 1,
        })
    }

    fn may_contain(&self, key: u64) -> bool {
        let (b, mut h) = bloom_bits(key);
        let base = 64 * (b & self.mask) as usize;
        for _ in 0..4 {
            let bit = (h & 511) as usize;
            if u64_at(self.bytes, base + 8 * (bit / 64)) & (1 << (bit % 64)) == 0 {
                return false;
            }
            h >>= 9;
        }
        true
    }
}

/// Builds the bytes of a filter the way `build_lm.py` does (for tests).
#[cfg(test)]
fn build_bloom(keys: &[u64]) -> (Vec<u8>, usize) {
    let blocks = (keys.len() * 16 / 512).max(1).next_power_of_two();
    let mut words = vec![0u64; 8 * blocks];
    for &key in keys {
        let (b, mut h) = bloom_bits(key);
        let base = 8 * (b as usize & (blocks - 1));
        for _ in 0..4 {
            let bit = (h & 511) as usize;
            words[base + bit / 64] |= 1 << (bit % 64);
            h >>= 9;
        }
    }
    (words.iter().flat_map(|w| w.to_le_bytes()).collect(), blocks)
}

/// The trigram language model and the reverse thesaurus.
#[derive(Debug)]
pub struct Lexicon {
    ids: HashMap<&'static str, WordId>,
    words: Vec<&'static str>,
    logp: Vec<f32>,
    backoff: Vec<f32>,
    offsets: &'static [u8],
    /// Per pair `(id(b) << 8) | q`, rows by first word, sorted by `b`.
    pairs: &'static [u8],
    /// Per pair, its backoff weight (i8 steps of [`BO_STEP`]).
    pair_backoff: &'static [u8],
    /// Per triple, `key << 8 | q` (u64), sorted.
    triples: &'static [u8],
    /// Per first word, where its triples start in `triples` (u32).
    triple_rows: &'static [u8],
    pair_bloom: Bloom<'static>,
    triple_bloom: Bloom<'static>,
    /// Per word, where its candidate originals (thesaurus headwords listing it, in the
    /// thesaurus' own order, most frequent first) are in `cands` (u32).
    cand_rows: &'static [u8],
    cands: &'static [u8],
    /// Per word (u32), how many observed words list it as a candidate: how many synonyms a
    /// spinner could have chosen for it.
    fanout: &'static [u8],
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(a)
}

/// Checks that the `n + 1` row starts (u32) in `rows` never decrease or pass `len`.
fn check_rows(rows: &[u8], n: usize, len: usize, what: &str) -> Result<(), LexiconError> {
    let mut prev = 0;
    for i in 0..=n {
        let o = u32_at(rows, 4 * i) as usize;
        if o < prev || o > len {
            return Err(LexiconError(format!(
                "lm.bin: {what} rows out of order at word {i}"
            )));
        }
        prev = o;
    }
    Ok(())
}

/// Binary search of `key` among the sorted keys `key_at(lo..hi)`: the index holding it.
fn search(mut lo: usize, mut hi: usize, key: u64, key_at: impl Fn(usize) -> u64) -> Option<usize> {
    while lo < hi {
        let mid = (lo + hi) / 2;
        match key_at(mid).cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

fn triple_key(a: WordId, b: WordId, c: WordId) -> u64 {
    (u64::from(a) << 34) | (u64::from(b) << 17) | u64::from(c)
}

impl Lexicon {
    /// The built-in lexicon, parsed on the first call.
    pub fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon::parse(WORDS, MODEL).expect("the built-in lexicon is valid"))
    }

    /// Reads the three files. The built-in data is checked by a test; other data gets a
    /// message naming what is wrong.
    pub fn parse(words: &'static str, model: &'static [u8]) -> Result<Self, LexiconError> {
        let err = |m: String| Err(LexiconError(m));
        let mut ids = HashMap::default();
        let mut list = Vec::new();
        let mut logp = Vec::new();
        let mut backoff = Vec::new();
        for (n, line) in words.lines().enumerate() {
            let mut f = line.split('\t');
            let (Some(w), Some(p), Some(b), None) = (f.next(), f.next(), f.next(), f.next()) else {
                return err(format!(
                    "lm-words.txt line {}: expected word, log10 P, backoff",
                    n + 1
                ));
            };
            let (Ok(p), Ok(b)) = (p.parse::<f32>(), b.parse::<f32>()) else {
                return err(format!("lm-words.txt line {}: numbers do not parse", n + 1));
            };
            ids.insert(w, list.len() as WordId);
            list.push(w);
            logp.push(p);
            backoff.push(b);
        }
        if model.len() < HEADER || &model[..6] != MAGIC {
            return err("lm.bin: not an ungarble language model (bad magic)".into());
        }
        let nw = u32_at(model, 6) as usize;
        let nb = u32_at(model, 10) as usize;
        let nt = u32_at(model, 14) as usize;
        let (pb, tb) = (u32_at(model, 18) as usize, u32_at(model, 22) as usize);
        let off_end = HEADER + 4 * (nw + 1);
        let pairs_end = off_end + 4 * nb;
        let bo_end = pairs_end + nb;
        let triples_end = bo_end + 8 * nt;
        let rows_end = triples_end + 4 * (nw + 1);
        let pb_end = rows_end + 64 * pb;
        let tb_end = pb_end + 64 * tb;
        let fan_end = tb_end + 4 * nw;
        let crow_end = fan_end + 4 * (nw + 1);
        let nc = if model.len() >= crow_end {
            u32_at(model, crow_end - 4) as usize
        } else {
            0
        };
        if nw != list.len() || model.len() != crow_end + 4 * nc {
            return err(format!(
                "lm.bin: sized for {nw} words, {nb} pairs and {nt} triples, but lm-words.txt has {} words and the file {} bytes",
                list.len(),
                model.len()
            ));
        }
        let offsets = &model[HEADER..off_end];
        let cand_rows = &model[fan_end..crow_end];
        let triple_rows = &model[triples_end..rows_end];
        check_rows(offsets, nw, nb, "pair")?;
        check_rows(cand_rows, nw, nc, "candidate")?;
        check_rows(triple_rows, nw, nt, "triple")?;
        let (Some(pair_bloom), Some(triple_bloom)) = (
            Bloom::new(&model[rows_end..pb_end], pb),
            Bloom::new(&model[pb_end..tb_end], tb),
        ) else {
            return err("lm.bin: filter block counts are not powers of two".into());
        };
        Ok(Lexicon {
            triple_rows,
            pair_bloom,
            triple_bloom,
            ids,
            words: list,
            logp,
            backoff,
            offsets,
            pairs: &model[off_end..pairs_end],
            pair_backoff: &model[pairs_end..bo_end],
            triples: &model[bo_end..triples_end],
            cand_rows,
            cands: &model[crow_end..],
            fanout: &model[tb_end..fan_end],
        })
    }

    pub fn id(&self, word: &str) -> Option<WordId> {
        self.ids.get(word).copied()
    }

    /// The word swaps that turn `repair` into `garbled` when the two phrases have as many
    /// words ("military aid" / "navy help" gives military → navy and aid → help), as
    /// (garbled word, repaired word) ids; words that stay, or that the model lacks, are
    /// left out. The dictionaries' entries read this way are the statistical rules'
    /// channel model.
    pub fn word_swaps<'a>(
        &'a self,
        garbled: &'a str,
        repair: &'a str,
    ) -> impl Iterator<Item = (WordId, WordId)> + 'a {
        let same_length = garbled.split(' ').count() == repair.split(' ').count();
        garbled
            .split(' ')
            .zip(repair.split(' '))
            .filter(move |_| same_length)
            .filter(|(b, g)| !b.eq_ignore_ascii_case(g))
            .filter_map(|(b, g)| {
                Some((
                    self.id(&b.to_ascii_lowercase())?,
                    self.id(&g.to_ascii_lowercase())?,
                ))
            })
    }

    pub fn word(&self, id: WordId) -> &'static str {
        self.words[id as usize]
    }

    /// log10 P(word) (unigram).
    pub fn unigram(&self, id: WordId) -> f32 {
        self.logp[id as usize]
    }

    /// The index of the pair `a b` in the pair table, if the model lists it.
    fn pair_index(&self, a: WordId, b: WordId) -> Option<usize> {
        if !self
            .pair_bloom
            .may_contain((u64::from(a) << 17) | u64::from(b))
        {
            return None;
        }
        let row = |i| u32_at(self.offsets, 4 * i) as usize;
        let (s, e) = (row(a as usize), row(a as usize + 1));
        search(s, e, u64::from(b), |k| {
            u64::from(u32_at(self.pairs, 4 * k) >> 8)
        })
    }

    /// The stored log10 P(b | a), if the model lists the pair.
    pub fn bigram(&self, a: WordId, b: WordId) -> Option<f32> {
        self.pair_index(a, b)
            .map(|i| -((u32_at(self.pairs, 4 * i) & 0xff) as f32) * STEP)
    }

    /// The stored log10 P(c | a b), if the model lists the triple.
    pub fn trigram(&self, a: WordId, b: WordId, c: WordId) -> Option<f32> {
        let key = triple_key(a, b, c);
        if !self.triple_bloom.may_contain(key) {
            return None;
        }
        let row = |i| u32_at(self.triple_rows, 4 * i) as usize;
        let (s, e) = (row(a as usize), row(a as usize + 1));
        search(s, e, key, |k| u64_at(self.triples, 8 * k) >> 8)
            .map(|k| -((u64_at(self.triples, 8 * k) & 0xff) as f32) * STEP)
    }

    /// log10 P(b | a) under the backoff model: the listed pair, or a's backoff weight times
    /// P(b).
    pub fn logp(&self, a: WordId, b: WordId) -> f32 {
        self.bigram(a, b)
            .unwrap_or_else(|| self.backoff[a as usize] + self.logp[b as usize])
    }

    /// log10 P(c | a b) under the backoff model: the listed triple, or the pair's backoff
    /// weight times P(c | b).
    pub fn logp3(&self, a: WordId, b: WordId, c: WordId) -> f32 {
        if let Some(p) = self.trigram(a, b, c) {
            return p;
        }
        let bo = self
            .pair_index(a, b)
            .map_or(0.0, |i| f32::from(self.pair_backoff[i] as i8) * BO_STEP);
        bo + self.logp(b, c)
    }

    /// Words a spinner may have replaced by `id` (thesaurus headwords listing it).
    pub fn candidates(&self, id: WordId) -> impl ExactSizeIterator<Item = WordId> + '_ {
        let s = u32_at(self.cand_rows, 4 * id as usize) as usize;
        let e = u32_at(self.cand_rows, 4 * (id as usize + 1)) as usize;
        (s..e).map(move |k| u32_at(self.cands, 4 * k))
    }

    /// How many words list `id` as a candidate original (its synonym count), at least 1.
    pub fn fanout(&self, id: WordId) -> u32 {
        u32_at(self.fanout, 4 * id as usize).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(w: &str) -> WordId {
        Lexicon::get()
            .id(w)
            .unwrap_or_else(|| panic!("{w} missing"))
    }

    #[test]
    fn the_built_in_model_reads_and_prefers_usual_company() {
        let l = Lexicon::get();
        assert_eq!(l.words.len(), 72547);
        assert!(l.bigram(id("news"), id("conference")).is_some());
        // Triples: the usual company beats the unusual, and unlisted ones back off.
        assert!(l.trigram(id("a"), id("news"), id("conference")).is_some());
        assert!(
            l.logp3(id("a"), id("news"), id("conference"))
                > l.logp3(id("a"), id("news"), id("meeting")) + 1.0
        );
        assert!(l.trigram(id("grownup"), id("film"), id("star")).is_none());
        let bo = l
            .pair_index(id("grownup"), id("film"))
            .map_or(0.0, |i| f32::from(l.pair_backoff[i] as i8) * BO_STEP);
        assert!(
            (l.logp3(id("grownup"), id("film"), id("star"))
                - (bo + l.logp(id("film"), id("star"))))
            .abs()
                < 1e-6
        );
        assert!(l.bigram(id("news"), id("meeting")).is_none());
        // Stored pairs come back within one quantisation step of the model's value.
        let p = l.bigram(id("news"), id("conference")).unwrap();
        assert!((p - -1.9534).abs() <= STEP / 2.0 + 1e-4, "{p}");
        assert!(l.logp(id("news"), id("conference")) > l.logp(id("news"), id("meeting")) + 1.0);
        assert!(l.logp(id("military"), id("aid")) > l.logp(id("navy"), id("help")));
        // Unseen pairs back off to the unigram.
        let b = l.logp(id("grownup"), id("film"));
        assert!((b - (l.backoff[id("grownup") as usize] + l.unigram(id("film")))).abs() < 1e-6);
    }

    #[test]
    fn every_row_is_sorted_so_binary_search_finds_each_pair_and_triple() {
        let l = Lexicon::get();
        let n = l.words.len();
        for a in 0..n {
            let s = u32_at(l.offsets, 4 * a) as usize;
            let e = u32_at(l.offsets, 4 * (a + 1)) as usize;
            for k in s..e {
                let v = u32_at(l.pairs, 4 * k);
                if k > s {
                    assert!(
                        v >> 8 > u32_at(l.pairs, 4 * (k - 1)) >> 8,
                        "row {a} unsorted"
                    );
                }
                assert_eq!(l.pair_index(a as WordId, v >> 8), Some(k));
                assert!(l
                    .pair_bloom
                    .may_contain(((a as u64) << 17) | u64::from(v >> 8)));
            }
        }
        let n = l.triples.len() / 8;
        for k in 0..n {
            assert!(l.triple_bloom.may_contain(u64_at(l.triples, 8 * k) >> 8));
        }
        for k in 0..n {
            let v = u64_at(l.triples, 8 * k) >> 8;
            if k > 0 {
                assert!(
                    v > u64_at(l.triples, 8 * (k - 1)) >> 8,
                    "triples unsorted at {k}"
                );
            }
            let (a, b, c) = (
                (v >> 34) as WordId,
                ((v >> 17) & 0x1ffff) as WordId,
                (v & 0x1ffff) as WordId,
            );
            assert_eq!(
                l.trigram(a, b, c),
                Some(-((u64_at(l.triples, 8 * k) & 0xff) as f32) * STEP)
            );
        }
        for (a, b) in [
            ("news", "meeting"),
            ("grownup", "film"),
            ("yearly", "retreat"),
        ] {
            assert_eq!(l.pair_index(id(a), id(b)), None);
        }
    }

    #[test]
    fn the_bloom_filter_never_forgets_a_key_and_rarely_imagines_one() {
        let keys: Vec<u64> = (0..10_000u64).map(|k| k * 7919).collect();
        let (bytes, blocks) = build_bloom(&keys);
        let b = Bloom::new(&bytes, blocks).unwrap();
        assert!(keys.iter().all(|&k| b.may_contain(k)));
        let false_hits = (0..100_000u64)
            .filter(|k| b.may_contain(1_000_000_007 + k * 13))
            .count();
        assert!(
            false_hits < 1_000,
            "{false_hits} false positives in 100,000"
        );
        // The built-in filters were made by build_lm.py with the same hashing: they hold
        // every pair and triple (checked in full by the row test) and reject most others.
        let l = Lexicon::get();
        let absent = (0..100_000u64)
            .filter(|k| l.pair_bloom.may_contain((1 << 40) + k))
            .count();
        assert!(absent < 1_000, "{absent}");
    }

    #[test]
    fn the_thesaurus_links_spun_words_to_their_originals() {
        let l = Lexicon::get();
        for (spun, original) in [("navy", "military"), ("help", "aid"), ("yearly", "annual")] {
            assert!(
                l.candidates(id(spun)).any(|c| c == id(original)),
                "{spun} → {original}"
            );
        }
        assert!(l.fanout(id("make")) > l.fanout(id("annual")));
    }

    #[test]
    fn the_model_holds_thesaurus_txt_as_it_is_now() {
        // lm.bin carries the thesaurus as ids; it must be rebuilt when thesaurus.txt changes.
        let l = Lexicon::get();
        let text = include_str!("../dictionaries/lexicon/thesaurus.txt");
        let mut fan = vec![0u32; l.words.len()];
        let mut lines = 0;
        for line in text.lines() {
            let (w, cs) = line.split_once('\t').unwrap();
            let Some(w) = l.id(w) else {
                continue;
            };
            lines += 1;
            let want: Vec<WordId> = cs
                .split('|')
                .filter(|c| !c.contains(' '))
                .filter_map(|c| l.id(c))
                .collect();
            for &c in &want {
                fan[c as usize] += 1;
            }
            assert_eq!(l.candidates(w).collect::<Vec<_>>(), want, "{}", l.word(w));
        }
        assert!(lines > 30_000, "{lines}");
        for (i, &f) in fan.iter().enumerate() {
            assert_eq!(l.fanout(i as WordId), f.max(1), "{}", l.word(i as WordId));
        }
    }

    #[test]
    fn bad_data_gets_a_message_not_a_panic() {
        let e = Lexicon::parse("a\t-1\t0\n", b"nope").unwrap_err();
        assert!(e.0.contains("bad magic"), "{e}");
        let e = Lexicon::parse("a\tx\t0\n", MODEL).unwrap_err();
        assert!(e.0.contains("line 1"), "{e}");
        let e = Lexicon::parse("a\t-1\t0\n", MODEL).unwrap_err();
        assert!(e.0.contains("sized for"), "{e}");
    }
}
