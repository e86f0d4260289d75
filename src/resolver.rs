//! The resolver: the only code that changes text.
//!
//! Each pass runs every detector on the current text, keeps the fixes the user asked for
//! (`--apply`), lets the **longest span win** among overlapping fixes (the others are
//! skipped with a reason and retried on the next pass), applies them, and folds the pass's
//! edits into an [`EditLog`] that is always expressed in the *original* text's byte
//! offsets. Detection re-runs until nothing more changes or the pass limit is reached
//! (reported as non-convergence). The outcome is then verified: the log must turn the
//! original into the cleaned text and back into the exact original bytes; a document that
//! fails is left untouched and the failure reported.

use std::collections::BTreeMap;

use crate::FastMap as HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::detector::{Context, Detector, Previous, Sink};
use crate::document::{Document, Span};
use crate::finding::{Applicability, Finding, Kind};

/// One edit of the log, in original-text byte offsets. Edits of later passes that touch
/// earlier ones are merged into one, carrying the reasons of both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoggedEdit {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub original: String,
    pub replacement: String,
    /// Ids of the findings whose fixes made this edit.
    pub findings: Vec<String>,
    pub rules: Vec<&'static str>,
    pub kinds: Vec<Kind>,
    /// The least automatic applicability among the fixes merged here.
    pub applicability: Applicability,
}

/// Sorted, non-overlapping edits from the original text to the cleaned text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EditLog {
    pub edits: Vec<LoggedEdit>,
}

/// A fix chosen in one pass, in that pass's text coordinates.
#[derive(Debug, Clone)]
struct PassEdit {
    start: usize,
    end: usize,
    replacement: String,
    finding: String,
    rule: &'static str,
    kind: Kind,
    applicability: Applicability,
}

impl EditLog {
    /// Applies the log to the original text.
    pub fn apply(&self, original: &str) -> String {
        let mut out = String::with_capacity(original.len());
        let mut pos = 0;
        for e in &self.edits {
            out.push_str(&original[pos..e.start]);
            out.push_str(&e.replacement);
            pos = e.end;
        }
        out.push_str(&original[pos..]);
        out
    }

    /// Rebuilds the original bytes from the cleaned text.
    pub fn revert(&self, cleaned: &str) -> Option<String> {
        let mut out = String::with_capacity(cleaned.len());
        let mut pos = 0usize;
        let mut delta: isize = 0;
        for e in &self.edits {
            let cs = (e.start as isize + delta) as usize;
            let ce = cs + e.replacement.len();
            if cs < pos || ce > cleaned.len() || cleaned.get(cs..ce)? != e.replacement {
                return None;
            }
            out.push_str(cleaned.get(pos..cs)?);
            out.push_str(&e.original);
            pos = ce;
            delta += e.replacement.len() as isize - (e.end - e.start) as isize;
        }
        out.push_str(cleaned.get(pos..)?);
        Some(out)
    }

    /// Does this log turn `original` into `cleaned`, and back? Checked in one walk without
    /// building either text: every edit's recorded original must be what stands in
    /// `original` there (so reverting rebuilds it), and the untouched stretches and
    /// replacements must make up `cleaned` exactly.
    pub fn verifies(&self, original: &str, cleaned: &str) -> bool {
        let (mut pos, mut cpos) = (0usize, 0usize);
        let take = |want: &str, cpos: &mut usize| -> bool {
            let end = *cpos + want.len();
            let ok = cleaned.get(*cpos..end) == Some(want);
            *cpos = end;
            ok
        };
        for e in &self.edits {
            if e.start < pos || original.get(e.start..e.end) != Some(e.original.as_str()) {
                return false;
            }
            if !take(&original[pos..e.start], &mut cpos) || !take(&e.replacement, &mut cpos) {
                return false;
            }
            pos = e.end;
        }
        take(&original[pos..], &mut cpos) && cpos == cleaned.len()
    }

