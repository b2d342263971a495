//! Car importers on the project's fixtures (tests/fixtures/{teslafi,torque,obd-dongle}/README.md
//! says what each file exercises): TeslaFi monthly CSVs across both DST transitions, Torque
//! Pro trip logs before and after the GPS fix, and the generic OBD-II spec from
//! importers/README.md, installed as a user spec exactly as the README shows it.

use serde_json::{Value, json};

use crate::common::*;

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn attrs(t: &TestEnv, query: &str) -> Vec<Value> {
    t.sql(query)
        .into_iter()
        .map(|r| serde_json::from_str(r[0].as_str().unwrap()).unwrap())
        .collect()
}

const VIN: &str = "5YJ3E7EB0KF000001";

#[test]
fn teslafi_needs_a_time_zone() {
    let t = TestEnv::with_vault();
    let out = t.run(&["import", &path_str(&fixture("teslafi"))]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("the teslafi importer needs --timezone"),
        "{err}"
    );
    assert!(
        err.contains("hint: --timezone: the IANA time zone"),
        "{err}"
    );
    assert_eq!(t.count("SELECT count(*) FROM import_runs"), 0);
}

#[test]
fn teslafi_fall_back_month_is_imported_exactly() {
    let t = TestEnv::with_vault();
    let file = fixture("teslafi/TeslaFi102024.csv");
    let report = t.json(&["import", "--timezone", "Europe/Berlin", &path_str(&file)]);
    let f = &report["files"][0];
    assert_eq!(f["importer"], json!("teslafi"));
    assert_eq!(f["status"], json!("imported"));
    assert_eq!(f["rejected"], json!(2));

    // Local times through the repeated hour (2024-10-27, 03:00 CEST → 02:00 CET): 02:40 and
    // 02:50 are the first pass (+02:00); 02:00, 02:10, 02:20 and the later 02:40 come after
    // them in the file and are the second pass (+01:00).
    assert_eq!(
        t.sql(
            "SELECT start_ms, tz_offset_min, value FROM samples WHERE metric = 'battery_level'
             ORDER BY start_ms"
        ),
        [
            ("2024-10-26T23:50:00Z", 120, 80.0),
            ("2024-10-27T00:40:00Z", 120, 80.0),
            ("2024-10-27T00:50:00Z", 120, 79.0),
            ("2024-10-27T01:00:00Z", 60, 78.0),
            ("2024-10-27T01:10:00Z", 60, 77.0),
            ("2024-10-27T01:20:00Z", 60, 77.0),
            ("2024-10-27T02:05:00Z", 60, 77.0),
            ("2024-10-27T17:00:00Z", 60, 77.0),
            ("2024-10-27T17:30:00Z", 60, 84.0),
            ("2024-10-27T18:00:00Z", 60, 90.0),
            ("2024-10-27T18:10:00Z", 60, 90.0),
        ]
        .iter()
        .map(|(time, off, v)| vec![json!(ms(time)), json!(off), json!(v)])
        .collect::<Vec<_>>()
    );
    // mph → m/s; miles → m; only rows that have a value.
    assert_eq!(
        t.sql(
            "SELECT start_ms, round(value, 4) FROM samples WHERE metric = 'speed' ORDER BY start_ms"
        ),
        vec![
            vec![json!(ms("2024-10-27T00:40:00Z")), json!(8.9408)],
            vec![json!(ms("2024-10-27T00:50:00Z")), json!(20.1168)],
            vec![json!(ms("2024-10-27T01:00:00Z")), json!(26.8224)],
            vec![json!(ms("2024-10-27T01:10:00Z")), json!(13.4112)],
        ]
    );
    assert_eq!(
        t.sql(
            "SELECT start_ms, round(value, 3) FROM samples WHERE metric = 'odometer'
             ORDER BY start_ms LIMIT 2"
        ),
        vec![
            vec![json!(ms("2024-10-26T23:50:00Z")), json!(16093440.0)],
            vec![json!(ms("2024-10-27T00:40:00Z")), json!(16094244.672)],
        ]
    );
    // charger_power only while charging, in kW.
    assert_eq!(
        t.sql(
            "SELECT start_ms, value FROM samples WHERE metric = 'charge_power' ORDER BY start_ms"
        ),
        vec![
            vec![json!(ms("2024-10-27T17:00:00Z")), json!(11.0)],
            vec![json!(ms("2024-10-27T17:30:00Z")), json!(11.0)],
            vec![json!(ms("2024-10-27T18:00:00Z")), json!(10.0)],
        ]
    );
    assert_eq!(
        t.sql("SELECT metric, count(*) FROM samples GROUP BY metric ORDER BY metric"),
        vec![
            vec![json!("battery_level"), json!(11)],
            vec![json!("battery_range"), json!(12)],
            vec![json!("charge_power"), json!(3)],
            vec![json!("inside_temperature"), json!(12)],
            vec![json!("odometer"), json!(12)],
            vec![json!("outside_temperature"), json!(12)],
            vec![json!("speed"), json!(4)],
        ]
    );
    // The car is one device, identified by its VIN.
    assert_eq!(
        t.sql("SELECT name, manufacturer, hardware FROM devices"),
        vec![vec![json!("Tesla"), json!("Tesla"), json!(VIN)]]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM samples WHERE device_id IS NULL"),
        0
    );

    // Drive 7 and charge 3, from TeslaFi's own session counters.
    assert_eq!(
        t.sql(
            "SELECT kind, start_ms, end_ms, tz_offset_min, original_id, natural_key
             FROM events ORDER BY start_ms"
        ),
        vec![
            vec![
                json!("drive"),
                json!(ms("2024-10-27T00:40:00Z")),
                json!(ms("2024-10-27T01:10:00Z")),
                json!(120),
                json!("7"),
                json!(format!("drive:{VIN}:7"))
            ],
            vec![
                json!("charge"),
                json!(ms("2024-10-27T17:00:00Z")),
                json!(ms("2024-10-27T18:00:00Z")),
                json!(60),
                json!("3"),
                json!(format!("charge:{VIN}:3"))
            ],
        ]
    );
    let a = attrs(&t, "SELECT attrs FROM events ORDER BY start_ms");
    assert_eq!(
        a[0],
        json!({
            "distance_m": 15288.8, "duration_s": 1800.0,
            "start_odometer_m": 16094244.7, "end_odometer_m": 16109533.4,
            "start_battery_level": 80.0, "end_battery_level": 77.0,
            "start_range_m": 321064.1, "end_range_m": 305775.4,
            "start_location": {"lat": 52.521, "lon": 13.406},
            "end_location": {"lat": 52.545, "lon": 13.45},
            "speed_max_mps": 26.822, "points": 4
        })
    );
    assert_eq!(
        a[1],
        json!({
            "energy_added_kwh": 11.0, "duration_s": 3600.0,
            "start_battery_level": 77.0, "end_battery_level": 90.0,
            "start_range_m": 304166.0, "end_range_m": 354055.7,
            "location": {"lat": 52.52, "lon": 13.405},
            "charger_power_max_kw": 11.0
        })
    );
    // The drive's positions are its track points, in time order, across the fold.
    assert_eq!(
        t.sql(
            "SELECT p.seq, p.t_ms, p.lat, p.lon, p.alt_m, round(p.speed_mps, 4), p.course_deg
             FROM track_points p JOIN events e ON e.id = p.event_id
             WHERE e.kind = 'drive' ORDER BY p.seq"
        ),
        [
            (
                "2024-10-27T00:40:00Z",
                52.521,
                13.406,
                json!(34.0),
                8.9408,
                90.0
            ),
            (
                "2024-10-27T00:50:00Z",
                52.53,
                13.42,
                Value::Null,
                20.1168,
                45.0
            ),
            (
                "2024-10-27T01:00:00Z",
                52.54,
                13.44,
                Value::Null,
                26.8224,
                60.0
            ),
            (
                "2024-10-27T01:10:00Z",
                52.545,
                13.45,
                Value::Null,
                13.4112,
                80.0
            ),
        ]
        .iter()
        .map(|(time, lat, lon, alt, speed, course)| vec![
            json!(ms(time) * 16),
            json!(ms(time)),
            json!(lat),
            json!(lon),
            alt.clone(),
            json!(speed),
            json!(course)
        ])
        .collect::<Vec<_>>()
    );
    assert_eq!(t.count("SELECT count(*) FROM track_points"), 4);

    // The error rows: an impossible Date, and a non-number in battery_level.
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors ORDER BY id"),
        vec![
            vec![
                json!("line 8 (data_id 1007)"),
                json!(
                    "Date \"2024-10-27 25:99:00\" is not a date TeslaFi writes (YYYY-MM-DD HH:MM:SS)"
                )
            ],
            vec![
                json!("line 9 (data_id 1008)"),
                json!("battery_level: \"abc\" is not a number")
            ],
        ]
    );
}

