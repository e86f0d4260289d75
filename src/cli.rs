//! Command-line interface: what was typed ([`Cli`]) becomes a validated configuration,
//! then the library does the work. Exit codes: 0 ok, 1 findings (`check`), 2 errors.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use ungarble::batch::{check_batch, clean_batch, BatchOptions};
use ungarble::emit::{check_lines, report::file_report_json};
use ungarble::{Applicability, Engine};

#[derive(Parser, Debug)]
#[command(
    name = "ungarble",
    version,
    about = "Find and repair garbled English text, and show exactly what changed and why."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Clean files and folders: writes DIR/clean, DIR/reports and DIR/summary.json.
    /// `ungarble clean -` reads standard input and writes the cleaned text to standard output.
    Clean(CleanArgs),
    /// Report findings without writing anything. Exit 1 when there are findings.
    Check(CheckArgs),
    /// List every rule with its documentation.
    Rules,
    /// Validate dictionary files and run every entry's own examples.
    DictCheck(DictCheckArgs),
    /// Apply a reviewer's decisions (exported from the review pages) to an output folder:
    /// rewrites DIR/clean, the diffs, JSON reports, pages and summary without detecting
    /// again.
    Apply(ApplyArgs),
}

#[derive(Args, Debug)]
struct ApplyArgs {
    /// The output folder of `ungarble clean`.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// A decisions file exported from a review page (repeatable; later files win).
    #[arg(long = "decisions", value_name = "FILE", required = true)]
    decisions: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct EngineArgs {
    /// Add a dictionary file (repeatable).
    #[arg(long = "dict", value_name = "FILE")]
    dicts: Vec<PathBuf>,
    /// Do not load the dictionaries built into the binary.
    #[arg(long)]
    no_default_dicts: bool,
    /// Also run the statistical rules: spin repair (S001: in documents the dictionaries find
    /// evidently spun, suggest originals for words that read as wrong-sense synonyms, by
    /// reverse thesaurus and trigram language model; mostly review-level suggestions) and
    /// unlisted tortured phrases (S002: phrases whose words map onto an established
    /// technical term through known word swaps, those the tortured-phrase entries make and
    /// those in `dictionaries/tortured-swaps.txt`).
    #[arg(long)]
    statistics: bool,
    /// With --statistics: also report the suspect words it kept, as flags with their
    /// evidence (candidates, scores, gain), and mark documents it did not weigh because they
    /// are not evidently spun (metric `statistics_weighed`: 0).
    #[arg(long, requires = "statistics")]
    explain: bool,
    /// Canonical sources that inputs may retell (files or folders; repeatable). Each input
    /// is matched to the references it derives from and aligned with them.
    #[arg(long = "reference", short = 'r', value_name = "PATH")]
    references: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Only process files inside input folders that match (repeatable; `!GLOB` excludes),
    /// e.g. --glob '*.txt'. Files named directly are always processed.
    #[arg(long = "glob", short = 'g', value_name = "GLOB")]
    globs: Vec<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ApplyLevel {
    /// Apply only safe fixes (default).
    Safe,
    /// Apply safe and review-level fixes.
    Review,
}

#[derive(Args, Debug)]
struct CleanArgs {
    /// Files or folders (folders are walked recursively), or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output folder (required unless the input is `-`).
    #[arg(long, short = 'o', value_name = "DIR")]
    out: Option<PathBuf>,
    /// Which fixes to apply.
    #[arg(long, value_enum, default_value = "safe")]
    apply: ApplyLevel,
    #[command(flatten)]
    engine: EngineArgs,
    /// Never draw a progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Decode every input with this encoding (a label such as utf-8, windows-1252, latin1,
    /// utf-16le) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Write cleaned files in their input's encoding (default: UTF-8).
    #[arg(long)]
    keep_encoding: bool,
    /// Skip (and report) files larger than this many bytes.
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Do not write the HTML review pages and index (bulk runs).
    #[arg(long)]
    no_html: bool,
    /// Also overwrite each changed input with its cleaned text, atomically and only after
    /// its edit log verified, keeping the original as `<file>.orig` (or in --backup-dir).
    #[arg(long)]
    in_place: bool,
    /// With --in-place: keep originals under this folder (same relative paths).
    #[arg(long, value_name = "DIR", requires = "in_place")]
    backup_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or folders.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Report as if this level were applied (affects which findings show as applied).
    #[arg(long, value_enum, default_value = "safe")]
    apply: ApplyLevel,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args, Debug)]
struct DictCheckArgs {
    /// Dictionary files to check (default: the built-in ones).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn level(a: ApplyLevel) -> Applicability {
    match a {
        ApplyLevel::Safe => Applicability::Safe,
        ApplyLevel::Review => Applicability::Review,
    }
}

fn build_engine(args: &EngineArgs, apply: ApplyLevel) -> Result<Engine, String> {
    let mut b = Engine::builder()
        .apply(level(apply))
        .default_dicts(!args.no_default_dicts)
        .statistics(args.statistics)
        .terms(args.statistics)
        .explain(args.explain);
    for d in &args.dicts {
        b = b.dict(d);
    }
    for r in &args.references {
        b = b.reference(r);
    }
    b.build().map_err(|e| e.to_string())
}

fn jobs(args: &EngineArgs) -> Result<usize, String> {
    match args.jobs {
        Some(0) => Err("--jobs must be at least 1".to_string()),
        Some(n) => Ok(n),
        None => Ok(0),
    }
}

fn fail(msg: impl std::fmt::Display) -> i32 {
    eprintln!("ungarble: error: {msg}");
    2
}

/// Runs the command line; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Clean(a) => clean(a),
        Command::Check(a) => check(a),
        Command::Rules => {
            for r in ungarble::detectors::all_rules() {
                println!("{} {} ({})", r.code, r.name, r.kind.as_str());
                println!("    what:    {}", r.what);
                println!("    example: {}", r.example);
                println!("    fix:     {}\n", r.fix_safety);
            }
            0
        }
        Command::DictCheck(a) => dict_check(a),
        Command::Apply(a) => apply(a),
    }
}

