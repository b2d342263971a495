//! The import engine: from the paths a user names to normalized rows in the vault.
//!
//! 1. **Walk** each path as a container (zip, directory, file) without extracting anything
//!    ([`container`]).
//! 2. **Recognize** which importer reads each member: the spec's globs, then its content sniff
//!    ([`spec`]); `--source` restricts the choice. Unrecognized members are listed, not fatal;
//!    a path with nothing recognizable is an error that says what was looked for.
//! 3. **Skip** files already imported by the same importer major version: a zip member is
//!    found by the SHA-256 of its compressed bytes (cheap: nothing is inflated), a plain file
//!    by the SHA-256 of its content.
//! 4. **Import** each remaining file in its own transaction: a decoder thread reads a
//!    container's files one after the other and streams each file's records through a bounded
//!    channel ([`pipeline`]) to the writer on this thread ([`writer`]), which dedupes by
//!    natural key; decoding the next file overlaps writing this one ([`files`]). Rows are
//!    filed under the account the export names ([`account`]), read once per container before
//!    its files. The file's `source_files` row, carrying the content hash computed while
//!    streaming, is written in the same transaction, so a file is either completely in the
//!    vault or not at all; an interrupted run (Ctrl-C, kill -9, disk full) leaves no partial
//!    rows and the next run imports the file again.

pub mod account;
pub mod checkpoint;
pub mod container;
pub mod decoders;
mod files;
pub mod generic;
pub mod limit;
pub mod pipeline;
mod readahead;
pub mod spec;
pub mod text;
pub mod utf8;
pub mod writer;

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::output::JSON_VERSION;
use crate::vault::{Vault, now_ms};
use account::AccountInfo;
use container::{Container, Entry};
use pipeline::{CHANNEL_BATCHES, DecodeError, Decoder, Emitter};
use spec::{Catalog, FileRule, Importer, Spec};
use writer::FileStats;

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Only this importer (`--source`).
    pub source: Option<String>,
    pub dry_run: bool,
    pub strict: bool,
    /// Importer options (`--timezone`, `--keep-ip`, …), by option name; flags are `"true"`.
    pub options: BTreeMap<String, String>,
    /// File everything under this account instead of the one the export names (`--account`).
    pub account: Option<String>,
}

/// Everything a decoder may need to know about the file it reads.
pub struct DecodeContext<'a> {
    pub spec: &'a Spec,
    pub rule: &'a FileRule,
    pub member: &'a str,
    /// The size of the file as the container declares it.
    pub size: u64,
    pub options: &'a BTreeMap<String, String>,
    /// The account the export belongs to ([`account`]).
    pub account: &'a AccountInfo,
}

impl DecodeContext<'_> {
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// True when a flag option (`--with-media`) was given.
    pub fn flag(&self, name: &str) -> bool {
        self.options.contains_key(name)
    }
}

/// Hooks for progress display (implemented by the CLI with indicatif).
pub trait Observer {
    /// A file starts; `bytes` is updated as the file is read (its size is `size`).
    fn file_started(&self, _member: &str, _size: u64, _bytes: Arc<AtomicU64>) {}
    /// Called after each batch of records is written.
    fn progress(&self, _records: u64) {}
    fn file_finished(&self, _report: &FileReport) {}
}

/// An observer that shows nothing.
pub struct Quiet;
impl Observer for Quiet {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Imported completely.
    Imported,
    /// Already in the vault (same content, same importer major version).
    Skipped,
    /// Read until an unrecoverable error; the records before it were imported.
    Partial,
    /// Nothing imported.
    Failed,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub member: String,
    pub importer: String,
    pub status: FileStatus,
    pub reason: Option<String>,
    #[serde(flatten)]
    pub stats: FileStats,
    pub bytes: u64,
    pub duration_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RefusedEntry {
    pub path: String,
    pub member: String,
    pub reason: String,
}

/// The account an importer filed a container's rows under.
#[derive(Clone, Debug, Serialize)]
pub struct AccountReport {
    pub path: String,
    pub importer: String,
    #[serde(flatten)]
    pub account: AccountInfo,
}

#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub version: u32,
    pub dry_run: bool,
    pub files: Vec<FileReport>,
    pub accounts: Vec<AccountReport>,
    /// Problems that did not stop anything (an unreadable account file, an option no importer
    /// uses).
    pub warnings: Vec<String>,
    /// Members no importer reads, per input path.
    pub unrecognized: Vec<String>,
    pub refused: Vec<RefusedEntry>,
    pub totals: Totals,
    pub duration_ms: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub files: usize,
    pub imported: usize,
    pub skipped: usize,
    pub partial: usize,
    pub failed: usize,
    pub seen: u64,
    pub added: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub replaced: u64,
}

