//! Apple Health `export.xml` (any HealthKit export version, any localized file name).
//!
//! Streams the file with quick-xml; nothing is held but the current element. Mapping:
//!
//! * `Record` → a sample. Quantity types through `[tables.quantity]` (HealthKit identifier →
//!   metric, with the unit fixed or scaled where HealthKit's unit string misleads: BMI comes
//!   as `count`, percentages as fractions); category types through `[tables.category]`, their
//!   values as snake_case categories (`HKCategoryValueSleepAnalysisAsleepCore` → `asleep_core`).
//!   Types not in the tables are still imported, as `apple.<snake_case>` metrics in the unit
//!   they came in. `MetadataEntry` and HRV `InstantaneousBeatsPerMinute` lists go to `attrs`.
//!   The device (sourceName, sourceVersion and the parsed `device` string) is on every sample.
//! * `Correlation` → a `health.correlation` event; its Records become samples linked to it.
//!   They also appear at top level (Apple's DTD says so); natural keys make them one row.
//! * `Workout` → a `workout` event with its totals (canonical units), metadata, WorkoutEvents,
//!   WorkoutStatistics and WorkoutActivities in attrs; the old inline `Location` route form
//!   becomes track points; a `FileReference` to a GPX route is recorded (`route_file`) so the
//!   route file, imported next, attaches to it.
//! * `ActivitySummary` → day-level `activity_summary.*` samples (stored at 00:00 UTC of the
//!   date, with the date in attrs.day).
//! * `Me` → a sensitive `profile` event. `Audiogram`, `VisionPrescription` → events.
//!   `ClinicalRecord` elements are skipped here: the FHIR files they point to carry the data.
//!
//! Robustness: the DOCTYPE is read and ignored (entities are never expanded); stray control
//! characters like `\x0b` are tolerated; a record with a bad date, number or unknown entity is
//! rejected (with its byte offset) and the import goes on; a truncated file keeps what came
//! before the break and reports where it broke.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event as XmlEvent};
use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::snake_case;
use crate::import::decoders::xmlutil::{attrs, get, malformed, raw_attrs};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::import::utf8::Utf8Repair;
use crate::model::{
    Attrs, DeviceInfo, Event, EventRef, Handle, Sample, TrackPoint, Value, time_seq,
};
use crate::time::{day_start_ms, parse_apple};
use crate::units;

#[derive(Clone)]
struct QuantityRule {
    metric: Arc<str>,
    /// Values are in this unit whatever the record says (BMI comes as "count").
    unit: Option<Arc<str>>,
    /// Multiply before converting (HealthKit percentages are fractions: 0.97 → 97 %).
    scale: f64,
}

pub struct AppleHealth {
    quantity: HashMap<String, QuantityRule>,
    category: HashMap<String, Arc<str>>,
    devices: HashMap<String, Handle>,
    raw_devices: FxHashMap<String, Handle>,
    units: FxHashMap<String, Arc<str>>,
    key_buf: String,
    last_type: String,
    last_rule: Option<Kind>,
    workout_seq: u64,
}

#[derive(Clone)]
enum Kind {
    Quantity(QuantityRule),
    Category { metric: Arc<str>, stem: String },
    Other(Arc<str>),
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let bad = |detail: String| Error::BadSpec {
        origin: ctx.spec.origin.clone(),
        detail,
    };
    let mut quantity = HashMap::new();
    if let Some(t) = ctx.spec.tables.get("quantity") {
        for (k, v) in t {
            let rule = match v {
                toml::Value::String(m) => QuantityRule {
                    metric: Arc::from(m.as_str()),
                    unit: None,
                    scale: 1.0,
                },
                toml::Value::Table(t) => QuantityRule {
                    metric: Arc::from(
                        t.get("metric")
                            .and_then(|m| m.as_str())
                            .ok_or_else(|| bad(format!("tables.quantity.{k}: needs metric")))?,
                    ),
                    unit: t.get("unit").and_then(|u| u.as_str()).map(Arc::from),
                    scale: t
                        .get("scale")
                        .and_then(|s| s.as_float().or_else(|| s.as_integer().map(|i| i as f64)))
                        .unwrap_or(1.0),
                },
                _ => {
                    return Err(bad(format!(
                        "tables.quantity.{k}: a metric name or a table"
                    )));
                }
            };
            quantity.insert(k.clone(), rule);
        }
    }
    let mut category = HashMap::new();
    if let Some(t) = ctx.spec.tables.get("category") {
        for (k, v) in t {
            let m = v
                .as_str()
                .ok_or_else(|| bad(format!("tables.category.{k}: a metric name")))?;
            category.insert(k.clone(), Arc::from(m));
        }
    }
    Ok(Box::new(AppleHealth {
        quantity,
        category,
        devices: HashMap::new(),
        raw_devices: FxHashMap::default(),
        units: FxHashMap::default(),
        key_buf: String::new(),
        last_type: String::new(),
        last_rule: None,
        workout_seq: 0,
    }))
}

/// Parses Apple's device description:
/// `<<HKDevice: 0x…>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch2,4, software:4.3.1>`.
/// Values may contain commas (`Watch2,4`), so fields are split only before a known key.
pub fn parse_device(s: &str) -> Vec<(&str, &str)> {
    const KEYS: [&str; 8] = [
        "name",
        "manufacturer",
        "model",
        "hardware",
        "software",
        "firmware",
        "localIdentifier",
        "UDIDeviceIdentifier",
    ];
    let body = s.trim().trim_end_matches('>');
    let body = match body.find(">,") {
        Some(i) if body.starts_with("<<") => &body[i + 2..],
        _ => body,
    };
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for key in KEYS {
        let mut from = 0;
        while let Some(i) = body[from..].find(key) {
            let at = from + i;
            let boundary = at == 0 || body[..at].ends_with(", ") || body[..at].ends_with(' ');
            if boundary && body[at + key.len()..].starts_with(':') {
                starts.push((at, key));
            }
            from = at + key.len();
        }
    }
    starts.sort();
    let mut out = Vec::new();
    for (n, &(at, key)) in starts.iter().enumerate() {
        let vstart = at + key.len() + 1;
        let vend = starts.get(n + 1).map_or(body.len(), |(next, _)| *next);
        let v = body[vstart..vend].trim().trim_end_matches(',').trim();
        out.push((key, v));
    }
    out
}

