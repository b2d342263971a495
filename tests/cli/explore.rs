//! Exploring the vault: `stats` (exact aggregates, device de-duplication, DST days, nights),
//! `device`, and `query` (views, formats, and that nothing can write).
//!
//! The vault is filled from tests/fixtures/explore/export.xml; its README says which sample
//! proves what. Every expected number below is worked out there by hand.

use serde_json::{Value, json};

use crate::common::*;

pub const WATCH: &str = "Alice’s Apple Watch";
pub const PHONE: &str = "Alice’s iPhone";

/// A vault with the explore fixture imported.
pub fn explore_vault() -> TestEnv {
    let t = TestEnv::with_vault();
    t.ok(&["import", fixture("explore/export.xml").to_str().unwrap()]);
    t
}

fn bucket<'a>(stats: &'a Value, label: &str) -> &'a Value {
    stats["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["label"] == label)
        .unwrap_or_else(|| panic!("no bucket {label} in {stats:#}"))
}

#[test]
fn steps_are_summed_per_local_day_without_double_counting_devices() {
    let t = explore_vault();
    let st = t.json(&[
        "stats",
        "step_count",
        "--since",
        "2024-03-30",
        "--until",
        "2024-04-01",
    ]);
    assert_eq!(st["aggregate"], "sum");
    assert_eq!(st["timezone"], "Europe/Berlin");
    assert_eq!(st["since"], "2024-03-29T23:00:00Z");
    assert_eq!(st["until"], "2024-04-01T22:00:00Z");
    let labels: Vec<&str> = st["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2024-03-30", "2024-03-31", "2024-04-01"]);

    // 03-30: the watch's 1,800; the phone's 900 at 10:00 is covered, its 14:15-14:45 half
    // covered (450 kept), its 12:00 600 and half of the 23:50-00:10 200 count.
    let d = bucket(&st, "2024-03-30");
    assert_eq!(d["sum"], 2950.0);
    assert_eq!(d["deduplicated"], 1350.0);
    assert_eq!(d["hours"], 24.0);
    assert_eq!(d["start"], "2024-03-29T23:00:00Z");
    assert_eq!(
        d["by_device"],
        json!({ WATCH: 1800.0, PHONE: 1150.0 }),
        "{d:#}"
    );
    // 03-31 is 23 hours long; a sample across the 02:00 → 03:00 jump counts once, whole.
    let d = bucket(&st, "2024-03-31");
    assert_eq!(d["hours"], 23.0);
    assert_eq!(d["sum"], 1000.0);
    assert_eq!(d["start"], "2024-03-30T23:00:00Z");
    assert_eq!(d["end"], "2024-03-31T22:00:00Z");
    assert_eq!(bucket(&st, "2024-04-01")["sum"], 40.0);
    assert_eq!(st["total"]["sum"], 3990.0);

    let devices: Vec<(&str, &str)> = st["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(devices, [(WATCH, "wearable"), (PHONE, "default")]);
}

#[test]
fn the_25_hour_day_counts_both_passes_through_the_repeated_hour() {
    let t = explore_vault();
    let st = t.json(&[
        "stats",
        "step_count",
        "--since",
        "2024-10-27",
        "--until",
        "2024-10-27",
    ]);
    let d = bucket(&st, "2024-10-27");
    assert_eq!(d["hours"], 25.0);
    assert_eq!(d["start"], "2024-10-26T22:00:00Z");
    assert_eq!(d["end"], "2024-10-27T23:00:00Z");
    // 200 + 300 (02:30 twice) + 400 (the phone's hour, a third covered) + 1000.
    assert_eq!(d["sum"], 1900.0);
    assert_eq!(d["deduplicated"], 200.0);
    assert_eq!(st["buckets"].as_array().unwrap().len(), 1);

    let hr = t.json(&[
        "stats",
        "heart_rate",
        "--since",
        "2024-10-27",
        "--until",
        "2024-10-27",
    ]);
    let d = bucket(&hr, "2024-10-27");
    assert_eq!(
        (d["mean"].clone(), d["samples"].clone()),
        (json!(60.0), json!(2))
    );
}

