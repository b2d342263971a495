//! `trove contribute`: selection, redaction, preview, the package's contents, and canaries.

use std::fs;

use crate::common::*;
use crate::pkg::{self, add_dao, all_bytes, contribute, entry, jsonl, manifest, open_package};
use crate::seed::{self, *};

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn dry_run_reports_exactly_what_would_leave_and_writes_nothing() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    add_dao(&t, "labdao");
    let before = files_in(t.path());
    let doc = t.json(&[
        "contribute",
        "--dao",
        "labdao",
        "--metric",
        "heart_rate,step_count",
        "--kind",
        "post,workout,message",
        "--since",
        "2024-03-01",
        "--until",
        "2024-03-02",
        "--dry-run",
        "--examples",
        "1",
    ]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["dry_run"], true);
    assert_eq!(doc["records"], 48 + 10 + 2 + 1);
    assert_eq!(
        doc["per_metric"],
        serde_json::json!({"heart_rate": 48, "step_count": 10})
    );
    assert_eq!(
        doc["per_kind"],
        serde_json::json!({"post": 2, "workout": 1})
    );
    assert_eq!(doc["start"], "2024-03-01T00:07:13.25Z");
    assert_eq!(doc["end"], "2024-03-02T23:07:13.25Z");
    assert_eq!(doc["covered_days"], 2);
    assert_eq!(doc["selection"]["until"], "2024-03-03T00:00:00Z");
    let s = &doc["sensitive"];
    assert_eq!(
        s["location"],
        serde_json::json!({"included": false, "track_points": 0, "attrs_keys_removed": 2, "attrs_keys_included": 0})
    );
    assert_eq!(
        s["free_text"],
        serde_json::json!({"mode": "scrub", "events_with_text": 3})
    );
    assert_eq!(
        s["pii"],
        serde_json::json!({"found": {"email": 1, "phone": 1, "handle": 1, "url": 1, "address": 1}, "remaining": 0})
    );
    assert_eq!(
        s["identifiers"],
        serde_json::json!({"mode": "omit", "devices": 2, "accounts": 2, "attrs_keys_removed": 2})
    );
    assert_eq!(
        s["sensitive_events"],
        serde_json::json!({"included": false, "left_out": 1})
    );
    assert_eq!(
        doc["files"][0]["fields"],
        serde_json::json!([
            "metric",
            "start",
            "end",
            "tz_offset_min",
            "value",
            "category",
            "source",
            "device_model",
            "attrs"
        ])
    );
    assert_eq!(
        doc["examples"]["samples"][0],
        serde_json::json!({
            "metric": "heart_rate", "start": "2024-03-01T00:07:13.25Z", "end": null,
            "tz_offset_min": 60, "value": 58.0, "category": null, "source": "apple_health",
            "device_model": "Apple Inc. Watch6,2", "attrs": {"HKMetadataKeyHeartRateMotionContext": 1}
        })
    );
    assert_eq!(doc["examples"]["events"][0]["body"], POST_BODY_SCRUBBED);
    assert_eq!(
        doc["warnings"],
        serde_json::json!(["no message events match the selection"])
    );
    // Nothing written: no file, no ledger entry.
    assert_eq!(files_in(t.path()), before);
    let st = t.json(&["status"]);
    assert_eq!(st["tables"]["contributions"], 0);
    assert_eq!(st["tables"]["ledger"], 0);
}

