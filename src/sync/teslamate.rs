//! `trove sync teslamate`: reads a TeslaMate PostgreSQL database directly.
//!
//! TeslaMate has no export; its data lives in PostgreSQL. trove connects with the URL the
//! user gives (the password comes from `PGPASSWORD` or a file, never the URL or argv), opens
//! one `READ ONLY`, `REPEATABLE READ` transaction (a consistent snapshot; trove cannot change
//! the database even by accident) and reads:
//!
//! * `cars` → one device per car (the VIN is its identity, [`car::tesla`]);
//! * `drives` (finished ones) → `drive` events, with their `positions` as track points;
//! * `charging_processes` (finished ones) → `charge` events;
//! * `positions` → samples (battery level, odometer, speed, rated range, temperatures);
//! * `charges` → samples (charge power, battery level while charging).
//!
//! Column types differ between TeslaMate versions (float in old schemas, numeric later), so
//! every value is cast in SQL (`::float8`, epoch milliseconds for timestamps, which TeslaMate
//! stores as UTC `timestamp without time zone`); columns an older schema lacks read as NULL.
//!
//! **Incremental.** Cursors (the highest id read per table) are kept in the vault's `meta`
//! table under `sync.teslamate`, in the same transaction as the rows. Drives and charging
//! processes still in progress are not read, and the cursor stops before the first of them,
//! so they are picked up once finished. Positions and charges are re-read from
//! [`OVERLAP`] ids before the cursor, so a row committed late by TeslaMate is not missed
//! (re-read rows come back as duplicates). A different database (host, port, name) than the
//! last sync starts from the beginning; `--full` does so on request.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Config, IsolationLevel, NoTls, Row};
use rusqlite::Connection;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::decoders::car::{self, ChargeSummary, DriveSummary};
use crate::import::writer::{FileContext, FileStats, Writer};
use crate::model::{Event, EventRef, Handle, Record, Sample, TrackPoint, Value, time_seq};
use crate::output::JSON_VERSION;
use crate::vault::Vault;

pub const IMPORTER: &str = "teslamate";
/// Bump the major version when the mapping changes so that users know to `--full` re-sync.
pub const VERSION: &str = "1.0.0";
/// Where the cursors live in `meta`.
pub const STATE_KEY: &str = "sync.teslamate";
/// Ids of positions and charges re-read before the cursor (see the module docs).
pub const OVERLAP: i64 = 500;

pub struct Options {
    /// `postgres://user@host:port/db` or `host=… user=… dbname=…`, without a password.
    pub url: String,
    pub password: Option<Zeroizing<String>>,
    /// Ignore the cursors and read everything again.
    pub full: bool,
    pub dry_run: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Cursors {
    pub drives: i64,
    pub charging_processes: i64,
    pub positions: i64,
    pub charges: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SyncReport {
    pub version: u32,
    pub source: &'static str,
    /// host:port/dbname (no user, no password).
    pub database: String,
    pub dry_run: bool,
    /// Whether this sync started from the beginning.
    pub full: bool,
    pub cars: u64,
    pub drives: u64,
    pub charging_processes: u64,
    pub positions: u64,
    pub charges: u64,
    pub cursors: Cursors,
    #[serde(flatten)]
    pub stats: FileStats,
    pub warnings: Vec<String>,
    pub duration_ms: u64,
}

fn pg_error(context: &str, e: postgres::Error) -> Error {
    use postgres::error::SqlState;
    let code = e.code().cloned();
    let hint = match code {
        Some(c) if c == SqlState::INVALID_PASSWORD => Some(
            "check the password in PGPASSWORD or the --password-file (TeslaMate's DATABASE_PASS)"
                .to_string(),
        ),
        Some(c) if c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => Some(
            "the server refused this user/host combination (pg_hba.conf); check the user in --url"
                .to_string(),
        ),
        Some(c) if c == SqlState::INVALID_CATALOG_NAME => {
            Some("check the database name in --url (TeslaMate's default is teslamate)".to_string())
        }
        Some(c) if c == SqlState::INSUFFICIENT_PRIVILEGE => Some(
            "the user needs SELECT on cars, drives, positions, charging_processes and charges"
                .to_string(),
        ),
        _ if e.as_db_error().is_none() => Some(
            "is TeslaMate's PostgreSQL reachable from here? (docker compose: publish port 5432 \
             on 127.0.0.1, or use an SSH tunnel)"
                .to_string(),
        ),
        _ => None,
    };
    let detail = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            // The top-level message plus its cause ("error connecting to server: Connection
            // refused").
            let mut s = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(cause) = src {
                let c = cause.to_string();
                if !s.contains(&c) {
                    s.push_str(": ");
                    s.push_str(&c);
                }
                src = cause.source();
            }
            s
        }
    };
    Error::Postgres {
        context: context.to_string(),
        detail,
        hint,
    }
}

