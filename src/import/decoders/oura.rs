//! Oura: the membership-hub export and API v2 JSON, through one mapping.
//!
//! The same records reach trove in two shapes:
//!
//! * the hub export (membership hub → Export data): a zip with `App Data/*.csv`, semicolon
//!   separated, one file per API collection, the API's field names as columns, nested objects
//!   as JSON text inside a cell, file names in lower or Pascal case (`sleepmodel.csv`,
//!   `SleepModel.csv`), and ids that are sometimes blank;
//! * API v2 responses (`{"data": [...], "next_token": ...}`), saved to files one collection
//!   per file, or pulled by `trove sync oura` (src/sync/oura.rs).
//!
//! Both become one JSON object per record and go through [`Mapper::map`], so a night that
//! arrives through the export and through the API becomes the same rows, and natural keys make
//! the second arrival add nothing. A file's collection is recognized from its fields (the CSV
//! header, the first JSON record), with its name (`[tables.file_names]`) as the fallback.
//!
//! What each collection becomes is documented in docs/SCHEMA.md ("Oura"). In short: daily
//! collections become day-level samples (00:00 UTC of `day` to the next midnight, `day` in
//! attrs; `day` is the day you woke up); sleep periods become `sleep` events with their
//! hypnogram as `sleep_stage` samples (Apple's category names, `[tables.sleep_stages]`) and
//! their heart-rate and HRV series as samples linked to the event; workouts become `workout`
//! events named like Apple's; heart-rate rows become `heart_rate` samples. Every row carries
//! the device "Oura Ring". Identity never depends on Oura's `id` (blank in some exports):
//! a sleep period is its bedtime start, a workout its start, a day value its day.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;
use std::sync::Arc;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::snake_case;
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::import::spec::Spec;
use crate::model::{Attrs, DeviceInfo, Event, EventRef, Handle, Sample, Value};
use crate::time::{Instant, Zone, day_start_ms, parse_with};

/// The device on every Oura row.
pub const DEVICE_NAME: &str = "Oura Ring";
pub const MANUFACTURER: &str = "Oura";

const DAY_MS: i64 = 86_400_000;
/// `sleep_phase_5_min` and `class_5_min`: one character per five minutes.
const SLOT_MS: i64 = 300_000;

/// The Oura API v2 collections trove reads (`/v2/usercollection/<api_name>`), plus the
/// export-only ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    DailySleep,
    Sleep,
    DailyReadiness,
    DailyActivity,
    DailySpo2,
    DailyStress,
    DailyResilience,
    DailyCardiovascularAge,
    Vo2Max,
    Workout,
    HeartRate,
    RingBatteryLevel,
    /// Export only (`temperature.csv`: `timestamp;skin_temp`).
    Temperature,
}

impl Collection {
    pub const ALL: [Collection; 13] = [
        Collection::DailySleep,
        Collection::Sleep,
        Collection::DailyReadiness,
        Collection::DailyActivity,
        Collection::DailySpo2,
        Collection::DailyStress,
        Collection::DailyResilience,
        Collection::DailyCardiovascularAge,
        Collection::Vo2Max,
        Collection::Workout,
        Collection::HeartRate,
        Collection::RingBatteryLevel,
        Collection::Temperature,
    ];

    /// The collection's name in the API's path (`daily_sleep`, `vO2_max`, `heartrate`).
    pub fn api_name(self) -> &'static str {
        match self {
            Collection::DailySleep => "daily_sleep",
            Collection::Sleep => "sleep",
            Collection::DailyReadiness => "daily_readiness",
            Collection::DailyActivity => "daily_activity",
            Collection::DailySpo2 => "daily_spo2",
            Collection::DailyStress => "daily_stress",
            Collection::DailyResilience => "daily_resilience",
            Collection::DailyCardiovascularAge => "daily_cardiovascular_age",
            Collection::Vo2Max => "vO2_max",
            Collection::Workout => "workout",
            Collection::HeartRate => "heartrate",
            Collection::RingBatteryLevel => "ring_battery_level",
            Collection::Temperature => "temperature",
        }
    }

    /// By API name, ignoring case, `_` and `-` (`daily_sleep`, `DailySleep`, `vo2_max`).
    pub fn from_name(name: &str) -> Option<Collection> {
        let n = normalize(name);
        Collection::ALL
            .into_iter()
            .find(|c| normalize(c.api_name()) == n)
    }

    /// Recognizes a collection from the fields a record (or a CSV header) has. Every
    /// collection has a field no other one has; daily sleep, the last resort, is recognized
    /// by having contributors and none of the others' fields.
    pub fn detect(has: &dyn Fn(&str) -> bool) -> Option<Collection> {
        use Collection::*;
        let c = if has("bedtime_start") {
            Sleep
        } else if has("bpm") {
            HeartRate
        } else if has("activity") && has("start_datetime") {
            Workout
        } else if has("spo2_percentage") || has("breathing_disturbance_index") {
            DailySpo2
        } else if has("stress_high") || has("recovery_high") || has("day_summary") {
            DailyStress
        } else if has("vascular_age") || has("pulse_wave_velocity") {
            DailyCardiovascularAge
        } else if has("vo2_max") {
            Vo2Max
        } else if has("level") && has("contributors") {
            DailyResilience
        } else if has("level") && (has("charging") || has("in_charger")) {
            RingBatteryLevel
        } else if has("steps") || has("class_5_min") || has("active_calories") {
            DailyActivity
        } else if has("temperature_deviation") || has("temperature_trend_deviation") {
            DailyReadiness
        } else if has("skin_temp") {
            Temperature
        } else if has("contributors") && has("day") {
            DailySleep
        } else {
            return None;
        };
        Some(c)
    }
}

/// Lowercase ASCII letters and digits only, trailing digits dropped (`sleep_2024` → `sleep`).
fn normalize(s: &str) -> String {
    let n: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    n.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
}