fn apply(a: ApplyArgs) -> i32 {
    let mut all = ungarble::review::Decisions::default();
    for p in &a.decisions {
        let text = match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => return fail(format!("{}: {e}", p.display())),
        };
        match ungarble::review::Decisions::parse(&p.display().to_string(), &text) {
            Ok(d) => all.merge(d),
            Err(e) => return fail(e),
        }
    }
    match ungarble::batch::apply_decisions(&a.dir, &all) {
        Ok(done) => {
            eprintln!(
                "ungarble: decisions applied to {} file(s); {} edit(s) now in their cleaned text; outputs in {}",
                done.files,
                done.edits,
                a.dir.display()
            );
            0
        }
        Err(e) => fail(e),
    }
}

fn clean(a: CleanArgs) -> i32 {
    let stdin = a.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin && a.inputs.len() > 1 {
        return fail("`-` (standard input) cannot be combined with other inputs");
    }
    let jobs = match jobs(&a.engine) {
        Ok(j) => j,
        Err(e) => return fail(e),
    };
    let engine = match build_engine(&a.engine, a.apply) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    if stdin {
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
            return fail(format!("<stdin>: cannot read: {e}"));
        }
        let text = match ungarble::input::decode(&bytes) {
            Ok(t) => t,
            Err(e) => return fail(format!("<stdin>: {e}")),
        };
        let outcome = engine.clean_text(&text, Some("<stdin>"));
        for p in &outcome.problems {
            eprintln!("ungarble: warning: <stdin>: {p}");
        }
        if let Some(out) = &a.out {
            // With --out, also write the report next to the cleaned text on stdout.
            let json = file_report_json("<stdin>", &outcome, engine.apply(), "UTF-8", &[]);
            if let Err(e) = ungarble::emit::write_atomic(&out.join("stdin.json"), json.as_bytes()) {
                return fail(format!("{}: {e}", out.display()));
            }
        }
        let mut so = std::io::stdout().lock();
        if so
            .write_all(outcome.cleaned.as_bytes())
            .and_then(|_| so.flush())
            .is_err()
        {
            return 2;
        }
        return 0;
    }
    let Some(out) = a.out else {
        return fail(
            "--out DIR is required (or give `-` to clean standard input to standard output)",
        );
    };
    let filter = match ungarble::input::Filter::new(&a.engine.globs) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let encoding = match a
        .encoding
        .as_deref()
        .map(|l| (l, ungarble::input::encoding_for_label(l)))
    {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((l, None)) => {
            return fail(format!(
                "unknown --encoding {l:?} (try utf-8, windows-1252, latin1, utf-16le)"
            ))
        }
    };
    let opts = BatchOptions {
        out: out.clone(),
        jobs,
        progress: !a.no_progress,
        filter,
        encoding,
        keep_encoding: a.keep_encoding,
        max_file_size: a.max_file_size,
        html: !a.no_html,
        in_place: a.in_place.then_some(match a.backup_dir {
            Some(d) => ungarble::batch::InPlace::BackupDir(d),
            None => ungarble::batch::InPlace::Suffix,
        }),
    };
    let result = match clean_batch(&engine, &a.inputs, &opts) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let s = &result.summary;
    for e in &s.errors {
        eprintln!("ungarble: error: {}: {}", e.path, e.reason);
    }
    for f in &s.files {
        for w in &f.warnings {
            eprintln!("ungarble: warning: {}: {w}", f.path);
        }
    }
    let t = &s.totals;
    eprintln!(
        "ungarble: {} files ({} changed, {} unchanged, {} errors); {} edits applied, {} suggestions, {} flagged; outputs in {}",
        t.files + t.errors - s.files.iter().filter(|f| f.status == "error").count(),
        t.changed,
        t.unchanged,
        t.errors,
        t.counts.edits,
        t.counts.suggested,
        t.counts.flagged,
        out.display()
    );
    if result.had_errors() {
        2
    } else {
        0
    }
}

