//! Records as they appear in a package: the fields of each data file, and their JSON Lines
//! and CSV encodings. The same [`Cell`] row feeds both, and the preview's examples.
//!
//! Which fields a file has depends only on the redactions, never on the data: a redacted
//! field is absent from every record (and from the manifest's `fields`), not present as null.

use std::io::Write;
use std::rc::Rc;

use serde_json::Value;

use crate::contribute::plan::{Format, IdentifierMode, LocationMode, Redactions, TextMode};

/// One value of a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Str(String),
    /// A string repeated on many rows (a metric, a device label): shared, not copied.
    Shared(Rc<str>),
    Int(i64),
    Num(f64),
    Json(Value),
}

impl Cell {
    pub fn opt_str(v: Option<String>) -> Cell {
        v.map_or(Cell::Null, Cell::Str)
    }
    pub fn opt_int(v: Option<i64>) -> Cell {
        v.map_or(Cell::Null, Cell::Int)
    }
    pub fn opt_shared(v: Option<&Rc<str>>) -> Cell {
        v.map_or(Cell::Null, |s| Cell::Shared(Rc::clone(s)))
    }
    pub fn opt_num(v: Option<f64>) -> Cell {
        match v {
            Some(x) if x.is_finite() => Cell::Num(x),
            _ => Cell::Null,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Str(s) => Value::String(s.clone()),
            Cell::Shared(s) => Value::String(s.to_string()),
            Cell::Int(i) => Value::from(*i),
            Cell::Num(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Cell::Json(v) => v.clone(),
        }
    }
}

/// The three data tables a package can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Samples,
    Events,
    TrackPoints,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Samples, Table::Events, Table::TrackPoints];

    pub fn name(self) -> &'static str {
        match self {
            Table::Samples => "samples",
            Table::Events => "events",
            Table::TrackPoints => "track_points",
        }
    }

    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The field holding each record's time (for time ranges and coverage).
    pub fn time_field(self) -> &'static str {
        match self {
            Table::Samples | Table::Events => "start",
            Table::TrackPoints => "t",
        }
    }

    pub fn path(self, format: Format) -> String {
        format!("data/{}.{}", self.name(), format.extension())
    }

    /// The fields of this table's records under `red`, in order.
    pub fn fields(self, red: &Redactions) -> Vec<&'static str> {
        let ids = red.identifiers != IdentifierMode::Omit;
        let mut f = Vec::new();
        match self {
            Table::Samples => {
                f.extend([
                    "metric",
                    "start",
                    "end",
                    "tz_offset_min",
                    "value",
                    "category",
                    "source",
                ]);
                if ids {
                    f.extend(["account", "device"]);
                }
                f.extend(["device_model", "attrs"]);
            }
            Table::Events => {
                f.extend(["ref", "kind", "start", "end", "tz_offset_min"]);
                if red.text != TextMode::Drop {
                    f.extend(["title", "body"]);
                }
                f.extend(["attrs", "source"]);
                if ids {
                    f.extend(["account", "device"]);
                }
                f.push("device_model");
                if ids {
                    f.push("original_id");
                }
            }
            Table::TrackPoints => {
                if red.location == LocationMode::Include {
                    f.extend([
                        "event_ref",
                        "t",
                        "lat",
                        "lon",
                        "alt_m",
                        "speed_mps",
                        "course_deg",
                        "h_acc_m",
                        "v_acc_m",
                    ]);
                }
            }
        }
        f
    }
}

/// The JSON type a field must have (`verify` checks every record against it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A non-empty string.
    Text,
    OptText,
    /// An RFC 3339 UTC time.
    Time,
    OptTime,
    OptInt,
    /// A positive integer.
    Ref,
    Num,
    OptNum,
    /// An object or null.
    OptObject,
}

pub fn field_type(table: Table, field: &str) -> Option<FieldType> {
    use FieldType::*;
    Some(match (table, field) {
        (Table::Samples, "metric") | (Table::Events, "kind") | (_, "source") => Text,
        (Table::Samples, "start") | (Table::TrackPoints, "t") => Time,
        (Table::Events, "start") | (_, "end") => OptTime,
        (_, "tz_offset_min") => OptInt,
        (Table::Samples, "value") => OptNum,
        (Table::Samples, "category") => OptText,
        (_, "account" | "device" | "device_model" | "original_id" | "title" | "body") => OptText,
        (Table::Samples | Table::Events, "attrs") => OptObject,
        (Table::Events, "ref") | (Table::TrackPoints, "event_ref") => Ref,
        (Table::TrackPoints, "lat" | "lon") => Num,
        (Table::TrackPoints, "alt_m" | "speed_mps" | "course_deg" | "h_acc_m" | "v_acc_m") => {
            OptNum
        }
        _ => return None,
    })
}

/// Encodes records of one file; the JSON keys are escaped once, not on every row.
pub struct Encoder {
    format: Format,
    keys: Vec<Vec<u8>>,
}

impl Encoder {
    pub fn new(format: Format, fields: &[&str]) -> Self {
        let keys = fields
            .iter()
            .map(|f| {
                let mut k = serde_json::to_vec(f).expect("a string serializes");
                k.push(b':');
                k
            })
            .collect();
        Encoder { format, keys }
    }

