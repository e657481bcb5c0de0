/* genhist: builds an etlhist history through the collector's own storing code.
 *
 * It plays a fake CO scenario (tests/fakeco/scenario.c, the same model fakeco serves) at
 * every pass time, turns each ETL's state into the struct observation the collector would
 * have parsed from fakeco's answer, and hands the whole pass to store_pass(), exactly as
 * etlhist-collect does after its network work. No hand-written SQL touches the history.
 *
 *   genhist --scenario FILE --db FILE --start EPOCH --passes N [--interval 300]
 *           [--snapshot PASSES=FILE]... [--per-poll PASSES=FILE] [--synchronous full|normal|off]
 *           [--cache-mib N] [--progress N] [--follow S [--follow-interval S]]
 *
 * --snapshot copies the history (page for page, with the backup API) once PASSES passes are
 * stored: one generation run yields a week, a month, a quarter and a year.
 * --per-poll writes the same polls of the first PASSES passes one row per poll, as a shell
 * script would store them, for the storage comparison.
 * --synchronous (default off), --cache-mib (default SQLite's 2 MiB) and the rollback journal
 * being off while generating (the file is put back in WAL mode at the end, as the collector
 * leaves it) only change how fast the file is written, not what is in it: the b-tree
 * operations, and so the pages, are the same.
 * --follow S plays etlhist-collect --follow S after every pass: the collector's own follow
 * selection (collector/follow/follow.c: follow_plan, follow_next_round, follow_quota, follow_worth,
 * follow_choose, follow_keep) picks the ETLs seen RUNNING (and the batch ETLs expected to
 * start), and what each follow round, follow_interval (default 15 s) of simulated time after
 * the previous one, polls is observed from the scenario and stored through store_pass() as
 * a follow round, counted on its pass. Rounds take no simulated time, as a round of a few hundred
 * requests on a LAN ends within its second. On exit it prints one line: passes, observations,
 * seconds, microseconds per observation (follow rounds and their observations included).
 */
#include "api.h"
#include "collect.h"
#include "config.h"
#include "db.h"
#include "follow.h"
#include "log.h"
#include "scenario.h"
#include "store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SNAPSHOTS 16

struct snapshot {
    long passes;
    const char *path;
};

