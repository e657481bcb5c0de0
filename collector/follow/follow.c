#include "follow.h"

#include "dbcheck.h"
#include "log.h"
#include "schedule.h"
#include "store.h"
#include "zone.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One ETL polled in a round. Targets are grouped by instance, in collector order, so that
 * each instance's observations are contiguous and stored together. */
struct target {
    size_t ci; /* index of its collector */
    size_t fi; /* index in its collector's follow list */
    int64_t etl_id;
};

struct round {
    struct collector *cs;
    struct http_opts *opts; /* per collector, with its current token */
    struct target *t;
    struct observation *obs;
    struct pass_clock clk; /* the round's reading of our clock */
    size_t n;
    const size_t *subset;      /* indexes asked again after a token renewal, or NULL */
    struct follow_pick *picks; /* scratch: what each target is worth this round */
    long budget_left;          /* requests the window may still make */
    size_t quota;              /* requests this round may make */
    int64_t end_ms; /* no round goes on past this (the window's end plus a request timeout:
                       before the next pass, since follow is capped at interval - timeout) */
};

int64_t follow_next_round(int64_t began_ms, int64_t follow_ms, int64_t last_round_ms,
                          int64_t interval_ms, int64_t now_ms)
{
    int64_t next = (last_round_ms == INT64_MIN ? began_ms : last_round_ms) + interval_ms;
    if (next < now_ms)
        next = now_ms;
    return next <= began_ms + follow_ms ? next : -1;
}

long follow_rounds_left(int64_t window_end_ms, int64_t now_ms, int64_t interval_ms)
{
    if (now_ms >= window_end_ms || interval_ms <= 0)
        return 1;
    int64_t left = (window_end_ms - now_ms) / interval_ms + 1;
    return left > LONG_MAX ? LONG_MAX : (long)left;
}

size_t follow_quota(long budget_left, long rounds_left)
{
    if (budget_left <= 0)
        return 0;
    if (rounds_left < 1)
        rounds_left = 1;
    return (size_t)((budget_left + rounds_left - 1) / rounds_left);
}

/* The share of the n runs, each spread evenly over [a[i], b[i]), that had ended by x. */
static double spread_share(const int64_t *a, const int64_t *b, size_t n, int64_t x)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x >= b[i] ? 1 : x <= a[i] ? 0 : (double)(x - a[i]) / (double)(b[i] - a[i]);
    return sum / (double)n;
}

void follow_learn_ends(struct follow_target *t, const int64_t *lo, const int64_t *hi, size_t n)
{
    int64_t a[SCHED_DUR_WINDOW], b[SCHED_DUR_WINDOW];
    t->ends_from = 0;
    if (n == 0)
        return;
    if (n > SCHED_DUR_WINDOW)
        n = SCHED_DUR_WINDOW;
    int64_t first = INT64_MAX, last = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t l = lo[i] < 0 ? 0 : lo[i] > INT32_MAX / 2 ? INT32_MAX / 2 : lo[i];
        int64_t h = hi[i] < l ? l : hi[i] > INT32_MAX / 2 ? INT32_MAX / 2 : hi[i];
        a[i] = l - l * FOLLOW_SPREAD_PCT / 100 - 1;
        b[i] = h + h * FOLLOW_SPREAD_PCT / 100 + 1;
        if (a[i] < 0)
            a[i] = 0;
        first = a[i] < first ? a[i] : first;
        last = b[i] > last ? b[i] : last;
    }
    t->ends[0] = (int32_t)first;
    t->ends[FOLLOW_KNOTS - 1] = (int32_t)last;
    for (int k = 1; k < FOLLOW_KNOTS - 1; k++) {
        /* The first second by which k/16 of the runs had ended. */
        double want = (double)k / (FOLLOW_KNOTS - 1);
        int64_t x0 = t->ends[k - 1], x1 = last;
        while (x0 < x1) {
            int64_t mid = x0 + (x1 - x0) / 2;
            if (spread_share(a, b, n, mid) >= want)
                x1 = mid;
            else
                x0 = mid + 1;
        }
        t->ends[k] = (int32_t)x0;
    }
    t->ends_from = (int)n;
}

double follow_ended_share(const struct follow_target *t, int64_t running_s)
{
    const int32_t *e = t->ends;
    if (running_s <= e[0])
        return 0;
    if (running_s >= e[FOLLOW_KNOTS - 1])
        return 1;
    int k = 0; /* the last knot at or before running_s: the next one is past it */
    while (k + 1 < FOLLOW_KNOTS - 1 && e[k + 1] <= running_s)
        k++;
    return (k + (double)(running_s - e[k]) / (double)(e[k + 1] - e[k])) / (FOLLOW_KNOTS - 1);
}