    /// Maps a span of the current (edited) text back to the original text. A span that
    /// touches an edited region is widened to the whole original region. (For many spans,
    /// build a [`SpanMapper`] once.)
    pub fn map_span(&self, span: Span) -> Span {
        SpanMapper::new(self).map(span)
    }

    /// Folds one pass's sorted, non-overlapping edits (in `current` coordinates, where
    /// `current` is `original` with this log applied) into the log.
    fn compose(&mut self, original: &str, current: &str, pass: &[PassEdit]) {
        // (start, end, 0 = logged | 1 = pass, index), all in current coordinates.
        let mut items: Vec<(usize, usize, u8, usize)> =
            Vec::with_capacity(self.edits.len() + pass.len());
        let mut delta: isize = 0;
        for (i, e) in self.edits.iter().enumerate() {
            let cs = (e.start as isize + delta) as usize;
            items.push((cs, cs + e.replacement.len(), 0, i));
            delta += e.replacement.len() as isize - (e.end - e.start) as isize;
        }
        for (j, p) in pass.iter().enumerate() {
            items.push((p.start, p.end, 1, j));
        }
        items.sort_unstable();

        let mut out = Vec::with_capacity(items.len());
        let mut delta_before: isize = 0;
        let mut i = 0;
        while i < items.len() {
            let group_start = items[i].0;
            let mut group_end = items[i].1;
            let mut k = i + 1;
            // Strict `<`: intervals that merely touch stay separate edits.
            while k < items.len() && items[k].0 < group_end {
                group_end = group_end.max(items[k].1);
                k += 1;
            }
            let group = &items[i..k];
            let delta_group: isize = group
                .iter()
                .filter(|it| it.2 == 0)
                .map(|it| {
                    let e = &self.edits[it.3];
                    e.replacement.len() as isize - (e.end - e.start) as isize
                })
                .sum();
            if group.iter().all(|it| it.2 == 0) {
                out.extend(group.iter().map(|it| self.edits[it.3].clone()));
            } else {
                let os = (group_start as isize - delta_before) as usize;
                let oe = (group_end as isize - delta_before - delta_group) as usize;
                let mut replacement = String::new();
                let mut pos = group_start;
                let mut merged = LoggedEdit {
                    id: String::new(),
                    start: os,
                    end: oe,
                    original: original[os..oe].to_string(),
                    replacement: String::new(),
                    findings: Vec::new(),
                    rules: Vec::new(),
                    kinds: Vec::new(),
                    applicability: Applicability::Safe,
                };
                for it in group {
                    if it.2 == 0 {
                        let e = &self.edits[it.3];
                        merged.findings.extend(e.findings.iter().cloned());
                        merged.rules.extend(e.rules.iter().copied());
                        merged.kinds.extend(e.kinds.iter().copied());
                        merged.applicability = merged.applicability.max(e.applicability);
                    } else {
                        let p = &pass[it.3];
                        replacement.push_str(&current[pos..p.start]);
                        replacement.push_str(&p.replacement);
                        pos = p.end;
                        merged.findings.push(p.finding.clone());
                        merged.rules.push(p.rule);
                        merged.kinds.push(p.kind);
                        merged.applicability = merged.applicability.max(p.applicability);
                    }
                }
                replacement.push_str(&current[pos..group_end]);
                merged.rules.dedup();
                merged.kinds.sort_unstable();
                merged.kinds.dedup();
                if replacement != merged.original {
                    merged.replacement = replacement;
                    out.push(merged);
                }
            }
            delta_before += delta_group;
            i = k;
        }
        self.edits = out;
    }

    fn assign_ids(&mut self) {
        let mut seen: HashMap<String, usize> = HashMap::default();
        for e in &mut self.edits {
            let h = fnv1a(&[
                itoa::Buffer::new().format(e.start).as_bytes(),
                e.original.as_bytes(),
                e.replacement.as_bytes(),
            ]);
            let base = short_id('e', h);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            e.id = if *n == 1 { base } else { format!("{base}-{n}") };
        }
    }
}

