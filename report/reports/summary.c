/* The summary: one row per ETL with its runs, durations, coverage and what did not happen,
 * the totals across ETLs and the figures of the overview. */
#include "summary.h"

#include "numfmt.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

enum summary_col {
    SUMMARY_RUNS = ETL_NCOLS,
    SUMMARY_OK,
    SUMMARY_WARNING,
    SUMMARY_FAILED,
    SUMMARY_ABORTED,
    SUMMARY_UNKNOWN,
    SUMMARY_FAIL_PCT,
    SUMMARY_ABORT_PCT,
    SUMMARY_P50,
    SUMMARY_P95,
    SUMMARY_MAX,
    SUMMARY_LAST_START,
    SUMMARY_LAST_OUTCOME,
    SUMMARY_STREAK,
    SUMMARY_COVERAGE,
    SUMMARY_LATE,
    SUMMARY_MISSED,
    SUMMARY_OVERDUE,
    SUMMARY_MTTR,
    SUMMARY_MTBF,
    SUMMARY_MANUAL,
    SUMMARY_NCOLS
};

static const struct column summary_cols[SUMMARY_NCOLS] = {
    ETL_COLUMNS,
    [SUMMARY_RUNS] = {"runs", "runs", COL_INT, 0},
    [SUMMARY_OK] = {"ok", NULL, COL_INT, 0}, /* text leaves out ok and max to fit 100 columns */
    [SUMMARY_WARNING] = {"warning", NULL, COL_INT,
                         0}, /* and warning and late, since missed and overdue came */
    [SUMMARY_FAILED] = {"failed", "fail", COL_INT, 0},
    [SUMMARY_ABORTED] = {"aborted", "abrt", COL_INT, 0},
    [SUMMARY_UNKNOWN] = {"unknown", "unkn", COL_INT, 0},
    [SUMMARY_FAIL_PCT] = {"failure_rate_pct", "fail%", COL_PCT, 0},
    [SUMMARY_ABORT_PCT] = {"abort_rate_pct", "abrt%", COL_PCT, 0},
    [SUMMARY_P50] = {"duration_p50_s", "p50", COL_DURATION, 0},
    [SUMMARY_P95] = {"duration_p95_s", "p95", COL_DURATION, 0},
    [SUMMARY_MAX] = {"duration_max_s", NULL, COL_DURATION, 0},
    [SUMMARY_LAST_START] = {"last_start_utc", "last start", COL_TIME, 0},
    [SUMMARY_LAST_OUTCOME] = {"last_outcome", "outcome", COL_TEXT, 0},
    [SUMMARY_STREAK] = {"failure_streak", "strk", COL_INT, 0},
    [SUMMARY_COVERAGE] = {"coverage_pct", "cov%", COL_PCT, 0},
    [SUMMARY_LATE] = {"late", NULL, COL_INT, 0},
    [SUMMARY_MISSED] = {"missed", "miss", COL_INT, 0},
    [SUMMARY_OVERDUE] = {"overdue", "ovrd", COL_INT, 0},
    [SUMMARY_MTTR] = {"mttr_s", NULL, COL_DURATION, 0},
    [SUMMARY_MTBF] = {"mtbf_s", NULL, COL_DURATION, 0},
    [SUMMARY_MANUAL] = {"manual", NULL, COL_INT, 0},
};

enum summary_total {
    TOTALS_RUNS,
    TOTALS_FAILED,
    TOTALS_ABORTED,
    TOTALS_FAIL_PCT,
    TOTALS_ABORT_PCT,
    TOTALS_NCOLS
};

static const struct column summary_totals[TOTALS_NCOLS] = {
    [TOTALS_RUNS] = {"runs", "runs", COL_INT, 0},
    [TOTALS_FAILED] = {"failed", "failed", COL_INT, 0},
    [TOTALS_ABORTED] = {"aborted", "aborted", COL_INT, 0},
    [TOTALS_FAIL_PCT] = {"failure_rate_pct", "failure rate", COL_PCT, 0},
    [TOTALS_ABORT_PCT] = {"abort_rate_pct", "abort rate", COL_PCT, 0},
};

