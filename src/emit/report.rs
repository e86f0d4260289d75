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

fn edit_view<'b>(doc: &Document, edit: &'b LoggedEdit) -> EditView<'b> {
    let (line, column) = doc.line_col(edit.start);
    EditView { edit, line, column }
}

/// Counts by kind.
#[derive(Debug, Default, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Counts {
    pub findings: BTreeMap<String, usize>,
    pub applied: BTreeMap<String, usize>,
    pub suggested: usize,
    pub flagged: usize,
    pub skipped: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rejected: usize,
    pub edits: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    pub fn of(outcome: &Outcome) -> Counts {
        Counts::tally(
            outcome
                .findings
                .iter()
                .map(|r| (r.finding.kind.as_str().to_string(), r.status)),
            outcome.log.edits.len(),
        )
    }

    /// Counts of findings given as (kind, status), with the number of edits made.
    pub fn tally(findings: impl IntoIterator<Item = (String, Status)>, edits: usize) -> Counts {
        let mut c = Counts::default();
        for (k, status) in findings {
            *c.findings.entry(k.clone()).or_default() += 1;
            match status {
                Status::Applied => *c.applied.entry(k).or_default() += 1,
                Status::Suggested => c.suggested += 1,
                Status::Flagged => c.flagged += 1,
                Status::Skipped => c.skipped += 1,
                Status::Rejected => c.rejected += 1,
            }
        }
        c.edits = edits;
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
        self.rejected += o.rejected;
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
    /// Review-level edits a `--apply review` run makes that this run did not (accepted or
    /// rejected in the review page, applied with `ungarble apply`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<EditView<'a>>,
    pub findings: &'a [FindingRecord],
    /// Findings behind suggestions that only the review-level run reported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestion_findings: Vec<&'a FindingRecord>,
}

/// The suggestions of a run, given the review-level run of the same text: its edits that
/// the run does not have, and the findings behind them that the run did not report.
pub fn suggestions<'a>(
    outcome: &Outcome,
    review: &'a Outcome,
) -> (Vec<&'a LoggedEdit>, Vec<&'a FindingRecord>) {
    let have: crate::FastSet<&str> = outcome.log.edits.iter().map(|e| e.id.as_str()).collect();
    let edits: Vec<&LoggedEdit> = review
        .log
        .edits
        .iter()
        .filter(|e| !have.contains(e.id.as_str()))
        .collect();
    let reported: crate::FastSet<&str> = outcome.findings.iter().map(|r| r.id.as_str()).collect();
    let wanted: crate::FastSet<&str> = edits
        .iter()
        .flat_map(|e| e.findings.iter().map(String::as_str))
        .filter(|id| !reported.contains(id))
        .collect();
    let findings = review
        .findings
        .iter()
        .filter(|r| wanted.contains(r.id.as_str()))
        .collect();
    (edits, findings)
}

pub fn file_report_json(
    path: &str,
    outcome: &Outcome,
    apply: Applicability,
    encoding: &str,
    warnings: &[String],
) -> String {
    let mut out = Vec::new();
    let source = ReportSource {
        path,
        outcome,
        review: None,
        apply,
        encoding,
        warnings,
    };
    source.write(&mut out).expect("in memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// What a file's report is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportSource<'a> {
    pub path: &'a str,
    pub outcome: &'a Outcome,
    /// The review-level run of the same text, when suggestions were computed.
    pub review: Option<&'a Outcome>,
    pub apply: Applicability,
    pub encoding: &'a str,
    pub warnings: &'a [String],
}

impl ReportSource<'_> {
    /// Streams the report to `out`.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let doc = Document::new(self.outcome.original.clone());
        self.build(&doc).write(out)
    }

    /// The report as a JSON value (what the review page and `ungarble apply` work from).
    pub fn value(&self) -> serde_json::Value {
        let doc = Document::new(self.outcome.original.clone());
        serde_json::to_value(self.build(&doc)).expect("report serialises")
    }
}

impl FileReport<'_> {
    /// Writes the report as the JSON file holds it.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        crate::emit::write_pretty_json(out, self)
    }
}

/// Writes a report value as the JSON file does.
pub fn write_report_value(
    out: &mut dyn std::io::Write,
    report: &serde_json::Value,
) -> std::io::Result<()> {
    crate::emit::write_pretty_json(out, report)
}

impl<'a> ReportSource<'a> {
    /// The report itself (`doc` is the original text, for line numbers).
    pub fn build(&self, doc: &Document) -> FileReport<'a> {
        let ReportSource {
            path,
            outcome,
            review,
            apply,
            encoding,
            warnings,
        } = *self;
        build(doc, path, outcome, review, apply, encoding, warnings)
    }
}

fn build<'a>(
    doc: &Document,
    path: &'a str,
    outcome: &'a Outcome,
    review: Option<&'a Outcome>,
    apply: Applicability,
    encoding: &'a str,
    warnings: &'a [String],
) -> FileReport<'a> {
    let view = |e| edit_view(doc, e);
    let edits = outcome.log.edits.iter().map(view).collect();
    let (sugg, sugg_findings) = match review {
        Some(r) => suggestions(outcome, r),
        None => (Vec::new(), Vec::new()),
    };
    FileReport {
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
        suggestions: sugg.into_iter().map(view).collect(),
        findings: &outcome.findings,
        suggestion_findings: sugg_findings,
    }
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
    /// Matched canonical sources (with `--reference`).
    #[serde(skip_serializing_if = "is_zero")]
    pub references: usize,
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
