/*
 * check.c - compares etlhist's reports with the truth written by gen.c.
 *
 * Reads the truth file and the CSV output of `etlhist-report runs`, `summary` and
 * `services` over the simulated window, prints the accuracy table (Markdown), then every
 * missed target with the run, the polls around it and what etlhist reported.
 * Exit status: 0 every target met, 1 a target missed, 2 unreadable input.
 */
#include "acc.h"

#include <csv.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES_MAX 5
#define CELL 64             /* bytes of one table cell */
#define PCT_TOLERANCE 1.0   /* coverage and time in state: within 1 % of the window */
#define RATE_ROUNDING 0.051 /* reports round rates to 0.1 points */

/* ---- data ---- */

struct trun { /* a true run, from the truth file (server clock; polls on the collector's) */
    int64_t id, k, start, end;
    char outcome[12];
    unsigned flags;
    int64_t before, after, run_first, run_last, end_poll, end_prev;
    long match;  /* index into reported runs, -1 */
    bool manual; /* a "Run now" run (gen --realistic) */
};

struct rrun { /* a run as etlhist-report runs printed it */
    int64_t id, start, end_seen;
    char outcome[12];
    bool has_dur;
    int64_t lo, hi;
    long match;                /* index into true runs, -1 */
    int late, overdue, manual; /* -1: the report has no such column */
    int64_t expected, delay;
};

struct texp { /* a true expected start (gen.c truth_expected) */
    int64_t id, at, delay;
    char fate[12];
    int seen, learn;
    long reported; /* index into reported missed starts, -1 */
};

struct tover { /* a true overdue run */
    int64_t id, start, limit, running, lo;
    bool reported;
};

struct rmiss { /* a row of etlhist-report missed */
    int64_t id, at, period;
    long match; /* index into true expected starts, -1 */
};

struct etl {
    int64_t id;
    char kind[12];
    int64_t deleted, last_poll;
    int64_t obs_s, win_s, on_s, off_s;
    int64_t polls, failed, n400, n5xx, transitions;         /* truth */
    int64_t h_polls, h_errors, h_400, h_5xx, h_transitions; /* health and services reports */
    char svc_last[16];
    bool in_summary, in_services, in_health, has_fail, has_abort;
    int64_t runs, report_rows;
    double fail_pct, abort_pct, cov_pct, on_pct, off_pct;
    char tkind[16], shape[16], rkind[16]; /* true and reported schedule kind */
    int jittery;
    bool has_mttr, in_schedule;
    int64_t t_mttr, t_mtbf, r_mttr, r_mtbf; /* -1: none */
    int64_t t_period, r_period;             /* true and learnt period, s */
    char zone[40], rclock[40];              /* true clock of the schedule, reported one */
    int64_t change;                         /* the zone's first offset change in the window */
};

struct tmanual { /* a true "Run now" run (gen --realistic) */
    int64_t id, start;
};

struct data {
    int64_t since, until, interval, max_gap, skew;
    int64_t follow;     /* the truth's follow window (s after a pass), 0 if none */
    int64_t follow_max; /* --follow-width: target for followed runs' widths, 0 if none */
    int64_t *pass;      /* pass instants, collector clock, ascending */
    size_t npass, cappass;
    struct trun *t;
    size_t nt, capt;
    struct rrun *r;
    size_t nr, capr;
    struct etl *e;
    size_t ne, cape;
    struct texp *x;
    size_t nx, capx;
    struct tover *o;
    size_t no, capo;
    struct rmiss *m;
    size_t nm, capm;
    bool has_sched; /* the schedule and missed reports were given */
    struct tmanual *man;
    size_t nman, capman;
    bool realistic;  /* the truth has zone lines: gen --realistic */
    bool has_manual; /* the runs report has the manual column */
    bool has_clock;  /* the schedule report has the clock column */
};

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 1024;
    p = realloc(p, *cap * size);
    if (!p) {
        fprintf(stderr, "check: out of memory\n");
        exit(2);
    }
    return p;
}

static struct etl *find_etl(struct data *d, int64_t id)
{
    size_t lo = 0, hi = d->ne; /* the truth lists ETLs by ascending id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->e[mid].id == id)
            return &d->e[mid];
        if (d->e[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- truth file ---- */

static bool parse_flags(const char *s, unsigned *out)
{
    *out = 0;
    for (; *s && *s != '-'; s++) {
        const char *p = strchr(RF_LETTERS, *s);
        if (!p)
            return false;
        *out |= 1u << (p - RF_LETTERS);
    }
    return true;
}

static bool truth_run(struct data *d, const char *line)
{
    struct trun t = {.match = -1};
    char flags[16];
    if (sscanf(line,
               "run %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %11s %15s %" SCNd64 " %" SCNd64
               " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64,
               &t.id, &t.k, &t.start, &t.end, t.outcome, flags, &t.before, &t.after, &t.run_first,
               &t.run_last, &t.end_poll, &t.end_prev) != 12 ||
        !parse_flags(flags, &t.flags))
        return false;
    if (!strcmp(t.outcome, "FAILED"))
        strcpy(t.outcome, "ERROR");
    d->t = grow(d->t, &d->capt, d->nt, sizeof *d->t);
    d->t[d->nt++] = t;
    return true;
}

static bool truth_etl(struct data *d, const char *line)
{
    struct etl e = {0};
    if (sscanf(line, "etl %" SCNd64 " %11s %" SCNd64 " %" SCNd64, &e.id, e.kind, &e.deleted,
               &e.last_poll) != 4)
        return false;
    d->e = grow(d->e, &d->cape, d->ne, sizeof *d->e);
    d->e[d->ne++] = e;
    return true;
}

static bool truth_obs(struct data *d, const char *line)
{
    int64_t id, obs, win, on, off;
    if (sscanf(line, "obs %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64, &id, &obs,
               &win, &on, &off) != 5 ||
        !d->ne || d->e[d->ne - 1].id != id)
        return false;
    struct etl *e = &d->e[d->ne - 1];
    e->obs_s = obs;
    e->win_s = win;
    e->on_s = on;
    e->off_s = off;
    return true;
}

static bool truth_polls(struct data *d, const char *line)
{
    int64_t id;
    struct etl *e = d->ne ? &d->e[d->ne - 1] : NULL;
    return e &&
           sscanf(line, "polls %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64, &id,
                  &e->polls, &e->failed, &e->n400, &e->n5xx) == 5 &&
           id == e->id;
}

/* A change between SERVICE_ON and SERVICE_OFF inside the window (server clock). */
static bool truth_svc(struct data *d, const char *line)
{
    int64_t id, from, until;
    char st[16];
    struct etl *e = d->ne ? &d->e[d->ne - 1] : NULL;
    if (!e ||
        sscanf(line, "svc %" SCNd64 " %" SCNd64 " %" SCNd64 " %15s", &id, &from, &until, st) != 4 ||
        id != e->id)
        return false;
    bool onoff = !strcmp(st, "SERVICE_ON") || !strcmp(st, "SERVICE_OFF");
    bool was = !strcmp(e->svc_last, "SERVICE_ON") || !strcmp(e->svc_last, "SERVICE_OFF");
    e->transitions += onoff && was && strcmp(st, e->svc_last) && from > d->since + d->skew;
    snprintf(e->svc_last, sizeof e->svc_last, "%s", st);
    return true;
}

static bool truth_sched(struct data *d, const char *line)
{
    int64_t id, period, offset;
    struct etl *e = d->ne ? &d->e[d->ne - 1] : NULL;
    if (!e ||
        sscanf(line, "sched %" SCNd64 " %15s %" SCNd64 " %" SCNd64 " %d %15s", &id, e->tkind,
               &period, &offset, &e->jittery, e->shape) != 6 ||
        id != e->id)
        return false;
    e->t_period = period;
    return true;
}

/* gen --realistic: a "Run now" run, and the clock a schedule follows. */
static bool truth_manual(struct data *d, const char *line)
{
    struct tmanual m;
    if (sscanf(line, "manual %" SCNd64 " %" SCNd64, &m.id, &m.start) != 2)
        return false;
    d->man = grow(d->man, &d->capman, d->nman, sizeof *d->man);
    d->man[d->nman++] = m;
    return true;
}

static bool truth_zone(struct data *d, const char *line)
{
    int64_t id;
    struct etl *e = d->ne ? &d->e[d->ne - 1] : NULL;
    if (!e || sscanf(line, "zone %" SCNd64 " %39s %" SCNd64, &id, e->zone, &e->change) != 3 ||
        id != e->id)
        return false;
    d->realistic = true;
    return true;
}

static bool truth_exp(struct data *d, const char *line)
{
    struct texp x = {.reported = -1};
    if (sscanf(line, "exp %" SCNd64 " %" SCNd64 " %11s %" SCNd64 " %d %d", &x.id, &x.at, x.fate,
               &x.delay, &x.seen, &x.learn) != 6)
        return false;
    d->x = grow(d->x, &d->capx, d->nx, sizeof *d->x);
    d->x[d->nx++] = x;
    return true;
}

static bool truth_over(struct data *d, const char *line)
{
    struct tover o = {0};
    if (sscanf(line, "overdue %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64, &o.id,
               &o.start, &o.limit, &o.running, &o.lo) != 5)
        return false;
    d->o = grow(d->o, &d->capo, d->no, sizeof *d->o);
    d->o[d->no++] = o;
    return true;
}

static bool truth_mttr(struct data *d, const char *line)
{
    int64_t id;
    struct etl *e = d->ne ? &d->e[d->ne - 1] : NULL;
    if (!e ||
        sscanf(line, "mttr %" SCNd64 " %" SCNd64 " %" SCNd64, &id, &e->t_mttr, &e->t_mtbf) != 3 ||
        id != e->id)
        return false;
    e->has_mttr = true;
    return true;
}

static bool truth_line(struct data *d, const char *line)
{
    if (!strncmp(line, "exp ", 4))
        return truth_exp(d, line);
    if (!strncmp(line, "sched ", 6))
        return truth_sched(d, line);
    if (!strncmp(line, "overdue ", 8))
        return truth_over(d, line);
    if (!strncmp(line, "mttr ", 5))
        return truth_mttr(d, line);
    if (!strncmp(line, "manual ", 7))
        return truth_manual(d, line);
    if (!strncmp(line, "zone ", 5))
        return truth_zone(d, line);
    if (!strncmp(line, "polls ", 6))
        return truth_polls(d, line);
    if (!strncmp(line, "svc ", 4))
        return truth_svc(d, line);
    if (!strncmp(line, "run ", 4))
        return truth_run(d, line);
    if (!strncmp(line, "etl ", 4))
        return truth_etl(d, line);
    if (!strncmp(line, "obs ", 4))
        return truth_obs(d, line);
    if (!strncmp(line, "pass ", 5)) {
        d->pass = grow(d->pass, &d->cappass, d->npass, sizeof *d->pass);
        return sscanf(line, "pass %" SCNd64, &d->pass[d->npass++]) == 1 &&
               (d->npass == 1 || d->pass[d->npass - 1] > d->pass[d->npass - 2]);
    }
    if (!strncmp(line, "follow ", 7))
        return sscanf(line, "follow %" SCNd64, &d->follow) == 1 && d->follow >= 0;
    if (!strncmp(line, "window ", 7))
        return sscanf(line, "window %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64,
                      &d->since, &d->until, &d->interval, &d->max_gap, &d->skew) == 5;
    return true; /* comments and param lines: for people */
}

static void read_truth(struct data *d, const char *path)
{
    char line[512];
    long n = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "check: cannot read %s\n", path);
        exit(2);
    }
    while (fgets(line, sizeof line, f)) {
        n++;
        if (!truth_line(d, line)) {
            fprintf(stderr, "check: %s:%ld: malformed line\n", path, n);
            exit(2);
        }
    }
    fclose(f);
}

