#include "store.h"

#include "db.h"
#include "log.h"
#include "rules.h"
#include "runs.h"
#include "sqlfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An ETL the database already knows: its etl_id and etl.id, whether it is gone
 * (etl.deleted_since set) and whether this pass polled it. */
struct known_etl {
    int64_t etl_id, ref;
    int gone, polled;
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *instance, *etl, *latest, *latest_ok, *insert, *extend, *pass, *known, *seen,
        *follow, *listed, *configured;
    struct db_codes codes;
    struct runs_db runs;
    int64_t instance_id, max_gap_s, skew_s, now, finished;
    struct known_etl *known_etls; /* the instance's ETLs, sorted by etl_id */
    size_t n_known;
};

static const char *const store_sql[] = {
    sql_collect_instance,         sql_collect_etl_add,    sql_collect_sample_latest,
    sql_collect_sample_latest_ok, sql_collect_sample_add, sql_collect_sample_extend,
    sql_collect_pass_add,         sql_collect_etl_list,   sql_collect_etl_seen,
    sql_collect_pass_follow,      sql_collect_etl_listed, sql_collect_etl_configured,
};

static void store_close(struct store *s)
{
    sqlite3_stmt **stmts[] = {&s->instance, &s->etl,    &s->latest, &s->latest_ok,
                              &s->insert,   &s->extend, &s->pass,   &s->known,
                              &s->seen,     &s->follow, &s->listed, &s->configured};
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++)
        sqlite3_finalize(*stmts[i]);
    runs_db_close(&s->runs);
    db_codes_free(&s->codes);
    free(s->known_etls);
}

/* Prepares the statements; the code table is read once the write transaction holds it. */
static int store_prepare(struct store *s, sqlite3 *db)
{
    memset(s, 0, sizeof *s);
    s->db = db;
    sqlite3_stmt **stmts[] = {&s->instance, &s->etl,    &s->latest, &s->latest_ok,
                              &s->insert,   &s->extend, &s->pass,   &s->known,
                              &s->seen,     &s->follow, &s->listed, &s->configured};
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++)
        if (db_prepare(db, store_sql[i], stmts[i]))
            return -1;
    return 0;
}

/* Runs a statement that returns one integer (RETURNING id, or a single value). */
static int step_int(struct store *s, sqlite3_stmt *st, int64_t *out, int *found)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        *out = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_log_error(s->db, "write pass");
        return -1;
    }
    return 0;
}

static const struct etl_info *info_of(const struct etl_info *names, size_t n, int64_t etl_id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names[mid].etl_id == etl_id)
            return &names[mid];
        if (names[mid].etl_id < etl_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const char *name_of(const struct etl_info *names, size_t n, int64_t etl_id)
{
    const struct etl_info *info = info_of(names, n, etl_id);
    return info && info->name[0] ? info->name : NULL;
}

struct latest {
    int found;
    int64_t first_seen, seq, last_seen;
    struct observation obs;
};

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

static int load_latest(struct store *s, int64_t etl_ref, struct latest *l)
{
    sqlite3_stmt *st = s->latest;
    memset(l, 0, sizeof *l);
    db_bind_int(st, ":etl", etl_ref);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        l->found = 1;
        l->first_seen = sqlite3_column_int64(st, 0);
        l->seq = sqlite3_column_int64(st, 1);
        l->last_seen = sqlite3_column_int64(st, 2);
        copy_col(st, 3, l->obs.status, sizeof l->obs.status);
        copy_col(st, 4, l->obs.exit_code, sizeof l->obs.exit_code);
        l->obs.last_exec_ts = sqlite3_column_int64(st, 5);
        l->obs.task_id =
            sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 6);
        l->obs.http_code = sqlite3_column_int(st, 7);
        copy_col(st, 8, l->obs.error, sizeof l->obs.error);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_log_error(s->db, "read latest sample");
        return -1;
    }
    return 0;
}

/* Binds a word as its code number, NULL when absent. */
static int bind_code(struct store *s, sqlite3_stmt *st, const char *name, const char *text)
{
    int64_t id;
    if (!text || !*text) {
        db_bind_null(st, name);
        return 0;
    }
    if (db_code_id(&s->codes, text, &id))
        return -1;
    db_bind_int(st, name, id);
    return 0;
}

static void bind_opt(sqlite3_stmt *st, const char *name, int has, int64_t v)
{
    if (has)
        db_bind_int(st, name, v);
    else
        db_bind_null(st, name);
}

