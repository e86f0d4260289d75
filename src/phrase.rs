//! Word-keyed phrase matching: finds every occurrence of a set of phrases, on word
//! boundaries, ASCII case-insensitively, overlapping matches included.
//!
//! The dictionary pass needs all matches (a long phrase whose context fails must not hide a
//! shorter one inside it), on word boundaries only. A byte automaton over two thousand
//! phrases reports every occurrence of a phrase inside longer words ("navy" in "navyblue")
//! and walks a transition table too big for the cache; measured on the seed corpus it ran at
//! about 150 MB/s before any context check. Phrases here always begin with a letter or
//! digit, so a match can only start where a word starts. The text is therefore scanned once,
//! word by word, hashing each word as it goes; a phrase is looked up by the hash of its
//! first word (one-word phrases) or of its first two words (longer phrases), so common first
//! words such as "in" or "the" cost one probe rather than dozens of comparisons. Candidates
//! are then compared byte for byte, which makes hash collisions harmless.
//!
//! Words, for keying, are maximal runs of alphanumeric characters; everything else
//! (spaces, apostrophes, hyphens, punctuation) separates them. Keys use ASCII lowercase, as
//! the comparison does, so "NAVY HELP" and "Navy help" find "navy help".

use crate::document::on_word_boundaries;

/// Byte classes: 0 separator, 1 ASCII letter or digit, 2 start of a multi-byte character
/// (decoded to decide).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            1
        } else if c >= 0xC0 {
            2
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The key of one word: its bytes, ASCII letters lowercased, hashed eight at a time.
///
/// Letters and digits lowercase by setting bit 5 (digits already have it), so a word is
/// lowercased by or-ing whole 8-byte chunks instead of byte by byte. Bytes of non-ASCII
/// characters are changed too, which can only make two different words share a key; the
/// byte-for-byte comparison of candidates makes that harmless.
#[inline]
fn word_key(bytes: &[u8], start: usize, end: usize) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    const LOWER: u64 = 0x2020_2020_2020_2020;
    let len = end - start;
    let mut h = (len as u64).wrapping_mul(K);
    // Most words fit one chunk, read in place; the lanes past the word are masked off.
    if len <= 8 {
        h = (h ^ ((load_upto(bytes, start, len) | LOWER) & low_lanes(len))).wrapping_mul(K);
        return (h ^ (h >> 29)) | 1;
    }
    let mut chunks = bytes[start..end].chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("eight bytes")) | LOWER;
        h = (h ^ v).wrapping_mul(K);
        h ^= h >> 29;
    }
    let n = chunks.remainder().len();
    if n > 0 {
        h = (h ^ ((load_upto(bytes, end - n, n) | LOWER) & low_lanes(n))).wrapping_mul(K);
        h ^= h >> 29;
    }
    h | 1
}

/// The key of two consecutive words.
#[inline]
fn pair_key(a: u64, b: u64) -> u64 {
    (a.rotate_left(29) ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
}

/// A word of a text: where it starts and its key.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    key: u64,
}

/// Whether the multi-byte character starting at byte `i` of `text` is alphanumeric, and
/// its length. General Punctuation (curly quotes, dashes, ellipsis…) is the common case in
/// news text and holds no letter or digit: it is answered without the Unicode tables.
#[inline]
fn wide(text: &str, i: usize) -> (bool, usize) {
    let c = text[i..].chars().next().unwrap_or(' ');
    let alnum = !matches!(c, '\u{2000}'..='\u{206F}') && c.is_alphanumeric();
    (alnum, c.len_utf8())
}

use crate::bytes::{alnum_lanes, gather, load, load_upto, low_lanes, HIGH};

