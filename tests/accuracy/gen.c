/*
 * gen.c - seeded scenario generator for the accuracy check.
 *
 * Writes, into one folder: a fake CO scenario (scenario.scn), the collector pass instants
 * that run (passes), the truth (truth) and shell variables for the driver (env). The truth
 * is computed from the scenario as fakeco parsed it, with fakeco's own state function
 * (tests/fakeco/scenario.c), and every successful poll is checked against it. The polls are
 * the pass instants, or, with --polls LOG after a simulation, the requests fakeco logged
 * (follow rounds poll between passes, and a moving clock moves during a pass).
 * Formats: tests/accuracy/README.md.
 */
#include "acc.h"
#include "scenario.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "accuracy-token"
#define PASS_PHASE_S 30 /* passes run 30 s after each interval boundary, as cron would */

/* ---- parameters (printed into the truth and the docs) ---- */

struct weighted_period {
    int64_t period;
    double weight;
};
static const struct weighted_period periods[] = {
    {600, 5}, {900, 5}, {1800, 15}, {3600, 35}, {7200, 10}, {14400, 10}, {86400, 20},
};

enum outcome { O_OK, O_WARNING, O_ERROR, O_ABORTED, O_COUNT };
static const char *const outcome_names[O_COUNT] = {"OK", "WARNING", "ERROR", "ABORTED"};
/* Failing runs end early: the factor range applied to the ETL's typical duration. */
static const double dur_factor[O_COUNT][2] = {{0.5, 1.5}, {0.5, 1.5}, {0.2, 1.0}, {0.05, 0.6}};

struct profile {
    const char *name;
    double weight;
    double p[O_COUNT];
};
static const struct profile profiles[] = {
    {"reliable", 60, {0.90, 0.05, 0.03, 0.02}},
    {"average", 30, {0.75, 0.10, 0.10, 0.05}},
    {"flaky", 10, {0.45, 0.05, 0.35, 0.15}},
};

struct dclass {
    const char *name;
    double weight;
    int64_t lo, hi; /* typical duration, seconds */
};
static const struct dclass dclasses[] = {
    {"short", 40, 5, 150},
    {"medium", 40, 300, 2400},
    {"long", 20, 3600, 21600},
};

enum role { ROLE_SCHED, ROLE_SERVICE, ROLE_NEVER, ROLE_LATE, ROLE_DELETED, ROLE_COUNT };
static const char *const role_names[ROLE_COUNT] = {"scheduled", "service", "never", "late",
                                                   "deleted"};
/* Share of ETLs per role (at least one each); the rest are plain scheduled ETLs. */
static const double role_share[ROLE_COUNT] = {0, 0.08, 0.04, 0.04, 0.04};
static const double own_fault_share = 0.05; /* ETLs with their own 5xx window */
static const double ended_share = 0.20;     /* scheduled ETLs that report ENDED, not WAITING */
static const double jitter_share = 0.50;    /* scheduled ETLs with a start jitter */
static const int64_t max_jitter_s = 1800;
static const double pass_skip_p = 0.03;   /* a single pass skipped */
static const int64_t days_per_outage = 5; /* collector outages: one per 5 days, >= 1 */
static const int64_t outage_s[2] = {1200, 21600};
static const int64_t server_outage_s[2] = {1800, 10800};
static const int64_t own_fault_s[2] = {600, 43200};
static const int own_fault_codes[] = {500, 502, 503, 504};
static const int64_t svc_periods[] = {0, 43200, 86400, 172800, 604800}; /* 0: always on */
static const int64_t skew_s[2] = {60, 900};                             /* |skew| range */
/* gen --fast N: N more scheduled ETLs after the others, each periodic with a period shorter
 * than the pass interval, no jitter, short runs, reliable, WAITING between runs, no shape:
 * polls see only some of their starts, and runs that begin and end between two polls while
 * a later one also begins are common (the batch ETLs follow polls at their learnt start). */
static const int64_t fast_periods[] = {120, 180, 240};
static const int64_t fast_dur_s[2] = {5, 60}; /* typical duration */

/* What did not happen (docs/design.md §3.4): shapes of scheduled ETLs whose starts are listed
 * (`starts=`), so the truth and the server agree on every deviation. */
enum shape {
    SH_PLAIN,   /* period, offset and jitter, as fakeco computes them */
    SH_PAUSED,  /* the scheduler stops for 2-8 periods, the ETL stays WAITING */
    SH_STUCK,   /* one run 5-20 x the typical duration, later starts skipped meanwhile */
    SH_SLOW,    /* runs 3-5 x the typical duration that finish before the next start */
    SH_LATE,    /* a few starts late by 2 x grace to half a period */
    SH_MANUAL,  /* started by hand: random gaps, no schedule */
    SH_CHANGE,  /* the period changes mid-window (3600 <-> 1800), same grid anchor */
    SH_DST,     /* daily at 02:15 Europe/Berlin: 00:15 UTC in summer, 01:15 UTC in winter */
    SH_UNSCHED, /* periodic, then left ENDED for good (ended_from, no more starts) */
    SH_COUNT
};
static const char *const shape_names[SH_COUNT] = {"plain",  "paused", "stuck", "slow",       "late",
                                                  "manual", "change", "dst",   "unscheduled"};
static const double shape_share = 0.02;          /* of the scheduled ETLs, per shape */
static const int64_t dst_end_utc = 1792890000;   /* 2026-10-25 01:00 UTC: CEST -> CET */
static const int64_t stuck_factor[2] = {5, 20};  /* x typical duration; 12-20 when still running */
static const double slow_factor[2] = {3.0, 5.0}; /* x typical duration */
static const int64_t pause_periods[2] = {2, 8};
#define MAX_REGIMES 3

/* gen --realistic: the ETLs of a site as CO runs them, instead of the mix above. Every
 * scheduled ETL is written with starts= on a grid of expected starts (UTC, or the wall clock
 * of Europe/Berlin across a change of summer time), each start a few seconds after its grid
 * point (scheduler latency); some ETLs also get "Run now" runs between two scheduled ones,
 * late starts, overruns, a scheduler paused for a day. The collector stops once for hours. */
enum rkind {
    RK_UTC,       /* UTC grid: period and offset as in real_periods */
    RK_DAILY_LOC, /* daily at a local time (the first at 02:00, which happens twice in autumn) */
    RK_4H_LOC,    /* every 4 hours at 00, 04, .. 20 local time */
    RK_COUNT
};
static const int64_t real_periods[] = {900, 1800, 3600, 3600, 3600, 14400, 86400, 86400};
static const double real_local_share = 0.20;      /* scheduled ETLs on Europe/Berlin time */
static const double real_manual_share = 0.35;     /* hourly and daily ETLs with "Run now" runs */
static const double real_manual_week[2] = {2, 5}; /* "Run now" runs per week */
static const double real_late_share = 0.25;       /* ETLs with a few late starts */
static const double real_late_p = 0.03;           /* per start */
static const double real_overrun_share = 0.25;    /* ETLs (period >= 3600) with overruns */
static const double real_overrun_week = 1.5;      /* overruns per week */
static const int64_t real_latency_s = 20;         /* a start 0-20 s after its grid point */
static const int64_t real_outage_s[2] = {10800, 18000}; /* the one collector outage */
static const double real_skip_p = 0.01;                 /* a single pass skipped */

/* ---- seeded random numbers: splitmix64, the same on every platform ---- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double rng_between(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

static size_t rng_weighted(struct rng *r, const double *w, size_t n, size_t stride)
{
    double total = 0, x;
    size_t i;
    for (i = 0; i < n; i++)
        total += *(const double *)((const char *)w + i * stride);
    x = rng_unit(r) * total;
    for (i = 0; i + 1 < n; i++) {
        x -= *(const double *)((const char *)w + i * stride);
        if (x < 0)
            return i;
    }
    return n - 1;
}

#define PICK(r, arr, field)                                                                        \
    rng_weighted((r), &(arr)[0].field, sizeof(arr) / sizeof((arr)[0]), sizeof((arr)[0]))

/* ---- the scenario being built ---- */

struct opts {
    uint64_t seed;
    int n_etls;
    int n_fast; /* gen --fast N: ETLs n_etls + 1 .. n_etls + N */
    int days;
    int64_t since; /* collector clock: window start */
    int64_t interval;
    int64_t follow_window; /* 0, or the follow window the checker measures runs in */
    bool realistic;        /* gen --realistic */
    const char *out;
    const char *polls_log; /* fakeco --request-log of the simulation, or NULL */
};

/* One status request fakeco answered: the ETL and the collector-clock second. */
struct logged {
    int64_t id, t;
};

struct world {
    int64_t since, until, interval, max_gap, skew; /* since/until on the collector clock */
    int64_t outage_from, outage_until;             /* server-wide 503, server clock */
    int64_t *passes;                               /* collector clock, passes that run */
    size_t n_passes, planned, n_outages;
    int64_t *out_from, *out_len; /* collector outages, collector clock */
    int64_t outage_total_s;
    struct logged *log; /* with --polls: every poll, by ETL then time; NULL otherwise */
    size_t n_log;
};

/* A true schedule in force from `from` (server clock): expected starts anchor + k x period. */
struct regime {
    int64_t from, period, anchor;
};

struct getl {
    int64_t id;
    enum role role;
    enum shape shape;
    int64_t *starts; /* shaped ETLs: every run start, written as starts= */
    size_t n_starts, cap_starts;
    struct regime reg[MAX_REGIMES];
    int n_reg;
    int64_t ended_from;    /* 0: none */
    int64_t special_k[64]; /* the stuck or slow runs */
    int64_t special_dur[64];
    int n_special;
    int64_t period, offset, jitter, dur0, deleted;
    size_t profile, dclass;
    bool ended, fast;
    int64_t n_runs;
    int64_t *dur;
    enum outcome *outcome;
    int64_t svc_period, svc_on; /* service; svc_period 0: always on */
    const char *never;
    int fault_code; /* 0: shares the server-wide outage */
    int64_t fault_from, fault_until;
    /* gen --realistic only */
    bool realistic, local; /* local: the grid follows Europe/Berlin's wall clock */
    enum rkind rkind;
    unsigned char *manual; /* per start: a "Run now" run, off the grid */
    int64_t *exp;          /* the true expected starts (grid points), ascending */
    size_t n_exp, cap_exp;
    const char *what; /* for the name: e.g. "paused (ENDED) for a day" */
};

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "gen: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        die("%s", "out of memory");
    return p;
}

