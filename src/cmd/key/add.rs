//! `trove key add`.

use crate::cmd::Ctx;
use crate::error::Result;
use crate::vault::Access;

/// Adds a key slot that an age identity opens (`--identity FILE`/`TROVE_IDENTITY`), so
/// scripts can unlock the vault without a passphrase. Generate the identity with `age-keygen`
/// and keep it as safe as the passphrase.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The age recipient (age1…) whose identity will open the slot
    #[arg(long, value_name = "RECIPIENT")]
    pub recipient: String,

    /// A name for the slot (a-z, 0-9, - and _)
    #[arg(long, value_name = "NAME")]
    pub name: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut vault = ctx.open_vault(Access::Write)?;
    vault.add_x25519_slot(&args.name, args.recipient.trim())?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "name": args.name,
            "kind": "x25519",
            "recipient": args.recipient.trim(),
        }));
    }
    ctx.out.status(format!("Added key slot {}", args.name));
    Ok(())
}
