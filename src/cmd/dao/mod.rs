//! `trove dao …`: the DataDAOs you may contribute to.

pub mod add;
pub mod keygen;
pub mod list;
pub mod remove;
pub mod show;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum DaoCommand {
    /// Register a DAO: its age recipients, endpoint and request file
    Add(add::Args),
    /// List the registered DAOs
    List(list::Args),
    /// Show one DAO, with what its request asks for and requires
    Show(show::Args),
    /// Remove a DAO (the ledger keeps the contributions made to it)
    Remove(remove::Args),
    /// Generate a DAO key pair (an age identity) for DAO operators
    Keygen(keygen::Args),
}

pub fn run(ctx: &Ctx, cmd: DaoCommand) -> Result<()> {
    match cmd {
        DaoCommand::Add(args) => add::run(ctx, args),
        DaoCommand::List(args) => list::run(ctx, args),
        DaoCommand::Show(args) => show::run(ctx, args),
        DaoCommand::Remove(args) => remove::run(ctx, args),
        DaoCommand::Keygen(args) => keygen::run(ctx, args),
    }
}
