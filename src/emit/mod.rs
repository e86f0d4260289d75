//! Emitters: turn outcomes into files and text for people and tools.
//!
//! - [`diff`]: a unified diff that `patch` applies to the original;
//! - [`report`]: the per-file JSON report and the batch summary;
//! - [`check_lines`]: the `check` command's human-readable lines;
//! - [`write_atomic`]: every file is written to a temporary file and renamed into place,
//!   so an interrupted run never leaves a half-written file; [`write_durable`] also flushes
//!   it to disk first (for the user's own files: `--in-place` and its backups).

pub mod diff;
pub mod html;
pub mod report;

use std::io::Write;
use std::path::Path;

use crate::resolver::{Outcome, Status};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
///
/// Outputs of a run are not flushed to disk one by one: they can be made again, and a
/// sync per file costs more system time than the cleaning of a typical article.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`], with the data flushed to disk before the rename, so a crash leaves the
/// old file or the whole new one (used where the user's own files are replaced).
pub fn write_durable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, true, &mut |w| w.write_all(bytes))
}

/// Writes what `fill` produces to `path` atomically, streaming through a buffer: a large
/// report is never held in memory whole.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut fill = Some(fill);
    write_file(path, false, &mut |w| (fill.take().expect("called once"))(w))
}

fn write_file(
    path: &Path,
    sync: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // A new file gets the usual permissions (the umask applies), not the temporary file's
    // owner-only ones; a replaced file keeps its own.
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ungarble-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(dir)?;
    if let Some(p) = existing {
        tmp.as_file().set_permissions(p)?;
    }
    let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp);
    fill(&mut w)?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    if sync {
        tmp.as_file().sync_data()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A buffer in front of a `dyn Write` for serializers that write many small pieces (a
/// JSON report makes one write per quote, colon and indent): the pieces go into a `Vec`
/// through calls the compiler can inline, and reach `out` 64 KB at a time.
pub(crate) struct Chunked<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn Write,
}

impl<'a> Chunked<'a> {
    const SIZE: usize = 1 << 16;

    pub(crate) fn new(out: &'a mut dyn Write) -> Self {
        Chunked {
            buf: Vec::with_capacity(Self::SIZE),
            out,
        }
    }

    fn spill(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Writes what is buffered and flushes `out`.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        self.spill()?;
        self.out.flush()
    }
}

impl Write for Chunked<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.buf.len() + bytes.len() > Self::SIZE {
            self.spill()?;
            if bytes.len() > Self::SIZE {
                return self.out.write_all(bytes);
            }
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.spill()?;
        self.out.flush()
    }
}

/// The report layout: serde_json's pretty layout (two-space indents) for the outer two
/// levels, and every container deeper than that (one edit, one finding, one count table)
/// on a single compact line. A report lists hundreds of edits and findings; one line each
/// keeps it readable and greppable at about two thirds of the bytes of indenting every
/// field. Line breaks and indents are written with one call each.
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

/// Containers opened at this depth or deeper are written on one line.
const FLAT_DEPTH: usize = 3;

/// A comma, a line break and the indent of the deepest indented level.
const BREAKS: &[u8] = b",\n    ";

impl Pretty {
    /// Separates values: `,` inside a one-line container; otherwise `,\n` (or `\n` when
    /// `comma` is false) and the indent of the current level.
    #[inline]
    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        if self.level >= FLAT_DEPTH {
            return if comma { w.write_all(b",") } else { Ok(()) };
        }
        let from = usize::from(!comma);
        w.write_all(&BREAKS[from..2 + 2 * self.level])
    }
}

impl Pretty {
    /// Opens an array or object: one level deeper, nothing in it yet.
    #[inline]
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Closes an array or object, on a line of its own when it held something and is not
    /// a one-line container.
    #[inline]
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        let flat = self.level >= FLAT_DEPTH;
        self.level -= 1;
        if self.has_value && !flat {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    #[inline]
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.level >= FLAT_DEPTH {
            b":"
        } else {
            b": "
        })
    }

    #[inline]
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON (serde_json's layout) and a final newline, through a
/// [`Chunked`] buffer: the form of every report file.
pub(crate) fn write_pretty_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> std::io::Result<()> {
    let mut w = Chunked::new(out);
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Pretty::default());
    value.serialize(&mut ser)?;
    w.write_all(b"\n")?;
    w.finish()
}

/// `path:line:col: CODE message [applicability] → "suggestion"` lines for `check`.
pub fn check_lines(path: &str, outcome: &Outcome) -> Vec<String> {
    outcome
        .findings
        .iter()
        .map(|r| {
            let f = &r.finding;
            let mut s = format!(
                "{path}:{}:{}: {} {} [{}]",
                r.line,
                r.column,
                f.rule,
                f.message,
                f.applicability.as_str()
            );
            if let Some(sug) = f.suggestion() {
                if r.status != Status::Flagged {
                    s.push_str(&format!(" → {sug:?}"));
                }
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn report_layout_indents_two_levels_and_flattens_deeper_containers() {
        // Up to two levels deep: serde_json's pretty layout exactly.
        for v in [
            json!({}),
            json!([]),
            json!(3),
            json!({"a": [1, 2, "x\n\"y\""], "d": {}, "e": {"f": null}}),
            json!([[], {}, [1], {"g": true}]),
        ] {
            let mut got = Vec::new();
            write_pretty_json(&mut got, &v).unwrap();
            let want = serde_json::to_string_pretty(&v).unwrap() + "\n";
            assert_eq!(String::from_utf8(got).unwrap(), want);
        }
        // Deeper: each container on one compact line.
        let v = json!({"edits": [{"id": "e1", "rules": ["D001"], "span": {"start": 1, "end": 2}}, {}, []], "n": 1});
        let mut got = Vec::new();
        write_pretty_json(&mut got, &v).unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            "{\n  \"edits\": [\n    {\"id\":\"e1\",\"rules\":[\"D001\"],\"span\":{\"start\":1,\"end\":2}},\n    {},\n    []\n  ],\n  \"n\": 1\n}\n"
        );
        // Any depth reads back as the same value.
        let mut deep = json!({"leaf": [1, {}, []]});
        for i in 0..50 {
            deep = json!({ format!("k{i}"): [deep, "x\n\"y\"", null, {"a": {}, "b": []}] });
        }
        let mut got = Vec::new();
        write_pretty_json(&mut got, &deep).unwrap();
        let back: serde_json::Value = serde_json::from_slice(&got).unwrap();
        assert_eq!(back, deep);
    }
}
