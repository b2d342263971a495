//! Turning records into rows, inside the caller's transaction.
//!
//! Deduplication is by natural key, so importing an overlapping newer export adds only what is
//! new (docs/SCHEMA.md, "Natural keys"):
//!
//! * a sample's key is a 64-bit xxh3 of (importer, metric, start, end, value or category,
//!   device identity), unique together with `(metric, start_ms)`: a collision would need two
//!   different samples of one metric starting in the same millisecond to share 64 bits;
//! * an event's key is the source's own id (`<kind>:<id>`) when there is one, otherwise a
//!   128-bit xxh3 of its identity fields, unique per source;
//! * a track point is unique by (event, seq).
//!
//! Volatile fields (creation dates, app versions of the *exporter*) are left out of keys, so
//! the same measurement in next month's export is recognized.
//!
//! Sources that revise days (Oura's steps so far today, a night rescored later) opt into
//! [`Writer::replace_day_values`]: a new day-level value then replaces the earlier value of the
//! same metric, day and device from the same source instead of standing beside it, so a daily
//! sum never counts a partial day twice.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::sync::Arc;

use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::catalog::{self, MetricKind};
use crate::error::{Error, Result};
use crate::model::{
    DeviceInfo, Event, EventRef, Handle, MediaPart, Record, Rejection, Sample, TrackPoint, Value,
};
use crate::units;
use crate::vault::now_ms;