/// The mapping's configuration, from the spec's tables.
pub struct Mapper {
    /// `sleep_phase_5_min` characters → `sleep_stage` categories.
    stages: HashMap<char, Arc<str>>,
    /// `class_5_min` characters → `oura.activity_class` categories.
    classes: HashMap<char, Arc<str>>,
    /// Normalized file name → collection (the fallback when fields are inconclusive).
    file_names: HashMap<String, Collection>,
    /// Whether the spec asks day-level values to replace earlier ones (for the sync's writer).
    pub replace_day_values: bool,
}

/// Per-output state: the device handle belongs to one emitter (one file or one API page).
#[derive(Default)]
pub struct MapState {
    device: Option<Handle>,
}

impl Mapper {
    pub fn from_spec(spec: &Spec) -> Result<Mapper> {
        let bad = |detail: String| Error::BadSpec {
            origin: spec.origin.clone(),
            detail,
        };
        let chars = |name: &str| -> Result<HashMap<char, Arc<str>>> {
            let table = spec
                .tables
                .get(name)
                .ok_or_else(|| bad(format!("tables.{name} is missing")))?;
            let mut map = HashMap::new();
            for (k, v) in table {
                let mut cs = k.chars();
                let (Some(c), None) = (cs.next(), cs.next()) else {
                    return Err(bad(format!(
                        "tables.{name}.{k}: keys are single characters"
                    )));
                };
                let v = v
                    .as_str()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| bad(format!("tables.{name}.{k}: a category name")))?;
                map.insert(c, Arc::from(v));
            }
            Ok(map)
        };
        let mut file_names = HashMap::new();
        if let Some(t) = spec.tables.get("file_names") {
            for (k, v) in t {
                let c = v.as_str().and_then(Collection::from_name).ok_or_else(|| {
                    bad(format!(
                        "tables.file_names.{k}: an Oura collection name ({})",
                        Collection::ALL.map(|c| c.api_name()).join(", ")
                    ))
                })?;
                file_names.insert(normalize(k), c);
            }
        }
        Ok(Mapper {
            stages: chars("sleep_stages")?,
            classes: chars("activity_classes")?,
            file_names,
            replace_day_values: spec.day_values == crate::import::spec::DayValues::Latest,
        })
    }

    /// The collection a file holds: from its fields, else from its name.
    pub fn collection(&self, member: &str, has: &dyn Fn(&str) -> bool) -> Option<Collection> {
        Collection::detect(has).or_else(|| {
            let name = member.rsplit('/').next().unwrap_or(member);
            let stem = name.split('.').next().unwrap_or(name);
            self.file_names
                .get(&normalize(stem))
                .copied()
                .or_else(|| Collection::from_name(stem))
        })
    }

    /// Maps one record of `coll`. Bad values are rejections with `loc`; a record that yields
    /// nothing (all values null, a deleted sleep period) is counted as skipped.
    pub fn map(
        &self,
        st: &mut MapState,
        coll: Collection,
        rec: &Map<String, Json>,
        loc: &str,
        out: &mut Emitter,
    ) -> DecodeResult {
        let device = match st.device {
            Some(h) => h,
            None => {
                let h = out.device(DeviceInfo {
                    name: DEVICE_NAME.into(),
                    manufacturer: Some(MANUFACTURER.into()),
                    ..Default::default()
                })?;
                st.device = Some(h);
                h
            }
        };
        let mut cx = Cx {
            out,
            device,
            loc,
            emitted: 0,
        };
        let rec = Rec(rec);
        use Collection::*;
        match coll {
            DailySleep => self.daily(&mut cx, &rec, "sleep_score", "oura.sleep.", &[]),
            DailyReadiness => self.daily(
                &mut cx,
                &rec,
                "readiness_score",
                "oura.readiness.",
                &[
                    (
                        "temperature_deviation",
                        "temperature_deviation",
                        Some("Cel"),
                    ),
                    (
                        "temperature_trend_deviation",
                        "temperature_trend_deviation",
                        Some("Cel"),
                    ),
                ],
            ),
            DailyActivity => self.daily_activity(&mut cx, &rec),
            DailySpo2 => self.daily_spo2(&mut cx, &rec),
            DailyStress => self.daily_stress(&mut cx, &rec),
            DailyResilience => self.daily_resilience(&mut cx, &rec),
            DailyCardiovascularAge => self.daily(
                &mut cx,
                &rec,
                "",
                "",
                &[
                    ("vascular_age", "cardiovascular_age", Some("a")),
                    ("pulse_wave_velocity", "pulse_wave_velocity", Some("m/s")),
                ],
            ),
            Vo2Max => self.daily(
                &mut cx,
                &rec,
                "",
                "",
                &[("vo2_max", "vo2_max", Some("mL/(kg.min)"))],
            ),
            Sleep => self.sleep(&mut cx, &rec),
            Workout => self.workout(&mut cx, &rec),
            HeartRate => self.instant(&mut cx, &rec, "bpm", "heart_rate", "/min", &["source"]),
            RingBatteryLevel => self.instant(
                &mut cx,
                &rec,
                "level",
                "battery_level",
                "%",
                &["charging", "in_charger"],
            ),
            Temperature => self.instant(&mut cx, &rec, "skin_temp", "skin_temperature", "Cel", &[]),
        }?;
        if cx.emitted == 0 {
            cx.out.skip()?;
        }
        Ok(())
    }

    /// A daily collection: `score` as `score_metric`, `contributors.*` as `<prefix><name>`,
    /// and `fields` (field, metric, unit), all at the record's day.
    fn daily(
        &self,
        cx: &mut Cx<'_, '_>,
        rec: &Rec<'_>,
        score_metric: &str,
        prefix: &str,
        fields: &[(&str, &str, Option<&str>)],
    ) -> DecodeResult {
        let Some(day) = cx.day(rec)? else {
            return Ok(());
        };
        if !score_metric.is_empty() {
            cx.day_num(rec, &day, "score", score_metric, Some("score"), None)?;
        }
        if !prefix.is_empty() {
            cx.contributors(rec, &day, prefix)?;
        }
        for (field, metric, unit) in fields {
            cx.day_num(rec, &day, field, metric, *unit, None)?;
        }
        Ok(())
    }

    fn daily_activity(&self, cx: &mut Cx<'_, '_>, rec: &Rec<'_>) -> DecodeResult {
        let Some(day) = cx.day(rec)? else {
            return Ok(());
        };
        // The score's sample carries the day's details that are not series of their own.
        let mut details = Attrs::new();
        details.set("day", day.date.clone());
        for field in [
            "average_met_minutes",
            "high_activity_met_minutes",
            "medium_activity_met_minutes",
            "low_activity_met_minutes",
            "sedentary_met_minutes",
            "inactivity_alerts",
            "target_calories",
            "target_meters",
            "meters_to_target",
        ] {
            cx.attr_num(&mut details, field, rec, field)?;
        }
        cx.day_num(
            rec,
            &day,
            "score",
            "activity_score",
            Some("score"),
            details.into_json(),
        )?;
        cx.contributors(rec, &day, "oura.activity.")?;
        for (field, metric, unit) in [
            ("steps", "step_count", "count"),
            ("active_calories", "active_energy_burned", "kcal"),
            ("total_calories", "total_energy_burned", "kcal"),
            (
                "equivalent_walking_distance",
                "oura.equivalent_walking_distance",
                "m",
            ),
            ("high_activity_time", "oura.high_activity_time", "s"),
            ("medium_activity_time", "oura.medium_activity_time", "s"),
            ("low_activity_time", "oura.low_activity_time", "s"),
            ("sedentary_time", "oura.sedentary_time", "s"),
            ("resting_time", "oura.resting_time", "s"),
            ("non_wear_time", "oura.non_wear_time", "s"),
        ] {
            cx.day_num(rec, &day, field, metric, Some(unit), None)?;
        }
        cx.series(rec, "met", "physical_effort", "kcal/(kg.h)", None, |v| {
            v >= 0.0
        })?;
        if let Some(classes) = rec.text("class_5_min") {
            match rec.time("timestamp") {
                Ok(Some(start)) => cx.runs(
                    &classes,
                    "class_5_min",
                    &self.classes,
                    "oura.activity_class",
                    start,
                    None,
                )?,
                Ok(None) => cx.reject("class_5_min: no timestamp to place it at")?,
                Err(m) => cx.reject(format!("timestamp: {m}"))?,
            }
        }
        Ok(())
    }

    fn daily_spo2(&self, cx: &mut Cx<'_, '_>, rec: &Rec<'_>) -> DecodeResult {
        let Some(day) = cx.day(rec)? else {
            return Ok(());
        };
        cx.day_num(
            rec,
            &day,
            "spo2_percentage.average",
            "oxygen_saturation",
            Some("%"),
            None,
        )?;
        cx.day_num(
            rec,
            &day,
            "breathing_disturbance_index",
            "oura.breathing_disturbance_index",
            Some("count"),
            None,
        )
    }

    fn daily_stress(&self, cx: &mut Cx<'_, '_>, rec: &Rec<'_>) -> DecodeResult {
        let Some(day) = cx.day(rec)? else {
            return Ok(());
        };
        // Seconds, stored in the catalog's minutes (the unit table keeps s and min apart).
        for (field, metric) in [
            ("stress_high", "stress_high_time"),
            ("recovery_high", "recovery_high_time"),
        ] {
            match rec.num(field) {
                Ok(Some(secs)) => cx.day_value(&day, metric, secs / 60.0, "min")?,
                Ok(None) => {}
                Err(m) => cx.reject(format!("{field}: {m}"))?,
            }
        }
        cx.day_category(rec, &day, "day_summary", "stress_day_summary")
    }

    fn daily_resilience(&self, cx: &mut Cx<'_, '_>, rec: &Rec<'_>) -> DecodeResult {
        let Some(day) = cx.day(rec)? else {
            return Ok(());
        };
        cx.day_category(rec, &day, "level", "resilience_level")?;
        cx.contributors(rec, &day, "oura.resilience.")
    }

    /// A sleep period (`/sleep`, `sleepmodel.csv`): a `sleep` event and its series.
    fn sleep(&self, cx: &mut Cx<'_, '_>, rec: &Rec<'_>) -> DecodeResult {
        let kind = rec.text("type");
        if kind.as_deref() == Some("deleted") {
            return Ok(());
        }
        let (Some(start), Some(end)) = (
            cx.required_time(rec, "bedtime_start")?,
            cx.required_time(rec, "bedtime_end")?,
        ) else {
            return Ok(());
        };
        if end.ms < start.ms {
            return cx.reject("sleep period: bedtime_end is before bedtime_start");
        }
        let day = match rec.text("day") {
            None => None,
            Some(d) if day_start_ms(&d).is_some() => Some(d),
            Some(d) => return cx.reject(format!("day: {d:?} is not a date (YYYY-MM-DD)")),
        };
        let mut a = Attrs::new();
        a.set_opt("type", kind.clone());
        a.set_opt("day", day);
        for (name, field) in [
            ("period", "period"),
            ("time_in_bed_s", "time_in_bed"),
            ("total_sleep_s", "total_sleep_duration"),
            ("deep_sleep_s", "deep_sleep_duration"),
            ("light_sleep_s", "light_sleep_duration"),
            ("rem_sleep_s", "rem_sleep_duration"),
            ("awake_s", "awake_time"),
            ("latency_s", "latency"),
            ("efficiency", "efficiency"),
            ("restless_periods", "restless_periods"),
            ("average_heart_rate_bpm", "average_heart_rate"),
            ("lowest_heart_rate_bpm", "lowest_heart_rate"),
            ("average_hrv_ms", "average_hrv"),
            ("average_breath_per_min", "average_breath"),
            ("readiness_score_delta", "readiness_score_delta"),
            ("sleep_score_delta", "sleep_score_delta"),
        ] {
            cx.attr_num(&mut a, name, rec, field)?;
        }
        if let Some(b) = rec.get("low_battery_alert").and_then(as_bool) {
            a.set("low_battery_alert", b);
        }
        for field in [
            "readiness",
            "sleep_algorithm_version",
            "sleep_analysis_reason",
            "movement_30_sec",
        ] {
            if let Some(v) = rec.get(field) {
                a.set(field, v.clone());
            }
        }
        let handle = cx.out.event(Event {
            kind: "sleep".into(),
            start_ms: Some(start.ms),
            end_ms: Some(end.ms),
            tz_offset_min: start.offset_min,
            title: kind,
            attrs: a.into_json(),
            original_id: rec.text("id"),
            natural_key: Some(format!("sleep:{}", start.ms)),
            device: Some(cx.device),
            locator: Some(cx.loc.to_string()),
            ..Default::default()
        })?;
        cx.emitted += 1;

        // The whole period in bed, as Apple's in_bed, then the hypnogram inside it.
        let mut s = cx.sample("sleep_stage", start.ms, Value::Category("in_bed".into()));
        s.end_ms = Some(end.ms);
        s.tz_offset_min = start.offset_min;
        s.event = Some(EventRef::Handle(handle));
        cx.emit(s)?;
        if let Some(phases) = rec.text("sleep_phase_5_min") {
            cx.runs(
                &phases,
                "sleep_phase_5_min",
                &self.stages,
                "sleep_stage",
                start,
                Some(handle),
            )?;
        }
        cx.series(rec, "heart_rate", "heart_rate", "/min", Some(handle), |v| {
            v > 0.0
        })?;
        cx.series(
            rec,
            "hrv",
            "heart_rate_variability_rmssd",
            "ms",
            Some(handle),
            |v| v >= 0.0,
        )?;
        match rec.num("average_breath") {
            Ok(Some(v)) if v > 0.0 => {
                let mut s = cx.sample("respiratory_rate", start.ms, Value::Num(v));
                s.end_ms = Some(end.ms);
                s.tz_offset_min = start.offset_min;
                s.unit = Some(Arc::from("/min"));
                s.event = Some(EventRef::Handle(handle));
                cx.emit(s)?;
            }
            // Unreadable values were rejected with the event's attrs.
            _ => {}
        }
        Ok(())
    }

    /// A workout: a `workout` event with Apple's attribute names where they mean the same.
    fn workout(&self, cx: &mut Cx<'_, '_>, rec: &Rec<'_>) -> DecodeResult {
        let (Some(start), Some(end)) = (
            cx.required_time(rec, "start_datetime")?,
            cx.required_time(rec, "end_datetime")?,
        ) else {
            return Ok(());
        };
        if end.ms < start.ms {
            return cx.reject("workout: end_datetime is before start_datetime");
        }
        let activity = rec.text("activity").unwrap_or_else(|| "unknown".into());
        let mut a = Attrs::new();
        a.set("activity_type", activity.clone());
        a.set("duration_s", (end.ms - start.ms) as f64 / 1000.0);
        cx.attr_num(&mut a, "total_distance_m", rec, "distance")?;
        cx.attr_num(&mut a, "total_energy_kcal", rec, "calories")?;
        for field in ["intensity", "source", "label", "day"] {
            a.set_opt(field, rec.text(field));
        }
        cx.out.event(Event {
            kind: "workout".into(),
            start_ms: Some(start.ms),
            end_ms: Some(end.ms),
            tz_offset_min: start.offset_min,
            title: Some(snake_case(&activity)),
            attrs: a.into_json(),
            original_id: rec.text("id"),
            natural_key: Some(format!("workout:{}", start.ms)),
            device: Some(cx.device),
            locator: Some(cx.loc.to_string()),
            ..Default::default()
        })?;
        cx.emitted += 1;
        Ok(())
    }

    /// A timestamped reading (heart rate, battery level, skin temperature).
    fn instant(
        &self,
        cx: &mut Cx<'_, '_>,
        rec: &Rec<'_>,
        field: &str,
        metric: &str,
        unit: &str,
        attrs: &[&str],
    ) -> DecodeResult {
        let Some(t) = cx.required_time(rec, "timestamp")? else {
            return Ok(());
        };
        let v = match rec.num(field) {
            Ok(Some(v)) => v,
            Ok(None) => return cx.reject(format!("{field}: no value")),
            Err(m) => return cx.reject(format!("{field}: {m}")),
        };
        let mut a = Attrs::new();
        for name in attrs {
            if let Some(v) = rec.get(name) {
                match as_bool(v) {
                    Some(b) => a.set(name, b),
                    None => a.set_opt(name, rec.text(name)),
                };
            }
        }
        let mut s = cx.sample(metric, t.ms, Value::Num(v));
        s.tz_offset_min = t.offset_min;
        s.unit = Some(Arc::from(unit));
        s.attrs = a.into_json();
        cx.emit(s)
    }
}