/// Parses and checks the connection string: no password in it, no TLS demanded.
pub fn config(url: &str) -> Result<(Config, String, Vec<String>)> {
    let mut config: Config = url.parse().map_err(|e: postgres::Error| Error::Usage {
        message: format!("--url is not a PostgreSQL connection string: {e}"),
        hint: Some("like postgres://teslamate@127.0.0.1:5432/teslamate".into()),
    })?;
    if config.get_password().is_some() {
        return Err(Error::PasswordInUrl);
    }
    match config.get_ssl_mode() {
        postgres::config::SslMode::Disable | postgres::config::SslMode::Prefer => {}
        _ => {
            return Err(Error::Usage {
                message: "sslmode=require is not supported: trove connects to TeslaMate without TLS".into(),
                hint: Some(
                    "connect over loopback or a Unix socket on the TeslaMate host, or through an SSH tunnel (ssh -L 5432:localhost:5432 host)"
                        .into(),
                ),
            });
        }
    }
    config.ssl_mode(postgres::config::SslMode::Disable);
    config.application_name("trove");
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(15));
    }
    let mut warnings = Vec::new();
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => {
            let loopback = h == "localhost"
                || h.parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                warnings.push(format!(
                    "connecting to {h} without TLS: the data crosses the network unencrypted"
                ));
            }
            h.clone()
        }
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres")
        .to_string();
    Ok((config, format!("{host}:{port}/{db}"), warnings))
}

/// The columns each table has, to read optional ones as NULL on older schemas.
struct Schema {
    columns: HashSet<(String, String)>,
}

impl Schema {
    /// `alias.name::cast`, or `NULL::cast` when the column does not exist.
    fn col(&self, table: &str, alias: &str, name: &str, cast: &str) -> String {
        if self
            .columns
            .contains(&(table.to_string(), name.to_string()))
        {
            format!("{alias}.{name}::{cast}")
        } else {
            format!("NULL::{cast}")
        }
    }
    fn has(&self, table: &str, name: &str) -> bool {
        self.columns
            .contains(&(table.to_string(), name.to_string()))
    }
}

const REQUIRED: &[(&str, &[&str])] = &[
    ("cars", &["id"]),
    ("drives", &["id", "car_id", "start_date", "end_date"]),
    (
        "positions",
        &["id", "car_id", "date", "latitude", "longitude", "drive_id"],
    ),
    (
        "charging_processes",
        &["id", "car_id", "start_date", "end_date"],
    ),
    ("charges", &["id", "charging_process_id", "date"]),
];

/// Epoch milliseconds of a UTC `timestamp` column.
fn ms(expr: &str) -> String {
    format!("(extract(epoch from {expr}) * 1000)::int8")
}

struct Sink<'c> {
    writer: Writer<'c>,
    next_handle: Handle,
    cars: HashMap<i64, Handle>,
    efficiency: HashMap<i64, f64>,
    metrics: HashMap<&'static str, (Arc<str>, Arc<str>)>,
}

