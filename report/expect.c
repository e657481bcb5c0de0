#include "expect.h"

#include "log.h"
#include "defs.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

/* The runs the rules read: the lookback's (oldest first), then the window's. */
struct run_fact {
    int64_t start;
    enum outcome outcome;
    int has_dur, has_last_running;
    int64_t hi, lo, last_running;
};

struct expect_facts {
    struct run_fact *v;
    size_t n, cap;
    size_t first; /* the window's first run */
};

static int facts_push(struct expect_facts *f, const struct run_row *r)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        struct run_fact *v = realloc(f->v, cap * sizeof *v);
        if (!v) {
            log_err("out of memory");
            return -1;
        }
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = (struct run_fact){
        r->start,       outcome_parse(r->outcome), r->has_dur, r->has_last_running, r->hi, r->lo,
        r->last_running};
    return 0;
}

static int lookback_one(void *arg, const struct run_row *r)
{
    struct expect_facts *f = arg;
    if (facts_push(f, r))
        return -1;
    return f->n >= EXPECT_LOOKBACK ? 1 : 0;
}

static int window_one(void *arg, const struct run_row *r)
{
    return facts_push(arg, r);
}

static int read_lookback(const struct etl_info *etl, const struct window *win,
                         struct expect_facts *f)
{
    if (query_runs_before(etl, win->since, lookback_one, f))
        return -1;
    for (size_t i = 0, j = f->n; i < j / 2; i++) { /* newest first: turn it round */
        struct run_fact t = f->v[i];
        f->v[i] = f->v[j - 1 - i];
        f->v[j - 1 - i] = t;
    }
    f->first = f->n;
    return 0;
}

/* The observations judging looks at, and the clocks between them. */
struct observer {
    struct etl_expect *e;
    const struct sample_scan *scan;
    int64_t max_gap, interval;
    int failed;
};

/* The latest successful observation that began at or before t, or NULL. */
static const struct obs *obs_at(const struct sample_scan *scan, int64_t t)
{
    const struct obs *at = NULL;
    for (size_t i = 0; i < scan->n && scan->obs[i].first <= t; i++)
        if (scan->obs[i].ok)
            at = &scan->obs[i];
    return at;
}

/* Whether a successful poll happened in [from, until): one that began or ended a sample
 * there, or inside a sample spanning it (its polls are at most about an interval apart). */
static int polled_in(const struct sample_scan *scan, int64_t from, int64_t until, int64_t interval)
{
    for (size_t i = 0; i < scan->n; i++) {
        const struct obs *o = &scan->obs[i];
        if (!o->ok || o->last < from)
            continue;
        if (o->first >= until)
            break;
        if (o->first >= from || o->last < until || until - from >= interval)
            return 1;
    }
    return 0;
}

/* Observed throughout the stretch, scheduled at e, and polled between e and the stretch's
 * end: a run that began and ended between two polls while the next one also began leaves
 * no trace, so a stretch without a poll after its expected start cannot tell a missed run. */
static int observed(void *arg, int64_t e, int64_t from, int64_t until)
{
    const struct observer *o = arg;
    int64_t skew = o->e->skew;
    struct coverage cov;
    coverage_compute(o->scan->obs, o->scan->n, from - skew, until - skew, o->max_gap, &cov);
    if (cov.observed < until - from)
        return 0;
    const struct obs *at = obs_at(o->scan, e - skew);
    return at && !at->ended && polled_in(o->scan, e - skew, until - skew, o->interval);
}

static int missed(void *arg, int64_t expected, int64_t period)
{
    struct observer *o = arg;
    struct etl_expect *e = o->e;
    if (e->n_missed == e->cap_missed) {
        size_t cap = e->cap_missed ? e->cap_missed * 2 : 16;
        struct expect_missed *v = realloc(e->missed, cap * sizeof *v);
        if (!v) {
            o->failed = 1;
            return -1;
        }
        e->missed = v;
        e->cap_missed = cap;
    }
    e->missed[e->n_missed++] = (struct expect_missed){expected, period};
    return 0;
}

