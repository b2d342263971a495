//! `trove device list`.

use std::fmt::Write as _;

use crate::cmd::Ctx;
use crate::error::Result;
use crate::explore::devices;
use crate::output::{JSON_VERSION, sanitize};
use crate::vault::Access;

/// Lists every device (one row per device name and source) in rank order: the first wins
/// where devices overlap in cumulative metrics and sleep. The reason says why: preferred,
/// priority (set with `trove device priority`), wearable, or default (first seen).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let rows = devices::list(&vault.conn)?;
    if ctx.out.json {
        return ctx
            .out
            .json_doc(&serde_json::json!({ "version": JSON_VERSION, "devices": rows }));
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<4} {:<32} {:<16} {:>8} {:<9} {:>10} {:>8}  model",
        "rank", "device", "source", "priority", "reason", "samples", "events"
    );
    for (i, r) in rows.iter().enumerate() {
        let _ = writeln!(
            s,
            "{:<4} {:<32} {:<16} {:>8} {:<9} {:>10} {:>8}  {}",
            i + 1,
            sanitize(&r.name),
            r.source,
            r.priority.map_or("-".into(), |p| p.to_string()),
            r.reason,
            r.samples,
            r.events,
            sanitize(&r.models.join(", "))
        );
    }
    ctx.out.data(s)
}