/// A record's day: the date and its 00:00 UTC.
struct Day {
    date: String,
    ms: i64,
    attrs: Option<String>,
}

/// Where one record's rows go.
struct Cx<'o, 'l> {
    out: &'o mut Emitter,
    device: Handle,
    loc: &'l str,
    /// Rows and rejections emitted for this record (none: it counts as skipped).
    emitted: usize,
}

impl Cx<'_, '_> {
    fn reject(&mut self, message: impl Into<String>) -> DecodeResult {
        self.emitted += 1;
        self.out.reject(self.loc, message, None)
    }

    fn sample(&self, metric: &str, start_ms: i64, value: Value) -> Sample {
        Sample {
            metric: Arc::from(metric),
            start_ms,
            end_ms: None,
            tz_offset_min: None,
            value,
            unit: None,
            device: Some(self.device),
            event: None,
            attrs: None,
            locator: Some(self.loc.to_string()),
        }
    }

    fn emit(&mut self, s: Sample) -> DecodeResult {
        self.emitted += 1;
        self.out.sample(s)
    }

    /// The record's `day`; a missing or unreadable day rejects the record (`None`).
    fn day(&mut self, rec: &Rec<'_>) -> Result<Option<Day>, DecodeError> {
        let Some(date) = rec.text("day") else {
            self.reject("no day")?;
            return Ok(None);
        };
        let Some(ms) = day_start_ms(&date) else {
            self.reject(format!("day: {date:?} is not a date (YYYY-MM-DD)"))?;
            return Ok(None);
        };
        let mut a = Attrs::new();
        a.set("day", date.clone());
        Ok(Some(Day {
            date,
            ms,
            attrs: a.into_json(),
        }))
    }

