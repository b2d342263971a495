-- Schema v1: the normalized model (docs/SCHEMA.md is its reference).
-- Shipped migrations are never edited: src/vault/migrations/CHECKSUMS pins each file and a
-- test fails when one changes. A change to the schema is a new numbered file.
--
-- Conventions: STRICT tables; times are UTC epoch milliseconds (INTEGER) with the original
-- local offset in minutes beside them when the source gave one; JSON lives in TEXT columns
-- (`attrs`) so that `json_extract` works in `trove query`.

-- Vault identity and settings (vault_id, created_ms, signing_key_id, ...).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The vault's own private keys (Ed25519 signing seed, X25519 age identity) and other
-- secrets the user asked trove to keep (API tokens). Only ever inside the encrypted file.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- What each key slot file in keyslots/ is, so `trove key list` can show recipients.
CREATE TABLE key_slots (
    name       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('passphrase', 'x25519')),
    recipient  TEXT,
    created_ms INTEGER NOT NULL
) STRICT;

-- Where data comes from: an importer and, where the export names one, an account.
CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    importer     TEXT NOT NULL,
    account      TEXT NOT NULL DEFAULT '',
    display_name TEXT,
    attrs        TEXT,
    created_ms   INTEGER NOT NULL,
    min_ms       INTEGER,
    max_ms       INTEGER,
    UNIQUE (importer, account)
) STRICT;

-- What recorded a row (Apple Watch, iPhone, Oura ring, a car). Kept on every sample so that
-- overlapping series are resolved at query time by priority, never pre-summed.
CREATE TABLE devices (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    name         TEXT NOT NULL,
    manufacturer TEXT,
    model        TEXT,
    hardware     TEXT,
    software     TEXT,
    app_version  TEXT,
    identity     TEXT NOT NULL,
    priority     INTEGER,
    attrs        TEXT,
    UNIQUE (source_id, identity)
) STRICT;

-- One row per `trove import` or `trove sync` invocation and importer.
CREATE TABLE import_runs (
    id               INTEGER PRIMARY KEY,
    importer         TEXT NOT NULL,
    importer_version TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'import' CHECK (kind IN ('import', 'sync')),
    started_ms       INTEGER NOT NULL,
    finished_ms      INTEGER,
    status           TEXT NOT NULL
                     CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
    args             TEXT,
    stats            TEXT
) STRICT;

-- Every input file imported completely. Written in the same transaction as the file's rows,
-- so its presence means the file is fully in the vault; re-importing it is skipped.
CREATE TABLE source_files (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    importer       TEXT NOT NULL,
    importer_major INTEGER NOT NULL,
    sha256         BLOB NOT NULL,
    container      TEXT,
    member         TEXT NOT NULL,
    size           INTEGER NOT NULL,
    format_version TEXT,
    import_run_id  INTEGER NOT NULL REFERENCES import_runs(id),
    imported_ms    INTEGER NOT NULL,
    records_seen   INTEGER NOT NULL DEFAULT 0,
    records_added  INTEGER NOT NULL DEFAULT 0,
    records_duplicate INTEGER NOT NULL DEFAULT 0,
    records_rejected  INTEGER NOT NULL DEFAULT 0,
    min_ms         INTEGER,
    max_ms         INTEGER,
    raw_sha256     BLOB,
    UNIQUE (importer, importer_major, sha256)
) STRICT;
-- A zip member is first looked up by the hash of its compressed bytes, which is cheap to
-- compute; re-importing an unchanged export then costs no inflating at all.
CREATE INDEX source_files_raw ON source_files (importer, importer_major, raw_sha256)
    WHERE raw_sha256 IS NOT NULL;

-- Metrics met during import that the built-in catalog (src/catalog.rs) does not list, with
-- the unit their values are stored in. Later rows are converted to that unit or rejected.
CREATE TABLE metrics (
    name          TEXT PRIMARY KEY,
    unit          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('cumulative', 'instant', 'categorical')),
    description   TEXT,
    first_seen_ms INTEGER NOT NULL
) STRICT;

