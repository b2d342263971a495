//! `trove check`: is the vault sound?
//!
//! Runs every check even after one fails, so the report says everything that is wrong. The
//! database is opened read-only: checking never changes the vault. A wrong passphrase is an
//! error (exit 12), not a failed check: we could not look.

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::output::JSON_VERSION;
use crate::unlock::Credential;
use crate::vault::{VaultPaths, db, keyslot, migrations};

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub version: u32,
    pub ok: bool,
    pub vault: CheckedVault,
    pub checks: Vec<CheckItem>,
}

#[derive(Debug, Serialize)]
pub struct CheckedVault {
    pub path: String,
    pub id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CheckItem {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

struct Report(Vec<CheckItem>);

impl Report {
    fn add(&mut self, name: &'static str, ok: bool, detail: impl Into<String>) {
        self.0.push(CheckItem {
            name,
            ok,
            detail: detail.into(),
        });
    }
}

pub fn run(paths: &VaultPaths, cred: &Credential) -> Result<CheckReport> {
    paths.require_exists()?;
    let mut report = Report(Vec::new());
    let mut vault_id = None;

    let plaintext = db::is_plaintext_sqlite(&paths.db())?;
    report.add(
        "encrypted",
        !plaintext,
        if plaintext {
            "vault.db starts with the plaintext SQLite header".to_string()
        } else {
            "vault.db does not start with the SQLite header".to_string()
        },
    );

    match keyslot::list(paths) {
        Ok(slots) if slots.is_empty() => report.add("key_slots", false, "no key slots"),
        Ok(slots) => report.add(
            "key_slots",
            true,
            format!(
                "{} slot(s): {}",
                slots.len(),
                slots
                    .iter()
                    .map(|s| format!("{} ({})", s.name, s.kind.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Err(e) => report.add("key_slots", false, e.to_string()),
    }

    if !plaintext {
        let (key, slot_vault_id, _slot) = keyslot::open(paths, cred)?;
        match db::open(&paths.db(), &key, db::Mode::ReadOnly) {
            Err(Error::DatabaseUnreadable { detail, .. }) => {
                report.add(
                    "cipher",
                    false,
                    format!("the database does not decrypt: {detail}"),
                );
            }
            Err(e) => return Err(e),
            Ok((conn, mac)) => {
                let cipher: String = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
                let provider: Option<String> = conn
                    .query_row("PRAGMA cipher_provider", [], |r| r.get(0))
                    .optional()?;
                report.add(
                    "cipher",
                    true,
                    format!(
                        "SQLCipher {cipher}{}, {} pages",
                        provider.map(|p| format!(" ({p})")).unwrap_or_default(),
                        mac.name()
                    ),
                );

                let failures = query_strings(&conn, "PRAGMA cipher_integrity_check");
                match failures {
                    Ok(rows) if rows.is_empty() => {
                        report.add("cipher_integrity", true, "every page's HMAC verifies")
                    }
                    Ok(rows) => report.add(
                        "cipher_integrity",
                        false,
                        format!("{} page(s) fail their HMAC: {}", rows.len(), first(&rows)),
                    ),
                    Err(e) => report.add("cipher_integrity", false, e.to_string()),
                }

                match query_strings(&conn, "PRAGMA integrity_check") {
                    Ok(rows) if rows == ["ok"] => report.add("integrity", true, "ok"),
                    Ok(rows) => report.add(
                        "integrity",
                        false,
                        format!("{} problem(s): {}", rows.len(), first(&rows)),
                    ),
                    Err(e) => report.add("integrity", false, e.to_string()),
                }

                let dangling = conn.prepare("PRAGMA foreign_key_check").and_then(|mut s| {
                    let n = s.query_map([], |_| Ok(()))?.count();
                    Ok(n)
                });
                match dangling {
                    Ok(0) => report.add("foreign_keys", true, "ok"),
                    Ok(n) => {
                        report.add("foreign_keys", false, format!("{n} dangling reference(s)"))
                    }
                    Err(e) => report.add("foreign_keys", false, e.to_string()),
                }

                // Samples are de-duplicated by the writer, not by a unique index (schema v5,
                // src/import/writer.rs): an identity stored twice is a bug to report. A vault
                // not migrated yet has the unique index instead.
                let twice = conn
                    .prepare(
                        "SELECT (SELECT name FROM metric_names WHERE id = metric_id), start_ms
                         FROM sample_rows
                         GROUP BY metric_id, start_ms, natural_key HAVING count(*) > 1",
                    )
                    .and_then(|mut s| {
                        s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                            .collect::<rusqlite::Result<Vec<_>>>()
                    });
                match twice {
                    Ok(rows) if rows.is_empty() => {
                        report.add("sample_identity", true, "no sample is stored twice")
                    }
                    Ok(rows) => report.add(
                        "sample_identity",
                        false,
                        format!(
                            "{} sample identit{} stored more than once (first: {} at {})",
                            rows.len(),
                            if rows.len() == 1 { "y is" } else { "ies are" },
                            rows[0].0,
                            crate::output::rfc3339_ms(rows[0].1)
                        ),
                    ),
                    Err(e) => report.add("sample_identity", false, e.to_string()),
                }

                let version = migrations::current(&conn)?;
                let latest = migrations::latest();
                report.add(
                    "schema_version",
                    version <= latest && version > 0,
                    if version == latest {
                        format!("{version} (current)")
                    } else if version < latest {
                        format!("{version}; this trove migrates it to {latest} on the next write")
                    } else {
                        format!("{version} is newer than this trove ({latest})")
                    },
                );

                let id: Option<String> = conn
                    .query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| {
                        r.get(0)
                    })
                    .optional()
                    .unwrap_or(None);
                let matches = id.as_deref() == Some(slot_vault_id.as_str());
                report.add(
                    "vault_id",
                    matches,
                    if matches {
                        slot_vault_id.clone()
                    } else {
                        format!("key slot is for {slot_vault_id}, database is {id:?}")
                    },
                );
                vault_id = id;
            }
        }
    }

    let ok = report.0.iter().all(|c| c.ok);
    Ok(CheckReport {
        version: JSON_VERSION,
        ok,
        vault: CheckedVault {
            path: paths.dir().display().to_string(),
            id: vault_id,
        },
        checks: report.0,
    })
}

fn query_strings(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, rusqlite::types::Value>(0))?;
    rows.map(|r| {
        r.map(|v| match v {
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
    })
    .collect()
}

fn first(rows: &[String]) -> &str {
    rows.first().map(String::as_str).unwrap_or("")
}