    /// A time field the record cannot do without; `None` after rejecting the record.
    fn required_time(
        &mut self,
        rec: &Rec<'_>,
        field: &str,
    ) -> Result<Option<Instant>, DecodeError> {
        match rec.time(field) {
            Ok(Some(t)) => Ok(Some(t)),
            Ok(None) => {
                self.reject(format!("no {field}"))?;
                Ok(None)
            }
            Err(m) => {
                self.reject(format!("{field}: {m}"))?;
                Ok(None)
            }
        }
    }

    /// A day-level number (`field` may be a dot path into an object).
    fn day_num(
        &mut self,
        rec: &Rec<'_>,
        day: &Day,
        field: &str,
        metric: &str,
        unit: Option<&str>,
        attrs: Option<String>,
    ) -> DecodeResult {
        match rec.num(field) {
            Ok(Some(v)) => {
                let mut s = self.sample(metric, day.ms, Value::Num(v));
                s.end_ms = Some(day.ms + DAY_MS);
                s.unit = unit.map(Arc::from);
                s.attrs = attrs.or_else(|| day.attrs.clone());
                self.emit(s)
            }
            Ok(None) => Ok(()),
            Err(m) => self.reject(format!("{field}: {m}")),
        }
    }

    fn day_value(&mut self, day: &Day, metric: &str, v: f64, unit: &str) -> DecodeResult {
        let mut s = self.sample(metric, day.ms, Value::Num(v));
        s.end_ms = Some(day.ms + DAY_MS);
        s.unit = Some(Arc::from(unit));
        s.attrs = day.attrs.clone();
        self.emit(s)
    }

