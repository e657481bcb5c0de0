#include "query.h"

#include "db.h"
#include "dbcheck.h"
#include "log.h"
#include "rules.h"
#include "sqlfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int query_open(struct source *src, const char *path)
{
    memset(src, 0, sizeof *src);
    src->path = strdup(path);
    if (!src->path || dbcheck_header(path) || db_open(path, DB_READONLY, &src->db) ||
        dbcheck_before_report(src->db, path))
        goto fail;
    if (db_prepare(src->db, sql_report_etls, &src->st_etls) ||
        db_prepare(src->db, sql_report_runs, &src->st_runs) ||
        db_prepare(src->db, sql_report_runs_before, &src->st_runs_before) ||
        db_prepare(src->db, sql_report_samples, &src->st_samples) ||
        db_prepare(src->db, sql_report_latest_sample, &src->st_latest) ||
        db_prepare(src->db, sql_report_skew, &src->st_skew) ||
        db_prepare(src->db, sql_report_last_pass, &src->st_last_pass) ||
        db_prepare(src->db, sql_report_any_pass, &src->st_any_pass))
        goto fail;
    /* One read transaction for the whole report: a pass committed meanwhile is either
     * wholly in it or wholly out of it. */
    if (db_exec(src->db, "BEGIN"))
        goto fail;
    return 0;
fail:
    query_close(src);
    return -1;
}

void query_close(struct source *src)
{
    sqlite3_finalize(src->st_etls);
    sqlite3_finalize(src->st_runs);
    sqlite3_finalize(src->st_runs_before);
    sqlite3_finalize(src->st_samples);
    sqlite3_finalize(src->st_latest);
    sqlite3_finalize(src->st_skew);
    sqlite3_finalize(src->st_last_pass);
    sqlite3_finalize(src->st_any_pass);
    db_close(src->db);
    free(src->path);
    memset(src, 0, sizeof *src);
}

static void bind_window(sqlite3_stmt *st, const struct query_etl *etl, int64_t since, int64_t until)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    db_bind_int(st, ":etl", etl->ref);
    db_bind_int(st, ":instance", etl->instance_ref);
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":until", until);
    db_bind_int(st, ":max_gap", etl->max_gap);
}

/* Ends a step loop: SQLITE_DONE (or an early stop) is success, anything else is logged. */
static int finish(struct source *src, sqlite3_stmt *st, int rc, const char *what)
{
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        db_log_error(src->db, what);
    return -1;
}

static char *dup_or_null(const unsigned char *s)
{
    return s ? strdup((const char *)s) : NULL;
}

static int list_push(struct etl_list *list, const struct query_etl *e)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        struct query_etl *v = realloc(list->v, cap * sizeof *v);
        if (!v)
            return -1;
        list->v = v;
        list->cap = cap;
    }
    list->v[list->n++] = *e;
    return 0;
}

static int read_etl(struct source *src, sqlite3_stmt *st, struct query_etl *e)
{
    memset(e, 0, sizeof *e);
    e->src = src;
    e->no_etl = sqlite3_column_type(st, 0) == SQLITE_NULL;
    e->ref = e->no_etl ? -1 : sqlite3_column_int64(st, 0);
    e->raw_instance = dup_or_null(sqlite3_column_text(st, 1));
    e->interval = sqlite3_column_int64(st, 2);
    e->max_gap = rules_max_gap(e->interval);
    e->instance_ref = sqlite3_column_int64(st, 7);
    e->has_last_pass = sqlite3_column_type(st, 8) != SQLITE_NULL;
    e->last_pass = sqlite3_column_int64(st, 8);
    e->etl_id = sqlite3_column_int64(st, 3);
    e->has_deleted = sqlite3_column_type(st, 9) != SQLITE_NULL;
    e->deleted_since = sqlite3_column_int64(st, 9);
    if (sqlite3_column_type(st, 10) != SQLITE_NULL &&
        !(e->instance_tz = dup_or_null(sqlite3_column_text(st, 10)))) {
        log_err("out of memory");
        return -1;
    }
    e->first_seen = sqlite3_column_int64(st, 5);
    e->last_seen = sqlite3_column_int64(st, 6);
    const unsigned char *name = sqlite3_column_text(st, 4);
    if (e->no_etl) {
        e->name = strdup(QUERY_NO_ETL);
    } else if (name) {
        e->name = strdup((const char *)name);
    } else {
        char buf[40];
        snprintf(buf, sizeof buf, "etl %lld", (long long)e->etl_id);
        e->name = strdup(buf);
    }
    e->instance = e->raw_instance ? strdup(e->raw_instance) : NULL;
    if (!e->raw_instance || !e->instance || !e->name) {
        log_err("out of memory");
        return -1;
    }
    return 0;
}

