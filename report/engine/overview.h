/* The summary's figures across ETLs, computed by its definition as rows are made and handed
 * to writers (struct fmt_report's overview) for the headline, the heat map and the charts:
 * mean and lowest coverage, ETLs failing now, failed and aborted runs per day, and the ETLs ranked
 * slowest and most failing with their runs counted per day of the display zone. Writers only show
 * it. */
#ifndef ETLHIST_REPORT_OVERVIEW_H
#define ETLHIST_REPORT_OVERVIEW_H

#include "pick.h"

#include <stddef.h>
#include <stdint.h>

#define OVERVIEW_MAX_DAYS 62 /* heat-map columns; longer windows get several days a column */

struct overview {
    int64_t since, until;
    const char *tz; /* the display zone the days are in */
    size_t rows;    /* ETLs listed */
    /* Coverage in tenths of a percent: the mean (half up) and the lowest, of cov_n ETLs. */
    int64_t cov_n, cov_mean, cov_min;
    char *cov_min_name;
    int64_t failing_now;                /* ETLs with a current failure streak */
    int64_t with_failures;              /* ETLs with a failed or aborted run in the window */
    struct picks picks;                 /* picks_list() gives the ranked ETLs */
    int64_t day[OVERVIEW_MAX_DAYS + 1]; /* heat-map column starts, then until */
    size_t ndays;
    int days_per_col;
    /* Every listed ETL's runs per heat-map column: all, failed (ERROR), aborted. */
    int64_t day_runs[OVERVIEW_MAX_DAYS], day_failed[OVERVIEW_MAX_DAYS],
        day_aborted[OVERVIEW_MAX_DAYS];
    int64_t cov_sum; /* for the mean */
};

/* One ETL's row as the overview needs it. runs (malloc'd, oldest first) pass to the overview,
 * which frees them also on failure. */
struct overview_etl {
    const char *instance, *name;
    int64_t etl_id;
    int64_t runs, failed, aborted;
    int64_t p50, p95;       /* tenths of a second, -1 when unknown */
    int64_t coverage;       /* tenths of a percent */
    int64_t failure_streak; /* current streak of failed runs */
    struct chart_run *run;
    size_t nrun;
    int attention; /* the row's mark says it needs attention */
    int64_t limit; /* the learnt duration limit in tenths of a second, -1: none */
};

/* An empty overview of the window [since, until) whose days are in tz. */
void overview_init(struct overview *ov, int64_t since, int64_t until, const char *tz);
/* Adds one ETL. Returns 0, or -1 when out of memory. */
int overview_add(struct overview *ov, struct overview_etl *etl);
void overview_free(struct overview *ov);

#endif
