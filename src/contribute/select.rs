//! The pipeline: stream the selected rows out of the vault, redact them, encode them, and hand
//! the bytes to a [`Sink`] (the package writer, or nothing for a preview), while collecting
//! everything the manifest, the ledger and the privacy report need.
//!
//! Rows are read one metric (or kind) at a time in index order, so SQLite never sorts and
//! memory stays flat: what grows with the selection is only the list of included row ids
//! (8 bytes a row, for the ledger) and the set of covered days.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::contribute::dao::Dao;
use crate::contribute::plan::{IdentifierMode, LocationMode, Plan, Redactions, TextMode};
use crate::contribute::records::{self, Cell, Table};
use crate::contribute::redact::{self, AttrStats, Pseudonymizer};
use crate::error::Result;
use crate::pii::{self, Hits};

/// Where encoded data files go.
pub trait Sink {
    fn begin(&mut self, path: &str) -> Result<()>;
    fn write(&mut self, bytes: &[u8]) -> Result<()>;
    fn end(&mut self) -> Result<()>;
}

/// Discards the bytes (the preview still encodes everything, so its sizes are exact).
pub struct NullSink;

impl Sink for NullSink {
    fn begin(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
    fn write(&mut self, _: &[u8]) -> Result<()> {
        Ok(())
    }
    fn end(&mut self) -> Result<()> {
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct FileSummary {
    pub table: Table,
    pub path: String,
    pub fields: Vec<&'static str>,
    pub records: u64,
    pub bytes: u64,
    pub sha256: [u8; 32],
    pub min_ms: Option<i64>,
    pub max_ms: Option<i64>,
}

/// Everything learned while streaming.
#[derive(Default)]
pub struct Collected {
    pub files: Vec<FileSummary>,
    /// Included row ids per table, sorted.
    pub rows: BTreeMap<Table, Vec<i64>>,
    pub per_metric: BTreeMap<String, u64>,
    pub per_kind: BTreeMap<String, u64>,
    pub covered_days: u64,
    /// PII found in free text and attrs strings: replaced, unless text is kept.
    pub pii: Hits,
    pub attrs: AttrStats,
    /// Events whose title or body is in the package.
    pub text_events: u64,
    pub sensitive_skipped: u64,
    pub devices: u64,
    pub accounts: u64,
    pub examples: BTreeMap<Table, Vec<Value>>,
    pub import_runs: BTreeSet<i64>,
}

impl Collected {
    pub fn records(&self) -> u64 {
        self.files.iter().map(|f| f.records).sum()
    }
    pub fn time_range(&self) -> (Option<i64>, Option<i64>) {
        let min = self.files.iter().filter_map(|f| f.min_ms).min();
        let max = self.files.iter().filter_map(|f| f.max_ms).max();
        (min, max)
    }
}

/// Importer id and version of the import runs that produced the included rows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImporterVersion {
    pub id: String,
    pub version: String,
}

pub fn importer_versions(conn: &Connection, runs: &BTreeSet<i64>) -> Result<Vec<ImporterVersion>> {
    let mut stmt =
        conn.prepare("SELECT importer, importer_version FROM import_runs WHERE id = ?1")?;
    let mut set = BTreeSet::new();
    for id in runs {
        let v = stmt.query_row([id], |r| {
            Ok(ImporterVersion {
                id: r.get(0)?,
                version: r.get(1)?,
            })
        })?;
        set.insert(v);
    }
    Ok(set.into_iter().collect())
}

struct Device {
    importer: String,
    identity: String,
    name: String,
    model: Option<Rc<str>>,
}

struct Source {
    importer: Rc<str>,
    account: String,
}

/// One data file being written.
struct FileState {
    table: Table,
    path: String,
    fields: Vec<&'static str>,
    encoder: records::Encoder,
    buf: Vec<u8>,
    sha: Sha256,
    bytes: u64,
    records: u64,
    min_ms: Option<i64>,
    max_ms: Option<i64>,
    started: bool,
}

const FLUSH_AT: usize = 256 * 1024;

struct Run<'a> {
    conn: &'a Connection,
    plan: &'a Plan,
    red: Redactions,
    pseudo: Pseudonymizer<'a>,
    devices: HashMap<i64, Device>,
    sources: HashMap<i64, Source>,
    device_labels: HashMap<i64, Option<Rc<str>>>,
    account_labels: HashMap<i64, Option<Rc<str>>>,
    used_devices: HashSet<i64>,
    used_sources: HashSet<i64>,
    days: HashSet<i64>,
    out: Collected,
    examples: usize,
    cells: Vec<Cell>,
}

/// Streams the plan's rows through the redactions into `sink`.
pub fn run(
    conn: &Connection,
    dao: &Dao,
    plan: &Plan,
    sink: &mut dyn Sink,
    examples: usize,
) -> Result<Collected> {
    let mut devices = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT d.id, s.importer, d.identity, d.name, d.manufacturer, d.model
             FROM devices d JOIN sources s ON s.id = d.source_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let manufacturer: Option<String> = r.get(4)?;
            let model: Option<String> = r.get(5)?;
            let model = [manufacturer, model]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            devices.insert(
                r.get::<_, i64>(0)?,
                Device {
                    importer: r.get(1)?,
                    identity: r.get(2)?,
                    name: r.get(3)?,
                    model: (!model.is_empty()).then(|| Rc::from(model)),
                },
            );
        }
    }
    let mut sources = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT id, importer, account FROM sources")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            sources.insert(
                r.get::<_, i64>(0)?,
                Source {
                    importer: Rc::from(r.get::<_, String>(1)?),
                    account: r.get(2)?,
                },
            );
        }
    }
    let mut run = Run {
        conn,
        plan,
        red: plan.redactions,
        pseudo: Pseudonymizer::new(&dao.pseudonym_key),
        devices,
        sources,
        device_labels: HashMap::new(),
        account_labels: HashMap::new(),
        used_devices: HashSet::new(),
        used_sources: HashSet::new(),
        days: HashSet::new(),
        out: Collected::default(),
        examples,
        cells: Vec::with_capacity(16),
    };
    if !plan.selection.metrics.is_empty() {
        run.samples(sink)?;
    }
    let mut event_refs = Vec::new();
    if !plan.selection.kinds.is_empty() {
        event_refs = run.events(sink)?;
    }
    if run.red.location == LocationMode::Include && !event_refs.is_empty() {
        run.track_points(sink, &event_refs)?;
    }
    run.out.covered_days = run.days.len() as u64;
    run.out.devices = run.used_devices.len() as u64;
    run.out.accounts = run
        .used_sources
        .iter()
        .filter(|s| run.sources.get(s).is_some_and(|s| !s.account.is_empty()))
        .count() as u64;
    for ids in run.out.rows.values_mut() {
        ids.sort_unstable();
    }
    Ok(run.out)
}