#[test]
fn teslafi_spring_forward_month_derives_sessions_from_state() {
    let t = TestEnv::with_vault();
    // The MMYYYY.csv name and an export without TeslaFi's session counters.
    t.ok(&[
        "import",
        "--timezone",
        "Europe/Berlin",
        &path_str(&fixture("teslafi/032024.csv")),
    ]);
    // 02:30 does not exist on 2024-03-31 in Berlin: it moves forward by the gap (03:30 CEST).
    assert_eq!(
        t.sql(
            "SELECT start_ms, tz_offset_min FROM samples WHERE metric = 'speed' ORDER BY start_ms"
        ),
        vec![
            vec![json!(ms("2024-03-31T00:58:00Z")), json!(60)],
            vec![json!(ms("2024-03-31T01:30:00Z")), json!(120)],
            vec![json!(ms("2024-03-31T01:40:00Z")), json!(120)],
        ]
    );
    let start = ms("2024-03-31T00:58:00Z");
    assert_eq!(
        t.sql(
            "SELECT kind, start_ms, end_ms, original_id, natural_key FROM events ORDER BY start_ms"
        ),
        vec![
            vec![
                json!("drive"),
                json!(start),
                json!(ms("2024-03-31T01:40:00Z")),
                Value::Null,
                json!(format!("drive:{VIN}:t{start}"))
            ],
            vec![
                json!("charge"),
                json!(ms("2024-03-31T02:00:00Z")),
                json!(ms("2024-03-31T02:30:00Z")),
                Value::Null,
                json!(format!("charge:{VIN}:t{}", ms("2024-03-31T02:00:00Z")))
            ],
        ]
    );
    let a = attrs(&t, "SELECT attrs FROM events ORDER BY start_ms");
    assert_eq!(a[0]["distance_m"], json!(22208.9));
    assert_eq!(a[0]["duration_s"], json!(2520.0));
    assert_eq!(a[0]["points"], json!(3));
    assert_eq!(a[0]["speed_max_mps"], json!(22.352));
    assert_eq!(a[1]["energy_added_kwh"], json!(3.3));
    assert_eq!(a[1]["charger_power_max_kw"], json!(7.0));
    assert_eq!(a[1]["location"], json!({"lat": 52.6005, "lon": 13.5205}));
    // Track points lie within their drive.
    assert_eq!(
        t.count(
            "SELECT count(*) FROM track_points p JOIN events e ON e.id = p.event_id
             WHERE p.t_ms < e.start_ms OR p.t_ms > e.end_ms OR e.kind <> 'drive'"
        ),
        0
    );
}

