-- Schema v4: media files copied from exports on request (`trove import --with-media`).
--
-- Photos and videos live inside the encrypted database like every other row, never as loose
-- files next to it. They are written with SQLite's incremental blob I/O, so a large video is
-- streamed in, not held in memory. Media never leaves the vault in a contribution.
CREATE TABLE media (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    -- The post or message it belongs to, when the export says.
    event_id       INTEGER REFERENCES events(id),
    -- The file name in the export (X: `<tweet id>-<media key>.jpg`), unique per source.
    name           TEXT NOT NULL,
    -- The path inside the export it was read from.
    member         TEXT NOT NULL,
    mime           TEXT,
    size           INTEGER NOT NULL,
    sha256         BLOB NOT NULL,
    data           BLOB NOT NULL,
    source_file_id INTEGER REFERENCES source_files(id),
    import_run_id  INTEGER NOT NULL REFERENCES import_runs(id),
    UNIQUE (source_id, name)
) STRICT;
CREATE INDEX media_event ON media (event_id) WHERE event_id IS NOT NULL;
