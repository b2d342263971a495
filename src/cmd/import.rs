//! `trove import`: bring exports into the vault.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::import::{
    self, FileReport, FileStatus, ImportOptions, ImportReport, Observer, spec::Catalog,
    writer::FileStats,
};
use crate::output::{human_bytes, rfc3339_ms, sanitize};
use crate::vault::Access;

/// Imports exports: zip files, unzipped folders or single files. The importer is recognized
/// from the contents (see `trove sources`) unless --source names it. Each file is imported in
/// one transaction; files already imported are skipped, and records already in the vault are
/// counted as duplicates, so re-importing a newer, overlapping export adds only what is new.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exports to import: zip files, directories or single files
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Use this importer instead of recognizing the input (ids: `trove sources`)
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,

    /// Read everything and report what would be added, without changing the vault
    #[arg(long)]
    pub dry_run: bool,

    /// Stop (and keep nothing of the file) at the first rejected record or unreadable file
    #[arg(long)]
    pub strict: bool,

    /// IANA time zone for exports whose local times carry no offset (e.g. Europe/Berlin)
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// The unit of weights in exports that do not say (Fitbit: your account's weight setting)
    #[arg(long, value_name = "UNIT", value_parser = ["kg", "lb"])]
    pub weight_unit: Option<String>,

    /// File the rows under this account instead of the one the export names (useful for a
    /// single file taken out of an export)
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,

    /// Copy the photos and videos of an X archive into the (encrypted) vault; without it they
    /// are referenced by file name only
    #[arg(long)]
    pub with_media: bool,

    /// Keep the IP address columns of a Reddit export (dropped by default: they locate you)
    #[arg(long)]
    pub keep_ip: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    crate::interrupt::install();
    let catalog = Catalog::load(import::user_spec_dir().as_deref())?;
    for p in &args.paths {
        if !p.exists() {
            return Err(Error::io(
                format!("cannot read {}", p.display()),
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
    }
    let mut options = std::collections::BTreeMap::new();
    if let Some(tz) = &args.timezone {
        if crate::time::zone_by_name(tz).is_none() {
            return Err(Error::Usage {
                message: format!("unknown time zone {tz:?}"),
                hint: Some("use an IANA name such as Europe/Berlin or America/New_York".into()),
            });
        }
        options.insert("timezone".to_string(), tz.clone());
    }
    if let Some(unit) = &args.weight_unit {
        options.insert("weight_unit".to_string(), unit.clone());
    }
    for (flag, on) in [("with-media", args.with_media), ("keep-ip", args.keep_ip)] {
        if on {
            options.insert(flag.to_string(), "true".to_string());
        }
    }
    if let Some(a) = &args.account
        && a.trim().is_empty()
    {
        return Err(Error::usage("--account needs a non-empty name"));
    }
    let opts = ImportOptions {
        source: args.source.clone(),
        dry_run: args.dry_run,
        strict: args.strict,
        options,
        account: args.account.clone(),
    };
    let mut vault = ctx.open_vault(Access::Write)?;
    let observer = Bars::new(ctx.out.progress);
    let report = import::run(&mut vault, &catalog, &args.paths, &opts, &observer)?;
    observer.clear();

    if ctx.out.json {
        ctx.out.json_doc(&report)?;
    } else {
        ctx.out.data(render(&report))?;
        if report.totals.rejected > 0 {
            ctx.out.status(format!(
                "{} record(s) were rejected; `trove status` lists them with where they were.",
                report.totals.rejected
            ));
        }
        if args.dry_run {
            ctx.out.status("Dry run: nothing was written to the vault.");
        }
    }
    for w in &report.warnings {
        ctx.out.warn(sanitize(w));
    }
    for r in &report.refused {
        ctx.out.warn(format!(
            "{}: refused entry {} ({})",
            sanitize(&r.path),
            sanitize(&r.member),
            r.reason
        ));
    }
    if report.had_errors() {
        return Err(Error::ImportIncomplete {
            partial: report.totals.partial,
            failed: report.totals.failed,
        });
    }
    Ok(())
}

fn render(report: &ImportReport) -> String {
    let mut s = String::new();
    for a in &report.accounts {
        if a.account.account.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "{} ({}): account {}{}",
            sanitize(&a.path),
            a.importer,
            sanitize(&a.account.account),
            a.account
                .from
                .as_ref()
                .map(|f| format!(" (from {})", sanitize(f)))
                .unwrap_or_default()
        );
    }
    let files = &report.files;
    let mut i = 0;
    while i < files.len() {
        // A run of similar files (an Apple Health export's hundreds of route files) is one
        // block with summed figures; `--json` keeps every file.
        let n = similar_run(&files[i..]);
        if n >= GROUP_MIN {
            render_group(&mut s, &files[i..i + n], report.dry_run);
            i += n;
        } else {
            render_file(&mut s, &files[i], report.dry_run);
            i += 1;
        }
    }
    let t = &report.totals;
    let _ = writeln!(
        s,
        "{} file(s): {} imported, {} skipped, {} partial, {} failed; {} records seen, {} added, {} duplicate, {} rejected in {:.1} s",
        t.files,
        t.imported,
        t.skipped,
        t.partial,
        t.failed,
        t.seen,
        t.added,
        t.duplicate,
        t.rejected,
        report.duration_ms as f64 / 1000.0
    );
    if !report.unrecognized.is_empty() {
        let _ = writeln!(
            s,
            "{} file(s) no importer reads were left alone.",
            report.unrecognized.len()
        );
    }
    s
}

/// Files in one folder of one container, read by one importer with the same outcome, are
/// summarized together from this many on.
const GROUP_MIN: usize = 5;

fn status_word(status: FileStatus, dry_run: bool) -> &'static str {
    match status {
        FileStatus::Imported if dry_run => "would import",
        FileStatus::Imported => "imported",
        FileStatus::Skipped => "skipped",
        FileStatus::Partial => "partial",
        FileStatus::Failed => "failed",
    }
}