struct options {
    const char *scenario, *db;
    int64_t start;
    long passes, interval, progress;
    long follow, follow_interval; /* follow 0: off */
    struct snapshot snaps[MAX_SNAPSHOTS];
    size_t n_snaps;
    struct snapshot per_poll;
    const char *synchronous;
    char cache_pragma[64];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_snapshot(const char *arg, struct snapshot *s)
{
    char *end;
    errno = 0;
    s->passes = strtol(arg, &end, 10);
    if (errno || end == arg || *end != '=' || !end[1] || s->passes < 1) {
        fprintf(stderr, "genhist: expected PASSES=FILE, got \"%s\"\n", arg);
        return -1;
    }
    s->path = end + 1;
    return 0;
}

static int parse_long(const char *arg, long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v < 0) {
        fprintf(stderr, "genhist: not a number: \"%s\"\n", arg);
        return -1;
    }
    *out = (long)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->interval = 300;
    o->follow_interval = 15;
    o->synchronous = "off";
    snprintf(o->cache_pragma, sizeof o->cache_pragma, "PRAGMA cache_size = -2000");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long start;
        if (!v) {
            fprintf(stderr, "genhist: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (!strcmp(a, "--scenario"))
            o->scenario = v;
        else if (!strcmp(a, "--db"))
            o->db = v;
        else if (!strcmp(a, "--start")) {
            if (parse_long(v, &start))
                return -1;
            o->start = start;
        } else if (!strcmp(a, "--passes")) {
            if (parse_long(v, &o->passes))
                return -1;
        } else if (!strcmp(a, "--interval")) {
            if (parse_long(v, &o->interval))
                return -1;
        } else if (!strcmp(a, "--follow")) {
            if (parse_long(v, &o->follow))
                return -1;
        } else if (!strcmp(a, "--follow-interval")) {
            if (parse_long(v, &o->follow_interval))
                return -1;
        } else if (!strcmp(a, "--progress")) {
            if (parse_long(v, &o->progress))
                return -1;
        } else if (!strcmp(a, "--cache-mib")) {
            long mib;
            if (parse_long(v, &mib))
                return -1;
            snprintf(o->cache_pragma, sizeof o->cache_pragma, "PRAGMA cache_size = -%ld",
                     mib * 1024);
        } else if (!strcmp(a, "--synchronous"))
            o->synchronous = v;
        else if (!strcmp(a, "--snapshot")) {
            if (o->n_snaps == MAX_SNAPSHOTS || parse_snapshot(v, &o->snaps[o->n_snaps++]))
                return -1;
        } else if (!strcmp(a, "--per-poll")) {
            if (parse_snapshot(v, &o->per_poll))
                return -1;
        } else {
            fprintf(stderr, "genhist: unknown option %s\n", a);
            return -1;
        }
    }
    if (!o->scenario || !o->db || !o->start || !o->passes || o->interval < 1 ||
        o->follow_interval < 1) {
        fprintf(stderr, "usage: genhist --scenario FILE --db FILE --start EPOCH --passes N "
                        "[--interval S] [--snapshot PASSES=FILE]... [--per-poll PASSES=FILE] "
                        "[--synchronous full|normal|off] [--cache-mib N] [--progress N] "
                        "[--follow S [--follow-interval S]]\n");
        return -1;
    }
    return 0;
}

static struct fake_scenario *load_scenario(const char *path)
{
    FILE *f = fopen(path, "rb");
    char err[256];
    if (!f) {
        perror(path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *text = malloc((size_t)len + 1);
    struct fake_scenario *sc = NULL;
    if (text && fread(text, 1, (size_t)len, f) == (size_t)len) {
        sc = scenario_parse(text, (size_t)len, path, err, sizeof err);
        if (!sc)
            fprintf(stderr, "genhist: %s\n", err);
    }
    free(text);
    fclose(f);
    return sc;
}

/* The error text the collector's classify() gives an HTTP status. */
static void http_error(struct observation *o, long code)
{
    o->http_code = code;
    if (code == 400)
        api_set_error(o, "ETL not found (HTTP 400)");
    else if (code == 401)
        api_set_error(o, "unauthorized (HTTP 401)");
    else if (code == 403)
        api_set_error(o,
                      "forbidden (HTTP 403): the user needs capacity_optimization.admin.etls_read");
    else
        api_set_error(o, "HTTP %ld", code);
}

/* What the collector would have stored from fakeco's answer for e at server time t. */
static int observe(const struct fake_etl *e, int64_t t, struct observation *o)
{
    struct fake_state st;
    memset(o, 0, sizeof *o);
    o->etl_id = e->id;
    o->task_id = -1;
    if (scenario_state(e, t, &st) != 0) {
        http_error(o, 400);
        return 0;
    }
    if (scenario_fault_active(&e->fault, t)) {
        if (e->fault.kind != FAKE_FAULT_HTTP) {
            fprintf(stderr, "genhist: etl %" PRId64 ": only HTTP faults are simulated\n", e->id);
            return -1;
        }
        http_error(o, e->fault.http_code);
        return 0;
    }
    o->http_code = 200;
    snprintf(o->status, sizeof o->status, "%s",
             st.status_kind == FAKE_STATUS_VALUE && st.status[0] ? st.status : "NONE");
    snprintf(o->exit_code, sizeof o->exit_code, "%s", st.exit_code ? st.exit_code : "");
    o->last_exec_ts = st.has_last_exec ? st.last_exec_ts : 0;
    o->task_id = st.task_id;
    return 0;
}

/* A page-for-page copy of the history as it stands between two passes. */
static int snapshot(sqlite3 *db, const char *path)
{
    char tmp[4096];
    sqlite3 *dst;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    remove(tmp);
    if (db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") || sqlite3_open(tmp, &dst) != SQLITE_OK)
        return -1;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", db, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE)
        rc = sqlite3_exec(dst, "PRAGMA journal_mode = WAL; PRAGMA wal_checkpoint(TRUNCATE)", NULL,
                          NULL, NULL);
    sqlite3_close(dst);
    if (rc != SQLITE_OK || rename(tmp, path)) {
        fprintf(stderr, "genhist: snapshot %s failed\n", path);
        return -1;
    }
    return 0;
}

/* The one-row-per-poll table a curl | jq | sqlite3 loop fills (tests/bench/shellpoll.sh). */
static const char per_poll_schema[] =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;"
    "CREATE TABLE IF NOT EXISTS poll (etl_id INTEGER NOT NULL, polled_at INTEGER NOT NULL, "
    "status TEXT, exit_code TEXT, last_exec_ts INTEGER, task_id INTEGER, http_code INTEGER, "
    "error TEXT);"
    "CREATE INDEX IF NOT EXISTS poll_etl_time ON poll (etl_id, polled_at);";

struct per_poll {
    sqlite3 *db;
    sqlite3_stmt *insert;
};

static int per_poll_open(struct per_poll *pp, const char *path)
{
    memset(pp, 0, sizeof *pp);
    remove(path);
    if (sqlite3_open(path, &pp->db) != SQLITE_OK || db_exec(pp->db, per_poll_schema) ||
        db_prepare(pp->db, "INSERT INTO poll VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &pp->insert))
        return -1;
    return 0;
}

static void bind_text(sqlite3_stmt *st, int col, const char *v)
{
    if (v[0])
        sqlite3_bind_text(st, col, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

static int per_poll_pass(struct per_poll *pp, int64_t t, const struct observation *obs, size_t n)
{
    if (db_exec(pp->db, "BEGIN"))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct observation *o = &obs[i];
        sqlite3_stmt *st = pp->insert;
        sqlite3_bind_int64(st, 1, o->etl_id);
        sqlite3_bind_int64(st, 2, t);
        bind_text(st, 3, o->error[0] ? "" : o->status);
        bind_text(st, 4, o->exit_code);
        if (o->last_exec_ts)
            sqlite3_bind_int64(st, 5, o->last_exec_ts);
        else
            sqlite3_bind_null(st, 5);
        if (o->task_id >= 0)
            sqlite3_bind_int64(st, 6, o->task_id);
        else
            sqlite3_bind_null(st, 6);
        sqlite3_bind_int64(st, 7, o->http_code);
        bind_text(st, 8, o->error);
        if (db_step_done(pp->db, st))
            return -1;
    }
    return db_exec(pp->db, "COMMIT");
}

static void per_poll_close(struct per_poll *pp)
{
    if (pp->db)
        sqlite3_exec(pp->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_finalize(pp->insert);
    sqlite3_close(pp->db);
    memset(pp, 0, sizeof *pp);
}

static int cmp_info(const void *a, const void *b)
{
    int64_t x = ((const struct etl_info *)a)->etl_id, y = ((const struct etl_info *)b)->etl_id;
    return x < y ? -1 : x > y;
}

struct etl_index {
    int64_t etl_id;
    size_t i; /* in the scenario */
};

struct gen {
    const struct options *o;
    struct fake_scenario *sc;
    sqlite3 *db;
    struct observation *obs;
    struct etl_info *names;
    struct per_poll pp;
    long long observations;
    /* --follow: the collector whose follow list the rounds work from, as in etlhist-collect */
    struct config cfg;
    struct instance_config ic;
    struct collector col;
    struct etl_index *by_id; /* sorted by etl_id */
    struct observation *fobs;
    struct follow_pick *picks;
    long long rounds;
};

/* Stores n observations made at t as the collector stores a pass, or (follow) a follow round
 * of the latest pass. A pass of a few thousand ETLs on a LAN ends within the second it
 * started in. */
static int store_at(struct gen *g, int64_t t, const struct observation *obs, size_t n,
                    const struct etl_info *names, size_t n_names, int follow)
{
    struct pass_record rec = {.instance = g->ic.name,
                              .url = "http://127.0.0.1",
                              .interval_s = g->o->interval,
                              .started = t,
                              .finished = t,
                              .has_skew = 1,
                              .skew_s = 0,
                              .polled = (long)n,
                              .follow = follow};
    for (size_t i = 0; i < n; i++)
        obs[i].error[0] ? rec.errors++ : rec.ok++;
    if (store_pass(g->db, &rec, obs, n, names, n_names))
        return -1;
    g->observations += (long long)n;
    return 0;
}

static int gen_pass(struct gen *g, long k)
{
    const struct options *o = g->o;
    int64_t t = o->start + (int64_t)k * o->interval;
    size_t n = g->sc->n_etls;
    for (size_t i = 0; i < n; i++)
        if (observe(&g->sc->etls[i], t + g->sc->skew, &g->obs[i]))
            return -1;
    if (store_at(g, t, g->obs, n, g->names, n, 0))
        return -1;
    if (g->pp.db && k < o->per_poll.passes && per_poll_pass(&g->pp, t, g->obs, n))
        return -1;
    return 0;
}

static int cmp_index(const void *a, const void *b)
{
    int64_t x = ((const struct etl_index *)a)->etl_id, y = ((const struct etl_index *)b)->etl_id;
    return x < y ? -1 : x > y;
}

static const struct fake_etl *etl_by_id(const struct gen *g, int64_t etl_id)
{
    struct etl_index key = {.etl_id = etl_id};
    const struct etl_index *e = bsearch(&key, g->by_id, g->sc->n_etls, sizeof *g->by_id, cmp_index);
    return e ? &g->sc->etls[e->i] : NULL;
}

/* When the first follow target falls due, in ms of simulated time: now when one is due. */
static int64_t earliest_due_ms(const struct collector *c, int64_t now)
{
    int64_t first = INT64_MAX;
    for (size_t k = 0; k < c->n_follow; k++)
        if (c->follow[k].due < first)
            first = c->follow[k].due;
    return (first <= now ? now : first) * 1000;
}

/* One follow round at now: the quota of targets worth the most (follow_worth,
 * follow_choose) is observed, the round stored as a follow round of its pass, and the targets that
 * follow_keep() lets go are dropped (follow.c's round, on simulated time). */
static int follow_round_at(struct gen *g, int64_t now, size_t quota, long *budget_left)
{
    struct collector *c = &g->col;
    size_t k = follow_choose(
        g->picks, follow_worths(c->follow, c->n_follow, 0, now, g->cfg.interval, g->picks), quota);
    if (k == 0)
        return 0;
    for (size_t m = 0; m < k; m++) {
        const struct fake_etl *e = etl_by_id(g, c->follow[g->picks[m].fi].etl_id);
        if (!e || observe(e, now + g->sc->skew, &g->fobs[m]))
            return -1;
    }
    if (store_at(g, now, g->fobs, k, NULL, 0, 1))
        return -1;
    g->rounds++;
    *budget_left -= (long)k;
    size_t kept = 0;
    for (size_t i = 0, m = 0; i < c->n_follow; i++) {
        int keep = 1;
        if (m < k && g->picks[m].fi == i)
            keep = follow_keep(&c->follow[i], &g->fobs[m++], now);
        if (keep)
            c->follow[kept++] = c->follow[i];
    }
    c->n_follow = kept;
    return 0;
}

/* After the pass at t, what etlhist-collect --follow does before its next pass: plan with
 * the collector's follow_plan(), then rounds every follow_interval (follow_next_round), each
 * with its follow_quota of the budget, until nothing is followed, the window closes or the
 * budget is spent. */
static int gen_follow(struct gen *g, int64_t t)
{
    struct collector *c = &g->col;
    size_t n = g->sc->n_etls;
    if (follow_plan(c, g->obs, n, t, 0))
        return -1;
    c->polled = (long)n;
    long budget = c->polled > FOLLOW_BUDGET_MIN ? c->polled : FOLLOW_BUDGET_MIN;
    int64_t last = INT64_MIN, next, every_ms = (int64_t)g->cfg.follow_interval * 1000;
    int64_t window_ms = (t + g->cfg.follow) * 1000;
    while (c->n_follow && budget > 0) {
        next = follow_next_round(t * 1000, g->cfg.follow * 1000, last, every_ms,
                                 earliest_due_ms(c, last == INT64_MIN ? t : last / 1000));
        if (next < 0)
            break;
        last = next;
        size_t quota = follow_quota(budget, follow_rounds_left(window_ms, next, every_ms));
        if (follow_round_at(g, next / 1000, quota, &budget))
            return -1;
    }
    return 0;
}

static int gen_all(struct gen *g)
{
    const struct options *o = g->o;
    double t0 = now_s();
    for (long k = 0; k < o->passes; k++) {
        if (gen_pass(g, k) ||
            (g->cfg.follow > 0 && gen_follow(g, o->start + (int64_t)k * o->interval)))
            return -1;
        for (size_t s = 0; s < o->n_snaps; s++)
            if (o->snaps[s].passes == k + 1 && snapshot(g->db, o->snaps[s].path))
                return -1;
        if (g->pp.db && o->per_poll.passes == k + 1)
            per_poll_close(&g->pp);
        if (o->progress && (k + 1) % o->progress == 0) {
            double dt = now_s() - t0;
            fprintf(stderr, "genhist: %ld/%ld passes, %.1f s, %.2f us/observation\n", k + 1,
                    o->passes, dt, dt * 1e6 / (double)g->observations);
        }
    }
    if (db_exec(g->db, "PRAGMA journal_mode = WAL"))
        return -1;
    double dt = now_s() - t0;
    printf("passes %ld observations %lld seconds %.2f us_per_observation %.2f", o->passes,
           g->observations, dt, dt * 1e6 / (double)g->observations);
    if (g->cfg.follow > 0)
        printf(" follow %ld follow_interval %ld follow_rounds %lld", g->cfg.follow,
               g->cfg.follow_interval, g->rounds);
    printf("\n");
    return 0;
}

static int gen_setup(struct gen *g)
{
    char sql[64];
    size_t n = g->sc->n_etls;
    g->obs = calloc(n ? n : 1, sizeof *g->obs);
    g->names = calloc(n ? n : 1, sizeof *g->names);
    g->by_id = calloc(n ? n : 1, sizeof *g->by_id);
    g->fobs = calloc(n ? n : 1, sizeof *g->fobs);
    g->picks = calloc(n ? n : 1, sizeof *g->picks);
    if (!g->obs || !g->names || !g->by_id || !g->fobs || !g->picks)
        return -1;
    for (size_t i = 0; i < n; i++) {
        g->names[i].etl_id = g->sc->etls[i].id;
        g->names[i].name = g->sc->etls[i].name ? g->sc->etls[i].name : "";
        g->by_id[i] = (struct etl_index){g->sc->etls[i].id, i};
    }
    qsort(g->names, n, sizeof *g->names, cmp_info);
    qsort(g->by_id, n, sizeof *g->by_id, cmp_index);
    /* The collector's configuration rules: follow capped by the interval less the timeout. */
    config_defaults(&g->cfg);
    g->cfg.interval = g->o->interval;
    g->cfg.follow = g->o->follow;
    g->cfg.follow_interval = g->o->follow_interval;
    config_resolve_follow(&g->cfg, g->o->interval, 0);
    snprintf(g->ic.name, sizeof g->ic.name, "bench");
    g->col = (struct collector){.cfg = &g->cfg, .ic = &g->ic};
    remove(g->o->db);
    if (db_open(g->o->db, DB_READWRITE, &g->db))
        return -1;
    g->col.db = g->db;
    /* Durability only costs time here; the file's layout is the same whatever the setting.
     * Without a journal a commit writes its pages once instead of to the WAL and again at the
     * checkpoint: a fifth less CPU at 100 ETLs per pass. */
    snprintf(sql, sizeof sql, "PRAGMA synchronous = %.16s", g->o->synchronous);
    if (db_exec(g->db, sql) || db_exec(g->db, g->o->cache_pragma) ||
        db_exec(g->db, "PRAGMA journal_mode = OFF"))
        return -1;
    if (g->o->per_poll.path && per_poll_open(&g->pp, g->o->per_poll.path))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    struct gen g = {.o = &o};
    log_init("genhist", LOG_WARN);
    /* One thread: SQLite's mutexes only cost time here (what is written does not change). */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    if (parse_args(argc, argv, &o))
        return 2;
    if (!(g.sc = load_scenario(o.scenario)))
        return 2;
    int rc = gen_setup(&g) == 0 && gen_all(&g) == 0 ? 0 : 1;
    per_poll_close(&g.pp);
    db_close(g.db);
    scenario_free(g.sc);
    free(g.obs);
    free(g.names);
    free(g.by_id);
    free(g.fobs);
    free(g.picks);
    free(g.col.follow);
    return rc;
}
