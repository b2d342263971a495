//! `trove sync …`: pull data from live sources, one subcommand per source.

pub mod oura;
pub mod teslamate;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Pull Oura API v2 data with a personal access token, incrementally
    Oura(oura::Args),
    /// Read drives, charges and positions from a TeslaMate PostgreSQL database (read-only)
    Teslamate(teslamate::Args),
}

pub fn run(ctx: &Ctx, cmd: SyncCommand) -> Result<()> {
    match cmd {
        SyncCommand::Oura(args) => oura::run(ctx, args),
        SyncCommand::Teslamate(args) => teslamate::run(ctx, args),
    }
}
