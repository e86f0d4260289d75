//! Reviewer decisions: which edits to keep and which suggestions to take, applied to a
//! stored report without detecting again (`ungarble apply`).
//!
//! A report lists `edits` (in the cleaned text) and `suggestions` (review-level edits a
//! `--apply review` run would make, computed by `clean` at the same time), all in original
//! byte offsets with stable ids. The original text is rebuilt from the cleaned file by
//! reverting the edits, so nothing but the output folder is needed. A decision either
//! rejects an edit or accepts a suggestion; an accepted suggestion replaces any applied
//! edit it overlaps (the review run merged them). The result is a report of the same form,
//! so decisions can be revised and applied again.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::emit::report::Counts;
use crate::resolver::Status;

/// A reviewer's verdict on one edit or suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Reject,
}

/// The decisions file the review page exports: per file (relative path), edit id →
/// verdict.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    pub version: u32,
    pub files: BTreeMap<String, BTreeMap<String, Verdict>>,
}

impl Decisions {
    /// Parses a decisions file; `name` is used in messages.
    pub fn parse(name: &str, text: &str) -> Result<Decisions, String> {
        let d: Decisions =
            serde_json::from_str(text).map_err(|e| format!("{name}: not a decisions file: {e}"))?;
        if d.version != 1 {
            return Err(format!(
                "{name}: decisions version {} is not supported (expected 1)",
                d.version
            ));
        }
        Ok(d)
    }

    /// Adds `other`'s decisions; the later file wins for the same id.
    pub fn merge(&mut self, other: Decisions) {
        for (f, m) in other.files {
            self.files.entry(f).or_default().extend(m);
        }
    }
}

/// One edit of a report, as stored.
#[derive(Debug, Clone)]
struct StoredEdit {
    id: String,
    start: usize,
    end: usize,
    original: String,
    replacement: String,
    value: Value,
}

