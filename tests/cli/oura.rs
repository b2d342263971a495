//! The Oura importer: the membership-hub export (`App Data/*.csv`) and API JSON saved to files,
//! through one mapping. Exact normalized rows, re-import, revised days, rejections with their
//! locators. Fixtures: tests/fixtures/oura/README.md.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::*;

const D10: i64 = 1_710_028_800_000; // 2024-03-10T00:00:00Z
const D11: i64 = D10 + DAY;
const D12: i64 = D11 + DAY;
const DAY: i64 = 86_400_000;
const MIN: i64 = 60_000;
/// Night 1: 2024-03-09T23:00:00+01:00.
const N1: i64 = 1_710_021_600_000;
/// The nap: 2024-03-10T14:00:00+01:00.
const NAP: i64 = 1_710_075_600_000;
/// Night 2: 2024-03-10T23:15:00+01:00.
const N2: i64 = 1_710_108_900_000;
/// Night 3: 2024-03-11T23:30:00+01:00.
const N3: i64 = 1_710_196_200_000;
/// The activity day 2024-03-10 starts at 04:00+01:00.
const ACT10: i64 = 1_710_039_600_000;

/// Zips a fixture export folder the way the membership hub delivers it (`App Data/…`).
pub fn hub_zip(t: &TestEnv, name: &str) -> PathBuf {
    let dir = fixture(&format!("oura/{name}"));
    let dest = t.path().join(format!("oura-{name}.zip"));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&dest).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("App Data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let member = format!("App Data/{}", f.file_name().unwrap().to_str().unwrap());
        zip.start_file(member, opts).unwrap();
        zip.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    dest
}

fn import(t: &TestEnv, path: &Path) -> Value {
    t.json(&["import", path.to_str().unwrap()])
}

/// Samples of `metric`: start, end, offset, value, category, device, attrs.
fn samples(t: &TestEnv, metric: &str) -> Vec<Vec<Value>> {
    t.sql(&format!(
        "SELECT s.start_ms, s.end_ms, s.tz_offset_min, s.value, s.category, d.name, s.attrs
         FROM samples s LEFT JOIN devices d ON d.id = s.device_id
         WHERE s.metric = '{metric}' ORDER BY s.start_ms, s.value, s.category"
    ))
}

fn day_row(day_ms: i64, value: f64, day: &str) -> Vec<Value> {
    vec![
        json!(day_ms),
        json!(day_ms + DAY),
        Value::Null,
        json!(value),
        Value::Null,
        json!("Oura Ring"),
        json!(format!("{{\"day\":\"{day}\"}}")),
    ]
}

fn interval(start: i64, end: i64, tz: i64, value: f64) -> Vec<Value> {
    vec![
        json!(start),
        json!(end),
        json!(tz),
        json!(value),
        Value::Null,
        json!("Oura Ring"),
        Value::Null,
    ]
}

fn stage(start: i64, end: i64, category: &str) -> Vec<Value> {
    vec![
        json!(start),
        json!(end),
        json!(60),
        Value::Null,
        json!(category),
        json!("Oura Ring"),
        Value::Null,
    ]
}

#[test]
fn sources_lists_oura_with_how_to_get_the_export_and_the_token() {
    let t = TestEnv::new();
    let doc = t.json(&["sources"]);
    let oura = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "oura")
        .expect("oura is listed");
    let how = oura["how_to_get"].as_str().unwrap();
    assert!(how.contains("membership hub"), "{how}");
    assert!(how.contains("Export data"), "{how}");
    assert!(
        how.contains("cloud.ouraring.com/personal-access-tokens"),
        "{how}"
    );
    assert!(how.contains("trove sync oura"), "{how}");
    let human = t.ok(&["sources"]);
    assert!(human.contains("oura (Oura 1.0.0)"), "{human}");
}

