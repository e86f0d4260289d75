//! The batch runner: discover, process files in parallel, write outputs, summarise.
//!
//! Each file is read, decoded, cleaned and its outputs written inside its own rayon task,
//! so writing never serialises the batch. Results are collected in input order (rayon's
//! indexed `collect` keeps order), which makes every output byte-identical whatever the
//! thread count. One bad file never stops the batch: it becomes an error record.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::document::Document;
use crate::emit::report::{
    write_report_value, Counts, ErrorRecord, FileSummary, ReportSource, Summary,
};
use crate::emit::{diff, html, write_atomic, write_atomic_with, write_durable};
use crate::finding::Applicability;
use crate::input::{decode_owned, discover_filtered, Decoded, Filter, InputFile};
use crate::resolver::Outcome;
use crate::review::Decisions;
use crate::Engine;

/// Options of a `clean` batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub out: PathBuf,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
    /// Which files inside input folders are processed.
    pub filter: Filter,
    /// Decode every input with this encoding instead of detecting it (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Write cleaned files in their input's encoding instead of UTF-8 (`--keep-encoding`).
    pub keep_encoding: bool,
    /// Skip files larger than this many bytes (`--max-file-size`).
    pub max_file_size: Option<u64>,
    /// Also overwrite each changed input with its cleaned text (`--in-place`), after its
    /// outcome verified, atomically, keeping a backup.
    pub in_place: Option<InPlace>,
    /// Write the review pages (`reports/<path>.html`) and `index.html` (`--no-html` turns
    /// them off for bulk runs).
    pub html: bool,
}

/// Where `--in-place` keeps the originals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InPlace {
    /// `<input>.orig` next to each input.
    Suffix,
    /// `<dir>/<relative path>`.
    BackupDir(PathBuf),
}

impl InPlace {
    fn backup_path(&self, file: &InputFile) -> PathBuf {
        match self {
            InPlace::Suffix => {
                let mut p = file.path.clone().into_os_string();
                p.push(".orig");
                PathBuf::from(p)
            }
            InPlace::BackupDir(d) => d.join(&file.rel),
        }
    }
}

/// Backs up `file` and replaces it with `cleaned` (atomically: a reader sees either the old
/// or the new file, and the backup exists before the input changes).
fn write_in_place(file: &InputFile, cleaned: &[u8], how: &InPlace) -> Result<(), String> {
    let backup = how.backup_path(file);
    if backup.exists() {
        return Err(format!(
            "not overwritten: the backup {} already exists",
            backup.display()
        ));
    }
    let original = std::fs::read(&file.path).map_err(|e| format!("cannot re-read: {e}"))?;
    write_durable(&backup, &original)
        .map_err(|e| format!("cannot write backup {}: {e}", backup.display()))?;
    write_durable(&file.path, cleaned).map_err(|e| format!("cannot overwrite: {e}"))
}

impl BatchOptions {
    /// Options with defaults for everything but the output folder.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        BatchOptions {
            out: out.into(),
            jobs: 0,
            progress: false,
            filter: Filter::default(),
            encoding: None,
            keep_encoding: false,
            max_file_size: None,
            in_place: None,
            html: true,
        }
    }
}

/// The result of a batch.
#[derive(Debug, Clone)]
pub struct BatchResult {
    pub summary: Summary,
}

impl BatchResult {
    pub fn had_errors(&self) -> bool {
        !self.summary.errors.is_empty()
    }
}

/// A fatal problem that stops a batch before it starts.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start {0} worker threads: {1}")]
    Threads(usize, String),
}

/// `a/b/c` with forward slashes, for reports and diff headers.
pub fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn absolute(p: &Path) -> PathBuf {
    // The nearest existing ancestor, canonicalised, plus the rest.
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(n), Some(parent)) => {
                rest.push(n);
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return p.to_path_buf(),
        }
    }
}

