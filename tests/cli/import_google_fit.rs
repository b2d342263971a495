//! The `google-fit` importer on a Takeout `Fit` folder: data points of every stream with their
//! origin device (merged copies of raw points stored once), sessions as workout and sleep
//! events with the local offset from the file name, the daily summary CSV under its own
//! metric names; unmapped types reported, rejections with locators, re-import.

use serde_json::{Value, json};

use crate::common::*;
use crate::import_fhir::import_ok;

#[test]
fn a_google_fit_takeout_becomes_exact_rows() {
    let t = TestEnv::with_vault();
    let dir = path_str(&fixture("google_fit"));
    let report = import_ok(&t, &[&dir]);
    assert_eq!(report["totals"]["files"], 11);
    assert_eq!(report["totals"]["added"], 32);
    // The merged stream repeats the band's two raw points: one row each.
    assert_eq!(report["totals"]["duplicate"], 2);
    assert_eq!(report["totals"]["rejected"], 4);
    // The per-day 15-minute file repeats All data and is left alone.
    assert_eq!(
        report["unrecognized"],
        json!([
            format!("{dir}: README.md"),
            format!("{dir}: Takeout/Fit/Daily activity metrics/2021-04-01.csv")
        ])
    );
    let location = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["member"].as_str().unwrap().contains("location.sample"))
        .unwrap();
    assert_eq!(location["skipped"], 2);
    assert_eq!(
        location["notes"],
        json!([
            "not imported (no mapping in [tables.data_types]): com.google.location.sample (2 points)"
        ])
    );

    let row = |m: &str, s: i64, e: Option<i64>, v: Value, d: &str| {
        vec![
            json!(m),
            json!(s),
            e.map_or(Value::Null, |e| json!(e)),
            Value::Null,
            v,
            json!(d),
        ]
    };
    assert_eq!(
        t.sql(
            "SELECT s.metric, s.start_ms, s.end_ms, s.tz_offset_min, coalesce(s.value, s.category), d.name
             FROM samples s JOIN devices d ON d.id = s.device_id
             WHERE s.metric NOT LIKE 'google_fit.daily.%' ORDER BY s.metric, s.start_ms"
        ),
        vec![
            row("blood_pressure_diastolic", 1617257700000, None, json!(79.0), "BP7250"),
            row("blood_pressure_systolic", 1617257700000, None, json!(121.0), "BP7250"),
            row("body_mass", 1617257400000, None, json!(72.4), "com.google.android.apps.fitness"),
            row("heart_rate", 1617266400000, None, json!(121.0), "Mi Band 3"),
            row("heart_rate", 1617266405000, None, json!(124.0), "Mi Band 3"),
            row("sleep_stage", 1617225300000, Some(1617231600000), json!("asleep_core"), "com.urbandroid.sleep"),
            row("sleep_stage", 1617231600000, Some(1617237000000), json!("asleep_deep"), "com.urbandroid.sleep"),
            row("sleep_stage", 1617237000000, Some(1617237600000), json!("awake"), "com.urbandroid.sleep"),
            row("sleep_stage", 1617237600000, Some(1617239400000), json!("asleep_rem"), "com.urbandroid.sleep"),
            row("sleep_stage", 1617239400000, Some(1617240000000), json!("stage_42"), "com.urbandroid.sleep"),
            row("step_count", 1617265800000, Some(1617265860000), json!(83.0), "Mi Band 3"),
            row("step_count", 1617265860000, Some(1617265920000), json!(95.0), "Mi Band 3"),
            row("step_count", 1617267600000, Some(1617267660000), json!(40.0), "Pixel 5"),
        ]
    );
    // Devices come from the origin data source: the band's maker and model, the app that
    // wrote it; the hardware uid in the source id is not kept.
    assert_eq!(
        t.sql(
            "SELECT name, manufacturer, model, software FROM devices
             WHERE name IN ('Mi Band 3', 'Pixel 5') ORDER BY name"
        ),
        vec![
            vec![
                json!("Mi Band 3"),
                json!("Xiaomi"),
                json!("Mi Band 3"),
                json!("com.mc.miband1")
            ],
            vec![
                json!("Pixel 5"),
                json!("Google"),
                json!("Pixel 5"),
                Value::Null
            ],
        ]
    );

    assert_eq!(
        t.sql(
            "SELECT kind, start_ms, end_ms, tz_offset_min, title, attrs FROM events ORDER BY start_ms"
        )
        .into_iter()
        .map(|mut r| {
            let attrs: Value = serde_json::from_str(r[5].as_str().unwrap()).unwrap();
            r[5] = json!({
                "activity_type": attrs["activity_type"],
                "duration_s": attrs["duration_s"],
                "total_energy_kcal": attrs["total_energy_kcal"],
                "total_distance_m": attrs["total_distance_m"],
                "steps": attrs["steps"],
                "move_minutes": attrs["move_minutes"],
            });
            r
        })
        .collect::<Vec<_>>(),
        vec![
            vec![
                json!("sleep"),
                json!(1617225300000i64),
                json!(1617255900000i64),
                json!(120),
                json!("sleep"),
                json!({"activity_type": "sleep", "duration_s": 30600.0, "total_energy_kcal": null,
                       "total_distance_m": null, "steps": null, "move_minutes": null}),
            ],
            vec![
                json!("workout"),
                json!(1617265800000i64),
                json!(1617267930500i64),
                json!(120),
                json!("running"),
                json!({"activity_type": "running", "duration_s": 2130.5, "total_energy_kcal": 402.6,
                       "total_distance_m": 5012.3, "steps": 5190.0, "move_minutes": 35.0}),
            ],
        ]
    );

    // Daily totals: day-level rows (00:00 UTC, attrs.day) under google_fit.daily.*.
    assert_eq!(
        t.sql(
            "SELECT metric, start_ms, value, json_extract(attrs, '$.day') FROM samples
             WHERE metric IN ('google_fit.daily.step_count', 'google_fit.daily.move_time',
                              'google_fit.daily.heart_rate_average', 'google_fit.daily.walking_duration')
             ORDER BY metric, start_ms"
        ),
        vec![
            vec![json!("google_fit.daily.heart_rate_average"), json!(1617235200000i64), json!(84.2), json!("2021-04-01")],
            vec![json!("google_fit.daily.move_time"), json!(1617235200000i64), json!(3120.0), json!("2021-04-01")],
            vec![json!("google_fit.daily.move_time"), json!(1617321600000i64), json!(720.0), json!("2021-04-02")],
            vec![json!("google_fit.daily.step_count"), json!(1617235200000i64), json!(8213.0), json!("2021-04-01")],
            vec![json!("google_fit.daily.step_count"), json!(1617321600000i64), json!(1290.0), json!("2021-04-02")],
            vec![json!("google_fit.daily.walking_duration"), json!(1617235200000i64), json!(1500.0), json!("2021-04-01")],
            vec![json!("google_fit.daily.walking_duration"), json!(1617321600000i64), json!(720.0), json!("2021-04-02")],
        ]
    );
    assert_eq!(
        t.sql("SELECT unit, kind FROM metrics WHERE name = 'google_fit.daily.move_time'"),
        vec![vec![json!("s"), json!("instant")]]
    );

    assert_eq!(
        t.sql("SELECT member, locator, message FROM import_errors ORDER BY member, locator"),
        vec![
            vec![
                json!("Takeout/Fit/All Sessions/2021-04-02T07_00_00.000+02_00_WALKING.json"),
                json!("session"),
                json!("startTime/endTime missing or not RFC 3339"),
            ],
            vec![
                json!(
                    "Takeout/Fit/All data/derived_com.google.step_count.delta_com.google.android.gms_merge_step_deltas.json"
                ),
                json!("point 4 (com.google.step_count.delta)"),
                json!("startTimeNanos is not a number of nanoseconds"),
            ],
            vec![
                json!(
                    "Takeout/Fit/All data/derived_com.google.step_count.delta_com.google.android.gms_merge_step_deltas.json"
                ),
                json!("point 5 (com.google.step_count.delta)"),
                json!("fitValue holds no number"),
            ],
            vec![
                json!("Takeout/Fit/Daily activity metrics/Daily activity metrics.csv"),
                json!("line 4"),
                json!("google_fit.daily.move_time: \"x\" is not a number"),
            ],
        ]
    );

    let again = import_ok(&t, &[&dir]);
    assert_eq!(again["totals"]["skipped"], 11);
    assert_eq!(again["totals"]["added"], 0);
    // A lone stream file is recognized by its content when named with --source.
    let copy = t.tmp().join("steps.json");
    std::fs::copy(
        fixture("google_fit/Takeout/Fit/All data/raw_com.google.step_count.delta_com.mc.miband1_Xiaomi_Mi Band 3_a1b2c3d4.json"),
        &copy,
    )
    .unwrap();
    let again = import_ok(&t, &["--source", "google-fit", &path_str(&copy)]);
    assert_eq!(again["totals"]["skipped"], 1, "{again}");
}
