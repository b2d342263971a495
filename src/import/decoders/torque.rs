//! Torque Pro OBD-II logs (`.torque/tripLogs/<session>/trackLog.csv` on the phone).
//!
//! The header starts with fixed columns, written with stray spaces:
//! `GPS Time, Device Time, Longitude, Latitude,GPS Speed (Meters/second), Horizontal Dilution
//! of Precision, Altitude, Bearing, G(x), G(y), G(z), G(calibrated)`, followed by one column per
//! sensor (PID) the user chose, named `Name(unit)`: `Engine RPM(rpm)`, `Speed (OBD)(km/h)`,
//! `Engine Coolant Temperature(°C)`. `-` means no value. Torque writes a new header line into
//! the same file when the user changes the PID list mid-session; it is followed.
//!
//! **Samples.** Each PID column is a metric: the spec's `[tables.pids]` maps known names to
//! catalog metrics; any other becomes `obd.<snake_case name>`. Values are converted from the
//! column's unit to the metric's canonical one (psi → kPa, °F → °C, mph → m/s); a unit trove
//! does not know is kept as written for `obd.*` metrics.
//!
//! **Time.** `Device Time` (`23-Feb-2022 06:37:14.374`, millisecond precision, the phone's
//! local time without an offset) is the time of every row. Its offset is `--timezone` when
//! given (DST by [`crate::time`]'s rule); otherwise the row's own `GPS Time` offset
//! (`Wed Feb 23 06:37:13 GMT+08:00 2022`), or the nearest one seen: rows before the first GPS
//! fix are held (up to [`MAX_HELD`]) until an offset is known. A log whose GPS times carry only
//! a zone abbreviation (`EDT`, ambiguous world-wide) needs `--timezone`.
//!
//! **The drive.** A trip log is one session, so the file becomes one `drive` event (time
//! span, GPS distance, start and end place, top speed) whose track points are the rows with a
//! GPS fix (rows before the fix carry `-` or 0,0 and have no point).

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use jiff::civil::DateTime;

use super::car::{self, DriveSummary};
use super::snake_case;
use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::generic::{parse_offset, resolve_zone};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{DeviceInfo, Event, Handle, Sample, Value};
use crate::time::{Instant, Zone, resolve_civil, resolve_civil_after};

/// Rows held while waiting for the first GPS time with an offset.
pub const MAX_HELD: usize = 50_000;

const MISSING: &[&str] = &["", "-", "NaN", "nan", "∞", "-∞"];

/// A PID mapping from the spec: metric and optionally the unit the values are really in.
struct PidMap {
    metric: Arc<str>,
    unit: Option<String>,
}

pub struct Torque {
    zone: Option<Zone>,
    pids: HashMap<String, PidMap>,
    member: String,
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let zone = match ctx.option("timezone") {
        Some(_) => Some(resolve_zone(Some("local"), ctx)?),
        None => None,
    };
    let mut pids = HashMap::new();
    if let Some(table) = ctx.spec.tables.get("pids") {
        for (name, v) in table {
            let (metric, unit) = match v {
                toml::Value::String(m) => (m.clone(), None),
                toml::Value::Table(t) => match t.get("metric").and_then(|m| m.as_str()) {
                    Some(m) => (
                        m.to_string(),
                        t.get("unit").and_then(|u| u.as_str()).map(str::to_string),
                    ),
                    None => {
                        return Err(Error::BadSpec {
                            origin: ctx.spec.origin.clone(),
                            detail: format!("tables.pids.{name}: needs a metric"),
                        });
                    }
                },
                _ => {
                    return Err(Error::BadSpec {
                        origin: ctx.spec.origin.clone(),
                        detail: format!(
                            "tables.pids.{name}: give a metric name or {{ metric, unit }}"
                        ),
                    });
                }
            };
            pids.insert(
                name.to_ascii_lowercase(),
                PidMap {
                    metric: Arc::from(metric.as_str()),
                    unit,
                },
            );
        }
    }
    Ok(Box::new(Torque {
        zone,
        pids,
        member: ctx.member.to_string(),
    }))
}

/// What a column holds.
#[derive(Clone, Debug)]
enum Col {
    GpsTime,
    DeviceTime,
    Longitude,
    Latitude,
    /// GPS speed, with the unit factor to m/s.
    GpsSpeed(f64),
    /// Altitude, with the unit factor to m.
    Altitude(f64),
    Bearing,
    Ignored,
    Pid {
        metric: Arc<str>,
        unit: Option<Arc<str>>,
        is_speed: bool,
    },
}