/// 64-bit FNV-1a over several byte strings (with separators): stable ids across runs and
/// platforms.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.iter().chain(std::iter::once(&0xffu8)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// What became of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its fix is part of the cleaned text.
    Applied,
    /// Review-level fix that was not requested (`--apply review` applies it).
    Suggested,
    /// Reported only: no fix, or a flag.
    Flagged,
    /// A fix that could not be applied; `reason` says why.
    Skipped,
    /// A fix a reviewer turned down (`ungarble apply`).
    Rejected,
}

impl Status {
    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Suggested => "suggested",
            Status::Flagged => "flagged",
            Status::Skipped => "skipped",
            Status::Rejected => "rejected",
        }
    }
}

/// A finding as reported for a document: spans in the original text.
///
/// Serialized as one map: the record's fields, then the finding's (written by hand rather
/// than with `#[serde(flatten)]`, which buffers every field through a generic map and made
/// this the costliest part of a report).
#[derive(Debug, Clone)]
pub struct FindingRecord {
    pub id: String,
    pub pass: usize,
    pub line: usize,
    pub column: usize,
    /// The original text under the finding's span.
    pub text: String,
    pub status: Status,
    pub reason: Option<String>,
    /// The id of the logged edit that carries this finding's fix.
    pub edit: Option<String>,
    pub finding: Finding,
}

impl Serialize for FindingRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("pass", &self.pass)?;
        m.serialize_entry("line", &self.line)?;
        m.serialize_entry("column", &self.column)?;
        m.serialize_entry("text", &self.text)?;
        m.serialize_entry("status", &self.status)?;
        if let Some(r) = &self.reason {
            m.serialize_entry("reason", r)?;
        }
        if let Some(e) = &self.edit {
            m.serialize_entry("edit", e)?;
        }
        self.finding.serialize_fields(&mut m)?;
        m.end()
    }
}

/// The result of resolving one document.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub original: Arc<str>,
    pub cleaned: String,
    pub log: EditLog,
    pub findings: Vec<FindingRecord>,
    pub metrics: BTreeMap<&'static str, f64>,
    pub passes: usize,
    pub converged: bool,
    /// Problems with this document's resolution (non-convergence, failed verification).
    pub problems: Vec<String>,
    /// The references matched to the document and its sentence alignment with each.
    pub sources: Vec<SourceReport>,
    /// The first pass's alignments of the original text with the references (by index).
    pub alignments: Vec<(usize, crate::align::Alignment)>,
}

/// A matched reference and how the original document aligns with it, for reports.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    #[serde(flatten)]
    pub matched: crate::reference::RefMatch,
    pub alignment: crate::align::Alignment,
}

impl Outcome {
    pub fn changed(&self) -> bool {
        !self.log.edits.is_empty()
    }
}

/// Maps spans of the current (edited) text back to the original text, in O(log n) per
/// span: positions of the log's edits in current coordinates are computed once. (A pass
/// over a large file maps one span per finding; walking the log for each was quadratic.)
#[derive(Debug)]
pub struct SpanMapper<'a> {
    log: &'a EditLog,
    /// Per edit: its start in current coordinates, its end there, and the length change
    /// of all edits before it.
    current: Vec<(usize, usize, isize)>,
    total: isize,
}

impl<'a> SpanMapper<'a> {
    pub fn new(log: &'a EditLog) -> Self {
        let mut delta: isize = 0;
        let mut current = Vec::with_capacity(log.edits.len());
        for e in &log.edits {
            let cs = (e.start as isize + delta) as usize;
            current.push((cs, cs + e.replacement.len(), delta));
            delta += e.replacement.len() as isize - (e.end - e.start) as isize;
        }
        SpanMapper {
            log,
            current,
            total: delta,
        }
    }