int query_list_etls(struct source *src, struct etl_list *list)
{
    sqlite3_stmt *st = src->st_etls;
    sqlite3_reset(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct query_etl e;
        if (read_etl(src, st, &e) || list_push(list, &e)) {
            free(e.instance);
            free(e.raw_instance);
            free(e.name);
            free(e.instance_tz);
            sqlite3_reset(st);
            return -1;
        }
        list->v[list->n - 1].order = list->n - 1;
    }
    return finish(src, st, rc, "listing ETLs");
}

void etl_list_free(struct etl_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->v[i].instance);
        free(list->v[i].raw_instance);
        free(list->v[i].name);
        free(list->v[i].instance_tz);
    }
    free(list->v);
    memset(list, 0, sizeof *list);
}

static int column_opt(sqlite3_stmt *st, int col, int64_t *v)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return 0;
    *v = sqlite3_column_int64(st, col);
    return 1;
}

/* A run the database keeps RUNNING whose instance went on being polled without it. */
static const char *judged_outcome(const struct query_etl *etl, const struct query_run *r)
{
    if (r->outcome && !strcmp(r->outcome, "RUNNING") && r->has_last_running && etl->has_last_pass &&
        rules_run_unobserved(r->last_running, etl->last_pass, etl->max_gap))
        return "UNKNOWN";
    return r->outcome;
}

static void read_run(const struct query_etl *etl, sqlite3_stmt *st, struct query_run *r)
{
    memset(r, 0, sizeof *r);
    r->start = sqlite3_column_int64(st, 0);
    r->has_end = column_opt(st, 1, &r->end_seen);
    r->outcome = (const char *)sqlite3_column_text(st, 2);
    r->exit_code = (const char *)sqlite3_column_text(st, 3);
    r->has_task = column_opt(st, 4, &r->task_id);
    int64_t lo, hi;
    if (column_opt(st, 5, &lo) && column_opt(st, 6, &hi)) {
        r->has_dur = 1;
        r->lo = lo;
        r->hi = hi;
    }
    r->has_last_running = column_opt(st, 7, &r->last_running);
    r->outcome = judged_outcome(etl, r);
}

int query_runs(const struct query_etl *etl, int64_t since, int64_t until, run_fn fn, void *arg)
{
    sqlite3_stmt *st = etl->src->st_runs;
    bind_window(st, etl, since, until);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct query_run r;
        read_run(etl, st, &r);
        if (fn(arg, &r))
            break;
    }
    return finish(etl->src, st, rc, "reading runs");
}

int query_runs_before(const struct query_etl *etl, int64_t until, run_fn fn, void *arg)
{
    sqlite3_stmt *st = etl->src->st_runs_before;
    bind_window(st, etl, 0, until);
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct query_run r = {.start = sqlite3_column_int64(st, 0),
                              .outcome = (const char *)sqlite3_column_text(st, 1)};
        int64_t lo, hi;
        if (column_opt(st, 2, &lo) && column_opt(st, 3, &hi)) {
            r.has_dur = 1;
            r.lo = lo;
            r.hi = hi;
        }
        r.has_last_running = column_opt(st, 4, &r.last_running);
        r.outcome = judged_outcome(etl, &r);
        stop = fn(arg, &r);
    }
    if (stop == 1)
        rc = SQLITE_DONE;
    return finish(etl->src, st, rc, "reading runs");
}

