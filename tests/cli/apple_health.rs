//! Apple Health import: exact rows, containers, idempotency, overlap, rejections, --strict,
//! --dry-run, and the real samples.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::*;

pub fn export_dir() -> PathBuf {
    fixture("apple_health/apple_health_export")
}

/// Zips a directory the way the Health app does (a top folder `apple_health_export/`).
pub fn zip_dir(dir: &Path, out: &Path, method: zip::CompressionMethod) {
    let file = fs::File::create(out).unwrap();
    let mut zw = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let rel = p.strip_prefix(dir.parent().unwrap()).unwrap();
        zw.start_file(rel.to_str().unwrap(), opts).unwrap();
        zw.write_all(&fs::read(&p).unwrap()).unwrap();
    }
    zw.finish().unwrap();
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64()
        .is_some_and(|a| (a - b).abs() < 1e-9 * b.abs().max(1.0))
}

/// All samples as (metric, start, end, offset, value, category, device name, hardware).
fn samples(t: &TestEnv) -> Vec<Vec<Value>> {
    t.sql(
        "SELECT s.metric, s.start_ms, s.end_ms, s.tz_offset_min, s.value, s.category, d.name, d.hardware
         FROM samples s LEFT JOIN devices d ON d.id = s.device_id
         ORDER BY s.metric, s.start_ms, d.name",
    )
}

const WATCH: &str = "Jane’s Apple Watch";
const PHONE: &str = "Jane’s iPhone";

