//! `trove audit`: what was shared, with whom, when, how much; and the ledger's integrity.

pub mod show;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::contribute::{audit, ledger};
use crate::error::Result;
use crate::vault::Access;

/// Lists contributions (optionally for one DAO), finds the contributions that included a row
/// (--row samples:42), or checks the ledger's hash chain (--verify, exit 13 when it was
/// tampered with). `trove audit show ID` details one contribution.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,

    /// Only contributions to this DAO
    #[arg(long, value_name = "NAME")]
    pub dao: Option<String>,

    /// The contributions that included this row (TABLE:ID, e.g. samples:42)
    #[arg(long, value_name = "TABLE:ID", conflicts_with = "dao")]
    pub row: Option<String>,

    /// Check the ledger's hash chain and its agreement with the recorded contributions
    #[arg(long, conflicts_with_all = ["dao", "row"])]
    pub verify: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Show one contribution in detail (and reopen its package with --reopen)
    Show(show::Args),
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    if let Some(AuditCommand::Show(a)) = args.command {
        return show::run(ctx, a);
    }
    let vault = ctx.open_vault(Access::Read)?;
    if args.verify {
        let report = ledger::verify_chain(&vault.conn)?;
        if ctx.out.json {
            return ctx.out.json_doc(&serde_json::json!({
                "version": crate::output::JSON_VERSION,
                "valid": true,
                "entries": report.entries,
                "contributions": report.contributions,
                "head": report.head,
            }));
        }
        return ctx.out.data(format!(
            "ledger intact: {} entr{}, {} contribution(s){}\n",
            report.entries,
            if report.entries == 1 { "y" } else { "ies" },
            report.contributions,
            report
                .head
                .map(|h| format!(", head {h}"))
                .unwrap_or_default()
        ));
    }
    let entries = match &args.row {
        Some(row) => {
            let (table, id) = audit::parse_row(row)?;
            audit::by_row(&vault.conn, table, id)?
        }
        None => audit::list(&vault.conn, args.dao.as_deref())?,
    };
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "contributions": entries,
        }));
    }
    let mut text = String::new();
    for e in &entries {
        text.push_str(&format!(
            "{}  {}  {:<16} {:>10} records  {:<9}  {}\n",
            e.id,
            e.created,
            e.dao,
            e.records,
            e.status,
            e.package_path.as_deref().unwrap_or("(stdout)")
        ));
    }
    ctx.out.data(text)
}
