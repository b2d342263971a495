//! `trove sync oura`: Oura API v2 into the vault, incrementally.
//!
//! For each collection (`GET /v2/usercollection/<name>`), days are fetched in windows
//! (`start_date`/`end_date`; heart rate takes `start_datetime`/`end_datetime` and at most 30
//! days at a time), every window page by page (`next_token` until it comes back null). Each
//! page is mapped by the Oura decoder's [`Mapper`] — the code that reads the hub export — and
//! written in its own transaction. After a window, `sync_state` records the collection's last
//! complete day; the next sync starts [`OVERLAP_DAYS`] before it (data reaches Oura late when
//! the ring syncs late), and natural keys make the re-fetched rows add nothing. `--since`
//! backfills from a date; without a cursor or `--since`, everything since [`FIRST_DAY`] is
//! fetched (heart rate: since the earliest Oura day already in the vault).
//!
//! Date ranges: Oura filters daily collections by each record's `timestamp`, and reads a
//! date-only `end_date` as that day's midnight, so a window's `end_date` is the day after its
//! last day, the last window ends two days after today (UTC) so that "today" in any time zone
//! is inside, and consecutive windows overlap by a day.

use std::collections::HashSet;
use std::time::Instant as Clock;

use jiff::ToSpan;
use jiff::civil::{Date, date};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value as Json;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::import::decoders::oura::{Collection, MapState, Mapper};
use crate::import::spec::Spec;
use crate::import::writer::{FileContext, FileStats, Writer};
use crate::output::JSON_VERSION;
use crate::sync::http::{Client, Failure, RetryPolicy};
use crate::sync::{Tx, last_day, pump, set_last_day};
use crate::vault::{Vault, now_ms};

pub const SERVICE: &str = "oura";
pub const DISPLAY: &str = "Oura";
pub const API_BASE: &str = "https://api.ouraring.com";
pub const TOKEN_URL: &str = "https://cloud.ouraring.com/personal-access-tokens";
pub const TOKEN_ENV: &str = "OURA_TOKEN";
/// The name of the token in the vault's `secrets` table.
pub const TOKEN_SECRET: &str = "oura.token";
/// Days before the last synced day that a sync fetches again.
pub const OVERLAP_DAYS: i32 = 2;
/// Where a first sync starts (the first Oura ring shipped in 2015).
pub const FIRST_DAY: Date = date(2015, 1, 1);
const DAILY_WINDOW_DAYS: i32 = 365;
const HEART_RATE_WINDOW_DAYS: i32 = 30;
/// A runaway `next_token` chain stops here.
const MAX_PAGES_PER_WINDOW: u64 = 100_000;

/// The collections a sync pulls, in order. Heart rate comes last: without a cursor it starts
/// at the earliest day the others found.
pub const SYNCED: &[Collection] = &[
    Collection::DailySleep,
    Collection::Sleep,
    Collection::DailyReadiness,
    Collection::DailyActivity,
    Collection::DailySpo2,
    Collection::DailyStress,
    Collection::DailyResilience,
    Collection::DailyCardiovascularAge,
    Collection::Vo2Max,
    Collection::Workout,
    Collection::HeartRate,
];

pub struct Options {
    pub api_base: String,
    /// Fetch from this day instead of the cursor (backfill).
    pub since: Option<Date>,
    /// The last day to fetch; default today (UTC).
    pub until: Option<Date>,
    /// Only these (default: all of [`SYNCED`]).
    pub collections: Vec<Collection>,
    /// Keep the token in the vault once the API has accepted it.
    pub save_token: bool,
    pub retry: RetryPolicy,
}