/// Bit i set when byte `pos + i` (i < `len` ≤ 64) belongs to an alphanumeric character.
/// `carry` is the number of continuation bytes of a character begun in an earlier block,
/// with that character's class; it is updated for the next block.
///
/// A full block is classified eight bytes at a time: ASCII bytes by their lane masks
/// (computed with the high bits cleared, so no lane carries into the next), bytes of
/// non-ASCII characters afterwards, by decoding only their lead bytes.
#[inline]
fn word_bits(text: &str, pos: usize, len: usize, carry: &mut (usize, bool)) -> u64 {
    let bytes = text.as_bytes();
    if len < 64 {
        return word_bits_bytewise(text, pos, len, carry);
    }
    let mut mask = 0u64;
    let mut high = 0u64;
    for k in 0..8 {
        let w = load(bytes, pos + 8 * k);
        let h = w & HIGH;
        mask |= gather(alnum_lanes(w & !HIGH) & !h) << (8 * k);
        high |= gather(h) << (8 * k);
    }
    if high == 0 {
        return mask;
    }
    // Continuation bytes of a character begun in the previous block.
    let (cont, class) = *carry;
    *carry = (0, false);
    if cont > 0 {
        let run = (1u64 << cont) - 1;
        if class {
            mask |= run;
        }
        high &= !run;
    }
    // Lead bytes: the character's class covers all its bytes; one running past the block
    // leaves its remaining bytes to the next.
    while high != 0 {
        let i = high.trailing_zeros() as usize;
        let clen = if bytes[pos + i] >= 0xC0 {
            let (alnum, clen) = wide(text, pos + i);
            let here = clen.min(64 - i);
            if alnum {
                mask |= (u64::MAX >> (64 - here)) << i;
            }
            if clen > here {
                *carry = (clen - here, alnum);
            }
            here
        } else {
            1
        };
        high &= !((u64::MAX >> (64 - clen)) << i);
    }
    mask
}

/// [`word_bits`] byte by byte, for a short last block.
fn word_bits_bytewise(text: &str, pos: usize, len: usize, carry: &mut (usize, bool)) -> u64 {
    let bytes = &text.as_bytes()[pos..pos + len];
    let mut mask = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        let bit = if carry.0 > 0 {
            carry.0 -= 1;
            carry.1
        } else if b < 0x80 {
            CLASS[b as usize] == 1
        } else if b >= 0xC0 {
            let (alnum, clen) = wide(text, pos + i);
            *carry = (clen - 1, alnum);
            alnum
        } else {
            false
        };
        mask |= (bit as u64) << i;
    }
    mask
}

/// Calls `f` for every word of `text`, in order. No allocation.
///
/// The text is classified 64 bytes at a time into a bit mask of word bytes (eight ASCII
/// bytes per step, without a branch per byte; a block with non-ASCII bytes is classified
/// byte by byte, decoding only lead bytes), and words are read off the mask's
/// transitions. Hashing happens once per word over whole 8-byte chunks.
#[inline]
fn scan_words(text: &str, mut f: impl FnMut(Word)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut carry = (0usize, false);
    let mut in_word = false;
    let mut start = 0;
    let mut pos = 0;
    while pos < n {
        let len = (n - pos).min(64);
        let mask = word_bits(text, pos, len, &mut carry);
        // Bit k: byte k differs in class from byte k - 1 (a word starts or ends there).
        // Past the end of a short last block the mask is 0, so a word running to the end
        // of the text ends at `n` there.
        let mut t = mask ^ ((mask << 1) | in_word as u64);
        while t != 0 {
            let at = pos + t.trailing_zeros() as usize;
            if in_word {
                f(Word {
                    start,
                    key: word_key(bytes, start, at),
                });
            } else {
                start = at;
            }
            in_word = !in_word;
            t &= t - 1;
        }
        pos += len;
    }
    // A word running to the end of a text whose last block is full.
    if in_word {
        f(Word {
            start,
            key: word_key(bytes, start, n),
        });
    }
}

/// A 65,536-bit filter over keys: most words of a text start no phrase, and this rules
/// them out from 8 KB that stay in the first-level cache, before any table probe.
#[derive(Debug, Clone)]
struct Filter(Box<[u64; 1024]>);

impl Default for Filter {
    fn default() -> Self {
        Filter(Box::new([0; 1024]))
    }
}

impl Filter {
    #[inline]
    fn bit(key: u64) -> (usize, u64) {
        let b = (key >> 48) as usize;
        (b >> 6, 1 << (b & 63))
    }

    fn insert(&mut self, key: u64) {
        let (w, m) = Filter::bit(key);
        self.0[w] |= m;
    }

