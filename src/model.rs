//! The normalized model, as importers produce it.
//!
//! Decoders turn an export into a stream of [`Record`]s; the import writer turns records into
//! rows (docs/SCHEMA.md). Records refer to each other by small per-file handles (a sample's
//! device, a track point's event), which the writer maps to row ids, so a decoder never needs
//! the database.

use std::sync::Arc;

/// What recorded a row. `identity()` is the stable key of a device within its source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DeviceInfo {
    /// The recording app or device name as the source calls it ("Apple Watch", "Oura").
    pub name: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub hardware: Option<String>,
    pub software: Option<String>,
    /// The version of the app that wrote the record (Apple's `sourceVersion`).
    pub app_version: Option<String>,
}

impl DeviceInfo {
    pub fn named(name: impl Into<String>) -> Self {
        DeviceInfo {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Canonical identity string (fields joined by U+001F, absent fields empty).
    pub fn identity(&self) -> String {
        let f = |o: &Option<String>| o.clone().unwrap_or_default();
        [
            self.name.clone(),
            f(&self.manufacturer),
            f(&self.model),
            f(&self.hardware),
            f(&self.software),
            f(&self.app_version),
        ]
        .join("\u{1f}")
    }
}

/// A per-file handle a decoder gives a device or an event it emitted.
pub type Handle = u32;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Num(f64),
    Category(String),
}

/// A point or interval of a time series. `value` is already in the metric's canonical unit
/// unless `unit` is set, in which case the writer converts it.
#[derive(Clone, Debug)]
pub struct Sample {
    pub metric: Arc<str>,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub tz_offset_min: Option<i32>,
    pub value: Value,
    /// The unit `value` is in, when it is not the canonical one.
    pub unit: Option<Arc<str>>,
    pub device: Option<Handle>,
    pub event: Option<EventRef>,
    /// Extra fields as a JSON object text (`None` when there are none).
    pub attrs: Option<String>,
    /// Where in the file it came from, for error messages.
    pub locator: Option<String>,
}

/// How a record refers to an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventRef {
    /// An event emitted earlier in the same file.
    Handle(Handle),
    /// An event already in the vault (from another file of the same source), found by the
    /// value of a top-level key of its `attrs` (e.g. a workout by its route file name).
    Attr {
        kind: String,
        key: String,
        value: String,
    },
    /// An event of the same source with this natural key.
    NaturalKey(String),
    /// The first reference if it resolves, else the second.
    Fallback(Box<EventRef>, Box<EventRef>),
}

#[derive(Clone, Debug, Default)]
pub struct Event {
    pub kind: String,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub tz_offset_min: Option<i32>,
    pub title: Option<String>,
    pub body: Option<String>,
    /// JSON object text.
    pub attrs: Option<String>,
    /// The source's own id, when it has one.
    pub original_id: Option<String>,
    /// The identity of the event within its source. Defaults to `<kind>:<original_id>`; a
    /// decoder without an original id must set it (usually a hash of the identity fields).
    pub natural_key: Option<String>,
    pub parent: Option<EventRef>,
    pub sensitive: bool,
    pub device: Option<Handle>,
    pub locator: Option<String>,
}

#[derive(Clone, Debug)]
pub struct TrackPoint {
    pub event: EventRef,
    /// The point's identity within its event; see [`time_seq`].
    pub seq: i64,
    pub t_ms: i64,
    pub lat: f64,
    pub lon: f64,
    pub alt_m: Option<f64>,
    pub speed_mps: Option<f64>,
    pub course_deg: Option<f64>,
    pub h_acc_m: Option<f64>,
    pub v_acc_m: Option<f64>,
    pub attrs: Option<String>,
}

/// A media file (photo, video) copied from an export into the vault's `media` table, streamed
/// as `Start`, any number of `Chunk`s and `End`, so a large video never sits in memory whole.
#[derive(Clone, Debug)]
pub enum MediaPart {
    Start {
        /// The file name in the export (`1234567890-AbCdEf.jpg`): unique per source.
        name: String,
        /// The path inside the export.
        member: String,
        mime: Option<String>,
        /// The size the export declares; the writer checks what arrives against it.
        size: u64,
        /// The event the file belongs to, if any.
        event: Option<EventRef>,
    },
    Chunk(Vec<u8>),
    End,
}