static int judge(struct etl_expect *e, const struct expect_facts *f, const struct window *win,
                 const struct sample_scan *scan, const struct etl_info *etl)
{
    int64_t *starts = malloc((f->n ? f->n : 1) * sizeof *starts);
    struct sched_verdict *v = malloc((f->n ? f->n : 1) * sizeof *v);
    int rc = -1;
    if (starts && v) {
        for (size_t i = 0; i < f->n; i++)
            starts[i] = f->v[i].start;
        sched_learn(starts, f->n, &e->sched);
        /* Expected starts are judged up to where both inputs are complete, on the server's
         * clock: the samples end at until on ours (until + skew), the window's runs at a start
         * before until (a run belongs to the window its start falls in, as the server reads
         * it). With the server ahead, the runs of [until, until + skew) are the next window's:
         * judged up to until + skew, their expected starts would look missed though a poll
         * saw each run. */
        int64_t end = win->until + (e->skew < 0 ? e->skew : 0);
        struct observer o = {e, scan, etl->max_gap, etl->interval, 0};
        struct sched_env env = {win->since + e->skew, end, end, observed, missed, &o};
        rc = sched_judge(starts, f->n, f->first, &env, v) < 0 || o.failed ? -1 : 0;
        for (size_t i = f->first; rc == 0 && i < f->n; i++) {
            e->runs[i - f->first].v = v[i - f->first];
            e->late += v[i - f->first].late;
        }
    }
    if (rc)
        log_err("out of memory");
    free(starts);
    free(v);
    return rc;
}

/* The lower bound of a run's running time: its duration's, or, when its end was not seen,
 * the last poll that saw it RUNNING. */
static int running_lower_bound(const struct run_fact *r, int64_t skew, int64_t *lo)
{
    if (r->has_dur) {
        *lo = r->lo;
        return 1;
    }
    if (!r->has_last_running)
        return 0;
    *lo = sched_since_start(r->start, r->last_running, skew);
    return 1;
}

static void judge_durations(struct etl_expect *e, const struct expect_facts *f, int64_t interval)
{
    struct dur_history h = {0};
    for (size_t i = 0; i < f->n; i++) {
        const struct run_fact *r = &f->v[i];
        int64_t limit, lo;
        if (i >= f->first && dur_history_limit(&h, interval, &limit) == 0 &&
            running_lower_bound(r, e->skew, &lo) && lo > limit) {
            e->runs[i - f->first].overdue = 1;
            e->overdue++;
            if (i + 1 == f->n && r->outcome == OUT_RUNNING) {
                e->overdue_now = 1;
                e->overdue_now_start = r->start;
            }
        }
        if (r->has_dur)
            dur_history_add(&h, r->hi);
        if (i >= f->first && r->outcome <= OUT_ABORTED)
            mttr_feed(&e->mttr, r->outcome == OUT_ERROR || r->outcome == OUT_ABORTED, r->start);
    }
    e->has_limit = dur_history_limit(&h, interval, &e->limit) == 0;
}

/* Kind from what the ETL says of itself, then from its rhythm. */
static void settle_kind(struct etl_expect *e, const struct sample_scan *scan, int64_t until)
{
    const struct obs *last = obs_at(scan, until - 1);
    if (scan->service) {
        e->kind = SCHED_SERVICE;
    } else if (last && last->ended) {
        e->kind = SCHED_UNSCHEDULED;
        e->has_unscheduled_since = 1;
        e->unscheduled_since = last->first;
    } else {
        e->kind = e->sched.kind;
    }
    if (e->kind == SCHED_PERIODIC) {
        e->has_next = 1;
        e->next_expected = sched_next(&e->sched, until + e->skew);
    }
}

int expect_begin(const struct etl_info *etl, const struct window *win, struct etl_expect *out)
{
    memset(out, 0, sizeof *out);
    out->facts = calloc(1, sizeof *out->facts);
    if (!out->facts) {
        log_err("out of memory");
        return -1;
    }
    return read_lookback(etl, win, out->facts);
}

int expect_add(struct etl_expect *e, const struct run_row *run)
{
    return facts_push(e->facts, run);
}

int expect_end(const struct etl_info *etl, const struct window *win, const struct sample_scan *scan,
               struct etl_expect *out)
{
    struct expect_facts *f = out->facts;
    if (query_skew(etl, win->until, &out->skew))
        return -1;
    out->n_runs = f->n - f->first;
    out->runs = calloc(out->n_runs ? out->n_runs : 1, sizeof *out->runs);
    if (!out->runs) {
        log_err("out of memory");
        return -1;
    }
    if (!scan->service && judge(out, f, win, scan, etl))
        return -1;
    judge_durations(out, f, etl->interval);
    settle_kind(out, scan, win->until);
    return 0;
}

int expect_etl(const struct etl_info *etl, const struct window *win, struct etl_expect *out)
{
    struct sample_scan scan = {0};
    int rc = -1;
    if (expect_begin(etl, win, out) == 0 &&
        query_runs(etl, win->since, win->until, window_one, out->facts) == 0 &&
        report_scan_samples(etl, win, &scan) == 0)
        rc = expect_end(etl, win, &scan, out);
    report_scan_free(&scan);
    return rc;
}

void expect_free(struct etl_expect *e)
{
    if (e->facts)
        free(e->facts->v);
    free(e->facts);
    free(e->runs);
    free(e->missed);
    memset(e, 0, sizeof *e);
}
