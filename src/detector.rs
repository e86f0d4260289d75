//! The detector trait: built once, shared by every thread, and only ever *reports*.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

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
    /// On later passes, the edits that turned the text of the pass before into this one,
    /// and what each detector kept of its work there (see [`Sink::keep`]): a detector whose
    /// findings depend only on nearby text may redo its work around the edits alone.
    pub previous: Option<&'a Previous>,
}

/// The pass before this one (see [`Context::previous`]).
#[derive(Debug, Clone)]
pub struct Previous {
    /// `(start, end, replacement length)` in the previous text, sorted and disjoint.
    pub edits: Vec<(usize, usize, usize)>,
    pub state: State,
}

impl Previous {
    /// What the detector named `name` kept, if it kept a `T`.
    pub fn state<T: Any + Send + Sync>(&self, name: &str) -> Option<&T> {
        self.state.get(name)
    }
}

/// What detectors keep of one pass for the next (shared, so seeding a second run with a
/// first pass copies nothing).
#[derive(Clone, Default)]
pub struct State(Vec<(&'static str, Arc<dyn Any + Send + Sync>)>);

impl State {
    pub fn get<T: Any + Send + Sync>(&self, name: &str) -> Option<&T> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.downcast_ref())
    }
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(n, _)| n))
            .finish()
    }
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
    /// What detectors keep for the next pass.
    pub state: State,
}

impl Sink {
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }
    pub fn metric(&mut self, name: &'static str, value: f64) {
        self.metrics.insert(name, value);
    }
    /// The spans of this pass's phrase findings so far (spin, tortured phrase, mistranslated
    /// name), sorted: the statistical rules leave their words to them.
    pub fn phrase_spans(&self) -> Vec<(usize, usize)> {
        use crate::finding::Kind;
        let mut spans: Vec<(usize, usize)> = self
            .findings
            .iter()
            .filter(|f| matches!(f.kind, Kind::Spin | Kind::Tortured | Kind::Mistranslation))
            .map(|f| (f.span.start, f.span.end))
            .collect();
        spans.sort_unstable();
        spans
    }
    /// Keeps `value` for the detector `name`'s work on the next pass.
    pub fn keep<T: Any + Send + Sync>(&mut self, name: &'static str, value: T) {
        self.state.0.push((name, Arc::new(value)));
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

/// A detector with the pass before hidden, so every pass works from scratch: what a
/// detector that builds on the pass before must agree with (used by tests).
#[cfg(test)]
pub(crate) struct Whole<'a>(pub &'a dyn Detector);

#[cfg(test)]
impl Detector for Whole<'_> {
    fn name(&self) -> &'static str {
        "whole"
    }
    fn detect(&self, doc: &Document, cx: &Context, sink: &mut Sink) {
        let cx = Context {
            previous: None,
            ..*cx
        };
        self.0.detect(doc, &cx, sink)
    }
}
