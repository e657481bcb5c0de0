/* The schedule report: what was learnt of each ETL's schedule and duration, and what did
 * not happen against it. */
#include "shared.h"

enum schedule_col {
    SCHEDULE_KIND = ETL_NCOLS,
    SCHEDULE_PERIOD,
    SCHEDULE_OFFSET,
    SCHEDULE_NEXT,
    SCHEDULE_LIMIT,
    SCHEDULE_LATE,
    SCHEDULE_MISSED,
    SCHEDULE_OVERDUE,
    SCHEDULE_RUNS_USED,
    SCHEDULE_UNSCHEDULED_SINCE,
    SCHEDULE_MANUAL,
    SCHEDULE_CLOCK,
    SCHEDULE_DELETED_SINCE,
    SCHEDULE_NCOLS
};

static const struct column schedule_cols[SCHEDULE_NCOLS] = {
    ETL_COLUMNS,
    [SCHEDULE_KIND] = {"kind", "kind", COL_TEXT, 0},
    [SCHEDULE_PERIOD] = {"period_s", "period", COL_DURATION, 0},
    [SCHEDULE_OFFSET] = {"offset_s", "offset", COL_DURATION, 0},
    [SCHEDULE_NEXT] = {"next_expected_utc", "next expected", COL_TIME, 0},
    [SCHEDULE_LIMIT] = {"duration_limit_s", "limit", COL_DURATION, 0},
    [SCHEDULE_LATE] = {"late", "late", COL_INT, 0},
    [SCHEDULE_MISSED] = {"missed", "miss", COL_INT, 0},
    [SCHEDULE_OVERDUE] = {"overdue", "ovrd", COL_INT, 0},
    [SCHEDULE_RUNS_USED] = {"runs_used", "used", COL_INT, 0},
    [SCHEDULE_UNSCHEDULED_SINCE] = {"unscheduled_since_utc", "ended since", COL_TIME, 0},
    [SCHEDULE_MANUAL] = {"manual", "man", COL_INT, 0},
    [SCHEDULE_CLOCK] = {"clock", "clock", COL_TEXT, 1},
    [SCHEDULE_DELETED_SINCE] = {"deleted_since_utc", "deleted", COL_TIME, 0},
};

static int schedule_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!etl_known(job, etl))
        return 0;
    struct etl_expect ex;
    if (expect_etl(etl, &job->win, &ex)) {
        expect_free(&ex);
        return -1;
    }
    int periodic = ex.kind == SCHED_PERIODIC, gone = etl_deleted(job, etl);
    struct cell c[SCHEDULE_NCOLS];
    etl_cells(c, etl);
    /* gone from CO: no start is expected of it any more (docs/reports.md) */
    c[SCHEDULE_KIND] = cell_text(gone ? "deleted" : sched_kind_name(ex.kind));
    c[SCHEDULE_PERIOD] = cell_opt_seconds(periodic, ex.sched.period);
    c[SCHEDULE_OFFSET] = cell_opt_seconds(periodic, ex.sched.offset);
    c[SCHEDULE_NEXT] = ex.has_next && !gone ? cell_time(ex.next_expected) : cell_null();
    c[SCHEDULE_LIMIT] = cell_opt_seconds(ex.has_limit, ex.limit);
    c[SCHEDULE_LATE] = cell_int(ex.late);
    c[SCHEDULE_MISSED] = cell_int((int64_t)ex.n_missed);
    c[SCHEDULE_OVERDUE] = cell_int(ex.overdue);
    c[SCHEDULE_RUNS_USED] = cell_int(ex.sched.used);
    c[SCHEDULE_UNSCHEDULED_SINCE] =
        ex.has_unscheduled_since ? cell_time(ex.unscheduled_since) : cell_null();
    c[SCHEDULE_MANUAL] = cell_int(ex.manual);
    c[SCHEDULE_CLOCK] = periodic ? cell_text(ex.sched.wall ? etl->tz : "UTC") : cell_null();
    c[SCHEDULE_DELETED_SINCE] = gone ? cell_time(etl->deleted_since) : cell_null();
    int rc = row_put(job, c);
    expect_free(&ex);
    return rc;
}

const struct report_def report_schedule = {.name = "schedule",
                                           .cols = schedule_cols,
                                           .ncols = SCHEDULE_NCOLS,
                                           .windowed = 1,
                                           .etl_rows = schedule_rows};
