//! Scraping junk: navigation, share and comment prompts, appeals, site bylines, "related"
//! teasers, breadcrumbs, and unrelated blocks glued after an article.
//!
//! Junk lines are recognised by whole-line patterns (`dictionaries/junk/lines.toml`,
//! compiled once into one `RegexSet`), so the same words inside a real sentence never
//! match; ambiguous patterns only count in the head or tail of a document (before the first
//! or after the last paragraph of running text). Removing a line is an edit like any other.
//! An unrelated tail block is found by vocabulary overlap with the article body and is only
//! ever proposed at review level.

use crate::FastSet as HashSet;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use crate::detector::{Context, Detector, Sink};
use crate::dictionary::{DictError, DictProblem};
use crate::document::{count_words, tokens, Document, Span};
use crate::finding::{Applicability, Edit, Evidence, Finding, Kind, Rule};

pub static JUNK_LINE: Rule = Rule {
    code: "J001",
    name: "junk-line",
    kind: Kind::Junk,
    what: "A whole line that a scraper carried along with the article: a share or comment \
           prompt, a subscription or donation appeal, a site byline, a \"related\" teaser, \
           navigation, an advertising label. Patterns match whole lines only; ambiguous ones \
           only at the head or tail of the document.",
    example: "…last paragraph.\\n\\nLeave a Reply → …last paragraph.",
    fix_safety: "safe: the line is removed together with the blank lines that separated it",
};

pub static BREADCRUMB: Rule = Rule {
    code: "J002",
    name: "breadcrumb",
    kind: Kind::Junk,
    what: "A navigation trail (\"Home » News » …\") in front of the title at the top of a \
           document.",
    example: "Home » A weapon for Russia… → A weapon for Russia…",
    fix_safety: "safe: only the trail is removed; the title stays",
};

pub static UNRELATED_TAIL: Rule = Rule {
    code: "J003",
    name: "unrelated-tail-block",
    kind: Kind::Junk,
    what: "A block of paragraphs after a share, comment or related prompt at the end of a \
           document whose vocabulary barely overlaps the article before it: another page's \
           text glued on by the scraper.",
    example: "…article.\\nShare the Post:\\n\\nAn appeal about something else… → …article.",
    fix_safety: "review: a person confirms; the evidence gives the overlap score",
};

/// A block after a boundary is proposed for removal when at most this share of its
/// distinct content words also occur in the article body.
pub const DRIFT_MAX_OVERLAP: f64 = 0.35;
/// …and when it has at least this many words (shorter tails are not worth a guess).
pub const DRIFT_MIN_WORDS: usize = 40;
/// A line with at least this many words that ends like a sentence is running text (a
/// "body paragraph"); titles, however long, rarely end with a full stop.
const BODY_MIN_WORDS: usize = 12;