/// Progress hooks (the CLI shows a spinner per collection on a terminal).
pub trait Progress {
    fn started(&self, _collection: &str) {}
    fn page(&self, _collection: &str, _pages: u64, _records: u64) {}
    fn retry(&self, _message: &str) {}
    fn finished(&self, _report: &CollectionReport) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CollectionReport {
    pub collection: String,
    /// `complete`, `failed` (this collection; the others went on) or `stopped` (the sync
    /// stopped here: token refused, API unreachable, interrupted).
    pub status: String,
    pub start_date: Option<String>,
    pub last_day: Option<String>,
    pub requests: u64,
    pub pages: u64,
    pub seen: u64,
    pub added: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub replaced: u64,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub collections: usize,
    pub failed: usize,
    pub requests: u64,
    pub seen: u64,
    pub added: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub replaced: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SyncReport {
    pub version: u32,
    pub service: &'static str,
    pub api_base: String,
    pub run_id: i64,
    pub until: String,
    pub token_saved: bool,
    pub collections: Vec<CollectionReport>,
    pub totals: Totals,
    pub duration_ms: u64,
}

/// A sync's report, and the error that ended it early, if one did. The report is worth
/// showing either way: it says what was committed.
pub struct Outcome {
    pub report: SyncReport,
    pub error: Option<Error>,
}

/// Today's date in UTC.
pub fn today_utc() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Reads the token kept in the vault.
pub fn stored_token(conn: &Connection) -> Result<Option<Zeroizing<String>>> {
    use rusqlite::OptionalExtension;
    let v: Option<Zeroizing<Vec<u8>>> = conn
        .query_row(
            "SELECT value FROM secrets WHERE name = ?1",
            [TOKEN_SECRET],
            |r| r.get::<_, Vec<u8>>(0),
        )
        .optional()?
        .map(Zeroizing::new);
    Ok(v.and_then(|b| String::from_utf8(b.to_vec()).ok().map(Zeroizing::new)))
}

pub fn save_token(conn: &Connection, token: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![TOKEN_SECRET, token.as_bytes()],
    )?;
    Ok(())
}

/// Removes the kept token; true if there was one.
pub fn forget_token(conn: &Connection) -> Result<bool> {
    Ok(conn.execute("DELETE FROM secrets WHERE name = ?1", [TOKEN_SECRET])? > 0)
}

struct Run<'a> {
    conn: &'a Connection,
    client: Client,
    mapper: Mapper,
    importer: &'a str,
    source_id: i64,
    run_id: i64,
    opts: &'a Options,
    today: Date,
    progress: &'a dyn Progress,
    token: Zeroizing<String>,
    token_saved: bool,
}

/// What ends a collection early.
enum Stop {
    /// This collection failed; the others can go on.
    Collection(String),
    /// The whole sync stops.
    Sync(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Sync(e)
    }
}

/// Pulls the API into the vault. Errors before anything was fetched (a bad address) are
/// returned as `Err`; errors during the sync end it early and come back in the [`Outcome`].
pub fn sync(
    vault: &mut Vault,
    spec: &Spec,
    token: Zeroizing<String>,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let started = Clock::now();
    let mapper = Mapper::from_spec(spec)?;
    let client = Client::new(&opts.api_base, token.clone(), opts.retry.clone())?;
    let conn = &vault.conn;
    // This process holds the writer lock: a run still marked running was killed.
    conn.execute(
        "UPDATE import_runs SET status = 'interrupted' WHERE status = 'running'",
        [],
    )?;
    let today = opts.until.unwrap_or_else(today_utc);
    let collections: Vec<Collection> = if opts.collections.is_empty() {
        SYNCED.to_vec()
    } else {
        SYNCED
            .iter()
            .copied()
            .filter(|c| opts.collections.contains(c))
            .collect()
    };
    let args = serde_json::json!({
        "api_base": opts.api_base,
        "since": opts.since.map(|d| d.to_string()),
        "until": today.to_string(),
        "collections": collections.iter().map(|c| c.api_name()).collect::<Vec<_>>(),
        "save_token": opts.save_token,
    });
    conn.execute(
        "INSERT INTO import_runs (importer, importer_version, kind, started_ms, status, args)
         VALUES (?1, ?2, 'sync', ?3, 'running', ?4)",
        params![spec.id, spec.version, now_ms(), args.to_string()],
    )?;
    let run_id = conn.last_insert_rowid();
    let source_id = crate::import::source_id(conn, &spec.id, "")?;
    let mut run = Run {
        conn,
        client,
        mapper,
        importer: &spec.id,
        source_id,
        run_id,
        opts,
        today,
        progress,
        token,
        token_saved: false,
    };

    let mut reports = Vec::new();
    let mut error = None;
    for coll in collections {
        if crate::interrupt::requested() {
            error = Some(Error::Interrupted);
            break;
        }
        progress.started(coll.api_name());
        let mut report = CollectionReport {
            collection: coll.api_name().to_string(),
            ..Default::default()
        };
        let result = run.collection(coll, &mut report);
        report.status = match &result {
            Ok(()) => "complete".into(),
            Err(Stop::Collection(msg)) => {
                report.error = Some(msg.clone());
                "failed".into()
            }
            Err(Stop::Sync(e)) => {
                report.error = Some(e.to_string());
                "stopped".into()
            }
        };
        progress.finished(&report);
        reports.push(report);
        if let Err(Stop::Sync(e)) = result {
            error = Some(e);
            break;
        }
    }

    let mut totals = Totals {
        collections: reports.len(),
        requests: run.client.requests,
        ..Default::default()
    };
    for r in &reports {
        totals.failed += (r.status != "complete") as usize;
        totals.seen += r.seen;
        totals.added += r.added;
        totals.duplicate += r.duplicate;
        totals.rejected += r.rejected;
        totals.replaced += r.replaced;
    }
    if error.is_none() && totals.failed > 0 {
        error = Some(Error::SyncIncomplete {
            service: DISPLAY,
            failed: totals.failed,
            total: totals.collections,
        });
    }
    let status = match &error {
        None => "complete",
        Some(Error::Interrupted) => "interrupted",
        Some(_) => "failed",
    };
    conn.execute(
        "UPDATE import_runs SET status = ?1, finished_ms = ?2, stats = ?3 WHERE id = ?4",
        params![
            status,
            now_ms(),
            serde_json::to_string(&totals).unwrap_or_default(),
            run_id
        ],
    )?;
    Ok(Outcome {
        report: SyncReport {
            version: JSON_VERSION,
            service: SERVICE,
            api_base: opts.api_base.clone(),
            run_id,
            until: today.to_string(),
            token_saved: run.token_saved,
            collections: reports,
            totals,
            duration_ms: started.elapsed().as_millis() as u64,
        },
        error,
    })
}

