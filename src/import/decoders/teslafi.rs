//! TeslaFi monthly CSV exports (`TeslaFi<M><YYYY>.csv`, `MMYYYY.csv` since 2023).
//!
//! One row per poll (about once a minute while the car is awake), about 145 columns: the
//! Tesla Owner-API fields plus `data_id`, `Date` and TeslaFi's own session counters
//! (`driveNumber`, `chargeNumber`, …). Missing values are empty, `None` or `<invalid>`.
//! Distances are in miles and speeds in mph (converted here); temperatures are in °C.
//!
//! **Time.** `Date` is local wall-clock time of the car's home, without an offset; the
//! importer needs `--timezone`. Rows are resolved in file order with
//! [`crate::time::resolve_civil_after`]: a time in the spring-forward gap moves forward by the
//! gap; a time in the repeated fall-back hour takes the first occurrence unless that would
//! go back before the previous row, in which case it is the second occurrence.
//!
//! **Samples.** The columns in the spec's `[tables.samples]` become samples of the car
//! (battery level, odometer, range, speed, temperatures); `charger_power` only while charging
//! (it reads 0 whenever the car is plugged in or idle).
//!
//! **Drives and charges.** TeslaFi has no drive table; sessions are derived from the row
//! stream. A drive is a run of consecutive rows with the same non-zero `driveNumber` (or,
//! in exports without that column, with `shift_state` D, R or N); a charge likewise with
//! `chargeNumber` (or `charging_state` Charging or Starting). Each becomes a `drive` or
//! `charge` event summarized as in [`super::car`]; a drive's positions become its
//! track points. A drive's points are held until the drive ends, so memory is bounded by the
//! longest drive, not the file. A session still open at the end of the file ends there; the
//! next month's file continues it under the same key (its rows join the same event, whose
//! summary keeps the first file's part).

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use jiff::civil::DateTime;

use super::car::{self, ChargeSummary, DriveSummary, Span};
use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::generic::resolve_zone;
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{Event, Handle, Sample, Value};
use crate::time::{Instant, Zone, resolve_civil_after};

/// Values TeslaFi writes for "no value".
const MISSING: &[&str] = &["", "None", "none", "<invalid>", "null", "nan", "NaN"];

/// `Date` formats seen in TeslaFi exports (ISO, and the US style of older exports).
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
];

struct Column {
    name: String,
    metric: Arc<str>,
    unit: Arc<str>,
}

pub struct TeslaFi {
    zone: Zone,
    columns: Vec<Column>,
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let zone = resolve_zone(Some("local"), ctx)?;
    let bad = |detail: String| Error::BadSpec {
        origin: ctx.spec.origin.clone(),
        detail,
    };
    let mut columns = Vec::new();
    if let Some(table) = ctx.spec.tables.get("samples") {
        for (name, v) in table {
            let metric = v.get("metric").and_then(|m| m.as_str());
            let unit = v.get("unit").and_then(|m| m.as_str());
            let (Some(metric), Some(unit)) = (metric, unit) else {
                return Err(bad(format!(
                    "tables.samples.{name}: give {{ metric = \"…\", unit = \"…\" }}"
                )));
            };
            columns.push(Column {
                name: name.clone(),
                metric: Arc::from(metric),
                unit: Arc::from(unit),
            });
        }
    }
    Ok(Box::new(TeslaFi { zone, columns }))
}

/// Column positions, looked up once from the header.
#[derive(Default)]
struct Cols {
    data_id: Option<usize>,
    date: usize,
    vin: Option<usize>,
    shift_state: Option<usize>,
    speed: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    heading: Option<usize>,
    elevation: Option<usize>,
    odometer: Option<usize>,
    battery_level: Option<usize>,
    battery_range: Option<usize>,
    charging_state: Option<usize>,
    charger_power: Option<usize>,
    charge_energy_added: Option<usize>,
    drive_number: Option<usize>,
    charge_number: Option<usize>,
}

/// Which session a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq)]
enum SessionId {
    /// TeslaFi's own counter.
    Number(i64),
    /// Derived from the car's state (no counter column in the export).
    Derived,
}

struct Session {
    id: SessionId,
    car: String,
    device: Handle,
    line: u64,
    start: Instant,
    end_ms: i64,
    odometer_mi: Span<f64>,
    level: Span<f64>,
    range_mi: Span<f64>,
    place: Span<(f64, f64)>,
    speed_max_mph: Option<f64>,
    energy_added: Span<f64>,
    power_max_kw: Option<f64>,
    points: Vec<car::Point>,
}

