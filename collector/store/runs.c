#include "runs.h"

#include "db.h"
#include "log.h"
#include "rules.h"
#include "schedule.h"
#include "sqlfiles.h"

#include <stdio.h>
#include <string.h>

const char *runs_outcome(const char *status, const char *exit_code)
{
    return outcome_word(outcome_of_end(status, exit_code));
}

/* Service ETLs and ETLs that never ran have no runs. */
static int has_runs(const char *status)
{
    return strcmp(status, "SERVICE_ON") && strcmp(status, "SERVICE_OFF") && strcmp(status, "NONE");
}

static void open_run(struct run_state *st, const struct sample_view *s)
{
    struct run_row *r = &st->cur;
    memset(r, 0, sizeof *r);
    r->start_ts = s->last_exec_ts;
    r->first_running = r->last_running = r->end_seen = TS_NONE;
    r->dur_lo_s = r->dur_hi_s = TS_NONE;
    r->task_id = s->task_id;
    snprintf(r->outcome, sizeof r->outcome, "RUNNING");
    r->dirty = 1;
    st->has_cur = 1;
}

/* The first poll that sees the run no longer RUNNING fixes its outcome and, when the end
 * was bracketed by two successful polls at most max_gap apart, its duration bounds. */
static void end_run(struct run_row *r, const struct sample_view *s, int64_t prev_ok_last,
                    int64_t skew_s, int64_t max_gap_s)
{
    const char *ec = s->exit_code && s->exit_code[0] ? s->exit_code : NULL;
    snprintf(r->outcome, sizeof r->outcome, "%s", runs_outcome(s->status, ec));
    snprintf(r->exit_code, sizeof r->exit_code, "%s", ec ? ec : "");
    if (s->task_id >= 0)
        r->task_id = s->task_id;
    /* A pass polls its ETLs one after another: the poll that saw the end happened between
     * the pass's start and its end, so the end is bounded by the latter. */
    r->end_seen = s->first_seen_by > s->first_seen ? s->first_seen_by : s->first_seen;
    r->dirty = 1;
    if (prev_ok_last == TS_NONE || s->first_seen - prev_ok_last > max_gap_s)
        return;
    r->dur_lo_s =
        r->last_running != TS_NONE ? sched_since_start(r->start_ts, r->last_running, skew_s) : 0;
    r->dur_hi_s = sched_since_start(r->start_ts, r->end_seen, skew_s);
    if (r->dur_lo_s > r->dur_hi_s)
        r->dur_lo_s = r->dur_hi_s;
}

void runs_apply(struct run_state *st, const struct sample_view *s, int64_t prev_ok_last,
                int64_t skew_s, int64_t max_gap_s, struct run_row *closed)
{
    closed->dirty = 0;
    if (!s->status || !has_runs(s->status) || s->last_exec_ts == 0)
        return;
    int running = !strcmp(s->status, "RUNNING");
    struct run_row *cur = st->has_cur ? &st->cur : NULL;
    /* A last_exec_ts older than the current run's is ignored: runs only move forward. */
    int newer = !cur || s->last_exec_ts > cur->start_ts;
    int rerun = cur && running && s->last_exec_ts == cur->start_ts && cur->end_seen != TS_NONE;
    if (newer || rerun) {
        if (cur && !strcmp(cur->outcome, "RUNNING")) {
            snprintf(cur->outcome, sizeof cur->outcome, "UNKNOWN"); /* its end was never seen */
            cur->dirty = 1;
        }
        if (cur && cur->dirty)
            *closed = *cur;
        open_run(st, s);
        cur = &st->cur;
    } else if (s->last_exec_ts != cur->start_ts) {
        return;
    }
    if (running && !strcmp(cur->outcome, "RUNNING")) {
        if (cur->first_running == TS_NONE)
            cur->first_running = s->first_seen;
        if (s->last_seen > cur->last_running) {
            cur->last_running = s->last_seen;
            cur->dirty = 1;
        }
    } else if (!running && cur->end_seen == TS_NONE) {
        end_run(cur, s, prev_ok_last, skew_s, max_gap_s);
    }
}

/* ---- database side ---- */

int runs_db_open(struct runs_db *r, sqlite3 *db, struct db_codes *codes)
{
    memset(r, 0, sizeof *r);
    r->db = db;
    r->codes = codes;
    if (db_prepare(db, sql_collect_run_latest, &r->load) ||
        db_prepare(db, sql_collect_run_add, &r->insert) ||
        db_prepare(db, sql_collect_run_update, &r->update)) {
        runs_db_close(r);
        return -1;
    }
    return 0;
}

void runs_db_close(struct runs_db *r)
{
    sqlite3_finalize(r->load);
    sqlite3_finalize(r->insert);
    sqlite3_finalize(r->update);
    memset(r, 0, sizeof *r);
}

static int64_t col_ts(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? TS_NONE : sqlite3_column_int64(st, col);
}

static void bind_ts(sqlite3_stmt *st, const char *name, int64_t v)
{
    if (v == TS_NONE)
        db_bind_null(st, name);
    else
        db_bind_int(st, name, v);
}

