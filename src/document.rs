//! The decoded text of one input, with byte-offset spans and lazily built views.
//!
//! Every position in ungarble is a byte offset into a document's text; line and column
//! numbers are computed only when a person needs to read them (emitters, `check`).

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

/// A half-open byte range `start..end` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// One input's text: immutable, cheap to clone, with views built on first use.
#[derive(Debug, Clone)]
pub struct Document {
    text: Arc<str>,
    line_starts: Arc<OnceLock<Vec<usize>>>,
    word_count: Arc<OnceLock<usize>>,
}

impl Document {
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        Document {
            text: text.into(),
            line_starts: Arc::new(OnceLock::new()),
            word_count: Arc::new(OnceLock::new()),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut v = vec![0];
            v.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            v
        })
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[starts[line]..offset.min(self.text.len())]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// Number of word tokens (see [`tokens`]).
    pub fn word_count(&self) -> usize {
        *self.word_count.get_or_init(|| count_words(&self.text))
    }
}

/// A token: a word (letters and digits with inner `'`, `’`, `-`, `.`) or one punctuation
/// character. Whitespace separates tokens and is not a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub start: usize,
    pub text: &'a str,
    pub is_word: bool,
}

impl Token<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Characters that may join two alphanumeric runs into one word.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '-' | '.')
}

/// The character at byte `i` of `text` (a char boundary) and its length; ASCII without
/// decoding.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (b as char, 1)
    } else {
        let c = text[i..].chars().next().expect("char boundary");
        (c, c.len_utf8())
    }
}

/// The number of word tokens of `text` (as [`tokens`] gives them), counted without
/// building tokens: a word starts at a letter or digit that neither follows one nor
/// follows a joiner that follows one ("far-reaching" and "U.S." are one word each).
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    // Whether the previous character is alphanumeric, and whether it is a joiner right
    // after an alphanumeric one.
    let (mut prev_alnum, mut prev_join) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        // Whole blocks of 64 ASCII bytes are counted with bit masks: a word starts at a
        // letter or digit whose previous byte is neither one nor a joiner after one.
        if let Some(words) = crate::bytes::ascii_block(bytes, i) {
            use crate::bytes::{alnum_lanes, ascii_range_mask, block_bits};
            let alnum = block_bits(&words, alnum_lanes);
            // Joiners: ' (0x27), - and . (0x2D, 0x2E).
            let join = block_bits(&words, |v| {
                ascii_range_mask(v, b'\'', b'\'') | ascii_range_mask(v, b'-', b'.')
            });
            let after_alnum = alnum << 1 | u64::from(prev_alnum);
            let join_after_alnum = join & after_alnum;
            let after_join = join_after_alnum << 1 | u64::from(prev_join);
            count += (alnum & !after_alnum & !after_join).count_ones() as usize;
            prev_alnum = alnum >> 63 == 1;
            prev_join = join_after_alnum >> 63 == 1;
            i += 64;
            continue;
        }
        // Otherwise character by character, up to the next 64 bytes.
        let stop = (i + 64).min(bytes.len());
        while i < stop {
            let b = bytes[i];
            let (alnum, join, len) = if b < 0x80 {
                (
                    b.is_ascii_alphanumeric(),
                    matches!(b, b'\'' | b'-' | b'.'),
                    1,
                )
            } else {
                let (c, len) = char_at(text, i);
                (c.is_alphanumeric(), c == '\u{2019}', len)
            };
            if alnum && !prev_alnum && !prev_join {
                count += 1;
            }
            prev_join = join && prev_alnum;
            prev_alnum = alnum;
            i += len;
        }
    }
    count
}

/// Tokenises `text` into words and single punctuation characters.
///
/// Walks bytes and decodes only non-ASCII characters: this runs over every document and
/// around every dictionary match, so it avoids a peekable char iterator.
pub fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> + '_ {
    let n = text.len();
    let mut i = 0;
    std::iter::from_fn(move || loop {
        if i >= n {
            return None;
        }
        let start = i;
        let (c, len) = char_at(text, i);
        i += len;
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            return Some(Token {
                start,
                text: &text[start..i],
                is_word: false,
            });
        }
        let mut has_inner_period = false;
        while i < n {
            let (d, dl) = char_at(text, i);
            if d.is_alphanumeric() {
                i += dl;
            } else if is_joiner(d) {
                let after = i + dl;
                let next_alnum = after < n && char_at(text, after).0.is_alphanumeric();
                if next_alnum {
                    has_inner_period |= d == '.';
                    i = after;
                } else {
                    // An abbreviation such as "U.S." keeps its final period.
                    if d == '.' && has_inner_period {
                        i = after;
                    }
                    break;
                }
            } else {
                break;
            }
        }
        return Some(Token {
            start,
            text: &text[start..i],
            is_word: true,
        });
    })
}