double follow_unforeseen(int runs)
{
    return runs >= SCHED_DUR_MIN ? FOLLOW_UNFORESEEN : 1.0 / (runs + 1);
}

double follow_end_chance(const struct follow_target *t, int64_t from_s, int64_t to_s,
                         long interval_s)
{
    if (from_s < 0)
        from_s = 0;
    if (to_s <= from_s)
        return 0;
    double age = (double)(from_s > interval_s ? from_s : interval_s);
    double any = -expm1(-(double)(to_s - from_s) / age);
    if (!t->ends_from)
        return any;
    double before = follow_ended_share(t, from_s);
    if (before >= 1)
        return any;
    double learnt = (follow_ended_share(t, to_s) - before) / (1 - before);
    double unforeseen = follow_unforeseen(t->ends_from);
    return (1 - unforeseen) * learnt + unforeseen * any;
}

double follow_start_chance(const struct follow_target *t, int64_t now)
{
    int64_t from = t->last_poll > t->due ? t->last_poll : t->due;
    if (now <= from)
        return 0;
    if (now >= t->give_up)
        return 1;
    return (double)(now - from) / (double)(t->give_up - from);
}

double follow_worth(const struct follow_target *t, int64_t now, long interval_s)
{
    if (t->give_up && now < t->due)
        return -1; /* an awaited start not yet due */
    if (now <= t->last_poll)
        return 0;
    if (t->give_up)
        return follow_start_chance(t, now) * (double)(now - t->last_poll);
    int64_t from = t->last_poll + t->skew_s - t->last_exec_ts,
            to = now + t->skew_s - t->last_exec_ts;
    return follow_end_chance(t, from, to, interval_s) * (double)(now - t->last_poll);
}

static int by_place(const void *a, const void *b)
{
    const struct follow_pick *x = a, *y = b;
    if (x->ci != y->ci)
        return x->ci < y->ci ? -1 : 1;
    return x->fi < y->fi ? -1 : x->fi > y->fi;
}

/* Worth the most first; of equals, the earlier. */
static int by_worth(const void *a, const void *b)
{
    const struct follow_pick *x = a, *y = b;
    if (x->worth != y->worth)
        return x->worth > y->worth ? -1 : 1;
    return by_place(a, b);
}

size_t follow_worths(const struct follow_target *t, size_t n, size_t ci, int64_t now,
                     long interval_s, struct follow_pick *out)
{
    for (size_t k = 0; k < n; k++)
        out[k] = (struct follow_pick){follow_worth(&t[k], now, interval_s), ci, k};
    return n;
}

size_t follow_choose(struct follow_pick *picks, size_t n, size_t quota)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (picks[i].worth >= 0)
            picks[k++] = picks[i];
    qsort(picks, k, sizeof *picks, by_worth);
    if (k > quota)
        k = quota;
    qsort(picks, k, sizeof *picks, by_place);
    return k;
}

size_t follow_pick_running(const struct observation *obs, size_t n, int64_t now,
                           struct follow_target *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!obs[i].error[0] && !strcmp(obs[i].status, "RUNNING"))
            out[k++] = (struct follow_target){
                .etl_id = obs[i].etl_id, .last_exec_ts = obs[i].last_exec_ts, .last_poll = now};
    return k;
}

int64_t follow_expected_start(const int64_t *starts, size_t n, int64_t server_now,
                              const struct sched_clock *wall, int64_t *grace)
{
    struct sched s;
    if (n == 0)
        return INT64_MIN;
    if (sched_learn_clock(starts, n, wall, &s)) {
        log_err("follow: out of memory");
        return INT64_MIN;
    }
    if (s.kind != SCHED_PERIODIC)
        return INT64_MIN;
    *grace = sched_grace(s.period);
    return sched_upcoming(&s, starts[n - 1], server_now);
}

int follow_keep(struct follow_target *t, const struct observation *o, int64_t now)
{
    if (o->error[0])
        return 1;
    int newer = o->last_exec_ts != 0 && o->last_exec_ts != t->last_exec_ts;
    if (o->last_exec_ts)
        t->last_exec_ts = o->last_exec_ts;
    t->last_poll = now;
    if (!strcmp(o->status, "RUNNING")) {
        t->give_up = 0; /* started: followed now until it ends */
        t->due = 0;
        return 1;
    }
    return t->give_up != 0 && !newer && now < t->give_up;
}

