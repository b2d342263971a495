//! `trove report`: a self-contained HTML file, checked as text and in a real headless browser
//! (Debian's chromium, installed by .ci/run).
//!
//! The browser test proves "no request leaves the file" with network evidence, not by trust:
//! the vault holds hostile strings whose markup would fetch from a local TCP listener; after
//! Chromium rendered the report, the listener must have seen no connection, and Chromium's
//! own network log must contain no request made by the page (browser-internal requests carry
//! the initiator "not an origin"; a page's requests carry its origin). A positive control
//! renders a deliberately leaky page the same way and requires both detectors to fire, so
//! the test cannot pass because the detection is blind.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::explore::{explore_vault, with_write};

/// Hostile names that would make a request to `port` if they were not escaped.
fn seed_hostile(t: &TestEnv, port: u16) {
    with_write(t, |c| {
        c.execute(
            "UPDATE sources SET account = ?1",
            [format!("<img src=\"http://127.0.0.1:{port}/account.png\">")],
        )
        .unwrap();
        c.execute(
            "INSERT INTO daos (id, name, recipients, pseudonym_key, created_ms)
             VALUES (1, ?1, '[]', x'00', 0)",
            [format!(
                "\"><script>fetch('http://127.0.0.1:{port}/dao')</script><link rel=stylesheet href=\"http://127.0.0.1:{port}/x.css\">"
            )],
        )
        .unwrap();
        c.execute(
            "INSERT INTO contributions (id, dao_id, created_ms, manifest, manifest_sha256,
                 package_sha256, package_size, record_count, rows_sha256, status)
             VALUES ('0190a1b2-0000-7000-8000-000000000001', 1, 1711800000000, '{}', x'00', x'00',
                     10, 1234, x'00', 'written')",
            [],
        )
        .unwrap();
    });
}

fn report(t: &TestEnv) -> (PathBuf, String) {
    let path = t.path().join("report.html");
    t.ok(&["report", "-o", path.to_str().unwrap()]);
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

#[test]
fn report_is_one_inert_file_with_charts_and_the_contribution_history() {
    let t = explore_vault();
    seed_hostile(&t, 9);
    let (path, html) = report(&t);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(html.starts_with("<!DOCTYPE html>\n<!-- trove report -->"));
    assert!(html.contains(
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\""
    ));
    // Inert: no script, no external reference of any kind.
    for needle in [
        "<script", "<link", "<img", "<iframe", "src=\"", "href=\"", "url(", "@import",
    ] {
        assert!(!html.contains(needle), "report contains {needle}");
    }
    // Hostile names are shown, as text.
    assert!(html.contains("&lt;img src=&quot;http://127.0.0.1:9/account.png&quot;&gt;"));
    assert!(html.contains("&lt;script&gt;fetch("));
    // Charts: coverage, three metrics (steps, heart rate, sleep), contributions per month.
    assert_eq!(html.matches("<svg").count(), 5, "{html}");
    for h in [
        "<h3>step_count",
        "<h3>heart_rate",
        "<h3>sleep_stage",
        "Coverage per source",
    ] {
        assert!(html.contains(h), "{h}");
    }
    assert!(
        html.contains("<td class=\"n\">1,234</td><td>written</td>"),
        "{html}"
    );
    assert!(html.contains("total 5,890 count over 4 days with data; overlapping devices de-duplicated (1,550 left out)"), "{html}");

    // Re-running replaces its own report; another file is never overwritten.
    report(&t);
    let other = t.path().join("notes.html");
    std::fs::write(&other, "mine").unwrap();
    let out = t.run(&["report", "-o", other.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "mine");
}

// ---- in a real browser --------------------------------------------------------------------

const CHROMIUM: &str = "/usr/bin/chromium";

struct Rendered {
    dom: String,
    netlog: Value,
}

/// Renders `file` headless, returning the DOM after load and the network log.
fn render(file: &Path, work: &Path, name: &str) -> Rendered {
    let profile = work.join(format!("profile-{name}"));
    // `timeout` keeps a hung browser from hanging the test.
    let netlog = work.join(format!("netlog-{name}.json"));
    let shot = work.join(format!("shot-{name}.png"));
    let base = |extra: &[String]| {
        let mut c = Command::new("timeout");
        c.args(["120", CHROMIUM]);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ]);
        c.arg(format!("--user-data-dir={}", profile.display()));
        c.args(extra);
        c.arg(format!("file://{}", file.display()));
        c.env("HOME", work);
        c
    };
    let out = base(&[
        format!("--log-net-log={}", netlog.display()),
        "--net-log-capture-mode=Everything".into(),
        "--virtual-time-budget=3000".into(),
        "--dump-dom".into(),
    ])
    .output()
    .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8(out.stdout).unwrap();
    let out = base(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1100,2600".into(),
    ])
    .output()
    .expect("run chromium");
    assert!(out.status.success());
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot {}",
        png.len()
    );
    let text = std::fs::read_to_string(&netlog).unwrap();
    let netlog: Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("chromium's net log");
    Rendered { dom, netlog }
}