/* ---- CSV reports (libcsv, as etlhist writes them) ---- */

struct csvr {
    char **hdr, **f;
    size_t n_hdr, n, cap;
    bool header_done;
    void (*row)(struct data *, const struct csvr *);
    struct data *d;
    const char *path;
};

static void csv_field(void *s, size_t len, void *arg)
{
    struct csvr *c = arg;
    c->f = grow(c->f, &c->cap, c->n, sizeof *c->f);
    c->f[c->n] = strndup(s ? s : "", s ? len : 0);
    if (!c->f[c->n++]) {
        fprintf(stderr, "check: out of memory\n");
        exit(2);
    }
}

static void csv_row(int term, void *arg)
{
    struct csvr *c = arg;
    (void)term;
    if (!c->header_done) {
        c->hdr = c->f;
        c->n_hdr = c->n;
        c->header_done = true;
        c->f = NULL;
        c->cap = 0;
    } else {
        c->row(c->d, c);
        for (size_t i = 0; i < c->n; i++)
            free(c->f[i]);
    }
    c->n = 0;
}

/* The cell of column `name`, or NULL when the report has no such column. */
static const char *cell_opt(const struct csvr *c, const char *name)
{
    for (size_t i = 0; i < c->n_hdr && i < c->n; i++)
        if (!strcmp(c->hdr[i], name))
            return c->f[i];
    return NULL;
}

/* The cell of column `name`; a missing column is a usage error of this checker. */
static const char *cell(const struct csvr *c, const char *name)
{
    for (size_t i = 0; i < c->n_hdr && i < c->n; i++)
        if (!strcmp(c->hdr[i], name))
            return c->f[i];
    fprintf(stderr, "check: %s: no column %s\n", c->path, name);
    exit(2);
}

static void read_csv(const char *path, struct data *d,
                     void (*row)(struct data *, const struct csvr *))
{
    struct csv_parser p;
    struct csvr c = {.row = row, .d = d, .path = path};
    char buf[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f || csv_init(&p, CSV_APPEND_NULL)) {
        fprintf(stderr, "check: cannot read %s\n", path);
        exit(2);
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, n, csv_field, csv_row, &c) != n) {
            fprintf(stderr, "check: %s: %s\n", path, csv_strerror(csv_error(&p)));
            exit(2);
        }
    csv_fini(&p, csv_field, csv_row, &c);
    csv_free(&p);
    fclose(f);
    for (size_t i = 0; i < c.n_hdr; i++)
        free(c.hdr[i]);
    free(c.hdr);
    free(c.f);
}

