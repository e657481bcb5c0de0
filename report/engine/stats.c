#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void runstats_init(struct runstats *rs)
{
    memset(rs, 0, sizeof *rs);
}

static int push_duration(struct runstats *rs, int64_t dur2)
{
    if (rs->n_dur == rs->cap_dur) {
        size_t cap = rs->cap_dur ? rs->cap_dur * 2 : 64;
        int64_t *d = realloc(rs->dur2, cap * sizeof *d);
        if (!d)
            return -1;
        rs->dur2 = d;
        rs->cap_dur = cap;
    }
    rs->dur2[rs->n_dur++] = dur2;
    return 0;
}

int runstats_add(struct runstats *rs, enum outcome out, int has_dur, int64_t lo, int64_t hi)
{
    rs->runs++;
    switch (out) {
    case OUT_OK:
        rs->ok++;
        break;
    case OUT_WARNING:
        rs->warning++;
        break;
    case OUT_ERROR:
        rs->failed++;
        break;
    case OUT_ABORTED:
        rs->aborted++;
        break;
    case OUT_RUNNING:
    case OUT_UNKNOWN:
        rs->unknown++;
        break;
    }
    return has_dur ? push_duration(rs, lo + hi) : 0;
}

int64_t runstats_finished(const struct runstats *rs)
{
    return rs->ok + rs->warning + rs->failed + rs->aborted;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int runstats_percentile2(struct runstats *rs, int p, int64_t *dur2)
{
    if (rs->n_dur == 0)
        return -1;
    /* Sorting twice (p50, then p95) is a no-op the second time; keeps the API stateless. */
    qsort(rs->dur2, rs->n_dur, sizeof *rs->dur2, cmp_i64);
    size_t rank = ((size_t)p * rs->n_dur + 99) / 100; /* ceil(p/100 * n) */
    if (rank < 1)
        rank = 1;
    *dur2 = rs->dur2[rank - 1];
    return 0;
}

int runstats_max2(const struct runstats *rs, int64_t *dur2)
{
    if (rs->n_dur == 0)
        return -1;
    int64_t m = rs->dur2[0];
    for (size_t i = 1; i < rs->n_dur; i++)
        if (rs->dur2[i] > m)
            m = rs->dur2[i];
    *dur2 = m;
    return 0;
}

void runstats_free(struct runstats *rs)
{
    free(rs->dur2);
    runstats_init(rs);
}

int wilson_interval(int64_t k, int64_t n, double z, double *lo, double *hi)
{
    if (n <= 0 || k < 0 || k > n)
        return -1;
    double p = (double)k / (double)n, z2n = z * z / (double)n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) * sqrt(p * (1 - p) / (double)n + z2n / (4 * (double)n));
    *lo = centre - half > 0 ? centre - half : 0;
    *hi = centre + half < 1 ? centre + half : 1;
    return 0;
}

/* The failure rate rose beyond chance: this window's interval lies wholly above the last's. */
static int rate_regressed(const struct runstats *cur, const struct runstats *prev)
{
    double lo1, hi1, lo0, hi0;
    wilson_interval(cur->failed, runstats_finished(cur), TREND_Z, &lo1, &hi1);
    wilson_interval(prev->failed, runstats_finished(prev), TREND_Z, &lo0, &hi0);
    return lo1 > hi0;
}

/* Medians as lo + hi: up by 20 % or more, and by more than TREND_MIN_SLOWER_S. */
static int median_regressed(struct runstats *cur, struct runstats *prev)
{
    int64_t p1, p0;
    runstats_percentile2(cur, 50, &p1);
    runstats_percentile2(prev, 50, &p0);
    return p1 - p0 > 2 * TREND_MIN_SLOWER_S && 10 * p1 >= 12 * p0;
}

enum trend_verdict runstats_trend(struct runstats *cur, struct runstats *prev, int64_t min_runs)
{
    if (min_runs < 1)
        min_runs = 1; /* a rate or a median needs a run */
    int rate_judged = runstats_finished(cur) >= min_runs && runstats_finished(prev) >= min_runs;
    int median_judged = (int64_t)cur->n_dur >= min_runs && (int64_t)prev->n_dur >= min_runs;
    if ((rate_judged && rate_regressed(cur, prev)) ||
        (median_judged && median_regressed(cur, prev)))
        return TREND_REGRESSED;
    return rate_judged || median_judged ? TREND_STEADY : TREND_UNJUDGED;
}

/* Adds [a, b) clipped to the window and to what is already counted (*done). */
static int64_t take(int64_t a, int64_t b, int64_t since, int64_t until, int64_t *done)
{
    if (a < since)
        a = since;
    if (a < *done)
        a = *done;
    if (b > until)
        b = until;
    if (b <= a)
        return 0;
    *done = b;
    return b - a;
}

static void attribute(struct coverage *c, enum svc_state state, int64_t seconds)
{
    c->observed += seconds;
    if (state == SVC_ON)
        c->on += seconds;
    else if (state == SVC_OFF)
        c->off += seconds;
}

void coverage_compute(const struct obs *obs, size_t n, int64_t since, int64_t until,
                      int64_t max_gap, struct coverage *out)
{
    memset(out, 0, sizeof *out);
    const struct obs *prev = NULL;
    int64_t done = since;
    for (size_t i = 0; i < n; i++) {
        const struct obs *s = &obs[i];
        if (!s->ok)
            continue; /* a failed poll observes nothing; the gap around it is judged whole */
        if (prev && s->first - prev->last <= (s->max_gap ? s->max_gap : max_gap))
            attribute(out, prev->state, take(prev->last, s->first, since, until, &done));
        attribute(out, s->state, take(s->first, s->last, since, until, &done));
        if (prev && s->first >= since && s->first < until && prev->state != SVC_OTHER &&
            s->state != SVC_OTHER && prev->state != s->state)
            out->transitions++;
        prev = s;
    }
}
