/* The arithmetic of reports, on plain arrays: no database, no I/O, so tests feed it directly. */
#ifndef ETLHIST_REPORT_STATS_H
#define ETLHIST_REPORT_STATS_H

#include "rules.h"

#include <stddef.h>
#include <stdint.h>

/* Counts and durations of the runs of one ETL in one window. Durations are kept as
 * lo + hi (twice the midpoint), so medians of half seconds stay exact integers. */
struct runstats {
    int64_t runs, ok, warning, failed, aborted, unknown;
    int64_t *dur2;
    size_t n_dur, cap_dur;
};

void runstats_init(struct runstats *rs);
/* has_dur: dur_lo_s and dur_hi_s are both known. Returns 0, or -1 when out of memory. */
int runstats_add(struct runstats *rs, enum outcome out, int has_dur, int64_t lo, int64_t hi);
int64_t runstats_finished(const struct runstats *rs);
/* Nearest-rank percentile (p in 1..100) of the known durations, as lo + hi.
 * Returns 0, or -1 when no run has a known duration. */
int runstats_percentile2(struct runstats *rs, int p, int64_t *dur2);
int runstats_max2(const struct runstats *rs, int64_t *dur2);
void runstats_free(struct runstats *rs);

/* Wilson score interval of k successes in n trials at z standard deviations (1.96: 95 %),
 * as proportions in [0, 1]. Returns 0, or -1 when n is not positive or k not in 0..n. */
int wilson_interval(int64_t k, int64_t n, double z, double *lo, double *hi);

#define TREND_MIN_RUNS 5 /* default of --trend-min-runs */
#define TREND_MAX_MIN_RUNS 1000000
#define TREND_Z 1.96          /* 95 % Wilson intervals for the failure rates */
#define TREND_MIN_SLOWER_S 60 /* a median must also grow by more than this */

enum trend_verdict {
    TREND_UNJUDGED, /* neither comparison had min_runs in both windows */
    TREND_STEADY,
    TREND_REGRESSED
};

/* Trend rule, each comparison judged only with at least min_runs in both windows: the
 * failure rate regressed when this window's Wilson interval lies wholly above the previous
 * window's (finished runs); the p50 duration when it rose by 20 % or more and by more than
 * TREND_MIN_SLOWER_S (runs with a known duration). */
enum trend_verdict runstats_trend(struct runstats *cur, struct runstats *prev, int64_t min_runs);

enum svc_state { SVC_OTHER, SVC_ON, SVC_OFF };

/* One sample row reduced to what coverage needs; ok = 0 for a failed poll. */
struct obs {
    int64_t first, last;
    int ok;
    enum svc_state state;
    int ended;       /* status ENDED: not rescheduled */
    int64_t max_gap; /* judges the gap ending at this sample; 0: coverage_compute's max_gap */
    int waiting;     /* status WAITING: scheduled, its next start to come */
};

struct coverage {
    int64_t observed; /* seconds of the window observed */
    int64_t on, off;  /* of which in SERVICE_ON / SERVICE_OFF */
    int64_t transitions;
};

/* Observed time of one ETL inside [since, until): successful samples cover
 * [first, last]; the gap to the next successful sample is observed when at most max_gap
 * (the sample's own max_gap when set) and is attributed to the earlier sample's state. obs
 * must be ordered by time. */
void coverage_compute(const struct obs *obs, size_t n, int64_t since, int64_t until,
                      int64_t max_gap, struct coverage *out);

#endif