/* A WAITING batch ETL whose next start is expected before window_end (our clock) becomes a
 * target due at that start and given up one grace later. */
static int plan_scheduled(struct collector *c, sqlite3_stmt **st, const struct observation *o,
                          int64_t now, int64_t window_end, int64_t skew_s, struct follow_target *t)
{
    int64_t starts[SCHED_HISTORY], grace = 0;
    size_t n;
    if (store_run_starts(c->db, st, c->ic->name, o->etl_id, starts, SCHED_HISTORY, &n))
        return -1;
    /* The instance's wall clock, as the reports and the metrics file learn on it. */
    struct sched_clock wall = {zone_clock_offset, c->ic->tz};
    int64_t e = follow_expected_start(starts, n, now + skew_s, c->ic->tz ? &wall : NULL, &grace);
    if (e == INT64_MIN || e - skew_s >= window_end)
        return 0;
    *t = (struct follow_target){.etl_id = o->etl_id,
                                .last_exec_ts = o->last_exec_ts,
                                .due = e - skew_s,
                                .give_up = e - skew_s + grace,
                                .skew_s = skew_s,
                                .last_poll = now};
    return 1;
}

/* Learns when t's run may end from its ETL's latest bracketed runs. */
static int plan_ends(struct collector *c, sqlite3_stmt **st, struct follow_target *t)
{
    int64_t lo[SCHED_DUR_WINDOW], hi[SCHED_DUR_WINDOW];
    size_t n;
    if (store_run_bounds(c->db, st, c->ic->name, t->etl_id, lo, hi, SCHED_DUR_WINDOW, &n))
        return -1;
    follow_learn_ends(t, lo, hi, n);
    return 0;
}

int follow_plan(struct collector *c, const struct observation *obs, size_t n, int64_t pass_started,
                int64_t skew_s)
{
    free(c->follow);
    c->n_follow = 0;
    if (!(c->follow = calloc(n ? n : 1, sizeof *c->follow))) {
        log_err("%s: follow: out of memory", c->ic->name);
        return -1;
    }
    c->n_follow = follow_pick_running(obs, n, pass_started, c->follow);
    for (size_t k = 0; k < c->n_follow; k++)
        c->follow[k].skew_s = skew_s;
    int64_t window_end = pass_started + c->cfg->follow;
    sqlite3_stmt *st = NULL, *bounds = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        if (obs[i].error[0] || strcmp(obs[i].status, "WAITING"))
            continue;
        rc = plan_scheduled(c, &st, &obs[i], pass_started, window_end, skew_s,
                            &c->follow[c->n_follow]);
        if (rc > 0)
            c->n_follow++;
    }
    for (size_t k = 0; k < c->n_follow && rc >= 0; k++)
        rc = plan_ends(c, &bounds, &c->follow[k]);
    sqlite3_finalize(st);
    sqlite3_finalize(bounds);
    return rc < 0 ? -1 : 0; /* on error, logged: what was planned is still followed */
}

static size_t index_of(const struct round *r, size_t i)
{
    return r->subset ? r->subset[i] : i;
}

static void round_url(void *ctx, size_t i, char *buf, size_t cap)
{
    const struct round *r = ctx;
    const struct target *t = &r->t[index_of(r, i)];
    collector_status_url(&r->cs[t->ci], t->etl_id, buf, cap);
}

static const struct http_opts *round_opts(void *ctx, size_t i)
{
    const struct round *r = ctx;
    return &r->opts[r->t[index_of(r, i)].ci];
}

static void round_done(void *ctx, size_t i, const struct http_result *res)
{
    struct round *r = ctx;
    size_t idx = index_of(r, i);
    collector_classify(&r->obs[idx], r->t[idx].etl_id, res);
}

/* Makes sure every instance still followed has a usable token (a Helix JWT lives 15
 * minutes; auth_ensure renews it ahead of expiry); an instance whose token cannot be had
 * stops being followed. Then picks the round's targets: its quota of those worth the most,
 * over every instance. Returns how many. */
