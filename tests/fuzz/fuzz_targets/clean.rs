//! Any bytes: decoding either fails with a reason or yields text that the default engine
//! cleans without panicking, with an edit log that rebuilds both the input and the output
//! exactly, and a diff and JSON report that can be written.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ungarble::Engine;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builder().build().expect("built-in engine"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = ungarble::input::decode_owned(data.to_vec(), None) else {
        return;
    };
    let outcome = engine().clean(&decoded.text, Some("fuzz.txt"), None);
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    assert!(outcome.log.verifies(&decoded.text, &outcome.cleaned));
    assert_eq!(outcome.log.apply(&decoded.text), outcome.cleaned);
    assert_eq!(outcome.log.revert(&outcome.cleaned).as_deref(), Some(&*decoded.text));
    let diff = ungarble::emit::diff::unified("fuzz.txt", &decoded.text, &outcome.log);
    assert_eq!(diff.is_empty(), outcome.log.edits.is_empty());
    let _ = ungarble::emit::report::file_report_json(
        "fuzz.txt",
        &outcome,
        engine().apply(),
        decoded.describe().as_str(),
        &[],
    );
});