fn check(a: CheckArgs) -> i32 {
    let jobs = match jobs(&a.engine) {
        Ok(j) => j,
        Err(e) => return fail(e),
    };
    let engine = match build_engine(&a.engine, a.apply) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let filter = match ungarble::input::Filter::new(&a.engine.globs) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let (results, problems) = match check_batch(&engine, &a.inputs, &filter, jobs) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut findings = 0;
    let mut errors = problems.len();
    let mut so = std::io::stdout().lock();
    let mut json_docs = Vec::new();
    for p in &problems {
        eprintln!("ungarble: error: {}: {}", p.path, p.reason);
    }
    for (rel, r) in &results {
        match r {
            Ok(o) => {
                findings += o.findings.len();
                match a.format {
                    Format::Text => {
                        for l in check_lines(rel, o) {
                            let _ = writeln!(so, "{l}");
                        }
                    }
                    Format::Json => {
                        json_docs.push(file_report_json(rel, o, engine.apply(), "", &[]))
                    }
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("ungarble: error: {rel}: {e}");
            }
        }
    }
    if let Format::Json = a.format {
        let _ = writeln!(
            so,
            "[{}]",
            json_docs
                .iter()
                .map(|s| s.trim_end())
                .collect::<Vec<_>>()
                .join(",\n")
        );
    }
    let _ = so.flush();
    if errors > 0 {
        2
    } else if findings > 0 {
        1
    } else {
        0
    }
}

fn dict_check(a: DictCheckArgs) -> i32 {
    let sources = if a.files.is_empty() {
        ungarble::dictionary::BUILTIN
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect()
    } else {
        match ungarble::DictionarySet::read_files(&a.files) {
            Ok(s) => s,
            Err(e) => return fail(e),
        }
    };
    let mut bad = 0;
    let mut n = 0;
    for (name, src) in &sources {
        match ungarble::dictionary::check_examples(name, src) {
            Ok((count, failures)) => {
                n += count;
                for f in &failures {
                    println!("{f}");
                }
                bad += failures.len();
            }
            Err(e) => {
                println!("{e}");
                bad += e.0.len();
            }
        }
    }
    if let Err(e) = ungarble::DictionarySet::load(&sources) {
        println!("{e}");
        bad += e.0.len();
    }
    println!("{n} entries checked, {bad} problems");
    if bad > 0 {
        2
    } else {
        0
    }
}
