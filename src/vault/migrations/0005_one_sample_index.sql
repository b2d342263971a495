-- Schema v5: one index both de-duplicates samples and serves series reads.
--
-- Until v4 every sample went into three B-trees: the table, the unique index
-- `samples_identity (metric, start_ms, natural_key)` that de-duplicated through ON CONFLICT,
-- and the covering index `samples_series` that `trove stats` reads. The covering index now
-- starts with the identity's columns, so it serves both: the writer looks a sample's identity
-- up in it only when the sample could already be in the vault (it starts no later than the
-- newest sample of its metric, which a time-ordered export rarely does), and inserts without
-- a conflict check (src/import/writer.rs). Readers that order by (start_ms, natural_key)
-- (contributions) or by start_ms (stats) read this index in order; `trove check` verifies
-- that no identity occurs twice. Figures in docs/BENCHMARKS.md ("Apple Health import").
DROP INDEX samples_identity;
DROP INDEX samples_series;
CREATE INDEX samples_series
    ON samples (metric, start_ms, natural_key, end_ms, value, category, device_id, source_id);