    pub fn map(&self, span: Span) -> Span {
        let back = |pos: usize, delta: isize| (pos as isize - delta) as usize;
        // The first edit that ends (an empty one counts one byte) after the span starts.
        let i = self
            .current
            .partition_point(|&(cs, ce, _)| ce.max(cs + 1) <= span.start);
        let start = match self.current.get(i) {
            Some(&(cs, _, delta)) if span.start < cs => back(span.start, delta),
            Some(_) => self.log.edits[i].start,
            None => back(span.start, self.total),
        };
        // The first edit that ends at or after the span's end.
        let j = self.current.partition_point(|&(_, ce, _)| ce < span.end);
        let end = match self.current.get(j) {
            Some(&(cs, _, delta)) if span.end <= cs => back(span.end, delta),
            Some(_) => self.log.edits[j].end,
            None => back(span.end, self.total),
        };
        Span::new(start, end.max(start))
    }
}

/// Applies fixes to a fixed point.
#[derive(Debug, Clone, Copy)]
pub struct Resolver {
    /// The least automatic applicability that is applied (`Safe` or `Review`).
    pub apply: Applicability,
    /// The most detection passes before giving up.
    pub max_passes: usize,
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver {
            apply: Applicability::Safe,
            max_passes: 4,
        }
    }
}

/// Do two edits conflict? Proper overlap, an insertion strictly inside the other, or two
/// insertions at the same point.
fn conflicts(a: (usize, usize), b: (usize, usize)) -> bool {
    let (a_empty, b_empty) = (a.0 == a.1, b.0 == b.1);
    if a_empty && b_empty {
        return a.0 == b.0;
    }
    if a_empty {
        return b.0 < a.0 && a.0 < b.1;
    }
    if b_empty {
        return a.0 < b.0 && b.0 < a.1;
    }
    a.0.max(b.0) < a.1.min(b.1)
}

impl Resolver {
    pub fn resolve(
        &self,
        text: Arc<str>,
        detectors: &[&dyn Detector],
        path: Option<&str>,
    ) -> Outcome {
        self.resolve_with(text, detectors, path, &[])
    }

    /// [`Resolver::resolve`] with the canonical sources the document derives from.
    pub fn resolve_with(
        &self,
        text: Arc<str>,
        detectors: &[&dyn Detector],
        path: Option<&str>,
        references: &[crate::detectors::source::SourceRef],
    ) -> Outcome {
        self.resolve_from(text, detectors, path, references, None, None)
            .0
    }

