//! The `samsung-health` importer on a `samsunghealth_<user>_<stamp>` folder: BOM and metadata
//! line, prefixed and unprefixed columns, UTC times with their `time_offset`, phone and watch
//! counting the same minute kept apart, sleep stages linked to their sleep; rejections with
//! line numbers; re-import adds nothing.

use serde_json::{Value, json};

use crate::common::*;
use crate::import_fhir::{import_ok, zip_dir};

const DIR: &str = "samsunghealth_jane.doe_20220301121314";

#[test]
fn a_samsung_health_export_becomes_exact_rows() {
    let t = TestEnv::with_vault();
    let zip = t.tmp().join("samsung.zip");
    zip_dir(&fixture(&format!("samsung_health/{DIR}")), DIR, &zip);
    let zip = path_str(&zip);
    let report = import_ok(&t, &[&zip]);
    assert_eq!(report["totals"]["files"], 6);
    assert_eq!(report["totals"]["added"], 26);
    assert_eq!(report["totals"]["rejected"], 6);
    assert_eq!(report["unrecognized"].as_array().unwrap().len(), 2);

    let phone = "VfS0qUERdZ";
    let watch = "Kq3vN7wPzL";
    let row = |m: &str, s: i64, e: Option<i64>, v: Value, d: &str, a: Value| {
        vec![
            json!(m),
            json!(s),
            e.map_or(Value::Null, |e| json!(e)),
            json!(540),
            v,
            json!(d),
            a,
        ]
    };
    let (m04, m05, m06, m07, m08) = (
        1645369440000i64,
        1645369500000i64,
        1645369560000i64,
        1645369620000i64,
        1645369680000i64,
    );
    assert_eq!(
        t.sql(
            "SELECT s.metric, s.start_ms, s.end_ms, s.tz_offset_min, coalesce(s.value, s.category),
                    d.name, s.attrs
             FROM samples s JOIN devices d ON d.id = s.device_id
             WHERE s.metric != 'sleep_stage' ORDER BY s.metric, s.start_ms, d.name"
        ),
        vec![
            row(
                "active_energy_burned",
                m04,
                Some(m05),
                json!(3.2),
                watch,
                Value::Null
            ),
            row(
                "active_energy_burned",
                m04,
                Some(m05),
                json!(3.02),
                phone,
                Value::Null
            ),
            row(
                "active_energy_burned",
                m05,
                Some(m06),
                json!(4.11),
                phone,
                Value::Null
            ),
            // Line 5's count is not a number; its distance and energy are.
            row(
                "active_energy_burned",
                m07,
                Some(m08),
                json!(0.0),
                phone,
                Value::Null
            ),
            row(
                "body_fat_percentage",
                1645395000000,
                None,
                json!(24.1),
                phone,
                Value::Null
            ),
            row(
                "body_fat_percentage",
                1645481100000,
                None,
                json!(23.9),
                phone,
                Value::Null
            ),
            row(
                "body_mass",
                1645395000000,
                None,
                json!(61.3),
                phone,
                Value::Null
            ),
            row(
                "distance_walking_running",
                m04,
                Some(m05),
                json!(65.0),
                watch,
                Value::Null
            ),
            row(
                "distance_walking_running",
                m04,
                Some(m05),
                json!(62.1),
                phone,
                Value::Null
            ),
            row(
                "distance_walking_running",
                m05,
                Some(m06),
                json!(81.9),
                phone,
                Value::Null
            ),
            row(
                "distance_walking_running",
                m07,
                Some(m08),
                json!(0.0),
                phone,
                Value::Null
            ),
            row(
                "heart_rate",
                1645369800000,
                Some(1645369859000),
                json!(71.0),
                watch,
                json!(r#"{"max":74,"min":68}"#)
            ),
            row(
                "heart_rate",
                1645369860000,
                Some(1645369919000),
                json!(76.0),
                watch,
                json!(r#"{"max":80,"min":72}"#)
            ),
            row(
                "height",
                1645395000000,
                None,
                json!(168.0 * 0.01),
                phone,
                Value::Null
            ),
            // The phone and the watch both counted 15:04: two rows, never summed at import.
            row(
                "step_count",
                m04,
                Some(m05),
                json!(90.0),
                watch,
                json!(r#"{"run_step":0,"walk_step":90}"#)
            ),
            row(
                "step_count",
                m04,
                Some(m05),
                json!(85.0),
                phone,
                json!(r#"{"run_step":0,"walk_step":85}"#)
            ),
            row(
                "step_count",
                m05,
                Some(m06),
                json!(102.0),
                phone,
                json!(r#"{"run_step":40,"walk_step":62}"#)
            ),
        ]
    );

    let sleep = "a1b2c3d4-0000-4000-8000-000000000001";
    assert_eq!(
        t.sql(
            "SELECT e.kind, e.start_ms, e.end_ms, e.tz_offset_min, e.title, e.original_id, d.name, e.attrs
             FROM events e JOIN devices d ON d.id = e.device_id ORDER BY e.start_ms"
        ),
        vec![
            vec![
                json!("sleep"),
                json!(1645281000000i64),
                json!(1645307100000i64),
                json!(540),
                Value::Null,
                json!(sleep),
                json!(watch),
                json!(
                    r#"{"efficiency":91.5,"mental_recovery":78,"movement_awakening":3,"physical_recovery":85,"sleep_duration_min":405,"sleep_score":82}"#
                ),
            ],
            vec![
                json!("workout"),
                json!(1645396200000i64),
                json!(1645398312000i64),
                json!(540),
                json!("running"),
                json!("d0000000-0000-4000-8000-000000000001"),
                json!(watch),
                json!(
                    r#"{"duration_ms":2112000,"exercise_type":1002,"max_heart_rate":171,"mean_heart_rate":148.2,"total_distance_m":5023.4,"total_energy_kcal":321.5}"#
                ),
            ],
            vec![
                json!("workout"),
                json!(1645434000000i64),
                json!(1645435800000i64),
                json!(540),
                json!("15006"),
                json!("d0000000-0000-4000-8000-000000000002"),
                json!(watch),
                json!(
                    r#"{"duration_ms":1800000,"exercise_type":15006,"max_heart_rate":131,"mean_heart_rate":102.3,"total_energy_kcal":120}"#
                ),
            ],
        ]
    );
    // Stages link to their sleep by its id; a stage whose sleep is not in the export stays,
    // unlinked.
    assert_eq!(
        t.sql(
            "SELECT s.category, s.start_ms, s.end_ms, e.original_id FROM samples s
             LEFT JOIN events e ON e.id = s.event_id WHERE s.metric = 'sleep_stage' ORDER BY s.start_ms"
        ),
        vec![
            vec![json!("asleep_core"), json!(1645281000000i64), json!(1645285200000i64), json!(sleep)],
            vec![json!("asleep_deep"), json!(1645285200000i64), json!(1645288200000i64), json!(sleep)],
            vec![json!("asleep_rem"), json!(1645288200000i64), json!(1645290600000i64), json!(sleep)],
            vec![json!("awake"), json!(1645290600000i64), json!(1645290900000i64), json!(sleep)],
            vec![json!("asleep_core"), json!(1645290900000i64), json!(1645307100000i64), json!(sleep)],
            vec![json!("asleep_core"), json!(1645365600000i64), json!(1645366800000i64), Value::Null],
        ]
    );

    // One rejection per malformed row, with its line in the file (line 1 is the metadata line).
    let m = |table: &str| format!("{DIR}/{table}.20220301121314.csv");
    assert_eq!(
        t.sql("SELECT member, locator, message FROM import_errors ORDER BY member, locator"),
        vec![
            vec![
                json!(m("com.samsung.health.sleep_stage")),
                json!("line 9"),
                json!("sleep_stage: no value in \"stage\""),
            ],
            vec![
                json!(m("com.samsung.shealth.exercise")),
                json!("line 5"),
                json!(
                    "workout: \"yesterday\" is not a time in the format \"%Y-%m-%d %H:%M:%S%.f\""
                ),
            ],
            vec![
                json!(m("com.samsung.shealth.tracker.heart_rate")),
                json!("line 5"),
                json!("heart_rate: no value in \"heart_rate\""),
            ],
            vec![
                json!(m("com.samsung.shealth.tracker.pedometer_step_count")),
                json!("line 6"),
                json!("step_count: \"abc\" is not a number"),
            ],
            vec![
                json!(m("com.samsung.shealth.tracker.pedometer_step_count")),
                json!("line 7"),
                json!(
                    "step_count: \"2022-02-30 15:08:00.000\" is not a time in the format \"%Y-%m-%d %H:%M:%S%.f\""
                ),
            ],
            vec![
                json!(m("com.samsung.shealth.tracker.pedometer_step_count")),
                json!("line 8"),
                json!("step_count: \"UTC+99\" in \"time_offset\" is not a UTC offset"),
            ],
        ]
    );

    // The same zip, then the unzipped folder: nothing new either way.
    let again = import_ok(&t, &[&zip]);
    assert_eq!(again["totals"]["skipped"], 6);
    let folder = path_str(&fixture("samsung_health"));
    let again = import_ok(&t, &[&folder]);
    assert_eq!(again["totals"]["added"], 0);
    assert_eq!(t.count("SELECT count(*) FROM samples"), 23);
}