/* ---- passes and outages ---- */

static void plan_passes(struct world *w, struct rng *r, int days, bool realistic)
{
    size_t planned = (size_t)((w->until - w->since - PASS_PHASE_S + w->interval - 1) / w->interval);
    int64_t n_out = days / days_per_outage > 0 && !realistic ? days / days_per_outage : 1;
    const int64_t *olen = realistic ? real_outage_s : outage_s;
    double skip_p = realistic ? real_skip_p : pass_skip_p;
    int64_t *from = xcalloc((size_t)n_out, sizeof *from),
            *len = xcalloc((size_t)n_out, sizeof *len);
    w->out_from = from;
    w->out_len = len;
    w->passes = xcalloc(planned, sizeof *w->passes);
    w->planned = planned;
    w->n_outages = (size_t)n_out;
    for (int64_t i = 0; i < n_out; i++) {
        len[i] = rng_range(r, olen[0], olen[1]);
        from[i] = rng_range(r, w->since + 6 * w->interval, w->until - len[i] - w->interval);
        if (realistic) /* after the schedules are learnt, before the window ends */
            from[i] = rng_range(r, w->since + (w->until - w->since) / 3,
                                w->until - len[i] - (w->until - w->since) / 6);
        w->outage_total_s += len[i];
    }
    for (size_t i = 0; i < planned; i++) {
        int64_t t = w->since + PASS_PHASE_S + (int64_t)i * w->interval;
        bool skip = i > 0 && rng_unit(r) < skip_p;
        for (int64_t j = 0; j < n_out; j++)
            skip |= t >= from[j] && t < from[j] + len[j];
        if (!skip)
            w->passes[w->n_passes++] = t;
    }
}

/* The server-wide outage lands where the collector runs, or it would measure nothing. */
static void plan_server_outage(struct world *w, struct rng *r)
{
    for (int tries = 0; tries < 1000; tries++) {
        int64_t from = w->since + rng_range(r, 3600, w->until - w->since - 4 * 3600);
        int64_t until = from + rng_range(r, server_outage_s[0], server_outage_s[1]);
        bool clear = true;
        for (size_t i = 0; i < w->n_outages; i++)
            clear &= until + w->interval < w->out_from[i] ||
                     from > w->out_from[i] + w->out_len[i] + w->interval;
        w->outage_from = from + w->skew;
        w->outage_until = until + w->skew;
        if (clear)
            return;
    }
}

/* ---- ETLs ---- */

static void assign_roles(struct getl *g, int n, const double *share, struct rng *r)
{
    int at = 0;
    for (int role = 1; role < ROLE_COUNT; role++) {
        int count = (int)lround(share[role] * n);
        for (int i = 0; i < (count > 0 ? count : 1) && at < n; i++)
            g[at++].role = (enum role)role;
    }
    for (int i = n - 1; i > 0; i--) { /* Fisher-Yates: roles land on random ids */
        int j = (int)rng_range(r, 0, i);
        enum role t = g[i].role;
        g[i].role = g[j].role;
        g[j].role = t;
    }
}

static void assign_faults(struct getl *g, int n, const struct world *w, struct rng *r)
{
    int count = (int)lround(own_fault_share * n);
    int64_t span = w->until - w->since;
    for (int i = 0; i < (count > 0 ? count : 1); i++) {
        struct getl *e = &g[rng_range(r, 0, n - 1)];
        for (int tries = 0; e->role == ROLE_DELETED && tries < 100; tries++)
            e = &g[rng_range(r, 0, n - 1)]; /* a deleted ETL would hide its window */
        size_t c = (size_t)rng_range(r, 0, sizeof own_fault_codes / sizeof *own_fault_codes - 1);
        e->fault_code = own_fault_codes[c];
        e->fault_from = w->since + w->skew + (int64_t)(span * rng_between(r, 0.05, 0.9));
        e->fault_until = e->fault_from + rng_range(r, own_fault_s[0], own_fault_s[1]);
    }
}

/* Run starts exactly as fakeco computes them. */
static struct fake_etl as_fake(const struct getl *g)
{
    struct fake_etl f;
    memset(&f, 0, sizeof f);
    f.id = g->id;
    f.period = g->period;
    f.offset = g->offset;
    f.jitter = g->jitter;
    f.starts = g->starts;
    f.n_starts = g->n_starts;
    return f;
}

static enum outcome draw_outcome(const struct profile *p, struct rng *r)
{
    return (enum outcome)rng_weighted(r, p->p, O_COUNT, sizeof p->p[0]);
}

static void plan_runs(struct getl *g, const struct world *w, struct rng *r)
{
    struct fake_etl f = as_fake(g);
    int64_t horizon = w->until + w->skew + g->period, n = 0;
    while (g->n_starts == 0 && scenario_run_start(&f, n) < horizon)
        n++;
    /* one more, so that every run up to the horizon has a successor */
    g->n_runs = g->n_starts ? (int64_t)g->n_starts : n + 1;
    g->dur = xcalloc((size_t)g->n_runs, sizeof *g->dur);
    g->outcome = xcalloc((size_t)g->n_runs, sizeof *g->outcome);
    for (int64_t k = 0; k < g->n_runs; k++) {
        enum outcome o = draw_outcome(&profiles[g->profile], r);
        int64_t next = scenario_run_start(&f, k + 1);
        int64_t gap = next == SCENARIO_NEVER ? INT64_MAX / 4 : next - scenario_run_start(&f, k);
        double d = (double)g->dur0 * rng_between(r, dur_factor[o][0], dur_factor[o][1]);
        g->outcome[k] = o;
        /* a run ends before the next one starts, as a CO scheduler does */
        g->dur[k] = d < 1 ? 1 : (int64_t)d >= gap ? gap - 1 : (int64_t)d;
    }
}

/* The first scheduled ETLs cover the cases a small scenario must not miss by chance. */
static void shape_schedule(struct getl *g, int nth, struct rng *r)
{
    size_t p = PICK(r, periods, weight);
    g->period = periods[p].period;
    g->dclass = PICK(r, dclasses, weight);
    int64_t jmax = g->period * 2 / 3 < max_jitter_s ? g->period * 2 / 3 : max_jitter_s;
    g->jitter = rng_unit(r) < jitter_share ? rng_range(r, 1, jmax) : 0;
    if (nth == 0) { /* fast and jittery: two runs between two polls happen */
        g->period = 600;
        g->jitter = rng_range(r, 250, 400);
        g->dclass = 0;
    } else if (nth == 1) { /* daily and long: hours */
        g->period = 86400;
        g->dclass = 2;
    } else if (nth == 2) { /* runs longer than a poll interval, ending between polls */
        g->period = 1800;
        g->dclass = 1;
    }
    g->dur0 = rng_range(r, dclasses[g->dclass].lo, dclasses[g->dclass].hi);
    /* keep the longest run (x1.5) within 60 % of the shortest gap between starts */
    double cap = (double)(g->period - g->jitter) * 0.6 / 1.5;
    if ((double)g->dur0 > cap)
        g->dur0 = cap < 1 ? 1 : (int64_t)cap;
    while (g->dclass > 0 && g->dur0 < dclasses[g->dclass].lo)
        g->dclass--; /* the name tells the class the capped duration is in */
}

/* ---- shaped ETLs: explicit starts ---- */

static int64_t grace_of(int64_t period)
{
    return period / 10 > 60 ? period / 10 : 60; /* docs/design.md §3.4 */
}

static void push_start(struct getl *g, int64_t t)
{
    if (g->n_starts == g->cap_starts) {
        g->cap_starts = g->cap_starts ? 2 * g->cap_starts : 256;
        g->starts = realloc(g->starts, g->cap_starts * sizeof *g->starts);
        if (!g->starts)
            die("%s", "out of memory");
    }
    g->starts[g->n_starts++] = t;
}

static void add_regime(struct getl *g, int64_t from, int64_t period, int64_t anchor)
{
    g->reg[g->n_reg++] = (struct regime){from, period, anchor};
}

/* Period, duration and jitter of a shaped ETL: each shape needs room for its deviation. */
static void shape_params(struct getl *g, struct rng *r)
{
    static const int64_t p_paused[] = {900, 1800, 3600}, p_two[] = {1800, 3600};
    g->jitter = 0;
    g->ended = false;
    switch (g->shape) {
    case SH_PAUSED:
        g->period = p_paused[rng_range(r, 0, 2)];
        break;
    case SH_STUCK:
        g->period = 3600;
        g->dclass = 1;
        g->dur0 = rng_range(r, 600, 900);
        return;
    case SH_SLOW:
        g->period = 7200;
        g->dclass = 1;
        g->dur0 = rng_range(r, 900, 1200);
        return;
    case SH_LATE:
    case SH_CHANGE:
    case SH_UNSCHED:
        g->period = p_two[rng_range(r, 0, 1)];
        break;
    case SH_MANUAL:
        g->period = 3600; /* only for the offset of run 0 */
        g->dclass = 0;
        break;
    case SH_DST:
        g->period = 86400;
        break;
    default:
        break;
    }
    double cap = (double)g->period * (g->shape == SH_UNSCHED ? 0.15 : 0.25) / 1.5;
    g->dur0 = rng_range(r, dclasses[g->dclass].lo, dclasses[g->dclass].hi);
    if ((double)g->dur0 > cap)
        g->dur0 = (int64_t)cap;
    while (g->dclass > 0 && g->dur0 < dclasses[g->dclass].lo)
        g->dclass--;
}

/* Grid points k = 0.. of the ETL's period up to the horizon. */
static int64_t grid_count(const struct getl *g, int64_t horizon)
{
    return (horizon - g->offset) / g->period + 2;
}