static void add_totals(struct runstats *t, const struct runstats *rs)
{
    t->runs += rs->runs;
    t->ok += rs->ok;
    t->warning += rs->warning;
    t->failed += rs->failed;
    t->aborted += rs->aborted;
    t->unknown += rs->unknown;
}

/* The summary's runs: counted, given to what was expected, and kept for the overview's
 * charts and heat map. */
struct summary_runs {
    struct report_job *job;
    struct runstats *rs;
    struct etl_expect *ex;
    struct chart_run *run;
    size_t nrun, cap;
};

/* A cell in tenths (durations and percentages made here have one decimal), -1 when NULL. */
static int64_t tenths_or_unknown(const struct cell *c)
{
    return c->type == CELL_REAL ? c->num : -1;
}

/* Hands the ETL's row and runs to the overview (which takes the runs). Returns 0, or -2
 * when out of memory (logged by report_write, as a writer's would be). */
static int summary_overview(struct report_job *job, const struct query_etl *etl,
                            const struct cell *c, const struct latest_runs *lr,
                            struct summary_runs *runs, const struct row_mark *mark)
{
    if (!job->overview)
        return 0;
    const struct runstats *rs = runs->rs;
    struct overview_etl e = {etl->instance,
                             etl->name,
                             etl->etl_id,
                             rs->runs,
                             rs->failed,
                             rs->aborted,
                             tenths_or_unknown(&c[SUMMARY_P50]),
                             tenths_or_unknown(&c[SUMMARY_P95]),
                             c[SUMMARY_COVERAGE].num,
                             lr->streak.count,
                             runs->run,
                             runs->nrun,
                             mark->flags & ROW_ATTENTION ? 1 : 0,
                             mark->has_limit ? mark->limit_s * 10 : -1};
    runs->run = NULL;
    return overview_add(job->overview, &e) ? -2 : 0;
}

static int summary_put(struct report_job *job, const struct query_etl *etl,
                       struct summary_runs *runs, struct latest_runs *lr, struct sample_scan *scan,
                       const struct etl_expect *ex, struct row_mark *mark, const struct quieted *q)
{
    struct runstats *rs = runs->rs;
    struct cell c[SUMMARY_NCOLS];
    int64_t finished = runstats_finished(rs), max2, mttr = 0, mtbf = 0;
    int has_max = runstats_max2(rs, &max2) == 0;
    int has_mttr = mttr_repair(&ex->mttr, &mttr), has_mtbf = mttr_between(&ex->mttr, &mtbf);
    etl_cells(c, etl);
    c[SUMMARY_RUNS] = cell_int(rs->runs);
    c[SUMMARY_OK] = cell_int(rs->ok);
    c[SUMMARY_WARNING] = cell_int(rs->warning);
    c[SUMMARY_FAILED] = cell_int(rs->failed);
    c[SUMMARY_ABORTED] = cell_int(rs->aborted);
    c[SUMMARY_UNKNOWN] = cell_int(rs->unknown);
    c[SUMMARY_FAIL_PCT] = cell_rate(rs->failed, finished);
    c[SUMMARY_ABORT_PCT] = cell_rate(rs->aborted, finished);
    c[SUMMARY_P50] = cell_percentile(rs, 50);
    c[SUMMARY_P95] = cell_percentile(rs, 95);
    c[SUMMARY_MAX] = cell_duration2(has_max, max2);
    c[SUMMARY_LAST_START] = lr->has_last ? cell_time(lr->last_start) : cell_null();
    c[SUMMARY_LAST_OUTCOME] = cell_text(lr->last_outcome);
    c[SUMMARY_STREAK] = cell_int(lr->streak.count);
    c[SUMMARY_COVERAGE] = cell_real(numfmt_pct_tenths(scan->cov.observed, window_len(job)), 1);
    c[SUMMARY_LATE] = cell_int(ex->late - q->late); /* silenced verdicts stay out of --fail-on */
    c[SUMMARY_MISSED] = cell_int((int64_t)ex->n_missed - q->missed);
    c[SUMMARY_OVERDUE] = cell_int(ex->overdue - q->overdue);
    c[SUMMARY_MTTR] = cell_opt_seconds(has_mttr, mttr);
    c[SUMMARY_MTBF] = cell_opt_seconds(has_mtbf, mtbf);
    c[SUMMARY_MANUAL] = cell_int(ex->manual);
    add_totals(&job->totals, rs);
    mark->has_limit = ex->has_limit;
    mark->limit_s = ex->limit;
    if (summary_overview(job, etl, c, lr, runs, mark))
        return -2;
    struct cell judged[SUMMARY_NCOLS];
    memcpy(judged, c, sizeof c);
    if (q->failing)
        judged[SUMMARY_STREAK] = cell_int(0); /* a silenced streak does not cross --fail-on */
    return row_put_judged(job, c, judged, mark);
}

