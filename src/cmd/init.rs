//! `trove init`: create a vault.

use serde::Serialize;

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::output::JSON_VERSION;
use crate::unlock;
use crate::vault::Vault;

/// Creates the vault directory, its encrypted database and a passphrase key slot.
///
/// The passphrase comes from the same sources as unlocking (--passphrase-file,
/// TROVE_PASSPHRASE_FILE, TROVE_PASSPHRASE_COMMAND, TROVE_PASSPHRASE) or is asked twice on a
/// terminal. Prints the vault id, its signing public key (minisign format) and its age
/// recipient. Never touches an existing vault.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    vault_id: &'a str,
    path: String,
    signing_key: &'a str,
    recipient: &'a str,
    key_slots: Vec<&'a str>,
}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let paths = ctx.vault_paths()?;
    if paths.exists() {
        return Err(Error::VaultExists {
            path: paths.dir().to_path_buf(),
        });
    }
    let passphrase = unlock::new_passphrase(&ctx.unlock_args())?;
    let created = Vault::create(paths, passphrase)?;
    let report = Report {
        version: JSON_VERSION,
        vault_id: &created.vault.id,
        path: created.vault.paths.dir().display().to_string(),
        signing_key: &created.signing_key,
        recipient: &created.recipient,
        key_slots: vec!["passphrase"],
    };
    if ctx.out.json {
        return ctx.out.json_doc(&report);
    }
    ctx.out
        .status(format!("Created a new vault at {}", report.path));
    ctx.out.data(format!(
        "vault_id     {}\npath         {}\nsigning_key  {}\nrecipient    {}\n",
        report.vault_id, report.path, report.signing_key, report.recipient
    ))?;
    ctx.out.status(
        "Keep the passphrase safe: without it (or another key slot) the vault cannot be opened.",
    );
    Ok(())
}
