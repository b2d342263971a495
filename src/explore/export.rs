//! `trove export`: a selection of the vault as CSV or JSON lines, in plaintext.
//!
//! This is the one command that takes data out of the encryption without a recipient, so it
//! is careful about where it goes: it warns, it never writes to a terminal unless `-o -` asks
//! for it, files are created owner-only (0600) and appear atomically, and every export is
//! recorded in the audit ledger (kind `export`, through `contribute::ledger`: where to, which selection, how many records,
//! the SHA-256 of the bytes and a digest of the exact row ids), including one cut short by a
//! closed pipe.
//!
//! Rows stream in index order (one metric or kind at a time), so memory holds only the list of
//! exported row ids (8 bytes a row) for the ledger's digest.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use rusqlite::Connection;
use rusqlite::types::{Value as SqlValue, ValueRef};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::explore::select::Selection;
use crate::output::rfc3339_ms;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per line, with a "record" field: sample, event or track_point
    Jsonl,
    /// One CSV file; a "record" column says which kind of row each line is
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// The CSV columns (a union over the three kinds of record; empty where not applicable).
pub const CSV_COLUMNS: &[&str] = &[
    "record",
    "id",
    "metric",
    "kind",
    "start",
    "end",
    "tz_offset_min",
    "value",
    "unit",
    "category",
    "title",
    "body",
    "device",
    "source",
    "account",
    "parent_id",
    "lat",
    "lon",
    "alt_m",
    "speed_mps",
    "attrs",
];

/// What an export options.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// Track points of the selected events (location: the most sensitive data).
    pub track_points: bool,
    /// Events their importer marked sensitive (profile, clinical records, ECGs).
    pub include_sensitive: bool,
}

/// What was written.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub records: u64,
    pub samples: u64,
    pub events: u64,
    pub track_points: u64,
    pub bytes: u64,
    pub sha256: String,
    pub rows_sha256: String,
    /// Sensitive events left out.
    pub sensitive_skipped: u64,
    pub complete: bool,
}

/// Hashes and counts what passes to the real writer.
struct Counting<'a> {
    inner: &'a mut dyn Write,
    sha: Sha256,
    bytes: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

struct Names {
    devices: HashMap<i64, String>,
    sources: HashMap<i64, (String, String)>,
    units: HashMap<String, String>,
}

impl Names {
    fn load(conn: &Connection) -> Result<Names> {
        let mut devices = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, name FROM devices")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            devices.insert(r.get(0)?, r.get(1)?);
        }
        let mut sources = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, importer, account FROM sources")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            sources.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
        let mut units: HashMap<String, String> = crate::catalog::METRICS
            .iter()
            .map(|m| (m.name.to_string(), m.unit.to_string()))
            .collect();
        let mut stmt = conn.prepare("SELECT name, unit FROM metrics")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            units.entry(r.get(0)?).or_insert(r.get(1)?);
        }
        Ok(Names {
            devices,
            sources,
            units,
        })
    }
}

/// One record on its way out: ordered fields (JSON keys / CSV columns).
struct Rec(Map<String, Value>);

impl Rec {
    fn new(kind: &str) -> Rec {
        let mut m = Map::new();
        m.insert("record".into(), kind.into());
        Rec(m)
    }
    fn set(&mut self, k: &str, v: impl Into<Value>) {
        let v = v.into();
        if !v.is_null() {
            self.0.insert(k.into(), v);
        }
    }
}

fn opt_i(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::from)
}
fn opt_f(v: Option<f64>) -> Value {
    v.and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}
fn opt_s(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::from)
}
fn time(v: Option<i64>) -> Value {
    v.map_or(Value::Null, |ms| rfc3339_ms(ms).into())
}
fn attrs(v: Option<String>) -> Value {
    match v {
        None => Value::Null,
        Some(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
    }
}

enum Encoder<'a> {
    Jsonl(Counting<'a>),
    Csv(Box<csv::Writer<Counting<'a>>>, bool),
}

impl Encoder<'_> {
    fn write(&mut self, rec: Rec) -> std::io::Result<()> {
        match self {
            Encoder::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &Value::Object(rec.0))?;
                out.write_all(b"\n")
            }
            Encoder::Csv(w, header) => {
                if !*header {
                    *header = true;
                    w.write_record(CSV_COLUMNS).map_err(std::io::Error::other)?;
                }
                let row: Vec<String> = CSV_COLUMNS
                    .iter()
                    .map(|c| match rec.0.get(*c) {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                    })
                    .collect();
                w.write_record(&row).map_err(std::io::Error::other)
            }
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Encoder::Jsonl(out) => out.flush(),
            Encoder::Csv(w, header) => {
                if !*header {
                    *header = true;
                    w.write_record(CSV_COLUMNS).map_err(std::io::Error::other)?;
                }
                w.flush()
            }
        }
    }

    /// Bytes written and their SHA-256 (after a final flush).
    fn totals(&mut self) -> (u64, String) {
        let c = match self {
            Encoder::Jsonl(out) => {
                let _ = out.flush();
                &*out
            }
            Encoder::Csv(w, _) => {
                let _ = w.flush();
                w.get_ref()
            }
        };
        (c.bytes, hex::encode(c.sha.clone().finalize()))
    }
}

