//! `trove sync oura` against a fake Oura API on 127.0.0.1 (tiny_http, in this process): paged
//! answers (`next_token`), a 429 with Retry-After, a 500, a 401; exact rows; incremental
//! windows; a failure in the middle that the next run completes; token hygiene.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use serde_json::{Value, json};

use crate::common::*;

const TOKEN: &str = "OURA-test-token-7c1e5a90d4";
const D09: i64 = 1_709_942_400_000; // 2024-03-09T00:00:00Z
const DAY: i64 = 86_400_000;

#[derive(Clone, Debug)]
struct Logged {
    collection: String,
    query: BTreeMap<String, String>,
    status: u16,
    at: Instant,
}

struct Fault {
    collection: String,
    /// Only requests for a later page (with a next_token).
    later_pages_only: bool,
    remaining: u32,
    status: u16,
    retry_after: Option<String>,
}

#[derive(Default)]
struct State {
    data: BTreeMap<String, Vec<Value>>,
    faults: Vec<Fault>,
    log: Vec<Logged>,
}

/// A fake of Oura's `/v2/usercollection/<collection>`: filters records by the window it is
/// asked for (`day` for daily collections, `timestamp` for heart rate) and pages them two at
/// a time with `next_token`. Bearer auth with [`TOKEN`]; a wrong token gets a 401 whose body
/// echoes it (a careless server), to prove trove never prints it.
struct FakeOura {
    base: String,
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeOura {
    fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let (s, st) = (Arc::clone(&server), Arc::clone(&state));
        let thread = std::thread::spawn(move || {
            for rq in s.incoming_requests() {
                let (status, headers, body) = answer(&st, &rq);
                let mut resp = tiny_http::Response::from_string(body).with_status_code(status);
                resp.add_header(
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                );
                for (k, v) in headers {
                    resp.add_header(tiny_http::Header::from_bytes(k, v.as_bytes()).unwrap());
                }
                let _ = rq.respond(resp);
            }
        });
        FakeOura {
            base: format!("http://127.0.0.1:{port}"),
            server,
            state,
            thread: Some(thread),
        }
    }

    fn load(&self, collection: &str, file: &str) {
        let records: Vec<Value> =
            serde_json::from_slice(&std::fs::read(fixture(&format!("oura/sync/{file}"))).unwrap())
                .unwrap();
        self.state
            .lock()
            .unwrap()
            .data
            .entry(collection.to_string())
            .or_default()
            .extend(records);
    }

    fn fault(
        &self,
        collection: &str,
        later_pages_only: bool,
        times: u32,
        status: u16,
        retry_after: Option<&str>,
    ) {
        self.state.lock().unwrap().faults.push(Fault {
            collection: collection.into(),
            later_pages_only,
            remaining: times,
            status,
            retry_after: retry_after.map(str::to_string),
        });
    }

    fn clear_faults(&self) {
        self.state.lock().unwrap().faults.clear();
    }

    /// The requests seen so far, then forgets them.
    fn take_log(&self) -> Vec<Logged> {
        std::mem::take(&mut self.state.lock().unwrap().log)
    }
}