/// `WHERE` conditions shared by samples and events: the time window and the sources.
fn window(plan: &Plan, time_col: &str, params: &mut Vec<SqlValue>) -> String {
    let mut sql = String::new();
    let sel = &plan.selection;
    if let Some(s) = sel.since_ms {
        params.push(SqlValue::Integer(s));
        sql.push_str(&format!(" AND {time_col} >= ?{}", params.len()));
    }
    if let Some(u) = sel.until_ms {
        params.push(SqlValue::Integer(u));
        sql.push_str(&format!(" AND {time_col} < ?{}", params.len()));
    }
    if !sel.sources.is_empty() {
        params.push(SqlValue::Text(
            serde_json::to_string(&sel.sources).unwrap_or_default(),
        ));
        sql.push_str(&format!(
            " AND source_id IN (SELECT id FROM sources WHERE importer IN (SELECT value FROM json_each(?{})))",
            params.len()
        ));
    }
    sql
}

impl<'a> Run<'a> {
    fn begin(&self, table: Table) -> FileState {
        let fields = table.fields(&self.red);
        FileState {
            table,
            path: table.path(self.plan.format),
            encoder: records::Encoder::new(self.plan.format, &fields),
            fields,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            sha: Sha256::new(),
            bytes: 0,
            records: 0,
            min_ms: None,
            max_ms: None,
            started: false,
        }
    }

