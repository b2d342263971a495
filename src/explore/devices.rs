//! Devices as streams, and the priority that resolves overlapping streams.
//!
//! A watch and a phone both count steps; summing both doubles the day. The vault keeps every
//! sample with its device (never pre-summed) and resolves overlaps when reading:
//!
//! * A **stream** is one device *name* within one source (`apple-health`, "Alice's Apple
//!   Watch"). A watch that updates its software mid-day gets a new `devices` row (the software
//!   version is part of a device's identity) but stays one stream, so it never competes with
//!   itself. Samples without a device form one stream per source, named after the importer.
//! * Streams are **ranked**: first the names given with `--prefer-device` (in order), then
//!   streams with a stored priority (`trove device priority NAME N`, lower wins), then the
//!   rest, wearables (a name, model or hardware mentioning watch, ring, band, tracker) before
//!   phones and apps, then in the order the vault first saw them.
//! * [`crate::explore::stats`] uses the ranks (docs/EXPLORE.md, "Overlapping devices").

use std::collections::HashMap;

use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, Result};

#[derive(Clone, Debug, Serialize)]
pub struct Stream {
    /// 0-based rank: 0 wins over everything.
    pub rank: usize,
    pub name: String,
    pub source: String,
    /// The stored priority (lowest over the stream's device rows), if any.
    pub priority: Option<i64>,
    /// Why it has its rank: `preferred`, `priority`, `wearable` or `default`.
    pub reason: &'static str,
    #[serde(skip)]
    pub source_id: i64,
    #[serde(skip)]
    first_id: i64,
    #[serde(skip)]
    wearable: bool,
}

impl Stream {
    /// "Alice's Apple Watch" or, when two sources have a device of that name,
    /// "Alice's Apple Watch (apple-health)".
    pub fn label(&self, ambiguous: bool) -> String {
        if ambiguous {
            format!("{} ({})", self.name, self.source)
        } else {
            self.name.clone()
        }
    }
}

/// All streams of the vault with their ranks, and which stream each device row belongs to.
pub struct Streams {
    pub streams: Vec<Stream>,
    // Looked up once per sample read by `stats`: a fast non-keyed hash (ids are ours).
    by_device: FxHashMap<i64, usize>,
    by_source: FxHashMap<i64, usize>,
}

const WEARABLE_WORDS: [&str; 6] = ["watch", "ring", "band", "tracker", "oura", "whoop"];

fn is_wearable(texts: &[&str]) -> bool {
    texts.iter().any(|t| {
        let t = t.to_lowercase();
        WEARABLE_WORDS.iter().any(|w| t.contains(w))
    })
}

impl Streams {
    /// Loads devices and sources; `prefer` names streams that go first, in that order.
    pub fn load(conn: &Connection, prefer: &[String]) -> Result<Streams> {
        let mut streams: Vec<Stream> = Vec::new();
        let mut key_index: HashMap<(i64, String), usize> = HashMap::new();
        let mut by_device = FxHashMap::default();
        let mut stmt = conn.prepare(
            "SELECT d.id, d.source_id, d.name, coalesce(d.model, ''), coalesce(d.hardware, ''),
                    d.priority, s.importer
             FROM devices d JOIN sources s ON s.id = d.source_id ORDER BY d.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let source_id: i64 = r.get(1)?;
            let name: String = r.get(2)?;
            let model: String = r.get(3)?;
            let hardware: String = r.get(4)?;
            let priority: Option<i64> = r.get(5)?;
            let importer: String = r.get(6)?;
            let wearable = is_wearable(&[&name, &model, &hardware]);
            let idx = *key_index
                .entry((source_id, name.clone()))
                .or_insert_with(|| {
                    streams.push(Stream {
                        rank: 0,
                        name: name.clone(),
                        source: importer.clone(),
                        priority: None,
                        reason: "default",
                        source_id,
                        first_id: id,
                        wearable: false,
                    });
                    streams.len() - 1
                });
            let s = &mut streams[idx];
            s.wearable |= wearable;
            if let Some(p) = priority {
                s.priority = Some(s.priority.map_or(p, |q| q.min(p)));
            }
            by_device.insert(id, idx);
        }
        // Samples without a device: one stream per source.
        let mut by_source = FxHashMap::default();
        let mut stmt = conn.prepare("SELECT id, importer FROM sources ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let importer: String = r.get(1)?;
            streams.push(Stream {
                rank: 0,
                name: importer.clone(),
                source: importer,
                priority: None,
                reason: "default",
                source_id: id,
                // After every real device of any source.
                first_id: i64::MAX - 1_000_000 + id,
                wearable: false,
            });
            by_source.insert(id, streams.len() - 1);
        }

        for p in prefer {
            if !streams.iter().any(|s| s.name.eq_ignore_ascii_case(p)) {
                return Err(no_such_device(p, &streams));
            }
        }
        let prefer_pos = |s: &Stream| prefer.iter().position(|p| s.name.eq_ignore_ascii_case(p));
        let mut order: Vec<usize> = (0..streams.len()).collect();
        order.sort_by_key(|&i| {
            let s = &streams[i];
            match (prefer_pos(s), s.priority) {
                (Some(pos), _) => (0, pos as i64, 0, s.first_id),
                (None, Some(p)) => (1, p, 0, s.first_id),
                (None, None) => (2, 0, if s.wearable { 0 } else { 1 }, s.first_id),
            }
        });
        for (rank, &i) in order.iter().enumerate() {
            let s = &mut streams[i];
            s.rank = rank;
            s.reason = if prefer_pos(s).is_some() {
                "preferred"
            } else if s.priority.is_some() {
                "priority"
            } else if s.wearable {
                "wearable"
            } else {
                "default"
            };
        }
        Ok(Streams {
            streams,
            by_device,
            by_source,
        })
    }

