//! `trove device priority NAME N`.

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::explore::devices;
use crate::output::sanitize;
use crate::vault::Access;

/// Stores the priority of a device (every device row with that name, across software
/// versions): where devices overlap, the lowest number wins. Devices without a priority come
/// after those with one. `--clear` removes it. `trove stats --prefer-device` overrides the
/// order for one query without storing anything.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The device name, as `trove device list` shows it
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The priority (lower wins)
    #[arg(
        value_name = "N",
        required_unless_present = "clear",
        allow_negative_numbers = true
    )]
    pub priority: Option<i64>,

    /// Remove the stored priority
    #[arg(long, conflicts_with = "priority")]
    pub clear: bool,

    /// Only the device of this name in this source (importer id)
    #[arg(long, value_name = "IMPORTER")]
    pub source: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let mut vault = ctx.open_vault(Access::Write)?;
    let tx = vault.conn.transaction()?;
    let n = devices::set_priority(&tx, &args.name, args.source.as_deref(), args.priority)?;
    tx.commit()?;
    if n == 0 {
        return Err(Error::usage(format!("no device named {:?}", args.name)));
    }
    match args.priority {
        Some(p) => ctx.out.status(format!(
            "{}: priority {p} ({n} device record(s))",
            sanitize(&args.name)
        )),
        None => ctx
            .out
            .status(format!("{}: priority cleared", sanitize(&args.name))),
    }
    Ok(())
}
