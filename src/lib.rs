//! # ungarble
//!
//! Finds and repairs garbled English text — synonym spinning, tortured phrases, machine
//! translation damage, typography and scraping damage — and records exactly what it changed
//! and why.
//!
//! The pipeline (see `README.md` and `DESIGN.md`):
//!
//! 1. [`input`] discovers files (sorted) and decodes them into a [`Document`];
//! 2. [`detectors`] (built once, shared by every thread) report [`Finding`]s with optional
//!    [`Fix`]es;
//! 3. the [`Resolver`] is the only code that changes text: longest fix wins, overlaps are
//!    skipped with a reason, detection re-runs to a fixed point, and the [`EditLog`] is
//!    verified to rebuild the original bytes;
//! 4. [`emit`] writes cleaned files, unified diffs, JSON reports and a batch summary;
//!    [`batch`] runs files in parallel with output identical for any thread count.
//!
//! ```
//! use ungarble::Engine;
//! let engine = Engine::builder().build().unwrap();
//! let out = engine.clean_text("It was far – reaching , they said .", None);
//! assert_eq!(out.cleaned, "It was far-reaching, they said.");
//! ```

pub mod align;
pub mod batch;
mod bytes;
pub mod detector;
pub mod detectors;
pub mod dictionary;
pub mod document;
pub mod emit;
pub mod finding;
pub mod input;
pub mod lexicon;
pub mod phrase;
pub mod reference;
pub mod resolver;
pub mod review;

use std::path::{Path, PathBuf};

/// Hash maps and sets with a fast hasher seeded the same in every run (their keys are
/// words and spans of the documents being cleaned, not input an attacker chooses to
/// collide, and a fixed seed keeps any order they give the same from run to run).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
use std::sync::Arc;

use detectors::source::SourceRef;
use reference::{Reference, ReferenceIndex};
use resolver::SourceReport;

pub use detector::{Context, Detector, Sink};
pub use dictionary::{DictError, DictionarySet};
pub use document::{Document, Span};
pub use finding::{Applicability, Edit, Evidence, Finding, Fix, Kind, Rule};
pub use resolver::{EditLog, Outcome, Resolver};

/// Why an engine could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("invalid dictionary:\n{0}")]
    Dict(#[from] DictError),
    #[error("reference {path}: {reason}")]
    Reference { path: String, reason: String },
}

/// Everything needed to clean documents: the detectors, the resolver settings and the
/// reference index. Build it once and share it (it is `Send + Sync`).
pub struct Engine {
    detectors: Vec<Box<dyn Detector>>,
    resolver: Resolver,
    dictionaries: Arc<DictionarySet>,
    references: Option<ReferenceIndex>,
}

/// Configures an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    apply: Applicability,
    default_dicts: bool,
    statistics: bool,
    terms: bool,
    explain: bool,
    extra_dicts: Vec<PathBuf>,
    references: Vec<PathBuf>,
    max_passes: usize,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            apply: Applicability::Safe,
            default_dicts: true,
            statistics: false,
            terms: false,
            explain: false,
            extra_dicts: Vec::new(),
            references: Vec::new(),
            max_passes: 4,
        }
    }
}

impl EngineBuilder {
    /// The least automatic applicability to apply: `Safe` (default) or `Review`.
    pub fn apply(mut self, a: Applicability) -> Self {
        self.apply = a;
        self
    }
    /// Whether the dictionaries embedded in the binary are loaded (default: yes).
    pub fn default_dicts(mut self, yes: bool) -> Self {
        self.default_dicts = yes;
        self
    }
    /// Whether statistical spin repair (rule S001: thesaurus and language model, in
    /// documents the dictionaries find evidently spun) runs (default: no — it is opt-in
    /// while its suggestions are right less than half the time and it doubles the cost of
    /// a spun document; see the README).
    pub fn statistics(mut self, yes: bool) -> Self {
        self.statistics = yes;
        self
    }
    /// Whether tortured phrases no dictionary lists are found by mapping them onto
    /// established terms through known word swaps (the tortured-phrase entries' own and
    /// `dictionaries/tortured-swaps.txt`; rule
    /// S002; default: no — like S001 it is opt-in, `--statistics` on the command line: it
    /// loads the lexicon and costs about a third more CPU on ordinary text).
    pub fn terms(mut self, yes: bool) -> Self {
        self.terms = yes;
        self
    }
    /// Whether statistical spin repair also explains the words it kept (flags, never
    /// applied) and the documents it skipped (a metric). Implies nothing unless
    /// [`EngineBuilder::statistics`] is on.
    pub fn explain(mut self, yes: bool) -> Self {
        self.explain = yes;
        self
    }
    /// Adds a user dictionary file.
    pub fn dict(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra_dicts.push(path.into());
        self
    }
    /// Adds canonical sources (a file, or a folder walked recursively).
    pub fn reference(mut self, path: impl Into<PathBuf>) -> Self {
        self.references.push(path.into());
        self
    }
    /// The most detection passes per document.
    pub fn max_passes(mut self, n: usize) -> Self {
        self.max_passes = n.max(1);
        self
    }

