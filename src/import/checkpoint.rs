//! WAL checkpoints on a second connection, off the writer's path.
//!
//! In WAL mode a commit appends pages to the `-wal` file, and a *checkpoint* later copies
//! them into the database file. SQLite's default is to checkpoint inside the commit that
//! pushes the log past 1000 pages, on the committing connection: after an Apple Health
//! export.xml of a million records (one transaction of ~180 MB of pages) the writer would
//! spend most of a second copying pages before it could start on the next file (the
//! export's hundreds of workout routes).
//!
//! During an import, [`Background`] turns that off for the writer's connection and hands
//! the work to a thread with a connection of its own, which runs PASSIVE checkpoints: they
//! copy what is committed without ever blocking the writer or a reader. Whatever is still in
//! the log when the import ends is checkpointed when the last connection closes, as before.
//! Durability is SQLite's either way (a crash mid-checkpoint is replayed from the log).
//!
//! If the writer commits faster than the log can be emptied, the log is not rewound and
//! grows, at most by what the import writes (as one large file's transaction already does).

use std::ffi::c_int;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, MAIN_DB};

use crate::error::{Error, Result};

/// Pages in the log after a commit that call for a checkpoint (SQLite's default
/// `wal_autocheckpoint`).
const AUTO_PAGES: c_int = 1000;

/// The checkpointing thread; [`Background::finish`] stops it and restores SQLite's default.
pub struct Background {
    tx: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Background {
    /// Moves the checkpoints of `conn` to a thread that runs them on `aux`, a second
    /// connection to the same database.
    pub fn start(conn: &mut Connection, aux: Connection) -> Result<Background> {
        // One pending request is enough: a checkpoint copies everything committed so far.
        let (tx, rx) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("trove-checkpoint".into())
            .spawn(move || {
                for () in rx {
                    // A checkpoint that cannot run now (another one is running) loses
                    // nothing: the pages stay in the log for the next one.
                    let _ = aux.wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::PASSIVE);
                }
            })
            .map_err(|e| Error::io("starting the checkpoint thread", e))?;
        let hook_tx = tx.clone();
        // Installing a hook replaces the automatic checkpoint, which is itself a WAL hook.
        conn.wal_hook(Some(move |_: &mut Wal, pages: c_int| {
            if pages >= AUTO_PAGES {
                let _ = hook_tx.try_send(());
            }
            Ok(())
        }))?;
        Ok(Background {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Waits for a running checkpoint, stops the thread, and gives `conn` back its automatic
    /// checkpoints.
    pub fn finish(mut self, conn: &mut Connection) -> Result<()> {
        conn.wal_hook(None::<fn(&mut Wal, c_int) -> rusqlite::Result<()>>)?;
        conn.pragma_update(None, "wal_autocheckpoint", AUTO_PAGES)?;
        self.stop();
        Ok(())
    }

    fn stop(&mut self) {
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Background {
    /// Without [`Background::finish`] (an error on the way), the thread is left to end when
    /// the writer's connection closes and drops the hook's sender: joining here would wait for
    /// that.
    fn drop(&mut self) {
        drop(self.tx.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(path: &std::path::Path) -> Connection {
        let c = Connection::open(path).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        c
    }

    /// Commits about 2000 pages (8 MiB of 4 KiB pages) in one transaction.
    fn big_commit(c: &Connection) {
        c.execute_batch(
            "BEGIN;
             CREATE TABLE IF NOT EXISTS t (b BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO t SELECT randomblob(3000) FROM n;
             COMMIT;",
        )
        .unwrap();
    }

    fn db_len(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }

    #[test]
    fn the_writer_commits_without_checkpointing_and_the_thread_checkpoints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut conn = open(&path);
        conn.execute_batch("CREATE TABLE s (x); INSERT INTO s VALUES (1);")
            .unwrap();
        let before = db_len(&path);

        // Without a thread to run it, the hook's request goes nowhere: the commit itself
        // must leave the pages in the log (SQLite's own automatic checkpoint is off).
        let (tx, _rx) = sync_channel::<()>(1);
        conn.wal_hook(Some(move |_: &mut Wal, pages: c_int| {
            if pages >= AUTO_PAGES {
                let _ = tx.try_send(());
            }
            Ok(())
        }))
        .unwrap();
        big_commit(&conn);
        assert_eq!(
            db_len(&path),
            before,
            "the commit checkpointed on the writer"
        );
        conn.wal_hook(None::<fn(&mut Wal, c_int) -> rusqlite::Result<()>>)
            .unwrap();

        // With the background thread, the pages reach the database file before `finish`
        // returns, while the writer's connection stays open.
        let bg = Background::start(&mut conn, open(&path)).unwrap();
        big_commit(&conn);
        bg.finish(&mut conn).unwrap();
        assert!(
            db_len(&path) > before + 12 * 1024 * 1024,
            "the thread did not checkpoint: {} bytes",
            db_len(&path)
        );
        let auto: i64 = conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap();
        assert_eq!(auto, 1000);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 4000);
    }
}