impl Drop for FakeOura {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn answer(
    state: &Mutex<State>,
    rq: &tiny_http::Request,
) -> (u16, Vec<(&'static str, String)>, String) {
    let url = rq.url().to_string();
    let (path, qs) = url.split_once('?').unwrap_or((&url, ""));
    let query: BTreeMap<String, String> = qs
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let collection = path
        .strip_prefix("/v2/usercollection/")
        .unwrap_or(path)
        .to_string();
    let auth = rq
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_default();
    let mut st = state.lock().unwrap();
    let log = |status: u16| Logged {
        collection: collection.clone(),
        query: query.clone(),
        status,
        at: Instant::now(),
    };
    if auth != format!("Bearer {TOKEN}") {
        let entry = log(401);
        st.log.push(entry);
        return (
            401,
            vec![],
            json!({"detail": format!("Invalid token: {auth}")}).to_string(),
        );
    }
    let later = query.contains_key("next_token");
    if let Some(f) = st
        .faults
        .iter_mut()
        .find(|f| f.collection == collection && f.remaining > 0 && (!f.later_pages_only || later))
    {
        f.remaining -= 1;
        let (status, ra) = (f.status, f.retry_after.clone());
        let entry = log(status);
        st.log.push(entry);
        let headers = ra.map(|r| vec![("Retry-After", r)]).unwrap_or_default();
        return (status, headers, json!({"detail": "try again"}).to_string());
    }
    let records: Vec<Value> = st
        .data
        .get(&collection)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| {
            if collection == "heartrate" {
                let ts: jiff::Timestamp = r["timestamp"].as_str().unwrap().parse().unwrap();
                let from: jiff::Timestamp = query["start_datetime"].parse().unwrap();
                let to: jiff::Timestamp = query["end_datetime"].parse().unwrap();
                from <= ts && ts < to
            } else {
                let day = r["day"].as_str().unwrap();
                query["start_date"].as_str() <= day && day < query["end_date"].as_str()
            }
        })
        .collect();
    let offset: usize = query
        .get("next_token")
        .map(|t| t.trim_start_matches("page-").parse().unwrap())
        .unwrap_or(0);
    let page: Vec<Value> = records.iter().skip(offset).take(2).cloned().collect();
    let next = (offset + 2 < records.len()).then(|| format!("page-{}", offset + 2));
    let entry = log(200);
    st.log.push(entry);
    (
        200,
        vec![],
        json!({"data": page, "next_token": next}).to_string(),
    )
}

fn server_with_data() -> FakeOura {
    let s = FakeOura::start();
    s.load("daily_sleep", "daily_sleep.json");
    s.load("sleep", "sleep.json");
    s.load("daily_activity", "daily_activity.json");
    s.load("heartrate", "heartrate.json");
    s.load("workout", "workout.json");
    s
}

fn env_for(server: &FakeOura) -> TestEnv {
    let t = TestEnv::with_vault();
    t.set("TROVE_OURA_API_BASE", &server.base);
    // Retries cost a millisecond here; Retry-After is still honoured (below the cap).
    t.set("TROVE_RETRY_BASE_MS", "1");
    t
}

fn requests_of<'a>(log: &'a [Logged], collection: &str) -> Vec<&'a Logged> {
    log.iter().filter(|l| l.collection == collection).collect()
}

