-- etlhist database schema, version 4 (PRAGMA user_version = 4). Times are UTC Unix seconds,
-- or offsets from a time the row's key carries. docs/dev/schema.md explains every column.

-- Statuses, exit codes and outcomes by number; an exit code the server invents is added
-- verbatim. 0 and 1 cost no bytes in a record: they go to the most frequent words. Columns
-- holding a code are not declared foreign keys: the check nearly doubled the cost of storing an
-- observation (docs/dev/PERFORMANCE.md); rows are only ever added, through db_code_id().
CREATE TABLE code (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO code (id, text) VALUES
    (0, 'OK'), (1, 'WAITING'), (2, 'RUNNING'), (3, 'ENDED'), (4, 'ABORTED'), (5, 'SERVICE_ON'),
    (6, 'SERVICE_OFF'), (7, 'NONE'), (8, 'WARNING'), (9, 'ERROR'), (10, 'FAILED'),
    (11, 'UNKNOWN');

-- One row per CO server the collector polls.
CREATE TABLE instance (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    url         TEXT NOT NULL,
    tz          TEXT  -- the server's time zone (config key tz: IANA name or UTC); NULL: not set
) STRICT;

-- One row per ETL of an instance, named from the server's ETL list when known.
CREATE TABLE etl (
    id          INTEGER PRIMARY KEY,
    instance_id INTEGER NOT NULL REFERENCES instance(id),
    etl_id      INTEGER NOT NULL,
    name        TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    deleted_since INTEGER, -- the pass that found it gone (HTTP 400, or left the ETL list)
    UNIQUE (instance_id, etl_id)
) STRICT;

-- Every pass, also failed ones: what was observed, at which interval. The follow rounds after
-- a pass are counted on it (they store samples, not rows of their own). Files from schema v2
-- keep the pass row each of their follow rounds had.
CREATE TABLE pass (
    instance_id   INTEGER NOT NULL REFERENCES instance(id),
    started       INTEGER NOT NULL,   -- the time every observation of the pass carries
    seq           INTEGER NOT NULL DEFAULT 0, -- 1, 2 ... for more passes started that second
    took_s        INTEGER NOT NULL,   -- finished - started
    polled        INTEGER NOT NULL,   -- ETLs asked
    ok            INTEGER NOT NULL,   -- ETLs that answered with a usable status
    errors        INTEGER NOT NULL,
    server_skew_s INTEGER,            -- server Date header minus local clock; NULL if unknown
    interval_s    INTEGER NOT NULL,
    error         TEXT,               -- why it observed nothing, or NULL
    follow_rounds INTEGER NOT NULL DEFAULT 0, -- follow rounds after this pass
    follow_polled INTEGER NOT NULL DEFAULT 0, -- their polls, all rounds together
    follow_errors INTEGER NOT NULL DEFAULT 0, -- those of them that failed
    error_class   TEXT, -- NULL when ok > 0, else unreachable, tls, auth, server or other
    PRIMARY KEY (instance_id, started, seq)
) STRICT, WITHOUT ROWID;

-- Change-compressed observations: "this state held from first_seen to first_seen + span_s".
-- The first poll's answer had come by first_seen + first_by_s (the end of its pass or follow
-- round): a run's end is bounded by it.
CREATE TABLE sample (
    etl_ref         INTEGER NOT NULL REFERENCES etl(id),
    first_seen      INTEGER NOT NULL,
    seq             INTEGER NOT NULL DEFAULT 0, -- tie-breaker within a second
    span_s          INTEGER NOT NULL DEFAULT 0, -- last poll - first_seen
    polls           INTEGER NOT NULL DEFAULT 1,
    status          INTEGER, -- code; NULL on error
    exit_code       INTEGER, -- code of the server's string
    last_exec_ago_s INTEGER,  -- first_seen - last_exec_ts; NULL when absent
    task_id         INTEGER,
    http_code       INTEGER,
    error           TEXT,     -- non-NULL: the poll failed and observed nothing
    first_by_s      INTEGER NOT NULL DEFAULT 0, -- first poll answered by first_seen + this
    PRIMARY KEY (etl_ref, first_seen, seq)
) STRICT, WITHOUT ROWID;

-- One row per execution, derived from samples (etlhist-collect --rebuild-runs).
CREATE TABLE run (
    etl_ref         INTEGER NOT NULL REFERENCES etl(id),
    start_ts        INTEGER NOT NULL,  -- last_exec_ts as the server sent it
    seq             INTEGER NOT NULL DEFAULT 0, -- tie-breaker: reruns of a start
    first_running_s INTEGER,           -- first and last poll that saw it RUNNING - start_ts
    last_running_s  INTEGER,
    end_seen_s      INTEGER,           -- first poll that saw it no longer RUNNING - start_ts
    outcome         INTEGER NOT NULL, -- code
    exit_code       INTEGER, -- code
    task_id         INTEGER,
    dur_lo_s        INTEGER,           -- duration bounds; NULL when the end was not bracketed
    dur_hi_s        INTEGER,
    PRIMARY KEY (etl_ref, start_ts, seq)
) STRICT, WITHOUT ROWID;