int runs_load_latest(struct runs_db *r, int64_t etl_ref, struct run_state *st)
{
    sqlite3_stmt *q = r->load;
    memset(st, 0, sizeof *st);
    db_bind_int(q, ":etl", etl_ref);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        struct run_row *c = &st->cur;
        st->has_cur = 1;
        c->stored = 1;
        c->start_ts = sqlite3_column_int64(q, 0);
        c->seq = sqlite3_column_int64(q, 1);
        c->first_running = col_ts(q, 2);
        c->last_running = col_ts(q, 3);
        c->end_seen = col_ts(q, 4);
        snprintf(c->outcome, sizeof c->outcome, "%s", (const char *)sqlite3_column_text(q, 5));
        const unsigned char *ec = sqlite3_column_text(q, 6);
        snprintf(c->exit_code, sizeof c->exit_code, "%s", ec ? (const char *)ec : "");
        c->task_id = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 7);
        c->dur_lo_s = col_ts(q, 8);
        c->dur_hi_s = col_ts(q, 9);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        db_log_error(r->db, "load run");
        return -1;
    }
    return 0;
}

static int bind_run(struct runs_db *r, sqlite3_stmt *q, int64_t etl_ref, const struct run_row *row)
{
    int64_t outcome, exit_code = 0;
    if (db_code_id(r->codes, row->outcome, &outcome) ||
        (row->exit_code[0] && db_code_id(r->codes, row->exit_code, &exit_code)))
        return -1;
    db_bind_int(q, ":etl", etl_ref);
    db_bind_int(q, ":start_ts", row->start_ts);
    db_bind_int(q, ":seq", row->seq);
    bind_ts(q, ":first_running", row->first_running);
    bind_ts(q, ":last_running", row->last_running);
    bind_ts(q, ":end_seen", row->end_seen);
    db_bind_int(q, ":outcome", outcome);
    bind_ts(q, ":exit_code", row->exit_code[0] ? exit_code : TS_NONE);
    bind_ts(q, ":task_id", row->task_id < 0 ? TS_NONE : row->task_id);
    bind_ts(q, ":dur_lo_s", row->dur_lo_s);
    bind_ts(q, ":dur_hi_s", row->dur_hi_s);
    return 0;
}

int runs_write(struct runs_db *r, int64_t etl_ref, struct run_row *row)
{
    sqlite3_stmt *q = row->stored ? r->update : r->insert;
    if (bind_run(r, q, etl_ref, row))
        return -1;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && !row->stored) {
        row->seq = sqlite3_column_int64(q, 0);
        rc = sqlite3_step(q);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        db_log_error(r->db, "write run");
        return -1;
    }
    row->stored = 1;
    row->dirty = 0;
    return 0;
}

int runs_write_step(struct runs_db *r, int64_t etl_ref, struct run_state *st,
                    struct run_row *closed)
{
    if (closed->dirty && runs_write(r, etl_ref, closed))
        return -1;
    if (st->has_cur && st->cur.dirty && runs_write(r, etl_ref, &st->cur))
        return -1;
    return 0;
}

static int rebuild_all(struct runs_db *r, sqlite3_stmt *q, int64_t *count)
{
    int64_t etl_ref = -1, prev_ok = TS_NONE;
    struct run_state st = {0};
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t ref = sqlite3_column_int64(q, 0);
        if (ref != etl_ref) {
            etl_ref = ref;
            prev_ok = TS_NONE;
            memset(&st, 0, sizeof st);
        }
        struct sample_view s = {
            .first_seen = sqlite3_column_int64(q, 1),
            .first_seen_by = sqlite3_column_int64(q, 9),
            .last_seen = sqlite3_column_int64(q, 2),
            .status = (const char *)sqlite3_column_text(q, 3),
            .exit_code = (const char *)sqlite3_column_text(q, 4),
            .last_exec_ts = sqlite3_column_int64(q, 5),
            .task_id = sqlite3_column_type(q, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 6),
        };
        struct run_row closed;
        runs_apply(&st, &s, prev_ok, sqlite3_column_int64(q, 7),
                   rules_max_gap(sqlite3_column_int64(q, 8)), &closed);
        if (runs_write_step(r, etl_ref, &st, &closed))
            return -1;
        if (s.status)
            prev_ok = s.last_seen;
    }
    if (rc != SQLITE_DONE) {
        db_log_error(r->db, "read samples");
        return -1;
    }
    sqlite3_stmt *n;
    if (db_prepare(r->db, sql_collect_run_count, &n))
        return -1;
    if (sqlite3_step(n) == SQLITE_ROW)
        *count = sqlite3_column_int64(n, 0);
    sqlite3_finalize(n);
    return 0;
}

int runs_rebuild(sqlite3 *db, int64_t *count)
{
    struct runs_db r;
    struct db_codes codes = {0};
    sqlite3_stmt *q = NULL;
    if (db_exec(db, "BEGIN IMMEDIATE"))
        return -1;
    int rc = -1;
    if (db_exec(db, sql_collect_run_delete) == 0 && db_codes_load(&codes, db) == 0 &&
        runs_db_open(&r, db, &codes) == 0) {
        if (db_prepare(db, sql_collect_rebuild_samples, &q) == 0)
            rc = rebuild_all(&r, q, count);
        sqlite3_finalize(q);
        runs_db_close(&r);
    }
    db_codes_free(&codes);
    if (rc == 0)
        return db_exec(db, "COMMIT");
    db_rollback(db);
    return -1;
}
