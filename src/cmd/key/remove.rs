//! `trove key remove`.

use crate::cmd::Ctx;
use crate::error::Result;
use crate::vault::Access;

/// Removes a key slot. The last remaining slot is never removed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The slot's name (see `trove key list`)
    pub name: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut vault = ctx.open_vault(Access::Write)?;
    vault.remove_slot(&args.name)?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "removed": args.name,
        }));
    }
    ctx.out.status(format!("Removed key slot {}", args.name));
    Ok(())
}