static int insert_sample(struct store *s, int64_t etl_ref, const struct observation *o)
{
    sqlite3_stmt *st = s->insert;
    int ok = !o->error[0];
    db_bind_int(st, ":etl", etl_ref);
    db_bind_int(st, ":now", s->now);
    if (bind_code(s, st, ":status", ok ? o->status : NULL) ||
        bind_code(s, st, ":exit_code", ok ? o->exit_code : NULL))
        return -1;
    bind_opt(st, ":last_exec_ts", ok && o->last_exec_ts, o->last_exec_ts);
    bind_opt(st, ":task_id", ok && o->task_id >= 0, o->task_id);
    bind_opt(st, ":http_code", !ok && o->http_code, o->http_code);
    db_bind_text(st, ":error", ok ? NULL : o->error);
    db_bind_int(st, ":first_by", s->finished - s->now);
    return db_step_done(s->db, st);
}

/* Appends one poll to the ETL's history, extending its latest sample when identical, and
 * feeds the resulting sample to the run derivation. */
static int store_observation(struct store *s, int64_t etl_ref, const struct observation *o)
{
    struct latest l;
    int64_t prev_ok = TS_NONE, first_seen = s->now;
    int found;
    if (load_latest(s, etl_ref, &l))
        return -1;
    if (l.found && observation_same(&l.obs, o) && s->now - l.last_seen <= s->max_gap_s) {
        db_bind_int(s->extend, ":etl", etl_ref);
        db_bind_int(s->extend, ":first_seen", l.first_seen);
        db_bind_int(s->extend, ":seq", l.seq);
        db_bind_int(s->extend, ":now", s->now);
        if (db_step_done(s->db, s->extend))
            return -1;
        first_seen = l.first_seen;
    } else {
        if (l.found && !l.obs.error[0]) {
            prev_ok = l.last_seen;
        } else if (l.found) {
            db_bind_int(s->latest_ok, ":etl", etl_ref);
            if (step_int(s, s->latest_ok, &prev_ok, &found))
                return -1;
            if (!found)
                prev_ok = TS_NONE;
        }
        if (insert_sample(s, etl_ref, o))
            return -1;
    }
    if (o->error[0])
        return 0;
    struct sample_view v = {.first_seen = first_seen,
                            .last_seen = s->now,
                            .first_seen_by = first_seen == s->now ? s->finished : first_seen,
                            .status = o->status,
                            .exit_code = o->exit_code,
                            .last_exec_ts = o->last_exec_ts,
                            .task_id = o->task_id};
    struct run_state rs;
    struct run_row closed;
    if (runs_load_latest(&s->runs, etl_ref, &rs))
        return -1;
    runs_apply(&rs, &v, prev_ok, s->skew_s, s->max_gap_s, &closed);
    return runs_write_step(&s->runs, etl_ref, &rs, &closed);
}

/* Reads the instance's ETLs once per pass, so that each observation finds its etl row by
 * rowid. An upsert with RETURNING per observation costs a temporary b-tree (and its page
 * cache allocation) each time. */
static int load_known(struct store *s)
{
    sqlite3_stmt *st = s->known;
    size_t cap = 0;
    int rc;
    db_bind_int(st, ":instance", s->instance_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n_known == cap) {
            size_t grown_cap = cap ? 2 * cap : 256;
            struct known_etl *grown = realloc(s->known_etls, grown_cap * sizeof *grown);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            s->known_etls = grown;
            cap = grown_cap;
        }
        struct known_etl *k = &s->known_etls[s->n_known++];
        k->etl_id = sqlite3_column_int64(st, 0);
        k->ref = sqlite3_column_int64(st, 1);
        k->gone = sqlite3_column_int(st, 2);
        k->polled = 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_log_error(s->db, "read ETLs");
        return -1;
    }
    return 0;
}