#[test]
fn imports_an_export_folder_with_exact_rows() {
    let t = TestEnv::with_vault();
    let report = t.json(&["import", export_dir().to_str().unwrap()]);
    let files: Vec<(&str, &str, u64, u64, u64, u64)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["member"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["seen"].as_u64().unwrap(),
                f["added"].as_u64().unwrap(),
                f["duplicate"].as_u64().unwrap(),
                f["rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("export.xml", "imported", 39, 34, 2, 3),
            (
                "workout-routes/route_2024-03-10_9.30am.gpx",
                "imported",
                5,
                4,
                0,
                1
            ),
            (
                "electrocardiograms/ecg_2024-03-12.csv",
                "imported",
                1,
                1,
                0,
                0
            ),
        ]
    );
    assert_eq!(report["unrecognized"].as_array().unwrap().len(), 1);
    assert_eq!(report["files"][0]["min_ms"], 1_479_137_100_000i64);
    assert_eq!(
        report["files"][0]["per_kind"]["step_count"],
        json!({"seen": 3, "added": 3})
    );
    assert_eq!(
        report["files"][0]["per_kind"]["blood_pressure_systolic"],
        json!({"seen": 2, "added": 1})
    );

    let rows = samples(&t);
    assert_eq!(rows.len(), 26);
    let get =
        |metric: &str| -> Vec<&Vec<Value>> { rows.iter().filter(|r| r[0] == metric).collect() };

    // Heart rate across the DST change: the original offsets are kept.
    let hr = get("heart_rate");
    assert_eq!(hr.len(), 2);
    assert_eq!(
        hr[0][1..4],
        [json!(1_710_057_550_000i64), Value::Null, json!(-480)]
    );
    assert!(close(&hr[0][4], 58.5));
    assert_eq!(
        hr[1][1..4],
        [json!(1_710_083_098_000i64), Value::Null, json!(-420)]
    );
    assert!(close(&hr[1][4], 62.0));
    assert_eq!(hr[1][6..], [json!(WATCH), json!("Watch6,2")]);

    // Overlapping devices are both kept, never merged.
    let steps = get("step_count");
    assert_eq!(steps.len(), 3);
    assert_eq!(
        steps[0][1..3],
        [json!(1_710_086_400_000i64), json!(1_710_087_000_000i64)]
    );
    assert!(close(&steps[0][4], 820.0));
    assert_eq!(steps[0][6..], [json!(PHONE), json!("iPhone15,2")]);
    assert_eq!(
        steps[1][1..3],
        [json!(1_710_086_460_000i64), json!(1_710_086_940_000i64)]
    );
    assert!(close(&steps[1][4], 790.0));
    assert_eq!(steps[1][6], json!(WATCH));
    assert_eq!(steps[2][6], json!("Pedometer & Co\u{b}"));

    // Canonical units.
    assert!(close(&get("distance_walking_running")[0][4], 804.672)); // 0.5 mi
    assert!(close(&get("body_mass")[0][4], 68.038_855_5)); // 150 lb
    assert!(close(&get("body_temperature")[0][4], 37.0)); // 98.6 °F
    assert!(close(&get("body_mass_index")[0][4], 22.4)); // "count" in HealthKit
    assert!(close(&get("oxygen_saturation")[0][4], 97.0)); // 0.97 with unit %
    assert!(close(&get("physical_effort")[0][4], 3.2));
    assert!(close(&get("blood_pressure_systolic")[0][4], 118.0));
    assert!(close(&get("blood_pressure_diastolic")[0][4], 76.0));
    let unknown = get("apple.underwater_depth");
    assert_eq!(unknown.len(), 1);
    assert!(close(&unknown[0][4], 1.5));
    assert_eq!(
        t.sql("SELECT unit, kind FROM metrics WHERE name = 'apple.underwater_depth'"),
        [[json!("m"), json!("instant")]]
    );

    // Categories.
    let sleep = get("sleep_stage");
    assert_eq!(
        sleep
            .iter()
            .map(|r| (r[1].clone(), r[2].clone(), r[5].clone()))
            .collect::<Vec<_>>(),
        [
            (
                json!(1_710_056_700_000i64),
                json!(1_710_078_600_000i64),
                json!("in_bed")
            ),
            (
                json!(1_710_063_000_000i64),
                json!(1_710_066_600_000i64),
                json!("asleep_core")
            ),
        ]
    );
    assert_eq!(get("stand_hour")[0][5], json!("stood"));

    // Activity rings: day-level samples at 00:00 UTC of the date.
    let move_ring = get("activity_summary.move");
    assert_eq!(
        move_ring[0][1..4],
        [
            json!(1_710_028_800_000i64),
            json!(1_710_115_200_000i64),
            Value::Null
        ]
    );
    assert!(close(&move_ring[0][4], 512.5));
    assert!(close(&get("activity_summary.stand_goal")[0][4], 12.0));
    assert_eq!(
        t.sql("SELECT attrs FROM samples WHERE metric = 'activity_summary.move'"),
        [[json!("{\"day\":\"2024-03-10\"}")]]
    );

    // Metadata and HRV lists are kept in attrs.
    let attrs = t.sql("SELECT attrs FROM samples WHERE metric = 'heart_rate_variability_sdnn'");
    let a: Value = serde_json::from_str(attrs[0][0].as_str().unwrap()).unwrap();
    assert_eq!(
        a,
        json!({"instantaneous_bpm": [{"bpm": 61.0, "time": "7:00:01.12 AM"}, {"bpm": 63.0, "time": "7:00:02.05 AM"}]})
    );
    let attrs = t.sql("SELECT attrs FROM samples WHERE metric = 'body_mass'");
    let a: Value = serde_json::from_str(attrs[0][0].as_str().unwrap()).unwrap();
    assert_eq!(
        a["metadata"],
        json!({"HKWasUserEntered": "0", "Withings Link": "withings-bd2://timeline/measure?userid=12345&date=1710165600&type=1"})
    );

    // The device of every sample is known, with its parsed description.
    assert_eq!(
        t.sql("SELECT name, manufacturer, model, hardware, software, app_version FROM devices WHERE name = 'Jane’s Apple Watch' AND hardware IS NOT NULL"),
        [[json!(WATCH), json!("Apple Inc."), json!("Watch"), json!("Watch6,2"), json!("10.1"), json!("10.1")]]
    );
}