fn folder(member: &str) -> &str {
    member.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// How many files from the start of `files` share container, folder, importer and a clean
/// outcome (imported, or skipped for the same reason). Partial and failed files always get
/// their own block: each has a reason to read.
fn similar_run(files: &[FileReport]) -> usize {
    let Some(first) = files.first() else { return 0 };
    if !matches!(first.status, FileStatus::Imported | FileStatus::Skipped) {
        return 1;
    }
    files
        .iter()
        .take_while(|f| {
            f.path == first.path
                && f.importer == first.importer
                && f.status == first.status
                && f.reason == first.reason
                && folder(&f.member) == folder(&first.member)
        })
        .count()
}

fn render_group(s: &mut String, group: &[FileReport], dry_run: bool) {
    let first = &group[0];
    let mut st = FileStats::default();
    let (mut bytes, mut ms) = (0u64, 0u64);
    for f in group {
        st.merge(&f.stats);
        bytes += f.bytes;
        ms += f.duration_ms;
    }
    let _ = writeln!(
        s,
        "{} › {}/ ({}): {} files {} in {:.1} s{}",
        sanitize(&first.path),
        sanitize(folder(&first.member)),
        first.importer,
        group.len(),
        status_word(first.status, dry_run),
        ms as f64 / 1000.0,
        first
            .reason
            .as_ref()
            .map(|r| format!(" — {}", sanitize(r)))
            .unwrap_or_default()
    );
    if first.status == FileStatus::Imported {
        render_stats(s, &st, bytes);
    }
}

fn render_file(s: &mut String, f: &FileReport, dry_run: bool) {
    let _ = writeln!(
        s,
        "{} › {} ({}): {} in {:.1} s{}",
        sanitize(&f.path),
        sanitize(&f.member),
        f.importer,
        status_word(f.status, dry_run),
        f.duration_ms as f64 / 1000.0,
        f.reason
            .as_ref()
            .map(|r| format!(" — {}", sanitize(r)))
            .unwrap_or_default()
    );
    if f.status == FileStatus::Skipped || f.status == FileStatus::Failed {
        return;
    }
    render_stats(s, &f.stats, f.bytes);
}

fn render_stats(s: &mut String, st: &FileStats, bytes: u64) {
    let _ = writeln!(
        s,
        "  records   {} seen · {} added · {} duplicate · {} rejected{}{}",
        st.seen,
        st.added,
        st.duplicate,
        st.rejected,
        if st.skipped > 0 {
            format!(" · {} not imported", st.skipped)
        } else {
            String::new()
        },
        if st.warnings > 0 {
            format!(" · {} warning(s)", st.warnings)
        } else {
            String::new()
        }
    );
    if st.replaced > 0 {
        let _ = writeln!(
            s,
            "  revised   {} earlier day value(s) replaced by newer ones",
            st.replaced
        );
    }
    if let (Some(a), Some(b)) = (st.min_ms, st.max_ms) {
        let _ = writeln!(s, "  time      {} .. {}", rfc3339_ms(a), rfc3339_ms(b));
    }
    let _ = writeln!(s, "  read      {}", human_bytes(bytes));
    for n in &st.notes {
        let _ = writeln!(s, "  note      {}", sanitize(n));
    }
    for (kind, c) in &st.per_kind {
        let _ = writeln!(
            s,
            "  {:<36} {:>10} seen {:>10} added",
            kind, c.seen, c.added
        );
    }
}

/// Progress bars on stderr: bytes read of the current file and records/s.
struct Bars {
    enabled: bool,
    state: Mutex<Option<BarState>>,
}

struct BarState {
    bar: ProgressBar,
    bytes: Arc<AtomicU64>,
    started: Instant,
}

impl Bars {
    fn new(enabled: bool) -> Self {
        Bars {
            enabled,
            state: Mutex::new(None),
        }
    }

    fn clear(&self) {
        if let Ok(mut s) = self.state.lock()
            && let Some(st) = s.take()
        {
            st.bar.finish_and_clear();
        }
    }
}

impl Observer for Bars {
    fn file_started(&self, member: &str, size: u64, bytes: Arc<AtomicU64>) {
        if !self.enabled {
            return;
        }
        self.clear();
        let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {bytes}/{total_bytes} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(sanitize(member));
        bar.enable_steady_tick(Duration::from_millis(200));
        if let Ok(mut s) = self.state.lock() {
            *s = Some(BarState {
                bar,
                bytes,
                started: Instant::now(),
            });
        }
    }

    fn progress(&self, records: u64) {
        if let Ok(s) = self.state.lock()
            && let Some(st) = s.as_ref()
        {
            st.bar.set_position(st.bytes.load(Ordering::Relaxed));
            let secs = st.started.elapsed().as_secs_f64().max(0.001);
            st.bar.set_message(format!(
                "{records} records, {:.0} records/s",
                records as f64 / secs
            ));
        }
    }

    fn file_finished(&self, _report: &FileReport) {
        self.clear();
    }
}