fn q(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn assert_no_token(out: &std::process::Output) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !contains(bytes, TOKEN.as_bytes()),
            "the token leaked into {name}: {}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn sync_pages_retries_and_then_asks_only_for_new_days() {
    let server = server_with_data();
    // Oura rate-limits the first request and fails the first sleep request.
    server.fault("daily_sleep", false, 1, 429, Some("1"));
    server.fault("sleep", false, 1, 500, None);
    let t = env_for(&server);
    t.set("OURA_TOKEN", TOKEN);

    let out = t.run(&[
        "--json",
        "sync",
        "oura",
        "--since",
        "2024-03-09",
        "--until",
        "2024-03-11",
    ]);
    assert_no_token(&out);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["until"], "2024-03-11");
    let totals = &report["totals"];
    assert_eq!(totals["collections"], 11, "{report:#}");
    assert_eq!(totals["failed"], 0);
    assert_eq!(totals["requests"], 16, "{report:#}");
    assert_eq!(totals["added"], 51, "{report:#}");
    assert_eq!(totals["duplicate"], 0);
    assert_eq!(totals["rejected"], 0);
    let sleep = &report["collections"][0];
    assert_eq!(sleep["collection"], "daily_sleep");
    assert_eq!(sleep["status"], "complete");
    assert_eq!(sleep["pages"], 2);
    assert_eq!(sleep["requests"], 3);
    assert_eq!(sleep["start_date"], "2024-03-09");
    assert_eq!(sleep["last_day"], "2024-03-11");

    let log = server.take_log();
    let ds = requests_of(&log, "daily_sleep");
    let window = q(&[("start_date", "2024-03-09"), ("end_date", "2024-03-13")]);
    assert_eq!(ds.len(), 3);
    assert_eq!((ds[0].status, &ds[0].query), (429, &window));
    assert_eq!((ds[1].status, &ds[1].query), (200, &window));
    let mut paged = window.clone();
    paged.insert("next_token".into(), "page-2".into());
    assert_eq!((ds[2].status, &ds[2].query), (200, &paged));
    let waited = ds[1].at.duration_since(ds[0].at);
    assert!(
        waited.as_millis() >= 1000,
        "Retry-After: 1 was not honoured ({waited:?})"
    );
    let sl = requests_of(&log, "sleep");
    assert_eq!(
        sl.iter().map(|l| l.status).collect::<Vec<_>>(),
        vec![500, 200]
    );
    let hr = requests_of(&log, "heartrate");
    assert_eq!(hr.len(), 3);
    assert_eq!(
        hr[0].query,
        q(&[
            ("start_datetime", "2024-03-09T00:00:00Z"),
            ("end_datetime", "2024-03-13T00:00:00Z")
        ])
    );
    // The collections, in order; vO2_max keeps Oura's spelling in its path.
    let order: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for l in &log {
            if v.last() != Some(&l.collection.as_str()) {
                v.push(&l.collection);
            }
        }
        v
    };
    assert_eq!(
        order,
        vec![
            "daily_sleep",
            "sleep",
            "daily_readiness",
            "daily_activity",
            "daily_spo2",
            "daily_stress",
            "daily_resilience",
            "daily_cardiovascular_age",
            "vO2_max",
            "workout",
            "heartrate"
        ]
    );

    // Exact rows, through the same mapping as the export.
    assert_eq!(
        t.sql("SELECT start_ms, end_ms, value, attrs FROM samples WHERE metric = 'sleep_score' ORDER BY start_ms"),
        vec![
            vec![json!(D09), json!(D09 + DAY), json!(70.0), json!("{\"day\":\"2024-03-09\"}")],
            vec![json!(D09 + DAY), json!(D09 + 2 * DAY), json!(63.0), json!("{\"day\":\"2024-03-10\"}")],
            vec![json!(D09 + 2 * DAY), json!(D09 + 3 * DAY), json!(82.0), json!("{\"day\":\"2024-03-11\"}")],
        ]
    );
    assert_eq!(
        t.sql("SELECT start_ms, tz_offset_min, value, attrs FROM samples WHERE metric = 'heart_rate' AND event_id IS NULL ORDER BY start_ms"),
        vec![
            vec![json!(1_710_050_400_000i64), json!(0), json!(61.0), json!("{\"source\":\"awake\"}")],
            vec![json!(1_710_050_700_000i64), json!(0), json!(64.0), json!("{\"source\":\"rest\"}")],
            vec![json!(1_710_091_800_000i64), json!(0), json!(128.0), json!("{\"source\":\"workout\"}")],
            vec![json!(1_710_122_400_000i64), json!(0), json!(55.0), json!("{\"source\":\"sleep\"}")],
            vec![json!(1_710_140_400_000i64), json!(0), json!(59.0), json!("{\"source\":\"awake\"}")],
        ]
    );
    assert_eq!(
        t.sql("SELECT kind, start_ms, title, original_id, natural_key FROM events ORDER BY kind"),
        vec![
            vec![
                json!("sleep"),
                json!(1_710_021_600_000i64),
                json!("long_sleep"),
                json!("sl-0310"),
                json!("sleep:1710021600000")
            ],
            vec![
                json!("workout"),
                json!(1_710_090_000_000i64),
                json!("cycling"),
                json!("wo-0310"),
                json!("workout:1710090000000")
            ],
        ]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE event_id = (SELECT id FROM events WHERE kind = 'sleep')"),
        14
    );
    assert_eq!(
        t.sql("SELECT DISTINCT d.name FROM samples s JOIN devices d ON d.id = s.device_id"),
        vec![vec![json!("Oura Ring")]]
    );

    // Bookkeeping: one run of kind sync, a cursor per collection, no token anywhere.
    let runs = t.sql("SELECT importer, kind, status, args, stats FROM import_runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0][..3],
        [json!("oura"), json!("sync"), json!("complete")]
    );
    assert!(!runs[0][3].as_str().unwrap().contains(TOKEN));
    let args: Value = serde_json::from_str(runs[0][3].as_str().unwrap()).unwrap();
    assert_eq!(args["since"], "2024-03-09");
    assert_eq!(args["api_base"], json!(server.base));
    assert_eq!(
        t.sql("SELECT service, account, collection, last_day FROM sync_state ORDER BY collection"),
        [
            "daily_activity",
            "daily_cardiovascular_age",
            "daily_readiness",
            "daily_resilience",
            "daily_sleep",
            "daily_spo2",
            "daily_stress",
            "heartrate",
            "sleep",
            "vO2_max",
            "workout",
        ]
        .iter()
        .map(|c| vec![json!("oura"), json!(""), json!(c), json!("2024-03-11")])
        .collect::<Vec<_>>()
    );
    assert_eq!(t.count("SELECT count(*) FROM source_files"), 0);

    // A day later: each collection starts two days before where it stopped.
    server.load("daily_sleep", "daily_sleep.later.json");
    let out = t.run(&["--json", "sync", "oura", "--until", "2024-03-12"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["totals"]["added"], 8,
        "only 2024-03-12's daily sleep: {report:#}"
    );
    assert_eq!(report["totals"]["duplicate"], 51, "{report:#}");
    let log = server.take_log();
    for l in &log {
        if l.collection == "heartrate" {
            assert_eq!(l.query["start_datetime"], "2024-03-09T00:00:00Z");
            assert_eq!(l.query["end_datetime"], "2024-03-14T00:00:00Z");
        } else {
            assert_eq!(l.query["start_date"], "2024-03-09", "{l:?}");
            assert_eq!(l.query["end_date"], "2024-03-14", "{l:?}");
        }
    }
    assert_eq!(
        t.count("SELECT count(*) FROM sync_state WHERE last_day = '2024-03-12'"),
        11
    );

    // And again: nothing new.
    let report = t.json(&["sync", "oura", "--until", "2024-03-12"]);
    assert_eq!(report["totals"]["added"], 0, "{report:#}");
    // From 2024-03-10 now (the cursor moved to 2024-03-12): 2024-03-09 is not asked again.
    assert_eq!(report["totals"]["duplicate"], 51, "{report:#}");
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE metric = 'sleep_score'"),
        4
    );
    assert_eq!(
        t.count("SELECT count(*) FROM import_runs WHERE kind = 'sync' AND status = 'complete'"),
        3
    );

    // The human report: one line per collection and a summary.
    let human = t.ok(&["sync", "oura", "--until", "2024-03-12"]);
    assert!(human.contains("daily_sleep"), "{human}");
    assert!(
        human.contains("Oura: 11 collection(s) up to 2024-03-12, 0 failed"),
        "{human}"
    );
}

