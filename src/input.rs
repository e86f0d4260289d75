//! Finding input files and decoding them.
//!
//! Folders are walked recursively in sorted order; hidden entries (names starting with
//! `.`) are skipped; symbolic links are followed with loop detection. Every problem —
//! a missing path, a dangling link, an unreadable folder, a loop — becomes an
//! [`InputProblem`] naming the path, and discovery goes on.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A file to process: where it is, and its path relative to its input root (used for
/// every output path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub rel: PathBuf,
}

/// A path that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub path: PathBuf,
    pub reason: String,
}

/// Which files found inside folders are processed: `--glob` patterns, as in ripgrep. A file
/// is taken when it matches any include pattern (or there are none) and no `!exclude`
/// pattern. Files named directly on the command line are always taken.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl Filter {
    /// Builds a filter from patterns such as `*.txt` or `!drafts/**`.
    pub fn new(globs: &[String]) -> Result<Filter, String> {
        let mut inc = globset::GlobSetBuilder::new();
        let mut exc = globset::GlobSetBuilder::new();
        let (mut n_inc, mut n_exc) = (0, 0);
        for g in globs {
            let (neg, pat) = match g.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, g.as_str()),
            };
            let glob = globset::Glob::new(pat).map_err(|e| format!("invalid --glob {g:?}: {e}"))?;
            if neg {
                exc.add(glob);
                n_exc += 1;
            } else {
                inc.add(glob);
                n_inc += 1;
            }
        }
        let build =
            |b: globset::GlobSetBuilder, n: usize| -> Result<Option<globset::GlobSet>, String> {
                if n == 0 {
                    Ok(None)
                } else {
                    b.build().map(Some).map_err(|e| e.to_string())
                }
            };
        Ok(Filter {
            include: build(inc, n_inc)?,
            exclude: build(exc, n_exc)?,
        })
    }

    fn accepts(&self, rel: &Path) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

/// Expands inputs (files and folders) into a sorted file list and a list of problems.
pub fn discover(inputs: &[PathBuf]) -> (Vec<InputFile>, Vec<InputProblem>) {
    discover_filtered(inputs, &Filter::default())
}

/// [`discover`] with a `--glob` filter applied to files found inside folders.
pub fn discover_filtered(
    inputs: &[PathBuf],
    filter: &Filter,
) -> (Vec<InputFile>, Vec<InputProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        match fs::metadata(input) {
            Err(e) => {
                let reason = if fs::symlink_metadata(input).is_ok() {
                    "dangling symbolic link".to_string()
                } else {
                    io_reason(&e)
                };
                problems.push(InputProblem {
                    path: input.clone(),
                    reason,
                });
            }
            Ok(m) if m.is_dir() => {
                let mut visited = HashSet::new();
                let mut found = Vec::new();
                walk(
                    input,
                    Path::new(""),
                    &mut visited,
                    &mut found,
                    &mut problems,
                );
                files.extend(found.into_iter().filter(|f| filter.accepts(&f.rel)));
            }
            Ok(_) => files.push(InputFile {
                path: input.clone(),
                rel: input
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| input.clone()),
            }),
        }
    }
    // Two inputs that map to one output path: keep the first, report the others.
    let mut seen = HashSet::new();
    let mut unique = Vec::with_capacity(files.len());
    for f in files {
        if seen.insert(f.rel.clone()) {
            unique.push(f);
        } else {
            problems.push(InputProblem {
                reason: format!(
                    "another input already maps to the output path {}",
                    f.rel.display()
                ),
                path: f.path,
            });
        }
    }
    unique.sort_by(|a, b| a.rel.cmp(&b.rel));
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    (unique, problems)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn walk(
    dir: &Path,
    rel: &Path,
    visited: &mut HashSet<PathBuf>,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<InputProblem>,
) {
    match fs::canonicalize(dir) {
        Ok(c) => {
            if !visited.insert(c) {
                problems.push(InputProblem {
                    path: dir.to_path_buf(),
                    reason: "symbolic link loop: folder already visited".to_string(),
                });
                return;
            }
        }
        Err(e) => {
            problems.push(InputProblem {
                path: dir.to_path_buf(),
                reason: io_reason(&e),
            });
            return;
        }
    }
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            problems.push(InputProblem {
                path: dir.to_path_buf(),
                reason: format!("cannot read folder: {}", io_reason(&e)),
            });
            return;
        }
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.as_encoded_bytes().first() == Some(&b'.') {
            continue;
        }
        let path = entry.path();
        let child_rel = rel.join(&name);
        match fs::metadata(&path) {
            Err(e) => {
                let reason =
                    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                        "dangling symbolic link".to_string()
                    } else {
                        io_reason(&e)
                    };
                problems.push(InputProblem { path, reason });
            }
            Ok(m) if m.is_dir() => walk(&path, &child_rel, visited, files, problems),
            Ok(m) if m.is_file() => files.push(InputFile {
                path,
                rel: child_rel,
            }),
            Ok(_) => problems.push(InputProblem {
                path,
                reason: "not a regular file".to_string(),
            }),
        }
    }
}

/// Why bytes could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file (contains NUL bytes)")]
    Binary,
    #[error("not valid {0} (malformed byte sequence)")]
    Malformed(&'static str),
}

/// Decoded text and how it was encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static encoding_rs::Encoding,
    /// The encoding was guessed from the bytes (no BOM, not UTF-8).
    pub detected: bool,
    /// A UTF-16 byte-order mark was removed (a UTF-8 one stays part of the text).
    pub utf16_bom: bool,
}

