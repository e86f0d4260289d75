//! Typography damage: stray spaces, spaced compound dashes, doubled title lines.
//!
//! Everything here scans bytes line by line once; the rules only touch ASCII spaces and
//! tabs, dashes and whole duplicated lines. Quotes, non-breaking spaces, line endings and
//! the presence or absence of a final newline are never changed.

use crate::detector::{Context, Detector, Sink};
use crate::document::{Document, Span};
use crate::finding::{Applicability, Edit, Evidence, Finding, Kind, Rule};

pub static SPACE_BEFORE_PUNCTUATION: Rule = Rule {
    code: "T001",
    name: "space-before-punctuation",
    kind: Kind::Typography,
    what: "Spaces between a word and the comma, full stop, colon, semicolon, question or \
           exclamation mark that follows it. English sets these marks tight against the word; \
           the space is left behind by scrapers and translation tools.",
    example: "in the spring . → in the spring.",
    fix_safety: "safe: only ASCII spaces are removed, only when the mark ends a word \
                 (followed by a space, a line end or a closing quote); ellipses and emoticons are left",
};

pub static SPACED_COMPOUND_DASH: Rule = Rule {
    code: "T002",
    name: "spaced-compound-dash",
    kind: Kind::Typography,
    what: "A compound word split by a spaced en dash or hyphen (\"far – reaching\"). A dash \
           between clauses is left alone: the rule fires only when the left word is a bound \
           prefix (anti, non, self…), or a known compound head meets a known compound tail \
           (far + reaching, long + term), or the right word is a participle that forms \
           compounds (Kremlin-backed, state-owned).",
    example: "far – reaching → far-reaching",
    fix_safety: "safe: the word lists are closed and documented in the source",
};

pub static SPACE_RUN: Rule = Rule {
    code: "T003",
    name: "space-run",
    kind: Kind::Typography,
    what: "Two or more spaces inside a line, between words. Indentation and lines that look \
           like aligned columns are left alone.",
    example: "the  war → the war",
    fix_safety: "safe",
};

pub static REPEATED_LINE: Rule = Rule {
    code: "T004",
    name: "repeated-line",
    kind: Kind::Typography,
    what: "A line repeated right after itself (only blank lines between), typically a title \
           scraped twice.",
    example: "Title\\n\\nTitle\\n\\nBody → Title\\n\\nBody",
    fix_safety: "safe when the repeated line is the document's first line (a doubled title); \
                 review elsewhere",
};

pub static TRAILING_SPACE: Rule = Rule {
    code: "T005",
    name: "trailing-space",
    kind: Kind::Typography,
    what: "Spaces or tabs at the end of a line. Non-breaking spaces are left.",
    example: "end.   ⏎ → end.⏎",
    fix_safety: "safe",
};

/// Prefixes that cannot end a clause, so `prefix – word` is always a compound.
const BOUND_PREFIXES: &[&str] = &[
    "anti", "co", "counter", "ex", "inter", "intra", "mid", "multi", "neo", "non", "post", "pre",
    "pro", "pseudo", "quasi", "self", "semi", "ultra", "vice",
];

/// Words that start common compounds when followed by one of [`COMPOUND_TAILS`].
const COMPOUND_HEADS: &[&str] = &[
    "all", "broad", "cross", "deep", "far", "first", "full", "half", "hard", "high", "large",
    "long", "low", "middle", "narrow", "near", "old", "one", "open", "short", "small", "so", "top",
    "two", "well", "wide", "world",
];

/// Second halves of common compounds.
const COMPOUND_TAILS: &[&str] = &[
    "based",
    "called",
    "class",
    "established",
    "fledged",
    "hand",
    "known",
    "level",
    "line",
    "minded",
    "off",
    "profile",
    "quality",
    "range",
    "ranging",
    "rank",
    "reaching",
    "risk",
    "round",
    "scale",
    "sided",
    "sighted",
    "speed",
    "standing",
    "term",
    "time",
    "wide",
];

/// Participles that form compounds with almost any word before them.
const PARTICIPLE_TAILS: &[&str] = &[
    "affiliated",
    "backed",
    "based",
    "controlled",
    "funded",
    "led",
    "linked",
    "oriented",
    "owned",
    "run",
    "sponsored",
    "supported",
];