fn is_body(text: &str, l: &Line) -> bool {
    l.words >= BODY_MIN_WORDS
        && trim(&text[l.start..l.content_end]).ends_with(['.', '!', '?', '"', '\u{201D}', ')', ':'])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Zone {
    Any,
    Edge,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    name: String,
    kind: String,
    regex: String,
    zone: Zone,
    max_words: Option<usize>,
    #[serde(default)]
    tests: Vec<String>,
    #[serde(default)]
    allows: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    pattern: Vec<toml::Spanned<RawPattern>>,
}

/// One junk-line pattern.
#[derive(Debug, Clone)]
pub struct JunkPattern {
    pub name: String,
    pub kind: String,
    zone: Zone,
    max_words: usize,
    pub tests: Vec<String>,
    pub allows: Vec<String>,
}

const JUNK_KINDS: &[&str] = &[
    "navigation",
    "share",
    "comment",
    "subscribe",
    "donation",
    "byline",
    "related",
    "advert",
    "boilerplate",
];

/// Kinds of junk line after which an unrelated block may follow.
const BOUNDARY_KINDS: &[&str] = &["share", "comment", "related", "subscribe", "donation"];

/// The built-in junk-line patterns.
pub const BUILTIN_LINES: &str = include_str!("../../dictionaries/junk/lines.toml");

/// The junk detector.
#[derive(Debug, Clone)]
pub struct Junk {
    set: RegexSet,
    patterns: Vec<JunkPattern>,
    crumb: Regex,
    /// The most words any pattern allows: longer lines are never junk lines.
    max_words: usize,
}

/// Trims whitespace, including non-breaking spaces.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

impl Junk {
    pub fn builtin() -> Result<Junk, DictError> {
        Junk::load("junk/lines.toml", BUILTIN_LINES)
    }

    /// Parses and validates a junk-line pattern file.
    pub fn load(name: &str, src: &str) -> Result<Junk, DictError> {
        let problem = |line: usize, message: String| DictProblem {
            file: name.to_string(),
            line,
            message,
        };
        let line_of = |off: usize| src[..off.min(src.len())].matches('\n').count() + 1;
        let raw: RawFile = toml::from_str(src).map_err(|e| {
            DictError(vec![problem(
                e.span().map_or(0, |s| line_of(s.start)),
                e.message().to_string(),
            )])
        })?;
        let mut problems = Vec::new();
        let mut regexes = Vec::new();
        let mut patterns = Vec::new();
        let mut names = HashSet::default();
        for sp in raw.pattern {
            let line = line_of(sp.span().start);
            let p = sp.into_inner();
            let full = format!("(?i)^(?:{})$", p.regex);
            // Only syntax is checked here (compiling happens once, for the whole set).
            if let Err(e) = regex_syntax::Parser::new().parse(&full) {
                problems.push(problem(
                    line,
                    format!("pattern {}: invalid regex: {e}", p.name),
                ));
                continue;
            }
            if !JUNK_KINDS.contains(&p.kind.as_str()) {
                problems.push(problem(
                    line,
                    format!("pattern {}: unknown kind \"{}\"", p.name, p.kind),
                ));
            }
            if !names.insert(p.name.clone()) {
                problems.push(problem(
                    line,
                    format!("pattern {} is defined twice", p.name),
                ));
            }
            if p.tests.is_empty() {
                problems.push(problem(line, format!("pattern {} has no tests", p.name)));
            }
            regexes.push(full);
            patterns.push(JunkPattern {
                name: p.name,
                kind: p.kind,
                zone: p.zone,
                max_words: p.max_words.unwrap_or(8),
                tests: p.tests,
                allows: p.allows,
            });
        }
        if !problems.is_empty() {
            return Err(DictError(problems));
        }
        let set = regex::RegexSetBuilder::new(&regexes)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| {
                DictError(vec![problem(
                    0,
                    format!("patterns do not compile together: {e}"),
                )])
            })?;
        Ok(Junk {
            set,
            max_words: patterns.iter().map(|p| p.max_words).max().unwrap_or(0),
            patterns,
            crumb: Regex::new(r"^(?i:home(page)?|main page|front page)\s*[»›>|/]\s*").unwrap(),
        })
    }

    pub fn patterns(&self) -> &[JunkPattern] {
        &self.patterns
    }

    /// The pattern a whole line matches, ignoring zones: its index.
    pub fn match_line(&self, line: &str) -> Option<usize> {
        self.match_counted(line, spaced_words(line, self.max_words + 1))
    }

    /// [`Junk::match_line`] for a line whose whitespace-separated words were counted (up
    /// to at least one more than any pattern allows).
    fn match_counted(&self, line: &str, spaced: usize) -> Option<usize> {
        let t = trim(line);
        // Most lines are paragraphs of running text: rule them out by length before any
        // regex runs.
        if t.is_empty() || spaced > self.max_words {
            return None;
        }
        // Nearly every short line is not junk: the set's lazy DFA answers that quickly;
        // which patterns matched needs the slower overlapping search, run only on a hit.
        if !self.set.is_match(t) {
            return None;
        }
        let words = count_words(t);
        self.set
            .matches(t)
            .into_iter()
            .find(|&i| words <= self.patterns[i].max_words)
    }
}

/// A non-blank line: where it starts, where its content ends (before `\r\n`/`\n`), and
/// where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
    /// Whitespace-separated words, counted up to a cap (enough to tell running text and
    /// to rule out junk patterns; exact counts are taken only where a decision needs them).
    words: usize,
}