/// Streams the selection into `out`. On an error (a closed pipe, an interrupt) the summary of
/// what was written so far is returned with the error, so the ledger can record it.
pub fn write(
    conn: &Connection,
    sel: &Selection,
    opts: &Options,
    out: &mut dyn Write,
) -> (Summary, Option<Error>) {
    let mut summary = Summary::default();
    let mut ids: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
    let counting = Counting {
        inner: out,
        sha: Sha256::new(),
        bytes: 0,
    };
    let mut enc = match opts.format {
        Format::Jsonl => Encoder::Jsonl(counting),
        Format::Csv => Encoder::Csv(Box::new(csv::Writer::from_writer(counting)), false),
    };
    let result = (|| -> Result<()> {
        let names = Names::load(conn)?;
        let io = |e: std::io::Error| Error::io("writing the export", e);
        let mut n = 0u64;
        let mut tick = || -> Result<()> {
            n += 1;
            if n.is_multiple_of(65_536) && crate::interrupt::requested() {
                return Err(Error::Interrupted);
            }
            Ok(())
        };

        // ---- samples, one metric at a time, in index order ------------------------------
        let metrics: Vec<String> = if sel.all {
            crate::explore::views::present_metrics(conn)?
        } else {
            sel.metrics.clone()
        };
        for metric in &metrics {
            let mut params = vec![SqlValue::Text(metric.clone())];
            let window = sel.window("start_ms", &mut params);
            let mut stmt = conn.prepare(&format!(
                "SELECT id, start_ms, end_ms, tz_offset_min, value, category, device_id,
                        source_id, event_id, attrs
                 FROM sample_rows WHERE metric_id = (SELECT id FROM metric_names WHERE name = ?1){window}
                 ORDER BY start_ms, id"
            ))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let source: i64 = r.get(7)?;
                let (importer, account) = names.sources.get(&source).cloned().unwrap_or_default();
                let mut rec = Rec::new("sample");
                rec.set("id", id);
                rec.set("metric", metric.clone());
                rec.set("start", time(r.get(1)?));
                rec.set("end", time(r.get(2)?));
                rec.set("tz_offset_min", opt_i(r.get(3)?));
                rec.set("value", opt_f(r.get(4)?));
                if r.get_ref(4)? != ValueRef::Null {
                    rec.set("unit", opt_s(names.units.get(metric).cloned()));
                }
                rec.set("category", opt_s(r.get(5)?));
                let device: Option<i64> = r.get(6)?;
                rec.set(
                    "device",
                    opt_s(device.and_then(|d| names.devices.get(&d).cloned())),
                );
                rec.set("source", importer);
                if !account.is_empty() {
                    rec.set("account", account);
                }
                rec.set("parent_id", opt_i(r.get(8)?));
                rec.set("attrs", attrs(r.get(9)?));
                enc.write(rec).map_err(io)?;
                ids.entry("samples").or_default().push(id);
                summary.samples += 1;
                tick()?;
            }
        }

        // ---- events, one kind at a time --------------------------------------------------
        let kinds: Vec<String> = if sel.all {
            let mut stmt = conn.prepare("SELECT DISTINCT kind FROM events ORDER BY kind")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        } else {
            sel.kinds.clone()
        };
        let mut event_ids = Vec::new();
        for kind in &kinds {
            let mut params = vec![SqlValue::Text(kind.clone())];
            let window = sel.window("start_ms", &mut params);
            let mut stmt = conn.prepare(&format!(
                "SELECT id, start_ms, end_ms, tz_offset_min, title, body, attrs, original_id,
                        parent_id, sensitive, device_id, source_id
                 FROM events WHERE kind = ?1{window} ORDER BY start_ms, id"
            ))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = rows.next()? {
                if r.get::<_, i64>(9)? != 0 && !opts.include_sensitive {
                    summary.sensitive_skipped += 1;
                    continue;
                }
                let id: i64 = r.get(0)?;
                let source: i64 = r.get(11)?;
                let (importer, account) = names.sources.get(&source).cloned().unwrap_or_default();
                let mut rec = Rec::new("event");
                rec.set("id", id);
                rec.set("kind", kind.clone());
                rec.set("start", time(r.get(1)?));
                rec.set("end", time(r.get(2)?));
                rec.set("tz_offset_min", opt_i(r.get(3)?));
                rec.set("title", opt_s(r.get(4)?));
                rec.set("body", opt_s(r.get(5)?));
                rec.set("original_id", opt_s(r.get(7)?));
                rec.set("parent_id", opt_i(r.get(8)?));
                if r.get::<_, i64>(9)? != 0 {
                    rec.set("sensitive", true);
                }
                let device: Option<i64> = r.get(10)?;
                rec.set(
                    "device",
                    opt_s(device.and_then(|d| names.devices.get(&d).cloned())),
                );
                rec.set("source", importer);
                if !account.is_empty() {
                    rec.set("account", account);
                }
                rec.set("attrs", attrs(r.get(6)?));
                enc.write(rec).map_err(io)?;
                ids.entry("events").or_default().push(id);
                event_ids.push(id);
                summary.events += 1;
                tick()?;
            }
        }

        // ---- track points of the exported events (and of their routes) ------------------
        if opts.track_points && !event_ids.is_empty() {
            let mut stmt = conn.prepare(
                "SELECT t.id, t.event_id, t.t_ms, t.lat, t.lon, t.alt_m, t.speed_mps
                 FROM track_points t
                 WHERE t.event_id = ?1
                    OR t.event_id IN (SELECT id FROM events WHERE parent_id = ?1 AND kind = 'route')
                 ORDER BY t.event_id, t.seq",
            )?;
            for eid in &event_ids {
                let mut rows = stmt.query([eid])?;
                while let Some(r) = rows.next()? {
                    let id: i64 = r.get(0)?;
                    let mut rec = Rec::new("track_point");
                    rec.set("id", id);
                    rec.set("parent_id", r.get::<_, i64>(1)?);
                    rec.set("start", time(r.get(2)?));
                    rec.set("lat", opt_f(r.get(3)?));
                    rec.set("lon", opt_f(r.get(4)?));
                    rec.set("alt_m", opt_f(r.get(5)?));
                    rec.set("speed_mps", opt_f(r.get(6)?));
                    enc.write(rec).map_err(io)?;
                    ids.entry("track_points").or_default().push(id);
                    summary.track_points += 1;
                    tick()?;
                }
            }
        }
        enc.finish().map_err(io)?;
        Ok(())
    })();
    summary.records = summary.samples + summary.events + summary.track_points;
    (summary.bytes, summary.sha256) = enc.totals();
    let mut runs: Vec<(&str, i64, i64)> = Vec::new();
    for table in ["samples", "events", "track_points"] {
        if let Some(v) = ids.get_mut(table) {
            v.sort_unstable();
            for (a, b) in crate::contribute::ledger::ranges(v) {
                runs.push((table, a, b));
            }
        }
    }
    summary.rows_sha256 = hex::encode(crate::contribute::ledger::rows_digest(runs));
    summary.complete = result.is_ok();
    (summary, result.err())
}

