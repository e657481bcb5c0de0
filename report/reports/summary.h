/* The summary report, in two files: summary.c (its row, totals and overview) and
 * summary_attention.c (what of an ETL needs attention). */
#ifndef ETLHIST_REPORT_SUMMARY_H
#define ETLHIST_REPORT_SUMMARY_H

#include "shared.h"

/* Verdicts of one ETL a silence kept from its summary row (missed, late, overdue). */
struct quieted {
    int64_t missed, late, overdue;
    int failing; /* the failure streak is within a silence */
};

/* What of one ETL needs attention, in the summary: adds its items to the job's list and
 * marks its row; q gets what silences kept from the row. Returns 0, -1 on a database error
 * (logged) or -2 when out of memory. */
int summary_attention(struct report_job *job, const struct query_etl *etl,
                      const struct runstats *rs, const struct latest_runs *lr,
                      const struct sample_scan *scan, const struct etl_expect *ex,
                      struct row_mark *mark, struct quieted *q);

#endif