fn device_info(
    source_name: &str,
    source_version: Option<&str>,
    device: Option<&str>,
) -> DeviceInfo {
    let mut info = DeviceInfo {
        name: source_name.to_string(),
        app_version: source_version.map(str::to_string),
        ..Default::default()
    };
    if let Some(d) = device {
        for (k, v) in parse_device(d) {
            let v = (!v.is_empty() && v != "(null)").then(|| v.to_string());
            match k {
                "manufacturer" => info.manufacturer = v,
                "model" => info.model = v,
                "hardware" => info.hardware = v,
                "software" => info.software = v,
                _ => {}
            }
        }
    }
    info
}

/// `HKCategoryValueSleepAnalysisAsleepCore` with stem `SleepAnalysis` → `asleep_core`.
fn category_value(value: &str, stem: &str) -> String {
    let rest = value.strip_prefix("HKCategoryValue").unwrap_or(value);
    let rest = rest.strip_prefix(stem).unwrap_or(rest);
    if rest.is_empty() {
        return snake_case(value);
    }
    snake_case(rest)
}

type Xml<'r> = Reader<&'r mut dyn BufRead>;

struct Ctx<'e> {
    out: &'e mut Emitter,
}

impl AppleHealth {
    fn device(
        &mut self,
        out: &mut Emitter,
        source_name: &str,
        source_version: Option<&str>,
        device: Option<&str>,
    ) -> std::result::Result<Handle, DecodeError> {
        self.key_buf.clear();
        self.key_buf.push_str(source_name);
        self.key_buf.push('\u{1f}');
        self.key_buf.push_str(source_version.unwrap_or(""));
        self.key_buf.push('\u{1f}');
        self.key_buf.push_str(device.unwrap_or(""));
        if let Some(h) = self.devices.get(self.key_buf.as_str()) {
            return Ok(*h);
        }
        let h = out.device(device_info(source_name, source_version, device))?;
        self.devices.insert(self.key_buf.clone(), h);
        Ok(h)
    }

    fn kind_of(&mut self, ty: &str) -> Kind {
        if ty == self.last_type
            && let Some(k) = &self.last_rule
        {
            return k.clone();
        }
        let kind = if let Some(q) = self.quantity.get(ty) {
            Kind::Quantity(q.clone())
        } else if let Some(m) = self.category.get(ty) {
            Kind::Category {
                metric: Arc::clone(m),
                stem: ty
                    .strip_prefix("HKCategoryTypeIdentifier")
                    .unwrap_or(ty)
                    .to_string(),
            }
        } else if let Some(rest) = ty.strip_prefix("HKQuantityTypeIdentifier") {
            Kind::Quantity(QuantityRule {
                metric: Arc::from(format!("apple.{}", snake_case(rest))),
                unit: None,
                scale: 1.0,
            })
        } else if let Some(rest) = ty.strip_prefix("HKCategoryTypeIdentifier") {
            Kind::Category {
                metric: Arc::from(format!("apple.{}", snake_case(rest))),
                stem: rest.to_string(),
            }
        } else {
            let rest = ty.strip_prefix("HKDataTypeIdentifier").unwrap_or(ty);
            Kind::Other(Arc::from(format!("apple.{}", snake_case(rest))))
        };
        self.last_type = ty.to_string();
        self.last_rule = Some(kind.clone());
        kind
    }

