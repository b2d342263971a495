-- Schema v5: compact sample storage. Samples are most of a vault and most of an import's
-- work; until v4 every sample went into three B-trees (the table, the unique index
-- `samples_identity (metric, start_ms, natural_key)` that de-duplicated through ON CONFLICT,
-- and the covering index `samples_series` that `trove stats` reads), each holding the metric's
-- name as text. Figures in docs/BENCHMARKS.md ("Apple Health import").
--
-- 1. Metric names are stored once, in `metric_names`; a sample row holds the name's id.
--    `samples` stays what readers see: a view with the same columns as before, the name
--    joined back in (`SELECT ... FROM samples WHERE metric = ?` finds the id, then uses the
--    index). Rows keep their ids: contributions and exports refer to them.
-- 2. One index both de-duplicates and serves series reads: `samples_series` starts with the
--    identity's columns (metric_id, start_ms, natural_key). The writer looks an identity up
--    there only when the sample could already be in the vault (it starts no later than the
--    newest sample of its metric, which a time-ordered export rarely does) and inserts
--    without a conflict check (src/import/writer.rs). Readers that order by (start_ms,
--    natural_key) (contributions) or by start_ms (stats) read it in order; `trove check`
--    verifies that no identity occurs twice.
CREATE TABLE metric_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO metric_names (name) SELECT DISTINCT metric FROM samples ORDER BY metric;

CREATE TABLE sample_rows (
    id             INTEGER PRIMARY KEY,
    metric_id      INTEGER NOT NULL REFERENCES metric_names(id),
    start_ms       INTEGER NOT NULL,
    end_ms         INTEGER,
    tz_offset_min  INTEGER,
    value          REAL,
    category       TEXT,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    device_id      INTEGER REFERENCES devices(id),
    event_id       INTEGER REFERENCES events(id),
    source_file_id INTEGER REFERENCES source_files(id),
    import_run_id  INTEGER NOT NULL REFERENCES import_runs(id),
    attrs          TEXT,
    natural_key    INTEGER NOT NULL,
    CHECK (value IS NOT NULL OR category IS NOT NULL)
) STRICT;
INSERT INTO sample_rows (id, metric_id, start_ms, end_ms, tz_offset_min, value, category,
        source_id, device_id, event_id, source_file_id, import_run_id, attrs, natural_key)
    SELECT s.id, m.id, s.start_ms, s.end_ms, s.tz_offset_min, s.value, s.category,
        s.source_id, s.device_id, s.event_id, s.source_file_id, s.import_run_id, s.attrs,
        s.natural_key
    FROM samples s JOIN metric_names m ON m.name = s.metric
    ORDER BY s.id;
DROP TABLE samples;
CREATE INDEX samples_series
    ON sample_rows (metric_id, start_ms, natural_key, end_ms, value, category, device_id, source_id);

CREATE VIEW samples (id, metric, start_ms, end_ms, tz_offset_min, value, category, source_id,
        device_id, event_id, source_file_id, import_run_id, attrs, natural_key) AS
    SELECT r.id, m.name, r.start_ms, r.end_ms, r.tz_offset_min, r.value, r.category,
        r.source_id, r.device_id, r.event_id, r.source_file_id, r.import_run_id, r.attrs,
        r.natural_key
    FROM sample_rows r JOIN metric_names m ON m.id = r.metric_id;