    /// The stream index of a sample.
    pub fn of(&self, device_id: Option<i64>, source_id: i64) -> usize {
        device_id
            .and_then(|d| self.by_device.get(&d).copied())
            .or_else(|| self.by_source.get(&source_id).copied())
            .unwrap_or(0)
    }

    /// Stream indices whose name matches one of `names` (case-insensitive); an unknown name is
    /// an error listing the known ones.
    pub fn matching(&self, names: &[String]) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        for n in names {
            let found: Vec<usize> = (0..self.streams.len())
                .filter(|&i| self.streams[i].name.eq_ignore_ascii_case(n))
                .collect();
            if found.is_empty() {
                return Err(no_such_device(n, &self.streams));
            }
            out.extend(found);
        }
        Ok(out)
    }

    /// Whether a stream's name is shared by streams of other sources.
    pub fn ambiguous(&self, i: usize) -> bool {
        let name = &self.streams[i].name;
        self.streams.iter().filter(|s| &s.name == name).count() > 1
    }

    pub fn label(&self, i: usize) -> String {
        self.streams[i].label(self.ambiguous(i))
    }
}

fn no_such_device(name: &str, streams: &[Stream]) -> Error {
    let mut names: Vec<&str> = streams.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    Error::Usage {
        message: format!("no device named {name:?} in the vault"),
        hint: Some(if names.is_empty() {
            "the vault has no devices yet; import some data first".into()
        } else {
            format!(
                "devices: {} (`trove device list` shows them with counts)",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    }
}

/// One row of `trove device list`.
#[derive(Debug, Serialize)]
pub struct DeviceRow {
    pub rank: usize,
    pub name: String,
    pub source: String,
    pub priority: Option<i64>,
    pub reason: &'static str,
    pub models: Vec<String>,
    pub samples: i64,
    pub events: i64,
}

/// Every stream with its sample and event counts, in rank order.
pub fn list(conn: &Connection) -> Result<Vec<DeviceRow>> {
    let streams = Streams::load(conn, &[])?;
    let mut samples = vec![0i64; streams.streams.len()];
    let mut events = vec![0i64; streams.streams.len()];
    let mut models: Vec<Vec<String>> = vec![Vec::new(); streams.streams.len()];
    // `samples` is a view (schema v5): its rows are counted in `sample_rows`.
    for (table, counts) in [("sample_rows", &mut samples), ("events", &mut events)] {
        let mut stmt = conn.prepare(&format!(
            "SELECT device_id, source_id, count(*) FROM {table} GROUP BY device_id, source_id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let i = streams.of(r.get(0)?, r.get(1)?);
            counts[i] += r.get::<_, i64>(2)?;
        }
    }
    let mut stmt = conn.prepare(
        "SELECT id, source_id, trim(coalesce(manufacturer, '') || ' ' || coalesce(model, '') || ' ' || coalesce(hardware, ''))
         FROM devices ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let i = streams.of(Some(r.get(0)?), r.get(1)?);
        let m: String = r.get(2)?;
        if !m.is_empty() && !models[i].contains(&m) {
            models[i].push(m);
        }
    }
    let mut out: Vec<DeviceRow> = streams
        .streams
        .iter()
        .enumerate()
        .filter(|(i, _)| samples[*i] + events[*i] > 0 || streams.by_source.values().all(|v| v != i))
        .map(|(i, s)| DeviceRow {
            rank: s.rank,
            name: s.name.clone(),
            source: s.source.clone(),
            priority: s.priority,
            reason: s.reason,
            models: std::mem::take(&mut models[i]),
            samples: samples[i],
            events: events[i],
        })
        .collect();
    out.sort_by_key(|r| r.rank);
    Ok(out)
}

/// Stores (or clears) the priority of every device row named `name` (case-insensitive),
/// optionally only in one source. Returns how many device rows changed.
pub fn set_priority(
    conn: &Connection,
    name: &str,
    source: Option<&str>,
    priority: Option<i64>,
) -> Result<usize> {
    let streams = Streams::load(conn, &[])?;
    let known = streams
        .streams
        .iter()
        .any(|s| s.name.eq_ignore_ascii_case(name) && source.is_none_or(|src| s.source == src));
    if !known {
        return Err(no_such_device(name, &streams.streams));
    }
    let n = conn.execute(
        "UPDATE devices SET priority = ?1
         WHERE name = ?2 COLLATE NOCASE
           AND (?3 IS NULL OR source_id IN (SELECT id FROM sources WHERE importer = ?3))",
        (priority, name, source),
    )?;
    Ok(n)
}