/// Checks that the output folder is usable and clears what an earlier ungarble run left in
/// it. Refuses a folder inside (or equal to) an input folder, and a non-empty folder that
/// ungarble did not write.
pub fn prepare_out_dir(out: &Path, inputs: &[PathBuf]) -> Result<(), BatchError> {
    let out_abs = absolute(out);
    for input in inputs {
        if input.is_dir() {
            let in_abs = absolute(input);
            if out_abs.starts_with(&in_abs) {
                return Err(BatchError::Usage(format!(
                    "the output folder {} is inside the input folder {}: its outputs would become inputs; choose a folder outside it",
                    out.display(),
                    input.display()
                )));
            }
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(BatchError::Usage(format!(
                "the output path {} exists and is not a folder",
                out.display()
            )));
        }
        let non_empty = std::fs::read_dir(out)
            .map_err(|e| BatchError::Io {
                path: out.to_path_buf(),
                source: e,
            })?
            .next()
            .is_some();
        if non_empty {
            if !out.join("summary.json").is_file() {
                return Err(BatchError::Usage(format!(
                    "the output folder {} is not empty and holds no ungarble summary.json; choose a new or empty folder",
                    out.display()
                )));
            }
            for sub in ["clean", "reports"] {
                let p = out.join(sub);
                if p.exists() {
                    std::fs::remove_dir_all(&p).map_err(|e| BatchError::Io {
                        path: p.clone(),
                        source: e,
                    })?;
                }
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|e| BatchError::Io {
        path: out.to_path_buf(),
        source: e,
    })
}

/// Runs `f` on a pool of `jobs` threads (0: one per core).
pub fn with_jobs<T: Send>(jobs: usize, f: impl FnOnce() -> T + Send) -> Result<T, BatchError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| BatchError::Threads(jobs, e.to_string()))?;
    Ok(pool.install(f))
}

fn progress_bar(n: usize, enabled: bool) -> indicatif::ProgressBar {
    if enabled && n > 1 && std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new(n as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files ({per_sec}, eta {eta})",
            )
            .expect("valid template"),
        );
        pb
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Reads and decodes one input; `Ok((decoded, warnings))`. Files over `max_size` bytes
/// are skipped with a reason.
pub fn load_with(
    file: &InputFile,
    forced: Option<&'static encoding_rs::Encoding>,
    max_size: Option<u64>,
) -> Result<(Decoded, Vec<String>), String> {
    if let Some(max) = max_size {
        let len = std::fs::metadata(&file.path)
            .map_err(|e| format!("cannot read: {e}"))?
            .len();
        if len > max {
            return Err(format!(
                "skipped: {len} bytes is more than --max-file-size {max}"
            ));
        }
    }
    let bytes = std::fs::read(&file.path).map_err(|e| format!("cannot read: {e}"))?;
    let decoded = decode_owned(bytes, forced).map_err(|e| e.to_string())?;
    let mut warnings = Vec::new();
    if decoded.text.is_empty() {
        warnings.push("empty file: nothing to clean".to_string());
    }
    Ok((decoded, warnings))
}

/// Reads and decodes one input with detection; `Ok((text, warnings))`.
pub fn load(file: &InputFile) -> Result<(String, Vec<String>), String> {
    load_with(file, None, None).map(|(d, w)| (d.text, w))
}

/// Cleans every input and writes `out/clean`, `out/reports` and `out/summary.json`.
pub fn clean_batch(
    engine: &Engine,
    inputs: &[PathBuf],
    opts: &BatchOptions,
) -> Result<BatchResult, BatchError> {
    prepare_out_dir(&opts.out, inputs)?;
    let (files, problems) = discover_filtered(inputs, &opts.filter);
    let pb = progress_bar(files.len(), opts.progress);
    let results: Vec<FileSummary> = with_jobs(opts.jobs, || {
        files
            .par_iter()
            .map(|f| {
                let s = process_file(engine, f, opts);
                pb.inc(1);
                s
            })
            .collect()
    })?;
    pb.finish_and_clear();

    let mut errors: Vec<ErrorRecord> = problems
        .into_iter()
        .map(|p| ErrorRecord {
            path: p.path.display().to_string(),
            reason: p.reason,
        })
        .collect();
    for r in &results {
        if let Some(e) = &r.error {
            errors.push(ErrorRecord {
                path: r.path.clone(),
                reason: e.clone(),
            });
        }
    }
    let summary = Summary::new(engine.apply(), results, errors);
    let summary_path = opts.out.join("summary.json");
    write_atomic(&summary_path, summary.to_json().as_bytes()).map_err(|e| BatchError::Io {
        path: summary_path,
        source: e,
    })?;
    if opts.html {
        write_index(&opts.out, &serde_json::to_value(&summary).expect("summary"))?;
    }
    Ok(BatchResult { summary })
}