impl Sink<'_> {
    fn handle(&mut self) -> Handle {
        let h = self.next_handle;
        self.next_handle += 1;
        h
    }

    fn sample(
        &mut self,
        metric: &'static str,
        unit: &'static str,
        car: Option<i64>,
        t: i64,
        v: Option<f64>,
    ) -> Result<()> {
        let Some(v) = v else { return Ok(()) };
        let (m, u) = self
            .metrics
            .entry(metric)
            .or_insert_with(|| (Arc::from(metric), Arc::from(unit)))
            .clone();
        let device = car.and_then(|c| self.cars.get(&c).copied());
        self.writer.write(Record::Sample(Sample {
            metric: m,
            start_ms: t,
            end_ms: None,
            tz_offset_min: None,
            value: Value::Num(v),
            unit: Some(u),
            device,
            event: None,
            attrs: None,
            locator: Some(format!("{metric} at {}", crate::output::rfc3339_ms(t))),
        }))
    }
}

fn f(row: &Row, i: usize) -> Option<f64> {
    row.get::<_, Option<f64>>(i).filter(|v| v.is_finite())
}

fn check_interrupt() -> Result<()> {
    if crate::interrupt::requested() {
        return Err(Error::Interrupted);
    }
    Ok(())
}

pub fn run(vault: &mut Vault, opts: &Options) -> Result<SyncReport> {
    let started = Instant::now();
    let (mut config, database, warnings) = config(&opts.url)?;
    if let Some(p) = &opts.password {
        config.password(p.as_bytes());
    }
    let mut client = config
        .connect(NoTls)
        .map_err(|e| pg_error("connecting", e))?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| pg_error("starting a read-only transaction", e))?;

    // Which TeslaMate tables and columns are there.
    let tables: Vec<String> = REQUIRED.iter().map(|(t, _)| t.to_string()).collect();
    let rows = tx
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ANY($1)",
            &[&tables],
        )
        .map_err(|e| pg_error("reading the schema", e))?;
    let schema = Schema {
        columns: rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect(),
    };
    for (table, cols) in REQUIRED {
        for c in *cols {
            if !schema.has(table, c) {
                return Err(Error::Postgres {
                    context: "reading the schema".into(),
                    detail: format!(
                        "{database} has no {table}.{c}: it is not a TeslaMate database, or the user cannot see it"
                    ),
                    hint: Some(
                        "point --url at TeslaMate's database (default name teslamate) and a user with SELECT on its tables"
                            .into(),
                    ),
                });
            }
        }
    }

    let conn: &Connection = &vault.conn;
    let state = super::load_state(conn, STATE_KEY)?;
    let same_db = state
        .as_ref()
        .and_then(|s| s.get("database"))
        .and_then(|d| d.as_str())
        == Some(database.as_str());
    let full = opts.full || !same_db;
    let cursor = |name: &str| -> i64 {
        if full {
            return 0;
        }
        state
            .as_ref()
            .and_then(|s| s.get(name))
            .and_then(|v| v.as_i64())
            .unwrap_or(0)
    };
    let mut cursors = Cursors {
        drives: cursor("drives"),
        charging_processes: cursor("charging_processes"),
        positions: cursor("positions"),
        charges: cursor("charges"),
    };

    let args = serde_json::json!({ "database": database, "full": full, "dry_run": opts.dry_run });
    let run_id = super::start_run(conn, IMPORTER, VERSION, &args)?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let source_id = crate::import::source_id(conn, IMPORTER, "")?;
    let writer = Writer::new(
        conn,
        FileContext {
            importer: IMPORTER,
            source_id,
            run_id,
            file_id: None,
            member: Some("teslamate"),
            strict: false,
        },
    )?;
    let mut sink = Sink {
        writer,
        next_handle: 0,
        cars: HashMap::new(),
        efficiency: HashMap::new(),
        metrics: HashMap::new(),
    };
    let mut report = SyncReport {
        version: JSON_VERSION,
        source: IMPORTER,
        database: database.clone(),
        dry_run: opts.dry_run,
        full,
        cars: 0,
        drives: 0,
        charging_processes: 0,
        positions: 0,
        charges: 0,
        cursors: Cursors::default(),
        stats: FileStats::default(),
        warnings,
        duration_ms: 0,
    };
    let result = read_all(&mut tx, &schema, &mut sink, &mut cursors, &mut report)
        .and_then(|()| sink.writer.finish());
    report.stats = sink.writer.stats();
    drop(sink);
    let status = match &result {
        Ok(()) => "complete",
        Err(Error::Interrupted) => "interrupted",
        Err(_) => "failed",
    };
    match result {
        Ok(()) if !opts.dry_run => {
            let doc = serde_json::json!({
                "database": database,
                "drives": cursors.drives,
                "charging_processes": cursors.charging_processes,
                "positions": cursors.positions,
                "charges": cursors.charges,
            });
            super::save_state(conn, STATE_KEY, &doc)?;
            conn.execute_batch("COMMIT")?;
        }
        _ => conn.execute_batch("ROLLBACK")?,
    }
    super::finish_run(conn, run_id, status, &report.stats)?;
    result?;
    // Nothing was written in the TeslaMate database; end the transaction politely.
    let _ = tx.rollback();
    report.cursors = cursors;
    report.duration_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

