#include "schedule.h"

#include <stdlib.h>
#include <string.h>

const char *sched_kind_name(enum sched_kind kind)
{
    static const char *const names[] = {"unknown", "periodic", "irregular", "unscheduled",
                                        "service"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "unknown";
}

int64_t sched_grace(int64_t period)
{
    return period / 10 > 60 ? period / 10 : 60;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t mod(int64_t a, int64_t p)
{
    return a - floordiv(a, p) * p;
}

/* a modulo p, into [-p/2, p/2). */
static int64_t wrap(int64_t a, int64_t p)
{
    return mod(a + p / 2, p) - p / 2;
}

/* Sorts the few values a schedule or a limit is learnt from (at most 30): insertion sort
 * beats qsort's indirect calls there, and a report sorts such arrays once per run. */
static void sort_small(int64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Lower median of v[0..n), n >= 1; sorts v. */
static int64_t median(int64_t *v, size_t n)
{
    sort_small(v, n);
    return v[(n - 1) / 2];
}

/* How the starts fit a grid of period p and offset: the expected starts with a start on
 * time (from half a grace early to a grace late) are served; further starts in a served
 * expected start's stretch are extra (manual runs); expected starts between the first and
 * the last served one without a start on time are missing. */
struct fit {
    int64_t period, offset;
    size_t served, extra, missing;
    size_t slots;  /* expected starts from the first served one to the last */
    size_t outage; /* the most missing ones in a row (a collector outage, a pause) */
};

/* Expected starts in a row without a start that make an outage rather than a wrong grid. */
#define SCHED_OUTAGE_MIN 2

/* Whether the fit is a schedule. Plainly: 75 % of the starts on time. With manual runs
 * set apart (extra): 75 % of the others on time, at least 9 of them, and at most three
 * extra starts for four on time (a daily ETL run by hand five days a week is still daily;
 * an ETL twice as frequent is not an hourly one run by hand every hour). Either way 75 % of the
 * grid's expected starts over the span are served: chance grids in irregular starts rarely
 * meet all that. */
static int fit_periodic(const struct fit *f, size_t m, int manual)
{
    /* and 75 % of the grid's expected starts, from the first served to the last, served: a
     * grid of half the period, whose every other start has no start on time, is not the
     * schedule even where manual runs fall on (or near) its odd starts. The longest stretch
     * of two or more expected starts without a start is left out: hours of a collector
     * outage (or a paused scheduler) among the latest starts say nothing of the grid, while
     * a grid of half the period misses one start in two, not two in a row. */
    size_t outage = f->outage >= SCHED_OUTAGE_MIN ? f->outage : 0;
    if (f->served * 4 < (f->slots - outage) * 3)
        return 0;
    if (!manual)
        return f->served * 4 >= m * 3;
    size_t scheduled = m - f->extra;
    return f->served >= SCHED_WINDOW * 3 / 4 && f->served * 4 >= scheduled * 3 &&
           f->extra * 4 <= f->served * 3;
}

/* Better: a schedule before none, then more served expected starts, then fewer missing (a
 * grid of half the period serves as many, and misses every other). Missing ones do not
 * weigh against served ones: a collector outage leaves them missing too. */
static int fit_better(const struct fit *a, const struct fit *b, size_t m, int manual)
{
    int pa = fit_periodic(a, m, manual), pb = fit_periodic(b, m, manual);
    if (pa != pb)
        return pa;
    if (a->served != b->served)
        return a->served > b->served;
    return a->missing < b->missing;
}

/* The expected start nearest to a start (clock seconds c) on grid (p, offset), by index,
 * and whether the start is on time for it (grace g). */
static int64_t grid_slot(int64_t c, int64_t p, int64_t offset, int64_t g, int *on_time)
{
    int64_t k = floordiv(c - offset + p / 2, p), r = c - offset - k * p;
    *on_time = r >= -g / 2 && r <= g;
    return k;
}

/* Counts served, extra and missing (struct fit) for f->period and f->offset. */
static void fit_count(const int64_t *s, size_t m, struct fit *f)
{
    int64_t k[SCHED_LEARN_MAX], served[SCHED_LEARN_MAX], g = sched_grace(f->period);
    size_t n = 0;
    for (size_t j = 0; j < m; j++) {
        int on;
        k[j] = grid_slot(s[j], f->period, f->offset, g, &on);
        if (on && (n == 0 || served[n - 1] != k[j]))
            served[n++] = k[j];
    }
    f->served = n;
    f->extra = f->missing = f->slots = f->outage = 0;
    if (n == 0)
        return;
    size_t used = 0, q = 0; /* slots with a start, from the first served to the last */
    int64_t prev = served[0];
    for (size_t j = 0; j < m; j++) {
        if (k[j] >= served[0] && k[j] <= served[n - 1] && (j == 0 || k[j] != k[j - 1])) {
            used++;
            if (k[j] - prev - 1 > (int64_t)f->outage)
                f->outage = (size_t)(k[j] - prev - 1);
            prev = k[j];
        }
        while (q < n && served[q] < k[j])
            q++;
        if (q < n && served[q] == k[j])
            f->extra++; /* every start in a served slot; the one that serves it comes off */
    }
    f->slots = (size_t)(served[n - 1] - served[0] + 1);
    f->missing = f->slots - used;
    f->extra -= n;
}

/* The offset of period p the starts keep to, and how they fit it. Schedulers start late,
 * never early, so the offset is the lower quartile of the phases (start modulo period)
 * around their circular median, not the median itself: a start with little delay then
 * stays within grace after its expected start. Phases more than grace from the median are
 * left out of the quartile: they are manual runs or late ones, not the grid. */
static void fit_offset(const int64_t *s, size_t m, int64_t p, struct fit *f)
{
    int64_t d[SCHED_LEARN_MAX], near[SCHED_LEARN_MAX];
    int64_t ref = mod(s[m - 1], p), g = sched_grace(p);
    for (size_t j = 0; j < m; j++)
        d[j] = wrap(s[j] - ref, p);
    int64_t center = mod(ref + median(d, m), p);
    size_t k = 0;
    for (size_t j = 0; j < m; j++) {
        int64_t r = wrap(s[j] - center, p);
        if (r >= -g && r <= g)
            near[k++] = r;
    }
    sort_small(near, k);
    f->period = p;
    f->offset = mod(center + (k ? near[(k - 1) / 4] : 0), p);
    fit_count(s, m, f);
}

static int64_t round_to_step(int64_t p)
{
    int64_t step = p >= 600 ? 60 : 10;
    return (p + step / 2) / step * step;
}

/* Adds p (rounded as schedulers set periods) and one step either side to c[0..*n), once
 * each and only from a minute up. */
static void add_candidate(int64_t *c, size_t *n, size_t cap, int64_t p, int either_side)
{
    p = round_to_step(p);
    int64_t step = p >= 600 ? 60 : 10;
    const int64_t v[3] = {p, p - step, p + step};
    for (size_t i = 0; i < (either_side ? 3u : 1u); i++) {
        size_t j = 0;
        while (j < *n && c[j] != v[i])
            j++;
        if (j == *n && *n < cap && v[i] >= 60)
            c[(*n)++] = v[i];
    }
}

/* Period candidates: the median gap, and the span of the starts over the number of periods
 * it covers (jitter divides by that number), each rounded to whole minutes (to 10 s under
 * 10 minutes) as schedulers set them, and one step either side of both. Returns how many
 * were written to c (0: gaps under a minute). */
static size_t period_candidates(const int64_t *s, size_t m, int64_t c[6])
{
    int64_t gaps[SCHED_LEARN_MAX];
    for (size_t j = 1; j < m; j++)
        gaps[j - 1] = s[j] - s[j - 1];
    int64_t p0 = median(gaps, m - 1);
    if (p0 < 60)
        return 0;
    int64_t span = s[m - 1] - s[0];
    int64_t k = (span + p0 / 2) / p0;
    size_t n = 0;
    add_candidate(c, &n, 6, p0, 1);
    add_candidate(c, &n, 6, k > 0 ? (span + k / 2) / k : p0, 1);
    return n;
}

/* The candidate when manual runs split the gaps: a gap with one manual run in it is the sum
 * of two, so the period is the value most gaps or sums of two neighbouring gaps agree on
 * (at least 8 of them within a grace's width: a schedule with manual runs set apart needs 9
 * starts on time, so 8 periods, each a gap or the sum of two), one step either side, and
 * twice it. Returns how many were written to c. */
static size_t split_candidates(const int64_t *s, size_t m, int64_t c[4])
{
    int64_t v[2 * SCHED_LEARN_MAX];
    size_t k = 0, best = 0, at = 0, n = 0;
    for (size_t j = 1; j < m; j++) {
        v[k++] = s[j] - s[j - 1];
        if (j >= 2)
            v[k++] = s[j] - s[j - 2];
    }
    sort_small(v, k);
    for (size_t i = 0, j = 0; i < k; i++) { /* the widest run v[i..j) within a grace */
        while (j < k && v[j] - v[i] <= sched_grace(v[i]))
            j++;
        if (j - i > best) {
            best = j - i;
            at = i + (j - i - 1) / 2;
        }
    }
    if (best >= 8) {
        add_candidate(c, &n, 4, v[at], 1);
        add_candidate(c, &n, 4, 2 * v[at], 0); /* manual runs halfway split every gap */
    }
    return n;
}

/* The period read off the starts on time for f: their span over the periods it covers. */
static int64_t refined_period(const int64_t *s, size_t m, const struct fit *f)
{
    int64_t first = 0, last = 0, k_first = 0, k_last = 0, g = sched_grace(f->period);
    int any = 0;
    for (size_t j = 0; j < m; j++) {
        int on;
        int64_t k = grid_slot(s[j], f->period, f->offset, g, &on);
        if (!on)
            continue;
        if (!any)
            first = s[j], k_first = k, any = 1;
        last = s[j], k_last = k;
    }
    return k_last > k_first ? round_to_step((last - first) / (k_last - k_first)) : f->period;
}

static void try_candidates(const int64_t *s, size_t m, const int64_t *c, size_t nc, int manual,
                           struct fit *best)
{
    for (size_t i = 0; i < nc; i++) {
        struct fit f;
        fit_offset(s, m, c[i], &f);
        if (best->period == 0 || fit_better(&f, best, m, manual))
            *best = f;
    }
}

/* The best fit of the latest m starts: among the plain candidates, or, with manual runs set
 * apart (manual = 1), the split ones, the best of which is read again off its starts on
 * time. */
static void best_fit(const int64_t *s, size_t m, int manual, struct fit *best)
{
    int64_t cand[6];
    memset(best, 0, sizeof *best);
    if (!manual) {
        try_candidates(s, m, cand, period_candidates(s, m, cand), 0, best);
        return;
    }
    try_candidates(s, m, cand, split_candidates(s, m, cand), 1, best);
    if (best->period) {
        int64_t p = refined_period(s, m, best);
        try_candidates(s, m, &p, 1, 1, best);
    }
}

/* Learns from the latest SCHED_WINDOW starts on a clock (c: clock seconds); when they make
 * no schedule, manual runs may have split the gaps and crowded out scheduled starts: the
 * latest SCHED_LEARN_MAX are searched for a grid with them set apart. */
static void learn_on(const int64_t *c, size_t n, const struct sched_clock *wall, struct sched *out)
{
    memset(out, 0, sizeof *out);
    out->wall = wall;
    size_t m = n < SCHED_WINDOW ? n : SCHED_WINDOW;
    out->used = (int)m;
    if (m < SCHED_MIN_RUNS)
        return;
    out->kind = SCHED_IRREGULAR;
    struct fit best;
    int manual = 0;
    best_fit(c + (n - m), m, manual, &best);
    if (!fit_periodic(&best, m, manual)) {
        m = n < SCHED_LEARN_MAX ? n : SCHED_LEARN_MAX;
        best_fit(c + (n - m), m, manual = 1, &best);
    }
    if (fit_periodic(&best, m, manual)) {
        out->kind = SCHED_PERIODIC;
        out->period = best.period;
        out->offset = best.offset;
        out->used = (int)m;
    }
}

void sched_learn(const int64_t *starts, size_t n, struct sched *out)
{
    learn_on(starts, n, NULL, out);
}

static int64_t utc_offset(const struct sched_clock *wall, int64_t t)
{
    return wall->utc_offset(wall->arg, t);
}

/* t (UTC) on s's clock. */
static int64_t on_clock(const struct sched *s, int64_t t)
{
    return s->wall ? t + utc_offset(s->wall, t) : t;
}

/* The UTC instant of clock time c, as a wall-clock scheduler (cron, Quartz) fires it: a
 * time the clock skips (spring forward) fires as many seconds after the skip as it lay
 * into it, with the offset before the change (02:30 -> 03:30 the new time); a time the
 * clock shows twice (fall back) fires once, the first time. Offsets a day either side
 * stand for those before and after a change (zones change at most once in two days). */
static int64_t from_clock(const struct sched *s, int64_t c)
{
    if (!s->wall)
        return c;
    int64_t before = utc_offset(s->wall, c - 86400), after = utc_offset(s->wall, c + 86400);
    if (before == after)
        return c - before;
    int ok_before = utc_offset(s->wall, c - before) == before;
    int ok_after = utc_offset(s->wall, c - after) == after;
    if (ok_before && ok_after)
        return c - (before > after ? before : after); /* the first of the two */
    if (ok_after)
        return c - after;
    return c - before; /* valid with the old offset, or in the skipped stretch */
}

/* Whether clock time c is one s's wall clock skips (spring forward). */
static int skipped(const struct sched *s, int64_t c)
{
    if (!s->wall)
        return 0;
    int64_t before = utc_offset(s->wall, c - 86400), after = utc_offset(s->wall, c + 86400);
    return before != after && utc_offset(s->wall, c - before) != before &&
           utc_offset(s->wall, c - after) != after;
}

/* The expected start k (UTC). */
static int64_t expected(const struct sched *s, int64_t k)
{
    return from_clock(s, s->offset + k * s->period);
}

/* The expected start a start belongs to: from grace before it to grace before the next
 * (half a period, when grace is more than that: a minutely start belongs to its minute). */
static int64_t slot(const struct sched *s, int64_t t)
{
    int64_t g = sched_grace(s->period) < s->period / 2 ? sched_grace(s->period) : s->period / 2;
    int64_t k = floordiv(on_clock(s, t) - s->offset + g, s->period);
    while (k > INT64_MIN / 4 && expected(s, k) - g > t)
        k--;
    while (k < INT64_MAX / 4 && expected(s, k + 1) - g <= t)
        k++;
    return k;
}

/* The first expected start index at or after t. */
static int64_t first_slot_from(const struct sched *s, int64_t t)
{
    int64_t k = floordiv(on_clock(s, t) - s->offset - 1, s->period) + 1;
    while (expected(s, k) < t)
        k++;
    while (expected(s, k - 1) >= t)
        k--;
    return k;
}

int64_t sched_next(const struct sched *s, int64_t t)
{
    return expected(s, first_slot_from(s, t));
}

int64_t sched_after(const struct sched *s, int64_t t)
{
    return expected(s, slot(s, t) + 1);
}

int64_t sched_upcoming(const struct sched *s, int64_t latest, int64_t t)
{
    int64_t k = slot(s, latest) + 1, k_t = first_slot_from(s, t - sched_grace(s->period));
    if (k_t > k)
        k = k_t;
    while (skipped(s, s->offset + k * s->period))
        k++; /* a wall time the clocks skipped is not awaited (count_missed) */
    return expected(s, k);
}

/* The expected start of s nearest to t. */
static int64_t nearest(const struct sched *s, int64_t t)
{
    return expected(s, floordiv(on_clock(s, t) - s->offset + s->period / 2, s->period));
}

/* Whether b confirms a around t: periods within 2 %, and expected starts near t within
 * grace of each other (offsets of slightly different periods are not comparable). */
static int agree(const struct sched *a, const struct sched *b, int64_t t)
{
    if (b->kind != SCHED_PERIODIC)
        return 0;
    int64_t dp = a->period - b->period, de = nearest(a, t) - nearest(b, t);
    if (dp < 0)
        dp = -dp;
    if (de < 0)
        de = -de;
    return dp * 50 <= a->period && de <= sched_grace(a->period);
}

/* A start after the expected start `served` was served (by a start at or before it). */
static void verdict(const struct sched *s, int64_t start, int64_t served, struct sched_verdict *v)
{
    int64_t k = slot(s, start), g = sched_grace(s->period);
    v->judged = 1;
    v->expected = expected(s, k);
    v->delay = start - v->expected;
    v->manual = k <= slot(s, served) || (v->delay > g && v->delay > s->period / 2);
    v->late = !v->manual && v->delay > g;
}

/* Expected starts of slots [k_from, k_to) with no run: missed when observed, at most
 * at_most of them. Unobserved stretches are passed in one step (env->resume), so the cost
 * follows the observations, not the window. */
static int64_t count_missed(const struct sched *s, int64_t k_from, int64_t k_to, int64_t at_most,
                            const struct sched_env *env)
{
    int64_t g = sched_grace(s->period), missed = 0;
    int64_t k_since = first_slot_from(s, env->since);
    for (int64_t k = k_from > k_since ? k_from : k_since; k < k_to && missed < at_most;) {
        int64_t e = expected(s, k), next = expected(s, k + 1);
        if (e >= env->until || next - g > env->horizon)
            break;
        if (skipped(s, s->offset + k * s->period)) {
            k++; /* fired after the skip by some schedulers, not at all by others */
            continue;
        }
        if (env->observed(env->arg, e, e - g, next - g)) {
            missed++;
            if (env->missed && env->missed(env->arg, e, s->period))
                break;
        } else if (env->resume) {
            int64_t r = env->resume(env->arg, e + 1);
            if (r >= env->until)
                break;
            if (r > next) {
                k = first_slot_from(s, r);
                continue;
            }
        }
        k++;
    }
    return missed;
}

/* How many runs a gap between two starts lacks: the periods it spans, less one. Slots
 * alone would count a hole where a run came early into the slot before (jitter around the
 * offset); the gap's length does not. */
static int64_t lacking(const struct sched *s, int64_t gap)
{
    return (gap + s->period / 2) / s->period - 1;
}

/* The starts on one clock: c[i] is starts[i] on it (c == starts for UTC). */
struct track {
    const int64_t *starts, *c;
    size_t n;
    const struct sched_clock *wall;
};

/* Whether the schedule learnt up to start i is confirmed by the runs after start i: the
 * next SCHED_WINDOW, or, when manual runs crowd them, the next SCHED_LEARN_MAX. */
static int confirmed(const struct track *t, const struct sched *learnt, size_t from, size_t i)
{
    size_t left = t->n - (i + 1), after = left < SCHED_WINDOW ? left : SCHED_WINDOW;
    if (after < SCHED_MIN_RUNS)
        return 1;
    struct sched confirm; /* learnt from the starts after the gap only */
    if (i + SCHED_WINDOW < t->n && learnt[i + SCHED_WINDOW - from].used <= SCHED_WINDOW)
        confirm = learnt[i + SCHED_WINDOW - from];
    else
        learn_on(t->c + i + 1, after, t->wall, &confirm);
    if (confirm.kind != SCHED_PERIODIC && left > SCHED_WINDOW)
        learn_on(t->c + i + 1, left < SCHED_LEARN_MAX ? left : SCHED_LEARN_MAX, t->wall, &confirm);
    return agree(&learnt[i - from], &confirm, t->starts[i + 1]);
}

/* Judges starts[from + 1 ..) on t's clock into v[i - vfirst] (i >= vfirst) and, with env,
 * counts the missed expected starts between served ones. */
static int64_t judge_track(const struct track *t, size_t from, size_t vfirst,
                           const struct sched_env *env, struct sched_verdict *v)
{
    const int64_t *st = t->starts;
    struct sched *learnt = malloc((t->n - from) * sizeof *learnt);
    if (!learnt)
        return -1;
    for (size_t i = from; i < t->n; i++)
        learn_on(t->c, i + 1, t->wall, &learnt[i - from]);
    int64_t missed = 0, served = st[from]; /* the latest start that served its slot */
    for (size_t i = from; i < t->n; i++) {
        const struct sched *s = &learnt[i - from];
        if (s->kind != SCHED_PERIODIC) {
            served = i + 1 < t->n ? st[i + 1] : served;
            continue;
        }
        if (i + 1 == t->n) {
            if (env)
                missed += count_missed(s, slot(s, served) + 1, INT64_MAX / 4, INT64_MAX, env);
            break;
        }
        if (!confirmed(t, learnt, from, i)) {
            served = st[i + 1]; /* the schedule changed here */
            continue;
        }
        struct sched_verdict x = {0};
        verdict(s, st[i + 1], served, &x);
        if (i + 1 >= vfirst)
            v[i + 1 - vfirst] = x;
        if (x.manual)
            continue;
        if (env)
            missed += count_missed(s, slot(s, served) + 1, slot(s, st[i + 1]),
                                   lacking(s, st[i + 1] - served), env);
        served = st[i + 1];
    }
    free(learnt);
    return missed;
}

/* A change of time moves a wall-clock schedule's starts by half an hour at least (an hour
 * almost everywhere) on UTC; the same starts on two clocks that agree put their learnt
 * offsets seconds apart. Starts within this of the grid are on it, whatever the clock. */
#define CLOCK_NEAR 900

/* How well a clock explains the starts: how many it judged on time. Schedulers start late,
 * never early: a start more than CLOCK_NEAR before its expected start is explained by no
 * clock, though a daily grace would take it (a UTC schedule on the wall clock expects its
 * starts an hour late after the autumn change). */
static size_t on_time(const struct sched_verdict *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].judged && !v[i].manual && !v[i].late && v[i].delay >= -CLOCK_NEAR;
    return k;
}

/* How many of the starts lie within CLOCK_NEAR of the grid learnt from the latest of them
 * on t's clock. Over starts across a change of time, the clock the scheduler follows puts
 * them all on one grid, the other splits them in two. */
static size_t near_grid(const struct track *t)
{
    struct sched s;
    learn_on(t->c, t->n, t->wall, &s);
    if (s.kind != SCHED_PERIODIC)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        int64_t r = wrap(t->c[i] - s.offset, s.period);
        k += r >= -CLOCK_NEAR && r <= CLOCK_NEAR;
    }
    return k;
}

/* The wall clock when it explains the starts better than UTC (a tie: UTC): more starts on
 * time, or as many and more of them on one grid. A change of an hour keeps a daily start
 * on time on either clock (grace is 2.4 hours), so the grid decides; the delays would not,
 * where few starts are judged around the change they differ by the seconds between the
 * offsets learnt. A clock whose offset is the same at every start explains them exactly
 * as UTC does. */
static const struct sched_clock *pick_clock(const struct track *utc, const struct track *wall)
{
    size_t i = 1;
    while (i < utc->n && wall->c[i] - utc->starts[i] == wall->c[0] - utc->starts[0])
        i++;
    if (i == utc->n || utc->n <= SCHED_MIN_RUNS)
        return NULL;
    size_t from = SCHED_MIN_RUNS - 1, nv = utc->n - from - 1;
    struct sched_verdict *vu = calloc(2 * nv, sizeof *vu);
    if (!vu)
        return NULL;
    judge_track(utc, from, from + 1, NULL, vu);
    judge_track(wall, from, from + 1, NULL, vu + nv);
    size_t a = on_time(vu, nv), b = on_time(vu + nv, nv);
    free(vu);
    if (b != a)
        return b > a ? wall->wall : NULL;
    return near_grid(wall) > near_grid(utc) ? wall->wall : NULL;
}

/* The starts on the clock they are judged and learnt on: UTC, or wall when it explains
 * them better (pick_clock). *c is the starts on wall (freed by the caller; NULL for UTC
 * only). Returns 0, or -1 when out of memory. */
static int choose_track(const int64_t *starts, size_t n, const struct sched_clock *wall,
                        struct track *out, int64_t **c)
{
    *out = (struct track){starts, starts, n, NULL};
    *c = NULL;
    if (!wall || n == 0)
        return 0;
    if (!(*c = malloc(n * sizeof **c)))
        return -1;
    for (size_t i = 0; i < n; i++)
        (*c)[i] = starts[i] + utc_offset(wall, starts[i]);
    struct track on_wall = {starts, *c, n, wall};
    if (pick_clock(out, &on_wall))
        *out = on_wall;
    return 0;
}

int sched_learn_clock(const int64_t *starts, size_t n, const struct sched_clock *wall,
                      struct sched *out)
{
    struct track t;
    int64_t *c;
    if (choose_track(starts, n, wall, &t, &c)) {
        learn_on(starts, n, NULL, out);
        return -1;
    }
    learn_on(t.c, n, t.wall, out);
    free(c);
    return 0;
}

int64_t sched_judge(const int64_t *starts, size_t n, size_t first, const struct sched_env *env,
                    struct sched_verdict *v, struct sched *learnt)
{
    if (first < n)
        memset(v, 0, (n - first) * sizeof *v);
    if (learnt)
        learn_on(starts, n, NULL, learnt);
    if (n == 0)
        return 0;
    struct track t;
    int64_t *c;
    if (choose_track(starts, n, env->wall, &t, &c))
        return -1;
    int64_t missed = judge_track(&t, first > 0 ? first - 1 : 0, first, env, v);
    if (learnt)
        learn_on(t.c, n, t.wall, learnt);
    free(c);
    return missed;
}

int sched_unscheduled_since(int has_run, int64_t start, int has_lo, int64_t lo, int64_t skew,
                            int has_poll, int64_t poll, int64_t *since)
{
    if (!has_run && !has_poll)
        return -1;
    int64_t end = start - skew + (has_lo ? lo : 0);
    *since = !has_run ? poll : has_poll && poll > end ? poll : end;
    return 0;
}

int64_t sched_since_start(int64_t start, int64_t t, int64_t skew)
{
    int64_t d = t - (start - skew);
    return d < 0 ? 0 : d;
}

int sched_duration_limit(const int64_t *hi, size_t n, int64_t interval, int64_t *limit)
{
    if (n < SCHED_DUR_MIN)
        return -1;
    int64_t v[SCHED_DUR_WINDOW];
    if (n > SCHED_DUR_WINDOW) {
        hi += n - SCHED_DUR_WINDOW;
        n = SCHED_DUR_WINDOW;
    }
    memcpy(v, hi, n * sizeof *v);
    sort_small(v, n);
    int64_t p95 = v[(95 * n + 99) / 100 - 1]; /* nearest rank */
    int64_t a = (3 * p95 + 1) / 2, b = p95 + interval;
    *limit = a > b ? a : b;
    return 0;
}

void dur_history_add(struct dur_history *h, int64_t hi)
{
    h->hi[h->next] = hi;
    h->next = (h->next + 1) % SCHED_DUR_WINDOW;
    if (h->n < SCHED_DUR_WINDOW)
        h->n++;
}

int dur_history_limit(const struct dur_history *h, int64_t interval, int64_t *limit)
{
    return sched_duration_limit(h->hi, h->n, interval, limit); /* order does not matter */
}

void mttr_feed(struct mttr *m, int failed, int64_t start)
{
    if (failed && !m->in_streak) {
        if (m->recovered) {
            m->between_sum += start - m->recovery_start;
            m->betweens++;
            m->recovered = 0;
        }
        m->in_streak = 1;
        m->streak_start = start;
    } else if (!failed && m->in_streak) {
        m->repair_sum += start - m->streak_start;
        m->repairs++;
        m->in_streak = 0;
        m->recovered = 1;
        m->recovery_start = start;
    }
}

int mttr_repair(const struct mttr *m, int64_t *mean)
{
    if (m->repairs == 0)
        return 0;
    *mean = m->repair_sum / m->repairs;
    return 1;
}

int mttr_between(const struct mttr *m, int64_t *mean)
{
    if (m->betweens == 0)
        return 0;
    *mean = m->between_sum / m->betweens;
    return 1;
}
