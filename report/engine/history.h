/* One ETL's history read for judging it: its samples scanned once (coverage, services, health
 * and expectations), the runs of a window counted, the latest runs and the failure streak. */
#ifndef ETLHIST_REPORT_HISTORY_H
#define ETLHIST_REPORT_HISTORY_H

#include "query.h"
#include "stats.h"
#include "window.h"

/* Samples of one ETL read once for coverage, services and health. */
struct sample_scan {
    struct obs *obs;
    size_t n, cap;
    int present; /* some sample overlaps the window */
    int service; /* some successful sample is SERVICE_ON or SERVICE_OFF */
    /* Health, over samples whose first_seen is in the window, counted in polls: */
    int64_t polls, errors, not_found, http_5xx, timeouts;
    char *last_error;
    int64_t last_error_at;
    struct coverage cov;
};

int history_samples(const struct query_etl *etl, const struct window *win,
                    struct sample_scan *scan);
void history_samples_free(struct sample_scan *scan);

/* The runs of one ETL that started in the window. */
int history_run_stats(const struct query_etl *etl, const struct window *win, struct runstats *rs);

/* The latest run started before until, and the failure streak counted back from it. */
struct latest_runs {
    int has_last;
    int64_t last_start;
    char *last_outcome;
    struct streak streak;
    int64_t streak_since;        /* start of the streak's first failed run */
    enum outcome streak_outcome; /* the newest failed run's outcome (ERROR or ABORTED) */
};

int history_latest_runs(const struct query_etl *etl, int64_t until, struct latest_runs *out);

/* A query_runs callback: adds run r to the struct runstats arg. Returns 0, or -1 when out of
 * memory (logged). */
int history_count_run(void *arg, const struct query_run *r);

#endif
