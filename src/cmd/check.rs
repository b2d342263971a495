//! `trove check`: is the vault encrypted and intact?

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::unlock;
use crate::vault::check;

/// Confirms the database file is encrypted, verifies every page's HMAC (SQLCipher), runs
/// SQLite's integrity and foreign-key checks and compares the schema version. Exits 13 when
/// any check fails. Never modifies the vault.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let paths = ctx.vault_paths()?;
    paths.require_exists()?;
    let cred = unlock::credential(&ctx.unlock_args(), paths.dir())?;
    let report = check::run(&paths, &cred)?;
    if ctx.out.json {
        ctx.out.json_doc(&report)?;
    } else {
        let mut text = String::new();
        for c in &report.checks {
            text.push_str(&format!(
                "{:<5} {:<17} {}\n",
                if c.ok { "ok" } else { "FAIL" },
                c.name,
                crate::output::sanitize(&c.detail)
            ));
        }
        ctx.out.data(text)?;
    }
    if report.ok {
        Ok(())
    } else {
        let failed = report.checks.iter().filter(|c| !c.ok).count();
        Err(Error::Verification(format!(
            "vault check failed: {failed} of {} checks",
            report.checks.len()
        )))
    }
}
