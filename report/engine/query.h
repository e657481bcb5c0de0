/* The query layer: one read-only etlhist database and the per-ETL questions reports ask.
 * Every statement is a sql/report_*.sql file; every range is an index range. */
#ifndef ETLHIST_REPORT_QUERY_H
#define ETLHIST_REPORT_QUERY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct source {
    char *path;
    sqlite3 *db;
    sqlite3_stmt *st_etls, *st_runs, *st_runs_before, *st_samples, *st_latest;
    sqlite3_stmt *st_skew, *st_last_pass, *st_any_pass;
};

/* One ETL of one source, as reports list it. */
struct query_etl {
    struct source *src;
    int64_t ref;    /* etl.id */
    int64_t etl_id; /* the CO ETL id */
    char *instance; /* display name: "prod", or "prod@b.db" when an earlier file has prod */
    char *raw_instance;
    char *name; /* the ETL name, or "etl <id>" when unknown */
    int64_t first_seen, last_seen;
    int64_t instance_ref; /* instance.id */
    int64_t interval;     /* the polling interval of the instance's latest pass */
    int64_t max_gap;      /* rules_max_gap(interval) */
    int has_last_pass;
    int64_t last_pass; /* start of the instance's latest pass: when observation stopped */
    size_t order;      /* position in the merged listing, keeps sorting stable */
    int no_etl;        /* the instance has no ETL yet: this entry stands for the instance */
    int has_deleted;
    int64_t deleted_since; /* the first poll that found it gone from CO (etl.deleted_since) */
    char *instance_tz;     /* the CO server's time zone (instance.tz), or NULL */
    const char *tz;        /* the wall clock its schedule may run on (zone.h; not owned): the
                              instance's time zone, else --tz; NULL: UTC */
};

#define QUERY_NO_ETL "(no ETL known)" /* the name of an instance's no_etl entry */

struct etl_list {
    struct query_etl *v;
    size_t n, cap;
};

struct query_run {
    int64_t start;
    int has_end, has_task, has_dur, has_last_running;
    int64_t end_seen, task_id, lo, hi;
    int64_t last_running; /* the last poll that saw it RUNNING, our clock */
    const char *outcome;
    const char *exit_code; /* NULL when none */
};

struct sample_row {
    int64_t first, last, polls;
    const char *status; /* NULL for a failed poll */
    int has_http;
    int64_t http_code;
    const char *error; /* non-NULL for a failed poll */
    int64_t max_gap;   /* judges the gap that ends at this sample (its pass's interval) */
};

/* Opens path read-only (db_open logs why not) and prepares the report statements. */
int query_open(struct source *src, const char *path);
void query_close(struct source *src);

/* Appends every ETL of src to list, in instance name then ETL id order. */
int query_list_etls(struct source *src, struct etl_list *list);
void etl_list_free(struct etl_list *list);

typedef int (*run_fn)(void *arg, const struct query_run *run);
typedef int (*sample_fn)(void *arg, const struct sample_row *sample);

/* Calls fn for each run of etl that started in [since, until), oldest first. fn returns 0 to
 * go on, -1 to stop with an error. Returns 0 or -1 (database errors are logged). */
int query_runs(const struct query_etl *etl, int64_t since, int64_t until, run_fn fn, void *arg);

/* Calls fn for runs started before until, newest first, while fn returns 0; fn returns 1
 * to stop early. Rows carry start, outcome, duration bounds and last_running. */
int query_runs_before(const struct query_etl *etl, int64_t until, run_fn fn, void *arg);

/* Calls fn for the samples that decide [since, until), oldest first: see report_samples.sql. */
int query_samples(const struct query_etl *etl, int64_t since, int64_t until, sample_fn fn,
                  void *arg);

/* The ETL's latest status (its error samples read "error"), malloc'd; *status is NULL when
 * it has no samples. Returns 0 or -1. */
int query_latest_status(const struct query_etl *etl, char **status);

/* The server clock's lead over ours at until for etl's instance (0 when never measured). */
int query_skew(const struct query_etl *etl, int64_t until, int64_t *skew);

/* What the passes of etl's instance before until say. */
struct pass_state {
    int has_ok, has_pass;
    int64_t last_ok;   /* the latest successful pass (some ETL answered) */
    int64_t last_pass; /* the latest pass of any kind, and what it says: */
    char *error;       /* why it observed nothing (malloc'd), or NULL */
    char *error_class; /* unreachable, tls, auth, server, other (malloc'd), or NULL */
    int64_t ok, errors;
};

/* Fills out (free out->error and out->error_class). Returns 0, or -1 on a database error (logged).
 */
int query_pass_state(const struct query_etl *etl, int64_t until, struct pass_state *out);

/* Whether src has a pass of any instance started in [since, until). */
int query_any_pass(struct source *src, int64_t since, int64_t until, int *any);

#endif
