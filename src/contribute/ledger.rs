//! The ledger: a hash chain over everything shared. Each entry is
//!
//! ```text
//! hash = SHA-256( "trove-ledger/1" 0x00 ‖ u64be(seq) ‖ lp(kind) ‖ i64be(created_ms)
//!                 ‖ lp(subject) ‖ lp(body) ‖ prev_hash )        lp(x) = u32be(len x) ‖ x
//! ```
//!
//! with `prev_hash` the previous entry's hash (32 zero bytes for the first). `meta.ledger_head`
//! holds `seq:hash` of the last entry, written in the same transaction, so removing entries
//! from the end is noticed too. A contribution's entry body binds the manifest hash, the
//! package hash, the record count and a digest of its `contribution_rows`, so changing which
//! rows a contribution says it included is caught by [`verify_chain`] as well.
//!
//! This is tamper *evidence* inside the encrypted vault, not tamper proof: whoever holds the
//! vault key can rewrite the whole chain. Copies of the chain's head (in backups, in a
//! DAO's receipts) are what make a rewrite detectable from outside.

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::contribute::hex32;
use crate::error::{Error, Result};

pub const GENESIS: [u8; 32] = [0; 32];
const HEAD_KEY: &str = "ledger_head";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Contribution,
    Submission,
    Revocation,
    /// A plaintext export (`trove export`, migration 0003); its body is
    /// `explore::export::LedgerBody`.
    Export,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contribution => "contribution",
            Kind::Submission => "submission",
            Kind::Revocation => "revocation",
            Kind::Export => "export",
        }
    }
}

pub fn entry_hash(
    seq: i64,
    kind: &str,
    created_ms: i64,
    subject: &str,
    body: &str,
    prev: &[u8],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"trove-ledger/1\0");
    h.update((seq as u64).to_be_bytes());
    h.update((kind.len() as u32).to_be_bytes());
    h.update(kind.as_bytes());
    h.update(created_ms.to_be_bytes());
    for part in [subject.as_bytes(), body.as_bytes()] {
        h.update((part.len() as u32).to_be_bytes());
        h.update(part);
    }
    h.update(prev);
    h.finalize().into()
}

/// Appends an entry inside `tx`; returns its seq and hash.
pub fn append(
    tx: &Transaction<'_>,
    kind: Kind,
    subject: &str,
    body: &str,
    created_ms: i64,
) -> Result<(i64, [u8; 32])> {
    let last: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_vec()),
    };
    let hash = entry_hash(seq, kind.as_str(), created_ms, subject, body, &prev);
    tx.execute(
        "INSERT INTO ledger (seq, kind, created_ms, subject, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (
            seq,
            kind.as_str(),
            created_ms,
            subject,
            body,
            &prev,
            &hash[..],
        ),
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, format!("{seq}:{}", hex32(&hash))),
    )?;
    Ok((seq, hash))
}

/// Sorted ids → runs of consecutive ids.
pub fn ranges(ids: &[i64]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &id in ids {
        match out.last_mut() {
            Some((_, last)) if id == *last + 1 => *last = id,
            Some((_, last)) if id == *last => {}
            _ => out.push((id, id)),
        }
    }
    out
}

/// Digest of a contribution's rows: SHA-256 over `table:first-last\n` lines in table order
/// (samples, events, track_points) and id order.
pub fn rows_digest<'a>(runs: impl IntoIterator<Item = (&'a str, i64, i64)>) -> [u8; 32] {
    let mut h = Sha256::new();
    for (table, first, last) in runs {
        h.update(format!("{table}:{first}-{last}\n").as_bytes());
    }
    h.finalize().into()
}

fn table_order(t: &str) -> u8 {
    match t {
        "samples" => 0,
        "events" => 1,
        _ => 2,
    }
}

/// The row runs recorded for a contribution, in digest order.
pub fn stored_runs(conn: &Connection, id: &str) -> Result<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT row_table, first_id, last_id FROM contribution_rows WHERE contribution_id = ?1",
    )?;
    let mut runs = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<(String, i64, i64)>>>()?;
    runs.sort_by(|a, b| {
        table_order(&a.0)
            .cmp(&table_order(&b.0))
            .then(a.1.cmp(&b.1))
    });
    Ok(runs)
}

