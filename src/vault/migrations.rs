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
    Migration {
        version: 5,
        name: "0005_one_sample_index.sql",
        sql: include_str!("migrations/0005_one_sample_index.sql"),
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

    /// Version 5 replaces the unique identity index and the series index by one index that
    /// serves both, keeps every row, and the writer's lookup and the readers use it.
    #[test]
    fn v5_leaves_one_sample_index_that_serves_lookups_and_series() {
        let mut conn = Connection::open_in_memory().unwrap();
        for m in &MIGRATIONS[..4] {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, importer, created_ms) VALUES (1, 'x', 0);
             INSERT INTO import_runs (id, importer, importer_version, started_ms, status)
                VALUES (1, 'x', '1', 0, 'complete');
             INSERT INTO samples (metric, start_ms, value, source_id, import_run_id, natural_key)
                VALUES ('heart_rate', 1, 60, 1, 1, 7), ('heart_rate', 2, 61, 1, 1, 8);",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 4);
        let names = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert_eq!(
            names("SELECT name FROM pragma_index_list('samples') ORDER BY name"),
            ["samples_series"]
        );
        assert_eq!(
            names("SELECT name FROM pragma_index_info('samples_series') ORDER BY seqno"),
            [
                "metric",
                "start_ms",
                "natural_key",
                "end_ms",
                "value",
                "category",
                "device_id",
                "source_id"
            ]
        );
        let rows: (i64, f64) = conn
            .query_row("SELECT count(*), sum(value) FROM samples", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(rows, (2, 121.0));
        let plan = |sql: &str| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("; ")
        };
        assert_eq!(
            plan(
                "SELECT 1 FROM samples WHERE metric = 'heart_rate' AND start_ms = 1 AND natural_key = 7"
            ),
            "SEARCH samples USING COVERING INDEX samples_series (metric=? AND start_ms=? AND natural_key=?)"
        );
        assert_eq!(
            plan(
                "SELECT start_ms FROM samples WHERE metric = 'heart_rate' ORDER BY start_ms DESC LIMIT 1"
            ),
            "SEARCH samples USING COVERING INDEX samples_series (metric=?)"
        );
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
