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
//! Samples are most of what an import writes, so their path is the fast one (figures in
//! docs/BENCHMARKS.md). They go into `sample_rows` with their metric as an id from
//! `metric_names` (the `samples` view joins the name back; schema v5). No unique index guards
//! their identity: the covering index `samples_series` starts with it (metric_id, start_ms,
//! natural_key), and the writer looks a sample up there only when it could already be in the
//! vault, which is when it starts no later than the newest sample of its metric seen so far
//! (in the vault or earlier in the file). Exports list a metric's samples in time order, so a
//! new export's samples almost never need the lookup, and an overlapping one's old part is
//! found there. The lookup also
//! covers the rows still waiting in memory: samples are inserted [`CHUNK`] at a time with one
//! multi-row INSERT, which saves SQLite's per-statement work. The caller runs all of this
//! inside one write transaction, so nothing can insert between a lookup and its insert.
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
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

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
        self.count_many(key, 1, added as u64);
    }

    /// Counts `seen` rows of `key`, `added` of them new.
    fn count_many(&mut self, key: &str, seen: u64, added: u64) {
        self.seen += seen;
        self.added += added;
        self.duplicate += seen - added;
        let c = match self.per_kind.get_mut(key) {
            Some(c) => c,
            None => self.per_kind.entry(key.to_string()).or_default(),
        };
        c.seen += seen;
        c.added += added;
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
    /// Its id in `metric_names`.
    id: i64,
    unit: String,
    /// Source unit → conversion into `unit` (cached).
    conversions: FxHashMap<Arc<str>, Option<units::Conversion>>,
    /// The latest start of a sample of this metric in the vault, including this file's
    /// samples so far (`i64::MIN` when there is none): a sample that starts later cannot be
    /// a duplicate.
    newest: i64,
    /// Seen and added samples of this file (merged into `FileStats::per_kind` at the end).
    counts: Counts,
}

/// Rows (samples, track points) per multi-row INSERT. SQLite's instructions to insert the
/// samples of a 100k-record export (callgrind): 32 rows 1.111 G, 64 rows 1.080 G, 128 rows
/// 1.059 G, 256 rows 1.047 G.
pub const CHUNK: usize = 128;
/// Parameters of one sample row in [`insert_samples_sql`]; the file's provenance (source,
/// file, run) comes first, as parameters 1 to 3 that every row shares, bound once per file.
const SAMPLE_COLUMNS: usize = 10;
const SHARED: usize = 3;

/// A sample that passed every check and is not in the vault, waiting for its INSERT.
struct Row {
    metric_id: i64,
    start_ms: i64,
    end_ms: Option<i64>,
    tz_offset_min: Option<i32>,
    value: Option<f64>,
    category: Option<String>,
    device_id: Option<i64>,
    event_id: Option<i64>,
    attrs: Option<String>,
    key: i64,
}

/// Columns of one track point in [`insert_points_sql`].
const POINT_COLUMNS: usize = 11;

/// The multi-row INSERT of `rows` track points; one already stored is left as it is.
fn insert_points_sql(rows: usize) -> String {
    let one = format!("({})", ["?"; POINT_COLUMNS].join(", "));
    format!(
        "INSERT INTO track_points (event_id, seq, t_ms, lat, lon, alt_m, speed_mps, course_deg,
            h_acc_m, v_acc_m, attrs) VALUES {}
         ON CONFLICT (event_id, seq) DO NOTHING",
        vec![one; rows].join(",\n")
    )
}

