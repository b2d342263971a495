//! Where the secret that opens a vault comes from.
//!
//! Sources are tried in a fixed, documented order (README.md, "Unlocking"):
//!
//! 1. `--identity FILE` / `TROVE_IDENTITY`: an age identity file matching an x25519 key slot;
//! 2. `--passphrase-file FILE` / `TROVE_PASSPHRASE_FILE` (`-` reads stdin);
//! 3. `TROVE_PASSPHRASE_COMMAND`, run with `sh -c`, its first line of stdout;
//! 4. `TROVE_PASSPHRASE`;
//! 5. an interactive prompt, only when stdin is a terminal.
//!
//! There is deliberately no `--passphrase VALUE` flag: argv is visible to every local user.
//! With no source and no terminal we fail at once with a hint instead of hanging on a read.
//! Nothing here runs unless a command actually needs the vault (restic #2951).

use std::io::{self, BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The unlock-related global flags (each already merged with its environment variable by clap).
#[derive(Clone, Debug, Default)]
pub struct UnlockArgs {
    pub identity: Option<PathBuf>,
    pub passphrase_file: Option<PathBuf>,
}

/// A resolved secret able to open a key slot.
pub enum Credential {
    Identity {
        path: PathBuf,
        identities: Vec<Box<dyn age::Identity + Send + Sync>>,
    },
    Passphrase(SecretString),
}

impl Credential {
    pub fn describe(&self) -> String {
        match self {
            Credential::Identity { path, .. } => format!("identity {}", path.display()),
            Credential::Passphrase(_) => "passphrase".to_string(),
        }
    }
}

/// Resolves the credential used to unlock an existing vault.
pub fn credential(args: &UnlockArgs, vault: &Path) -> Result<Credential> {
    if let Some(path) = &args.identity {
        return read_identity_file(path);
    }
    if let Some(pass) = passphrase_from_sources(args.passphrase_file.as_deref(), "TROVE")? {
        return Ok(Credential::Passphrase(pass));
    }
    if io::stdin().is_terminal() {
        let prompt = format!("Passphrase for the vault at {}: ", vault.display());
        let pass = prompt_secret(&prompt)?;
        return Ok(Credential::Passphrase(pass));
    }
    Err(Error::NoPassphraseSource)
}

/// Resolves a new passphrase (for `trove init`). Same sources as unlocking, minus identities;
/// on a terminal it is asked twice.
pub fn new_passphrase(args: &UnlockArgs) -> Result<SecretString> {
    if let Some(pass) = passphrase_from_sources(args.passphrase_file.as_deref(), "TROVE")? {
        return check_new(pass);
    }
    if io::stdin().is_terminal() {
        return prompt_twice("New passphrase: ");
    }
    Err(Error::NoPassphraseSource)
}

/// Resolves the replacement passphrase for `trove key passwd`: `--new-passphrase-file`,
/// `TROVE_NEW_PASSPHRASE_FILE`, `TROVE_NEW_PASSPHRASE_COMMAND`, `TROVE_NEW_PASSPHRASE`, or a
/// prompt (twice) on a terminal.
pub fn replacement_passphrase(new_file: Option<&Path>) -> Result<SecretString> {
    if let Some(pass) = passphrase_from_sources(new_file, "TROVE_NEW")? {
        return check_new(pass);
    }
    if io::stdin().is_terminal() {
        return prompt_twice("New passphrase: ");
    }
    Err(Error::Usage {
        message: "no source for the new passphrase".into(),
        hint: Some(
            "pass --new-passphrase-file FILE (or -), or set TROVE_NEW_PASSPHRASE_FILE, TROVE_NEW_PASSPHRASE_COMMAND or TROVE_NEW_PASSPHRASE".into(),
        ),
    })
}

fn check_new(pass: SecretString) -> Result<SecretString> {
    if pass.expose_secret().is_empty() {
        return Err(Error::EmptyPassphrase);
    }
    Ok(pass)
}

/// Non-interactive sources, in order: file (flag or `<PREFIX>_PASSPHRASE_FILE`, already merged
/// by clap for the `TROVE` prefix), `<PREFIX>_PASSPHRASE_COMMAND`, `<PREFIX>_PASSPHRASE`.
fn passphrase_from_sources(file: Option<&Path>, prefix: &str) -> Result<Option<SecretString>> {
    let env_file = std::env::var_os(format!("{prefix}_PASSPHRASE_FILE")).map(PathBuf::from);
    let file = file.map(Path::to_path_buf).or(env_file);
    if let Some(path) = file {
        return read_passphrase_file(&path).map(Some);
    }
    if let Some(cmd) = std::env::var_os(format!("{prefix}_PASSPHRASE_COMMAND")) {
        return run_passphrase_command(&cmd.to_string_lossy(), prefix).map(Some);
    }
    if let Some(value) = std::env::var_os(format!("{prefix}_PASSPHRASE")) {
        let value = Zeroizing::new(value.to_string_lossy().into_owned());
        return Ok(Some(SecretString::from(value.to_string())));
    }
    Ok(None)
}

/// Reads the first line of a passphrase file (`-` is stdin), without its line ending.
fn read_passphrase_file(path: &Path) -> Result<SecretString> {
    read_secret_line(path, "passphrase")
}

/// Reads the first line of a file holding a secret (`-` is stdin), without its line ending;
/// warns when the file is readable by other users. `what` names the secret in messages.
pub fn read_secret_line(path: &Path, what: &str) -> Result<SecretString> {
    let mut line = Zeroizing::new(String::new());
    if path == Path::new("-") {
        io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::io(format!("reading the {what} from stdin"), e))?;
    } else {
        warn_if_readable_by_others(path);
        let file = std::fs::File::open(path)
            .map_err(|e| Error::io(format!("reading {what} file {}", path.display()), e))?;
        io::BufReader::new(file)
            .read_line(&mut line)
            .map_err(|e| Error::io(format!("reading {what} file {}", path.display()), e))?;
    }
    let trimmed = line.trim_end_matches(['\n', '\r']);
    Ok(SecretString::from(trimmed.to_string()))
}

