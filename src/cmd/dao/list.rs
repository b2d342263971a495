//! `trove dao list`.

use crate::cmd::Ctx;
use crate::contribute::dao;
use crate::error::Result;
use crate::vault::Access;

/// Lists the registered DAOs: name, recipients, endpoint, contributions made.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let infos = dao::list(&vault.conn)?
        .iter()
        .map(|d| dao::info(&vault.conn, d, false))
        .collect::<Result<Vec<_>>>()?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "daos": infos,
        }));
    }
    let mut text = String::new();
    for d in &infos {
        text.push_str(&format!(
            "{:<20} {:>3} contribution(s)  {:<10} {}\n",
            d.name,
            d.contributions,
            if d.request_sha256.is_some() {
                "request"
            } else {
                "no request"
            },
            d.endpoint.as_deref().unwrap_or("-"),
        ));
    }
    ctx.out.data(text)
}