#[test]
fn dry_run_human_report() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    add_dao(&t, "labdao");
    let out = t.run(&[
        "contribute",
        "--dao",
        "labdao",
        "--metric",
        "step_count",
        "--dry-run",
        "--examples",
        "1",
        "--time-precision",
        "hour",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Contribution preview (dry run: nothing written) for labdao\n\
         selection    all time\n\
         records      10 (2024-03-01T08:00:00Z .. 2024-03-01T17:00:00Z), 1 day(s) covered\n\
         \x20 metric step_count                           10\n\
         files\n\
         \x20 data/samples.jsonl                 10 records    2.0 KiB  fields: metric, start, end, tz_offset_min, value, category, source, device_model, attrs\n\
         privacy\n\
         \x20 location      left out (0 location key(s) removed from attrs)\n\
         \x20 free text     0 event(s) with text, personal identifiers replaced\n\
         \x20 PII           0 found (email 0, phone 0, handle 0, url 0, address 0), 0 remaining\n\
         \x20 identifiers   left out (1 device(s), 1 account(s))\n\
         \x20 sensitive     0 event(s) marked sensitive left out\n\
         \x20 times         hour\n\
         examples (samples)\n\
         \x20 {\"metric\":\"step_count\",\"start\":\"2024-03-01T08:00:00Z\",\"end\":\"2024-03-01T09:00:00Z\",\"tz_offset_min\":60,\"value\":500.0,\"category\":null,\"source\":\"apple_health\",\"device_model\":\"Apple Inc. iPhone14,2\",\"attrs\":null}\n"
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn rows_outside_the_selection_never_appear_in_the_package() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = add_dao(&t, "labdao");
    let path = contribute(
        &t,
        "labdao",
        "out.trove",
        &[
            "--metric",
            "heart_rate",
            "--kind",
            "post",
            "--since",
            "2024-01-01",
        ],
    );
    let all = all_bytes(&path, &key);
    for canary in [
        UNSELECTED,
        OUTSIDE_WINDOW,
        DM,
        "5.4321",
        "blood_glucose",
        "55.0",
        "step_count",
        "sleep",
    ] {
        assert!(!contains(&all, canary.as_bytes()), "{canary} leaked");
    }
    let e = open_package(&path, &key);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "data/samples.jsonl",
            "data/events.jsonl",
            "manifest.json",
            "manifest.json.minisig"
        ]
    );
    let samples = jsonl(entry(&e, "data/samples.jsonl"));
    assert_eq!(samples.len(), 48);
    assert!(
        samples
            .iter()
            .all(|s| s["metric"] == "heart_rate" && s["source"] == "apple_health")
    );
    let events = jsonl(entry(&e, "data/events.jsonl"));
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["body"], POST_BODY_SCRUBBED);
    assert_eq!(events[1]["body"], "Moving to [address] next week!");
    assert_eq!(events[0]["ref"], 1);
    let m = manifest(&e);
    assert_eq!(m["format"], "trove-contribution/1");
    assert_eq!(m["records"], 50);
    assert_eq!(m["selection"]["since"], "2024-01-01T00:00:00Z");
    assert_eq!(
        m["importers"],
        serde_json::json!([{"id": "apple_health", "version": "1.2.0"}, {"id": "x", "version": "0.3.1"}])
    );
    assert_eq!(m["files"][0]["records"], 48);
    assert_eq!(m["files"][0]["start"], "2024-03-01T00:07:13.25Z");
    assert_eq!(m["tool"]["version"], env!("CARGO_PKG_VERSION"));
    // The identifiers are nowhere: no account, device name, original id.
    for id in [
        ACCOUNT_EMAIL,
        WATCH_NAME,
        "@janedoe_real",
        "1760000000000000001",
        "watch-serial",
    ] {
        assert!(!contains(&all, id.as_bytes()), "{id} leaked");
    }
}

#[test]
fn with_location_redacted_no_coordinate_appears_in_any_byte() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = add_dao(&t, "labdao");
    let path = contribute(
        &t,
        "labdao",
        "noloc.trove",
        &[
            "--kind",
            "workout",
            "--redact",
            "location",
            "--include",
            "text",
        ],
    );
    let all = all_bytes(&path, &key);
    for c in [&LAT[..7], &LON[..6], "408.5"] {
        assert!(!contains(&all, c.as_bytes()), "{c} leaked");
    }
    let e = open_package(&path, &key);
    assert!(e.iter().all(|(n, _)| n != "data/track_points.jsonl"));
    let events = jsonl(entry(&e, "data/events.jsonl"));
    assert_eq!(
        events[0]["attrs"],
        serde_json::json!({"activity": "running", "distance_m": 5012.5})
    );

    // The same selection with location included does carry them: the check above can fail.
    let path = contribute(
        &t,
        "labdao",
        "loc.trove",
        &["--kind", "workout", "--include", "location"],
    );
    let all = all_bytes(&path, &key);
    assert!(contains(&all, &LAT.as_bytes()[..7]));
    let e = open_package(&path, &key);
    let points = jsonl(entry(&e, "data/track_points.jsonl"));
    assert_eq!(points.len(), 5);
    assert_eq!(
        points[0],
        serde_json::json!({"event_ref": 1, "t": "2024-03-01T06:00:00Z", "lat": 47.3769148, "lon": 8.5417162,
                           "alt_m": 408.5, "speed_mps": 3.1, "course_deg": null, "h_acc_m": null, "v_acc_m": null})
    );
    assert_eq!(manifest(&e)["redactions"]["location"], "include");
}

