//! Fitbit's Google Takeout export: `Takeout/Fitbit/Global Export Data/<kind>-YYYY-MM-DD.json`.
//!
//! Each file is one JSON array (streamed). The kind is the file name's prefix:
//!
//! * per-minute series (`steps`, and whatever `[tables.series]` lists): `{"dateTime":
//!   "MM/DD/YY HH:MM:SS", "value": "12"}` → interval samples of the table's length. Minutes
//!   with a zero are read and not stored (a year of them would be half a million empty rows);
//! * `resting_heart_rate`: one day-level value per day (00:00 UTC of the date, `attrs.day`),
//!   `0` meaning "not computed";
//! * `sleep`: sleep logs → a `sleep` event (id: `logId`) with Fitbit's own summary in attrs,
//!   and its stage timeline as `sleep_stage` interval samples linked to it. Fitbit's
//!   `shortData` (wake spells of three minutes or less) overlays `data`; the two are merged
//!   into one timeline without overlaps, so the time per stage adds up as in Fitbit's app.
//!   Levels map to Apple Health's category names through `[tables.sleep_levels]`;
//! * `weight`: `weight` in the account's unit (the file does not say which: `--weight-unit`),
//!   `bmi`, `fat` (%), at the local `date` + `time`;
//! * `exercise`: activity logs → `workout` events with duration, energy, distance (converted
//!   from the log's own `distanceUnit`), steps and heart rate in attrs.
//!
//! Times carry no offset and are the tracker's local clock: they are placed in `--timezone`
//! (required). Heart rate is read by the generic mapping (importers/fitbit.toml).

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::jsonstream::{self, Item, MAX_RECORD};
use crate::import::decoders::snake_case;
use crate::import::generic::resolve_zone;
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{Attrs, DeviceInfo, Event, EventRef, Handle, Sample, Value};
use crate::time::{Zone, day_start_ms, parse_with};

const DATE_TIME: &str = "%m/%d/%y %H:%M:%S";
const ISO_LOCAL: &str = "%Y-%m-%dT%H:%M:%S%.f";

#[derive(Clone, Debug)]
struct SeriesRule {
    metric: Arc<str>,
    unit: Arc<str>,
    interval_ms: i64,
    skip_zero: bool,
}

#[derive(Clone, Debug)]
enum Kind {
    Series(SeriesRule),
    RestingHeartRate,
    Sleep,
    Weight,
    Exercise,
}

pub struct Fitbit {
    kind: Kind,
    zone: Zone,
    weight_unit: Option<Arc<str>>,
    sleep_levels: HashMap<String, String>,
    devices: HashMap<String, Handle>,
}

/// `steps-2020-01-01.json` → `steps`.
pub fn file_kind(member: &str) -> String {
    let base = member.rsplit('/').next().unwrap_or(member);
    let stem = base
        .strip_suffix(".json")
        .or_else(|| base.strip_suffix(".JSON"))
        .unwrap_or(base);
    let b = stem.as_bytes();
    if b.len() > 11 && b[b.len() - 11] == b'-' && day_start_ms(&stem[stem.len() - 10..]).is_some() {
        return stem[..stem.len() - 11].to_string();
    }
    stem.to_string()
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let bad = |detail: String| Error::BadSpec {
        origin: ctx.spec.origin.clone(),
        detail,
    };
    let name = file_kind(ctx.member);
    let kind = match name.as_str() {
        "resting_heart_rate" => Kind::RestingHeartRate,
        "sleep" => Kind::Sleep,
        "weight" => Kind::Weight,
        "exercise" => Kind::Exercise,
        other => {
            let rule = ctx
                .spec
                .tables
                .get("series")
                .and_then(|t| t.get(other))
                .and_then(|v| v.as_table())
                .ok_or_else(|| {
                    bad(format!(
                        "files.{}: the fitbit decoder does not read {other:?} files (add them to [tables.series])",
                        ctx.rule.name
                    ))
                })?;
            let s = |k: &str| rule.get(k).and_then(|v| v.as_str());
            Kind::Series(SeriesRule {
                metric: Arc::from(
                    s("metric")
                        .ok_or_else(|| bad(format!("tables.series.{other}: needs metric")))?,
                ),
                unit: Arc::from(
                    s("unit").ok_or_else(|| bad(format!("tables.series.{other}: needs unit")))?,
                ),
                interval_ms: rule
                    .get("interval_s")
                    .and_then(|v| v.as_integer())
                    .unwrap_or(60)
                    * 1000,
                skip_zero: rule
                    .get("skip_zero")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
            })
        }
    };
    // Fitbit's times are the tracker's local clock: the zone is --timezone.
    let zone = resolve_zone(Some("local"), ctx)?;
    let weight_unit = match (&kind, ctx.option("weight_unit")) {
        (Kind::Weight, None) => {
            return Err(Error::MissingImportOption {
                importer: ctx.spec.id.clone(),
                option: "weight_unit".into(),
                help: "kg or lb: the weight unit of the Fitbit account (its files do not say)"
                    .into(),
            });
        }
        (_, u) => u.map(Arc::from),
    };
    let mut sleep_levels = HashMap::new();
    if let Some(t) = ctx.spec.tables.get("sleep_levels") {
        for (k, v) in t {
            let v = v
                .as_str()
                .ok_or_else(|| bad(format!("tables.sleep_levels.{k}: a category name")))?;
            sleep_levels.insert(k.clone(), v.to_string());
        }
    }
    Ok(Box::new(Fitbit {
        kind,
        zone,
        weight_unit,
        sleep_levels,
        devices: HashMap::new(),
    }))
}

