//! FHIR resources: Apple Health's clinical records, Blue Button 2.0 pages, Bulk Data files.
//!
//! Three shapes are read, told apart by content, not by name:
//!
//! * a **bare resource** (Apple's `clinical-records/<Type>-<UUID>.json`: one resource per file,
//!   DSTU2 `1.0.2` such as `MedicationOrder`, or R4 `4.0.1`);
//! * a **Bundle** (a Blue Button `searchset` page of `ExplanationOfBenefit`, `Patient`,
//!   `Coverage`; a `collection`; nested Bundles), whose `entry` array is streamed one entry
//!   at a time;
//! * **NDJSON** (`*.ndjson`, FHIR Bulk Data): one resource per line.
//!
//! Every resource becomes a sensitive event `clinical.<ResourceType>` carrying its date (the
//! first of the type's date paths in `[tables.dates]`: effective, issued, onset, performed,
//! authoredOn, period, …), its main code (`[tables.codes]`: system, code, display, text),
//! status, value and unit, and the whole resource JSON, so nothing the record said is lost.
//! The original id is `<ResourceType>/<id>`; the identity is the entry's absolute `fullUrl`
//! when the Bundle gives one (two servers may both have an `Observation/1`), else that id, else
//! a hash of the resource without its `meta` (which servers rewrite).
//!
//! Observations whose LOINC code is in `[tables.loinc]` (heart rate 8867-4, body weight
//! 29463-7, the systolic/diastolic components of a blood pressure panel 85354-9, …) also
//! become samples linked to their event, converted from the UCUM unit the server wrote. A value
//! with a comparator (`<5`) is not a measurement and makes no sample; neither does an
//! Observation `entered-in-error`.
//!
//! Versions differ mostly in where the date and the code live (DSTU2 `MedicationOrder.
//! dateWritten`, R4 `MedicationRequest.authoredOn`), which the tables cover; the rest is read
//! the same way.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use serde_json::Value as Json;
use xxhash_rust::xxh3::xxh3_128;

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::jsonstream::{self, Item, MAX_RECORD};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{Attrs, DeviceInfo, Event, EventRef, Handle, Sample, Value};
use crate::time::{Zone, day_start_ms, parse_with};

const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";
/// Bundles inside Bundles deeper than this are refused (a hostile file cannot recurse us out).
const MAX_DEPTH: usize = 8;
/// `entry` elements of a resource that is not a Bundle (a List's) are held until its end;
/// more than this many is not a real record, and memory stays bounded.
const MAX_BUFFERED: usize = 100_000;

#[derive(Clone)]
struct LoincRule {
    metric: Arc<str>,
    /// The unit to assume when the quantity names none.
    default_unit: Option<Arc<str>>,
}

pub struct Fhir {
    dates: HashMap<String, Vec<String>>,
    codes: HashMap<String, Vec<String>>,
    loinc: HashMap<String, LoincRule>,
    ndjson: bool,
    devices: HashMap<String, Handle>,
}

fn path_table(ctx: &DecodeContext<'_>, name: &str) -> Result<HashMap<String, Vec<String>>> {
    let mut out = HashMap::new();
    let Some(t) = ctx.spec.tables.get(name) else {
        return Ok(out);
    };
    for (k, v) in t {
        let paths = v
            .as_array()
            .map(|a| a.iter().map(|p| p.as_str().map(str::to_string)).collect())
            .unwrap_or(None)
            .ok_or_else(|| Error::BadSpec {
                origin: ctx.spec.origin.clone(),
                detail: format!("tables.{name}.{k}: a list of field paths"),
            })?;
        out.insert(k.clone(), paths);
    }
    Ok(out)
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let mut loinc = HashMap::new();
    if let Some(t) = ctx.spec.tables.get("loinc") {
        for (code, v) in t {
            let rule = match v {
                toml::Value::String(m) => Some(LoincRule {
                    metric: Arc::from(m.as_str()),
                    default_unit: None,
                }),
                toml::Value::Table(t) => {
                    t.get("metric").and_then(|m| m.as_str()).map(|m| LoincRule {
                        metric: Arc::from(m),
                        default_unit: t
                            .get("default_unit")
                            .and_then(|u| u.as_str())
                            .map(Arc::from),
                    })
                }
                _ => None,
            }
            .ok_or_else(|| Error::BadSpec {
                origin: ctx.spec.origin.clone(),
                detail: format!(
                    "tables.loinc.{code}: a metric name or {{ metric = …, default_unit = … }}"
                ),
            })?;
            loinc.insert(code.clone(), rule);
        }
    }
    let lower = ctx.member.to_ascii_lowercase();
    Ok(Box::new(Fhir {
        dates: path_table(ctx, "dates")?,
        codes: path_table(ctx, "codes")?,
        loinc,
        ndjson: lower.ends_with(".ndjson") || lower.ends_with(".jsonl"),
        devices: HashMap::new(),
    }))
}