/* Paused: one pause of 2-8 periods per stretch of 150 periods, at least 14 runs around it. */
static void starts_paused(struct getl *g, int64_t horizon, struct rng *r)
{
    int64_t total = grid_count(g, horizon), m = total / 150 > 1 ? total / 150 : 1;
    int64_t seg = total / m, at[64], len[64];
    for (int64_t i = 0; i < m && i < 64; i++) {
        len[i] = rng_range(r, pause_periods[0], pause_periods[1]);
        at[i] = i * seg + rng_range(r, 14, seg - 14 - len[i] > 14 ? seg - 14 - len[i] : 14);
    }
    for (int64_t k = 0, i = 0; k < total; k++) {
        while (i < m - 1 && k >= at[i] + len[i])
            i++;
        if (!(k >= at[i] && k < at[i] + len[i]))
            push_start(g, g->offset + k * g->period);
    }
}

/* Stuck: one run 5-20 x the typical duration; the scheduler skips the starts it overlaps.
 * Half of the time it is still running when the window ends. */
static void starts_stuck(struct getl *g, const struct world *w, int64_t horizon, struct rng *r)
{
    int64_t total = grid_count(g, horizon), k0, d;
    if (rng_unit(r) < 0.5) { /* still running at the window's end, a few starts skipped */
        d = g->dur0 * rng_range(r, 12, stuck_factor[1]);
        k0 = (w->until + w->skew + 600 - d - g->offset) / g->period + 1;
    } else {
        d = g->dur0 * rng_range(r, stuck_factor[0], stuck_factor[1]);
        k0 = rng_range(r, 12, total - 3 > 12 ? total - 3 : 12);
    }
    k0 = k0 < 12 ? 12 : k0;
    int64_t end = g->offset + k0 * g->period + d;
    for (int64_t k = 0; k < total || (size_t)k <= (size_t)k0; k++) {
        int64_t t = g->offset + k * g->period;
        if (k <= k0 || t > end)
            push_start(g, t);
        if (k == k0) {
            g->special_k[0] = (int64_t)g->n_starts - 1;
            g->special_dur[0] = d;
            g->n_special = 1;
        }
    }
}

/* Slow: one run 3-5 x the typical duration per 60 runs, at least 8 runs apart. */
static void starts_slow(struct getl *g, int64_t horizon, struct rng *r)
{
    int64_t total = grid_count(g, horizon), m = total / 60 > 1 ? total / 60 : 1, seg = total / m;
    for (int64_t k = 0; k < total; k++)
        push_start(g, g->offset + k * g->period);
    for (int64_t i = 0; i < m && i < 64; i++) {
        g->special_k[i] = i * seg + rng_range(r, 8, seg - 2 > 8 ? seg - 2 : 8);
        g->special_dur[i] =
            (int64_t)((double)g->dur0 * rng_between(r, slow_factor[0], slow_factor[1]));
        g->n_special = (int)i + 1;
    }
}

/* Late: one start in the second half of every stretch of 12-40 runs is late by 2 x grace to
 * half a period, so that at least 3 of any 12 starts are on time. */
static void starts_late(struct getl *g, int64_t horizon, struct rng *r)
{
    int64_t total = grid_count(g, horizon), m = 3 + total / 40, seg = total / m;
    int64_t grace = grace_of(g->period), next = seg / 2 + rng_range(r, 0, seg - 1 - seg / 2);
    for (int64_t k = 0; k < total; k++) {
        int64_t t = g->offset + k * g->period;
        if (k == next) {
            t += rng_range(r, 2 * grace, g->period / 2);
            next = (k / seg + 1) * seg + seg / 2 + rng_range(r, 0, seg - 1 - seg / 2);
        }
        push_start(g, t);
    }
}

static void starts_manual(struct getl *g, int64_t horizon, struct rng *r)
{
    for (int64_t t = g->offset; t < horizon + 4 * 3600; t += rng_range(r, 900, 4 * 3600))
        push_start(g, t);
}

/* Change: 3600 -> 1800 or 1800 -> 3600 at 40-60 % of the window, on the same grid anchor. */
static void starts_change(struct getl *g, const struct world *w, int64_t horizon, struct rng *r)
{
    int64_t p2 = g->period == 3600 ? 1800 : 3600;
    double at = (double)w->since + (double)(w->until - w->since) * rng_between(r, 0.4, 0.6);
    int64_t c = g->offset + ((int64_t)at + w->skew - g->offset) / 3600 * 3600, t;
    for (t = g->offset; t < c; t += g->period)
        push_start(g, t);
    for (t = c; t < horizon + p2; t += p2)
        push_start(g, t);
    add_regime(g, g->offset, g->period, g->offset);
    add_regime(g, c, p2, g->offset);
    g->period = p2; /* the name tells the period in force at the end */
}

/* DST: 02:15 Europe/Berlin every day, in UTC on the server's clock. On the day the clocks go
 * back 02:15 happens twice; the scheduler runs at the first. */
static void starts_dst(struct getl *g, const struct world *w, int64_t horizon)
{
    int64_t day = (w->since + w->skew - 2 * 86400) / 86400 * 86400;
    for (; day < horizon + 86400; day += 86400)
        push_start(g, day + (day + 900 < dst_end_utc ? 900 : 4500));
    g->offset = g->starts[0];
    add_regime(g, g->starts[0], 86400, 900);
    add_regime(g, dst_end_utc + 43200, 86400, 4500);
}

/* Unscheduled: periodic until 40-70 % of the window, then ENDED for good. */
static void starts_unsched(struct getl *g, const struct world *w, struct rng *r)
{
    double until = (double)w->since + (double)(w->until - w->since) * rng_between(r, 0.4, 0.7);
    for (int64_t t = g->offset; t <= (int64_t)until + w->skew; t += g->period)
        push_start(g, t);
    g->ended_from = g->starts[g->n_starts - 1] + 1;
}

static void plan_starts(struct getl *g, const struct world *w, struct rng *r)
{
    int64_t horizon = w->until + w->skew + g->period;
    switch (g->shape) {
    case SH_PAUSED:
        starts_paused(g, horizon, r);
        break;
    case SH_STUCK:
        starts_stuck(g, w, horizon, r);
        break;
    case SH_SLOW:
        starts_slow(g, horizon, r);
        break;
    case SH_LATE:
        starts_late(g, horizon, r);
        break;
    case SH_MANUAL:
        starts_manual(g, horizon, r);
        return; /* no schedule */
    case SH_CHANGE:
        starts_change(g, w, horizon, r);
        return;
    case SH_DST:
        starts_dst(g, w, horizon);
        return;
    case SH_UNSCHED:
        starts_unsched(g, w, r);
        break;
    default:
        return;
    }
    add_regime(g, g->offset, g->period, g->offset);
}

/* The stuck and slow runs get their long durations; each still ends before the next start. */
static void apply_special(struct getl *g)
{
    for (int i = 0; i < g->n_special; i++) {
        int64_t k = g->special_k[i], d = g->special_dur[i];
        if (k < 0 || k >= g->n_runs)
            continue;
        if ((size_t)k + 1 < g->n_starts && d >= g->starts[k + 1] - g->starts[k])
            d = g->starts[k + 1] - g->starts[k] - 1;
        g->dur[k] = d;
        g->outcome[k] = O_OK;
    }
}

static const char *draw_never(struct rng *r)
{
    static const char *const v[] = {"missing", "null", "empty"};
    return v[rng_range(r, 0, 2)];
}

static void plan_scheduled(struct getl *g, int nth, const struct world *w, struct rng *r)
{
    int64_t span = w->until - w->since;
    shape_schedule(g, nth, r);
    g->profile = PICK(r, profiles, weight);
    g->ended = rng_unit(r) < ended_share;
    /* the first scheduled ETLs after the three above take every shape once */
    if (nth >= 3 && nth < 3 + SH_COUNT - 1)
        g->shape = (enum shape)(nth - 2);
    else if (nth >= 3 && rng_unit(r) < shape_share * (SH_COUNT - 1))
        g->shape = (enum shape)rng_range(r, 1, SH_COUNT - 1);
    if (g->shape != SH_PLAIN)
        shape_params(g, r);
    /* run 0 starts before the window, so the first poll meets a run already under way */
    g->offset = w->since + w->skew - g->period - rng_range(r, 0, g->period - 1);
    if (g->role == ROLE_LATE) {
        g->offset = w->since + w->skew + (int64_t)(span * rng_between(r, 0.3, 0.7));
        g->never = draw_never(r);
    }
    if (g->role == ROLE_DELETED)
        g->deleted = w->since + w->skew + (int64_t)(span * rng_between(r, 0.3, 0.8));
    plan_starts(g, w, r);
    if (g->shape == SH_PLAIN)
        add_regime(g, g->offset, g->period, g->offset);
    plan_runs(g, w, r);
    apply_special(g);
}

static void plan_service(struct getl *g, const struct world *w, struct rng *r)
{
    g->svc_period = svc_periods[rng_range(r, 0, sizeof svc_periods / sizeof *svc_periods - 1)];
    if (g->svc_period > 0) {
        g->svc_on = (int64_t)(g->svc_period * rng_between(r, 0.2, 0.95));
        g->offset = w->since + w->skew - rng_range(r, 0, g->svc_period - 1);
    } else {
        g->offset = w->since + w->skew - rng_range(r, 0, 86400);
    }
}

/* A fast ETL (gen --fast): plain, its period shorter than the pass interval. */
static void plan_fast(struct getl *g, const struct world *w, struct rng *r)
{
    g->role = ROLE_SCHED;
    g->fast = true;
    g->period = fast_periods[rng_range(r, 0, sizeof fast_periods / sizeof *fast_periods - 1)];
    g->dclass = 0;
    g->profile = 0;
    g->dur0 = rng_range(r, fast_dur_s[0], fast_dur_s[1]);
    g->offset = w->since + w->skew - g->period - rng_range(r, 0, g->period - 1);
    add_regime(g, g->offset, g->period, g->offset);
    plan_runs(g, w, r);
}

