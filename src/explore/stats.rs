//! `trove stats`: the right aggregate per metric kind, per local day, week or month, with
//! overlapping devices resolved by priority.
//!
//! * **Cumulative** metrics (steps, energy, distance) are *summed*. A sample spanning a bucket
//!   boundary is split in proportion to the time on each side (50 steps from 23:59 to 00:01
//!   are 25 + 25).
//! * **Instant** metrics (heart rate, weight) give *mean, min and max* of the samples starting
//!   in the bucket. Devices are not de-duplicated: a mean is not doubled by a second device
//!   (use `--device` to read one).
//! * **Categorical** metrics (sleep stages) give the *time per category*; sleep is counted per
//!   night (18:00 → 18:00, labelled by the day you wake up), with the total time asleep (every
//!   category but `in_bed` and `awake`).
//!
//! **Overlapping devices** (cumulative and categorical metrics): streams are ranked
//! ([`crate::explore::devices`]); a sample counts only for the part of its interval that no
//! higher-ranked stream covers with a sample of its own, and its value is prorated to that
//! part. So when a watch and a phone both count 10:00–10:10, only the watch counts; when the
//! watch is off the wrist at 14:00, the phone's steps count. This is the rule Apple Health
//! applies with its source priority list. For categories, `in_bed` is resolved separately
//! from the other sleep categories (a phone's "in bed" must not erase a watch's stages, and
//! vice versa). What the rule removed is reported as `deduplicated`.
//!
//! The work is one pass over the `(metric, start_ms)` index in time order, one local day at a
//! time: memory holds one day of samples, whatever the range (docs/BENCHMARKS.md, "Explore").

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde::Serialize;

use crate::catalog::{self, MetricKind};
use crate::error::{Error, Result};
use crate::explore::buckets::{Bucket, Bucketing, Granularity, Zone, parse_local_bound};
use crate::explore::devices::Streams;
use crate::output::{JSON_VERSION, rfc3339_ms};

/// Samples of interval metrics may start this long before `--since` and still reach into it.
const LOOKBACK_MS: i64 = 7 * 86_400_000;
/// Empty buckets are filled in between data only up to this many buckets.
const MAX_FILL: usize = 100_000;

/// What a metric is, from the catalog or the vault's `metrics` table.
#[derive(Clone, Debug, Serialize)]
pub struct MetricDef {
    pub name: String,
    pub unit: String,
    pub kind: MetricKind,
}

pub fn metric_def(conn: &Connection, name: &str) -> Result<MetricDef> {
    if let Some(m) = catalog::lookup(name) {
        return Ok(MetricDef {
            name: m.name.into(),
            unit: m.unit.into(),
            kind: m.kind,
        });
    }
    let row: Option<(String, String)> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT unit, kind FROM metrics WHERE name = ?1",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    match row {
        Some((unit, kind)) => Ok(MetricDef {
            name: name.into(),
            unit,
            kind: MetricKind::parse(&kind).unwrap_or(MetricKind::Instant),
        }),
        None => Err(Error::Usage {
            message: format!("unknown metric {name:?}"),
            hint: Some("`trove metrics --present` lists the metrics this vault has".into()),
        }),
    }
}

/// An INTEGER column of a stats row (NULL as `None`).
fn int_at(row: &rusqlite::Row<'_>, i: usize) -> Option<i64> {
    match row.get_ref_unwrap(i) {
        ValueRef::Integer(v) => Some(v),
        _ => None,
    }
}

/// A REAL column of a stats row (NULL as `None`).
fn real_at(row: &rusqlite::Row<'_>, i: usize) -> Option<f64> {
    match row.get_ref_unwrap(i) {
        ValueRef::Real(v) => Some(v),
        ValueRef::Integer(v) => Some(v as f64),
        _ => None,
    }
}

/// Metrics counted per night (days start at 18:00 the evening before).
pub fn evening_hours(metric: &str) -> i8 {
    if metric == "sleep_stage" { 6 } else { 0 }
}

/// Categories resolved between devices separately from the rest of their metric.
pub(crate) fn overlap_class(category: &str) -> u8 {
    u8::from(category == "in_bed")
}

/// Categories that are not sleep (for the `asleep` total of sleep stages).
pub fn is_asleep(category: &str) -> bool {
    category != "in_bed" && category != "awake"
}