static size_t prepare_round(struct round *r, size_t n_cs)
{
    size_t n = 0;
    for (size_t ci = 0; ci < n_cs; ci++) {
        struct collector *c = &r->cs[ci];
        if (!c->n_follow)
            continue;
        if (auth_ensure(&c->auth, r->clk.now)) {
            log_warn("%s: follow stopped: no usable token", c->ic->name);
            c->n_follow = 0;
            continue;
        }
        r->opts[ci] = c->auth.http;
        r->opts[ci].bearer = c->auth.token;
        n += follow_worths(c->follow, c->n_follow, ci, r->clk.now, c->cfg->interval, r->picks + n);
    }
    n = follow_choose(r->picks, n, r->quota);
    for (size_t i = 0; i < n; i++) {
        const struct follow_pick *p = &r->picks[i];
        r->t[i] = (struct target){p->ci, p->fi, r->cs[p->ci].follow[p->fi].etl_id};
    }
    return n;
}

/* A token that expired mid-round: renew once per instance and ask those ETLs again. */
static int retry_unauthorized(struct round *r, size_t n_cs, int64_t deadline_ms)
{
    size_t *again = calloc(r->n, sizeof *again), k = 0;
    if (!again)
        return -1;
    for (size_t ci = 0; ci < n_cs; ci++) {
        struct collector *c = &r->cs[ci];
        size_t first = k;
        for (size_t i = 0; i < r->n; i++)
            if (r->t[i].ci == ci && r->obs[i].http_code == 401)
                again[k++] = i;
        if (k == first)
            continue;
        if (auth_renew(&c->auth, r->clk.now) != 0) {
            k = first; /* the 401s stand */
            continue;
        }
        r->opts[ci].bearer = c->auth.token;
    }
    int rc = 0;
    if (k) {
        r->subset = again;
        rc = poll_many_each(&r->cs[0].auth.http, round_opts, r->cs[0].cfg->concurrency, deadline_ms,
                            k, round_url, round_done, r);
        r->subset = NULL;
    }
    free(again);
    return rc;
}

/* After a round: the polled targets that are still followed, and those not yet due. */
static void update_follow(struct collector *c, const struct target *t,
                          const struct observation *obs, size_t n, int64_t now)
{
    char *drop = calloc(c->n_follow ? c->n_follow : 1, 1);
    if (!drop) {
        c->n_follow = 0;
        return;
    }
    for (size_t i = 0; i < n; i++)
        drop[t[i].fi] = !follow_keep(&c->follow[t[i].fi], &obs[i], now);
    size_t k = 0;
    for (size_t i = 0; i < c->n_follow; i++)
        if (!drop[i])
            c->follow[k++] = c->follow[i];
    c->n_follow = k;
    free(drop);
}

/* One instance's share of a round → its samples, counted on its pass, one transaction. The
 * samples take the pass's skew: --rebuild-runs finds no other. Returns 0, or -1 when a poll
 * failed or the share could not be stored (both logged). */
static int store_share(struct round *r, size_t from, size_t to, int64_t finished)
{
    struct collector *c = &r->cs[r->t[from].ci];
    struct pass_record rec = {
        .instance = c->ic->name,
        .url = c->ic->url,
        .interval_s = c->cfg->interval,
        .started = r->clk.now,
        .finished = finished,
        .polled = (long)(to - from),
        .follow = 1,
        .tz = c->ic->tz,
    };
    for (size_t i = from; i < to; i++)
        r->obs[i].error[0] ? rec.errors++ : rec.ok++;
    if (store_pass(c->db, &rec, r->obs + from, to - from, NULL, 0)) {
        if (!dbcheck_damaged(c->db))
            log_err("%s: follow round not stored (database error above); following stops",
                    c->ic->name);
        c->n_follow = 0;
        return -1;
    }
    update_follow(c, r->t + from, r->obs + from, to - from, rec.started);
    log_info("%s: follow round polled %ld %s, %ld ok, %zu still followed", c->ic->name, rec.polled,
             log_plural(rec.polled, "ETL", "ETLs"), rec.ok, c->n_follow);
    /* Said as a pass's failures are, and counted as they are: the run exits 1 (partial). */
    collector_report_errors(c, r->obs + from, to - from, " (follow round)");
    return rec.errors ? -1 : 0;
}

/* Polls every followed ETL of every instance once, concurrently, then stores each
 * instance's share. A round cut short by a signal is not stored at all. */