    /// A `Record` element. The hot path of a multi-million-record export: attributes are
    /// read as raw slices of the tag (no allocation), unescaped only where they contain `&`,
    /// and the device is looked up by its raw text.
    fn record(
        &mut self,
        reader: &mut Xml<'_>,
        c: &mut Ctx<'_>,
        e: &BytesStart<'_>,
        children: Children,
        parent: Option<Handle>,
    ) -> DecodeResult {
        let pos = reader.buffer_position();
        let (metadata, hrv) = match children {
            Children::None => (Vec::new(), Vec::new()),
            Children::Unread => read_record_children(reader)?,
            Children::Read(md, hrv) => (md, hrv),
        };
        let raw = match RawRecord::scan(e) {
            Ok(r) => r,
            Err(msg) => {
                return c
                    .out
                    .reject(format!("byte {pos}"), format!("Record: {msg}"), None);
            }
        };
        let ty = raw.ty.unwrap_or("");
        let locator = || format!("byte {pos} (Record {ty})");
        let (Some(start), Some(end)) = (
            raw.start.and_then(parse_apple),
            raw.end.and_then(parse_apple),
        ) else {
            return c.out.reject(
                locator(),
                "missing or unreadable startDate/endDate",
                Some(format!(
                    "startDate={:?} endDate={:?}",
                    raw.start.unwrap_or(""),
                    raw.end.unwrap_or("")
                )),
            );
        };
        if ty.is_empty() {
            return c.out.reject(locator(), "Record without a type", None);
        }
        let device = match self.device_raw(
            c.out,
            raw.source_name.unwrap_or(""),
            raw.source_version,
            raw.device,
        ) {
            Ok(d) => d,
            Err(DeviceError::Decode(e)) => return Err(e),
            Err(DeviceError::Escape(msg)) => {
                return c
                    .out
                    .reject(format!("byte {pos}"), format!("Record: {msg}"), None);
            }
        };
        let unescaped_value;
        let raw_value = match raw.value {
            Some(v) if v.contains('&') => match quick_xml::escape::unescape(v) {
                Ok(u) => {
                    unescaped_value = u.into_owned();
                    Some(unescaped_value.as_str())
                }
                Err(err) => {
                    return c
                        .out
                        .reject(locator(), format!("attribute value: {err}"), None);
                }
            },
            other => other,
        };
        let raw_unit = raw.unit;
        let kind = self.kind_of(ty);
        let (metric, value, unit) = match kind {
            Kind::Quantity(rule) => {
                let Some(v) = raw_value
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|v| v.is_finite())
                else {
                    return c.out.reject(
                        locator(),
                        "quantity value is not a number",
                        Some(format!("value={:?}", raw_value.unwrap_or(""))),
                    );
                };
                let mut v = v * rule.scale;
                let mut unit: Option<Arc<str>> = match (&rule.unit, raw_unit) {
                    (Some(u), _) => Some(Arc::clone(u)),
                    (None, Some(u)) => Some(self.unit_arc(u)),
                    (None, None) => None,
                };
                // HealthKit writes percentages as fractions with unit "%".
                if rule.unit.is_none() && raw_unit == Some("%") && rule.scale == 1.0 {
                    v *= 100.0;
                    unit = Some(self.unit_arc("%"));
                }
                (rule.metric, Value::Num(v), unit)
            }
            Kind::Category { metric, stem } => {
                let v = raw_value.unwrap_or("");
                (metric, Value::Category(category_value(v, &stem)), None)
            }
            Kind::Other(metric) => match raw_value {
                Some(v) if v.trim().parse::<f64>().is_ok() => (
                    metric,
                    Value::Num(v.trim().parse::<f64>().unwrap_or(0.0)),
                    raw_unit.map(Arc::from),
                ),
                Some(v) => (metric, Value::Category(snake_case(v)), None),
                None => return c.out.reject(locator(), "Record without a value", None),
            },
        };
        let mut extra = Attrs::new();
        if !metadata.is_empty() {
            extra.set("metadata", metadata_object(metadata));
        }
        if !hrv.is_empty() {
            extra.set("instantaneous_bpm", serde_json::Value::Array(hrv));
        }
        c.out.sample(Sample {
            metric,
            start_ms: start.ms,
            end_ms: (end.ms != start.ms).then_some(end.ms),
            tz_offset_min: start.offset_min,
            value,
            unit,
            device: Some(device),
            event: parent.map(EventRef::Handle),
            attrs: extra.into_json(),
            // The writer names a sample it rejects by metric and time; formatting a locator
            // for every one of millions of records would cost more than it is worth.
            locator: None,
        })
    }

    /// Interns unit strings so that millions of samples share a few `Arc`s.
    fn unit_arc(&mut self, unit: &str) -> Arc<str> {
        if let Some(u) = self.units.get(unit) {
            return Arc::clone(u);
        }
        let a: Arc<str> = Arc::from(unit);
        self.units.insert(unit.to_string(), Arc::clone(&a));
        a
    }

    /// The device handle for raw (still escaped) attribute text; unescapes only on a miss.
    fn device_raw(
        &mut self,
        out: &mut Emitter,
        source_name: &str,
        source_version: Option<&str>,
        device: Option<&str>,
    ) -> std::result::Result<Handle, DeviceError> {
        self.key_buf.clear();
        self.key_buf.push_str(source_name);
        self.key_buf.push('\u{1f}');
        self.key_buf.push_str(source_version.unwrap_or(""));
        self.key_buf.push('\u{1f}');
        self.key_buf.push_str(device.unwrap_or(""));
        if let Some(h) = self.raw_devices.get(self.key_buf.as_str()) {
            return Ok(*h);
        }
        let un = |attr: &str, s: &str| {
            quick_xml::escape::unescape(s)
                .map(|c| c.into_owned())
                .map_err(|e| DeviceError::Escape(format!("attribute {attr}: {e}")))
        };
        let name = un("sourceName", source_name)?;
        let version = source_version.map(|v| un("sourceVersion", v)).transpose()?;
        let dev = device.map(|d| un("device", d)).transpose()?;
        let key = self.key_buf.clone();
        let h = self
            .device(out, &name, version.as_deref(), dev.as_deref())
            .map_err(DeviceError::Decode)?;
        self.raw_devices.insert(key, h);
        Ok(h)
    }

    fn correlation(
        &mut self,
        reader: &mut Xml<'_>,
        c: &mut Ctx<'_>,
        e: &BytesStart<'_>,
        has_children: bool,
    ) -> DecodeResult {
        let pos = reader.buffer_position();
        let a = match attrs(e) {
            Ok(a) => a,
            Err(msg) => {
                if has_children {
                    skip_element(reader, "Correlation")?;
                }
                return c
                    .out
                    .reject(format!("byte {pos}"), format!("Correlation: {msg}"), None);
            }
        };
        let ty = get(&a, "type").unwrap_or("").to_string();
        let start = get(&a, "startDate").and_then(parse_apple);
        let end = get(&a, "endDate").and_then(parse_apple);
        let Some(start) = start else {
            if has_children {
                skip_element(reader, "Correlation")?;
            }
            return c.out.reject(
                format!("byte {pos} (Correlation {ty})"),
                "unreadable startDate",
                None,
            );
        };
        let device = self.device(
            c.out,
            get(&a, "sourceName").unwrap_or(""),
            get(&a, "sourceVersion"),
            get(&a, "device"),
        )?;
        let title = snake_case(
            ty.strip_prefix("HKCorrelationTypeIdentifier")
                .unwrap_or(&ty),
        );
        let source_name = get(&a, "sourceName").unwrap_or("").to_string();
        drop(a);
        // Children: MetadataEntry and Records. The event is emitted first so records link to it.
        let mut metadata = Vec::new();
        let mut pending: Vec<(BytesStart<'static>, Children)> = Vec::new();
        if has_children {
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_event_into(&mut buf) {
                    Ok(XmlEvent::Empty(ch)) if ch.name().as_ref() == "MetadataEntry" => {
                        push_metadata(&ch, &mut metadata)
                    }
                    Ok(XmlEvent::Empty(ch)) if ch.name().as_ref() == "Record" => {
                        pending.push((ch.into_owned(), Children::None))
                    }
                    Ok(XmlEvent::Start(ch)) if ch.name().as_ref() == "Record" => {
                        // Emitted after the correlation event below, so read the children now.
                        let owned = ch.into_owned();
                        let (md, hrv) = read_record_children(reader)?;
                        pending.push((owned, Children::Read(md, hrv)));
                    }
                    Ok(XmlEvent::Start(ch)) => skip_element(reader, ch.name().as_ref())?,
                    Ok(XmlEvent::End(ch)) if ch.name().as_ref() == "Correlation" => break,
                    Ok(XmlEvent::Eof) => {
                        return Err(DecodeError::fatal(
                            format!("byte {}", reader.buffer_position()),
                            "the file ends inside a Correlation",
                        ));
                    }
                    Ok(_) => {}
                    Err(err) => return Err(malformed(reader, err)),
                }
            }
        }
        let mut ev = Attrs::new();
        ev.set("type", ty.clone());
        if !metadata.is_empty() {
            ev.set("metadata", metadata_object(metadata));
        }
        let handle = c.out.event(Event {
            kind: "health.correlation".into(),
            start_ms: Some(start.ms),
            end_ms: end.map(|e| e.ms).filter(|&e| e != start.ms),
            tz_offset_min: start.offset_min,
            title: Some(title),
            natural_key: Some(format!(
                "health.correlation:{ty}:{}:{source_name}",
                start.ms
            )),
            attrs: ev.into_json(),
            device: Some(device),
            sensitive: false,
            locator: Some(format!("byte {pos}")),
            ..Default::default()
        })?;
        for (rec, children) in pending {
            self.record(reader, c, &rec, children, Some(handle))?;
        }
        Ok(())
    }

    fn workout(
        &mut self,
        reader: &mut Xml<'_>,
        c: &mut Ctx<'_>,
        e: &BytesStart<'_>,
        has_children: bool,
    ) -> DecodeResult {
        let pos = reader.buffer_position();
        let a = match attrs(e) {
            Ok(a) => a,
            Err(msg) => {
                if has_children {
                    skip_element(reader, "Workout")?;
                }
                return c
                    .out
                    .reject(format!("byte {pos}"), format!("Workout: {msg}"), None);
            }
        };
        let activity_raw = get(&a, "workoutActivityType").unwrap_or("").to_string();
        let activity = snake_case(
            activity_raw
                .strip_prefix("HKWorkoutActivityType")
                .unwrap_or(&activity_raw),
        );
        let locator = format!("byte {pos} (Workout {activity_raw})");
        let (Some(start), Some(end)) = (
            get(&a, "startDate").and_then(parse_apple),
            get(&a, "endDate").and_then(parse_apple),
        ) else {
            if has_children {
                skip_element(reader, "Workout")?;
            }
            return c
                .out
                .reject(locator, "missing or unreadable startDate/endDate", None);
        };
        let source_name = get(&a, "sourceName").unwrap_or("").to_string();
        let device = self.device(
            c.out,
            &source_name,
            get(&a, "sourceVersion"),
            get(&a, "device"),
        )?;
        let mut w = Attrs::new();
        w.set("activity_type", activity_raw.clone());
        let num = |k: &str| {
            get(&a, k)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        if let Some(d) = num("duration") {
            let unit = get(&a, "durationUnit").unwrap_or("min");
            if let Some(s) = units::convert(d, unit, "s") {
                w.set("duration_s", round6(s));
            }
        }
        if let Some(d) = num("totalDistance") {
            let unit = get(&a, "totalDistanceUnit").unwrap_or("m");
            if let Some(m) = units::convert(d, unit, "m") {
                w.set("total_distance_m", round6(m));
            }
        }
        if let Some(en) = num("totalEnergyBurned") {
            let unit = get(&a, "totalEnergyBurnedUnit").unwrap_or("kcal");
            if let Some(k) = units::convert(en, unit, "kcal") {
                w.set("total_energy_kcal", round6(k));
            }
        }
        if let Some(ct) = get(&a, "creationDate") {
            w.set("creation_date", ct.to_string());
        }
        drop(a);
        let mut metadata = Vec::new();
        let mut events = Vec::new();
        let mut statistics = Vec::new();
        let mut activities = Vec::new();
        let mut route: Option<serde_json::Value> = None;
        let mut route_file: Option<String> = None;
        let mut locations: Vec<Fix> = Vec::new();
        if has_children {
            let mut buf = Vec::new();
            loop {
                buf.clear();
                let ev = match reader.read_event_into(&mut buf) {
                    Ok(ev) => ev,
                    Err(err) => return Err(malformed(reader, err)),
                };
                match ev {
                    XmlEvent::Empty(ch) | XmlEvent::Start(ch)
                        if ch.name().as_ref() == "MetadataEntry" =>
                    {
                        push_metadata(&ch, &mut metadata)
                    }
                    XmlEvent::Empty(ch) if ch.name().as_ref() == "WorkoutEvent" => {
                        events.push(attr_object(&ch))
                    }
                    XmlEvent::Start(ch) if ch.name().as_ref() == "WorkoutEvent" => {
                        let mut obj = attr_object(&ch);
                        let md = read_metadata_until(reader, "WorkoutEvent")?;
                        if !md.is_empty() {
                            obj["metadata"] = metadata_object(md);
                        }
                        events.push(obj);
                    }
                    XmlEvent::Empty(ch) if ch.name().as_ref() == "WorkoutStatistics" => {
                        statistics.push(attr_object(&ch))
                    }
                    XmlEvent::Start(ch) if ch.name().as_ref() == "WorkoutStatistics" => {
                        statistics.push(attr_object(&ch));
                        skip_element(reader, "WorkoutStatistics")?;
                    }
                    XmlEvent::Empty(ch) if ch.name().as_ref() == "WorkoutActivity" => {
                        activities.push(attr_object(&ch))
                    }
                    XmlEvent::Start(ch) if ch.name().as_ref() == "WorkoutActivity" => {
                        let mut obj = attr_object(&ch);
                        let (md, stats) = read_activity_children(reader)?;
                        if !md.is_empty() {
                            obj["metadata"] = metadata_object(md);
                        }
                        if !stats.is_empty() {
                            obj["statistics"] = serde_json::Value::Array(stats);
                        }
                        activities.push(obj);
                    }
                    XmlEvent::Start(ch) if ch.name().as_ref() == "WorkoutRoute" => {
                        let mut obj = attr_object(&ch);
                        let mut md = Vec::new();
                        let mut inner = Vec::new();
                        loop {
                            inner.clear();
                            match reader.read_event_into(&mut inner) {
                                Ok(XmlEvent::Empty(x)) | Ok(XmlEvent::Start(x))
                                    if x.name().as_ref() == "MetadataEntry" =>
                                {
                                    push_metadata(&x, &mut md)
                                }
                                Ok(XmlEvent::Empty(x)) if x.name().as_ref() == "FileReference" => {
                                    if let Ok(xa) = attrs(&x)
                                        && let Some(p) = get(&xa, "path")
                                    {
                                        obj["file"] = serde_json::Value::String(p.to_string());
                                        route_file = Some(normalize_route_path(p));
                                    }
                                }
                                Ok(XmlEvent::Empty(x)) if x.name().as_ref() == "Location" => {
                                    if let Some(l) = location(&x) {
                                        locations.push(l);
                                    }
                                }
                                Ok(XmlEvent::Start(x)) => skip_element(reader, x.name().as_ref())?,
                                Ok(XmlEvent::End(x)) if x.name().as_ref() == "WorkoutRoute" => {
                                    break;
                                }
                                Ok(XmlEvent::Eof) => {
                                    return Err(DecodeError::fatal(
                                        format!("byte {}", reader.buffer_position()),
                                        "the file ends inside a WorkoutRoute",
                                    ));
                                }
                                Ok(_) => {}
                                Err(err) => return Err(malformed(reader, err)),
                            }
                        }
                        if !md.is_empty() {
                            obj["metadata"] = metadata_object(md);
                        }
                        route = Some(obj);
                    }
                    XmlEvent::Empty(ch) if ch.name().as_ref() == "Location" => {
                        if let Some(l) = location(&ch) {
                            locations.push(l);
                        }
                    }
                    XmlEvent::Start(ch) => skip_element(reader, ch.name().as_ref())?,
                    XmlEvent::End(ch) if ch.name().as_ref() == "Workout" => break,
                    XmlEvent::Eof => {
                        return Err(DecodeError::fatal(
                            format!("byte {}", reader.buffer_position()),
                            "the file ends inside a Workout",
                        ));
                    }
                    _ => {}
                }
            }
        }
        if !metadata.is_empty() {
            w.set("metadata", metadata_object(metadata));
        }
        if !events.is_empty() {
            w.set("events", serde_json::Value::Array(events));
        }
        if !statistics.is_empty() {
            w.set("statistics", serde_json::Value::Array(statistics));
        }
        if !activities.is_empty() {
            w.set("activities", serde_json::Value::Array(activities));
        }
        if let Some(r) = route {
            w.set("route", r);
        }
        if let Some(f) = &route_file {
            w.set("route_file", f.clone());
        }
        self.workout_seq += 1;
        let handle = c.out.event(Event {
            kind: "workout".into(),
            start_ms: Some(start.ms),
            end_ms: Some(end.ms),
            tz_offset_min: start.offset_min,
            title: Some(activity.clone()),
            natural_key: Some(format!(
                "workout:{}:{}:{activity}:{source_name}",
                start.ms, end.ms
            )),
            attrs: w.into_json(),
            device: Some(device),
            locator: Some(locator),
            ..Default::default()
        })?;
        let mut prev = None;
        for fix in locations {
            c.out.track_point(TrackPoint {
                event: EventRef::Handle(handle),
                seq: time_seq(fix.t_ms, &mut prev),
                t_ms: fix.t_ms,
                lat: fix.lat,
                lon: fix.lon,
                alt_m: fix.alt_m,
                speed_mps: fix.speed_mps,
                course_deg: fix.course_deg,
                h_acc_m: fix.h_acc_m,
                v_acc_m: fix.v_acc_m,
                attrs: None,
            })?;
        }
        Ok(())
    }

    fn activity_summary(&mut self, c: &mut Ctx<'_>, e: &BytesStart<'_>, pos: u64) -> DecodeResult {
        let a = match attrs(e) {
            Ok(a) => a,
            Err(msg) => {
                return c.out.reject(
                    format!("byte {pos}"),
                    format!("ActivitySummary: {msg}"),
                    None,
                );
            }
        };
        let day = get(&a, "dateComponents").unwrap_or("");
        let Some(start) = day_start_ms(day) else {
            return c.out.reject(
                format!("byte {pos} (ActivitySummary)"),
                "unreadable dateComponents",
                Some(day.to_string()),
            );
        };
        let energy_unit = get(&a, "activeEnergyBurnedUnit").unwrap_or("kcal");
        let fields: [(&str, &str, &str); 8] = [
            ("activeEnergyBurned", "activity_summary.move", energy_unit),
            (
                "activeEnergyBurnedGoal",
                "activity_summary.move_goal",
                energy_unit,
            ),
            ("appleMoveTime", "activity_summary.move_time", "min"),
            (
                "appleMoveTimeGoal",
                "activity_summary.move_time_goal",
                "min",
            ),
            ("appleExerciseTime", "activity_summary.exercise_time", "min"),
            (
                "appleExerciseTimeGoal",
                "activity_summary.exercise_goal",
                "min",
            ),
            ("appleStandHours", "activity_summary.stand_hours", "h"),
            ("appleStandHoursGoal", "activity_summary.stand_goal", "h"),
        ];
        let day_attrs = {
            let mut d = Attrs::new();
            d.set("day", day.to_string());
            d.into_json()
        };
        let mut any = false;
        for (attr, metric, unit) in fields {
            let Some(raw) = get(&a, attr) else { continue };
            let Some(v) = raw.trim().parse::<f64>().ok().filter(|v| v.is_finite()) else {
                c.out.reject(
                    format!("byte {pos} (ActivitySummary {day})"),
                    format!("{attr} is not a number"),
                    Some(raw.to_string()),
                )?;
                continue;
            };
            any = true;
            c.out.sample(Sample {
                metric: Arc::from(metric),
                start_ms: start,
                end_ms: Some(start + 86_400_000),
                tz_offset_min: None,
                value: Value::Num(v),
                unit: Some(Arc::from(unit)),
                device: None,
                event: None,
                attrs: day_attrs.clone(),
                locator: Some(format!("byte {pos} (ActivitySummary {day})")),
            })?;
        }
        if !any {
            c.out.skip()?;
        }
        Ok(())
    }

    fn me(&mut self, c: &mut Ctx<'_>, e: &BytesStart<'_>, pos: u64) -> DecodeResult {
        let a = match attrs(e) {
            Ok(a) => a,
            Err(msg) => {
                return c
                    .out
                    .reject(format!("byte {pos}"), format!("Me: {msg}"), None);
            }
        };
        let mut p = Attrs::new();
        for (k, v) in &a {
            let key = k
                .strip_prefix("HKCharacteristicTypeIdentifier")
                .unwrap_or(k);
            let value = strip_enum_prefix(v);
            p.set(&snake_case(key), value);
        }
        c.out.event(Event {
            kind: "profile".into(),
            title: Some("Apple Health profile".into()),
            attrs: p.into_json(),
            sensitive: true,
            locator: Some(format!("byte {pos} (Me)")),
            ..Default::default()
        })?;
        Ok(())
    }

    /// Audiogram and VisionPrescription: an event with everything inside kept in attrs.
    fn generic_event(
        &mut self,
        reader: &mut Xml<'_>,
        c: &mut Ctx<'_>,
        e: &BytesStart<'_>,
        has_children: bool,
        kind: &str,
    ) -> DecodeResult {
        let pos = reader.buffer_position();
        let name = e.name().as_ref().to_string();
        let mut obj = attr_object(e);
        if has_children {
            let mut children = Vec::new();
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_event_into(&mut buf) {
                    Ok(XmlEvent::Empty(ch)) => {
                        let mut o = attr_object(&ch);
                        o["element"] = serde_json::Value::String(ch.name().as_ref().to_string());
                        children.push(o);
                    }
                    Ok(XmlEvent::Start(ch)) => {
                        let mut o = attr_object(&ch);
                        o["element"] = serde_json::Value::String(ch.name().as_ref().to_string());
                        children.push(o);
                        skip_element(reader, ch.name().as_ref())?;
                    }
                    Ok(XmlEvent::End(ch)) if ch.name().as_ref() == name.as_str() => break,
                    Ok(XmlEvent::Eof) => {
                        return Err(DecodeError::fatal(
                            format!("byte {}", reader.buffer_position()),
                            "the file ends inside an element",
                        ));
                    }
                    Ok(_) => {}
                    Err(err) => return Err(malformed(reader, err)),
                }
            }
            obj["children"] = serde_json::Value::Array(children);
        }
        let start = obj
            .get("startDate")
            .and_then(|v| v.as_str())
            .and_then(parse_apple);
        let end = obj
            .get("endDate")
            .and_then(|v| v.as_str())
            .and_then(parse_apple);
        c.out.event(Event {
            kind: kind.into(),
            start_ms: start.map(|s| s.ms),
            end_ms: end.map(|e| e.ms),
            tz_offset_min: start.and_then(|s| s.offset_min),
            attrs: Some(obj.to_string()),
            sensitive: true,
            locator: Some(format!("byte {pos}")),
            ..Default::default()
        })?;
        Ok(())
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// `HKBiologicalSexMale` → `male`, `HKBloodTypeNotSet` → `not_set`.
fn strip_enum_prefix(v: &str) -> String {
    for p in [
        "HKBiologicalSex",
        "HKBloodType",
        "HKFitzpatrickSkinType",
        "HKCardioFitnessMedicationsUse",
    ] {
        if let Some(rest) = v.strip_prefix(p) {
            return snake_case(rest);
        }
    }
    v.to_string()
}

/// `/workout-routes/route_x.gpx` and `apple_health_export/workout-routes/route_x.gpx` both
/// become `workout-routes/route_x.gpx`.
pub fn normalize_route_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    match p.find("workout-routes/") {
        Some(i) => p[i..].to_string(),
        None => p.trim_start_matches('/').to_string(),
    }
}

