//! `trove device …`: the devices that recorded data, and their priority for de-duplication.

pub mod list;
pub mod priority;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// List devices in the order `trove stats` prefers them, with sample counts
    List(list::Args),
    /// Set (or clear) the priority of a device: lower wins when devices overlap
    Priority(priority::Args),
}

pub fn run(ctx: &Ctx, cmd: DeviceCommand) -> Result<()> {
    match cmd {
        DeviceCommand::List(args) => list::run(ctx, args),
        DeviceCommand::Priority(args) => priority::run(ctx, args),
    }
}
