//! `trove status`: what the vault holds, gathered in one place for the human and JSON views.
//!
//! The JSON shape is documented in README.md ("`trove status --json`") and is stable: fields
//! may be added, never renamed or removed without bumping `version`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::output::{JSON_VERSION, rfc3339_ms};
use crate::vault::{SlotInfo, Vault, migrations};

/// Tables whose row counts `status` reports, in display order.
pub const COUNTED_TABLES: &[&str] = &[
    "samples",
    "events",
    "track_points",
    "devices",
    "sources",
    "source_files",
    "import_runs",
    "import_errors",
    "daos",
    "contributions",
    "contribution_rows",
    "ledger",
];

#[derive(Debug, Serialize)]
pub struct Status {
    pub version: u32,
    pub vault: VaultInfo,
    pub schema_version: i64,
    pub key_slots: Vec<SlotInfo>,
    pub tables: BTreeMap<String, i64>,
    pub coverage: Option<Coverage>,
    pub sources: Vec<SourceStatus>,
    pub recent_imports: Vec<ImportRun>,
    pub recent_import_errors: Vec<ImportError>,
    pub size_bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct VaultInfo {
    pub id: String,
    pub path: String,
    pub created: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Coverage {
    pub earliest: String,
    pub latest: String,
}

#[derive(Debug, Serialize)]
pub struct SourceStatus {
    pub importer: String,
    pub account: String,
    pub files: i64,
    pub coverage: Option<Coverage>,
}

#[derive(Debug, Serialize)]
pub struct ImportRun {
    pub id: i64,
    pub importer: String,
    pub importer_version: String,
    pub kind: String,
    pub status: String,
    pub started: String,
    pub finished: Option<String>,
    pub stats: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct ImportError {
    pub import_run_id: i64,
    pub importer: String,
    pub member: Option<String>,
    pub locator: String,
    pub message: String,
}

fn coverage(min: Option<i64>, max: Option<i64>) -> Option<Coverage> {
    match (min, max) {
        (Some(a), Some(b)) => Some(Coverage {
            earliest: rfc3339_ms(a),
            latest: rfc3339_ms(b),
        }),
        _ => None,
    }
}

pub fn gather(vault: &Vault) -> Result<Status> {
    let _snapshot = vault.read_snapshot()?;
    let conn = &vault.conn;
    let mut tables = BTreeMap::new();
    for table in COUNTED_TABLES {
        // `samples` is a view (schema v5); its rows are those of `sample_rows`.
        let stored = if *table == "samples" {
            "sample_rows"
        } else {
            table
        };
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {stored}"), [], |r| r.get(0))?;
        tables.insert((*table).to_string(), n);
    }
    let created: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'created_ms'", [], |r| {
            r.get::<_, String>(0)
        })
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .map(rfc3339_ms);

    // Coverage is maintained per source by the import engine (min/max time of what it wrote),
    // so status stays instant on a vault with millions of rows.
    let (min, max): (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(min_ms), max(max_ms) FROM sources", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;

    let mut stmt = conn.prepare(
        "SELECT s.importer, s.account, s.min_ms, s.max_ms,
                (SELECT count(*) FROM source_files f WHERE f.source_id = s.id)
         FROM sources s ORDER BY s.importer, s.account",
    )?;
    let sources = stmt
        .query_map([], |r| {
            Ok(SourceStatus {
                importer: r.get(0)?,
                account: r.get(1)?,
                coverage: coverage(r.get(2)?, r.get(3)?),
                files: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut stmt = conn.prepare(
        "SELECT id, importer, importer_version, kind, status, started_ms, finished_ms, stats
         FROM import_runs ORDER BY id DESC LIMIT 5",
    )?;
    let recent_imports = stmt
        .query_map([], |r| {
            let stats: Option<String> = r.get(7)?;
            Ok(ImportRun {
                id: r.get(0)?,
                importer: r.get(1)?,
                importer_version: r.get(2)?,
                kind: r.get(3)?,
                status: r.get(4)?,
                started: rfc3339_ms(r.get(5)?),
                finished: r.get::<_, Option<i64>>(6)?.map(rfc3339_ms),
                stats: stats.and_then(|s| serde_json::from_str(&s).ok()),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut stmt = conn.prepare(
        "SELECT import_run_id, importer, member, locator, message
         FROM import_errors ORDER BY id DESC LIMIT 10",
    )?;
    let recent_import_errors = stmt
        .query_map([], |r| {
            Ok(ImportError {
                import_run_id: r.get(0)?,
                importer: r.get(1)?,
                member: r.get(2)?,
                locator: r.get(3)?,
                message: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    Ok(Status {
        version: JSON_VERSION,
        vault: VaultInfo {
            id: vault.id.clone(),
            path: vault.paths.dir().display().to_string(),
            created,
        },
        schema_version: migrations::current(conn)?,
        key_slots: vault.slots()?,
        tables,
        coverage: coverage(min, max),
        sources,
        recent_imports,
        recent_import_errors,
        size_bytes: crate::fsutil::dir_size(vault.paths.dir()),
    })
}