#[test]
fn teslafi_reimport_adds_nothing() {
    let t = TestEnv::with_vault();
    let dir = path_str(&fixture("teslafi"));
    t.ok(&["import", "--timezone", "Europe/Berlin", &dir]);
    let before = t.count(
        "SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM events)
              + (SELECT count(*) FROM track_points)",
    );
    // The same files: skipped whole.
    let again = t.json(&["import", "--timezone", "Europe/Berlin", &dir]);
    assert_eq!(again["totals"]["skipped"], json!(2));
    // The same month exported again with one more row: read, but only duplicates.
    let copy = t.path().join("TeslaFi102024.csv");
    let mut text = std::fs::read_to_string(fixture("teslafi/TeslaFi102024.csv")).unwrap();
    text.push_str("1015,\"2024-10-28 06:00:00\",True,True,1234567890,Blue,None,None,True,5YJ3E7EB0KF000001,None,99999,,99999,asleep\r\n");
    std::fs::write(&copy, text).unwrap();
    let third = t.json(&["import", "--timezone", "Europe/Berlin", &path_str(&copy)]);
    assert_eq!(third["totals"]["added"], json!(0), "{third}");
    assert!(third["totals"]["duplicate"].as_u64().unwrap() > 70);
    let after = t.count(
        "SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM events)
              + (SELECT count(*) FROM track_points)",
    );
    assert_eq!(before, after);
}