impl ImportReport {
    /// True when any file was partial or failed (the command exits 1).
    pub fn had_errors(&self) -> bool {
        self.totals.partial + self.totals.failed > 0
    }
}

struct Planned {
    container: usize,
    entry: Entry,
    importer: usize,
    rule: usize,
}

/// The user's importer-spec directory (`<config dir>/importers`, or `$TROVE_CONFIG_DIR/importers`).
pub fn user_spec_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TROVE_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("importers"));
    }
    directories::ProjectDirs::from("", "", "trove").map(|d| d.config_dir().join("importers"))
}

/// Recognizes and plans, then imports.
pub fn run(
    vault: &mut Vault,
    catalog: &Catalog,
    inputs: &[PathBuf],
    opts: &ImportOptions,
    observer: &dyn Observer,
) -> Result<ImportReport> {
    let started = Instant::now();
    if let Some(id) = &opts.source
        && catalog.get(id).is_none()
    {
        return Err(Error::UnknownImporter {
            id: id.clone(),
            known: catalog.ids().join(", "),
        });
    }
    let candidates: Vec<usize> = catalog
        .importers
        .iter()
        .enumerate()
        .filter(|(_, imp)| opts.source.as_deref().is_none_or(|s| s == imp.spec.id))
        .map(|(i, _)| i)
        .collect();

    let mut containers = Vec::new();
    let mut listings = Vec::new();
    let mut plan = Vec::new();
    let mut unrecognized = Vec::new();
    let mut refused_all = Vec::new();
    for input in inputs {
        let mut c = Container::open(input)?;
        let (entries, refused) = c.entries()?;
        for r in refused {
            refused_all.push(RefusedEntry {
                path: input.display().to_string(),
                member: r.member,
                reason: r.reason,
            });
        }
        let single_file = matches!(c, Container::File { .. });
        let before = plan.len();
        // Importers whose `marker` this container lacks do not read it (unless named).
        let here: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                opts.source.is_some()
                    || catalog.importers[i]
                        .marker
                        .as_ref()
                        .is_none_or(|m| entries.iter().any(|e| m.is_match(&e.member)))
            })
            .collect();
        for entry in &entries {
            match recognize(
                &mut c,
                entry,
                catalog,
                &here,
                single_file && opts.source.is_some(),
                opts,
            )? {
                Some((importer, rule)) => plan.push(Planned {
                    container: containers.len(),
                    entry: entry.clone(),
                    importer,
                    rule,
                }),
                None => unrecognized.push(format!("{}: {}", input.display(), entry.member)),
            }
        }
        if plan.len() == before {
            return Err(Error::UnknownFormat {
                path: input.clone(),
                looked_for: candidates
                    .iter()
                    .map(|&i| {
                        let imp = &catalog.importers[i];
                        format!("{}: {}", imp.spec.id, imp.describe_files())
                    })
                    .collect(),
                refused: refused_all
                    .iter()
                    .filter(|r: &&RefusedEntry| r.path == input.display().to_string())
                    .map(|r| format!("{} ({})", r.member, r.reason))
                    .collect(),
            });
        }
        containers.push(c);
        listings.push(entries);
    }
    check_required_options(catalog, &plan, opts)?;
    let mut warnings = unused_options(catalog, &plan, opts);

    // Group by importer; within an importer, by the rule's order, then path.
    plan.sort_by(|a, b| {
        let ra = catalog.importers[a.importer].rule(a.rule).order;
        let rb = catalog.importers[b.importer].rule(b.rule).order;
        (a.importer, ra, a.container, &a.entry.member).cmp(&(
            b.importer,
            rb,
            b.container,
            &b.entry.member,
        ))
    });

    // The log is checkpointed beside the import, not inside its commits (checkpoint.rs). A
    // dry run commits nothing.
    // Without the second connection (it could not be opened), SQLite's own checkpoints stay.
    let background = if opts.dry_run {
        None
    } else {
        vault
            .open_connection()
            .ok()
            .and_then(|aux| checkpoint::Background::start(&mut vault.conn, aux).ok())
    };
    let conn = &vault.conn;
    // A fixed 8 MiB page cache: inserts arrive in time order per metric, so the working set
    // is the right edge of each B-tree, and memory stays flat whatever the export's size.
    conn.pragma_update(None, "cache_size", -8192)?;
    // The writer assigns every reference itself (ids it just read or inserted), so per-row
    // foreign-key lookups would only cost time; `trove check` verifies them. An import may
    // lose its last committed files to a power cut (the next run re-imports them) but never
    // consistency, so WAL's NORMAL sync is enough here; contributions keep FULL.
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Any run still marked running was killed: this process holds the writer lock.
    conn.execute(
        "UPDATE import_runs SET status = 'interrupted' WHERE status = 'running'",
        [],
    )?;
    if opts.dry_run {
        conn.execute_batch("BEGIN IMMEDIATE")?;
    }
    let mut accounts = Vec::new();
    let result = import_plan(
        conn,
        catalog,
        &mut containers,
        &listings,
        &plan,
        opts,
        observer,
        &mut accounts,
        &mut warnings,
    );
    if opts.dry_run {
        conn.execute_batch("ROLLBACK")?;
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if let Some(b) = background {
        b.finish(&mut vault.conn)?;
    }
    let files = result?;

    let mut totals = Totals {
        files: files.len(),
        ..Default::default()
    };
    for f in &files {
        match f.status {
            FileStatus::Imported => totals.imported += 1,
            FileStatus::Skipped => totals.skipped += 1,
            FileStatus::Partial => totals.partial += 1,
            FileStatus::Failed => totals.failed += 1,
        }
        totals.seen += f.stats.seen;
        totals.added += f.stats.added;
        totals.duplicate += f.stats.duplicate;
        totals.rejected += f.stats.rejected;
        totals.replaced += f.stats.replaced;
    }
    Ok(ImportReport {
        version: JSON_VERSION,
        dry_run: opts.dry_run,
        files,
        accounts,
        warnings,
        unrecognized,
        refused: refused_all,
        totals,
        duration_ms: started.elapsed().as_millis() as u64,
    })
}

