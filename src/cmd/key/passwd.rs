//! `trove key passwd`.

use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::unlock;
use crate::vault::Access;

/// Changes the passphrase. Unlocks with the current credential as usual; the new passphrase
/// comes from --new-passphrase-file, TROVE_NEW_PASSPHRASE_FILE, TROVE_NEW_PASSPHRASE_COMMAND,
/// TROVE_NEW_PASSPHRASE, or is asked twice on a terminal. Only keyslots/passphrase.age is
/// rewritten (atomically); the database is untouched.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read the new passphrase from the first line of FILE (- for stdin)
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let stdin = std::path::Path::new("-");
    let new_from_stdin = args.new_passphrase_file.as_deref() == Some(stdin);
    if new_from_stdin && ctx.global.passphrase_file.as_deref() == Some(stdin) {
        return Err(Error::usage(
            "the current and the new passphrase cannot both be read from stdin",
        ));
    }
    let mut vault = ctx.open_vault(Access::Write)?;
    let new = unlock::replacement_passphrase(args.new_passphrase_file.as_deref())?;
    vault.set_passphrase(new)?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "name": "passphrase",
            "kind": "passphrase",
        }));
    }
    ctx.out.status("Passphrase changed");
    Ok(())
}
