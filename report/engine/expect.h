/* What was expected of one ETL in a window and did not happen: its learnt schedule, which of
 * its runs were late or overdue, which expected starts were missed, and MTTR/MTBF. Reads a
 * bounded lookback of EXPECT_LOOKBACK runs before the window and the samples the window's
 * coverage reads, never the whole history. The rules are in common/schedule.h and
 * docs/reports.md. */
#ifndef ETLHIST_REPORT_EXPECT_H
#define ETLHIST_REPORT_EXPECT_H

#include "query.h"
#include "schedule.h"
#include "window.h"

#include <stdint.h>

/* Runs before the window: a schedule (as many as follow and the metrics file learn from)
 * and a duration limit. */
#define EXPECT_LOOKBACK SCHED_HISTORY

/* One run of the window, in query_runs order. */
struct expect_run {
    struct sched_verdict v;
    int overdue; /* its running time's lower bound exceeds the limit learnt before it */
};

/* A missed expected start (server clock) and the period of the schedule it was judged with. */
struct expect_missed {
    int64_t expected, period;
};

struct etl_expect {
    enum sched_kind kind;
    struct sched sched; /* learnt from the latest starts before until, on the clock judged */
    int64_t skew;       /* server clock minus ours */
    int has_next, has_limit, has_unscheduled_since;
    /* Left ENDED after being seen WAITING (its own run's RUNNING polls aside): unscheduled,
     * not merely run by hand or from outside CO, which leaves it ENDED after every run. */
    int was_scheduled;
    int64_t ended_seen;    /* the first poll of the ENDED stretch that ends the window */
    int64_t next_expected; /* server clock */
    int64_t limit;         /* duration limit after the window's runs */
    int64_t unscheduled_since;
    struct expect_run *runs;
    size_t n_runs;
    struct expect_missed *missed; /* ascending */
    size_t n_missed, cap_missed;
    int64_t late, overdue, manual;
    struct sched_clock wall; /* the instance's wall clock (arg NULL: none, UTC only) */
    int overdue_now;         /* the latest run is still RUNNING and overdue */
    int64_t overdue_now_start;
    struct mttr mttr;
    struct expect_facts *facts; /* between expect_begin() and expect_end() */
};

/* Fills out for etl over win. Returns 0, or -1 on a database error or out of memory
 * (logged). expect_free() is safe either way. */
int expect_etl(const struct query_etl *etl, const struct window *win, struct etl_expect *out);
void expect_free(struct etl_expect *e);

/* The same in three steps, for a report that reads the window's runs and samples anyway:
 * expect_begin() reads the lookback, expect_add() takes each run of the window (in
 * query_runs order), expect_end() judges over the window's scan (history_samples).
 * Each returns 0 or -1 (logged). */
struct sample_scan;
int expect_begin(const struct query_etl *etl, const struct window *win, struct etl_expect *out);
int expect_add(struct etl_expect *e, const struct query_run *run);
int expect_end(const struct query_etl *etl, const struct window *win,
               const struct sample_scan *scan, struct etl_expect *e);

/* Whether a successful poll happened in [from, until) (our clock): one that began or ended
 * a sample there, or inside a sample spanning it when the stretch is at least an interval
 * long (its polls are at most about an interval apart). A stretch without one cannot tell
 * a missed run. */
int expect_polled_in(const struct sample_scan *scan, int64_t from, int64_t until, int64_t interval);

#endif
