//! The detector trait: built once, shared by every thread, and only ever *reports*.

use std::collections::BTreeMap;

use crate::document::Document;
use crate::finding::Finding;

/// What a detector knows about the run besides the document itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// 0 for the first pass over the original text; later passes see repaired text.
    pub pass: usize,
    /// The input's relative path, when it has one.
    pub path: Option<&'a str>,
    /// On later passes, the document-level measurements of the first pass (so verdicts
    /// such as "evidently spun" stay fixed while the text is being repaired).
    pub first_pass_metrics: Option<&'a BTreeMap<&'static str, f64>>,
    /// The canonical sources this document derives from, best first (empty without
    /// `--reference`).
    pub references: &'a [crate::detectors::source::SourceRef],
}

/// Where detectors put what they notice: findings, and document-level measurements such as
/// the spin score.
#[derive(Debug, Default, Clone)]
pub struct Sink {
    pub findings: Vec<Finding>,
    pub metrics: BTreeMap<&'static str, f64>,
    /// Sentence alignments with the references (by index in `Context::references`), so the
    /// report need not align again.
    pub alignments: Vec<(usize, crate::align::Alignment)>,
}

impl Sink {
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }
    pub fn metric(&mut self, name: &'static str, value: f64) {
        self.metrics.insert(name, value);
    }
}

/// A detector. Implementations compile their automata and regexes in their constructor,
/// never per document, and must be `Send + Sync` so one instance serves every thread.
pub trait Detector: Send + Sync {
    /// A short stable name ("typography", "dictionary").
    fn name(&self) -> &'static str;
    /// Reports findings for `doc` into `sink`.
    fn detect(&self, doc: &Document, cx: &Context, sink: &mut Sink);
}