/// Whitespace-separated words of `s`, counted up to `cap`.
fn spaced_words(s: &str, cap: usize) -> usize {
    use crate::bytes::{ascii_range_mask, gather, load, HIGH, ONES};
    let bytes = s.as_bytes();
    let (mut n, mut in_word, mut i) = (0, false, 0);
    // Bytes at the start of the next block that belong to a whitespace character begun in
    // this one (a three-byte space at a block's end).
    let mut carry = 0u32;
    // The last, partial block, padded with spaces (which start no word).
    let mut last = [b' '; 64];
    while i < bytes.len() && n < cap {
        // 64 bytes at a time: a word starts at a non-space after a space.
        let block: &[u8] = if i + 64 <= bytes.len() {
            &bytes[i..i + 64]
        } else {
            last[..bytes.len() - i].copy_from_slice(&bytes[i..]);
            &last
        };
        let (mut space, mut leads) = (0u64, 0u64);
        for k in 0..8 {
            let v = load(block, 8 * k);
            // ASCII whitespace: the space and \t \n \v \f \r (0x09..=0x0D), tested on
            // the low seven bits of ASCII lanes only (no carries between lanes).
            let low = v & !HIGH;
            let sp = (ascii_range_mask(low, b' ', b' ') | ascii_range_mask(low, 0x09, 0x0D)) & !v;
            space |= gather(sp) << (8 * k);
            if v & HIGH != 0 {
                // Lead bytes of the only non-ASCII whitespace: U+0085 and U+00A0 (0xC2),
                // U+1680 (0xE1), U+2000..U+205F (0xE2), U+3000 (0xE3).
                let c2 = v ^ (0xC2 * ONES);
                let e0 = v ^ (0xE0 * ONES);
                let lead = (ascii_range_mask(c2 & !HIGH, 0, 0) & !c2)
                    | (ascii_range_mask(e0 & !HIGH, 1, 3) & !e0);
                leads |= gather(lead) << (8 * k);
            }
        }
        // The rest of a whitespace character begun in the block before.
        if carry > 0 {
            space |= (1u64 << carry) - 1;
            carry = 0;
        }
        // Non-ASCII whitespace (rare): decoded where a possible lead byte is.
        while leads != 0 {
            let at = leads.trailing_zeros() as usize;
            leads &= leads - 1;
            let c = s[i + at..]
                .chars()
                .next()
                .expect("a lead byte starts a char");
            if c.is_whitespace() {
                let end = at + c.len_utf8();
                if end >= 64 {
                    space |= !0u64 << at;
                    carry = (end - 64) as u32;
                } else {
                    space |= ((1u64 << c.len_utf8()) - 1) << at;
                }
            }
        }
        let word = !space;
        let starts = word & !(word << 1 | u64::from(in_word));
        n += starts.count_ones() as usize;
        in_word = word >> 63 == 1;
        i += 64;
    }
    n.min(cap)
}

fn content_lines(text: &str, cap: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let nl = memchr::memchr(b'\n', &text.as_bytes()[start..]).map(|i| start + i);
        let end = nl.map_or(text.len(), |i| i + 1);
        let mut ce = nl.unwrap_or(text.len());
        if ce > start && text.as_bytes()[ce - 1] == b'\r' {
            ce -= 1;
        }
        let t = &text[start..ce];
        if !trim(t).is_empty() {
            out.push(Line {
                start,
                content_end: ce,
                end,
                words: spaced_words(t, cap),
            });
        }
        start = end;
    }
    out
}

/// Common words that say nothing about what a text is about (a `match`, which compiles
/// to a comparison by length and bytes instead of a walk through a list).
fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "that"
            | "this"
            | "with"
            | "from"
            | "have"
            | "been"
            | "were"
            | "will"
            | "would"
            | "their"
            | "there"
            | "they"
            | "which"
            | "what"
            | "when"
            | "where"
            | "while"
            | "also"
            | "about"
            | "into"
            | "more"
            | "than"
            | "them"
            | "these"
            | "those"
            | "such"
            | "only"
            | "other"
            | "some"
            | "many"
            | "most"
            | "over"
            | "after"
            | "before"
            | "very"
            | "just"
            | "like"
            | "said"
            | "says"
            | "could"
            | "should"
            | "may"
            | "might"
            | "must"
            | "your"
            | "ours"
            | "because"
            | "through"
            | "being"
            | "each"
            | "both"
            | "even"
            | "then"
            | "here"
            | "upon"
            | "within"
            | "without"
            | "however"
    )
}

