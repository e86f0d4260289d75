//! The `ungarble` command end to end: outputs, errors, exit codes, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::{read_tree, root};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ungarble"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A temporary folder with an empty `in/` input folder inside it.
fn input_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    (dir, input)
}

/// A batch with one good file, one nested file, and every kind of problem file.
fn messy_batch() -> (tempfile::TempDir, PathBuf) {
    let (dir, input) = input_dir();
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "It was far – reaching , they said .\n",
    )
    .unwrap();
    std::fs::write(input.join("sub/nested.txt"), "Clean text.\n").unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(input.join("binary.bin"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(input.join("latin1.txt"), b"caf\xe9 au lait , d\x92accord\n").unwrap();
    std::fs::write(input.join("utf16.txt"), b"\xff\xfeh\0i\0 \0.\0").unwrap();
    std::fs::write(
        input.join("mojibake.txt"),
        "They donâ€™t agree , she said.\n",
    )
    .unwrap();
    std::fs::write(
        input.join("invisible.txt"),
        "sanc\u{ad}tions and con\u{200b}trols\r\n",
    )
    .unwrap();
    std::fs::write(input.join("huge.txt"), "x".repeat(5000)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::os::unix::fs::symlink(input.join("missing.txt"), input.join("dangling.txt")).unwrap();
        // A folder link back to the input folder: a loop.
        std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
        // A file name that is not UTF-8.
        let odd = std::ffi::OsStr::from_bytes(b"odd-\xff-name.txt");
        std::fs::write(input.join(odd), "Fine text .\n").unwrap();
    }
    (dir, input)
}

#[test]
fn a_messy_batch_reports_each_problem_and_cleans_the_rest() {
    let (dir, input) = messy_batch();
    let out = dir.path().join("out");
    let o = run(&[
        "clean",
        s(&input),
        "--out",
        s(&out),
        "--max-file-size",
        "4096",
    ]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    for (name, reason) in [
        ("binary.bin", "binary file"),
        ("huge.txt", "more than --max-file-size 4096"),
        ("dangling.txt", "dangling symbolic link"),
        ("latin1.txt", "decoded as windows-1252 (detected)"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(name) && l.contains(reason)),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("empty.txt: empty file"), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["totals"]["errors"], 4, "{summary:#}");
    assert!(
        stderr.contains("symbolic link loop"),
        "the folder link back to the input is reported: {stderr}"
    );
    // A file name that is not UTF-8 is cleaned under its exact name, with a warning.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let odd = std::ffi::OsStr::from_bytes(b"odd-\xff-name.txt");
        assert_eq!(
            std::fs::read_to_string(out.join("clean").join(odd)).unwrap(),
            "Fine text.\n"
        );
        assert!(stderr.contains("file name is not valid UTF-8"), "{stderr}");
    }
    // Legacy and UTF-16 files are decoded, cleaned and written as UTF-8.
    assert_eq!(
        std::fs::read_to_string(out.join("clean/latin1.txt")).unwrap(),
        "café au lait, d’accord\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("clean/utf16.txt")).unwrap(),
        "hi."
    );
    assert_eq!(
        std::fs::read_to_string(out.join("clean/mojibake.txt")).unwrap(),
        "They don’t agree, she said.\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("clean/invisible.txt")).unwrap(),
        "sanctions and controls\r\n"
    );
    let latin: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("reports/latin1.txt.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(latin["encoding"], "windows-1252 (detected)");
    let reasons: Vec<String> = summary["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["path"], e["reason"]))
        .collect();
    assert_eq!(reasons.len(), 4);
    assert_eq!(
        std::fs::read_to_string(out.join("clean/good.txt")).unwrap(),
        "It was far-reaching, they said.\n"
    );
    // Unchanged and empty files are copied too: clean/ is a complete corpus.
    assert_eq!(
        std::fs::read_to_string(out.join("clean/sub/nested.txt")).unwrap(),
        "Clean text.\n"
    );
    assert_eq!(std::fs::read(out.join("clean/empty.txt")).unwrap(), b"");
    assert_eq!(
        std::fs::read_to_string(out.join("reports/sub/nested.txt.diff")).unwrap(),
        ""
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("reports/good.txt.json")).unwrap())
            .unwrap();
    assert_eq!(report["changed"], true);
    assert!(report["edits"].as_array().unwrap().len() >= 3);
    for e in report["edits"].as_array().unwrap() {
        assert!(e["id"].as_str().unwrap().starts_with('e'));
        assert!(!e["findings"].as_array().unwrap().is_empty());
    }
    // Inputs are never modified.
    assert_eq!(
        std::fs::read_to_string(input.join("good.txt")).unwrap(),
        "It was far – reaching , they said .\n"
    );
}

#[test]
fn in_place_overwrites_changed_inputs_with_a_backup() {
    let (dir, input) = input_dir();
    std::fs::write(input.join("a.txt"), "Damaged , text .\n").unwrap();
    std::fs::write(input.join("b.txt"), "Clean text.\n").unwrap();
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;
    #[cfg(unix)]
    std::fs::set_permissions(input.join("a.txt"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "clean",
        s(&input),
        "--glob",
        "*.txt",
        "--out",
        s(&out),
        "--in-place",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        std::fs::read_to_string(input.join("a.txt")).unwrap(),
        "Damaged, text.\n"
    );
    // The replaced input keeps its permissions; outputs are not owner-only temporary files.
    #[cfg(unix)]
    {
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&input.join("a.txt")), 0o640);
        let umask_allows_read = mode(&input.join("b.txt")) & 0o044 != 0;
        if umask_allows_read {
            assert_ne!(mode(&out.join("clean").join("a.txt")) & 0o044, 0);
        }
    }
    assert_eq!(
        std::fs::read_to_string(input.join("a.txt.orig")).unwrap(),
        "Damaged , text .\n"
    );
    // Unchanged files are neither rewritten nor backed up.
    assert!(!input.join("b.txt.orig").exists());
    // A second run finds an existing backup for nothing (a.txt is clean now) and succeeds;
    // an existing backup blocks an overwrite instead of being clobbered.
    std::fs::write(input.join("a.txt"), "Again , damaged.\n").unwrap();
    let o = run(&[
        "clean",
        s(&input),
        "--glob",
        "*.txt",
        "--out",
        s(&out),
        "--in-place",
    ]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("backup"));
    assert_eq!(
        std::fs::read_to_string(input.join("a.txt")).unwrap(),
        "Again , damaged.\n"
    );
    assert_eq!(
        std::fs::read_to_string(input.join("a.txt.orig")).unwrap(),
        "Damaged , text .\n"
    );
    // --backup-dir keeps originals elsewhere.
    let backups = dir.path().join("backups");
    let o = run(&[
        "clean",
        s(&input),
        "--glob",
        "*.txt",
        "--out",
        s(&out),
        "--in-place",
        "--backup-dir",
        s(&backups),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        std::fs::read_to_string(backups.join("a.txt")).unwrap(),
        "Again , damaged.\n"
    );
    assert_eq!(
        std::fs::read_to_string(input.join("a.txt")).unwrap(),
        "Again, damaged.\n"
    );
}

#[test]
fn keep_encoding_writes_the_input_encoding_back() {
    let (dir, input) = input_dir();
    std::fs::write(input.join("a.txt"), b"caf\xe9 , cr\xe8me\n").unwrap();
    std::fs::write(input.join("b.txt"), b"\xfe\xff\0h\0i\0 \0.").unwrap();
    let out = dir.path().join("out");
    let o = run(&["clean", s(&input), "--out", s(&out), "--keep-encoding"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        std::fs::read(out.join("clean/a.txt")).unwrap(),
        b"caf\xe9, cr\xe8me\n"
    );
    assert_eq!(
        std::fs::read(out.join("clean/b.txt")).unwrap(),
        b"\xfe\xff\0h\0i\0."
    );
    let o = run(&[
        "clean",
        s(&input),
        "--out",
        s(&dir.path().join("o2")),
        "--encoding",
        "latin1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("o2/clean/a.txt")).unwrap(),
        "café, crème\n"
    );
    assert_eq!(
        run(&[
            "clean",
            s(&input),
            "--out",
            "/tmp/never",
            "--encoding",
            "klingon"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn output_is_byte_identical_for_one_and_four_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (o1, o4) = (dir.path().join("o1"), dir.path().join("o4"));
    let seeds = root().join("seeds");
    assert_eq!(
        run(&["clean", s(&seeds), "--out", s(&o1), "--jobs", "1"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["clean", s(&seeds), "--out", s(&o4), "--jobs", "4"])
            .status
            .code(),
        Some(0)
    );
    let (t1, t4) = (read_tree(&o1), read_tree(&o4));
    let inputs = std::fs::read_dir(&seeds).unwrap().count();
    // Per input: cleaned file, diff, JSON report and review page; plus summary and index.
    assert_eq!(t1.len(), inputs * 4 + 2);
    assert!(t1 == t4, "outputs differ between --jobs 1 and --jobs 4");
    // Bulk runs can leave the pages out; everything else is the same.
    let o0 = dir.path().join("o0");
    assert_eq!(
        run(&["clean", s(&seeds), "--out", s(&o0), "--no-html"])
            .status
            .code(),
        Some(0)
    );
    let t0 = read_tree(&o0);
    let without: Vec<_> = t1
        .iter()
        .filter(|(p, _)| !p.ends_with(".html"))
        .cloned()
        .collect();
    assert!(t0 == without, "--no-html changes only the pages");
}

#[test]
fn every_diff_turns_the_original_into_the_cleaned_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let seeds = root().join("seeds");
    assert_eq!(
        run(&["clean", s(&seeds), "--out", s(&out)]).status.code(),
        Some(0)
    );
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let mut patched = 0;
    for e in std::fs::read_dir(&seeds).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        std::fs::copy(&p, work.join(&name)).unwrap();
        let diff = out.join("reports").join(format!("{name}.diff"));
        if std::fs::metadata(&diff).unwrap().len() > 0 {
            let st = Command::new("patch")
                .args(["-s", "-p1", "-d", s(&work), "-i", s(&diff)])
                .status()
                .expect("the `patch` program is installed");
            assert!(st.success(), "{name}");
            patched += 1;
        }
        assert_eq!(
            std::fs::read(work.join(&name)).unwrap(),
            std::fs::read(out.join("clean").join(&name)).unwrap(),
            "{name}"
        );
    }
    assert!(patched >= 2);
}

#[test]
fn check_exit_codes_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.txt");
    let dirty = dir.path().join("dirty.txt");
    std::fs::write(&clean, "Nothing to see here.\n").unwrap();
    std::fs::write(&dirty, "Something , here.\n").unwrap();
    assert_eq!(run(&["check", s(&clean)]).status.code(), Some(0));
    let o = run(&["check", s(&dirty)]);
    assert_eq!(o.status.code(), Some(1));
    let line = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(
        line,
        format!("dirty.txt:1:10: T001 space before ',' [safe] → \"\"\n")
    );
    let o = run(&["check", "--format", "json", s(&dirty)]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["findings"][0]["rule"], "T001");
    assert_eq!(
        run(&["check", s(&dir.path().join("nope.txt"))])
            .status
            .code(),
        Some(2)
    );
    // check writes nothing
    assert_eq!(
        std::fs::read_to_string(&dirty).unwrap(),
        "Something , here.\n"
    );
}

#[test]
fn stdin_is_cleaned_to_stdout() {
    use std::io::Write;
    let mut child = bin()
        .args(["clean", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"A long - term plan , in short .")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "A long-term plan, in short."
    );
}

#[test]
fn refuses_an_output_folder_inside_an_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "x\n").unwrap();
    let o = run(&["clean", s(dir.path()), "--out", s(&dir.path().join("out"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside the input folder"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn refuses_a_foreign_non_empty_output_folder_but_reuses_its_own() {
    let (dir, input) = input_dir();
    std::fs::write(input.join("a.txt"), "x .\n").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("precious.txt"), "keep").unwrap();
    let o = run(&["clean", s(&input), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(out.join("precious.txt")).unwrap(),
        "keep"
    );
    let out2 = dir.path().join("out2");
    assert_eq!(
        run(&["clean", s(&input), "--out", s(&out2)]).status.code(),
        Some(0)
    );
    std::fs::remove_file(input.join("a.txt")).unwrap();
    std::fs::write(input.join("b.txt"), "y\n").unwrap();
    assert_eq!(
        run(&["clean", s(&input), "--out", s(&out2)]).status.code(),
        Some(0)
    );
    // The earlier run's outputs are replaced, not mixed in.
    assert!(!out2.join("clean/a.txt").exists());
    assert!(out2.join("clean/b.txt").exists());
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    for args in [
        vec!["clean", "x", "--jobs", "0", "--out", "/tmp/never"],
        vec!["clean", "x", "--apply", "bogus", "--out", "/tmp/never"],
        vec!["clean", "x"],
        vec!["frobnicate"],
        vec!["clean", "-", "x"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn rules_are_listed_with_docs() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let t = String::from_utf8_lossy(&o.stdout);
    for code in [
        "T001", "T002", "T003", "T004", "T005", "D001", "D002", "D003", "D004",
    ] {
        assert!(t.contains(code), "{code}");
    }
}

#[test]
fn review_level_applies_more() {
    let (dir, input) = input_dir();
    std::fs::write(
        input.join("a.txt"),
        "Title line\n\nA repeated body line\nA repeated body line\n",
    )
    .unwrap();
    let (o1, o2) = (dir.path().join("o1"), dir.path().join("o2"));
    assert_eq!(
        run(&["clean", s(&input), "--out", s(&o1)]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["clean", s(&input), "--out", s(&o2), "--apply", "review"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(o1.join("clean/a.txt")).unwrap(),
        "Title line\n\nA repeated body line\nA repeated body line\n"
    );
    assert_eq!(
        std::fs::read_to_string(o2.join("clean/a.txt")).unwrap(),
        "Title line\n\nA repeated body line\n"
    );
}

#[test]
fn statistics_output_is_byte_identical_for_one_and_four_threads() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = root().join("seeds");
    let mut trees = Vec::new();
    for jobs in ["1", "4"] {
        let o = dir.path().join(jobs);
        let out = run(&[
            "clean",
            s(&seeds),
            "--out",
            s(&o),
            "--jobs",
            jobs,
            "--statistics",
            "--explain",
        ]);
        assert_eq!(out.status.code(), Some(0));
        trees.push(read_tree(&o));
    }
    assert!(
        trees[0] == trees[1],
        "outputs differ between --jobs 1 and --jobs 4"
    );
    // S001 reported in the spun seed's JSON report, and its safe repairs applied.
    let (name, report) = trees[0]
        .iter()
        .find(|(p, _)| p.contains("004") && p.ends_with(".json"))
        .unwrap();
    let report = String::from_utf8_lossy(report);
    assert!(report.contains("\"S001\""), "{name}");
    let (_, cleaned) = trees[0]
        .iter()
        .find(|(p, _)| p.starts_with("clean") && p.contains("004"))
        .unwrap();
    assert!(String::from_utf8_lossy(cleaned).contains("keenly aware that"));
}

#[test]
fn statistics_restore_a_tortured_phrase_no_dictionary_lists() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let text = "We apply inconsistency discovery to the vibration logs of each turbine.\n";
    std::fs::write(input.join("paper.txt"), text).unwrap();
    let plain = dir.path().join("plain");
    assert_eq!(
        run(&["clean", s(&input), "--out", s(&plain)]).status.code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(plain.join("clean/paper.txt")).unwrap(),
        text
    );
    let stats = dir.path().join("stats");
    let out = run(&["clean", s(&input), "--out", s(&stats), "--statistics"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(stats.join("clean/paper.txt")).unwrap(),
        "We apply anomaly detection to the vibration logs of each turbine.\n"
    );
    let report = std::fs::read_to_string(stats.join("reports/paper.txt.json")).unwrap();
    assert!(report.contains("\"S002\""));
    assert!(report.contains("a known swap"));
}
