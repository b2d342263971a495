//! `trove sync teslamate` against a real PostgreSQL server holding the part of TeslaMate's
//! schema the importer reads (column types as in current TeslaMate: numeric, smallint,
//! UTC `timestamp`), filled with one car, two drives (one still in progress), a charging
//! session and its charges.

use serde_json::{Value, json};

use crate::common::*;
use crate::pg::{self, Pg};

const SCHEMA: &str = r#"
CREATE TABLE cars (
    id smallserial PRIMARY KEY, eid bigint NOT NULL, vid bigint NOT NULL, model varchar(255),
    efficiency double precision, inserted_at timestamp(0) NOT NULL DEFAULT now(),
    updated_at timestamp(0) NOT NULL DEFAULT now(), vin text, name text, trim_badging text,
    display_priority smallint NOT NULL DEFAULT 1);
CREATE TABLE positions (
    id serial PRIMARY KEY, date timestamp NOT NULL, latitude numeric(8,6) NOT NULL,
    longitude numeric(9,6) NOT NULL, speed smallint, power smallint, odometer double precision,
    ideal_battery_range_km numeric(6,2), battery_level smallint, outside_temp numeric(4,1),
    elevation smallint, car_id smallint NOT NULL REFERENCES cars(id), drive_id integer,
    inside_temp numeric(4,1), est_battery_range_km numeric(6,2),
    rated_battery_range_km numeric(6,2), usable_battery_level smallint);
CREATE TABLE drives (
    id serial PRIMARY KEY, start_date timestamp NOT NULL, end_date timestamp,
    outside_temp_avg numeric(4,1), speed_max smallint, power_max smallint, power_min smallint,
    start_ideal_range_km numeric(6,2), end_ideal_range_km numeric(6,2),
    start_km double precision, end_km double precision, distance double precision,
    duration_min smallint, car_id smallint NOT NULL REFERENCES cars(id),
    inside_temp_avg numeric(4,1), start_rated_range_km numeric(6,2),
    end_rated_range_km numeric(6,2), start_position_id integer REFERENCES positions(id),
    end_position_id integer REFERENCES positions(id));
ALTER TABLE positions ADD FOREIGN KEY (drive_id) REFERENCES drives(id);
CREATE TABLE charging_processes (
    id serial PRIMARY KEY, start_date timestamp NOT NULL, end_date timestamp,
    charge_energy_added numeric(8,2), start_ideal_range_km numeric(6,2),
    end_ideal_range_km numeric(6,2), start_battery_level smallint, end_battery_level smallint,
    duration_min smallint, outside_temp_avg numeric(4,1),
    car_id smallint NOT NULL REFERENCES cars(id), position_id integer REFERENCES positions(id),
    start_rated_range_km numeric(6,2), end_rated_range_km numeric(6,2),
    charge_energy_used numeric(8,2), cost numeric(6,2));
CREATE TABLE charges (
    id serial PRIMARY KEY, date timestamp NOT NULL, battery_level smallint,
    charge_energy_added numeric(8,2) NOT NULL, charger_actual_current smallint,
    charger_phases smallint, charger_power smallint NOT NULL, charger_voltage smallint,
    ideal_battery_range_km numeric(6,2) NOT NULL, outside_temp numeric(4,1),
    charging_process_id integer NOT NULL REFERENCES charging_processes(id),
    rated_battery_range_km numeric(6,2));
"#;

const DATA: &str = r#"
INSERT INTO cars (eid, vid, model, efficiency, vin, name) VALUES
    (100, 200, '3', 0.153, '5YJ3E7EB0KF000002', 'Red');
INSERT INTO drives (start_date, end_date, outside_temp_avg, speed_max, power_max, power_min,
    start_km, end_km, distance, duration_min, car_id, inside_temp_avg, start_rated_range_km,
    end_rated_range_km)
    VALUES ('2024-06-01 08:00:00', '2024-06-01 08:15:00', 20.6, 80, 60, -10, 12000, 12010,
            10.0, 15, 1, 21.4, 400.00, 388.00),
           ('2024-06-01 18:00:00', NULL, NULL, NULL, NULL, NULL, 12010, NULL, NULL, NULL, 1,
            NULL, 388.00, NULL);
