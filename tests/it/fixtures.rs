//! Fixture tests: `tests/fixtures/NAME.in.txt` must clean to exactly
//! `tests/fixtures/NAME.out.txt` with the default engine.

use super::{engine, root};

#[test]
fn every_fixture_cleans_to_its_expected_output() {
    let dir = root().join("tests/fixtures");
    let engine = engine();
    let mut n = 0;
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".in.txt"))
        .collect();
    names.sort();
    for name in names {
        let input = std::fs::read_to_string(dir.join(&name)).unwrap();
        let expected_path = dir.join(name.replace(".in.txt", ".out.txt"));
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .out.txt", name));
        let out = engine.clean_text(&input, Some(&name));
        assert_eq!(out.cleaned, expected, "fixture {name}");
        assert_eq!(
            out.log.revert(&out.cleaned).as_deref(),
            Some(input.as_str())
        );
        n += 1;
    }
    assert!(n >= 2, "fixtures missing");
}
