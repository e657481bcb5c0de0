#include "stats.h"

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

int runstats_regressed(struct runstats *cur, struct runstats *prev)
{
    int64_t n1 = runstats_finished(cur), n0 = runstats_finished(prev);
    /* 100*f1/n1 - 100*f0/n0 >= 5, multiplied out to stay in integers. */
    if (n1 > 0 && n0 > 0 && 100 * cur->failed * n0 - 100 * prev->failed * n1 >= 5 * n0 * n1)
        return 1;
    int64_t p1, p0;
    if (runstats_percentile2(cur, 50, &p1) == 0 && runstats_percentile2(prev, 50, &p0) == 0)
        return p1 > p0 && 10 * p1 >= 12 * p0; /* up by 20% or more */
    return 0;
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
