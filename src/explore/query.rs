//! `trove query`: the user's own SQL, on a connection that cannot change the vault.
//!
//! Four independent locks, so that no single mistake opens a write path:
//!
//! 1. the connection is opened `SQLITE_OPEN_READONLY` (the file handle cannot write);
//! 2. `PRAGMA query_only` is on (SQLite refuses any statement that would change a database);
//! 3. `SQLITE_LIMIT_ATTACHED` is 0 (no second database can be attached, so nothing can be
//!    copied out with `ATTACH … KEY ''` or `sqlcipher_export`);
//! 4. an authorizer allows only reads: `SELECT`, reading columns, functions (but not
//!    `sqlcipher_export`, `load_extension` and their kind), recursive CTEs, and a short list
//!    of read-only `PRAGMA`s without arguments. Everything else — INSERT, UPDATE, DELETE,
//!    DROP, CREATE, ALTER, ATTACH, DETACH, VACUUM, transactions, `PRAGMA key`/`rekey`/
//!    `cipher_*` and any `PRAGMA x = y` — is refused *while the statement is prepared*, with
//!    the refused action named (exit 2).
//!
//! The authorizer also keeps key material out of query results: the `secrets` table (the
//! vault's signing and age keys) and `daos.pseudonym_key` (the per-DAO pseudonym secret)
//! cannot be read through `trove query`.
//!
//! Results stream: CSV and JSON lines are written row by row; the table format sizes its
//! columns on the first rows and then streams the rest.

use std::io::Write;
use std::sync::{Arc, Mutex};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ffi};

use crate::error::{Error, Result};
use crate::explore::buckets::Zone;
use crate::explore::views;
use crate::output::sanitize;
use crate::vault::Vault;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// RFC 4180 CSV with a header row
    Csv,
    /// JSON lines: one object per row, keyed by column name
    Json,
}

/// PRAGMAs that only report, allowed without an argument.
const READ_PRAGMAS: &[&str] = &[
    "application_id",
    "collation_list",
    "data_version",
    "database_list",
    "encoding",
    "foreign_key_list",
    "freelist_count",
    "function_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "module_list",
    "page_count",
    "page_size",
    "pragma_list",
    "schema_version",
    "table_info",
    "table_list",
    "table_xinfo",
    "user_version",
];

/// Functions that could write, load code or touch files.
fn function_denied(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("sqlcipher")
        || matches!(
            n.as_str(),
            "load_extension" | "readfile" | "writefile" | "edit" | "fts3_tokenizer"
        )
}

const SCHEMA_CHANGE: &str = "schema change";

/// What the authorizer refused (for the error message).
type Refusal = Arc<Mutex<Option<String>>>;