static void plan_etls(struct getl *g, int n, const struct world *w, struct rng *r)
{
    int nth = 0;
    assign_roles(g, n, role_share, r);
    assign_faults(g, n, w, r);
    for (int i = 0; i < n; i++) {
        g[i].id = i + 1;
        if (g[i].role == ROLE_SERVICE)
            plan_service(&g[i], w, r);
        else if (g[i].role == ROLE_NEVER)
            g[i].never = draw_never(r);
        else
            plan_scheduled(&g[i], g[i].role == ROLE_SCHED ? nth++ : -1, w, r);
    }
}

/* After the others, from the same stream: the others' draws stay as they were. */
static void plan_fast_etls(struct getl *g, int n, int n_fast, const struct world *w, struct rng *r)
{
    for (int i = n; i < n + n_fast; i++) {
        g[i].id = i + 1;
        plan_fast(&g[i], w, r);
    }
}

/* ---- gen --realistic ---- */

/* 01:00 UTC on the last Sunday of month (1-12) of year: when Europe changes its clocks. */
static int64_t last_sunday_0100(int year, int month)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month, .tm_mday = 1, .tm_hour = 1};
    time_t first_next = timegm(&tm); /* tm_mon = month is the next month, from 0 */
    struct tm at;
    gmtime_r(&first_next, &at);
    return (int64_t)first_next - 86400 * (at.tm_wday == 0 ? 7 : at.tm_wday);
}

/* Europe/Berlin's offset from UTC at t, by the EU rule (summer time from the last Sunday of
 * March to the last Sunday of October, 01:00 UTC): no time zone database needed. */
static int64_t berlin_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int year = tm.tm_year + 1900;
    return t >= last_sunday_0100(year, 3) && t < last_sunday_0100(year, 10) ? 7200 : 3600;
}

/* The first change of Berlin's offset in (from, until], or 0. */
static int64_t berlin_change(int64_t from, int64_t until)
{
    time_t tt = (time_t)from;
    struct tm tm;
    gmtime_r(&tt, &tm);
    for (int y = tm.tm_year + 1900; y <= tm.tm_year + 1901; y++)
        for (int m = 3; m <= 10; m += 7) {
            int64_t c = last_sunday_0100(y, m);
            if (c > from && c <= until)
                return c;
        }
    return 0;
}

/* The UTC instant of a Berlin wall-clock time (seconds since 1970 as if it were UTC): the
 * first of the two in the hour that repeats in autumn, -1 in the hour skipped in spring. */
static int64_t berlin_to_utc(int64_t wall)
{
    if (berlin_offset(wall - 7200) == 7200)
        return wall - 7200;
    if (berlin_offset(wall - 3600) == 3600)
        return wall - 3600;
    return -1;
}

static void push_exp(struct getl *g, int64_t t)
{
    if (g->n_exp == g->cap_exp) {
        g->cap_exp = g->cap_exp ? 2 * g->cap_exp : 256;
        g->exp = realloc(g->exp, g->cap_exp * sizeof *g->exp);
        if (!g->exp)
            die("%s", "out of memory");
    }
    g->exp[g->n_exp++] = t;
}

/* The grid points in [from, until): on UTC, or at the listed hours of Berlin's wall clock. */
static void real_grid(struct getl *g, int64_t from, int64_t until, int64_t minute, int first_hour)
{
    if (!g->local) {
        int64_t x = from - ((from - g->offset) % g->period + g->period) % g->period;
        for (x = x < from ? x + g->period : x; x < until; x += g->period)
            push_exp(g, x);
        return;
    }
    for (int64_t day = (from + 7200) / 86400 * 86400; day < until + 86400; day += 86400)
        for (int64_t h = first_hour; h < 24; h += g->period / 3600) {
            int64_t x = berlin_to_utc(day + h * 3600 + minute * 60);
            if (x >= from && x < until)
                push_exp(g, x);
        }
}

static void push_run(struct getl *g, int64_t t, bool manual)
{
    push_start(g, t);
    g->manual = realloc(g->manual, g->cap_starts);
    if (!g->manual)
        die("%s", "out of memory");
    g->manual[g->n_starts - 1] = manual;
}

/* What a realistic ETL does besides its schedule. */
struct real_traits {
    double manual_p, late_p, overrun_p; /* per scheduled start */
    int paused;                         /* 0 none, 1 WAITING, 2 ENDED, for a day */
};

/* An overrun: long enough that a poll sees it RUNNING beyond the limit whatever the bounds. */
static int64_t overrun_of(const struct getl *g, const struct world *w, struct rng *r)
{
    return 3 * g->dur0 + 3 * w->interval + rng_range(r, 0, w->interval);
}

/* One start per grid point (a few seconds late, or late by 2 x grace to half a period),
 * none while paused, and now and then a "Run now" run between two scheduled ones. */
static void real_starts(struct getl *g, const struct real_traits *t, const struct world *w,
                        struct rng *r)
{
    int64_t grace = grace_of(g->period), pause_from = INT64_MAX;
    if (t->paused)
        pause_from = g->exp[g->n_exp * (size_t)rng_range(r, 40, 60) / 100];
    for (size_t k = 0; k < g->n_exp; k++) {
        int64_t x = g->exp[k], gap = k + 1 < g->n_exp ? g->exp[k + 1] - x : g->period;
        if (x >= pause_from && x < pause_from + 86400)
            continue;
        bool late = k >= 14 && rng_unit(r) < t->late_p;
        push_run(
            g,
            x + (late ? rng_range(r, 2 * grace, g->period / 2) : rng_range(r, 0, real_latency_s)),
            false);
        int64_t over = overrun_of(g, w, r);
        if (k >= 8 && !late && g->n_special < 64 && over < gap * 8 / 10 &&
            rng_unit(r) < t->overrun_p) {
            g->special_k[g->n_special] = (int64_t)g->n_starts - 1;
            g->special_dur[g->n_special++] = over;
        } else if (!late && k + 1 < g->n_exp && rng_unit(r) < t->manual_p) {
            push_run(g, x + (int64_t)((double)gap * rng_between(r, 0.35, 0.75)), true);
        }
    }
    if (t->paused == 2)
        g->ended_from = pause_from;
}

/* The first scheduled ETLs cover every case; the others are drawn. */
static void real_kind(struct getl *g, int nth, struct real_traits *t, struct rng *r)
{
    static const char *const whats[] = {"daily 02:00 Europe/Berlin, Run now",
                                        "every 4 h Europe/Berlin",
                                        "daily 02:00 UTC",
                                        "hourly UTC, Run now",
                                        "paused (ENDED) for a day",
                                        "paused (WAITING) for a day",
                                        "hourly UTC, overruns",
                                        "hourly UTC, late starts"};
    double week = rng_between(r, real_manual_week[0], real_manual_week[1]);
    bool local = rng_unit(r) < real_local_share, daily_loc = rng_unit(r) < 0.5;
    *t = (struct real_traits){0};
    g->period = real_periods[rng_range(r, 0, sizeof real_periods / sizeof *real_periods - 1)];
    g->rkind = local ? (daily_loc ? RK_DAILY_LOC : RK_4H_LOC) : RK_UTC;
    bool manual = rng_unit(r) < real_manual_share, late = rng_unit(r) < real_late_share;
    bool over = rng_unit(r) < real_overrun_share;
    if (nth < 8) {
        static const enum rkind k[] = {RK_DAILY_LOC, RK_4H_LOC, RK_UTC, RK_UTC,
                                       RK_UTC,       RK_UTC,    RK_UTC, RK_UTC};
        g->rkind = k[nth];
        g->period = nth == 2 ? 86400 : 3600;
        manual = nth == 0 || nth == 3;
        late = nth == 7;
        over = nth == 6;
        t->paused = nth == 4 ? 2 : nth == 5 ? 1 : 0;
        g->what = whats[nth];
    }
    g->local = g->rkind != RK_UTC;
    if (g->local)
        g->period = g->rkind == RK_DAILY_LOC ? 86400 : 14400;
    if (manual && (g->period == 3600 || g->period == 86400))
        t->manual_p = week * (double)g->period / 604800.0;
    t->late_p = late ? (nth < 8 ? 3 * real_late_p : real_late_p) : 0;
    t->overrun_p = over && g->period >= 3600 ? real_overrun_week * (double)g->period / 604800.0 : 0;
}

static void plan_real_scheduled(struct getl *g, int nth, const struct world *w, struct rng *r)
{
    struct real_traits t;
    int64_t span = w->until - w->since;
    real_kind(g, nth, &t, r);
    g->realistic = true;
    g->profile = PICK(r, profiles, weight);
    g->dclass = PICK(r, dclasses, weight);
    g->dur0 = rng_range(r, dclasses[g->dclass].lo, dclasses[g->dclass].hi);
    double cap = (double)g->period * (t.overrun_p > 0 ? 0.04 : 0.10);
    if ((double)g->dur0 > cap)
        g->dur0 = cap < 1 ? 1 : (int64_t)cap;
    while (g->dclass > 0 && g->dur0 < dclasses[g->dclass].lo)
        g->dclass--;
    /* UTC grids on whole 5 minutes; local ones at 02:00 (the first) or a drawn time */
    g->offset = rng_range(r, 0, g->period / 300 - 1) * 300;
    int64_t minute = nth == 0 ? 0 : rng_range(r, 0, 11) * 5;
    int first_hour = g->rkind == RK_4H_LOC ? 0 : nth == 0 ? 2 : (int)rng_range(r, 1, 6);
    if (!g->local && nth == 2)
        g->offset = 7200;
    int64_t from = w->since + w->skew - g->period, until = w->until + w->skew + 2 * g->period;
    if (g->role == ROLE_LATE) { /* no status until its first run, mid-window */
        from = w->since + w->skew + (int64_t)(span * rng_between(r, 0.3, 0.7));
        g->never = draw_never(r);
    }
    if (g->role == ROLE_DELETED)
        g->deleted = w->since + w->skew + (int64_t)(span * rng_between(r, 0.3, 0.8));
    real_grid(g, from, until, minute, first_hour);
    real_starts(g, &t, w, r);
    g->offset = g->starts[0];
    plan_runs(g, w, r);
    apply_special(g);
    if (g->ended_from) /* not rescheduled: ENDED from the end of the last run before the pause */
        for (size_t k = g->n_starts; k-- > 0;)
            if (g->starts[k] < g->ended_from) {
                g->ended_from = g->starts[k] + g->dur[k];
                break;
            }
}