fn edits_of(report: &Value, key: &str) -> Result<Vec<StoredEdit>, String> {
    let Some(list) = report.get(key) else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| format!("report field `{key}` is not a list"))?;
    list.iter()
        .map(|v| {
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
            let n = |k: &str| v.get(k).and_then(Value::as_u64).map(|x| x as usize);
            Some(StoredEdit {
                id: s("id")?,
                start: n("start")?,
                end: n("end")?,
                original: s("original")?,
                replacement: s("replacement")?,
                value: v.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("report field `{key}` has a malformed edit"))
}

/// Rebuilds the original text from the cleaned text and the applied edits.
pub fn original_from_cleaned(report: &Value, cleaned: &str) -> Result<String, String> {
    let edits = edits_of(report, "edits")?;
    let mismatch =
        || "the cleaned file does not match its report (changed since `clean`?)".to_string();
    let mut out = String::with_capacity(cleaned.len());
    let mut pos = 0usize; // in cleaned
    let mut orig_pos = 0usize;
    for e in &edits {
        if e.start < orig_pos || e.end < e.start {
            return Err(mismatch());
        }
        let cs = pos + (e.start - orig_pos);
        let ce = cs + e.replacement.len();
        if cleaned.get(cs..ce) != Some(e.replacement.as_str()) {
            return Err(mismatch());
        }
        out.push_str(cleaned.get(pos..cs).ok_or_else(mismatch)?);
        out.push_str(&e.original);
        pos = ce;
        orig_pos = e.end;
    }
    out.push_str(cleaned.get(pos..).ok_or_else(mismatch)?);
    Ok(out)
}

/// The reason given to a suggestion that a chosen change covers.
const COVERED: &str = "covered by accepted change";

/// Do two edits (original offsets) touch the same text? An insertion conflicts with an
/// edit starting at the same place or containing it.
fn conflicts(a: (usize, usize), b: (usize, usize)) -> bool {
    (a.0 < b.1 && b.0 < a.1) || a.0 == b.0
}

/// Applies `verdicts` to `report` (updated in place) over `original`; returns the new
/// cleaned text. Unknown ids and conflicting acceptances are errors; nothing is changed
/// then.
pub fn decide(
    report: &mut Value,
    original: &str,
    verdicts: &BTreeMap<String, Verdict>,
) -> Result<String, String> {
    let edits = edits_of(report, "edits")?;
    let suggestions = edits_of(report, "suggestions")?;
    let known: BTreeSet<&str> = edits
        .iter()
        .chain(&suggestions)
        .map(|e| e.id.as_str())
        .collect();
    let unknown: Vec<&str> = verdicts
        .keys()
        .map(String::as_str)
        .filter(|id| !known.contains(id))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "unknown or stale edit id{} {} (the report has no such edit; was `clean` run again?)",
            if unknown.len() > 1 { "s" } else { "" },
            unknown.join(", ")
        ));
    }
    let verdict = |id: &str| verdicts.get(id).copied();
    let accepted: Vec<&StoredEdit> = suggestions
        .iter()
        .filter(|s| verdict(&s.id) == Some(Verdict::Accept))
        .collect();
    let mut chosen: Vec<&StoredEdit> = edits
        .iter()
        .filter(|e| verdict(&e.id) != Some(Verdict::Reject))
        .filter(|e| {
            !accepted
                .iter()
                .any(|s| conflicts((e.start, e.end), (s.start, s.end)))
        })
        .collect();
    chosen.extend(accepted.iter().copied());
    chosen.sort_by_key(|e| (e.start, e.end));
    for w in chosen.windows(2) {
        if conflicts((w[0].start, w[0].end), (w[1].start, w[1].end)) {
            return Err(format!(
                "accepted changes {} and {} overlap: accept only one of them",
                w[0].id, w[1].id
            ));
        }
    }
    // The new cleaned text.
    let mut cleaned = String::with_capacity(original.len());
    let mut pos = 0;
    for e in &chosen {
        if original.get(e.start..e.end) != Some(e.original.as_str()) {
            return Err(format!("edit {} does not match the original text", e.id));
        }
        cleaned.push_str(&original[pos..e.start]);
        cleaned.push_str(&e.replacement);
        pos = e.end;
    }
    cleaned.push_str(&original[pos..]);

    // The report: chosen edits, everything else offered as suggestions.
    let chosen_ids: BTreeSet<&str> = chosen.iter().map(|e| e.id.as_str()).collect();
    let was_applied: BTreeSet<&str> = edits.iter().map(|e| e.id.as_str()).collect();
    let mut rest: Vec<&StoredEdit> = edits
        .iter()
        .chain(&suggestions)
        .filter(|e| !chosen_ids.contains(e.id.as_str()))
        .collect();
    rest.sort_by_key(|e| (e.start, e.end));
    let finding_edit: BTreeMap<String, (String, bool)> = edits
        .iter()
        .chain(&suggestions)
        .flat_map(|e| {
            let ids: Vec<String> = e
                .value
                .get("findings")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let chosen = chosen_ids.contains(e.id.as_str());
            ids.into_iter().map(move |f| (f, (e.id.clone(), chosen)))
        })
        .collect();
    let obj = report
        .as_object_mut()
        .ok_or("the report is not a JSON object")?;
    obj.insert(
        "edits".into(),
        Value::Array(chosen.iter().map(|e| e.value.clone()).collect()),
    );
    obj.insert(
        "suggestions".into(),
        Value::Array(rest.iter().map(|e| e.value.clone()).collect()),
    );
    obj.insert("changed".into(), Value::Bool(!chosen.is_empty()));
    // Statuses of the findings behind each edit.
    for key in ["findings", "suggestion_findings"] {
        let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        for f in list {
            let Some(id) = f.get("id").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let Some((edit, is_chosen)) = finding_edit.get(&id) else {
                // A suggestion no edit carries (an equivalent change from another rule
                // won): covered while a chosen change touches its text, offered otherwise.
                let status = f.get("status").and_then(Value::as_str).unwrap_or("");
                let reason = f.get("reason").and_then(Value::as_str).unwrap_or("");
                if status == "suggested" || reason.starts_with(COVERED) {
                    let span = |k: &str| f["span"][k].as_u64().unwrap_or(0) as usize;
                    let (a, b) = (span("start"), span("end"));
                    let fo = f.as_object_mut().expect("finding objects");
                    match chosen.iter().find(|e| conflicts((a, b), (e.start, e.end))) {
                        Some(e) => {
                            fo.insert("status".into(), json!("skipped"));
                            fo.insert("reason".into(), json!(format!("{COVERED} {}", e.id)));
                        }
                        None => {
                            fo.insert("status".into(), json!("suggested"));
                            fo.insert(
                                "reason".into(),
                                json!("review-level fix: applied with --apply review"),
                            );
                        }
                    }
                }
                continue;
            };
            let fo = f.as_object_mut().expect("finding objects");
            if *is_chosen {
                fo.insert("status".into(), json!("applied"));
                fo.shift_remove("reason");
                fo.insert("edit".into(), json!(edit));
            } else if was_applied.contains(edit.as_str()) {
                fo.insert("status".into(), json!("rejected"));
                fo.insert("reason".into(), json!("rejected by the reviewer"));
                fo.shift_remove("edit");
            } else {
                fo.insert("status".into(), json!("suggested"));
                fo.shift_remove("edit");
            }
        }
    }
    let counts = recount(obj.get("findings"), chosen.len());
    obj.insert("counts".into(), counts);
    let mut record = serde_json::Map::new();
    for (id, v) in verdicts {
        record.insert(id.clone(), serde_json::to_value(v).expect("verdict"));
    }
    obj.insert("decisions".into(), Value::Object(record));
    Ok(cleaned)
}