impl Session {
    fn new(id: SessionId, car: &str, device: Handle, line: u64, t: Instant) -> Self {
        Session {
            id,
            car: car.to_string(),
            device,
            line,
            start: t,
            end_ms: t.ms,
            odometer_mi: Span::default(),
            level: Span::default(),
            range_mi: Span::default(),
            place: Span::default(),
            speed_max_mph: None,
            energy_added: Span::default(),
            power_max_kw: None,
            points: Vec::new(),
        }
    }

    fn key(&self, kind: &str) -> String {
        match self.id {
            SessionId::Number(n) => format!("{kind}:{}:{n}", self.car),
            SessionId::Derived => format!("{kind}:{}:t{}", self.car, self.start.ms),
        }
    }

    fn original_id(&self) -> Option<String> {
        match self.id {
            SessionId::Number(n) => Some(n.to_string()),
            SessionId::Derived => None,
        }
    }
}

/// One parsed row, the fields sessions need.
struct Row {
    t: Instant,
    odometer: Option<f64>,
    level: Option<f64>,
    range: Option<f64>,
    place: Option<(f64, f64)>,
    speed: Option<f64>,
    heading: Option<f64>,
    elevation: Option<f64>,
    energy_added: Option<f64>,
    power: Option<f64>,
}

fn cell(row: &csv::StringRecord, i: Option<usize>) -> Option<&str> {
    let v = row.get(i?)?.trim();
    (!MISSING.contains(&v)).then_some(v)
}

fn number(row: &csv::StringRecord, i: Option<usize>) -> std::result::Result<Option<f64>, String> {
    match cell(row, i) {
        None => Ok(None),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| format!("{v:?} is not a number")),
    }
}

fn parse_date(s: &str) -> Option<DateTime> {
    DATE_FORMATS.iter().find_map(|f| {
        jiff::fmt::strtime::parse(f, s)
            .ok()
            .and_then(|p| p.to_datetime().ok())
    })
}

struct State {
    drive: Option<Session>,
    charge: Option<Session>,
    devices: HashMap<String, Handle>,
    last_car: Option<String>,
}

