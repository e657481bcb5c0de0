/* One report from options to output: the call main() makes. */
#ifndef ETLHIST_REPORT_ENGINE_H
#define ETLHIST_REPORT_ENGINE_H

#include "etlset.h"
#include "failon.h"
#include "fmt.h"
#include "progress.h"
#include "query.h"
#include "defs.h"
#include "silenced.h"
#include "window.h"

#include <stdint.h>
#include <stdio.h>

enum report_exit {
    REPORT_EXIT_OK = 0,
    REPORT_EXIT_CROSSED = 1, /* written, and a --fail-on condition was crossed */
    REPORT_EXIT_USAGE = 2,
    REPORT_EXIT_DB = 3,
    REPORT_EXIT_OUTPUT = 4 /* the output could not be written: a monitor tells it apart */
};

struct report_filter {
    const char **instances; /* --instance, matching the stored or the displayed name */
    size_t n_instances;
    const struct etlset *etls; /* --etl, or NULL */
    const char *name_glob;     /* --name, fnmatch(3) on the ETL name */
};

struct report_opts {
    const char *report;
    const char **dbs;
    size_t n_dbs;
    struct window_spec when;
    const char *tz;
    struct report_filter filter;
    const char *format;
    const struct fmt_writer *writer; /* NULL: the one format names (check sets its own) */
    const char *output;              /* NULL or "-": stdout */
    struct fmt_opts fmt;
    const char **fail_on; /* --fail-on values, each COLUMN OP NUMBER[,...] */
    size_t n_fail_on;
    int64_t rate_pct;         /* --max-rate: a failure or abort rate above it needs attention */
    int64_t trend_min_runs;   /* --trend-min-runs; 0: TREND_MIN_RUNS */
    struct silences silences; /* [silence NAME] of the configuration file */
};

/* Runs the report; returns a report_exit code. Errors are logged, one line each. */
int report_main(const struct report_opts *opts, int64_t now);

/* Lists the ETLs of every source that pass the filter, sorted by instance then ETL id;
 * a name that an earlier source already has is shown as name@<file basename>. */
int report_list(struct source *srcs, size_t n, const struct report_filter *filter,
                struct etl_list *out);

/* Writes one report over etls. Returns 0, -1 on a database error (logged) or -2 on a
 * write error. */
int report_write(const struct report_def *def, const struct window *win,
                 const struct etl_list *etls, const struct fmt_writer *writer,
                 const struct fmt_opts *fopts, FILE *out);

/* What may watch a report being written, and what tunes its rules; a member may be NULL
 * (or 0: the default). */
struct report_hooks {
    struct failon *watch;      /* --fail-on: sees every row */
    struct progress *progress; /* told after each ETL */
    int64_t rate_pct;          /* --max-rate: rates for the attention list */
    int64_t trend_min_runs;    /* --trend-min-runs */
    const struct silences *silences;
};

/* report_write, with hooks (NULL: none). */
int report_write_with(const struct report_def *def, const struct window *win,
                      const struct etl_list *etls, const struct fmt_writer *writer,
                      const struct fmt_opts *fopts, FILE *out, const struct report_hooks *hooks);

#endif
