//! Pulling data from live sources (a TeslaMate database, APIs) rather than export files.
//!
//! A sync is recorded like an import: one `import_runs` row with `kind = 'sync'`, rows written
//! through the import [`Writer`](crate::import::writer::Writer) (same natural keys, so a
//! re-sync adds nothing), and the source's cursors kept in the vault's `meta` table, written
//! in the same transaction as the rows they describe.

pub mod teslamate;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::import::writer::FileStats;
use crate::vault::now_ms;

/// Inserts the `import_runs` row of a sync and returns its id.
pub fn start_run(
    conn: &Connection,
    importer: &str,
    version: &str,
    args: &serde_json::Value,
) -> Result<i64> {
    conn.execute(
        "UPDATE import_runs SET status = 'interrupted' WHERE status = 'running'",
        [],
    )?;
    conn.execute(
        "INSERT INTO import_runs (importer, importer_version, kind, started_ms, status, args)
         VALUES (?1, ?2, 'sync', ?3, 'running', ?4)",
        params![importer, version, now_ms(), args.to_string()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn finish_run(conn: &Connection, run_id: i64, status: &str, stats: &FileStats) -> Result<()> {
    let s = serde_json::json!({
        "seen": stats.seen,
        "added": stats.added,
        "duplicate": stats.duplicate,
        "rejected": stats.rejected,
    });
    conn.execute(
        "UPDATE import_runs SET status = ?1, finished_ms = ?2, stats = ?3 WHERE id = ?4",
        params![status, now_ms(), s.to_string(), run_id],
    )?;
    Ok(())
}

/// A sync cursor document from `meta` (JSON), if any.
pub fn load_state(conn: &Connection, key: &str) -> Result<Option<serde_json::Value>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

pub fn save_state(conn: &Connection, key: &str, value: &serde_json::Value) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value.to_string()],
    )?;
    Ok(())
}
