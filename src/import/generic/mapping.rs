//! The mapping language of generic importer specs (importers/README.md documents it).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::snake_case;
use crate::import::pipeline::{DecodeResult, Emitter};
use crate::model::{DeviceInfo, Event, EventRef, Handle, Sample, Value};
use crate::time::{Zone, parse_with, zone_by_name};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// csv: the field delimiter (one character; default `,`).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// csv: lines to skip before the header (Samsung Health's metadata line).
    #[serde(default)]
    pub skip_lines: usize,
    /// csv: a column `a.b.c` can also be named by its last part `c` (Samsung Health prefixes
    /// columns with their data type: `com.samsung.health.step_count.start_time`). A column
    /// whose full name is `c` wins over a shortened one.
    #[serde(default)]
    pub strip_column_prefix: bool,
    /// Text values in `attrs` that are plain decimal numbers (`42`, `24.1`, not `007`) are
    /// stored as JSON numbers (CSV cells are all text otherwise).
    #[serde(default)]
    pub numeric_attrs: bool,
    /// json / js-assignment: dot path to the array of records (`""`: the top level).
    #[serde(default)]
    pub records: Option<String>,
    /// xml: the element whose attributes (and child texts) form a record.
    #[serde(default)]
    pub element: Option<String>,
    /// Values that mean "no value" (default: empty string and null).
    #[serde(default)]
    pub missing: Vec<String>,
    /// Default zone for times without an offset: `utc` (default), `local` (the
    /// `--timezone` option), a fixed offset `+02:00`, or an IANA zone name.
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    pub samples: Vec<SampleMap>,
    #[serde(default)]
    pub events: Vec<EventMap>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeMap {
    pub time: Option<String>,
    #[serde(default)]
    pub time_format: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub end_time_format: Option<String>,
    /// A field holding the duration (alternative to `end_time`), in `duration_unit`.
    #[serde(default)]
    pub duration: Option<String>,
    #[serde(default)]
    pub duration_unit: Option<String>,
    #[serde(default)]
    pub zone: Option<String>,
    /// A field holding the record's UTC offset (`UTC+0900`, `+09:00`, `+0900`); the time is
    /// local wall-clock time in that offset.
    #[serde(default)]
    pub offset_field: Option<String>,
    /// A field holding the local offset in force when the record was made, kept as
    /// `tz_offset_min`; the time itself is read in `zone` (Samsung Health writes UTC times
    /// beside a `time_offset` column). An empty field means the offset is unknown.
    #[serde(default)]
    pub local_offset_field: Option<String>,
}

