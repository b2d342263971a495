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

    /// SQLite found a damaged page after the vault opened. With SQLCipher this is almost
    /// always a page whose HMAC does not verify: the file was changed outside trove.
    #[error("the vault database is damaged: {detail}")]
    DatabaseDamaged { detail: String },

    /// ENOSPC, from the file system or as SQLite's SQLITE_FULL.
    #[error("no space left on the device while {context}")]
    DiskFull { context: String },

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

    // ---- DataDAOs and contributions ------------------------------------------------------
    #[error("no DAO named {name}")]
    NoSuchDao { name: String },

    #[error("a DAO named {name} is already registered")]
    DaoExists { name: String },

    #[error("invalid DAO name {name:?}: use 1 to 32 characters from a-z, 0-9, '-' and '_'")]
    InvalidDaoName { name: String },

    #[error("invalid DAO endpoint {url:?}: {detail}")]
    InvalidEndpoint { url: String, detail: String },

    #[error("invalid DAO request {}: {detail}", path.display())]
    InvalidRequest { path: PathBuf, detail: String },

    #[error("DAO {dao} has no recipients: a contribution could not be encrypted to it")]
    NoRecipients { dao: String },

    /// A flag would weaken a redaction that the DAO's request requires.
    #[error("{dao}'s request requires {requirement}; {flag} would weaken it")]
    RedactionWeakened {
        dao: String,
        requirement: String,
        flag: String,
    },

    /// The selection asks for something outside what the DAO's request asks for.
    #[error("{dao}'s request does not ask for {what}")]
    OutsideRequest { dao: String, what: String },

    #[error("{dao}'s request has consent text that has not been accepted")]
    ConsentRequired { dao: String },

    #[error("the selection contains no rows")]
    EmptySelection,

    #[error("refusing to overwrite {}", path.display())]
    OutputExists { path: PathBuf },

    /// A contribution was recorded, but its complete package could not be given its name.
    #[error("contribution {id} is recorded and its package is complete in {}, but it could not be renamed to {}: {detail}", temp.display(), path.display())]
    PackageNotMoved {
        id: String,
        path: PathBuf,
        temp: PathBuf,
        detail: String,
    },

    #[error("no contribution {id}")]
    NoSuchContribution { id: String },

    #[error("{prefix} matches more than one contribution")]
    AmbiguousContribution { prefix: String },

    #[error("{} is not a package recorded in this vault's ledger", path.display())]
    UnknownPackage { path: PathBuf },

    #[error("contribution {id} was already revoked")]
    AlreadyRevoked { id: String },

    #[error("DAO {dao} has no endpoint to submit to")]
    NoEndpoint { dao: String },

    #[error("the DAO endpoint refused the request: HTTP {status}{}", detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    SubmitRejected { status: u16, detail: Option<String> },

    #[error("the DAO endpoint did not accept the upload after {attempts} attempts: {detail}")]
    SubmitFailed { attempts: u32, detail: String },

    #[error("cannot read the DAO token from {}: {detail}", path.display())]
    TokenFile { path: PathBuf, detail: String },
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

    #[error("the {importer} importer needs --{}", option.replace('_', "-"))]
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

    // ---- sync --------------------------------------------------------------------------
    #[error(
        "the database URL contains a password, which would be visible to other users in the process list"
    )]
    PasswordInUrl,

    #[error("TeslaMate database: {context}: {detail}")]
    Postgres {
        context: String,
        detail: String,
        hint: Option<String>,
    },

    // ---- sync (web APIs) ---------------------------------------------------------------
    /// No token from --token-file, the service's variable, or the vault.
    #[error("no {service} access token")]
    NoApiToken {
        service: &'static str,
        env: &'static str,
        token_url: &'static str,
    },

    /// The service refused the token (401/403). Never carries the token itself.
    #[error("{service} refused the access token (HTTP {status})")]
    ApiAuth {
        service: &'static str,
        status: u16,
        token_url: &'static str,
    },

    /// The service could not be reached or kept failing after the retries.
    #[error("{service}: {what}: {detail}")]
    ApiUnavailable {
        service: &'static str,
        what: String,
        detail: String,
    },

    #[error("{failed} of {total} {service} collection(s) could not be synced")]
    SyncIncomplete {
        service: &'static str,
        failed: usize,
        total: usize,
    },

    // ---- verification ------------------------------------------------------------------
    /// A check over data or a package failed (exit 13).
    #[error("{0}")]
    Verification(String),

    /// `trove verify` (or `audit show --reopen`) refused a package.
    #[error("package rejected: {reason}")]
    PackageRejected { reason: String },

    /// `trove audit --verify` found the ledger inconsistent.
    #[error("the ledger was tampered with: {reason}")]
    LedgerTampered { reason: String },

    // ---- plumbing ----------------------------------------------------------------------
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },

    /// Any other SQLite error. Built only through `From<rusqlite::Error>`, which first sorts
    /// out damage and a full disk into their own variants.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),

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
        if source.kind() == io::ErrorKind::StorageFull {
            return Error::DiskFull {
                context: context.into(),
            };
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
            | PasswordInUrl
            | QueryRefused { .. }
            | QueryInvalid { .. }
            | OutputToTerminal { .. } => exit::USAGE,
            NoVault { .. } => exit::NO_VAULT,
            Locked { .. } => exit::LOCKED,
            WrongPassphrase | WrongIdentity { .. } | NoSuchSlotKind { .. } => exit::WRONG_KEY,
            Verification(_) | PackageRejected { .. } | LedgerTampered { .. } => exit::VERIFICATION,
            RedactionWeakened { .. }
            | OutsideRequest { .. }
            | ConsentRequired { .. }
            | EmptySelection => exit::USAGE,
            Interrupted => exit::INTERRUPTED,
            BrokenPipe => exit::OK,
            VaultExists { .. }
            | DirectoryNotEmpty { .. }
            | PlaintextVault { .. }
            | DatabaseUnreadable { .. }
            | DatabaseDamaged { .. }
            | DiskFull { .. }
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
            | NoSuchDao { .. }
            | DaoExists { .. }
            | InvalidDaoName { .. }
            | InvalidEndpoint { .. }
            | InvalidRequest { .. }
            | NoRecipients { .. }
            | OutputExists { .. }
            | NoSuchContribution { .. }
            | PackageNotMoved { .. }
            | AmbiguousContribution { .. }
            | UnknownPackage { .. }
            | AlreadyRevoked { .. }
            | NoEndpoint { .. }
            | SubmitRejected { .. }
            | SubmitFailed { .. }
            | TokenFile { .. }
            | UnknownFormat { .. }
            | BadContainer { .. }
            | BadSpec { .. }
            | StrictReject { .. }
            | StrictPartial
            | ImportIncomplete { .. }
            | Postgres { .. }
            | NoApiToken { .. }
            | ApiAuth { .. }
            | ApiUnavailable { .. }
            | SyncIncomplete { .. }
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
            DatabaseDamaged { .. } => vec![
                "`trove check` lists the pages that fail their authentication check".into(),
                "the file was changed outside trove (disk error or tampering); restore vault.db from a backup".into(),
            ],
            DiskFull { .. } => vec![
                "free space on that file system and run the command again".into(),
                "the step that did not finish was rolled back; steps finished before it are kept and are not repeated".into(),
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
            KeySlotDamaged { name, .. } => vec![format!(
                "restore keyslots/{name}.age from a backup; if another key slot unlocks the vault, `trove key remove {name}` removes the damaged one"
            )],
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
            MissingImportOption { option, help, .. } => {
                vec![format!("--{}: {help}", option.replace('_', "-"))]
            }
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
            PasswordInUrl => vec![
                "remove the password from --url and set PGPASSWORD, or pass --password-file FILE".into(),
            ],
            Postgres { hint, .. } => hint.iter().cloned().collect(),
            NoApiToken { env, token_url, .. } => vec![
                format!("create a personal access token at {token_url}"),
                format!("pass it in {env} or with --token-file FILE (- reads stdin); add --save-token to keep it in the vault for later syncs"),
            ],
            ApiAuth { status, token_url, .. } => {
                let mut h = vec![if *status == 403 {
                    "the token lacks a permission, or the account has no API access (Oura needs an active membership)".to_string()
                } else {
                    "the token is wrong, expired or revoked".to_string()
                }];
                h.push(format!("create a new one at {token_url}; --save-token replaces a kept token, --forget-token removes it"));
                h
            }
            ApiUnavailable { .. } => vec![
                "what was synced before the failure is kept; run the same command again to resume".into(),
            ],
            SyncIncomplete { .. } => vec![
                "the report names each failed collection and why; the others were synced".into(),
            ],
            InvalidRecipient { .. } => vec![
                "an age recipient looks like age1… (`age-keygen -y identity.txt` prints it)".into(),
            ],
            NoSuchDao { .. } => vec!["`trove dao list` shows the registered DAOs; add one with `trove dao add`".into()],
            DaoExists { name } => vec![format!(
                "remove it first with `trove dao remove {name}`, or choose another name"
            )],
            InvalidEndpoint { .. } => vec![
                "use an https:// URL (http:// is accepted only for 127.0.0.1, ::1 and localhost)".into(),
            ],
            InvalidRequest { .. } => vec![
                "docs/CONTRIBUTION-FORMAT.md describes the request format; ask the DAO for a corrected file".into(),
            ],
            NoRecipients { .. } => vec![
                "pass --recipient age1… to `trove dao add`, or use a request file that lists the DAO's recipients".into(),
            ],
            RedactionWeakened { dao, .. } => vec![
                format!("drop the flag, or contribute without {dao}'s request (it would then not be what the DAO asked for)"),
            ],
            OutsideRequest { dao, .. } => vec![format!(
                "`trove dao show {dao}` lists what the request asks for; narrow the selection to it"
            )],
            ConsentRequired { dao } => vec![format!(
                "read it with `trove dao show {dao}`, then pass --accept-consent"
            )],
            EmptySelection => vec![
                "check --metric/--kind/--source/--since/--until; `trove status` shows what the vault holds".into(),
            ],
            OutputExists { .. } => vec!["choose another file with -o, or move the old one away".into()],
            PackageNotMoved { .. } => vec![
                "free that name (or fix the problem above), then run `trove contribute`, `submit` or `revoke`: each finishes the move first".into(),
            ],
            NoSuchContribution { .. } | AmbiguousContribution { .. } => {
                vec!["`trove audit` lists contributions and their ids".into()]
            }
            UnknownPackage { .. } => vec![
                "only packages written by `trove contribute` with this vault can be submitted; `trove audit` lists them".into(),
            ],
            NoEndpoint { dao } => vec![format!(
                "send the package to {dao} another way, or register the DAO again with --endpoint URL"
            )],
            SubmitRejected { status: 401 | 403, .. } => vec![
                "check the token: set TROVE_DAO_TOKEN or pass --token-file FILE".into(),
            ],
            SubmitFailed { .. } => vec![
                "nothing was recorded as submitted; try again later with `trove submit`".into(),
            ],
            PackageRejected { .. } => vec![
                "the package was damaged or changed after it was signed, or was not made by trove; do not use its data".into(),
            ],
            LedgerTampered { .. } => vec![
                "the vault's record of what was shared no longer matches what was written; restore vault.db from a backup and compare".into(),
            ],
            _ => Vec::new(),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            match f.code {
                rusqlite::ErrorCode::DiskFull => {
                    return Error::DiskFull {
                        context: "writing the vault database".into(),
                    };
                }
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase => {
                    return Error::DatabaseDamaged {
                        detail: msg.clone().unwrap_or_else(|| f.to_string()),
                    };
                }
                _ => {}
            }
        }
        Error::Sqlite(e)
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        Error::io("I/O error", source)
    }
}
