//! `trove export`: a selection of the vault as plaintext CSV or JSON lines.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::explore::export::{self, Format, Options, Summary};
use crate::explore::select::{SelectArgs, Selection};
use crate::output::{JSON_VERSION, human_bytes};
use crate::vault::Access;

/// Writes the selected samples and events (and, if asked, their GPS track points) as JSON
/// lines or CSV, UNENCRYPTED. Selection flags are those of `trove contribute`.
///
/// Because the result is plaintext, trove warns, refuses to print it on a terminal unless
/// `-o -` says so, creates files readable only by you, and records every export (where to,
/// what, how many records, the SHA-256 of the bytes) in the audit ledger. Events marked
/// sensitive (profile, clinical records, ECGs) are left out unless --include-sensitive.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Every metric and every kind
    #[arg(long)]
    pub all: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Jsonl, value_name = "FORMAT")]
    pub format: Format,

    /// Also export the GPS track points of the exported events (location!)
    #[arg(long)]
    pub track_points: bool,

    /// Also export events marked sensitive
    #[arg(long)]
    pub include_sensitive: bool,

    /// Write to FILE (created 0600); - writes to stdout even when it is a terminal
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

enum Dest {
    Stdout,
    File(PathBuf),
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let sel = Selection::resolve(&args.select, args.all)?;
    let dest = match args.output.as_deref() {
        Some(p) if p == Path::new("-") => Dest::Stdout,
        Some(p) => Dest::File(p.to_path_buf()),
        None if std::io::stdout().is_terminal() => {
            return Err(Error::OutputToTerminal {
                what: "a plaintext export of vault data".into(),
            });
        }
        None => Dest::Stdout,
    };
    if matches!(dest, Dest::Stdout) && ctx.out.json {
        return Err(Error::Usage {
            message: "--json prints a summary on stdout, where this export is going".into(),
            hint: Some("write the export to a file with -o FILE".into()),
        });
    }
    if let Dest::File(p) = &dest
        && p.exists()
        && !args.force
    {
        return Err(Error::OutputExists { path: p.clone() });
    }
    let opts = Options {
        format: args.format,
        track_points: args.track_points,
        include_sensitive: args.include_sensitive,
    };
    let mut vault = ctx.open_vault(Access::Write)?;
    crate::interrupt::install();
    let export_id = uuid::Uuid::now_v7().to_string();
    let where_to = match &dest {
        Dest::Stdout => "stdout".to_string(),
        Dest::File(p) => absolute(p).display().to_string(),
    };
    ctx.out.warn(format!(
        "this export is NOT encrypted: anyone who can read {} can read the data in it",
        if matches!(dest, Dest::Stdout) {
            "its destination"
        } else {
            where_to.as_str()
        }
    ));

    let (summary, seq) = match &dest {
        Dest::Stdout => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
            let (summary, err) = export::write(&vault.conn, &sel, &opts, &mut out);
            let flushed = out.flush();
            // Whatever reached the pipe has left the vault: record it even when cut short.
            let seq = if summary.bytes > 0 || err.is_none() {
                Some(export::record(
                    &mut vault.conn,
                    &export_id,
                    &where_to,
                    &sel,
                    &opts,
                    &summary,
                )?)
            } else {
                None
            };
            if let Some(e) = err {
                return Err(e);
            }
            flushed.map_err(|e| Error::io("writing to stdout", e))?;
            (summary, seq)
        }
        Dest::File(path) => {
            let (summary, seq) = to_file(&mut vault.conn, path, &export_id, &sel, &opts)?;
            (summary, Some(seq))
        }
    };

    if summary.sensitive_skipped > 0 {
        ctx.out.warn(format!(
            "{} sensitive event(s) left out (--include-sensitive exports them)",
            summary.sensitive_skipped
        ));
    }
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": JSON_VERSION,
            "export_id": export_id,
            "destination": where_to,
            "format": opts.format,
            "ledger_seq": seq,
            "summary": summary,
        }));
    }
    ctx.out.status(format!(
        "exported {} record(s) ({} samples, {} events, {} track points, {}) to {}; ledger entry {}",
        summary.records,
        summary.samples,
        summary.events,
        summary.track_points,
        human_bytes(summary.bytes),
        where_to,
        seq.map_or("-".into(), |s| s.to_string())
    ));
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Writes to a temporary owner-only file beside `path`, records the ledger entry, then renames
/// it into place: the file appears whole, and only with its ledger entry.
fn to_file(
    conn: &mut rusqlite::Connection,
    path: &Path,
    export_id: &str,
    sel: &Selection,
    opts: &Options,
) -> Result<(Summary, i64)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let file = crate::fsutil::create_private_file(&tmp)?;
    let result = (|| {
        let mut out = BufWriter::with_capacity(256 * 1024, &file);
        let (summary, err) = export::write(conn, sel, opts, &mut out);
        if let Some(e) = err {
            return Err(e);
        }
        out.flush()
            .map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
        drop(out);
        file.sync_all()
            .map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
        let where_to = absolute(path).display().to_string();
        let seq = export::record(conn, export_id, &where_to, sel, opts, &summary)?;
        std::fs::rename(&tmp, path)
            .map_err(|e| Error::io(format!("renaming to {}", path.display()), e))?;
        crate::fsutil::sync_dir(&dir)?;
        Ok((summary, seq))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
