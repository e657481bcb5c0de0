/* Run derivation (docs/design.md §3.3): samples in, runs out. The step is pure, so the collector's
 * incremental path and --rebuild-runs share it and give the same rows. */
#ifndef ETLHIST_RUNS_H
#define ETLHIST_RUNS_H

#include "db.h"

#include <sqlite3.h>
#include <stdint.h>

#define TS_NONE INT64_MIN

/* One sample row as the derivation sees it. */
struct sample_view {
    int64_t first_seen, last_seen;
    int64_t first_seen_by; /* when the poll at first_seen had surely happened: its pass's end */
    const char *status;    /* NULL for an error sample: it observes nothing */
    const char *exit_code; /* NULL or "" when absent */
    int64_t last_exec_ts;  /* 0 when absent */
    int64_t task_id;       /* -1 when absent */
};

struct run_row {
    int stored;  /* 0 until inserted */
    int64_t seq; /* with start_ts, the run's key for its ETL (a rerun of a start has seq 1) */
    int64_t start_ts;
    int64_t first_running, last_running; /* pass starts: lower bounds of those polls */
    int64_t end_seen; /* end of the pass that first saw it ended: an upper bound of the end */
    char outcome[12];
    char exit_code[64];
    int64_t task_id;            /* -1 when absent */
    int64_t dur_lo_s, dur_hi_s; /* TS_NONE when unknown */
    int dirty;
};

struct run_state {
    int has_cur;
    struct run_row cur; /* the ETL's latest run */
};

/* Applies sample s. prev_ok_last is the last_seen of the ETL's previous successful sample
 * (TS_NONE if none); skew_s the server's clock minus ours at s.first_seen (0 if unknown).
 * When s opens a new run and the old one changed, the old one is copied to *closed with
 * dirty set. Afterwards st->cur.dirty says whether the current run must be written. */
void runs_apply(struct run_state *st, const struct sample_view *s, int64_t prev_ok_last,
                int64_t skew_s, int64_t max_gap_s, struct run_row *closed);

/* The outcome a finished run takes from its first sample that is not RUNNING. */
const char *runs_outcome(const char *status, const char *exit_code);

/* Database side: prepared statements for loading and writing runs. */
struct runs_db {
    sqlite3 *db;
    struct db_codes *codes; /* outcomes and exit codes are stored by number */
    sqlite3_stmt *load, *insert, *update;
};

/* codes must stay loaded while r is open. */
int runs_db_open(struct runs_db *r, sqlite3 *db, struct db_codes *codes);
void runs_db_close(struct runs_db *r);
/* Loads the latest run of an ETL into st (has_cur 0 when it has none). */
int runs_load_latest(struct runs_db *r, int64_t etl_ref, struct run_state *st);
/* Writes a run row: inserts it when not stored yet (and sets seq), else updates. Clears
 * dirty. */
int runs_write(struct runs_db *r, int64_t etl_ref, struct run_row *row);
/* Writes what one runs_apply changed: the run it closed, then the current one. */
int runs_write_step(struct runs_db *r, int64_t etl_ref, struct run_state *st,
                    struct run_row *closed);
/* Deletes every run and derives them again from samples, in one transaction. */
int runs_rebuild(sqlite3 *db, int64_t *count);

#endif