#[test]
fn a_failure_mid_sync_keeps_what_was_committed_and_the_next_run_completes() {
    let server = server_with_data();
    // Heart rate's second page keeps failing.
    server.fault("heartrate", true, u32::MAX, 500, None);
    let t = env_for(&server);
    t.set("OURA_TOKEN", TOKEN);
    let out = t.run(&[
        "--json",
        "sync",
        "oura",
        "--since",
        "2024-03-09",
        "--until",
        "2024-03-11",
    ]);
    assert_no_token(&out);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("Oura: GET /v2/usercollection/heartrate?start_datetime=2024-03-09T00:00:00Z&end_datetime=2024-03-13T00:00:00Z: HTTP 500"),
        "{err}"
    );
    assert!(err.contains("after 5 attempts"), "{err}");
    assert!(
        err.contains(
            "hint: what was synced before the failure is kept; run the same command again to resume"
        ),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hr = &report["collections"][10];
    assert_eq!(hr["collection"], "heartrate");
    assert_eq!(hr["status"], "stopped");
    assert_eq!(hr["added"], 2, "page 1 was committed: {report:#}");
    assert_eq!(
        server.take_log().iter().filter(|l| l.status == 500).count(),
        5
    );

    // Committed: every other collection, heart rate's first page; no heart-rate cursor.
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE metric = 'sleep_score'"),
        3
    );
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE metric = 'heart_rate' AND event_id IS NULL"),
        2
    );
    assert_eq!(t.count("SELECT count(*) FROM sync_state"), 10);
    assert_eq!(
        t.count("SELECT count(*) FROM sync_state WHERE collection = 'heartrate'"),
        0
    );
    assert_eq!(
        t.sql("SELECT kind, status FROM import_runs"),
        vec![vec![json!("sync"), json!("failed")]]
    );

    // The API recovers; the next run completes heart rate. Without a cursor it starts the
    // day before the earliest Oura day in the vault.
    server.clear_faults();
    let report = t.json(&["sync", "oura", "--until", "2024-03-11"]);
    assert_eq!(report["totals"]["failed"], 0, "{report:#}");
    assert_eq!(
        report["totals"]["added"], 3,
        "the 3 heart rates not yet fetched: {report:#}"
    );
    let log = server.take_log();
    let hr = requests_of(&log, "heartrate");
    assert_eq!(hr[0].query["start_datetime"], "2024-03-08T00:00:00Z");
    assert_eq!(
        t.sql("SELECT value FROM samples WHERE metric = 'heart_rate' AND event_id IS NULL ORDER BY start_ms"),
        vec![vec![json!(61.0)], vec![json!(64.0)], vec![json!(128.0)], vec![json!(55.0)], vec![json!(59.0)]]
    );
    assert_eq!(t.count("SELECT count(*) FROM sync_state"), 11);
}