/// Words that never form the left half of such a compound (a dash after them is a clause
/// dash).
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "i", "in", "is", "it", "its", "not", "of", "on", "or", "our",
    "she", "that", "the", "their", "them", "there", "these", "they", "this", "those", "to", "was",
    "we", "were", "which", "who", "will", "with", "would", "you",
];

/// The typography detector.
#[derive(Debug, Default)]
pub struct Typography;

impl Typography {
    pub fn new() -> Self {
        Typography
    }
}

impl Detector for Typography {
    fn name(&self) -> &'static str {
        "typography"
    }

    fn detect(&self, doc: &Document, _cx: &Context, sink: &mut Sink) {
        let text = doc.text();
        let mut first_content_line = true;
        let mut prev_content: Option<(usize, usize, usize)> = None; // (start, content_end, line_end)
        let mut line_start = 0;
        while line_start <= text.len() {
            let nl = memchr::memchr(b'\n', &text.as_bytes()[line_start..]).map(|i| line_start + i);
            let line_end = nl.map_or(text.len(), |i| i + 1); // after the '\n'
            let mut content_end = nl.unwrap_or(text.len());
            if content_end > line_start && text.as_bytes()[content_end - 1] == b'\r' {
                content_end -= 1;
            }
            let line = &text[line_start..content_end];
            let trimmed_len = line.trim_end_matches([' ', '\t']).len();

            // T005: trailing spaces and tabs.
            if trimmed_len < line.len() {
                let span = Span::new(line_start + trimmed_len, content_end);
                sink.push(
                    Finding::new(&TRAILING_SPACE, span, "trailing whitespace")
                        .with_fix(vec![Edit::deletion(span)], Applicability::Safe),
                );
            }
            let body = &line[..trimmed_len];
            space_rules(body, line_start, sink);
            dash_rule(body, line_start, sink);

            // T004: a content line equal to the previous content line, blanks between.
            if !body.trim().is_empty() {
                if let Some((ps, pe, pl)) = prev_content {
                    let prev = text[ps..pe].trim_end_matches([' ', '\t']);
                    if prev == body && is_repeatable(body) {
                        let at_top = first_content_line;
                        // Remove the blank lines after the first copy and the second copy
                        // with its line ending, so the first copy keeps its separator.
                        let span = Span::new(pl, line_end);
                        let declared = if at_top {
                            Applicability::Safe
                        } else {
                            Applicability::Review
                        };
                        let (del_start, del_end) = if nl.is_some() {
                            (pl, line_end)
                        } else {
                            // Last line without a newline: remove the preceding line break(s)
                            // and the copy, keeping the first copy's own line end absent.
                            (pe, content_end)
                        };
                        let del = Span::new(del_start, del_end);
                        sink.push(
                            Finding::new(
                                &REPEATED_LINE,
                                span,
                                if at_top {
                                    "title line repeated right after itself"
                                } else {
                                    "line repeated right after itself"
                                },
                            )
                            .with_evidence(Evidence::default().with("repeated line", body))
                            .with_fix(vec![Edit::deletion(del)], declared),
                        );
                        // The second copy never becomes "previous": a third copy is found
                        // on the next pass.
                        line_start = line_end;
                        if nl.is_none() {
                            break;
                        }
                        continue;
                    }
                    first_content_line = false;
                }
                prev_content = Some((line_start, content_end, line_end));
            }
            if nl.is_none() {
                break;
            }
            line_start = line_end;
        }
    }
}

/// A line worth de-duplicating: at least two words with letters.
fn is_repeatable(line: &str) -> bool {
    line.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
        >= 2
}