static const double real_role_share[ROLE_COUNT] = {0, 0.06, 0.02, 0.02, 0.02};

/* gen --realistic: a site as CO runs it (see real_kind), services and a few oddities. */
static void plan_real_etls(struct getl *g, int n, const struct world *w, struct rng *r)
{
    int nth = 0;
    assign_roles(g, n, real_role_share, r);
    assign_faults(g, n, w, r);
    for (int i = 0; i < n; i++) {
        g[i].id = i + 1;
        if (g[i].role == ROLE_SERVICE)
            plan_service(&g[i], w, r);
        else if (g[i].role == ROLE_NEVER)
            g[i].never = draw_never(r);
        else
            plan_real_scheduled(&g[i], g[i].role == ROLE_SCHED ? nth++ : 8, w, r);
    }
}

/* ---- scenario file ---- */

static void write_fault(FILE *f, const struct getl *g, const struct world *w)
{
    if (g->fault_code)
        fprintf(f, " fault=%d fault_from=%" PRId64 " fault_until=%" PRId64, g->fault_code,
                g->fault_from, g->fault_until);
    else
        fprintf(f, " fault=503 fault_from=%" PRId64 " fault_until=%" PRId64, w->outage_from,
                w->outage_until);
}

static void write_lists(FILE *f, const struct getl *g)
{
    fputs(" duration=", f);
    for (int64_t k = 0; k < g->n_runs; k++)
        fprintf(f, "%s%" PRId64, k ? "," : "", g->dur[k]);
    fputs(" outcomes=", f);
    for (int64_t k = 0; k < g->n_runs; k++)
        fprintf(f, "%s%s", k ? "," : "", outcome_names[g->outcome[k]]);
}

static void etl_name(const struct getl *g, char *buf, size_t cap)
{
    const char *tag = g->shape ? shape_names[g->shape] : g->fast ? "fast" : "";
    if (g->realistic)
        snprintf(buf, cap, "Site %" PRId64 " %s %s every %" PRId64 "s %s %s%s%s", g->id,
                 role_names[g->role], dclasses[g->dclass].name, g->period,
                 profiles[g->profile].name, g->local ? "Europe/Berlin" : "UTC", g->what ? ", " : "",
                 g->what ? g->what : "");
    else if (g->shape == SH_MANUAL)
        snprintf(buf, cap, "Accuracy %" PRId64 " %s %s by hand %s", g->id, role_names[g->role],
                 dclasses[g->dclass].name, profiles[g->profile].name);
    else if (g->period)
        snprintf(buf, cap, "Accuracy %" PRId64 " %s %s every %" PRId64 "s %s%s%s", g->id,
                 role_names[g->role], dclasses[g->dclass].name, g->period,
                 profiles[g->profile].name, *tag ? " " : "", tag);
    else
        snprintf(buf, cap, "Accuracy %" PRId64 " %s", g->id, role_names[g->role]);
}

static void write_etl(FILE *f, const struct getl *g, const struct world *w)
{
    char name[128];
    etl_name(g, name, sizeof name);
    fprintf(f, "etl %" PRId64 " name=\"%s\"", g->id, name);
    if (g->role == ROLE_SERVICE)
        fprintf(f, " service offset=%" PRId64, g->offset);
    if (g->role == ROLE_SERVICE && g->svc_period)
        fprintf(f, " period=%" PRId64 " on=%" PRId64, g->svc_period, g->svc_on);
    if (g->never)
        fprintf(f, " never=%s", g->never);
    if (g->n_starts) {
        fputs(" starts=", f);
        for (size_t k = 0; k < g->n_starts; k++)
            fprintf(f, "%s%" PRId64, k ? "," : "", g->starts[k]);
        if (g->ended_from)
            fprintf(f, " ended_from=%" PRId64, g->ended_from);
    }
    if (g->period) {
        if (!g->n_starts)
            fprintf(f, " period=%" PRId64 " offset=%" PRId64, g->period, g->offset);
        if (g->jitter)
            fprintf(f, " jitter=%" PRId64, g->jitter);
        if (g->ended)
            fputs(" ended", f);
        if (g->deleted)
            fprintf(f, " deleted=%" PRId64, g->deleted);
        write_lists(f, g);
    }
    write_fault(f, g, w);
    fputc('\n', f);
}

static void write_scenario(const char *path, const struct getl *g, int n, const struct world *w,
                           const struct opts *o)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    fprintf(f, "# accuracy scenario: tests/accuracy/gen.c --seed %" PRIu64 " --etls %d --days %d",
            o->seed, o->n_etls, o->days);
    if (o->n_fast > 0)
        fprintf(f, " --fast %d", o->n_fast);
    if (o->realistic)
        fputs(" --realistic", f);
    fputc('\n', f);
    fprintf(f, "token %s\nskew %" PRId64 "\n", TOKEN, w->skew);
    fprintf(f, "list_fault 503 fault_from=%" PRId64 " fault_until=%" PRId64 "\n", w->outage_from,
            w->outage_until);
    for (int i = 0; i < n; i++)
        write_etl(f, &g[i], w);
    if (fclose(f))
        die("cannot write %s", path);
}

static struct fake_scenario *read_scenario(const char *path)
{
    char err[512];
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = xcalloc((size_t)len + 1, 1);
    if (fread(text, 1, (size_t)len, f) != (size_t)len)
        die("cannot read %s", path);
    fclose(f);
    struct fake_scenario *sc = scenario_parse(text, (size_t)len, path, err, sizeof err);
    free(text);
    if (!sc)
        die("%s", err);
    return sc;
}

/* ---- truth ---- */

/* Successful polls of one ETL, collector clock, ascending. */
struct polls {
    int64_t *t;
    size_t n;
};

static bool poll_ok(const struct fake_etl *e, int64_t server_t)
{
    struct fake_state st;
    return scenario_state(e, server_t, &st) == 0 && !scenario_fault_active(&e->fault, server_t);
}

/* Every poll of one ETL, successful or not, collector clock, ascending: the logged requests
 * when there is a log, else the pass instants. The caller frees *out. */
static size_t all_polls(const struct fake_etl *e, const struct world *w, int64_t **out)
{
    size_t n = 0;
    if (!w->log) {
        *out = xcalloc(w->n_passes, sizeof **out);
        memcpy(*out, w->passes, w->n_passes * sizeof **out);
        return w->n_passes;
    }
    size_t lo = 0, hi = w->n_log;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->log[mid].id < e->id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < w->n_log && w->log[i].id == e->id; i++)
        n++;
    *out = xcalloc(n, sizeof **out);
    for (size_t i = 0; i < n; i++)
        (*out)[i] = w->log[lo + i].t;
    return n;
}

static void find_polls(const struct fake_etl *e, const struct world *w, struct polls *p)
{
    int64_t *all;
    size_t n = all_polls(e, w, &all);
    p->t = xcalloc(n, sizeof *p->t);
    p->n = 0;
    for (size_t i = 0; i < n; i++)
        if (poll_ok(e, all[i] + w->skew))
            p->t[p->n++] = all[i];
    free(all);
}