fn check_required_options(catalog: &Catalog, plan: &[Planned], opts: &ImportOptions) -> Result<()> {
    let mut seen = Vec::new();
    for p in plan {
        if seen.contains(&(p.importer, p.rule)) {
            continue;
        }
        seen.push((p.importer, p.rule));
        let spec = &catalog.importers[p.importer].spec;
        let rule = &spec.files[p.rule].name;
        for o in spec
            .options
            .iter()
            .filter(|o| o.required || o.required_for.contains(rule))
        {
            if !opts.options.contains_key(&o.name) {
                return Err(Error::MissingImportOption {
                    importer: spec.id.clone(),
                    option: o.name.clone(),
                    help: o.help.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Options given that no importer in the plan declares (e.g. `--keep-ip` for an X archive):
/// said, not silently ignored.
fn unused_options(catalog: &Catalog, plan: &[Planned], opts: &ImportOptions) -> Vec<String> {
    let mut importers: Vec<usize> = plan.iter().map(|p| p.importer).collect();
    importers.sort_unstable();
    importers.dedup();
    let ids: Vec<&str> = importers
        .iter()
        .map(|&i| catalog.importers[i].spec.id.as_str())
        .collect();
    opts.options
        .keys()
        .filter(|name| {
            !importers
                .iter()
                .any(|&i| catalog.importers[i].spec.option(name).is_some())
        })
        .map(|name| {
            format!(
                "--{} does not apply to {}: ignored",
                name.replace('_', "-"),
                ids.join(", ")
            )
        })
        .collect()
}

/// The (importer, rule) that reads `entry`, if any. Rules that need an option not given
/// (`option = "with-media"`) do not apply.
fn recognize(
    c: &mut Container,
    entry: &Entry,
    catalog: &Catalog,
    candidates: &[usize],
    ignore_globs: bool,
    opts: &ImportOptions,
) -> Result<Option<(usize, usize)>> {
    let mut head: Option<std::result::Result<Vec<u8>, String>> = None;
    for pass in 0..2 {
        if pass == 1 && !ignore_globs {
            break;
        }
        for &i in candidates {
            let imp: &Importer = &catalog.importers[i];
            let rules: Vec<usize> = if pass == 0 {
                imp.matching_rules(&entry.member).collect()
            } else {
                // `--source` with a single oddly named file: match by content only.
                (0..imp.spec.files.len())
                    .filter(|&r| imp.rule(r).sniff.is_some())
                    .collect()
            };
            for r in rules {
                let rule = imp.rule(r);
                if rule
                    .option
                    .as_ref()
                    .is_some_and(|o| !opts.options.contains_key(o))
                {
                    continue;
                }
                match &rule.sniff {
                    None => return Ok(Some((i, r))),
                    Some(sniff) => {
                        if head.is_none() {
                            head = Some(read_head(c, entry, 64 * 1024)?);
                        }
                        match head.as_ref() {
                            Some(Ok(bytes)) if sniff.matches(bytes) => return Ok(Some((i, r))),
                            Some(Err(e)) => {
                                return Err(Error::BadContainer {
                                    path: c.path().to_path_buf(),
                                    detail: format!("{} cannot be read ({e})", entry.member),
                                });
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    Ok(None)
}

/// The first `max` bytes of an entry, or why it cannot be read at all.
fn read_head(
    c: &mut Container,
    entry: &Entry,
    max: usize,
) -> Result<std::result::Result<Vec<u8>, String>> {
    let mut budget = u64::MAX;
    let mut reader = c.open_entry(entry, &mut budget)?;
    let mut buf = vec![0u8; max];
    let mut n = 0;
    while n < max {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // With some bytes read, sniff them; the import itself reports the error.
            Err(_) if n > 0 => break,
            Err(e) => return Ok(Err(e.to_string())),
        }
    }
    buf.truncate(n);
    Ok(Ok(buf))
}

#[allow(clippy::too_many_arguments)]
fn import_plan(
    conn: &Connection,
    catalog: &Catalog,
    containers: &mut [Container],
    listings: &[Vec<Entry>],
    plan: &[Planned],
    opts: &ImportOptions,
    observer: &dyn Observer,
    accounts: &mut Vec<AccountReport>,
    warnings: &mut Vec<String>,
) -> Result<Vec<FileReport>> {
    let mut reports = Vec::new();
    let mut i = 0;
    let mut budgets: Vec<u64> = vec![container::MAX_TOTAL_INFLATED; containers.len()];
    while i < plan.len() {
        let importer = &catalog.importers[plan[i].importer];
        let group_end = plan[i..]
            .iter()
            .position(|p| p.importer != plan[i].importer)
            .map_or(plan.len(), |n| i + n);
        let run_id = start_run(conn, &importer.spec, &plan[i..group_end], containers, opts)?;
        // The account of each container this importer reads, resolved before its files.
        let mut group_accounts: BTreeMap<usize, AccountInfo> = BTreeMap::new();
        for p in &plan[i..group_end] {
            if group_accounts.contains_key(&p.container) {
                continue;
            }
            let info = match &opts.account {
                Some(a) => AccountInfo::named(a.clone()),
                None => account::resolve(
                    importer,
                    &mut containers[p.container],
                    &listings[p.container],
                    warnings,
                ),
            };
            accounts.push(AccountReport {
                path: containers[p.container].path().display().to_string(),
                importer: importer.spec.id.clone(),
                account: info.clone(),
            });
            group_accounts.insert(p.container, info);
        }
        let mut outcome: Result<()> = Ok(());
        let mut k = i;
        // Each run of files from one container is read by one decoder thread (files.rs).
        while k < group_end && outcome.is_ok() {
            let container = plan[k].container;
            let run_end = plan[k..group_end]
                .iter()
                .position(|p| p.container != container)
                .map_or(group_end, |n| k + n);
            let path = containers[container].path().display().to_string();
            let run = files::Run {
                conn,
                importer,
                run_id,
                opts,
                account: &group_accounts[&container],
                observer,
                source_id: std::cell::Cell::new(None),
            };
            let mut each = |outcome: files::FileOutcome, p: &Planned| match outcome {
                Ok(report) => {
                    observer.file_finished(&report);
                    let strict_fail = opts.strict && report.status == FileStatus::Partial;
                    reports.push(report);
                    if strict_fail {
                        files::Next::Stop(Error::StrictPartial)
                    } else {
                        files::Next::Continue
                    }
                }
                Err(e @ (Error::Interrupted | Error::StrictReject { .. })) => files::Next::Stop(e),
                Err(e) if is_fatal(&e) => files::Next::Stop(e),
                Err(e) => {
                    let report = FileReport {
                        path: path.clone(),
                        member: p.entry.member.clone(),
                        importer: importer.spec.id.clone(),
                        status: FileStatus::Failed,
                        reason: Some(e.to_string()),
                        stats: FileStats::default(),
                        bytes: 0,
                        duration_ms: 0,
                    };
                    observer.file_finished(&report);
                    reports.push(report);
                    if opts.strict {
                        files::Next::Stop(e)
                    } else {
                        files::Next::Continue
                    }
                }
            };
            outcome = run.import(
                &plan[k..run_end],
                &mut containers[container],
                &mut budgets[container],
                &mut each,
            );
            k = run_end;
        }
        let status = match &outcome {
            Ok(()) => "complete",
            Err(Error::Interrupted) => "interrupted",
            Err(_) => "failed",
        };
        finish_run(conn, run_id, status, &reports)?;
        outcome?;
        i = group_end;
    }
    Ok(reports)
}

/// Errors that stop the whole import rather than one file (the vault itself is in trouble).
fn is_fatal(e: &Error) -> bool {
    match e {
        Error::DiskFull { .. } | Error::DatabaseDamaged { .. } => true,
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => matches!(
            f.code,
            rusqlite::ErrorCode::SystemIoFailure
                | rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::CannotOpen
        ),
        _ => false,
    }
}

fn start_run(
    conn: &Connection,
    spec: &Spec,
    files: &[Planned],
    containers: &[Container],
    opts: &ImportOptions,
) -> Result<i64> {
    let mut paths: Vec<String> = files
        .iter()
        .map(|p| containers[p.container].path().display().to_string())
        .collect();
    paths.dedup();
    let args = serde_json::json!({
        "paths": paths,
        "dry_run": opts.dry_run,
        "strict": opts.strict,
        "options": opts.options,
    });
    conn.execute(
        "INSERT INTO import_runs (importer, importer_version, kind, started_ms, status, args)
         VALUES (?1, ?2, 'import', ?3, 'running', ?4)",
        params![spec.id, spec.version, now_ms(), args.to_string()],
    )?;
    Ok(conn.last_insert_rowid())
}

fn finish_run(conn: &Connection, run_id: i64, status: &str, reports: &[FileReport]) -> Result<()> {
    let mut stats = serde_json::Map::new();
    let sum = |f: fn(&FileReport) -> u64| reports.iter().map(f).sum::<u64>();
    stats.insert("files".into(), reports.len().into());
    stats.insert("seen".into(), sum(|r| r.stats.seen).into());
    stats.insert("added".into(), sum(|r| r.stats.added).into());
    stats.insert("duplicate".into(), sum(|r| r.stats.duplicate).into());
    stats.insert("rejected".into(), sum(|r| r.stats.rejected).into());
    stats.insert("replaced".into(), sum(|r| r.stats.replaced).into());
    conn.execute(
        "UPDATE import_runs SET status = ?1, finished_ms = ?2, stats = ?3 WHERE id = ?4",
        params![
            status,
            now_ms(),
            serde_json::Value::Object(stats).to_string(),
            run_id
        ],
    )?;
    Ok(())
}

/// The `sources` row of an importer and account, created on first use.
pub fn source_id(conn: &Connection, importer: &str, account: &str) -> Result<i64> {
    account_source_id(conn, importer, &AccountInfo::named(account))
}

/// The source (importer, account), created on first sight; its display name and attrs follow
/// the newest export that states them.
pub fn account_source_id(conn: &Connection, importer: &str, account: &AccountInfo) -> Result<i64> {
    let attrs = (!account.attrs.is_empty())
        .then(|| serde_json::Value::Object(account.attrs.clone()).to_string());
    conn.execute(
        "INSERT INTO sources (importer, account, display_name, attrs, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (importer, account) DO UPDATE SET
            display_name = coalesce(excluded.display_name, display_name),
            attrs = coalesce(excluded.attrs, attrs)",
        params![
            importer,
            account.account,
            account.display_name,
            attrs,
            now_ms()
        ],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM sources WHERE importer = ?1 AND account = ?2",
        params![importer, account.account],
        |r| r.get(0),
    )?)
}

/// The decoder the context's rule names: a Rust decoder, or a generic format with its mapping.
pub fn create_decoder(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    match (&ctx.rule.decoder, &ctx.rule.format) {
        (Some(name), _) => decoders::create(name, ctx),
        (None, Some(format)) => generic::create(format, ctx),
        (None, None) => unreachable!("validated when the spec was loaded"),
    }
}

/// Runs a decoder over in-memory bytes and returns its records (for tests and fuzzing).
pub fn decode_bytes(
    decoder: &mut dyn Decoder,
    bytes: &[u8],
) -> (
    Vec<crate::model::Record>,
    std::result::Result<(), DecodeError>,
) {
    decode_buffered(decoder, bytes, 8 * 1024)
}

/// [`decode_bytes`] through a read buffer of `capacity` bytes: a decoder's output must not
/// depend on where its input's buffer boundaries fall (the fuzz targets vary it).
pub fn decode_buffered(
    decoder: &mut dyn Decoder,
    bytes: &[u8],
    capacity: usize,
) -> (
    Vec<crate::model::Record>,
    std::result::Result<(), DecodeError>,
) {
    let (tx, rx) = std::sync::mpsc::sync_channel(CHANNEL_BATCHES);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut emitter = Emitter::new(tx, Arc::new(std::sync::atomic::AtomicBool::new(false)));
            let capacity = capacity.max(1);
            let mut input = io::BufReader::with_capacity(capacity, Chunks { bytes, capacity });
            let mut result = decoder.decode(&mut input, &mut emitter);
            if !matches!(result, Err(DecodeError::Stopped))
                && let Err(e) = emitter.flush()
            {
                result = Err(e);
            }
            result
        });
        let records: Vec<_> = rx.iter().flatten().collect();
        let result = worker
            .join()
            .unwrap_or_else(|_| Err(DecodeError::fatal("decoder", "panicked")));
        (records, result)
    })
}

/// Hands out at most `capacity` bytes per read, like a reader over a zip member or a pipe
/// that returns short reads (a plain `&[u8]` would fill any buffer at once).
struct Chunks<'a> {
    bytes: &'a [u8],
    capacity: usize,
}

impl Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.capacity).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::model::Record;

    /// Decodes a fixture with a builtin rule through read buffers of every small size and a
    /// large one; returns the output of each (records and end, as Debug text).
    fn outputs(importer: &str, rule: &str, member: &str, bytes: &[u8]) -> Vec<(usize, String)> {
        let catalog = crate::fuzzing::catalog();
        let spec = &catalog.get(importer).unwrap().spec;
        let rule = spec.files.iter().position(|r| r.name == rule).unwrap();
        let options = BTreeMap::from([("timezone".to_string(), "UTC".to_string())]);
        [1, 2, 3, 4, 5, 7, 8, 64, 256 * 1024]
            .into_iter()
            .map(|cap| {
                let out = crate::fuzzing::decode(spec, rule, member, &options, bytes, cap).unwrap();
                (cap, format!("{out:?}"))
            })
            .collect()
    }

    /// Runs the decoder of a builtin rule over a reader (not a slice: the inputs below are
    /// larger than a test should hold); returns the records' count and how the file ended.
    fn decode_stream(
        importer: &str,
        rule: &str,
        member: &str,
        mut input: impl std::io::BufRead + Send,
    ) -> (usize, std::result::Result<(), super::DecodeError>) {
        let catalog = crate::fuzzing::catalog();
        let spec = &catalog.get(importer).unwrap().spec;
        let rule = spec.files.iter().position(|r| r.name == rule).unwrap();
        let options = BTreeMap::from([("timezone".to_string(), "UTC".to_string())]);
        let account = super::AccountInfo::default();
        let ctx = super::DecodeContext {
            spec,
            rule: &spec.files[rule],
            member,
            size: 0,
            options: &options,
            account: &account,
        };
        let mut decoder = super::create_decoder(&ctx).unwrap();
        let (tx, rx) = std::sync::mpsc::sync_channel(super::CHANNEL_BATCHES);
        std::thread::scope(|scope| {
            let worker = scope.spawn(move || {
                let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                let mut out = super::Emitter::new(tx, stop);
                let result = decoder.decode(&mut input, &mut out);
                out.flush().unwrap();
                result
            });
            let records = rx.iter().map(|b| b.len()).sum();
            (records, worker.join().unwrap())
        })
    }

    /// A record whose quote never closes would be read whole, however large; it stops at
    /// limit::MAX_RECORD with an error instead (the records before it are kept).
    #[test]
    fn a_quote_that_never_closes_stops_at_the_record_limit() {
        use std::io::{BufReader, Read};
        let huge = || std::io::repeat(b'x').take(crate::import::limit::MAX_RECORD + (1 << 20));
        let csv = b"id,permalink,date,ip,subreddit,gildings,title,url,body\n\
                    a1,/r/x/a1,2023-01-15 12:34:56 UTC,,x,0,t,,b\n\
                    a2,/r/x/a2,2023-01-15 12:34:57 UTC,,x,0,t,,\"";
        let input = BufReader::new((&csv[..]).chain(huge()));
        let (records, end) = decode_stream("reddit", "posts", "posts.csv", input);
        assert!(records >= 1);
        match end {
            Err(super::DecodeError::Fatal { message, .. }) => {
                assert!(message.contains("spans more than 64 MiB"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let xml = b"<?xml version=\"1.0\"?>\n<HealthData locale=\"en_US\">\n\
                    <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"W\" unit=\"count/min\" \
                    startDate=\"2024-01-01 00:00:00 +0000\" endDate=\"2024-01-01 00:00:00 +0000\" value=\"60\"/>\n\
                    <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"";
        let input = BufReader::new((&xml[..]).chain(huge()));
        let (records, end) = decode_stream("apple-health", "export", "export.xml", input);
        assert!(records >= 1);
        match end {
            Err(super::DecodeError::Fatal { message, .. }) => {
                assert!(message.contains("spans more than 64 MiB"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    /// Found by the csv and decoders fuzz targets: the byte order mark and the CRLF line
    /// number correction were looked for in the first read buffer, which a short read (a zip
    /// member can hand out a few bytes at a time) cuts before the mark or the first line end:
    /// the mark then reached the header's first column, and locators moved by a line.
    #[test]
    fn csv_output_does_not_depend_on_how_reads_are_cut() {
        let teslafi = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/teslafi/TeslaFi102024.csv"
        ))
        .unwrap();
        assert!(teslafi.starts_with(b"\xEF\xBB\xBF") && teslafi.windows(2).any(|w| w == b"\r\n"));
        let reddit = "\u{feff}id,permalink,date,ip,subreddit,gildings,title,url,body\r\n\
                      a1,/r/x/a1,2023-01-15 12:34:56 UTC,,x,0,t,,b\r\n\
                      a2,/r/x/a2,not a date,,x,0,t,,b\r\n";
        for (importer, rule, member, bytes) in [
            ("teslafi", "month", "TeslaFi102024.csv", &teslafi[..]),
            ("reddit", "posts", "posts.csv", reddit.as_bytes()),
        ] {
            let all = outputs(importer, rule, member, bytes);
            let (_, large) = all.last().unwrap();
            for (cap, out) in &all {
                assert_eq!(out, large, "{importer}: a read buffer of {cap} bytes");
            }
        }
        // And the locators are right: the bad date is on line 3.
        let catalog = crate::fuzzing::catalog();
        let spec = &catalog.get("reddit").unwrap().spec;
        let rule = spec.files.iter().position(|r| r.name == "posts").unwrap();
        let (records, end) = crate::fuzzing::decode(
            spec,
            rule,
            "posts.csv",
            &BTreeMap::new(),
            reddit.as_bytes(),
            1,
        )
        .unwrap();
        assert!(end.is_ok());
        let rejected: Vec<&str> = records
            .iter()
            .filter_map(|r| match r {
                Record::Reject(r) => Some(r.locator.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(rejected, ["line 3"]);
    }
}