/// A FHIR `date`, `dateTime` or `instant`: year, month and day precision are placed at
/// 00:00 UTC of their first day (the vault's day-level convention) with no offset; a time
/// keeps the offset it was written with.
pub fn fhir_time(s: &str) -> Option<(i64, Option<i32>)> {
    let s = s.trim();
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match s.len() {
        4 if all_digits(s) => day_start_ms(&format!("{s}-01-01")).map(|ms| (ms, None)),
        7 if s.as_bytes()[4] == b'-' && all_digits(&s[..4]) && all_digits(&s[5..]) => {
            day_start_ms(&format!("{s}-01")).map(|ms| (ms, None))
        }
        10 => day_start_ms(s).map(|ms| (ms, None)),
        _ => {
            let t = parse_with(s, "rfc3339", &Zone::Utc)?;
            // A time without an offset is not valid FHIR; read it as UTC but do not claim
            // to know the local offset.
            let tail = s.get(11..).unwrap_or("");
            let has_offset = tail.ends_with('Z')
                || tail.ends_with('z')
                || tail.contains('+')
                || tail.contains('-');
            Some((t.ms, if has_offset { t.offset_min } else { None }))
        }
    }
}

/// The parts of a CodeableConcept (or Coding, Reference, or plain string) worth showing.
#[derive(Default, Debug, PartialEq)]
pub struct Concept {
    pub system: Option<String>,
    pub code: Option<String>,
    pub display: Option<String>,
    pub text: Option<String>,
}

impl Concept {
    pub fn of(v: &Json) -> Option<Concept> {
        let s = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_string);
        match v {
            Json::String(t) => Some(Concept {
                text: Some(t.clone()),
                ..Default::default()
            }),
            Json::Object(o) => {
                // A Coding is itself an object with system/code/display.
                let coding = o
                    .get("coding")
                    .and_then(Json::as_array)
                    .and_then(|a| a.first())
                    .and_then(Json::as_object)
                    .unwrap_or(o);
                let c = Concept {
                    system: s(coding.get("system")),
                    code: s(coding.get("code")),
                    display: s(coding.get("display")).or_else(|| s(o.get("display"))),
                    text: s(o.get("text")),
                };
                (c != Concept::default()).then_some(c)
            }
            _ => None,
        }
    }

    fn title(&self) -> Option<String> {
        self.text
            .clone()
            .or_else(|| self.display.clone())
            .or_else(|| self.code.clone())
    }
}

fn walk<'v>(v: &'v Json, path: &str) -> Option<&'v Json> {
    crate::import::generic::walk(v, path)
}

fn num(v: Option<&Json>) -> Option<f64> {
    v.and_then(Json::as_f64).filter(|v| v.is_finite())
}

/// `https://host/fhir/Observation/123/_history/2` → `https://host/fhir`.
fn server_base(full_url: &str) -> Option<String> {
    if !(full_url.starts_with("https://") || full_url.starts_with("http://")) {
        return None;
    }
    let mut parts: Vec<&str> = full_url.trim_end_matches('/').split('/').collect();
    if parts.len() >= 4 && parts[parts.len() - 2] == "_history" {
        parts.truncate(parts.len() - 2);
    }
    if parts.len() < 5 {
        return None;
    }
    parts.truncate(parts.len() - 2);
    Some(parts.join("/"))
}