/// One point of the old inline route form (`<Location>` in a `Workout`), kept compact: a
/// long workout holds hundreds of thousands of them until its event is written.
struct Fix {
    t_ms: i64,
    lat: f64,
    lon: f64,
    alt_m: Option<f64>,
    h_acc_m: Option<f64>,
    v_acc_m: Option<f64>,
    course_deg: Option<f64>,
    speed_mps: Option<f64>,
}

fn location(e: &BytesStart<'_>) -> Option<Fix> {
    let a = attrs(e).ok()?;
    let t = parse_apple(get(&a, "date")?)?;
    let lat: f64 = get(&a, "latitude")?.trim().parse().ok()?;
    let lon: f64 = get(&a, "longitude")?.trim().parse().ok()?;
    let num = |k: &str| {
        get(&a, k)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    Some(Fix {
        t_ms: t.ms,
        lat,
        lon,
        alt_m: num("altitude"),
        h_acc_m: num("horizontalAccuracy"),
        v_acc_m: num("verticalAccuracy"),
        course_deg: num("course").filter(|c| *c >= 0.0),
        speed_mps: num("speed").filter(|s| *s >= 0.0),
    })
}

fn attr_object(e: &BytesStart<'_>) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if let Ok(a) = attrs(e) {
        for (k, v) in a {
            m.insert(k.to_string(), serde_json::Value::String(v.into_owned()));
        }
    }
    serde_json::Value::Object(m)
}