    pub fn build(self) -> Result<Engine, EngineError> {
        let mut sources: Vec<(String, String)> = Vec::new();
        if self.default_dicts {
            sources.extend(
                dictionary::BUILTIN
                    .iter()
                    .map(|(n, c)| (n.to_string(), c.to_string())),
            );
        }
        sources.extend(DictionarySet::read_files(&self.extra_dicts)?);
        let dictionaries = Arc::new(DictionarySet::load(&sources)?);
        let junk = detectors::Junk::builtin()?;
        let mut detectors: Vec<Box<dyn Detector>> = vec![
            Box::new(detectors::EncodingDamage),
            Box::new(detectors::Typography::new()),
            Box::new(junk),
            Box::new(detectors::DictionaryDetector::new(Arc::clone(
                &dictionaries,
            ))),
        ];
        if self.terms {
            // After the dictionaries, whose findings it leaves alone.
            let index = detectors::TermIndex::new(lexicon::Lexicon::get(), &dictionaries);
            detectors.push(Box::new(detectors::TermDetector::new(Arc::new(index))));
        }
        if self.statistics {
            // After the dictionaries, whose verdict and findings it reads.
            let swaps = detectors::stats::spin_swaps(lexicon::Lexicon::get(), &dictionaries);
            detectors.push(Box::new(detectors::Statistics {
                explain: self.explain,
                swaps: Arc::new(swaps),
            }));
        }
        detectors.push(Box::new(detectors::SourceAlignment));
        let references = if self.references.is_empty() {
            None
        } else {
            Some(load_references(&self.references)?)
        };
        Ok(Engine {
            detectors,
            resolver: Resolver {
                apply: self.apply,
                max_passes: self.max_passes,
            },
            dictionaries,
            references,
        })
    }
}

/// Reads reference files and folders into an index; any unusable path is an error.
fn load_references(paths: &[PathBuf]) -> Result<ReferenceIndex, EngineError> {
    let (files, problems) = input::discover(paths);
    if let Some(p) = problems.first() {
        return Err(EngineError::Reference {
            path: p.path.display().to_string(),
            reason: p.reason.clone(),
        });
    }
    let mut refs = Vec::with_capacity(files.len());
    for f in &files {
        let (text, _) = batch::load(f).map_err(|reason| EngineError::Reference {
            path: f.path.display().to_string(),
            reason,
        })?;
        refs.push(Reference::new(
            f.path.display().to_string(),
            std::fs::canonicalize(&f.path).ok(),
            text,
        ));
    }
    Ok(ReferenceIndex::new(refs))
}

impl Engine {
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Cleans one text. `path` names it in reports.
    pub fn clean_text(&self, text: &str, path: Option<&str>) -> Outcome {
        self.clean(text, path, None)
    }

    /// Cleans one text read from `source` (a file that may also be a reference: a document
    /// is never aligned with itself). `name` names it in reports.
    pub fn clean(&self, text: &str, name: Option<&str>, source: Option<&Path>) -> Outcome {
        self.clean_shared(Arc::from(text), name, source)
    }