fn authorize(ctx: AuthContext<'_>, refusal: &Refusal) -> Authorization {
    // SQLite asks about the schema table (DELETE from sqlite_master) before the statement
    // itself (DROP TABLE x); the specific refusal replaces that generic one.
    let refuse = |what: String| {
        if let Ok(mut r) = refusal.lock() {
            let generic = r.as_deref().is_none_or(|w| w.ends_with(SCHEMA_CHANGE));
            if generic {
                *r = Some(what);
            }
        }
        Authorization::Deny
    };
    let schema_table = |t: &str| {
        let t = t.to_ascii_lowercase();
        matches!(
            t.as_str(),
            "sqlite_master" | "sqlite_temp_master" | "sqlite_schema" | "sqlite_temp_schema"
        )
    };
    match ctx.action {
        AuthAction::Select | AuthAction::Recursive => Authorization::Allow,
        AuthAction::Read {
            table_name,
            column_name,
        } => {
            if table_name.eq_ignore_ascii_case("secrets") {
                refuse("reading the secrets table (the vault's private keys)".into())
            } else if table_name.eq_ignore_ascii_case("daos")
                && column_name.eq_ignore_ascii_case("pseudonym_key")
            {
                refuse("reading daos.pseudonym_key (a DAO's pseudonym secret)".into())
            } else {
                Authorization::Allow
            }
        }
        AuthAction::Function { function_name } => {
            if function_denied(function_name) {
                refuse(format!("the function {function_name}()"))
            } else {
                Authorization::Allow
            }
        }
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            let arg_is_object = matches!(
                name.as_str(),
                "table_info"
                    | "table_xinfo"
                    | "index_info"
                    | "index_xinfo"
                    | "index_list"
                    | "foreign_key_list"
            );
            if READ_PRAGMAS.contains(&name.as_str()) && (pragma_value.is_none() || arg_is_object) {
                Authorization::Allow
            } else if let Some(v) = pragma_value {
                refuse(format!("PRAGMA {pragma_name} = {v}"))
            } else {
                refuse(format!("PRAGMA {pragma_name}"))
            }
        }
        AuthAction::Insert { table_name }
        | AuthAction::Update { table_name, .. }
        | AuthAction::Delete { table_name }
            if schema_table(table_name) =>
        {
            refuse(format!("a {SCHEMA_CHANGE}"))
        }
        AuthAction::Insert { table_name } => refuse(format!("INSERT into {table_name}")),
        AuthAction::Update { table_name, .. } => refuse(format!("UPDATE of {table_name}")),
        AuthAction::Delete { table_name } => refuse(format!("DELETE from {table_name}")),
        AuthAction::DropTable { table_name } | AuthAction::DropTempTable { table_name } => {
            refuse(format!("DROP TABLE {table_name}"))
        }
        AuthAction::DropView { view_name } | AuthAction::DropTempView { view_name } => {
            refuse(format!("DROP VIEW {view_name}"))
        }
        AuthAction::DropIndex { index_name, .. } | AuthAction::DropTempIndex { index_name, .. } => {
            refuse(format!("DROP INDEX {index_name}"))
        }
        AuthAction::DropTrigger { trigger_name, .. }
        | AuthAction::DropTempTrigger { trigger_name, .. } => {
            refuse(format!("DROP TRIGGER {trigger_name}"))
        }
        AuthAction::CreateTable { table_name } | AuthAction::CreateTempTable { table_name } => {
            refuse(format!("CREATE TABLE {table_name}"))
        }
        AuthAction::CreateView { view_name } | AuthAction::CreateTempView { view_name } => {
            refuse(format!("CREATE VIEW {view_name}"))
        }
        AuthAction::CreateIndex { index_name, .. }
        | AuthAction::CreateTempIndex { index_name, .. } => {
            refuse(format!("CREATE INDEX {index_name}"))
        }
        AuthAction::CreateTrigger { trigger_name, .. }
        | AuthAction::CreateTempTrigger { trigger_name, .. } => {
            refuse(format!("CREATE TRIGGER {trigger_name}"))
        }
        AuthAction::Attach { .. } => refuse("ATTACH".into()),
        AuthAction::Detach { .. } => refuse("DETACH".into()),
        AuthAction::AlterTable { table_name, .. } => refuse(format!("ALTER TABLE {table_name}")),
        AuthAction::Reindex { .. } => refuse("REINDEX".into()),
        AuthAction::Analyze { .. } => refuse("ANALYZE".into()),
        AuthAction::Transaction { .. } | AuthAction::Savepoint { .. } => {
            refuse("a transaction statement".into())
        }
        AuthAction::CreateVtable { table_name, .. } => {
            refuse(format!("CREATE VIRTUAL TABLE {table_name}"))
        }
        AuthAction::DropVtable { table_name, .. } => {
            refuse(format!("DROP of virtual table {table_name}"))
        }
        AuthAction::Unknown { code, .. } => refuse(match code {
            // VACUUM reports as an unknown code in rusqlite's enum on some versions.
            ffi::SQLITE_COPY => "COPY".into(),
            _ => format!("an operation SQLite calls {code}"),
        }),
        _ => refuse("this statement".into()),
    }
}

/// A read-only connection with the views, ready for the user's SQL.
pub struct QueryConn {
    pub conn: Connection,
    refusal: Refusal,
}

/// Whether `sql` names the `daily_metrics` view (it is computed only then).
pub fn names_daily_metrics(sql: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let needle = "daily_metrics";
    let mut from = 0;
    while let Some(i) = lower[from..].find(needle) {
        let at = from + i;
        let before = at.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(at + needle.len()).copied();
        let word = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        if !word(before) && !word(after) {
            return true;
        }
        from = at + needle.len();
    }
    false
}