    /// Writes the current `self.cells` as one record of `file`.
    fn emit(
        &mut self,
        sink: &mut dyn Sink,
        file: &mut FileState,
        id: i64,
        time_ms: Option<i64>,
    ) -> Result<()> {
        if !file.started {
            sink.begin(&file.path)?;
            file.started = true;
            if self.plan.format == crate::contribute::plan::Format::Csv {
                records::write_header(&mut file.buf, &file.fields);
            }
        }
        file.encoder.encode(&mut file.buf, &self.cells);
        file.records += 1;
        if let Some(t) = time_ms {
            file.min_ms = Some(file.min_ms.map_or(t, |m| m.min(t)));
            file.max_ms = Some(file.max_ms.map_or(t, |m| m.max(t)));
            if file.table != Table::TrackPoints {
                self.days.insert(t.div_euclid(86_400_000));
            }
        }
        self.out.rows.entry(file.table).or_default().push(id);
        if self.examples > 0 {
            let examples = self.out.examples.entry(file.table).or_default();
            if examples.len() < self.examples {
                examples.push(records::to_object(&file.fields, &self.cells));
            }
        }
        if file.buf.len() >= FLUSH_AT {
            self.flush(sink, file)?;
        }
        Ok(())
    }

    fn flush(&mut self, sink: &mut dyn Sink, file: &mut FileState) -> Result<()> {
        // Ctrl-C unwinds from here: the package's temp file is removed, nothing is recorded.
        if crate::interrupt::requested() {
            return Err(crate::error::Error::Interrupted);
        }
        if !file.buf.is_empty() {
            file.sha.update(&file.buf);
            file.bytes += file.buf.len() as u64;
            sink.write(&file.buf)?;
            file.buf.clear();
        }
        Ok(())
    }

    fn finish(&mut self, sink: &mut dyn Sink, mut file: FileState) -> Result<()> {
        if !file.started {
            return Ok(());
        }
        self.flush(sink, &mut file)?;
        sink.end()?;
        self.out.files.push(FileSummary {
            table: file.table,
            path: file.path,
            fields: file.fields,
            records: file.records,
            bytes: file.bytes,
            sha256: file.sha.finalize().into(),
            min_ms: file.min_ms,
            max_ms: file.max_ms,
        });
        Ok(())
    }

    fn time(&self, ms: i64) -> (i64, Cell) {
        let t = redact::floor_time(ms, self.red.time_precision.unit_ms());
        (t, Cell::Str(records::fmt_time(t)))
    }

    fn opt_time(&self, ms: Option<i64>) -> Cell {
        ms.map_or(Cell::Null, |ms| self.time(ms).1)
    }

    /// The `account` and `device` cells (only when identifiers are not omitted) and the
    /// `device_model` cell.
    fn identity_cells(&mut self, source_id: i64, device_id: Option<i64>) -> (Cell, Cell, Cell) {
        self.used_sources.insert(source_id);
        if let Some(d) = device_id {
            self.used_devices.insert(d);
        }
        let model = Cell::opt_shared(
            device_id
                .and_then(|d| self.devices.get(&d))
                .and_then(|d| d.model.as_ref()),
        );
        if self.red.identifiers == IdentifierMode::Omit {
            return (Cell::Null, Cell::Null, model);
        }
        let account = match self.account_labels.get(&source_id) {
            Some(label) => label.clone(),
            None => {
                let label = self.sources.get(&source_id).and_then(|s| {
                    if s.account.is_empty() {
                        None
                    } else if self.red.identifiers == IdentifierMode::Raw {
                        Some(Rc::from(s.account.as_str()))
                    } else {
                        Some(Rc::from(self.pseudo.pseudonym(
                            "account",
                            &format!("{}\0{}", s.importer, s.account),
                        )))
                    }
                });
                self.account_labels.insert(source_id, label.clone());
                label
            }
        };
        let device = match device_id {
            None => None,
            Some(d) => match self.device_labels.get(&d) {
                Some(label) => label.clone(),
                None => {
                    let label = self.devices.get(&d).map(|dev| {
                        if self.red.identifiers == IdentifierMode::Raw {
                            Rc::from(dev.name.as_str())
                        } else {
                            Rc::from(self.pseudo.pseudonym(
                                "device",
                                &format!("{}\0{}", dev.importer, dev.identity),
                            ))
                        }
                    });
                    self.device_labels.insert(d, label.clone());
                    label
                }
            },
        };
        (
            Cell::opt_shared(account.as_ref()),
            Cell::opt_shared(device.as_ref()),
            model,
        )
    }