/// Writes `DIR/index.html` from the summary, linking the pages that exist.
pub fn write_index(out: &Path, summary: &serde_json::Value) -> Result<(), BatchError> {
    let pages = summary
        .get("files")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| f.get("path").and_then(|p| p.as_str()))
        .filter(|p| {
            let mut page = out.join("reports").join(p).into_os_string();
            page.push(".html");
            Path::new(&page).is_file()
        })
        .map(str::to_string)
        .collect();
    let path = out.join("index.html");
    write_atomic(&path, html::index(summary, &pages).as_bytes())
        .map_err(|e| BatchError::Io { path, source: e })
}

fn error_summary(rel: String, reason: String) -> FileSummary {
    FileSummary {
        path: rel,
        status: "error",
        encoding: None,
        bytes: 0,
        spin_score: None,
        references: 0,
        counts: Counts::default(),
        warnings: Vec::new(),
        error: Some(reason),
    }
}

fn process_file(engine: &Engine, file: &InputFile, opts: &BatchOptions) -> FileSummary {
    let rel = rel_string(&file.rel);
    let (mut decoded, mut warnings) = match load_with(file, opts.encoding, opts.max_file_size) {
        Ok(x) => x,
        Err(reason) => return error_summary(rel, reason),
    };
    if file.rel.to_str().is_none() {
        warnings.push(
            "file name is not valid UTF-8: reports show it with U+FFFD; the cleaned file keeps the exact name"
                .to_string(),
        );
    }
    // The decoded text moves into the shared form the engine keeps (one copy alive).
    let text: Arc<str> = Arc::from(std::mem::take(&mut decoded.text));
    // Review-level suggestions are computed alongside a safe run that has any, so the
    // review page can offer them and `ungarble apply` can take them without detecting.
    let (outcome, review) =
        engine.clean_with_suggestions(Arc::clone(&text), Some(&rel), Some(&file.path));
    warnings.extend(outcome.problems.iter().cloned());
    let utf8 = decoded.encoding == encoding_rs::UTF_8;
    let cleaned_bytes: Cow<[u8]> = if opts.keep_encoding && !utf8 {
        match decoded.encode_like(&outcome.cleaned) {
            Some(b) => Cow::Owned(b),
            None => {
                warnings.push(format!(
                    "the cleaned text has characters {} cannot hold: written as UTF-8",
                    decoded.encoding.name()
                ));
                Cow::Borrowed(outcome.cleaned.as_bytes())
            }
        }
    } else {
        if !utf8 {
            warnings.push(format!(
                "decoded as {}; the cleaned file is written as UTF-8 (--keep-encoding keeps the input's encoding)",
                decoded.describe()
            ));
        }
        Cow::Borrowed(outcome.cleaned.as_bytes())
    };
    let encoding = decoded.describe();
    if let Some(how) = &opts.in_place {
        // Only a changed file whose outcome verified is ever overwritten.
        if outcome.changed() && outcome.problems.is_empty() {
            if let Err(reason) = write_in_place(file, &cleaned_bytes, how) {
                return error_summary(rel, reason);
            }
        }
    }
    if let Err(reason) = write_outputs(
        engine,
        &rel,
        &file.rel,
        &outcome,
        review.as_ref(),
        &cleaned_bytes,
        &encoding,
        &warnings,
        &opts.out,
        opts.html,
    ) {
        return error_summary(rel, reason);
    }
    FileSummary {
        encoding: Some(encoding),
        status: if outcome.changed() {
            "changed"
        } else {
            "unchanged"
        },
        bytes: text.len(),
        spin_score: outcome.metrics.get("spin_score").copied(),
        references: outcome.sources.len(),
        counts: Counts::of(&outcome),
        warnings,
        error: None,
        path: rel,
    }
}

