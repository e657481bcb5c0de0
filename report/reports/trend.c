/* The trend report: each ETL's window against the window of the same length before it. */
#include "shared.h"

enum trend_col {
    TREND_RUNS = ETL_NCOLS,
    TREND_RUNS_PREV,
    TREND_FAIL_PCT,
    TREND_FAIL_PCT_PREV,
    TREND_P50,
    TREND_P50_PREV,
    TREND_REGRESSION,
    TREND_NCOLS
};

static const struct column trend_cols[TREND_NCOLS] = {
    ETL_COLUMNS,
    [TREND_RUNS] = {"runs", "runs", COL_INT, 0},
    [TREND_RUNS_PREV] = {"runs_prev", "prev", COL_INT, 0},
    [TREND_FAIL_PCT] = {"failure_rate_pct", "fail%", COL_PCT, 0},
    [TREND_FAIL_PCT_PREV] = {"failure_rate_prev_pct", "prev%", COL_PCT, 0},
    [TREND_P50] = {"duration_p50_s", "p50", COL_DURATION, 0},
    [TREND_P50_PREV] = {"duration_p50_prev_s", "prev p50", COL_DURATION, 0},
    [TREND_REGRESSION] = {"regression", "regression", COL_TEXT, 0},
};

static int trend_put(struct report_job *job, const struct query_etl *etl, struct runstats *cur,
                     struct runstats *prev)
{
    struct cell c[TREND_NCOLS];
    etl_cells(c, etl);
    c[TREND_RUNS] = cell_int(cur->runs);
    c[TREND_RUNS_PREV] = cell_int(prev->runs);
    c[TREND_FAIL_PCT] = cell_rate(cur->failed, runstats_finished(cur));
    c[TREND_FAIL_PCT_PREV] = cell_rate(prev->failed, runstats_finished(prev));
    c[TREND_P50] = cell_percentile(cur, 50);
    c[TREND_P50_PREV] = cell_percentile(prev, 50);
    enum trend_verdict v = runstats_trend(cur, prev, job->trend_min_runs);
    c[TREND_REGRESSION] =
        v == TREND_UNJUDGED ? cell_null() : cell_text(v == TREND_REGRESSED ? "yes" : "no");
    return row_put(job, c);
}

static int trend_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!etl_known(job, etl))
        return 0;
    struct window before = {job->win.since - window_len(job), job->win.since, job->win.tz};
    struct runstats cur, prev;
    int rc = -1;
    runstats_init(&prev);
    if (history_run_stats(etl, &job->win, &cur) == 0 && history_run_stats(etl, &before, &prev) == 0)
        rc = trend_put(job, etl, &cur, &prev);
    runstats_free(&cur);
    runstats_free(&prev);
    return rc;
}

const struct report_def report_trend = {.name = "trend",
                                        .cols = trend_cols,
                                        .ncols = TREND_NCOLS,
                                        .windowed = 1,
                                        .etl_rows = trend_rows};
