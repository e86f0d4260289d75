//! Review decisions end to end: `ungarble apply` on a cleaned batch, and the review pages
//! driven in a real headless browser.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

use super::{root, seeds};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ungarble"))
        .args(args)
        .output()
        .expect("runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn report(out: &Path, name: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(out.join("reports").join(format!("{name}.json"))).unwrap(),
    )
    .unwrap()
}

fn ids(r: &Value, key: &str) -> Vec<String> {
    r[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// Cleans the seeds (with the canonical source, so there are review-level suggestions).
fn clean_seeds(out: &Path, apply: &str) {
    let seeds_dir = root().join("seeds");
    let reference = seeds_dir.join("001_341e67400f292e9e.txt");
    let o = run(&[
        "clean",
        s(&seeds_dir),
        "--glob",
        "*.txt",
        "--reference",
        s(&reference),
        "--apply",
        apply,
        "--out",
        s(out),
        "--no-progress",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}

fn write_decisions(path: &Path, files: BTreeMap<String, BTreeMap<String, &str>>) {
    std::fs::write(path, json!({"version": 1, "files": files}).to_string()).unwrap();
}

/// The same verdict for every edit listed under `key` in each file's report.
fn every(
    out: &Path,
    names: &[String],
    key: &str,
    verdict: &'static str,
) -> BTreeMap<String, BTreeMap<String, &'static str>> {
    names
        .iter()
        .map(|n| {
            let m = ids(&report(out, n), key)
                .into_iter()
                .map(|id| (id, verdict))
                .collect();
            (n.clone(), m)
        })
        .collect()
}

#[test]
fn apply_is_exact_accepting_every_suggestion_and_rejecting_every_edit() {
    let dir = tempfile::tempdir().unwrap();
    let (safe, review) = (dir.path().join("safe"), dir.path().join("review"));
    clean_seeds(&safe, "safe");
    clean_seeds(&review, "review");
    let names: Vec<String> = seeds().into_iter().map(|(n, _)| n).collect();
    let suggested: usize = names
        .iter()
        .map(|n| ids(&report(&safe, n), "suggestions").len())
        .sum();
    assert!(suggested >= 5, "the seeds have review-level suggestions");
    // `clean` renders pages from the report as it writes it, `apply` from the stored
    // JSON: both give the same page.
    for (n, text) in seeds() {
        let written = std::fs::read_to_string(safe.join("reports").join(format!("{n}.html")));
        assert_eq!(
            written.unwrap(),
            ungarble::emit::html::page(&report(&safe, &n), &text),
            "{n}"
        );
    }

    // Accept every suggestion: the cleaned files equal those of `--apply review`.
    let d = dir.path().join("accept.json");
    write_decisions(&d, every(&safe, &names, "suggestions", "accept"));
    let o = run(&["apply", s(&safe), "--decisions", s(&d)]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    for n in &names {
        assert_eq!(
            std::fs::read_to_string(safe.join("clean").join(n)).unwrap(),
            std::fs::read_to_string(review.join("clean").join(n)).unwrap(),
            "{n}"
        );
        // The diff, JSON report and page were rewritten to match.
        let r = report(&safe, n);
        assert_eq!(ids(&r, "edits"), ids(&report(&review, n), "edits"), "{n}");
        assert!(safe.join("reports").join(format!("{n}.html")).is_file());
    }
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(safe.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["totals"]["counts"]["suggested"], 0, "{summary:#}");

    // Reject every edit: the original bytes come back, and the diffs are empty.
    write_decisions(&d, every(&safe, &names, "edits", "reject"));
    let o = run(&["apply", s(&safe), "--decisions", s(&d)]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    for (n, text) in seeds() {
        assert_eq!(
            std::fs::read(safe.join("clean").join(&n)).unwrap(),
            text.as_bytes(),
            "{n}"
        );
        assert_eq!(
            std::fs::read_to_string(safe.join("reports").join(format!("{n}.diff"))).unwrap(),
            ""
        );
        assert_eq!(report(&safe, &n)["changed"], false);
    }
}

#[test]
fn stale_ids_unknown_files_and_bad_decision_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    clean_seeds(&out, "safe");
    let before = std::fs::read(out.join("clean/004_0ccc4513d076c20b.txt")).unwrap();
    let d = dir.path().join("d.json");
    let mut files = BTreeMap::new();
    files.insert(
        "004_0ccc4513d076c20b.txt".to_string(),
        [("e0000000000".to_string(), "reject")]
            .into_iter()
            .collect(),
    );
    write_decisions(&d, files);
    let o = run(&["apply", s(&out), "--decisions", s(&d)]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("004_0ccc4513d076c20b.txt: unknown or stale edit id e0000000000"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(out.join("clean/004_0ccc4513d076c20b.txt")).unwrap(),
        before
    );

    let mut files = BTreeMap::new();
    files.insert("nope.txt".to_string(), BTreeMap::new());
    write_decisions(&d, files);
    let o = run(&["apply", s(&out), "--decisions", s(&d)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("\"nope.txt\", which is not a cleaned file")
    );

    std::fs::write(
        &d,
        "{\"version\": 1, \"files\": {\"a\": {\"e1\": \"perhaps\"}}}",
    )
    .unwrap();
    let o = run(&["apply", s(&out), "--decisions", s(&d)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a decisions file"));

    let o = run(&[
        "apply",
        s(&dir.path().join("missing")),
        "--decisions",
        s(&d),
    ]);
    assert_eq!(o.status.code(), Some(2));
}