-- Numeric or categorical time series.
CREATE TABLE samples (
    id             INTEGER PRIMARY KEY,
    metric         TEXT NOT NULL,
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
-- Dedupe and the main query path in one index: inserts arrive roughly in time order per
-- metric, so this B-tree grows at its right edge instead of at random places.
CREATE UNIQUE INDEX samples_identity ON samples (metric, start_ms, natural_key);

-- Things that happen once: posts, messages, chat turns, workouts, sleep periods, drives,
-- charges, clinical resources. start_ms is NULL when the source gives no time (X likes).
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    start_ms       INTEGER,
    end_ms         INTEGER,
    tz_offset_min  INTEGER,
    title          TEXT,
    body           TEXT,
    attrs          TEXT,
    original_id    TEXT,
    parent_id      INTEGER REFERENCES events(id),
    sensitive      INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    device_id      INTEGER REFERENCES devices(id),
    source_file_id INTEGER REFERENCES source_files(id),
    import_run_id  INTEGER NOT NULL REFERENCES import_runs(id),
    natural_key    TEXT NOT NULL,
    UNIQUE (source_id, natural_key)
) STRICT;
CREATE INDEX events_kind_time ON events (kind, start_ms);
-- A GPX route file finds its workout by the file name the workout recorded (Apple Health).
CREATE INDEX events_workout_route ON events (source_id, json_extract(attrs, '$.route_file'))
    WHERE kind = 'workout';
CREATE INDEX events_parent ON events (parent_id) WHERE parent_id IS NOT NULL;

-- GPS points of a route (workout, drive). Location is the most sensitive data in the vault.
-- seq identifies the point within its event (model::time_seq: t_ms*16 + n for GPS files).
CREATE TABLE track_points (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id),
    seq        INTEGER NOT NULL,
    t_ms       INTEGER NOT NULL,
    lat        REAL NOT NULL,
    lon        REAL NOT NULL,
    alt_m      REAL,
    speed_mps  REAL,
    course_deg REAL,
    h_acc_m    REAL,
    v_acc_m    REAL,
    attrs      TEXT,
    UNIQUE (event_id, seq)
) STRICT;

-- Records an importer could not use, with where they were (errors are data).
CREATE TABLE import_errors (
    id             INTEGER PRIMARY KEY,
    import_run_id  INTEGER NOT NULL REFERENCES import_runs(id),
    source_file_id INTEGER REFERENCES source_files(id),
    importer       TEXT NOT NULL,
    member         TEXT,
    locator        TEXT NOT NULL,
    message        TEXT NOT NULL,
    excerpt        TEXT,
    created_ms     INTEGER NOT NULL
) STRICT;

-- DataDAOs the user may contribute to. A removed DAO keeps its row (contributions refer to it)
-- with removed_ms set, and its name can be registered again.
CREATE TABLE daos (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    recipients     TEXT NOT NULL,   -- JSON array of age recipients (age1…)
    endpoint       TEXT,            -- https URL (http only for loopback addresses)
    request        TEXT,            -- the DAO's request file as registered (JSON text)
    request_sha256 BLOB,
    pseudonym_key  BLOB NOT NULL,   -- 32 random bytes: the per-DAO secret of --pseudonymize
    created_ms     INTEGER NOT NULL,
    removed_ms     INTEGER
) STRICT;
CREATE UNIQUE INDEX daos_name ON daos (name) WHERE removed_ms IS NULL;

-- Every contribution package written (the queryable side of the ledger). `manifest` is the
-- exact manifest.json that was signed; `rows_sha256` digests this contribution's
-- contribution_rows, and both are bound by the contribution's ledger entry.
CREATE TABLE contributions (
    id              TEXT PRIMARY KEY,
    dao_id          INTEGER NOT NULL REFERENCES daos(id),
    created_ms      INTEGER NOT NULL,
    manifest        TEXT NOT NULL,
    manifest_sha256 BLOB NOT NULL,
    package_sha256  BLOB NOT NULL,
    package_size    INTEGER NOT NULL,
    package_path    TEXT,
    record_count    INTEGER NOT NULL,
    rows_sha256     BLOB NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('written', 'submitted', 'revoked')),
    receipt         TEXT,
    submitted_ms    INTEGER,
    revoked_ms      INTEGER
) STRICT;
CREATE INDEX contributions_package ON contributions (package_sha256);

-- The exact rows each contribution included, as runs of consecutive row ids: a contribution
-- of a million samples imported together is a handful of runs, not a million rows.
CREATE TABLE contribution_rows (
    contribution_id TEXT NOT NULL REFERENCES contributions(id),
    row_table       TEXT NOT NULL CHECK (row_table IN ('samples', 'events', 'track_points')),
    first_id        INTEGER NOT NULL,
    last_id         INTEGER NOT NULL CHECK (last_id >= first_id),
    PRIMARY KEY (contribution_id, row_table, first_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contribution_rows_row ON contribution_rows (row_table, first_id, last_id);

-- The tamper-evident audit ledger: each entry's hash covers its fields and the previous
-- entry's hash (docs/CONTRIBUTION-FORMAT.md, "The ledger"). meta.ledger_head holds the last
-- seq and hash, so removing entries from the end is detected too.
CREATE TABLE ledger (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('contribution', 'submission', 'revocation')),
    created_ms INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL UNIQUE
) STRICT;
