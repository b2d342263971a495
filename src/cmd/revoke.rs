//! `trove revoke`: a signed revocation notice.

use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::contribute::audit;
use crate::contribute::revoke;
use crate::contribute::submit::{self, Options};
use crate::error::Result;
use crate::vault::Access;

/// Writes a signed revocation notice for a contribution (NOTICE.json and NOTICE.json.minisig),
/// submits it to the DAO's endpoint when it has one, and records the revocation in the ledger.
/// Data already delivered cannot be recalled: the notice asks the DAO to delete it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contribution's id (or a unique prefix)
    pub id: String,

    /// Why (included in the notice)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Write the notice to FILE [default: revocation-<id>.json]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Do not send the notice to the DAO's endpoint
    #[arg(long)]
    pub no_submit: bool,

    /// Read the DAO's bearer token from the first line of FILE
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let opts = Options {
        token: submit::token(args.token_file.as_deref())?,
        ..Options::default()
    };
    let mut vault = ctx.open_vault(Access::Write)?;
    crate::cmd::contribute::finish_interrupted(ctx, &vault)?;
    let id = audit::resolve_id(&vault.conn, &args.id)?;
    let out = ctx.out.clone();
    let mut on_retry = |msg: &str| out.warn(msg);
    let r = revoke::revoke(
        &mut vault,
        &id,
        args.reason.as_deref(),
        args.output.as_deref(),
        !args.no_submit,
        &opts,
        &mut on_retry,
    )?;
    if let Some(e) = &r.submit_error {
        ctx.out.warn(format!(
            "the notice could not be submitted ({e}); send {} and its .minisig to {} another way",
            r.notice, r.dao
        ));
    }
    if ctx.out.json {
        return ctx.out.json_doc(&r);
    }
    ctx.out.status(format!(
        "Revoked contribution {} ({}); notice signed{}",
        r.id,
        r.dao,
        if r.submitted { " and submitted" } else { "" }
    ));
    ctx.out.data(format!("{}\n", r.notice))
}