    #[inline]
    fn may_contain(&self, key: u64) -> bool {
        let (w, m) = Filter::bit(key);
        self.0[w] & m != 0
    }
}

/// An open-addressing table from key to a run of candidate ids.
#[derive(Debug, Clone, Default)]
struct Table {
    /// (key, first candidate, count); key 0 marks an empty slot (keys are odd).
    slots: Vec<(u64, u32, u32)>,
    mask: usize,
    /// The slot of a key is taken from its high bits (the low bit is always set).
    shift: u32,
}

impl Table {
    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }
}

impl Table {
    fn build(mut keyed: Vec<(u64, u32)>, cands: &mut Vec<u32>) -> Table {
        keyed.sort_unstable();
        let groups = keyed.chunk_by(|a, b| a.0 == b.0).count();
        let size = (groups * 2).next_power_of_two().max(16);
        let mut t = Table {
            slots: vec![(0, 0, 0); size],
            mask: size - 1,
            shift: 64 - size.trailing_zeros(),
        };
        for g in keyed.chunk_by(|a, b| a.0 == b.0) {
            let key = g[0].0;
            let first = cands.len() as u32;
            cands.extend(g.iter().map(|&(_, id)| id));
            let mut s = t.slot(key);
            while t.slots[s].0 != 0 {
                s = (s + 1) & t.mask;
            }
            t.slots[s] = (key, first, g.len() as u32);
        }
        t
    }

    #[inline]
    fn get(&self, key: u64) -> Option<(u32, u32)> {
        let mut s = self.slot(key);
        loop {
            let (k, first, len) = self.slots[s];
            if k == key {
                return Some((first, len));
            }
            if k == 0 {
                return None;
            }
            s = (s + 1) & self.mask;
        }
    }
}

/// A phrase does not begin with a letter or digit, so it cannot be keyed by its first word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unkeyable(pub usize);

/// A compiled set of phrases.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    /// Every pattern's bytes, ASCII letters lowercased, one after another (then eight zero
    /// bytes, so any pattern can be read eight bytes at a time); `(offset, length)` per
    /// pattern.
    lower: Vec<u8>,
    /// 0x20 where `lower` has an ASCII letter, 0 elsewhere (same layout).
    case: Vec<u8>,
    spans: Vec<(u32, u32)>,
    /// The longest pattern, in bytes.
    max_len: usize,
    filter: Filter,
    single: Table,
    pair: Table,
    cands: Vec<u32>,
}