static struct known_etl *known_of(const struct store *s, int64_t etl_id)
{
    size_t lo = 0, hi = s->n_known;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->known_etls[mid].etl_id == etl_id)
            return &s->known_etls[mid];
        if (s->known_etls[mid].etl_id < etl_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Whether the pass found an ETL gone (1), there (0), or cannot tell (-1): its own answer
 * decides (HTTP 400 "ETL not found", or a usable status); else the server's ETL list, when
 * the pass has it whole. */
enum { ETL_THERE = 0, ETL_GONE = 1, ETL_UNTOLD = -1 };

static int listed_verdict(const struct pass_record *p, const struct etl_info *names, size_t n_names,
                          int64_t etl_id)
{
    if (!p->listed)
        return ETL_UNTOLD;
    return info_of(names, n_names, etl_id) ? ETL_THERE : ETL_GONE;
}

static int poll_verdict(const struct observation *o, int listed)
{
    if (!o->error[0])
        return ETL_THERE;
    return o->http_code == 400 ? ETL_GONE : listed;
}

static void bind_verdict(sqlite3_stmt *st, int verdict)
{
    if (verdict == ETL_UNTOLD)
        db_bind_null(st, ":gone");
    else
        db_bind_int(st, ":gone", verdict);
}

/* Marks the ETL seen in this pass (and learns its name and whether it is gone); *etl_ref is
 * its etl.id. An ETL new to the database goes through the upsert, which also copes with an
 * id listed twice. */
static int touch_etl(struct store *s, int64_t etl_id, const char *name, int verdict,
                     int64_t *etl_ref)
{
    int found;
    struct known_etl *k = known_of(s, etl_id);
    if (k) {
        k->polled = 1;
        *etl_ref = k->ref;
        db_bind_int(s->seen, ":etl", *etl_ref);
        db_bind_int(s->seen, ":now", s->now);
        db_bind_text(s->seen, ":name", name);
        bind_verdict(s->seen, verdict);
        return db_step_done(s->db, s->seen);
    }
    db_bind_int(s->etl, ":instance", s->instance_id);
    db_bind_int(s->etl, ":etl_id", etl_id);
    db_bind_text(s->etl, ":name", name);
    db_bind_int(s->etl, ":now", s->now);
    bind_verdict(s->etl, verdict);
    return step_int(s, s->etl, etl_ref, &found);
}

/* The known ETLs this pass did not poll, judged by the server's ETL list: with "etls = all"
 * an ETL gone from the list is no longer polled, and only the list tells it went. Only a
 * change is written. */
static int judge_unpolled(struct store *s, const struct pass_record *p,
                          const struct etl_info *names, size_t n_names)
{
    for (size_t i = 0; p->listed && i < s->n_known; i++) {
        const struct known_etl *k = &s->known_etls[i];
        int verdict = listed_verdict(p, names, n_names, k->etl_id);
        if (k->polled || verdict == k->gone)
            continue;
        db_bind_int(s->listed, ":etl", k->ref);
        db_bind_int(s->listed, ":now", s->now);
        bind_verdict(s->listed, verdict);
        if (db_step_done(s->db, s->listed))
            return -1;
    }
    return 0;
}

/* Every configured ETL has a row, also after a pass that polled none of them. */
static int add_configured(struct store *s, const struct pass_record *p,
                          const struct etl_info *names, size_t n_names)
{
    for (size_t i = 0; i < p->n_configured; i++) {
        int64_t etl_id = p->configured[i];
        if (known_of(s, etl_id))
            continue;
        db_bind_int(s->configured, ":instance", s->instance_id);
        db_bind_int(s->configured, ":etl_id", etl_id);
        db_bind_text(s->configured, ":name", name_of(names, n_names, etl_id));
        db_bind_int(s->configured, ":now", s->now);
        if (db_step_done(s->db, s->configured))
            return -1;
    }
    return 0;
}

/* A follow round counts itself on its pass and takes that pass's skew (as --rebuild-runs
 * will), before its observations are derived. */
static int count_follow_round(struct store *s, const struct pass_record *p)
{
    int found;
    sqlite3_stmt *st = s->follow;
    db_bind_int(st, ":instance", s->instance_id);
    db_bind_int(st, ":started", p->started);
    db_bind_int(st, ":polled", p->polled);
    db_bind_int(st, ":errors", p->errors);
    if (step_int(s, st, &s->skew_s, &found))
        return -1;
    if (!found) {
        log_err("%s: follow round at %lld has no pass before it to be counted on", p->instance,
                (long long)p->started);
        return -1;
    }
    return 0;
}

static int add_pass(struct store *s, const struct pass_record *p)
{
    sqlite3_stmt *st = s->pass;
    db_bind_int(st, ":instance", s->instance_id);
    db_bind_int(st, ":started", p->started);
    db_bind_int(st, ":finished", p->finished);
    db_bind_int(st, ":polled", p->polled);
    db_bind_int(st, ":ok", p->ok);
    db_bind_int(st, ":errors", p->errors);
    bind_opt(st, ":skew", p->has_skew, p->skew_s);
    db_bind_int(st, ":interval", p->interval_s);
    db_bind_text(st, ":error", p->error);
    db_bind_text(st, ":error_class", p->ok > 0 ? NULL : failure_name(p->failure));
    return db_step_done(s->db, st);
}

static int store_all(struct store *s, const struct pass_record *p, const struct observation *obs,
                     size_t n, const struct etl_info *names, size_t n_names)
{
    int found;
    db_bind_text(s->instance, ":name", p->instance);
    db_bind_text(s->instance, ":url", p->url);
    db_bind_text(s->instance, ":tz", p->tz);
    if (db_codes_load(&s->codes, s->db) || runs_db_open(&s->runs, s->db, &s->codes) ||
        step_int(s, s->instance, &s->instance_id, &found) || load_known(s))
        return -1;
    if (p->follow ? count_follow_round(s, p) : add_pass(s, p))
        return -1;
    for (size_t i = 0; i < n; i++) {
        int64_t etl_ref, id = obs[i].etl_id;
        int verdict = poll_verdict(&obs[i], listed_verdict(p, names, n_names, id));
        if (touch_etl(s, id, name_of(names, n_names, id), verdict, &etl_ref) ||
            store_observation(s, etl_ref, &obs[i]))
            return -1;
    }
    return judge_unpolled(s, p, names, n_names) || add_configured(s, p, names, n_names) ? -1 : 0;
}

int store_pass(sqlite3 *db, const struct pass_record *p, const struct observation *obs, size_t n,
               const struct etl_info *names, size_t n_names)
{
    struct store s;
    int rc = -1;
    if (store_prepare(&s, db) == 0) {
        s.now = p->started;
        s.finished = p->finished;
        s.max_gap_s = rules_max_gap(p->interval_s);
        s.skew_s = p->has_skew ? p->skew_s : 0;
        if (db_exec(db, "BEGIN IMMEDIATE") == 0) {
            rc = store_all(&s, p, obs, n, names, n_names);
            if (rc == 0)
                rc = db_exec(db, "COMMIT");
            if (rc != 0)
                db_rollback(db);
        }
    }
    store_close(&s);
    return rc;
}

int store_last_pass(sqlite3 *db, const char *instance, int64_t *started)
{
    sqlite3_stmt *st;
    *started = INT64_MIN;
    if (db_prepare(db, sql_collect_last_pass, &st))
        return -1;
    db_bind_text(st, ":instance", instance);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *started = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        db_log_error(db, "read passes");
        return -1;
    }
    return 0;
}