/// `Speed (OBD)(km/h)` → (`Speed (OBD)`, `km/h`); `GPS Bearing(?` → (whole, none).
fn split_name_unit(header: &str) -> (&str, Option<&str>) {
    let h = header.trim();
    if let Some(body) = h.strip_suffix(')')
        && let Some(open) = body.rfind('(')
    {
        let name = body[..open].trim();
        let unit = body[open + 1..].trim();
        if !name.is_empty() {
            return (name, (!unit.is_empty()).then_some(unit));
        }
    }
    (h, None)
}

/// Torque's unit spellings → the ones in src/units.rs (or kept as written).
fn normalize_unit(u: &str) -> &str {
    match u {
        // Torque's "g" is always acceleration, never grams.
        "g" => "[g]",
        "Meters/second" | "meters/second" => "m/s",
        "l/hr" => "L/h",
        "l/min" => "L/min",
        "l" => "L",
        other => other,
    }
}

impl Torque {
    fn columns(&self, header: &csv::StringRecord) -> Vec<Col> {
        header
            .iter()
            .map(|raw| {
                let h = raw.trim();
                // The accelerometer columns G(x), G(y), G(z), G(calibrated) have no unit group.
                let (name, unit) = if h.starts_with("G(") && h.matches('(').count() == 1 {
                    (h, None)
                } else {
                    split_name_unit(h)
                };
                match name {
                    "GPS Time" => return Col::GpsTime,
                    "Device Time" => return Col::DeviceTime,
                    "Longitude" => return Col::Longitude,
                    "Latitude" => return Col::Latitude,
                    "Horizontal Dilution of Precision" => return Col::Ignored,
                    "Bearing" => return Col::Bearing,
                    "GPS Speed" => {
                        let factor = unit
                            .map(normalize_unit)
                            .and_then(|u| crate::units::convert(1.0, u, "m/s"))
                            .unwrap_or(1.0);
                        return Col::GpsSpeed(factor);
                    }
                    "Altitude" => {
                        let factor = unit
                            .and_then(|u| crate::units::convert(1.0, u, "m"))
                            .unwrap_or(1.0);
                        return Col::Altitude(factor);
                    }
                    _ => {}
                }
                let (metric, unit) = match self.pids.get(&name.to_ascii_lowercase()) {
                    Some(m) => (
                        Arc::clone(&m.metric),
                        m.unit
                            .clone()
                            .or(unit.map(|u| normalize_unit(u).to_string())),
                    ),
                    None => {
                        // G(x) and friends: the phone's accelerometer, in g.
                        let unit = if name.starts_with("G(") && unit.is_none() {
                            Some("[g]".to_string())
                        } else {
                            unit.map(|u| normalize_unit(u).to_string())
                        };
                        let slug = snake_case(name);
                        if slug.is_empty() {
                            return Col::Ignored;
                        }
                        (Arc::from(format!("obd.{slug}").as_str()), unit)
                    }
                };
                let is_speed = &*metric == "speed";
                Col::Pid {
                    metric,
                    unit: unit.map(|u| Arc::from(u.as_str())),
                    is_speed,
                }
            })
            .collect()
    }
}

fn cell(row: &csv::StringRecord, i: usize) -> Option<&str> {
    let v = row.get(i)?.trim();
    (!MISSING.contains(&v)).then_some(v)
}

/// `23-Feb-2022 06:37:14.374` (also without the fraction).
fn parse_device_time(s: &str) -> Option<DateTime> {
    ["%d-%b-%Y %H:%M:%S%.f", "%d-%b-%Y %H:%M:%S"]
        .iter()
        .find_map(|f| {
            jiff::fmt::strtime::parse(f, s)
                .ok()
                .and_then(|p| p.to_datetime().ok())
        })
}

/// The UTC offset written in a GPS Time (`Wed Feb 23 06:37:13 GMT+08:00 2022`), if it is
/// numeric (an abbreviation such as `EDT` is not trusted).
fn gps_offset(s: &str) -> Option<i32> {
    s.split_whitespace()
        .find(|t| t.starts_with("GMT") || t.starts_with("UTC"))
        .and_then(parse_offset)
}

struct Trip {
    device: Option<Handle>,
    start: Option<Instant>,
    end_ms: Option<i64>,
    last_ms: Option<i64>,
    points: Vec<car::Point>,
    distance_m: f64,
    speed_max_mps: Option<f64>,
    /// The most recent numeric GPS offset seen.
    offset: Option<i32>,
    held: Vec<(u64, csv::StringRecord, Arc<Vec<Col>>)>,
}