static int64_t utc(const char *s)
{
    struct tm tm = {0};
    if (!*s)
        return -1;
    if (sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

static void runs_row(struct data *d, const struct csvr *c)
{
    struct rrun r = {.match = -1};
    const char *lo = cell(c, "duration_lo_s"), *hi = cell(c, "duration_hi_s");
    r.id = strtoll(cell(c, "etl_id"), NULL, 10);
    r.start = utc(cell(c, "start_utc"));
    r.end_seen = utc(cell(c, "end_utc"));
    snprintf(r.outcome, sizeof r.outcome, "%s", cell(c, "outcome"));
    r.has_dur = *lo && *hi;
    r.lo = strtoll(lo, NULL, 10);
    r.hi = strtoll(hi, NULL, 10);
    const char *late = cell_opt(c, "late"), *over = cell_opt(c, "overdue");
    const char *exp = cell_opt(c, "expected_start_utc"), *delay = cell_opt(c, "delay_s");
    const char *manual = cell_opt(c, "manual");
    r.manual = manual && *manual ? atoi(manual) : -1;
    d->has_manual |= manual != NULL;
    r.late = late && *late ? atoi(late) : -1;
    r.overdue = over && *over ? atoi(over) : -1;
    r.expected = exp ? utc(exp) : -1;
    r.delay = delay && *delay ? strtoll(delay, NULL, 10) : 0;
    d->r = grow(d->r, &d->capr, d->nr, sizeof *d->r);
    d->r[d->nr++] = r;
    struct etl *e = find_etl(d, r.id);
    if (e)
        e->report_rows++;
}

static bool number(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    *out = strtod(s, &end);
    return *end == '\0';
}

static void summary_row(struct data *d, const struct csvr *c)
{
    struct etl *e = find_etl(d, strtoll(cell(c, "etl_id"), NULL, 10));
    if (!e)
        return;
    e->in_summary = true;
    e->runs = strtoll(cell(c, "runs"), NULL, 10);
    e->has_fail = number(cell(c, "failure_rate_pct"), &e->fail_pct);
    e->has_abort = number(cell(c, "abort_rate_pct"), &e->abort_pct);
    if (!number(cell(c, "coverage_pct"), &e->cov_pct))
        e->cov_pct = NAN;
    const char *mttr = cell_opt(c, "mttr_s"), *mtbf = cell_opt(c, "mtbf_s");
    e->r_mttr = mttr && *mttr ? strtoll(mttr, NULL, 10) : -1;
    e->r_mtbf = mtbf && *mtbf ? strtoll(mtbf, NULL, 10) : -1;
}

static void schedule_row(struct data *d, const struct csvr *c)
{
    struct etl *e = find_etl(d, strtoll(cell(c, "etl_id"), NULL, 10));
    if (!e)
        return;
    e->in_schedule = true;
    snprintf(e->rkind, sizeof e->rkind, "%s", cell(c, "kind"));
    e->r_period = strtoll(cell(c, "period_s"), NULL, 10);
    const char *clock = cell_opt(c, "clock");
    snprintf(e->rclock, sizeof e->rclock, "%s", clock ? clock : "");
    d->has_clock |= clock != NULL;
}

static void missed_row(struct data *d, const struct csvr *c)
{
    struct rmiss m = {.match = -1};
    m.id = strtoll(cell(c, "etl_id"), NULL, 10);
    m.at = utc(cell(c, "expected_start_utc"));
    m.period = strtoll(cell(c, "period_s"), NULL, 10);
    d->m = grow(d->m, &d->capm, d->nm, sizeof *d->m);
    d->m[d->nm++] = m;
}

static void services_row(struct data *d, const struct csvr *c)
{
    struct etl *e = find_etl(d, strtoll(cell(c, "etl_id"), NULL, 10));
    if (!e)
        return;
    e->in_services = true;
    if (!number(cell(c, "on_pct"), &e->on_pct) || !number(cell(c, "off_pct"), &e->off_pct))
        e->on_pct = e->off_pct = NAN;
    e->h_transitions = strtoll(cell(c, "transitions"), NULL, 10);
}

static void health_row(struct data *d, const struct csvr *c)
{
    struct etl *e = find_etl(d, strtoll(cell(c, "etl_id"), NULL, 10));
    if (!e)
        return;
    e->in_health = true;
    e->h_polls = strtoll(cell(c, "polls"), NULL, 10);
    e->h_errors = strtoll(cell(c, "errors"), NULL, 10);
    e->h_400 = strtoll(cell(c, "not_found"), NULL, 10);
    e->h_5xx = strtoll(cell(c, "http_5xx"), NULL, 10);
}

/* ---- matching: by ETL and start (both on the server's clock) ---- */

static int cmp_key(int64_t id1, int64_t s1, int64_t id2, int64_t s2)
{
    return id1 != id2 ? (id1 > id2) - (id1 < id2) : (s1 > s2) - (s1 < s2);
}

static int cmp_trun(const void *a, const void *b)
{
    const struct trun *x = a, *y = b;
    return cmp_key(x->id, x->start, y->id, y->start);
}

static int cmp_rrun(const void *a, const void *b)
{
    const struct rrun *x = a, *y = b;
    return cmp_key(x->id, x->start, y->id, y->start);
}

static void match_runs(struct data *d)
{
    size_t i = 0, j = 0;
    qsort(d->t, d->nt, sizeof *d->t, cmp_trun);
    qsort(d->r, d->nr, sizeof *d->r, cmp_rrun);
    while (i < d->nt && j < d->nr) {
        int c = cmp_key(d->t[i].id, d->t[i].start, d->r[j].id, d->r[j].start);
        if (c == 0) {
            d->t[i].match = (long)j;
            d->r[j].match = (long)i;
        }
        i += c <= 0;
        j += c >= 0;
    }
}

/* ---- the table ---- */

struct table {
    int misses;
    char detail[16][160]; /* one line per missed target, for the summary at the end */
};

static void row(struct table *tb, const char *measure, const char *got, const char *truth,
                const char *target, int verdict) /* verdict: -1 info, 0 missed, 1 met */
{
    static const char *const verdicts[] = {"**MISS**", "ok"};
    printf("| %s | %s | %s | %s | %s |\n", measure, got, truth, target,
           verdict < 0 ? "" : verdicts[verdict]);
    if (verdict == 0 && tb->misses < 16)
        snprintf(tb->detail[tb->misses], sizeof tb->detail[0], "%s", measure);
    tb->misses += verdict == 0;
}

static const char *num(char *buf, int64_t v)
{
    snprintf(buf, CELL, "%" PRId64, v);
    return buf;
}

static const char *pct(char *buf, int64_t part, int64_t whole)
{
    if (whole)
        snprintf(buf, CELL, "%" PRId64 " (%.2f %%)", part, 100.0 * (double)part / (double)whole);
    else
        snprintf(buf, CELL, "%" PRId64, part);
    return buf;
}

static void section(const char *title)
{
    printf("| **%s** | | | | |\n", title);
}

#define HAS(t, f) (((t)->flags & (f)) == (f))

static bool known(const char *o)
{
    return !strcmp(o, "OK") || !strcmp(o, "WARNING") || !strcmp(o, "ERROR") ||
           !strcmp(o, "ABORTED");
}

/* ---- runs ---- */

struct run_counts {
    int64_t all, obs, obs_seen, missed, seen_unobs, unseen, counted, matched, spurious,
        seen_uncounted;
};

static void count_runs(const struct data *d, struct run_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < d->nt; i++) {
        const struct trun *t = &d->t[i];
        bool obs = HAS(t, RF_OBSERVED), seen = HAS(t, RF_SEEN);
        c->all++;
        c->obs += obs;
        c->obs_seen += obs && seen;
        c->missed += obs && !seen;
        c->seen_unobs += seen && !obs;
        c->unseen += !seen;
        c->seen_uncounted += seen && t->match < 0;
    }
    for (size_t j = 0; j < d->nr; j++) {
        c->counted++;
        c->matched += d->r[j].match >= 0;
        c->spurious += d->r[j].match < 0 || !HAS(&d->t[d->r[j].match], RF_SEEN);
    }
}

static void table_runs(const struct data *d, struct table *tb)
{
    struct run_counts c;
    char a[CELL], b[CELL];
    count_runs(d, &c);
    section("Runs (started in the window)");
    row(tb, "true runs", "", num(a, c.all), "", -1);
    row(tb, "true runs with start and end in observed time", "", num(a, c.obs), "", -1);
    row(tb, "... seen by at least one poll", "", num(a, c.obs_seen), "", -1);
    row(tb, "... missed: began and ended between two polls while a later run also began", "",
        pct(a, c.missed, c.obs), "counted as missed", -1);
    row(tb, "true runs seen by a poll although start or end fell in unobserved time", "",
        num(a, c.seen_unobs), "", -1);
    row(tb, "true runs no poll saw (missed, or in unobserved time)", "", num(a, c.unseen), "", -1);
    row(tb, "runs counted by etlhist", num(a, c.counted), num(b, c.all - c.unseen),
        "= true runs seen", c.counted == c.all - c.unseen);
    row(tb, "counted runs of true runs in observed time", pct(a, c.obs_seen, c.obs), num(b, c.obs),
        "all but missed", c.obs_seen == c.obs - c.missed);
    row(tb, "counted runs matching no true run (ETL, start)", num(a, c.spurious), "0", "0",
        c.spurious == 0);
    row(tb, "true runs seen by a poll but not counted", num(a, c.seen_uncounted), "0", "0",
        c.seen_uncounted == 0);
}

/* ---- outcomes ---- */

struct outcome_counts {
    int64_t known, exact, wrong, guessed, end_seen, end_seen_known;
    int64_t unknown, unknown_noend, unknown_end, running, running_open, running_stopped,
        running_end;
};

static void count_outcomes(const struct data *d, struct outcome_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < d->nt; i++) {
        const struct trun *t = &d->t[i];
        const struct rrun *r = t->match >= 0 ? &d->r[t->match] : NULL;
        bool end = HAS(t, RF_END);
        c->end_seen += end;
        if (!r)
            continue;
        c->end_seen_known += end && known(r->outcome);
        if (known(r->outcome)) {
            c->known++;
            c->exact += !strcmp(r->outcome, t->outcome);
            c->wrong += strcmp(r->outcome, t->outcome) != 0;
            c->guessed += !end;
        } else if (!strcmp(r->outcome, "UNKNOWN")) {
            c->unknown++;
            c->unknown_noend += !end;
            c->unknown_end += end;
        } else if (!strcmp(r->outcome, "RUNNING")) {
            const struct etl *e = find_etl((struct data *)d, t->id);
            c->running++;
            c->running_end += end;
            if (!end && e && e->deleted >= 0)
                c->running_stopped++;
            else if (!end)
                c->running_open++;
        }
    }
}

static void table_outcomes(const struct data *d, struct table *tb)
{
    struct outcome_counts c;
    char a[CELL], b[CELL];
    count_outcomes(d, &c);
    section("Outcomes");
    row(tb, "counted runs with a known outcome (OK, WARNING, ERROR, ABORTED)", num(a, c.known), "",
        "", -1);
    row(tb, "... exactly the true outcome", pct(a, c.exact, c.known), num(b, c.known), "all",
        c.exact == c.known);
    row(tb, "... although no poll saw the run end (a guess)", num(a, c.guessed), "0", "0",
        c.guessed == 0);
    row(tb, "true runs whose end a poll saw, with a known outcome", num(a, c.end_seen_known),
        num(b, c.end_seen), "all", c.end_seen_known == c.end_seen);
    row(tb, "runs UNKNOWN", num(a, c.unknown), "", "", -1);
    row(tb, "... no poll saw the end (a newer run began first)", num(a, c.unknown_noend), "", "",
        -1);
    row(tb, "... although a poll saw the end", num(a, c.unknown_end), "0", "0", c.unknown_end == 0);
    row(tb, "runs RUNNING (summary counts them as unknown)", num(a, c.running), "", "", -1);
    row(tb, "... still running at the ETL's last successful poll", num(a, c.running_open), "", "",
        -1);
    row(tb, "... ETL deleted before a poll saw the end (observation stopped)",
        num(a, c.running_stopped), "", "", -1);
    row(tb, "... although a poll saw the end", num(a, c.running_end), "0", "0", c.running_end == 0);
}

/* ---- durations ---- */

struct dur_counts {
    int64_t gap_ends, gap_narrow, gap_narrow_width;
    int64_t bounded, bracketed, unbracketed_bounds, bracketed_nobounds, inside;
    int64_t width_sum, width_max, ideal_sum, n_run, width_run, n_norun, width_norun;
    double err_sum;
};