fn read_all(
    tx: &mut postgres::Transaction<'_>,
    schema: &Schema,
    sink: &mut Sink<'_>,
    cursors: &mut Cursors,
    report: &mut SyncReport,
) -> Result<()> {
    // Cars → devices.
    let sql = format!(
        "SELECT c.id::int8, {vin}, {eff} FROM cars c ORDER BY c.id",
        vin = schema.col("cars", "c", "vin", "text"),
        eff = schema.col("cars", "c", "efficiency", "float8"),
    );
    for row in tx
        .query(&sql, &[])
        .map_err(|e| pg_error("reading cars", e))?
    {
        let id: i64 = row.get(0);
        let vin: Option<String> = row.get(1);
        let h = sink.handle();
        sink.writer.write(Record::Device {
            handle: h,
            info: match vin.as_deref() {
                Some(v) if !v.is_empty() => car::tesla(Some(v)),
                _ => {
                    let mut d = car::tesla(None);
                    d.model = Some(format!("TeslaMate car {id}"));
                    d
                }
            },
        })?;
        sink.cars.insert(id, h);
        if let Some(e) = f(&row, 2) {
            sink.efficiency.insert(id, e);
        }
        report.cars += 1;
    }

    read_drives(tx, schema, sink, cursors, report)?;
    read_charging_processes(tx, schema, sink, cursors, report)?;

    // Positions → samples.
    let from = (cursors.positions - OVERLAP).max(0);
    let sql = format!(
        "SELECT p.id::int8, p.car_id::int8, {t}, {level}, {odo}, {speed}, {outside}, {inside}, {range}
         FROM positions p WHERE p.id > $1::int8 ORDER BY p.id",
        t = ms("p.date"),
        level = schema.col("positions", "p", "battery_level", "float8"),
        odo = schema.col("positions", "p", "odometer", "float8"),
        speed = schema.col("positions", "p", "speed", "float8"),
        outside = schema.col("positions", "p", "outside_temp", "float8"),
        inside = schema.col("positions", "p", "inside_temp", "float8"),
        range = schema.col("positions", "p", "rated_battery_range_km", "float8"),
    );
    let mut it = tx
        .query_raw(&sql, [from])
        .map_err(|e| pg_error("reading positions", e))?;
    while let Some(row) = it.next().map_err(|e| pg_error("reading positions", e))? {
        let id: i64 = row.get(0);
        let car_id: i64 = row.get(1);
        let t: i64 = row.get(2);
        let car = Some(car_id);
        sink.sample("battery_level", "%", car, t, f(&row, 3))?;
        sink.sample("odometer", "km", car, t, f(&row, 4))?;
        sink.sample("speed", "km/h", car, t, f(&row, 5))?;
        sink.sample("outside_temperature", "Cel", car, t, f(&row, 6))?;
        sink.sample("inside_temperature", "Cel", car, t, f(&row, 7))?;
        sink.sample("battery_range", "km", car, t, f(&row, 8))?;
        cursors.positions = cursors.positions.max(id);
        report.positions += 1;
        if report.positions.is_multiple_of(4096) {
            check_interrupt()?;
        }
    }
    drop(it);

    // Charges → samples.
    let from = (cursors.charges - OVERLAP).max(0);
    let sql = format!(
        "SELECT ch.id::int8, cp.car_id::int8, {t}, {power}, {level}
         FROM charges ch JOIN charging_processes cp ON cp.id = ch.charging_process_id
         WHERE ch.id > $1::int8 ORDER BY ch.id",
        t = ms("ch.date"),
        power = schema.col("charges", "ch", "charger_power", "float8"),
        level = schema.col("charges", "ch", "battery_level", "float8"),
    );
    let mut it = tx
        .query_raw(&sql, [from])
        .map_err(|e| pg_error("reading charges", e))?;
    while let Some(row) = it.next().map_err(|e| pg_error("reading charges", e))? {
        let id: i64 = row.get(0);
        let car = Some(row.get::<_, i64>(1));
        let t: i64 = row.get(2);
        sink.sample("charge_power", "kW", car, t, f(&row, 3))?;
        sink.sample("battery_level", "%", car, t, f(&row, 4))?;
        cursors.charges = cursors.charges.max(id);
        report.charges += 1;
        if report.charges.is_multiple_of(4096) {
            check_interrupt()?;
        }
    }
    Ok(())
}