fn push_metadata(e: &BytesStart<'_>, out: &mut Vec<(String, String)>) {
    if let Ok(a) = attrs(e)
        && let (Some(k), Some(v)) = (get(&a, "key"), get(&a, "value"))
    {
        out.push((k.to_string(), v.to_string()));
    }
}

fn metadata_object(md: Vec<(String, String)>) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (k, v) in md {
        m.insert(k, serde_json::Value::String(v));
    }
    serde_json::Value::Object(m)
}

/// Reads a Record's children: MetadataEntry and HRV InstantaneousBeatsPerMinute.
fn read_record_children(
    reader: &mut Xml<'_>,
) -> Result<(Metadata, Vec<serde_json::Value>), DecodeError> {
    let mut metadata = Vec::new();
    let mut hrv = Vec::new();
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Empty(ch)) => match ch.name().as_ref() {
                "MetadataEntry" => push_metadata(&ch, &mut metadata),
                "InstantaneousBeatsPerMinute" => {
                    if let Ok(a) = attrs(&ch) {
                        let mut o = serde_json::Map::new();
                        if let Some(b) = get(&a, "bpm")
                            .and_then(|b| b.trim().parse::<f64>().ok())
                            .filter(|b| b.is_finite())
                        {
                            o.insert("bpm".into(), b.into());
                        }
                        if let Some(t) = get(&a, "time") {
                            o.insert("time".into(), t.to_string().into());
                        }
                        hrv.push(serde_json::Value::Object(o));
                    }
                }
                _ => {}
            },
            Ok(XmlEvent::Start(_)) => depth += 1,
            Ok(XmlEvent::End(ch)) => {
                if depth == 0 {
                    if ch.name().as_ref() == "Record" {
                        break;
                    }
                    return Err(malformed(reader, "unexpected end tag inside a Record"));
                }
                depth -= 1;
            }
            Ok(XmlEvent::Eof) => {
                return Err(DecodeError::fatal(
                    format!("byte {}", reader.buffer_position()),
                    "the file ends inside a Record",
                ));
            }
            Ok(_) => {}
            Err(err) => return Err(malformed(reader, err)),
        }
    }
    Ok((metadata, hrv))
}