fn valid_type(t: &str) -> bool {
    t.len() <= 64
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// An event's span: start, end, offset and the raw date text.
type Span = (Option<i64>, Option<i64>, Option<i32>, Option<String>);

impl Fhir {
    fn paths<'a>(table: &'a HashMap<String, Vec<String>>, ty: &str) -> &'a [String] {
        table
            .get(ty)
            .or_else(|| table.get("*"))
            .map_or(&[], Vec::as_slice)
    }

    /// The resource's date by its type's paths; `Err` names a date that does not parse.
    fn span(&self, ty: &str, r: &Json) -> std::result::Result<Span, String> {
        for path in Self::paths(&self.dates, ty) {
            let Some(v) = walk(r, path) else { continue };
            let (start_raw, end_raw) = match v {
                Json::String(s) => (Some(s.as_str()), None),
                Json::Object(o) => (
                    o.get("start").and_then(Json::as_str),
                    o.get("end").and_then(Json::as_str),
                ),
                _ => continue,
            };
            let Some(start_raw) = start_raw else { continue };
            let (start, offset) = fhir_time(start_raw)
                .ok_or_else(|| format!("{path}: {start_raw:?} is not a FHIR date"))?;
            let end = match end_raw {
                Some(e) => Some(
                    fhir_time(e)
                        .ok_or_else(|| format!("{path}.end: {e:?} is not a FHIR date"))?
                        .0,
                ),
                None => None,
            };
            return Ok((
                Some(start),
                end.filter(|e| *e != start),
                offset,
                Some(start_raw.to_string()),
            ));
        }
        Ok((None, None, None, None))
    }

    fn concept(&self, ty: &str, r: &Json) -> Option<Concept> {
        Self::paths(&self.codes, ty)
            .iter()
            .find_map(|p| walk(r, p).and_then(Concept::of))
    }

    fn device(
        &mut self,
        full_url: Option<&str>,
        out: &mut Emitter,
    ) -> std::result::Result<Handle, DecodeError> {
        let name = full_url
            .and_then(server_base)
            .unwrap_or_else(|| "FHIR record".to_string());
        if let Some(h) = self.devices.get(&name) {
            return Ok(*h);
        }
        let h = out.device(DeviceInfo::named(name.clone()))?;
        self.devices.insert(name, h);
        Ok(h)
    }

    /// A Bundle entry: its resource, with the entry's fullUrl.
    fn entry(&mut self, v: &Json, loc: &str, depth: usize, out: &mut Emitter) -> DecodeResult {
        let Some(obj) = v.as_object() else {
            return out.reject(
                loc,
                "a Bundle entry that is not an object",
                Some(v.to_string()),
            );
        };
        let Some(res) = obj.get("resource") else {
            return out.reject(
                loc,
                "a Bundle entry without a resource",
                Some(v.to_string()),
            );
        };
        let full_url = obj.get("fullUrl").and_then(Json::as_str);
        self.resource(res, loc, full_url, depth, out)
    }

    fn resource(
        &mut self,
        r: &Json,
        loc: &str,
        full_url: Option<&str>,
        depth: usize,
        out: &mut Emitter,
    ) -> DecodeResult {
        let Some(obj) = r.as_object() else {
            return out.reject(
                loc,
                "not a FHIR resource (a JSON object with a resourceType)",
                Some(r.to_string()),
            );
        };
        let Some(ty) = obj
            .get("resourceType")
            .and_then(Json::as_str)
            .filter(|t| valid_type(t))
        else {
            return out.reject(
                loc,
                "no valid resourceType: not a FHIR resource",
                Some(r.to_string()),
            );
        };
        match ty {
            "Bundle" => {
                if depth >= MAX_DEPTH {
                    return out.reject(loc, "Bundles nested too deeply", None);
                }
                let entries = obj.get("entry").and_then(Json::as_array);
                for (i, e) in entries.into_iter().flatten().enumerate() {
                    self.entry(e, &format!("{loc}.{}", i + 1), depth + 1, out)?;
                }
                Ok(())
            }
            "OperationOutcome" => {
                // The server's messages about a search, not a health record.
                if let Some(d) = walk(r, "issue.0.diagnostics")
                    .or_else(|| walk(r, "issue.0.details.text"))
                    .and_then(Json::as_str)
                {
                    out.note(format!("the server reported: {d}"))?;
                }
                out.skip()
            }
            _ => self.clinical(ty, r, loc, full_url, out),
        }
    }

    fn clinical(
        &mut self,
        ty: &str,
        r: &Json,
        loc: &str,
        full_url: Option<&str>,
        out: &mut Emitter,
    ) -> DecodeResult {
        let id = r.get("id").and_then(Json::as_str);
        let loc = match id {
            Some(id) => format!("{loc} ({ty}/{id})"),
            None => format!("{loc} ({ty})"),
        };
        let (start, end, offset, date_raw) = match self.span(ty, r) {
            Ok(s) => s,
            Err(msg) => return out.reject(loc, msg, Some(r.to_string())),
        };
        let kind = format!("clinical.{ty}");
        let original_id = id.map(|id| format!("{ty}/{id}"));
        let natural_key = match (full_url.filter(|u| u.starts_with("http")), &original_id) {
            (Some(u), _) => Some(format!("{kind}:{u}")),
            (None, Some(_)) => None,
            (None, None) => {
                let mut stable = r.clone();
                if let Some(o) = stable.as_object_mut() {
                    o.remove("meta");
                }
                Some(format!(
                    "{kind}:h:{:032x}",
                    xxh3_128(stable.to_string().as_bytes())
                ))
            }
        };
        let concept = self.concept(ty, r);
        let status = r
            .get("status")
            .and_then(Json::as_str)
            .map(str::to_string)
            .or_else(|| {
                r.get("clinicalStatus").and_then(|c| match c {
                    Json::String(s) => Some(s.clone()),
                    other => Concept::of(other).and_then(|c| c.code),
                })
            });
        let (value, unit) = value_of(r);

        let mut a = Attrs::new();
        a.set("resource_type", ty);
        if let Some(c) = &concept {
            a.set_opt("system", c.system.clone())
                .set_opt("code", c.code.clone())
                .set_opt("display", c.display.clone())
                .set_opt("text", c.text.clone());
        }
        a.set_opt("status", status)
            .set_opt("value", value)
            .set_opt("unit", unit)
            .set_opt("date", date_raw)
            .set_opt("full_url", full_url)
            .set("resource", r.clone());
        let device = self.device(full_url, out)?;
        let handle = out.event(Event {
            kind,
            start_ms: start,
            end_ms: end,
            tz_offset_min: offset,
            title: concept.as_ref().and_then(Concept::title),
            attrs: a.into_json(),
            original_id,
            natural_key,
            sensitive: true,
            device: Some(device),
            locator: Some(loc.clone()),
            ..Default::default()
        })?;
        if ty == "Observation"
            && let Some(start) = start
        {
            self.observation_samples(r, handle, (start, end, offset), device, &loc, out)?;
        }
        Ok(())
    }

    /// The LOINC-coded quantities of an Observation (itself and its components) as samples.
    fn observation_samples(
        &mut self,
        r: &Json,
        event: Handle,
        (start, end, offset): (i64, Option<i64>, Option<i32>),
        device: Handle,
        loc: &str,
        out: &mut Emitter,
    ) -> DecodeResult {
        if matches!(
            r.get("status").and_then(Json::as_str),
            Some("entered-in-error" | "cancelled")
        ) {
            return Ok(());
        }
        let mut parts: Vec<(&Json, Option<&Json>, String)> = Vec::new();
        if let Some(code) = r.get("code") {
            parts.push((code, r.get("valueQuantity"), String::new()));
        }
        for (i, c) in r
            .get("component")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(code) = c.get("code") {
                parts.push((
                    code,
                    c.get("valueQuantity"),
                    format!(" component {}", i + 1),
                ));
            }
        }
        for (code, quantity, which) in parts {
            let Some((loinc, rule)) = self.loinc_rule(code) else {
                continue;
            };
            let Some(q) = quantity.and_then(Json::as_object) else {
                continue;
            };
            if q.contains_key("comparator") {
                continue;
            }
            let Some(v) = num(q.get("value")) else {
                out.reject(
                    format!("{loc}{which}"),
                    format!("LOINC {loinc}: valueQuantity.value is not a number"),
                    Some(Json::Object(q.clone()).to_string()),
                )?;
                continue;
            };
            let s = |k: &str| q.get(k).and_then(Json::as_str);
            let ucum_code = s("code").filter(|_| s("system").is_none_or(|sys| sys == UCUM));
            let candidates = [ucum_code, s("unit")];
            let unit = candidates
                .iter()
                .flatten()
                .find(|u| crate::units::to_canonical(u).is_some())
                .or_else(|| candidates.iter().flatten().next())
                .map(|u| Arc::from(*u))
                .or_else(|| rule.default_unit.clone());
            let mut a = Attrs::new();
            a.set("loinc", loinc);
            out.sample(Sample {
                metric: Arc::clone(&rule.metric),
                start_ms: start,
                end_ms: end,
                tz_offset_min: offset,
                value: Value::Num(v),
                unit,
                device: Some(device),
                event: Some(EventRef::Handle(event)),
                attrs: a.into_json(),
                locator: Some(format!("{loc}{which}")),
            })?;
        }
        Ok(())
    }

    /// The first LOINC coding of a CodeableConcept that the table maps.
    fn loinc_rule(&self, concept: &Json) -> Option<(String, LoincRule)> {
        concept
            .get("coding")?
            .as_array()?
            .iter()
            .filter(|c| {
                c.get("system")
                    .and_then(Json::as_str)
                    .is_none_or(|s| s == LOINC)
            })
            .find_map(|c| {
                let code = c.get("code")?.as_str()?;
                self.loinc.get(code).map(|r| (code.to_string(), r.clone()))
            })
    }

    fn decode_json(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut fields = serde_json::Map::new();
        // `entry` elements met before the object said what it is; bounded, see below.
        let mut buffered: Vec<(u64, Json)> = Vec::new();
        let mut streamed = 0u64;
        jsonstream::stream(input, Some("entry"), MAX_RECORD, &mut |item| match item {
            Item::Field(k, v) => {
                fields.insert(k, v);
                Ok(())
            }
            Item::Element(n, v) => {
                let ty = fields.get("resourceType").and_then(Json::as_str);
                // `resourceType` comes first in practice; if it has not come yet, an element
                // shaped like a Bundle entry is taken as one, so a Bundle streams either way.
                let bundle_entry = v
                    .get("resource")
                    .is_some_and(|r| r.get("resourceType").is_some());
                if ty == Some("Bundle") || (ty.is_none() && bundle_entry) {
                    streamed += 1;
                    return self.entry(&v, &format!("entry {n}"), 1, out);
                }
                if buffered.len() >= MAX_BUFFERED {
                    return Err(DecodeError::fatal(
                        format!("entry {n}"),
                        format!(
                            "more than {MAX_BUFFERED} `entry` elements that are not Bundle entries"
                        ),
                    ));
                }
                buffered.push((n, v));
                Ok(())
            }
        })?;
        let ty = fields.get("resourceType").and_then(Json::as_str);
        if ty == Some("Bundle") {
            for (n, v) in &buffered {
                streamed += 1;
                self.entry(v, &format!("entry {n}"), 1, out)?;
            }
            return bundle_notes(&fields, streamed, out);
        }
        if !buffered.is_empty() {
            let list = buffered.into_iter().map(|(_, v)| v).collect();
            fields.insert("entry".into(), Json::Array(list));
        }
        self.resource(&Json::Object(fields), "resource", None, 0, out)
    }
}