/// The new cursor of a table whose unfinished rows must be read again later: the highest id
/// read, but never past the first unfinished row.
fn next_cursor(
    tx: &mut postgres::Transaction<'_>,
    table: &str,
    from: i64,
    highest: i64,
) -> Result<i64> {
    let row = tx
        .query_one(
            &format!("SELECT min(id)::int8 FROM {table} WHERE id > $1::int8 AND end_date IS NULL"),
            &[&from],
        )
        .map_err(|e| pg_error(&format!("reading {table}"), e))?;
    let unfinished: Option<i64> = row.get(0);
    Ok(match unfinished {
        Some(u) => highest.min(u - 1).max(from),
        None => highest.max(from),
    })
}

fn read_drives(
    tx: &mut postgres::Transaction<'_>,
    schema: &Schema,
    sink: &mut Sink<'_>,
    cursors: &mut Cursors,
    report: &mut SyncReport,
) -> Result<()> {
    let s = |name: &str, cast: &str| schema.col("drives", "d", name, cast);
    let sp = |name: &str| {
        if schema.has("drives", "start_position_id") {
            schema.col("positions", "sp", name, "float8")
        } else {
            "NULL::float8".to_string()
        }
    };
    let ep = |name: &str| {
        if schema.has("drives", "end_position_id") {
            schema.col("positions", "ep", name, "float8")
        } else {
            "NULL::float8".to_string()
        }
    };
    let join = |alias: &str, col: &str| {
        if schema.has("drives", col) {
            format!("LEFT JOIN positions {alias} ON {alias}.id = d.{col}")
        } else {
            String::new()
        }
    };
    let sql = format!(
        "SELECT d.id::int8, d.car_id::int8, {start}, {end},
                {distance}, {start_km}, {end_km}, {start_range}, {end_range}, {speed_max},
                {sp_level}, {ep_level}, {sp_lat}, {sp_lon}, {ep_lat}, {ep_lon},
                {power_max}, {power_min}, {outside}, {inside}
         FROM drives d {join_sp} {join_ep}
         WHERE d.id > $1::int8 AND d.end_date IS NOT NULL ORDER BY d.id",
        start = ms("d.start_date"),
        end = ms("d.end_date"),
        distance = s("distance", "float8"),
        start_km = s("start_km", "float8"),
        end_km = s("end_km", "float8"),
        start_range = s("start_rated_range_km", "float8"),
        end_range = s("end_rated_range_km", "float8"),
        speed_max = s("speed_max", "float8"),
        sp_level = sp("battery_level"),
        ep_level = ep("battery_level"),
        sp_lat = sp("latitude"),
        sp_lon = sp("longitude"),
        ep_lat = ep("latitude"),
        ep_lon = ep("longitude"),
        power_max = s("power_max", "float8"),
        power_min = s("power_min", "float8"),
        outside = s("outside_temp_avg", "float8"),
        inside = s("inside_temp_avg", "float8"),
        join_sp = join("sp", "start_position_id"),
        join_ep = join("ep", "end_position_id"),
    );
    let drives = tx
        .query(&sql, &[&cursors.drives])
        .map_err(|e| pg_error("reading drives", e))?;
    let points_sql = format!(
        "SELECT {t}, p.latitude::float8, p.longitude::float8, {elevation}, {speed}
         FROM positions p WHERE p.drive_id = $1::int8 ORDER BY p.date, p.id",
        t = ms("p.date"),
        elevation = schema.col("positions", "p", "elevation", "float8"),
        speed = schema.col("positions", "p", "speed", "float8"),
    );
    let from = cursors.drives;
    let mut highest = from;
    for d in &drives {
        check_interrupt()?;
        let id: i64 = d.get(0);
        let car_id: i64 = d.get(1);
        let start: i64 = d.get(2);
        let end: i64 = d.get(3);
        let km = |i: usize| f(d, i).map(|v| v * 1000.0);
        let (start_range, end_range) = (f(d, 7), f(d, 8));
        let energy = match (start_range, end_range, sink.efficiency.get(&car_id)) {
            (Some(a), Some(b), Some(e)) if a >= b => Some((a - b) * e),
            _ => None,
        };
        let summary = DriveSummary {
            distance_m: km(4),
            duration_s: Some((end - start) as f64 / 1000.0),
            start_odometer_m: km(5),
            end_odometer_m: km(6),
            start_battery_level: f(d, 10),
            end_battery_level: f(d, 11),
            start_range_m: start_range.map(|v| v * 1000.0),
            end_range_m: end_range.map(|v| v * 1000.0),
            start_location: car::coords(f(d, 12), f(d, 13)),
            end_location: car::coords(f(d, 14), f(d, 15)),
            speed_max_mps: f(d, 9).map(|v| v * car::KMH_MPS),
            energy_kwh: energy,
            points: None,
        };
        let mut attrs = summary.attrs();
        attrs.set_opt("power_max_kw", f(d, 16));
        attrs.set_opt("power_min_kw", f(d, 17));
        attrs.set_opt("outside_temp_avg_c", f(d, 18));
        attrs.set_opt("inside_temp_avg_c", f(d, 19));
        let handle = sink.handle();
        sink.writer.write(Record::Event {
            handle: Some(handle),
            event: Box::new(Event {
                kind: "drive".into(),
                start_ms: Some(start),
                end_ms: Some(end),
                attrs: attrs.into_json(),
                original_id: Some(id.to_string()),
                device: sink.cars.get(&car_id).copied(),
                locator: Some(format!("drives.id {id}")),
                ..Default::default()
            }),
        })?;
        let mut prev = None;
        let mut it = tx
            .query_raw(&points_sql, [id])
            .map_err(|e| pg_error("reading positions", e))?;
        while let Some(p) = it.next().map_err(|e| pg_error("reading positions", e))? {
            let t: i64 = p.get(0);
            let Some((lat, lon)) = car::coords(f(&p, 1), f(&p, 2)) else {
                continue;
            };
            sink.writer.write(Record::TrackPoint(TrackPoint {
                event: EventRef::Handle(handle),
                seq: time_seq(t, &mut prev),
                t_ms: t,
                lat,
                lon,
                alt_m: f(&p, 3),
                speed_mps: f(&p, 4).map(|v| v * car::KMH_MPS),
                course_deg: None,
                h_acc_m: None,
                v_acc_m: None,
                attrs: None,
            }))?;
        }
        highest = highest.max(id);
        report.drives += 1;
    }
    cursors.drives = next_cursor(tx, "drives", from, highest)?;
    Ok(())
}

