//! Self-contained HTML review pages: one per file (`reports/<path>.html`) and the batch
//! index (`index.html`).
//!
//! Pages are rendered from the stored JSON report (so `ungarble apply` renders them again
//! without detecting), carry their CSS and script inline and load nothing: they work
//! offline and from a file. Every piece of document text goes through [`esc`]; data for the
//! script is embedded as JSON with `<`, `>` and `&` escaped, so a document holding
//! `<script>` or tag soup shows as text.

use std::borrow::Cow;
use std::fmt::Write;

use serde_json::Value;

use crate::emit::report::FileReport;
use crate::finding::confidence_value;
use crate::resolver::FindingRecord;

/// Files larger than this get no HTML page (a browser cannot review them usefully); the
/// diff and JSON report are still written.
pub const MAX_PAGE_BYTES: usize = 16 << 20;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    esc_into(&mut out, s);
    out
}

/// [`esc`], appending to `out`: runs of safe bytes are copied whole.
pub fn esc_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    // Most text has nothing to escape: skip eight bytes at a time while none of them can
    // be one of `" & ' < >` (their low seven bits are tested, so a non-ASCII byte may send
    // a block to the byte walk, never the other way).
    let mut clean = 0;
    while clean + 8 <= bytes.len() {
        use crate::bytes::{ascii_range_mask, load, HIGH};
        let v = load(bytes, clean) & !HIGH;
        let special = ascii_range_mask(v, b'"', b'"')
            | ascii_range_mask(v, b'&', b'\'')
            | ascii_range_mask(v, b'<', b'<')
            | ascii_range_mask(v, b'>', b'>');
        if special != 0 {
            break;
        }
        clean += 8;
    }
    let mut from = floor_char_boundary(s, clean);
    out.push_str(&s[..from]);
    for (i, b) in s.bytes().enumerate().skip(from) {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// The largest char boundary of `s` at or before `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// JSON safe to embed in a `<script type="application/json">` element.
fn script_json(v: &Value) -> String {
    serde_json::to_string(v)
        .expect("JSON")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A relative path as a URL path (each byte outside the unreserved set percent-encoded).
pub fn href(rel: &str) -> String {
    let mut out = String::new();
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const STYLE: &str = r#"
:root{--fg:#1d232a;--muted:#5b6673;--line:#d9dee4;--bg:#fbfbfa;--del:#fbe0df;--delfg:#8c1d18;--ins:#dcf3e2;--insfg:#125428;--sug:#fff2c7;--cur:#2f6fdb}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:14px 22px;border-bottom:1px solid var(--line);background:#fff;position:sticky;top:0;z-index:2}
header h1{font-size:18px;margin:0 0 4px;word-break:break-all}
.meta{color:var(--muted);font-size:13px}
.meta span{margin-right:14px}
.toolbar{margin-top:8px;display:flex;gap:8px;flex-wrap:wrap;align-items:center}
button{font:inherit;font-size:13px;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
button[aria-pressed=true]{background:#e8effc;border-color:var(--cur)}
main{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:0}
.text{padding:18px 26px;white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.65 Georgia,"Times New Roman",serif}
.panes{display:grid;grid-template-columns:1fr}
body.side .panes{grid-template-columns:1fr 1fr}
.pane h2{display:none;font:600 12px system-ui,sans-serif;color:var(--muted);margin:10px 26px 0;text-transform:uppercase;letter-spacing:.05em}
body.side .pane h2{display:block}
.pane.after{display:none}
body.side .pane.after{display:block;border-left:1px solid var(--line)}
body.side .pane.before ins,body.side .pane.after del{display:none}
del{background:var(--del);color:var(--delfg);text-decoration:line-through}
ins{background:var(--ins);color:var(--insfg);text-decoration:none}
.chg.suggested del{background:none;color:inherit;text-decoration:none}
.chg.suggested ins{background:var(--sug);color:#6b4e00;border-bottom:1px dashed #b58900}
.chg.suggested ins::before{content:"⟨"}.chg.suggested ins::after{content:"⟩"}
.chg.suggested.accepted del{background:var(--del);color:var(--delfg);text-decoration:line-through}
.chg.suggested.accepted ins{background:var(--ins);color:var(--insfg);border:0}
.chg.suggested.accepted ins::before,.chg.suggested.accepted ins::after{content:""}
.chg.rejected del{background:none;color:inherit;text-decoration:none}
.chg.rejected ins{display:none}
.chg.current{outline:2px solid var(--cur);outline-offset:1px;border-radius:2px}
aside{border-left:1px solid var(--line);background:#fff;height:calc(100vh - 110px);overflow:auto;position:sticky;top:110px;font-size:13px}
aside h2{font-size:13px;margin:12px 14px 6px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
aside ol{list-style:none;margin:0;padding:0}
aside li{padding:8px 14px;border-top:1px solid #eef0f3}
aside li.current{background:#eef4fe}
aside li .what{font-weight:600}
aside li .rule{font:12px ui-monospace,monospace;color:var(--muted)}
aside li .ev{color:var(--muted);font-size:12px;margin-top:2px;overflow-wrap:anywhere}
aside li .acts{margin-top:4px;display:flex;gap:6px}
aside li.rejected .what{text-decoration:line-through;color:var(--muted)}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;background:#eef0f3;margin-left:4px}
.badge.safe{background:#dcf3e2}.badge.review{background:#fff2c7}.badge.flag{background:#eef0f3}
textarea{width:100%;height:90px;font:12px ui-monospace,monospace}
.help{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{padding:6px 10px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f3f5f7;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.wrap{padding:18px 22px}
.err{color:#8c1d18}
"#;

const PAGE_SCRIPT: &str = r#"
(function(){
  // The cleaned pane shows the same marked-up text (its CSS hides deletions instead of
  // insertions): copied here rather than written twice into the file.
  document.getElementById('text-after').innerHTML = document.getElementById('text').innerHTML;
  const data = JSON.parse(document.getElementById('review-data').textContent);
  const items = Array.from(document.querySelectorAll('#changes li.item'));
  const decisions = {};
  let cur = -1;
  function spans(id){ return document.querySelectorAll('.chg[data-id="' + CSS.escape(id) + '"]'); }
  function state(li){
    const id = li.dataset.id, v = decisions[id];
    if (li.dataset.status === 'applied') return v === 'reject' ? 'rejected' : 'kept';
    return v === 'accept' ? 'accepted' : 'offered';
  }
  function paint(li){
    const s = state(li);
    li.classList.toggle('rejected', s === 'rejected');
    li.querySelector('.acc').setAttribute('aria-pressed', String(s === 'kept' || s === 'accepted'));
    li.querySelector('.rej').setAttribute('aria-pressed', String(s === 'rejected' || (s === 'offered' && decisions[li.dataset.id] === 'reject')));
    spans(li.dataset.id).forEach(function(sp){
      sp.classList.toggle('rejected', s === 'rejected');
      sp.classList.toggle('accepted', s === 'accepted');
    });
  }
  function decide(li, v){ decisions[li.dataset.id] = v; paint(li); exportText(); }
  function go(i){
    if (!items.length) return;
    cur = (i + items.length) % items.length;
    items.forEach(function(li, k){ li.classList.toggle('current', k === cur); });
    document.querySelectorAll('.chg.current').forEach(function(s){ s.classList.remove('current'); });
    const li = items[cur];
    const sp = spans(li.dataset.id);
    sp.forEach(function(s){ s.classList.add('current'); });
    (sp[0] || li).scrollIntoView({block: 'center'});
    li.scrollIntoView({block: 'nearest'});
  }
  function exportObj(){
    const files = {}; files[data.path] = {};
    Object.keys(decisions).sort().forEach(function(id){ files[data.path][id] = decisions[id]; });
    return {version: 1, files: files};
  }
  function exportText(){
    document.getElementById('decisions-json').value = JSON.stringify(exportObj(), null, 2);
  }
  items.forEach(function(li, k){
    const acts = document.createElement('div');
    acts.className = 'acts';
    acts.innerHTML = '<button class="acc" aria-pressed="false">Accept</button><button class="rej" aria-pressed="false">Reject</button>';
    li.appendChild(acts);
    li.querySelector('.acc').addEventListener('click', function(){ go(k); decide(li, 'accept'); });
    li.querySelector('.rej').addEventListener('click', function(){ go(k); decide(li, 'reject'); });
    li.querySelector('.what').addEventListener('click', function(){ go(k); });
    paint(li);
  });
  document.querySelectorAll('.chg').forEach(function(sp){
    sp.addEventListener('click', function(){
      const k = items.findIndex(function(li){ return li.dataset.id === sp.dataset.id; });
      if (k >= 0) go(k);
    });
  });
  document.getElementById('view-side').addEventListener('click', function(e){
    const on = document.body.classList.toggle('side');
    e.target.setAttribute('aria-pressed', String(on));
  });
  document.getElementById('export').addEventListener('click', function(){
    exportText();
    const blob = new Blob([document.getElementById('decisions-json').value + '\n'], {type: 'application/json'});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'decisions.json';
    document.body.appendChild(a); a.click(); a.remove();
  });
  document.addEventListener('keydown', function(e){
    if (e.target.tagName === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j' || e.key === 'n') { go(cur + 1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'p') { go(cur - 1); e.preventDefault(); }
    else if ((e.key === 'a' || e.key === 'r') && cur >= 0) { decide(items[cur], e.key === 'a' ? 'accept' : 'reject'); e.preventDefault(); }
    else if (e.key === 's') { document.getElementById('view-side').click(); }
  });
  exportText();
})();
"#;

const INDEX_SCRIPT: &str = r#"
(function(){
  const table = document.getElementById('files');
  table.querySelectorAll('th').forEach(function(th, col){
    th.addEventListener('click', function(){
      const asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function(h){ h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort(function(a, b){
        const x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
        const nx = parseFloat(x), ny = parseFloat(y);
        const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
})();
"#;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn n(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

/// A change (edit or suggestion) as the page shows it.
struct Change<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    line: u64,
    original: &'a str,
    replacement: &'a str,
    applicability: &'a str,
    rules: Vec<&'a str>,
    findings: Vec<&'a str>,
    applied: bool,
}

/// A finding as the page shows it.
struct Reason<'a> {
    id: &'a str,
    rule: &'a str,
    kind: &'a str,
    status: &'a str,
    message: &'a str,
    confidence: f64,
    line: u64,
    column: u64,
    evidence: Vec<(&'a str, Cow<'a, str>)>,
}

/// What a review page is made from: read from a report as it is written (`clean`) or as
/// it was stored (`apply`), so both give the same page.
struct Model<'a> {
    path: &'a str,
    encoding: &'a str,
    edits: u64,
    flagged: u64,
    spin: Option<f64>,
    references: usize,
    changes: Vec<Change<'a>>,
    /// The report's findings, then the findings only the review-level run reported.
    findings: Vec<Reason<'a>>,
    extra: Vec<Reason<'a>>,
}

impl<'a> Model<'a> {
    fn from_value(report: &'a Value) -> Model<'a> {
        static EMPTY: Vec<Value> = Vec::new();
        let arr = |k: &str| -> &'a [Value] {
            report
                .get(k)
                .and_then(Value::as_array)
                .map_or(&EMPTY[..], |a| &a[..])
        };
        let strs = |v: &'a Value, k: &str| -> Vec<&'a str> {
            v.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default()
        };
        let mut changes = Vec::new();
        for (key, applied) in [("edits", true), ("suggestions", false)] {
            for v in arr(key) {
                changes.push(Change {
                    id: s(v, "id"),
                    start: n(v, "start") as usize,
                    end: n(v, "end") as usize,
                    line: n(v, "line"),
                    original: s(v, "original"),
                    replacement: s(v, "replacement"),
                    applicability: s(v, "applicability"),
                    rules: strs(v, "rules"),
                    findings: strs(v, "findings"),
                    applied,
                });
            }
        }
        let reason = |f: &'a Value| Reason {
            id: s(f, "id"),
            rule: s(f, "rule"),
            kind: s(f, "kind"),
            status: s(f, "status"),
            message: s(f, "message"),
            confidence: f.get("confidence").and_then(Value::as_f64).unwrap_or(0.0),
            line: n(f, "line"),
            column: n(f, "column"),
            evidence: f
                .get("evidence")
                .and_then(Value::as_object)
                .map(|ev| {
                    ev.iter()
                        .map(|(k, v)| {
                            let v = match v.as_str() {
                                Some(x) => Cow::Borrowed(x),
                                None => Cow::Owned(v.to_string()),
                            };
                            (k.as_str(), v)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        let counts = report.get("counts");
        Model {
            path: s(report, "path"),
            encoding: s(report, "encoding"),
            edits: counts.map_or(0, |c| n(c, "edits")),
            flagged: counts.map_or(0, |c| n(c, "flagged")),
            spin: report
                .get("metrics")
                .and_then(|m| m.get("spin_score"))
                .and_then(Value::as_f64),
            references: arr("references").len(),
            changes,
            findings: arr("findings").iter().map(reason).collect(),
            extra: arr("suggestion_findings").iter().map(reason).collect(),
        }
    }

    fn from_report(report: &'a FileReport<'a>) -> Model<'a> {
        let mut changes = Vec::new();
        for (views, applied) in [(&report.edits, true), (&report.suggestions, false)] {
            for v in views {
                let e = v.edit;
                changes.push(Change {
                    id: &e.id,
                    start: e.start,
                    end: e.end,
                    line: v.line as u64,
                    original: &e.original,
                    replacement: &e.replacement,
                    applicability: e.applicability.as_str(),
                    rules: e.rules.clone(),
                    findings: e.findings.iter().map(String::as_str).collect(),
                    applied,
                });
            }
        }
        let reason = |r: &'a FindingRecord| Reason {
            id: &r.id,
            rule: r.finding.rule,
            kind: r.finding.kind.as_str(),
            status: r.status.as_str(),
            message: &r.finding.message,
            confidence: confidence_value(r.finding.confidence),
            line: r.line as u64,
            column: r.column as u64,
            evidence: r
                .finding
                .evidence
                .0
                .iter()
                .map(|(k, v)| (*k, Cow::Borrowed(&**v)))
                .collect(),
        };
        Model {
            path: report.path,
            encoding: report.encoding,
            edits: report.counts.edits as u64,
            flagged: report.counts.flagged as u64,
            spin: report.metrics.get("spin_score").copied(),
            references: report.references.len(),
            changes,
            findings: report.findings.iter().map(reason).collect(),
            extra: report
                .suggestion_findings
                .iter()
                .map(|r| reason(r))
                .collect(),
        }
    }
}

/// The review page of one file, from its stored report and original text.
pub fn page(report: &Value, original: &str) -> String {
    render(Model::from_value(report), original)
}

/// The review page of one file, from its report as it is written (the same page as
/// [`page`] gives for the stored report).
pub fn page_for(report: &FileReport, original: &str) -> String {
    render(Model::from_report(report), original)
}

fn render(model: Model, original: &str) -> String {
    let Model {
        path,
        encoding,
        edits,
        flagged,
        spin,
        references: refs,
        changes,
        findings,
        extra,
    } = model;
    let sugg = changes.iter().filter(|c| !c.applied).count();
    let mut changes: Vec<Change> = changes
        .into_iter()
        .filter(|c| c.end <= original.len() && c.start <= c.end)
        .collect();
    changes.sort_by_key(|c| (c.start, c.end, !c.applied));
    // Findings by id, for each change's reasons.
    let mut by_id = std::collections::HashMap::new();
    for f in findings.iter().chain(&extra) {
        by_id.insert(f.id, f);
    }

    // Inline text: applied edits, and suggestions that do not overlap one.
    let mut inline: Vec<&Change> = Vec::new();
    for c in &changes {
        let clash = inline
            .last()
            .is_some_and(|p| c.start < p.end || c.start == p.start);
        if !clash {
            inline.push(c);
        }
    }
    let mut text = String::with_capacity(original.len() * 2);
    let mut pos = 0;
    let mut line = 1;
    let push_plain = |text: &mut String, t: &str, line: &mut usize| {
        for (i, part) in t.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
                *line += 1;
                let _ = write!(text, "<a class=\"ln\" id=\"L{line}\"></a>");
            }
            esc_into(text, part);
        }
    };
    text.push_str("<a class=\"ln\" id=\"L1\"></a>");
    for c in &inline {
        if c.start < pos || !original.is_char_boundary(c.start) || !original.is_char_boundary(c.end)
        {
            continue;
        }
        push_plain(&mut text, &original[pos..c.start], &mut line);
        text.push_str("<span class=\"chg ");
        text.push_str(if c.applied { "applied" } else { "suggested" });
        text.push_str("\" data-id=\"");
        esc_into(&mut text, c.id);
        text.push_str("\"><del>");
        esc_into(&mut text, &original[c.start..c.end]);
        text.push_str("</del><ins>");
        esc_into(&mut text, c.replacement);
        text.push_str("</ins></span>");
        line += original[c.start..c.end].matches('\n').count();
        pos = c.end;
    }
    push_plain(&mut text, &original[pos..], &mut line);

    // Sidebar: every change with its reasons, then flagged findings.
    let mut list = String::new();
    for c in &changes {
        // Written piece by piece (this runs for every change of every page).
        list.push_str("<li class=\"item\" data-id=\"");
        esc_into(&mut list, c.id);
        list.push_str("\" data-status=\"");
        list.push_str(if c.applied { "applied" } else { "suggested" });
        list.push_str("\"><div class=\"what\">");
        list.push_str(if c.applied { "Change" } else { "Suggestion" });
        list.push_str(" <span class=\"rule\">L");
        list.push_str(itoa::Buffer::new().format(c.line));
        list.push_str(" · ");
        for (k, r) in c.rules.iter().enumerate() {
            if k > 0 {
                list.push_str(", ");
            }
            esc_into(&mut list, r);
        }
        list.push_str("</span><span class=\"badge ");
        esc_into(&mut list, c.applicability);
        list.push_str("\">");
        esc_into(&mut list, c.applicability);
        list.push_str("</span></div><div>“<del>");
        esc_into(&mut list, c.original);
        list.push_str("</del>” → “<ins>");
        esc_into(&mut list, c.replacement);
        list.push_str("</ins>”</div>");
        for fid in &c.findings {
            if let Some(f) = by_id.get(fid) {
                list.push_str("<div class=\"ev\"><b>");
                esc_into(&mut list, f.rule);
                list.push_str("</b> ");
                esc_into(&mut list, f.kind);
                list.push_str(" — ");
                esc_into(&mut list, f.message);
                let _ = write!(list, " · confidence {:.2}", f.confidence);
                evidence_into(&mut list, f);
                list.push_str("</div>");
            }
        }
        // The Accept/Reject buttons are added by the page script (the same for every item).
        list.push_str("</li>\n");
    }
    let mut flags = String::new();
    let mut nflags = 0;
    for f in &findings {
        let st = f.status;
        if st == "flagged" || st == "skipped" {
            nflags += 1;
            let mut n = itoa::Buffer::new();
            let line = n.format(f.line);
            flags.push_str("<li><div><a href=\"#L");
            flags.push_str(line);
            flags.push_str("\">L");
            flags.push_str(line);
            flags.push(':');
            flags.push_str(itoa::Buffer::new().format(f.column));
            flags.push_str("</a> <span class=\"rule\">");
            esc_into(&mut flags, f.rule);
            flags.push(' ');
            esc_into(&mut flags, f.kind);
            flags.push_str("</span><span class=\"badge flag\">");
            esc_into(&mut flags, st);
            flags.push_str("</span></div><div>");
            esc_into(&mut flags, f.message);
            flags.push_str("</div>");
            if !f.evidence.is_empty() {
                flags.push_str("<div class=\"ev\">");
                evidence_into(&mut flags, f);
                flags.push_str("</div>");
            }
            flags.push_str("</li>\n");
        }
    }
    let data = serde_json::json!({"path": path});
    let mut out = String::with_capacity(2 * text.len() + list.len() + flags.len() + 16_384);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title} — ungarble review</title><style>{STYLE}</style></head>\n<body>\n<header><h1>{title}</h1><div class=\"meta\"><span>{enc}</span><span>{edits} changes</span><span>{sugg} suggestions</span><span>{flagged} flagged</span>{spin}{refs}</div>\n<div class=\"toolbar\"><button id=\"view-side\" aria-pressed=\"false\">Side by side (s)</button><button id=\"export\">Export decisions</button><span class=\"help\">j/k or n/p: next/previous change · a: accept · r: reject</span></div></header>\n<main><div class=\"panes\"><div class=\"pane before\"><h2>Original</h2><div class=\"text\" id=\"text\">{text}</div></div><div class=\"pane after\"><h2>Cleaned</h2><div class=\"text\" id=\"text-after\"></div></div></div>\n<aside><h2>Changes ({nchanges})</h2><ol id=\"changes\">{list}</ol><h2>Flagged ({nflags})</h2><ol id=\"flags\">{flags}</ol><h2>Decisions</h2><div style=\"padding:0 14px 14px\"><textarea id=\"decisions-json\" readonly></textarea><div class=\"help\">Save as a file and run <code>ungarble apply DIR --decisions FILE</code>.</div></div></aside></main>\n<script type=\"application/json\" id=\"review-data\">{data}</script>\n<script>{PAGE_SCRIPT}</script>\n</body></html>\n",
        title = esc(path),
        enc = esc(encoding),
        spin = spin
            .map(|x| format!("<span>spin score {:.2}%</span>", x * 100.0))
            .unwrap_or_default(),
        refs = if refs > 0 {
            format!("<span>{refs} reference(s)</span>")
        } else {
            String::new()
        },
        nchanges = changes.len(),
        data = script_json(&data),
    );
    out
}

/// Evidence of a finding as escaped `key: value` pairs.
/// A finding's evidence, one `<br>`-separated `key: value` line each, appended to `out`.
fn evidence_into(out: &mut String, f: &Reason) {
    for (k, v) in &f.evidence {
        out.push_str("<br>");
        esc_into(out, k);
        out.push_str(": ");
        esc_into(out, v);
    }
}

/// The batch index: every file with its counts, linking to its page.
pub fn index(summary: &Value, pages: &std::collections::BTreeSet<String>) -> String {
    let empty = Vec::new();
    let files = summary
        .get("files")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let mut rows = String::new();
    for f in files {
        let path = s(f, "path");
        let c = f.get("counts").cloned().unwrap_or(Value::Null);
        let applied: Vec<String> = c
            .get("applied")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k} {}", v.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default();
        let spin = f.get("spin_score").and_then(Value::as_f64);
        let link = if pages.contains(path) {
            format!("<a href=\"reports/{}.html\">{}</a>", href(path), esc(path))
        } else {
            esc(path)
        };
        let problem = f
            .get("error")
            .and_then(Value::as_str)
            .map(|e| format!("<span class=\"err\">{}</span>", esc(e)))
            .or_else(|| {
                f.get("warnings").and_then(Value::as_array).map(|w| {
                    w.iter()
                        .filter_map(Value::as_str)
                        .map(esc)
                        .collect::<Vec<_>>()
                        .join("<br>")
                })
            })
            .unwrap_or_default();
        let _ = writeln!(
            rows,
            "<tr><td data-v=\"{p}\">{link}</td><td data-v=\"{st}\">{st}</td><td class=\"n\" data-v=\"{e}\">{e}</td><td data-v=\"{a}\">{a}</td><td class=\"n\" data-v=\"{sg}\">{sg}</td><td class=\"n\" data-v=\"{fl}\">{fl}</td><td class=\"n\" data-v=\"{sp}\">{spt}</td><td class=\"n\" data-v=\"{r}\">{r}</td><td data-v=\"{pr}\">{problem}</td></tr>",
            p = esc(path),
            st = esc(s(f, "status")),
            e = n(&c, "edits"),
            a = esc(&applied.join(", ")),
            sg = n(&c, "suggested"),
            fl = n(&c, "flagged"),
            sp = spin.unwrap_or(-1.0),
            spt = spin.map(|x| format!("{:.2}%", x * 100.0)).unwrap_or_default(),
            r = n(f, "references"),
            pr = esc(&problem.len().to_string()),
        );
    }
    let mut errors = String::new();
    for e in summary
        .get("errors")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let _ = writeln!(
            errors,
            "<tr><td>{}</td><td class=\"err\">{}</td></tr>",
            esc(s(e, "path")),
            esc(s(e, "reason"))
        );
    }
    let t = summary.get("totals").cloned().unwrap_or(Value::Null);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>ungarble batch review</title><style>{STYLE}</style></head>\n<body><header><h1>ungarble batch review</h1><div class=\"meta\"><span>{files} files</span><span>{changed} changed</span><span>{unchanged} unchanged</span><span>{errs} errors</span><span>fixes applied at level “{apply}”</span></div></header>\n<div class=\"wrap\"><table id=\"files\"><thead><tr><th>File</th><th>Status</th><th>Edits</th><th>Applied by kind</th><th>Suggestions</th><th>Flagged</th><th>Spin score</th><th>References</th><th>Problems</th></tr></thead><tbody>\n{rows}</tbody></table>\n{errsec}</div>\n<script>{INDEX_SCRIPT}</script>\n</body></html>\n",
        files = n(&t, "files"),
        changed = n(&t, "changed"),
        unchanged = n(&t, "unchanged"),
        errs = n(&t, "errors"),
        apply = esc(s(summary, "apply")),
        errsec = if errors.is_empty() {
            String::new()
        } else {
            format!("<h2>Could not be processed</h2><table><tbody>{errors}</tbody></table>")
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn escaping_replaces_exactly_the_five_characters(s in "([a-z ]{0,20}|[\"&'<>]|é|¢|日|’){0,30}") {
            let want: String = s
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(esc(&s), want);
        }
    }
    use serde_json::json;

    #[test]
    fn document_text_and_data_are_escaped() {
        let original = "<script>alert(1)</script> <b onclick=\"x\">bold</b> & more\n";
        let report = json!({
            "path": "<img src=x onerror=alert(2)>.txt",
            "encoding": "UTF-8",
            "counts": {"edits": 1, "flagged": 0},
            "edits": [{"id": "e1", "start": 26, "end": 29, "original": "<b ", "replacement": "</div><script>", "line": 1, "rules": ["T001"], "applicability": "safe", "findings": ["f1"]}],
            "findings": [{"id": "f1", "rule": "T001", "kind": "typography", "status": "applied", "message": "<i>m</i>", "confidence": 1.0, "evidence": {"<k>": "<v>"}}]
        });
        let html = page(&report, original);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b onclick"), "{html}");
        assert!(!html.contains("</div><script>"), "{html}");
        assert!(!html.contains("<i>m</i>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;.txt"));
        // Exactly the page's own two scripts, and no external resource of any kind.
        assert_eq!(html.matches("<script").count(), 2);
        for bad in ["src=\"http", "href=\"http", "@import", "url(", "<link"] {
            assert!(!html.contains(bad), "{bad}");
        }
    }

    #[test]
    fn index_links_pages_and_escapes_names() {
        let summary = json!({
            "apply": "safe",
            "totals": {"files": 2, "changed": 1, "unchanged": 0, "errors": 1},
            "files": [{"path": "a b/<x>.txt", "status": "changed", "counts": {"edits": 2, "applied": {"spin": 2}, "suggested": 0, "flagged": 1}, "spin_score": 0.02}],
            "errors": [{"path": "bad.bin", "reason": "binary file"}]
        });
        let pages = std::iter::once("a b/<x>.txt".to_string()).collect();
        let html = index(&summary, &pages);
        assert!(
            html.contains("href=\"reports/a%20b/%3Cx%3E.txt.html\""),
            "{html}"
        );
        assert!(html.contains("a b/&lt;x&gt;.txt"));
        assert!(html.contains("spin 2"));
        assert!(html.contains("binary file"));
    }
}
