//! `trove submit`: upload a package to its DAO's endpoint.

use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::contribute::submit::{self, Options};
use crate::error::Result;
use crate::vault::Access;

/// Uploads a package written by `trove contribute` to the DAO's endpoint, retrying with
/// backoff on 5xx/429 answers and network errors, and records the receipt in the ledger. The
/// token comes from --token-file or TROVE_DAO_TOKEN (never from a flag value).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The package file
    pub file: PathBuf,

    /// The DAO (checked against the DAO the package was made for)
    #[arg(long, value_name = "NAME")]
    pub dao: Option<String>,

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
    let out = ctx.out.clone();
    let mut on_retry = |msg: &str| out.warn(msg);
    let s = submit::submit(
        &mut vault,
        &args.file,
        args.dao.as_deref(),
        &opts,
        &mut on_retry,
    )?;
    if ctx.out.json {
        return ctx.out.json_doc(&s);
    }
    ctx.out.status(format!(
        "Submitted contribution {} to {} (HTTP {}, {} attempt(s)); receipt recorded",
        s.id, s.dao, s.http_status, s.attempts
    ));
    ctx.out.data(format!(
        "{}\n",
        crate::output::sanitize(&s.receipt.to_string())
    ))
}