static void count_durations(const struct data *d, struct dur_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < d->nt; i++) {
        const struct trun *t = &d->t[i];
        const struct rrun *r = t->match >= 0 ? &d->r[t->match] : NULL;
        if (!r)
            continue;
        bool br = HAS(t, RF_BRACKET);
        if (HAS(t, RF_END) && !br) { /* the end was seen across an unobserved gap */
            int64_t lo = t->run_last >= 0 ? t->run_last + d->skew - t->start : 0;
            int64_t w = t->end_poll + d->skew - t->start - (lo > 0 ? lo : 0);
            c->gap_ends++;
            c->gap_narrow += w <= d->max_gap;
            c->gap_narrow_width += w <= d->max_gap ? w : 0;
        }
        c->bracketed += br;
        c->bracketed_nobounds += br && !r->has_dur;
        if (!r->has_dur)
            continue;
        int64_t dur = t->end - t->start, w = r->hi - r->lo;
        c->bounded++;
        c->unbracketed_bounds += !br;
        c->inside += dur >= r->lo && dur <= r->hi;
        c->width_sum += w;
        c->width_max = w > c->width_max ? w : c->width_max;
        c->err_sum += fabs((double)(r->lo + r->hi) / 2 - (double)dur);
        if (br) { /* the narrowest bounds these polls allow */
            int64_t lo = t->run_last >= 0 ? t->run_last + d->skew - t->start : 0;
            c->ideal_sum += t->end_poll + d->skew - t->start - (lo > 0 ? lo : 0);
        }
        if (HAS(t, RF_RUNNING)) {
            c->n_run++;
            c->width_run += w;
        } else {
            c->n_norun++;
            c->width_norun += w;
        }
    }
}

static const char *width(char *buf, int64_t sum, int64_t n, int64_t interval)
{
    if (!n)
        return "-";
    double w = (double)sum / (double)n;
    snprintf(buf, CELL, "%.1f s (%.2f x interval)", w, w / (double)interval);
    return buf;
}

static void table_durations(const struct data *d, struct table *tb)
{
    struct dur_counts c;
    char a[CELL], b[CELL];
    count_durations(d, &c);
    section("Durations");
    row(tb, "counted runs with duration bounds [lo, hi]", num(a, c.bounded), num(b, c.bracketed),
        "= runs whose end two polls <= max_gap apart bracketed",
        c.bounded == c.bracketed && c.unbracketed_bounds == 0);
    row(tb, "... bracketed but without bounds", num(a, c.bracketed_nobounds), "0", "0",
        c.bracketed_nobounds == 0);
    row(tb, "true duration inside [lo, hi]", pct(a, c.inside, c.bounded), num(b, c.bounded), "all",
        c.inside == c.bounded);
    row(tb, "mean width hi - lo", width(a, c.width_sum, c.bounded, d->interval),
        width(b, c.ideal_sum, c.bracketed, d->interval), "truth: narrowest the polls allow", -1);
    row(tb, "... runs seen RUNNING", width(a, c.width_run, c.n_run, d->interval), "", "", -1);
    row(tb, "... runs never seen RUNNING (lo = 0)", width(a, c.width_norun, c.n_norun, d->interval),
        "", "", -1);
    snprintf(a, sizeof a, "%" PRId64 " s", c.width_max);
    row(tb, "widest hi - lo", a, "", "", -1);
    snprintf(a, sizeof a, "%.1f s", c.bounded ? c.err_sum / (double)c.bounded : 0.0);
    row(tb, "mean distance of the midpoint from the true duration", a, "", "", -1);
    row(tb, "runs whose end a poll saw only after an unobserved gap (no bounds, by design)",
        num(a, c.gap_ends), "", "", -1);
    snprintf(b, sizeof b, "mean width %s", width(a, c.gap_narrow_width, c.gap_narrow, d->interval));
    row(tb, "... of which start (or last RUNNING poll) and end poll lie <= max_gap apart",
        num(a, c.gap_narrow), b, "", -1);
}

/* ---- runs that end inside a follow window ---- */

/* Runs whose true end falls within `follow` seconds after a pass (collector clock): those
 * running at the pass (follow polls them from the pass on) and those that began after it
 * (followed only when their schedule was learnt). Widths are over the runs with bounds. */
struct follow_group {
    int64_t n, bounded, inside, width_sum, width_max;
};

struct follow_counts {
    struct follow_group running, polled_running, began, outside;
    int64_t began_missed;
};

/* The last pass at or before t, or INT64_MIN. */
static int64_t pass_before(const struct data *d, int64_t t)
{
    size_t lo = 0, hi = d->npass;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->pass[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? d->pass[lo - 1] : INT64_MIN;
}

static void follow_add(struct follow_group *g, const struct trun *t, const struct rrun *r)
{
    g->n++;
    if (!r || !r->has_dur)
        return;
    int64_t w = r->hi - r->lo, dur = t->end - t->start;
    g->bounded++;
    g->inside += dur >= r->lo && dur <= r->hi;
    g->width_sum += w;
    g->width_max = w > g->width_max ? w : g->width_max;
}

static void count_follow(const struct data *d, struct follow_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < d->nt; i++) {
        const struct trun *t = &d->t[i];
        const struct rrun *r = t->match >= 0 ? &d->r[t->match] : NULL;
        int64_t end = t->end - d->skew, start = t->start - d->skew, p = pass_before(d, end);
        if (!HAS(t, RF_FINISHED))
            continue;
        if (p == INT64_MIN || end >= p + d->follow) {
            follow_add(&c->outside, t, r);
        } else if (start < p) {
            follow_add(&c->running, t, r);
            if (t->run_last >= p) /* a poll from the pass on saw it RUNNING */
                follow_add(&c->polled_running, t, r);
        } else {
            follow_add(&c->began, t, r);
            c->began_missed += HAS(t, RF_OBSERVED) && !HAS(t, RF_SEEN);
        }
    }
}

static void follow_rows(struct table *tb, const char *what, const struct follow_group *g,
                        int64_t interval)
{
    char a[CELL], b[2 * CELL], m[160];
    snprintf(m, sizeof m, "%s: true runs, with bounds", what);
    snprintf(a, sizeof a, "%" PRId64 ", %" PRId64 " with bounds", g->n, g->bounded);
    row(tb, m, a, "", "", -1);
    snprintf(b, sizeof b, "%s, widest %" PRId64 " s", width(a, g->width_sum, g->bounded, interval),
             g->width_max);
    row(tb, "... mean width hi - lo", b, "", "", -1);
}

static void table_follow(const struct data *d, struct table *tb)
{
    struct follow_counts c;
    char a[CELL], b[CELL], m[160];
    if (d->follow <= 0)
        return;
    count_follow(d, &c);
    snprintf(m, sizeof m, "Runs ending inside a follow window (%" PRId64 " s after a pass)",
             d->follow);
    section(m);
    follow_rows(tb, "running at the pass", &c.running, d->interval);
    follow_rows(tb, "... of which a poll from the pass on saw RUNNING", &c.polled_running,
                d->interval);
    if (d->follow_max > 0) {
        snprintf(b, sizeof b, "<= %" PRId64 " s", d->follow_max);
        snprintf(a, sizeof a, "%" PRId64 " s", c.polled_running.width_max);
        row(tb, "... widest hi - lo of those", a, "", b,
            c.polled_running.width_max <= d->follow_max);
    }
    follow_rows(tb, "began after the pass", &c.began, d->interval);
    row(tb, "... missed: began and ended between two polls while a later run also began",
        num(a, c.began_missed), "", "", -1);
    row(tb, "true duration inside [lo, hi], runs ending inside a window",
        pct(a, c.running.inside + c.began.inside, c.running.bounded + c.began.bounded),
        num(b, c.running.bounded + c.began.bounded), "all",
        c.running.inside + c.began.inside == c.running.bounded + c.began.bounded);
    follow_rows(tb, "runs ending outside every follow window", &c.outside, d->interval);
}

/* ---- rates ---- */

struct rate_acc {
    int64_t etls, within;
    double sum_all, sum_signed, max_all, max_seen;
    int64_t max_all_id;
};

static void rate_add(struct rate_acc *a, int64_t id, double got, double all, double seen)
{
    double d_all = fabs(got - all), d_seen = fabs(got - seen);
    a->etls++;
    a->within += d_seen <= RATE_ROUNDING;
    a->sum_all += d_all;
    a->sum_signed += got - all;
    if (d_all > a->max_all) {
        a->max_all = d_all;
        a->max_all_id = id;
    }
    a->max_seen = d_seen > a->max_seen ? d_seen : a->max_seen;
}

