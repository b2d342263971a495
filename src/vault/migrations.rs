//! Append-only, numbered schema migrations on `PRAGMA user_version`.
//!
//! Each migration is a `.sql` file in `migrations/`, embedded at build time and applied in its
//! own transaction. `CHECKSUMS` pins the SHA-256 of every shipped file; a unit test fails when
//! a shipped migration is edited or when the list and the files disagree.
//!
//! Why not `rusqlite_migration`: its releases lag rusqlite (2.6 requires rusqlite 0.40, we need
//! 0.43 for SQLCipher 4.20), and the part we need is the twenty lines below.

use rusqlite::Connection;

use crate::error::{Error, Result};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial.sql",
        sql: include_str!("migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_sync_state.sql",
        sql: include_str!("migrations/0002_sync_state.sql"),
    },
    Migration {
        version: 3,
        name: "0003_explore.sql",
        sql: include_str!("migrations/0003_explore.sql"),
    },
    Migration {
        version: 4,
        name: "0004_media.sql",
        sql: include_str!("migrations/0004_media.sql"),
    },
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub fn current(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the schema up to [`latest`]. Returns the version found before migrating.
pub fn migrate(conn: &mut Connection) -> Result<i64> {
    let found = current(conn)?;
    if found > latest() {
        return Err(Error::SchemaTooNew {
            found,
            supported: latest(),
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn versions_are_contiguous_and_named_after_their_number() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{} does not start with its number",
                m.name
            );
        }
    }

    /// Shipped migrations are never edited: their hashes are pinned in CHECKSUMS.
    #[test]
    fn shipped_migrations_are_unchanged() {
        let pinned = include_str!("migrations/CHECKSUMS");
        let pinned: Vec<(&str, &str)> = pinned
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let mut parts = l.split_whitespace();
                (parts.next().unwrap(), parts.next().unwrap())
            })
            .collect();
        assert_eq!(
            pinned.len(),
            MIGRATIONS.len(),
            "every migration needs exactly one line in CHECKSUMS"
        );
        for (m, (hash, name)) in MIGRATIONS.iter().zip(&pinned) {
            assert_eq!(m.name, *name);
            let actual = hex::encode(Sha256::digest(m.sql.as_bytes()));
            assert_eq!(
                actual, *hash,
                "{} changed after it shipped; add a new migration instead",
                m.name
            );
        }
    }

    #[test]
    fn migrations_apply_to_an_empty_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(current(&conn).unwrap(), latest());
        // Idempotent.
        assert_eq!(migrate(&mut conn).unwrap(), latest());
    }

    #[test]
    fn newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest() + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(Error::SchemaTooNew { .. })
        ));
    }
}
