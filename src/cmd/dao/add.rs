//! `trove dao add`.

use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::contribute::{dao, request};
use crate::error::Result;
use crate::vault::Access;

/// Registers a DataDAO. Recipients and the endpoint come from the flags or, when absent, from
/// the request file (a JSON document the DAO publishes: docs/CONTRIBUTION-FORMAT.md). A
/// per-DAO pseudonym secret is generated and kept in the vault.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A name for the DAO (a-z, 0-9, - and _)
    pub name: String,

    /// An age recipient (age1…) the DAO decrypts with; repeat for several
    #[arg(long, value_name = "RECIPIENT")]
    pub recipient: Vec<String>,

    /// The DAO's upload endpoint (https://…)
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,

    /// The DAO's request file: what it wants, which redactions it requires, consent text
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    dao::validate_name(&args.name)?;
    let request = args.request.as_deref().map(request::load).transpose()?;
    let vault = ctx.open_vault(Access::Write)?;
    let d = dao::add(
        &vault.conn,
        dao::NewDao {
            name: &args.name,
            recipients: args.recipient,
            endpoint: args.endpoint,
            request,
        },
    )?;
    let info = dao::info(&vault.conn, &d, false)?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "dao": info,
        }));
    }
    ctx.out.status(format!(
        "Added DAO {} ({} recipient(s){}{})",
        d.name,
        d.recipients.len(),
        if d.endpoint.is_some() {
            ", endpoint"
        } else {
            ""
        },
        if d.request.is_some() { ", request" } else { "" },
    ));
    Ok(())
}