/// Links a sample to an event of the same source: the one whose `original_id` is the value of
/// `original_id` (a field of this record) and whose kind is `kind`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentRef {
    pub kind: String,
    pub original_id: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub field: String,
    #[serde(default)]
    pub equals: Option<String>,
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    /// `true`: the field must have a value; `false`: it must be missing.
    #[serde(default)]
    pub present: Option<bool>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleMap {
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub metric_field: Option<String>,
    #[serde(default)]
    pub metric_map: Option<BTreeMap<String, String>>,
    /// With `metric_field`: unmapped values become `<prefix><snake_case value>`; without it
    /// they are skipped.
    #[serde(default)]
    pub metric_prefix: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub scale: Option<f64>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub category_map: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub unit_field: Option<String>,
    #[serde(flatten)]
    pub time: TimeMap,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub device_field: Option<String>,
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
    #[serde(default)]
    pub when: Option<When>,
    /// The event this sample belongs to (a sleep stage's sleep), imported before it.
    #[serde(default)]
    pub parent: Option<ParentRef>,
    /// A record whose value is missing is skipped (true, default) or rejected (false).
    #[serde(default = "yes")]
    pub optional: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMap {
    pub kind: String,
    #[serde(flatten)]
    pub time: TimeMap,
    #[serde(default)]
    pub title: Option<String>,
    /// Replaces title values (codes) by names; values not listed are kept as they are.
    #[serde(default)]
    pub title_map: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub original_id: Option<String>,
    /// Fields whose values identify the event when there is no `original_id`.
    #[serde(default)]
    pub key: Vec<String>,
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub device_field: Option<String>,
    #[serde(default)]
    pub when: Option<When>,
}

fn yes() -> bool {
    true
}

impl Mapping {
    pub fn parse(format: &str, table: &toml::Table) -> std::result::Result<Mapping, String> {
        let m: Mapping = table
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string())?;
        if let Some(d) = &m.delimiter
            && (format != "csv" || d.chars().count() != 1 || !d.is_ascii())
        {
            return Err("delimiter must be one ASCII character, and only for csv".into());
        }
        if m.strip_column_prefix && format != "csv" {
            return Err("strip_column_prefix is only for csv".into());
        }
        if m.element.is_some() != (format == "xml") {
            return Err("xml rules need `element`, and only xml rules take it".into());
        }
        if m.samples.is_empty() && m.events.is_empty() {
            return Err(
                "a generic rule needs at least one [[files.samples]] or [[files.events]] mapping"
                    .into(),
            );
        }
        for (i, s) in m.samples.iter().enumerate() {
            let what = format!("samples[{i}]");
            if s.metric.is_some() == s.metric_field.is_some() {
                return Err(format!(
                    "{what}: give exactly one of `metric` or `metric_field`"
                ));
            }
            if s.value.is_some() == s.category.is_some() {
                return Err(format!("{what}: give exactly one of `value` or `category`"));
            }
            if s.time.time.is_none() {
                return Err(format!("{what}: `time` is required"));
            }
            check_time(&what, &s.time)?;
        }
        for (i, e) in m.events.iter().enumerate() {
            let what = format!("events[{i}]");
            if e.kind.is_empty() {
                return Err(format!("{what}: `kind` is required"));
            }
            check_time(&what, &e.time)?;
        }
        Ok(m)
    }

    /// The default zone, checking that `local` has its `--timezone`.
    pub fn zone(&self, ctx: &DecodeContext<'_>) -> Result<Zone> {
        resolve_zone(self.zone.as_deref(), ctx)
    }

    pub fn missing_values(&self) -> Vec<String> {
        if self.missing.is_empty() {
            vec![String::new()]
        } else {
            self.missing.clone()
        }
    }
}

fn check_time(what: &str, t: &TimeMap) -> std::result::Result<(), String> {
    if t.offset_field.is_some() && t.local_offset_field.is_some() {
        return Err(format!(
            "{what}: give at most one of `offset_field` or `local_offset_field`"
        ));
    }
    if t.end_time.is_some() && t.duration.is_some() {
        return Err(format!(
            "{what}: give at most one of `end_time` or `duration`"
        ));
    }
    if let Some(u) = &t.duration_unit
        && crate::units::convert(1.0, u, "ms").is_none()
    {
        return Err(format!("{what}: duration_unit {u:?} is not a unit of time"));
    }
    Ok(())
}

pub fn resolve_zone(spec: Option<&str>, ctx: &DecodeContext<'_>) -> Result<Zone> {
    let bad = |detail: String| Error::BadSpec {
        origin: ctx.spec.origin.clone(),
        detail,
    };
    match spec.unwrap_or("utc") {
        "utc" | "UTC" => Ok(Zone::Utc),
        "local" => {
            let name = ctx
                .option("timezone")
                .ok_or_else(|| Error::MissingImportOption {
                    importer: ctx.spec.id.clone(),
                    option: "timezone".into(),
                    help: "the IANA time zone the export's local times are in (e.g. Europe/Berlin)"
                        .into(),
                })?;
            zone_by_name(name)
                .map(Zone::Local)
                .ok_or_else(|| Error::Usage {
                    message: format!("unknown time zone {name:?}"),
                    hint: Some("use an IANA name such as Europe/Berlin or America/New_York".into()),
                })
        }
        fixed if fixed.starts_with('+') || fixed.starts_with('-') => parse_offset(fixed)
            .map(Zone::Fixed)
            .ok_or_else(|| bad(format!("zone {fixed:?} is not an offset like +02:00"))),
        name => zone_by_name(name)
            .map(Zone::Local)
            .ok_or_else(|| bad(format!("unknown time zone {name:?}"))),
    }
}