    /// [`Resolver::resolve_with`], starting from `seed` (what an earlier run's first pass
    /// detected on the same text and references) instead of detecting the first pass
    /// again. With `keep` set, the first pass is returned for such a later run when it
    /// has fixes above this resolver's level and up to `keep` (review-level suggestions
    /// alongside a safe run).
    pub fn resolve_from(
        &self,
        text: Arc<str>,
        detectors: &[&dyn Detector],
        path: Option<&str>,
        references: &[crate::detectors::source::SourceRef],
        mut seed: Option<FirstPass>,
        keep: Option<Applicability>,
    ) -> (Outcome, Option<FirstPass>) {
        let mut kept = None;
        let original = Arc::clone(&text);
        // The text being repaired, shared with each pass's document: the first pass needs
        // no copy at all, later ones one (a large file is held about twice, not four times).
        let mut current: Arc<str> = text;
        let mut log = EditLog::default();
        let mut records: Vec<FindingRecord> = Vec::new();
        let mut index: HashMap<(&'static str, Span), usize> =
            HashMap::with_capacity_and_hasher(256, Default::default());
        let mut metrics = BTreeMap::new();
        let mut alignments = Vec::new();
        let mut converged = false;
        let mut passes = 0;
        let mut problems = Vec::new();
        let line_doc = Document::new(Arc::clone(&original));
        // The pass before, for detectors that redo their work around its edits only.
        let mut previous: Option<Previous> = None;

        for pass in 0..self.max_passes {
            passes = pass + 1;
            let doc = Document::new(Arc::clone(&current));
            let cx = Context {
                pass,
                path,
                first_pass_metrics: (pass > 0).then_some(&metrics),
                references,
                previous: previous.as_ref(),
            };
            let mut sink = match seed.take() {
                Some(FirstPass(sink)) if pass == 0 => sink,
                _ => {
                    let mut sink = Sink::default();
                    for d in detectors {
                        d.detect(&doc, &cx, &mut sink);
                    }
                    sink
                }
            };
            if pass == 0 {
                if let Some(level) = keep {
                    let above = sink.findings.iter().any(|f| {
                        f.fix.as_ref().is_some_and(|x| {
                            x.applicability > self.apply
                                && x.applicability <= level
                                && !x.edits.is_empty()
                        })
                    });
                    if above {
                        kept = Some(FirstPass(sink.clone()));
                    }
                }
                metrics = std::mem::take(&mut sink.metrics);
                alignments = std::mem::take(&mut sink.alignments);
            }
            let state = std::mem::take(&mut sink.state);
            let mut findings = sink.findings;
            findings
                .sort_by(|a, b| (a.span, a.rule, &a.message).cmp(&(b.span, b.rule, &b.message)));

            // Candidate fixes, longest span first; ties by position then rule code.
            let mut order: Vec<usize> = (0..findings.len())
                .filter(|&i| {
                    findings[i]
                        .fix
                        .as_ref()
                        .is_some_and(|f| f.applicability <= self.apply && !f.edits.is_empty())
                })
                .collect();
            order.sort_by_key(|&i| {
                let s = findings[i].fix.as_ref().unwrap().span();
                (std::cmp::Reverse(s.len()), s.start, findings[i].rule)
            });
            let mut accepted: BTreeMap<(usize, usize), usize> = BTreeMap::new();
            let mut verdict: Vec<Option<Result<(), usize>>> = vec![None; findings.len()];
            for &i in &order {
                let fix = findings[i].fix.as_ref().unwrap();
                let mut blocker = None;
                'edits: for e in &fix.edits {
                    let (s, en) = (e.start, e.end);
                    // Accepted edits are disjoint, so only the one starting before `s`
                    // and those starting within `s..=en` can conflict.
                    let before = accepted.range(..(s, 0)).next_back();
                    for (&k, &owner) in before
                        .into_iter()
                        .chain(accepted.range((s, 0)..=(en, usize::MAX)))
                    {
                        if conflicts((s, en), k) {
                            blocker = Some(owner);
                            break 'edits;
                        }
                    }
                }
                // Edits within one fix must not conflict with each other either.
                match blocker {
                    Some(owner) => verdict[i] = Some(Err(owner)),
                    None => {
                        for e in &fix.edits {
                            accepted.insert((e.start, e.end), i);
                        }
                        verdict[i] = Some(Ok(()));
                    }
                }
            }

            // Describe each blocking fix before the findings are consumed.
            let blocked_by: Vec<Option<String>> = verdict
                .iter()
                .map(|v| match v {
                    Some(Err(owner)) => {
                        let o = &findings[*owner];
                        Some(format!(
                            "{} on \"{}\"",
                            o.rule,
                            doc.slice(o.fix.as_ref().unwrap().span())
                        ))
                    }
                    _ => None,
                })
                .collect();
            let mut pass_edits: Vec<PassEdit> = Vec::new();
            let mut new_records = Vec::with_capacity(findings.len());
            let mapper = SpanMapper::new(&log);
            for (i, f) in findings.into_iter().enumerate() {
                let span = if pass == 0 {
                    f.span
                } else {
                    mapper.map(f.span)
                };
                let (status, reason) = match (&f.fix, verdict[i]) {
                    (_, Some(Ok(()))) => (Status::Applied, None),
                    (_, Some(Err(_))) => (
                        Status::Skipped,
                        Some(format!(
                            "overlaps a longer fix ({}); retried on the next pass",
                            blocked_by[i].as_deref().unwrap_or("?")
                        )),
                    ),
                    (Some(fix), None) if fix.applicability > self.apply => (
                        Status::Suggested,
                        Some("review-level fix: applied with --apply review".to_string()),
                    ),
                    (Some(_), None) => (Status::Skipped, Some("empty fix".to_string())),
                    (None, None) if !f.candidates.is_empty() => (
                        Status::Flagged,
                        Some("several candidates: a person must choose".to_string()),
                    ),
                    (None, None) => (Status::Flagged, None),
                };
                let key = (f.rule, span);
                // A re-detection of something not yet fixed is the same finding; after a
                // fix was applied there, a new finding is new work (doubly damaged text).
                let earlier = index
                    .get(&key)
                    .copied()
                    .filter(|&j| records[j].status != Status::Applied);
                if let Some(j) = earlier {
                    // Already reported in an earlier pass: only record a later success.
                    if status == Status::Applied && records[j].status != Status::Applied {
                        records[j].status = Status::Applied;
                        records[j].reason = None;
                        let id = records[j].id.clone();
                        push_pass_edits(&mut pass_edits, &f, &id);
                    }
                    continue;
                }
                let (line, column) = line_doc.line_col(span.start);
                let id = finding_id(&f, span);
                if status == Status::Applied {
                    push_pass_edits(&mut pass_edits, &f, &id);
                }
                let mut finding = f;
                finding.span = span;
                let text = original.get(span.range()).unwrap_or("").to_string();
                new_records.push(FindingRecord {
                    id,
                    pass,
                    line,
                    column,
                    text,
                    status,
                    reason,
                    edit: None,
                    finding,
                });
            }
            for r in new_records {
                index.insert((r.finding.rule, r.finding.span), records.len());
                records.push(r);
            }
            if pass_edits.is_empty() {
                converged = true;
                break;
            }
            pass_edits.sort_by_key(|e| (e.start, e.end));
            let mut next = String::with_capacity(current.len());
            let mut pos = 0;
            for e in &pass_edits {
                next.push_str(&current[pos..e.start]);
                next.push_str(&e.replacement);
                pos = e.end;
            }
            next.push_str(&current[pos..]);
            log.compose(&original, &current, &pass_edits);
            drop(doc);
            current = Arc::from(next);
            previous = Some(Previous {
                edits: pass_edits
                    .iter()
                    .map(|e| (e.start, e.end, e.replacement.len()))
                    .collect(),
                state,
            });
        }
        if !converged {
            problems.push(format!(
                "fixes did not converge after {} passes; the last pass still changed text (a bug: please report it)",
                self.max_passes
            ));
        }

        // Verify: the log rebuilds both sides exactly.
        let ok = log.verifies(&original, &current);
        if !ok {
            problems.push(
                "edit log failed verification; the document was left untouched (a bug: please report it)"
                    .to_string(),
            );
            log = EditLog::default();
            current = Arc::clone(&original);
            for r in &mut records {
                if r.status == Status::Applied {
                    r.status = Status::Skipped;
                    r.reason = Some("verification failed".to_string());
                }
            }
        }
        log.assign_ids();
        let mut by_finding: HashMap<&str, &str> = HashMap::default();
        for e in &log.edits {
            for f in &e.findings {
                by_finding.insert(f.as_str(), e.id.as_str());
            }
        }
        for r in &mut records {
            r.edit = by_finding.get(r.id.as_str()).map(|s| s.to_string());
            if r.status == Status::Applied && r.edit.is_none() {
                // A later edit restored the original text here.
                r.status = Status::Skipped;
                r.reason = Some("undone by a later fix".to_string());
            }
        }
        records.sort_by(|a, b| {
            (a.finding.span, a.finding.rule, &a.id).cmp(&(b.finding.span, b.finding.rule, &b.id))
        });
        let outcome = Outcome {
            sources: Vec::new(),
            alignments,
            original,
            cleaned: current.to_string(),
            log,
            findings: records,
            metrics,
            passes,
            converged,
            problems,
        };
        (outcome, kept)
    }
}