static void compare_rates(const struct data *d, struct rate_acc *fail, struct rate_acc *abrt)
{
    size_t i = 0;
    memset(fail, 0, sizeof *fail);
    memset(abrt, 0, sizeof *abrt);
    for (size_t k = 0; k < d->ne; k++) {
        const struct etl *e = &d->e[k];
        int64_t fin = 0, err = 0, ab = 0, sfin = 0, serr = 0, sab = 0;
        for (; i < d->nt && d->t[i].id < e->id; i++)
            ;
        for (; i < d->nt && d->t[i].id == e->id; i++) {
            const struct trun *t = &d->t[i];
            bool is_err = !strcmp(t->outcome, "ERROR"), is_ab = !strcmp(t->outcome, "ABORTED");
            if (HAS(t, RF_FINISHED)) {
                fin++;
                err += is_err;
                ab += is_ab;
            }
            if (HAS(t, RF_END)) {
                sfin++;
                serr += is_err;
                sab += is_ab;
            }
        }
        if (!e->has_fail || !fin || !sfin)
            continue;
        rate_add(fail, e->id, e->fail_pct, 100.0 * err / fin, 100.0 * serr / sfin);
        rate_add(abrt, e->id, e->abort_pct, 100.0 * ab / fin, 100.0 * sab / sfin);
    }
}

static void rate_rows(struct table *tb, const char *what, const struct rate_acc *a)
{
    char m[160], x[CELL], y[CELL];
    snprintf(m, sizeof m, "%s: ETLs equal to the rate over runs whose end a poll saw", what);
    snprintf(x, sizeof x, "%" PRId64 " of %" PRId64, a->within, a->etls);
    snprintf(y, sizeof y, "largest difference %.2f pt", a->max_seen);
    row(tb, m, x, y, "all (0.1 pt rounding)", a->within == a->etls);
    snprintf(m, sizeof m, "%s: difference from the rate over every true finished run", what);
    snprintf(x, sizeof x, "mean %.2f (signed %+.2f), max %.2f pt",
             a->etls ? a->sum_all / a->etls : 0, a->etls ? a->sum_signed / a->etls : 0, a->max_all);
    snprintf(y, sizeof y, "largest at ETL %" PRId64, a->max_all_id);
    row(tb, m, x, y, "", -1);
}

/* Every ETL together: etlhist's counted outcomes against every true finished run. */
static void pooled_rates(const struct data *d, struct table *tb)
{
    int64_t fin = 0, err = 0, ab = 0, tfin = 0, terr = 0, tab = 0;
    char a[CELL], b[CELL];
    for (size_t j = 0; j < d->nr; j++) {
        fin += known(d->r[j].outcome);
        err += !strcmp(d->r[j].outcome, "ERROR");
        ab += !strcmp(d->r[j].outcome, "ABORTED");
    }
    for (size_t i = 0; i < d->nt; i++) {
        if (!HAS(&d->t[i], RF_FINISHED))
            continue;
        tfin++;
        terr += !strcmp(d->t[i].outcome, "ERROR");
        tab += !strcmp(d->t[i].outcome, "ABORTED");
    }
    snprintf(a, sizeof a, "%.2f %% of %" PRId64, fin ? 100.0 * err / fin : 0.0, fin);
    snprintf(b, sizeof b, "%.2f %% of %" PRId64, tfin ? 100.0 * terr / tfin : 0.0, tfin);
    row(tb, "failure rate, every ETL together", a, b, "", -1);
    snprintf(a, sizeof a, "%.2f %%", fin ? 100.0 * ab / fin : 0.0);
    snprintf(b, sizeof b, "%.2f %%", tfin ? 100.0 * tab / tfin : 0.0);
    row(tb, "abort rate, every ETL together", a, b, "", -1);
}

static void table_rates(const struct data *d, struct table *tb)
{
    struct rate_acc fail, abrt;
    compare_rates(d, &fail, &abrt);
    section("Failure and abort rates per ETL");
    rate_rows(tb, "failure rate", &fail);
    rate_rows(tb, "abort rate", &abrt);
    pooled_rates(d, tb);
}

/* ---- coverage and services ---- */

struct pct_acc {
    int64_t n, within, missing;
    double max, sum_got, sum_truth;
    int64_t max_id;
};

static void pct_add(struct pct_acc *a, int64_t id, double got, double truth)
{
    double diff = isnan(got) ? INFINITY : fabs(got - truth);
    a->n++;
    a->within += diff <= PCT_TOLERANCE;
    a->sum_got += isnan(got) ? 0 : got;
    a->sum_truth += truth;
    if (diff > a->max || a->n == 1) {
        a->max = diff;
        a->max_id = id;
    }
}

static void pct_row(struct table *tb, const char *what, const struct pct_acc *a)
{
    char x[CELL], y[CELL];
    snprintf(x, sizeof x, "%" PRId64 " of %" PRId64 " within", a->within, a->n + a->missing);
    snprintf(y, sizeof y, "largest difference %.2f pt (ETL %" PRId64 ")", a->max, a->max_id);
    row(tb, what, x, y, "all within 1 pt of the window", a->within == a->n && !a->missing);
}

static void table_coverage(const struct data *d, struct table *tb)
{
    struct pct_acc cov = {0}, on = {0}, off = {0};
    int64_t consistent = 0, listed = 0;
    char a[CELL], b[CELL];
    for (size_t k = 0; k < d->ne; k++) {
        const struct etl *e = &d->e[k];
        double w = (double)e->win_s;
        if (!e->in_summary) {
            cov.missing++;
        } else {
            pct_add(&cov, e->id, e->cov_pct, 100.0 * (double)e->obs_s / w);
            listed++;
            consistent += e->runs == e->report_rows;
        }
        if (!strcmp(e->kind, "service") && !e->in_services) {
            on.missing++;
        } else if (!strcmp(e->kind, "service")) {
            pct_add(&on, e->id, e->on_pct, 100.0 * (double)e->on_s / w);
            pct_add(&off, e->id, e->off_pct, 100.0 * (double)e->off_s / w);
        }
    }
    section("Coverage and services");
    snprintf(a, sizeof a, "%.2f %%", cov.n ? cov.sum_got / (double)cov.n : 0.0);
    snprintf(b, sizeof b, "%.2f %%", cov.n ? cov.sum_truth / (double)cov.n : 0.0);
    row(tb, "observed time / window, mean over ETLs", a, b, "", -1);
    pct_row(tb, "coverage_pct (observed time / window), every ETL", &cov);
    pct_row(tb, "services: on_pct (observed time SERVICE_ON / window)", &on);
    pct_row(tb, "services: off_pct (observed time SERVICE_OFF / window)", &off);
    snprintf(a, sizeof a, "%" PRId64 " of %" PRId64, consistent, listed);
    snprintf(b, sizeof b, "%" PRId64, listed);
    row(tb, "summary runs = rows of the runs report, per ETL", a, b, "all", consistent == listed);
}

/* ---- health: polls, errors, 400 and 5xx per ETL; service transitions ---- */

struct health_counts {
    int64_t etls, listed, polls, errors, n400, n5xx, tr_got, tr_truth, tr_equal, services;
    int64_t sum_polls, sum_errors, sum_400, sum_5xx, t_polls, t_errors, t_400, t_5xx;
};

static void count_health(const struct data *d, struct health_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t k = 0; k < d->ne; k++) {
        const struct etl *e = &d->e[k];
        c->etls++;
        c->t_polls += e->polls;
        c->t_errors += e->failed;
        c->t_400 += e->n400;
        c->t_5xx += e->n5xx;
        if (!strcmp(e->kind, "service")) {
            c->services++;
            c->tr_got += e->h_transitions;
            c->tr_truth += e->transitions;
            c->tr_equal += e->h_transitions == e->transitions;
        }
        if (!e->in_health)
            continue;
        c->listed++;
        c->polls += e->h_polls == e->polls;
        c->errors += e->h_errors == e->failed;
        c->n400 += e->h_400 == e->n400;
        c->n5xx += e->h_5xx == e->n5xx;
        c->sum_polls += e->h_polls;
        c->sum_errors += e->h_errors;
        c->sum_400 += e->h_400;
        c->sum_5xx += e->h_5xx;
    }
}

static void health_row_of(struct table *tb, const char *what, int64_t equal, int64_t etls,
                          int64_t got, int64_t truth)
{
    char a[CELL], b[CELL];
    snprintf(a, sizeof a, "%" PRId64 " (%" PRId64 " of %" PRId64 " ETLs equal)", got, equal, etls);
    snprintf(b, sizeof b, "%" PRId64, truth);
    row(tb, what, a, b, "every ETL equal", equal == etls);
}

static void table_health(const struct data *d, struct table *tb)
{
    struct health_counts c;
    char a[CELL], b[CELL];
    count_health(d, &c);
    section("Health (polls the collector made)");
    health_row_of(tb, "polls", c.polls, c.etls, c.sum_polls, c.t_polls);
    health_row_of(tb, "failed polls", c.errors, c.etls, c.sum_errors, c.t_errors);
    health_row_of(tb, "... HTTP 400 (ETL deleted)", c.n400, c.etls, c.sum_400, c.t_400);
    health_row_of(tb, "... HTTP 5xx (server outages)", c.n5xx, c.etls, c.sum_5xx, c.t_5xx);
    snprintf(a, sizeof a, "%" PRId64 " (%" PRId64 " of %" PRId64 " ETLs equal)", c.tr_got,
             c.tr_equal, c.services);
    snprintf(b, sizeof b, "%" PRId64, c.tr_truth);
    row(tb, "service transitions ON/OFF", a, b, "", -1);
}