fn text(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number, also when Fitbit writes it as a string (`"value": "12"`).
fn number(v: Option<&Json>) -> Option<f64> {
    match v? {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|v: &f64| v.is_finite())
}

/// A stage interval: start, end, offset, category.
type Segment = (i64, i64, Option<i32>, String);

/// Overlays short segments (`shortData`) on long ones (`data`): each long segment keeps the
/// parts no short one covers, the short ones are cut to the long segments they fall in, and
/// touching pieces of one category are joined. The result is sorted and never overlaps.
pub fn overlay(mut long: Vec<Segment>, mut short: Vec<Segment>) -> Vec<Segment> {
    long.sort_by_key(|s| s.0);
    short.sort_by_key(|s| s.0);
    let mut out: Vec<Segment> = Vec::new();
    let push = |seg: Segment, out: &mut Vec<Segment>| {
        if seg.1 <= seg.0 {
            return;
        }
        if let Some(last) = out.last_mut()
            && last.1 == seg.0
            && last.3 == seg.3
        {
            last.1 = seg.1;
            return;
        }
        out.push(seg);
    };
    for (s, e, off, cat) in long {
        let mut cursor = s;
        for (ss, se, soff, scat) in short.iter().filter(|x| x.0 < e && x.1 > s) {
            let (ss, se) = (*ss.max(&s), *se.min(&e));
            if ss < cursor {
                // Overlapping short segments: the part already covered is skipped.
                if se <= cursor {
                    continue;
                }
                push((cursor, se, *soff, scat.clone()), &mut out);
            } else {
                push((cursor, ss, off, cat.clone()), &mut out);
                push((ss, se, *soff, scat.clone()), &mut out);
            }
            cursor = cursor.max(se);
        }
        push((cursor, e, off, cat), &mut out);
    }
    out
}

impl Fitbit {
    fn device(
        &mut self,
        name: &str,
        out: &mut Emitter,
    ) -> std::result::Result<Handle, DecodeError> {
        if let Some(h) = self.devices.get(name) {
            return Ok(*h);
        }
        let h = out.device(DeviceInfo::named(name))?;
        self.devices.insert(name.to_string(), h);
        Ok(h)
    }

    fn time(&self, raw: Option<&Json>, format: &str) -> Option<crate::time::Instant> {
        let raw = raw?.as_str()?;
        parse_with(raw, format, &self.zone)
    }

    fn record(&mut self, n: u64, v: &Json, out: &mut Emitter) -> DecodeResult {
        let loc = format!("record {n}");
        if !v.is_object() {
            return out.reject(loc, "not a JSON object", Some(v.to_string()));
        }
        match self.kind.clone() {
            Kind::Series(rule) => self.series(&rule, v, &loc, out),
            Kind::RestingHeartRate => self.resting(v, &loc, out),
            Kind::Sleep => self.sleep(v, &loc, out),
            Kind::Weight => self.weight(v, &loc, out),
            Kind::Exercise => self.exercise(v, &loc, out),
        }
    }

    fn series(
        &mut self,
        rule: &SeriesRule,
        v: &Json,
        loc: &str,
        out: &mut Emitter,
    ) -> DecodeResult {
        let Some(t) = self.time(v.get("dateTime"), DATE_TIME) else {
            return out.reject(
                loc,
                "dateTime is not MM/DD/YY HH:MM:SS",
                Some(v.to_string()),
            );
        };
        let Some(value) = number(v.get("value")) else {
            return out.reject(
                loc,
                format!("{}: value is not a number", rule.metric),
                Some(v.to_string()),
            );
        };
        if rule.skip_zero && value == 0.0 {
            return out.skip();
        }
        let device = self.device("Fitbit", out)?;
        out.sample(Sample {
            metric: Arc::clone(&rule.metric),
            start_ms: t.ms,
            end_ms: Some(t.ms + rule.interval_ms),
            tz_offset_min: t.offset_min,
            value: Value::Num(value),
            unit: Some(Arc::clone(&rule.unit)),
            device: Some(device),
            event: None,
            attrs: None,
            locator: Some(loc.to_string()),
        })
    }

    /// `{"dateTime":"01/01/20 00:00:00","value":{"date":"01/01/20","value":62.5,"error":7.1}}`
    fn resting(&mut self, v: &Json, loc: &str, out: &mut Emitter) -> DecodeResult {
        let raw = v.get("dateTime").and_then(Json::as_str).unwrap_or("");
        let day = jiff::fmt::strtime::parse(DATE_TIME, raw)
            .and_then(|p| p.to_date())
            .map(|d| d.to_string())
            .ok();
        let Some((day, start)) = day.and_then(|d| day_start_ms(&d).map(|ms| (d, ms))) else {
            return out.reject(
                loc,
                "dateTime is not MM/DD/YY HH:MM:SS",
                Some(v.to_string()),
            );
        };
        let inner = v.get("value");
        let Some(value) = number(inner.and_then(|i| i.get("value"))) else {
            return out.reject(
                loc,
                "resting heart rate value is not a number",
                Some(v.to_string()),
            );
        };
        if value == 0.0 {
            // Fitbit writes 0 for days it could not compute a resting heart rate.
            return out.skip();
        }
        let mut a = Attrs::new();
        a.set("day", day);
        a.set_opt("error", number(inner.and_then(|i| i.get("error"))));
        let device = self.device("Fitbit", out)?;
        out.sample(Sample {
            metric: Arc::from("resting_heart_rate"),
            start_ms: start,
            end_ms: Some(start + 86_400_000),
            tz_offset_min: None,
            value: Value::Num(value),
            unit: Some(Arc::from("/min")),
            device: Some(device),
            event: None,
            attrs: a.into_json(),
            locator: Some(loc.to_string()),
        })
    }

    fn level(&self, raw: &str) -> String {
        self.sleep_levels
            .get(raw)
            .cloned()
            .unwrap_or_else(|| snake_case(raw))
    }

    fn sleep(&mut self, v: &Json, loc: &str, out: &mut Emitter) -> DecodeResult {
        let (Some(start), Some(end)) = (
            self.time(v.get("startTime"), ISO_LOCAL),
            self.time(v.get("endTime"), ISO_LOCAL),
        ) else {
            return out.reject(
                loc,
                "startTime/endTime missing or not YYYY-MM-DDTHH:MM:SS",
                Some(crate::import::pipeline::truncate(&v.to_string(), 200)),
            );
        };
        let log_id = text(v.get("logId"));
        let loc = match &log_id {
            Some(id) => format!("{loc} (sleep {id})"),
            None => loc.to_string(),
        };
        let main = v.get("mainSleep").and_then(Json::as_bool);
        let mut a = Attrs::new();
        a.set_opt("log_id", log_id.clone())
            .set_opt("day", v.get("dateOfSleep").and_then(Json::as_str))
            .set_opt("type", v.get("type").and_then(Json::as_str))
            .set_opt("main_sleep", main);
        for (key, field) in [
            ("minutes_asleep", "minutesAsleep"),
            ("minutes_awake", "minutesAwake"),
            ("minutes_to_fall_asleep", "minutesToFallAsleep"),
            ("minutes_after_wakeup", "minutesAfterWakeup"),
            ("time_in_bed_min", "timeInBed"),
            ("efficiency", "efficiency"),
            ("info_code", "infoCode"),
        ] {
            a.set_opt(key, v.get(field).filter(|x| x.is_number()).cloned());
        }
        if let Some(summary) = v.get("levels").and_then(|l| l.get("summary")) {
            a.set("summary", summary.clone());
        }
        let device = self.device("Fitbit", out)?;
        let event = out.event(Event {
            kind: "sleep".into(),
            start_ms: Some(start.ms),
            end_ms: Some(end.ms),
            tz_offset_min: start.offset_min,
            title: Some(if main == Some(false) { "nap" } else { "sleep" }.into()),
            attrs: a.into_json(),
            natural_key: match &log_id {
                Some(_) => None,
                None => Some(format!("sleep:{}:{}", start.ms, end.ms)),
            },
            original_id: log_id,
            device: Some(device),
            locator: Some(loc.clone()),
            ..Default::default()
        })?;
        let mut parts: [Vec<Segment>; 2] = [Vec::new(), Vec::new()];
        for (i, key) in ["data", "shortData"].into_iter().enumerate() {
            let items = v
                .get("levels")
                .and_then(|l| l.get(key))
                .and_then(Json::as_array);
            for (j, item) in items.into_iter().flatten().enumerate() {
                let t = self.time(item.get("dateTime"), ISO_LOCAL);
                let secs = number(item.get("seconds")).filter(|s| *s >= 0.0);
                let level = item.get("level").and_then(Json::as_str);
                match (t, secs, level) {
                    (Some(t), Some(secs), Some(level)) => parts[i].push((
                        t.ms,
                        t.ms + (secs * 1000.0).round() as i64,
                        t.offset_min,
                        self.level(level),
                    )),
                    _ => out.reject(
                        format!("{loc} levels.{key}[{j}]"),
                        "a sleep stage needs dateTime, level and seconds",
                        Some(item.to_string()),
                    )?,
                }
            }
        }
        let [long, short] = parts;
        for (s, e, off, cat) in overlay(long, short) {
            out.sample(Sample {
                metric: Arc::from("sleep_stage"),
                start_ms: s,
                end_ms: Some(e),
                tz_offset_min: off,
                value: Value::Category(cat),
                unit: None,
                device: Some(device),
                event: Some(EventRef::Handle(event)),
                attrs: None,
                locator: Some(loc.clone()),
            })?;
        }
        Ok(())
    }

    fn weight(&mut self, v: &Json, loc: &str, out: &mut Emitter) -> DecodeResult {
        let date = v.get("date").and_then(Json::as_str).unwrap_or("");
        let time = v.get("time").and_then(Json::as_str).unwrap_or("00:00:00");
        let Some(t) = parse_with(&format!("{date} {time}"), DATE_TIME, &self.zone) else {
            return out.reject(
                loc,
                "date/time are not MM/DD/YY and HH:MM:SS",
                Some(v.to_string()),
            );
        };
        let source = v
            .get("source")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("Fitbit")
            .to_string();
        let device = self.device(&source, out)?;
        let mut a = Attrs::new();
        a.set_opt("log_id", text(v.get("logId")));
        let attrs = a.into_json();
        let unit = self.weight_unit.clone();
        let mut any = false;
        for (field, metric, unit) in [
            ("weight", "body_mass", unit),
            ("bmi", "body_mass_index", Some(Arc::from("kg/m2"))),
            ("fat", "body_fat_percentage", Some(Arc::from("%"))),
        ] {
            let Some(raw) = v.get(field) else { continue };
            let Some(value) = number(Some(raw)) else {
                out.reject(loc, format!("{field} is not a number"), Some(v.to_string()))?;
                any = true;
                continue;
            };
            any = true;
            out.sample(Sample {
                metric: Arc::from(metric),
                start_ms: t.ms,
                end_ms: None,
                tz_offset_min: t.offset_min,
                value: Value::Num(value),
                unit,
                device: Some(device),
                event: None,
                attrs: attrs.clone(),
                locator: Some(loc.to_string()),
            })?;
        }
        if !any {
            return out.reject(
                loc,
                "a weight log without weight, bmi or fat",
                Some(v.to_string()),
            );
        }
        Ok(())
    }

    fn exercise(&mut self, v: &Json, loc: &str, out: &mut Emitter) -> DecodeResult {
        let Some(start) = self.time(v.get("startTime"), DATE_TIME) else {
            return out.reject(loc, "startTime is not MM/DD/YY HH:MM:SS", None);
        };
        let name = v
            .get("activityName")
            .and_then(Json::as_str)
            .unwrap_or("activity")
            .to_string();
        let duration_ms = number(v.get("duration")).filter(|d| *d >= 0.0);
        let log_id = text(v.get("logId"));
        let mut a = Attrs::new();
        a.set("activity_type", name.clone())
            .set_opt("activity_type_id", v.get("activityTypeId").cloned())
            .set_opt("duration_s", duration_ms.map(|d| d / 1000.0))
            .set_opt(
                "active_duration_s",
                number(v.get("activeDuration")).map(|d| d / 1000.0),
            )
            .set_opt("total_energy_kcal", number(v.get("calories")))
            .set_opt("steps", number(v.get("steps")))
            .set_opt("average_heart_rate", number(v.get("averageHeartRate")))
            .set_opt("log_type", v.get("logType").and_then(Json::as_str));
        if let Some(d) = number(v.get("distance")) {
            let unit = match v.get("distanceUnit").and_then(Json::as_str) {
                Some("Kilometer") => Some("km"),
                Some("Mile") => Some("mi"),
                Some("Meter") => Some("m"),
                _ => None,
            };
            match unit.and_then(|u| crate::units::convert(d, u, "m")) {
                Some(m) => a.set("total_distance_m", (m * 1e3).round() / 1e3),
                None => a
                    .set("distance", d)
                    .set_opt("distance_unit", v.get("distanceUnit").cloned()),
            };
        }
        let source = v
            .get("source")
            .and_then(|s| s.get("name"))
            .and_then(Json::as_str)
            .unwrap_or("Fitbit")
            .to_string();
        let device = self.device(&source, out)?;
        out.event(Event {
            kind: "workout".into(),
            start_ms: Some(start.ms),
            end_ms: duration_ms
                .filter(|d| *d > 0.0)
                .map(|d| start.ms + d.round() as i64),
            tz_offset_min: start.offset_min,
            title: Some(snake_case(&name)),
            attrs: a.into_json(),
            natural_key: match &log_id {
                Some(_) => None,
                None => Some(format!("workout:{}:{name}", start.ms)),
            },
            original_id: log_id,
            device: Some(device),
            locator: Some(loc.to_string()),
            ..Default::default()
        })?;
        Ok(())
    }
}

impl Decoder for Fitbit {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        jsonstream::stream(input, None, MAX_RECORD, &mut |item| match item {
            Item::Element(n, v) => self.record(n, &v, out),
            Item::Field(..) => Err(DecodeError::fatal(
                "top level",
                "not a Fitbit export file: expected a JSON array of records",
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_file_names() {
        assert_eq!(
            file_kind("Takeout/Fitbit/Global Export Data/steps-2020-01-01.json"),
            "steps"
        );
        assert_eq!(
            file_kind("resting_heart_rate-2020-02-20.json"),
            "resting_heart_rate"
        );
        assert_eq!(file_kind("weight.json"), "weight");
    }

    fn seg(s: i64, e: i64, c: &str) -> Segment {
        (s, e, Some(60), c.to_string())
    }

    #[test]
    fn short_wakes_cut_into_long_stages() {
        let long = vec![seg(0, 100, "asleep_core"), seg(100, 200, "asleep_deep")];
        let short = vec![
            seg(20, 30, "awake"),
            seg(95, 110, "awake"),
            seg(190, 200, "awake"),
        ];
        assert_eq!(
            overlay(long, short),
            vec![
                seg(0, 20, "asleep_core"),
                seg(20, 30, "awake"),
                seg(30, 95, "asleep_core"),
                seg(95, 110, "awake"),
                seg(110, 190, "asleep_deep"),
                seg(190, 200, "awake"),
            ]
        );
        // A short wake inside a long wake joins it; overlapping shorts do not double up.
        let long = vec![seg(0, 50, "awake"), seg(50, 100, "asleep_rem")];
        let short = vec![seg(40, 60, "awake"), seg(55, 65, "awake")];
        assert_eq!(
            overlay(long, short),
            vec![seg(0, 65, "awake"), seg(65, 100, "asleep_rem")]
        );
        // The pieces cover exactly the long timeline.
        let long = vec![seg(0, 1000, "asleep_core")];
        let short = vec![seg(-50, 10, "awake"), seg(990, 1050, "awake")];
        let total: i64 = overlay(long, short).iter().map(|s| s.1 - s.0).sum();
        assert_eq!(total, 1000);
    }
}