    fn day_category(
        &mut self,
        rec: &Rec<'_>,
        day: &Day,
        field: &str,
        metric: &str,
    ) -> DecodeResult {
        let Some(v) = rec.text(field) else {
            return Ok(());
        };
        let c = snake_case(&v);
        if c.is_empty() {
            return self.reject(format!("{field}: {v:?} is not a category"));
        }
        let mut s = self.sample(metric, day.ms, Value::Category(c));
        s.end_ms = Some(day.ms + DAY_MS);
        s.attrs = day.attrs.clone();
        self.emit(s)
    }

    /// `contributors` (an object of scores) as `<prefix><name>` day values.
    fn contributors(&mut self, rec: &Rec<'_>, day: &Day, prefix: &str) -> DecodeResult {
        let obj = match rec.object("contributors") {
            Ok(Some(o)) => o,
            Ok(None) => return Ok(()),
            Err(m) => return self.reject(format!("contributors: {m}")),
        };
        for (name, v) in obj {
            if !present(v) {
                continue;
            }
            let key = snake_case(name);
            if key.is_empty() {
                continue;
            }
            match as_num(v) {
                Ok(n) => {
                    let mut s = self.sample(&format!("{prefix}{key}"), day.ms, Value::Num(n));
                    s.end_ms = Some(day.ms + DAY_MS);
                    s.unit = Some(Arc::from("score"));
                    s.attrs = day.attrs.clone();
                    self.emit(s)?;
                }
                Err(m) => self.reject(format!("contributors.{name}: {m}"))?,
            }
        }
        Ok(())
    }