/* ---- what did not happen: missed, late, overdue, MTTR/MTBF, kinds ---- */

static const char *poll_iso(const struct data *d, int64_t t, char *buf, size_t cap);

/* The true expected start of ETL id nearest to t, when t lies within half the spacing of
 * the true expected starts around it (the learnt grid of a jittery ETL sits off the true
 * one), or NULL. d->x ascends by id and time. */
static struct texp *nearest_exp(struct data *d, int64_t id, int64_t t)
{
    size_t lo = 0, hi = d->nx;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(d->x[mid].id, d->x[mid].at, id, t) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct texp *best = NULL;
    for (size_t i = lo > 0 ? lo - 1 : 0; i <= lo && i < d->nx; i++)
        if (d->x[i].id == id && (!best || llabs(d->x[i].at - t) < llabs(best->at - t)))
            best = &d->x[i];
    if (!best)
        return NULL;
    int64_t spacing = INT64_MAX;
    if (best > d->x && best[-1].id == id)
        spacing = best->at - best[-1].at;
    if (best + 1 < d->x + d->nx && best[1].id == id && best[1].at - best->at < spacing)
        spacing = best[1].at - best->at;
    return llabs(best->at - t) * 2 <= spacing ? best : NULL;
}

/* The true expected start whose run started at `start`, or NULL. */
static const struct texp *exp_of_run(struct data *d, int64_t id, int64_t start)
{
    for (size_t i = 0; i < d->nx; i++) /* callers are few: reported late runs, true late */
        if (d->x[i].id == id && d->x[i].at + d->x[i].delay == start &&
            (!strcmp(d->x[i].fate, "late") || !strcmp(d->x[i].fate, "ontime")))
            return &d->x[i];
    return NULL;
}

static const struct rrun *reported_run(const struct data *d, int64_t id, int64_t start)
{
    size_t lo = 0, hi = d->nr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(d->r[mid].id, d->r[mid].start, id, start) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nr && d->r[lo].id == id && d->r[lo].start == start ? &d->r[lo] : NULL;
}

struct miss_counts {
    int64_t reported, hit, unseen_run, false_alarm, truth, truth_found, truth_all, truth_all_found,
        unobs_reported;
};

/* A reported missed start matches the true expected start within grace. */
static void match_missed(struct data *d, struct miss_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < d->nm; i++) {
        struct rmiss *m = &d->m[i];
        struct texp *x = nearest_exp(d, m->id, m->at);
        c->reported++;
        if (x) {
            m->match = (long)(x - d->x);
            x->reported = (long)i;
        }
        if (x && m->match >= 0 && !strcmp(x->fate, "missed"))
            c->hit++;
        else if (x && m->match >= 0 && !x->seen &&
                 (!strcmp(x->fate, "ontime") || !strcmp(x->fate, "late")))
            c->unseen_run++;
        else
            c->false_alarm++;
        c->unobs_reported += x && m->match >= 0 && !strcmp(x->fate, "unobserved");
    }
    for (size_t i = 0; i < d->nx; i++) {
        const struct texp *x = &d->x[i];
        if (strcmp(x->fate, "missed"))
            continue;
        c->truth_all++;
        c->truth_all_found += x->reported >= 0;
        if (!x->learn)
            continue;
        c->truth++;
        c->truth_found += x->reported >= 0;
    }
}

struct flag_counts {
    int64_t reported, hit, truth, found, truth_all, found_all;
};

static void count_late(struct data *d, struct flag_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t j = 0; j < d->nr; j++) {
        if (d->r[j].late != 1)
            continue;
        const struct texp *x = exp_of_run(d, d->r[j].id, d->r[j].start);
        c->reported++;
        c->hit += x && !strcmp(x->fate, "late");
    }
    for (size_t i = 0; i < d->nx; i++) {
        const struct texp *x = &d->x[i];
        if (strcmp(x->fate, "late") || !x->seen)
            continue;
        const struct rrun *r = reported_run(d, x->id, x->at + x->delay);
        c->truth_all++;
        c->found_all += r && r->late == 1;
        if (x->learn) {
            c->truth++;
            c->found += r && r->late == 1;
        }
    }
}

static void count_overdue(struct data *d, struct flag_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t j = 0; j < d->nr; j++) {
        if (d->r[j].overdue != 1)
            continue;
        c->reported++;
        for (size_t i = 0; i < d->no; i++)
            if (d->o[i].id == d->r[j].id && d->o[i].start == d->r[j].start) {
                c->hit++;
                d->o[i].reported = true;
            }
    }
    for (size_t i = 0; i < d->no; i++) {
        c->truth_all++;
        c->found_all += d->o[i].reported;
        if (d->o[i].lo > d->o[i].limit) { /* a poll saw it RUNNING beyond the limit */
            c->truth++;
            c->found += d->o[i].reported;
        }
    }
}

static void ratio_row(struct table *tb, const char *what, int64_t part, int64_t whole,
                      const char *target, int verdict)
{
    char a[CELL], b[CELL];
    snprintf(b, sizeof b, "%" PRId64, whole);
    row(tb, what, pct(a, part, whole), b, target, verdict);
}

static void table_missed(struct data *d, struct table *tb)
{
    struct miss_counts c;
    char a[CELL], b[CELL];
    match_missed(d, &c);
    row(tb, "missed expected starts reported", num(a, c.reported), "", "", -1);
    ratio_row(tb,
              "missed-run precision: reported that are true missed starts in observed time, "
              "of those whose run (if any) a poll could see",
              c.hit, c.reported - c.unseen_run, "100 %", c.hit == c.reported - c.unseen_run);
    row(tb,
        "... not counted: reported where a true run started but no poll saw it (two starts "
        "between two polls)",
        num(a, c.unseen_run), "", "", -1);
    ratio_row(tb, "... precision over every reported missed start", c.hit, c.reported, "", -1);
    row(tb, "... reported where truth says the stretch was unobserved", num(a, c.unobs_reported),
        "", "", -1);
    snprintf(b, sizeof b, "%" PRId64, c.truth);
    row(tb,
        "missed-run recall: true missed starts in observed time of learnable schedules, "
        "reported",
        pct(a, c.truth_found, c.truth), b, ">= 99 %",
        c.truth == 0 || c.truth_found * 100 >= c.truth * 99);
    ratio_row(tb, "... of every true missed start in observed time (jittery, young schedules)",
              c.truth_all_found, c.truth_all, "", -1);
}

static void table_flags(struct data *d, struct table *tb)
{
    struct flag_counts l, o;
    count_late(d, &l);
    count_overdue(d, &o);
    ratio_row(tb, "late precision: runs reported late that started late", l.hit, l.reported, "",
              -1);
    ratio_row(tb, "late recall: true late starts (seen, learnable schedule) reported late", l.found,
              l.truth, "", -1);
    ratio_row(tb, "... of every true late start a poll saw (jittery too)", l.found_all, l.truth_all,
              "", -1);
    ratio_row(tb, "overdue precision: runs reported overdue that truly are", o.hit, o.reported, "",
              -1);
    ratio_row(tb, "overdue recall: true overdue runs a poll saw RUNNING beyond the limit", o.found,
              o.truth, "", -1);
    ratio_row(tb, "... of every true overdue run", o.found_all, o.truth_all, "", -1);
}

static bool near_equal(int64_t a, int64_t b)
{
    return (a < 0 && b < 0) || (a >= 0 && b >= 0 && llabs(a - b) <= 1);
}

static void table_mttr(const struct data *d, struct table *tb)
{
    int64_t n = 0, mttr = 0, mtbf = 0;
    char a[CELL], b[CELL];
    for (size_t k = 0; k < d->ne; k++) {
        const struct etl *e = &d->e[k];
        if (!e->has_mttr || !e->in_summary)
            continue;
        n++;
        mttr += near_equal(e->r_mttr, e->t_mttr);
        mtbf += near_equal(e->r_mtbf, e->t_mtbf);
    }
    snprintf(b, sizeof b, "%" PRId64 " ETLs", n);
    snprintf(a, sizeof a, "%" PRId64 " of %" PRId64, mttr, n);
    row(tb, "MTTR per ETL equal to truth (within 1 s, both empty counts)", a, b, "", -1);
    snprintf(a, sizeof a, "%" PRId64 " of %" PRId64, mtbf, n);
    row(tb, "MTBF per ETL equal to truth (within 1 s, both empty counts)", a, b, "", -1);
}

