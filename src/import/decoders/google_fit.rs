//! Google Fit's Takeout export (`Takeout/Fit/`).
//!
//! * `All data/*.json` ([`create_data`]): one file per data stream, `{"Data Source": …,
//!   "Data Points": [{startTimeNanos, endTimeNanos, dataTypeName, originDataSourceId,
//!   fitValue: [{value: {intVal | fpVal}}]}]}`, streamed point by point. Data types map to
//!   catalog metrics through `[tables.data_types]` (a single metric, a pair for blood
//!   pressure's systolic/diastolic, or categories for sleep and activity segments). Types
//!   without an entry (location samples, raw cumulative counters…) are read, counted and left
//!   out, and the file's report says which.
//!
//!   Takeout holds both the raw streams and Google's merged ones (`derived:…merge_step_deltas`),
//!   and a merged point repeats the raw point it came from. The device of a point is its
//!   `originDataSourceId` (the app or phone that measured it), so a merged copy has the same
//!   identity as its original and is stored once; what the merge computed anew is kept beside
//!   it, as overlap between sources always is.
//! * `All Sessions/*.json` ([`create_session`]): one session per file → a `workout` event
//!   (a `sleep` event for sleep sessions) with duration, energy, distance and steps from its
//!   aggregates. Its times are UTC; the local offset is taken from the file name
//!   (`2019-09-14T18_23_41.239+02_00_WALKING.json`).
//!
//! The daily summary CSV is read by the generic mapping (importers/google-fit.toml).

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::jsonstream::{self, Item, MAX_RECORD};
use crate::import::decoders::snake_case;
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{Attrs, DeviceInfo, Event, Handle, Sample, Value};
use crate::time::{Zone, parse_with};

#[derive(Clone, Debug)]
enum Rule {
    /// `fitValue[0]` in `unit`.
    Number { metric: Arc<str>, unit: Arc<str> },
    /// `fitValue[i]` is metric `i` (blood pressure: systolic, diastolic).
    Several {
        metrics: Vec<Arc<str>>,
        unit: Arc<str>,
    },
    /// `fitValue[0]` is a code looked up in a table (sleep stages, activities).
    Category {
        metric: Arc<str>,
        table: HashMap<String, String>,
        prefix: String,
    },
}

pub struct GoogleFitData {
    rules: HashMap<String, Rule>,
    devices: HashMap<String, Handle>,
    data_source: Option<String>,
    unmapped: BTreeMap<String, u64>,
}

fn bad(ctx: &DecodeContext<'_>, detail: String) -> Error {
    Error::BadSpec {
        origin: ctx.spec.origin.clone(),
        detail,
    }
}

pub fn create_data(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let mut rules = HashMap::new();
    let tables = &ctx.spec.tables;
    for (ty, v) in tables.get("data_types").into_iter().flatten() {
        let t = v
            .as_table()
            .ok_or_else(|| bad(ctx, format!("tables.data_types.{ty}: a table")))?;
        let s = |k: &str| t.get(k).and_then(|v| v.as_str());
        let unit = s("unit").map(Arc::from);
        let rule = if let Some(table) = s("categories") {
            let map = tables
                .get(table)
                .ok_or_else(|| bad(ctx, format!("tables.data_types.{ty}: no [tables.{table}]")))?
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect();
            Rule::Category {
                metric: Arc::from(
                    s("metric")
                        .ok_or_else(|| bad(ctx, format!("tables.data_types.{ty}: needs metric")))?,
                ),
                table: map,
                prefix: s("prefix").unwrap_or("").to_string(),
            }
        } else if let Some(list) = t.get("metrics").and_then(|m| m.as_array()) {
            Rule::Several {
                metrics: list
                    .iter()
                    .filter_map(|m| m.as_str().map(Arc::from))
                    .collect(),
                unit: unit
                    .ok_or_else(|| bad(ctx, format!("tables.data_types.{ty}: needs unit")))?,
            }
        } else {
            Rule::Number {
                metric: Arc::from(
                    s("metric")
                        .ok_or_else(|| bad(ctx, format!("tables.data_types.{ty}: needs metric")))?,
                ),
                unit: unit
                    .ok_or_else(|| bad(ctx, format!("tables.data_types.{ty}: needs unit")))?,
            }
        };
        rules.insert(ty.clone(), rule);
    }
    Ok(Box::new(GoogleFitData {
        rules,
        devices: HashMap::new(),
        data_source: None,
        unmapped: BTreeMap::new(),
    }))
}

