/* The missed report: one row per expected start that did not happen. */
#include "shared.h"

enum missed_col { MISSED_EXPECTED_START = ETL_NCOLS, MISSED_PERIOD, MISSED_NCOLS };

static const struct column missed_cols[MISSED_NCOLS] = {
    ETL_COLUMNS,
    [MISSED_EXPECTED_START] = {"expected_start_utc", "expected start", COL_TIME, 0},
    [MISSED_PERIOD] = {"period_s", "period", COL_DURATION, 0},
};

static int missed_rows(struct report_job *job, const struct query_etl *etl)
{
    struct etl_expect ex;
    int rc = expect_etl(etl, &job->win, &ex);
    for (size_t i = 0; rc == 0 && i < ex.n_missed; i++) {
        struct cell c[MISSED_NCOLS];
        etl_cells(c, etl);
        c[MISSED_EXPECTED_START] = cell_time(ex.missed[i].expected);
        c[MISSED_PERIOD] = cell_real(ex.missed[i].period, 0);
        rc = row_put(job, c);
    }
    expect_free(&ex);
    return rc;
}

const struct report_def report_missed = {.name = "missed",
                                         .cols = missed_cols,
                                         .ncols = MISSED_NCOLS,
                                         .windowed = 1,
                                         .etl_rows = missed_rows};