/// The multi-row INSERT of `rows` samples.
fn insert_samples_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let own: Vec<String> = (1..=SAMPLE_COLUMNS)
                .map(|c| format!("?{}", SHARED + r * SAMPLE_COLUMNS + c))
                .collect();
            format!("(?1, ?2, ?3, {})", own.join(", "))
        })
        .collect();
    // OR FAIL: a row that broke a constraint (a bug: the writer checks what it inserts) fails
    // the file's transaction either way, so the statement need not be undone on its own,
    // and SQLite keeps no statement journal of every page a multi-row INSERT touches (2.5%
    // of the writer thread's instructions importing the 100k benchmark export, callgrind).
    format!(
        "INSERT OR FAIL INTO sample_rows (source_id, source_file_id, import_run_id, metric_id, start_ms,
            end_ms, tz_offset_min, value, category, device_id, event_id, attrs, natural_key)
         VALUES {}",
        values.join(",\n")
    )
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
    ins_samples: CachedStatement<'c>,
    sel_sample: CachedStatement<'c>,
    ins_event: CachedStatement<'c>,
    sel_event: CachedStatement<'c>,
    ins_point: CachedStatement<'c>,
    ins_points: CachedStatement<'c>,
    ins_error: CachedStatement<'c>,
    del_day_value: CachedStatement<'c>,
    replace_days: bool,
    devices: FxHashMap<Handle, (Option<i64>, String)>,
    events: HashMap<Handle, i64>,
    attr_refs: HashMap<(String, String, String), Option<i64>>,
    /// The metrics of this file, in order of first sight, and where each is.
    metrics: Vec<(Arc<str>, MetricInfo)>,
    metric_slots: FxHashMap<Arc<str>, usize>,
    /// The metric of the previous sample: files list a metric's samples together.
    last_metric: Option<(Arc<str>, usize)>,
    /// Samples not inserted yet (at most [`CHUNK`]).
    pending: Vec<Row>,
    /// Track points not inserted yet, with the id of their event (at most [`CHUNK`]).
    pending_points: Vec<(i64, TrackPoint)>,
    /// Scratch buffer of [`Writer::sample_key`].
    key_buf: Vec<u8>,
    media: Option<MediaState>,
    stats: FileStats,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection, ctx: FileContext<'_>) -> Result<Self> {
        // Cached: an export of many small files (workout routes) builds a writer per file.
        let mut ins_sample = conn.prepare_cached(&insert_samples_sql(1))?;
        let mut ins_samples = conn.prepare_cached(&insert_samples_sql(CHUNK))?;
        for stmt in [&mut ins_sample, &mut ins_samples] {
            bind_shared(stmt, ctx.source_id, ctx.file_id, ctx.run_id)?;
        }
        Ok(Writer {
            conn,
            importer: ctx.importer.to_string(),
            source_id: ctx.source_id,
            run_id: ctx.run_id,
            file_id: ctx.file_id,
            member: ctx.member.map(str::to_string),
            strict: ctx.strict,
            ins_sample,
            ins_samples,
            // Served by samples_series, whose first columns these are.
            sel_sample: conn.prepare_cached(
                "SELECT 1 FROM sample_rows WHERE metric_id = ?1 AND start_ms = ?2 AND natural_key = ?3",
            )?,
            ins_event: conn.prepare_cached(
                "INSERT INTO events (kind, start_ms, end_ms, tz_offset_min, title, body, attrs,
                    original_id, parent_id, sensitive, source_id, device_id, source_file_id,
                    import_run_id, natural_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (source_id, natural_key) DO NOTHING",
            )?,
            sel_event: conn.prepare_cached(
                "SELECT id FROM events WHERE source_id = ?1 AND natural_key = ?2",
            )?,
            ins_point: conn.prepare_cached(&insert_points_sql(1))?,
            ins_points: conn.prepare_cached(&insert_points_sql(CHUNK))?,
            ins_error: conn.prepare_cached(
                "INSERT INTO import_errors (import_run_id, source_file_id, importer, member,
                    locator, message, excerpt, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            // By (metric_id, start_ms): the samples_series index finds the day's rows.
            del_day_value: conn.prepare_cached(
                "DELETE FROM sample_rows WHERE metric_id = ?1 AND start_ms = ?2 AND end_ms = ?3
                    AND source_id = ?4 AND device_id IS ?5 AND id != ?6",
            )?,
            replace_days: false,
            devices: FxHashMap::default(),
            events: HashMap::new(),
            attr_refs: HashMap::new(),
            metrics: Vec::new(),
            metric_slots: FxHashMap::default(),
            last_metric: None,
            pending: Vec::with_capacity(CHUNK),
            pending_points: Vec::new(),
            key_buf: Vec::new(),
            media: None,
            stats: FileStats::default(),
        })
    }

    /// What the file's records came to so far.
    pub fn stats(&self) -> FileStats {
        let mut stats = self.stats.clone();
        for (metric, info) in &self.metrics {
            if info.counts.seen > 0 {
                let c = stats.per_kind.entry(metric.to_string()).or_default();
                c.seen += info.counts.seen;
                c.added += info.counts.added;
            }
        }
        stats
    }

    /// Inserts the samples and track points still waiting. Call it before committing: until
    /// it returns, the file's last rows may not be in the vault.
    pub fn finish(&mut self) -> Result<()> {
        self.flush()?;
        self.flush_points()
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
            Record::Alias { handle, target } => {
                if let Some(id) = self.resolve(&target)? {
                    self.events.insert(handle, id);
                }
                Ok(())
            }
            Record::Extent {
                handle,
                start_ms,
                end_ms,
                attrs,
            } => self.extent(handle, start_ms, end_ms, attrs),
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

    /// Where the sample's metric is in `metrics`, registering an unknown metric on first
    /// sight.
    fn metric_slot(&mut self, sample: &Sample) -> Result<usize> {
        if let Some((m, i)) = &self.last_metric
            && (Arc::ptr_eq(m, &sample.metric) || **m == *sample.metric)
        {
            return Ok(*i);
        }
        let i = match self.metric_slots.get(&sample.metric) {
            Some(&i) => i,
            None => {
                let info = self.register_metric(sample)?;
                self.metrics.push((Arc::clone(&sample.metric), info));
                self.metric_slots
                    .insert(Arc::clone(&sample.metric), self.metrics.len() - 1);
                self.metrics.len() - 1
            }
        };
        self.last_metric = Some((Arc::clone(&sample.metric), i));
        Ok(i)
    }

    /// What the vault knows of the sample's metric: its id, its unit (registering an unknown
    /// metric by its first sample), its newest sample.
    fn register_metric(&mut self, sample: &Sample) -> Result<MetricInfo> {
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
        self.conn
            .prepare_cached("INSERT INTO metric_names (name) VALUES (?1) ON CONFLICT DO NOTHING")?
            .execute([&*sample.metric])?;
        let id: i64 = self
            .conn
            .prepare_cached("SELECT id FROM metric_names WHERE name = ?1")?
            .query_row([&*sample.metric], |r| r.get(0))?;
        // The newest sample of the metric: one step down the right edge of its part of
        // samples_series.
        let newest: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT start_ms FROM sample_rows WHERE metric_id = ?1
                 ORDER BY start_ms DESC LIMIT 1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(MetricInfo {
            id,
            unit,
            conversions: FxHashMap::default(),
            newest: newest.unwrap_or(i64::MIN),
            counts: Counts::default(),
        })
    }

    /// The sample's value in its metric's canonical unit, or why it has none.
    fn canonical_value(
        &mut self,
        slot: usize,
        s: &Sample,
        v: f64,
    ) -> std::result::Result<f64, String> {
        let info = &mut self.metrics[slot].1;
        let Some(unit) = &s.unit else {
            return Ok(v);
        };
        let conv = match info.conversions.get(unit) {
            Some(c) => *c,
            None => {
                let target = &info.unit;
                // A unit trove has no conversion for (an OBD logger's `g/s`) is kept as
                // written when the metric was registered with it.
                let conv = if **unit == **target {
                    Some(units::Conversion {
                        unit: "",
                        factor: 1.0,
                        offset: 0.0,
                    })
                } else {
                    units::to_canonical(unit)
                        .zip(units::to_canonical(target))
                        .filter(|(from, to)| from.unit == to.unit)
                        .map(|(from, to)| units::Conversion {
                            unit: to.unit,
                            factor: from.factor / to.factor,
                            offset: (from.offset - to.offset) / to.factor,
                        })
                };
                info.conversions.insert(Arc::clone(unit), conv);
                conv
            }
        };
        match conv {
            Some(c) => Ok(c.apply(v)),
            None => Err(format!(
                "{}: unit {unit:?} cannot be converted to {:?}",
                s.metric, info.unit
            )),
        }
    }

    fn sample(&mut self, mut s: Sample) -> Result<()> {
        let locator = |s: &Sample| {
            s.locator.clone().unwrap_or_else(|| {
                format!("{} at {}", s.metric, crate::output::rfc3339_ms(s.start_ms))
            })
        };
        // Registers an unknown metric by the kind of its first value.
        let slot = self.metric_slot(&s)?;
        let (value, category) = match std::mem::replace(&mut s.value, Value::Num(0.0)) {
            Value::Num(v) => {
                let v = match self.canonical_value(slot, &s, v) {
                    Ok(v) => v,
                    Err(message) => {
                        return self.reject(Rejection {
                            locator: locator(&s),
                            message,
                            excerpt: None,
                        });
                    }
                };
                if !v.is_finite() {
                    return self.reject(Rejection {
                        locator: locator(&s),
                        message: format!("{}: value is not a finite number", s.metric),
                        excerpt: None,
                    });
                }
                (Some(v), None)
            }
            Value::Category(c) => (None, Some(c)),
        };
        if let Some(end) = s.end_ms
            && end < s.start_ms
        {
            return self.reject(Rejection {
                locator: locator(&s),
                message: format!("{}: ends before it starts", s.metric),
                excerpt: None,
            });
        }
        let event_id = match &s.event {
            Some(r) => self.resolve(r)?,
            None => None,
        };
        let (device_id, identity) = match s.device.and_then(|h| self.devices.get(&h)) {
            Some((id, ident)) => (*id, ident.as_str()),
            None => (None, ""),
        };
        let key = sample_key(
            &mut self.key_buf,
            &self.importer,
            &s,
            value,
            category.as_deref(),
            identity,
        );
        self.stats.span(s.start_ms, s.end_ms);
        let (metric_id, newest) = {
            let info = &self.metrics[slot].1;
            (info.id, info.newest)
        };
        let added = s.start_ms > newest || !self.stored(metric_id, s.start_ms, key)?;
        let info = &mut self.metrics[slot].1;
        info.counts.seen += 1;
        self.stats.seen += 1;
        if !added {
            self.stats.duplicate += 1;
            return Ok(());
        }
        info.counts.added += 1;
        info.newest = info.newest.max(s.start_ms);
        self.stats.added += 1;
        let row = Row {
            metric_id,
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            tz_offset_min: s.tz_offset_min,
            value,
            category,
            device_id,
            event_id,
            attrs: s.attrs,
            key,
        };
        let day_value = self.replace_days
            && row.end_ms.is_some_and(|end| end - row.start_ms == DAY_MS)
            && row.start_ms.rem_euclid(DAY_MS) == 0;
        if day_value {
            // It replaces what the vault holds for its day, which may include rows waiting.
            self.flush()?;
            bind_sample(&mut self.ins_sample, 0, &row)?;
            self.ins_sample.raw_execute()?;
            let id = self.conn.last_insert_rowid();
            let gone = self.del_day_value.execute(params![
                row.metric_id,
                row.start_ms,
                row.end_ms,
                self.source_id,
                device_id,
                id
            ])?;
            self.stats.replaced += gone as u64;
            return Ok(());
        }
        self.pending.push(row);
        if self.pending.len() == CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    /// True when a sample with this identity is in the vault or waiting to be inserted.
    fn stored(&mut self, metric_id: i64, start_ms: i64, key: i64) -> Result<bool> {
        if self
            .pending
            .iter()
            .any(|r| r.key == key && r.start_ms == start_ms && r.metric_id == metric_id)
        {
            return Ok(true);
        }
        Ok(self.sel_sample.exists(params![metric_id, start_ms, key])?)
    }

    /// Inserts the waiting samples.
    fn flush(&mut self) -> Result<()> {
        if self.pending.len() == CHUNK {
            for (i, row) in self.pending.iter().enumerate() {
                bind_sample(&mut self.ins_samples, i, row)?;
            }
            self.ins_samples.raw_execute()?;
        } else {
            for row in &self.pending {
                bind_sample(&mut self.ins_sample, 0, row)?;
                self.ins_sample.raw_execute()?;
            }
        }
        self.pending.clear();
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
                // Cached: every file of a kind (a workout route) asks the same question.
                let id: Option<i64> = self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT id FROM events WHERE source_id = ?1 AND kind = '{kind}'
                         AND json_extract(attrs, '$.{key}') = ?2 ORDER BY id LIMIT 1"
                    ))?
                    .query_row(params![self.source_id, value], |r| r.get(0))
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

    fn extent(
        &mut self,
        handle: Handle,
        start_ms: Option<i64>,
        end_ms: Option<i64>,
        attrs: Option<String>,
    ) -> Result<()> {
        let Some(&id) = self.events.get(&handle) else {
            return Ok(());
        };
        if let (Some(s), Some(end)) = (start_ms, end_ms)
            && end < s
        {
            return self.reject(Rejection {
                locator: format!("event {id}"),
                message: "ends before it starts".into(),
                excerpt: None,
            });
        }
        self.conn
            .prepare_cached(
                "UPDATE events SET
                    start_ms = CASE WHEN ?1 IS NULL THEN start_ms
                        ELSE min(coalesce(start_ms, ?1), ?1) END,
                    end_ms = CASE WHEN ?2 IS NULL THEN end_ms ELSE max(coalesce(end_ms, ?2), ?2) END,
                    attrs = ?3
                 WHERE id = ?4",
            )?
            .execute(params![start_ms, end_ms, attrs, id])?;
        if let Some(s) = start_ms {
            self.stats.span(s, end_ms);
        }
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
        self.stats.span(p.t_ms, None);
        self.pending_points.push((event_id, p));
        if self.pending_points.len() == CHUNK {
            self.flush_points()?;
        }
        Ok(())
    }

    /// Inserts the waiting track points and counts them.
    fn flush_points(&mut self) -> Result<()> {
        let n = self.pending_points.len();
        if n == 0 {
            return Ok(());
        }
        let added = if n == CHUNK {
            for (i, (event_id, p)) in self.pending_points.iter().enumerate() {
                bind_point(&mut self.ins_points, i * POINT_COLUMNS, *event_id, p)?;
            }
            self.ins_points.raw_execute()?
        } else {
            let mut added = 0;
            for (event_id, p) in &self.pending_points {
                bind_point(&mut self.ins_point, 0, *event_id, p)?;
                added += self.ins_point.raw_execute()?;
            }
            added
        };
        self.pending_points.clear();
        self.stats
            .count_many("track_points", n as u64, added as u64);
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

/// A sample's natural key: a 64-bit xxh3 of (importer, metric, start, end, value or category,
/// device identity). Stored in every vault, so its output never changes (a test pins it).
fn sample_key(
    b: &mut Vec<u8>,
    importer: &str,
    s: &Sample,
    value: Option<f64>,
    category: Option<&str>,
    device_identity: &str,
) -> i64 {
    b.clear();
    b.extend_from_slice(importer.as_bytes());
    b.push(0);
    b.extend_from_slice(s.metric.as_bytes());
    b.push(0);
    b.extend_from_slice(&s.start_ms.to_le_bytes());
    b.extend_from_slice(&s.end_ms.unwrap_or(i64::MIN).to_le_bytes());
    match (value, category) {
        (Some(v), _) => b.extend_from_slice(&v.to_bits().to_le_bytes()),
        (_, Some(c)) => {
            b.push(1);
            b.extend_from_slice(c.as_bytes());
        }
        _ => {}
    }
    b.push(0);
    b.extend_from_slice(device_identity.as_bytes());
    xxh3_64(b) as i64
}

/// Binds `p`, a point of event `event_id`, to the parameters after `base` of a track point
/// INSERT.
fn bind_point(
    stmt: &mut CachedStatement<'_>,
    base: usize,
    event_id: i64,
    p: &TrackPoint,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(base + 1, event_id)?;
    stmt.raw_bind_parameter(base + 2, p.seq)?;
    stmt.raw_bind_parameter(base + 3, p.t_ms)?;
    stmt.raw_bind_parameter(base + 4, p.lat)?;
    stmt.raw_bind_parameter(base + 5, p.lon)?;
    stmt.raw_bind_parameter(base + 6, p.alt_m)?;
    stmt.raw_bind_parameter(base + 7, p.speed_mps)?;
    stmt.raw_bind_parameter(base + 8, p.course_deg)?;
    stmt.raw_bind_parameter(base + 9, p.h_acc_m)?;
    stmt.raw_bind_parameter(base + 10, p.v_acc_m)?;
    stmt.raw_bind_parameter(base + 11, p.attrs.as_deref())
}

/// Binds `row` to the parameters after `base` of a sample INSERT.
fn bind_sample(stmt: &mut CachedStatement<'_>, index: usize, row: &Row) -> rusqlite::Result<()> {
    let base = SHARED + index * SAMPLE_COLUMNS;
    stmt.raw_bind_parameter(base + 1, row.metric_id)?;
    stmt.raw_bind_parameter(base + 2, row.start_ms)?;
    stmt.raw_bind_parameter(base + 3, row.end_ms)?;
    stmt.raw_bind_parameter(base + 4, row.tz_offset_min)?;
    stmt.raw_bind_parameter(base + 5, row.value)?;
    stmt.raw_bind_parameter(base + 6, row.category.as_deref())?;
    stmt.raw_bind_parameter(base + 7, row.device_id)?;
    stmt.raw_bind_parameter(base + 8, row.event_id)?;
    stmt.raw_bind_parameter(base + 9, row.attrs.as_deref())?;
    stmt.raw_bind_parameter(base + 10, row.key)
}

/// Binds the provenance every sample row of a file shares (parameters 1 to 3).
fn bind_shared(
    stmt: &mut CachedStatement<'_>,
    source_id: i64,
    file_id: Option<i64>,
    run_id: i64,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(1, source_id)?;
    stmt.raw_bind_parameter(2, file_id)?;
    stmt.raw_bind_parameter(3, run_id)
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

    fn heart_rate(start_ms: i64, value: f64) -> Record {
        Record::Sample(Sample {
            metric: "heart_rate".into(),
            start_ms,
            end_ms: None,
            tz_offset_min: None,
            value: Value::Num(value),
            unit: None,
            device: None,
            event: None,
            attrs: None,
            locator: None,
        })
    }

    /// Imports `records` as one file; returns (seen, added, duplicate).
    fn import(conn: &Connection, records: Vec<Record>) -> (u64, u64, u64) {
        let mut w = Writer::new(conn, ctx()).unwrap();
        w.write_batch(records).unwrap();
        w.finish().unwrap();
        let s = w.stats();
        assert_eq!(s.per_kind["heart_rate"].seen, s.seen);
        assert_eq!(s.per_kind["heart_rate"].added, s.added);
        (s.seen, s.added, s.duplicate)
    }

    fn stored(conn: &Connection) -> Vec<(i64, f64)> {
        conn.prepare("SELECT start_ms, value FROM samples ORDER BY start_ms, value")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Without a unique index, the writer itself finds duplicates: in the rows still waiting
    /// for their INSERT, in the vault (out of time order, or an overlapping export), and
    /// across more than one chunk.
    #[test]
    fn duplicates_are_found_wherever_they_are() {
        let conn = vault();
        // In order, over several chunks, with a repeat and a second sample at every tenth start.
        let n = 3 * CHUNK as i64 + 7;
        let first: Vec<Record> = (0..n)
            .flat_map(|i| {
                let mut v = vec![heart_rate(i * 1000, 60.0)];
                if i % 10 == 0 {
                    v.push(heart_rate(i * 1000, 60.0)); // the same sample again
                    v.push(heart_rate(i * 1000, 61.0)); // another one at the same time
                }
                v
            })
            .collect();
        let tenths = (n as u64).div_ceil(10);
        assert_eq!(
            import(&conn, first),
            (n as u64 + 2 * tenths, n as u64 + tenths, tenths)
        );
        // Out of order: the old part of an overlapping export, then new samples, then one
        // from the middle of what is stored, one new at a stored time, and one older than
        // everything.
        let mut second: Vec<Record> = (0..n).map(|i| heart_rate(i * 1000, 60.0)).collect();
        second.extend((n..n + 50).map(|i| heart_rate(i * 1000, 60.0)));
        second.push(heart_rate(200_000, 61.0));
        second.push(heart_rate(200_000, 62.0));
        second.push(heart_rate(-5_000, 60.0));
        assert_eq!(import(&conn, second), (n as u64 + 53, 52, n as u64 + 1));
        let rows = stored(&conn);
        assert_eq!(rows.len() as u64, n as u64 + tenths + 52);
        let mut unique = rows.clone();
        unique.dedup();
        assert_eq!(unique, rows);
        assert_eq!(rows[0], (-5_000, 60.0));
        assert_eq!(rows[rows.len() - 1], ((n + 49) * 1000, 60.0));
        // Everything again: nothing added.
        let all: Vec<Record> = rows.iter().map(|&(t, v)| heart_rate(t, v)).collect();
        let len = rows.len() as u64;
        assert_eq!(import(&conn, all), (len, 0, len));
    }

    /// A file whose samples are not all inserted when it ends (fewer than a chunk waiting)
    /// loses none of them: `finish` writes them.
    #[test]
    fn finish_writes_the_waiting_samples() {
        let conn = vault();
        let n = CHUNK as i64 * 3 + 5;
        let (seen, added, _) = import(&conn, (0..n).map(|i| heart_rate(i, 1.0)).collect());
        assert_eq!((seen, added), (n as u64, n as u64));
        assert_eq!(stored(&conn).len(), n as usize);
    }

    /// Track points are inserted a chunk at a time; duplicates (inside a chunk, across
    /// chunks, and from an earlier import) are counted as such and stored once.
    #[test]
    fn track_points_in_chunks_count_duplicates() {
        let conn = vault();
        let route = |seqs: &mut dyn Iterator<Item = i64>| -> Vec<Record> {
            let mut v = vec![Record::Event {
                handle: Some(0),
                event: Box::new(Event {
                    kind: "route".into(),
                    start_ms: Some(0),
                    end_ms: None,
                    tz_offset_min: None,
                    title: None,
                    body: None,
                    attrs: None,
                    original_id: None,
                    natural_key: Some("route:a".into()),
                    parent: None,
                    sensitive: false,
                    device: None,
                    locator: None,
                }),
            }];
            v.extend(seqs.map(|seq| {
                Record::TrackPoint(TrackPoint {
                    event: EventRef::Handle(0),
                    seq,
                    t_ms: seq * 1000,
                    lat: 47.0,
                    lon: 8.0 + seq as f64 / 1000.0,
                    alt_m: None,
                    speed_mps: None,
                    course_deg: None,
                    h_acc_m: None,
                    v_acc_m: None,
                    attrs: None,
                })
            }));
            v
        };
        let run = |records: Vec<Record>| {
            let mut w = Writer::new(&conn, ctx()).unwrap();
            w.write_batch(records).unwrap();
            w.finish().unwrap();
            let s = w.stats();
            let p = &s.per_kind["track_points"];
            (s.seen, s.added, s.duplicate, p.seen, p.added)
        };
        // Over two chunks, the 10th point twice in a row and the 40th again at the end.
        let n = CHUNK as i64 + 100;
        let mut first: Vec<i64> = (0..n).collect();
        first.insert(10, 9);
        first.push(39);
        let m = n as u64;
        assert_eq!(
            run(route(&mut first.into_iter())),
            (m + 3, m + 1, 2, m + 2, m)
        );
        // Again with 30 new ones: the event and the points already stored are duplicates.
        assert_eq!(
            run(route(&mut (0..n + 30))),
            (m + 31, 30, m + 1, m + 30, 30)
        );
        let stored: i64 = conn
            .query_row("SELECT count(*) FROM track_points", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, n + 30);
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
        w.write(sample(
            "heart_rate",
            1_700_000_000_000,
            None,
            Value::Num(61.0),
        ))
        .unwrap();
        w.write(sample(
            "sleep_stage",
            1_700_000_000_000,
            Some(1_700_000_900_000),
            Value::Category("deep".into()),
        ))
        .unwrap();
        w.finish().unwrap();
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