impl QueryConn {
    /// Opens the read-only connection, registers the time functions, creates the views
    /// (computing `daily_metrics` if `sql` names it) and installs the locks.
    pub fn open(vault: &Vault, zone: &Zone, sql: &str) -> Result<QueryConn> {
        let mut conn = vault.read_only_connection()?;
        conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
        views::register_functions(&conn, zone)?;
        // TEMP objects live in the connection's private in-memory temp database; query_only
        // is lifted for exactly as long as it takes to create them.
        conn.pragma_update(None, "query_only", false)?;
        let made = views::create(&conn, zone, names_daily_metrics(sql));
        conn.pragma_update(None, "query_only", true)?;
        made?;
        let refusal: Refusal = Arc::new(Mutex::new(None));
        let r = Arc::clone(&refusal);
        conn.authorizer(Some(move |ctx: AuthContext<'_>| authorize(ctx, &r)))?;
        Ok(QueryConn { conn, refusal })
    }

    fn map_prepare_error(&self, e: rusqlite::Error, sql: &str) -> Error {
        if let Some(what) = self.refusal.lock().ok().and_then(|mut r| r.take()) {
            if what.ends_with(SCHEMA_CHANGE) {
                let words: Vec<String> = sql
                    .split_whitespace()
                    .take(2)
                    .map(|w| w.to_ascii_uppercase())
                    .collect();
                return Error::QueryRefused {
                    what: format!("{} (a {SCHEMA_CHANGE})", words.join(" ")),
                };
            }
            return Error::QueryRefused { what };
        }
        match e {
            rusqlite::Error::MultipleStatement => Error::QueryInvalid {
                detail: "more than one statement; run one query at a time".into(),
            },
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ReadOnly
                    || f.extended_code == ffi::SQLITE_AUTH =>
            {
                Error::QueryRefused {
                    what: "a write".into(),
                }
            }
            rusqlite::Error::SqliteFailure(_, Some(msg)) => Error::QueryInvalid { detail: msg },
            other => Error::QueryInvalid {
                detail: other.to_string(),
            },
        }
    }

    /// Runs `sql` and streams the rows to `out`. Returns the number of rows.
    pub fn run(&self, sql: &str, format: Format, out: &mut dyn Write, tty: bool) -> Result<u64> {
        if sql.trim().is_empty() {
            return Err(Error::QueryInvalid {
                detail: "the query is empty".into(),
            });
        }
        let mut stmt = self
            .conn
            .prepare(sql)
            .map_err(|e| self.map_prepare_error(e, sql))?;
        if !stmt.readonly() {
            let verb = sql
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            return Err(Error::QueryRefused {
                what: format!("{verb} (a statement that writes)"),
            });
        }
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let mut rows = stmt.query([]).map_err(|e| self.map_prepare_error(e, sql))?;
        let mut writer = RowWriter::new(format, names, tty, out);
        let io = |e: std::io::Error| Error::io("writing the query result", e);
        let mut n = 0u64;
        let mut checked = 0u32;
        loop {
            let row = match rows.next() {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(e) => {
                    if let Some(what) = self.refusal.lock().ok().and_then(|mut r| r.take()) {
                        return Err(Error::QueryRefused { what });
                    }
                    writer.finish().map_err(io)?;
                    return Err(e.into());
                }
            };
            let cells: Vec<Cell> = (0..writer.names.len())
                .map(|i| Cell::from(row.get_ref(i).unwrap_or(ValueRef::Null)))
                .collect();
            writer.row(cells).map_err(io)?;
            n += 1;
            checked += 1;
            if checked == 4096 {
                checked = 0;
                if crate::interrupt::requested() {
                    writer.finish().map_err(io)?;
                    return Err(Error::Interrupted);
                }
            }
        }
        writer.finish().map_err(io)?;
        Ok(n)
    }
}

/// A result cell, owned.
#[derive(Clone, Debug)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<ValueRef<'_>> for Cell {
    fn from(v: ValueRef<'_>) -> Self {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        }
    }
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            // Like SQLite: a REAL always shows as one (2950.0, not 2950).
            Cell::Real(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => {
                format!("{f:.1}")
            }
            Cell::Real(f) => f.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Blob(b) => format!("x'{}'", hex::encode(b)),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Int(i) => (*i).into(),
            Cell::Real(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Text(t) => t.clone().into(),
            Cell::Blob(b) => hex::encode(b).into(),
        }
    }

    fn numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Real(_))
    }
}

/// Rows before the table format fixes its column widths.
const TABLE_SAMPLE: usize = 200;
/// Widest a table column grows (longer cells are cut with an ellipsis).
const TABLE_MAX_WIDTH: usize = 60;

enum Sink<'a> {
    Plain(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

struct RowWriter<'a> {
    sink: Sink<'a>,
    format: Format,
    names: Vec<String>,
    /// The table format on a terminal: control characters are replaced.
    tty: bool,
    buffered: Vec<Vec<Cell>>,
    widths: Option<Vec<usize>>,
    header_done: bool,
    json_keys: Vec<String>,
}