/// What a searchset page says about the pages it does not hold.
fn bundle_notes(
    fields: &serde_json::Map<String, Json>,
    entries: u64,
    out: &mut Emitter,
) -> DecodeResult {
    let total = fields.get("total").and_then(Json::as_u64);
    let has_next = fields
        .get("link")
        .and_then(Json::as_array)
        .is_some_and(|links| {
            links
                .iter()
                .any(|l| l.get("relation").and_then(Json::as_str) == Some("next"))
        });
    let of_total = total.map(|t| format!(" of {t}")).unwrap_or_default();
    if has_next {
        out.note(format!(
            "one page of a paged search ({entries}{of_total} entries): the Bundle links to a next page; fetch and import every page"
        ))?;
    }
    // Without a next link this is the only or the last page; earlier pages, if any, say so.
    Ok(())
}

/// The value a resource states, for attrs: an Observation's value[x], a claim's payment.
fn value_of(r: &Json) -> (Option<Json>, Option<String>) {
    let s = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_string);
    if let Some(q) = r.get("valueQuantity") {
        return (
            q.get("value").cloned(),
            s(q.get("unit")).or_else(|| s(q.get("code"))),
        );
    }
    for k in [
        "valueString",
        "valueBoolean",
        "valueInteger",
        "valueDecimal",
        "valueDateTime",
    ] {
        if let Some(v) = r.get(k) {
            return (Some(v.clone()), None);
        }
    }
    if let Some(c) = r.get("valueCodeableConcept").and_then(Concept::of) {
        return (c.title().map(Json::String), None);
    }
    // ExplanationOfBenefit: what was paid (R4 Money is {value, currency}; STU3 {value, code}).
    let money = walk(r, "payment.amount").or_else(|| walk(r, "total.0.amount"));
    if let Some(m) = money {
        return (
            m.get("value").cloned(),
            s(m.get("currency")).or_else(|| s(m.get("code"))),
        );
    }
    (None, None)
}