/// Epoch nanoseconds (a number or a string of digits) → milliseconds.
fn nanos_ms(v: Option<&Json>) -> Option<i64> {
    let ns: i128 = match v? {
        Json::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))?,
        Json::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    i64::try_from(ns.div_euclid(1_000_000)).ok()
}

/// One `fitValue[i].value` as a number (`intVal` or `fpVal`).
fn fit_number(point: &Json, i: usize) -> Option<f64> {
    let v = point.get("fitValue")?.get(i)?.get("value")?;
    v.get("fpVal")
        .and_then(Json::as_f64)
        .or_else(|| v.get("intVal").and_then(Json::as_f64))
        .filter(|x| x.is_finite())
}

/// A data source id `type:dataType[:app][:manufacturer:model:uid]:stream` as a device. The
/// device's uid is left out: it is a hardware identifier the vault does not need.
pub fn source_device(id: &str) -> DeviceInfo {
    let parts: Vec<&str> = id.split(':').collect();
    let rest = parts.get(2..).unwrap_or(&[]);
    let (app, rest) = match rest.first() {
        Some(p) if p.contains('.') && !p.contains(' ') && rest.len() != 1 => {
            (Some(p.to_string()), &rest[1..])
        }
        _ => (None, rest),
    };
    let (manufacturer, model) = if rest.len() >= 4 {
        (
            Some(rest[0].to_string()).filter(|s| !s.is_empty()),
            Some(rest[1].to_string()).filter(|s| !s.is_empty()),
        )
    } else {
        (None, None)
    };
    DeviceInfo {
        name: model
            .clone()
            .or_else(|| app.clone())
            .unwrap_or_else(|| "Google Fit".to_string()),
        manufacturer,
        model,
        software: app,
        ..Default::default()
    }
}

impl GoogleFitData {
    fn device(
        &mut self,
        origin: &str,
        out: &mut Emitter,
    ) -> std::result::Result<Handle, DecodeError> {
        if let Some(h) = self.devices.get(origin) {
            return Ok(*h);
        }
        let h = out.device(source_device(origin))?;
        self.devices.insert(origin.to_string(), h);
        Ok(h)
    }

    fn point(&mut self, n: u64, p: &Json, out: &mut Emitter) -> DecodeResult {
        let loc = format!("point {n}");
        let file_type = self
            .data_source
            .as_deref()
            .and_then(|s| s.split(':').nth(1))
            .map(str::to_string);
        let Some(ty) = p
            .get("dataTypeName")
            .and_then(Json::as_str)
            .map(str::to_string)
            .or(file_type)
        else {
            return out.reject(
                loc,
                "a data point without a dataTypeName",
                Some(p.to_string()),
            );
        };
        let Some(rule) = self.rules.get(&ty).cloned() else {
            *self.unmapped.entry(ty).or_default() += 1;
            return out.skip();
        };
        let loc = format!("{loc} ({ty})");
        let (Some(start), end) = (
            nanos_ms(p.get("startTimeNanos")),
            nanos_ms(p.get("endTimeNanos")),
        ) else {
            return out.reject(
                loc,
                "startTimeNanos is not a number of nanoseconds",
                Some(p.to_string()),
            );
        };
        let end = end.filter(|e| *e != start);
        let origin = p
            .get("originDataSourceId")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .or(self.data_source.as_deref())
            .unwrap_or("Google Fit")
            .to_string();
        let device = self.device(&origin, out)?;
        let sample = |metric: &Arc<str>, value: Value, unit: Option<&Arc<str>>| Sample {
            metric: Arc::clone(metric),
            start_ms: start,
            end_ms: end,
            tz_offset_min: None,
            value,
            unit: unit.cloned(),
            device: Some(device),
            event: None,
            attrs: None,
            locator: Some(loc.clone()),
        };
        match &rule {
            Rule::Number { metric, unit } => match fit_number(p, 0) {
                Some(v) => out.sample(sample(metric, Value::Num(v), Some(unit))),
                None => out.reject(&loc, "fitValue holds no number", Some(p.to_string())),
            },
            Rule::Several { metrics, unit } => {
                let mut any = false;
                for (i, metric) in metrics.iter().enumerate() {
                    if let Some(v) = fit_number(p, i) {
                        any = true;
                        out.sample(sample(metric, Value::Num(v), Some(unit)))?;
                    }
                }
                if !any {
                    return out.reject(&loc, "fitValue holds no number", Some(p.to_string()));
                }
                Ok(())
            }
            Rule::Category {
                metric,
                table,
                prefix,
            } => {
                let Some(code) = fit_number(p, 0).filter(|c| c.fract() == 0.0) else {
                    return out.reject(&loc, "fitValue holds no integer code", Some(p.to_string()));
                };
                let code = format!("{}", code as i64);
                let cat = table
                    .get(&code)
                    .cloned()
                    .unwrap_or_else(|| format!("{prefix}{code}"));
                out.sample(sample(metric, Value::Category(cat), None))
            }
        }
    }
}