/// `UTC+0900`, `GMT-05:00`, `+09:00`, `+0900`, `Z` → minutes east of UTC.
pub fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let s = s
        .strip_prefix("UTC")
        .or_else(|| s.strip_prefix("GMT"))
        .unwrap_or(s);
    if s.is_empty() || s == "Z" {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes()[0] {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// One record of any generic format, with field lookup by dot path.
pub enum Record<'a> {
    Json(&'a Json),
    Csv {
        index: &'a HashMap<String, usize>,
        row: &'a csv::StringRecord,
    },
    Fields(&'a [(String, String)]),
}

impl Record<'_> {
    /// The value at `path`: for CSV the whole path is first a column name; otherwise the part
    /// before the first `.` is the column and the cell is parsed as JSON for the rest.
    pub fn get(&self, path: &str) -> Option<Json> {
        match self {
            Record::Json(v) => walk(v, path).cloned(),
            Record::Csv { index, row } => {
                if let Some(&i) = index.get(path) {
                    return row.get(i).map(cell_value);
                }
                let mut split = path.match_indices('.').map(|(i, _)| i);
                split.find_map(|dot| {
                    let (col, rest) = (&path[..dot], &path[dot + 1..]);
                    let &i = index.get(col)?;
                    let cell: Json = serde_json::from_str(row.get(i)?).ok()?;
                    walk(&cell, rest).cloned()
                })
            }
            Record::Fields(fields) => fields
                .iter()
                .find(|(k, _)| k == path)
                .map(|(_, v)| Json::String(v.clone())),
        }
    }
}

fn cell_value(cell: &str) -> Json {
    let t = cell.trim();
    if ((t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']')))
        && let Ok(v) = serde_json::from_str(t)
    {
        return v;
    }
    Json::String(cell.to_string())
}

/// `42`, `-3`, `24.1` as a JSON number; anything else (`007`, `1e5`, `12 kg`, ``) is not one,
/// so identifiers that look numeric keep their exact text.
fn plain_number(s: &str) -> Option<Json> {
    let t = s.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !all(int) || (int.len() > 1 && int.starts_with('0')) || frac.is_some_and(|f| !all(f)) {
        return None;
    }
    if frac.is_none() {
        return t.parse::<i64>().ok().map(Json::from);
    }
    t.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Json::Number)
}