#[test]
fn pseudonyms_are_stable_per_dao_and_differ_between_daos() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let a = add_dao(&t, "dao-a");
    let b = add_dao(&t, "dao-b");
    let args = [
        "--metric",
        "heart_rate",
        "--since",
        "2024-03-01",
        "--pseudonymize",
    ];
    let pa1 = open_package(&contribute(&t, "dao-a", "a1.trove", &args), &a);
    let pa2 = open_package(&contribute(&t, "dao-a", "a2.trove", &args), &a);
    let pb = open_package(&contribute(&t, "dao-b", "b.trove", &args), &b);
    let first = |e: &[(String, Vec<u8>)]| jsonl(entry(e, "data/samples.jsonl"))[0].clone();
    let (s1, s2, s3) = (first(&pa1), first(&pa2), first(&pb));
    let dev = s1["device"].as_str().unwrap();
    assert!(dev.starts_with("ps_") && dev.len() == 27, "{dev}");
    assert_eq!(s1["device"], s2["device"]);
    assert_eq!(s1["account"], s2["account"]);
    assert_ne!(s1["device"], s3["device"]);
    assert_ne!(s1["account"], s3["account"]);
    assert_ne!(s1["device"], s1["account"]);
    // The raw names are nowhere, and attrs lost their identifier key.
    assert!(!contains(
        &all_bytes(&t.path().join("b.trove"), &b),
        WATCH_NAME.as_bytes()
    ));
    assert_eq!(
        s1["attrs"],
        serde_json::json!({"HKMetadataKeyHeartRateMotionContext": 1})
    );
    // Raw identifiers only when asked for.
    let raw = open_package(
        &contribute(
            &t,
            "dao-a",
            "raw.trove",
            &[
                "--metric",
                "heart_rate",
                "--since",
                "2024-03-01",
                "--include",
                "identifiers",
            ],
        ),
        &a,
    );
    let r = first(&raw);
    assert_eq!(r["device"], WATCH_NAME);
    assert_eq!(r["account"], ACCOUNT_EMAIL);
}

#[test]
fn time_precision_and_csv() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = add_dao(&t, "labdao");
    let path = contribute(
        &t,
        "labdao",
        "csv.trove",
        &[
            "--metric",
            "heart_rate",
            "--since",
            "2024-03-01",
            "--time-precision",
            "day",
            "--format",
            "csv",
        ],
    );
    let e = open_package(&path, &key);
    let csv = std::str::from_utf8(entry(&e, "data/samples.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "metric,start,end,tz_offset_min,value,category,source,device_model,attrs"
    );
    assert_eq!(
        lines.next().unwrap(),
        r#"heart_rate,2024-03-01T00:00:00Z,,60,58.0,,apple_health,"Apple Inc. Watch6,2","{""HKMetadataKeyHeartRateMotionContext"":1}""#
    );
    assert_eq!(csv.lines().count(), 49);
    let m = manifest(&e);
    assert_eq!(m["files"][0]["media_type"], "text/csv");
    assert_eq!(m["files"][0]["end"], "2024-03-02T00:00:00Z");
    t.ok(&[
        "--identity",
        &path_str(&key.file),
        "verify",
        &path_str(&path),
    ]);
}

