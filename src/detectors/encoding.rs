//! Encoding damage inside decoded text: mojibake (UTF-8 bytes once decoded as
//! Windows-1252, "donâ€™t" for "don’t"), invisible characters inside words (zero-width
//! spaces, soft hyphens) and stray control characters.
//!
//! Mojibake is repaired only where the damaged run re-encodes to Windows-1252 bytes that
//! form valid UTF-8: when there is not enough signal the text is left as it is. Doubly
//! damaged text is repaired over successive passes of the resolver.

use crate::detector::{Context, Detector, Sink};
use crate::document::{Document, Span};
use crate::finding::{Applicability, Edit, Evidence, Finding, Kind, Rule};

pub static MOJIBAKE: Rule = Rule {
    code: "E001",
    name: "mojibake",
    kind: Kind::Encoding,
    what: "UTF-8 text that was once decoded as Windows-1252 or Latin-1: each non-ASCII \
           character became two or three others (\"â€™\" for \"’\", \"Ã©\" for \"é\").",
    example: "donâ€™t → don’t; cafÃ© → café",
    fix_safety: "safe when the run re-encodes to valid UTF-8 and yields typographic \
                 punctuation or a letter with a diacritic, or when the document has several \
                 such runs; review otherwise",
};

pub static INVISIBLE: Rule = Rule {
    code: "E002",
    name: "invisible-character",
    kind: Kind::Encoding,
    what: "A zero-width space, word joiner or soft hyphen between two letters: invisible, \
           but it breaks searching, matching and counting of the word.",
    example: "sanc\\u{AD}tions → sanctions",
    fix_safety: "safe; zero-width joiners and non-joiners are only removed between Latin \
                 letters (elsewhere they shape scripts and emoji)",
};

pub static CONTROL: Rule = Rule {
    code: "E003",
    name: "control-character",
    kind: Kind::Encoding,
    what: "A control character (C0 other than tab, line feed, carriage return and form feed; \
           DEL; C1) that has no place in text.",
    example: "word\\u{1}s → words",
    fix_safety: "safe",
};

/// Characters Windows-1252 gives to the bytes 0x80–0x9F (0x81, 0x8D, 0x8F, 0x90, 0x9D are
/// undefined there and survive as C1 controls).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The Windows-1252 byte for a character, if it has one above 0x7F.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 {
        return None;
    }
    if (0xA0..=0xFF).contains(&u) || (0x80..=0x9F).contains(&u) {
        // Latin-1 range maps to itself; C1 controls stand for undefined bytes.
        if (0x80..=0x9F).contains(&u) && CP1252_HIGH.contains(&c) {
            return Some(u as u8);
        }
        if (0xA0..=0xFF).contains(&u) {
            return Some(u as u8);
        }
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// Results that make a repair safe on its own: typographic punctuation and letters with
/// diacritics are what mojibake usually hides.
fn plausible(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(
            c,
            '’' | '‘'
                | '“'
                | '”'
                | '–'
                | '—'
                | '…'
                | '•'
                | '€'
                | '£'
                | '©'
                | '®'
                | '™'
                | '°'
                | '\u{a0}'
        ) || (c.is_alphabetic() && !c.is_ascii())
    })
}

/// Tries to undo one layer of mojibake in `run`: Windows-1252 bytes that form UTF-8.
fn repair(run: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = run.chars().map(cp1252_byte).collect();
    let bytes = bytes?;
    let s = String::from_utf8(bytes).ok()?;
    // Each repaired character must have come from at least two damaged ones.
    (s.chars().count() * 2 <= run.chars().count() && !s.chars().any(|c| c.is_control()))
        .then_some(s)
}

/// The encoding detector.
#[derive(Debug, Default, Clone, Copy)]
pub struct EncodingDamage;

impl Detector for EncodingDamage {
    fn name(&self) -> &'static str {
        "encoding"
    }

    fn detect(&self, doc: &Document, _cx: &Context, sink: &mut Sink) {
        let text = doc.text();
        if !text.is_ascii() {
            mojibake(text, sink);
        }
        invisible_and_control(text, sink);
    }
}

