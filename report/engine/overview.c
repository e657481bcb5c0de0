#include "overview.h"

#include "stats.h"
#include "zone.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Heat-map columns: days of the display zone, several a column when the window is long.
 * Days are counted and stepped over by calendar arithmetic, never one by one: the work is
 * the same for a day and for centuries. */
static void plan_days(struct overview *ov)
{
    int64_t days = 0;
    if (ov->until > ov->since) /* the local days [since, until) touches */
        days = zone_day_number(ov->tz, ov->until - 1) - zone_day_number(ov->tz, ov->since) + 1;
    int64_t per_col = (days + OVERVIEW_MAX_DAYS - 1) / OVERVIEW_MAX_DAYS;
    ov->days_per_col = per_col < 1 ? 1 : per_col > INT_MAX ? INT_MAX : (int)per_col;
    ov->ndays = 0;
    for (int64_t t = ov->since; t < ov->until && ov->ndays < OVERVIEW_MAX_DAYS;
         t = zone_midnight_after(ov->tz, t, ov->days_per_col))
        ov->day[ov->ndays++] = t;
    ov->day[ov->ndays] = ov->until;
}

void overview_init(struct overview *ov, int64_t since, int64_t until, const char *tz)
{
    memset(ov, 0, sizeof *ov);
    ov->since = since;
    ov->until = until;
    ov->tz = tz;
    ov->cov_min = -1;
    plan_days(ov);
}

static size_t day_of(const struct overview *ov, int64_t t)
{
    size_t lo = 0, hi = ov->ndays; /* the last column whose start is <= t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ov->day[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Runs and failures per heat-map column from the ETL's runs. */
static int count_days(const struct overview *ov, struct pick *p)
{
    p->day_runs = calloc(ov->ndays ? ov->ndays : 1, sizeof *p->day_runs);
    p->day_fails = calloc(ov->ndays ? ov->ndays : 1, sizeof *p->day_fails);
    if (!p->day_runs || !p->day_fails)
        return -1;
    for (size_t i = 0; i < p->nrun; i++) {
        const struct chart_run *r = &p->run[i];
        if (r->start < ov->since || r->start >= ov->until || ov->ndays == 0)
            continue;
        size_t d = day_of(ov, r->start);
        p->day_runs[d]++;
        p->day_fails[d] += outcome_failed(r->outcome);
    }
    return 0;
}

static int note_coverage(struct overview *ov, const struct overview_etl *e)
{
    ov->cov_sum += e->coverage;
    ov->cov_n++;
    ov->cov_mean = (2 * ov->cov_sum + ov->cov_n) / (2 * ov->cov_n); /* half up */
    if (ov->cov_min >= 0 && e->coverage >= ov->cov_min)
        return 0;
    char *name = strdup(e->name ? e->name : "");
    if (!name)
        return -1;
    free(ov->cov_min_name);
    ov->cov_min_name = name;
    ov->cov_min = e->coverage;
    return 0;
}

/* Offers the ETL, with its runs, to the charts and the heat map. */
static int note_pick(struct overview *ov, struct overview_etl *e)
{
    struct pick *p = calloc(1, sizeof *p);
    if (!p) {
        free(e->run);
        return -1;
    }
    p->run = e->run; /* the pool owns the runs from here */
    p->nrun = e->nrun;
    e->run = NULL;
    p->instance = strdup(e->instance ? e->instance : "");
    p->name = strdup(e->name ? e->name : "");
    p->etl_id = e->etl_id;
    p->order = ov->rows;
    p->runs = e->runs;
    p->failed = e->failed;
    p->aborted = e->aborted;
    p->p50 = e->p50;
    p->p95 = e->p95;
    p->limit = e->limit;
    p->attention = e->attention;
    for (size_t i = 0; i < p->nrun; i++)
        p->finished += outcome_finished(p->run[i].outcome);
    if (!p->instance || !p->name || count_days(ov, p)) {
        pick_free(p);
        return -1;
    }
    return picks_offer(&ov->picks, p);
}

/* The ETL's runs in the window's totals per column. */
static void count_totals(struct overview *ov, const struct overview_etl *e)
{
    for (size_t i = 0; i < e->nrun && ov->ndays; i++) {
        const struct chart_run *r = &e->run[i];
        if (r->start < ov->since || r->start >= ov->until)
            continue;
        size_t d = day_of(ov, r->start);
        ov->day_runs[d]++;
        ov->day_failed[d] += r->outcome == OUT_ERROR;
        ov->day_aborted[d] += r->outcome == OUT_ABORTED;
    }
}

int overview_add(struct overview *ov, struct overview_etl *e)
{
    count_totals(ov, e);
    ov->failing_now += e->failure_streak > 0;
    ov->with_failures += e->failed + e->aborted > 0;
    int rc = note_coverage(ov, e);
    if (rc == 0)
        rc = note_pick(ov, e);
    else
        free(e->run);
    ov->rows++;
    return rc;
}

void overview_free(struct overview *ov)
{
    free(ov->cov_min_name);
    picks_free(&ov->picks);
    memset(ov, 0, sizeof *ov);
}
