/*
 * gen.c - seeded scenario generator for the accuracy check.
 *
 * Writes, into one folder: a fake CO scenario (scenario.scn), the collector pass instants
 * that run (passes), the truth (truth) and shell variables for the driver (env). The truth
 * is computed from the scenario as fakeco parsed it, with fakeco's own state function
 * (tests/fakeco/scenario.c), and every successful poll is checked against it.
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
    int days;
    int64_t since; /* collector clock: window start */
    int64_t interval;
    const char *out;
};

struct world {
    int64_t since, until, interval, max_gap, skew; /* since/until on the collector clock */
    int64_t outage_from, outage_until;             /* server-wide 503, server clock */
    int64_t *passes;                               /* collector clock, passes that run */
    size_t n_passes, planned, n_outages;
    int64_t *out_from, *out_len; /* collector outages, collector clock */
    int64_t outage_total_s;
};

struct getl {
    int64_t id;
    enum role role;
    int64_t period, offset, jitter, dur0, deleted;
    size_t profile, dclass;
    bool ended;
    int64_t n_runs;
    int64_t *dur;
    enum outcome *outcome;
    int64_t svc_period, svc_on; /* service; svc_period 0: always on */
    const char *never;
    int fault_code; /* 0: shares the server-wide outage */
    int64_t fault_from, fault_until;
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

static void plan_passes(struct world *w, struct rng *r, int days)
{
    size_t planned = (size_t)((w->until - w->since - PASS_PHASE_S + w->interval - 1) / w->interval);
    int64_t n_out = days / days_per_outage > 0 ? days / days_per_outage : 1;
    int64_t *from = xcalloc((size_t)n_out, sizeof *from),
            *len = xcalloc((size_t)n_out, sizeof *len);
    w->out_from = from;
    w->out_len = len;
    w->passes = xcalloc(planned, sizeof *w->passes);
    w->planned = planned;
    w->n_outages = (size_t)n_out;
    for (int64_t i = 0; i < n_out; i++) {
        len[i] = rng_range(r, outage_s[0], outage_s[1]);
        from[i] = rng_range(r, w->since + 6 * w->interval, w->until - len[i] - w->interval);
        w->outage_total_s += len[i];
    }
    for (size_t i = 0; i < planned; i++) {
        int64_t t = w->since + PASS_PHASE_S + (int64_t)i * w->interval;
        bool skip = i > 0 && rng_unit(r) < pass_skip_p;
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

static void assign_roles(struct getl *g, int n, struct rng *r)
{
    int at = 0;
    for (int role = 1; role < ROLE_COUNT; role++) {
        int count = (int)lround(role_share[role] * n);
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
    while (scenario_run_start(&f, n) < horizon)
        n++;
    g->n_runs = n + 1; /* one more, so that every run up to the horizon has a successor */
    g->dur = xcalloc((size_t)g->n_runs, sizeof *g->dur);
    g->outcome = xcalloc((size_t)g->n_runs, sizeof *g->outcome);
    for (int64_t k = 0; k < g->n_runs; k++) {
        enum outcome o = draw_outcome(&profiles[g->profile], r);
        int64_t gap = scenario_run_start(&f, k + 1) - scenario_run_start(&f, k);
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
    /* run 0 starts before the window, so the first poll meets a run already under way */
    g->offset = w->since + w->skew - g->period - rng_range(r, 0, g->period - 1);
    if (g->role == ROLE_LATE) {
        g->offset = w->since + w->skew + (int64_t)(span * rng_between(r, 0.3, 0.7));
        g->never = draw_never(r);
    }
    if (g->role == ROLE_DELETED)
        g->deleted = w->since + w->skew + (int64_t)(span * rng_between(r, 0.3, 0.8));
    plan_runs(g, w, r);
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

static void plan_etls(struct getl *g, int n, const struct world *w, struct rng *r)
{
    int nth = 0;
    assign_roles(g, n, r);
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
    if (g->period)
        snprintf(buf, cap, "Accuracy %" PRId64 " %s %s every %" PRId64 "s %s", g->id,
                 role_names[g->role], dclasses[g->dclass].name, g->period,
                 profiles[g->profile].name);
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
    if (g->period) {
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
    fprintf(f, "# accuracy scenario: tests/accuracy/gen.c --seed %" PRIu64 " --etls %d --days %d\n",
            o->seed, o->n_etls, o->days);
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

static void find_polls(const struct fake_etl *e, const struct world *w, struct polls *p)
{
    p->t = xcalloc(w->n_passes, sizeof *p->t);
    p->n = 0;
    for (size_t i = 0; i < w->n_passes; i++)
        if (poll_ok(e, w->passes[i] + w->skew))
            p->t[p->n++] = w->passes[i];
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

/* DESIGN 3.2: between two successful polls at most max_gap apart the time is observed. */
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

/* What each pass got from this ETL: the health report counts these. */
static void truth_poll_counts(FILE *f, const struct fake_etl *e, const struct world *w)
{
    int64_t n400 = 0, n5xx = 0, failed = 0;
    for (size_t i = 0; i < w->n_passes; i++) {
        struct fake_state st;
        int64_t t = w->passes[i] + w->skew;
        int code = scenario_state(e, t, &st) != 0        ? 400
                   : scenario_fault_active(&e->fault, t) ? e->fault.http_code
                                                         : 200;
        failed += code != 200;
        n400 += code == 400;
        n5xx += code >= 500 && code <= 599;
    }
    fprintf(f, "polls %" PRId64 " %zu %" PRId64 " %" PRId64 " %" PRId64 "\n", e->id, w->n_passes,
            failed, n400, n5xx);
}

static void truth_etl(FILE *f, const struct fake_etl *e, const struct world *w, struct tally *tl)
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
    tl->polls += (int64_t)p.n;
    free(p.t);
}

/* ---- parameters, for the truth file and docs/accuracy.md ---- */

static void write_params(FILE *f, const char *pre, const struct opts *o, const struct world *w,
                         const int *roles)
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
            pre, w->planned, w->n_passes, w->n_outages, w->outage_total_s, pass_skip_p);
    fprintf(f, "%sserver_outage 503 on every ETL without its own fault, %s to %s (server clock)\n",
            pre, acc_iso(w->outage_from, a, sizeof a), acc_iso(w->outage_until, b, sizeof b));
    fprintf(f, "%sroles", pre);
    for (int r = 0; r < ROLE_COUNT; r++)
        fprintf(f, " %s=%d", role_names[r], roles[r]);
    fprintf(f, "; own 5xx window: %.0f%% of ETLs\n", own_fault_share * 100);
    fprintf(f, "%speriods_s", pre);
    for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
        fprintf(f, " %" PRId64 ":%.0f%%", periods[i].period, periods[i].weight);
    fprintf(f,
            "; jitter on %.0f%% (up to 2/3 period, at most 1800 s); ENDED instead of WAITING on "
            "%.0f%%\n",
            jitter_share * 100, ended_share * 100);
    fprintf(f, "%sdurations", pre);
    for (size_t i = 0; i < sizeof dclasses / sizeof *dclasses; i++)
        fprintf(f, " %s:%.0f%%:%" PRId64 "-%" PRId64 "s", dclasses[i].name, dclasses[i].weight,
                dclasses[i].lo, dclasses[i].hi);
    fprintf(f, "; per run x0.5-1.5 (ERROR x0.2-1.0, ABORTED x0.05-0.6)\n");
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++)
        fprintf(f, "%sprofile %s %.0f%% of ETLs: OK %.2f WARNING %.2f ERROR %.2f ABORTED %.2f\n",
                pre, profiles[i].name, profiles[i].weight, profiles[i].p[0], profiles[i].p[1],
                profiles[i].p[2], profiles[i].p[3]);
}

static void write_truth(const char *path, const struct fake_scenario *sc, const struct world *w,
                        const struct opts *o, const int *roles)
{
    struct tally tl = {0, 0};
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    fprintf(f, "# etlhist accuracy truth (tests/accuracy/README.md)\n");
    write_params(f, "param ", o, w, roles);
    fprintf(f, "window %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n", w->since,
            w->until, w->interval, w->max_gap, w->skew);
    for (size_t i = 0; i < w->n_passes; i++)
        fprintf(f, "pass %" PRId64 "\n", w->passes[i]);
    for (size_t i = 0; i < sc->n_etls; i++)
        truth_etl(f, &sc->etls[i], w, &tl);
    if (fclose(f))
        die("cannot write %s", path);
    fprintf(stderr,
            "gen: %zu ETLs, %" PRId64 " true runs in the window, %zu passes, %" PRId64
            " successful polls\n",
            sc->n_etls, tl.runs, w->n_passes, tl.polls);
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
            w->interval, o->n_etls, TOKEN, w->n_passes);
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
        if (!strcmp(k, "--seed"))
            o->seed = (uint64_t)num_arg(k, v, 0, INT64_MAX);
        else if (!strcmp(k, "--etls"))
            o->n_etls = (int)num_arg(k, v, 1, 100000);
        else if (!strcmp(k, "--days"))
            o->days = (int)num_arg(k, v, 1, 366);
        else if (!strcmp(k, "--since"))
            o->since = num_arg(k, v, 86400, INT64_C(4000000000));
        else if (!strcmp(k, "--interval"))
            o->interval = num_arg(k, v, 10, 3600);
        else if (!strcmp(k, "--out") && v)
            o->out = v;
        else
            die("usage: gen --out DIR [--seed S] [--etls N] [--days D] [--since EPOCH] "
                "[--interval S]%s",
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
    plan_passes(w, r, o->days);
    plan_server_outage(w, r);
}

static void write_params_file(const struct opts *o, const struct world *w, const int *roles)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/params", o->out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path);
    write_params(f, "", o, w, roles);
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
    struct getl *g = xcalloc((size_t)o.n_etls, sizeof *g);
    plan_etls(g, o.n_etls, &w, &r);
    for (int i = 0; i < o.n_etls; i++)
        roles[g[i].role]++;
    snprintf(path, sizeof path, "%s/scenario.scn", o.out);
    write_scenario(path, g, o.n_etls, &w, &o);
    /* the truth comes from the scenario as fakeco reads it, not from the plan above */
    struct fake_scenario *sc = read_scenario(path);
    snprintf(path, sizeof path, "%s/truth", o.out);
    write_truth(path, sc, &w, &o, roles);
    write_side_files(&o, &w);
    write_params_file(&o, &w, roles);
    scenario_free(sc);
    for (int i = 0; i < o.n_etls; i++) {
        free(g[i].dur);
        free(g[i].outcome);
    }
    free(g);
    free(w.passes);
    free(w.out_from);
    free(w.out_len);
    return 0;
}