#[allow(clippy::too_many_arguments)]
fn write_outputs(
    engine: &Engine,
    rel: &str,
    rel_path: &Path,
    outcome: &Outcome,
    review: Option<&Outcome>,
    cleaned_bytes: &[u8],
    encoding: &str,
    warnings: &[String],
    out: &Path,
    with_html: bool,
) -> Result<(), String> {
    let clean_path = out.join("clean").join(rel_path);
    let mut report_base = out.join("reports").join(rel_path).into_os_string();
    let mut json_path = report_base.clone();
    report_base.push(".diff");
    json_path.push(".json");
    let w = |p: &Path, bytes: &[u8]| {
        write_atomic(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    w(&clean_path, cleaned_bytes)?;
    let stream = |p: &Path, fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>| {
        write_atomic_with(p, fill).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    stream(Path::new(&report_base), &|w| {
        diff::write_unified(w, rel, &outcome.original, &outcome.log)
    })?;
    let source = ReportSource {
        path: rel,
        outcome,
        review,
        apply: engine.apply(),
        encoding,
        warnings,
    };
    let doc = Document::new(Arc::clone(&outcome.original));
    let report = source.build(&doc);
    stream(Path::new(&json_path), &|w| report.write(w))?;
    if !with_html || outcome.original.len() > html::MAX_PAGE_BYTES {
        return Ok(());
    }
    let mut html_path = out.join("reports").join(rel_path).into_os_string();
    html_path.push(".html");
    w(
        Path::new(&html_path),
        html::page_for(&report, &outcome.original).as_bytes(),
    )?;
    Ok(())
}

/// One checked file: its relative path and its outcome or the reason it failed.
pub type Checked = (String, Result<Outcome, String>);

/// `check`: findings for every input, nothing written. Returns `(rel, result)` in input
/// order plus discovery problems.
pub fn check_batch(
    engine: &Engine,
    inputs: &[PathBuf],
    filter: &Filter,
    jobs: usize,
) -> Result<(Vec<Checked>, Vec<ErrorRecord>), BatchError> {
    let (files, problems) = discover_filtered(inputs, filter);
    let results = with_jobs(jobs, || {
        files
            .par_iter()
            .map(|f| {
                let rel = rel_string(&f.rel);
                let r = load(f).map(|(text, _)| engine.clean(&text, Some(&rel), Some(&f.path)));
                (rel, r)
            })
            .collect()
    })?;
    let problems = problems
        .into_iter()
        .map(|p| ErrorRecord {
            path: p.path.display().to_string(),
            reason: p.reason,
        })
        .collect();
    Ok((results, problems))
}

/// What `ungarble apply` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Files rewritten.
    pub files: usize,
    /// Edits in their cleaned texts after the decisions.
    pub edits: usize,
}

/// `ungarble apply`: rewrites the cleaned files, diffs, JSON reports, pages, summary and
/// index of an output folder to honour reviewer decisions, from the stored reports alone.
/// Every file is checked before anything is written, so a bad decision changes nothing.
pub fn apply_decisions(out: &Path, decisions: &Decisions) -> Result<Applied, String> {
    let summary_path = out.join("summary.json");
    let summary_text = std::fs::read_to_string(&summary_path).map_err(|e| {
        format!(
            "{}: {e} (is {} an ungarble output folder?)",
            summary_path.display(),
            out.display()
        )
    })?;
    let mut summary: serde_json::Value = serde_json::from_str(&summary_text)
        .map_err(|e| format!("{}: {e}", summary_path.display()))?;
    let listed: Vec<String> = summary["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["status"] != "error")
        .filter_map(|f| f["path"].as_str().map(str::to_string))
        .collect();
    // Plan every file first.
    struct Plan {
        rel: String,
        report: serde_json::Value,
        original: String,
        cleaned: String,
    }
    let mut plans = Vec::new();
    for (rel, verdicts) in &decisions.files {
        if !listed.contains(rel) {
            return Err(format!(
                "decisions name \"{rel}\", which is not a cleaned file of {}",
                out.display()
            ));
        }
        let report_path = out.join("reports").join(format!("{rel}.json"));
        let mut report: serde_json::Value = std::fs::read_to_string(&report_path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("{}: {e}", report_path.display()))?;
        let clean_path = out.join("clean").join(rel);
        let clean_text = std::fs::read(&clean_path)
            .map_err(|e| format!("{}: {e}", clean_path.display()))
            .and_then(|b| {
                String::from_utf8(b).map_err(|_| {
                    format!(
                        "{}: not UTF-8 (written with --keep-encoding?); apply works on UTF-8 output",
                        clean_path.display()
                    )
                })
            })?;
        let original = crate::review::original_from_cleaned(&report, &clean_text)
            .map_err(|e| format!("{rel}: {e}"))?;
        let cleaned = crate::review::decide(&mut report, &original, verdicts)
            .map_err(|e| format!("{rel}: {e}"))?;
        plans.push(Plan {
            rel: rel.clone(),
            report,
            original,
            cleaned,
        });
    }
    let mut edits = 0;
    for p in &plans {
        let io = |path: &Path, e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let clean_path = out.join("clean").join(&p.rel);
        write_atomic(&clean_path, p.cleaned.as_bytes()).map_err(|e| io(&clean_path, e))?;
        let log = crate::resolver::EditLog {
            edits: p.report["edits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| crate::resolver::LoggedEdit {
                    id: e["id"].as_str().unwrap_or("").to_string(),
                    start: e["start"].as_u64().unwrap_or(0) as usize,
                    end: e["end"].as_u64().unwrap_or(0) as usize,
                    original: e["original"].as_str().unwrap_or("").to_string(),
                    replacement: e["replacement"].as_str().unwrap_or("").to_string(),
                    findings: Vec::new(),
                    rules: Vec::new(),
                    kinds: Vec::new(),
                    applicability: Applicability::Safe,
                })
                .collect(),
        };
        edits += log.edits.len();
        let base = out.join("reports").join(&p.rel);
        let with = |ext: &str| {
            let mut s = base.clone().into_os_string();
            s.push(ext);
            PathBuf::from(s)
        };
        let diff_path = with(".diff");
        write_atomic_with(&diff_path, |w| {
            diff::write_unified(w, &p.rel, &p.original, &log)
        })
        .map_err(|e| io(&diff_path, e))?;
        let json_path = with(".json");
        write_atomic_with(&json_path, |w| write_report_value(w, &p.report))
            .map_err(|e| io(&json_path, e))?;
        if p.original.len() <= html::MAX_PAGE_BYTES {
            let html_path = with(".html");
            write_atomic(&html_path, html::page(&p.report, &p.original).as_bytes())
                .map_err(|e| io(&html_path, e))?;
        }
        // The file's line in the summary.
        if let Some(f) = summary["files"]
            .as_array_mut()
            .and_then(|a| a.iter_mut().find(|f| f["path"] == p.rel.as_str()))
        {
            f["counts"] = p.report["counts"].clone();
            f["status"] = if p.report["changed"] == true {
                "changed".into()
            } else {
                "unchanged".into()
            };
        }
    }
    // Totals from the files' lines.
    let mut changed = 0;
    let mut unchanged = 0;
    let mut total = Counts::default();
    for f in summary["files"].as_array().into_iter().flatten() {
        match f["status"].as_str() {
            Some("changed") => changed += 1,
            Some("unchanged") => unchanged += 1,
            _ => {}
        }
        if let Ok(c) = serde_json::from_value::<Counts>(f["counts"].clone()) {
            total.add(&c);
        }
    }
    summary["totals"]["changed"] = changed.into();
    summary["totals"]["unchanged"] = unchanged.into();
    summary["totals"]["counts"] = serde_json::to_value(&total).expect("counts");
    let mut text = serde_json::to_string_pretty(&summary).expect("summary");
    text.push('\n');
    write_atomic(&summary_path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", summary_path.display()))?;
    write_index(out, &summary).map_err(|e| e.to_string())?;
    Ok(Applied {
        files: plans.len(),
        edits,
    })
}