fn read_metadata_until(
    reader: &mut Xml<'_>,
    end: &str,
) -> Result<Vec<(String, String)>, DecodeError> {
    let mut md = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Empty(ch)) if ch.name().as_ref() == "MetadataEntry" => {
                push_metadata(&ch, &mut md)
            }
            Ok(XmlEvent::Start(ch)) => skip_element(reader, ch.name().as_ref())?,
            Ok(XmlEvent::End(ch)) if ch.name().as_ref() == end => return Ok(md),
            Ok(XmlEvent::Eof) => {
                return Err(DecodeError::fatal(
                    format!("byte {}", reader.buffer_position()),
                    "the file ends inside an element",
                ));
            }
            Ok(_) => {}
            Err(err) => return Err(malformed(reader, err)),
        }
    }
}

fn read_activity_children(
    reader: &mut Xml<'_>,
) -> Result<(Metadata, Vec<serde_json::Value>), DecodeError> {
    let mut md = Vec::new();
    let mut stats = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Empty(ch)) if ch.name().as_ref() == "MetadataEntry" => {
                push_metadata(&ch, &mut md)
            }
            Ok(XmlEvent::Empty(ch)) if ch.name().as_ref() == "WorkoutStatistics" => {
                stats.push(attr_object(&ch))
            }
            Ok(XmlEvent::Start(ch)) => skip_element(reader, ch.name().as_ref())?,
            Ok(XmlEvent::End(ch)) if ch.name().as_ref() == "WorkoutActivity" => {
                return Ok((md, stats));
            }
            Ok(XmlEvent::Eof) => {
                return Err(DecodeError::fatal(
                    format!("byte {}", reader.buffer_position()),
                    "the file ends inside a WorkoutActivity",
                ));
            }
            Ok(_) => {}
            Err(err) => return Err(malformed(reader, err)),
        }
    }
}

