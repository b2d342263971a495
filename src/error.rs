//! The one error type of the library, and the one place where errors become exit codes.
//!
//! Every fallible library function returns [`Result`]. Variants are precise enough that the
//! message alone says what happened; [`Error::hints`] says what to do about it. The CLI prints
//! `trove: error: <message>` followed by `hint: …` lines and exits with [`Error::exit_code`].
//! Nothing else in the code base decides an exit code, so the table in README.md and this
//! `match` cannot drift apart without a test noticing.

use std::io;
use std::path::PathBuf;

/// Documented exit codes (README.md, "Exit codes").
pub mod exit {
    pub const OK: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NO_VAULT: u8 = 10;
    pub const LOCKED: u8 = 11;
    pub const WRONG_KEY: u8 = 12;
    pub const VERIFICATION: u8 = 13;
    pub const INTERRUPTED: u8 = 130;
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- usage -------------------------------------------------------------------------
    /// A combination of arguments that clap cannot reject on its own.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    // ---- the vault ---------------------------------------------------------------------
    #[error("no vault at {}", path.display())]
    NoVault { path: PathBuf },

    #[error("a vault already exists at {}", path.display())]
    VaultExists { path: PathBuf },

    #[error("{} is not empty and is not a trove vault; refusing to create a vault there", path.display())]
    DirectoryNotEmpty { path: PathBuf },

    #[error("the vault at {} is in use by another trove process{}", path.display(), pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Locked { path: PathBuf, pid: Option<u32> },

    #[error("refusing to open {}: it is a plaintext SQLite database, not an encrypted trove vault", path.display())]
    PlaintextVault { path: PathBuf },

    #[error("the database {} could not be decrypted with the key from its key slot: it is damaged or was replaced", path.display())]
    DatabaseUnreadable { path: PathBuf, detail: String },