/// The `counts` object of a report from its findings' statuses (an unreadable status counts
/// as skipped).
fn recount(findings: Option<&Value>, edits: usize) -> Value {
    let items = findings
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|f| {
            let kind = f.get("kind").and_then(Value::as_str).unwrap_or("");
            let status = f
                .get("status")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .unwrap_or(Status::Skipped);
            (kind.to_string(), status)
        });
    serde_json::to_value(Counts::tally(items, edits)).expect("counts")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> (Value, String, String) {
        let original = "The navy help came. Leave a Reply\n".to_string();
        let cleaned = "The military aid came.\n".to_string();
        let r = json!({
            "path": "a.txt",
            "edits": [
                {"id": "e1", "start": 4, "end": 13, "original": "navy help", "replacement": "military aid", "findings": ["f1"]},
                {"id": "e2", "start": 19, "end": 33, "original": " Leave a Reply", "replacement": "", "findings": ["f2"]}
            ],
            "suggestions": [
                {"id": "s1", "start": 0, "end": 3, "original": "The", "replacement": "This", "findings": ["f3"]},
                {"id": "s2", "start": 4, "end": 18, "original": "navy help came", "replacement": "aid arrived", "findings": ["f4"]}
            ],
            "findings": [
                {"id": "f1", "kind": "spin", "status": "applied", "edit": "e1"},
                {"id": "f2", "kind": "junk", "status": "applied", "edit": "e2"},
                {"id": "f3", "kind": "spin", "status": "suggested"},
                {"id": "f4", "kind": "spin", "status": "suggested"}
            ]
        });
        (r, original, cleaned)
    }

    fn verdicts(v: &[(&str, Verdict)]) -> BTreeMap<String, Verdict> {
        v.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn the_original_is_rebuilt_from_the_cleaned_file() {
        let (r, original, cleaned) = report();
        assert_eq!(original_from_cleaned(&r, &cleaned).unwrap(), original);
        assert!(original_from_cleaned(&r, "The army aid came.\n").is_err());
    }

    #[test]
    fn no_decisions_keep_the_cleaned_text() {
        let (mut r, original, cleaned) = report();
        assert_eq!(
            decide(&mut r, &original, &BTreeMap::new()).unwrap(),
            cleaned
        );
    }

    #[test]
    fn rejecting_every_edit_gives_back_the_original() {
        let (mut r, original, _) = report();
        let v = verdicts(&[("e1", Verdict::Reject), ("e2", Verdict::Reject)]);
        assert_eq!(decide(&mut r, &original, &v).unwrap(), original);
        assert_eq!(r["changed"], false);
        assert_eq!(r["findings"][0]["status"], "rejected");
        assert_eq!(r["counts"]["rejected"], 2);
        // The rejected edits are offered again, so the decision can be revised.
        let ids: Vec<&str> = r["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec!["s1", "e1", "s2", "e2"]);
        let again = verdicts(&[("e1", Verdict::Accept)]);
        assert_eq!(
            decide(&mut r, &original, &again).unwrap(),
            "The military aid came. Leave a Reply\n"
        );
    }

    #[test]
    fn an_accepted_suggestion_replaces_the_edit_it_overlaps() {
        let (mut r, original, _) = report();
        let v = verdicts(&[("s1", Verdict::Accept), ("s2", Verdict::Accept)]);
        assert_eq!(
            decide(&mut r, &original, &v).unwrap(),
            "This aid arrived.\n"
        );
        assert_eq!(r["findings"][3]["status"], "applied");
        assert_eq!(r["findings"][3]["edit"], "s2");
    }

    #[test]
    fn unknown_ids_and_conflicting_acceptances_are_errors() {
        let (mut r, original, _) = report();
        let before = r.clone();
        let err = decide(&mut r, &original, &verdicts(&[("e9", Verdict::Reject)])).unwrap_err();
        assert!(err.contains("unknown or stale edit id e9"), "{err}");
        assert_eq!(r, before);
        let mut r2 = before.clone();
        r2["suggestions"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "s3", "start": 8, "end": 13, "original": "help", "replacement": "aid", "findings": []}));
        r2["suggestions"][2]["start"] = json!(9);
        let err = decide(
            &mut r2,
            &original,
            &verdicts(&[("s2", Verdict::Accept), ("s3", Verdict::Accept)]),
        )
        .unwrap_err();
        assert!(err.contains("overlap"), "{err}");
    }

    #[test]
    fn decisions_files_are_validated_and_merged() {
        let mut d = Decisions::parse(
            "d.json",
            r#"{"version":1,"files":{"a.txt":{"e1":"reject"}}}"#,
        )
        .unwrap();
        d.merge(
            Decisions::parse(
                "d2.json",
                r#"{"version":1,"files":{"a.txt":{"e1":"accept","s1":"accept"}}}"#,
            )
            .unwrap(),
        );
        assert_eq!(d.files["a.txt"]["e1"], Verdict::Accept);
        assert_eq!(d.files["a.txt"].len(), 2);
        assert!(Decisions::parse("x", r#"{"version":2,"files":{}}"#).is_err());
        assert!(Decisions::parse("x", r#"{"version":1,"files":{"a":{"e1":"maybe"}}}"#).is_err());
    }
}
