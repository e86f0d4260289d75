//! Integration test modules and shared helpers.

mod browser;
mod cli;
mod dictionaries;
mod fixtures;
mod properties;
mod review;
mod seeds;
mod sources;

use std::path::{Path, PathBuf};

use ungarble::Engine;

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The five seed documents, sorted: `(file name, text)`.
pub fn seeds() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn seed(prefix: &str) -> String {
    seeds()
        .into_iter()
        .find(|(n, _)| n.starts_with(prefix))
        .unwrap()
        .1
}

/// The default engine (built-in dictionaries, safe fixes).
pub fn engine() -> Engine {
    Engine::builder()
        .build()
        .expect("built-in dictionaries load")
}

/// Every file under `dir`, relative path → bytes.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, d: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}