pub fn walk<'v>(v: &'v Json, path: &str) -> Option<&'v Json> {
    if path.is_empty() {
        return Some(v);
    }
    let mut cur = v;
    for part in path.split('.') {
        cur = match cur {
            Json::Object(m) => m.get(part)?,
            Json::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Start, end and UTC offset (minutes) of a record.
type Span = (i64, Option<i64>, Option<i32>);

/// The mapping, compiled for one file.
pub struct Compiled {
    pub mapping: Mapping,
    zones: Vec<Zone>,
    event_zones: Vec<Zone>,
    missing: Vec<String>,
    devices: HashMap<String, Handle>,
    metrics: HashMap<String, Option<Arc<str>>>,
}

impl Compiled {
    pub fn new(mapping: Mapping, default_zone: Zone, ctx: &DecodeContext<'_>) -> Result<Self> {
        let mut zones = Vec::new();
        for s in &mapping.samples {
            zones.push(match &s.time.zone {
                Some(z) => resolve_zone(Some(z), ctx)?,
                None => default_zone.clone(),
            });
        }
        let mut event_zones = Vec::new();
        for e in &mapping.events {
            event_zones.push(match &e.time.zone {
                Some(z) => resolve_zone(Some(z), ctx)?,
                None => default_zone.clone(),
            });
        }
        let missing = mapping.missing_values();
        Ok(Compiled {
            mapping,
            zones,
            event_zones,
            missing,
            devices: HashMap::new(),
            metrics: HashMap::new(),
        })
    }

    fn text(&self, v: Option<Json>) -> Option<String> {
        match v? {
            Json::Null => None,
            Json::String(s) => (!self.missing.contains(&s)).then_some(s),
            Json::Number(n) => Some(n.to_string()),
            Json::Bool(b) => Some(b.to_string()),
            other => Some(other.to_string()),
        }
    }

    fn number(&self, v: Option<Json>) -> std::result::Result<Option<f64>, String> {
        match v {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Number(n)) => Ok(n.as_f64()),
            Some(Json::Bool(b)) => Ok(Some(if b { 1.0 } else { 0.0 })),
            Some(Json::String(s)) => {
                if self.missing.iter().any(|m| *m == s.trim()) {
                    return Ok(None);
                }
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(Some)
                    .ok_or_else(|| format!("{s:?} is not a number"))
            }
            Some(other) => Err(format!("{other} is not a number")),
        }
    }

    fn when(&self, w: &Option<When>, rec: &Record<'_>) -> bool {
        let Some(w) = w else { return true };
        let v = self.text(rec.get(&w.field));
        if let Some(p) = w.present
            && p != v.is_some()
        {
            return false;
        }
        if let Some(eq) = &w.equals
            && v.as_deref() != Some(eq.as_str())
        {
            return false;
        }
        if let Some(list) = &w.one_of
            && !v.as_deref().is_some_and(|v| list.iter().any(|x| x == v))
        {
            return false;
        }
        true
    }

    /// Start, end and offset of a record, or why not.
    fn times(
        &self,
        t: &TimeMap,
        zone: &Zone,
        rec: &Record<'_>,
    ) -> std::result::Result<Option<Span>, String> {
        let Some(field) = &t.time else {
            return Ok(None);
        };
        let Some(raw) = self.text(rec.get(field)) else {
            return Err(format!("no value for the time field {field:?}"));
        };
        let record_zone;
        let zone = match &t.offset_field {
            Some(of) => match self.text(rec.get(of)).as_deref().and_then(parse_offset) {
                Some(off) => {
                    record_zone = Zone::Fixed(off);
                    &record_zone
                }
                None => return Err(format!("no readable UTC offset in {of:?}")),
            },
            None => zone,
        };
        let fmt = t.time_format.as_deref().unwrap_or("rfc3339");
        let start = parse_with(&raw, fmt, zone)
            .ok_or_else(|| format!("{raw:?} is not a time in the format {fmt:?}"))?;
        let mut end = None;
        if let Some(ef) = &t.end_time
            && let Some(raw_end) = self.text(rec.get(ef))
        {
            let efmt = t.end_time_format.as_deref().unwrap_or(fmt);
            end = Some(
                parse_with(&raw_end, efmt, zone)
                    .ok_or_else(|| format!("{raw_end:?} is not a time in the format {efmt:?}"))?
                    .ms,
            );
        }
        if let Some(df) = &t.duration
            && let Some(d) = self.number(rec.get(df))?
        {
            let unit = t.duration_unit.as_deref().unwrap_or("s");
            let ms = crate::units::convert(d, unit, "ms").ok_or("bad duration unit")?;
            end = Some(start.ms + ms.round() as i64);
        }
        let mut offset = start.offset_min.or(match zone {
            Zone::Fixed(o) => Some(*o),
            _ => None,
        });
        if let Some(lf) = &t.local_offset_field {
            offset = match self.text(rec.get(lf)) {
                None => None,
                Some(raw) => Some(
                    parse_offset(&raw)
                        .ok_or_else(|| format!("{raw:?} in {lf:?} is not a UTC offset"))?,
                ),
            };
        }
        Ok(Some((start.ms, end.filter(|e| *e != start.ms), offset)))
    }

    fn device(
        &mut self,
        out: &mut Emitter,
        fixed: &Option<String>,
        field: &Option<String>,
        rec: &Record<'_>,
    ) -> std::result::Result<Option<Handle>, crate::import::pipeline::DecodeError> {
        let name = match (fixed, field) {
            (_, Some(f)) => self.text(rec.get(f)).or_else(|| fixed.clone()),
            (Some(n), None) => Some(n.clone()),
            (None, None) => None,
        };
        let Some(name) = name else { return Ok(None) };
        if let Some(h) = self.devices.get(&name) {
            return Ok(Some(*h));
        }
        let h = out.device(DeviceInfo::named(name.clone()))?;
        self.devices.insert(name, h);
        Ok(Some(h))
    }

    fn attrs(&self, map: &BTreeMap<String, String>, rec: &Record<'_>) -> Option<String> {
        let mut obj = serde_json::Map::new();
        for (name, path) in map {
            match rec.get(path) {
                None | Some(Json::Null) => {}
                Some(Json::String(s)) if self.missing.contains(&s) => {}
                Some(Json::String(s)) if self.mapping.numeric_attrs => {
                    obj.insert(name.clone(), plain_number(&s).unwrap_or(Json::String(s)));
                }
                Some(v) => {
                    obj.insert(name.clone(), v);
                }
            }
        }
        (!obj.is_empty()).then(|| Json::Object(obj).to_string())
    }

    fn metric(&mut self, s: &SampleMap, rec: &Record<'_>) -> Option<Arc<str>> {
        if let Some(m) = &s.metric {
            return Some(self.intern(m));
        }
        let raw = self.text(rec.get(s.metric_field.as_deref()?))?;
        if let Some(m) = s.metric_map.as_ref().and_then(|map| map.get(&raw)) {
            let m = m.clone();
            return Some(self.intern(&m));
        }
        let prefix = s.metric_prefix.as_ref()?;
        Some(self.intern(&format!("{prefix}{}", snake_case(&raw))))
    }

    fn intern(&mut self, m: &str) -> Arc<str> {
        if let Some(Some(a)) = self.metrics.get(m) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(m);
        self.metrics.insert(m.to_string(), Some(Arc::clone(&a)));
        a
    }

    /// Applies every mapping to one record.
    pub fn apply(&mut self, rec: &Record<'_>, locator: &str, out: &mut Emitter) -> DecodeResult {
        let mut emitted = 0usize;
        // A bad time shared by several mappings is one problem of the record: reported once.
        let mut time_errors: Vec<String> = Vec::new();
        for i in 0..self.mapping.samples.len() {
            let s = self.mapping.samples[i].clone();
            if !self.when(&s.when, rec) {
                continue;
            }
            let Some(metric) = self.metric(&s, rec) else {
                continue;
            };
            let value = if let Some(vf) = &s.value {
                match self.number(rec.get(vf)) {
                    Ok(Some(v)) => Value::Num(v * s.scale.unwrap_or(1.0)),
                    Ok(None) => {
                        if !s.optional {
                            out.reject(locator, format!("{metric}: no value in {vf:?}"), None)?;
                            emitted += 1;
                        }
                        continue;
                    }
                    Err(msg) => {
                        out.reject(locator, format!("{metric}: {msg}"), None)?;
                        emitted += 1;
                        continue;
                    }
                }
            } else {
                let cf = s.category.as_deref().unwrap_or_default();
                match self.text(rec.get(cf)) {
                    Some(c) => {
                        let mapped = s.category_map.as_ref().and_then(|m| m.get(&c)).cloned();
                        Value::Category(mapped.unwrap_or_else(|| snake_case(&c)))
                    }
                    None => {
                        if !s.optional {
                            out.reject(locator, format!("{metric}: no value in {cf:?}"), None)?;
                            emitted += 1;
                        }
                        continue;
                    }
                }
            };
            let (start, end, offset) = match self.times(&s.time, &self.zones[i].clone(), rec) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(msg) => {
                    if !time_errors.contains(&msg) {
                        out.reject(locator, format!("{metric}: {msg}"), None)?;
                        time_errors.push(msg);
                    }
                    emitted += 1;
                    continue;
                }
            };
            let unit = match (&s.unit_field, &s.unit) {
                (Some(f), fallback) => self.text(rec.get(f)).or_else(|| fallback.clone()),
                (None, Some(u)) => Some(u.clone()),
                (None, None) => None,
            };
            let device = self.device(out, &s.device, &s.device_field, rec)?;
            let attrs = self.attrs(&s.attrs, rec);
            let event = s.parent.as_ref().and_then(|p| {
                self.text(rec.get(&p.original_id))
                    .map(|id| EventRef::NaturalKey(format!("{}:{id}", p.kind)))
            });
            out.sample(Sample {
                metric,
                start_ms: start,
                end_ms: end,
                tz_offset_min: offset,
                value,
                unit: unit.map(|u| Arc::from(u.as_str())),
                device,
                event,
                attrs,
                locator: Some(locator.to_string()),
            })?;
            emitted += 1;
        }
        for i in 0..self.mapping.events.len() {
            let e = self.mapping.events[i].clone();
            if !self.when(&e.when, rec) {
                continue;
            }
            let times = match self.times(&e.time, &self.event_zones[i].clone(), rec) {
                Ok(t) => t,
                Err(msg) => {
                    if !time_errors.contains(&msg) {
                        out.reject(locator, format!("{}: {msg}", e.kind), None)?;
                        time_errors.push(msg);
                    }
                    emitted += 1;
                    continue;
                }
            };
            let original_id = e.original_id.as_ref().and_then(|f| self.text(rec.get(f)));
            let natural_key = if original_id.is_none() && !e.key.is_empty() {
                let parts: Vec<String> = e
                    .key
                    .iter()
                    .map(|f| self.text(rec.get(f)).unwrap_or_default())
                    .collect();
                Some(format!("{}:{}", e.kind, parts.join("\u{1f}")))
            } else {
                None
            };
            let device = self.device(out, &e.device, &e.device_field, rec)?;
            out.event(Event {
                kind: e.kind.clone(),
                start_ms: times.map(|t| t.0),
                end_ms: times.and_then(|t| t.1),
                tz_offset_min: times.and_then(|t| t.2),
                title: e
                    .title
                    .as_ref()
                    .and_then(|f| self.text(rec.get(f)))
                    .map(|t| {
                        e.title_map
                            .as_ref()
                            .and_then(|m| m.get(&t))
                            .cloned()
                            .unwrap_or(t)
                    }),
                body: e.body.as_ref().and_then(|f| self.text(rec.get(f))),
                attrs: self.attrs(&e.attrs, rec),
                original_id,
                natural_key,
                sensitive: e.sensitive,
                device,
                locator: Some(locator.to_string()),
                ..Default::default()
            })?;
            emitted += 1;
        }
        if emitted == 0 {
            out.skip()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers() {
        assert_eq!(plain_number("42"), Some(serde_json::json!(42)));
        assert_eq!(plain_number("-3"), Some(serde_json::json!(-3)));
        assert_eq!(plain_number("24.1"), Some(serde_json::json!(24.1)));
        assert_eq!(plain_number("0.5"), Some(serde_json::json!(0.5)));
        for not in [
            "007",
            "1e5",
            "12 kg",
            "",
            ".5",
            "5.",
            "-",
            "0x10",
            "99999999999999999999",
        ] {
            assert_eq!(plain_number(not), None, "{not}");
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("UTC+0900"), Some(540));
        assert_eq!(parse_offset("GMT-05:00"), Some(-300));
        assert_eq!(parse_offset("+09:00"), Some(540));
        assert_eq!(parse_offset("-0330"), Some(-210));
        assert_eq!(parse_offset("UTC"), Some(0));
        assert_eq!(parse_offset("nope"), None);
        assert_eq!(parse_offset("+99:00"), None);
    }

    #[test]
    fn csv_paths_reach_into_json_cells() {
        let mut index = HashMap::new();
        index.insert("contributors".to_string(), 0);
        index.insert("com.samsung.health.step_count.count".to_string(), 1);
        let row = csv::StringRecord::from(vec!["{\"deep_sleep\": 57}", "12"]);
        let r = Record::Csv {
            index: &index,
            row: &row,
        };
        assert_eq!(
            r.get("contributors.deep_sleep"),
            Some(serde_json::json!(57))
        );
        assert_eq!(
            r.get("com.samsung.health.step_count.count"),
            Some(serde_json::json!("12"))
        );
        assert_eq!(r.get("nope"), None);
    }
}