/* One row per true kind: how the schedule report classified those ETLs. */
static void table_kinds(const struct data *d, struct table *tb)
{
    static const char *const truths[] = {"periodic",    "jittery", "irregular",
                                         "unscheduled", "service", "unknown"};
    static const char *const kinds[] = {"periodic", "irregular", "unscheduled", "service",
                                        "unknown"};
    for (size_t t = 0; t < sizeof truths / sizeof *truths; t++) {
        int64_t cnt[6] = {0}, total = 0, same = 0;
        char a[160] = "", b[CELL], what[CELL];
        for (size_t k = 0; k < d->ne; k++) {
            const struct etl *e = &d->e[k];
            bool jit = !strcmp(e->tkind, "periodic") && e->jittery;
            const char *tk = jit ? "jittery" : e->tkind;
            if (strcmp(tk, truths[t]))
                continue;
            size_t i = 0;
            while (i < 5 && strcmp(e->rkind, kinds[i]))
                i++;
            cnt[i]++; /* 5: not in the schedule report */
            total++;
            same += i < 5 && !strcmp(kinds[i], jit ? "periodic" : tk);
        }
        if (!total)
            continue;
        for (size_t i = 0; i < 6; i++)
            if (cnt[i])
                snprintf(a + strlen(a), sizeof a - strlen(a), "%s%s %" PRId64, *a ? ", " : "",
                         i < 5 ? kinds[i] : "absent", cnt[i]);
        snprintf(what, sizeof what, "kind: true %s%s", truths[t],
                 t == 1 ? " (periodic, jitter > grace/2)" : "");
        snprintf(b, sizeof b, "%" PRId64 " of %" PRId64 " as truth", same, total);
        row(tb, what, a, b, "", -1);
    }
}

static void table_schedule(struct data *d, struct table *tb)
{
    section("What did not happen (schedule, missed, late, overdue)");
    if (!d->has_sched) {
        row(tb, "not measured: this etlhist has no schedule and missed reports", "", "", "", -1);
        return;
    }
    table_missed(d, tb);
    table_flags(d, tb);
    table_mttr(d, tb);
    table_kinds(d, tb);
}

/* ---- a realistic site (gen --realistic): its precision and recall, per-ETL schedules ---- */

/* Marks the true "Run now" runs; d->t is sorted by ETL and start. */
static void mark_manual(struct data *d)
{
    for (size_t m = 0; m < d->nman; m++) {
        size_t lo = 0, hi = d->nt;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_key(d->t[mid].id, d->t[mid].start, d->man[m].id, d->man[m].start) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < d->nt && d->t[lo].id == d->man[m].id && d->t[lo].start == d->man[m].start)
            d->t[lo].manual = true;
    }
}

#define REAL_TARGET 0.95

/* "0.97 (29 of 30)"; "-" when nothing to divide. */
static const char *ratio(char *buf, int64_t part, int64_t whole)
{
    if (whole)
        snprintf(buf, CELL, "%.3f (%" PRId64 " of %" PRId64 ")", (double)part / (double)whole, part,
                 whole);
    else
        snprintf(buf, CELL, "- (0 of 0)");
    return buf;
}

/* A target once the report marks manual runs (the rules that keep them from being late or
 * serving a slot come with that column); before, the row is a measurement. */
static void target_row(const struct data *d, struct table *tb, const char *what, int64_t part,
                       int64_t whole)
{
    char a[CELL];
    bool met = whole == 0 || (double)part >= REAL_TARGET * (double)whole;
    row(tb, what, ratio(a, part, whole), "", d->has_manual ? ">= 0.95" : ">= 0.95 (with manual)",
        d->has_manual ? met : -1);
}

struct manual_counts {
    int64_t reported, hit, truth, found;
};

static void count_manual(const struct data *d, struct manual_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t j = 0; j < d->nr; j++) {
        if (d->r[j].manual != 1)
            continue;
        c->reported++;
        c->hit += d->r[j].match >= 0 && d->t[d->r[j].match].manual;
    }
    for (size_t i = 0; i < d->nt; i++) {
        if (!d->t[i].manual || d->t[i].match < 0)
            continue;
        c->truth++;
        c->found += d->r[d->t[i].match].manual == 1;
    }
}

static void real_flags(struct data *d, struct table *tb)
{
    struct miss_counts m;
    struct flag_counts l, o;
    struct manual_counts mc;
    match_missed(d, &m);
    count_late(d, &l);
    count_overdue(d, &o);
    count_manual(d, &mc);
    target_row(d, tb, "missed precision: reported missed starts that truly were (a poll could see)",
               m.hit, m.reported - m.unseen_run);
    target_row(d, tb, "missed recall: true missed starts (learnable, observed) reported",
               m.truth_found, m.truth);
    target_row(d, tb, "late precision: runs reported late that started late", l.hit, l.reported);
    target_row(d, tb, "late recall: true late starts (seen, learnable) reported late", l.found,
               l.truth);
    target_row(d, tb, "overdue precision: runs reported overdue that truly are", o.hit, o.reported);
    target_row(d, tb, "overdue recall: true overdue runs a poll saw RUNNING beyond the limit",
               o.found, o.truth);
    char a[CELL], b[CELL];
    if (!d->has_manual) {
        snprintf(b, sizeof b, "%" PRId64 " seen", mc.truth);
        row(tb, "manual (Run now) runs: not measured, the runs report has no manual column", "", b,
            "", -1);
        return;
    }
    row(tb, "manual precision: runs reported manual that were Run now",
        ratio(a, mc.hit, mc.reported), "", "", -1);
    row(tb, "manual recall: Run now runs counted, reported manual", ratio(a, mc.found, mc.truth),
        "", "", -1);
}

/* Per ETL: the learnt kind, period and clock against the truth, and MTTR. */
static void real_etls(const struct data *d, struct table *tb)
{
    int64_t kind = 0, kinds = 0, period = 0, periods = 0, clock = 0, mttr = 0, mttrs = 0;
    char a[CELL], b[CELL];
    for (size_t k = 0; k < d->ne; k++) {
        const struct etl *e = &d->e[k];
        bool periodic = !strcmp(e->tkind, "periodic");
        if (e->in_schedule && strcmp(e->kind, "never")) {
            kinds++;
            kind += !strcmp(e->rkind, e->tkind);
        }
        if (e->in_schedule && periodic) {
            periods++;
            period += !strcmp(e->rkind, "periodic") && e->r_period == e->t_period;
            clock += !strcmp(e->rclock, e->zone);
        }
        if (e->has_mttr && e->in_summary) {
            mttrs++;
            mttr += near_equal(e->r_mttr, e->t_mttr);
        }
    }
    snprintf(b, sizeof b, "%" PRId64 " wrong", kinds - kind);
    row(tb, "kind per ETL as truth (scheduled and services)", ratio(a, kind, kinds), b, "", -1);
    snprintf(b, sizeof b, "%" PRId64 " wrong", periods - period);
    row(tb, "period per truly periodic ETL as truth (and kind periodic)", ratio(a, period, periods),
        b, "", -1);
    snprintf(b, sizeof b, "%" PRId64 " wrong", periods - clock);
    if (d->has_clock)
        row(tb, "clock (UTC or zone) per truly periodic ETL as truth", ratio(a, clock, periods), b,
            "", -1);
    else
        row(tb, "clock per ETL: not measured, the schedule report has no clock column", "", "", "",
            -1);
    snprintf(b, sizeof b, "%" PRId64 " wrong", mttrs - mttr);
    row(tb, "MTTR per ETL as truth (within 1 s)", ratio(a, mttr, mttrs), b, "", -1);
}

/* Wall-clock ETLs after their zone's offset changed: runs whose reported expected start is
 * within 600 s of the true one (the grid point the run served). */
static void real_dst(struct data *d, struct table *tb)
{
    int64_t n = 0, within = 0, none = 0, etls = 0;
    char a[CELL], b[CELL];
    for (size_t k = 0; k < d->ne; k++) {
        const struct etl *e = &d->e[k];
        if (e->change <= 0)
            continue;
        etls++;
        for (size_t i = 0; i < d->nt; i++) {
            const struct trun *t = &d->t[i];
            if (t->id != e->id || t->start < e->change || t->manual || t->match < 0)
                continue;
            const struct texp *x = exp_of_run(d, t->id, t->start);
            const struct rrun *r = &d->r[t->match];
            if (!x)
                continue;
            n++;
            none += r->expected < 0;
            within += r->expected >= 0 && llabs(r->expected - x->at) <= 600;
        }
    }
    snprintf(b, sizeof b, "%" PRId64 " ETLs, %" PRId64 " runs without one", etls, none);
    row(tb, "wall-clock ETLs after the change of time: expected start within 600 s of the true one",
        ratio(a, within, n), b, "", -1);
}

static void table_realistic(struct data *d, struct table *tb)
{
    if (!d->realistic)
        return;
    section("A realistic site (gen --realistic)");
    if (!d->has_sched) {
        row(tb, "not measured: this etlhist has no schedule and missed reports", "", "", "", -1);
        return;
    }
    real_flags(d, tb);
    real_etls(d, tb);
    real_dst(d, tb);
}

