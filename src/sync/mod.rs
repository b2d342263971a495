//! Pulling data from live sources (web APIs, a TeslaMate database) rather than export files.
//!
//! A sync is an import whose input is a service instead of a file. Records go through the
//! importer's own mapping where one exists (the decoder the export uses) and always through
//! the same [`Writer`](crate::import::writer::Writer), so natural keys dedupe what an export
//! already brought and what an earlier sync fetched. Each sync is an `import_runs` row of
//! kind `sync`. Progress is kept per source, in the same transaction as the rows it
//! describes: API collections in `sync_state` (migration 0002, one cursor per collection
//! and day), the TeslaMate cursors (last ids) as a JSON document in `meta`.

pub mod http;
pub mod oura;
pub mod teslamate;

use crate::error::Result;
use crate::import::pipeline::{CHANNEL_BATCHES, DecodeError, DecodeResult, Emitter};
use crate::import::writer::FileStats;
use crate::import::writer::Writer;
use crate::vault::now_ms;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};
use std::sync::mpsc::sync_channel;

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

/// The last day a collection was fetched completely, if it ever was.
pub fn last_day(
    conn: &Connection,
    service: &str,
    account: &str,
    collection: &str,
) -> Result<Option<Date>> {
    let day: Option<String> = conn
        .query_row(
            "SELECT last_day FROM sync_state WHERE service = ?1 AND account = ?2 AND collection = ?3",
            params![service, account, collection],
            |r| r.get(0),
        )
        .optional()?;
    // An unreadable value (edited by hand) means "never": the next sync fetches everything.
    Ok(day.and_then(|d| d.parse().ok()))
}

/// Records that `collection` is complete up to and including `day`; never moves backwards
/// (a backfill of an old range leaves the cursor where the newest sync put it).
pub fn set_last_day(
    conn: &Connection,
    service: &str,
    account: &str,
    collection: &str,
    day: Date,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_state (service, account, collection, last_day, updated_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (service, account, collection) DO UPDATE
            SET last_day = max(last_day, excluded.last_day), updated_ms = excluded.updated_ms",
        params![service, account, collection, day.to_string(), now_ms()],
    )?;
    Ok(())
}

/// A write transaction rolled back unless committed.
pub(crate) struct Tx<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Tx<'c> {
    pub(crate) fn begin(conn: &'c Connection) -> Result<Self> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Tx { conn, open: true })
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Runs `produce` on a worker thread and writes what it emits, as the import engine does for
/// a file: the mapping runs on one core while SQLCipher inserts run on the other, and memory
/// stays bounded by the channel. Returns the writer's result, then the producer's.
pub(crate) fn pump<F>(
    writer: &mut Writer<'_>,
    produce: F,
) -> Result<std::result::Result<(), DecodeError>>
where
    F: FnOnce(&mut Emitter) -> DecodeResult + Send,
{
    let (tx, rx) = sync_channel(CHANNEL_BATCHES);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut emitter = Emitter::new(tx, crate::interrupt::shared());
            let mut result = produce(&mut emitter);
            if result.is_ok() {
                result = emitter.flush();
            }
            result
        });
        let mut written = Ok(());
        for batch in rx.iter() {
            if let Err(e) = writer.write_batch(batch) {
                written = Err(e);
                break;
            }
        }
        drop(rx);
        let produced = worker.join().unwrap_or_else(|_| {
            Err(DecodeError::fatal(
                "mapping",
                "the mapping crashed (a bug in trove)",
            ))
        });
        written.map(|()| produced)
    })
}
