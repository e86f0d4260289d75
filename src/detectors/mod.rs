//! The detectors. Each one is built once, shared by all threads, and only reports.

pub mod dictionary;
pub mod encoding;
pub mod junk;
pub mod source;
pub mod stats;
pub mod terms;
pub mod typography;

pub use dictionary::DictionaryDetector;
pub use encoding::EncodingDamage;
pub use junk::Junk;
pub use source::SourceAlignment;
pub use stats::Statistics;
pub use terms::{TermDetector, TermIndex};
pub use typography::Typography;

use crate::finding::Rule;

/// Every rule ungarble knows, in code order, for `ungarble rules` and the docs.
pub fn all_rules() -> Vec<&'static Rule> {
    vec![
        &encoding::MOJIBAKE,
        &encoding::INVISIBLE,
        &encoding::CONTROL,
        &typography::SPACE_BEFORE_PUNCTUATION,
        &typography::SPACED_COMPOUND_DASH,
        &typography::SPACE_RUN,
        &typography::REPEATED_LINE,
        &typography::TRAILING_SPACE,
        &dictionary::SPIN,
        &dictionary::TORTURED,
        &dictionary::MISTRANSLATION,
        &dictionary::NAME_VARIANT,
        &stats::UNLISTED_SPIN,
        &terms::UNLISTED_TORTURED,
        &junk::JUNK_LINE,
        &junk::BREADCRUMB,
        &junk::UNRELATED_TAIL,
        &source::SOURCE_SPIN,
        &source::SOURCE_NAME,
        &source::SOURCE_ENTITY,
        &source::SOURCE_QUOTE,
        &source::SOURCE_NUMBER,
        &source::SOURCE_OMISSION,
        &source::SOURCE_ADDITION,
    ]
}