INSERT INTO positions (date, latitude, longitude, speed, odometer, battery_level, outside_temp,
    inside_temp, elevation, rated_battery_range_km, car_id, drive_id) VALUES
    ('2024-06-01 08:00:00', 48.137154, 11.576124, 0, 12000.0, 80, 20.0, 22.0, 520, 400.00, 1, 1),
    ('2024-06-01 08:05:00', 48.150000, 11.600000, 50, 12003.5, 79, 20.5, 21.5, 525, 395.50, 1, 1),
    ('2024-06-01 08:10:00', 48.170000, 11.650000, 80, 12008.0, 78, 21.0, 21.0, 530, 390.00, 1, 1),
    ('2024-06-01 08:15:00', 48.180000, 11.660000, 0, 12010.0, 77, 21.0, 21.0, 528, 388.00, 1, 1),
    ('2024-06-01 12:00:00', 48.180000, 11.660000, NULL, 12010.0, 77, 25.0, 30.0, 528, 388.00, 1, NULL),
    ('2024-06-01 18:00:00', 48.181000, 11.661000, 30, 12010.2, 90, 19.0, 24.0, 529, 449.00, 1, 2);
UPDATE drives SET start_position_id = 1, end_position_id = 4 WHERE id = 1;
UPDATE drives SET start_position_id = 6 WHERE id = 2;
INSERT INTO charging_processes (start_date, end_date, charge_energy_added, start_battery_level,
    end_battery_level, duration_min, outside_temp_avg, car_id, position_id,
    start_rated_range_km, end_rated_range_km, charge_energy_used, cost)
    VALUES ('2024-06-01 12:00:00', '2024-06-01 13:00:00', 20.50, 77, 90, 60, 24.5, 1, 5,
            388.00, 450.00, 22.10, 7.38);
INSERT INTO charges (date, battery_level, charge_energy_added, charger_power,
    ideal_battery_range_km, charging_process_id) VALUES
    ('2024-06-01 12:00:00', 77, 0.00, 11, 388.00, 1),
    ('2024-06-01 12:30:00', 84, 10.20, 11, 420.00, 1),
    ('2024-06-01 13:00:00', 90, 20.50, 10, 450.00, 1);
CREATE ROLE trove_reader LOGIN PASSWORD 'reader-secret';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO trove_reader;
"#;

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// A server with the TeslaMate subset in database `teslamate`.
fn teslamate() -> Pg {
    let pg = Pg::start();
    pg.connect("postgres")
        .batch_execute("CREATE DATABASE teslamate")
        .unwrap();
    let mut c = pg.connect("teslamate");
    c.batch_execute(SCHEMA).unwrap();
    c.batch_execute(DATA).unwrap();
    pg
}

fn attrs(t: &TestEnv, query: &str) -> Vec<Value> {
    t.sql(query)
        .into_iter()
        .map(|r| serde_json::from_str(r[0].as_str().unwrap()).unwrap())
        .collect()
}