#[test]
fn a_refused_token_is_a_clear_error_that_never_shows_the_token() {
    let server = server_with_data();
    let t = env_for(&server);
    let wrong = "OURA-wrong-token-0123456789abcdef";
    t.set("OURA_TOKEN", wrong);
    for json in [false, true] {
        let mut args = vec!["sync", "oura", "--until", "2024-03-11"];
        if json {
            args.insert(0, "--json");
        }
        let out = t.run(&args);
        assert_eq!(code(&out), 1);
        for bytes in [&out.stdout, &out.stderr] {
            assert!(
                !contains(bytes, wrong.as_bytes()),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        let err = stderr(&out);
        assert!(
            err.contains("trove: error: Oura refused the access token (HTTP 401)"),
            "{err}"
        );
        assert!(
            err.contains("hint: the token is wrong, expired or revoked"),
            "{err}"
        );
        assert!(
            err.contains("https://cloud.ouraring.com/personal-access-tokens"),
            "{err}"
        );
    }
    // Not retried: one request per attempt, nothing written but the failed runs.
    assert_eq!(server.take_log().len(), 2);
    assert_eq!(t.count("SELECT count(*) FROM samples"), 0);
    assert_eq!(t.count("SELECT count(*) FROM sync_state"), 0);
    assert_eq!(
        t.count("SELECT count(*) FROM import_runs WHERE kind = 'sync' AND status = 'failed'"),
        2
    );

    // No token at all.
    t.unset("OURA_TOKEN");
    let out = t.run(&["sync", "oura"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("trove: error: no Oura access token"), "{err}");
    assert!(
        err.contains("pass it in OURA_TOKEN or with --token-file FILE"),
        "{err}"
    );
    assert!(server.take_log().is_empty());

    // Plain HTTP to a non-loopback address is refused before anything is sent.
    t.set("OURA_TOKEN", TOKEN);
    let out = t.run(&["sync", "oura", "--api-base", "http://example.com"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("refusing to send the access token to http://example.com"));
}

#[test]
fn a_token_file_can_be_kept_in_the_vault_and_forgotten() {
    let server = server_with_data();
    let t = env_for(&server);
    let file = t.path().join("oura-token.txt");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    set_mode(&file, 0o600);
    let f = file.to_str().unwrap();
    let out = t.run(&[
        "sync",
        "oura",
        "--token-file",
        f,
        "--save-token",
        "--collection",
        "daily_sleep",
        "--since",
        "2024-03-09",
        "--until",
        "2024-03-11",
    ]);
    assert_no_token(&out);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("The token is kept in the vault"));
    assert_eq!(
        t.sql("SELECT CAST(value AS TEXT) FROM secrets WHERE name = 'oura.token'"),
        vec![vec![json!(TOKEN)]]
    );
    // Only what was asked for.
    assert_eq!(
        server
            .take_log()
            .iter()
            .map(|l| l.collection.as_str())
            .collect::<Vec<_>>(),
        vec!["daily_sleep", "daily_sleep"]
    );
    // Encrypted at rest like everything else.
    for name in ["vault.db", "vault.db-wal"] {
        let bytes = read_or_empty(&t.vault().join(name));
        assert!(
            !contains(&bytes, TOKEN.as_bytes()),
            "{name} holds the token in plaintext"
        );
    }

    // No file, no variable: the kept token is used.
    let report = t.json(&[
        "sync",
        "oura",
        "--collection",
        "daily_sleep",
        "--until",
        "2024-03-11",
    ]);
    assert_eq!(report["totals"]["failed"], 0);
    assert_eq!(report["token_saved"], false);
    assert_eq!(server.take_log().len(), 2);

    let out = t.run(&["sync", "oura", "--forget-token"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("Removed the Oura token kept in the vault."));
    assert_eq!(
        t.count("SELECT count(*) FROM secrets WHERE name = 'oura.token'"),
        0
    );
    let out = t.run(&["sync", "oura", "--collection", "daily_sleep"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("no Oura access token"));

    // An empty token file is an error that says so.
    std::fs::write(&file, "\n").unwrap();
    let out = t.run(&["sync", "oura", "--token-file", f]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is empty"), "{}", stderr(&out));
}