static void print_false_alarms_of(const struct data *d, bool want_unseen, int max)
{
    int shown = 0;
    for (size_t i = 0; i < d->nm && shown < max; i++) {
        const struct rmiss *m = &d->m[i];
        const struct texp *x = m->match >= 0 ? &d->x[m->match] : NULL;
        const struct etl *e = find_etl((struct data *)d, m->id);
        char s[24], p[5][24];
        if (x && !strcmp(x->fate, "missed"))
            continue;
        bool unseen = x && !x->seen && (!strcmp(x->fate, "ontime") || !strcmp(x->fate, "late"));
        if (unseen != want_unseen)
            continue;
        shown++;
        printf("- missed start reported, truth disagrees%s: ETL %" PRId64 " (%s, %s%s) expected "
               "%s period %" PRId64 ": truth %s",
               unseen ? " (no poll saw the true run)" : "", m->id, e ? e->shape : "?",
               e ? e->tkind : "?", e && e->jittery ? ", jittery" : "", acc_iso(m->at, s, sizeof s),
               m->period, x ? x->fate : "no true expected start near");
        if (x)
            printf(" (expected %s, delay %" PRId64 " s)", acc_iso(x->at, p[0], 24), x->delay);
        printf("\n");
        for (size_t j = 0; j < d->nt; j++) {
            const struct trun *t = &d->t[j];
            if (t->id != m->id || llabs(t->start - m->at) > 3 * m->period)
                continue;
            printf("  true run %" PRId64 " %s..%s flags %s%s%s%s polls before %s after %s "
                   "RUNNING last %s end seen %s\n",
                   t->k, acc_iso(t->start, s, sizeof s), acc_iso(t->end, p[0], 24),
                   HAS(t, RF_OBSERVED) ? "O" : "", HAS(t, RF_SEEN) ? "S" : "",
                   HAS(t, RF_RUNNING) ? "R" : "", HAS(t, RF_END) ? "E" : "",
                   poll_iso(d, t->before, p[1], 24), poll_iso(d, t->after, p[2], 24),
                   poll_iso(d, t->run_last, p[3], 24), poll_iso(d, t->end_poll, p[4], 24));
        }
    }
}

/* A false alarm: the reported missed start, the true starts around it and their polls.
 * Those whose true run no poll saw come after the others, a few of them. */
static void print_false_alarms(const struct data *d)
{
    for (int pass = 0; pass < 2; pass++)
        print_false_alarms_of(d, pass == 1, pass ? 3 : 4 * EXAMPLES_MAX);
}

/* ---- details of every miss ---- */

/* Polls are stored on the collector's clock; shown on the server's, like the true times. */
static const char *poll_iso(const struct data *d, int64_t t, char *buf, size_t cap)
{
    return acc_iso(t < 0 ? -1 : t + d->skew, buf, cap);
}

static void describe(const struct data *d, const struct trun *t, const char *why)
{
    char s[24], e[24], p[6][24];
    const struct rrun *r = t->match >= 0 ? &d->r[t->match] : NULL;
    printf("- %s: ETL %" PRId64 " run %" PRId64 ": true %s .. %s (%" PRId64 " s) %s [%s]\n", why,
           t->id, t->k, acc_iso(t->start, s, sizeof s), acc_iso(t->end, e, sizeof e),
           t->end - t->start, t->outcome, HAS(t, RF_OBSERVED) ? "observed" : "unobserved");
    printf("  successful polls (server clock): last before start %s, first after start %s, "
           "RUNNING %s .. %s, end seen %s (previous %s)\n",
           poll_iso(d, t->before, p[0], 24), poll_iso(d, t->after, p[1], 24),
           poll_iso(d, t->run_first, p[2], 24), poll_iso(d, t->run_last, p[3], 24),
           poll_iso(d, t->end_poll, p[4], 24), poll_iso(d, t->end_prev, p[5], 24));
    if (r)
        printf("  etlhist: start %s, end_utc %s (collector clock; server = collector %+" PRId64
               " s), %s, lo %s, hi %s\n",
               acc_iso(r->start, s, sizeof s), acc_iso(r->end_seen, e, sizeof e), d->skew,
               r->outcome, r->has_dur ? num(p[0], r->lo) : "-",
               r->has_dur ? num(p[1], r->hi) : "-");
    else
        printf("  etlhist: no run\n");
}

static const char *miss_of(const struct data *d, const struct trun *t)
{
    const struct rrun *r = t->match >= 0 ? &d->r[t->match] : NULL;
    int64_t dur = t->end - t->start;
    bool end = HAS(t, RF_END);
    if (!r)
        return HAS(t, RF_SEEN) ? "seen by a poll, not counted" : NULL;
    if (known(r->outcome) && (strcmp(r->outcome, t->outcome) || !end))
        return strcmp(r->outcome, t->outcome) ? "wrong outcome" : "outcome without a seen end";
    if (!known(r->outcome) && end)
        return "end seen, outcome not known";
    if (r->has_dur && (dur < r->lo || dur > r->hi))
        return "true duration outside [lo, hi]";
    if (r->has_dur != HAS(t, RF_BRACKET))
        return r->has_dur ? "bounds although the end was not bracketed" : "bracketed, no bounds";
    return NULL;
}

static void print_misses(const struct data *d)
{
    int shown = 0;
    for (size_t i = 0; i < d->nt && shown < 4 * EXAMPLES_MAX; i++) {
        const char *why = miss_of(d, &d->t[i]);
        if (why) {
            describe(d, &d->t[i], why);
            shown++;
        }
    }
    for (size_t j = 0, n = 0; j < d->nr && n < EXAMPLES_MAX; j++)
        if (d->r[j].match < 0) {
            char s[24];
            printf("- counted run with no true run: ETL %" PRId64 " start %s %s\n", d->r[j].id,
                   acc_iso(d->r[j].start, s, sizeof s), d->r[j].outcome);
            n++;
        }
}

static bool is_missed(const struct data *d, const struct trun *t)
{
    (void)d;
    return HAS(t, RF_OBSERVED) && !HAS(t, RF_SEEN);
}

static bool is_reported(const struct data *d, const struct trun *t, const char *outcome)
{
    return t->match >= 0 && !strcmp(d->r[t->match].outcome, outcome);
}

static bool is_unknown(const struct data *d, const struct trun *t)
{
    return is_reported(d, t, "UNKNOWN") && HAS(t, RF_OBSERVED);
}

static bool is_stale_running(const struct data *d, const struct trun *t)
{
    const struct etl *e = find_etl((struct data *)d, t->id);
    return is_reported(d, t, "RUNNING") && e && e->deleted >= 0;
}

/* One or two runs of each kind the table counts without a target, for people to read. */
static void print_examples(const struct data *d)
{
    static const struct {
        bool (*is)(const struct data *, const struct trun *);
        const char *what;
        int max;
    } kinds[] = {
        {is_missed, "example of a missed run", 2},
        {is_unknown, "example of an UNKNOWN run in observed time", 1},
        {is_stale_running, "example of a RUNNING run of a deleted ETL", 2},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (size_t i = 0, shown = 0; i < d->nt && shown < (size_t)kinds[k].max; i++)
            if (kinds[k].is(d, &d->t[i])) {
                describe(d, &d->t[i], kinds[k].what);
                shown++;
            }
}

int main(int argc, char **argv)
{
    struct data d = {0};
    struct table tb = {0};
    if (argc > 2 && !strcmp(argv[1], "--follow-width")) {
        char *end;
        d.follow_max = strtoll(argv[2], &end, 10);
        if (*end || d.follow_max <= 0) {
            fprintf(stderr, "check: --follow-width: expected a positive number of seconds\n");
            return 2;
        }
        argc -= 2;
        argv += 2;
    }
    if (argc != 6 && argc != 8) {
        fprintf(stderr, "usage: check [--follow-width S] TRUTH RUNS.csv SUMMARY.csv "
                        "SERVICES.csv HEALTH.csv [SCHEDULE.csv MISSED.csv]\n");
        return 2;
    }
    read_truth(&d, argv[1]);
    read_csv(argv[2], &d, runs_row);
    read_csv(argv[3], &d, summary_row);
    read_csv(argv[4], &d, services_row);
    read_csv(argv[5], &d, health_row);
    if (argc == 8) {
        d.has_sched = true;
        read_csv(argv[6], &d, schedule_row);
        read_csv(argv[7], &d, missed_row);
    }
    match_runs(&d);
    mark_manual(&d);
    printf("| measure | etlhist | truth | target | |\n|---|---|---|---|---|\n");
    table_runs(&d, &tb);
    table_outcomes(&d, &tb);
    table_durations(&d, &tb);
    table_follow(&d, &tb);
    table_rates(&d, &tb);
    table_coverage(&d, &tb);
    table_health(&d, &tb);
    table_schedule(&d, &tb);
    table_realistic(&d, &tb);
    printf("\n");
    print_false_alarms(&d);
    print_examples(&d);
    if (tb.misses) {
        printf("\n%d target(s) missed:\n", tb.misses);
        for (int i = 0; i < tb.misses && i < 16; i++)
            printf("- %s\n", tb.detail[i]);
        print_misses(&d);
    } else {
        printf("every target met\n");
    }
    free(d.t);
    free(d.r);
    free(d.e);
    free(d.x);
    free(d.o);
    free(d.m);
    free(d.pass);
    free(d.man);
    return tb.misses ? 1 : 0;
}