/// A record the decoder could not use.
#[derive(Clone, Debug)]
pub struct Rejection {
    pub locator: String,
    pub message: String,
    pub excerpt: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Record {
    Device {
        handle: Handle,
        info: DeviceInfo,
    },
    Sample(Sample),
    /// Boxed, as the largest variant: batches of records sit in the decoder → writer channel,
    /// and every record there is as large as the largest variant.
    Event {
        handle: Option<Handle>,
        event: Box<Event>,
    },
    TrackPoint(TrackPoint),
    /// A second handle for whatever event `target` resolves to when this record is written,
    /// so that many records can refer to it cheaply: a GPX route's points belong to the
    /// workout that references the file, or else to the route, decided once per file.
    Alias {
        handle: Handle,
        target: EventRef,
    },
    /// The time span and attributes of an event emitted before they were known, so that what
    /// it holds can be streamed after it: a GPX route's span and point count are known only
    /// at the end of the file, and its points are written as they are read. The event's span
    /// becomes the union of what it had and this one (an earlier copy of the file, or a part
    /// of it read before the file broke off, left its points in the vault too); its attrs
    /// become these.
    Extent {
        handle: Handle,
        start_ms: Option<i64>,
        end_ms: Option<i64>,
        attrs: Option<String>,
    },
    /// A media file copied into the vault, streamed in parts (`--with-media`).
    Media(MediaPart),
    Reject(Rejection),
    /// A recorded problem that is not a rejected record.
    Warn(Rejection),
    /// Something the decoder skipped on purpose (counted as seen, not as an error).
    Skip,
    /// Something the user should know about the file that is neither a record nor an error
    /// (a page of a paged search, data types left out): shown with the file's report.
    Note(String),
}

impl Record {
    /// About how many bytes the record holds on the heap, beyond its own size: what a batch
    /// of records in the decoder → writer channel costs besides its slots (pipeline.rs
    /// bounds batches by it). The text fields that can be long are counted.
    pub fn heap_bytes(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        match self {
            Record::Sample(s) => {
                opt(&s.attrs)
                    + opt(&s.locator)
                    + match &s.value {
                        Value::Category(c) => c.len(),
                        Value::Num(_) => 0,
                    }
            }
            Record::Event { event: e, .. } => {
                std::mem::size_of::<Event>()
                    + e.kind.len()
                    + opt(&e.title)
                    + opt(&e.body)
                    + opt(&e.attrs)
                    + opt(&e.original_id)
                    + opt(&e.natural_key)
                    + opt(&e.locator)
            }
            Record::TrackPoint(p) => opt(&p.attrs),
            Record::Extent { attrs, .. } => opt(attrs),
            Record::Device { info, .. } => {
                info.name.len()
                    + opt(&info.manufacturer)
                    + opt(&info.model)
                    + opt(&info.hardware)
                    + opt(&info.software)
                    + opt(&info.app_version)
            }
            Record::Media(MediaPart::Chunk(bytes)) => bytes.len(),
            Record::Media(_) | Record::Alias { .. } | Record::Skip => 0,
            Record::Reject(r) | Record::Warn(r) => {
                r.locator.len() + r.message.len() + opt(&r.excerpt)
            }
            Record::Note(n) => n.len(),
        }
    }
}

/// Builds a JSON object text from key/value pairs, skipping `None`s.
#[derive(Default)]
pub struct Attrs(serde_json::Map<String, serde_json::Value>);

impl Attrs {
    pub fn new() -> Self {
        Attrs(serde_json::Map::new())
    }
    pub fn set(&mut self, key: &str, value: impl Into<serde_json::Value>) -> &mut Self {
        self.0.insert(key.to_string(), value.into());
        self
    }
    pub fn set_opt<T: Into<serde_json::Value>>(
        &mut self,
        key: &str,
        value: Option<T>,
    ) -> &mut Self {
        if let Some(v) = value {
            self.0.insert(key.to_string(), v.into());
        }
        self
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_json(self) -> Option<String> {
        if self.0.is_empty() {
            None
        } else {
            Some(serde_json::Value::Object(self.0).to_string())
        }
    }
    pub fn into_value(self) -> serde_json::Value {
        serde_json::Value::Object(self.0)
    }

    /// Scans free-text columns for personal identifiers and stores the markers as `pii`
    /// (the format is documented in [`crate::pii`]); nothing is added when none are found.
    pub fn pii(&mut self, fields: &[(&str, Option<&str>)]) -> &mut Self {
        let markers = crate::pii::markers(fields);
        if !markers.is_empty() {
            self.0.insert(
                "pii".to_string(),
                serde_json::to_value(markers).unwrap_or_default(),
            );
        }
        self
    }
}

/// A track point's `seq` from its time: `t_ms × 16 + n`, where `n` counts earlier points of
/// the same track with the same timestamp (GPS fixes often share a second). Points of one
/// event then sort in time by `seq`, and the same route delivered twice (inline in
/// export.xml and as a GPX file) is recognized as the same points.
pub fn time_seq(t_ms: i64, previous: &mut Option<(i64, i64)>) -> i64 {
    let n = match previous {
        Some((t, n)) if *t == t_ms => (*n + 1).min(15),
        _ => 0,
    };
    *previous = Some((t_ms, n));
    t_ms.saturating_mul(16).saturating_add(n)
}
