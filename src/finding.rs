//! What detectors report: findings, fixes, edits, applicability and the policy that turns
//! a detector's confidence into an applicability.
//!
//! Detectors only *report*. A [`Finding`] may carry a [`Fix`] (one or more [`Edit`]s); the
//! [`crate::resolver::Resolver`] is the only code that turns fixes into changed text.

use std::sync::Arc;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::document::Span;

/// How a fix may be applied. Ordered from most to least automatic.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by default.
    #[default]
    Safe,
    /// Applied only when the user asks (`--apply review`) or accepts it in review.
    Review,
    /// Shown, never applied.
    Flag,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Review => "review",
            Applicability::Flag => "flag",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "safe" => Some(Applicability::Safe),
            "review" => Some(Applicability::Review),
            "flag" => Some(Applicability::Flag),
            _ => None,
        }
    }
}

/// A confidence as reports write it: its shortest decimal form ("0.95"), the same whether
/// the report is streamed or built as a JSON value first (which widens `f32` to `f64`).
pub fn confidence_value(c: f32) -> f64 {
    // Reports write thousands of confidences drawn from a handful of values: the last few
    // conversions are remembered (per thread) instead of formatting and parsing each.
    thread_local! {
        static RECENT: std::cell::Cell<[(u32, f64); 4]> =
            const { std::cell::Cell::new([(0x3f80_0000, 1.0); 4]) }; // 1.0f32
    }
    RECENT.with(|recent| {
        let mut r = recent.get();
        if let Some(&(_, v)) = r.iter().find(|(bits, _)| *bits == c.to_bits()) {
            return v;
        }
        let v = c.to_string().parse().unwrap_or(f64::from(c));
        r.rotate_right(1);
        r[0] = (c.to_bits(), v);
        recent.set(r);
        v
    })
}

/// The one policy that combines a detector's declared applicability with its confidence:
/// the result is the *stricter* of the two, where confidence maps to
/// `safe` at 0.9 and above, `review` at 0.6 and above, and `flag` below.
/// Confidence can therefore only ever make a fix less automatic, never more.
pub fn policy(declared: Applicability, confidence: f32) -> Applicability {
    let by_confidence = if confidence >= 0.9 {
        Applicability::Safe
    } else if confidence >= 0.6 {
        Applicability::Review
    } else {
        Applicability::Flag
    };
    declared.max(by_confidence)
}

/// The family of damage a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Typography,
    Spin,
    Tortured,
    Mistranslation,
    NameVariant,
    Junk,
    /// A misquote against the source.
    Misquote,
    /// A fact (name, number, date) that differs from the source.
    Fact,
    /// Sentences omitted from or added to the source.
    Coverage,
    /// Mojibake, invisible and control characters.
    Encoding,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Typography => "typography",
            Kind::Spin => "spin",
            Kind::Tortured => "tortured",
            Kind::Mistranslation => "mistranslation",
            Kind::NameVariant => "name-variant",
            Kind::Junk => "junk",
            Kind::Misquote => "misquote",
            Kind::Fact => "fact",
            Kind::Coverage => "coverage",
            Kind::Encoding => "encoding",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "typography" => Kind::Typography,
            "spin" => Kind::Spin,
            "tortured" => Kind::Tortured,
            "mistranslation" => Kind::Mistranslation,
            "name-variant" => Kind::NameVariant,
            "junk" => Kind::Junk,
            "misquote" => Kind::Misquote,
            "fact" => Kind::Fact,
            "coverage" => Kind::Coverage,
            "encoding" => Kind::Encoding,
            _ => return None,
        })
    }
}

/// One replacement of a byte range of the text a detector saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Edit {
    pub fn new(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            start: span.start,
            end: span.end,
            replacement: replacement.into(),
        }
    }
    pub fn deletion(span: Span) -> Self {
        Edit::new(span, "")
    }
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// A repair: edits that belong together, and how they may be applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// The smallest span covering every edit.
    pub fn span(&self) -> Span {
        let start = self.edits.iter().map(|e| e.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.end).max().unwrap_or(0);
        Span::new(start, end)
    }
}

/// A piece of report text: made for one finding, or shared by every finding of its kind
/// (a dictionary entry's id and location), so a shared one costs no copy per finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Owned(String),
    Shared(Arc<str>),
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Owned(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Owned(s.to_string())
    }
}