#[test]
fn a_request_selects_and_its_requirements_cannot_be_weakened() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = pkg::dao_key(&t, "sleepdao");
    let mut req: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/sleepdao-request.json")).unwrap();
    req["dao"]["recipients"] = serde_json::json!([key.recipient]);
    req["dao"].as_object_mut().unwrap().remove("endpoint");
    let req_file = t.path().join("request.json");
    fs::write(&req_file, req.to_string()).unwrap();
    t.ok(&["dao", "add", "sleepdao", "--request", &path_str(&req_file)]);

    let out = t.run(&["contribute", "--dao", "sleepdao", "--include", "location"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: sleepdao's request requires location to be omitted; --include location would weaken it\n\
         hint: drop the flag, or contribute without sleepdao's request (it would then not be what the DAO asked for)\n"
    );
    let out = t.run(&["contribute", "--dao", "sleepdao", "--metric", "step_count"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: sleepdao's request does not ask for metric step_count\n\
         hint: `trove dao show sleepdao` lists what the request asks for; narrow the selection to it\n"
    );
    let out = t.run(&["contribute", "--dao", "sleepdao", "-o", "x.trove"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: sleepdao's request has consent text that has not been accepted\n\
         hint: read it with `trove dao show sleepdao`, then pass --accept-consent\n"
    );
    assert!(!t.path().join("x.trove").exists());

    let path = contribute(&t, "sleepdao", "sleep.trove", &["--accept-consent"]);
    let e = open_package(&path, &key);
    let m = manifest(&e);
    assert_eq!(m["selection"]["from_request"], true);
    assert_eq!(
        m["redactions"],
        serde_json::json!({"location": "omit", "text": "drop", "identifiers": "omit", "time_precision": "minute", "sensitive_events": "omit"})
    );
    let consent = req["consent"]["text"].as_str().unwrap();
    assert_eq!(
        m["consent"]["consent_sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(consent.as_bytes()))
    );
    // 48 watch and 1 ring heart rates (2023-12-31 is after `since`), 6 sleep stages, 1 sleep.
    assert_eq!(m["records"], 56);
    let events = jsonl(entry(&e, "data/events.jsonl"));
    assert_eq!(events[0]["kind"], "sleep");
    assert!(events[0].get("body").is_none() && events[0].get("title").is_none());
    let samples = jsonl(entry(&e, "data/samples.jsonl"));
    assert_eq!(samples[0]["start"], "2023-12-31T00:00:00Z");
    assert_eq!(samples[1]["start"], "2024-03-01T00:07:00Z");
}

#[test]
fn empty_selections_refusals_and_no_leftover_files() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    add_dao(&t, "labdao");
    let before = files_in(t.path());
    let out = t.run(&[
        "contribute",
        "--dao",
        "labdao",
        "--metric",
        "no_such_metric",
        "-o",
        "e.trove",
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: the selection contains no rows\n\
         hint: check --metric/--kind/--source/--since/--until; `trove status` shows what the vault holds\n"
    );
    assert_eq!(files_in(t.path()), before, "a temp file was left behind");
    let out = t.run(&["contribute", "--dao", "labdao"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: nothing selected\n\
         hint: pass --metric and/or --kind, or register labdao with a request file (`trove dao add --request`)\n"
    );
    let out = t.run(&["contribute", "--dao", "nodao", "--metric", "heart_rate"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: no DAO named nodao\n\
         hint: `trove dao list` shows the registered DAOs; add one with `trove dao add`\n"
    );
    fs::write(t.path().join("taken.trove"), "x").unwrap();
    let out = t.run(&[
        "contribute",
        "--dao",
        "labdao",
        "--metric",
        "heart_rate",
        "-o",
        "taken.trove",
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: refusing to overwrite taken.trove\n\
         hint: choose another file with -o, or move the old one away\n"
    );
    assert_eq!(fs::read(t.path().join("taken.trove")).unwrap(), b"x");
    assert_eq!(t.json(&["status"])["tables"]["contributions"], 0);
}

#[test]
fn default_name_and_stdout() {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = add_dao(&t, "labdao");
    let out = t.ok(&[
        "--quiet",
        "contribute",
        "--dao",
        "labdao",
        "--metric",
        "step_count",
    ]);
    let path = std::path::PathBuf::from(out.trim_end());
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("labdao-")
            && name.ends_with(".trove")
            && name.len() == "labdao-20240101-12345678.trove".len(),
        "{name}"
    );
    assert_eq!(path.parent().unwrap(), t.path());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let out = t.run(&[
        "--quiet",
        "contribute",
        "--dao",
        "labdao",
        "--metric",
        "step_count",
        "-o",
        "-",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let e = pkg::entries(&pkg::decrypt(&out.stdout, &key.identity));
    assert_eq!(jsonl(entry(&e, "data/samples.jsonl")).len(), 10);
    let audit = t.json(&["audit"]);
    assert_eq!(
        audit["contributions"][1]["package_path"],
        serde_json::Value::Null
    );
}

#[test]
fn rows_imported_by_trove_import_are_contributed_and_verify() {
    let t = TestEnv::with_vault();
    let records: String = (0..3)
        .map(|i| {
            format!(
                r#" <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Jane's Apple Watch" sourceVersion="10.3" device="&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.3&gt;" unit="count/min" creationDate="2024-03-01 10:0{i}:00 +0100" startDate="2024-03-01 09:5{i}:00 +0100" endDate="2024-03-01 09:5{i}:00 +0100" value="6{i}"/>
"#
            )
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n <ExportDate value=\"2024-03-05 10:00:00 +0100\"/>\n{records}</HealthData>\n"
    );
    fs::write(t.path().join("export.xml"), xml).unwrap();
    t.ok(&["import", "export.xml"]);
    let key = add_dao(&t, "labdao");
    let path = contribute(
        &t,
        "labdao",
        "hr.trove",
        &["--metric", "heart_rate", "--pseudonymize"],
    );
    let e = open_package(&path, &key);
    let samples = jsonl(entry(&e, "data/samples.jsonl"));
    assert_eq!(samples.len(), 3);
    assert_eq!(samples[0]["start"], "2024-03-01T08:50:00Z");
    assert_eq!(samples[0]["value"], 60.0);
    assert!(samples[0]["device"].as_str().unwrap().starts_with("ps_"));
    assert!(!contains(&all_bytes(&path, &key), b"Jane's Apple Watch"));
    assert_eq!(manifest(&e)["importers"][0]["id"], "apple-health");
    t.unset("TROVE_IDENTITY");
    t.ok(&["verify", "hr.trove", "--identity", &path_str(&key.file)]);
}