    fn attrs(&mut self, attrs: Option<&Value>) -> Cell {
        match attrs {
            None => Cell::Null,
            Some(v) => {
                match redact::clean_attrs(
                    v.clone(),
                    &self.red,
                    &mut self.out.pii,
                    &mut self.out.attrs,
                ) {
                    Some(v) => Cell::Json(v),
                    None => Cell::Null,
                }
            }
        }
    }

    fn samples(&mut self, sink: &mut dyn Sink) -> Result<()> {
        let mut file = self.begin(Table::Samples);
        let metrics = self.plan.selection.metrics.clone();
        for metric in &metrics {
            let metric_cell: Rc<str> = Rc::from(metric.as_str());
            let mut params = vec![SqlValue::Text(metric.clone())];
            let sql = format!(
                "SELECT id, start_ms, end_ms, tz_offset_min, value, category, source_id, device_id, attrs, import_run_id
                 FROM sample_rows WHERE metric_id = (SELECT id FROM metric_names WHERE name = ?1){}
                 ORDER BY start_ms, natural_key",
                window(self.plan, "start_ms", &mut params)
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut count = 0u64;
            let mut last_run = None;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let (start, start_cell) = self.time(r.get(1)?);
                let end = self.opt_time(r.get(2)?);
                let source_id: i64 = r.get(6)?;
                let device_id: Option<i64> = r.get(7)?;
                let attrs_text: Option<String> = r.get(8)?;
                let run_id: i64 = r.get(9)?;
                if last_run != Some(run_id) {
                    self.out.import_runs.insert(run_id);
                    last_run = Some(run_id);
                }
                let attrs_json = attrs_text.and_then(|t| serde_json::from_str::<Value>(&t).ok());
                let attrs = self.attrs(attrs_json.as_ref());
                let (account, device, model) = self.identity_cells(source_id, device_id);
                let importer: Rc<str> = self
                    .sources
                    .get(&source_id)
                    .map_or_else(|| Rc::from(""), |s| Rc::clone(&s.importer));
                let mut cells = std::mem::take(&mut self.cells);
                cells.clear();
                cells.push(Cell::Shared(Rc::clone(&metric_cell)));
                cells.push(start_cell);
                cells.push(end);
                cells.push(Cell::opt_int(r.get(3)?));
                cells.push(Cell::opt_num(r.get(4)?));
                cells.push(Cell::opt_str(r.get(5)?));
                cells.push(Cell::Shared(Rc::clone(&importer)));
                if self.red.identifiers != IdentifierMode::Omit {
                    cells.push(account);
                    cells.push(device);
                }
                cells.push(model);
                cells.push(attrs);
                self.cells = cells;
                self.emit(sink, &mut file, id, Some(start))?;
                count += 1;
            }
            if count > 0 {
                self.out.per_metric.insert(metric.clone(), count);
            }
        }
        self.finish(sink, file)
    }