/// Calls `f` with each content word of `text`: lowercase words of four or more letters,
/// final "s" dropped, stop words left out; stops when `f` returns false. One buffer is
/// reused, so nothing is allocated per word (the body of an article can be long).
fn for_each_content_word(text: &str, mut f: impl FnMut(&str) -> bool) {
    let mut buf = String::new();
    for t in tokens(text) {
        // Fewer than four bytes cannot hold four letters.
        if !t.is_word
            || t.text.len() < 4
            || t.text.chars().filter(|c| c.is_alphabetic()).take(4).count() < 4
        {
            continue;
        }
        buf.clear();
        if t.text.is_ascii() {
            buf.push_str(t.text);
            buf.make_ascii_lowercase();
        } else {
            for c in t.text.chars() {
                if c == '\u{2019}' {
                    buf.push('\'');
                } else {
                    buf.extend(c.to_lowercase());
                }
            }
        }
        let w = buf.strip_suffix("'s").unwrap_or(&buf);
        let w = w.strip_suffix('s').unwrap_or(w);
        if !is_stop_word(w) && !f(w) {
            return;
        }
    }
}

/// The set of content words of some texts (see [`for_each_content_word`]).
fn content_words<'t>(texts: impl Iterator<Item = &'t str>) -> HashSet<String> {
    let mut set = HashSet::default();
    for text in texts {
        for_each_content_word(text, |w| {
            if !set.contains(w) {
                set.insert(w.to_string());
            }
            true
        });
    }
    set
}