#[test]
fn workouts_routes_and_other_events() {
    let t = TestEnv::with_vault();
    t.ok(&["import", export_dir().to_str().unwrap()]);
    let events = t.sql("SELECT kind, title, start_ms, end_ms, tz_offset_min, sensitive FROM events ORDER BY kind, start_ms");
    assert_eq!(
        events,
        [
            vec![
                json!("health.audiogram"),
                Value::Null,
                json!(1_709_316_000_000i64),
                json!(1_709_316_300_000i64),
                json!(-480),
                json!(1)
            ],
            vec![
                json!("health.correlation"),
                json!("blood_pressure"),
                json!(1_710_167_400_000i64),
                Value::Null,
                json!(-420),
                json!(0)
            ],
            vec![
                json!("health.ecg"),
                json!("Sinus Rhythm"),
                json!(1_710_263_700_000i64),
                json!(1_710_263_700_008i64),
                json!(-420),
                json!(1)
            ],
            vec![
                json!("profile"),
                json!("Apple Health profile"),
                Value::Null,
                Value::Null,
                Value::Null,
                json!(1)
            ],
            vec![
                json!("route"),
                json!("Route 2024-03-10 9:30am"),
                json!(1_710_086_442_000i64),
                json!(1_710_086_443_000i64),
                Value::Null,
                json!(0)
            ],
            vec![
                json!("workout"),
                json!("walking"),
                json!(1_479_137_100_000i64),
                json!(1_479_137_400_000i64),
                json!(-480),
                json!(0)
            ],
            vec![
                json!("workout"),
                json!("running"),
                json!(1_710_086_400_000i64),
                json!(1_710_088_230_000i64),
                json!(-420),
                json!(0)
            ],
        ]
    );
    let run: Value = serde_json::from_str(
        t.sql("SELECT attrs FROM events WHERE title = 'running'")[0][0]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(run["duration_s"], json!(1830.0));
    assert_eq!(
        run["route_file"],
        json!("workout-routes/route_2024-03-10_9.30am.gpx")
    );
    assert_eq!(run["metadata"]["HKTimeZone"], json!("America/Los_Angeles"));
    assert_eq!(run["events"].as_array().unwrap().len(), 2);
    assert_eq!(
        run["statistics"][1],
        json!({"type": "HKQuantityTypeIdentifierHeartRate", "startDate": "2024-03-10 09:00:00 -0700", "endDate": "2024-03-10 09:30:30 -0700", "average": "151", "minimum": "98", "maximum": "172", "unit": "count/min"})
    );
    let walk: Value = serde_json::from_str(
        t.sql("SELECT attrs FROM events WHERE title = 'walking'")[0][0]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(walk["total_distance_m"], json!(402.336));
    assert_eq!(walk["total_energy_kcal"], json!(20.0));
    assert_eq!(walk["duration_s"], json!(300.0));

    // GPX points belong to the running workout itself, in time order; the route event hangs
    // off the workout.
    let points = t.sql(
        "SELECT e.title, p.seq, p.t_ms, p.lat, p.lon, p.alt_m, p.speed_mps, p.course_deg, p.h_acc_m
         FROM track_points p JOIN events e ON e.id = p.event_id ORDER BY e.start_ms, p.seq",
    );
    assert_eq!(points.len(), 6);
    assert_eq!(
        points[0][..5],
        [
            json!("walking"),
            json!(1_479_137_144_000i64 * 16),
            json!(1_479_137_144_000i64),
            json!(37.7777),
            json!(-122.426)
        ]
    );
    assert_eq!(points[0][7], Value::Null, "course -1 means unknown");
    assert_eq!(points[1][1], json!(1_479_137_144_000i64 * 16 + 1));
    assert_eq!(points[2][1], json!(1_479_137_145_000i64 * 16));
    assert_eq!(
        points[3][..5],
        [
            json!("running"),
            json!(1_710_086_442_000i64 * 16),
            json!(1_710_086_442_000i64),
            json!(37.781672),
            json!(-122.396397)
        ]
    );
    assert_eq!(
        points[3][5..],
        [
            json!(4.076904),
            json!(0.180883),
            json!(206.252884),
            json!(8.063116)
        ]
    );
    assert_eq!(points[4][1], json!(1_710_086_442_000i64 * 16 + 1));
    assert_eq!(points[5][2], json!(1_710_086_443_000i64));
    assert_eq!(
        t.sql("SELECT w.title FROM events r JOIN events w ON w.id = r.parent_id WHERE r.kind = 'route'"),
        [[json!("running")]]
    );

    // The profile is sensitive and readable; the ECG keeps the waveform, not the name.
    let profile: Value = serde_json::from_str(
        t.sql("SELECT attrs FROM events WHERE kind = 'profile'")[0][0]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        profile,
        json!({"date_of_birth": "1985-06-15", "biological_sex": "female", "blood_type": "a_positive", "fitzpatrick_skin_type": "not_set", "cardio_fitness_medications_use": "None"})
    );
    let ecg = t.sql("SELECT attrs FROM events WHERE kind = 'health.ecg'")[0][0]
        .as_str()
        .unwrap()
        .to_string();
    let a: Value = serde_json::from_str(&ecg).unwrap();
    assert_eq!(a["voltage_uv"], json!([-265.868, -262.5, -255.1, 12.0]));
    assert_eq!(a["sample_rate_hz"], json!(512.0));
    assert!(!ecg.contains("Jane Doe") && !ecg.contains("1985"), "{ecg}");
}

#[test]
fn rejections_are_stored_with_locators_and_shown_by_status() {
    let t = TestEnv::with_vault();
    let out = t.run(&["import", export_dir().to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out)
            .contains("4 record(s) were rejected; `trove status` lists them with where they were.")
    );
    let errors = t.sql("SELECT member, locator, message FROM import_errors ORDER BY id");
    assert_eq!(
        errors,
        [
            vec![
                json!("export.xml"),
                json!("byte 12211 (Record HKQuantityTypeIdentifierHeartRate)"),
                json!("missing or unreadable startDate/endDate")
            ],
            vec![
                json!("export.xml"),
                json!("byte 12463 (Record HKQuantityTypeIdentifierHeartRate)"),
                json!("quantity value is not a number")
            ],
            vec![
                json!("export.xml"),
                json!("byte 13003"),
                json!("Record: attribute sourceName: at 1..7: unrecognized entity `entity`")
            ],
            vec![
                json!("workout-routes/route_2024-03-10_9.30am.gpx"),
                json!("byte 1082 (trkpt 3)"),
                json!("track point without a readable <time>")
            ],
        ]
    );
    let st = t.json(&["status"]);
    assert_eq!(st["recent_import_errors"].as_array().unwrap().len(), 4);
    assert_eq!(
        st["recent_import_errors"][0]["locator"],
        "byte 1082 (trkpt 3)"
    );
    let text = t.ok(&["status"]);
    assert!(
        text.contains("import errors (4 in all, latest 4)"),
        "{text}"
    );
}

#[test]
fn zip_folder_and_single_file_give_the_same_rows() {
    let dump = |t: &TestEnv| {
        (
            samples(t),
            t.sql(
                "SELECT kind, title, start_ms, end_ms, attrs FROM events ORDER BY kind, start_ms",
            ),
            t.sql("SELECT seq, t_ms, lat, lon FROM track_points ORDER BY seq"),
        )
    };
    let folder = TestEnv::with_vault();
    folder.ok(&["import", export_dir().to_str().unwrap()]);
    let zipped = TestEnv::with_vault();
    let zip = zipped.path().join("export.zip");
    zip_dir(&export_dir(), &zip, zip::CompressionMethod::Deflated);
    let report = zipped.json(&["import", zip.to_str().unwrap()]);
    assert_eq!(
        report["files"][0]["member"],
        "apple_health_export/export.xml"
    );
    assert_eq!(dump(&folder), dump(&zipped));

    // export.xml alone: the same samples, no route points from the GPX file.
    let single = TestEnv::with_vault();
    single.ok(&["import", export_dir().join("export.xml").to_str().unwrap()]);
    assert_eq!(samples(&single), samples(&folder));
    assert_eq!(single.count("SELECT count(*) FROM track_points"), 3);
}

#[test]
fn reimport_adds_nothing() {
    let t = TestEnv::with_vault();
    let zip = t.path().join("export.zip");
    zip_dir(&export_dir(), &zip, zip::CompressionMethod::Deflated);
    t.ok(&["import", zip.to_str().unwrap()]);
    let before = (
        t.count("SELECT count(*) FROM samples"),
        t.count("SELECT count(*) FROM events"),
        t.count("SELECT count(*) FROM track_points"),
    );
    assert_eq!(before, (26, 7, 6));

    // The same file: every member is skipped without being parsed.
    let again = t.json(&["import", zip.to_str().unwrap()]);
    let statuses: Vec<(&str, &str)> = again["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["status"].as_str().unwrap(), f["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("skipped", "already imported"); 3]);
    assert_eq!(again["totals"]["added"], 0);

    // The same content packed differently (stored, not deflated): parsed, recognized by its
    // content hash, nothing added.
    let stored = t.path().join("stored.zip");
    zip_dir(&export_dir(), &stored, zip::CompressionMethod::Stored);
    let third = t.json(&["import", stored.to_str().unwrap()]);
    assert_eq!(
        third["files"][0]["reason"],
        "already imported (same content)"
    );
    assert_eq!(third["totals"]["added"], 0);
    // The folder: plain files are found by content hash at once.
    let fourth = t.json(&["import", export_dir().to_str().unwrap()]);
    assert_eq!(fourth["files"][0]["reason"], "already imported");
    let after = (
        t.count("SELECT count(*) FROM samples"),
        t.count("SELECT count(*) FROM events"),
        t.count("SELECT count(*) FROM track_points"),
    );
    assert_eq!(after, before);
    assert_eq!(t.count("SELECT count(*) FROM source_files"), 3);
}

#[test]
fn an_overlapping_newer_export_adds_only_the_new_rows() {
    let t = TestEnv::with_vault();
    t.ok(&["import", export_dir().join("export.xml").to_str().unwrap()]);
    let original = fs::read_to_string(export_dir().join("export.xml")).unwrap();
    let newer = original
        .replace(
            "<ExportDate value=\"2024-11-05 09:00:00 -0800\"/>",
            "<ExportDate value=\"2024-12-01 09:00:00 -0800\"/>",
        )
        .replace(
            "</HealthData>",
            " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Jane’s Apple Watch\" sourceVersion=\"11.0\" unit=\"count/min\" creationDate=\"2024-11-30 10:00:00 -0800\" startDate=\"2024-11-30 10:00:00 -0800\" endDate=\"2024-11-30 10:00:00 -0800\" value=\"66\"/>\n \
             <Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"Jane’s iPhone\" sourceVersion=\"18.1\" unit=\"count\" creationDate=\"2024-11-30 10:00:00 -0800\" startDate=\"2024-11-30 09:00:00 -0800\" endDate=\"2024-11-30 10:00:00 -0800\" value=\"1234\"/>\n</HealthData>",
        );
    let dir = t.path().join("newer");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("export.xml"), newer).unwrap();
    let report = t.json(&["import", dir.join("export.xml").to_str().unwrap()]);
    assert_eq!(report["files"][0]["added"], 2);
    assert_eq!(report["files"][0]["duplicate"], 36);
    assert_eq!(report["files"][0]["rejected"], 3);
    assert_eq!(t.count("SELECT count(*) FROM samples"), 28);
    assert_eq!(t.count("SELECT count(*) FROM events"), 5);
}