fn days(d: Date, n: i32) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

impl Run<'_> {
    fn collection(
        &mut self,
        coll: Collection,
        report: &mut CollectionReport,
    ) -> std::result::Result<(), Stop> {
        let name = coll.api_name();
        let cursor = last_day(self.conn, SERVICE, "", name)?;
        let start = match (self.opts.since, cursor) {
            (Some(since), _) => since,
            (None, Some(last)) => days(last, -OVERLAP_DAYS),
            (None, None) if coll == Collection::HeartRate => {
                self.earliest_day()?.unwrap_or(FIRST_DAY)
            }
            (None, None) => FIRST_DAY,
        };
        // Exclusive end: Oura reads a date-only end as its midnight.
        let end = days(self.today, 2);
        report.start_date = Some(start.to_string());
        let window = if coll == Collection::HeartRate {
            HEART_RATE_WINDOW_DAYS
        } else {
            DAILY_WINDOW_DAYS
        };
        let mut from = start;
        while from < end {
            let to = days(from, window).min(end);
            self.window(coll, from, to, report)?;
            let done = days(to, -1).min(self.today);
            set_last_day(self.conn, SERVICE, "", name, done)?;
            report.last_day = Some(done.to_string());
            if to >= end {
                break;
            }
            // Windows overlap by a day: no record falls between two of them.
            from = days(to, -1);
        }
        Ok(())
    }

    /// The earliest day of Oura data already in the vault (from the export or the daily
    /// collections just synced), where heart rate starts without a cursor.
    fn earliest_day(&self) -> Result<Option<Date>> {
        // `sources.min_ms` is kept by every import and sync page: no scan of the samples.
        let ms: Option<i64> = self.conn.query_row(
            "SELECT min_ms FROM sources WHERE id = ?1",
            [self.source_id],
            |r| r.get(0),
        )?;
        Ok(ms
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| days(t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(), -1)))
    }

    fn window(
        &mut self,
        coll: Collection,
        from: Date,
        to: Date,
        report: &mut CollectionReport,
    ) -> std::result::Result<(), Stop> {
        let path = format!("/v2/usercollection/{}", coll.api_name());
        let mut query: Vec<(&str, String)> = if coll == Collection::HeartRate {
            vec![
                ("start_datetime", format!("{from}T00:00:00Z")),
                ("end_datetime", format!("{to}T00:00:00Z")),
            ]
        } else {
            vec![
                ("start_date", from.to_string()),
                ("end_date", to.to_string()),
            ]
        };
        let what = self.client.describe(&path, &query);
        let mut tokens = HashSet::new();
        let mut pages = 0u64;
        loop {
            if crate::interrupt::requested() {
                return Err(Stop::Sync(Error::Interrupted));
            }
            let before = self.client.requests;
            let progress = self.progress;
            let body = self.client.get(&path, &query, &mut |m| {
                progress.retry(&format!("{what}: {m}"))
            });
            report.requests += self.client.requests - before;
            let body = match body {
                Ok(b) => b,
                Err(Failure::Auth { status }) => {
                    return Err(Stop::Sync(Error::ApiAuth {
                        service: DISPLAY,
                        status,
                        token_url: TOKEN_URL,
                    }));
                }
                Err(Failure::Unavailable { detail }) if detail == "interrupted" => {
                    return Err(Stop::Sync(Error::Interrupted));
                }
                Err(Failure::Unavailable { detail }) => {
                    return Err(Stop::Sync(Error::ApiUnavailable {
                        service: DISPLAY,
                        what,
                        detail,
                    }));
                }
                Err(Failure::Rejected { detail }) => {
                    return Err(Stop::Collection(format!("{what}: {detail}")));
                }
            };
            if self.opts.save_token && !self.token_saved {
                // The API accepted it: worth keeping.
                save_token(self.conn, &self.token)?;
                self.token_saved = true;
            }
            let page: Page = serde_json::from_slice(&body).map_err(|e| {
                Stop::Collection(format!("{what}: the answer is not an Oura API page ({e})"))
            })?;
            drop(body);
            pages += 1;
            report.pages += 1;
            let stats = self.write_page(coll, report.pages, page.data.unwrap_or_default())?;
            report.seen += stats.seen;
            report.added += stats.added;
            report.duplicate += stats.duplicate;
            report.rejected += stats.rejected;
            report.replaced += stats.replaced;
            self.progress
                .page(coll.api_name(), report.pages, report.seen);
            match page.next_token.filter(|t| !t.is_empty()) {
                None => return Ok(()),
                Some(t) => {
                    if !tokens.insert(t.clone()) || pages >= MAX_PAGES_PER_WINDOW {
                        return Err(Stop::Collection(format!(
                            "{what}: the API keeps returning more pages (next_token repeats)"
                        )));
                    }
                    query.retain(|(k, _)| *k != "next_token");
                    query.push(("next_token", t));
                }
            }
        }
    }

    /// Maps and writes one page in one transaction.
    fn write_page(&self, coll: Collection, page: u64, data: Vec<Json>) -> Result<FileStats> {
        let member = format!("api:/v2/usercollection/{}", coll.api_name());
        let tx = Tx::begin(self.conn)?;
        let mut writer = Writer::new(
            self.conn,
            FileContext {
                importer: self.importer,
                source_id: self.source_id,
                run_id: self.run_id,
                file_id: None,
                member: Some(&member),
                strict: false,
            },
        )?;
        writer.replace_day_values(self.mapper.replace_day_values);
        let mapper = &self.mapper;
        let produced = pump(&mut writer, move |out| {
            let mut state = MapState::default();
            for (i, record) in data.into_iter().enumerate() {
                let loc = format!("page {page} record {}", i + 1);
                match record {
                    Json::Object(obj) => mapper.map(&mut state, coll, &obj, &loc, out)?,
                    other => out.reject(
                        loc,
                        "a record is not a JSON object",
                        Some(crate::import::pipeline::truncate(&other.to_string(), 80)),
                    )?,
                }
            }
            Ok(())
        })?;
        match produced {
            Ok(()) => {}
            Err(crate::import::pipeline::DecodeError::Stopped) => return Err(Error::Interrupted),
            Err(crate::import::pipeline::DecodeError::Fatal { locator, message }) => {
                writer.file_error(&locator, &message)?;
            }
        }
        writer.finish()?;
        let stats = writer.stats();
        drop(writer);
        if let (Some(min), Some(max)) = (stats.min_ms, stats.max_ms) {
            self.conn.execute(
                "UPDATE sources SET min_ms = min(coalesce(min_ms, ?1), ?1), max_ms = max(coalesce(max_ms, ?2), ?2)
                 WHERE id = ?3",
                params![min, max, self.source_id],
            )?;
        }
        tx.commit()?;
        Ok(stats)
    }
}

/// One answer of a collection endpoint.
#[derive(serde::Deserialize)]
struct Page {
    #[serde(default)]
    data: Option<Vec<Json>>,
    #[serde(default)]
    next_token: Option<String>,
}