impl Decoder for GoogleFitData {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        jsonstream::stream(
            input,
            Some("Data Points"),
            MAX_RECORD,
            &mut |item| match item {
                Item::Field(k, v) => {
                    if k == "Data Source" {
                        self.data_source = v.as_str().map(str::to_string);
                    }
                    Ok(())
                }
                Item::Element(n, p) => self.point(n, &p, out),
            },
        )?;
        if !self.unmapped.is_empty() {
            let list: Vec<String> = self
                .unmapped
                .iter()
                .map(|(t, n)| format!("{t} ({n} points)"))
                .collect();
            out.note(format!(
                "not imported (no mapping in [tables.data_types]): {}",
                list.join(", ")
            ))?;
        }
        Ok(())
    }
}

pub struct GoogleFitSession {
    offset_min: Option<i32>,
}

/// `2019-09-14T18_23_41.239+02_00_WALKING.json` → +120 minutes.
pub fn offset_from_name(member: &str) -> Option<i32> {
    let base = member.rsplit('/').next().unwrap_or(member);
    let b = base.as_bytes();
    if b.len() < 20 || b[10] != b'T' {
        return None;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    match b.get(i)? {
        b'Z' => Some(0),
        sign @ (b'+' | b'-') => {
            let hh = base.get(i + 1..i + 3)?.parse::<i32>().ok()?;
            if b.get(i + 3) != Some(&b'_') {
                return None;
            }
            let mm = base.get(i + 4..i + 6)?.parse::<i32>().ok()?;
            if hh > 18 || mm > 59 {
                return None;
            }
            let v = hh * 60 + mm;
            Some(if *sign == b'-' { -v } else { v })
        }
        _ => None,
    }
}

pub fn create_session(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    Ok(Box::new(GoogleFitSession {
        offset_min: offset_from_name(ctx.member),
    }))
}

/// `"1288.762s"` → 1288.762.
fn seconds(v: Option<&Json>) -> Option<f64> {
    match v? {
        Json::String(s) => s.trim().trim_end_matches('s').parse().ok(),
        Json::Number(n) => n.as_f64(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

impl Decoder for GoogleFitSession {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut s = serde_json::Map::new();
        jsonstream::stream(input, None, MAX_RECORD, &mut |item| match item {
            Item::Field(k, v) => {
                s.insert(k, v);
                Ok(())
            }
            Item::Element(..) => Err(DecodeError::fatal(
                "top level",
                "not a Google Fit session: expected one JSON object",
            )),
        })?;
        let s = Json::Object(s);
        let time = |k: &str| {
            s.get(k)
                .and_then(Json::as_str)
                .and_then(|t| parse_with(t, "rfc3339", &Zone::Utc))
        };
        let (Some(start), Some(end)) = (time("startTime"), time("endTime")) else {
            return out.reject(
                "session",
                "startTime/endTime missing or not RFC 3339",
                Some(s.to_string()),
            );
        };
        let activity = s
            .get("fitnessActivity")
            .and_then(Json::as_str)
            .unwrap_or("unknown")
            .to_string();
        let is_sleep = activity == "sleep" || activity.starts_with("sleep.");
        let aggregate = |metric: &str| {
            s.get("aggregate")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .find(|a| a.get("metricName").and_then(Json::as_str) == Some(metric))
                .and_then(|a| {
                    a.get("floatValue")
                        .or_else(|| a.get("intValue"))
                        .and_then(Json::as_f64)
                })
        };
        let mut a = Attrs::new();
        a.set("activity_type", activity.clone())
            .set_opt("duration_s", seconds(s.get("duration")))
            .set_opt(
                "total_energy_kcal",
                aggregate("com.google.calories.expended"),
            )
            .set_opt("total_distance_m", aggregate("com.google.distance.delta"))
            .set_opt("steps", aggregate("com.google.step_count.delta"))
            .set_opt("move_minutes", aggregate("com.google.active_minutes"))
            .set_opt("name", s.get("name").and_then(Json::as_str))
            .set_opt("description", s.get("description").and_then(Json::as_str));
        for k in ["segment", "aggregate"] {
            if let Some(v) = s.get(k) {
                a.set(k, v.clone());
            }
        }
        let app = s
            .get("application")
            .and_then(|a| a.get("packageName"))
            .or_else(|| s.get("packageName"))
            .and_then(Json::as_str);
        let device = out.device(DeviceInfo::named(app.unwrap_or("Google Fit")))?;
        let kind = if is_sleep { "sleep" } else { "workout" };
        let id = s.get("id").and_then(Json::as_str).map(str::to_string);
        out.event(Event {
            kind: kind.into(),
            start_ms: Some(start.ms),
            end_ms: Some(end.ms).filter(|e| *e != start.ms),
            tz_offset_min: self.offset_min,
            title: Some(if is_sleep {
                "sleep".to_string()
            } else {
                snake_case(&activity.replace('.', "_"))
            }),
            attrs: a.into_json(),
            natural_key: match &id {
                Some(_) => None,
                None => Some(format!("{kind}:{}:{}:{activity}", start.ms, end.ms)),
            },
            original_id: id,
            device: Some(device),
            locator: Some("session".into()),
            ..Default::default()
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_from_data_source_ids() {
        let d =
            source_device("raw:com.google.heart_rate.bpm:com.mc.miband1:Xiaomi:Mi Band 3:a1b2c3:");
        assert_eq!(d.name, "Mi Band 3");
        assert_eq!(d.manufacturer.as_deref(), Some("Xiaomi"));
        assert_eq!(d.software.as_deref(), Some("com.mc.miband1"));
        let d = source_device(
            "raw:com.google.step_count.cumulative:Google:Pixel 3:8f3c1a:Step Counter",
        );
        assert_eq!(d.name, "Pixel 3");
        assert_eq!(d.software, None);
        let d = source_device(
            "derived:com.google.step_count.delta:com.google.android.gms:merge_step_deltas",
        );
        assert_eq!(d.name, "com.google.android.gms");
        assert_eq!(source_device("nonsense").name, "Google Fit");
    }

    #[test]
    fn offsets_from_session_file_names() {
        assert_eq!(
            offset_from_name("All Sessions/2019-09-14T18_23_41.239+02_00_WALKING.json"),
            Some(120)
        );
        assert_eq!(
            offset_from_name("2019-09-14T08_23_41-05_30_RUNNING.json"),
            Some(-330)
        );
        assert_eq!(
            offset_from_name("2019-09-14T08_23_41Z_RUNNING.json"),
            Some(0)
        );
        assert_eq!(offset_from_name("walk.json"), None);
    }

    #[test]
    fn nanoseconds() {
        assert_eq!(
            nanos_ms(Some(&serde_json::json!(1568486553440000000i64))),
            Some(1568486553440)
        );
        assert_eq!(
            nanos_ms(Some(&serde_json::json!("1568486553440999999"))),
            Some(1568486553440)
        );
        assert_eq!(nanos_ms(Some(&serde_json::json!("soon"))), None);
    }
}
