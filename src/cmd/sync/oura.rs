//! `trove sync oura`: Oura API v2 into the vault (the work is in src/sync/oura.rs).

use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::Date;
use zeroize::Zeroizing;

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::import::decoders::oura::Collection;
use crate::import::{self, spec::Catalog};
use crate::output::{JSON_VERSION, Output, sanitize};
use crate::sync::http::RetryPolicy;
use crate::sync::oura::{
    self, API_BASE, CollectionReport, DISPLAY, Options, Progress, SYNCED, SyncReport, TOKEN_ENV,
    TOKEN_URL,
};
use crate::vault::Access;

/// Pulls your Oura data (API v2) into the vault with a personal access token, created at
/// cloud.ouraring.com/personal-access-tokens. The token comes from --token-file, else
/// OURA_TOKEN, else the one an earlier --save-token kept (encrypted) in the vault; it is never
/// a flag value and never printed. Each collection starts two days before the last day the
/// previous sync fetched (late data is picked up, duplicates are not added); --since
/// backfills. A failure keeps what was fetched before it, and the next run resumes.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read the access token from the first line of FILE (- reads stdin)
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Keep the token in the vault (encrypted) once Oura accepts it, for later syncs
    #[arg(long)]
    pub save_token: bool,

    /// Remove the token kept in the vault, and sync nothing
    #[arg(long, conflicts_with_all = ["token_file", "save_token", "since", "until", "collections"])]
    pub forget_token: bool,

    /// Fetch from DATE (YYYY-MM-DD) instead of where the last sync left off
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,

    /// Fetch up to DATE (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,

    /// Only this collection (repeatable) [default: all]
    #[arg(long = "collection", value_name = "NAME", value_parser = collection_names())]
    pub collections: Vec<String>,

    /// The API's address, for a proxy or a test server
    #[arg(long, env = "TROVE_OURA_API_BASE", value_name = "URL", default_value = API_BASE)]
    pub api_base: String,
}

fn parse_date(s: &str) -> std::result::Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn collection_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(SYNCED.iter().map(|c| c.api_name()))
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    crate::interrupt::install();
    if let (Some(t), Some(p)) = (&args.token_file, &ctx.global.passphrase_file)
        && t == Path::new("-")
        && p == Path::new("-")
    {
        return Err(Error::usage(
            "--token-file - and --passphrase-file - cannot both read stdin",
        ));
    }
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since > until
    {
        return Err(Error::usage(format!(
            "--since {since} is after --until {until}"
        )));
    }
    // Read the token file before unlocking: a missing file should not cost a passphrase.
    let from_file = match &args.token_file {
        Some(path) => Some(read_token_file(path)?),
        None => None,
    };
    let catalog = Catalog::load(import::user_spec_dir().as_deref())?;
    let spec = &catalog
        .get(oura::SERVICE)
        .ok_or_else(|| Error::UnknownImporter {
            id: oura::SERVICE.into(),
            known: catalog.ids().join(", "),
        })?
        .spec;
    let mut vault = ctx.open_vault(Access::Write)?;

    if args.forget_token {
        let had = oura::forget_token(&vault.conn)?;
        if ctx.out.json {
            return ctx.out.json_doc(&serde_json::json!({
                "version": JSON_VERSION,
                "service": oura::SERVICE,
                "token_forgotten": had,
            }));
        }
        ctx.out.status(if had {
            "Removed the Oura token kept in the vault."
        } else {
            "No Oura token was kept in the vault."
        });
        return Ok(());
    }

    let token = match from_file {
        Some(t) => t,
        None => match env_token()? {
            Some(t) => t,
            None => oura::stored_token(&vault.conn)?.ok_or(Error::NoApiToken {
                service: DISPLAY,
                env: TOKEN_ENV,
                token_url: TOKEN_URL,
            })?,
        },
    };
    check_token(&token)?;

    let collections = args
        .collections
        .iter()
        .filter_map(|n| Collection::from_name(n))
        .collect();
    let opts = Options {
        api_base: args.api_base.clone(),
        since: args.since,
        until: args.until,
        collections,
        save_token: args.save_token,
        retry: RetryPolicy::from_env(),
    };
    let progress = Spinners::new(ctx.out.clone());
    let outcome = oura::sync(&mut vault, spec, token, &opts, &progress)?;
    progress.clear();
    if ctx.out.json {
        ctx.out.json_doc(&outcome.report)?;
    } else {
        ctx.out.data(render(&outcome.report))?;
        if outcome.report.token_saved {
            ctx.out
                .status("The token is kept in the vault; later syncs need no OURA_TOKEN.");
        }
        if outcome.report.totals.rejected > 0 {
            ctx.out.status(format!(
                "{} record(s) were rejected; `trove status` lists them with where they were.",
                outcome.report.totals.rejected
            ));
        }
    }
    match outcome.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `OURA_TOKEN`, if set and not empty.