/// Environment variables that may hold a secret trove reads.
pub const SECRET_VARS: &[&str] = &[
    "TROVE_PASSPHRASE",
    "TROVE_NEW_PASSPHRASE",
    "TROVE_DAO_TOKEN",
    crate::sync::oura::TOKEN_ENV,
    "PGPASSWORD",
];

fn run_passphrase_command(cmd: &str, prefix: &str) -> Result<SecretString> {
    let var = format!("{prefix}_PASSPHRASE_COMMAND");
    let mut command = Command::new("sh");
    // The command gets the user's environment (a password manager may need it) minus the
    // secrets trove reads from variables: a child is dumpable, so its environment is readable
    // by every process of the user, while trove's own is not once it is unlocked.
    for var in SECRET_VARS {
        command.env_remove(var);
    }
    let child = command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Error::PassphraseCommand {
            detail: format!("{var} could not be started: {e}"),
        })?;
    let mut child = child;
    let mut out = Zeroizing::new(Vec::new());
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_end(&mut out)
            .map_err(|e| Error::PassphraseCommand {
                detail: format!("reading its output: {e}"),
            })?;
    }
    let status = child.wait().map_err(|e| Error::PassphraseCommand {
        detail: e.to_string(),
    })?;
    if !status.success() {
        return Err(Error::PassphraseCommand {
            detail: format!("{var} exited with {status}"),
        });
    }
    let text = std::str::from_utf8(&out).map_err(|_| Error::PassphraseCommand {
        detail: "its output is not UTF-8".into(),
    })?;
    let first = text.lines().next().unwrap_or("");
    Ok(SecretString::from(first.to_string()))
}

fn read_identity_file(path: &Path) -> Result<Credential> {
    warn_if_readable_by_others(path);
    let file = age::IdentityFile::from_file(path.to_string_lossy().into_owned()).map_err(|e| {
        Error::IdentityFile {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    })?;
    let identities = file.into_identities().map_err(|e| Error::IdentityFile {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    if identities.is_empty() {
        return Err(Error::IdentityFile {
            path: path.to_path_buf(),
            detail: "it holds no age identity".into(),
        });
    }
    Ok(Credential::Identity {
        path: path.to_path_buf(),
        identities,
    })
}

fn prompt_secret(prompt: &str) -> Result<SecretString> {
    let value = Zeroizing::new(
        rpassword::prompt_password(prompt).map_err(|e| Error::io("reading the passphrase", e))?,
    );
    Ok(SecretString::from(value.to_string()))
}

fn prompt_twice(prompt: &str) -> Result<SecretString> {
    let first = prompt_secret(prompt)?;
    let second = prompt_secret("Repeat the passphrase: ")?;
    if first.expose_secret() != second.expose_secret() {
        return Err(Error::PassphraseMismatch);
    }
    check_new(first)
}

/// Secret files readable by group or others are a mistake worth a warning (as ssh does).
pub(crate) fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path == Path::new("/dev/stdin")
            || path.starts_with("/proc/")
            || path.starts_with("/dev/fd/")
        {
            return;
        }
        if let Ok(meta) = std::fs::metadata(path)
            && meta.is_file()
            && meta.permissions().mode() & 0o077 != 0
        {
            eprintln!(
                "trove: warning: {} is readable by other users; `chmod 600` it",
                crate::output::sanitize(&path.display().to_string())
            );
        }
    }
}