static int keep_chart_run(struct summary_runs *a, const struct query_run *r)
{
    if (a->nrun == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        struct chart_run *v = realloc(a->run, cap * sizeof *v);
        if (!v) {
            log_err("out of memory");
            return -1;
        }
        a->run = v;
        a->cap = cap;
    }
    a->run[a->nrun++] =
        (struct chart_run){r->start, r->has_dur ? r->lo + r->hi : -1, outcome_parse(r->outcome)};
    return 0;
}

static int summary_add_run(void *arg, const struct query_run *r)
{
    struct summary_runs *a = arg;
    if (history_count_run(a->rs, r) || expect_add(a->ex, r))
        return -1;
    return a->job->overview ? keep_chart_run(a, r) : 0;
}

static int summary_run_stats(struct report_job *job, const struct query_etl *etl,
                             struct summary_runs *a)
{
    runstats_init(a->rs);
    if (expect_begin(etl, &job->win, a->ex))
        return -1;
    return query_runs(etl, job->win.since, job->win.until, summary_add_run, a);
}

static int summary_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!etl_known(job, etl))
        return 0;
    struct runstats rs;
    struct latest_runs lr = {0};
    struct sample_scan scan = {0};
    struct etl_expect ex = {0};
    struct row_mark mark = {0};
    struct summary_runs runs = {job, &rs, &ex, NULL, 0, 0};
    struct quieted quiet = {0};
    /* One read of the runs and one of the samples serve the figures and the expectations. */
    int rc = summary_run_stats(job, etl, &runs);
    if (rc == 0 && history_latest_runs(etl, job->win.until, &lr) == 0 &&
        history_samples(etl, &job->win, &scan) == 0 && expect_end(etl, &job->win, &scan, &ex) == 0)
        rc = summary_attention(job, etl, &rs, &lr, &scan, &ex, &mark, &quiet);
    else if (rc == 0)
        rc = -1;
    if (rc == 0)
        rc = summary_put(job, etl, &runs, &lr, &scan, &ex, &mark, &quiet);
    free(runs.run); /* NULL once the overview has them */
    runstats_free(&rs);
    free(lr.last_outcome);
    history_samples_free(&scan);
    expect_free(&ex);
    return rc;
}

static int summary_totals_row(const struct report_job *job, struct cell *cells)
{
    const struct runstats *t = &job->totals;
    int64_t finished = runstats_finished(t);
    cells[TOTALS_RUNS] = cell_int(t->runs);
    cells[TOTALS_FAILED] = cell_int(t->failed);
    cells[TOTALS_ABORTED] = cell_int(t->aborted);
    cells[TOTALS_FAIL_PCT] = cell_rate(t->failed, finished);
    cells[TOTALS_ABORT_PCT] = cell_rate(t->aborted, finished);
    return 1;
}

const struct report_def report_summary = {.name = "summary",
                                          .cols = summary_cols,
                                          .ncols = SUMMARY_NCOLS,
                                          .total_cols = summary_totals,
                                          .n_total = TOTALS_NCOLS,
                                          .windowed = 1,
                                          .overview = 1,
                                          .instance_rows = 1,
                                          .etl_rows = summary_rows,
                                          .totals = summary_totals_row};