/// The comparison form of a token or phrase token: lowercase, curly apostrophes straight,
/// periods dropped ("U.S." → "us").
pub fn normalize_token(s: &str) -> String {
    if s == "." {
        return ".".to_string();
    }
    s.chars()
        .filter(|&c| c != '.')
        .flat_map(|c| {
            let c = if c == '\u{2019}' { '\'' } else { c };
            c.to_lowercase()
        })
        .collect()
}

/// True when `token` (raw text) equals `normalized` (already in comparison form).
pub fn token_matches(token: &str, normalized: &str) -> bool {
    if token == "." {
        return normalized == ".";
    }
    // Nearly every token is ASCII: compare bytes (same answer as the general loop below).
    if token.is_ascii() {
        let mut want = normalized.bytes();
        for b in token.bytes().filter(|&b| b != b'.') {
            if want.next() != Some(b.to_ascii_lowercase()) {
                return false;
            }
        }
        return want.next().is_none();
    }
    let mut want = normalized.chars();
    for c in token.chars().filter(|&c| c != '.') {
        let c = if c == '\u{2019}' { '\'' } else { c };
        for l in c.to_lowercase() {
            if want.next() != Some(l) {
                return false;
            }
        }
    }
    want.next().is_none()
}

/// A token in comparison form, kept on the stack, for comparing one token with many
/// phrase words (the dictionary's context lists): the same answers as [`token_matches`],
/// without re-normalising the token for every word.
#[derive(Debug, Clone, Copy)]
pub struct NormToken<'a> {
    raw: &'a str,
    buf: [u8; 40],
    /// Length of the comparison form in `buf`; `u8::MAX` when the token is not plain
    /// ASCII of at most 40 bytes (compared with [`token_matches`] instead).
    len: u8,
}

impl<'a> NormToken<'a> {
    pub fn new(raw: &'a str) -> Self {
        let mut t = NormToken {
            raw,
            buf: [0; 40],
            len: u8::MAX,
        };
        if raw != "." && raw.is_ascii() {
            let mut n = 0;
            for b in raw.bytes().filter(|&b| b != b'.') {
                if n == t.buf.len() {
                    return t;
                }
                t.buf[n] = b.to_ascii_lowercase();
                n += 1;
            }
            t.len = n as u8;
        }
        t
    }

    /// The key of the comparison form (the key `dictionary` gives context phrases): equal
    /// for a token and a phrase word that [`NormToken::matches`].
    pub fn key(&self) -> u64 {
        if self.len == u8::MAX {
            crate::dictionary::token_key(normalize_token(self.raw).as_bytes())
        } else {
            crate::dictionary::token_key(&self.buf[..self.len as usize])
        }
    }

    /// Does this token equal `normalized` (a word already in comparison form)?
    #[inline]
    pub fn matches(&self, normalized: &str) -> bool {
        if self.len == u8::MAX {
            token_matches(self.raw, normalized)
        } else {
            &self.buf[..self.len as usize] == normalized.as_bytes()
        }
    }
}

impl Default for NormToken<'_> {
    fn default() -> Self {
        NormToken::new("")
    }
}

