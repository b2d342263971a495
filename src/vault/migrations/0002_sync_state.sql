-- Schema v2: where each API sync left off (`trove sync`, src/sync/).
--
-- One row per service, account and collection: the last day fetched completely. The next sync
-- of that collection starts a few days before it (the overlap catches data that reached the
-- service late; natural keys make the re-fetched rows add nothing), so an interrupted sync
-- resumes where it stopped and a finished one asks only for new days.

CREATE TABLE sync_state (
    service    TEXT NOT NULL,             -- 'oura'
    account    TEXT NOT NULL DEFAULT '',  -- as sources.account
    collection TEXT NOT NULL,             -- the service's name for it: 'daily_sleep', 'heartrate'
    last_day   TEXT NOT NULL,             -- YYYY-MM-DD, fetched completely up to and including
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (service, account, collection)
) STRICT, WITHOUT ROWID;