impl Decoded {
    /// "UTF-8", "windows-1252 (detected)", "UTF-16LE (BOM)".
    pub fn describe(&self) -> String {
        let mut s = self.encoding.name().to_string();
        if self.detected {
            s.push_str(" (detected)");
        }
        if self.utf16_bom {
            s.push_str(" (BOM)");
        }
        s
    }

    /// `text` encoded back into this encoding, or `None` when it has characters the
    /// encoding cannot represent (a repair may have inserted one).
    pub fn encode_like(&self, text: &str) -> Option<Vec<u8>> {
        use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8};
        if self.encoding == UTF_8 {
            return Some(text.as_bytes().to_vec());
        }
        if self.encoding == UTF_16LE || self.encoding == UTF_16BE {
            let le = self.encoding == UTF_16LE;
            let mut out = Vec::with_capacity(text.len() * 2 + 2);
            if self.utf16_bom {
                out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
            }
            for u in text.encode_utf16() {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            return Some(out);
        }
        let (bytes, _, unmappable) = self.encoding.encode(text);
        (!unmappable).then(|| bytes.into_owned())
    }
}

/// Looks up an encoding by a WHATWG label ("utf-8", "latin1", "windows-1252", "utf-16le").
pub fn encoding_for_label(label: &str) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes())
}

/// Decodes a file's bytes: a UTF-16 byte-order mark decides UTF-16; valid UTF-8 is taken
/// as it is (a UTF-8 BOM stays part of the text, so the cleaned file keeps it byte for
/// byte); anything else is decoded with the legacy encoding `chardetng` detects
/// (Windows-1252 for most Western text). `forced` (`--encoding`) skips detection.
/// [`decode_with`] taking the bytes by value: valid UTF-8 (the common case) becomes the
/// text without a copy, which matters for large files.
pub fn decode_owned(
    bytes: Vec<u8>,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Decoded, DecodeError> {
    let plain_utf8 = forced.is_none_or(|e| e == encoding_rs::UTF_8)
        && encoding_rs::Encoding::for_bom(&bytes).is_none_or(|(e, _)| e == encoding_rs::UTF_8)
        && !bytes[..bytes.len().min(8192)].contains(&0);
    if plain_utf8 {
        match String::from_utf8(bytes) {
            Ok(text) => {
                return Ok(Decoded {
                    text,
                    encoding: encoding_rs::UTF_8,
                    detected: false,
                    utf16_bom: false,
                })
            }
            Err(e) => return decode_with(e.as_bytes(), forced),
        }
    }
    decode_with(&bytes, forced)
}

pub fn decode_with(
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Decoded, DecodeError> {
    use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8};
    let done = |text: String, encoding, detected, utf16_bom| Decoded {
        text,
        encoding,
        detected,
        utf16_bom,
    };
    let strict = |enc: &'static encoding_rs::Encoding, b: &[u8]| -> Result<String, DecodeError> {
        enc.decode_without_bom_handling_and_without_replacement(b)
            .map(|c| c.into_owned())
            .ok_or(DecodeError::Malformed(enc.name()))
    };
    if let Some(enc) = forced {
        if enc == UTF_16LE || enc == UTF_16BE {
            let bom = encoding_rs::Encoding::for_bom(bytes).is_some_and(|(e, _)| e == enc);
            let body = if bom { &bytes[2..] } else { bytes };
            return Ok(done(strict(enc, body)?, enc, false, bom));
        }
        return Ok(done(strict(enc, bytes)?, enc, false, false));
    }
    if let Some((enc, len)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != UTF_8 {
            return Ok(done(strict(enc, &bytes[len..])?, enc, false, true));
        }
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(done(s.to_string(), UTF_8, false, false));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, false);
    Ok(done(strict(enc, bytes)?, enc, true, false))
}

/// [`decode_with`] without a forced encoding, returning only the text.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    decode_with(bytes, None).map(|d| d.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses() {
        assert_eq!(decode(b"hi").unwrap(), "hi");
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap(), "\u{feff}hi");
        assert_eq!(decode(b"a\0b"), Err(DecodeError::Binary));
        let d = decode_with(b"caf\xe9 au lait, d\x92accord", None).unwrap();
        assert_eq!(d.text, "caf\u{e9} au lait, d\u{2019}accord");
        assert_eq!(d.describe(), "windows-1252 (detected)");
        assert_eq!(
            d.encode_like(&d.text).unwrap(),
            b"caf\xe9 au lait, d\x92accord"
        );
        let d = decode_with(b"\xff\xfeh\0i\0", None).unwrap();
        // Taking the bytes by value gives the same answers.
        for b in [
            &b"\xff\xfeh\0i\0"[..],
            b"caf\xe9",
            b"\xef\xbb\xbfok",
            b"plain",
            b"a\0b",
        ] {
            let owned = decode_owned(b.to_vec(), None).map(|d| (d.text, d.encoding, d.utf16_bom));
            let borrowed = decode_with(b, None).map(|d| (d.text, d.encoding, d.utf16_bom));
            assert_eq!(owned.is_ok(), borrowed.is_ok());
            if let (Ok(o), Ok(w)) = (owned, borrowed) {
                assert_eq!(o, w);
            }
        }
        assert_eq!(
            (d.text.as_str(), d.describe().as_str()),
            ("hi", "UTF-16LE (BOM)")
        );
        assert_eq!(d.encode_like("hi").unwrap(), b"\xff\xfeh\0i\0");
        let d = decode_with(b"\xe9t\xe9", encoding_for_label("latin1")).unwrap();
        assert_eq!(d.text, "\u{e9}t\u{e9}");
        assert!(decode_with(b"\xff", encoding_for_label("utf-8")).is_err());
    }
}
