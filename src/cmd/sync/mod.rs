//! `trove sync <service>`: pull data from a web API into the vault. One file per service.

pub mod oura;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Pull Oura API v2 data with a personal access token, incrementally
    Oura(oura::Args),
}

pub fn run(ctx: &Ctx, cmd: SyncCommand) -> Result<()> {
    match cmd {
        SyncCommand::Oura(args) => oura::run(ctx, args),
    }
}