#[test]
#[ignore = "needs PostgreSQL; .ci/run installs it"]
fn sync_reads_teslamate_incrementally_and_exactly() {
    let pg = teslamate();
    let t = TestEnv::with_vault();
    let url = pg.url("trove_reader", "teslamate");
    t.set("PGPASSWORD", "reader-secret");

    let report = t.json(&["sync", "teslamate", "--url", &url]);
    assert_eq!(
        report["database"],
        json!(format!("127.0.0.1:{}/teslamate", pg.port))
    );
    assert_eq!(
        (
            &report["cars"],
            &report["drives"],
            &report["charging_processes"],
            &report["positions"],
            &report["charges"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(6), &json!(3))
    );
    // The unfinished drive 2 is not read, and the cursor stops before it.
    assert_eq!(
        report["cursors"],
        json!({"drives": 1, "charging_processes": 1, "positions": 6, "charges": 3})
    );
    assert_eq!(report["rejected"], json!(0));

    assert_eq!(
        t.sql("SELECT name, manufacturer, hardware FROM devices"),
        vec![vec![
            json!("Tesla"),
            json!("Tesla"),
            json!("5YJ3E7EB0KF000002")
        ]]
    );
    assert_eq!(
        t.sql(
            "SELECT kind, start_ms, end_ms, tz_offset_min, original_id, natural_key,
                    device_id IS NOT NULL FROM events ORDER BY id"
        ),
        vec![
            vec![
                json!("drive"),
                json!(ms("2024-06-01T08:00:00Z")),
                json!(ms("2024-06-01T08:15:00Z")),
                Value::Null,
                json!("1"),
                json!("drive:1"),
                json!(1)
            ],
            vec![
                json!("charge"),
                json!(ms("2024-06-01T12:00:00Z")),
                json!(ms("2024-06-01T13:00:00Z")),
                Value::Null,
                json!("1"),
                json!("charge:1"),
                json!(1)
            ],
        ]
    );
    let a = attrs(&t, "SELECT attrs FROM events ORDER BY id");
    assert_eq!(
        a[0],
        json!({
            "distance_m": 10000.0, "duration_s": 900.0,
            "start_odometer_m": 12000000.0, "end_odometer_m": 12010000.0,
            "start_battery_level": 80.0, "end_battery_level": 77.0,
            "start_range_m": 400000.0, "end_range_m": 388000.0,
            "start_location": {"lat": 48.137154, "lon": 11.576124},
            "end_location": {"lat": 48.18, "lon": 11.66},
            "speed_max_mps": 22.222, "energy_kwh": 1.836,
            "power_max_kw": 60.0, "power_min_kw": -10.0,
            "outside_temp_avg_c": 20.6, "inside_temp_avg_c": 21.4
        })
    );
    assert_eq!(
        a[1],
        json!({
            "energy_added_kwh": 20.5, "energy_used_kwh": 22.1, "duration_s": 3600.0,
            "start_battery_level": 77.0, "end_battery_level": 90.0,
            "start_range_m": 388000.0, "end_range_m": 450000.0,
            "location": {"lat": 48.18, "lon": 11.66},
            "charger_power_max_kw": 11.0, "cost": 7.38, "outside_temp_avg_c": 24.5
        })
    );
    // The drive's positions are its track points, in time order.
    assert_eq!(
        t.sql(
            "SELECT e.original_id, p.seq, p.t_ms, p.lat, p.lon, p.alt_m, round(p.speed_mps, 3)
             FROM track_points p JOIN events e ON e.id = p.event_id ORDER BY p.event_id, p.seq"
        ),
        [
            ("2024-06-01T08:00:00Z", 48.137154, 11.576124, 520.0, 0.0),
            ("2024-06-01T08:05:00Z", 48.15, 11.6, 525.0, 13.889),
            ("2024-06-01T08:10:00Z", 48.17, 11.65, 530.0, 22.222),
            ("2024-06-01T08:15:00Z", 48.18, 11.66, 528.0, 0.0),
        ]
        .iter()
        .map(|(time, lat, lon, alt, speed)| vec![
            json!("1"),
            json!(ms(time) * 16),
            json!(ms(time)),
            json!(lat),
            json!(lon),
            json!(alt),
            json!(speed)
        ])
        .collect::<Vec<_>>()
    );
    // Samples in canonical units; the charge at 12:00 repeats the position's battery level
    // (same metric, time, value and car) and is stored once.
    assert_eq!(
        t.sql(
            "SELECT metric, count(*), round(min(value), 4), round(max(value), 4) FROM samples
             GROUP BY metric ORDER BY metric"
        ),
        vec![
            vec![json!("battery_level"), json!(8), json!(77.0), json!(90.0)],
            vec![
                json!("battery_range"),
                json!(6),
                json!(388000.0),
                json!(449000.0)
            ],
            vec![json!("charge_power"), json!(3), json!(10.0), json!(11.0)],
            vec![
                json!("inside_temperature"),
                json!(6),
                json!(21.0),
                json!(30.0)
            ],
            vec![
                json!("odometer"),
                json!(6),
                json!(12000000.0),
                json!(12010200.0)
            ],
            vec![
                json!("outside_temperature"),
                json!(6),
                json!(19.0),
                json!(25.0)
            ],
            vec![json!("speed"), json!(5), json!(0.0), json!(22.2222)],
        ]
    );
    assert_eq!(
        t.sql(
            "SELECT start_ms, value FROM samples WHERE metric = 'charge_power' ORDER BY start_ms"
        ),
        vec![
            vec![json!(ms("2024-06-01T12:00:00Z")), json!(11.0)],
            vec![json!(ms("2024-06-01T12:30:00Z")), json!(11.0)],
            vec![json!(ms("2024-06-01T13:00:00Z")), json!(10.0)],
        ]
    );
    // TeslaMate's database was read in one read-only snapshot (the server logs statements).
    let log = std::fs::read_to_string(pg.dir().join("server.log")).unwrap();
    assert!(
        log.contains("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"),
        "{log}"
    );
    assert_eq!(
        t.sql("SELECT importer, kind, status FROM import_runs"),
        vec![vec![json!("teslamate"), json!("sync"), json!("complete")]]
    );

    // A second sync adds nothing.
    let again = t.json(&["sync", "teslamate", "--url", &url]);
    assert_eq!(again["added"], json!(0), "{again}");
    assert_eq!(again["drives"], json!(0));
    let rows = t.count("SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM events) + (SELECT count(*) FROM track_points)");
    assert_eq!(rows, 40 + 2 + 4);

    // Drive 2 finishes and gets another position; the next sync (password from a file this
    // time) reads exactly that.
    pg.connect("teslamate")
        .batch_execute(
            "INSERT INTO positions (date, latitude, longitude, speed, odometer, battery_level,
                 outside_temp, inside_temp, elevation, rated_battery_range_km, car_id, drive_id)
                 VALUES ('2024-06-01 18:10:00', 48.190000, 11.670000, 40, 12015.0, 88, 18.5,
                         23.0, 531, 441.00, 1, 2);
             UPDATE drives SET end_date = '2024-06-01 18:10:00', end_km = 12015.0,
                 distance = 4.8, duration_min = 10, end_rated_range_km = 441.00,
                 end_position_id = 7, speed_max = 40 WHERE id = 2;",
        )
        .unwrap();
    t.unset("PGPASSWORD");
    let pwfile = t.path().join("pgpass.txt");
    std::fs::write(&pwfile, "reader-secret\n").unwrap();
    set_mode(&pwfile, 0o600);
    let third = t.json(&[
        "sync",
        "teslamate",
        "--url",
        &url,
        "--password-file",
        &path_str(&pwfile),
    ]);
    assert_eq!(third["drives"], json!(1));
    assert_eq!(
        third["cursors"],
        json!({"drives": 2, "charging_processes": 1, "positions": 7, "charges": 3})
    );
    assert_eq!(
        t.sql(
            "SELECT e.original_id, p.t_ms, p.lat FROM track_points p JOIN events e
             ON e.id = p.event_id WHERE e.original_id = '2' ORDER BY p.seq"
        ),
        vec![
            vec![json!("2"), json!(ms("2024-06-01T18:00:00Z")), json!(48.181)],
            vec![json!("2"), json!(ms("2024-06-01T18:10:00Z")), json!(48.19)],
        ]
    );
    // Every track point belongs to its drive's time span.
    assert_eq!(
        t.count(
            "SELECT count(*) FROM track_points p JOIN events e ON e.id = p.event_id
             WHERE p.t_ms < e.start_ms OR p.t_ms > e.end_ms"
        ),
        0
    );
    // Only the new position's six samples were added (the rest were re-read as overlap).
    assert_eq!(third["per_kind"]["odometer"]["added"], json!(1));
    assert_eq!(
        t.count("SELECT count(*) FROM import_runs WHERE kind = 'sync' AND status = 'complete'"),
        3
    );
}