impl Detector for Junk {
    fn name(&self) -> &'static str {
        "junk"
    }

    fn detect(&self, doc: &Document, _cx: &Context, sink: &mut Sink) {
        let text = doc.text();
        let lines = content_lines(text, BODY_MIN_WORDS.max(self.max_words + 1));
        if lines.is_empty() {
            return;
        }
        // Lines a pattern matches (whatever their position) never count as running text,
        // so a long appeal at the end does not make itself part of the body.
        let matched: Vec<Option<usize>> = lines
            .iter()
            .map(|l| self.match_counted(&text[l.start..l.content_end], l.words))
            .collect();
        let body = |i: usize| matched[i].is_none() && is_body(text, &lines[i]);
        let first_body = (0..lines.len()).find(|&i| body(i));
        let last_body = (0..lines.len()).rev().find(|&i| body(i));
        let at_edge = |i: usize| match (first_body, last_body) {
            (Some(f), Some(l)) => i < f || i > l,
            _ => true,
        };
        let mut junk: Vec<Option<usize>> = matched
            .iter()
            .enumerate()
            .map(|(i, m)| m.filter(|&p| self.patterns[p].zone == Zone::Any || at_edge(i)))
            .collect();

        // J002: a breadcrumb trail in the first lines.
        for (i, l) in lines.iter().enumerate().take(3) {
            if junk[i].is_some() {
                continue;
            }
            let t = &text[l.start..l.content_end];
            let lead = t.len() - t.trim_start().len();
            let Some(m) = self.crumb.find(&t[lead..]) else {
                continue;
            };
            // Skip further crumbs: up to the last separator with short segments before it.
            let rest_start = lead + m.end();
            let mut cut = rest_start;
            let rest = &t[rest_start..];
            let mut offset = 0;
            for seg in rest.split_inclusive(['»', '›']) {
                let is_last = offset + seg.len() == rest.len();
                if is_last || count_words(seg) > 4 {
                    break;
                }
                offset += seg.len();
                cut = rest_start + offset;
                cut += t[cut..].len() - t[cut..].trim_start().len();
            }
            let title = trim(&t[cut..]);
            if count_words(title) < 3 {
                // Nothing but a trail: the whole line is junk.
                junk[i] = Some(usize::MAX);
                continue;
            }
            let span = Span::new(l.start + lead, l.start + cut);
            sink.push(
                Finding::new(
                    &BREADCRUMB,
                    span,
                    format!(
                        "breadcrumb trail \"{}\" before the title",
                        trim(&t[lead..cut])
                    ),
                )
                .with_fix(vec![Edit::deletion(span)], Applicability::Safe),
            );
        }

        // J001: remove junk lines with the blank lines that separated them.
        let n = lines.len();
        for i in 0..n {
            let Some(p) = junk[i] else { continue };
            let tail_run = junk[i + 1..].iter().all(Option::is_some);
            let del = if !tail_run || i == 0 {
                let end = if i + 1 < n {
                    lines[i + 1].start
                } else {
                    lines[i].end
                };
                Span::new(lines[i].start, end)
            } else if i == 1 && junk[0].is_some() {
                Span::new(lines[i].start, lines[i].end)
            } else {
                // Last lines of the document: remove from the end of the previous line, so
                // the document keeps its final newline (or its absence).
                Span::new(lines[i - 1].content_end, lines[i].content_end)
            };
            let l = lines[i];
            let t = trim(&text[l.start..l.content_end]);
            let (name, kind) = if p == usize::MAX {
                ("breadcrumb", "navigation")
            } else {
                (
                    self.patterns[p].name.as_str(),
                    self.patterns[p].kind.as_str(),
                )
            };
            sink.push(
                Finding::new(
                    &JUNK_LINE,
                    Span::new(l.start, l.content_end),
                    format!("{kind} junk: \"{t}\""),
                )
                .with_evidence(Evidence::default().with("pattern", name).with(
                    "position",
                    if at_edge(i) {
                        "head or tail"
                    } else {
                        "between paragraphs"
                    },
                ))
                .with_fix(vec![Edit::deletion(del)], Applicability::Safe),
            );
        }

        // J003: an unrelated block after the last boundary prompt.
        let boundary = (0..n).rev().find(|&i| {
            junk[i].is_some_and(|p| {
                p != usize::MAX && BOUNDARY_KINDS.contains(&self.patterns[p].kind.as_str())
            }) && (i + 1..n).any(|j| junk[j].is_none())
        });
        if let Some(b) = boundary {
            let block: Vec<usize> = (b + 1..n).filter(|&j| junk[j].is_none()).collect();
            let body: Vec<usize> = (0..b).filter(|&j| junk[j].is_none()).collect();
            let line = |j: usize| &text[lines[j].start..lines[j].content_end];
            // Either side only has to be long enough: its lines are counted until it is
            // (the block's whole count is taken only for a finding's message).
            let enough_words = |ix: &[usize]| {
                let mut n = 0;
                for &j in ix {
                    if n >= DRIFT_MIN_WORDS {
                        break;
                    }
                    n += count_words(line(j));
                }
                n >= DRIFT_MIN_WORDS
            };
            if enough_words(&block) && enough_words(&body) {
                // The block is short; the body is looked through for its words only, and
                // only until the overlap is too large for the block to be unrelated.
                let kw = content_words(block.iter().map(|&j| line(j)));
                let enough = (DRIFT_MAX_OVERLAP * kw.len() as f64).floor() as usize + 1;
                let mut found: HashSet<&str> = HashSet::default();
                for &j in &body {
                    if found.len() >= enough {
                        break;
                    }
                    for_each_content_word(&text[lines[j].start..lines[j].content_end], |w| {
                        if let Some(k) = kw.get(w) {
                            found.insert(k.as_str());
                        }
                        found.len() < enough
                    });
                }
                let shared = found.len();
                let overlap = shared as f64 / kw.len().max(1) as f64;
                if overlap <= DRIFT_MAX_OVERLAP {
                    let block_words: usize = block.iter().map(|&j| count_words(line(j))).sum();
                    let last = *block.last().unwrap();
                    // From the end of the line before the boundary to the end of the block.
                    let start = if b > 0 {
                        lines[b - 1].content_end
                    } else {
                        lines[b].start
                    };
                    let span = Span::new(start, lines[last].content_end);
                    let first_words: String =
                        trim(&text[lines[block[0]].start..lines[block[0]].content_end])
                            .chars()
                            .take(60)
                            .collect();
                    sink.push(
                        Finding::new(
                            &UNRELATED_TAIL,
                            Span::new(lines[b].start, lines[last].content_end),
                            format!(
                                "{} words after \"{}\" share only {:.0}% of their vocabulary with the article: another page's text?",
                                block_words,
                                trim(&text[lines[b].start..lines[b].content_end]),
                                overlap * 100.0
                            ),
                        )
                        .with_confidence(0.7)
                        .with_evidence(
                            Evidence::default()
                                .with("overlap", format!("{overlap:.3}"))
                                .with("threshold", format!("{DRIFT_MAX_OVERLAP}"))
                                .with("block words", block_words.to_string())
                                .with("block starts", first_words),
                        )
                        .with_fix(vec![Edit::deletion(span)], Applicability::Review),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolver::Resolver;

    fn clean(s: &str) -> String {
        let j = Junk::builtin().unwrap();
        Resolver::default().resolve(s.into(), &[&j], None).cleaned
    }

    proptest::proptest! {
        #[test]
        fn spaced_words_count_as_split_whitespace_does_on_any_text(
            t in "([a-z]{1,9}| |\t|\n|\u{b}|\u{c}|\r){0,120}(\u{a0}|\u{2003}|é| |[a-z]{1,4}){0,10}([a-z]{1,9}| |\r){0,40}([a-z]{1,9}| |\u{85}|\u{a0}|\u{1680}|\u{2000}|\u{200a}|\u{200b}|\u{2028}|\u{202f}|\u{205f}|\u{3000}|“|”|’|–|\u{e1}|\u{c2}|\u{2100}|\u{30a2}|\u{1f600}){0,90}",
            cap in 0usize..80,
        ) {
            proptest::prop_assert_eq!(spaced_words(&t, cap), t.split_whitespace().take(cap).count());
        }
    }

    #[test]
    fn spaced_words_count_as_split_whitespace_does() {
        for t in [
            "",
            "  ",
            "one",
            " a  b\tc\u{a0}d\u{b}e\u{2003}f ",
            "Share\u{a0}this — “post” now",
            "é ü ½",
        ] {
            for cap in [0, 1, 3, 100] {
                assert_eq!(
                    spaced_words(t, cap),
                    t.split_whitespace().take(cap).count(),
                    "{t:?} {cap}"
                );
            }
        }
    }

    #[test]
    fn every_pattern_passes_its_examples() {
        let j = Junk::builtin().unwrap();
        for (i, p) in j.patterns().iter().enumerate() {
            for t in &p.tests {
                assert_eq!(j.match_line(t), Some(i), "{}: {t:?}", p.name);
            }
            for a in &p.allows {
                assert_eq!(j.match_line(a), None, "{}: {a:?}", p.name);
            }
        }
    }

    #[test]
    fn removes_junk_at_head_tail_and_middle() {
        let body = "This is a real paragraph of the article with enough words to count as running text for the detector.";
        let doc = format!("Support Us\n\nTitle of the piece\n\nby alex\n\n{body}\n\nAdvertisement\n\n{body}\n\nYou may also like\n\nLeave a Comment\n");
        assert_eq!(
            clean(&doc),
            format!("Title of the piece\n\n{body}\n\n{body}\n")
        );
        let no_final_newline = format!("{body}\n\nLeave a Reply");
        assert_eq!(clean(&no_final_newline), body);
    }

    #[test]
    fn sentences_that_look_like_junk_stay() {
        let body = "This is a real paragraph of the article with enough words to count as running text for the detector.";
        for s in [
            "Share the post-war burden",
            "Leave a reply to the ministry within a week",
            "by accident",
            "Comments from the minister followed.",
        ] {
            let doc = format!("{body}\n\n{s}\n\n{body}\n");
            assert_eq!(clean(&doc), doc, "{s}");
        }
        // Edge-only patterns stay between paragraphs.
        let doc = format!("{body}\n\nComments\n\n{body}\n");
        assert_eq!(clean(&doc), doc);
    }

    #[test]
    fn breadcrumb_before_title() {
        assert_eq!(
            clean("Home » World » A long title about the war\n\nA long title about the war\n"),
            "A long title about the war\n\nA long title about the war\n"
        );
        assert_eq!(clean("Home » News\n\nText here.\n"), "Text here.\n");
    }
}