#[test]
fn the_hub_export_becomes_exact_rows() {
    let t = TestEnv::with_vault();
    let zip = hub_zip(&t, "hub-2024-03-11");
    let report = import(&t, &zip);
    let totals = &report["totals"];
    assert_eq!(totals["files"], 12, "{report:#}");
    assert_eq!(totals["imported"], 12);
    assert_eq!(totals["added"], 103, "98 samples and 5 events: {report:#}");
    assert_eq!(totals["duplicate"], 0);
    assert_eq!(totals["rejected"], 7);
    // enhancedtag.csv is not read (yet): listed, left alone.
    assert_eq!(report["unrecognized"].as_array().unwrap().len(), 1);
    assert!(
        report["unrecognized"][0]
            .as_str()
            .unwrap()
            .ends_with("App Data/enhancedtag.csv")
    );

    // Every metric, counted.
    let counts = t.sql("SELECT metric, count(*) FROM samples GROUP BY metric ORDER BY metric");
    let expected: Vec<(&str, i64)> = vec![
        ("active_energy_burned", 2),
        ("activity_score", 2),
        ("battery_level", 1),
        ("cardiovascular_age", 1),
        ("heart_rate", 8),
        ("heart_rate_variability_rmssd", 3),
        ("oura.activity.meet_daily_targets", 1),
        ("oura.activity.move_every_hour", 1),
        ("oura.activity.recovery_time", 1),
        ("oura.activity.stay_active", 2),
        ("oura.activity.training_frequency", 1),
        ("oura.activity.training_volume", 1),
        ("oura.activity_class", 6),
        ("oura.breathing_disturbance_index", 1),
        ("oura.equivalent_walking_distance", 2),
        ("oura.high_activity_time", 1),
        ("oura.low_activity_time", 1),
        ("oura.medium_activity_time", 1),
        ("oura.non_wear_time", 1),
        ("oura.readiness.activity_balance", 1),
        ("oura.readiness.body_temperature", 1),
        ("oura.readiness.hrv_balance", 1),
        ("oura.readiness.previous_night", 1),
        ("oura.readiness.recovery_index", 1),
        ("oura.readiness.resting_heart_rate", 1),
        ("oura.readiness.sleep_balance", 1),
        ("oura.readiness.sleep_regularity", 1),
        ("oura.resilience.daytime_recovery", 1),
        ("oura.resilience.sleep_recovery", 1),
        ("oura.resilience.stress", 1),
        ("oura.resting_time", 1),
        ("oura.sedentary_time", 1),
        ("oura.sleep.deep_sleep", 2),
        ("oura.sleep.efficiency", 2),
        ("oura.sleep.latency", 2),
        ("oura.sleep.rem_sleep", 2),
        ("oura.sleep.restfulness", 2),
        ("oura.sleep.timing", 2),
        ("oura.sleep.total_sleep", 2),
        ("oxygen_saturation", 1),
        ("physical_effort", 3),
        ("pulse_wave_velocity", 1),
        ("readiness_score", 2),
        ("recovery_high_time", 1),
        ("resilience_level", 1),
        ("respiratory_rate", 2),
        ("skin_temperature", 1),
        ("sleep_score", 2),
        ("sleep_stage", 12),
        ("step_count", 2),
        ("stress_day_summary", 1),
        ("stress_high_time", 1),
        ("temperature_deviation", 2),
        ("temperature_trend_deviation", 1),
        ("total_energy_burned", 1),
    ];
    let expected: Vec<Vec<Value>> = expected
        .into_iter()
        .map(|(m, n)| vec![json!(m), json!(n)])
        .collect();
    assert_eq!(counts, expected);
    assert_eq!(t.count("SELECT count(*) FROM samples"), 98);

    // One device, on every row, and the source is oura.
    assert_eq!(
        t.sql("SELECT d.name, d.manufacturer, s.importer FROM devices d JOIN sources s ON s.id = d.source_id"),
        vec![vec![json!("Oura Ring"), json!("Oura"), json!("oura")]]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE device_id IS NULL"),
        0
    );
    assert_eq!(
        t.count("SELECT count(*) FROM events WHERE device_id IS NULL"),
        0
    );

    // Daily values: 00:00 UTC of the day to the next midnight, the day in attrs, no offset.
    assert_eq!(
        samples(&t, "sleep_score"),
        vec![
            day_row(D10, 63.0, "2024-03-10"),
            day_row(D11, 82.0, "2024-03-11")
        ]
    );
    assert_eq!(
        samples(&t, "oura.sleep.deep_sleep"),
        vec![
            day_row(D10, 57.0, "2024-03-10"),
            day_row(D11, 70.0, "2024-03-11")
        ]
    );
    assert_eq!(
        samples(&t, "readiness_score"),
        vec![
            day_row(D10, 66.0, "2024-03-10"),
            day_row(D11, 79.0, "2024-03-11")
        ]
    );
    assert_eq!(
        samples(&t, "temperature_deviation"),
        vec![
            day_row(D10, -0.2, "2024-03-10"),
            day_row(D11, 0.35, "2024-03-11")
        ]
    );
    assert_eq!(
        samples(&t, "temperature_trend_deviation"),
        vec![day_row(D10, 0.1, "2024-03-10")]
    );
    assert_eq!(
        samples(&t, "oxygen_saturation"),
        vec![day_row(D10, 96.75, "2024-03-10")]
    );
    // Seconds become the catalog's minutes.
    assert_eq!(
        samples(&t, "stress_high_time"),
        vec![day_row(D10, 30.0, "2024-03-10")]
    );
    assert_eq!(
        samples(&t, "recovery_high_time"),
        vec![day_row(D10, 90.0, "2024-03-10")]
    );
    assert_eq!(
        t.sql("SELECT metric, start_ms, category FROM samples WHERE category IS NOT NULL AND metric IN ('stress_day_summary', 'resilience_level') ORDER BY metric"),
        vec![
            vec![json!("resilience_level"), json!(D10), json!("solid")],
            vec![json!("stress_day_summary"), json!(D10), json!("restored")],
        ]
    );
    assert_eq!(
        samples(&t, "oura.resilience.stress"),
        vec![day_row(D10, 40.1, "2024-03-10")]
    );
    assert_eq!(
        samples(&t, "cardiovascular_age"),
        vec![day_row(D10, 32.0, "2024-03-10")]
    );
    assert_eq!(
        samples(&t, "pulse_wave_velocity"),
        vec![day_row(D10, 7.2, "2024-03-10")]
    );
    assert_eq!(
        t.sql("SELECT name, unit, kind FROM metrics WHERE name IN ('oura.high_activity_time', 'oura.sleep.deep_sleep', 'oura.activity_class', 'oura.equivalent_walking_distance') ORDER BY name"),
        vec![
            vec![json!("oura.activity_class"), json!("category"), json!("categorical")],
            vec![json!("oura.equivalent_walking_distance"), json!("m"), json!("instant")],
            vec![json!("oura.high_activity_time"), json!("s"), json!("instant")],
            vec![json!("oura.sleep.deep_sleep"), json!("score"), json!("instant")],
        ]
    );

    // The activity day: totals, the score with the day's details, METs per minute, classes.
    assert_eq!(
        samples(&t, "step_count"),
        vec![
            day_row(D10, 9876.0, "2024-03-10"),
            day_row(D11, 3000.0, "2024-03-11")
        ]
    );
    assert_eq!(
        samples(&t, "total_energy_burned"),
        vec![day_row(D10, 2345.0, "2024-03-10")]
    );
    assert_eq!(
        samples(&t, "oura.high_activity_time"),
        vec![day_row(D10, 600.0, "2024-03-10")]
    );
    let score = samples(&t, "activity_score");
    assert_eq!(score[0][3], json!(82.0));
    assert_eq!(
        serde_json::from_str::<Value>(score[0][6].as_str().unwrap()).unwrap(),
        json!({"day": "2024-03-10", "average_met_minutes": 1.5, "high_activity_met_minutes": 44,
               "medium_activity_met_minutes": 91, "low_activity_met_minutes": 117,
               "sedentary_met_minutes": 10, "inactivity_alerts": 1, "target_calories": 350,
               "target_meters": 7000, "meters_to_target": -1123})
    );
    assert_eq!(
        samples(&t, "physical_effort"),
        vec![
            interval(ACT10, ACT10 + MIN, 60, 0.9),
            interval(ACT10 + MIN, ACT10 + 2 * MIN, 60, 1.1),
            interval(ACT10 + 3 * MIN, ACT10 + 4 * MIN, 60, 3.5),
        ]
    );
    let classes = t.sql(
        "SELECT start_ms, end_ms, category FROM samples WHERE metric = 'oura.activity_class' ORDER BY start_ms",
    );
    let five = 5 * MIN;
    assert_eq!(
        classes,
        vec![
            vec![json!(ACT10), json!(ACT10 + 2 * five), json!("non_wear")],
            vec![
                json!(ACT10 + 2 * five),
                json!(ACT10 + 4 * five),
                json!("rest")
            ],
            vec![
                json!(ACT10 + 4 * five),
                json!(ACT10 + 6 * five),
                json!("inactive")
            ],
            vec![
                json!(ACT10 + 6 * five),
                json!(ACT10 + 8 * five),
                json!("low")
            ],
            vec![
                json!(ACT10 + 8 * five),
                json!(ACT10 + 9 * five),
                json!("medium")
            ],
            vec![
                json!(ACT10 + 9 * five),
                json!(ACT10 + 10 * five),
                json!("high")
            ],
        ]
    );

    // Sleep periods: events keyed by their start (the nap has no id), the deleted one skipped.
    let events = t.sql(
        "SELECT kind, start_ms, end_ms, tz_offset_min, title, original_id, natural_key, attrs
         FROM events WHERE kind = 'sleep' ORDER BY start_ms",
    );
    assert_eq!(events.len(), 3);
    assert_eq!(
        events[0][..7],
        [
            json!("sleep"),
            json!(N1),
            json!(N1 + 60 * MIN),
            json!(60),
            json!("long_sleep"),
            json!("sl-0310"),
            json!(format!("sleep:{N1}")),
        ]
    );
    assert_eq!(
        serde_json::from_str::<Value>(events[0][7].as_str().unwrap()).unwrap(),
        json!({"type": "long_sleep", "day": "2024-03-10", "period": 0, "time_in_bed_s": 3600,
               "total_sleep_s": 2400, "deep_sleep_s": 600, "light_sleep_s": 1200,
               "rem_sleep_s": 600, "awake_s": 1200, "latency_s": 600, "efficiency": 67,
               "restless_periods": 12, "average_heart_rate_bpm": 55.25,
               "lowest_heart_rate_bpm": 52, "average_hrv_ms": 45,
               "average_breath_per_min": 14.5, "readiness_score_delta": 0,
               "sleep_score_delta": 0, "low_battery_alert": false,
               "readiness": {"contributors": {"activity_balance": 56, "hrv_balance": 75},
                             "score": 66, "temperature_deviation": -0.2,
                             "temperature_trend_deviation": 0.1},
               "movement_30_sec": "11121113"})
    );
    assert_eq!(
        events[1][..7],
        [
            json!("sleep"),
            json!(NAP),
            json!(NAP + 30 * MIN),
            json!(60),
            json!("late_nap"),
            Value::Null,
            json!(format!("sleep:{NAP}")),
        ]
    );
    assert_eq!(events[2][1], json!(N2));

    // Night 1's hypnogram (Apple's category names), in_bed over the whole period, all linked.
    let night1: i64 = t.count(&format!(
        "SELECT id FROM events WHERE natural_key = 'sleep:{N1}'"
    ));
    let five = 5 * MIN;
    assert_eq!(
        t.sql(&format!(
            "SELECT s.start_ms, s.end_ms, s.tz_offset_min, s.value, s.category, d.name, s.attrs
             FROM samples s JOIN devices d ON d.id = s.device_id
             WHERE s.metric = 'sleep_stage' AND s.event_id = {night1}
             ORDER BY s.start_ms, s.end_ms DESC"
        )),
        vec![
            stage(N1, N1 + 12 * five, "in_bed"),
            stage(N1, N1 + 2 * five, "awake"),
            stage(N1 + 2 * five, N1 + 4 * five, "asleep_core"),
            stage(N1 + 4 * five, N1 + 6 * five, "asleep_deep"),
            stage(N1 + 6 * five, N1 + 8 * five, "asleep_rem"),
            stage(N1 + 8 * five, N1 + 10 * five, "asleep_core"),
            stage(N1 + 10 * five, N1 + 12 * five, "awake"),
        ]
    );
    // Its heart rate and HRV series: 5-minute intervals, nulls skipped, linked to the night.
    assert_eq!(
        t.sql(&format!(
            "SELECT s.start_ms, s.end_ms, s.tz_offset_min, s.value, s.category, d.name, s.attrs
             FROM samples s JOIN devices d ON d.id = s.device_id
             WHERE s.metric = 'heart_rate' AND s.event_id = {night1} ORDER BY s.start_ms"
        )),
        vec![
            interval(N1 + five, N1 + 2 * five, 60, 58.0),
            interval(N1 + 2 * five, N1 + 3 * five, 60, 55.0),
            interval(N1 + 4 * five, N1 + 5 * five, 60, 52.0),
        ]
    );
    assert_eq!(
        t.sql(&format!(
            "SELECT start_ms, value FROM samples
             WHERE metric = 'heart_rate_variability_rmssd' AND event_id = {night1} ORDER BY start_ms"
        )),
        vec![
            vec![json!(N1 + five), json!(41.0)],
            vec![json!(N1 + 2 * five), json!(45.0)],
            vec![json!(N1 + 3 * five), json!(50.0)],
        ]
    );
    assert_eq!(
        t.sql(&format!(
            "SELECT start_ms, end_ms, value FROM samples WHERE metric = 'respiratory_rate' AND event_id = {night1}"
        )),
        vec![vec![json!(N1), json!(N1 + 60 * MIN), json!(14.5)]]
    );
    // Night 2: its bad hypnogram was rejected, the night and its valid heart rates kept.
    let night2 = t.count(&format!(
        "SELECT id FROM events WHERE natural_key = 'sleep:{N2}'"
    ));
    assert_eq!(
        t.sql(&format!(
            "SELECT metric, start_ms, value, category FROM samples WHERE event_id = {night2} ORDER BY metric, start_ms"
        )),
        vec![
            vec![json!("heart_rate"), json!(N2), json!(60.0), Value::Null],
            vec![json!("heart_rate"), json!(N2 + 2 * five), json!(57.0), Value::Null],
            vec![json!("respiratory_rate"), json!(N2), json!(15.0), Value::Null],
            vec![json!("sleep_stage"), json!(N2), Value::Null, json!("in_bed")],
        ]
    );

    // Heart-rate rows: UTC instants with their source.
    assert_eq!(
        t.sql(
            "SELECT start_ms, end_ms, tz_offset_min, value, attrs FROM samples
             WHERE metric = 'heart_rate' AND event_id IS NULL ORDER BY start_ms"
        ),
        vec![
            vec![
                json!(1_710_050_400_000i64),
                Value::Null,
                json!(0),
                json!(61.0),
                json!("{\"source\":\"awake\"}")
            ],
            vec![
                json!(1_710_050_700_000i64),
                Value::Null,
                json!(0),
                json!(64.0),
                json!("{\"source\":\"rest\"}")
            ],
            vec![
                json!(1_710_091_800_000i64),
                Value::Null,
                json!(0),
                json!(128.0),
                json!("{\"source\":\"workout\"}")
            ],
        ]
    );
    assert_eq!(
        t.sql(
            "SELECT start_ms, tz_offset_min, value FROM samples WHERE metric = 'skin_temperature'"
        ),
        vec![vec![json!(D10), json!(60), json!(34.61)]]
    );
    assert_eq!(
        t.sql("SELECT start_ms, value, attrs FROM samples WHERE metric = 'battery_level'"),
        vec![vec![
            json!(1_710_072_000_000i64),
            json!(87.0),
            json!("{\"charging\":false,\"in_charger\":true}")
        ]]
    );

    // Workouts, with Apple's attribute names; the walk keeps its own (travel) offset.
    let workouts = t.sql(
        "SELECT start_ms, end_ms, tz_offset_min, title, original_id, natural_key, attrs
         FROM events WHERE kind = 'workout' ORDER BY start_ms",
    );
    assert_eq!(workouts.len(), 2);
    assert_eq!(
        workouts[0][..6],
        [
            json!(1_710_090_000_000i64),
            json!(1_710_092_700_000i64),
            json!(60),
            json!("cycling"),
            json!("wo-0310"),
            json!("workout:1710090000000"),
        ]
    );
    assert_eq!(
        serde_json::from_str::<Value>(workouts[0][6].as_str().unwrap()).unwrap(),
        json!({"activity_type": "cycling", "duration_s": 2700.0, "total_distance_m": 13500.5,
               "total_energy_kcal": 300.5, "intensity": "moderate", "source": "manual",
               "day": "2024-03-10"})
    );
    assert_eq!(
        workouts[1][..6],
        [
            json!(1_710_162_000_000i64),
            json!(1_710_163_800_000i64),
            json!(-300),
            json!("walking"),
            Value::Null,
            json!("workout:1710162000000"),
        ]
    );
    assert_eq!(
        serde_json::from_str::<Value>(workouts[1][6].as_str().unwrap()).unwrap()["label"],
        json!("Morning walk")
    );

    // Malformed rows are counted rejections with their file and line.
    assert_eq!(
        t.sql("SELECT member, locator, message FROM import_errors ORDER BY member, id"),
        vec![
            vec![
                json!("App Data/SleepModel.csv"),
                json!("line 5"),
                json!("bedtime_start: \"yesterday night\" is not an ISO 8601 time")
            ],
            vec![
                json!("App Data/SleepModel.csv"),
                json!("line 6"),
                json!("sleep_phase_5_min: unexpected 'x' at position 4 (known: 1234)")
            ],
            vec![
                json!("App Data/SleepModel.csv"),
                json!("line 6"),
                json!("heart_rate.items[1]: 0 is not a valid heart_rate")
            ],
            vec![
                json!("App Data/dailyactivity.csv"),
                json!("line 3"),
                json!("total_calories: \"n/a\" is not a number")
            ],
            vec![
                json!("App Data/dailysleep.csv"),
                json!("line 4"),
                json!("day: \"2024-02-30\" is not a date (YYYY-MM-DD)")
            ],
            vec![
                json!("App Data/heartrate.csv"),
                json!("line 4"),
                json!("bpm: no value")
            ],
            vec![
                json!("App Data/heartrate.csv"),
                json!("line 5"),
                json!("the row has 4 fields, the header 3")
            ],
        ]
    );

    // Importing it again adds nothing: the zip's files are known, and so is the same export
    // unzipped into a folder.
    let again = import(&t, &zip);
    assert_eq!(again["totals"]["skipped"], 12);
    assert_eq!(again["totals"]["added"], 0);
    let folder = import(&t, &fixture("oura/hub-2024-03-11"));
    assert_eq!(folder["totals"]["added"], 0, "{folder:#}");
    assert_eq!(folder["totals"]["skipped"], 12, "{folder:#}");
    assert_eq!(t.count("SELECT count(*) FROM samples"), 98);
    assert_eq!(t.count("SELECT count(*) FROM events"), 5);
}