impl From<&Arc<str>> for Text {
    fn from(s: &Arc<str>) -> Self {
        Text::Shared(Arc::clone(s))
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// Why a detector believes what it reports: labelled facts shown to the reviewer, in order.
/// Labels are the detectors' own fixed words.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence(pub Vec<(&'static str, Text)>);

impl Evidence {
    /// Evidence with room for `n` facts.
    pub fn with_capacity(n: usize) -> Self {
        Evidence(Vec::with_capacity(n))
    }

    pub fn with(mut self, label: &'static str, value: impl Into<Text>) -> Self {
        self.0.push((label, value.into()));
        self
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Something a detector noticed.
///
/// Serialized as a map of its fields (evidence, candidates and fix only when present);
/// [`Finding::serialize_fields`] lets a record that carries a finding write the same
/// fields inline after its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub kind: Kind,
    pub span: Span,
    pub message: String,
    pub confidence: f32,
    pub applicability: Applicability,
    pub evidence: Evidence,
    /// Alternatives a person may choose from when no single fix is certain.
    pub candidates: Vec<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    /// Writes the finding's fields into a map being serialized.
    pub fn serialize_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("rule", self.rule)?;
        m.serialize_entry("kind", &self.kind)?;
        m.serialize_entry("span", &self.span)?;
        m.serialize_entry("message", &self.message)?;
        m.serialize_entry("confidence", &confidence_value(self.confidence))?;
        m.serialize_entry("applicability", &self.applicability)?;
        if !self.evidence.is_empty() {
            m.serialize_entry("evidence", &self.evidence)?;
        }
        if !self.candidates.is_empty() {
            m.serialize_entry("candidates", &self.candidates)?;
        }
        if let Some(fix) = &self.fix {
            m.serialize_entry("fix", fix)?;
        }
        Ok(())
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.serialize_fields(&mut m)?;
        m.end()
    }
}

impl Finding {
    /// A finding without a fix (applicability `flag`).
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Finding {
            rule: rule.code,
            kind: rule.kind,
            span,
            message: message.into(),
            confidence: 1.0,
            applicability: Applicability::Flag,
            evidence: Evidence::default(),
            candidates: Vec::new(),
            fix: None,
        }
    }

    /// Attaches a fix; its applicability is decided by [`policy`] from the declared
    /// applicability and the finding's confidence (set confidence first).
    pub fn with_fix(mut self, edits: Vec<Edit>, declared: Applicability) -> Self {
        let applicability = policy(declared, self.confidence);
        self.applicability = applicability;
        if applicability != Applicability::Flag {
            self.fix = Some(Fix {
                edits,
                applicability,
            });
        }
        self
    }

    pub fn with_confidence(mut self, confidence: f32) -> Self {
        self.confidence = confidence;
        self
    }

    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = evidence;
        self
    }

    pub fn with_candidates(mut self, candidates: Vec<String>) -> Self {
        self.candidates = candidates;
        self
    }

    /// The first replacement text of the fix, for one-line displays.
    pub fn suggestion(&self) -> Option<&str> {
        self.fix
            .as_ref()
            .and_then(|f| f.edits.first())
            .map(|e| e.replacement.as_str())
    }
}

/// A rule: a code, a short name, its kind and its documentation.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    /// What it finds and why that is damage.
    pub what: &'static str,
    /// A before → after example.
    pub example: &'static str,
    /// When its fix is applied.
    pub fix_safety: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_confidences_are_the_computed_ones() {
        // More distinct values than are remembered, revisited in changing orders.
        let values = [
            1.0f32, 0.95, 0.9, 0.7, 0.6, 0.55, 0.333, 1.0, 0.7, 0.95, 0.1, 0.9, 0.0,
        ];
        for round in 0..3 {
            for (i, &c) in values.iter().enumerate() {
                let c = if round == 1 {
                    values[values.len() - 1 - i]
                } else {
                    c
                };
                let want: f64 = c.to_string().parse().unwrap();
                assert_eq!(confidence_value(c).to_bits(), want.to_bits(), "{c}");
            }
        }
        assert_eq!(confidence_value(0.95), 0.95);
    }

    #[test]
    fn policy_takes_the_stricter_side() {
        use Applicability::*;
        assert_eq!(policy(Safe, 0.95), Safe);
        assert_eq!(policy(Safe, 0.7), Review);
        assert_eq!(policy(Safe, 0.3), Flag);
        assert_eq!(policy(Review, 0.99), Review);
        assert_eq!(policy(Flag, 1.0), Flag);
    }
}