/// The body of a contribution's ledger entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionBody {
    pub contribution_id: String,
    pub dao: String,
    pub created: String,
    pub manifest_sha256: String,
    pub package_sha256: String,
    pub package_size: u64,
    pub record_count: u64,
    pub rows_sha256: String,
}

/// The body of a submission entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionBody {
    pub contribution_id: String,
    pub endpoint: String,
    pub http_status: u16,
    pub attempts: u32,
    pub receipt_sha256: String,
}

/// The body of a revocation entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationBody {
    pub contribution_id: String,
    pub notice_sha256: String,
    pub submitted: bool,
}

/// What [`verify_chain`] checked.
#[derive(Debug, Serialize)]
pub struct ChainReport {
    pub entries: i64,
    pub contributions: i64,
    pub head: Option<String>,
}

/// Checks the whole chain and its agreement with `contributions` and `contribution_rows`.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let tampered = |reason: String| Error::LedgerTampered { reason };
    let mut stmt = conn.prepare(
        "SELECT seq, kind, created_ms, subject, body, prev_hash, hash FROM ledger ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_vec();
    let mut contribution_entries = std::collections::BTreeMap::new();
    let mut submitted = std::collections::BTreeSet::new();
    let mut revoked = std::collections::BTreeSet::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let kind: String = r.get(1)?;
        let created_ms: i64 = r.get(2)?;
        let subject: String = r.get(3)?;
        let body: String = r.get(4)?;
        let prev_hash: Vec<u8> = r.get(5)?;
        let hash: Vec<u8> = r.get(6)?;
        if seq != expected_seq {
            return Err(tampered(format!(
                "entry {expected_seq} is missing (the next entry is {seq})"
            )));
        }
        if prev_hash != prev {
            return Err(tampered(format!(
                "entry {seq} does not link to entry {}",
                seq - 1
            )));
        }
        let computed = entry_hash(seq, &kind, created_ms, &subject, &body, &prev_hash);
        if computed[..] != hash[..] {
            return Err(tampered(format!(
                "entry {seq} ({kind} {subject}) was changed after it was written"
            )));
        }
        match kind.as_str() {
            "contribution" => {
                let parsed: ContributionBody = serde_json::from_str(&body)
                    .map_err(|_| tampered(format!("entry {seq} has an unreadable body")))?;
                if parsed.contribution_id != subject {
                    return Err(tampered(format!("entry {seq} names two contributions")));
                }
                if contribution_entries
                    .insert(subject.clone(), (seq, parsed))
                    .is_some()
                {
                    return Err(tampered(format!(
                        "contribution {subject} is recorded twice"
                    )));
                }
            }
            "submission" => {
                submitted.insert(subject.clone());
            }
            "revocation" => {
                revoked.insert(subject.clone());
            }
            _ => {}
        }
        prev = hash;
        expected_seq += 1;
    }
    let entries = expected_seq - 1;
    let head_meta: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [HEAD_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    let head = (entries > 0).then(|| format!("{entries}:{}", hex32(&prev)));
    if head_meta != head {
        return Err(tampered(match head_meta {
            Some(h) => format!(
                "the recorded head is entry {} but the chain ends at entry {entries}",
                h.split(':').next().unwrap_or("?")
            ),
            None => "the recorded head of the chain is missing".into(),
        }));
    }

    // Every contribution row agrees with its entry, and every entry has its row.
    let mut stmt = conn.prepare(
        "SELECT c.id, d.name, c.manifest, c.manifest_sha256, c.package_sha256, c.package_size,
                c.record_count, c.rows_sha256, c.status
         FROM contributions c JOIN daos d ON d.id = c.dao_id ORDER BY c.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut contributions = 0i64;
    while let Some(r) = rows.next()? {
        contributions += 1;
        let id: String = r.get(0)?;
        let Some((seq, body)) = contribution_entries.remove(&id) else {
            return Err(tampered(format!("contribution {id} has no ledger entry")));
        };
        let dao: String = r.get(1)?;
        let manifest: String = r.get(2)?;
        let manifest_sha: Vec<u8> = r.get(3)?;
        let package_sha: Vec<u8> = r.get(4)?;
        let package_size: i64 = r.get(5)?;
        let count: i64 = r.get(6)?;
        let rows_sha: Vec<u8> = r.get(7)?;
        let status: String = r.get(8)?;
        let differs = |what: &str| {
            tampered(format!(
                "contribution {id}: its {what} differs from ledger entry {seq}"
            ))
        };
        if dao != body.dao {
            return Err(differs("DAO"));
        }
        let actual_manifest_sha = crate::contribute::sha256(manifest.as_bytes());
        if hex32(&manifest_sha) != body.manifest_sha256
            || hex32(&actual_manifest_sha) != body.manifest_sha256
        {
            return Err(differs("manifest"));
        }
        if hex32(&package_sha) != body.package_sha256 || package_size as u64 != body.package_size {
            return Err(differs("package hash"));
        }
        if count as u64 != body.record_count {
            return Err(differs("record count"));
        }
        let runs = stored_runs(conn, &id)?;
        let digest = rows_digest(runs.iter().map(|(t, a, b)| (t.as_str(), *a, *b)));
        let counted: i64 = runs.iter().map(|(_, a, b)| b - a + 1).sum();
        if hex32(&rows_sha) != body.rows_sha256
            || hex32(&digest) != body.rows_sha256
            || counted != count
        {
            return Err(differs("list of included rows"));
        }
        let status_ok = match status.as_str() {
            "written" => !submitted.contains(&id) && !revoked.contains(&id),
            "submitted" => submitted.contains(&id) && !revoked.contains(&id),
            "revoked" => revoked.contains(&id),
            _ => false,
        };
        if !status_ok {
            return Err(differs("status"));
        }
    }
    if let Some((id, (seq, _))) = contribution_entries.into_iter().next() {
        return Err(tampered(format!(
            "ledger entry {seq} records contribution {id}, which is missing"
        )));
    }
    Ok(ChainReport {
        entries,
        contributions,
        head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_compress_consecutive_ids() {
        assert_eq!(ranges(&[1, 2, 3, 5, 6, 9]), [(1, 3), (5, 6), (9, 9)]);
        assert_eq!(ranges(&[]), []);
        assert_eq!(ranges(&[4, 4, 5]), [(4, 5)]);
    }

    /// A fixed vector computed independently from the documented encoding (Python hashlib),
    /// so a change to the encoding cannot pass unnoticed.
    #[test]
    fn entry_hash_matches_the_documented_encoding() {
        let h = entry_hash(1, "export", 1_700_000_000_000, "abc", "{\"a\":1}", &GENESIS);
        assert_eq!(
            hex::encode(h),
            "62472f95e4aec1f75d713dce9c24b1989603b28fad270943f60ec14afa10c1ed"
        );
    }

    #[test]
    fn entry_hash_covers_every_field() {
        let base = entry_hash(1, "contribution", 5, "id", "{}", &GENESIS);
        assert_ne!(base, entry_hash(2, "contribution", 5, "id", "{}", &GENESIS));
        assert_ne!(base, entry_hash(1, "submission", 5, "id", "{}", &GENESIS));
        assert_ne!(base, entry_hash(1, "contribution", 6, "id", "{}", &GENESIS));
        assert_ne!(base, entry_hash(1, "contribution", 5, "ie", "{}", &GENESIS));
        assert_ne!(
            base,
            entry_hash(1, "contribution", 5, "id", "{ }", &GENESIS)
        );
        assert_ne!(base, entry_hash(1, "contribution", 5, "id", "{}", &[1; 32]));
        // Length prefixes keep field boundaries: moving a byte between fields changes it.
        assert_ne!(
            entry_hash(1, "contribution", 5, "ab", "c", &GENESIS),
            entry_hash(1, "contribution", 5, "a", "bc", &GENESIS)
        );
    }
}