#[test]
fn a_newer_export_adds_new_days_and_revises_partial_ones() {
    let t = TestEnv::with_vault();
    import(&t, &hub_zip(&t, "hub-2024-03-11"));
    // The newer export names its files in Pascal case (DailySleep.csv, not dailysleep.csv).
    let report = import(&t, &hub_zip(&t, "hub-2024-03-12"));
    let totals = &report["totals"];
    assert_eq!(totals["imported"], 4, "{report:#}");
    assert_eq!(totals["added"], 26, "{report:#}");
    assert_eq!(totals["duplicate"], 22, "{report:#}");
    assert_eq!(
        totals["rejected"], 2,
        "night 2's rejections again: {report:#}"
    );
    assert_eq!(totals["replaced"], 5, "{report:#}");

    // 2024-03-11 was exported at midday; its complete values replaced the partial ones.
    assert_eq!(
        samples(&t, "step_count"),
        vec![
            day_row(D10, 9876.0, "2024-03-10"),
            day_row(D11, 11000.0, "2024-03-11"),
            day_row(D12, 1500.0, "2024-03-12"),
        ]
    );
    assert_eq!(
        t.sql("SELECT start_ms, value FROM samples WHERE metric IN ('activity_score', 'oura.activity.stay_active', 'active_energy_burned', 'oura.equivalent_walking_distance', 'total_energy_burned') AND start_ms = 1710115200000 ORDER BY metric"),
        vec![
            vec![json!(D11), json!(480.0)],
            vec![json!(D11), json!(85.0)],
            vec![json!(D11), json!(90.0)],
            vec![json!(D11), json!(9000.0)],
            vec![json!(D11), json!(2400.0)],
        ]
    );
    assert_eq!(
        samples(&t, "sleep_score"),
        vec![
            day_row(D10, 63.0, "2024-03-10"),
            day_row(D11, 82.0, "2024-03-11"),
            day_row(D12, 75.0, "2024-03-12"),
        ]
    );
    // Night 3 is new; night 2 is not doubled.
    assert_eq!(
        t.sql("SELECT start_ms FROM events WHERE kind = 'sleep' ORDER BY start_ms"),
        vec![
            vec![json!(N1)],
            vec![json!(NAP)],
            vec![json!(N2)],
            vec![json!(N3)]
        ]
    );
    let night3 = t.count(&format!(
        "SELECT id FROM events WHERE natural_key = 'sleep:{N3}'"
    ));
    let five = 5 * MIN;
    assert_eq!(
        t.sql(&format!(
            "SELECT start_ms, end_ms, category FROM samples WHERE metric = 'sleep_stage' AND event_id = {night3} ORDER BY start_ms, end_ms DESC"
        )),
        vec![
            vec![json!(N3), json!(N3 + 12 * five), json!("in_bed")],
            vec![json!(N3), json!(N3 + five), json!("awake")],
            vec![json!(N3 + five), json!(N3 + 2 * five), json!("asleep_core")],
            vec![json!(N3 + 2 * five), json!(N3 + 4 * five), json!("asleep_deep")],
            vec![json!(N3 + 4 * five), json!(N3 + 6 * five), json!("asleep_rem")],
        ]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE metric = 'heart_rate' AND event_id IS NULL"),
        4
    );
    // And the newer export again: nothing.
    let again = import(&t, &fixture("oura/hub-2024-03-12"));
    assert_eq!(again["totals"]["added"], 0);
    assert_eq!(again["totals"]["replaced"], 0);
}