#[test]
fn preferring_or_restricting_a_device_changes_the_winner() {
    let t = explore_vault();
    let args = [
        "stats",
        "step_count",
        "--since",
        "2024-03-30",
        "--until",
        "2024-03-30",
    ];
    let mut with = args.to_vec();
    with.extend(["--prefer-device", PHONE]);
    let st = t.json(&with);
    let d = bucket(&st, "2024-03-30");
    // The phone's 2,500 all count; the watch keeps only 14:00-14:15 (500).
    assert_eq!(d["sum"], 3000.0);
    assert_eq!(d["by_device"], json!({ PHONE: 2500.0, WATCH: 500.0 }));
    assert_eq!(st["devices"][0]["reason"], "preferred");

    let mut only = args.to_vec();
    only.extend(["--device", "alice’s iphone"]);
    let st = t.json(&only);
    assert_eq!(bucket(&st, "2024-03-30")["sum"], 2500.0);
    assert_eq!(bucket(&st, "2024-03-30")["deduplicated"], 0.0);

    // A stored priority does the same for every later query.
    t.ok(&["device", "priority", PHONE, "1"]);
    let st = t.json(&args);
    assert_eq!(bucket(&st, "2024-03-30")["sum"], 3000.0);
    let list = t.json(&["device", "list"]);
    assert_eq!(list["devices"][0]["name"], PHONE);
    assert_eq!(list["devices"][0]["priority"], 1);
    assert_eq!(list["devices"][0]["samples"], 12);
    t.ok(&["device", "priority", PHONE, "--clear"]);
    assert_eq!(bucket(&t.json(&args), "2024-03-30")["sum"], 2950.0);

    let out = t.run(&["stats", "step_count", "--device", "Fitbit"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no device named \"Fitbit\""),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(WATCH), "{}", stderr(&out));
    let out = t.run(&["device", "priority", "Fitbit", "3"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn weeks_months_and_other_zones() {
    let t = explore_vault();
    let st = t.json(&["stats", "step_count", "--weekly"]);
    let w = bucket(&st, "2024-03-25");
    assert_eq!(
        (w["sum"].clone(), w["hours"].clone()),
        (json!(3950.0), json!(167.0))
    );
    assert_eq!(bucket(&st, "2024-04-01")["sum"], 40.0);
    // Weeks without data are listed, without a value.
    assert!(bucket(&st, "2024-04-08").get("sum").is_none());

    let st = t.json(&["stats", "step_count", "--monthly"]);
    let sums: Vec<(String, Value, Value)> = st["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["label"].as_str().unwrap().to_string(),
                b["sum"].clone(),
                b["hours"].clone(),
            )
        })
        .collect();
    assert_eq!(
        sums.first().unwrap(),
        &("2024-03".into(), json!(3950.0), json!(743.0))
    );
    assert_eq!(
        sums.last().unwrap(),
        &("2024-10".into(), json!(1900.0), json!(745.0))
    );
    assert_eq!(sums.len(), 8);
    assert_eq!(st["total"]["sum"], 5890.0);

    // In UTC the cross-midnight sample and the night's steps fall on other days.
    let st = t.json(&[
        "stats",
        "step_count",
        "--tz",
        "UTC",
        "--since",
        "2024-03-30",
        "--until",
        "2024-03-31",
    ]);
    assert_eq!(bucket(&st, "2024-03-30")["sum"], 3050.0);
    assert_eq!(bucket(&st, "2024-03-31")["sum"], 940.0);
    assert_eq!(bucket(&st, "2024-03-31")["hours"], 24.0);

    let out = t.run(&["stats", "step_count", "--tz", "Mars/Olympus"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown time zone"));
}

#[test]
fn heart_rate_is_averaged_over_all_devices_unless_one_is_chosen() {
    let t = explore_vault();
    let range = ["--since", "2024-03-30", "--until", "2024-03-30"];
    let mut args = vec!["stats", "heart_rate"];
    args.extend(range);
    let st = t.json(&args);
    assert_eq!(st["aggregate"], "mean");
    let d = bucket(&st, "2024-03-30");
    assert_eq!(
        (
            d["mean"].clone(),
            d["min"].clone(),
            d["max"].clone(),
            d["samples"].clone()
        ),
        (json!(80.0), json!(60.0), json!(100.0), json!(3))
    );
    args.extend(["--device", WATCH]);
    let d = t.json(&args);
    assert_eq!(bucket(&d, "2024-03-30")["mean"], 70.0);
}

#[test]
fn sleep_is_counted_per_night_with_stages_and_devices_resolved() {
    let t = explore_vault();
    let st = t.json(&[
        "stats",
        "sleep_stage",
        "--since",
        "2024-03-31",
        "--until",
        "2024-03-31",
    ]);
    assert_eq!(st["aggregate"], "duration");
    assert_eq!(st["day_starts"], "18:00 the evening before");
    let n = bucket(&st, "2024-03-31");
    // 18:00 CET on 03-30 to 18:00 CEST on 03-31: 23 hours.
    assert_eq!(n["start"], "2024-03-30T17:00:00Z");
    assert_eq!(n["hours"], 23.0);
    assert_eq!(
        n["seconds"],
        json!({
            "asleep_core": 13500.0,
            "asleep_deep": 5400.0,
            "asleep_rem": 5400.0,
            "asleep_unspecified": 0.0,
            "awake": 900.0,
            "in_bed": 26700.0
        })
    );
    assert_eq!(n["asleep_s"], 24300.0);
    // The phone's 6 h "asleep" lies entirely under the watch's stages.
    assert_eq!(n["deduplicated"], 21600.0);
}

#[test]
fn human_output_has_the_numbers_and_a_chart_when_asked() {
    let t = explore_vault();
    let out = t.ok(&[
        "stats",
        "step_count",
        "--since",
        "2024-03-30",
        "--until",
        "2024-04-01",
        "--chart",
        "always",
    ]);
    assert!(
        out.contains("step_count (count, sum per day, Europe/Berlin)"),
        "{out}"
    );
    assert!(out.contains("2024-03-30         2,950         6"), "{out}");
    assert!(out.contains("total 3,990 over 3 day(s)"), "{out}");
    assert!(
        out.contains("1,350 counted by a lower-priority device left out"),
        "{out}"
    );
    assert!(out.contains('█'), "{out}");
    // Not a terminal: no chart by default.
    let out = t.ok(&[
        "stats",
        "step_count",
        "--since",
        "2024-03-30",
        "--until",
        "2024-04-01",
    ]);
    assert!(!out.contains('█'), "{out}");

    let out = t.ok(&[
        "stats",
        "sleep_stage",
        "--since",
        "2024-03-31",
        "--until",
        "2024-03-31",
    ]);
    assert!(out.contains("night"), "{out}");
    assert!(out.contains("6h 45m"), "{out}");

    let out = t.run(&["stats", "no_such_metric"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown metric"));
}

// ---- query --------------------------------------------------------------------------------

#[test]
fn query_streams_rows_in_three_formats() {
    let t = explore_vault();
    let sql =
        "SELECT day, value, samples FROM daily_metrics WHERE metric = 'step_count' ORDER BY day";
    let csv = t.ok(&["query", "--format", "csv", sql]);
    assert_eq!(
        csv,
        "day,value,samples\n2024-03-30,2950.0,6\n2024-03-31,1000.0,6\n2024-04-01,40.0,1\n2024-10-27,1900.0,4\n"
    );
    let json = t.ok(&["query", "--format", "json", sql]);
    let first: Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(
        first,
        json!({"day": "2024-03-30", "value": 2950.0, "samples": 6})
    );
    assert_eq!(json.lines().count(), 4);
    // --json means JSON lines too.
    assert_eq!(t.ok(&["--json", "query", sql]), json);
    let table = t.ok(&["query", sql]);
    assert!(
        table.starts_with("day         value   samples\n----------  ------  -------\n"),
        "{table}"
    );
    assert!(table.contains("\n2024-03-30  2950.0        6\n"), "{table}");
    assert!(table.contains("\n2024-04-01    40.0        1\n"), "{table}");

    // Local-time views and functions follow --tz.
    let out = t.ok(&[
        "query",
        "--format",
        "csv",
        "--tz",
        "America/New_York",
        "SELECT local_start, activity, duration_min, distance_km, route_points FROM workouts",
    ]);
    assert_eq!(
        out,
        "local_start,activity,duration_min,distance_km,route_points\n2024-03-30 02:00:00,running,30.0,5.2,3\n"
    );
    let out = t.ok(&[
        "query", "--format", "csv",
        "SELECT count(*), min(local_day) FROM sample_details WHERE metric = 'step_count' AND device = 'Alice’s iPhone'",
    ]);
    assert_eq!(out, "count(*),min(local_day)\n7,2024-03-30\n");
    // Sleep days in daily_metrics are nights, in seconds per stage.
    let out = t.ok(&[
        "query", "--format", "csv",
        "SELECT day, category, value FROM daily_metrics WHERE metric = 'sleep_stage' AND category = 'asleep_deep'",
    ]);
    assert_eq!(out, "day,category,value\n2024-03-31,asleep_deep,5400.0\n");

    // Day-level values (stored at 00:00 UTC with attrs.day) stay on their date in any zone.
    for tz in ["Europe/Berlin", "America/New_York"] {
        let out = t.ok(&[
            "query",
            "--format",
            "csv",
            "--tz",
            tz,
            "SELECT day, value FROM daily_metrics WHERE metric = 'activity_summary.move'",
        ]);
        assert_eq!(out, "day,value\n2024-03-30,512.5\n", "{tz}");
    }

    let schema = t.json(&["query", "--schema"]);
    let views: Vec<&str> = schema["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(views.contains(&"daily_metrics") && views.contains(&"event_details"));
    let tables: Vec<(&str, usize)> = schema["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["columns"].as_array().unwrap().len(),
            )
        })
        .filter(|(n, _)| n.contains("sample") || n.starts_with("metric"))
        .collect();
    assert_eq!(
        tables,
        [
            ("metric_names", 2),
            ("metrics", 5),
            ("sample_rows", 14),
            ("samples", 14)
        ]
    );
    assert!(
        !schema["tables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "secrets")
    );
}

#[test]
fn query_cannot_modify_the_vault() {
    let t = explore_vault();
    let attach_target = t.path().join("copy.db");
    let attach = format!("ATTACH '{}' AS copy KEY ''", attach_target.display());
    let vacuum = format!("VACUUM INTO '{}'", attach_target.display());
    let before = (
        t.count("SELECT count(*) FROM samples"),
        t.count("SELECT count(*) FROM meta"),
        t.count("PRAGMA user_version"),
        t.count("SELECT count(*) FROM sqlite_schema"),
    );
    let refused: &[(&str, &str)] = &[
        (
            "INSERT INTO meta (key, value) VALUES ('x', 'y')",
            "INSERT into meta",
        ),
        ("UPDATE sample_rows SET value = 0", "UPDATE of sample_rows"),
        ("DELETE FROM sample_rows", "DELETE from sample_rows"),
        ("DROP TABLE sample_rows", "DROP TABLE (a schema change)"),
        ("CREATE TABLE x (a)", "CREATE TABLE (a schema change)"),
        ("ALTER TABLE sample_rows ADD COLUMN x", "ALTER TABLE"),
        (&attach, "ATTACH"),
        (&vacuum, "VACUUM"),
        ("PRAGMA user_version = 99", "PRAGMA user_version = 99"),
        ("PRAGMA query_only = 0", "PRAGMA query_only = 0"),
        (
            "PRAGMA journal_mode = DELETE",
            "PRAGMA journal_mode = DELETE",
        ),
        ("PRAGMA key = 'x'", "PRAGMA key"),
        ("PRAGMA rekey = 'x'", "PRAGMA rekey"),
        (
            "PRAGMA cipher_compatibility = 3",
            "PRAGMA cipher_compatibility",
        ),
        ("PRAGMA cipher_version", "PRAGMA cipher_version"),
        ("SELECT sqlcipher_export('copy')", "sqlcipher_export()"),
        (
            "SELECT 1; DELETE FROM sample_rows",
            "DELETE from sample_rows",
        ),
        ("BEGIN IMMEDIATE", "a transaction statement"),
        ("SELECT * FROM secrets", "the secrets table"),
        ("SELECT pseudonym_key FROM daos", "daos.pseudonym_key"),
        ("REINDEX", "REINDEX"),
        (
            "UPDATE daily_metrics SET value = 0",
            "UPDATE of daily_metrics",
        ),
    ];
    for (sql, what) in refused {
        let out = t.run(&["query", sql]);
        assert_eq!(code(&out), 2, "{sql}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("trove: error: trove query is read-only: ") && err.contains(what),
            "{sql}: {err}"
        );
        assert!(stdout(&out).is_empty(), "{sql}");
    }
    assert!(!attach_target.exists(), "ATTACH/VACUUM INTO created a file");
    // `samples` is a view over sample_rows: SQLite itself refuses to write through it.
    let out = t.run(&["query", "UPDATE samples SET value = 0"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "trove: error: invalid query: cannot modify samples because it is a view\n"
        ),
        "{}",
        stderr(&out)
    );
    let after = (
        t.count("SELECT count(*) FROM samples"),
        t.count("SELECT count(*) FROM meta"),
        t.count("PRAGMA user_version"),
        t.count("SELECT count(*) FROM sqlite_schema"),
    );
    assert_eq!(before, after);

    // Reading pragmas and the schema is fine; broken SQL is a usage error too.
    t.ok(&["query", "PRAGMA table_info(samples)"]);
    let out = t.run(&["query", "SELEC 1"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("invalid query"), "{}", stderr(&out));
}

// ---- timeline -----------------------------------------------------------------------------

/// Adds events of kinds other importers write (posts, messages, drives), as those importers
/// would store them, to show the timeline is driven by kind, not by source.
fn seed_other_kinds(t: &TestEnv) {
    with_write(t, |c| {
        c.execute_batch(
        "INSERT INTO import_runs (id, importer, importer_version, started_ms, status)
             VALUES (900, 'test-social', '1.0.0', 0, 'complete');
         INSERT INTO sources (id, importer, account, created_ms) VALUES (900, 'test-social', 'alice', 0);",
    )
    .unwrap();
        let ev = |kind: &str,
                  start: &str,
                  end: Option<&str>,
                  title: &str,
                  body: &str,
                  attrs: &str| {
            let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
            c.execute(
            "INSERT INTO events (kind, start_ms, end_ms, title, body, attrs, source_id, import_run_id, natural_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 900, 900, ?1 || ?2)",
            (kind, ms(start), end.map(ms), title, body, attrs),
        )
        .unwrap();
        };
        ev(
            "post",
            "2024-03-30T11:00:00Z",
            None,
            "post",
            "Lovely run today\n<b>by the river</b>",
            "{}",
        );
        ev(
            "drive",
            "2024-03-30T15:00:00Z",
            Some("2024-03-30T15:45:00Z"),
            "Home → Office",
            "",
            r#"{"distance_m": 31400, "duration_s": 2700, "energy_kwh": 5.1}"#,
        );
        for i in 0..12 {
            ev(
                "chat.message",
                &format!("2024-03-30T20:{i:02}:00Z"),
                None,
                "user",
                &format!("message {i}"),
                "{}",
            );
        }
        ev(
            "bank.transaction",
            "2024-03-30T12:30:00Z",
            None,
            "coffee",
            "",
            "{}",
        );
    });
}

/// Runs `f` on a write connection to the test vault (what an importer would have written).
pub fn with_write(t: &TestEnv, f: impl FnOnce(&rusqlite::Connection)) {
    let args = trove::unlock::UnlockArgs {
        identity: Some(t.identity_file()),
        passphrase_file: None,
    };
    let cred = trove::unlock::credential(&args, &t.vault()).unwrap();
    let vault = trove::vault::Vault::open(
        trove::vault::VaultPaths::new(t.vault()),
        &cred,
        trove::vault::Access::Write,
    )
    .unwrap();
    f(&vault.conn);
}

#[test]
fn timeline_shows_one_local_day_in_order_with_its_metrics() {
    let t = explore_vault();
    seed_other_kinds(&t);
    let tl = t.json(&["timeline", "2024-03-30"]);
    assert_eq!(tl["weekday"], "Saturday");
    assert_eq!(tl["hours"], 24.0);
    let entries = tl["entries"].as_array().unwrap();
    let order: Vec<(&str, &str, &str)> = entries
        .iter()
        .filter(|e| e["kind"] != "chat.message")
        .map(|e| {
            (
                e["start"].as_str().unwrap(),
                e["section"].as_str().unwrap(),
                e["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("2024-03-30T07:00:00+01:00", "activity", "running"),
            ("2024-03-30T12:00:00+01:00", "social", "post"),
            ("2024-03-30T13:30:00+01:00", "other", "coffee"),
            ("2024-03-30T16:00:00+01:00", "travel", "Home → Office"),
            ("2024-03-30T19:00:00+01:00", "health", "blood_pressure"),
            ("2024-03-30T22:45:00+01:00", "sleep", "sleep"),
        ]
    );
    let run = &entries[0];
    assert_eq!(run["details"], json!(["30m", "5.2 km", "310 kcal"]));
    assert_eq!(run["track_points"], 3);
    assert_eq!(run["device"], WATCH);
    let drive = entries.iter().find(|e| e["kind"] == "drive").unwrap();
    assert_eq!(drive["details"], json!(["45m", "31.4 km", "5.1 kWh"]));
    let sleep = entries.iter().find(|e| e["section"] == "sleep").unwrap();
    assert_eq!(sleep["end"], "2024-03-31T07:10:00+02:00");
    assert_eq!(sleep["details"][0], "asleep 6h 45m");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["kind"] == "chat.message")
            .count(),
        12
    );

    let metrics: Vec<(&str, f64)> = tl["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["metric"].as_str().unwrap(), m["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(metrics, [("step_count", 2950.0), ("heart_rate", 80.0)]);

    let human = t.ok(&["timeline", "2024-03-30"]);
    assert!(
        human.starts_with("Saturday 2024-03-30 (Europe/Berlin, 24 h)"),
        "{human}"
    );
    assert!(human.contains("07:00–07:30"), "{human}");
    assert!(human.contains("… 4 more chat.message"), "{human}");
    assert!(
        human.contains("“Lovely run today <b>by the river</b>”"),
        "{human}"
    );

    // The next day has the night's sleep as a metric, and the 23-hour length.
    let tl = t.json(&["timeline", "2024-03-31"]);
    assert_eq!(tl["hours"], 23.0);
    let sleep = tl["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "sleep_stage")
        .unwrap();
    assert_eq!(sleep["value"], 24300.0);

    let out = t.run(&["timeline", "30.03.2024"]);
    assert_eq!(code(&out), 2);
}

// ---- export -------------------------------------------------------------------------------

#[test]
fn export_writes_a_private_file_and_records_it_in_the_ledger() {
    let t = explore_vault();
    let file = t.path().join("steps.csv");
    let out = t.run(&[
        "export",
        "--metric",
        "step_count",
        "--since",
        "2024-10-27",
        "--format",
        "csv",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("NOT encrypted"), "{}", stderr(&out));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "record,id,metric,kind,start,end,tz_offset_min,value,unit,category,title,body,device,source,account,parent_id,lat,lon,alt_m,speed_mps,attrs"
    );
    assert_eq!(lines.len(), 5);
    assert!(lines[1].starts_with("sample,"), "{text}");
    assert!(
        lines[1]
            .contains(",step_count,,2024-10-27T00:00:00Z,2024-10-27T01:00:00Z,120,600.0,count,"),
        "{text}"
    );

    let rows = t.sql("SELECT seq, kind, json_extract(body, '$.destination'), json_extract(body, '$.records'),
                             json_extract(body, '$.sha256'), json_extract(body, '$.selection.metrics[0]'),
                             json_extract(body, '$.selection.since') FROM ledger");
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(text.as_bytes()));
    assert_eq!(
        rows,
        [[
            json!(1),
            json!("export"),
            json!(path_str(&file)),
            json!(4),
            json!(sha),
            json!("step_count"),
            json!("2024-10-27T00:00:00Z")
        ]]
    );
    let head = t.sql("SELECT value FROM meta WHERE key = 'ledger_head'");
    assert!(head[0][0].as_str().unwrap().starts_with("1:"));
    // The hash chain verifies with the documented encoding.
    let (created, subject, body, hash): (i64, String, String, Vec<u8>) = {
        let r = t.sql("SELECT created_ms, subject, body, hex(hash) FROM ledger");
        (
            r[0][0].as_i64().unwrap(),
            r[0][1].as_str().unwrap().into(),
            r[0][2].as_str().unwrap().into(),
            hex::decode(r[0][3].as_str().unwrap()).unwrap(),
        )
    };
    assert_eq!(
        trove::contribute::ledger::entry_hash(1, "export", created, &subject, &body, &[0; 32])
            .to_vec(),
        hash
    );
    // The contributions' chain check (trove audit --verify) accepts export entries.
    t.ok(&["audit", "--verify"]);
    let history = t.ok(&[
        "query",
        "--format",
        "csv",
        "SELECT records, format FROM export_history",
    ]);
    assert_eq!(history, "records,format\n4,csv\n");

    // Never over an existing file without --force; JSON lines to a pipe is fine.
    let out = t.run(&[
        "export",
        "--metric",
        "step_count",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("refusing to overwrite"));
    let out = t.ok(&["export", "--kind", "workout", "--track-points"]);
    let recs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 4);
    assert_eq!(recs[0]["record"], "event");
    assert_eq!(recs[0]["attrs"]["total_distance_m"], 5200.0);
    assert_eq!(
        recs[1],
        json!({"record": "track_point", "id": 1, "parent_id": recs[0]["id"], "start": "2024-03-30T06:00:00Z", "lat": 52.520008, "lon": 13.404954, "alt_m": 34.0, "speed_mps": 2.8})
    );
    assert_eq!(t.count("SELECT count(*) FROM ledger"), 2);

    let out = t.run(&["export"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nothing selected"));
    // Sensitive events stay in unless asked.
    let out = t.run(&["export", "--kind", "profile"]);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("1 sensitive event(s) left out"));
}

/// Runs trove on a pseudo-terminal (util-linux `script`, part of every Debian system) and
/// returns its exit code and what appeared on the terminal.
fn on_terminal(t: &TestEnv, args: &str) -> (i32, String) {
    let cmdline = format!(
        "TZ=Europe/Berlin TROVE_VAULT='{}' TROVE_IDENTITY='{}' '{}' {args}",
        t.vault().display(),
        t.identity_file().display(),
        bin().display()
    );
    let out = std::process::Command::new("script")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", t.path())
        .env("TERM", "dumb")
        .args(["-qec", &cmdline, "/dev/null"])
        .current_dir(t.path())
        .output()
        .expect("script (util-linux)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn plaintext_never_goes_to_a_terminal_unasked_and_charts_appear_there() {
    let t = explore_vault();
    let (rc, screen) = on_terminal(&t, "export --metric heart_rate");
    assert_eq!(rc, 2, "{screen}");
    assert!(
        screen.contains("refusing to write a plaintext export of vault data to a terminal"),
        "{screen}"
    );
    assert!(!screen.contains("heart_rate\",\"start"), "{screen}");
    assert_eq!(t.count("SELECT count(*) FROM ledger"), 0);
    let (rc, screen) = on_terminal(&t, "export --metric heart_rate -o -");
    assert_eq!(rc, 0, "{screen}");
    assert!(screen.contains("\"metric\":\"heart_rate\""), "{screen}");
    assert_eq!(t.count("SELECT count(*) FROM ledger"), 1);

    let (rc, screen) = on_terminal(&t, "stats step_count --since 2024-03-30 --until 2024-04-01");
    assert_eq!(rc, 0, "{screen}");
    assert!(screen.contains('█'), "{screen}");
}
