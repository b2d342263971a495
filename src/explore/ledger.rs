//! Appending to the audit ledger (the hash chain of everything that left the vault).
//!
//! The chain's rules are those of the contributions engine (src/contribute/ledger.rs on the
//! contributions branch, docs/CONTRIBUTION-FORMAT.md "The ledger"); this file follows them
//! exactly so that entries written here verify there, and is meant to be replaced by that
//! module once both are merged:
//!
//! ```text
//! hash = SHA-256( "trove-ledger/1" 0x00 ‖ u64be(seq) ‖ lp(kind) ‖ i64be(created_ms)
//!                 ‖ lp(subject) ‖ lp(body) ‖ prev_hash )        lp(x) = u32be(len x) ‖ x
//! ```
//!
//! `prev_hash` is the previous entry's hash (32 zero bytes for the first), and
//! `meta.ledger_head` holds `seq:hex(hash)` of the last entry, written in the same
//! transaction.

use rusqlite::{OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::error::Result;

pub const GENESIS: [u8; 32] = [0; 32];
const HEAD_KEY: &str = "ledger_head";

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
    kind: &str,
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
    let hash = entry_hash(seq, kind, created_ms, subject, body, &prev);
    tx.execute(
        "INSERT INTO ledger (seq, kind, created_ms, subject, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (seq, kind, created_ms, subject, body, &prev, &hash[..]),
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, format!("{seq}:{}", hex::encode(hash))),
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

/// Digest of included rows: SHA-256 over `table:first-last\n` lines, tables in the order
/// samples, events, track_points, ids ascending (the contributions' `rows_sha256`).
pub fn rows_digest<'a>(runs: impl IntoIterator<Item = (&'a str, i64, i64)>) -> [u8; 32] {
    let mut h = Sha256::new();
    for (table, first, last) in runs {
        h.update(format!("{table}:{first}-{last}\n").as_bytes());
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed vector, computed independently from the documented format (Python hashlib),
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
    fn ranges_and_digest() {
        assert_eq!(ranges(&[1, 2, 3, 5, 5, 6, 9]), [(1, 3), (5, 6), (9, 9)]);
        let d = rows_digest([("samples", 1, 3), ("events", 7, 7)]);
        assert_eq!(
            hex::encode(d),
            hex::encode(Sha256::digest(b"samples:1-3\nevents:7-7\n"))
        );
    }
}