    /// A number copied into attrs (rejected, and left out, when it is not one).
    fn attr_num(&mut self, a: &mut Attrs, name: &str, rec: &Rec<'_>, field: &str) -> DecodeResult {
        match rec.num(field) {
            Ok(Some(v)) => {
                a.set(name, json_num(v));
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(m) => self.reject(format!("{field}: {m}")),
        }
    }

    /// A sample series `{interval (s), items[] (nulls allowed), timestamp}`: one interval
    /// sample per non-null item. Items that fail `valid` are rejected one by one.
    fn series(
        &mut self,
        rec: &Rec<'_>,
        field: &str,
        metric: &str,
        unit: &str,
        event: Option<Handle>,
        valid: fn(f64) -> bool,
    ) -> DecodeResult {
        let obj = match rec.object(field) {
            Ok(Some(o)) => o,
            Ok(None) => return Ok(()),
            Err(m) => return self.reject(format!("{field}: {m}")),
        };
        let o = Rec(obj);
        let interval_ms = match o.num("interval") {
            Ok(Some(i)) if i > 0.0 && i <= 86_400.0 => (i * 1000.0).round() as i64,
            Ok(_) => return self.reject(format!("{field}: no positive interval")),
            Err(m) => return self.reject(format!("{field}.interval: {m}")),
        };
        let start = match o.time("timestamp") {
            Ok(Some(t)) => t,
            Ok(None) => return self.reject(format!("{field}: no timestamp")),
            Err(m) => return self.reject(format!("{field}.timestamp: {m}")),
        };
        let Some(items) = o.get("items") else {
            return Ok(());
        };
        let Json::Array(items) = items else {
            return self.reject(format!("{field}.items: not a list"));
        };
        let unit: Arc<str> = Arc::from(unit);
        let metric: Arc<str> = Arc::from(metric);
        for (i, item) in items.iter().enumerate() {
            if !present(item) {
                continue;
            }
            let v = match as_num(item) {
                Ok(v) if valid(v) => v,
                Ok(v) => {
                    self.reject(format!("{field}.items[{i}]: {v} is not a valid {metric}"))?;
                    continue;
                }
                Err(m) => {
                    self.reject(format!("{field}.items[{i}]: {m}"))?;
                    continue;
                }
            };
            let t = start.ms + i as i64 * interval_ms;
            let mut s = self.sample("", t, Value::Num(v));
            s.metric = Arc::clone(&metric);
            s.end_ms = Some(t + interval_ms);
            s.tz_offset_min = start.offset_min;
            s.unit = Some(Arc::clone(&unit));
            s.event = event.map(EventRef::Handle);
            self.emit(s)?;
        }
        Ok(())
    }

    /// A five-minute class string as category intervals, runs of one class merged.
    fn runs(
        &mut self,
        text: &str,
        field: &str,
        table: &HashMap<char, Arc<str>>,
        metric: &str,
        start: Instant,
        event: Option<Handle>,
    ) -> DecodeResult {
        let mut runs: Vec<(i64, i64, &Arc<str>)> = Vec::new();
        for (i, c) in text.trim().chars().enumerate() {
            let Some(cat) = table.get(&c) else {
                return self.reject(format!(
                    "{field}: unexpected {c:?} at position {i} (known: {})",
                    sorted_keys(table)
                ));
            };
            match runs.last_mut() {
                Some((_, len, last)) if Arc::ptr_eq(last, cat) => *len += 1,
                _ => runs.push((i as i64, 1, cat)),
            }
        }
        for (i, len, cat) in runs {
            let t = start.ms + i * SLOT_MS;
            let mut s = self.sample(metric, t, Value::Category(cat.to_string()));
            s.end_ms = Some(t + len * SLOT_MS);
            s.tz_offset_min = start.offset_min;
            s.event = event.map(EventRef::Handle);
            self.emit(s)?;
        }
        Ok(())
    }
}

fn sorted_keys(table: &HashMap<char, Arc<str>>) -> String {
    let mut k: Vec<char> = table.keys().copied().collect();
    k.sort_unstable();
    k.into_iter().collect()
}

/// Integers stay integers in attrs (`3600`, not `3600.0`).
fn json_num(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Json::from(v as i64)
    } else {
        Json::from(v)
    }
}

/// A value that means something: not null, not an empty or `null`/`None` string.
fn present(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::String(s) => {
            let t = s.trim();
            !(t.is_empty() || t == "null" || t == "None")
        }
        _ => true,
    }
}

fn as_num(v: &Json) -> std::result::Result<f64, String> {
    match v {
        Json::Number(n) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .ok_or_else(|| format!("{n} is not a finite number")),
        Json::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| format!("{s:?} is not a number")),
        other => Err(format!("{other} is not a number")),
    }
}

fn as_bool(v: &Json) -> Option<bool> {
    match v {
        Json::Bool(b) => Some(*b),
        Json::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// One record, read-only, with Oura's conventions for absent values.
struct Rec<'a>(&'a Map<String, Json>);

impl<'a> Rec<'a> {
    /// The value at a field or dot path, if it is present.
    fn get(&self, path: &str) -> Option<&'a Json> {
        let mut parts = path.split('.');
        let mut cur = self.0.get(parts.next()?)?;
        for p in parts {
            cur = cur.as_object()?.get(p)?;
        }
        present(cur).then_some(cur)
    }

    fn text(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Json::String(s) => Some(s.trim().to_string()),
            Json::Number(n) => Some(n.to_string()),
            Json::Bool(b) => Some(b.to_string()),
            other => Some(other.to_string()),
        }
    }

    fn num(&self, path: &str) -> std::result::Result<Option<f64>, String> {
        self.get(path).map(as_num).transpose()
    }

    fn object(&self, field: &str) -> std::result::Result<Option<&'a Map<String, Json>>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Json::Object(o)) => Ok(Some(o)),
            Some(other) => Err(format!(
                "{} is not an object",
                crate::import::pipeline::truncate(&other.to_string(), 60)
            )),
        }
    }

    /// An ISO 8601 time; Oura writes local times with their offset, heart rate in UTC.
    fn time(&self, field: &str) -> std::result::Result<Option<Instant>, String> {
        let Some(raw) = self.text(field) else {
            return Ok(None);
        };
        parse_with(&raw, "rfc3339", &Zone::Utc)
            .map(Some)
            .ok_or_else(|| format!("{raw:?} is not an ISO 8601 time"))
    }
}

/// The decoder for files: CSV from the hub export or JSON saved from the API.
pub struct OuraDecoder {
    mapper: Mapper,
    member: String,
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    Ok(Box::new(OuraDecoder {
        mapper: Mapper::from_spec(ctx.spec)?,
        member: ctx.member.to_string(),
    }))
}

impl Decoder for OuraDecoder {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let io = |e: std::io::Error| DecodeError::fatal("start of file", e.to_string());
        let mut input = crate::import::utf8::skip_bom(input).map_err(io)?;
        let input: &mut dyn BufRead = &mut input;
        // JSON starts with `{` or `[` after whitespace; a CSV starts with its header.
        let json = loop {
            let buf = input.fill_buf().map_err(io)?;
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    let first = buf[i];
                    input.consume(i);
                    break first == b'{' || first == b'[';
                }
                None if buf.is_empty() => return Ok(()),
                None => {
                    let n = buf.len();
                    input.consume(n);
                }
            }
        };
        if json {
            self.decode_json(input, out)
        } else {
            self.decode_csv(input, out)
        }
    }
}

