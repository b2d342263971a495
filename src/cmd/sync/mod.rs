//! `trove sync …`: pull data from live sources (one subcommand per source).

pub mod teslamate;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)
    Teslamate(teslamate::Args),
}

pub fn run(ctx: &Ctx, cmd: SyncCommand) -> Result<()> {
    match cmd {
        SyncCommand::Teslamate(args) => teslamate::run(ctx, args),
    }
}