impl Decoder for Torque {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let start = |e: std::io::Error| DecodeError::fatal("start of file", e.to_string());
        let mut input = crate::import::utf8::skip_bom(input).map_err(start)?;
        let (crlf, input) = crate::import::generic::csv_start(&mut input).map_err(start)?;
        // One row may not span more than MAX_RECORD bytes (a quote that never closes).
        let (input, record_start) =
            crate::import::limit::record_limit(input, crate::import::limit::MAX_RECORD);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(input);
        let mut row = csv::StringRecord::new();
        let mut cols: Option<Arc<Vec<Col>>> = None;
        let mut trip = Trip {
            device: None,
            start: None,
            end_ms: None,
            last_ms: None,
            points: Vec::new(),
            distance_m: 0.0,
            speed_max_mps: None,
            offset: None,
            held: Vec::new(),
        };
        loop {
            record_start.mark();
            match reader.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line()) + crlf;
                    if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        out.reject(format!("line {line}"), format!("unreadable row: {e}"), None)?;
                        continue;
                    }
                    self.finish(&mut trip, out)?;
                    return Err(DecodeError::fatal(format!("line {line}"), e.to_string()));
                }
            }
            let line = row.position().map_or(0, |p| p.line()) + crlf;
            if row.get(0).is_some_and(|f| f.trim() == "GPS Time") {
                // A (new) header: Torque starts one when the PID list changes.
                let c = self.columns(&row);
                if !c.iter().any(|c| matches!(c, Col::DeviceTime)) {
                    self.finish(&mut trip, out)?;
                    return Err(DecodeError::fatal(
                        format!("line {line}"),
                        "no Device Time column: not a Torque trackLog.csv",
                    ));
                }
                cols = Some(Arc::new(c));
                continue;
            }
            let Some(c) = cols.clone() else {
                return Err(DecodeError::fatal(
                    format!("line {line}"),
                    "the file does not start with Torque's header (GPS Time, Device Time, …)",
                ));
            };
            if let Some(gi) = c.iter().position(|c| matches!(c, Col::GpsTime))
                && let Some(off) = cell(&row, gi).and_then(gps_offset)
            {
                let first = trip.offset.is_none();
                trip.offset = Some(off);
                if first && self.zone.is_none() {
                    for (l, r, rc) in std::mem::take(&mut trip.held) {
                        self.row(l, &r, &rc, Some(off), &mut trip, out)?;
                    }
                }
            }
            if self.zone.is_none() && trip.offset.is_none() {
                if trip.held.len() >= MAX_HELD {
                    return Err(no_offset(line));
                }
                trip.held.push((line, row.clone(), c));
                continue;
            }
            let own = c
                .iter()
                .position(|c| matches!(c, Col::GpsTime))
                .and_then(|gi| cell(&row, gi))
                .and_then(gps_offset)
                .or(trip.offset);
            self.row(line, &row, &c, own, &mut trip, out)?;
        }
        if !trip.held.is_empty() {
            let line = trip.held[0].0;
            return Err(no_offset(line));
        }
        self.finish(&mut trip, out)
    }
}

fn no_offset(line: u64) -> DecodeError {
    DecodeError::fatal(
        format!("line {line}"),
        "Device Time has no UTC offset and no GPS Time carries a numeric one (like GMT+08:00): \
         import again with --timezone ZONE (the phone's time zone)",
    )
}