/// What the first detection pass over a text found (see [`Resolver::resolve_from`]).
#[derive(Debug, Clone)]
pub struct FirstPass(Sink);

fn push_pass_edits(out: &mut Vec<PassEdit>, f: &Finding, id: &str) {
    if let Some(fix) = &f.fix {
        for e in &fix.edits {
            out.push(PassEdit {
                start: e.start,
                end: e.end,
                replacement: e.replacement.clone(),
                finding: id.to_string(),
                rule: f.rule,
                kind: f.kind,
                applicability: fix.applicability,
            });
        }
    }
}

fn finding_id(f: &Finding, span: Span) -> String {
    let h = fnv1a(&[
        f.rule.as_bytes(),
        itoa::Buffer::new().format(span.start).as_bytes(),
        itoa::Buffer::new().format(span.end).as_bytes(),
        f.message.as_bytes(),
    ]);
    short_id('f', h)
}

/// `prefix` and the low 40 bits of `h` as ten lowercase hex digits (what
/// `format!("{prefix}{:010x}", h & 0xff_ffff_ffff)` writes, without the formatting
/// machinery: a batch makes one per finding and edit).
fn short_id(prefix: char, h: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(11);
    s.push(prefix);
    for k in (0..10).rev() {
        s.push(HEX[((h >> (4 * k)) & 0xf) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_the_formatted_ones() {
        for h in [0, 1, 0xabc, 0xff_ffff_ffff, 0x1234_5678_9abc_def0, u64::MAX] {
            assert_eq!(short_id('e', h), format!("e{:010x}", h & 0xff_ffff_ffff));
            assert_eq!(short_id('f', h), format!("f{:010x}", h & 0xff_ffff_ffff));
        }
    }

    #[test]
    fn status_names_are_the_serialized_ones() {
        for s in [
            Status::Applied,
            Status::Suggested,
            Status::Flagged,
            Status::Skipped,
            Status::Rejected,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    fn pe(start: usize, end: usize, rep: &str) -> PassEdit {
        PassEdit {
            start,
            end,
            replacement: rep.to_string(),
            finding: format!("p{start}"),
            rule: "X",
            kind: Kind::Typography,
            applicability: Applicability::Safe,
        }
    }

    fn run(original: &str, passes: &[Vec<PassEdit>]) -> (EditLog, String) {
        let mut log = EditLog::default();
        let mut cur = original.to_string();
        for p in passes {
            let mut next = String::new();
            let mut pos = 0;
            for e in p {
                next.push_str(&cur[pos..e.start]);
                next.push_str(&e.replacement);
                pos = e.end;
            }
            next.push_str(&cur[pos..]);
            log.compose(original, &cur, p);
            cur = next;
        }
        assert_eq!(log.apply(original), cur);
        assert_eq!(log.revert(&cur).as_deref(), Some(original));
        (log, cur)
    }

    #[test]
    fn composes_disjoint_and_overlapping_passes() {
        let (log, cur) = run(
            "abcdefghij",
            &[
                vec![pe(1, 3, "XY Z"), pe(5, 5, "+")],
                vec![pe(2, 6, "_"), pe(8, 9, "")],
            ],
        );
        // pass 1: "aXY Zde+fghij"; pass 2 replaces "Y Zd" (across the first edit) and
        // deletes "f".
        assert_eq!(cur, "aX_e+ghij");
        assert_eq!(log.edits.len(), 3);
    }

    #[test]
    fn an_edit_undone_later_disappears() {
        let (log, cur) = run(
            "hello world",
            &[vec![pe(0, 5, "HELLO")], vec![pe(0, 5, "hello")]],
        );
        assert_eq!(cur, "hello world");
        assert!(log.edits.is_empty());
    }

    #[test]
    fn deletion_boundaries_stay_separate() {
        let (log, cur) = run(
            "a  b",
            &[vec![pe(1, 2, "")], vec![pe(1, 1, "-"), pe(2, 3, "c")]],
        );
        assert_eq!(cur, "a- c");
        assert_eq!(log.edits.len(), 3);
    }

    #[test]
    fn conflict_rules() {
        assert!(conflicts((0, 5), (4, 6)));
        assert!(!conflicts((0, 5), (5, 6)));
        assert!(conflicts((3, 3), (0, 5)));
        assert!(!conflicts((5, 5), (0, 5)));
        assert!(conflicts((5, 5), (5, 5)));
    }

    #[test]
    fn map_span_goes_back_to_original() {
        let (log, _) = run("one two three", &[vec![pe(4, 7, "2")]]);
        // "one 2 three": "three" at 6..11 in current → 8..13 in original
        assert_eq!(log.map_span(Span::new(6, 11)), Span::new(8, 13));
        assert_eq!(log.map_span(Span::new(4, 5)), Span::new(4, 7));
        assert_eq!(log.map_span(Span::new(0, 3)), Span::new(0, 3));
    }

    /// The walk over the log that `SpanMapper` replaced: the reference answer.
    fn map_span_linear(log: &EditLog, span: Span) -> Span {
        let mut delta: isize = 0;
        let (mut start, mut end) = (None, None);
        for e in &log.edits {
            let cs = (e.start as isize + delta) as usize;
            let ce = cs + e.replacement.len();
            if start.is_none() && span.start < cs {
                start = Some((span.start as isize - delta) as usize);
            }
            if start.is_none() && span.start < ce.max(cs + 1) && span.start >= cs {
                start = Some(e.start);
            }
            if end.is_none() && span.end <= cs {
                end = Some((span.end as isize - delta) as usize);
            }
            if end.is_none() && span.end <= ce {
                end = Some(e.end);
            }
            delta += e.replacement.len() as isize - (e.end - e.start) as isize;
        }
        let start = start.unwrap_or((span.start as isize - delta) as usize);
        let end = end
            .unwrap_or((span.end as isize - delta) as usize)
            .max(start);
        Span::new(start, end)
    }

    #[test]
    fn verification_catches_a_log_that_does_not_rebuild_either_side() {
        let original = "aaaa bbbb cccc";
        let (log, cleaned) = run(original, &[vec![pe(5, 9, "B"), pe(14, 14, "!")]]);
        assert!(log.verifies(original, &cleaned));
        assert_eq!(log.apply(original), cleaned);
        assert!(!log.verifies(original, "aaaa B cccc"));
        assert!(!log.verifies(original, "aaaa B cccc!?"));
        assert!(!log.verifies("aaaa bbbx cccc", &cleaned));
        let mut bad = log.clone();
        bad.edits[0].original = "bbbx".into();
        assert!(!bad.verifies(original, &cleaned));
    }

    #[test]
    fn span_mapper_equals_the_linear_walk() {
        // Insertions, deletions, growth and shrinkage, adjacent edits.
        let (log, cleaned) = run(
            "aaaa bbbb cccc dddd eeee ffff",
            &[vec![
                pe(0, 0, "X "),
                pe(5, 9, ""),
                pe(10, 14, "CCCCCC"),
                pe(15, 19, "d"),
                pe(19, 20, ""),
            ]],
        );
        let n = cleaned.len();
        for a in 0..=n {
            for b in a..=n {
                let sp = Span::new(a, b);
                assert_eq!(
                    SpanMapper::new(&log).map(sp),
                    map_span_linear(&log, sp),
                    "{sp:?}"
                );
            }
        }
    }
}