fn env_token() -> Result<Option<Zeroizing<String>>> {
    match std::env::var_os(TOKEN_ENV) {
        None => Ok(None),
        Some(v) => {
            let v = Zeroizing::new(
                v.into_string()
                    .map_err(|_| Error::usage(format!("{TOKEN_ENV} is not valid text")))?,
            );
            let t = Zeroizing::new(v.trim().to_string());
            Ok((!t.is_empty()).then_some(t))
        }
    }
}

/// The first line of FILE (`-`: stdin), trimmed.
fn read_token_file(path: &Path) -> Result<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    let context = || format!("reading the token file {}", path.display());
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::io("reading the token from stdin", e))?;
    } else {
        crate::unlock::warn_if_readable_by_others(path);
        let file = std::fs::File::open(path).map_err(|e| Error::io(context(), e))?;
        std::io::BufReader::new(file)
            .read_line(&mut line)
            .map_err(|e| Error::io(context(), e))?;
    }
    let token = Zeroizing::new(line.trim().to_string());
    if token.is_empty() {
        return Err(Error::Usage {
            message: format!("the token file {} is empty", path.display()),
            hint: Some(format!(
                "put the personal access token from {TOKEN_URL} on its first line"
            )),
        });
    }
    Ok(token)
}

/// A token is printable ASCII without spaces; anything else would be sent mangled (or
/// rejected by the HTTP stack with a message that could quote it).
fn check_token(token: &str) -> Result<()> {
    if token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::Usage {
            message: "the access token has characters a token cannot have (spaces, control characters or non-ASCII)".into(),
            hint: Some(format!(
                "copy the personal access token from {TOKEN_URL} again, alone on the first line"
            )),
        });
    }
    Ok(())
}

fn render(r: &SyncReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<26} {:<10} {:<10} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "collection", "from", "to", "requests", "records", "added", "duplicate", "rejected"
    );
    for c in &r.collections {
        let _ = writeln!(
            s,
            "{:<26} {:<10} {:<10} {:>8} {:>9} {:>9} {:>9} {:>9}",
            c.collection,
            c.start_date.as_deref().unwrap_or("-"),
            c.last_day.as_deref().unwrap_or("-"),
            c.requests,
            c.seen,
            c.added,
            c.duplicate,
            c.rejected
        );
        if let Some(e) = &c.error {
            let _ = writeln!(s, "  {}: {}", c.status, sanitize(e));
        }
    }
    let t = &r.totals;
    let _ = writeln!(
        s,
        "{DISPLAY}: {} collection(s) up to {}, {} failed; {} request(s); {} records, {} added, {} duplicate, {} rejected{} in {:.1} s",
        t.collections,
        r.until,
        t.failed,
        t.requests,
        t.seen,
        t.added,
        t.duplicate,
        t.rejected,
        if t.replaced > 0 {
            format!(", {} day value(s) revised", t.replaced)
        } else {
            String::new()
        },
        r.duration_ms as f64 / 1000.0
    );
    s
}

/// A spinner per collection on stderr (a terminal only); retries as status lines.
struct Spinners {
    out: Output,
    bar: Mutex<Option<ProgressBar>>,
}

impl Spinners {
    fn new(out: Output) -> Self {
        Spinners {
            out,
            bar: Mutex::new(None),
        }
    }

    fn clear(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(bar) = b.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Spinners {
    fn started(&self, collection: &str) {
        self.clear();
        if !self.out.progress {
            return;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:<26} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(collection.to_string());
        bar.set_message("requesting…");
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    fn page(&self, _collection: &str, pages: u64, records: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some(bar) = b.as_ref()
        {
            bar.set_message(format!("{pages} page(s), {records} records"));
        }
    }

    fn retry(&self, message: &str) {
        let line = sanitize(message);
        match self.bar.lock().ok().and_then(|b| b.clone()) {
            Some(bar) => bar.suspend(|| self.out.status(&line)),
            None => self.out.status(&line),
        }
    }

    fn finished(&self, _report: &CollectionReport) {
        self.clear();
    }
}