#[test]
#[ignore = "needs PostgreSQL; .ci/run installs it"]
fn sync_refuses_argv_passwords_and_explains_failures() {
    let pg = teslamate();
    let t = TestEnv::with_vault();

    // A password in the URL would be in the process list: refused before anything else.
    let url = format!(
        "postgres://trove_reader:reader-secret@127.0.0.1:{}/teslamate",
        pg.port
    );
    let out = t.run(&["sync", "teslamate", "--url", &url]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("contains a password"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("PGPASSWORD"), "{}", stderr(&out));

    // A wrong password: the server's reason and what to check.
    t.set("PGPASSWORD", "wrong");
    let out = t.run(&[
        "sync",
        "teslamate",
        "--url",
        &pg.url("trove_reader", "teslamate"),
    ]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(err.contains("hint: check the password"), "{err}");
    assert!(
        !err.contains("wrong"),
        "the password is never echoed: {err}"
    );

    // Not a TeslaMate database.
    t.set("PGPASSWORD", pg::SUPERUSER_PASSWORD);
    let out = t.run(&[
        "sync",
        "teslamate",
        "--url",
        &pg.url("postgres", "postgres"),
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("not a TeslaMate database"),
        "{}",
        stderr(&out)
    );

    // Nothing was written by the failed attempts, and TLS demands are refused clearly.
    assert_eq!(t.count("SELECT count(*) FROM events"), 0);
    let out = t.run(&[
        "sync",
        "teslamate",
        "--url",
        &format!("{}?sslmode=require", pg.url("trove_reader", "teslamate")),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("sslmode=require is not supported"));
}
