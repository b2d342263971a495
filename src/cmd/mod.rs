//! One module per subcommand (groups as folders), each with its `Args` and a `run` function.
//! `run` here dispatches; [`Ctx`] carries what every command may need and opens the vault
//! lazily, so commands that need no vault never ask for a passphrase.

pub mod audit;
pub mod check;
pub mod completions;
pub mod contribute;
pub mod dao;
pub mod device;
pub mod export;
pub mod import;
pub mod init;
pub mod key;
pub mod metrics;
pub mod query;
pub mod report;
pub mod revoke;
pub mod sources;
pub mod stats;
pub mod status;
pub mod submit;
pub mod sync;
pub mod timeline;
pub mod verify;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::Result;
use crate::output::Output;
use crate::unlock::{self, UnlockArgs};
use crate::vault::{Access, Vault, VaultPaths};

pub struct Ctx {
    pub out: Output,
    pub global: GlobalArgs,
}

impl Ctx {
    pub fn vault_paths(&self) -> Result<VaultPaths> {
        VaultPaths::resolve(self.global.vault.as_deref())
    }

    pub fn unlock_args(&self) -> UnlockArgs {
        UnlockArgs {
            identity: self.global.identity.clone(),
            passphrase_file: self.global.passphrase_file.clone(),
        }
    }

    /// Unlocks and opens the vault. Writers take the vault lock first.
    pub fn open_vault(&self, access: Access) -> Result<Vault> {
        let paths = self.vault_paths()?;
        let args = self.unlock_args();
        Vault::open_with(paths, access, |p| unlock::credential(&args, p.dir()))
    }
}

pub fn run(cli: Cli, out: Output) -> Result<()> {
    // Before any secret is read (a passphrase, an identity file, a token): no core dump and no
    // same-user ptrace or /proc/<pid>/mem and environ reads, for the whole process.
    crate::harden::disable_core_dumps();
    let ctx = Ctx {
        out,
        global: cli.global,
    };
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Key(cmd) => key::run(&ctx, cmd),
        Command::Completions(args) => completions::run(&ctx, args),
        Command::Dao(cmd) => dao::run(&ctx, cmd),
        Command::Contribute(args) => contribute::run(&ctx, args),
        Command::Audit(args) => audit::run(&ctx, args),
        Command::Verify(args) => verify::run(&ctx, args),
        Command::Submit(args) => submit::run(&ctx, args),
        Command::Revoke(args) => revoke::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Sources(args) => sources::run(&ctx, args),
        Command::Metrics(args) => metrics::run(&ctx, args),
        Command::Stats(args) => stats::run(&ctx, args),
        Command::Device(cmd) => device::run(&ctx, cmd),
        Command::Query(args) => query::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Timeline(args) => timeline::run(&ctx, args),
        Command::Sync(cmd) => sync::run(&ctx, cmd),
    }
}
