-- etlhist database schema, version 1 (PRAGMA user_version = 1).
-- All times are UTC Unix seconds. See docs/schema.md for the meaning of every column.

-- One row per CO server the collector polls.
CREATE TABLE instance (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    url         TEXT NOT NULL,
    interval_s  INTEGER NOT NULL DEFAULT 300  -- polling interval; max_gap = 3 x interval_s
) STRICT;

-- One row per ETL of an instance, named from the server's ETL list when known.
CREATE TABLE etl (
    id          INTEGER PRIMARY KEY,
    instance_id INTEGER NOT NULL REFERENCES instance(id),
    etl_id      INTEGER NOT NULL,
    name        TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    UNIQUE (instance_id, etl_id)
) STRICT;

-- Every pass of the collector, also failed ones: the record of what was observed.
CREATE TABLE pass (
    id            INTEGER PRIMARY KEY,
    instance_id   INTEGER NOT NULL REFERENCES instance(id),
    started       INTEGER NOT NULL,   -- the time every observation of the pass carries
    finished      INTEGER NOT NULL,
    polled        INTEGER NOT NULL,   -- ETLs asked
    ok            INTEGER NOT NULL,   -- ETLs that answered with a usable status
    errors        INTEGER NOT NULL,
    server_skew_s INTEGER,            -- server Date header minus local clock; NULL if unknown
    error         TEXT                -- why the pass observed nothing (auth, discovery), or NULL
) STRICT;
CREATE INDEX pass_instance_started ON pass (instance_id, started);

-- Change-compressed observations: "this state held from first_seen to last_seen".
-- A poll identical to the ETL's latest row within max_gap of its last_seen extends it.
CREATE TABLE sample (
    id           INTEGER PRIMARY KEY,
    etl_ref      INTEGER NOT NULL REFERENCES etl(id),
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    polls        INTEGER NOT NULL DEFAULT 1,
    status       TEXT,      -- RUNNING, WAITING, ...; 'NONE' for no value; NULL on error
    exit_code    TEXT,      -- verbatim from the server
    last_exec_ts INTEGER,   -- server clock
    task_id      INTEGER,
    http_code    INTEGER,
    error        TEXT       -- non-NULL: the poll failed and observed nothing
) STRICT;
CREATE INDEX sample_etl_last ON sample (etl_ref, last_seen);

-- One row per execution, derived from samples (etlhist-collect --rebuild-runs).
CREATE TABLE run (
    id            INTEGER PRIMARY KEY,
    etl_ref       INTEGER NOT NULL REFERENCES etl(id),
    start_ts      INTEGER NOT NULL,  -- last_exec_ts as the server sent it
    first_running INTEGER,           -- first and last poll that saw it RUNNING
    last_running  INTEGER,
    end_seen      INTEGER,           -- first poll that saw it no longer RUNNING
    outcome       TEXT NOT NULL,     -- OK WARNING ERROR ABORTED RUNNING UNKNOWN
    exit_code     TEXT,
    task_id       INTEGER,
    dur_lo_s      INTEGER,           -- duration bounds; NULL when the end was not bracketed
    dur_hi_s      INTEGER
) STRICT;
CREATE INDEX run_etl_start ON run (etl_ref, start_ts);