/// T001 and T003 over one line's content (trailing spaces already excluded).
fn space_rules(line: &str, offset: usize, sink: &mut Sink) {
    let bytes = line.as_bytes();
    // Lines with two or more runs of three spaces look like aligned columns: leave them.
    // (Counted only when a run of spaces needs the answer.)
    let mut tabular: Option<bool> = None;
    let mut i = 0;
    while i < bytes.len() {
        i = skip_plain(bytes, i);
        if i >= bytes.len() {
            break;
        }
        if bytes[i] != b' ' {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let run_end = i;
        if run_start == 0 || i >= bytes.len() {
            continue; // indentation, or nothing after (trailing handled elsewhere)
        }
        let p = bytes[run_end];
        let long = run_end - run_start >= 2;
        let punct = matches!(p, b',' | b'.' | b';' | b':' | b'!' | b'?');
        // A single space before a word, the usual case, needs nothing more.
        if !punct && !long {
            continue;
        }
        if punct {
            let before = line[..run_start].chars().next_back().unwrap();
            if punct_ends_word(line, run_end, before) {
                let span = Span::new(offset + run_start, offset + run_end);
                sink.push(
                    Finding::new(
                        &SPACE_BEFORE_PUNCTUATION,
                        Span::new(offset + run_start, offset + run_end + 1),
                        format!("space before '{}'", p as char),
                    )
                    .with_fix(vec![Edit::deletion(span)], Applicability::Safe),
                );
                continue;
            }
        }
        if long && !*tabular.get_or_insert_with(|| line.matches("   ").count() >= 2) {
            let span = Span::new(offset + run_start, offset + run_end);
            sink.push(
                Finding::new(
                    &SPACE_RUN,
                    span,
                    format!("{} spaces in a row", run_end - run_start),
                )
                .with_fix(vec![Edit::new(span, " ")], Applicability::Safe),
            );
        }
    }
}

/// From `i` (not inside a run of spaces), the first position at or after it where a space
/// is followed by a space or by one of `, . ; : ! ?` (where a run the rules look at
/// begins), or a position near it from which the caller's byte walk must go on. Eight
/// ASCII bytes are tested at a time; text with other bytes is left to the caller.
fn skip_plain(bytes: &[u8], mut i: usize) -> usize {
    use crate::bytes::{ascii_range_mask, load, HIGH};
    while i + 9 <= bytes.len() {
        let (v, w) = (load(bytes, i), load(bytes, i + 1));
        if (v | w) & HIGH != 0 {
            break;
        }
        let space = ascii_range_mask(v, b' ', b' ');
        // What follows each byte: a space or `!` (0x20..=0x21), `,`, `.`, `:` `;`, `?`.
        let next = ascii_range_mask(w, b' ', b'!')
            | ascii_range_mask(w, b',', b',')
            | ascii_range_mask(w, b'.', b'.')
            | ascii_range_mask(w, b':', b';')
            | ascii_range_mask(w, b'?', b'?');
        let hit = space & next;
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Is the punctuation at `at` a word-ending mark that a preceding space should not
/// separate from the word before (`before`)?
fn punct_ends_word(line: &str, at: usize, before: char) -> bool {
    let word_before = before.is_alphanumeric()
        || matches!(
            before,
            ')' | ']' | '"' | '\'' | '\u{201D}' | '\u{2019}' | '%'
        );
    if !word_before {
        return false;
    }
    let p = line.as_bytes()[at];
    let next = line[at + 1..].chars().next();
    match next {
        None => true,
        Some(c) if c == ' ' || c == '\t' => true,
        // Ellipsis (" ...") and runs such as " ?!" are a style, not damage.
        Some('.') | Some('!') | Some('?') => false,
        Some(_) if matches!(p, b':' | b';') => false,
        Some(c) => matches!(c, '"' | '\u{201D}' | '\u{2019}' | ')' | ']'),
    }
}

/// T002 over one line.
fn dash_rule(line: &str, offset: usize, sink: &mut Sink) {
    let bytes = line.as_bytes();
    // Only a hyphen or an en dash (E2 80 93) between spaces can be a split compound: find
    // their bytes (memchr) instead of decoding every character.
    for i in memchr::memchr2_iter(b'-', 0xE2, bytes) {
        let dash_len = match bytes[i] {
            b'-' => 1,
            _ if bytes[i + 1..].starts_with(&[0x80, 0x93]) => 3,
            _ => continue,
        };
        let dash_end = i + dash_len;
        // Exactly " – " with single spaces around.
        if i < 2 || !line[..i].ends_with(' ') || !line[dash_end..].starts_with(' ') {
            continue;
        }
        let left_end = i - 1;
        let right_start = dash_end + 1;
        let left = last_word(&line[..left_end]);
        let right = first_word(&line[right_start..]);
        let (Some(left), Some(right)) = (left, right) else {
            continue;
        };
        if !is_compound(left, right) {
            continue;
        }
        let span = Span::new(offset + left_end, offset + right_start);
        let whole = Span::new(
            offset + left_end - left.len(),
            offset + right_start + right.len(),
        );
        sink.push(
            Finding::new(
                &SPACED_COMPOUND_DASH,
                whole,
                format!("compound \"{left}-{right}\" split by a spaced dash"),
            )
            .with_fix(vec![Edit::new(span, "-")], Applicability::Safe),
        );
    }
}

fn last_word(s: &str) -> Option<&str> {
    let start = s
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let w = &s[start..];
    (!w.is_empty()).then_some(w)
}

fn first_word(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
    let w = &s[..end];
    (!w.is_empty()).then_some(w)
}

fn is_compound(left: &str, right: &str) -> bool {
    // The right half of a compound is lowercase ("far-reaching", not "far – Reaching").
    if !right.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let l = left.to_lowercase();
    if BOUND_PREFIXES.contains(&l.as_str()) {
        return true;
    }
    if COMPOUND_HEADS.contains(&l.as_str()) && COMPOUND_TAILS.contains(&right) {
        return true;
    }
    PARTICIPLE_TAILS.contains(&right) && !FUNCTION_WORDS.contains(&l.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolver::Resolver;

    /// The line rules as first written (a char walk for dashes, the column test and the
    /// preceding character computed for every space run): the reference.
    fn space_rules_reference(line: &str, offset: usize, sink: &mut Sink) {
        let bytes = line.as_bytes();
        // Lines with two or more runs of three spaces look like aligned columns: leave them.
        let wide_runs = line.matches("   ").count();
        let tabular = wide_runs >= 2;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b' ' {
                i += 1;
                continue;
            }
            let run_start = i;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            let run_end = i;
            if run_start == 0 || i >= bytes.len() {
                continue; // indentation, or nothing after (trailing handled elsewhere)
            }
            let before = line[..run_start].chars().next_back().unwrap();
            let p = bytes[run_end];
            if matches!(p, b',' | b'.' | b';' | b':' | b'!' | b'?')
                && punct_ends_word(line, run_end, before)
            {
                let span = Span::new(offset + run_start, offset + run_end);
                sink.push(
                    Finding::new(
                        &SPACE_BEFORE_PUNCTUATION,
                        Span::new(offset + run_start, offset + run_end + 1),
                        format!("space before '{}'", p as char),
                    )
                    .with_fix(vec![Edit::deletion(span)], Applicability::Safe),
                );
                continue;
            }
            if run_end - run_start >= 2 && !tabular {
                let span = Span::new(offset + run_start, offset + run_end);
                sink.push(
                    Finding::new(
                        &SPACE_RUN,
                        span,
                        format!("{} spaces in a row", run_end - run_start),
                    )
                    .with_fix(vec![Edit::new(span, " ")], Applicability::Safe),
                );
            }
        }
    }

    fn dash_rule_reference(line: &str, offset: usize, sink: &mut Sink) {
        for (i, c) in line.char_indices() {
            if c != '\u{2013}' && c != '-' {
                continue;
            }
            let dash_end = i + c.len_utf8();
            // Exactly " – " with single spaces around.
            if i < 2 || !line[..i].ends_with(' ') || !line[dash_end..].starts_with(' ') {
                continue;
            }
            let left_end = i - 1;
            let right_start = dash_end + 1;
            let left = last_word(&line[..left_end]);
            let right = first_word(&line[right_start..]);
            let (Some(left), Some(right)) = (left, right) else {
                continue;
            };
            if !is_compound(left, right) {
                continue;
            }
            let span = Span::new(offset + left_end, offset + right_start);
            let whole = Span::new(
                offset + left_end - left.len(),
                offset + right_start + right.len(),
            );
            sink.push(
                Finding::new(
                    &SPACED_COMPOUND_DASH,
                    whole,
                    format!("compound \"{left}-{right}\" split by a spaced dash"),
                )
                .with_fix(vec![Edit::new(span, "-")], Applicability::Safe),
            );
        }
    }

    fn spans(sink: &Sink) -> Vec<(&'static str, Span, String, Option<String>)> {
        sink.findings
            .iter()
            .map(|f| {
                (
                    f.rule,
                    f.span,
                    f.message.clone(),
                    f.suggestion().map(str::to_string),
                )
            })
            .collect()
    }

    #[test]
    fn every_space_case_is_found_at_every_offset() {
        // Each kind of space run, at every position within the eight-byte steps of the
        // fast skip, in ASCII text long enough for it to run.
        for case in [" ,", " .", " ;", " :", " !", " ?", "  ", "   ", "  ,", " x"] {
            for pad in 0..17 {
                let line = format!("{}ab{case} cd efgh ijkl mnop qrst", "x".repeat(pad));
                let (mut a, mut b) = (Sink::default(), Sink::default());
                space_rules(&line, 0, &mut a);
                space_rules_reference(&line, 0, &mut b);
                assert_eq!(spans(&a), spans(&b), "{line:?}");
                assert_eq!(a.findings.is_empty(), case == " x", "{line:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_line_rules_are_unchanged(line in "(anti|far|reaching|backed|Reaching|the|[a-z]{1,6}| {1,4}|[,.;:!?\"')]|-){0,50}(–|—|é|\t)?(anti|far|reaching|backed|Reaching|the|[a-z]{1,6}| {1,4}|[,.;:!?\"')]|-){0,20}") {
            let (mut a, mut b) = (Sink::default(), Sink::default());
            space_rules(&line, 7, &mut a);
            dash_rule(&line, 7, &mut a);
            space_rules_reference(&line, 7, &mut b);
            dash_rule_reference(&line, 7, &mut b);
            proptest::prop_assert_eq!(spans(&a), spans(&b));
        }
    }

    fn clean(s: &str) -> String {
        Resolver::default()
            .resolve(s.into(), &[&Typography], None)
            .cleaned
    }

    #[test]
    fn space_before_punctuation() {
        assert_eq!(clean("in the spring . And"), "in the spring. And");
        assert_eq!(clean("Belarus , and"), "Belarus, and");
        assert_eq!(clean("devastatingly ."), "devastatingly.");
        assert_eq!(clean("Why ?\n"), "Why?\n");
        // left alone
        assert_eq!(clean("wait ... then"), "wait ... then");
        assert_eq!(clean("great :) yes"), "great :) yes");
        assert_eq!(clean("runs on .NET now"), "runs on .NET now");
        assert_eq!(clean("\u{201C}quote\u{201D} ."), "\u{201C}quote\u{201D}.");
    }

    #[test]
    fn compound_dashes() {
        assert_eq!(clean("far – reaching"), "far-reaching");
        assert_eq!(clean("a long - term plan"), "a long-term plan");
        assert_eq!(clean("Kremlin – backed forces"), "Kremlin-backed forces");
        assert_eq!(clean("anti – war"), "anti-war");
        // clause dashes stay
        assert_eq!(clean("He came – and went"), "He came – and went");
        assert_eq!(
            clean("the ally — a staunch one"),
            "the ally — a staunch one"
        );
        assert_eq!(clean("it was far – Reaching"), "it was far – Reaching");
        assert_eq!(
            clean("they are – based on this"),
            "they are – based on this"
        );
        assert_eq!(clean("2 - 3 times"), "2 - 3 times");
    }

    #[test]
    fn space_runs_and_trailing() {
        assert_eq!(clean("the  war   ended"), "the war ended");
        assert_eq!(clean("  indented  text"), "  indented text");
        assert_eq!(clean("end.   \nnext\t\r\nlast  "), "end.\nnext\r\nlast");
        assert_eq!(clean("a   b   c\nd   e   f"), "a   b   c\nd   e   f");
        assert_eq!(clean("nbsp\u{a0}\nkept"), "nbsp\u{a0}\nkept");
    }

    #[test]
    fn repeated_title() {
        assert_eq!(
            clean("Big News Today\n\n\nBig News Today\n\nBody."),
            "Big News Today\n\nBody."
        );
        assert_eq!(
            clean("Big News Today\r\n\r\nBig News Today\r\nBody"),
            "Big News Today\r\nBody"
        );
        assert_eq!(clean("Big News Today\n\nBig News Today"), "Big News Today");
        // three copies converge in later passes
        assert_eq!(clean("A title\nA title\nA title\n"), "A title\n");
        // not adjacent: stays
        assert_eq!(clean("A title\nx y\nA title\n"), "A title\nx y\nA title\n");
        // one-word lines stay
        assert_eq!(clean("Hello\n\nHello\n"), "Hello\n\nHello\n");
    }

    #[test]
    fn repeated_body_line_is_review_level() {
        let out = Resolver::default().resolve(
            "Title here\n\nSame line here\nSame line here\n".into(),
            &[&Typography],
            None,
        );
        assert_eq!(
            out.cleaned,
            "Title here\n\nSame line here\nSame line here\n"
        );
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].finding.applicability, Applicability::Review);
    }
}
