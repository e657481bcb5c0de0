#include "expect.h"

#include "log.h"
#include "history.h"
#include "stats.h"
#include "zone.h"

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

static int facts_push(struct expect_facts *f, const struct query_run *r)
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

static int lookback_one(void *arg, const struct query_run *r)
{
    struct expect_facts *f = arg;
    if (facts_push(f, r))
        return -1;
    return f->n >= EXPECT_LOOKBACK ? 1 : 0;
}

static int window_one(void *arg, const struct query_run *r)
{
    return facts_push(arg, r);
}

static int read_lookback(const struct query_etl *etl, const struct window *win,
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

/* How many observations began at or before t (they are in order and never overlap). */
static size_t obs_upto(const struct sample_scan *scan, int64_t t)
{
    size_t lo = 0, hi = scan->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (scan->obs[mid].first <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The latest successful observation among the first i, or NULL. */
static const struct obs *ok_before(const struct sample_scan *scan, size_t i)
{
    while (i > 0 && !scan->obs[i - 1].ok)
        i--;
    return i > 0 ? &scan->obs[i - 1] : NULL;
}

/* The latest successful observation that began at or before t, or NULL. */
static const struct obs *obs_at(const struct sample_scan *scan, int64_t t)
{
    return ok_before(scan, obs_upto(scan, t));
}

/* The first successful observation from index i on, or NULL. */
static const struct obs *ok_from(const struct sample_scan *scan, size_t i)
{
    while (i < scan->n && !scan->obs[i].ok)
        i++;
    return i < scan->n ? &scan->obs[i] : NULL;
}

int expect_polled_in(const struct sample_scan *scan, int64_t from, int64_t until, int64_t interval)
{
    size_t i = obs_upto(scan, from);
    for (i = i > 0 ? i - 1 : 0; i < scan->n; i++) {
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

/* Observed seconds of [from, until): only the observations around it are read. */
static int64_t observed_seconds(const struct sample_scan *scan, int64_t from, int64_t until,
                                int64_t max_gap)
{
    size_t i = obs_upto(scan, from), j = obs_upto(scan, until - 1);
    while (i > 0 && !scan->obs[i - 1].ok)
        i--;
    i = i > 0 ? i - 1 : 0;
    while (j < scan->n && !scan->obs[j].ok)
        j++;
    j = j < scan->n ? j + 1 : j; /* the poll that closes the last gap */
    struct coverage cov;
    coverage_compute(scan->obs + i, j - i, from, until, max_gap, &cov);
    return cov.observed;
}

/* Observed throughout the stretch, scheduled at e, and polled between e and the stretch's
 * end: a run that began and ended between two polls while the next one also began leaves
 * no trace, so a stretch without a poll after its expected start cannot tell a missed run. */
static int observed(void *arg, int64_t e, int64_t from, int64_t until)
{
    const struct observer *o = arg;
    int64_t skew = o->e->skew;
    if (observed_seconds(o->scan, from - skew, until - skew, o->max_gap) < until - from)
        return 0;
    const struct obs *at = obs_at(o->scan, e - skew);
    return at && !at->ended && expect_polled_in(o->scan, e - skew, until - skew, o->interval);
}

/* The earliest time from t on (server clock) at which the ETL was observed and scheduled:
 * covered by its observations, the latest of them not ENDED. Before it, no expected start
 * can be judged; INT64_MAX when there is none. */
static int64_t resume(void *arg, int64_t t)
{
    const struct observer *o = arg;
    int64_t skew = o->e->skew, u = t - skew;
    size_t i = obs_upto(o->scan, u);
    const struct obs *at = ok_before(o->scan, i);
    if (at && !at->ended) {
        const struct obs *next = ok_from(o->scan, i);
        int64_t gap = next && next->max_gap ? next->max_gap : o->max_gap;
        if (u <= at->last || (next && next->first - at->last <= gap))
            return t;
    }
    for (; i < o->scan->n; i++)
        if (o->scan->obs[i].ok && !o->scan->obs[i].ended)
            return o->scan->obs[i].first + skew;
    return INT64_MAX;
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
                 const struct sample_scan *scan, const struct query_etl *etl)
{
    int64_t *starts = malloc((f->n ? f->n : 1) * sizeof *starts);
    struct sched_verdict *v = malloc((f->n ? f->n : 1) * sizeof *v);
    int rc = -1;
    if (starts && v) {
        for (size_t i = 0; i < f->n; i++)
            starts[i] = f->v[i].start;
        /* Expected starts are judged up to where both inputs are complete, on the server's
         * clock: the samples end at until on ours (until + skew), the window's runs at a start
         * before until (a run belongs to the window its start falls in, as the server reads
         * it). With the server ahead, the runs of [until, until + skew) are the next window's:
         * judged up to until + skew, their expected starts would look missed though a poll
         * saw each run. */
        int64_t end = win->until + (e->skew < 0 ? e->skew : 0);
        struct observer o = {e, scan, etl->max_gap, etl->interval, 0};
        struct sched_env env = {
            win->since + e->skew,         end, end, observed, missed, &o, resume,
            e->wall.arg ? &e->wall : NULL};
        rc = sched_judge(starts, f->n, f->first, &env, v, &e->sched) < 0 || o.failed ? -1 : 0;
        for (size_t i = f->first; rc == 0 && i < f->n; i++) {
            e->runs[i - f->first].v = v[i - f->first];
            e->late += v[i - f->first].late;
            e->manual += v[i - f->first].manual;
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
        if (i >= f->first && outcome_finished(r->outcome))
            mttr_feed(&e->mttr, outcome_failed(r->outcome), r->start);
    }
    e->has_limit = dur_history_limit(&h, interval, &e->limit) == 0;
}

/* Whether o, or the last observation before it that is not its run's RUNNING, is WAITING. */
static int seen_waiting(const struct sample_scan *scan, const struct obs *o)
{
    while (o && !o->ended && !o->waiting)
        o = ok_before(scan, (size_t)(o - scan->obs));
    return o && o->waiting;
}

/* The earliest an ETL whose latest observation before until is ENDED can have been left
 * unscheduled: after its latest run, and after the last poll that saw it scheduled. */
static void unscheduled_since(struct etl_expect *e, const struct expect_facts *f,
                              const struct sample_scan *scan, int64_t until)
{
    size_t i = obs_upto(scan, until - 1);
    const struct obs *o = ok_before(scan, i), *first_ended = o;
    while (o && o->ended) {
        first_ended = o;
        i = (size_t)(o - scan->obs);
        o = ok_before(scan, i);
    }
    const struct run_fact *r = f->n ? &f->v[f->n - 1] : NULL;
    int64_t since;
    if (sched_unscheduled_since(r != NULL, r ? r->start : 0, r && r->has_dur, r ? r->lo : 0,
                                e->skew, o != NULL, o ? o->last : 0, &since))
        since = first_ended->first; /* nothing before it: its first ENDED poll */
    e->has_unscheduled_since = 1;
    e->unscheduled_since = since;
    e->was_scheduled = seen_waiting(scan, o);
    e->ended_seen = first_ended->first;
}

/* Kind from what the ETL says of itself, then from its rhythm. */
static void settle_kind(struct etl_expect *e, const struct expect_facts *f,
                        const struct sample_scan *scan, int64_t until)
{
    const struct obs *last = obs_at(scan, until - 1);
    if (scan->service) {
        e->kind = SCHED_SERVICE;
    } else if (last && last->ended) {
        e->kind = SCHED_UNSCHEDULED;
        unscheduled_since(e, f, scan, until);
    } else {
        e->kind = e->sched.kind;
    }
    if (e->kind == SCHED_PERIODIC) { /* periodic: learnt from starts, so there is a latest */
        e->has_next = 1;
        e->next_expected = sched_upcoming(&e->sched, f->v[f->n - 1].start, until + e->skew);
    }
}

int expect_begin(const struct query_etl *etl, const struct window *win, struct etl_expect *out)
{
    memset(out, 0, sizeof *out);
    out->wall = (struct sched_clock){zone_clock_offset, etl->tz};
    out->facts = calloc(1, sizeof *out->facts);
    if (!out->facts) {
        log_err("out of memory");
        return -1;
    }
    return read_lookback(etl, win, out->facts);
}

int expect_add(struct etl_expect *e, const struct query_run *run)
{
    return facts_push(e->facts, run);
}

int expect_end(const struct query_etl *etl, const struct window *win,
               const struct sample_scan *scan, struct etl_expect *out)
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
    settle_kind(out, f, scan, win->until);
    return 0;
}

int expect_etl(const struct query_etl *etl, const struct window *win, struct etl_expect *out)
{
    struct sample_scan scan = {0};
    int rc = -1;
    if (expect_begin(etl, win, out) == 0 &&
        query_runs(etl, win->since, win->until, window_one, out->facts) == 0 &&
        history_samples(etl, win, &scan) == 0)
        rc = expect_end(etl, win, &scan, out);
    history_samples_free(&scan);
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