impl Torque {
    fn row(
        &self,
        line: u64,
        row: &csv::StringRecord,
        cols: &[Col],
        offset: Option<i32>,
        trip: &mut Trip,
        out: &mut Emitter,
    ) -> DecodeResult {
        let locator = format!("line {line}");
        let Some(di) = cols.iter().position(|c| matches!(c, Col::DeviceTime)) else {
            return out.reject(locator, "no Device Time column", None);
        };
        let Some(raw) = cell(row, di) else {
            return out.reject(locator, "no Device Time", None);
        };
        let t = parse_device_time(raw).and_then(|dt| match &self.zone {
            Some(z) => resolve_civil_after(dt, z, trip.last_ms),
            None => resolve_civil(dt, &Zone::Fixed(offset?)),
        });
        let Some(t) = t else {
            return out.reject(
                locator,
                format!("Device Time {raw:?} is not like 23-Feb-2022 06:37:14.374"),
                None,
            );
        };
        trip.last_ms = Some(t.ms);
        if trip.start.is_none() {
            trip.start = Some(t);
        }
        trip.end_ms = Some(trip.end_ms.map_or(t.ms, |e| e.max(t.ms)));
        let device = match trip.device {
            Some(h) => h,
            None => {
                let h = out.device(DeviceInfo::named("Torque Pro"))?;
                trip.device = Some(h);
                h
            }
        };
        let (mut lat, mut lon, mut alt, mut gps_speed, mut bearing) =
            (None, None, None, None, None);
        let mut emitted = false;
        for (i, c) in cols.iter().enumerate() {
            let Some(v) = cell(row, i) else { continue };
            let number = || v.parse::<f64>().ok().filter(|x| x.is_finite());
            match c {
                Col::Latitude => lat = number(),
                Col::Longitude => lon = number(),
                Col::Altitude(f) => alt = number().map(|a| a * f),
                Col::GpsSpeed(f) => gps_speed = number().map(|s| s * f),
                Col::Bearing => bearing = number(),
                Col::Pid {
                    metric,
                    unit,
                    is_speed,
                } => {
                    let Some(x) = number() else {
                        out.reject(
                            locator.clone(),
                            format!("{metric}: {v:?} is not a number"),
                            None,
                        )?;
                        continue;
                    };
                    if *is_speed {
                        let mps = unit
                            .as_deref()
                            .and_then(|u| crate::units::convert(x, u, "m/s"));
                        car::max_opt(&mut trip.speed_max_mps, mps);
                    }
                    out.sample(Sample {
                        metric: Arc::clone(metric),
                        start_ms: t.ms,
                        end_ms: None,
                        tz_offset_min: t.offset_min,
                        value: Value::Num(x),
                        unit: unit.clone(),
                        device: Some(device),
                        event: None,
                        attrs: None,
                        locator: Some(locator.clone()),
                    })?;
                    emitted = true;
                }
                _ => {}
            }
        }
        if let Some(p) = car::coords(lat, lon) {
            if let Some(prev) = trip.points.last() {
                trip.distance_m += car::haversine_m((prev.lat, prev.lon), p);
            }
            trip.points.push(car::Point {
                t_ms: t.ms,
                lat: p.0,
                lon: p.1,
                alt_m: alt,
                speed_mps: gps_speed.filter(|s| *s >= 0.0),
                course_deg: bearing,
            });
            emitted = true;
        }
        if !emitted {
            out.skip()?;
        }
        Ok(())
    }

    fn finish(&self, trip: &mut Trip, out: &mut Emitter) -> DecodeResult {
        let (Some(start), Some(end_ms)) = (trip.start, trip.end_ms) else {
            return Ok(());
        };
        if trip.speed_max_mps.is_none() {
            for p in &trip.points {
                car::max_opt(&mut trip.speed_max_mps, p.speed_mps);
            }
        }
        let summary = DriveSummary {
            distance_m: (!trip.points.is_empty()).then_some(trip.distance_m),
            duration_s: Some((end_ms - start.ms) as f64 / 1000.0),
            start_location: trip.points.first().map(|p| (p.lat, p.lon)),
            end_location: trip.points.last().map(|p| (p.lat, p.lon)),
            speed_max_mps: trip.speed_max_mps,
            points: Some(trip.points.len() as u64),
            ..Default::default()
        };
        let mut attrs = summary.attrs();
        attrs.set("log", self.member.clone());
        let handle = out.event(Event {
            kind: "drive".into(),
            start_ms: Some(start.ms),
            end_ms: Some(end_ms),
            tz_offset_min: start.offset_min,
            attrs: attrs.into_json(),
            natural_key: Some(format!("drive:torque:{}", start.ms)),
            device: trip.device,
            locator: Some("trip".into()),
            ..Default::default()
        })?;
        let mut points = std::mem::take(&mut trip.points);
        // Device times can step back a little when the phone syncs its clock; points are
        // stored in time order.
        points.sort_by_key(|p| p.t_ms);
        car::emit_track(out, handle, points)?;
        trip.start = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_and_units() {
        assert_eq!(
            split_name_unit("Speed (OBD)(km/h)"),
            ("Speed (OBD)", Some("km/h"))
        );
        assert_eq!(
            split_name_unit(" Air Fuel Ratio(Measured)(:1)"),
            ("Air Fuel Ratio(Measured)", Some(":1"))
        );
        assert_eq!(split_name_unit("GPS Bearing(?"), ("GPS Bearing(?", None));
        assert_eq!(split_name_unit(" Altitude"), ("Altitude", None));
    }

    #[test]
    fn gps_time_offsets() {
        assert_eq!(gps_offset("Wed Feb 23 06:37:13 GMT+08:00 2022"), Some(480));
        assert_eq!(gps_offset("Fri May 22 07:00:26 GMT-04:00 2015"), Some(-240));
        assert_eq!(gps_offset("Fri May 22 07:00:26 EDT 2015"), None);
        assert_eq!(gps_offset("-"), None);
    }

    #[test]
    fn device_times() {
        let dt = parse_device_time("23-Feb-2022 06:37:14.374").unwrap();
        assert_eq!(dt.to_string(), "2022-02-23T06:37:14.374");
        assert!(parse_device_time("23-Feb-2022 06:37:14").is_some());
        assert!(parse_device_time("2022-02-23").is_none());
    }
}