#[test]
fn api_json_pages_go_through_the_same_mapping() {
    // The same days as the hub export, saved from the API: recognized by their fields, and
    // every row they hold is already in the vault, byte for byte.
    let t = TestEnv::with_vault();
    import(&t, &hub_zip(&t, "hub-2024-03-11"));
    let before = t.count("SELECT count(*) FROM samples");
    let report = import(&t, &fixture("oura/api"));
    assert_eq!(report["totals"]["imported"], 4, "{report:#}");
    assert_eq!(report["totals"]["added"], 0, "{report:#}");
    assert_eq!(report["totals"]["duplicate"], 39, "{report:#}");
    assert_eq!(report["totals"]["rejected"], 0);
    assert_eq!(t.count("SELECT count(*) FROM samples"), before);

    // Alone, the pages make the same rows (the nap now has the API's id).
    let u = TestEnv::with_vault();
    let report = import(&u, &fixture("oura/api"));
    assert_eq!(report["totals"]["added"], 39, "{report:#}");
    assert_eq!(
        samples(&u, "sleep_score"),
        vec![
            day_row(D10, 63.0, "2024-03-10"),
            day_row(D11, 82.0, "2024-03-11")
        ]
    );
    assert_eq!(
        u.sql(
            "SELECT start_ms, title, original_id FROM events WHERE kind = 'sleep' ORDER BY start_ms"
        ),
        vec![
            vec![json!(N1), json!("long_sleep"), json!("sl-0310")],
            vec![json!(NAP), json!("late_nap"), json!("sl-nap")],
        ]
    );
    let same = |q: &str| assert_eq!(t.sql(q), u.sql(q), "{q}");
    same(&format!(
        "SELECT metric, start_ms, end_ms, tz_offset_min, value, category, attrs FROM samples
         WHERE event_id = (SELECT id FROM events WHERE natural_key = 'sleep:{N1}')
         ORDER BY metric, start_ms, end_ms"
    ));
    same(
        "SELECT start_ms, end_ms, tz_offset_min, title, attrs FROM events WHERE kind = 'workout' AND start_ms = 1710090000000",
    );
}