/// The ledger entry body of an export.
#[derive(Debug, Serialize)]
pub struct LedgerBody<'a> {
    pub export_id: &'a str,
    pub created: String,
    pub destination: &'a str,
    pub format: Format,
    pub selection: &'a Selection,
    pub with_track_points: bool,
    pub include_sensitive: bool,
    #[serde(flatten)]
    pub summary: &'a Summary,
}

/// Records an export in the ledger (kind `export`, subject: the export id).
pub fn record(
    conn: &mut Connection,
    export_id: &str,
    destination: &str,
    sel: &Selection,
    opts: &Options,
    summary: &Summary,
) -> Result<i64> {
    let created_ms = crate::vault::now_ms();
    let body = LedgerBody {
        export_id,
        created: rfc3339_ms(created_ms),
        destination,
        format: opts.format,
        selection: sel,
        with_track_points: opts.track_points,
        include_sensitive: opts.include_sensitive,
        summary,
    };
    let body = serde_json::to_string(&body)
        .map_err(|e| Error::io("encoding the ledger entry", std::io::Error::other(e)))?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let (seq, _) = crate::contribute::ledger::append(
        &tx,
        crate::contribute::ledger::Kind::Export,
        export_id,
        &body,
        created_ms,
    )?;
    tx.commit()?;
    Ok(seq)
}