impl PhraseIndex {
    /// Compiles `patterns`; a pattern's id is its index. Every pattern must begin with a
    /// letter or digit (the first offending index is returned otherwise).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<PhraseIndex, Unkeyable> {
        let mut single = Vec::new();
        let mut pair = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            let p = p.as_ref();
            let mut words = Vec::with_capacity(2);
            scan_words(p, |w| {
                if words.len() < 2 {
                    words.push(w)
                }
            });
            match words.as_slice() {
                [w, ..] if w.start != 0 => return Err(Unkeyable(id)),
                [] => return Err(Unkeyable(id)),
                [w] => single.push((w.key, id as u32)),
                [a, b, ..] => pair.push((pair_key(a.key, b.key), id as u32)),
            }
        }
        let mut filter = Filter::default();
        for &(k, _) in single.iter().chain(&pair) {
            filter.insert(k);
        }
        let mut cands = Vec::with_capacity(patterns.len());
        let single = Table::build(single, &mut cands);
        let pair = Table::build(pair, &mut cands);
        let mut lower = Vec::new();
        let mut case = Vec::new();
        let mut spans = Vec::with_capacity(patterns.len());
        for p in patterns {
            let p = p.as_ref().as_bytes();
            spans.push((lower.len() as u32, p.len() as u32));
            lower.extend(p.iter().map(u8::to_ascii_lowercase));
            case.extend(
                p.iter()
                    .map(|b| if b.is_ascii_alphabetic() { 0x20 } else { 0 }),
            );
        }
        lower.extend([0; 8]);
        case.extend([0; 8]);
        Ok(PhraseIndex {
            lower,
            case,
            spans,
            max_len: patterns.iter().map(|p| p.as_ref().len()).max().unwrap_or(0),
            filter,
            single,
            pair,
            cands,
        })
    }

    /// Calls `f(start, end, pattern)` for every occurrence of every pattern in `text` that
    /// starts and ends on word boundaries, in order of start (ties in pattern order).
    pub fn for_each_match(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        if self.spans.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        let verify =
            |start: usize, (first, len): (u32, u32), f: &mut dyn FnMut(usize, usize, usize)| {
                for &id in &self.cands[first as usize..(first + len) as usize] {
                    let (at, plen) = self.spans[id as usize];
                    let end = start + plen as usize;
                    if end <= bytes.len()
                        && self.same(bytes, start, at as usize, plen as usize)
                        && text.is_char_boundary(end)
                        && on_word_boundaries(text, start, end)
                    {
                        f(start, end, id as usize);
                    }
                }
            };
        let mut prev: Option<Word> = None;
        scan_words(text, |w| {
            if let Some(p) = prev {
                let k = pair_key(p.key, w.key);
                if self.filter.may_contain(k) {
                    if let Some(run) = self.pair.get(k) {
                        verify(p.start, run, &mut f);
                    }
                }
            }
            if self.filter.may_contain(w.key) {
                if let Some(run) = self.single.get(w.key) {
                    verify(w.start, run, &mut f);
                }
            }
            prev = Some(w);
        });
    }

    /// Whether `bytes[start..start + len]` (in bounds) equals, ASCII case-insensitively,
    /// the pattern stored at `at`: eight bytes at a time, setting bit 5 of the text's bytes
    /// where the pattern has a letter. Only an ASCII letter becomes a given lowercase letter
    /// that way, so the comparison is exact.
    #[inline]
    fn same(&self, bytes: &[u8], start: usize, at: usize, len: usize) -> bool {
        let mut i = 0;
        while i < len {
            let n = (len - i).min(8);
            let t = load_upto(bytes, start + i, n);
            let p = load(&self.lower, at + i);
            let c = load(&self.case, at + i);
            if ((t | c) ^ p) & low_lanes(n) != 0 {
                return false;
            }
            i += 8;
        }
        true
    }

    /// The longest pattern, in bytes (a match is exactly as long as its pattern).
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Every match as `(start, end, pattern)`.
    pub fn find_all(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.for_each_match(text, |s, e, p| out.push((s, e, p)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'a>(ix: &PhraseIndex, text: &'a str) -> Vec<&'a str> {
        let mut v: Vec<_> = ix.find_all(text);
        v.sort();
        v.into_iter().map(|(s, e, _)| &text[s..e]).collect()
    }

    #[test]
    fn matches_on_word_boundaries_in_any_ascii_case() {
        let ix = PhraseIndex::new(&["navy help", "navy", "p.c.", "china's prime chief"]).unwrap();
        let text = "NAVY HELP; navyblue navy-help anti-navy navy, help. P.C. China's Prime Chief";
        assert_eq!(
            found(&ix, text),
            vec!["NAVY", "NAVY HELP", "navy", "P.C.", "China's Prime Chief"]
        );
    }

    #[test]
    fn overlapping_and_nested_matches_are_all_reported() {
        let ix = PhraseIndex::new(&["in the past", "the past", "past", "in the"]).unwrap();
        let got = ix.find_all("a yr in the past");
        let strs: Vec<_> = got
            .iter()
            .map(|&(s, e, _)| &"a yr in the past"[s..e])
            .collect();
        assert_eq!(strs, vec!["in the past", "in the", "the past", "past"]);
    }

    #[test]
    fn non_ascii_letters_are_word_characters_and_quotes_are_not() {
        let ix = PhraseIndex::new(&["vučić", "navy help", "china’s"]).unwrap();
        assert_eq!(
            found(&ix, "“Navy help” said Vučić"),
            vec!["Navy help", "Vučić"]
        );
        assert_eq!(found(&ix, "Vučićev"), Vec::<&str>::new());
        assert_eq!(found(&ix, "China’s"), vec!["China’s"]);
        // The curly apostrophe is a separator, so "china’s" is two words; it does not
        // match the straight spelling (dictionaries list both).
        assert_eq!(found(&ix, "China's"), Vec::<&str>::new());
    }

    #[test]
    fn phrases_must_begin_with_a_letter_or_digit() {
        assert_eq!(PhraseIndex::new(&["ok", "'tis"]).unwrap_err(), Unkeyable(1));
        assert_eq!(PhraseIndex::new(&["", "x"]).unwrap_err(), Unkeyable(0));
    }

    /// The byte-by-byte word scan the block scan replaced: the reference it must equal.
    fn words_reference(text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let (n, mut i, mut out) = (bytes.len(), 0, Vec::new());
        let alnum_at = |i: usize| -> (bool, usize) {
            match CLASS[bytes[i] as usize] {
                1 => (true, 1),
                2 => wide(text, i),
                _ => (false, 1),
            }
        };
        while i < n {
            let (a, l) = alnum_at(i);
            if !a {
                i += l;
                continue;
            }
            let start = i;
            while i < n {
                let (a, l) = alnum_at(i);
                if !a {
                    break;
                }
                i += l;
            }
            out.push((start, i));
        }
        out
    }

    fn words(text: &str) -> Vec<(usize, u64)> {
        let mut v = Vec::new();
        scan_words(text, |w| v.push((w.start, w.key)));
        v
    }

    proptest::proptest! {
        #[test]
        fn the_block_scan_finds_the_same_words(
            s in "([a-zA-Z0-9 .,'@`\\[{\u{7f}-]{0,150}|é|ž|’|—|日|\u{1F600}|\u{80}){0,12}"
        ) {
            let want: Vec<(usize, u64)> = words_reference(&s)
                .into_iter()
                .map(|(a, z)| (a, word_key(s.as_bytes(), a, z)))
                .collect();
            proptest::prop_assert_eq!(words(&s), want);
        }
    }

    /// Every pattern at every position of `text`: the reference answer.
    fn naive(pats: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut naive = Vec::new();
        for s in 0..text.len() {
            for (id, p) in pats.iter().enumerate() {
                let e = s + p.len();
                if text.is_char_boundary(s)
                    && e <= text.len()
                    && text.is_char_boundary(e)
                    && text[s..e].eq_ignore_ascii_case(p)
                    && on_word_boundaries(text, s, e)
                {
                    naive.push((s, e, id));
                }
            }
        }
        naive.sort();
        naive
    }

    #[test]
    fn identical_to_a_naive_search() {
        let pats: Vec<String> = ["a", "a b", "b", "ab", "a-b", "b a", "é", "x é"]
            .map(String::from)
            .to_vec();
        let ix = PhraseIndex::new(&pats).unwrap();
        let text = "a b ab a-b b a é x é xé a_b A B";
        let mut got = ix.find_all(text);
        got.sort();
        assert_eq!(got, naive(&pats, text));
    }

    proptest::proptest! {
        /// Patterns and texts over letters of both cases and the bytes that differ from
        /// them only in bit 5 (`@` `[` `` ` `` `{`, space and NUL…), some longer than eight
        /// bytes, matches running to the end of the text included.
        #[test]
        fn any_patterns_match_as_a_naive_search_does(
            pats in proptest::collection::vec("[aAbBzZ][aAbBzZ@\\[`{ \x00'’é9]{0,12}", 1..6),
            pieces in proptest::collection::vec(
                (0usize..6, proptest::num::u16::ANY, "[aAbBzZ@\\[`{ \x00'’é9]{0,3}"),
                0..12,
            ),
        ) {
            // Copies of the patterns with letters' case flipped at random, between random
            // bytes: occurrences, near misses and words glued to them.
            let mut text = String::new();
            for (which, flips, between) in &pieces {
                for (k, c) in pats[which % pats.len()].chars().enumerate() {
                    let c = if flips >> (k % 16) & 1 == 1 {
                        if c.is_ascii_lowercase() {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    } else {
                        c
                    };
                    text.push(c);
                }
                text.push_str(between);
            }
            let ix = PhraseIndex::new(&pats).unwrap();
            let mut got = ix.find_all(&text);
            got.sort();
            proptest::prop_assert_eq!(got, naive(&pats, &text));
        }
    }
}
