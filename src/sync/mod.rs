//! Pulling data from web APIs into the vault (`trove sync <service>`).
//!
//! A sync is an import whose input is an API instead of a file. Records go through the
//! importer's own mapping (the decoder the export uses) and the same writer, so natural keys
//! dedupe what the export already brought and what an earlier sync fetched. Each page of an
//! answer is written in its own transaction: a failure keeps every page committed before it,
//! and the next run fetches the rest. Where each collection left off is `sync_state`
//! (migration 0002); each sync is an `import_runs` row of kind `sync`.

pub mod http;
pub mod oura;

use std::sync::mpsc::sync_channel;

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::import::pipeline::{CHANNEL_BATCHES, DecodeError, DecodeResult, Emitter};
use crate::import::writer::Writer;
use crate::vault::now_ms;

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
