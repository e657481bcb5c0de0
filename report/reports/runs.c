/* The runs report, one row per run in the window with what was expected of it, and the
 * failures report: the same rows, only the failed and aborted runs. */
#include "shared.h"

enum runs_col {
    RUNS_TASK_ID = ETL_NCOLS,
    RUNS_START,
    RUNS_END,
    RUNS_OUTCOME,
    RUNS_EXIT_CODE,
    RUNS_DURATION,
    RUNS_DURATION_LO,
    RUNS_DURATION_HI,
    RUNS_EXPECTED_START,
    RUNS_DELAY,
    RUNS_OVERDUE,
    RUNS_LATE,
    RUNS_MANUAL,
    RUNS_NCOLS
};

static const struct column run_cols[RUNS_NCOLS] = {
    ETL_COLUMNS,
    [RUNS_TASK_ID] = {"task_id", "task", COL_INT, 0},
    [RUNS_START] = {"start_utc", "start", COL_TIME, 0},
    [RUNS_END] = {"end_utc", "end", COL_TIME, 0},
    [RUNS_OUTCOME] = {"outcome", "outcome", COL_TEXT, 0},
    [RUNS_EXIT_CODE] = {"exit_code", NULL, COL_TEXT, 1}, /* text: the outcome says it */
    [RUNS_DURATION] = {"duration_s", "duration", COL_DURATION, 0},
    [RUNS_DURATION_LO] = {"duration_lo_s", "lo", COL_DURATION, 0},
    [RUNS_DURATION_HI] = {"duration_hi_s", "hi", COL_DURATION, 0},
    [RUNS_EXPECTED_START] = {"expected_start_utc", NULL, COL_TIME, 0},
    [RUNS_DELAY] = {"delay_s", "delay", COL_DURATION, 0},
    [RUNS_OVERDUE] = {"overdue", "ovrd", COL_INT, 0},
    [RUNS_LATE] = {"late", "late", COL_INT, 0},
    [RUNS_MANUAL] = {"manual", "man", COL_INT, 0},
};

static struct cell cell_opt_int(int has, int64_t v)
{
    return has ? cell_int(v) : cell_null();
}

struct runs_arg {
    struct report_job *job;
    const struct query_etl *etl;
    int failures_only;
    const struct etl_expect *ex;
    size_t index; /* of the run in the window, as expect_etl() read them */
    int rc;
};

static int run_put(void *arg, const struct query_run *r)
{
    struct runs_arg *a = arg;
    enum outcome out = outcome_parse(r->outcome);
    size_t i = a->index++;
    if (a->failures_only && !outcome_failed(out))
        return 0;
    const struct expect_run *x = i < a->ex->n_runs ? &a->ex->runs[i] : NULL;
    int judged = x && x->v.judged;
    struct cell c[RUNS_NCOLS];
    etl_cells(c, a->etl);
    c[RUNS_TASK_ID] = r->has_task ? cell_int(r->task_id) : cell_null();
    c[RUNS_START] = cell_time(r->start);
    c[RUNS_END] = r->has_end ? cell_time(r->end_seen) : cell_null();
    c[RUNS_OUTCOME] = cell_text(r->outcome);
    c[RUNS_EXIT_CODE] = cell_text(r->exit_code);
    c[RUNS_DURATION] = cell_duration2(r->has_dur, r->lo + r->hi);
    c[RUNS_DURATION_LO] = r->has_dur ? cell_int(r->lo) : cell_null();
    c[RUNS_DURATION_HI] = r->has_dur ? cell_int(r->hi) : cell_null();
    c[RUNS_EXPECTED_START] = judged ? cell_time(x->v.expected) : cell_null();
    c[RUNS_DELAY] = cell_opt_int(judged, judged ? x->v.delay : 0);
    c[RUNS_OVERDUE] = cell_int(x ? x->overdue : 0);
    c[RUNS_LATE] = cell_int(judged ? x->v.late : 0);
    c[RUNS_MANUAL] = cell_int(judged ? x->v.manual : 0);
    a->rc = row_put(a->job, c);
    return a->rc;
}

static int runs_common(struct report_job *job, const struct query_etl *etl, int failures_only)
{
    struct etl_expect ex;
    if (expect_etl(etl, &job->win, &ex)) {
        expect_free(&ex);
        return -1;
    }
    struct runs_arg a = {job, etl, failures_only, &ex, 0, 0};
    int rc = query_runs(etl, job->win.since, job->win.until, run_put, &a);
    expect_free(&ex);
    return a.rc ? a.rc : rc;
}

static int runs_rows(struct report_job *job, const struct query_etl *etl)
{
    return runs_common(job, etl, 0);
}

static int failures_rows(struct report_job *job, const struct query_etl *etl)
{
    return runs_common(job, etl, 1);
}

const struct report_def report_runs = {
    .name = "runs", .cols = run_cols, .ncols = RUNS_NCOLS, .windowed = 1, .etl_rows = runs_rows};
const struct report_def report_failures = {.name = "failures",
                                           .cols = run_cols,
                                           .ncols = RUNS_NCOLS,
                                           .windowed = 1,
                                           .etl_rows = failures_rows};
