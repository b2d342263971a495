//! `trove report -o report.html`: a self-contained HTML report.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::explore::buckets::Zone;
use crate::explore::report;
use crate::vault::Access;

/// Writes one HTML file with charts (inline SVG) of coverage per source over time, the key
/// metrics, and the contribution history: what was shared, with whom, when. It needs nothing
/// else to open and makes no network request (no script, font or image; a strict
/// Content-Security-Policy). It describes your data, so it is created readable only by you.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The HTML file to write (- for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Time zone of the days in the report [default: this machine's zone]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Replace FILE even if it is not an earlier trove report
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let zone = Zone::resolve(args.tz.as_deref())?;
    let to_stdout = args.output == Path::new("-");
    if !to_stdout && args.output.exists() && !args.force && !is_report(&args.output) {
        return Err(Error::OutputExists {
            path: args.output.clone(),
        });
    }
    let vault = ctx.open_vault(Access::Read)?;
    let html = {
        let _snapshot = vault.read_snapshot()?;
        report::render(&vault.conn, &zone, &vault.id)?
    };
    if to_stdout {
        if std::io::stdout().is_terminal() {
            ctx.out
                .warn("printing the report's HTML on the terminal (-o -)");
        }
        let mut out = std::io::stdout().lock();
        out.write_all(html.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::io("writing to stdout", e))?;
        return Ok(());
    }
    // An absolute path, so the atomic write always has a directory to sync.
    let path = std::path::absolute(&args.output).unwrap_or_else(|_| args.output.clone());
    crate::fsutil::write_atomic(&path, html.as_bytes())?;
    ctx.out.status(format!(
        "wrote {} ({}); it contains data from your vault",
        args.output.display(),
        crate::output::human_bytes(html.len() as u64)
    ));
    Ok(())
}

/// Whether `path` starts like a report trove wrote (so re-running replaces it).
fn is_report(path: &Path) -> bool {
    let mut head = vec![0u8; report::MARKER.len()];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|_| head == report::MARKER.as_bytes())
}