    #[error(
        "the vault's schema version {found} is newer than this trove understands (up to {supported})"
    )]
    SchemaTooNew { found: i64, supported: i64 },

    #[error(
        "the vault's key slot does not belong to this vault (slot for {slot_vault}, vault {vault})"
    )]
    KeySlotMismatch { slot_vault: String, vault: String },

    // ---- unlocking ---------------------------------------------------------------------
    #[error("wrong passphrase")]
    WrongPassphrase,

    #[error("no key slot of this vault opens with the identity in {}", path.display())]
    WrongIdentity { path: PathBuf },

    #[error("the vault has no {kind} key slot")]
    NoSuchSlotKind { kind: &'static str },

    #[error("no passphrase available: stdin is not a terminal and no passphrase source is set")]
    NoPassphraseSource,

    #[error("the passphrase is empty")]
    EmptyPassphrase,

    #[error("the passphrases do not match")]
    PassphraseMismatch,

    #[error("TROVE_PASSPHRASE_COMMAND failed: {detail}")]
    PassphraseCommand { detail: String },

    #[error("cannot read the identity file {}: {detail}", path.display())]
    IdentityFile { path: PathBuf, detail: String },

    #[error("key slot {name} is damaged: {detail}")]
    KeySlotDamaged { name: String, detail: String },

    #[error(
        "the scrypt work factor of key slot {name} (2^{required}) is above the accepted maximum (2^{max})"
    )]
    ExcessiveWork { name: String, required: u8, max: u8 },

    // ---- key slot management -----------------------------------------------------------
    #[error("a key slot named {name} already exists")]
    SlotExists { name: String },

    #[error("no key slot named {name}")]
    NoSuchSlot { name: String },

    #[error(
        "refusing to remove {name}: it is the last key slot, and without it the vault cannot be opened"
    )]
    LastSlot { name: String },

    #[error("invalid key slot name {name:?}: use 1 to 32 characters from a-z, 0-9, '-' and '_'")]
    InvalidSlotName { name: String },

    #[error("invalid age recipient {recipient:?}: {detail}")]
    InvalidRecipient { recipient: String, detail: String },

    // ---- import ------------------------------------------------------------------------
    #[error("no importer recognizes {}", path.display())]
    UnknownFormat {
        path: PathBuf,
        looked_for: Vec<String>,
        refused: Vec<String>,
    },

    #[error("unknown importer {id:?}")]
    UnknownImporter { id: String, known: String },

    #[error("{} cannot be read: {detail}", path.display())]
    BadContainer { path: PathBuf, detail: String },

    #[error("importer spec {origin}: {detail}")]
    BadSpec { origin: String, detail: String },

    #[error("the {importer} importer needs --{option}")]
    MissingImportOption {
        importer: String,
        option: String,
        help: String,
    },

    #[error("{member} {locator}: {message} (--strict stops at the first rejected record)")]
    StrictReject {
        member: String,
        locator: String,
        message: String,
    },

    #[error("a file could not be read completely (--strict)")]
    StrictPartial,

    #[error("the import is incomplete: {partial} file(s) partly read, {failed} file(s) failed")]
    ImportIncomplete { partial: usize, failed: usize },

    // ---- exploring ---------------------------------------------------------------------
    /// `trove query` met something that is not a read (exit 2: the command never writes).
    #[error("trove query is read-only: {what} is not allowed")]
    QueryRefused { what: String },

    /// The query does not compile (exit 2).
    #[error("invalid query: {detail}")]
    QueryInvalid { detail: String },

    /// Plaintext vault data would go to a terminal without `-o -`.
    #[error("refusing to write {what} to a terminal")]
    OutputToTerminal { what: String },

    #[error("{} already exists", path.display())]
    OutputExists { path: PathBuf },

    // ---- verification ------------------------------------------------------------------
    /// A check over data or a package failed (exit 13).
    #[error("{0}")]
    Verification(String),

    // ---- plumbing ----------------------------------------------------------------------
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("interrupted")]
    Interrupted,

    /// stdout was closed by the reader (`trove … | head`): not an error for the user.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Error {
    /// Wraps an I/O error with what was being done when it happened.
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::BrokenPipe {
            return Error::BrokenPipe;
        }
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    /// The documented exit code for this error. The only such mapping in trove.
    pub fn exit_code(&self) -> u8 {
        use Error::*;
        match self {
            Usage { .. }
            | UnknownImporter { .. }
            | MissingImportOption { .. }
            | QueryRefused { .. }
            | QueryInvalid { .. }
            | OutputToTerminal { .. } => exit::USAGE,
            NoVault { .. } => exit::NO_VAULT,
            Locked { .. } => exit::LOCKED,
            WrongPassphrase | WrongIdentity { .. } | NoSuchSlotKind { .. } => exit::WRONG_KEY,
            Verification(_) => exit::VERIFICATION,
            Interrupted => exit::INTERRUPTED,
            BrokenPipe => exit::OK,
            VaultExists { .. }
            | DirectoryNotEmpty { .. }
            | PlaintextVault { .. }
            | DatabaseUnreadable { .. }
            | SchemaTooNew { .. }
            | KeySlotMismatch { .. }
            | NoPassphraseSource
            | EmptyPassphrase
            | PassphraseMismatch
            | PassphraseCommand { .. }
            | IdentityFile { .. }
            | KeySlotDamaged { .. }
            | ExcessiveWork { .. }
            | SlotExists { .. }
            | NoSuchSlot { .. }
            | LastSlot { .. }
            | InvalidSlotName { .. }
            | InvalidRecipient { .. }
            | UnknownFormat { .. }
            | BadContainer { .. }
            | BadSpec { .. }
            | StrictReject { .. }
            | StrictPartial
            | ImportIncomplete { .. }
            | OutputExists { .. }
            | Io { .. }
            | Sqlite(_) => exit::ERROR,
        }
    }

    /// What the user can do about it, one line each.
    pub fn hints(&self) -> Vec<String> {
        use Error::*;
        match self {
            Usage { hint, .. } => hint.iter().cloned().collect(),
            NoVault { .. } => vec![
                "create one with `trove init`, or point --vault / TROVE_VAULT at an existing vault".into(),
            ],
            VaultExists { .. } => vec![
                "trove never overwrites a vault; choose another directory with --vault".into(),
            ],
            Locked { .. } => vec![
                "wait for the other process to finish; only one process may write at a time".into(),
            ],
            PlaintextVault { .. } => vec![
                "a trove vault is always encrypted; this file was not written by trove or was replaced".into(),
                "move it away and restore the vault from a backup".into(),
            ],
            DatabaseUnreadable { .. } => vec![
                "run `trove check` for details; restore vault.db from a backup if it was damaged".into(),
            ],
            SchemaTooNew { .. } => vec!["upgrade trove to open this vault".into()],
            WrongPassphrase => vec![
                "check the passphrase source (--passphrase-file, TROVE_PASSPHRASE_FILE, TROVE_PASSPHRASE_COMMAND, TROVE_PASSPHRASE)".into(),
            ],
            WrongIdentity { .. } => vec![
                "`trove key list` shows the recipients that have key slots; add one with `trove key add`".into(),
            ],
            NoPassphraseSource => vec![
                "set TROVE_PASSPHRASE_FILE, TROVE_PASSPHRASE_COMMAND or TROVE_PASSPHRASE, pass --passphrase-file FILE (or - for stdin), or unlock with --identity FILE".into(),
            ],
            EmptyPassphrase => vec!["choose a long passphrase; it is the only thing protecting the vault".into()],
            LastSlot { .. } => vec![
                "add another key slot first (`trove key add` or keep the passphrase slot)".into(),
            ],
            ExcessiveWork { .. } => vec![
                "the slot was not written by this version of trove; rewrite it with `trove key passwd` on the machine that made it".into(),
            ],
            UnknownFormat { looked_for, refused, .. } => {
                let mut h: Vec<String> = looked_for.iter().map(|l| format!("looked for {l}")).collect();
                h.extend(refused.iter().map(|r| format!("refused entry {r}")));
                h.push("name the importer with --source ID (`trove sources` lists them)".into());
                h
            }
            UnknownImporter { known, .. } => vec![format!("known importers: {known}")],
            MissingImportOption { option, help, .. } => vec![format!("--{option}: {help}")],
            BadSpec { .. } => vec!["importers/README.md describes the spec format".into()],
            QueryRefused { .. } => vec![
                "queries only read the vault; change it with trove's own commands (import, device priority, …)".into(),
            ],
            QueryInvalid { .. } => vec![
                "`trove query --schema` lists the views and tables you can read".into(),
            ],
            OutputToTerminal { .. } => vec![
                "write it to a file with -o FILE, pipe it, or pass -o - to print it here anyway".into(),
            ],
            OutputExists { .. } => vec!["choose another name, or pass --force to replace it".into()],
            InvalidRecipient { .. } => vec![
                "an age recipient looks like age1… (`age-keygen -y identity.txt` prints it)".into(),
            ],
            _ => Vec::new(),
        }
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        Error::io("I/O error", source)
    }
}