/// E001 over the whole text.
fn mojibake(text: &str, sink: &mut Sink) {
    {
        // Mojibake: maximal runs of characters that have a Windows-1252 byte above 0x7F.
        let mut repairs = Vec::new();
        let mut run_start: Option<usize> = None;
        let check = |s: usize, e: usize, repairs: &mut Vec<(Span, String)>| {
            let run = &text[s..e];
            // A run may join several damaged characters or hold a real one next to a
            // damaged one: try the whole run, then each split point from the left.
            if let Some(r) = repair(run) {
                repairs.push((Span::new(s, e), r));
                return;
            }
            let idx: Vec<usize> = run
                .char_indices()
                .map(|(i, _)| i)
                .chain([run.len()])
                .collect();
            let mut i = 0;
            while i + 1 < idx.len() {
                let mut done = false;
                for j in (i + 2..idx.len()).rev() {
                    if let Some(r) = repair(&run[idx[i]..idx[j]]) {
                        repairs.push((Span::new(s + idx[i], s + idx[j]), r));
                        i = j;
                        done = true;
                        break;
                    }
                }
                if !done {
                    i += 1;
                }
            }
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // ASCII has no Windows-1252 byte above 0x7F: it only ends a run.
            if bytes[i] < 0x80 {
                if let Some(s) = run_start.take() {
                    check(s, i, &mut repairs);
                }
                i = crate::bytes::next_non_ascii(bytes, i + 1);
                continue;
            }
            let c = text[i..].chars().next().expect("a character starts here");
            match (cp1252_byte(c).is_some(), run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    check(s, i, &mut repairs);
                    run_start = None;
                }
                _ => {}
            }
            i += c.len_utf8();
        }
        if let Some(s) = run_start {
            check(s, text.len(), &mut repairs);
        }
        let many = repairs.len() >= 2;
        for (span, fixed) in repairs {
            let safe = many || plausible(&fixed);
            sink.push(
                Finding::new(
                    &MOJIBAKE,
                    span,
                    format!("mojibake \"{}\" for \"{fixed}\"", &text[span.range()]),
                )
                .with_confidence(if safe { 0.95 } else { 0.7 })
                .with_evidence(
                    Evidence::default().with(
                        "bytes",
                        text[span.range()]
                            .chars()
                            .filter_map(cp1252_byte)
                            .map(|b| format!("{b:02X}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                )
                .with_fix(
                    vec![Edit::new(span, fixed)],
                    if safe {
                        Applicability::Safe
                    } else {
                        Applicability::Review
                    },
                ),
            );
        }
    }
}

/// E002 and E003 over the whole text.
///
/// Walks the text once with its previous character in hand; the next character is decoded
/// only for the rare candidates (nothing is collected per character, which would cost
/// sixteen bytes for every byte of a large file).
fn invisible_and_control(text: &str, sink: &mut Sink) {
    // Plain ASCII text is the common case: letters, digits, punctuation, tab, newline.
    let plain = |b: u8| (b' '..=b'~').contains(&b) || matches!(b, b'\t' | b'\n' | b'\r');
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if plain(bytes[i]) {
            i = crate::bytes::next_unusual(bytes, i + 1);
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts here");
        let prev = text[..i].chars().next_back();
        let span = Span::new(i, i + c.len_utf8());
        i = span.end;
        let next = text[span.end..].chars().next();
        let between =
            |f: fn(&char) -> bool| prev.is_some_and(|p| f(&p)) && next.is_some_and(|n| f(&n));
        let invisible = match c {
            '\u{200B}' | '\u{2060}' | '\u{00AD}' => between(|c| c.is_alphanumeric()),
            '\u{FEFF}' => i > 0 && between(|c| c.is_alphanumeric()),
            '\u{200C}' | '\u{200D}' => between(|c| c.is_ascii_alphabetic()),
            _ => false,
        };
        // A C1 control inside a mojibake run is covered by that longer repair, which the
        // resolver prefers.
        let found = if invisible {
            Some((
                &INVISIBLE,
                format!("invisible U+{:04X} inside a word", c as u32),
            ))
        } else if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            Some((&CONTROL, format!("control character U+{:04X}", c as u32)))
        } else {
            None
        };
        if let Some((rule, message)) = found {
            sink.push(
                Finding::new(rule, span, message)
                    .with_fix(vec![Edit::deletion(span)], Applicability::Safe),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolver::Resolver;

    fn clean(s: &str) -> String {
        Resolver::default()
            .resolve(s.into(), &[&EncodingDamage], None)
            .cleaned
    }

    #[test]
    fn repairs_mojibake() {
        assert_eq!(clean("donâ€™t"), "don’t");
        assert_eq!(clean("a cafÃ© and a crÃ¨me"), "a café and a crème");
        assert_eq!(clean("â€œofficialsâ€\u{9d} said"), "“officials” said");
        // twice-damaged text comes back over two passes
        assert_eq!(clean("donÃ¢â‚¬â„¢t"), "don’t");
    }

    #[test]
    fn leaves_real_text_alone() {
        for s in [
            "São Paulo",
            "naïve café",
            "Vučić",
            "£5 — “quoted” – ok",
            "Ã alone",
            "ÂÂ",
        ] {
            assert_eq!(clean(s), s, "{s}");
        }
    }

    #[test]
    fn removes_invisible_and_control_characters() {
        assert_eq!(
            clean("sanc\u{AD}tions and wo\u{200B}rd"),
            "sanctions and word"
        );
        assert_eq!(clean("bad\u{1}byte\u{7f}"), "badbyte");
        // a BOM at the start, a joiner in an emoji, tabs and form feeds stay
        for s in ["\u{FEFF}text", "👩\u{200D}💻", "a\tb\u{c}c"] {
            assert_eq!(clean(s), s);
        }
    }
}
