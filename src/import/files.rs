//! Importing a run of files of one container: a decoder thread reads them one after the other
//! while this thread writes them, each file in its own transaction.
//!
//! Why one decoder thread for the whole run rather than one per file: with a thread per file,
//! an export of many small files (an Apple Health export has a GPX file per workout route,
//! hundreds of them) alternated between the cores instead of using both: the writer waited
//! for a file's first records, then the decoder of the next file waited for the writer's
//! commit. Here the decoder starts on the next file as soon as it has read the current one,
//! so decoding file N+1 overlaps writing file N. It runs at most one file ahead: each file's
//! records travel on their own bounded channel ([`CHANNEL_BATCHES`]), and the next file's
//! channel is handed over only when the writer took the current one.
//!
//! What is decided before reading: whether a file is already in the vault (its fingerprint,
//! [`Container::fingerprint`]), so a re-import reads nothing. The writer asks again when it
//! reaches a file, because an earlier file of the same run may have had the same content.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Instant;

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use super::account::AccountInfo;
use super::container::Container;
use super::pipeline::{CHANNEL_BATCHES, DecodeError, Emitter};
use super::readahead;
use super::spec::{self, Importer};
use super::writer::{FileContext, FileStats, Writer};
use super::{
    DecodeContext, FileReport, FileStatus, ImportOptions, Observer, Planned, account_source_id,
    create_decoder,
};
use crate::error::{Error, Result};
use crate::model::Record;
use crate::vault::now_ms;

/// What the import of one file came to, for the caller to report (and to stop on).
pub(super) type FileOutcome = Result<FileReport>;

/// Whether the caller wants the next file.
pub(super) enum Next {
    Continue,
    Stop(Error),
}

/// The files of one container and what they share.
pub(super) struct Run<'a> {
    pub conn: &'a Connection,
    pub importer: &'a Importer,
    pub run_id: i64,
    pub opts: &'a ImportOptions,
    pub account: &'a AccountInfo,
    pub observer: &'a dyn Observer,
    /// The `sources` row of the account, once a file of the run committed with it (a file
    /// that rolls back may have been the one to create it).
    pub source_id: Cell<Option<i64>>,
}

/// What the decoder thread made of one file.
struct Decoded {
    result: std::result::Result<(), DecodeError>,
    content_hash: [u8; 32],
}

/// One file's records on their way to the writer.
struct Stream {
    records: Receiver<Vec<Record>>,
    /// Bytes read so far (the progress bar's).
    bytes: Arc<AtomicU64>,
    /// Sent once the file is read: how decoding ended. An `Err` is a file the decoder could
    /// not even start on (the reader or the decoder could not be created).
    done: Receiver<Result<Decoded>>,
}

/// What the run knows of a file before reading it.
enum Plan {
    Skip,
    Read([u8; 32]),
    Failed(Error),
}

