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

/* The offset of period p the starts keep to, and how many starts are on time for it.
 * Schedulers start late, never early, so the offset is the lower quartile of the phases
 * (start modulo period) around their circular median, not the median itself: a start
 * with little delay then stays within grace after its expected start. On time is from
 * half a grace early to a grace late. */
static int64_t fit_offset(const int64_t *s, size_t m, int64_t p, size_t *on_time)
{
    int64_t d[SCHED_WINDOW];
    int64_t ref = mod(s[m - 1], p);
    for (size_t j = 0; j < m; j++)
        d[j] = wrap(s[j] - ref, p);
    int64_t center = mod(ref + median(d, m), p);
    for (size_t j = 0; j < m; j++)
        d[j] = wrap(s[j] - center, p);
    sort_small(d, m);
    int64_t offset = mod(center + d[(m - 1) / 4], p);
    int64_t g = sched_grace(p);
    *on_time = 0;
    for (size_t j = 0; j < m; j++) {
        int64_t r = wrap(s[j] - offset, p);
        if (r >= -g / 2 && r <= g)
            (*on_time)++;
    }
    return offset;
}

/* Period candidates: the median gap, and the span of the starts over the number of periods
 * it covers (jitter divides by that number), each rounded to whole minutes (to 10 s under
 * 10 minutes) as schedulers set them, and one step either side of both. Returns how many
 * were written to c (0: gaps under a minute). */
static size_t period_candidates(const int64_t *s, size_t m, int64_t c[6])
{
    int64_t gaps[SCHED_WINDOW];
    for (size_t j = 1; j < m; j++)
        gaps[j - 1] = s[j] - s[j - 1];
    int64_t p0 = median(gaps, m - 1);
    if (p0 < 60)
        return 0;
    int64_t span = s[m - 1] - s[0];
    int64_t k = (span + p0 / 2) / p0;
    int64_t p1 = k > 0 ? (span + k / 2) / k : p0;
    int64_t step = p0 >= 600 ? 60 : 10;
    p0 = (p0 + step / 2) / step * step;
    p1 = (p1 + step / 2) / step * step;
    size_t n = 0;
    const int64_t v[6] = {p0, p1, p0 - step, p0 + step, p1 - step, p1 + step};
    for (size_t i = 0; i < 6; i++) {
        size_t j = 0;
        while (j < n && c[j] != v[i])
            j++;
        if (j == n && v[i] >= 60)
            c[n++] = v[i];
    }
    return n;
}

void sched_learn(const int64_t *starts, size_t n, struct sched *out)
{
    memset(out, 0, sizeof *out);
    size_t m = n < SCHED_WINDOW ? n : SCHED_WINDOW;
    const int64_t *s = starts + (n - m);
    out->used = (int)m;
    if (m < SCHED_MIN_RUNS)
        return;
    out->kind = SCHED_IRREGULAR;
    int64_t candidates[6];
    size_t nc = period_candidates(s, m, candidates), best = 0;
    /* The candidate that most starts fit; the earlier one when tied. */
    for (size_t c = 0; c < nc; c++) {
        size_t on;
        int64_t offset = fit_offset(s, m, candidates[c], &on);
        if (on > best) {
            best = on;
            out->period = candidates[c];
            out->offset = offset;
        }
    }
    if (best * 4 >= m * 3) {
        out->kind = SCHED_PERIODIC;
    } else {
        out->period = out->offset = 0;
    }
}

int64_t sched_next(const struct sched *s, int64_t t)
{
    return s->offset + (floordiv(t - s->offset - 1, s->period) + 1) * s->period;
}

/* The expected start a start belongs to: a start up to grace early counts as on time. */
static int64_t slot(const struct sched *s, int64_t t)
{
    return floordiv(t - s->offset + sched_grace(s->period), s->period);
}

/* The expected start of s nearest to t. */
static int64_t nearest(const struct sched *s, int64_t t)
{
    return s->offset + floordiv(t - s->offset + s->period / 2, s->period) * s->period;
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

static void verdict(const struct sched *s, int64_t start, struct sched_verdict *v)
{
    v->judged = 1;
    v->expected = s->offset + slot(s, start) * s->period;
    v->delay = start - v->expected;
    v->late = v->delay > sched_grace(s->period);
}

/* Expected starts of slots [k_from, k_to) with no run: missed when observed, at most
 * at_most of them. */
static int64_t count_missed(const struct sched *s, int64_t k_from, int64_t k_to, int64_t at_most,
                            const struct sched_env *env)
{
    int64_t p = s->period, g = sched_grace(p), missed = 0;
    int64_t k_since = floordiv(env->since - s->offset + p - 1, p);
    for (int64_t k = k_from > k_since ? k_from : k_since; k < k_to && missed < at_most; k++) {
        int64_t e = s->offset + k * p;
        if (e >= env->until || e + p - g > env->horizon)
            break;
        if (env->observed(env->arg, e, e - g, e + p - g)) {
            missed++;
            if (env->missed && env->missed(env->arg, e, p))
                break;
        }
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

int64_t sched_judge(const int64_t *starts, size_t n, size_t first, const struct sched_env *env,
                    struct sched_verdict *v)
{
    if (first < n)
        memset(v, 0, (n - first) * sizeof *v);
    if (n == 0)
        return 0;
    size_t from = first > 0 ? first - 1 : 0;
    struct sched *learnt = malloc((n - from) * sizeof *learnt);
    if (!learnt)
        return -1;
    for (size_t i = from; i < n; i++)
        sched_learn(starts, i + 1, &learnt[i - from]);
    int64_t missed = 0;
    for (size_t i = from; i < n; i++) {
        const struct sched *s = &learnt[i - from];
        if (s->kind != SCHED_PERIODIC)
            continue;
        if (i + 1 == n) {
            missed += count_missed(s, slot(s, starts[i]) + 1, INT64_MAX / 2, INT64_MAX, env);
            break;
        }
        size_t after = n - (i + 1) < SCHED_WINDOW ? n - (i + 1) : SCHED_WINDOW;
        if (after >= SCHED_MIN_RUNS) {
            struct sched confirm;
            if (i + SCHED_WINDOW < n)
                confirm = learnt[i + SCHED_WINDOW - from];
            else
                sched_learn(starts + i + 1, after, &confirm);
            if (!agree(s, &confirm, starts[i + 1]))
                continue; /* the schedule changed here */
        }
        if (i + 1 >= first)
            verdict(s, starts[i + 1], &v[i + 1 - first]);
        missed += count_missed(s, slot(s, starts[i]) + 1, slot(s, starts[i + 1]),
                               lacking(s, starts[i + 1] - starts[i]), env);
    }
    free(learnt);
    return missed;
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