impl<'a> RowWriter<'a> {
    fn new(format: Format, names: Vec<String>, tty: bool, out: &'a mut dyn Write) -> Self {
        // Duplicate column names get a suffix in JSON so no value is lost.
        let mut json_keys: Vec<String> = Vec::new();
        for n in &names {
            let mut key = n.clone();
            let mut k = 2;
            while json_keys.contains(&key) {
                key = format!("{n}_{k}");
                k += 1;
            }
            json_keys.push(key);
        }
        RowWriter {
            sink: if format == Format::Csv {
                Sink::Csv(Box::new(csv::Writer::from_writer(out)))
            } else {
                Sink::Plain(out)
            },
            format,
            names,
            tty,
            buffered: Vec::new(),
            widths: None,
            header_done: false,
            json_keys,
        }
    }

    fn clean(&self, s: String) -> String {
        if self.tty { sanitize(&s) } else { s }
    }

    fn plain(&mut self) -> &mut dyn Write {
        match &mut self.sink {
            Sink::Plain(w) => &mut **w,
            Sink::Csv(_) => unreachable!("plain output on a CSV sink"),
        }
    }

    fn row(&mut self, cells: Vec<Cell>) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                let mut obj = serde_json::Map::with_capacity(cells.len());
                for (k, c) in self.json_keys.iter().zip(&cells) {
                    obj.insert(k.clone(), c.json());
                }
                let out = self.plain();
                serde_json::to_writer(&mut *out, &serde_json::Value::Object(obj))?;
                out.write_all(b"\n")
            }
            Format::Csv => {
                let texts: Vec<String> = cells.iter().map(|c| self.clean(c.text())).collect();
                if !self.header_done {
                    self.header_done = true;
                    let names = self.names.clone();
                    if let Sink::Csv(w) = &mut self.sink {
                        w.write_record(&names).map_err(std::io::Error::other)?;
                    }
                }
                if let Sink::Csv(w) = &mut self.sink {
                    w.write_record(&texts).map_err(std::io::Error::other)?;
                }
                Ok(())
            }
            Format::Table => {
                if self.widths.is_none() {
                    self.buffered.push(cells);
                    if self.buffered.len() >= TABLE_SAMPLE {
                        self.flush_table()?;
                    }
                    Ok(())
                } else {
                    self.table_line(&cells)
                }
            }
        }
    }

    fn cell_text(&self, c: &Cell) -> String {
        match c {
            Cell::Null => "NULL".into(),
            other => sanitize(&other.text()).replace(['\n', '\t'], " "),
        }
    }

    fn flush_table(&mut self) -> std::io::Result<()> {
        let mut widths: Vec<usize> = self.names.iter().map(|n| n.chars().count()).collect();
        for row in &self.buffered {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w)
                    .max(self.cell_text(c).chars().count())
                    .min(TABLE_MAX_WIDTH);
            }
        }
        let header: Vec<String> = self
            .names
            .iter()
            .zip(&widths)
            .map(|(n, w)| format!("{:<w$}", fit(&sanitize(n), *w)))
            .collect();
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let out = self.plain();
        writeln!(out, "{}", header.join("  ").trim_end())?;
        writeln!(out, "{}", rule.join("  "))?;
        self.widths = Some(widths);
        for row in std::mem::take(&mut self.buffered) {
            self.table_line(&row)?;
        }
        Ok(())
    }

    fn table_line(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        let widths = self.widths.as_ref().expect("widths set");
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| {
                let t = fit(&self.cell_text(c), *w);
                if c.numeric() {
                    format!("{t:>w$}")
                } else {
                    format!("{t:<w$}")
                }
            })
            .collect();
        let out = self.plain();
        writeln!(out, "{}", parts.join("  ").trim_end())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Table if self.widths.is_none() => self.flush_table()?,
            Format::Csv if !self.header_done => {
                self.header_done = true;
                let names = self.names.clone();
                if let Sink::Csv(w) = &mut self.sink {
                    w.write_record(&names).map_err(std::io::Error::other)?;
                }
            }
            _ => {}
        }
        match &mut self.sink {
            Sink::Plain(w) => w.flush(),
            Sink::Csv(w) => w.flush(),
        }
    }
}

fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_metrics_is_recognized_as_a_word() {
        assert!(names_daily_metrics("select * from daily_metrics"));
        assert!(names_daily_metrics("SELECT * FROM temp.DAILY_METRICS d"));
        assert!(!names_daily_metrics("select * from my_daily_metrics_x"));
        assert!(!names_daily_metrics("select 1"));
    }

    #[test]
    fn dangerous_functions_are_denied() {
        assert!(function_denied("sqlcipher_export"));
        assert!(function_denied("LOAD_EXTENSION"));
        assert!(!function_denied("json_extract"));
    }
}
