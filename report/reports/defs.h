/* The reports: what each is (its columns, docs/design.md §4, in order, and how its rows are
 * computed from the engine) and the job of writing one. Each report is a file of
 * report/reports/; registry.c lists them. */
#ifndef ETLHIST_REPORT_DEFS_H
#define ETLHIST_REPORT_DEFS_H

#include "attention.h"
#include "failon.h"
#include "cell.h"
#include "overview.h"
#include "query.h"
#include "silenced.h"
#include "stats.h"
#include "window.h"

struct report_def;

/* The latest successful pass of an instance before the window's end, and whether it is
 * stale: older than max_gap before it, or none at all (never observed). */
struct freshness {
    int has_pass, stale;
    int64_t last_pass;
    int stale_silenced; /* a silence covers the staleness: --fail-on does not see it */
};

/* The summary's ETLs of one instance observed over less than their part of the window. */
struct gap_count {
    const char *instance;            /* NULL: none counted yet */
    int64_t etls, with_gaps, lowest; /* lowest coverage in tenths of a percent */
};

/* Where a report's rows go: a writer's row function and its state. */
struct row_sink {
    int (*row)(void *state, const struct cell *cells, const struct row_mark *mark);
    void *state;
};

/* One report being written: where its rows go and what accumulates across ETLs. */
struct report_job {
    const struct report_def *def;
    struct window win;
    struct row_sink sink;
    struct runstats totals;     /* summary: every run of every listed ETL */
    struct overview *overview;  /* the figures across ETLs, when def->overview */
    struct failon *watch;       /* --fail-on, or NULL */
    const char *fresh_instance; /* the instance fresh is of (ETLs come by instance) */
    struct freshness fresh;
    struct attention *attention; /* what needs attention, or NULL (reports without the list) */
    struct gap_count gaps;
    /* The columns that say a row has a failed run, found at the first row (-1: none). */
    int cols_found, col_failed, col_aborted, col_outcome;
    int64_t trend_min_runs;          /* trend: finished runs both windows need to be compared */
    int64_t rate_pct;                /* a failure or abort rate above it needs attention */
    const struct silences *silences; /* configured silences, or NULL */
};

struct report_def {
    const char *name;
    const struct column *cols;
    size_t ncols;
    const struct column *total_cols;
    size_t n_total;
    int windowed;
    int overview;      /* computes a struct overview for the writers (summary) */
    int instance_rows; /* an instance with no ETL known still gets a row (summary, health) */
    /* Writes the rows of one ETL (maybe none). Returns 0, -1 on a database error (logged),
     * or -2 on a write error. */
    int (*etl_rows)(struct report_job *job, const struct query_etl *etl);
    /* Fills the totals row under total_cols; returns 1 (NULL: no totals). */
    int (*totals)(const struct report_job *job, struct cell *cells);
};

extern const struct report_def report_summary, report_failures, report_runs, report_services,
    report_trend, report_health, report_etls, report_schedule, report_missed;

/* The report named name, or NULL. */
const struct report_def *report_find(const char *name);
/* The i-th report in listing order, or NULL past the last. */
const struct report_def *report_at(size_t i);
/* "summary, failures, runs, services, trend, health, etls, schedule, missed". */
const char *report_names(void);

/* Called for each ETL before its rows, in listing order: on the first ETL of an instance, the
 * instance's own items (never observed, stale) join the job's attention list, and the gaps
 * counted for the instance before are added. Returns 0, -1 on a database error (logged) or
 * -2 when out of memory. */
int report_instance_attention(struct report_job *job, const struct query_etl *etl);
/* Adds what is left (the last instance's gaps) and sorts the list. Returns 0 or -2. */
int report_attention_end(struct report_job *job);

/* Fills the totals row of a report that has one (summary). Returns 1 if filled, else 0. */
int report_totals(const struct report_job *job, struct cell *cells);

#endif