int query_samples(const struct query_etl *etl, int64_t since, int64_t until, sample_fn fn,
                  void *arg)
{
    sqlite3_stmt *st = etl->src->st_samples;
    bind_window(st, etl, since, until);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sample_row s = {0};
        s.first = sqlite3_column_int64(st, 0);
        s.last = sqlite3_column_int64(st, 1);
        s.polls = sqlite3_column_int64(st, 2);
        s.status = (const char *)sqlite3_column_text(st, 3);
        s.has_http = column_opt(st, 4, &s.http_code);
        s.error = (const char *)sqlite3_column_text(st, 5);
        int64_t interval = etl->interval;
        column_opt(st, 6, &interval);
        s.max_gap = rules_max_gap(interval);
        if (fn(arg, &s))
            break;
    }
    return finish(etl->src, st, rc, "reading samples");
}

int query_latest_status(const struct query_etl *etl, char **status)
{
    sqlite3_stmt *st = etl->src->st_latest;
    bind_window(st, etl, 0, 0);
    *status = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *s = sqlite3_column_text(st, 0);
        int failed = sqlite3_column_type(st, 1) != SQLITE_NULL;
        *status = strdup(failed ? "error" : s ? (const char *)s : "NONE");
        if (!*status) {
            sqlite3_reset(st);
            log_err("out of memory");
            return -1;
        }
        rc = SQLITE_DONE;
    }
    return finish(etl->src, st, rc, "reading the latest sample");
}

/* One optional integer from a one-row statement: *has is 0 when no row or NULL. */
static int one_value(struct source *src, sqlite3_stmt *st, int *has, int64_t *v, const char *what)
{
    *has = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *has = column_opt(st, 0, v);
        rc = SQLITE_DONE;
    }
    return finish(src, st, rc, what);
}

int query_skew(const struct query_etl *etl, int64_t until, int64_t *skew)
{
    int has;
    bind_window(etl->src->st_skew, etl, 0, until);
    if (one_value(etl->src, etl->src->st_skew, &has, skew, "reading the server clock skew"))
        return -1;
    if (!has)
        *skew = 0;
    return 0;
}

int query_pass_state(const struct query_etl *etl, int64_t until, struct pass_state *out)
{
    sqlite3_stmt *st = etl->src->st_last_pass;
    memset(out, 0, sizeof *out);
    bind_window(st, etl, 0, until);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->has_ok = sqlite3_column_type(st, 0) != SQLITE_NULL;
        out->last_ok = sqlite3_column_int64(st, 0);
        out->has_pass = sqlite3_column_type(st, 1) != SQLITE_NULL;
        out->last_pass = sqlite3_column_int64(st, 1);
        out->error = dup_or_null(sqlite3_column_text(st, 2));
        out->ok = sqlite3_column_int64(st, 3);
        out->errors = sqlite3_column_int64(st, 4);
        out->error_class = dup_or_null(sqlite3_column_text(st, 5));
        if ((sqlite3_column_type(st, 2) != SQLITE_NULL && !out->error) ||
            (sqlite3_column_type(st, 5) != SQLITE_NULL && !out->error_class)) {
            log_err("out of memory");
            sqlite3_reset(st);
            return -1;
        }
        rc = sqlite3_step(st);
    }
    return finish(etl->src, st, rc, "reading the last pass");
}

int query_any_pass(struct source *src, int64_t since, int64_t until, int *any)
{
    sqlite3_stmt *st = src->st_any_pass;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":until", until);
    int has;
    int64_t v = 0;
    if (one_value(src, st, &has, &v, "reading passes"))
        return -1;
    *any = has && v != 0;
    return 0;
}
