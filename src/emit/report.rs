//! The JSON report of one file (`reports/<path>.json`) and the batch summary
//! (`summary.json`). Field order and number formatting are fixed, so output is byte-identical
//! whatever the thread count.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::Document;
use crate::finding::Applicability;
use crate::resolver::{FindingRecord, LoggedEdit, Outcome, Status};

/// Format version of the JSON files.
pub const REPORT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct EditView<'a> {
    #[serde(flatten)]
    pub edit: &'a LoggedEdit,
    pub line: usize,
    pub column: usize,
}

/// Counts by kind.
#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct Counts {
    pub findings: BTreeMap<String, usize>,
    pub applied: BTreeMap<String, usize>,
    pub suggested: usize,
    pub flagged: usize,
    pub skipped: usize,
    pub edits: usize,
}

impl Counts {
    pub fn of(outcome: &Outcome) -> Counts {
        let mut c = Counts::default();
        for r in &outcome.findings {
            let k = r.finding.kind.as_str().to_string();
            *c.findings.entry(k.clone()).or_default() += 1;
            match r.status {
                Status::Applied => *c.applied.entry(k).or_default() += 1,
                Status::Suggested => c.suggested += 1,
                Status::Flagged => c.flagged += 1,
                Status::Skipped => c.skipped += 1,
            }
        }
        c.edits = outcome.log.edits.len();
        c
    }

    pub fn add(&mut self, o: &Counts) {
        for (k, v) in &o.findings {
            *self.findings.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.applied {
            *self.applied.entry(k.clone()).or_default() += v;
        }
        self.suggested += o.suggested;
        self.flagged += o.flagged;
        self.skipped += o.skipped;
        self.edits += o.edits;
    }

    pub fn total_findings(&self) -> usize {
        self.findings.values().sum()
    }
}

/// The per-file report.
#[derive(Debug, Serialize)]
pub struct FileReport<'a> {
    pub version: u32,
    pub path: &'a str,
    /// How the input was decoded ("UTF-8", "windows-1252 (detected)", "UTF-16LE (BOM)").
    pub encoding: &'a str,
    pub bytes: usize,
    pub apply: &'static str,
    pub changed: bool,
    pub passes: usize,
    pub converged: bool,
    pub metrics: &'a BTreeMap<&'static str, f64>,
    pub counts: Counts,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub problems: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub warnings: &'a [String],
    /// Matched references with their scores and sentence alignment (with `--reference`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub references: &'a [crate::resolver::SourceReport],
    pub edits: Vec<EditView<'a>>,
    pub findings: &'a [FindingRecord],
}

pub fn file_report_json(
    path: &str,
    outcome: &Outcome,
    apply: Applicability,
    encoding: &str,
    warnings: &[String],
) -> String {
    let mut out = Vec::new();
    write_file_report(&mut out, path, outcome, apply, encoding, warnings).expect("in memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Streams the report of [`file_report_json`] to `out`.
pub fn write_file_report(
    out: &mut dyn std::io::Write,
    path: &str,
    outcome: &Outcome,
    apply: Applicability,
    encoding: &str,
    warnings: &[String],
) -> std::io::Result<()> {
    let doc = Document::new(outcome.original.clone());
    let edits = outcome
        .log
        .edits
        .iter()
        .map(|e| {
            let (line, column) = doc.line_col(e.start);
            EditView {
                edit: e,
                line,
                column,
            }
        })
        .collect();
    let r = FileReport {
        version: REPORT_VERSION,
        path,
        encoding,
        bytes: outcome.original.len(),
        apply: apply.as_str(),
        changed: outcome.changed(),
        passes: outcome.passes,
        converged: outcome.converged,
        metrics: &outcome.metrics,
        counts: Counts::of(outcome),
        problems: &outcome.problems,
        warnings,
        references: &outcome.sources,
        edits,
        findings: &outcome.findings,
    };
    serde_json::to_writer_pretty(&mut *out, &r)?;
    out.write_all(b"\n")
}

/// One file's line in the summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileSummary {
    pub path: String,
    /// `changed`, `unchanged` or `error`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spin_score: Option<f64>,
    pub counts: Counts,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A path that could not be processed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorRecord {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Totals {
    pub files: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub bytes: usize,
    pub counts: Counts,
}

/// `summary.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub version: u32,
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub apply: &'static str,
    pub totals: Totals,
    pub files: Vec<FileSummary>,
    pub errors: Vec<ErrorRecord>,
}

impl Summary {
    pub fn new(apply: Applicability, files: Vec<FileSummary>, errors: Vec<ErrorRecord>) -> Self {
        let mut t = Totals::default();
        for f in &files {
            t.files += 1;
            t.bytes += f.bytes;
            match f.status {
                "changed" => t.changed += 1,
                "unchanged" => t.unchanged += 1,
                _ => {}
            }
            t.counts.add(&f.counts);
        }
        t.errors = errors.len();
        Summary {
            version: REPORT_VERSION,
            tool: "ungarble",
            tool_version: env!("CARGO_PKG_VERSION"),
            apply: apply.as_str(),
            totals: t,
            files,
            errors,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("summary serialises");
        s.push('\n');
        s
    }
}
