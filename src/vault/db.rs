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

/// How SQLCipher authenticates each page. The file does not say (its first bytes are a
/// random salt), so [`open`] tries the current kind first and then the older one: a page
/// authenticated one way never verifies the other way (the two even reserve different room
/// per page), so the wrong kind fails on the first page like a wrong key would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageMac {
    /// HMAC-SHA256: vaults created since schema version 5. With the SHA extensions of current
    /// x86 and ARM processors it costs under half of SHA-512 per page, and page
    /// authentication was a seventh of an import's writing (docs/BENCHMARKS.md).
    Sha256,
    /// HMAC-SHA512, SQLCipher 4's default: vaults created before. They keep it: changing it
    /// would mean rewriting every page.
    Sha512,
}

impl PageMac {
    /// What new vaults use.
    pub const NEW: PageMac = PageMac::Sha256;

    pub fn name(self) -> &'static str {
        match self {
            PageMac::Sha256 => "HMAC-SHA256",
            PageMac::Sha512 => "HMAC-SHA512",
        }
    }

    fn pragma(self) -> &'static str {
        match self {
            PageMac::Sha256 => "PRAGMA cipher_hmac_algorithm = HMAC_SHA256;",
            PageMac::Sha512 => "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;",
        }
    }
}

/// Opens the vault database with `key`, finding how its pages are authenticated; a new one
/// ([`Mode::Create`]) gets [`PageMac::NEW`].
pub fn open(path: &Path, key: &MasterKey, mode: Mode) -> Result<(Connection, PageMac)> {
    if mode == Mode::Create {
        return Ok((open_with(path, key, mode, PageMac::NEW)?, PageMac::NEW));
    }
    match open_with(path, key, mode, PageMac::Sha256) {
        Ok(conn) => Ok((conn, PageMac::Sha256)),
        Err(Error::DatabaseUnreadable { .. }) => Ok((
            open_with(path, key, mode, PageMac::Sha512)?,
            PageMac::Sha512,
        )),
        Err(e) => Err(e),
    }
}

/// Opens the vault database with `key` and pages authenticated by `mac`.
pub fn open_with(path: &Path, key: &MasterKey, mode: Mode, mac: PageMac) -> Result<Connection> {
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
    conn.execute_batch(mac.pragma())?;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A new database gets HMAC-SHA256 pages; one made with SQLCipher 4's default
    /// (HMAC-SHA512, every vault before schema 5) still opens, and says so.
    #[test]
    fn both_kinds_of_page_mac_open() {
        let dir = tempfile::tempdir().unwrap();
        let key = MasterKey::generate().unwrap();
        for (name, made_with) in [("new", None), ("old", Some(PageMac::Sha512))] {
            let path = dir.path().join(name);
            std::fs::File::create(&path).unwrap();
            let conn = match made_with {
                None => open(&path, &key, Mode::Create).unwrap().0,
                Some(mac) => open_with(&path, &key, Mode::Create, mac).unwrap(),
            };
            conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (42);")
                .unwrap();
            drop(conn);
            let (conn, mac) = open(&path, &key, Mode::ReadWrite).unwrap();
            assert_eq!(mac, made_with.unwrap_or(PageMac::NEW), "{name}");
            let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
            assert_eq!(x, 42);
            // The other kind does not read it: it is not silently accepted either way.
            let other = match mac {
                PageMac::Sha256 => PageMac::Sha512,
                PageMac::Sha512 => PageMac::Sha256,
            };
            assert!(matches!(
                open_with(&path, &key, Mode::ReadOnly, other),
                Err(Error::DatabaseUnreadable { .. })
            ));
        }
        // A wrong key opens neither way.
        let wrong = MasterKey::generate().unwrap();
        assert!(matches!(
            open(&dir.path().join("new"), &wrong, Mode::ReadWrite),
            Err(Error::DatabaseUnreadable { .. })
        ));
    }
}