impl Decoder for Fhir {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut input = crate::import::utf8::skip_bom(input)
            .map_err(|e| DecodeError::fatal("start of file", e.to_string()))?;
        let input: &mut dyn BufRead = &mut input;
        if self.ndjson {
            return jsonstream::ndjson(input, MAX_RECORD, &mut |n, v| match v {
                Ok(v) => self.resource(&v, &format!("line {n}"), None, 0, out),
                Err(msg) => out.reject(format!("line {n}"), msg, None),
            });
        }
        self.decode_json(input, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fhir_times() {
        let ms = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        assert_eq!(fhir_time("2019"), Some((ms("2019-01-01T00:00:00Z"), None)));
        assert_eq!(
            fhir_time("2019-07"),
            Some((ms("2019-07-01T00:00:00Z"), None))
        );
        assert_eq!(
            fhir_time("2019-07-04"),
            Some((ms("2019-07-04T00:00:00Z"), None))
        );
        assert_eq!(
            fhir_time("2019-07-04T10:15:00-07:00"),
            Some((ms("2019-07-04T17:15:00Z"), Some(-420)))
        );
        assert_eq!(
            fhir_time("2019-07-04T10:15:00.5Z"),
            Some((ms("2019-07-04T10:15:00.5Z"), Some(0)))
        );
        assert_eq!(
            fhir_time("2019-07-04T10:15:00"),
            Some((ms("2019-07-04T10:15:00Z"), None))
        );
        for bad in [
            "",
            "yesterday",
            "2019-13",
            "2019-02-30",
            "2019-07-04T25:00:00Z",
        ] {
            assert_eq!(fhir_time(bad), None, "{bad}");
        }
    }

    fn decoder() -> Fhir {
        Fhir {
            dates: HashMap::from([("*".to_string(), vec!["date".to_string()])]),
            codes: HashMap::new(),
            loinc: HashMap::new(),
            ndjson: false,
            devices: HashMap::new(),
        }
    }

    fn events(bytes: &[u8]) -> Vec<crate::model::Event> {
        let (records, result) = crate::import::decode_bytes(&mut decoder(), bytes);
        result.unwrap();
        records
            .into_iter()
            .filter_map(|r| match r {
                crate::model::Record::Event { event, .. } => Some(*event),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bundles_stream_whatever_their_key_order_and_lists_stay_whole() {
        let late_type = br#"{"entry":[{"resource":{"resourceType":"Condition","id":"a"}},
            {"resource":{"resourceType":"Condition","id":"b"}}],"resourceType":"Bundle"}"#;
        let ids: Vec<_> = events(late_type)
            .into_iter()
            .map(|e| e.original_id.unwrap())
            .collect();
        assert_eq!(ids, ["Condition/a", "Condition/b"]);
        // A List's entries are references, not resources: one event, the entries kept.
        let list = br#"{"resourceType":"List","id":"l","date":"2020-02-03",
            "entry":[{"item":{"reference":"Condition/a"}}]}"#;
        let e = events(list);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].original_id.as_deref(), Some("List/l"));
        assert_eq!(e[0].start_ms, Some(1580688000000));
        let attrs: Json = serde_json::from_str(e[0].attrs.as_deref().unwrap()).unwrap();
        assert_eq!(
            attrs["resource"]["entry"][0]["item"]["reference"],
            "Condition/a"
        );
    }

    #[test]
    fn concepts_and_bases() {
        let c = Concept::of(&serde_json::json!({
            "coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}],
            "text": "Pulse"
        }))
        .unwrap();
        assert_eq!(c.code.as_deref(), Some("8867-4"));
        assert_eq!(c.title().as_deref(), Some("Pulse"));
        let r =
            Concept::of(&serde_json::json!({"reference": "Medication/1", "display": "Aspirin"}));
        assert_eq!(r.unwrap().title().as_deref(), Some("Aspirin"));
        assert_eq!(Concept::of(&serde_json::json!({})), None);
        assert_eq!(
            server_base(
                "https://sandbox.bluebutton.cms.gov/v2/fhir/ExplanationOfBenefit/carrier-1"
            ),
            Some("https://sandbox.bluebutton.cms.gov/v2/fhir".into())
        );
        assert_eq!(
            server_base("https://h.example/fhir/Patient/1/_history/3"),
            Some("https://h.example/fhir".into())
        );
        assert_eq!(server_base("urn:uuid:1234"), None);
    }
}
