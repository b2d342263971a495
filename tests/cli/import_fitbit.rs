//! The `fitbit` importer on a Google Takeout `Global Export Data` folder: local times placed
//! with --timezone (including a spring-forward night), weights in the account's unit, sleep
//! logs with stages and short wakes, exercise logs; rejections with locators; re-import.

use serde_json::{Value, json};

use crate::common::*;
use crate::import_fhir::import_ok;

const GED: &str = "Takeout/Fitbit/Global Export Data";

#[test]
fn fitbit_needs_a_timezone_and_a_weight_unit_before_anything_is_read() {
    let t = TestEnv::with_vault();
    let dir = path_str(&fixture("fitbit"));
    let out = t.run(&["import", &dir]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .starts_with("trove: error: the fitbit importer needs --timezone\nhint: --timezone: "),
        "{}",
        stderr(&out)
    );
    let out = t.run(&["import", "--timezone", "Europe/Berlin", &dir]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("trove: error: the fitbit importer needs --weight-unit\n"),
        "{}",
        stderr(&out)
    );
    let out = t.run(&[
        "import",
        "--timezone",
        "Europe/Berlin",
        "--weight-unit",
        "stone",
        &dir,
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(t.count("SELECT count(*) FROM source_files"), 0);
    // Without weight files, no weight unit is needed.
    let steps = path_str(&fixture(&format!("fitbit/{GED}/steps-2021-03-27.json")));
    let out = t.run(&["import", "--timezone", "Europe/Berlin", &steps]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_fitbit_takeout_becomes_exact_rows() {
    let t = TestEnv::with_vault();
    let dir = path_str(&fixture("fitbit"));
    let args = [
        "--timezone",
        "Europe/Berlin",
        "--weight-unit",
        "lb",
        dir.as_str(),
    ];
    let report = import_ok(&t, &args);
    assert_eq!(report["totals"]["files"], 6);
    assert_eq!(report["totals"]["added"], 31);
    assert_eq!(report["totals"]["rejected"], 8);
    // calories-*.json is not read (yet): listed as left alone, not an error.
    assert_eq!(
        report["unrecognized"],
        json!([
            format!("{dir}: README.md"),
            format!("{dir}: {GED}/calories-2021-01-01.json")
        ])
    );

    let lb = 0.453_592_37;
    assert_eq!(
        t.sql(
            "SELECT s.metric, s.start_ms, s.end_ms, s.tz_offset_min, s.value, d.name, s.attrs
             FROM samples s JOIN devices d ON d.id = s.device_id
             WHERE s.metric != 'sleep_stage' ORDER BY s.metric, s.start_ms"
        ),
        vec![
            vec![
                json!("body_fat_percentage"),
                json!(1609742040000i64),
                Value::Null,
                json!(60),
                json!(22.5),
                json!("Aria"),
                json!(r#"{"log_id":"1609745640000"}"#),
            ],
            vec![
                json!("body_mass"),
                json!(1609742040000i64),
                Value::Null,
                json!(60),
                json!(165.2 * lb),
                json!("Aria"),
                json!(r#"{"log_id":"1609745640000"}"#),
            ],
            vec![
                json!("body_mass"),
                json!(1609887599000i64),
                Value::Null,
                json!(60),
                json!(164.8 * lb),
                json!("API"),
                json!(r#"{"log_id":"1609833599000"}"#),
            ],
            vec![
                json!("body_mass_index"),
                json!(1609742040000i64),
                Value::Null,
                json!(60),
                json!(24.39),
                json!("Aria"),
                json!(r#"{"log_id":"1609745640000"}"#),
            ],
            vec![
                json!("body_mass_index"),
                json!(1609887599000i64),
                Value::Null,
                json!(60),
                json!(24.33),
                json!("API"),
                json!(r#"{"log_id":"1609833599000"}"#),
            ],
            // 01:59:55 CET, then 03:00:05 CEST: five seconds of wall clock an hour apart.
            vec![
                json!("heart_rate"),
                json!(1616893195000i64),
                Value::Null,
                json!(60),
                json!(61.0),
                json!("Fitbit"),
                json!(r#"{"confidence":2}"#),
            ],
            vec![
                json!("heart_rate"),
                json!(1616893205000i64),
                Value::Null,
                json!(120),
                json!(63.0),
                json!("Fitbit"),
                json!(r#"{"confidence":3}"#),
            ],
            // A day-level value: 00:00 UTC of its date, the date in attrs.day.
            vec![
                json!("resting_heart_rate"),
                json!(1609718400000i64),
                json!(1609804800000i64),
                Value::Null,
                json!(58.61),
                json!("Fitbit"),
                json!(r#"{"day":"2021-01-04","error":6.8}"#),
            ],
            vec![
                json!("step_count"),
                json!(1616885880000i64),
                json!(1616885940000i64),
                json!(60),
                json!(12.0),
                json!("Fitbit"),
                Value::Null,
            ],
            // 02:30 does not exist on 2021-03-28 in Berlin: moved forward by the gap (03:30 CEST).
            vec![
                json!("step_count"),
                json!(1616895000000i64),
                json!(1616895060000i64),
                json!(120),
                json!(7.0),
                json!("Fitbit"),
                Value::Null,
            ],
            vec![
                json!("step_count"),
                json!(1616895060000i64),
                json!(1616895120000i64),
                json!(120),
                json!(40.0),
                json!("Fitbit"),
                Value::Null,
            ],
        ]
    );

    assert_eq!(
        t.sql(
            "SELECT e.kind, e.start_ms, e.end_ms, e.tz_offset_min, e.title, e.original_id, d.name,
                    e.sensitive
             FROM events e JOIN devices d ON d.id = e.device_id ORDER BY e.start_ms"
        ),
        vec![
            vec![
                json!("workout"),
                json!(1609758605000i64),
                json!(1609760448000i64),
                json!(60),
                json!("walk"),
                json!("37000000001"),
                json!("Charge 4"),
                json!(0),
            ],
            vec![
                json!("workout"),
                json!(1609866000000i64),
                json!(1609867800000i64),
                json!(60),
                json!("yoga"),
                json!("37000000002"),
                json!("Fitbit"),
                json!(0),
            ],
            vec![
                json!("sleep"),
                json!(1610231400000i64),
                json!(1610258400000i64),
                json!(60),
                json!("sleep"),
                json!("30123456789"),
                json!("Fitbit"),
                json!(0),
            ],
            vec![
                json!("sleep"),
                json!(1610283600000i64),
                json!(1610286300000i64),
                json!(60),
                json!("nap"),
                json!("30123456790"),
                json!("Fitbit"),
                json!(0),
            ],
        ]
    );
    let walk: Value = serde_json::from_str(
        t.sql("SELECT attrs FROM events WHERE original_id = '37000000001'")[0][0]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        walk,
        json!({
            "activity_type": "Walk",
            "activity_type_id": 90013,
            "duration_s": 1843.0,
            "active_duration_s": 1843.0,
            "total_energy_kcal": 173.0,
            "steps": 3120.0,
            "average_heart_rate": 98.0,
            "log_type": "auto_detected",
            "total_distance_m": 2350.0
        })
    );
    let night: Value = serde_json::from_str(
        t.sql("SELECT attrs FROM events WHERE original_id = '30123456789'")[0][0]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(night["day"], "2021-01-10");
    assert_eq!(night["type"], "stages");
    assert_eq!(night["main_sleep"], true);
    assert_eq!(night["minutes_asleep"], 417);
    assert_eq!(night["efficiency"], 93);
    assert_eq!(night["summary"]["deep"]["minutes"], 60);

    // The stage timeline: Fitbit's short wakes (shortData) cut into the long stages; the
    // pieces never overlap and cover the night exactly. Categories are Apple Health's names.
    let stages = |log: &str| -> Vec<(String, i64, i64)> {
        t.sql(&format!(
            "SELECT s.category, s.start_ms, s.end_ms FROM samples s JOIN events e ON e.id = s.event_id
             WHERE s.metric = 'sleep_stage' AND e.original_id = '{log}' ORDER BY s.start_ms"
        ))
        .into_iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_i64().unwrap(),
                r[2].as_i64().unwrap(),
            )
        })
        .collect()
    };
    let at = |base: i64, list: &[(&str, i64, i64)]| -> Vec<(String, i64, i64)> {
        list.iter()
            .map(|(c, s, e)| (c.to_string(), base + s * 1000, base + e * 1000))
            .collect()
    };
    let night_start = 1610231400000i64;
    assert_eq!(
        stages("30123456789"),
        at(
            night_start,
            &[
                ("awake", 0, 600),
                ("asleep_core", 600, 4200),
                ("asleep_deep", 4200, 7800),
                ("asleep_core", 7800, 9000),
                ("awake", 9000, 9060),
                ("asleep_core", 9060, 13200),
                ("asleep_rem", 13200, 15000),
                ("asleep_core", 15000, 18030),
                ("awake", 18030, 18120),
                ("asleep_core", 18120, 24000),
                ("asleep_rem", 24000, 25770),
                ("awake", 25770, 27000),
            ]
        )
    );
    assert_eq!(
        stages("30123456790"),
        at(
            1610283600000,
            &[
                ("asleep_unspecified", 0, 1200),
                ("restless", 1200, 1500),
                ("asleep_unspecified", 1500, 2400),
                ("awake", 2400, 2520),
            ]
        )
    );
    assert_eq!(
        t.sql(
            "SELECT s.category, sum(s.end_ms - s.start_ms) / 1000 FROM samples s JOIN events e ON e.id = s.event_id
             WHERE e.original_id = '30123456789' GROUP BY s.category ORDER BY s.category"
        ),
        vec![
            vec![json!("asleep_core"), json!(17850)],
            vec![json!("asleep_deep"), json!(3600)],
            vec![json!("asleep_rem"), json!(3570)],
            vec![json!("awake"), json!(1980)],
        ]
    );

    assert_eq!(
        t.sql("SELECT member, locator, message FROM import_errors ORDER BY member, locator"),
        [
            (
                "heart_rate-2021-03-28.json",
                "record 3",
                "heart_rate: no value in \"value.bpm\""
            ),
            (
                "heart_rate-2021-03-28.json",
                "record 4",
                "heart_rate: \"n/a\" is not a number"
            ),
            (
                "sleep-2021-01-10.json",
                "record 2 (sleep 30123456790) levels.data[4]",
                "a sleep stage needs dateTime, level and seconds",
            ),
            (
                "sleep-2021-01-10.json",
                "record 3",
                "startTime/endTime missing or not YYYY-MM-DDTHH:MM:SS",
            ),
            (
                "steps-2021-03-27.json",
                "record 5",
                "dateTime is not MM/DD/YY HH:MM:SS"
            ),
            (
                "steps-2021-03-27.json",
                "record 6",
                "step_count: value is not a number"
            ),
            (
                "weight-2021-01-01.json",
                "record 3",
                "weight is not a number"
            ),
            (
                "weight-2021-01-01.json",
                "record 4",
                "date/time are not MM/DD/YY and HH:MM:SS"
            ),
        ]
        .iter()
        .map(|(m, l, msg)| vec![json!(format!("{GED}/{m}")), json!(l), json!(msg)])
        .collect::<Vec<_>>()
    );

    // Again: nothing new. A re-export whose sleep file differs only in layout: row by row
    // the same records, so nothing is added either.
    let again = import_ok(&t, &args);
    assert_eq!(again["totals"]["skipped"], 6);
    assert_eq!(again["totals"]["added"], 0);
    let text =
        std::fs::read_to_string(fixture(&format!("fitbit/{GED}/sleep-2021-01-10.json"))).unwrap();
    let copy = t.tmp().join("Global Export Data");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::write(
        copy.join("sleep-2021-01-10.json"),
        text.replace("\n", "\r\n"),
    )
    .unwrap();
    let again = import_ok(&t, &["--timezone", "Europe/Berlin", &path_str(&t.tmp())]);
    assert_eq!(again["totals"]["added"], 0, "{again}");
    assert_eq!(again["totals"]["duplicate"], 18);
}