    /// Returns (event row id, package ref) of every event written.
    fn events(&mut self, sink: &mut dyn Sink) -> Result<Vec<(i64, i64)>> {
        let mut file = self.begin(Table::Events);
        let kinds = self.plan.selection.kinds.clone();
        let mut refs = Vec::new();
        let mut next_ref = 1i64;
        for kind in &kinds {
            let kind_cell: Rc<str> = Rc::from(kind.as_str());
            let mut params = vec![SqlValue::Text(kind.clone())];
            let sql = format!(
                "SELECT id, start_ms, end_ms, tz_offset_min, title, body, attrs, original_id, sensitive,
                        source_id, device_id, import_run_id
                 FROM events WHERE kind = ?1{} ORDER BY start_ms, id",
                window(self.plan, "start_ms", &mut params)
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut count = 0u64;
            while let Some(r) = rows.next()? {
                let sensitive: i64 = r.get(8)?;
                if sensitive != 0 && self.red.sensitive_events == LocationMode::Omit {
                    self.out.sensitive_skipped += 1;
                    continue;
                }
                let id: i64 = r.get(0)?;
                let start_ms: Option<i64> = r.get(1)?;
                let (start, start_cell) = match start_ms {
                    Some(ms) => {
                        let (t, c) = self.time(ms);
                        (Some(t), c)
                    }
                    None => (None, Cell::Null),
                };
                let end = self.opt_time(r.get(2)?);
                let title: Option<String> = r.get(4)?;
                let body: Option<String> = r.get(5)?;
                let attrs_text: Option<String> = r.get(6)?;
                let original_id: Option<String> = r.get(7)?;
                let source_id: i64 = r.get(9)?;
                let device_id: Option<i64> = r.get(10)?;
                self.out.import_runs.insert(r.get(11)?);
                let attrs_json = attrs_text.and_then(|t| serde_json::from_str::<Value>(&t).ok());
                let (title, body) = match self.red.text {
                    TextMode::Drop => (None, None),
                    TextMode::Keep => {
                        for t in [&title, &body].into_iter().flatten() {
                            for s in pii::scan(t) {
                                self.out.pii.add(s.kind);
                            }
                        }
                        (title, body)
                    }
                    TextMode::Scrub => {
                        let scrub = |field: &str, text: Option<String>, hits: &mut Hits| {
                            text.map(|t| {
                                let markers = pii::markers_for(attrs_json.as_ref(), field, &t);
                                pii::scrub(&t, &markers, hits)
                            })
                        };
                        let title = scrub("title", title, &mut self.out.pii);
                        let body = scrub("body", body, &mut self.out.pii);
                        (title, body)
                    }
                };
                if title.is_some() || body.is_some() {
                    self.out.text_events += 1;
                }
                let attrs = self.attrs(attrs_json.as_ref());
                let (account, device, model) = self.identity_cells(source_id, device_id);
                let importer: Rc<str> = self
                    .sources
                    .get(&source_id)
                    .map_or_else(|| Rc::from(""), |s| Rc::clone(&s.importer));
                let original = match (self.red.identifiers, original_id) {
                    (IdentifierMode::Raw, o) => Cell::opt_str(o),
                    (IdentifierMode::Pseudonymize, Some(o)) => Cell::Str(
                        self.pseudo
                            .pseudonym("original_id", &format!("{importer}\0{o}")),
                    ),
                    _ => Cell::Null,
                };
                let this_ref = next_ref;
                next_ref += 1;
                let mut cells = std::mem::take(&mut self.cells);
                cells.clear();
                cells.push(Cell::Int(this_ref));
                cells.push(Cell::Shared(Rc::clone(&kind_cell)));
                cells.push(start_cell);
                cells.push(end);
                cells.push(Cell::opt_int(r.get(3)?));
                if self.red.text != TextMode::Drop {
                    cells.push(Cell::opt_str(title));
                    cells.push(Cell::opt_str(body));
                }
                cells.push(attrs);
                cells.push(Cell::Shared(Rc::clone(&importer)));
                if self.red.identifiers != IdentifierMode::Omit {
                    cells.push(account);
                    cells.push(device);
                }
                cells.push(model);
                if self.red.identifiers != IdentifierMode::Omit {
                    cells.push(original);
                }
                self.cells = cells;
                self.emit(sink, &mut file, id, start)?;
                refs.push((id, this_ref));
                count += 1;
            }
            if count > 0 {
                self.out.per_kind.insert(kind.clone(), count);
            }
        }
        self.finish(sink, file)?;
        Ok(refs)
    }

    fn track_points(&mut self, sink: &mut dyn Sink, refs: &[(i64, i64)]) -> Result<()> {
        let mut file = self.begin(Table::TrackPoints);
        let mut stmt = self.conn.prepare(
            "SELECT id, t_ms, lat, lon, alt_m, speed_mps, course_deg, h_acc_m, v_acc_m
             FROM track_points WHERE event_id = ?1 ORDER BY seq",
        )?;
        for (event_id, event_ref) in refs {
            let mut rows = stmt.query([event_id])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let (t, t_cell) = self.time(r.get(1)?);
                let mut cells = std::mem::take(&mut self.cells);
                cells.clear();
                cells.push(Cell::Int(*event_ref));
                cells.push(t_cell);
                cells.push(Cell::opt_num(r.get(2)?));
                cells.push(Cell::opt_num(r.get(3)?));
                for i in 4..9 {
                    cells.push(Cell::opt_num(r.get(i)?));
                }
                self.cells = cells;
                self.emit(sink, &mut file, id, Some(t))?;
            }
        }
        self.finish(sink, file)
    }
}
