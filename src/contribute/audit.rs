//! Reading the ledger: what was shared, with whom, when and how much; one contribution in
//! detail (reopening its package with the vault's own key); which contributions included a
//! given row.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

use crate::contribute::records::Table;
use crate::contribute::verify::{self, Verified};
use crate::contribute::{hex32, ledger};
use crate::error::{Error, Result};
use crate::output::rfc3339_ms;
use crate::vault::Vault;

#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub id: String,
    pub dao: String,
    pub created: String,
    pub records: i64,
    pub status: String,
    pub package_path: Option<String>,
    pub package_sha256: String,
    pub submitted: Option<String>,
    pub revoked: Option<String>,
}

const SELECT: &str = "SELECT c.id, d.name, c.created_ms, c.record_count, c.status, c.package_path,
        c.package_sha256, c.submitted_ms, c.revoked_ms
 FROM contributions c JOIN daos d ON d.id = c.dao_id";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let sha: Vec<u8> = r.get(6)?;
    Ok(Entry {
        id: r.get(0)?,
        dao: r.get(1)?,
        created: rfc3339_ms(r.get(2)?),
        records: r.get(3)?,
        status: r.get(4)?,
        package_path: r.get(5)?,
        package_sha256: hex32(&sha),
        submitted: r.get::<_, Option<i64>>(7)?.map(rfc3339_ms),
        revoked: r.get::<_, Option<i64>>(8)?.map(rfc3339_ms),
    })
}

/// Contributions, oldest first, optionally for one DAO (by name, including removed DAOs).
pub fn list(conn: &Connection, dao: Option<&str>) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE ?1 IS NULL OR d.name = ?1 ORDER BY c.created_ms, c.id"
    ))?;
    Ok(stmt
        .query_map([dao], entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A full id, or a unique prefix of one (at least 4 characters).
pub fn resolve_id(conn: &Connection, prefix: &str) -> Result<String> {
    let not_found = || Error::NoSuchContribution { id: prefix.into() };
    if prefix.len() < 4 || !prefix.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return Err(not_found());
    }
    let mut stmt = conn.prepare(
        "SELECT id FROM contributions WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2",
    )?;
    let ids = stmt
        .query_map([prefix.to_ascii_lowercase()], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(not_found()),
        _ => Err(Error::AmbiguousContribution {
            prefix: prefix.into(),
        }),
    }
}

#[derive(Debug, Serialize)]
pub struct LedgerEntry {
    pub seq: i64,
    pub kind: String,
    pub created: String,
    pub hash: String,
    pub body: Value,
}

#[derive(Debug, Serialize)]
pub struct Detail {
    pub version: u32,
    #[serde(flatten)]
    pub entry: Entry,
    pub manifest_sha256: String,
    pub rows: BTreeMap<String, i64>,
    pub receipt: Option<Value>,
    pub ledger: Vec<LedgerEntry>,
    pub manifest: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Reopened>,
}

/// The result of reopening a package with the vault's own key.
#[derive(Debug, Serialize)]
pub struct Reopened {
    pub path: String,
    pub intact: bool,
    pub matches_ledger: bool,
    pub records: u64,
}

pub fn show(conn: &Connection, id: &str) -> Result<Detail> {
    let entry = conn
        .query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], entry)
        .optional()?
        .ok_or_else(|| Error::NoSuchContribution { id: id.into() })?;
    let (manifest, manifest_sha, receipt): (String, Vec<u8>, Option<String>) = conn.query_row(
        "SELECT manifest, manifest_sha256, receipt FROM contributions WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut rows = BTreeMap::new();
    for (table, a, b) in ledger::stored_runs(conn, id)? {
        *rows.entry(table).or_insert(0) += b - a + 1;
    }
    let mut stmt = conn.prepare(
        "SELECT seq, kind, created_ms, hash, body FROM ledger WHERE subject = ?1 ORDER BY seq",
    )?;
    let ledger = stmt
        .query_map([id], |r| {
            let hash: Vec<u8> = r.get(3)?;
            let body: String = r.get(4)?;
            Ok(LedgerEntry {
                seq: r.get(0)?,
                kind: r.get(1)?,
                created: rfc3339_ms(r.get(2)?),
                hash: hex32(&hash),
                body: serde_json::from_str(&body).unwrap_or(Value::String(body)),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Detail {
        version: crate::output::JSON_VERSION,
        entry,
        manifest_sha256: hex32(&manifest_sha),
        rows,
        receipt: receipt.map(|r| serde_json::from_str(&r).unwrap_or(Value::String(r))),
        ledger,
        manifest: serde_json::from_str(&manifest).unwrap_or(Value::String(manifest)),
        package: None,
    })
}

/// Decrypts the contribution's package with the vault's own identity, verifies it fully, and
/// compares it with the ledger. A package that fails is an error (exit 13).
pub fn reopen(vault: &Vault, detail: &Detail) -> Result<Reopened> {
    let path = detail
        .entry
        .package_path
        .as_ref()
        .map(PathBuf::from)
        .ok_or_else(|| Error::Usage {
            message: format!(
                "contribution {} was written to stdout; there is no file to reopen",
                detail.entry.id
            ),
            hint: None,
        })?;
    let keys = vault.keys()?;
    let opts = verify::Options {
        identities: vec![Box::new(keys.age_identity.clone())],
        identity_path: None,
        signer: Some(keys.minisign_public_key()),
        max_total: verify::MAX_TOTAL,
    };
    let v: Verified = verify::verify_file(&path, &opts)?;
    let matches = v.manifest_sha256 == detail.manifest_sha256
        && v.package_sha256 == detail.entry.package_sha256
        && v.id == detail.entry.id;
    if !matches {
        return Err(Error::PackageRejected {
            reason: format!(
                "{} is a valid package but not the one the ledger records for {}",
                path.display(),
                detail.entry.id
            ),
        });
    }
    Ok(Reopened {
        path: path.display().to_string(),
        intact: true,
        matches_ledger: true,
        records: v.records,
    })
}

/// Parses `TABLE:ID` (e.g. `samples:42`).
pub fn parse_row(text: &str) -> Result<(Table, i64)> {
    let bad = || Error::Usage {
        message: format!("invalid row {text:?}"),
        hint: Some(
            "name a row as TABLE:ID, with TABLE one of samples, events, track_points".into(),
        ),
    };
    let (t, id) = text.split_once(':').ok_or_else(bad)?;
    let table = Table::from_name(t).ok_or_else(bad)?;
    let id = id.parse::<i64>().map_err(|_| bad())?;
    Ok((table, id))
}

/// Contributions that included the row.
pub fn by_row(conn: &Connection, table: Table, row_id: i64) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE c.id IN (SELECT contribution_id FROM contribution_rows
                                 WHERE row_table = ?1 AND first_id <= ?2 AND last_id >= ?2)
         ORDER BY c.created_ms, c.id"
    ))?;
    Ok(stmt
        .query_map((table.name(), row_id), entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Finds the contribution whose encrypted package has this SHA-256.
pub fn by_package_sha256(conn: &Connection, sha: &[u8; 32]) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM contributions WHERE package_sha256 = ?1",
            [&sha[..]],
            |r| r.get(0),
        )
        .optional()?)
}
