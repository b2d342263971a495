//! `trove key …`: the key slots that unlock the vault.

pub mod add;
pub mod list;
pub mod passwd;
pub mod remove;

use clap::Subcommand;

use crate::cmd::Ctx;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// List the key slots
    List(list::Args),
    /// Add an x25519 key slot for an age recipient (for unattended scripts)
    Add(add::Args),
    /// Change the passphrase (rewrites only the passphrase slot)
    Passwd(passwd::Args),
    /// Remove a key slot (never the last one)
    Remove(remove::Args),
}

pub fn run(ctx: &Ctx, cmd: KeyCommand) -> Result<()> {
    match cmd {
        KeyCommand::List(args) => list::run(ctx, args),
        KeyCommand::Add(args) => add::run(ctx, args),
        KeyCommand::Passwd(args) => passwd::run(ctx, args),
        KeyCommand::Remove(args) => remove::run(ctx, args),
    }
}