/// URLs of requests the page made (browser-internal requests have no origin).
fn page_requests(netlog: &Value) -> Vec<String> {
    let types = &netlog["constants"]["logEventTypes"];
    let start = types["URL_REQUEST_START_JOB"].as_i64().unwrap();
    netlog["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start))
        .filter_map(|e| e.get("params"))
        // The event's end phase carries only the result; the begin phase has the URL.
        .filter(|p| p.get("url").is_some())
        .filter(|p| p["initiator"].as_str() != Some("not an origin"))
        .map(|p| p["url"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// A local listener that answers every connection with a 404 (so a leaking page does not
/// hang) and counts them.
struct Trap {
    port: u16,
    hits: Arc<AtomicUsize>,
}

impl Trap {
    fn new() -> Trap {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                h.fetch_add(1, Ordering::SeqCst);
                let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Trap { port, hits }
    }

    fn hits(&self) -> usize {
        std::thread::sleep(Duration::from_millis(200));
        self.hits.load(Ordering::SeqCst)
    }
}

#[test]
#[ignore = "needs chromium; .ci/run installs it"]
fn report_renders_in_chromium_and_makes_no_request() {
    let t = explore_vault();
    let work = t.path().join("browser");
    std::fs::create_dir_all(&work).unwrap();

    // Positive control: a page that does leak is caught by both detectors.
    let trap = Trap::new();
    let port = trap.port;
    let leaky = work.join("leaky.html");
    std::fs::write(
        &leaky,
        format!("<!DOCTYPE html><p>control</p><img src=\"http://127.0.0.1:{port}/control.png\">"),
    )
    .unwrap();
    let r = render(&leaky, &work, "control");
    assert!(r.dom.contains("control"));
    assert!(
        trap.hits() > 0,
        "the control page's request did not reach the listener"
    );
    let reqs = page_requests(&r.netlog);
    assert!(
        reqs.iter()
            .any(|u| u.contains(&format!("127.0.0.1:{port}"))),
        "the net log does not show the control page's request: {reqs:?}"
    );

    // The report, with hostile names aimed at a fresh listener.
    let trap = Trap::new();
    let port = trap.port;
    seed_hostile(&t, port);
    let (path, _) = report(&t);
    let r = render(&path, &work, "report");
    assert_eq!(trap.hits(), 0, "the report made a request");
    assert_eq!(page_requests(&r.netlog), Vec::<String>::new());

    // It rendered: the DOM after load has the sections, the charts and their bars.
    let dom = &r.dom;
    assert!(dom.contains("What was shared, with whom, when"));
    assert_eq!(dom.matches("<svg").count(), 5);
    assert!(dom.matches("<rect").count() >= 10);
    assert!(dom.contains("Content-Security-Policy"));
    for element in ["<script", "<img", "<link", "<iframe"] {
        assert!(!dom.contains(element), "the rendered DOM has {element}");
    }
    assert!(dom.contains("&lt;script&gt;fetch("));
}