/// Skips to the end of the element whose start tag was just read.
fn skip_element(reader: &mut Xml<'_>, name: &str) -> DecodeResult {
    let name = name.to_string();
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(XmlEvent::Start(ch)) if ch.name().as_ref() == name.as_str() => depth += 1,
            Ok(XmlEvent::End(ch)) if ch.name().as_ref() == name.as_str() => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
            }
            Ok(XmlEvent::Eof) => {
                return Err(DecodeError::fatal(
                    format!("byte {}", reader.buffer_position()),
                    "the file ends inside an element",
                ));
            }
            Ok(_) => {}
            Err(err) => return Err(malformed(reader, err)),
        }
    }
}

/// MetadataEntry key/value pairs in document order.
type Metadata = Vec<(String, String)>;

/// Why a device could not be resolved.
enum DeviceError {
    Decode(DecodeError),
    Escape(String),
}

/// The attributes of a `Record` as raw, still escaped slices of its start tag.
#[derive(Default)]
struct RawRecord<'a> {
    ty: Option<&'a str>,
    source_name: Option<&'a str>,
    source_version: Option<&'a str>,
    device: Option<&'a str>,
    unit: Option<&'a str>,
    value: Option<&'a str>,
    start: Option<&'a str>,
    end: Option<&'a str>,
}