impl Run<'_> {
    /// Imports `files` (all in `c`), calling `each` with every file's outcome in order; stops
    /// when it says so and returns its error.
    pub(super) fn import(
        &self,
        files: &[Planned],
        c: &mut Container,
        budget: &mut u64,
        each: &mut dyn FnMut(FileOutcome, &Planned) -> Next,
    ) -> Result<()> {
        let spec = &self.importer.spec;
        let is_zip = c.is_zip();
        let container_path = c.path().display().to_string();
        let mut plans: Vec<Plan> = Vec::with_capacity(files.len());
        for p in files {
            plans.push(match c.fingerprint(&p.entry) {
                Err(e) => Plan::Failed(e),
                Ok(fp) => match self.already_imported(is_zip, &fp) {
                    Err(e) => Plan::Failed(e),
                    Ok(true) => Plan::Skip,
                    Ok(false) => Plan::Read(fp),
                },
            });
        }
        let to_read: Vec<&Planned> = files
            .iter()
            .zip(&plans)
            .filter(|(_, plan)| matches!(plan, Plan::Read(_)))
            .map(|(p, _)| p)
            .collect();

        std::thread::scope(|scope| {
            // One file ahead at most (see the module's documentation).
            let (streams_tx, streams) = sync_channel::<Stream>(1);
            let opts = self.opts;
            let account = self.account;
            let decoder = std::thread::Builder::new()
                .name("trove-decode".into())
                .spawn_scoped(scope, move || {
                    decode_all(spec, &to_read, c, budget, opts, account, streams_tx)
                })
                .map_err(|e| Error::io("starting the decoder thread", e))?;
            let mut stop = None;
            for (p, plan) in files.iter().zip(plans) {
                if crate::interrupt::requested() {
                    stop = Some(Error::Interrupted);
                    break;
                }
                let outcome = match plan {
                    Plan::Skip => Ok(skipped(
                        &container_path,
                        p,
                        &spec.id,
                        "already imported",
                        Instant::now(),
                    )),
                    Plan::Failed(e) => Err(e),
                    Plan::Read(fp) => match streams.recv() {
                        Ok(stream) => self.write_file(p, &container_path, is_zip, fp, stream),
                        Err(_) => Err(decoder_gone()),
                    },
                };
                if let Next::Stop(e) = each(outcome, p) {
                    stop = Some(e);
                    break;
                }
            }
            // The decoder stops at its next file (or its next batch) once nothing listens.
            drop(streams);
            if decoder.join().is_err() && stop.is_none() {
                stop = Some(decoder_gone());
            }
            stop.map_or(Ok(()), Err)
        })
    }

    fn already_imported(&self, is_zip: bool, fingerprint: &[u8; 32]) -> Result<bool> {
        let spec = &self.importer.spec;
        // Statements run once per file are cached: an export can hold thousands of small files.
        Ok(self
            .conn
            .prepare_cached(if is_zip {
                "SELECT 1 FROM source_files WHERE importer = ?1 AND importer_major = ?2 AND raw_sha256 = ?3"
            } else {
                "SELECT 1 FROM source_files WHERE importer = ?1 AND importer_major = ?2 AND sha256 = ?3"
            })?
            .exists(params![spec.id, spec.major(), &fingerprint[..]])?)
    }

    /// Writes one file's records in one transaction, with its `source_files` row.
    fn write_file(
        &self,
        p: &Planned,
        container_path: &str,
        is_zip: bool,
        fingerprint: [u8; 32],
        stream: Stream,
    ) -> FileOutcome {
        let started = Instant::now();
        let conn = self.conn;
        let opts = self.opts;
        let spec = &self.importer.spec;
        let report = |status, reason: Option<String>, stats: FileStats, bytes: u64| FileReport {
            path: container_path.to_string(),
            member: p.entry.member.clone(),
            importer: spec.id.clone(),
            status,
            reason,
            stats,
            bytes,
            duration_ms: started.elapsed().as_millis() as u64,
        };
        // An earlier file of this run may have had the same content (dropping the stream
        // makes the decoder skip the rest of it).
        if self.already_imported(is_zip, &fingerprint)? {
            return Ok(skipped(
                container_path,
                p,
                &spec.id,
                "already imported",
                started,
            ));
        }

        let tx = FileTx::begin(conn, opts.dry_run)?;
        let source_id = match self.source_id.get() {
            Some(id) => id,
            None => account_source_id(conn, &spec.id, self.account)?,
        };
        let mut placeholder = [0u8; 32];
        getrandom::fill(&mut placeholder)
            .map_err(|e| Error::io("reading the system random source", io::Error::other(e)))?;
        conn.prepare_cached(
            "INSERT INTO source_files (source_id, importer, importer_major, sha256, container, member,
                size, import_run_id, imported_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            source_id,
            spec.id,
            spec.major(),
            &placeholder[..],
            container_path,
            p.entry.member,
            p.entry.size as i64,
            self.run_id,
            now_ms()
        ])?;
        let file_id = conn.last_insert_rowid();
        let mut writer = Writer::new(
            conn,
            FileContext {
                importer: &spec.id,
                source_id,
                run_id: self.run_id,
                file_id: Some(file_id),
                member: Some(&p.entry.member),
                strict: opts.strict,
            },
        )?;
        writer.replace_day_values(spec.day_values == spec::DayValues::Latest);

        self.observer
            .file_started(&p.entry.member, p.entry.size, Arc::clone(&stream.bytes));
        let mut records = 0u64;
        for batch in stream.records.iter() {
            records += batch.len() as u64;
            writer.write_batch(batch)?;
            self.observer.progress(records);
        }
        let decoded = stream.done.recv().unwrap_or_else(|_| Err(decoder_gone()))?;
        let total_bytes = stream.bytes.load(Ordering::Relaxed);
        let mut status = FileStatus::Imported;
        let mut reason = None;
        match decoded.result {
            Ok(()) => {}
            Err(DecodeError::Stopped) => return Err(Error::Interrupted),
            Err(DecodeError::Fatal { locator, message })
                if writer.stats().seen == 0 && !opts.strict =>
            {
                // Nothing was read (wrong variant, a missing option only the content reveals):
                // keep no trace of the file, so that importing it again (e.g. with --timezone)
                // reads it instead of skipping it as already imported.
                drop(writer);
                drop(tx);
                return Ok(report(
                    FileStatus::Failed,
                    Some(format!("{locator}: {message}")),
                    FileStats::default(),
                    total_bytes,
                ));
            }
            Err(DecodeError::Fatal { locator, message }) => {
                if opts.strict {
                    return Err(Error::StrictReject {
                        member: p.entry.member.clone(),
                        locator,
                        message,
                    });
                }
                writer.file_error(&locator, &message)?;
                status = FileStatus::Partial;
                reason = Some(format!("{locator}: {message}"));
            }
        }
        if crate::interrupt::requested() {
            return Err(Error::Interrupted);
        }
        writer.finish()?;
        let stats = writer.stats();
        drop(writer);

        let raw = if is_zip { Some(fingerprint) } else { None };
        // A file read only in part has no content hash: what was hashed when decoding broke
        // off depends on how far the reader got ahead (readahead.rs). It keeps its random
        // placeholder, which matches nothing.
        let content = match status {
            FileStatus::Partial => placeholder,
            _ => decoded.content_hash,
        };
        let updated = conn
            .prepare_cached(
                "UPDATE source_files SET sha256 = ?1, raw_sha256 = ?2, records_seen = ?3, records_added = ?4,
                    records_duplicate = ?5, records_rejected = ?6, min_ms = ?7, max_ms = ?8
                 WHERE id = ?9",
            )?
            .execute(params![
                &content[..],
                raw.as_ref().map(|r| &r[..]),
                stats.seen as i64,
                stats.added as i64,
                stats.duplicate as i64,
                stats.rejected as i64,
                stats.min_ms,
                stats.max_ms,
                file_id
            ]);
        match updated {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                // The same content was imported before from a differently packed container.
                drop(tx);
                return Ok(report(
                    FileStatus::Skipped,
                    Some("already imported (same content)".into()),
                    FileStats::default(),
                    total_bytes,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if let (Some(min), Some(max)) = (stats.min_ms, stats.max_ms) {
            conn.prepare_cached(
                "UPDATE sources SET min_ms = min(coalesce(min_ms, ?1), ?1), max_ms = max(coalesce(max_ms, ?2), ?2)
                 WHERE id = ?3",
            )?
            .execute(params![min, max, source_id])?;
        }
        tx.commit()?;
        self.source_id.set(Some(source_id));
        Ok(report(status, reason, stats, total_bytes))
    }
}

/// The decoder thread ended before the files did: the user interrupted, or a bug.
fn decoder_gone() -> Error {
    if crate::interrupt::requested() {
        Error::Interrupted
    } else {
        Error::io(
            "reading the export",
            io::Error::other("the decoder thread stopped early (a bug in trove)"),
        )
    }
}

fn skipped(
    container_path: &str,
    p: &Planned,
    importer: &str,
    reason: &str,
    started: Instant,
) -> FileReport {
    FileReport {
        path: container_path.to_string(),
        member: p.entry.member.clone(),
        importer: importer.to_string(),
        status: FileStatus::Skipped,
        reason: Some(reason.into()),
        stats: FileStats::default(),
        bytes: 0,
        duration_ms: started.elapsed().as_millis() as u64,
    }
}

/// The decoder thread: reads `files` in order, handing each file's records to the writer on
/// a channel of their own. Ends when the files are read, the writer stops listening, or the
/// user interrupts.
fn decode_all(
    spec: &spec::Spec,
    files: &[&Planned],
    c: &mut Container,
    budget: &mut u64,
    opts: &ImportOptions,
    account: &AccountInfo,
    streams: SyncSender<Stream>,
) {
    for p in files {
        let (records_tx, records) = sync_channel(CHANNEL_BATCHES);
        let (done_tx, done) = sync_channel(1);
        let bytes = Arc::new(AtomicU64::new(0));
        let stream = Stream {
            records,
            bytes: Arc::clone(&bytes),
            done,
        };
        if streams.send(stream).is_err() {
            return;
        }
        // A panic is a bug in a decoder; it costs its file, not the files after it.
        let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            decode_file(spec, p, c, budget, opts, account, records_tx, bytes)
        }))
        .unwrap_or_else(|_| {
            Ok(Decoded {
                result: Err(DecodeError::fatal(
                    "decoder",
                    "the decoder crashed (a bug in trove)",
                )),
                content_hash: [0; 32],
            })
        });
        let stopped = matches!(
            decoded,
            Ok(Decoded {
                result: Err(DecodeError::Stopped),
                ..
            })
        );
        // The writer may have given up on this file; the next one is still wanted.
        let _ = done_tx.send(decoded);
        if stopped && crate::interrupt::requested() {
            return;
        }
    }
}