impl OuraDecoder {
    fn decode_csv(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        // One row may not span more than MAX_RECORD bytes (a quote that never closes).
        let (input, record_start) =
            crate::import::limit::record_limit(input, crate::import::limit::MAX_RECORD);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| DecodeError::fatal("line 1", format!("unreadable header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let coll = self
            .mapper
            .collection(&self.member, &|f| headers.iter().any(|h| h == f))
            .ok_or_else(|| {
                DecodeError::fatal(
                    "line 1",
                    format!(
                        "the columns ({}) are not those of an Oura collection trove reads",
                        crate::import::pipeline::truncate(&headers.join(";"), 120)
                    ),
                )
            })?;
        let mut st = MapState::default();
        let mut row = csv::StringRecord::new();
        loop {
            record_start.mark();
            match reader.read_record(&mut row) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let loc = format!("line {}", row.position().map_or(0, |p| p.line()));
                    if row.len() != headers.len() {
                        out.reject(
                            &loc,
                            format!(
                                "the row has {} fields, the header {}",
                                row.len(),
                                headers.len()
                            ),
                            Some(row.iter().collect::<Vec<_>>().join(";")),
                        )?;
                        continue;
                    }
                    match row_object(&headers, &row) {
                        Ok(obj) => self.mapper.map(&mut st, coll, &obj, &loc, out)?,
                        Err((col, msg, cell)) => out.reject(
                            &loc,
                            format!("column {col}: not valid JSON ({msg})"),
                            Some(cell),
                        )?,
                    }
                }
                Err(e) => {
                    let loc = format!("line {}", e.position().map_or(0, |p| p.line()));
                    match e.kind() {
                        csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. } => {
                            out.reject(loc, format!("unreadable row: {e}"), None)?;
                        }
                        _ => return Err(DecodeError::fatal(loc, e.to_string())),
                    }
                }
            }
        }
    }

    fn decode_json(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut sink = Sink {
            mapper: &self.mapper,
            member: &self.member,
            state: MapState::default(),
            coll: None,
            out,
            n: 0,
            stop: None,
        };
        let mut de = serde_json::Deserializer::from_reader(input);
        let result = Top(&mut sink).deserialize(&mut de).and_then(|_| de.end());
        if let Some(stop) = sink.stop.take() {
            return Err(stop);
        }
        result.map_err(|e| {
            DecodeError::fatal(
                format!("line {} column {}", e.line(), e.column()),
                format!("malformed JSON: {e}"),
            )
        })
    }
}

/// A CSV row as a JSON object: blank cells are absent, `{…}`/`[…]` cells are parsed.
fn row_object(
    headers: &[String],
    row: &csv::StringRecord,
) -> std::result::Result<Map<String, Json>, (String, String, String)> {
    let mut obj = Map::new();
    for (h, cell) in headers.iter().zip(row.iter()) {
        let t = cell.trim();
        if t.is_empty() {
            continue;
        }
        let v = if t.starts_with('{') || t.starts_with('[') {
            serde_json::from_str(t).map_err(|e| (h.clone(), e.to_string(), t.to_string()))?
        } else {
            Json::String(t.to_string())
        };
        obj.insert(h.clone(), v);
    }
    Ok(obj)
}

/// Receives the records of a JSON file as they are parsed.
struct Sink<'a, 'o> {
    mapper: &'a Mapper,
    member: &'a str,
    state: MapState,
    coll: Option<Collection>,
    out: &'o mut Emitter,
    n: u64,
    /// Set when the emitter stopped or the file is not Oura's: parsing then skips the rest.
    stop: Option<DecodeError>,
}

impl Sink<'_, '_> {
    fn record(&mut self, v: Json) {
        if self.stop.is_some() {
            return;
        }
        self.n += 1;
        let loc = format!("record {}", self.n);
        let result = match v {
            Json::Object(obj) => {
                let coll = match self.coll {
                    Some(c) => Some(c),
                    None => {
                        let c = self
                            .mapper
                            .collection(self.member, &|f| obj.contains_key(f));
                        self.coll = c;
                        c
                    }
                };
                match coll {
                    Some(c) => self.mapper.map(&mut self.state, c, &obj, &loc, self.out),
                    None => Err(DecodeError::fatal(
                        loc,
                        format!(
                            "not a record of an Oura collection trove reads (fields: {})",
                            crate::import::pipeline::truncate(
                                &obj.keys().cloned().collect::<Vec<_>>().join(", "),
                                120
                            )
                        ),
                    )),
                }
            }
            other => self.out.reject(
                loc,
                "a record is not a JSON object",
                Some(crate::import::pipeline::truncate(&other.to_string(), 80)),
            ),
        };
        if let Err(e) = result {
            self.stop = Some(e);
        }
    }
}

/// The top level: a page `{"data": [...], "next_token": …}`, a bare array of records, or a
/// single record object.
struct Top<'s, 'a, 'o>(&'s mut Sink<'a, 'o>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an Oura API page, an array of records or one record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut rest = Map::new();
        let mut paged = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "data" && !paged {
                paged = true;
                map.next_value_seed(Records(&mut *self.0))?;
            } else {
                let v: Json = map.next_value()?;
                if !paged {
                    rest.insert(key, v);
                }
            }
        }
        if !paged {
            self.0.record(Json::Object(rest));
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        Records(self.0).visit_seq(seq)
    }
}

/// The records array, element by element (a page is never held whole).
struct Records<'s, 'a, 'o>(&'s mut Sink<'a, 'o>);

impl<'de> DeserializeSeed<'de> for Records<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Json>()? {
            self.0.record(v);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::decode_bytes;
    use crate::model::Record;

    fn mapper() -> Mapper {
        let cat = crate::import::spec::Catalog::load(None).unwrap();
        Mapper::from_spec(&cat.get("oura").unwrap().spec).unwrap()
    }

    fn decode(member: &str, text: &str) -> (Vec<Record>, DecodeResult) {
        let mut d = OuraDecoder {
            mapper: mapper(),
            member: member.into(),
        };
        decode_bytes(&mut d, text.as_bytes())
    }