#[test]
fn torque_log_is_imported_exactly() {
    let t = TestEnv::with_vault();
    // No --timezone: the GPS Time offset (GMT+08:00) places the Device Times, including the
    // rows logged before the first fix.
    let report = t.json(&["import", &path_str(&fixture("torque/tripLogs"))]);
    let f = &report["files"][0];
    assert_eq!(f["importer"], json!("torque"));
    assert_eq!(f["member"], json!("1645569433000/trackLog.csv"));
    assert_eq!(
        (&f["seen"], &f["added"], &f["rejected"]),
        (&json!(51), &json!(50), &json!(1))
    );
    assert_eq!(
        t.sql(
            "SELECT metric, count(*), round(min(value), 6), round(max(value), 6) FROM samples
             GROUP BY metric ORDER BY metric"
        ),
        vec![
            vec![
                json!("engine_coolant_temperature"),
                json!(5),
                json!(45.0),
                json!(55.0)
            ],
            vec![json!("engine_rpm"), json!(5), json!(780.0), json!(2000.0)],
            vec![
                json!("fuel_rate"),
                json!(3),
                json!(0.946353),
                json!(1.703435)
            ],
            vec![json!("obd.g_calibrated"), json!(5), json!(0.0), json!(0.12)],
            vec![json!("obd.g_x"), json!(5), json!(0.01), json!(0.12)],
            vec![json!("obd.g_y"), json!(5), json!(0.0), json!(0.02)],
            vec![json!("obd.g_z"), json!(5), json!(0.98), json!(0.99)],
            vec![
                json!("obd.intake_manifold_pressure"),
                json!(3),
                json!(28.957981),
                json!(41.368544)
            ],
            vec![
                json!("obd.mass_air_flow_rate"),
                json!(5),
                json!(2.1),
                json!(5.5)
            ],
            vec![json!("speed"), json!(5), json!(0.0), json!(10.0)],
        ]
    );
    // Metrics the catalog does not know keep the unit they came in (converted where trove
    // knows it: psi → kPa).
    assert_eq!(
        t.sql("SELECT name, unit FROM metrics ORDER BY name"),
        vec![
            vec![json!("obd.g_calibrated"), json!("[g]")],
            vec![json!("obd.g_x"), json!("[g]")],
            vec![json!("obd.g_y"), json!("[g]")],
            vec![json!("obd.g_z"), json!("[g]")],
            vec![json!("obd.intake_manifold_pressure"), json!("kPa")],
            vec![json!("obd.mass_air_flow_rate"), json!("g/s")],
        ]
    );
    // Device Time with millisecond precision, +08:00.
    assert_eq!(
        t.sql("SELECT start_ms, tz_offset_min, value FROM samples WHERE metric = 'engine_rpm' ORDER BY start_ms"),
        [
            ("2022-02-22T22:37:10.120Z", 780.0),
            ("2022-02-22T22:37:11.130Z", 800.0),
            ("2022-02-22T22:37:13.374Z", 1500.0),
            ("2022-02-22T22:37:14.380Z", 1800.0),
            ("2022-02-22T22:37:15.390Z", 2000.0),
        ]
        .iter()
        .map(|(time, v)| vec![json!(ms(time)), json!(480), json!(v)])
        .collect::<Vec<_>>()
    );
    // One drive; the points are the rows with a fix (not the "-" or 0,0 rows before it).
    assert_eq!(
        t.sql("SELECT kind, start_ms, end_ms, tz_offset_min, natural_key FROM events"),
        vec![vec![
            json!("drive"),
            json!(ms("2022-02-22T22:37:10.120Z")),
            json!(ms("2022-02-22T22:37:15.390Z")),
            json!(480),
            json!(format!("drive:torque:{}", ms("2022-02-22T22:37:10.120Z")))
        ]]
    );
    assert_eq!(
        attrs(&t, "SELECT attrs FROM events")[0],
        json!({
            "distance_m": 38.9, "duration_s": 5.27,
            "start_location": {"lat": 1.29027, "lon": 103.851959},
            "end_location": {"lat": 1.29035, "lon": 103.8523},
            "speed_max_mps": 10.0, "points": 3,
            "log": "1645569433000/trackLog.csv"
        })
    );
    assert_eq!(
        t.sql("SELECT seq, t_ms, lat, lon, alt_m, speed_mps, course_deg FROM track_points ORDER BY seq"),
        [
            ("2022-02-22T22:37:13.374Z", 1.29027, 103.851959, 15.0, 5.5, 90.0),
            ("2022-02-22T22:37:14.380Z", 1.2903, 103.8521, 15.5, 8.0, 91.0),
            ("2022-02-22T22:37:15.390Z", 1.29035, 103.8523, 16.0, 10.0, 92.0),
        ]
        .iter()
        .map(|(time, lat, lon, alt, speed, course)| vec![
            json!(ms(time) * 16),
            json!(ms(time)),
            json!(lat),
            json!(lon),
            json!(alt),
            json!(speed),
            json!(course)
        ])
        .collect::<Vec<_>>()
    );
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors"),
        vec![vec![
            json!("line 5"),
            json!("obd.intake_manifold_pressure: \"abc\" is not a number")
        ]]
    );
    // Re-import adds nothing.
    let again = t.json(&[
        "import",
        "--source",
        "torque",
        &path_str(&fixture("torque/tripLogs")),
    ]);
    assert_eq!(again["totals"]["skipped"], json!(1));
}

