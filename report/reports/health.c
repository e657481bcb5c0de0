/* The health report: how the collector's polls of each ETL went, and whether its instance
 * is stale. */
#include "shared.h"

#include "numfmt.h"

#include <string.h>

enum health_col {
    HEALTH_POLLS = ETL_NCOLS,
    HEALTH_ERRORS,
    HEALTH_NOT_FOUND,
    HEALTH_HTTP_5XX,
    HEALTH_TIMEOUTS,
    HEALTH_LAST_ERROR,
    HEALTH_COVERAGE,
    HEALTH_LAST_PASS,
    HEALTH_STALE,
    HEALTH_NCOLS
};

static const struct column health_cols[HEALTH_NCOLS] = {
    ETL_COLUMNS,
    [HEALTH_POLLS] = {"polls", "polls", COL_INT, 0},
    [HEALTH_ERRORS] = {"errors", "errors", COL_INT, 0},
    [HEALTH_NOT_FOUND] = {"not_found", "400", COL_INT, 0},
    [HEALTH_HTTP_5XX] = {"http_5xx", "5xx", COL_INT, 0},
    [HEALTH_TIMEOUTS] = {"timeouts", "timeouts", COL_INT, 0},
    [HEALTH_LAST_ERROR] = {"last_error", "last error", COL_TEXT, 1},
    [HEALTH_COVERAGE] = {"coverage_pct", "cov%", COL_PCT, 0},
    [HEALTH_LAST_PASS] = {"last_pass_utc", "last pass", COL_TIME, 0},
    [HEALTH_STALE] = {"stale", "stale", COL_INT, 0},
};

static int health_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!etl_known(job, etl))
        return 0;
    struct sample_scan scan;
    int first;
    const struct freshness *fr = instance_freshness(job, etl, &first, NULL);
    if (!fr || history_samples(etl, &job->win, &scan)) {
        history_samples_free(&scan);
        return -1;
    }
    struct cell c[HEALTH_NCOLS];
    etl_cells(c, etl);
    c[HEALTH_POLLS] = cell_int(scan.polls);
    c[HEALTH_ERRORS] = cell_int(scan.errors);
    c[HEALTH_NOT_FOUND] = cell_int(scan.not_found);
    c[HEALTH_HTTP_5XX] = cell_int(scan.http_5xx);
    c[HEALTH_TIMEOUTS] = cell_int(scan.timeouts);
    c[HEALTH_LAST_ERROR] = cell_text(scan.last_error);
    c[HEALTH_COVERAGE] = cell_real(numfmt_pct_tenths(scan.cov.observed, window_len(job)), 1);
    c[HEALTH_LAST_PASS] = fr->has_pass ? cell_time(fr->last_pass) : cell_null();
    c[HEALTH_STALE] = cell_int(fr->stale);
    struct cell judged[HEALTH_NCOLS];
    memcpy(judged, c, sizeof c);
    if (fr->stale_silenced)
        judged[HEALTH_STALE] = cell_int(0); /* a silenced staleness does not cross --fail-on */
    int rc = row_put_judged(job, c, judged, NULL);
    history_samples_free(&scan);
    return rc;
}

const struct report_def report_health = {.name = "health",
                                         .cols = health_cols,
                                         .ncols = HEALTH_NCOLS,
                                         .windowed = 1,
                                         .instance_rows = 1,
                                         .etl_rows = health_rows};