impl Decoder for TeslaFi {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let start = |e: std::io::Error| DecodeError::fatal("start of file", e.to_string());
        let mut input = crate::import::utf8::skip_bom(input).map_err(start)?;
        let (crlf, input) = crate::import::generic::csv_start(&mut input).map_err(start)?;
        // One row may not span more than MAX_RECORD bytes (a quote that never closes).
        let (input, record_start) =
            crate::import::limit::record_limit(input, crate::import::limit::MAX_RECORD);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let headers = reader
            .headers()
            .map_err(|e| DecodeError::fatal("line 1", format!("unreadable header: {e}")))?
            .clone();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            index.entry(h.trim()).or_insert(i);
        }
        let col = |name: &str| index.get(name).copied();
        let Some(date) = col("Date") else {
            return Err(DecodeError::fatal(
                "line 1",
                "no Date column: not a TeslaFi export",
            ));
        };
        let cols = Cols {
            data_id: col("data_id"),
            date,
            vin: col("vin"),
            shift_state: col("shift_state"),
            speed: col("speed"),
            latitude: col("latitude"),
            longitude: col("longitude"),
            heading: col("heading"),
            elevation: col("elevation"),
            odometer: col("odometer"),
            battery_level: col("battery_level"),
            battery_range: col("battery_range"),
            charging_state: col("charging_state"),
            charger_power: col("charger_power"),
            charge_energy_added: col("charge_energy_added"),
            drive_number: col("driveNumber"),
            charge_number: col("chargeNumber"),
        };
        let sample_cols: Vec<(usize, &Column)> = self
            .columns
            .iter()
            .filter_map(|c| col(&c.name).map(|i| (i, c)))
            .collect();
        let charge_power: Arc<str> = Arc::from("charge_power");
        let kw: Arc<str> = Arc::from("kW");

        let mut st = State {
            drive: None,
            charge: None,
            devices: HashMap::new(),
            last_car: None,
        };
        let mut last_ms: Option<i64> = None;
        let mut row = csv::StringRecord::new();
        loop {
            record_start.mark();
            match reader.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line()) + crlf;
                    match e.kind() {
                        csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. } => {
                            out.reject(
                                format!("line {line}"),
                                format!("unreadable row: {e}"),
                                None,
                            )?;
                            continue;
                        }
                        _ => {
                            self.finish_all(&mut st, out)?;
                            return Err(DecodeError::fatal(format!("line {line}"), e.to_string()));
                        }
                    }
                }
            }
            let line = row.position().map_or(0, |p| p.line()) + crlf;
            let locator = match cell(&row, cols.data_id) {
                Some(id) => format!("line {line} (data_id {id})"),
                None => format!("line {line}"),
            };
            let Some(raw_date) = cell(&row, Some(cols.date)) else {
                out.reject(locator, "no Date", Some(excerpt(&row)))?;
                continue;
            };
            let Some(t) =
                parse_date(raw_date).and_then(|dt| resolve_civil_after(dt, &self.zone, last_ms))
            else {
                out.reject(
                    locator,
                    format!("Date {raw_date:?} is not a date TeslaFi writes (YYYY-MM-DD HH:MM:SS)"),
                    Some(excerpt(&row)),
                )?;
                continue;
            };
            last_ms = Some(t.ms);

            let car = match cell(&row, cols.vin) {
                Some(v) => v.to_string(),
                None => st.last_car.clone().unwrap_or_default(),
            };
            let device = match st.devices.get(&car) {
                Some(h) => *h,
                None => {
                    let h = out.device(car::tesla(Some(&car)))?;
                    st.devices.insert(car.clone(), h);
                    h
                }
            };
            st.last_car = Some(car.clone());

            // Numbers the sessions need; an unreadable one is rejected once, here.
            let mut bad_fields = Vec::new();
            let mut num = |i: Option<usize>, name: &str| match number(&row, i) {
                Ok(v) => v,
                Err(msg) => {
                    bad_fields.push(format!("{name}: {msg}"));
                    None
                }
            };
            let lat = num(cols.latitude, "latitude");
            let lon = num(cols.longitude, "longitude");
            let parsed = Row {
                t,
                odometer: num(cols.odometer, "odometer"),
                level: num(cols.battery_level, "battery_level"),
                range: num(cols.battery_range, "battery_range"),
                place: car::coords(lat, lon),
                speed: num(cols.speed, "speed"),
                heading: num(cols.heading, "heading"),
                elevation: num(cols.elevation, "elevation"),
                energy_added: num(cols.charge_energy_added, "charge_energy_added"),
                power: num(cols.charger_power, "charger_power"),
            };
            let drive_number = num(cols.drive_number, "driveNumber");
            let charge_number = num(cols.charge_number, "chargeNumber");
            for msg in bad_fields {
                out.reject(locator.clone(), msg, None)?;
            }

            let mut emitted = false;
            for (i, c) in &sample_cols {
                // Bad values were rejected above for the session columns; the others here.
                let v = match number(&row, Some(*i)) {
                    Ok(Some(v)) => v,
                    Ok(None) => continue,
                    Err(msg) => {
                        if ![
                            cols.odometer,
                            cols.battery_level,
                            cols.battery_range,
                            cols.speed,
                        ]
                        .contains(&Some(*i))
                        {
                            out.reject(locator.clone(), format!("{}: {msg}", c.name), None)?;
                        }
                        continue;
                    }
                };
                out.sample(Sample {
                    metric: Arc::clone(&c.metric),
                    start_ms: t.ms,
                    end_ms: None,
                    tz_offset_min: t.offset_min,
                    value: Value::Num(v),
                    unit: Some(Arc::clone(&c.unit)),
                    device: Some(device),
                    event: None,
                    attrs: None,
                    locator: Some(locator.clone()),
                })?;
                emitted = true;
            }

            // Sessions.
            let drive_id = match cols.drive_number {
                Some(_) => drive_number
                    .filter(|n| *n > 0.0)
                    .map(|n| SessionId::Number(n as i64)),
                None => cell(&row, cols.shift_state)
                    .filter(|s| matches!(*s, "D" | "R" | "N"))
                    .map(|_| SessionId::Derived),
            };
            let charge_id = match cols.charge_number {
                Some(_) => charge_number
                    .filter(|n| *n > 0.0)
                    .map(|n| SessionId::Number(n as i64)),
                None => cell(&row, cols.charging_state)
                    .filter(|s| matches!(*s, "Charging" | "Starting"))
                    .map(|_| SessionId::Derived),
            };
            if st.drive.as_ref().is_some_and(|d| Some(d.id) != drive_id) {
                let d = st.drive.take().expect("checked");
                finish_drive(d, out)?;
            }
            if st.charge.as_ref().is_some_and(|c| Some(c.id) != charge_id) {
                let c = st.charge.take().expect("checked");
                finish_charge(c, out)?;
            }
            if let Some(id) = drive_id {
                let d = st
                    .drive
                    .get_or_insert_with(|| Session::new(id, &car, device, line, t));
                see(d, &parsed);
                if let Some((lat, lon)) = parsed.place {
                    d.points.push(car::Point {
                        t_ms: t.ms,
                        lat,
                        lon,
                        alt_m: parsed.elevation,
                        speed_mps: parsed.speed.map(|s| s * car::MPH_MPS),
                        course_deg: parsed.heading,
                    });
                }
            }
            if let Some(id) = charge_id {
                let c = st
                    .charge
                    .get_or_insert_with(|| Session::new(id, &car, device, line, t));
                see(c, &parsed);
                if let Some(p) = parsed.power {
                    out.sample(Sample {
                        metric: Arc::clone(&charge_power),
                        start_ms: t.ms,
                        end_ms: None,
                        tz_offset_min: t.offset_min,
                        value: Value::Num(p),
                        unit: Some(Arc::clone(&kw)),
                        device: Some(device),
                        event: None,
                        attrs: None,
                        locator: Some(locator.clone()),
                    })?;
                    emitted = true;
                }
            }
            if !emitted && drive_id.is_none() && charge_id.is_none() {
                out.skip()?;
            }
        }
        self.finish_all(&mut st, out)
    }
}