static int follow_round(struct round *r, size_t n_cs)
{
    const struct config *cfg = r->cs[0].cfg;
    r->clk = pass_clock_read();
    if ((r->n = prepare_round(r, n_cs)) == 0)
        return 0;
    memset(r->obs, 0, r->n * sizeof *r->obs);
    int64_t deadline_ms = poll_now_ms() + cfg->timeout * 1000 + 1000;
    if (deadline_ms > r->end_ms)
        deadline_ms = r->end_ms;
    const struct http_opts *base = &r->cs[0].auth.http;
    int rc = poll_many_each(base, round_opts, cfg->concurrency, deadline_ms, r->n, round_url,
                            round_done, r);
    if (rc == 0 && !collector_interrupted(&r->cs[0]))
        rc = retry_unauthorized(r, n_cs, deadline_ms);
    if (collector_interrupted(&r->cs[0])) {
        log_err("follow: interrupted by a signal; this round is not stored");
        return 0;
    }
    if (rc) {
        log_err("follow: HTTP client failure; following stops");
        for (size_t ci = 0; ci < n_cs; ci++)
            r->cs[ci].n_follow = 0;
        return -1;
    }
    int64_t finished = pass_clock_at(&r->clk, poll_now_ms());
    for (size_t from = 0, to; from < r->n; from = to) {
        for (to = from + 1; to < r->n && r->t[to].ci == r->t[from].ci; to++)
            ;
        if (store_share(r, from, to, finished))
            rc = -1;
    }
    /* A damaged file takes nothing more, from any instance. */
    if (rc && dbcheck_damaged(r->cs[0].db))
        for (size_t ci = 0; ci < n_cs; ci++)
            r->cs[ci].n_follow = 0;
    return rc;
}

/* When the first target falls due, on the monotonic clock (now when one is due). Due times
 * are on our clock: clk, the passes' reading of it, maps them without another reading. */
static int64_t earliest_due_ms(const struct collector *cs, size_t n, const struct pass_clock *clk)
{
    int64_t now_ms = poll_now_ms(), first = INT64_MAX;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < cs[i].n_follow; k++)
            if (cs[i].follow[k].due < first)
                first = cs[i].follow[k].due;
    if (first == INT64_MAX)
        return now_ms;
    int64_t due_ms = pass_clock_mono(clk, first);
    return due_ms > now_ms ? due_ms : now_ms;
}

static size_t followed(const struct collector *cs, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += cs[i].n_follow;
    return total;
}

int follow_run(struct collector *cs, size_t n, const struct pass_clock *began)
{
    if (n == 0 || cs[0].cfg->follow <= 0)
        return 0;
    const struct config *cfg = cs[0].cfg;
    size_t most = followed(cs, n);
    struct round r = {.cs = cs};
    r.opts = calloc(n, sizeof *r.opts);
    r.t = calloc(most ? most : 1, sizeof *r.t);
    r.obs = calloc(most ? most : 1, sizeof *r.obs);
    r.picks = calloc(most ? most : 1, sizeof *r.picks);
    int rc = 0;
    if (!r.opts || !r.t || !r.obs || !r.picks) {
        log_err("follow: out of memory");
        for (size_t i = 0; i < n; i++)
            cs[i].n_follow = 0;
        rc = -1;
    }
    long polled = 0;
    for (size_t i = 0; i < n; i++)
        polled += cs[i].polled;
    long budget = polled > FOLLOW_BUDGET_MIN ? polled : FOLLOW_BUDGET_MIN;
    r.budget_left = budget;
    int64_t every_ms = (int64_t)cfg->follow_interval * 1000;
    int64_t window_ms = began->mono_ms + cfg->follow * 1000, last = INT64_MIN, next;
    r.end_ms = window_ms + cfg->timeout * 1000;
    long rounds = 0;
    while (followed(cs, n) && r.budget_left > 0 && !collector_interrupted(&cs[0])) {
        next = follow_next_round(began->mono_ms, cfg->follow * 1000, last, every_ms,
                                 earliest_due_ms(cs, n, began));
        if (next < 0)
            break;
        poll_sleep_until_ms(next, cs[0].auth.http.cancel);
        if (collector_interrupted(&cs[0]))
            break;
        /* The round's planned time, not the moment the sleep ended: a few milliseconds late
         * each round would otherwise add up and push the last round past the window's end. */
        last = next;
        r.quota = follow_quota(r.budget_left, follow_rounds_left(window_ms, next, every_ms));
        if (follow_round(&r, n))
            rc = -1;
        r.budget_left -= (long)r.n;
        rounds += r.n > 0;
    }
    if (budget - r.budget_left > 0)
        log_info("follow: %ld status %s in %ld %s, of a budget of %ld", budget - r.budget_left,
                 log_plural(budget - r.budget_left, "request", "requests"), rounds,
                 log_plural(rounds, "round", "rounds"), budget);
    free(r.opts);
    free(r.t);
    free(r.obs);
    free(r.picks);
    return rc;
}