#[derive(Clone, Debug, Default)]
pub struct Request {
    pub metric: String,
    pub granularity: Option<Granularity>,
    /// The zone of local days ([`Zone::resolve`]); UTC when `None`.
    pub zone: Option<Zone>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Only these devices (stream names).
    pub devices: Vec<String>,
    /// These devices first, in this order.
    pub prefer: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeviceUse {
    pub rank: usize,
    pub name: String,
    pub source: String,
    pub reason: &'static str,
    pub priority: Option<i64>,
    /// Samples of the range read from this device (before de-duplication).
    pub samples: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct BucketOut {
    pub label: String,
    pub start: String,
    pub end: String,
    pub hours: f64,
    /// Samples that contributed (after de-duplication).
    pub samples: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<f64>,
    /// What the device rule removed (cumulative: value; categorical: seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deduplicated: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_device: Option<BTreeMap<String, f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Seconds per category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<BTreeMap<String, f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asleep_s: Option<f64>,
    #[serde(skip)]
    pub start_ms: i64,
    #[serde(skip)]
    pub end_ms: i64,
}

impl BucketOut {
    /// The value a chart shows for this bucket.
    pub fn headline(&self, kind: MetricKind) -> Option<f64> {
        match kind {
            MetricKind::Cumulative => self.sum,
            MetricKind::Instant => self.mean,
            MetricKind::Categorical => self
                .asleep_s
                .or_else(|| self.seconds.as_ref().map(|m| m.values().sum())),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Total {
    /// Buckets that have data.
    pub buckets: u64,
    pub samples: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deduplicated: Option<f64>,
    /// Cumulative: the mean per bucket with data; instant: the mean of all samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<BTreeMap<String, f64>>,
    /// Categorical: mean time asleep per bucket with data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_asleep_s: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    pub version: u32,
    pub metric: String,
    pub unit: String,
    pub kind: MetricKind,
    /// `sum`, `mean` or `duration`.
    pub aggregate: &'static str,
    pub granularity: Granularity,
    pub timezone: String,
    /// `00:00`, or `18:00` (of the evening before) for nights.
    pub day_starts: &'static str,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Devices with samples in the range, in rank order.
    pub devices: Vec<DeviceUse>,
    pub buckets: Vec<BucketOut>,
    pub total: Total,
}

/// A part of a sample inside one day.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    pub s: i64,
    pub e: i64,
    pub v: f64,
    pub rank: u32,
    pub stream: u32,
    pub cat: u32,
}

/// One local day being collected.
struct Day {
    bucket: Bucket,
    pieces: Vec<Piece>,
    n: u64,
    sum: f64,
    min: f64,
    max: f64,
}

impl Day {
    fn new(bucket: Bucket) -> Self {
        Day {
            bucket,
            pieces: Vec::new(),
            n: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

/// A day's result before rolling up to weeks or months.
#[derive(Default)]
struct DayResult {
    samples: u64,
    sum: f64,
    dedup: f64,
    by_stream: BTreeMap<u32, f64>,
    n: u64,
    min: f64,
    max: f64,
    seconds: BTreeMap<u32, f64>,
}

/// The length of `[s, e)` not covered by the sorted, merged, disjoint `covered`.
fn uncovered(s: i64, e: i64, covered: &[(i64, i64)]) -> i64 {
    let mut free = e - s;
    let mut i = covered.partition_point(|&(_, ce)| ce <= s);
    while i < covered.len() && covered[i].0 < e {
        let (cs, ce) = covered[i];
        free -= ce.min(e) - cs.max(s);
        i += 1;
    }
    free
}

/// Whether the instant `t` lies inside a covered interval.
fn inside(t: i64, covered: &[(i64, i64)]) -> bool {
    let i = covered.partition_point(|&(_, ce)| ce <= t);
    i < covered.len() && covered[i].0 <= t
}

fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        if e <= s {
            continue;
        }
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Applies the priority rule to one day's pieces: each piece keeps the fraction of its
/// interval not covered by higher-ranked streams (pieces of the same overlap class).
/// Returns the value each piece keeps (same order as `pieces` after sorting by rank).
pub(crate) fn resolve(pieces: &mut [Piece], class_of: impl Fn(u32) -> u8) -> Vec<f64> {
    pieces.sort_by_key(|p| (p.rank, p.s));
    let mut kept = vec![0.0; pieces.len()];
    let mut covered: [Vec<(i64, i64)>; 2] = [Vec::new(), Vec::new()];
    let mut i = 0;
    while i < pieces.len() {
        let rank = pieces[i].rank;
        let mut j = i;
        let mut mine: [Vec<(i64, i64)>; 2] = [Vec::new(), Vec::new()];
        while j < pieces.len() && pieces[j].rank == rank {
            let p = pieces[j];
            let class = class_of(p.cat) as usize;
            let cov = &covered[class];
            kept[j] = if p.e > p.s {
                let free = uncovered(p.s, p.e, cov);
                if free == p.e - p.s {
                    p.v
                } else {
                    p.v * free as f64 / (p.e - p.s) as f64
                }
            } else if inside(p.s, cov) {
                0.0
            } else {
                p.v
            };
            mine[class].push((p.s, p.e));
            j += 1;
        }
        for c in 0..2 {
            if !mine[c].is_empty() {
                let mut all = std::mem::take(&mut covered[c]);
                all.append(&mut mine[c]);
                covered[c] = merge(all);
            }
        }
        i = j;
    }
    kept
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Computes the statistics of one metric.
pub fn compute(conn: &Connection, req: &Request) -> Result<Stats> {
    let def = metric_def(conn, &req.metric)?;
    let zone = req.zone.clone().unwrap_or_else(Zone::utc);
    let granularity = req.granularity.unwrap_or(Granularity::Day);
    let evening = evening_hours(&def.name);
    let days = Bucketing::new(zone.clone(), Granularity::Day, evening);
    let since_ms = req
        .since
        .as_deref()
        .map(|v| parse_local_bound(v, false, &days, "--since"))
        .transpose()?;
    let until_ms = req
        .until
        .as_deref()
        .map(|v| parse_local_bound(v, true, &days, "--until"))
        .transpose()?;
    if let (Some(s), Some(u)) = (since_ms, until_ms)
        && s >= u
    {
        return Err(Error::usage("--since must be before --until"));
    }
    let streams = Streams::load(conn, &req.prefer)?;
    let allowed: Option<Vec<bool>> = if req.devices.is_empty() {
        None
    } else {
        let mut v = vec![false; streams.streams.len()];
        for i in streams.matching(&req.devices)? {
            v[i] = true;
        }
        Some(v)
    };
    let ranks: Vec<u32> = streams.streams.iter().map(|s| s.rank as u32).collect();

    let interval = def.kind != MetricKind::Instant;
    let lo = since_ms.map_or(i64::MIN, |s| if interval { s - LOOKBACK_MS } else { s });
    let hi = until_ms.unwrap_or(i64::MAX);
    let clip_lo = since_ms.unwrap_or(i64::MIN);
    let clip_hi = hi;

    // Only columns of the covering index `samples_series` (migrations 0003 and 0005), so the
    // table's pages are never read; the rare day-level candidates look their date up by rowid.
    let mut stmt = conn.prepare_cached(
        "SELECT start_ms, end_ms, value, category, device_id, source_id, id
         FROM sample_rows INDEXED BY samples_series
         WHERE metric_id = (SELECT id FROM metric_names WHERE name = ?1)
           AND start_ms >= ?2 AND start_ms < ?3
         ORDER BY start_ms",
    )?;
    let mut day_of = conn.prepare_cached(
        "SELECT json_extract(attrs, '$.day') FROM sample_rows WHERE id = ?1 AND attrs IS NOT NULL",
    )?;
    let mut rows = stmt.query((&def.name, lo, hi))?;

    let mut categories: Vec<String> = Vec::new();
    let mut cat_index: HashMap<String, u32> = HashMap::new();
    let mut read_per_stream = vec![0u64; streams.streams.len()];
    let mut pending: BTreeMap<Date, Day> = BTreeMap::new();
    let mut results: Vec<(Bucket, DayResult)> = Vec::new();
    let mut cursor = crate::explore::buckets::Cursor::new(&days);
    let mut checked = 0u32;

    let finish = |day: Day, categories: &Vec<String>| -> (Bucket, DayResult) {
        let mut r = DayResult {
            n: day.n,
            sum: day.sum,
            min: day.min,
            max: day.max,
            ..Default::default()
        };
        if def.kind == MetricKind::Instant {
            r.samples = day.n;
            return (day.bucket, r);
        }
        let mut pieces = day.pieces;
        let kept = resolve(&mut pieces, |c| {
            categories
                .get(c as usize)
                .map_or(0, |name| overlap_class(name))
        });
        for (p, k) in pieces.iter().zip(kept) {
            // p.v is the piece's value (categorical: its seconds); k what the rule kept.
            if k != 0.0 {
                r.samples += 1;
            }
            r.dedup += p.v - k;
            if def.kind == MetricKind::Categorical {
                *r.seconds.entry(p.cat).or_default() += k;
            } else {
                r.sum += k;
            }
            *r.by_stream.entry(p.stream).or_default() += k;
        }
        (day.bucket, r)
    };

    while let Some(row) = rows.next()? {
        checked += 1;
        if checked.is_multiple_of(65_536) && crate::interrupt::requested() {
            return Err(Error::Interrupted);
        }
        // By reference, without `Row::get`'s per-call checks (a few percent of the time).
        let Some(raw_start) = int_at(row, 0) else {
            continue;
        };
        let end = int_at(row, 1);
        let device = int_at(row, 4);
        let source = int_at(row, 5).unwrap_or_default();
        let stream = streams.of(device, source);
        if let Some(a) = &allowed
            && !a[stream]
        {
            continue;
        }
        // Everything before this row's start is complete: finish those days.
        while let Some(entry) = pending.first_entry() {
            if entry.get().bucket.end_ms <= raw_start {
                let day = entry.remove();
                results.push(finish(day, &categories));
            } else {
                break;
            }
        }
        let (mut s, mut e) = (raw_start, end.unwrap_or(raw_start).max(raw_start));
        // Day-level values (stored at 00:00 UTC with their date in attrs.day) belong to that
        // local date, whatever the zone.
        let mut day_level: Option<Date> = None;
        let candidate =
            raw_start % 86_400_000 == 0 && end.is_none_or(|e| e - raw_start == 86_400_000);
        if candidate
            && let Some(text) = rusqlite::OptionalExtension::optional(
                day_of.query_row([row.get::<_, i64>(6)?], |r| r.get::<_, Option<String>>(0)),
            )?
            .flatten()
            && let Ok(d) = text.parse::<Date>()
        {
            day_level = Some(d);
            let b = days.bucket_at(d);
            if interval {
                s = b.start_ms;
                e = b.end_ms;
            }
        }
        if !interval {
            if s < clip_lo || s >= clip_hi {
                continue;
            }
            let Some(v) = real_at(row, 2) else {
                continue;
            };
            read_per_stream[stream] += 1;
            let day = match day_level {
                Some(d) => {
                    let b = days.bucket_at(d);
                    pending.entry(b.first).or_insert_with(|| Day::new(b))
                }
                None => {
                    // The bucket is cloned only when a new day starts, not per row.
                    let b = cursor.bucket(s);
                    pending
                        .entry(b.first)
                        .or_insert_with(|| Day::new(b.clone()))
                }
            };
            day.n += 1;
            day.sum += v;
            day.min = day.min.min(v);
            day.max = day.max.max(v);
            continue;
        }
        s = s.max(clip_lo);
        e = e.min(clip_hi);
        let point = end.is_none() || end == Some(raw_start);
        if e < s || (e == s && !point) || s >= clip_hi {
            continue;
        }
        let (value, cat) = if def.kind == MetricKind::Categorical {
            let name = match row.get_ref(3)? {
                ValueRef::Text(t) => std::str::from_utf8(t).unwrap_or("?"),
                _ => continue,
            };
            let c = match cat_index.get(name) {
                Some(&c) => c,
                None => {
                    categories.push(name.to_string());
                    let c = (categories.len() - 1) as u32;
                    cat_index.insert(name.to_string(), c);
                    c
                }
            };
            (0.0, c)
        } else {
            match real_at(row, 2) {
                Some(v) => (v, 0),
                None => continue,
            }
        };
        read_per_stream[stream] += 1;
        let full = (end.unwrap_or(raw_start) - raw_start).max(0) as f64;
        let whole = if day_level.is_some() {
            (e - s) as f64
        } else {
            full
        };
        // Split across days; each part gets its share of the value.
        let mut t = s;
        loop {
            let bucket = cursor.bucket(t);
            let part_end = e.min(bucket.end_ms);
            let share = if e > s && whole > 0.0 {
                value * (part_end - t) as f64 / whole
            } else {
                value
            };
            let piece = Piece {
                s: t,
                e: part_end,
                // Categorical pieces carry their duration as the value, so the same rule
                // prorates both.
                v: if def.kind == MetricKind::Categorical {
                    ((part_end - t) as f64 / 1000.0).max(0.0)
                } else {
                    share
                },
                rank: ranks[stream],
                stream: stream as u32,
                cat,
            };
            let day = pending
                .entry(bucket.first)
                .or_insert_with(|| Day::new(bucket.clone()));
            day.pieces.push(piece);
            if part_end >= e {
                break;
            }
            t = part_end;
        }
    }
    while let Some((_, day)) = pending.pop_first() {
        results.push(finish(day, &categories));
    }
    results.sort_by_key(|(b, _)| b.start_ms);

    // ---- roll up to the requested granularity and fill gaps ------------------------------
    let roll = Bucketing::new(zone.clone(), granularity, evening);
    let mut merged: Vec<(Bucket, DayResult)> = Vec::new();
    for (b, r) in results {
        let target = roll.bucket_at(b.first);
        match merged.last_mut() {
            Some((tb, acc)) if tb.first == target.first => {
                acc.samples += r.samples;
                acc.sum += r.sum;
                acc.dedup += r.dedup;
                acc.n += r.n;
                acc.min = acc.min.min(r.min);
                acc.max = acc.max.max(r.max);
                for (k, v) in r.by_stream {
                    *acc.by_stream.entry(k).or_default() += v;
                }
                for (k, v) in r.seconds {
                    *acc.seconds.entry(k).or_default() += v;
                }
            }
            _ => merged.push((target, r)),
        }
    }
    let first = since_ms
        .map(|s| roll.bucket_of(s))
        .or_else(|| merged.first().map(|(b, _)| b.clone()));
    let last = until_ms
        .map(|u| roll.bucket_of(u - 1))
        .or_else(|| merged.last().map(|(b, _)| b.clone()));
    let mut filled: Vec<(Bucket, Option<DayResult>)> = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let mut data = merged.into_iter().peekable();
        let mut b = first;
        while b.start_ms <= last.start_ms && filled.len() < MAX_FILL {
            while data.peek().is_some_and(|(db, _)| db.start_ms < b.start_ms) {
                let (db, r) = data.next().expect("peeked");
                filled.push((db, Some(r)));
            }
            if data.peek().is_some_and(|(db, _)| db.first == b.first) {
                let (db, r) = data.next().expect("peeked");
                filled.push((db, Some(r)));
            } else {
                filled.push((b.clone(), None));
            }
            b = roll.next(&b);
        }
        filled.extend(data.map(|(b, r)| (b, Some(r))));
    }

    // ---- output ----------------------------------------------------------------------------
    let multi = read_per_stream.iter().filter(|&&n| n > 0).count() > 1;
    let label = |i: u32| streams.label(i as usize);
    let mut total = Total::default();
    let mut t_sum = 0.0;
    let mut t_dedup = 0.0;
    let mut t_n = 0u64;
    let mut t_min = f64::INFINITY;
    let mut t_max = f64::NEG_INFINITY;
    let mut t_seconds: BTreeMap<String, f64> = BTreeMap::new();
    let mut t_asleep = 0.0;
    let mut buckets = Vec::with_capacity(filled.len());
    for (b, r) in filled {
        let mut out = BucketOut {
            label: b.label.clone(),
            start: rfc3339_ms(b.start_ms),
            end: rfc3339_ms(b.end_ms),
            hours: round6(b.hours()),
            start_ms: b.start_ms,
            end_ms: b.end_ms,
            ..Default::default()
        };
        if let Some(r) = r.filter(|r| r.samples > 0 || r.n > 0 || r.dedup > 0.0) {
            total.buckets += 1;
            out.samples = r.samples;
            total.samples += r.samples;
            match def.kind {
                MetricKind::Cumulative => {
                    out.sum = Some(round6(r.sum));
                    out.deduplicated = Some(round6(r.dedup));
                    t_sum += r.sum;
                    t_dedup += r.dedup;
                    if multi {
                        out.by_device = Some(
                            r.by_stream
                                .iter()
                                .map(|(&k, &v)| (label(k), round6(v)))
                                .collect(),
                        );
                    }
                }
                MetricKind::Instant => {
                    out.mean = Some(round6(r.sum / r.n as f64));
                    out.min = Some(r.min);
                    out.max = Some(r.max);
                    t_sum += r.sum;
                    t_n += r.n;
                    t_min = t_min.min(r.min);
                    t_max = t_max.max(r.max);
                }
                MetricKind::Categorical => {
                    let mut secs = BTreeMap::new();
                    let mut asleep = 0.0;
                    for (c, s) in &r.seconds {
                        let name = categories[*c as usize].clone();
                        if is_asleep(&name) {
                            asleep += s;
                        }
                        *t_seconds.entry(name.clone()).or_default() += s;
                        secs.insert(name, round6(*s));
                    }
                    out.seconds = Some(secs);
                    if def.name == "sleep_stage" {
                        out.asleep_s = Some(round6(asleep));
                        t_asleep += asleep;
                    }
                    out.deduplicated = Some(round6(r.dedup));
                    t_dedup += r.dedup;
                }
            }
        }
        buckets.push(out);
    }
    match def.kind {
        MetricKind::Cumulative => {
            total.sum = Some(round6(t_sum));
            total.deduplicated = Some(round6(t_dedup));
            total.mean = (total.buckets > 0).then(|| round6(t_sum / total.buckets as f64));
        }
        MetricKind::Instant => {
            total.samples = t_n;
            if t_n > 0 {
                total.mean = Some(round6(t_sum / t_n as f64));
                total.min = Some(t_min);
                total.max = Some(t_max);
            }
        }
        MetricKind::Categorical => {
            total.seconds = Some(t_seconds.into_iter().map(|(k, v)| (k, round6(v))).collect());
            total.deduplicated = Some(round6(t_dedup));
            if def.name == "sleep_stage" && total.buckets > 0 {
                total.mean_asleep_s = Some(round6(t_asleep / total.buckets as f64));
            }
        }
    }
    let mut devices: Vec<DeviceUse> = streams
        .streams
        .iter()
        .enumerate()
        .filter(|(i, _)| read_per_stream[*i] > 0)
        .map(|(i, s)| DeviceUse {
            rank: s.rank,
            name: streams.label(i),
            source: s.source.clone(),
            reason: s.reason,
            priority: s.priority,
            samples: read_per_stream[i],
        })
        .collect();
    devices.sort_by_key(|d| d.rank);
    Ok(Stats {
        version: JSON_VERSION,
        aggregate: match def.kind {
            MetricKind::Cumulative => "sum",
            MetricKind::Instant => "mean",
            MetricKind::Categorical => "duration",
        },
        metric: def.name,
        unit: def.unit,
        kind: def.kind,
        granularity,
        timezone: zone.name.clone(),
        day_starts: if evening == 0 {
            "00:00"
        } else {
            "18:00 the evening before"
        },
        since: since_ms.map(rfc3339_ms),
        until: until_ms.map(rfc3339_ms),
        devices,
        buckets,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: i64, e: i64, v: f64, rank: u32) -> Piece {
        Piece {
            s,
            e,
            v,
            rank,
            stream: rank,
            cat: 0,
        }
    }

    #[test]
    fn higher_rank_covers_lower() {
        // Watch 0-10 (100), phone 0-20 (200): the phone keeps 10-20 → 100.
        let mut pieces = vec![p(0, 20, 200.0, 1), p(0, 10, 100.0, 0)];
        let kept = resolve(&mut pieces, |_| 0);
        assert_eq!(kept, vec![100.0, 100.0]);
    }

    #[test]
    fn gaps_in_the_winner_let_the_other_count() {
        let mut pieces = vec![
            p(0, 10, 10.0, 0),
            p(20, 30, 10.0, 0),
            p(0, 40, 40.0, 1),
            p(35, 35, 5.0, 1),
            p(25, 25, 7.0, 1),
        ];
        let kept = resolve(&mut pieces, |_| 0);
        let total: f64 = kept.iter().sum();
        // 10 + 10 + phone's uncovered 20 of 40 (=20) + the point at 35 (5); 25 is covered.
        assert_eq!(total, 45.0);
    }

    #[test]
    fn same_rank_never_covers_itself() {
        let mut pieces = vec![p(0, 10, 10.0, 0), p(5, 15, 10.0, 0)];
        let kept = resolve(&mut pieces, |_| 0);
        assert_eq!(kept, vec![10.0, 10.0]);
    }

    #[test]
    fn uncovered_lengths() {
        let cov = merge(vec![(10, 20), (15, 30), (40, 50)]);
        assert_eq!(cov, vec![(10, 30), (40, 50)]);
        assert_eq!(uncovered(0, 60, &cov), 30);
        assert_eq!(uncovered(25, 45, &cov), 10);
        assert_eq!(uncovered(30, 40, &cov), 10);
        assert!(inside(10, &cov));
        assert!(!inside(30, &cov));
    }
}