    /// Appends one record to `buf`. For CSV, a header row is written by [`write_header`]
    /// first.
    pub fn encode(&self, buf: &mut Vec<u8>, cells: &[Cell]) {
        match self.format {
            Format::Jsonl => {
                buf.push(b'{');
                for (i, (key, cell)) in self.keys.iter().zip(cells).enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    buf.extend_from_slice(key);
                    write_json_cell(buf, cell);
                }
                buf.extend_from_slice(b"}\n");
            }
            Format::Csv => {
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    match cell {
                        Cell::Null => {}
                        Cell::Str(s) => csv_field(buf, s),
                        Cell::Shared(s) => csv_field(buf, s),
                        Cell::Int(v) => {
                            let _ = write!(buf, "{v}");
                        }
                        Cell::Num(_) => write_json_cell(buf, cell),
                        Cell::Json(v) => csv_field(buf, &v.to_string()),
                    }
                }
                buf.push(b'\n');
            }
        }
    }
}

/// Formats epoch milliseconds exactly as [`crate::output::rfc3339_ms`] does
/// (`2024-03-01T08:50:00Z`, `…:13.25Z`), without going through a calendar library: this runs
/// once or twice per record.
pub fn fmt_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if !(0..=9999).contains(&y) {
        return crate::output::rfc3339_ms(ms);
    }
    let mut out = String::with_capacity(24);
    let _ = std::fmt::Write::write_fmt(
        &mut out,
        format_args!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        ),
    );
    if milli != 0 {
        let frac = format!("{milli:03}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Appends one record in `format` to `buf` (see [`Encoder`]).
pub fn encode(buf: &mut Vec<u8>, format: Format, fields: &[&str], cells: &[Cell]) {
    Encoder::new(format, fields).encode(buf, cells);
}

pub fn write_header(buf: &mut Vec<u8>, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        csv_field(buf, f);
    }
    buf.push(b'\n');
}

fn write_json_cell(buf: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Null => buf.extend_from_slice(b"null"),
        Cell::Str(s) => {
            let _ = serde_json::to_writer(&mut *buf, s);
        }
        Cell::Shared(s) => {
            let _ = serde_json::to_writer(&mut *buf, &**s);
        }
        Cell::Int(v) => {
            let _ = write!(buf, "{v}");
        }
        Cell::Num(f) => {
            if f.is_finite() {
                let _ = serde_json::to_writer(&mut *buf, f);
            } else {
                buf.extend_from_slice(b"null");
            }
        }
        Cell::Json(v) => {
            let _ = serde_json::to_writer(&mut *buf, v);
        }
    }
}

/// RFC 4180 quoting: quote when the field has a comma, quote, CR or LF, or is empty-looking
/// but not null (an empty string is written as `""` so it differs from null).
fn csv_field(buf: &mut Vec<u8>, s: &str) {
    if s.is_empty() || s.contains([',', '"', '\n', '\r']) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// A record as a JSON object (for examples in the preview).
pub fn to_object(fields: &[&str], cells: &[Cell]) -> Value {
    let mut map = serde_json::Map::new();
    for (f, c) in fields.iter().zip(cells) {
        map.insert((*f).to_string(), c.to_json());
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_and_csv_encodings() {
        let fields = ["metric", "value", "category", "attrs", "title"];
        let cells = [
            Cell::Str("heart_rate".into()),
            Cell::Num(62.5),
            Cell::Null,
            Cell::Json(serde_json::json!({"a": 1})),
            Cell::Str("say \"hi\", ok".into()),
        ];
        let mut buf = Vec::new();
        encode(&mut buf, Format::Jsonl, &fields, &cells);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "{\"metric\":\"heart_rate\",\"value\":62.5,\"category\":null,\"attrs\":{\"a\":1},\"title\":\"say \\\"hi\\\", ok\"}\n"
        );
        let mut buf = Vec::new();
        write_header(&mut buf, &fields);
        encode(&mut buf, Format::Csv, &fields, &cells);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "metric,value,category,attrs,title\nheart_rate,62.5,,\"{\"\"a\"\":1}\",\"say \"\"hi\"\", ok\"\n"
        );
    }

    #[test]
    fn fast_time_formatting_matches_rfc3339_ms() {
        let mut ms: i64 = -62_135_596_800_000; // 0001-01-01
        while ms < 253_402_300_799_000 {
            for extra in [0, 1, 10, 100, 120, 250, 999] {
                let t = ms + extra;
                assert_eq!(fmt_time(t), crate::output::rfc3339_ms(t), "{t}");
            }
            ms += 7_777_777_777_777 / 1000 * 37 + 13;
        }
        for t in [
            0,
            -1,
            951_782_400_000,
            1_709_251_200_000,
            1_709_251_233_250,
            4_107_542_400_000,
        ] {
            assert_eq!(fmt_time(t), crate::output::rfc3339_ms(t), "{t}");
        }
    }

    #[test]
    fn every_field_has_a_type() {
        let all = Redactions {
            location: LocationMode::Include,
            text: TextMode::Keep,
            identifiers: IdentifierMode::Raw,
            time_precision: crate::contribute::plan::TimePrecision::Exact,
            sensitive_events: LocationMode::Include,
        };
        for t in Table::ALL {
            for f in t.fields(&all) {
                assert!(field_type(t, f).is_some(), "{}.{f}", t.name());
            }
        }
    }
}