/* Reads up to cap rows of one or two integer columns of sql for one ETL into a (and b). */
static int read_run_columns(sqlite3 *db, sqlite3_stmt **st, const char *sql, const char *what,
                            const char *instance, int64_t etl_id, int64_t *a, int64_t *b,
                            size_t cap, size_t *n)
{
    int rc;
    *n = 0;
    if (!*st && db_prepare(db, sql, st))
        return -1;
    sqlite3_stmt *q = *st;
    db_bind_text(q, ":instance", instance);
    db_bind_int(q, ":etl_id", etl_id);
    db_bind_int(q, ":limit", (int64_t)cap);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < cap) {
        a[*n] = sqlite3_column_int64(q, 0);
        if (b)
            b[*n] = sqlite3_column_int64(q, 1);
        ++*n;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        db_log_error(db, what);
        return -1;
    }
    return 0;
}

int store_run_starts(sqlite3 *db, sqlite3_stmt **st, const char *instance, int64_t etl_id,
                     int64_t *starts, size_t cap, size_t *n)
{
    if (read_run_columns(db, st, sql_collect_run_starts, "read run starts", instance, etl_id,
                         starts, NULL, cap, n))
        return -1;
    for (size_t i = 0; i < *n / 2; i++) { /* newest first → oldest first */
        int64_t t = starts[i];
        starts[i] = starts[*n - 1 - i];
        starts[*n - 1 - i] = t;
    }
    return 0;
}

int store_run_bounds(sqlite3 *db, sqlite3_stmt **st, const char *instance, int64_t etl_id,
                     int64_t *lo, int64_t *hi, size_t cap, size_t *n)
{
    return read_run_columns(db, st, sql_collect_run_bounds, "read run durations", instance, etl_id,
                            lo, hi, cap, n);
}

int store_prune(sqlite3 *db, int64_t cutoff, int64_t *deleted)
{
    static const char *const sql[] = {sql_collect_prune_sample, sql_collect_prune_run,
                                      sql_collect_prune_pass};
    *deleted = 0;
    if (db_exec(db, "BEGIN IMMEDIATE"))
        return -1;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st;
        if (db_prepare(db, sql[i], &st))
            goto fail;
        db_bind_int(st, ":cutoff", cutoff);
        int rc = db_step_done(db, st);
        *deleted += sqlite3_changes(db);
        sqlite3_finalize(st);
        if (rc)
            goto fail;
    }
    return db_exec(db, "COMMIT");
fail:
    db_rollback(db);
    return -1;
}
