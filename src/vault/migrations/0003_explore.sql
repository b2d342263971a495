-- Schema v3, for exploring the vault (trove stats, export; docs/EXPLORE.md).
--
-- 1. Plaintext exports are recorded in the audit ledger. `trove export` writes vault data
--    unencrypted; the ledger, which answers "what left the vault, when, where to", records each
--    export as an entry of kind 'export'. SQLite cannot change a CHECK constraint in place, so
--    the table is rebuilt with the same columns and rows (seq, hashes and all, so the hash chain
--    is untouched).
CREATE TABLE ledger_v2 (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL
               CHECK (kind IN ('contribution', 'submission', 'revocation', 'export')),
    created_ms INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL UNIQUE
) STRICT;
INSERT INTO ledger_v2 (seq, kind, created_ms, subject, body, prev_hash, hash)
    SELECT seq, kind, created_ms, subject, body, prev_hash, hash FROM ledger ORDER BY seq;
DROP TABLE ledger;
ALTER TABLE ledger_v2 RENAME TO ledger;

-- 2. A covering index for time series reads: `trove stats` walks one metric in time order and
--    needs only these columns, so it never touches the table's pages (which also hold attrs,
--    keys and provenance). Measured in docs/BENCHMARKS.md ("Explore"); it costs one more B-tree
--    insert per sample at import.
CREATE INDEX samples_series
    ON samples (metric, start_ms, end_ms, value, category, device_id, source_id);
