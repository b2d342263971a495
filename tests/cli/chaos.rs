//! Shared pieces of the reliability and security tests (`crash`, `concurrency`, `tamper`,
//! `leaks`, `disk_full`): a seeded random generator whose seed is printed so that a failure
//! can be replayed, a generator of Apple Health exports big enough that a kill lands in the
//! middle of writing, and snapshots of every table's row count.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::common::*;

/// A generator seeded from `TROVE_TEST_SEED`, or from the OS when it is unset. The seed goes
/// to the test's captured output (shown when it fails) and into every assertion message:
/// `TROVE_TEST_SEED=<seed> cargo test --test cli <name>` replays the same choices.
pub fn seeded(test: &str) -> (u64, StdRng) {
    let seed = match std::env::var("TROVE_TEST_SEED") {
        Ok(s) => s.trim().parse().expect("TROVE_TEST_SEED must be a u64"),
        Err(_) => {
            let mut b = [0u8; 8];
            getrandom::fill(&mut b).unwrap();
            u64::from_le_bytes(b)
        }
    };
    eprintln!("{test}: seed {seed} (replay with TROVE_TEST_SEED={seed})");
    (seed, StdRng::seed_from_u64(seed))
}

/// How many kills a crash test makes: `TROVE_TEST_KILLS`, else `default` (sized so that the
/// test stays under a minute in a debug build on two cores; CI or a soak run may raise it).
pub fn kills(default: usize) -> usize {
    std::env::var("TROVE_TEST_KILLS")
        .ok()
        .map(|v| v.trim().parse().expect("TROVE_TEST_KILLS must be a number"))
        .unwrap_or(default)
}

const WATCH: &str = "&lt;&lt;HKDevice: 0x283a4d1d0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;";
const PHONE: &str = "&lt;&lt;HKDevice: 0x2836f1e50&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone15,2, software:17.1&gt;";

fn apple_date(t: i64) -> String {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(1));
    jiff::Timestamp::from_second(t)
        .unwrap()
        .to_zoned_datetime(tz)
        .strftime("%Y-%m-%d %H:%M:%S %z")
        .to_string()
}

/// An Apple Health `export.xml` with `records` records from `start` (Unix seconds) on, one
/// every 20 s: heart rate from the watch (some with metadata), steps from the phone, active
/// energy, sleep stages, and a workout with statistics every 500 records. With a `canary`,
/// the string is the name of a third device, a metadata value and a workout's metadata:
/// data that must be stored (encrypted) and must never show up in plaintext anywhere.
pub fn apple_health_xml(records: usize, start: i64, canary: Option<&str>) -> String {
    let mut s = String::with_capacity(records * 260 + 1024);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n<HealthData locale=\"en_US\">\n <ExportDate value=\"2024-11-05 09:00:00 +0100\"/>\n");
    for i in 0..records {
        let t = start + 20 * i as i64;
        let k = i % 10;
        let (ty, unit, value, end, name, dev) = match k {
            0..=5 => (
                "HKQuantityTypeIdentifierHeartRate",
                "count/min",
                format!("{}", 55 + (i * 7919) % 90),
                t,
                "Jane’s Apple Watch",
                WATCH,
            ),
            6 | 7 => (
                "HKQuantityTypeIdentifierStepCount",
                "count",
                format!("{}", 10 + (i * 31) % 400),
                t + 15,
                "Jane’s iPhone",
                PHONE,
            ),
            8 => (
                "HKQuantityTypeIdentifierActiveEnergyBurned",
                "kcal",
                format!("{:.3}", (i % 97) as f64 * 0.137),
                t + 15,
                "Jane’s Apple Watch",
                WATCH,
            ),
            _ => (
                "HKCategoryTypeIdentifierSleepAnalysis",
                "",
                [
                    "HKCategoryValueSleepAnalysisAsleepCore",
                    "HKCategoryValueSleepAnalysisAsleepDeep",
                    "HKCategoryValueSleepAnalysisAsleepREM",
                ][i % 3]
                    .to_string(),
                t + 18,
                "Jane’s Apple Watch",
                WATCH,
            ),
        };
        let name = match canary {
            Some(c) if i % 50 == 1 => c,
            _ => name,
        };
        let unit_attr = if unit.is_empty() {
            String::new()
        } else {
            format!(" unit=\"{unit}\"")
        };
        let _ = write!(
            s,
            " <Record type=\"{ty}\" sourceName=\"{name}\" sourceVersion=\"10.1\" device=\"{dev}\"{unit_attr} creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\" value=\"{value}\"",
            apple_date(end + 5),
            apple_date(t),
            apple_date(end)
        );
        if k == 0 && i % 20 == 0 {
            let meta = match canary {
                Some(c) => c.to_string(),
                None => format!("{}", i % 3),
            };
            let _ = write!(
                s,
                ">\n  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"{meta}\"/>\n </Record>\n"
            );
        } else {
            s.push_str("/>\n");
        }
        if i % 500 == 499 {
            let ws = t - 3000;
            let note = canary.unwrap_or("none");
            let _ = write!(
                s,
                " <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"50\" durationUnit=\"min\" sourceName=\"Jane’s Apple Watch\" sourceVersion=\"10.1\" device=\"{WATCH}\" creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n  <MetadataEntry key=\"Note\" value=\"{note}\"/>\n  <WorkoutStatistics type=\"HKQuantityTypeIdentifierDistanceWalkingRunning\" startDate=\"{}\" endDate=\"{}\" sum=\"{:.3}\" unit=\"km\"/>\n </Workout>\n",
                apple_date(t + 10),
                apple_date(ws),
                apple_date(t),
                apple_date(ws),
                apple_date(t),
                5.0 + (i % 13) as f64 * 0.25,
            );
        }
    }
    s.push_str("</HealthData>\n");
    s
}

/// Writes `xml` as `apple_health_export/export.xml` in a zip, as the Health app does.
pub fn apple_health_zip(path: &Path, xml: &str) {
    let mut zw = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zw.start_file("apple_health_export/export.xml", opts)
        .unwrap();
    zw.write_all(xml.as_bytes()).unwrap();
    zw.finish().unwrap();
}

/// Row counts of every table and view of the vault (sqlite_schema order by name).
pub fn table_counts(t: &TestEnv) -> BTreeMap<String, i64> {
    let names: Vec<String> = t
        .sql(
            "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .into_iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    let query = names
        .iter()
        .map(|n| format!("(SELECT count(*) FROM \"{n}\")"))
        .collect::<Vec<_>>()
        .join(", ");
    // One statement: one snapshot.
    let row = &t.sql(&format!("SELECT {query}"))[0];
    names
        .into_iter()
        .zip(row.iter().map(|v| v.as_i64().unwrap()))
        .collect()
}

/// Replaces the test's vault with a copy of `from` (a vault directory).
pub fn restore_vault(t: &TestEnv, from: &Path) {
    let _ = std::fs::remove_dir_all(t.vault());
    copy_dir(from, &t.vault());
}

/// Every file under `dir`, recursively, with its bytes.
pub fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push((e.path(), std::fs::read(e.path()).unwrap_or_default()));
            }
        }
    }
    out
}
