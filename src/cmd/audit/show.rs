//! `trove audit show`.

use std::fmt::Write as _;

use crate::cmd::Ctx;
use crate::contribute::audit;
use crate::error::Result;
use crate::vault::Access;

/// Shows one contribution: DAO, time, status, rows per table, selection, redactions, files,
/// ledger entries and the DAO's receipt. --reopen decrypts the package with the vault's own
/// key, verifies it completely and checks it is the one the ledger records.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contribution's id (or a unique prefix of at least 4 characters)
    pub id: String,

    /// Reopen and verify the package file
    #[arg(long)]
    pub reopen: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let id = audit::resolve_id(&vault.conn, &args.id)?;
    let mut detail = audit::show(&vault.conn, &id)?;
    if args.reopen {
        detail.package = Some(audit::reopen(&vault, &detail)?);
    }
    if ctx.out.json {
        return ctx.out.json_doc(&detail);
    }
    let e = &detail.entry;
    let mut s = String::new();
    let _ = writeln!(s, "contribution  {}", e.id);
    let _ = writeln!(s, "dao           {}", e.dao);
    let _ = writeln!(s, "created       {}", e.created);
    let _ = writeln!(s, "status        {}", e.status);
    if let Some(t) = &e.submitted {
        let _ = writeln!(s, "submitted     {t}");
    }
    if let Some(t) = &e.revoked {
        let _ = writeln!(s, "revoked       {t}");
    }
    let _ = writeln!(s, "records       {}", e.records);
    for (table, n) in &detail.rows {
        let _ = writeln!(s, "  {table:<12} {n:>10}");
    }
    let _ = writeln!(
        s,
        "package       {}",
        e.package_path.as_deref().unwrap_or("(stdout)")
    );
    let _ = writeln!(s, "package hash  {}", e.package_sha256);
    let _ = writeln!(s, "manifest hash {}", detail.manifest_sha256);
    let m = &detail.manifest;
    let _ = writeln!(s, "selection     {}", m["selection"]);
    let _ = writeln!(s, "redactions    {}", m["redactions"]);
    if let Some(files) = m["files"].as_array() {
        for f in files {
            let _ = writeln!(
                s,
                "file          {} {} records {} bytes sha256 {}",
                f["path"].as_str().unwrap_or("?"),
                f["records"],
                f["bytes"],
                f["sha256"].as_str().unwrap_or("?")
            );
        }
    }
    for l in &detail.ledger {
        let _ = writeln!(
            s,
            "ledger        #{} {} {} {}",
            l.seq, l.kind, l.created, l.hash
        );
    }
    if let Some(r) = &detail.receipt {
        let _ = writeln!(
            s,
            "receipt       {}",
            crate::output::sanitize(&r.to_string())
        );
    }
    if let Some(p) = &detail.package {
        let _ = writeln!(
            s,
            "reopened      {}: intact, {} records, matches the ledger",
            p.path, p.records
        );
    }
    ctx.out.data(s)
}