impl TeslaFi {
    fn finish_all(&self, st: &mut State, out: &mut Emitter) -> DecodeResult {
        if let Some(d) = st.drive.take() {
            finish_drive(d, out)?;
        }
        if let Some(c) = st.charge.take() {
            finish_charge(c, out)?;
        }
        Ok(())
    }
}

fn see(s: &mut Session, r: &Row) {
    s.end_ms = r.t.ms;
    s.odometer_mi.see(r.odometer);
    s.level.see(r.level);
    s.range_mi.see(r.range);
    s.place.see(r.place);
    car::max_opt(&mut s.speed_max_mph, r.speed);
    s.energy_added.see(r.energy_added);
    car::max_opt(&mut s.power_max_kw, r.power);
}

fn excerpt(row: &csv::StringRecord) -> String {
    row.iter().take(8).collect::<Vec<_>>().join(",")
}

fn finish_drive(d: Session, out: &mut Emitter) -> DecodeResult {
    let mi = |v: Option<f64>| v.map(|v| v * car::MI_M);
    let summary = DriveSummary {
        distance_m: match (d.odometer_mi.first, d.odometer_mi.last) {
            (Some(a), Some(b)) if b >= a => Some((b - a) * car::MI_M),
            _ => None,
        },
        duration_s: Some((d.end_ms - d.start.ms) as f64 / 1000.0),
        start_odometer_m: mi(d.odometer_mi.first),
        end_odometer_m: mi(d.odometer_mi.last),
        start_battery_level: d.level.first,
        end_battery_level: d.level.last,
        start_range_m: mi(d.range_mi.first),
        end_range_m: mi(d.range_mi.last),
        start_location: d.place.first,
        end_location: d.place.last,
        speed_max_mps: d.speed_max_mph.map(|s| s * car::MPH_MPS),
        energy_kwh: None,
        points: Some(d.points.len() as u64),
    };
    let handle = out.event(Event {
        kind: "drive".into(),
        start_ms: Some(d.start.ms),
        end_ms: Some(d.end_ms),
        tz_offset_min: d.start.offset_min,
        attrs: summary.attrs().into_json(),
        original_id: d.original_id(),
        natural_key: Some(d.key("drive")),
        device: Some(d.device),
        locator: Some(format!("line {}", d.line)),
        ..Default::default()
    })?;
    car::emit_track(out, handle, d.points)
}

fn finish_charge(c: Session, out: &mut Emitter) -> DecodeResult {
    let mi = |v: Option<f64>| v.map(|v| v * car::MI_M);
    // `charge_energy_added` counts up from 0 within a session, but rows before the session
    // starts may still show the previous session's total: take the difference when it grows.
    let energy = match (c.energy_added.first, c.energy_added.last) {
        (Some(a), Some(b)) if b >= a => Some(b - a),
        (_, Some(b)) => Some(b),
        _ => None,
    };
    let summary = ChargeSummary {
        energy_added_kwh: energy,
        energy_used_kwh: None,
        duration_s: Some((c.end_ms - c.start.ms) as f64 / 1000.0),
        start_battery_level: c.level.first,
        end_battery_level: c.level.last,
        start_range_m: mi(c.range_mi.first),
        end_range_m: mi(c.range_mi.last),
        location: c.place.first,
        charger_power_max_kw: c.power_max_kw,
        cost: None,
    };
    out.event(Event {
        kind: "charge".into(),
        start_ms: Some(c.start.ms),
        end_ms: Some(c.end_ms),
        tz_offset_min: c.start.offset_min,
        attrs: summary.attrs().into_json(),
        original_id: c.original_id(),
        natural_key: Some(c.key("charge")),
        device: Some(c.device),
        locator: Some(format!("line {}", c.line)),
        ..Default::default()
    })?;
    Ok(())
}