/* Index of the first poll at or after t. */
static size_t lower_bound(const struct polls *p, int64_t t)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->t[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* docs/design.md §3.2: between two successful polls at most max_gap apart the time is observed. */
static bool observed_at(const struct polls *p, int64_t max_gap, int64_t t)
{
    size_t i = lower_bound(p, t);
    if (i < p->n && p->t[i] == t)
        return true;
    return i > 0 && i < p->n && p->t[i] - p->t[i - 1] <= max_gap;
}

static int64_t observed_seconds(const struct polls *p, const struct world *w)
{
    int64_t sum = 0;
    for (size_t i = 0; i + 1 < p->n; i++) {
        int64_t a = p->t[i] > w->since ? p->t[i] : w->since;
        int64_t b = p->t[i + 1] < w->until ? p->t[i + 1] : w->until;
        if (p->t[i + 1] - p->t[i] <= w->max_gap && b > a)
            sum += b - a;
    }
    return sum;
}

struct run_truth {
    int64_t k, start, end, next;
    const char *outcome;
    unsigned flags;
    int64_t before, after, run_first, run_last, end_poll, end_prev; /* polls, collector clock */
};

static void run_polls(struct run_truth *rt, const struct polls *p, const struct world *w)
{
    size_t a = lower_bound(p, rt->start - w->skew), b = lower_bound(p, rt->end - w->skew);
    rt->before = a > 0 ? p->t[a - 1] : -1;
    rt->after = a < p->n ? p->t[a] : -1;
    rt->run_first = a < b ? p->t[a] : -1;
    rt->run_last = a < b ? p->t[b - 1] : -1;
    rt->end_poll = b < p->n && p->t[b] + w->skew < rt->next ? p->t[b] : -1;
    rt->end_prev = rt->end_poll >= 0 && b > 0 ? p->t[b - 1] : -1;
}

static unsigned run_flags(const struct run_truth *rt, const struct polls *p, const struct world *w,
                          int64_t etl_end)
{
    unsigned f = 0;
    if (observed_at(p, w->max_gap, rt->start - w->skew) &&
        observed_at(p, w->max_gap, rt->end - w->skew))
        f |= RF_OBSERVED;
    if (rt->run_first >= 0)
        f |= RF_RUNNING | RF_SEEN;
    if (rt->end_poll >= 0)
        f |= RF_END | RF_SEEN;
    if (rt->end_prev >= 0 && rt->end_poll - rt->end_prev <= w->max_gap)
        f |= RF_BRACKET;
    if (rt->end < etl_end)
        f |= RF_FINISHED;
    return f;
}

static void write_run(FILE *f, int64_t id, const struct run_truth *rt)
{
    char flags[8];
    size_t n = 0;
    for (size_t i = 0; RF_LETTERS[i]; i++)
        if (rt->flags & (1u << i))
            flags[n++] = RF_LETTERS[i];
    flags[n ? n : 1] = '\0';
    if (!n)
        flags[0] = '-';
    fprintf(f,
            "run %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %s %s %" PRId64 " %" PRId64
            " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n",
            id, rt->k, rt->start, rt->end, rt->outcome, flags, rt->before, rt->after, rt->run_first,
            rt->run_last, rt->end_poll, rt->end_prev);
}

/* Every successful poll must show what the truth says: run k, RUNNING or ended. */
static void verify_polls(const struct fake_etl *e, const struct polls *p, const struct world *w)
{
    for (size_t i = 0; i < p->n; i++) {
        struct fake_state st;
        int64_t t = p->t[i] + w->skew, k;
        scenario_state(e, t, &st);
        if (st.run < 0)
            continue;
        k = st.run;
        int64_t s = scenario_run_start(e, k), d = e->durations[(size_t)k % e->n_durations];
        bool running = st.status && strcmp(st.status, "RUNNING") == 0;
        if (st.last_exec_ts != s || s > t || scenario_run_start(e, k + 1) <= t ||
            running != (t < s + d)) {
            fprintf(stderr, "gen: etl %" PRId64 " at %" PRId64 ": server state disagrees\n", e->id,
                    t);
            exit(1);
        }
    }
}

struct tally {
    int64_t runs, polls;
};

static void truth_runs(FILE *f, const struct fake_etl *e, const struct polls *p,
                       const struct world *w, struct tally *tl)
{
    int64_t etl_end = w->until + w->skew;
    if (e->has_deleted && e->deleted < etl_end)
        etl_end = e->deleted;
    for (int64_t k = 0;; k++) {
        struct run_truth rt = {.k = k, .start = scenario_run_start(e, k)};
        if (rt.start >= w->until || (e->has_deleted && rt.start >= e->deleted))
            break;
        if (rt.start < w->since)
            continue;
        rt.end = rt.start + e->durations[(size_t)k % e->n_durations];
        rt.next = scenario_run_start(e, k + 1);
        rt.outcome = e->outcomes[(size_t)k % e->n_outcomes];
        run_polls(&rt, p, w);
        rt.flags = run_flags(&rt, p, w, etl_end);
        write_run(f, e->id, &rt);
        tl->runs++;
    }
}

/* Services: the state of every second, from scenario_state itself. */
static void truth_service(FILE *f, const struct fake_etl *e, const struct polls *p,
                          const struct world *w, int64_t *on_s, int64_t *off_s)
{
    const char *cur = NULL;
    int64_t cur_from = 0;
    size_t i = 0;
    *on_s = *off_s = 0;
    for (int64_t t = w->since; t <= w->until; t++) {
        struct fake_state st;
        const char *s = "NONE";
        if (t < w->until && scenario_state(e, t + w->skew, &st) == 0 && st.status)
            s = st.status;
        if (t == w->until || !cur || strcmp(s, cur) != 0) {
            if (cur)
                fprintf(f, "svc %" PRId64 " %" PRId64 " %" PRId64 " %s\n", e->id,
                        cur_from + w->skew, t + w->skew, cur);
            cur = s;
            cur_from = t;
        }
        while (i < p->n && p->t[i] <= t)
            i++;
        bool obs = i > 0 && i < p->n && p->t[i] - p->t[i - 1] <= w->max_gap;
        if (obs && t < w->until) {
            *on_s += strcmp(s, "SERVICE_ON") == 0;
            *off_s += strcmp(s, "SERVICE_OFF") == 0;
        }
    }
}

static const char *kind_of(const struct fake_etl *e)
{
    return e->kind == FAKE_ETL_SERVICE ? "service"
           : e->kind == FAKE_ETL_NEVER ? "never"
                                       : "scheduled";
}

/* What each poll got from this ETL: the health report counts these. */
static void truth_poll_counts(FILE *f, const struct fake_etl *e, const struct world *w)
{
    int64_t n400 = 0, n5xx = 0, failed = 0, *all;
    size_t n = all_polls(e, w, &all);
    for (size_t i = 0; i < n; i++) {
        struct fake_state st;
        int64_t t = all[i] + w->skew;
        int code = scenario_state(e, t, &st) != 0        ? 400
                   : scenario_fault_active(&e->fault, t) ? e->fault.http_code
                                                         : 200;
        failed += code != 200;
        n400 += code == 400;
        n5xx += code >= 500 && code <= 599;
    }
    fprintf(f, "polls %" PRId64 " %zu %" PRId64 " %" PRId64 " %" PRId64 "\n", e->id, n, failed,
            n400, n5xx);
    free(all);
}

/* ---- what did not happen: schedule, expected starts, overdue runs, MTTR/MTBF ---- */

/* Every run of a scheduled ETL up to a day past the window, with its flags. */
struct all_runs {
    int64_t *start, *end;
    unsigned *flags;
    int64_t *run_last; /* last poll that saw it RUNNING, collector clock, or -1 */
    size_t n;
    const unsigned char *manual; /* gen --realistic: per run, a "Run now" run; else NULL */
};

static void collect_runs(const struct fake_etl *e, const struct polls *p, const struct world *w,
                         struct all_runs *a)
{
    int64_t etl_end = w->until + w->skew, stop = w->until + w->skew + 2 * 86400;
    size_t cap = 0;
    if (e->has_deleted && e->deleted < etl_end)
        etl_end = e->deleted;
    memset(a, 0, sizeof *a);
    for (int64_t k = 0; e->kind == FAKE_ETL_SCHEDULED; k++) {
        struct run_truth rt = {.k = k, .start = scenario_run_start(e, k)};
        if (rt.start >= stop || (e->has_deleted && rt.start >= e->deleted))
            break;
        rt.end = rt.start + e->durations[(size_t)k % e->n_durations];
        rt.next = scenario_run_start(e, k + 1);
        run_polls(&rt, p, w);
        if (a->n == cap) {
            cap = cap ? 2 * cap : 256;
            a->start = realloc(a->start, cap * sizeof *a->start);
            a->end = realloc(a->end, cap * sizeof *a->end);
            a->flags = realloc(a->flags, cap * sizeof *a->flags);
            a->run_last = realloc(a->run_last, cap * sizeof *a->run_last);
            if (!a->start || !a->end || !a->flags || !a->run_last)
                die("%s", "out of memory");
        }
        a->start[a->n] = rt.start;
        a->end[a->n] = rt.end;
        a->flags[a->n] = run_flags(&rt, p, w, etl_end);
        a->run_last[a->n++] = rt.run_last;
    }
}

static void free_runs(struct all_runs *a)
{
    free(a->start);
    free(a->end);
    free(a->flags);
    free(a->run_last);
}

/* Index of the first run starting at or after t. */
static size_t first_run_from(const struct all_runs *a, int64_t t)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->start[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool is_manual(const struct all_runs *a, size_t j)
{
    return a->manual && a->manual[j];
}

/* Scheduled runs a poll saw ("Run now" runs are no evidence of a schedule). */
static size_t seen_between(const struct all_runs *a, int64_t from, int64_t until)
{
    size_t n = 0;
    for (size_t j = first_run_from(a, from); j < a->n && a->start[j] < until; j++)
        n += (a->flags[j] & RF_SEEN) && !is_manual(a, j);
    return n;
}

/* [from, until) (collector clock) lies between successful polls at most max_gap apart. */
static bool observed_span(const struct polls *p, int64_t max_gap, int64_t from, int64_t until)
{
    size_t i = lower_bound(p, from), j = lower_bound(p, until);
    if (i < p->n && p->t[i] == from)
        i++;
    if (i == 0 || j >= p->n)
        return false;
    for (size_t k = i - 1; k < j; k++)
        if (p->t[k + 1] - p->t[k] > max_gap)
            return false;
    return true;
}

static bool ended_at(const struct fake_etl *e, int64_t t)
{
    struct fake_state st;
    return scenario_state(e, t, &st) == 0 && st.status && strcmp(st.status, "ENDED") == 0;
}

/* One expected start x of a schedule in force over [from, to): the first scheduled run in
 * its slot [x - grace, hi), or why none. */
static void truth_expected(FILE *f, const struct fake_etl *e, const struct getl *g,
                           const struct all_runs *a, const struct polls *p, const struct world *w,
                           int64_t x, int64_t grace, int64_t hi, int64_t from, int64_t to)
{
    int64_t lo = x - grace, delay = 0;
    size_t j = first_run_from(a, lo);
    while (j < a->n && a->start[j] < hi && is_manual(a, j))
        j++;
    bool ran = j < a->n && a->start[j] < hi, ended = ended_at(e, x), seen = false;
    const char *fate;
    if (ran) {
        delay = a->start[j] - x;
        seen = (a->flags[j] & RF_SEEN) != 0;
        fate = delay > grace ? "late" : "ontime";
    } else if (ended) {
        fate = "ended";
    } else if (hi > w->until + w->skew) { /* the window's end on the server's clock */
        fate = "open";
    } else {
        fate = observed_span(p, w->max_gap, lo - w->skew, hi - w->skew) ? "missed" : "unobserved";
    }
    bool learn = g->jitter <= grace / 2 && !ended && seen_between(a, from, x) >= 12 &&
                 (to == INT64_MAX || seen_between(a, x, to) >= 12);
    fprintf(f, "exp %" PRId64 " %" PRId64 " %s %" PRId64 " %d %d\n", e->id, x, fate, delay, seen,
            learn);
}

static void truth_expected_all(FILE *f, const struct fake_etl *e, const struct getl *g,
                               const struct all_runs *a, const struct polls *p,
                               const struct world *w)
{
    for (int ri = 0; ri < g->n_reg; ri++) {
        const struct regime *rg = &g->reg[ri];
        int64_t to = ri + 1 < g->n_reg ? g->reg[ri + 1].from : INT64_MAX;
        int64_t from = rg->from > w->since ? rg->from : w->since;
        int64_t k = (from - rg->anchor + rg->period - 1) / rg->period;
        for (int64_t x = rg->anchor + k * rg->period; x < to && x < w->until; x += rg->period) {
            if (e->has_deleted && x >= e->deleted)
                break;
            if (x >= from)
                truth_expected(f, e, g, a, p, w, x, grace_of(rg->period),
                               x + rg->period - grace_of(rg->period), rg->from, to);
        }
    }
}

/* gen --realistic: the listed grid points; a slot ends a grace before the next one (a day
 * of 23 or 25 hours on the wall clock when summer time begins or ends). */
static void truth_expected_list(FILE *f, const struct fake_etl *e, const struct getl *g,
                                const struct all_runs *a, const struct polls *p,
                                const struct world *w)
{
    int64_t grace = grace_of(g->period);
    for (size_t i = 0; i < g->n_exp && g->exp[i] < w->until; i++) {
        int64_t x = g->exp[i], next = i + 1 < g->n_exp ? g->exp[i + 1] : x + g->period;
        if (e->has_deleted && x >= e->deleted)
            break;
        if (x >= w->since)
            truth_expected(f, e, g, a, p, w, x, grace, next - grace, g->exp[0], INT64_MAX);
    }
}

static const char *true_kind(const struct fake_etl *e, const struct getl *g,
                             const struct all_runs *a, const struct polls *p, const struct world *w)
{
    if (e->kind == FAKE_ETL_SERVICE)
        return "service";
    if (e->kind != FAKE_ETL_SCHEDULED || seen_between(a, INT64_MIN, w->until) < 5)
        return "unknown";
    if (g->shape == SH_MANUAL)
        return "irregular";
    if (p->n && ended_at(e, p->t[p->n - 1] + w->skew))
        return "unscheduled";
    return "periodic";
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* docs/design.md §3.4 over true durations: limit = max(1.5 x p95, p95 + interval) of up to 30
 * earlier runs whose end two polls bracketed (at least 5); overdue when the running time within the
 * window (true duration, or up to the window's end) exceeds it. */
static void truth_overdue(FILE *f, int64_t id, const struct all_runs *a, const struct world *w)
{
    int64_t hist[30], v[30];
    size_t nh = 0, next = 0;
    for (size_t j = 0; j < a->n && a->start[j] < w->until; j++) {
        if (a->start[j] >= w->since && nh >= 5) {
            memcpy(v, hist, nh * sizeof *v);
            qsort(v, nh, sizeof *v, cmp_i64);
            int64_t p95 = v[(95 * nh + 99) / 100 - 1];
            int64_t limit =
                (3 * p95 + 1) / 2 > p95 + w->interval ? (3 * p95 + 1) / 2 : p95 + w->interval;
            int64_t until = w->until + w->skew;
            int64_t running = (a->end[j] < until ? a->end[j] : until) - a->start[j];
            int64_t lo = a->run_last[j] >= 0 ? a->run_last[j] + w->skew - a->start[j] : 0;
            if (running > limit)
                fprintf(f, "overdue %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n",
                        id, a->start[j], limit, running, lo);
        }
        if ((a->flags[j] & RF_BRACKET) && (a->flags[j] & RF_FINISHED)) {
            hist[next] = a->end[j] - a->start[j];
            next = (next + 1) % 30;
            nh += nh < 30;
        }
    }
}

/* Jenkins build-history-metrics over the window's runs whose end a poll saw, oldest first. */
static void truth_mttr(FILE *f, const struct fake_etl *e, const struct all_runs *a,
                       const struct world *w)
{
    int64_t repair = 0, repairs = 0, between = 0, betweens = 0, streak = 0, recovery = 0;
    bool in_streak = false, recovered = false;
    for (size_t j = first_run_from(a, w->since); j < a->n && a->start[j] < w->until; j++) {
        if (!(a->flags[j] & RF_END))
            continue;
        const char *o = e->outcomes[j % e->n_outcomes];
        bool failed = !strcmp(o, "ERROR") || !strcmp(o, "ABORTED") || !strcmp(o, "FAILED");
        if (failed && !in_streak) {
            if (recovered) {
                between += a->start[j] - recovery;
                betweens++;
                recovered = false;
            }
            in_streak = true;
            streak = a->start[j];
        } else if (!failed && in_streak) {
            repair += a->start[j] - streak;
            repairs++;
            in_streak = false;
            recovered = true;
            recovery = a->start[j];
        }
    }
    fprintf(f, "mttr %" PRId64 " %" PRId64 " %" PRId64 "\n", e->id, repairs ? repair / repairs : -1,
            betweens ? between / betweens : -1);
}

/* gen --realistic: each "Run now" run started in the window, and the clock of the schedule
 * with the first change of its offset from UTC in the window (0: none). */
static void truth_realistic(FILE *f, const struct fake_etl *e, const struct getl *g,
                            const struct all_runs *a, const struct world *w)
{
    for (size_t j = first_run_from(a, w->since); j < a->n && a->start[j] < w->until; j++)
        if (is_manual(a, j))
            fprintf(f, "manual %" PRId64 " %" PRId64 "\n", e->id, a->start[j]);
    fprintf(f, "zone %" PRId64 " %s %" PRId64 "\n", e->id, g->local ? "Europe/Berlin" : "UTC",
            g->local ? berlin_change(w->since + w->skew, w->until + w->skew) : 0);
}

static void truth_schedule(FILE *f, const struct fake_etl *e, const struct getl *g,
                           const struct polls *p, const struct world *w)
{
    struct all_runs a;
    const struct regime *rg = g->n_reg ? &g->reg[g->n_reg - 1] : NULL;
    int64_t period = rg ? rg->period : 0, offset = rg ? rg->anchor : 0;
    collect_runs(e, p, w, &a);
    a.manual = g->manual;
    if (g->realistic && g->n_exp) { /* the grid in force at the window's end */
        size_t i = 0;
        while (i + 1 < g->n_exp && g->exp[i + 1] <= w->until + w->skew)
            i++;
        period = g->period;
        offset = g->exp[i];
    }
    fprintf(f, "sched %" PRId64 " %s %" PRId64 " %" PRId64 " %d %s\n", e->id,
            true_kind(e, g, &a, p, w), period, period ? ((offset % period) + period) % period : 0,
            period && g->jitter > grace_of(period) / 2, shape_names[g->shape]);
    if (e->kind == FAKE_ETL_SCHEDULED) {
        if (g->realistic)
            truth_expected_list(f, e, g, &a, p, w);
        else
            truth_expected_all(f, e, g, &a, p, w);
        truth_overdue(f, e->id, &a, w);
        truth_mttr(f, e, &a, w);
        if (g->realistic)
            truth_realistic(f, e, g, &a, w);
    }
    free_runs(&a);
}

static void truth_etl(FILE *f, const struct fake_etl *e, const struct getl *g,
                      const struct world *w, struct tally *tl)
{
    struct polls p;
    int64_t on_s = 0, off_s = 0;
    find_polls(e, w, &p);
    verify_polls(e, &p, w);
    fprintf(f, "etl %" PRId64 " %s %" PRId64 " %" PRId64 "\n", e->id, kind_of(e),
            e->has_deleted ? e->deleted : -1, p.n ? p.t[p.n - 1] : -1);
    if (e->kind == FAKE_ETL_SCHEDULED)
        truth_runs(f, e, &p, w, tl);
    if (e->kind == FAKE_ETL_SERVICE)
        truth_service(f, e, &p, w, &on_s, &off_s);
    fprintf(f, "obs %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", e->id,
            observed_seconds(&p, w), w->until - w->since, on_s, off_s);
    truth_poll_counts(f, e, w);
    truth_schedule(f, e, g, &p, w);
    tl->polls += (int64_t)p.n;
    free(p.t);
}

/* ---- parameters, for the truth file and docs/dev/accuracy.md ---- */

/* gen --fast: the rule, then every fast ETL as ID:PERIOD:TYPICAL_DURATION. */
static void write_fast_params(FILE *f, const char *pre, const struct opts *o, const struct getl *g)
{
    fprintf(f, "%sfast %d ETLs %d-%d after the others: periods_s", pre, o->n_fast, o->n_etls + 1,
            o->n_etls + o->n_fast);
    for (size_t i = 0; i < sizeof fast_periods / sizeof *fast_periods; i++)
        fprintf(f, "%s%" PRId64, i ? "/" : " ", fast_periods[i]);
    fprintf(f,
            ", no jitter, typical duration %" PRId64 "-%" PRId64
            " s, profile %s, WAITING between runs, no shape;",
            fast_dur_s[0], fast_dur_s[1], profiles[0].name);
    for (int i = o->n_etls; i < o->n_etls + o->n_fast; i++)
        fprintf(f, " %" PRId64 ":%" PRId64 ":%" PRId64, g[i].id, g[i].period, g[i].dur0);
    fputc('\n', f);
}

/* gen --realistic: the rules, then each scheduled ETL's clock, period and extras. */
static void write_real_params(FILE *f, const char *pre, const struct opts *o, const struct getl *g)
{
    fprintf(f,
            "%srealistic: scheduled ETLs on UTC or Europe/Berlin's wall clock (%.0f%%), starts "
            "0-%" PRId64 " s after the grid; Run now %.0f-%.0f a week on %.0f%% of hourly and "
            "daily ETLs; late starts p=%.2f on %.0f%%; overruns %.1f a week on %.0f%% (period >= "
            "1 h); one collector outage of %" PRId64 "-%" PRId64 " s, single passes skipped with "
            "p=%.2f\n",
            pre, real_local_share * 100, real_latency_s, real_manual_week[0], real_manual_week[1],
            real_manual_share * 100, real_late_p, real_late_share * 100, real_overrun_week,
            real_overrun_share * 100, real_outage_s[0], real_outage_s[1], real_skip_p);
    for (int i = 0; i < o->n_etls; i++) {
        int manual = 0;
        if (!g[i].realistic)
            continue;
        for (size_t k = 0; k < g[i].n_starts; k++)
            manual += g[i].manual[k];
        fprintf(f, "%setl %" PRId64 " %s every %" PRId64 " s, %d Run now, %d overruns%s%s\n", pre,
                g[i].id, g[i].local ? "Europe/Berlin" : "UTC", g[i].period, manual, g[i].n_special,
                g[i].what ? ", " : "", g[i].what ? g[i].what : "");
    }
}

static void write_params(FILE *f, const char *pre, const struct opts *o, const struct world *w,
                         const int *roles, const struct getl *g)
{
    char a[24], b[24];
    fprintf(f, "%sseed %" PRIu64 "\n%setls %d\n%sdays %d\n", pre, o->seed, pre, o->n_etls, pre,
            o->days);
    fprintf(f, "%swindow %s %s\n", pre, acc_iso(w->since, a, sizeof a),
            acc_iso(w->until, b, sizeof b));
    fprintf(f, "%sinterval_s %" PRId64 "\n%smax_gap_s %" PRId64 "\n%sskew_s %" PRId64 "\n", pre,
            w->interval, pre, w->max_gap, pre, w->skew);
    fprintf(f,
            "%spasses %zu planned, %zu ran; %zu collector outages, %" PRId64
            " s; single passes skipped with p=%.2f\n",
            pre, w->planned, w->n_passes, w->n_outages, w->outage_total_s,
            o->realistic ? real_skip_p : pass_skip_p);
    fprintf(f, "%sserver_outage 503 on every ETL without its own fault, %s to %s (server clock)\n",
            pre, acc_iso(w->outage_from, a, sizeof a), acc_iso(w->outage_until, b, sizeof b));
    fprintf(f, "%sroles", pre);
    for (int r = 0; r < ROLE_COUNT; r++)
        fprintf(f, " %s=%d", role_names[r], roles[r]);
    fprintf(f, "; own 5xx window: %.0f%% of ETLs\n", own_fault_share * 100);
    if (!o->realistic) { /* gen --realistic draws periods its own way (write_real_params) */
        fprintf(f, "%speriods_s", pre);
        for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
            fprintf(f, " %" PRId64 ":%.0f%%", periods[i].period, periods[i].weight);
        fprintf(f,
                "; jitter on %.0f%% (up to 2/3 period, at most 1800 s); ENDED instead of WAITING "
                "on %.0f%%\n",
                jitter_share * 100, ended_share * 100);
    }
    fprintf(f, "%sdurations", pre);
    for (size_t i = 0; i < sizeof dclasses / sizeof *dclasses; i++)
        fprintf(f, " %s:%.0f%%:%" PRId64 "-%" PRId64 "s", dclasses[i].name, dclasses[i].weight,
                dclasses[i].lo, dclasses[i].hi);
    fprintf(f, "; per run x0.5-1.5 (ERROR x0.2-1.0, ABORTED x0.05-0.6)\n");
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++)
        fprintf(f, "%sprofile %s %.0f%% of ETLs: OK %.2f WARNING %.2f ERROR %.2f ABORTED %.2f\n",
                pre, profiles[i].name, profiles[i].weight, profiles[i].p[0], profiles[i].p[1],
                profiles[i].p[2], profiles[i].p[3]);
    if (o->n_fast > 0)
        write_fast_params(f, pre, o, g);
    if (o->realistic)
        write_real_params(f, pre, o, g);
}

static void write_truth(const char *path, const struct fake_scenario *sc, const struct getl *g,
                        const struct world *w, const struct opts *o, const int *roles)
{
    struct tally tl = {0, 0};
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    fprintf(f, "# etlhist accuracy truth (tests/accuracy/README.md)\n");
    write_params(f, "param ", o, w, roles, g);
    fprintf(f, "window %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", w->since,
            w->until, w->interval, w->max_gap, w->skew);
    if (o->follow_window > 0)
        fprintf(f, "follow %" PRId64 "\n", o->follow_window);
    for (size_t i = 0; i < w->n_passes; i++)
        fprintf(f, "pass %" PRId64 "\n", w->passes[i]);
    for (size_t i = 0; i < sc->n_etls; i++)
        truth_etl(f, &sc->etls[i], &g[i], w, &tl);
    if (fclose(f))
        die("cannot write %s", path);
    fprintf(stderr,
            "gen: %zu ETLs, %" PRId64 " true runs in the window, %zu passes, %" PRId64
            " successful polls%s\n",
            sc->n_etls, tl.runs, w->n_passes, tl.polls, w->log ? " (logged)" : "");
}

static void write_side_files(const struct opts *o, const struct world *w)
{
    char path[4096], a[24], b[24];
    snprintf(path, sizeof path, "%s/passes", o->out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    for (size_t i = 0; i < w->n_passes; i++)
        fprintf(f, "%" PRId64 "\n", w->passes[i]);
    if (fclose(f))
        die("cannot write %s", path);
    snprintf(path, sizeof path, "%s/env", o->out);
    if (!(f = fopen(path, "w")))
        die("cannot write %s", path);
    fprintf(f,
            "SINCE=%" PRId64 "\nUNTIL=%" PRId64 "\nSINCE_ISO=%s\nUNTIL_ISO=%s\nINTERVAL=%" PRId64
            "\nETLS=1-%d\nTOKEN=%s\nN_PASSES=%zu\n",
            w->since, w->until, acc_iso(w->since, a, sizeof a), acc_iso(w->until, b, sizeof b),
            w->interval, o->n_etls + o->n_fast, TOKEN, w->n_passes);
    if (fclose(f))
        die("cannot write %s", path);
}

/* ---- main ---- */

static int64_t num_arg(const char *name, const char *v, int64_t lo, int64_t hi)
{
    int64_t x;
    if (!v || !scenario_parse_i64(v, &x) || x < lo || x > hi)
        die("bad or missing value for %s", name);
    return x;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){.seed = 1, .n_etls = 20, .days = 2, .since = 1795392000, .interval = 300};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        i++;
        if (!strcmp(k, "--realistic")) {
            o->realistic = true;
            i--; /* a flag: no value */
        } else if (!strcmp(k, "--seed"))
            o->seed = (uint64_t)num_arg(k, v, 0, INT64_MAX);
        else if (!strcmp(k, "--etls"))
            o->n_etls = (int)num_arg(k, v, 1, 100000);
        else if (!strcmp(k, "--fast"))
            o->n_fast = (int)num_arg(k, v, 0, 1000);
        else if (!strcmp(k, "--days"))
            o->days = (int)num_arg(k, v, 1, 366);
        else if (!strcmp(k, "--since"))
            o->since = num_arg(k, v, 86400, INT64_C(4000000000));
        else if (!strcmp(k, "--interval"))
            o->interval = num_arg(k, v, 10, 3600);
        else if (!strcmp(k, "--follow-window"))
            o->follow_window = num_arg(k, v, 0, 86400);
        else if (!strcmp(k, "--out") && v)
            o->out = v;
        else if (!strcmp(k, "--polls") && v)
            o->polls_log = v;
        else
            die("usage: gen --out DIR [--seed S] [--etls N] [--fast N] [--days D] [--since EPOCH] "
                "[--interval S] [--follow-window S] [--polls REQUEST_LOG] [--realistic]%s",
                "");
    }
    if (!o->out)
        die("%s", "--out DIR is required");
}

static void plan_world(struct world *w, const struct opts *o, struct rng *r)
{
    w->since = o->since;
    w->until = o->since + (int64_t)o->days * 86400;
    w->interval = o->interval;
    w->max_gap = 3 * o->interval;
    w->skew = rng_range(r, skew_s[0], skew_s[1]) * (rng_unit(r) < 0.5 ? -1 : 1);
    plan_passes(w, r, o->days, o->realistic);
    plan_server_outage(w, r);
}

static int cmp_logged(const void *x, const void *y)
{
    const struct logged *a = x, *b = y;
    return a->id != b->id ? (a->id > b->id) - (a->id < b->id) : (a->t > b->t) - (a->t < b->t);
}

/* fakeco's --request-log: "NOW ID" per line. */
static void read_log(struct world *w, const char *path)
{
    FILE *f = fopen(path, "r");
    size_t cap = 0;
    long line = 0;
    char buf[128];
    if (!f)
        die("cannot read %s", path);
    while (fgets(buf, sizeof buf, f)) {
        struct logged l;
        line++;
        if (sscanf(buf, "%" SCNd64 " %" SCNd64, &l.t, &l.id) != 2) {
            fprintf(stderr, "gen: %s:%ld: expected \"NOW ID\"\n", path, line);
            exit(1);
        }
        if (w->n_log == cap) {
            cap = cap ? 2 * cap : 4096;
            if (!(w->log = realloc(w->log, cap * sizeof *w->log)))
                die("%s", "out of memory");
        }
        w->log[w->n_log++] = l;
    }
    fclose(f);
    if (!w->log)
        w->log = xcalloc(1, sizeof *w->log); /* a log with no line still replaces the passes */
    qsort(w->log, w->n_log, sizeof *w->log, cmp_logged);
}

static void write_params_file(const struct opts *o, const struct world *w, const int *roles,
                              const struct getl *g)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/params", o->out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    write_params(f, "", o, w, roles, g);
    if (fclose(f))
        die("cannot write %s", path);
}

int main(int argc, char **argv)
{
    struct opts o;
    struct world w = {0};
    char path[4096];
    int roles[ROLE_COUNT] = {0};
    parse_opts(argc, argv, &o);
    struct rng r = {o.seed};
    plan_world(&w, &o, &r);
    if (o.polls_log)
        read_log(&w, o.polls_log);
    int n = o.n_etls + o.n_fast;
    struct getl *g = xcalloc((size_t)n, sizeof *g);
    if (o.realistic)
        plan_real_etls(g, o.n_etls, &w, &r);
    else
        plan_etls(g, o.n_etls, &w, &r);
    plan_fast_etls(g, o.n_etls, o.n_fast, &w, &r);
    for (int i = 0; i < n; i++)
        roles[g[i].role]++;
    snprintf(path, sizeof path, "%s/scenario.scn", o.out);
    write_scenario(path, g, n, &w, &o);
    /* the truth comes from the scenario as fakeco reads it, not from the plan above */
    struct fake_scenario *sc = read_scenario(path);
    snprintf(path, sizeof path, "%s/truth", o.out);
    write_truth(path, sc, g, &w, &o, roles);
    write_side_files(&o, &w);
    write_params_file(&o, &w, roles, g);
    scenario_free(sc);
    for (int i = 0; i < n; i++) {
        free(g[i].dur);
        free(g[i].starts);
        free(g[i].outcome);
        free(g[i].manual);
        free(g[i].exp);
    }
    free(g);
    free(w.passes);
    free(w.log);
    free(w.out_from);
    free(w.out_len);
    return 0;
}