const DAY_MS: i64 = 86_400_000;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub seen: u64,
    pub added: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FileStats {
    pub seen: u64,
    pub added: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub skipped: u64,
    /// Problems recorded in import_errors that are not rejected records.
    pub warnings: u64,
    /// Day-level values that replaced an earlier value of their day (see `replace_day_values`).
    pub replaced: u64,
    pub min_ms: Option<i64>,
    pub max_ms: Option<i64>,
    /// Per metric (samples), per `event:<kind>` and `track_points`.
    pub per_kind: BTreeMap<String, Counts>,
    /// What the decoder wants the user to know about the file (at most [`MAX_NOTES`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Notes kept per file; a decoder that repeats itself cannot flood the report.
pub const MAX_NOTES: usize = 10;

impl FileStats {
    /// Adds another file's figures (a summary over several files; notes are not merged).
    pub fn merge(&mut self, o: &FileStats) {
        self.seen += o.seen;
        self.added += o.added;
        self.duplicate += o.duplicate;
        self.rejected += o.rejected;
        self.skipped += o.skipped;
        self.warnings += o.warnings;
        self.replaced += o.replaced;
        self.min_ms = match (self.min_ms, o.min_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max_ms = match (self.max_ms, o.max_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for (kind, c) in &o.per_kind {
            let e = self.per_kind.entry(kind.clone()).or_default();
            e.seen += c.seen;
            e.added += c.added;
        }
    }

    fn span(&mut self, start: i64, end: Option<i64>) {
        let end = end.unwrap_or(start).max(start);
        self.min_ms = Some(self.min_ms.map_or(start, |m| m.min(start)));
        self.max_ms = Some(self.max_ms.map_or(end, |m| m.max(end)));
    }

    fn count(&mut self, key: &str, added: bool) {
        self.seen += 1;
        if added {
            self.added += 1;
        } else {
            self.duplicate += 1;
        }
        let c = match self.per_kind.get_mut(key) {
            Some(c) => c,
            None => self.per_kind.entry(key.to_string()).or_default(),
        };
        c.seen += 1;
        if added {
            c.added += 1;
        }
    }
}

/// SQLite's default limit on the length of one value.
const MAX_MEDIA_BYTES: u64 = 1_000_000_000;

/// The media file being streamed in.
struct MediaState {
    /// The row being filled; `None` when the file was already in the vault (or refused).
    row: Option<i64>,
    name: String,
    size: u64,
    written: u64,
    hasher: Sha256,
    problem: Option<String>,
}

struct MetricInfo {
    unit: String,
    /// Source unit → conversion into `unit` (cached).
    conversions: HashMap<Arc<str>, Option<units::Conversion>>,
}

/// What a file's rows share.
pub struct FileContext<'a> {
    pub importer: &'a str,
    pub source_id: i64,
    pub run_id: i64,
    pub file_id: Option<i64>,
    pub member: Option<&'a str>,
    pub strict: bool,
}

pub struct Writer<'c> {
    conn: &'c Connection,
    importer: String,
    source_id: i64,
    run_id: i64,
    file_id: Option<i64>,
    member: Option<String>,
    strict: bool,
    ins_sample: CachedStatement<'c>,
    ins_event: CachedStatement<'c>,
    sel_event: CachedStatement<'c>,
    ins_point: CachedStatement<'c>,
    ins_error: CachedStatement<'c>,
    del_day_value: CachedStatement<'c>,
    replace_days: bool,
    devices: HashMap<Handle, (Option<i64>, String)>,
    events: HashMap<Handle, i64>,
    attr_refs: HashMap<(String, String, String), Option<i64>>,
    metrics: FxHashMap<Arc<str>, MetricInfo>,
    media: Option<MediaState>,
    pub stats: FileStats,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection, ctx: FileContext<'_>) -> Result<Self> {
        // Cached: an export of many small files (workout routes) builds a writer per file.
        Ok(Writer {
            conn,
            importer: ctx.importer.to_string(),
            source_id: ctx.source_id,
            run_id: ctx.run_id,
            file_id: ctx.file_id,
            member: ctx.member.map(str::to_string),
            strict: ctx.strict,
            ins_sample: conn.prepare_cached(
                "INSERT INTO samples (metric, start_ms, end_ms, tz_offset_min, value, category,
                    source_id, device_id, event_id, source_file_id, import_run_id, attrs, natural_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT DO NOTHING",
            )?,
            ins_event: conn.prepare_cached(
                "INSERT INTO events (kind, start_ms, end_ms, tz_offset_min, title, body, attrs,
                    original_id, parent_id, sensitive, source_id, device_id, source_file_id,
                    import_run_id, natural_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (source_id, natural_key) DO NOTHING",
            )?,
            sel_event: conn
                .prepare_cached("SELECT id FROM events WHERE source_id = ?1 AND natural_key = ?2")?,
            ins_point: conn.prepare_cached(
                "INSERT INTO track_points (event_id, seq, t_ms, lat, lon, alt_m, speed_mps,
                    course_deg, h_acc_m, v_acc_m, attrs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (event_id, seq) DO NOTHING",
            )?,
            ins_error: conn.prepare_cached(
                "INSERT INTO import_errors (import_run_id, source_file_id, importer, member,
                    locator, message, excerpt, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            // By (metric, start_ms): the samples_identity index finds the day's rows.
            del_day_value: conn.prepare_cached(
                "DELETE FROM samples WHERE metric = ?1 AND start_ms = ?2 AND end_ms = ?3
                    AND source_id = ?4 AND device_id IS ?5 AND id != ?6",
            )?,
            replace_days: false,
            devices: HashMap::new(),
            events: HashMap::new(),
            attr_refs: HashMap::new(),
            metrics: FxHashMap::default(),
            media: None,
            stats: FileStats::default(),
        })
    }

    /// Day-level samples (00:00 UTC to 00:00 UTC of one date, as docs/SCHEMA.md stores daily
    /// values) replace earlier values of the same metric, day, device and source.
    pub fn replace_day_values(&mut self, on: bool) {
        self.replace_days = on;
    }

    pub fn write_batch(&mut self, batch: Vec<Record>) -> Result<()> {
        for record in batch {
            self.write(record)?;
        }
        Ok(())
    }

    pub fn write(&mut self, record: Record) -> Result<()> {
        match record {
            Record::Device { handle, info } => {
                let id = self.device_id(&info)?;
                self.devices.insert(handle, (Some(id), info.identity()));
                Ok(())
            }
            Record::Sample(s) => self.sample(s),
            Record::Event { handle, event } => self.event(handle, *event),
            Record::TrackPoint(p) => self.track_point(p),
            Record::Media(part) => self.media(part),
            Record::Reject(r) => self.reject(r),
            Record::Warn(r) => {
                self.stats.warnings += 1;
                self.file_error(&r.locator, &r.message)
            }
            Record::Skip => {
                self.stats.skipped += 1;
                Ok(())
            }
            Record::Note(n) => {
                if self.stats.notes.len() < MAX_NOTES && !self.stats.notes.contains(&n) {
                    self.stats.notes.push(n);
                }
                Ok(())
            }
        }
    }

    fn device_id(&mut self, info: &DeviceInfo) -> Result<i64> {
        let identity = info.identity();
        self.conn.execute(
            "INSERT INTO devices (source_id, name, manufacturer, model, hardware, software, app_version, identity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (source_id, identity) DO NOTHING",
            params![
                self.source_id,
                info.name,
                info.manufacturer,
                info.model,
                info.hardware,
                info.software,
                info.app_version,
                identity
            ],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM devices WHERE source_id = ?1 AND identity = ?2",
            params![self.source_id, identity],
            |r| r.get(0),
        )?)
    }

    /// The canonical unit of `metric`, registering an unknown metric on first sight.
    fn metric_info(&mut self, sample: &Sample) -> Result<&mut MetricInfo> {
        if !self.metrics.contains_key(&sample.metric) {
            let unit = if let Some(m) = catalog::lookup(&sample.metric) {
                m.unit.to_string()
            } else {
                let known: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT unit FROM metrics WHERE name = ?1",
                        [&*sample.metric],
                        |r| r.get(0),
                    )
                    .optional()?;
                match known {
                    Some(u) => u,
                    None => {
                        let (unit, kind) = match &sample.value {
                            Value::Category(_) => ("category".to_string(), MetricKind::Categorical),
                            // An unknown metric is stored in the base unit of its
                            // dimension (psi → kPa, mi → m, min → s), like catalog metrics; a
                            // unit trove does not know is kept as written.
                            Value::Num(_) => (
                                sample
                                    .unit
                                    .as_deref()
                                    .map(|u| {
                                        units::to_canonical(u)
                                            .map_or(u.to_string(), |c| c.unit.to_string())
                                    })
                                    .unwrap_or_else(|| "count".to_string()),
                                MetricKind::Instant,
                            ),
                        };
                        self.conn.execute(
                            "INSERT INTO metrics (name, unit, kind, first_seen_ms) VALUES (?1, ?2, ?3, ?4)",
                            params![&*sample.metric, unit, kind.as_str(), now_ms()],
                        )?;
                        unit
                    }
                }
            };
            self.metrics.insert(
                Arc::clone(&sample.metric),
                MetricInfo {
                    unit,
                    conversions: HashMap::new(),
                },
            );
        }
        Ok(self
            .metrics
            .get_mut(&sample.metric)
            .expect("inserted above"))
    }

    fn sample(&mut self, s: Sample) -> Result<()> {
        let locator = || {
            s.locator.clone().unwrap_or_else(|| {
                format!("{} at {}", s.metric, crate::output::rfc3339_ms(s.start_ms))
            })
        };
        let (value, category) = match &s.value {
            Value::Num(v) => {
                let mut v = *v;
                if let Some(unit) = &s.unit {
                    let info = self.metric_info(&s)?;
                    let target = info.unit.clone();
                    let conv = *info.conversions.entry(Arc::clone(unit)).or_insert_with(|| {
                        // A unit trove has no conversion for (an OBD logger's `g/s`) is kept
                        // as written when the metric was registered with it.
                        if **unit == *target {
                            return Some(units::Conversion {
                                unit: "",
                                factor: 1.0,
                                offset: 0.0,
                            });
                        }
                        let from = units::to_canonical(unit)?;
                        let to = units::to_canonical(&target)?;
                        (from.unit == to.unit).then_some(units::Conversion {
                            unit: to.unit,
                            factor: from.factor / to.factor,
                            offset: (from.offset - to.offset) / to.factor,
                        })
                    });
                    match conv {
                        Some(c) => v = c.apply(v),
                        None => {
                            return self.reject(Rejection {
                                locator: locator(),
                                message: format!(
                                    "{}: unit {unit:?} cannot be converted to {target:?}",
                                    s.metric
                                ),
                                excerpt: None,
                            });
                        }
                    }
                } else {
                    self.metric_info(&s)?;
                }
                if !v.is_finite() {
                    return self.reject(Rejection {
                        locator: locator(),
                        message: format!("{}: value is not a finite number", s.metric),
                        excerpt: None,
                    });
                }
                (Some(v), None)
            }
            Value::Category(c) => {
                self.metric_info(&s)?;
                (None, Some(c.as_str()))
            }
        };
        if let Some(end) = s.end_ms
            && end < s.start_ms
        {
            return self.reject(Rejection {
                locator: locator(),
                message: format!("{}: ends before it starts", s.metric),
                excerpt: None,
            });
        }
        let event_id = match &s.event {
            Some(r) => self.resolve(r)?,
            None => None,
        };
        let (device_id, device_identity) = match s.device.and_then(|h| self.devices.get(&h)) {
            Some((id, ident)) => (*id, ident.as_str()),
            None => (None, ""),
        };
        let mut h = Xxh3::new();
        h.update(self.importer.as_bytes());
        h.update(&[0]);
        h.update(s.metric.as_bytes());
        h.update(&[0]);
        h.update(&s.start_ms.to_le_bytes());
        h.update(&s.end_ms.unwrap_or(i64::MIN).to_le_bytes());
        match (value, category) {
            (Some(v), _) => h.update(&v.to_bits().to_le_bytes()),
            (_, Some(c)) => {
                h.update(&[1]);
                h.update(c.as_bytes());
            }
            _ => {}
        }
        h.update(&[0]);
        h.update(device_identity.as_bytes());
        let key = h.digest() as i64;
        let n = self.ins_sample.execute(params![
            &*s.metric,
            s.start_ms,
            s.end_ms,
            s.tz_offset_min,
            value,
            category,
            self.source_id,
            device_id,
            event_id,
            self.file_id,
            self.run_id,
            s.attrs,
            key
        ])?;
        if n > 0
            && self.replace_days
            && let Some(end) = s.end_ms
            && end - s.start_ms == DAY_MS
            && s.start_ms.rem_euclid(DAY_MS) == 0
        {
            let id = self.conn.last_insert_rowid();
            let gone = self.del_day_value.execute(params![
                &*s.metric,
                s.start_ms,
                end,
                self.source_id,
                device_id,
                id
            ])?;
            self.stats.replaced += gone as u64;
        }
        self.stats.span(s.start_ms, s.end_ms);
        self.stats.count(&s.metric, n > 0);
        Ok(())
    }

    fn resolve(&mut self, r: &EventRef) -> Result<Option<i64>> {
        match r {
            EventRef::Handle(h) => Ok(self.events.get(h).copied()),
            EventRef::Fallback(first, second) => match self.resolve(first)? {
                Some(id) => Ok(Some(id)),
                None => self.resolve(second),
            },
            EventRef::NaturalKey(k) => Ok(self
                .sel_event
                .query_row(params![self.source_id, k], |r| r.get(0))
                .optional()?),
            EventRef::Attr { kind, key, value } => {
                let cache_key = (kind.clone(), key.clone(), value.clone());
                if let Some(id) = self.attr_refs.get(&cache_key) {
                    return Ok(*id);
                }
                let safe = |s: &str| {
                    !s.is_empty()
                        && s.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                };
                if !safe(key) || !safe(kind) {
                    return Ok(None);
                }
                // Kind and key are literals so that a partial expression index can serve
                // the lookup (events_workout_route for a GPX route's workout); a bound
                // parameter would force a scan of every event of the kind, per file.
                let id: Option<i64> = self
                    .conn
                    .query_row(
                        &format!(
                            "SELECT id FROM events WHERE source_id = ?1 AND kind = '{kind}'
                             AND json_extract(attrs, '$.{key}') = ?2 ORDER BY id LIMIT 1"
                        ),
                        params![self.source_id, value],
                        |r| r.get(0),
                    )
                    .optional()?;
                self.attr_refs.insert(cache_key, id);
                Ok(id)
            }
        }
    }

    fn event(&mut self, handle: Option<Handle>, e: Event) -> Result<()> {
        let key = match (&e.natural_key, &e.original_id) {
            (Some(k), _) => k.clone(),
            (None, Some(id)) => format!("{}:{id}", e.kind),
            (None, None) => {
                let mut buf = Vec::new();
                for part in [
                    Some(e.kind.as_str()),
                    e.title.as_deref(),
                    e.body.as_deref(),
                    e.attrs.as_deref(),
                ] {
                    buf.extend_from_slice(part.unwrap_or("").as_bytes());
                    buf.push(0);
                }
                buf.extend_from_slice(&e.start_ms.unwrap_or(i64::MIN).to_le_bytes());
                buf.extend_from_slice(&e.end_ms.unwrap_or(i64::MIN).to_le_bytes());
                format!("{}:h:{:032x}", e.kind, xxh3_128(&buf))
            }
        };
        if let (Some(s), Some(end)) = (e.start_ms, e.end_ms)
            && end < s
        {
            return self.reject(Rejection {
                locator: e.locator.clone().unwrap_or_else(|| "?".into()),
                message: format!("{}: ends before it starts", e.kind),
                excerpt: None,
            });
        }
        let parent = match &e.parent {
            Some(r) => self.resolve(r)?,
            None => None,
        };
        let device_id = e
            .device
            .and_then(|h| self.devices.get(&h).and_then(|d| d.0));
        let n = self.ins_event.execute(params![
            e.kind,
            e.start_ms,
            e.end_ms,
            e.tz_offset_min,
            e.title,
            e.body,
            e.attrs,
            e.original_id,
            parent,
            e.sensitive as i64,
            self.source_id,
            device_id,
            self.file_id,
            self.run_id,
            key
        ])?;
        let id = if n > 0 {
            self.conn.last_insert_rowid()
        } else {
            self.sel_event
                .query_row(params![self.source_id, key], |r| r.get(0))?
        };
        if let Some(h) = handle {
            self.events.insert(h, id);
        }
        if let Some(s) = e.start_ms {
            self.stats.span(s, e.end_ms);
        }
        self.stats.count(&format!("event:{}", e.kind), n > 0);
        Ok(())
    }

    fn track_point(&mut self, p: TrackPoint) -> Result<()> {
        let Some(event_id) = self.resolve(&p.event)? else {
            return self.reject(Rejection {
                locator: format!("point at {}", crate::output::rfc3339_ms(p.t_ms)),
                message: "the route belongs to no known event".into(),
                excerpt: None,
            });
        };
        if !(-90.0..=90.0).contains(&p.lat) || !(-180.0..=180.0).contains(&p.lon) {
            return self.reject(Rejection {
                locator: format!("point at {}", crate::output::rfc3339_ms(p.t_ms)),
                message: format!("coordinates out of range ({}, {})", p.lat, p.lon),
                excerpt: None,
            });
        }
        let n = self.ins_point.execute(params![
            event_id,
            p.seq,
            p.t_ms,
            p.lat,
            p.lon,
            p.alt_m,
            p.speed_mps,
            p.course_deg,
            p.h_acc_m,
            p.v_acc_m,
            p.attrs
        ])?;
        self.stats.span(p.t_ms, None);
        self.stats.count("track_points", n > 0);
        Ok(())
    }

    fn media(&mut self, part: MediaPart) -> Result<()> {
        match part {
            MediaPart::Start {
                name,
                member,
                mime,
                size,
                event,
            } => {
                let mut state = MediaState {
                    row: None,
                    name,
                    size,
                    written: 0,
                    hasher: Sha256::new(),
                    problem: None,
                };
                if size > MAX_MEDIA_BYTES {
                    state.problem = Some(format!(
                        "{size} bytes is more than one vault value holds ({MAX_MEDIA_BYTES}); the file stays referenced only"
                    ));
                } else {
                    let event_id = match &event {
                        Some(r) => self.resolve(r)?,
                        None => None,
                    };
                    let n = self.conn.execute(
                        "INSERT INTO media (source_id, event_id, name, member, mime, size, sha256, data,
                            source_file_id, import_run_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, zeroblob(0), zeroblob(?6), ?7, ?8)
                         ON CONFLICT (source_id, name) DO NOTHING",
                        params![
                            self.source_id,
                            event_id,
                            state.name,
                            member,
                            mime,
                            size as i64,
                            self.file_id,
                            self.run_id
                        ],
                    )?;
                    if n > 0 {
                        state.row = Some(self.conn.last_insert_rowid());
                    }
                }
                self.media = Some(state);
                Ok(())
            }
            MediaPart::Chunk(bytes) => {
                let Some(state) = self.media.as_mut() else {
                    return Ok(());
                };
                let (Some(row), None) = (state.row, &state.problem) else {
                    return Ok(());
                };
                let end = state.written + bytes.len() as u64;
                if end > state.size {
                    state.problem = Some(format!(
                        "longer than the {} bytes the export declares",
                        state.size
                    ));
                    return Ok(());
                }
                let mut blob =
                    self.conn
                        .blob_open(rusqlite::MAIN_DB, c"media", c"data", row, false)?;
                blob.write_at(&bytes, state.written as usize)?;
                state.hasher.update(&bytes);
                state.written = end;
                Ok(())
            }
            MediaPart::End => {
                let Some(state) = self.media.take() else {
                    return Ok(());
                };
                let problem = state.problem.clone().or_else(|| {
                    (state.row.is_some() && state.written != state.size).then(|| {
                        format!(
                            "ends after {} of the {} bytes the export declares",
                            state.written, state.size
                        )
                    })
                });
                if let Some(problem) = problem {
                    if let Some(row) = state.row {
                        self.conn
                            .execute("DELETE FROM media WHERE id = ?1", [row])?;
                    }
                    return self.reject(Rejection {
                        locator: format!("media {}", state.name),
                        message: problem,
                        excerpt: None,
                    });
                }
                if let Some(row) = state.row {
                    let digest: [u8; 32] = state.hasher.finalize().into();
                    self.conn.execute(
                        "UPDATE media SET sha256 = ?1 WHERE id = ?2",
                        params![&digest[..], row],
                    )?;
                }
                self.stats.count("media", state.row.is_some());
                Ok(())
            }
        }
    }

    fn reject(&mut self, r: Rejection) -> Result<()> {
        self.stats.seen += 1;
        self.stats.rejected += 1;
        if self.strict {
            return Err(Error::StrictReject {
                member: self.member.clone().unwrap_or_default(),
                locator: r.locator,
                message: r.message,
            });
        }
        self.ins_error.execute(params![
            self.run_id,
            self.file_id,
            self.importer,
            self.member,
            r.locator,
            r.message,
            r.excerpt,
            now_ms()
        ])?;
        Ok(())
    }

    /// Records a file-level problem (e.g. the file ends early) as an import error.
    pub fn file_error(&mut self, locator: &str, message: &str) -> Result<()> {
        self.ins_error.execute(params![
            self.run_id,
            self.file_id,
            self.importer,
            self.member,
            locator,
            message,
            Option::<String>::None,
            now_ms()
        ])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sample;

    fn vault() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::vault::migrations::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, importer, created_ms) VALUES (1, 'apple-health', 0);
             INSERT INTO import_runs (id, importer, importer_version, started_ms, status)
                VALUES (1, 'apple-health', '1.0.0', 0, 'running');",
        )
        .unwrap();
        conn
    }

    fn ctx() -> FileContext<'static> {
        FileContext {
            importer: "apple-health",
            source_id: 1,
            run_id: 1,
            file_id: None,
            member: Some("export.xml"),
            strict: false,
        }
    }

    fn sample(metric: &str, start_ms: i64, end_ms: Option<i64>, value: Value) -> Record {
        Record::Sample(Sample {
            metric: metric.into(),
            start_ms,
            end_ms,
            tz_offset_min: Some(60),
            value,
            unit: None,
            device: Some(0),
            event: None,
            attrs: None,
            locator: None,
        })
    }

    /// Natural keys are stored in every vault: re-importing an export after an upgrade must
    /// find the same keys, so the function that computes them may never change its output.
    #[test]
    fn sample_natural_keys_are_stable() {
        let conn = vault();
        let mut w = Writer::new(&conn, ctx()).unwrap();
        w.write(Record::Device {
            handle: 0,
            info: DeviceInfo {
                name: "Apple Watch".into(),
                model: Some("Watch".into()),
                ..Default::default()
            },
        })
        .unwrap();
        w.write(sample("heart_rate", 1_700_000_000_000, None, Value::Num(61.0)))
            .unwrap();
        w.write(sample(
            "sleep_stage",
            1_700_000_000_000,
            Some(1_700_000_900_000),
            Value::Category("deep".into()),
        ))
        .unwrap();
        drop(w);
        let keys: Vec<(String, i64)> = conn
            .prepare("SELECT metric, natural_key FROM samples ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            keys,
            [
                ("heart_rate".to_string(), -3774649574779632036),
                ("sleep_stage".to_string(), -3896467842773301478)
            ]
        );
    }
}
