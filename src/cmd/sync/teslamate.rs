//! `trove sync teslamate`: read a TeslaMate database into the vault.

use std::fmt::Write as _;
use std::path::PathBuf;

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::output::sanitize;
use crate::sync::teslamate::{self, Options, SyncReport};
use crate::vault::Access;

/// Reads cars, drives (with their GPS tracks), charging sessions, positions and charges from
/// TeslaMate's PostgreSQL database, in one read-only transaction. Incremental: only what is
/// new since the last sync is read (--full reads everything again; nothing is duplicated).
/// The password comes from PGPASSWORD or --password-file, never from the URL.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database, without a password: postgres://USER@HOST:PORT/DBNAME
    /// (e.g. postgres://teslamate@127.0.0.1:5432/teslamate)
    #[arg(long, value_name = "URL")]
    pub url: String,

    /// Read the database password from the first line of FILE (- for stdin); otherwise
    /// PGPASSWORD is used
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Ignore what earlier syncs read and read everything again
    #[arg(long)]
    pub full: bool,

    /// Read everything and report what would be added, without changing the vault
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    crate::interrupt::install();
    // Check the URL before asking for the vault passphrase.
    let (_, database, _) = teslamate::config(&args.url)?;
    let password = match &args.password_file {
        Some(path) => {
            let secret = crate::unlock::read_secret_line(path, "password")?;
            if secret.expose_secret().is_empty() {
                return Err(Error::usage(format!(
                    "the password file {} is empty",
                    path.display()
                )));
            }
            Some(Zeroizing::new(secret.expose_secret().to_string()))
        }
        None => std::env::var("PGPASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .map(Zeroizing::new),
    };
    let mut vault = ctx.open_vault(Access::Write)?;
    ctx.out.status(format!("Reading {} …", sanitize(&database)));
    let report = teslamate::run(
        &mut vault,
        &Options {
            url: args.url.clone(),
            password,
            full: args.full,
            dry_run: args.dry_run,
        },
    )?;
    for w in &report.warnings {
        ctx.out.warn(w);
    }
    if ctx.out.json {
        ctx.out.json_doc(&report)?;
    } else {
        ctx.out.data(render(&report))?;
        if args.dry_run {
            ctx.out.status("Dry run: nothing was written to the vault.");
        }
    }
    Ok(())
}

fn render(r: &SyncReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "teslamate {}{}: {} car(s), {} drive(s), {} charging session(s), {} position(s), {} charge sample(s) read",
        sanitize(&r.database),
        if r.full { " (full)" } else { "" },
        r.cars,
        r.drives,
        r.charging_processes,
        r.positions,
        r.charges
    );
    let st = &r.stats;
    let _ = writeln!(
        s,
        "  records   {} seen · {} added · {} duplicate · {} rejected",
        st.seen, st.added, st.duplicate, st.rejected
    );
    for (kind, c) in &st.per_kind {
        let _ = writeln!(
            s,
            "  {:<36} {:>10} seen {:>10} added",
            kind, c.seen, c.added
        );
    }
    let _ = writeln!(s, "  in {:.1} s", r.duration_ms as f64 / 1000.0);
    s
}
