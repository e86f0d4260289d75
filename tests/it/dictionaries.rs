//! The built-in dictionaries: every entry's own examples, embedding, and loading errors.

use ungarble::dictionary::{check_examples, BUILTIN};
use ungarble::DictionarySet;

use super::root;

#[test]
fn every_dictionary_file_is_embedded() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("dictionaries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn builtin_dictionaries_load_together() {
    if let Err(e) = DictionarySet::builtin() {
        panic!("{e}");
    }
}

#[test]
fn every_entry_passes_its_own_examples() {
    let mut failures = Vec::new();
    let mut entries = 0;
    for (name, src) in BUILTIN {
        let (n, f) = check_examples(name, src).unwrap_or_else(|e| panic!("{e}"));
        entries += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // All built-in families are embedded (five dictionaries, well over a thousand entries).
    assert!(entries >= 1000, "only {entries} built-in entries");
}

#[test]
fn a_broken_user_dictionary_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mine.toml");
    std::fs::write(
        &p,
        "family = \"mine\"\n[[entry]]\nfind = [\"foo\"]\nreplace = \"bar\"\n",
    )
    .unwrap();
    let err = ungarble::Engine::builder()
        .default_dicts(false)
        .dict(&p)
        .build()
        .err()
        .expect("must fail");
    let msg = err.to_string();
    assert!(msg.contains("mine.toml:2:"), "{msg}");
    assert!(msg.contains("no `tests`"), "{msg}");
}

#[test]
fn user_dictionaries_add_entries_and_defaults_can_be_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mine.toml");
    std::fs::write(
        &p,
        "family = \"mine\"\n[[entry]]\nfind = [\"wibble wobble\"]\nreplace = \"jelly\"\ntests = [[\"a wibble wobble\", \"a jelly\"]]\n",
    )
    .unwrap();
    let e = ungarble::Engine::builder()
        .default_dicts(false)
        .dict(&p)
        .build()
        .unwrap();
    assert_eq!(e.dictionaries().entries().len(), 1);
    assert_eq!(e.clean_text("A Wibble wobble.", None).cleaned, "A Jelly.");
}
