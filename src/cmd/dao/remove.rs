//! `trove dao remove`.

use crate::cmd::Ctx;
use crate::contribute::dao;
use crate::error::Result;
use crate::vault::Access;

/// Removes a DAO. Contributions already made stay in the ledger (and `trove audit` still
/// names the DAO); its pseudonym secret is destroyed, so a DAO registered again under the same
/// name gets new pseudonyms.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The DAO's name
    pub name: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Write)?;
    dao::remove(&vault.conn, &args.name)?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "removed": args.name,
        }));
    }
    ctx.out.status(format!("Removed DAO {}", args.name));
    Ok(())
}
