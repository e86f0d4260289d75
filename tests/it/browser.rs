//! The review page in a real browser: headless Chromium driven over the WebDriver
//! protocol (chromedriver, Debian's `chromium-driver`), with a small HTTP client here so
//! the test needs no driver library. It moves through the changes with the keyboard,
//! rejects one, accepts a suggestion with the mouse, reads the exported decisions, runs
//! `ungarble apply`, and checks the cleaned file.
//!
//! `.ci/run` installs Chromium and chromedriver, and sets `UNGARBLE_BROWSER_TEST=1` so a
//! missing browser fails the test there; elsewhere the test says it was skipped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{root, seed};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// One HTTP/1.1 request with a JSON body; the JSON answer.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    // Read the head, then exactly the body it announces (the driver may keep the
    // connection open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the answer".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &raw[head_end..];
        let done = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let rest = String::from_utf8_lossy(&raw[head_end..]).to_string();
    let rest = rest.as_str();
    let payload = if chunked {
        // Chunks: size line, data, CRLF … until a zero-size chunk.
        let mut out = String::new();
        let mut r = rest;
        while let Some((size, more)) = r.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            out.push_str(&more[..n]);
            r = &more[n + 2..];
        }
        out
    } else {
        rest.to_string()
    };
    let v: Value = serde_json::from_str(&payload).map_err(|e| format!("{e}: {payload}"))?;
    if v["value"].get("error").is_some() {
        return Err(format!("{method} {path}: {}", v["value"]));
    }
    Ok(v["value"].clone())
}

struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Result<Browser, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {CHROMEDRIVER}: {e}"))?;
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let t = Instant::now();
        while http(port, "GET", "/status", None).is_err() {
            if t.elapsed() > Duration::from_secs(30) {
                return Err("chromedriver did not start".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--window-size=1440,1000",
                         format!("--user-data-dir={}", b._profile.path().display())]
            }
        }}});
        // Chromium may fail to come up on a loaded machine (the rest of the suite runs
        // beside this test): a session is asked for up to three times, and the driver's
        // last answer is the error.
        let mut last = String::new();
        for attempt in 0..3 {
            if attempt > 0 {
                std::thread::sleep(Duration::from_secs(2));
            }
            match http(port, "POST", "/session", Some(&caps)) {
                Ok(v) => match v["sessionId"].as_str().or(v["value"]["sessionId"].as_str()) {
                    Some(id) if !id.is_empty() => {
                        b.session = id.to_string();
                        break;
                    }
                    _ => last = format!("no session: {v}"),
                },
                Err(e) => last = e,
            }
        }
        if b.session.is_empty() {
            return Err(format!(
                "chromedriver gave no session after three tries: {last}"
            ));
        }
        // Element lookups wait for the page's script instead of racing it (a slow
        // machine may run a key handler after the next lookup).
        b.call("POST", "/timeouts", Some(&json!({"implicit": 10_000})));
        Ok(b)
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let p = format!("/session/{}{path}", self.session);
        http(self.port, method, &p, body).unwrap_or_else(|e| panic!("{e}"))
    }

    fn find(&self, css: &str) -> String {
        self.try_find(css)
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// The element's id, waiting up to the implicit timeout for it to appear.
    fn try_find(&self, css: &str) -> Result<String, String> {
        let p = format!("/session/{}/element", self.session);
        let v = http(
            self.port,
            "POST",
            &p,
            Some(&json!({"using": "css selector", "value": css})),
        )?;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("no element id in {v}"))
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), Some(&json!({})));
    }

    fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for k in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": k.to_string()}));
            actions.push(json!({"type": "keyUp", "value": k.to_string()}));
        }
        self.call(
            "POST",
            "/actions",
            Some(&json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
    }

    fn property(&self, css: &str, name: &str) -> Value {
        let e = self.find(css);
        self.call("GET", &format!("/element/{e}/property/{name}"), None)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn the_review_page_exports_decisions_that_apply_exactly() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("UNGARBLE_BROWSER_TEST").is_none(),
            "UNGARBLE_BROWSER_TEST is set but {CHROMIUM} or {CHROMEDRIVER} is missing"
        );
        eprintln!("skipped: Chromium and chromedriver are not installed (.ci/run installs them)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let name = "000_7da678bffcb0de02.txt";
    std::fs::write(input.join(name), seed("000")).unwrap();
    let out = dir.path().join("out");
    let reference: PathBuf = root().join("seeds/001_341e67400f292e9e.txt");
    let bin = env!("CARGO_BIN_EXE_ungarble");
    let o = Command::new(bin)
        .args(["clean", input.to_str().unwrap(), "--reference"])
        .arg(&reference)
        .args(["--out", out.to_str().unwrap(), "--no-progress"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(format!("reports/{name}.json"))).unwrap(),
    )
    .unwrap();
    let edits = report["edits"].as_array().unwrap();
    let suggestions = report["suggestions"].as_array().unwrap();
    assert!(!edits.is_empty() && !suggestions.is_empty());

    let b = Browser::start().unwrap_or_else(|e| panic!("{e}"));
    b.call(
        "POST",
        "/url",
        Some(&json!({"url": file_url(&out.join(format!("reports/{name}.html")))})),
    );
    // The keyboard: the first change becomes current; reject it. The page gets the
    // keyboard focus first; should the key still be lost (a headless window that had
    // not taken focus yet), it is pressed again, which also selects the first change
    // when none is current.
    b.find("#changes li.item");
    b.call(
        "POST",
        "/execute/sync",
        Some(&json!({"script": "window.focus();", "args": []})),
    );
    b.keys("j");
    for _ in 0..2 {
        if b.try_find("#changes li.item.current").is_ok() {
            break;
        }
        b.keys("j");
    }
    let first = b
        .property("#changes li.item.current", "dataset")
        .get("id")
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    b.keys("r");
    // The mouse: accept the first suggestion that does not overlap the rejected change.
    let first_edit = edits
        .iter()
        .chain(suggestions)
        .find(|e| e["id"] == first.as_str())
        .unwrap();
    let (fs, fe) = (
        first_edit["start"].as_u64().unwrap(),
        first_edit["end"].as_u64().unwrap(),
    );
    let pick = suggestions
        .iter()
        .find(|s| {
            let (a, z) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            z <= fs || a >= fe
        })
        .unwrap();
    let pick_id = pick["id"].as_str().unwrap();
    b.click(&format!("#changes li.item[data-id=\"{pick_id}\"] .acc"));
    // The page shows both decisions in the text.
    let class = |id: &str| {
        b.property(&format!(".pane.before .chg[data-id=\"{id}\"]"), "className")
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // (Polled for a few seconds: a busy machine may run the handlers late.)
    let shows = |id: &str, word: &str| {
        let t = Instant::now();
        loop {
            let c = class(id);
            if c.contains(word) || t.elapsed() > Duration::from_secs(10) {
                return c;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let c = shows(&first, "rejected");
    assert!(c.contains("rejected"), "{c}");
    let c = shows(pick_id, "accepted");
    assert!(c.contains("accepted"), "{c}");
    // The side-by-side view's cleaned pane shows the same changes and decisions.
    b.keys("s");
    let after = b.property(
        &format!(".pane.after .chg[data-id=\"{first}\"]"),
        "className",
    );
    assert!(after.as_str().unwrap_or("").contains("rejected"), "{after}");
    // Export, as a reviewer would, and read what the page produced.
    b.click("#export");
    let exported = b.property("#decisions-json", "value");
    let decisions: Value = serde_json::from_str(exported.as_str().unwrap()).unwrap();
    assert_eq!(
        decisions,
        json!({"version": 1, "files": {name: {first.clone(): "reject", pick_id: "accept"}}})
    );
    drop(b);

    let file = dir.path().join("decisions.json");
    std::fs::write(&file, exported.as_str().unwrap()).unwrap();
    let o = Command::new(bin)
        .args([
            "apply",
            out.to_str().unwrap(),
            "--decisions",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // Expected: the original with every applied edit but the rejected one, plus the
    // accepted suggestion.
    let original = seed("000");
    let mut chosen: Vec<&Value> = edits.iter().filter(|e| e["id"] != first.as_str()).collect();
    chosen.push(pick);
    chosen.sort_by_key(|e| e["start"].as_u64().unwrap());
    let mut expected = String::new();
    let mut pos = 0;
    for e in chosen {
        let (a, z) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        expected.push_str(&original[pos..a]);
        expected.push_str(e["replacement"].as_str().unwrap());
        pos = z;
    }
    expected.push_str(&original[pos..]);
    assert_eq!(
        std::fs::read_to_string(out.join("clean").join(name)).unwrap(),
        expected
    );
}
