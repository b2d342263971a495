//! The files that make up a vault directory.
//!
//! ```text
//! <vault>/vault.db          SQLCipher database (plus vault.db-wal / vault.db-shm while open)
//! <vault>/keyslots/*.age    age files, each wrapping the database key
//! <vault>/vault.lock        held (flock) by the one process allowed to write
//! ```
//!
//! The default location is the platform data directory from the `directories` crate
//! (`~/.local/share/trove` on Linux, `~/Library/Application Support/trove` on macOS);
//! `--vault DIR` or `TROVE_VAULT` override it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct VaultPaths {
    dir: PathBuf,
}

impl VaultPaths {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        VaultPaths { dir: dir.into() }
    }

    /// `--vault`/`TROVE_VAULT` when given, else the platform default.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self> {
        if let Some(dir) = explicit {
            return Ok(VaultPaths::new(dir));
        }
        let dirs = directories::ProjectDirs::from("", "", "trove").ok_or_else(|| Error::Usage {
            message: "cannot determine a default vault directory (no home directory)".into(),
            hint: Some("pass --vault DIR or set TROVE_VAULT".into()),
        })?;
        Ok(VaultPaths::new(dirs.data_dir()))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn db(&self) -> PathBuf {
        self.dir.join("vault.db")
    }
    pub fn wal(&self) -> PathBuf {
        self.dir.join("vault.db-wal")
    }
    pub fn shm(&self) -> PathBuf {
        self.dir.join("vault.db-shm")
    }
    pub fn keyslots(&self) -> PathBuf {
        self.dir.join("keyslots")
    }
    pub fn slot(&self, name: &str) -> PathBuf {
        self.keyslots().join(format!("{name}.age"))
    }
    pub fn lock(&self) -> PathBuf {
        self.dir.join("vault.lock")
    }

    /// A vault exists when its database exists.
    pub fn exists(&self) -> bool {
        self.db().exists()
    }

    pub fn require_exists(&self) -> Result<()> {
        if self.exists() {
            Ok(())
        } else {
            Err(Error::NoVault {
                path: self.dir.clone(),
            })
        }
    }
}
