//! The SQLCipher connection.
//!
//! Every open asserts that the file really is encrypted: the first 16 bytes must not be the
//! SQLite header, `PRAGMA cipher_version` must answer (the library is SQLCipher, not plain
//! SQLite), and the schema must be readable only after keying. Signal Desktop once recreated
//! its database unencrypted without noticing (signal-desktop #5097); a silently plaintext
//! vault is the worst failure trove could have.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::vault::keyslot::MasterKey;

pub const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// True when the file starts with the plaintext SQLite header.
pub fn is_plaintext_sqlite(path: &Path) -> Result<bool> {
    let mut head = [0u8; 16];
    let mut file =
        File::open(path).map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    match file.read_exact(&mut head) {
        Ok(()) => Ok(&head == SQLITE_MAGIC),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Create a new database (the file must exist and be empty).
    Create,
    ReadWrite,
    /// `SQLITE_OPEN_READONLY` plus `query_only`: any write fails inside SQLite.
    ReadOnly,
}

pub fn open(path: &Path, key: &MasterKey, mode: Mode) -> Result<Connection> {
    if mode != Mode::Create && is_plaintext_sqlite(path)? {
        return Err(Error::PlaintextVault {
            path: path.to_path_buf(),
        });
    }
    let flags = match mode {
        Mode::Create | Mode::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
        Mode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher logs decryption failures to stderr by default; trove reports them itself.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&key.pragma())?;

    let cipher: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    if cipher.as_deref().is_none_or(str::is_empty) {
        // Only possible if trove was built against plain SQLite; never continue.
        return Err(Error::PlaintextVault {
            path: path.to_path_buf(),
        });
    }
    // The first read after keying is where a wrong key or a damaged header shows.
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        return Err(Error::DatabaseUnreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        });
    }
    configure(&conn, mode)?;
    Ok(conn)
}

fn configure(conn: &Connection, mode: Mode) -> Result<()> {
    // Temporary tables and sort spills stay in memory: SQLCipher does not encrypt temp files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // An import prepares a dozen statements per file and reuses them across thousands of
    // small files (workout routes); rusqlite's default cache of 16 would start evicting.
    conn.set_prepared_statement_cache_capacity(64);
    if mode == Mode::ReadOnly {
        conn.pragma_update(None, "query_only", true)?;
    } else {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
    }
    Ok(())
}
