//! The command line, as clap sees it: global flags and the subcommand enum.
//!
//! Each subcommand's arguments live beside its code in `cmd/<name>.rs`; this file only lists
//! them. The same definition generates the shell completions in `completions/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd;
use crate::output::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "trove",
    version,
    about = "An encrypted vault for your personal data exports, and a careful way to share them with DataDAOs",
    long_about = None,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Exit codes: 0 ok, 1 error, 2 usage, 10 no vault, 11 vault locked, \
                  12 wrong passphrase or identity, 13 verification failed, 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Vault directory [default: the platform data directory, e.g. ~/.local/share/trove]
    #[arg(
        long,
        global = true,
        env = "TROVE_VAULT",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub vault: Option<PathBuf>,

    /// Unlock with an age identity file matching one of the vault's x25519 key slots
    #[arg(
        long,
        global = true,
        env = "TROVE_IDENTITY",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub identity: Option<PathBuf>,

    /// Read the passphrase from the first line of FILE (- for stdin)
    #[arg(
        long,
        global = true,
        env = "TROVE_PASSPHRASE_FILE",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub passphrase_file: Option<PathBuf>,

    /// Print machine-readable JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,

    /// Hide status output (warnings and errors are still printed)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to use colour on stderr (NO_COLOR turns `auto` off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted vault
    Init(cmd::init::Args),
    /// Show what the vault holds: sources, counts, coverage, recent imports and errors
    Status(cmd::status::Args),
    /// Check that the vault is encrypted and intact
    Check(cmd::check::Args),
    /// Import exports (zip, folder or file); the importer is recognized from the contents
    Import(cmd::import::Args),
    /// Pull new data from live sources (the Oura API, a TeslaMate database)
    #[command(subcommand)]
    Sync(cmd::sync::SyncCommand),
    /// List the importers and how to get each export
    Sources(cmd::sources::Args),
    /// List the metric catalog with counts in this vault
    Metrics(cmd::metrics::Args),
    /// Run read-only SQL over the vault and its documented views
    Query(cmd::query::Args),
    /// Statistics of a metric per day, week or month, with devices de-duplicated
    Stats(cmd::stats::Args),
    /// One day in order: sleep, workouts, drives, posts, messages, with its key metrics
    Timeline(cmd::timeline::Args),
    /// Export a selection as plaintext CSV or JSON lines (recorded in the ledger)
    Export(cmd::export::Args),
    /// Write a self-contained HTML report: coverage, metrics, what was shared
    Report(cmd::report::Args),
    /// The devices that recorded data, and their priority when they overlap
    #[command(subcommand)]
    Device(cmd::device::DeviceCommand),
    /// Manage the key slots that unlock the vault
    #[command(subcommand)]
    Key(cmd::key::KeyCommand),
    /// Register and inspect the DataDAOs you may contribute to
    #[command(subcommand)]
    Dao(cmd::dao::DaoCommand),
    /// Select, redact, sign and encrypt a contribution to a DAO (preview it with --dry-run)
    Contribute(cmd::contribute::Args),
    /// What you shared, with whom and when; check the ledger (--verify)
    Audit(cmd::audit::Args),
    /// Check a contribution package: decryption, signature, hashes, counts, schema (no vault)
    Verify(cmd::verify::Args),
    /// Upload a contribution package to its DAO's endpoint
    Submit(cmd::submit::Args),
    /// Write (and submit) a signed revocation notice for a contribution
    Revoke(cmd::revoke::Args),
    /// Print shell completions
    Completions(cmd::completions::Args),
}
