//! Unified diffs from the original to the cleaned text, in the form `patch -p1` applies.
//!
//! The diff is written from the edit log rather than recomputed by a diff algorithm: the
//! log already says exactly which bytes changed, so each edit only has to be widened to
//! whole lines. That is exact (a diff never shows a change the tool did not make) and
//! linear in the size of the text; a line diff of a large file with many scattered edits
//! costs time proportional to the text times the number of changes.

use std::io::Write;

use crate::resolver::EditLog;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A changed region: whole original lines `old` (line indices) and the text that
/// replaces them.
struct Region {
    old: std::ops::Range<usize>,
    new_text: String,
}

/// A unified diff (3 lines of context) from `original` to its cleaned form given by
/// `log`, with `a/` and `b/` headers; empty when nothing changed. A missing final newline
/// is marked the way `patch` expects ("\ No newline at end of file").
pub fn unified(rel: &str, original: &str, log: &EditLog) -> String {
    let mut out = Vec::new();
    write_unified(&mut out, rel, original, log).expect("writing to memory");
    String::from_utf8(out).expect("the diff of UTF-8 texts is UTF-8")
}

/// Streams the diff of [`unified`] to `out`, one hunk at a time.
pub fn write_unified(
    out: &mut dyn Write,
    rel: &str,
    original: &str,
    log: &EditLog,
) -> std::io::Result<()> {
    if log.edits.is_empty() {
        return Ok(());
    }
    // Line starts of the original; a final line without a newline counts as a line.
    let mut starts = vec![0];
    starts.extend(
        original
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < original.len()),
    );
    let n_lines = if original.is_empty() { 0 } else { starts.len() };
    let line_of = |pos: usize| starts.partition_point(|&s| s <= pos).saturating_sub(1);
    let at_line_start = |pos: usize| pos == original.len() || starts.binary_search(&pos).is_ok();
    // The byte where the line containing `pos` ends (after its newline).
    let line_end = |pos: usize| match memchr::memchr(b'\n', &original.as_bytes()[pos..]) {
        Some(i) => pos + i + 1,
        None => original.len(),
    };

    let mut regions: Vec<Region> = Vec::new();
    let mut i = 0;
    let edits = &log.edits;
    while i < edits.len() {
        let ls = starts[line_of(edits[i].start)];
        let mut new_text = String::new();
        let mut pos = ls;
        let le;
        loop {
            let e = &edits[i];
            new_text.push_str(&original[pos..e.start]);
            new_text.push_str(&e.replacement);
            pos = e.end;
            i += 1;
            // The region may stop right after this edit if that is a line boundary in
            // both texts; otherwise it runs to the end of the line the edit ends in.
            let end = if e.end > e.start
                && at_line_start(e.end)
                && (new_text.is_empty() || new_text.ends_with('\n'))
            {
                e.end
            } else {
                line_end(e.end)
            };
            // A following edit on a line the region covers joins it.
            if i < edits.len() && starts[line_of(edits[i].start)] < end {
                continue;
            }
            le = end;
            break;
        }
        new_text.push_str(&original[pos..le]);
        let first = line_of(ls);
        let last = line_of_start(&starts, le, n_lines);
        regions.push(Region {
            old: first..last,
            new_text,
        });
    }

    let old_line = |k: usize| -> &str {
        let s = starts[k];
        let e = if k + 1 < starts.len() {
            starts[k + 1]
        } else {
            original.len()
        };
        &original[s..e]
    };
    write!(out, "--- a/{rel}\n+++ b/{rel}\n")?;
    // Groups of regions close enough to share a hunk.
    let mut delta: isize = 0; // new line numbers minus old ones, before the group
    let mut g = 0;
    while g < regions.len() {
        let mut h = g;
        while h + 1 < regions.len() && regions[h + 1].old.start <= regions[h].old.end + 2 * CONTEXT
        {
            h += 1;
        }
        let from = regions[g].old.start.saturating_sub(CONTEXT);
        let to = (regions[h].old.end + CONTEXT).min(n_lines);
        let mut body = String::new();
        let (mut old_count, mut new_count) = (0usize, 0usize);
        let mut line = from;
        let mut group_delta: isize = 0;
        for r in &regions[g..=h] {
            while line < r.old.start {
                push_line(&mut body, ' ', old_line(line));
                old_count += 1;
                new_count += 1;
                line += 1;
            }
            for k in r.old.clone() {
                push_line(&mut body, '-', old_line(k));
            }
            let new_lines: Vec<&str> = r.new_text.split_inclusive('\n').collect();
            for l in &new_lines {
                push_line(&mut body, '+', l);
            }
            old_count += r.old.len();
            new_count += new_lines.len();
            group_delta += new_lines.len() as isize - r.old.len() as isize;
            line = r.old.end;
        }
        while line < to {
            push_line(&mut body, ' ', old_line(line));
            old_count += 1;
            new_count += 1;
            line += 1;
        }
        let old_start = if old_count == 0 { from } else { from + 1 };
        let new_first = (from as isize + delta) as usize;
        let new_start = if new_count == 0 {
            new_first
        } else {
            new_first + 1
        };
        writeln!(
            out,
            "@@ -{old_start},{old_count} +{new_start},{new_count} @@"
        )?;
        out.write_all(body.as_bytes())?;
        delta += group_delta;
        g = h + 1;
    }
    Ok(())
}