impl<'a> RawRecord<'a> {
    fn scan(e: &'a BytesStart<'a>) -> std::result::Result<Self, String> {
        let mut r = RawRecord::default();
        if raw_attrs(e.attributes_raw(), |k, v| r.set(k, v)) {
            return Ok(r);
        }
        // Malformed: quick-xml's iterator says how.
        let mut r = RawRecord::default();
        for a in e.attributes().with_checks(false) {
            let a = a.map_err(|err| format!("malformed attribute: {err}"))?;
            let std::borrow::Cow::Borrowed(v) = a.value else {
                continue;
            };
            r.set(a.key.into_inner(), v);
        }
        Ok(r)
    }

    fn set(&mut self, key: &'a str, v: &'a str) {
        match key {
            "type" => self.ty = Some(v),
            "sourceName" => self.source_name = Some(v),
            "sourceVersion" => self.source_version = Some(v),
            "device" => self.device = Some(v),
            "unit" => self.unit = Some(v),
            "value" => self.value = Some(v),
            "startDate" => self.start = Some(v),
            "endDate" => self.end = Some(v),
            _ => {}
        }
    }
}

/// A Record's child elements: absent, still to be read, or read already (in a Correlation).
enum Children {
    None,
    Unread,
    Read(Vec<(String, String)>, Vec<serde_json::Value>),
}

impl Decoder for AppleHealth {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut repaired = Utf8Repair::new(input);
        // A top-level element may not span more than MAX_RECORD bytes: an attribute whose
        // quote never closes would otherwise be read whole (src/import/limit.rs).
        let (mut limited, record_start) =
            crate::import::limit::record_limit(&mut repaired, crate::import::limit::MAX_RECORD);
        let result = self.decode_xml(&mut limited, &record_start, out);
        drop(limited);
        out.report_repairs(&repaired.repairs, repaired.repair_count)?;
        result
    }
}

impl AppleHealth {
    fn decode_xml(
        &mut self,
        input: &mut dyn BufRead,
        record_start: &crate::import::limit::RecordStart,
        out: &mut Emitter,
    ) -> DecodeResult {
        let mut reader: Xml<'_> = Reader::from_reader(input);
        {
            let cfg = reader.config_mut();
            cfg.trim_text(true);
            cfg.check_end_names = true;
            cfg.expand_empty_elements = false;
        }
        let mut c = Ctx { out };
        let mut buf = Vec::with_capacity(4096);
        let mut seen_root = false;
        let mut depth = 0usize;
        loop {
            buf.clear();
            record_start.mark();
            let pos = reader.buffer_position();
            let ev = match reader.read_event_into(&mut buf) {
                Ok(ev) => ev,
                Err(err) => return Err(malformed(&reader, err)),
            };
            match ev {
                XmlEvent::Start(e) => {
                    let name = e.name();
                    if !seen_root {
                        if name.as_ref() != "HealthData" {
                            return Err(DecodeError::fatal(
                                format!("byte {pos}"),
                                format!("expected <HealthData>, found <{}>", name.as_ref()),
                            ));
                        }
                        seen_root = true;
                        continue;
                    }
                    if depth > 0 {
                        depth += 1;
                        continue;
                    }
                    self.element(&mut reader, &mut c, &e, true, pos)?;
                }
                XmlEvent::Empty(e) => {
                    if seen_root && depth == 0 {
                        self.element(&mut reader, &mut c, &e, false, pos)?;
                    }
                }
                XmlEvent::End(e) => {
                    if depth > 0 {
                        depth -= 1;
                    } else if e.name().as_ref() == "HealthData" {
                        return Ok(());
                    }
                }
                XmlEvent::Eof => {
                    if !seen_root {
                        return Err(DecodeError::fatal(
                            "start of file",
                            "no <HealthData> element: not an Apple Health export",
                        ));
                    }
                    return Err(DecodeError::fatal(
                        format!("byte {pos}"),
                        "the file ends before </HealthData> (truncated?)",
                    ));
                }
                // The DOCTYPE and its internal subset are skipped unread; entities are never expanded.
                XmlEvent::DocType(_)
                | XmlEvent::Decl(_)
                | XmlEvent::Comment(_)
                | XmlEvent::PI(_) => {}
                XmlEvent::Text(_) | XmlEvent::CData(_) | XmlEvent::GeneralRef(_) => {}
            }
        }
    }
}

impl AppleHealth {
    fn element(
        &mut self,
        reader: &mut Xml<'_>,
        c: &mut Ctx<'_>,
        e: &BytesStart<'_>,
        has_children: bool,
        pos: u64,
    ) -> DecodeResult {
        match e.name().as_ref() {
            "Record" => {
                let children = if has_children {
                    Children::Unread
                } else {
                    Children::None
                };
                self.record(reader, c, e, children, None)
            }
            "Correlation" => self.correlation(reader, c, e, has_children),
            "Workout" => self.workout(reader, c, e, has_children),
            "ActivitySummary" => {
                if has_children {
                    skip_element(reader, "ActivitySummary")?;
                }
                self.activity_summary(c, e, pos)
            }
            "Me" => {
                if has_children {
                    skip_element(reader, "Me")?;
                }
                self.me(c, e, pos)
            }
            "Audiogram" => self.generic_event(reader, c, e, has_children, "health.audiogram"),
            "VisionPrescription" => {
                self.generic_event(reader, c, e, has_children, "health.vision_prescription")
            }
            other => {
                // ExportDate, ClinicalRecord (read from its FHIR file) and unknown elements.
                if has_children {
                    skip_element(reader, other)?;
                }
                if other == "ExportDate" {
                    Ok(())
                } else {
                    c.out.skip()
                }
            }
        }
    }
}
