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
        name: "0005_compact_samples.sql",
        sql: include_str!("migrations/0005_compact_samples.sql"),
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

    /// Version 5 moves samples into `sample_rows` (metric names as ids, one index for
    /// identity and series) behind a `samples` view with the old columns, keeping every row
    /// and its id; the writer's lookups and the readers' series scans use the index.
    #[test]
    fn v5_keeps_samples_and_their_ids_behind_a_view() {
        let mut conn = Connection::open_in_memory().unwrap();
        for m in &MIGRATIONS[..4] {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, importer, created_ms) VALUES (1, 'x', 0);
             INSERT INTO import_runs (id, importer, importer_version, started_ms, status)
                VALUES (1, 'x', '1', 0, 'complete');
             INSERT INTO samples (id, metric, start_ms, value, category, source_id,
                    import_run_id, attrs, natural_key)
                VALUES (10, 'step_count', 5, 100, NULL, 1, 1, NULL, 9),
                       (11, 'heart_rate', 1, 60, NULL, 1, 1, '{\"a\":1}', 7),
                       (13, 'sleep_stage', 2, NULL, 'deep', 1, 1, NULL, 8);",
        )
        .unwrap();
        let dump = |conn: &Connection| -> Vec<String> {
            conn.prepare("SELECT * FROM samples ORDER BY id")
                .unwrap()
                .query_map([], |r| {
                    Ok((0..14)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join(" "))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let before = dump(&conn);
        assert_eq!(migrate(&mut conn).unwrap(), 4);
        assert_eq!(dump(&conn), before);
        let strings = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert_eq!(
            strings("SELECT name FROM metric_names ORDER BY id"),
            ["heart_rate", "sleep_stage", "step_count"]
        );
        assert_eq!(
            strings("SELECT name FROM pragma_index_list('sample_rows') ORDER BY name"),
            ["samples_series"]
        );
        assert_eq!(
            strings("SELECT name FROM pragma_index_info('samples_series') ORDER BY seqno"),
            [
                "metric_id",
                "start_ms",
                "natural_key",
                "end_ms",
                "value",
                "category",
                "device_id",
                "source_id"
            ]
        );
        let plan = |sql: &str| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("; ")
        };
        // The writer's lookup, and a reader of the view by metric: index seeks, no sort.
        assert_eq!(
            plan(
                "SELECT 1 FROM sample_rows WHERE metric_id = 1 AND start_ms = 1 AND natural_key = 7"
            ),
            "SEARCH sample_rows USING COVERING INDEX samples_series (metric_id=? AND start_ms=? AND natural_key=?)"
        );
        assert_eq!(
            plan(
                "SELECT start_ms, value FROM samples WHERE metric = 'heart_rate' AND start_ms > 0 ORDER BY start_ms"
            ),
            "SEARCH m USING COVERING INDEX sqlite_autoindex_metric_names_1 (name=?); \
             SEARCH r USING COVERING INDEX samples_series (metric_id=? AND start_ms>?)"
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