/// Is `c` part of a word for boundary purposes (letters, digits, `_`, `-`)?
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// True when `span` of `text` starts and ends on word boundaries.
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    // An ASCII neighbour (the usual case) is answered from its byte.
    let ascii_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let before_ok = match text.as_bytes()[..start].last() {
        None => true,
        Some(&b) if b < 0x80 => !ascii_word(b),
        Some(_) => text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c)),
    };
    let after_ok = match text.as_bytes().get(end) {
        None => true,
        Some(&b) if b < 0x80 => !ascii_word(b),
        Some(_) => text[end..].chars().next().is_none_or(|c| !is_word_char(c)),
    };
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous, char-iterator tokeniser: the reference the fast one must equal.
    fn tokens_reference(text: &str) -> impl Iterator<Item = Token<'_>> + '_ {
        let mut it = text.char_indices().peekable();
        std::iter::from_fn(move || loop {
            let (start, c) = it.next()?;
            if c.is_whitespace() {
                continue;
            }
            if !c.is_alphanumeric() {
                return Some(Token {
                    start,
                    text: &text[start..start + c.len_utf8()],
                    is_word: false,
                });
            }
            let mut end = start + c.len_utf8();
            let mut has_inner_period = false;
            loop {
                match it.peek() {
                    Some(&(i, d)) if d.is_alphanumeric() => {
                        end = i + d.len_utf8();
                        it.next();
                    }
                    Some(&(i, d)) if is_joiner(d) => {
                        let after = i + d.len_utf8();
                        let next_alnum = text[after..]
                            .chars()
                            .next()
                            .is_some_and(|n| n.is_alphanumeric());
                        if next_alnum {
                            has_inner_period |= d == '.';
                            end = after;
                            it.next();
                        } else {
                            // An abbreviation such as "U.S." keeps its final period.
                            if d == '.' && has_inner_period {
                                end = after;
                                it.next();
                            }
                            break;
                        }
                    }
                    _ => break,
                }
            }
            return Some(Token {
                start,
                text: &text[start..end],
                is_word: true,
            });
        })
    }

    #[test]
    fn norm_token_agrees_with_token_matches() {
        let words = ["us", "u.s.", "navy's", "navy", ".", "vučić", "", "a"];
        for raw in [
            "U.S.", "Navy’s", "navy's", "NAVY", ".", "Vučić", "VUČIĆ", "A", "a.", "",
        ] {
            let n = NormToken::new(raw);
            for w in words {
                assert_eq!(n.matches(w), token_matches(raw, w), "{raw:?} vs {w:?}");
            }
        }
        let long = "x".repeat(60);
        assert!(NormToken::new(&long).matches(&long));
    }

    #[test]
    fn fast_tokens_equal_the_reference() {
        let cases = [
            "The U.S. navy's far-reaching aid, it said.",
            "a--b a.-b U.S.A x'y ’tis Vučić’s — “quoted” ½ x² e.g. i.e.",
            "end.",
            ".",
            "'",
            "a.",
            "a.b.",
            "  \t\n",
            "ünïcödé-wörds. ok",
        ];
        for c in cases {
            assert_eq!(
                count_words(c),
                tokens(c).filter(|t| t.is_word).count(),
                "{c:?}"
            );
            let fast: Vec<_> = tokens(c).map(|t| (t.start, t.text, t.is_word)).collect();
            let slow: Vec<_> = tokens_reference(c)
                .map(|t| (t.start, t.text, t.is_word))
                .collect();
            assert_eq!(fast, slow, "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_tokens_equal_the_reference_on_any_text(s in "[a-zA-Z0-9 .,'’\\-éü—“”½²\n]{0,40}") {
            let fast: Vec<_> = tokens(&s).map(|t| (t.start, t.text, t.is_word)).collect();
            let slow: Vec<_> = tokens_reference(&s).map(|t| (t.start, t.text, t.is_word)).collect();
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn counted_words_equal_word_tokens(s in "([a-zA-Z0-9 .,'’\\-éü—“”½²\n]{0,40}|[a-z .'-]{0,150}){0,4}") {
            proptest::prop_assert_eq!(count_words(&s), tokens(&s).filter(|t| t.is_word).count());
        }

        #[test]
        fn a_token_and_its_comparison_form_share_a_key(s in "([a-zA-Z.’'é]{1,50}|\\.|,)") {
            let want = crate::dictionary::token_key(normalize_token(&s).as_bytes());
            proptest::prop_assert_eq!(NormToken::new(&s).key(), want);
        }
    }

    fn words(s: &str) -> Vec<&str> {
        tokens(s).map(|t| t.text).collect()
    }

    #[test]
    fn tokenizes_words_abbreviations_and_punctuation() {
        assert_eq!(
            words("The U.S. navy's far-reaching aid, it said."),
            vec![
                "The",
                "U.S.",
                "navy's",
                "far-reaching",
                "aid",
                ",",
                "it",
                "said",
                "."
            ]
        );
        assert_eq!(words("end. Next"), vec!["end", ".", "Next"]);
        assert_eq!(words("China’s  chief"), vec!["China’s", "chief"]);
    }

    #[test]
    fn normalizes_for_comparison() {
        assert_eq!(normalize_token("U.S."), "us");
        assert_eq!(normalize_token("China’s"), "china's");
        assert!(token_matches("U.S.", "us"));
        assert!(token_matches("China’s", "china's"));
        assert!(!token_matches("Chinas", "china's"));
    }

    #[test]
    fn line_col_is_one_based_in_chars() {
        let d = Document::new("ab\nčd x");
        assert_eq!(d.line_col(0), (1, 1));
        assert_eq!(d.line_col(3), (2, 1));
        assert_eq!(d.line_col(6), (2, 3));
        assert_eq!(d.word_count(), 3);
    }

    #[test]
    fn word_boundaries_treat_hyphen_as_inside() {
        let t = "well-known fact";
        assert!(!on_word_boundaries(t, 5, 10));
        assert!(on_word_boundaries(t, 11, 15));
    }
}