/// The index of the line starting at `pos`, or `n_lines` at the end of the text.
fn line_of_start(starts: &[usize], pos: usize, n_lines: usize) -> usize {
    starts.binary_search(&pos).unwrap_or(n_lines)
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Applicability;
    use crate::resolver::LoggedEdit;

    fn log(original: &str, edits: &[(usize, usize, &str)]) -> EditLog {
        EditLog {
            edits: edits
                .iter()
                .map(|&(start, end, r)| LoggedEdit {
                    id: String::new(),
                    start,
                    end,
                    original: original[start..end].to_string(),
                    replacement: r.to_string(),
                    findings: vec![],
                    rules: vec![],
                    kinds: vec![],
                    applicability: Applicability::Safe,
                })
                .collect(),
        }
    }

    /// Applies a unified diff the way `patch` does (hunks at their stated lines), checking
    /// every context and removed line against the original.
    fn apply(original: &str, diff: &str) -> String {
        let old: Vec<&str> = original.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut next_old = 0; // index of the next original line to copy
        let mut lines = diff.lines().skip(2).peekable();
        while let Some(h) = lines.next() {
            let nums: Vec<usize> = h
                .trim_start_matches("@@ -")
                .trim_end_matches(" @@")
                .split([',', ' ', '+'])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            let (os, oc) = (nums[0], nums[1]);
            let first = if oc == 0 { os } else { os - 1 };
            for l in &old[next_old..first] {
                out.push_str(l);
            }
            next_old = first;
            let mut pending: Option<String> = None;
            while let Some(l) = lines.peek() {
                if l.starts_with("@@") {
                    break;
                }
                let l = lines.next().unwrap();
                if l == "\\ No newline at end of file" {
                    if let Some(p) = pending.take() {
                        out.push_str(p.trim_end_matches('\n'));
                    }
                    continue;
                }
                if let Some(p) = pending.take() {
                    out.push_str(&p);
                }
                let (mark, body) = l.split_at(1);
                match mark {
                    " " | "-" => {
                        assert_eq!(old[next_old].trim_end_matches('\n'), body, "{diff}");
                        if mark == " " {
                            pending = Some(old[next_old].to_string());
                            if !old[next_old].ends_with('\n') {
                                pending = Some(format!("{}\n", old[next_old]));
                            }
                        }
                        next_old += 1;
                    }
                    _ => pending = Some(format!("{body}\n")),
                }
            }
            if let Some(p) = pending.take() {
                out.push_str(&p);
            }
        }
        for l in &old[next_old..] {
            out.push_str(l);
        }
        out
    }

    fn check(original: &str, edits: &[(usize, usize, &str)]) -> String {
        let l = log(original, edits);
        let cleaned = l.apply(original);
        let d = unified("f.txt", original, &l);
        assert_eq!(apply(original, &d), cleaned, "diff:\n{d}");
        d
    }

    #[test]
    fn one_word_change_with_context() {
        let text = "l1\nl2\nl3\nl4 navy help\nl5\nl6\nl7\nl8\n";
        let at = text.find("navy help").unwrap();
        let d = check(text, &[(at, at + 9, "military aid")]);
        assert_eq!(
            d,
            "--- a/f.txt\n+++ b/f.txt\n@@ -1,7 +1,7 @@\n l1\n l2\n l3\n-l4 navy help\n+l4 military aid\n l5\n l6\n l7\n"
        );
    }

    #[test]
    fn deleted_lines_joined_lines_and_missing_final_newline() {
        let text = "Leave a Reply\nbody one\nbody two";
        let d = check(text, &[(0, 14, "")]);
        assert_eq!(
            d,
            "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,2 @@\n-Leave a Reply\n body one\n body two\n\\ No newline at end of file\n"
        );
        check(text, &[(21, 22, " ")]);
        check(text, &[(31, 31, ".\n")]);
        check(text, &[(0, 0, "Title\n"), (31, 31, "!")]);
        check("", &[(0, 0, "new")]);
        check("a\n", &[(0, 2, "")]);
    }

    #[test]
    fn far_apart_changes_get_separate_hunks() {
        let text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let a = text.find("line 2\n").unwrap();
        let b = text.find("line 25\n").unwrap();
        let d = check(&text, &[(a, a + 4, "LINE"), (b + 5, b + 7, "twenty-five")]);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
    }

    proptest::proptest! {
        #[test]
        fn any_edits_give_a_diff_that_rebuilds_the_cleaned_text(
            text in "[ab\n]{0,40}",
            cuts in proptest::collection::vec((0usize..41, 0usize..4, "[xy\n]{0,3}"), 0..6),
        ) {
            // Sorted, disjoint edits within the text.
            let mut edits: Vec<(usize, usize, String)> = Vec::new();
            let mut pos = 0;
            let mut sorted = cuts.clone();
            sorted.sort();
            for (s, len, r) in sorted {
                let s = s.min(text.len());
                if s < pos { continue; }
                let e = (s + len).min(text.len());
                edits.push((s, e, r));
                pos = e.max(s + 1);
            }
            let edits: Vec<(usize, usize, &str)> = edits.iter().map(|(s, e, r)| (*s, *e, r.as_str())).collect();
            check(&text, &edits);
        }
    }
}