#[test]
fn torque_log_without_numeric_offsets_needs_a_time_zone() {
    let t = TestEnv::with_vault();
    let dir = path_str(&fixture("torque/edt"));
    let out = t.run(&["import", &dir]);
    assert_eq!(code(&out), 1);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("import again with --timezone"), "{text}");
    assert_eq!(t.count("SELECT count(*) FROM events"), 0);

    t.ok(&["import", "--timezone", "America/New_York", &dir]);
    assert_eq!(
        t.sql("SELECT start_ms, tz_offset_min FROM events"),
        vec![vec![json!(ms("2015-05-22T11:00:25.730Z")), json!(-240)]]
    );
    assert_eq!(
        t.sql("SELECT metric, round(value, 5) FROM samples WHERE metric IN ('obd.miles_per_gallon_instant', 'obd.trip_distance') ORDER BY metric, start_ms"),
        vec![
            vec![json!("obd.miles_per_gallon_instant"), json!(22.5)],
            vec![json!("obd.trip_distance"), json!(0.0)],
            vec![json!("obd.trip_distance"), json!(16.09344)],
        ]
    );
}

/// The OBD-II dongle spec in importers/README.md, taken from the README itself, works as a
/// user spec: the documentation cannot drift from what trove accepts.
#[test]
fn readme_obd_dongle_example_works_as_a_user_spec() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("importers/README.md"),
    )
    .unwrap();
    let section = readme
        .split("## Example: a generic OBD-II dongle CSV")
        .nth(1)
        .expect("the README has the OBD-II example section");
    let spec = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("the example has a toml block");
    let t = TestEnv::with_vault();
    let dir = t.path().join("config-dir");
    std::fs::create_dir_all(dir.join("importers")).unwrap();
    std::fs::write(dir.join("importers/obd-dongle.toml"), spec).unwrap();
    t.set("TROVE_CONFIG_DIR", &path_str(&dir));

    let sources = t.ok(&["sources"]);
    assert!(sources.contains("obd-dongle"), "{sources}");
    let csv = path_str(&fixture("obd-dongle/trip.csv"));
    let out = t.run(&["import", &csv]);
    assert_eq!(code(&out), 2, "the example requires --timezone");
    t.ok(&["import", "--timezone", "Europe/Berlin", &csv]);
    let t0 = ms("2024-05-01T06:00:00Z");
    assert_eq!(
        t.sql(
            "SELECT s.metric, s.start_ms, s.tz_offset_min, s.value, d.name FROM samples s
             JOIN devices d ON d.id = s.device_id ORDER BY s.metric, s.start_ms"
        ),
        [
            ("engine_coolant_temperature", 0, 40.0),
            ("engine_coolant_temperature", 2, 41.0),
            ("engine_rpm", 0, 800.0),
            ("engine_rpm", 1, 1500.0),
            ("engine_rpm", 2, 1600.0),
            ("speed", 0, 0.0),
            ("speed", 1, 10.0),
        ]
        .iter()
        .map(|(m, s, v)| vec![
            json!(m),
            json!(t0 + s * 1000),
            json!(120),
            json!(v),
            json!("OBD dongle")
        ])
        .collect::<Vec<_>>()
    );
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors"),
        vec![vec![json!("line 4"), json!("speed: \"x\" is not a number")]]
    );
}