fn read_charging_processes(
    tx: &mut postgres::Transaction<'_>,
    schema: &Schema,
    sink: &mut Sink<'_>,
    cursors: &mut Cursors,
    report: &mut SyncReport,
) -> Result<()> {
    let s = |name: &str, cast: &str| schema.col("charging_processes", "cp", name, cast);
    let has_pos = schema.has("charging_processes", "position_id");
    let pos = |name: &str| {
        if has_pos {
            schema.col("positions", "p", name, "float8")
        } else {
            "NULL::float8".into()
        }
    };
    let power_max = if schema.has("charges", "charger_power") {
        "(SELECT max(ch.charger_power)::float8 FROM charges ch WHERE ch.charging_process_id = cp.id)"
    } else {
        "NULL::float8"
    };
    let sql = format!(
        "SELECT cp.id::int8, cp.car_id::int8, {start}, {end}, {added}, {used},
                {start_level}, {end_level}, {start_range}, {end_range}, {cost},
                {lat}, {lon}, {power_max}, {outside}
         FROM charging_processes cp {join}
         WHERE cp.id > $1::int8 AND cp.end_date IS NOT NULL ORDER BY cp.id",
        start = ms("cp.start_date"),
        end = ms("cp.end_date"),
        added = s("charge_energy_added", "float8"),
        used = s("charge_energy_used", "float8"),
        start_level = s("start_battery_level", "float8"),
        end_level = s("end_battery_level", "float8"),
        start_range = s("start_rated_range_km", "float8"),
        end_range = s("end_rated_range_km", "float8"),
        cost = s("cost", "float8"),
        lat = pos("latitude"),
        lon = pos("longitude"),
        outside = s("outside_temp_avg", "float8"),
        join = if has_pos {
            "LEFT JOIN positions p ON p.id = cp.position_id"
        } else {
            ""
        },
    );
    let rows = tx
        .query(&sql, &[&cursors.charging_processes])
        .map_err(|e| pg_error("reading charging_processes", e))?;
    let from = cursors.charging_processes;
    let mut highest = from;
    for c in &rows {
        let id: i64 = c.get(0);
        let car_id: i64 = c.get(1);
        let start: i64 = c.get(2);
        let end: i64 = c.get(3);
        let summary = ChargeSummary {
            energy_added_kwh: f(c, 4),
            energy_used_kwh: f(c, 5),
            duration_s: Some((end - start) as f64 / 1000.0),
            start_battery_level: f(c, 6),
            end_battery_level: f(c, 7),
            start_range_m: f(c, 8).map(|v| v * 1000.0),
            end_range_m: f(c, 9).map(|v| v * 1000.0),
            location: car::coords(f(c, 11), f(c, 12)),
            charger_power_max_kw: f(c, 13),
            cost: f(c, 10),
        };
        let mut attrs = summary.attrs();
        attrs.set_opt("outside_temp_avg_c", f(c, 14));
        sink.writer.write(Record::Event {
            handle: None,
            event: Box::new(Event {
                kind: "charge".into(),
                start_ms: Some(start),
                end_ms: Some(end),
                attrs: attrs.into_json(),
                original_id: Some(id.to_string()),
                device: sink.cars.get(&car_id).copied(),
                locator: Some(format!("charging_processes.id {id}")),
                ..Default::default()
            }),
        })?;
        highest = highest.max(id);
        report.charging_processes += 1;
    }
    cursors.charging_processes = next_cursor(tx, "charging_processes", from, highest)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        let (_, db, warnings) = config("postgres://teslamate@127.0.0.1:5433/teslamate").unwrap();
        assert_eq!(db, "127.0.0.1:5433/teslamate");
        assert!(warnings.is_empty());
        assert!(matches!(
            config("postgres://teslamate:secret@localhost/teslamate"),
            Err(Error::PasswordInUrl)
        ));
        assert!(matches!(
            config("host=localhost user=teslamate password=secret"),
            Err(Error::PasswordInUrl)
        ));
        let err = config("postgres://teslamate@db.example/teslamate?sslmode=require").unwrap_err();
        assert!(err.to_string().contains("sslmode=require"), "{err}");
        let (_, _, warnings) = config("postgres://teslamate@db.example/teslamate").unwrap();
        assert!(warnings[0].contains("without TLS"), "{warnings:?}");
    }
}