    fn samples(records: &[Record]) -> Vec<(String, i64, Option<i64>, String)> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Sample(s) => Some((
                    s.metric.to_string(),
                    s.start_ms,
                    s.end_ms,
                    match &s.value {
                        Value::Num(v) => v.to_string(),
                        Value::Category(c) => c.clone(),
                    },
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn collections_are_recognized_by_fields_then_name() {
        let m = mapper();
        let has = |fields: &'static [&'static str]| move |f: &str| fields.contains(&f);
        assert_eq!(
            m.collection("x.json", &has(&["id", "day", "bedtime_start"])),
            Some(Collection::Sleep)
        );
        assert_eq!(
            m.collection(
                "x.csv",
                &has(&[
                    "id",
                    "contributors",
                    "day",
                    "score",
                    "temperature_deviation"
                ])
            ),
            Some(Collection::DailyReadiness)
        );
        assert_eq!(
            m.collection(
                "x.csv",
                &has(&["id", "contributors", "day", "score", "timestamp"])
            ),
            Some(Collection::DailySleep)
        );
        // Fields say nothing: the name decides, in any case and spelling.
        assert_eq!(
            m.collection("App Data/SleepModel.csv", &has(&["id"])),
            Some(Collection::Sleep)
        );
        assert_eq!(
            m.collection("daily_spo2-2024.json", &has(&["id"])),
            Some(Collection::DailySpo2)
        );
        assert_eq!(m.collection("notes.json", &has(&["id"])), None);
        assert_eq!(Collection::from_name("vo2_max"), Some(Collection::Vo2Max));
    }

    #[test]
    fn hypnogram_runs_are_merged_and_bad_characters_rejected() {
        let text = "{\"data\": [{\"id\": \"a\", \"type\": \"long_sleep\", \"day\": \"2024-01-02\",
            \"bedtime_start\": \"2024-01-01T23:00:00+01:00\", \"bedtime_end\": \"2024-01-02T00:00:00+01:00\",
            \"sleep_phase_5_min\": \"4411223\"},
            {\"bedtime_start\": \"2024-01-02T23:00:00+01:00\", \"bedtime_end\": \"2024-01-03T00:00:00+01:00\",
            \"sleep_phase_5_min\": \"41x\"}], \"next_token\": null}";
        let (records, result) = decode("sleep.json", text);
        result.unwrap();
        let t0 = 1_704_146_400_000; // 2024-01-01T22:00:00Z
        let s = samples(&records);
        let stages: Vec<_> = s.iter().filter(|x| x.0 == "sleep_stage").collect();
        assert_eq!(
            stages,
            vec![
                &(
                    "sleep_stage".into(),
                    t0,
                    Some(t0 + 3_600_000),
                    "in_bed".into()
                ),
                &("sleep_stage".into(), t0, Some(t0 + 600_000), "awake".into()),
                &(
                    "sleep_stage".into(),
                    t0 + 600_000,
                    Some(t0 + 1_200_000),
                    "asleep_deep".into()
                ),
                &(
                    "sleep_stage".into(),
                    t0 + 1_200_000,
                    Some(t0 + 1_800_000),
                    "asleep_core".into()
                ),
                &(
                    "sleep_stage".into(),
                    t0 + 1_800_000,
                    Some(t0 + 2_100_000),
                    "asleep_rem".into()
                ),
                &(
                    "sleep_stage".into(),
                    t0 + 86_400_000,
                    Some(t0 + 86_400_000 + 3_600_000),
                    "in_bed".into()
                ),
            ]
        );
        let rejects: Vec<_> = records
            .iter()
            .filter_map(|r| match r {
                Record::Reject(r) => Some((r.locator.clone(), r.message.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(rejects.len(), 1);
        assert_eq!(rejects[0].0, "record 2");
        assert!(
            rejects[0].1.contains("unexpected 'x' at position 2"),
            "{rejects:?}"
        );
    }

    #[test]
    fn series_skip_nulls_and_reject_impossible_values() {
        let text = "[{\"bedtime_start\": \"2024-01-01T23:00:00+01:00\", \"bedtime_end\": \"2024-01-02T00:00:00+01:00\",
            \"heart_rate\": {\"interval\": 300, \"items\": [null, 50, 0, 48], \"timestamp\": \"2024-01-01T23:00:00+01:00\"},
            \"hrv\": {\"interval\": 300.0, \"items\": [null, -102, 40], \"timestamp\": \"2024-01-01T23:00:00.000+01:00\"}}]";
        let (records, result) = decode("x.json", text);
        result.unwrap();
        let t0 = 1_704_146_400_000;
        let s = samples(&records);
        let hr: Vec<_> = s.iter().filter(|x| x.0 == "heart_rate").collect();
        assert_eq!(
            hr,
            vec![
                &(
                    "heart_rate".into(),
                    t0 + 300_000,
                    Some(t0 + 600_000),
                    "50".into()
                ),
                &(
                    "heart_rate".into(),
                    t0 + 900_000,
                    Some(t0 + 1_200_000),
                    "48".into()
                ),
            ]
        );
        let hrv: Vec<_> = s
            .iter()
            .filter(|x| x.0 == "heart_rate_variability_rmssd")
            .collect();
        assert_eq!(hrv.len(), 1);
        let rejects = records
            .iter()
            .filter(|r| matches!(r, Record::Reject(_)))
            .count();
        assert_eq!(rejects, 2, "HR 0 and HRV -102");
    }

    #[test]
    fn a_file_that_is_not_oura_is_fatal_not_silent() {
        let (_, result) = decode("notes.json", "{\"data\": [{\"title\": \"x\"}]}");
        assert!(matches!(result, Err(DecodeError::Fatal { .. })));
        let (_, result) = decode("notes.csv", "a;b\n1;2\n");
        assert!(matches!(result, Err(DecodeError::Fatal { .. })));
    }
}