/// Reads one file through its decoder, hashing its content on the way.
#[allow(clippy::too_many_arguments)]
fn decode_file(
    spec: &spec::Spec,
    p: &Planned,
    c: &mut Container,
    budget: &mut u64,
    opts: &ImportOptions,
    account: &AccountInfo,
    records: SyncSender<Vec<Record>>,
    bytes: Arc<AtomicU64>,
) -> Result<Decoded> {
    let ctx = DecodeContext {
        spec,
        rule: &spec.files[p.rule],
        member: &p.entry.member,
        size: p.entry.size,
        options: &opts.options,
        account,
    };
    let mut decoder = create_decoder(&ctx)?;
    let reader = c.open_entry(&p.entry, budget)?;
    let tap = Tap {
        inner: reader,
        hasher: Sha256::new(),
        bytes,
    };
    let decode = |input: &mut dyn BufRead| {
        let mut emitter = Emitter::new(records, crate::interrupt::shared());
        let mut result = decoder.decode(input, &mut emitter);
        // Records decoded before a fatal error are kept (the file is reported partial).
        if !matches!(result, Err(DecodeError::Stopped))
            && let Err(e) = emitter.flush()
        {
            result = Err(e);
        }
        drop(emitter);
        // Read to the end so the content hash covers the whole file.
        if result.is_ok()
            && let Err(e) = io::copy(input, &mut io::sink())
        {
            result = Err(DecodeError::fatal("end of file", e.to_string()));
        }
        result
    };
    let (result, tap) = if p.entry.size >= readahead::MIN_SIZE {
        // A large file: inflated and hashed on a helper thread (readahead.rs).
        std::thread::scope(|scope| {
            let (mut input, helper) = readahead::spawn(scope, tap)
                .map_err(|e| Error::io("starting the reader thread", e))?;
            let result = decode(&mut input);
            drop(input);
            match helper.join() {
                Ok(tap) => Ok((result, tap)),
                Err(_) => Err(Error::io(
                    format!("reading {}", p.entry.member),
                    io::Error::other("the reader thread stopped (a bug in trove)"),
                )),
            }
        })?
    } else {
        let mut tap = tap;
        let mut input = BufReader::with_capacity(readahead::BUFFER_SIZE, &mut tap);
        let result = decode(&mut input);
        drop(input);
        (result, tap)
    };
    Ok(Decoded {
        result,
        content_hash: tap.hasher.finalize().into(),
    })
}

/// Hashes and counts what the decoder reads.
struct Tap<R> {
    inner: R,
    hasher: Sha256,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Transactions per file; inside a dry run (one outer transaction), savepoints.
struct FileTx<'c> {
    conn: &'c Connection,
    dry: bool,
    open: bool,
}

impl<'c> FileTx<'c> {
    fn begin(conn: &'c Connection, dry: bool) -> Result<Self> {
        conn.execute_batch(if dry {
            "SAVEPOINT file"
        } else {
            "BEGIN IMMEDIATE"
        })?;
        Ok(FileTx {
            conn,
            dry,
            open: true,
        })
    }
    fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn
            .execute_batch(if self.dry { "RELEASE file" } else { "COMMIT" })?;
        Ok(())
    }
}

impl Drop for FileTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch(if self.dry {
                "ROLLBACK TO file; RELEASE file"
            } else {
                "ROLLBACK"
            });
        }
    }
}