#[test]
fn a_single_page_is_read_with_source_oura_whatever_its_name() {
    let t = TestEnv::with_vault();
    let page = t.path().join("export.json");
    std::fs::copy(fixture("oura/api/daily_sleep.json"), &page).unwrap();
    let report = t.json(&["import", "--source", "oura", page.to_str().unwrap()]);
    assert_eq!(report["totals"]["added"], 16, "{report:#}");
}

/// The Oura API examples from the shared samples (a Python client's docstrings, MIT): their
/// JSON blocks are extracted (Python literals None/False/True and `...` elisions mended), saved
/// as one page per collection and imported. Their placeholder values are imported where they
/// are valid and rejected where they are not (a workout that ends before it starts, negative
/// HRV, a hypnogram that is a placeholder text).
#[test]
fn real_oura_api_examples() {
    let Some(path) = real_sample("oura/hedgertronic_client_docstring_examples.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let t = TestEnv::with_vault();
    let dir = t.path().join("oura-examples");
    std::fs::create_dir_all(&dir).unwrap();
    let mut pages = 0;
    for (section, records) in docstring_examples(&text) {
        let Some(collection) = section.strip_prefix("get_") else {
            continue;
        };
        let name = match collection {
            "daily_sleep"
            | "daily_activity"
            | "daily_readiness"
            | "daily_stress"
            | "daily_resilience"
            | "daily_cardiovascular_age" => collection.to_string(),
            "sleep_periods" => "sleep".into(),
            "heart_rate" => "heartrate".into(),
            "workouts" => "workout".into(),
            _ => continue,
        };
        let page = json!({"data": records, "next_token": null});
        std::fs::write(dir.join(format!("{name}.json")), page.to_string()).unwrap();
        pages += 1;
    }
    assert_eq!(pages, 9, "the examples file changed shape");
    let report = t.json(&["import", dir.to_str().unwrap()]);
    assert_eq!(report["totals"]["imported"], 9, "{report:#}");
    assert_eq!(report["totals"]["added"], 51, "{report:#}");
    assert_eq!(report["totals"]["rejected"], 5, "{report:#}");
    assert_eq!(
        samples(&t, "sleep_score"),
        vec![day_row(1_657_756_800_000, 63.0, "2022-07-14")]
    );
    assert_eq!(
        t.sql("SELECT start_ms, end_ms, tz_offset_min, title FROM events WHERE kind = 'sleep'"),
        // 2022-07-12T01:05:14-07:00 .. 09:25:14-07:00
        vec![vec![
            json!(1_657_613_114_000i64),
            json!(1_657_643_114_000i64),
            json!(-420),
            json!("long_sleep")
        ]]
    );
    assert_eq!(
        samples(&t, "step_count"),
        vec![day_row(1_637_884_800_000, 18430.0, "2021-11-26")]
    );
    assert_eq!(
        t.sql(
            "SELECT start_ms, value FROM samples WHERE metric = 'heart_rate' AND event_id IS NULL"
        ),
        vec![vec![json!(1_609_462_923_000i64), json!(60.0)]]
    );
    // Placeholders that cannot be data are rejected, with where they were.
    assert_eq!(
        t.count("SELECT count(*) FROM events WHERE kind = 'workout'"),
        0
    );
    assert_eq!(
        t.sql("SELECT member, locator, message FROM import_errors ORDER BY member, id"),
        vec![
            vec![
                json!("daily_activity.json"),
                json!("record 1"),
                json!("class_5_min: unexpected '<' at position 0 (known: 012345)")
            ],
            vec![
                json!("sleep.json"),
                json!("record 1"),
                json!("sleep_phase_5_min: unexpected '<' at position 0 (known: 1234)")
            ],
            vec![
                json!("sleep.json"),
                json!("record 1"),
                json!("hrv.items[1]: -102 is not a valid heart_rate_variability_rmssd")
            ],
            vec![
                json!("sleep.json"),
                json!("record 1"),
                json!("hrv.items[2]: -122 is not a valid heart_rate_variability_rmssd")
            ],
            vec![
                json!("workout.json"),
                json!("record 1"),
                json!("workout: end_datetime is before start_datetime")
            ],
        ]
    );
}

/// `### get_x` sections of the docstring file and the records of each one's first example.
fn docstring_examples(text: &str) -> Vec<(String, Vec<Value>)> {
    let mut out = Vec::new();
    for section in text.split("\n### ") {
        let section = section.trim_start_matches("### ");
        let name = section.lines().next().unwrap_or("").trim().to_string();
        let Some(start) = section.find("Example:") else {
            continue;
        };
        let body = &section[start + "Example:".len()..];
        let Some(open) = body.find(['[', '{']) else {
            continue;
        };
        let Some(block) = balanced(&body[open..]) else {
            continue;
        };
        let mended = mend_python(block);
        let v: Value =
            serde_json::from_str(&mended).unwrap_or_else(|e| panic!("{name}: {e}\n{mended}"));
        let records = match v {
            Value::Array(a) => a,
            other => vec![other],
        };
        out.push((name, records));
    }
    out
}

/// The bracketed block at the start of `s` (brackets inside strings are not counted).
fn balanced(s: &str) -> Option<&str> {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&s[..=i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Python literals to JSON: None/True/False outside strings, `...` elisions dropped, then
/// the commas those leave before a closing bracket.
fn mend_python(block: &str) -> String {
    let mut s = String::new();
    for line in block.lines() {
        if matches!(line.trim(), "..." | "...,") {
            continue;
        }
        s.push_str(&python_literals(line));
        s.push('\n');
    }
    let re = regex::Regex::new(r",(\s*[\]}])").unwrap();
    re.replace_all(&s, "$1").into_owned()
}

/// Replaces Python's None/True/False outside string literals on one line.
fn python_literals(line: &str) -> String {
    let mut out = String::new();
    let mut in_str = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "None" => "null",
            "True" => "true",
            "False" => "false",
            w => w,
        });
        word.clear();
    };
    for c in line.chars() {
        if in_str {
            out.push(c);
            if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            flush(&mut word, &mut out);
            out.push(c);
            in_str = true;
        } else if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