    /// [`Engine::clean`] for a text already shared (no copy is made of it).
    pub fn clean_shared(
        &self,
        text: Arc<str>,
        name: Option<&str>,
        source: Option<&Path>,
    ) -> Outcome {
        let refs = self.matched_references(&text, source);
        self.run(text, name, &refs, self.resolver.apply, None, None)
            .0
    }

    /// Cleans at the engine's level and, when that leaves review-level suggestions, at
    /// review level too (what `--apply review` would have done), so a reviewer can be
    /// offered them. The second run starts from the first run's detection of the original
    /// text rather than detecting it again.
    pub fn clean_with_suggestions(
        &self,
        text: Arc<str>,
        name: Option<&str>,
        source: Option<&Path>,
    ) -> (Outcome, Option<Outcome>) {
        let refs = self.matched_references(&text, source);
        let keep = (self.resolver.apply < Applicability::Review).then_some(Applicability::Review);
        let (out, first) = self.run(
            Arc::clone(&text),
            name,
            &refs,
            self.resolver.apply,
            None,
            keep,
        );
        let wanted = keep.is_some()
            && out
                .findings
                .iter()
                .any(|r| r.status == resolver::Status::Suggested);
        let review = wanted.then(|| {
            self.run(text, name, &refs, Applicability::Review, first, None)
                .0
        });
        (out, review)
    }

    /// The references `text` derives from (none without `--reference`); `source` is the
    /// file it was read from, never matched with itself.
    fn matched_references(&self, text: &str, source: Option<&Path>) -> Vec<reference::RefMatch> {
        match &self.references {
            None => Vec::new(),
            Some(index) => index.matches(text, source.and_then(|p| index.find_path(p))),
        }
    }

    fn run(
        &self,
        text: Arc<str>,
        name: Option<&str>,
        matches: &[reference::RefMatch],
        apply: Applicability,
        seed: Option<resolver::FirstPass>,
        keep: Option<Applicability>,
    ) -> (Outcome, Option<resolver::FirstPass>) {
        let resolver = Resolver {
            apply,
            ..self.resolver
        };
        let detectors: Vec<&dyn Detector> = self.detectors.iter().map(|d| d.as_ref()).collect();
        let Some(index) = &self.references else {
            return resolver.resolve_from(text, &detectors, name, &[], seed, keep);
        };
        let refs: Vec<SourceRef> = matches
            .iter()
            .map(|m| SourceRef {
                reference: Arc::clone(index.reference(m.index)),
                containment: m.containment,
            })
            .collect();
        let (mut out, first) =
            resolver.resolve_from(Arc::clone(&text), &detectors, name, &refs, seed, keep);
        // The source detector aligned the original text in the first pass; align here only
        // if it did not (it always does when it runs).
        let mut aligned = std::mem::take(&mut out.alignments);
        out.sources = matches
            .iter()
            .enumerate()
            .map(|(k, m)| SourceReport {
                alignment: match aligned.iter().position(|(i, _)| *i == k) {
                    Some(p) => aligned.swap_remove(p).1,
                    None => {
                        let r = index.reference(m.index);
                        align::align_prepared(&text, r.prepared())
                    }
                },
                matched: m.clone(),
            })
            .collect();
        (out, first)
    }

    /// The reference index, when references were given.
    pub fn references(&self) -> Option<&ReferenceIndex> {
        self.references.as_ref()
    }

    pub fn apply(&self) -> Applicability {
        self.resolver.apply
    }

    pub fn dictionaries(&self) -> &DictionarySet {
        &self.dictionaries
    }
}

/// The findings of `rule` when `engine` cleans `text`: (written text, suggestion,
/// applicability), for tests.
#[cfg(test)]
pub(crate) fn test_rule_findings(
    engine: &Engine,
    rule: &str,
    text: &str,
) -> Vec<(String, String, Applicability)> {
    engine
        .clean_text(text, None)
        .findings
        .iter()
        .filter(|r| r.finding.rule == rule)
        .map(|r| {
            (
                r.text.clone(),
                r.finding.suggestion().unwrap_or("").to_string(),
                r.finding.applicability,
            )
        })
        .collect()
}

/// The text of the seed whose file name starts with `prefix` (for tests).
#[cfg(test)]
pub(crate) fn test_seed(prefix: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"));
    std::fs::read_to_string(path).unwrap()
}