#[test]
fn localized_export_names_are_recognized_by_content() {
    let t = TestEnv::with_vault();
    let dir = t.path().join("exportacion");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(export_dir().join("export.xml"), dir.join("exportar.xml")).unwrap();
    fs::copy(export_dir().join("export.xml"), dir.join("导出.xml")).unwrap();
    fs::write(
        dir.join("export_cda.xml"),
        "<?xml version=\"1.0\"?><ClinicalDocument/>",
    )
    .unwrap();
    let report = t.json(&["import", dir.to_str().unwrap()]);
    let members: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["member"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["exportar.xml", "导出.xml"]);
    assert_eq!(report["files"][1]["reason"], "already imported");
    assert_eq!(report["unrecognized"].as_array().unwrap().len(), 1);
    assert_eq!(t.count("SELECT count(*) FROM samples"), 26);
}

#[test]
fn strict_stops_at_the_first_rejection_and_keeps_nothing_of_the_file() {
    let t = TestEnv::with_vault();
    let out = t.run(&["import", "--strict", export_dir().to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: export.xml byte 12211 (Record HKQuantityTypeIdentifierHeartRate): missing or unreadable startDate/endDate (--strict stops at the first rejected record)\n"
    );
    assert_eq!(t.count("SELECT count(*) FROM samples"), 0);
    assert_eq!(t.count("SELECT count(*) FROM source_files"), 0);
    assert_eq!(t.sql("SELECT status FROM import_runs"), [[json!("failed")]]);
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let t = TestEnv::with_vault();
    let out = t.run(&[
        "--json",
        "import",
        "--dry-run",
        export_dir().to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["totals"]["added"], 39);
    for table in [
        "samples",
        "events",
        "track_points",
        "devices",
        "sources",
        "source_files",
        "import_runs",
        "import_errors",
    ] {
        assert_eq!(
            t.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    let text = t.run(&["import", "--dry-run", export_dir().to_str().unwrap()]);
    assert!(stdout(&text).contains("(apple-health): would import in "));
    assert!(stderr(&text).contains("Dry run: nothing was written to the vault."));
}

#[test]
fn unknown_input_says_what_was_looked_for() {
    let t = TestEnv::with_vault();
    let f = t.path().join("notes.txt");
    fs::write(&f, "hello").unwrap();
    let out = t.run(&["import", f.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "trove: error: no importer recognizes {}\n",
            f.display()
        )),
        "{err}"
    );
    assert!(err.contains("hint: looked for apple-health: **/*.xml containing \"<HealthData\"; **/workout-routes/*.gpx; **/electrocardiograms/*.csv\n"), "{err}");
    assert!(
        err.ends_with("hint: name the importer with --source ID (`trove sources` lists them)\n"),
        "{err}"
    );

    let out = t.run(&["import", "--source", "nope", f.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .starts_with("trove: error: unknown importer \"nope\"\nhint: known importers: ")
    );

    // --source with an oddly named file: recognized by content.
    let odd = t.path().join("health-backup.dat");
    fs::copy(export_dir().join("export.xml"), &odd).unwrap();
    let report = t.json(&["import", "--source", "apple-health", odd.to_str().unwrap()]);
    assert_eq!(report["files"][0]["added"], 34);
}

#[test]
fn sources_and_metrics_list_the_catalog() {
    let t = TestEnv::with_vault();
    let doc = t.json(&["sources"]);
    let ah = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "apple-health")
        .unwrap();
    assert_eq!(ah["version"], "1.0.0");
    assert!(
        ah["how_to_get"]
            .as_str()
            .unwrap()
            .contains("Export All Health Data")
    );
    // sources needs no vault and no passphrase.
    let bare = TestEnv::new();
    assert_eq!(code(&bare.run(&["sources"])), 0);

    t.ok(&["import", export_dir().to_str().unwrap()]);
    let m = t.json(&["metrics"]);
    let hr = m["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "heart_rate")
        .unwrap();
    assert_eq!(
        hr,
        &json!({"name": "heart_rate", "unit": "/min", "kind": "instant", "description": "heart rate", "builtin": true, "samples": 2})
    );
    let present = t.json(&["metrics", "--present"]);
    let names: Vec<&str> = present["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 22);
    assert!(names.contains(&"apple.underwater_depth"));
}

/// The real exports in ../shared/fixtures (TROVE_REAL_SAMPLES, set by .ci/run).
#[test]
fn real_samples_import_with_known_counts() {
    let Some(root) = real_sample("apple_health") else {
        eprintln!("TROVE_REAL_SAMPLES is not set: the real-sample test runs in .ci/run");
        return;
    };
    let t = TestEnv::with_vault();
    let cases: [(&str, u64, u64, u64, &str); 4] = [
        ("zip_contents/apple_health_export", 20, 20, 0, "imported"),
        ("opendroid_hk/sampleexport.xml", 143, 143, 0, "imported"),
        ("opendroid_hk/sampleexport-2.xml", 44, 42, 2, "imported"),
        // The same workout as zip_contents, plus its two inline route points (new).
        ("export_small.xml", 18, 2, 16, "imported"),
    ];
    for (rel, seen, added, duplicate, status) in cases {
        let report = t.json(&["import", root.join(rel).to_str().unwrap()]);
        let totals = &report["totals"];
        assert_eq!(
            (
                totals["seen"].as_u64().unwrap(),
                totals["added"].as_u64().unwrap(),
                totals["duplicate"].as_u64().unwrap()
            ),
            (seen, added, duplicate),
            "{rel}"
        );
        assert_eq!(report["files"][0]["status"], status, "{rel}");
    }
    // audio_exposure.head20k.xml is cut at 20,000 bytes: what precedes the cut is kept, the
    // file is reported partial, and the command exits 1.
    let out = t.run(&[
        "--json",
        "import",
        root.join("opendroid_hk/audio_exposure.head20k.xml")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["status"], "partial");
    assert_eq!(report["files"][0]["added"], 49);
    assert_eq!(
        report["files"][0]["reason"],
        "byte 19846: malformed XML: syntax error: attribute value not closed: `\"` not found before end of input"
    );
    assert!(stderr(&out).contains(
        "trove: error: the import is incomplete: 1 file(s) partly read, 0 file(s) failed"
    ));
}

fn route_gpx(day: u32) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Apple Health Export" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><trkseg>
    <trkpt lon="13.400000" lat="52.520000"><ele>34.0</ele><time>2024-03-{day:02}T07:00:00Z</time></trkpt>
    <trkpt lon="13.401000" lat="52.521000"><ele>35.0</ele><time>2024-03-{day:02}T07:00:10Z</time></trkpt>
  </trkseg></trk>
</gpx>
"#
    )
}

/// An export with hundreds of route files prints one summary block for them (with summed
/// figures) instead of hundreds of blocks; a file that went wrong still gets its own block,
/// and `--json` keeps every file.
#[test]
fn many_route_files_are_summarized_in_the_human_report() {
    let t = TestEnv::with_vault();
    let routes = t.tmp().join("apple_health_export/workout-routes");
    fs::create_dir_all(&routes).unwrap();
    for day in 1..=6 {
        fs::write(routes.join(format!("route_{day}.gpx")), route_gpx(day)).unwrap();
    }
    fs::write(routes.join("route_9.gpx"), "<gpx><trk><trkseg><trkpt lat=").unwrap();
    let dir = t.tmp().join("apple_health_export");
    let normalize = |s: String| {
        let s = s.replace(&path_str(&dir), "DIR");
        regex::Regex::new(r"in \d+\.\d s")
            .unwrap()
            .replace_all(&s, "in T s")
            .into_owned()
    };

    let out = t.run(&["import", &path_str(&dir)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(
        normalize(stdout(&out)),
        "DIR › workout-routes/ (apple-health): 6 files imported in T s\n\
         \x20 records   18 seen · 18 added · 0 duplicate · 0 rejected\n\
         \x20 time      2024-03-01T07:00:00Z .. 2024-03-06T07:00:10Z\n\
         \x20 read      2.2 KiB\n\
         \x20 event:route                                   6 seen          6 added\n\
         \x20 track_points                                 12 seen         12 added\n\
         DIR › workout-routes/route_9.gpx (apple-health): failed in T s — byte 18: malformed XML: syntax error: tag not closed: `>` not found before end of input\n\
         7 file(s): 6 imported, 0 skipped, 0 partial, 1 failed; 18 records seen, 18 added, 0 duplicate, 0 rejected in T s\n"
    );
    // Again with --json: every file is listed (the six skipped, the broken one failed again).
    let out = t.run(&["--json", "import", &path_str(&dir)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<_> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["member"].as_str().unwrap(),
                f["status"].as_str().unwrap()
            )
        })
        .collect();
    let mut expected: Vec<_> = (1..=6)
        .map(|d| format!("workout-routes/route_{d}.gpx skipped"))
        .collect();
    expected.push("workout-routes/route_9.gpx failed".into());
    assert_eq!(statuses, expected);
}

/// A route file's points are written as they are read, in many batches, and the route event
/// gets its span and point count at the end of the file. A point without a time is rejected
/// (and still counted in `points`). A later export with a longer copy of the route file adds
/// its new points, and the route's span grows to cover them.
#[test]
fn a_long_route_file_streams_and_its_route_gets_its_span_at_the_end() {
    let t = TestEnv::with_vault();
    let routes = t.tmp().join("a/apple_health_export/workout-routes");
    fs::create_dir_all(&routes).unwrap();
    let gpx = |n: i64| {
        let mut s = String::from(
            "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><trk><name>Long ride</name><trkseg>\n",
        );
        for i in 0..n {
            let t = jiff::Timestamp::from_second(1_710_000_000 + i).unwrap();
            s += &format!(
                "<trkpt lat=\"52.{i:06}\" lon=\"13.4\"><ele>{}</ele><time>{t}</time></trkpt>\n",
                i % 100
            );
        }
        s + "<trkpt lat=\"52.5\" lon=\"13.4\"><ele>1</ele></trkpt>\n</trkseg></trk></gpx>\n"
    };
    fs::write(routes.join("route_long.gpx"), gpx(20_000)).unwrap();
    let out = t.ok(&["--json", "import", &path_str(&t.tmp().join("a"))]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let file = &report["files"][0];
    assert_eq!(
        (&file["seen"], &file["added"], &file["rejected"]),
        (&json!(20_002), &json!(20_001), &json!(1)),
        "{file}"
    );
    let route = t.sql("SELECT title, start_ms, end_ms, attrs FROM events WHERE kind = 'route'");
    assert_eq!(
        route,
        [[
            json!("Long ride"),
            json!(1_710_000_000_000i64),
            json!(1_710_019_999_000i64),
            json!(r#"{"route_file":"workout-routes/route_long.gpx","points":20001}"#)
        ]]
    );
    assert_eq!(
        t.sql(
            "SELECT count(*), min(p.lat), max(p.lat) FROM track_points p
             JOIN events e ON e.id = p.event_id WHERE e.kind = 'route'"
        ),
        [[json!(20_000), json!(52.0), json!(52.019999)]]
    );

    // A newer export with a longer copy of the file: ten new points, the route grown.
    let routes = t.tmp().join("b/apple_health_export/workout-routes");
    fs::create_dir_all(&routes).unwrap();
    fs::write(routes.join("route_long.gpx"), gpx(20_010)).unwrap();
    t.ok(&["import", &path_str(&t.tmp().join("b"))]);
    assert_eq!(
        t.sql("SELECT start_ms, end_ms, attrs FROM events WHERE kind = 'route'"),
        [[
            json!(1_710_000_000_000i64),
            json!(1_710_020_009_000i64),
            json!(r#"{"route_file":"workout-routes/route_long.gpx","points":20011}"#)
        ]]
    );
    assert_eq!(
        t.sql("SELECT count(*) FROM track_points"),
        [[json!(20_010)]]
    );
}

/// A route file that breaks off keeps the points before the break, and its route their span
/// (the file is partial, exit 1); the complete file, imported later, completes the route.
#[test]
fn a_broken_route_file_keeps_its_points_and_the_complete_one_completes_the_route() {
    let t = TestEnv::with_vault();
    let complete = route_gpx(5);
    let cut = complete.find("<trkpt lon=\"13.401000\"").unwrap() + 20;
    let dir = |name: &str| {
        t.tmp()
            .join(name)
            .join("apple_health_export/workout-routes")
    };
    fs::create_dir_all(dir("a")).unwrap();
    fs::write(dir("a").join("route_5.gpx"), &complete[..cut]).unwrap();
    let out = t.run(&["import", &path_str(&t.tmp().join("a"))]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let route = "SELECT start_ms, end_ms, attrs FROM events WHERE kind = 'route'";
    assert_eq!(
        t.sql(route),
        [[
            json!(1_709_622_000_000i64),
            json!(1_709_622_000_000i64),
            json!(r#"{"route_file":"workout-routes/route_5.gpx","points":1}"#)
        ]]
    );
    assert_eq!(t.sql("SELECT count(*) FROM track_points"), [[json!(1)]]);

    fs::create_dir_all(dir("b")).unwrap();
    fs::write(dir("b").join("route_5.gpx"), &complete).unwrap();
    t.ok(&["import", &path_str(&t.tmp().join("b"))]);
    assert_eq!(
        t.sql(route),
        [[
            json!(1_709_622_000_000i64),
            json!(1_709_622_010_000i64),
            json!(r#"{"route_file":"workout-routes/route_5.gpx","points":2}"#)
        ]]
    );
    assert_eq!(t.sql("SELECT count(*) FROM track_points"), [[json!(2)]]);
}
