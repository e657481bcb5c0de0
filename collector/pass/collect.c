#include "collect.h"

#include "api.h"
#include "dbcheck.h"
#include "log.h"
#include "poll.h"
#include "store.h"
#include "timeutil.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STATUS_PATH "/opt/api/v1/backend/etls/%" PRId64 "/status"
#define LIST_PATH "/opt/api/v1/backend/etls/"
#define ERROR_LINES_MAX 10

/* Everything one pass gathers before it is stored. */
struct pass_state {
    struct collector *c;
    const struct pass_clock *clk;
    const char *base; /* instance URL without trailing slashes */
    size_t base_len;
    int64_t *targets; /* ETL ids to poll */
    size_t n;
    struct observation *obs;
    size_t *retry;      /* indexes worth asking again: 401, or 429/503 with Retry-After */
    long *retry_wait_s; /* each one's Retry-After (0 for a 401) */
    size_t n_retry;
    const size_t *subset; /* indexes being polled now, or NULL for all */
    int64_t *skews;
    size_t n_skews;
    struct etl_info *names;
    size_t n_names;
    int progress; /* a progress line on stderr: only on a terminal, never under cron */
    size_t done;
};

struct pass_clock pass_clock_read(void)
{
    struct timespec ts;
    struct pass_clock clk;
    clock_gettime(CLOCK_REALTIME, &ts);
    clk.mono_ms = poll_now_ms();
    clk.wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    clk.now = (int64_t)ts.tv_sec;
    return clk;
}

int64_t pass_clock_at(const struct pass_clock *clk, int64_t mono_ms)
{
    int64_t ms = clk->wall_ms + (mono_ms - clk->mono_ms);
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

int64_t pass_clock_skew(const struct pass_clock *clk, const struct http_result *r)
{
    if (r->server_date == INT64_MIN || !r->http_code)
        return INT64_MIN;
    return r->server_date - pass_clock_at(clk, r->sent_ms);
}

/* The two clocks are read a moment apart, in whole milliseconds: waking a little late
 * makes sure a round that reads the clock then finds the second t already begun. */
#define CLOCK_SLACK_MS 5

int64_t pass_clock_mono(const struct pass_clock *clk, int64_t t)
{
    return clk->mono_ms + (t * 1000 - clk->wall_ms) + CLOCK_SLACK_MS;
}

int collector_init(struct collector *c, const struct config *cfg, const struct instance_config *ic,
                   sqlite3 *db)
{
    char err[160];
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->ic = ic;
    c->db = db;
    if (etlset_parse(ic->etls, &c->etls, err, sizeof err)) {
        log_err("instance %s: etls: %s", ic->name, err);
        return -1;
    }
    return auth_init(&c->auth, ic, cfg->timeout);
}

void collector_free(struct collector *c)
{
    free(c->follow);
    auth_free(&c->auth);
    etlset_free(&c->etls);
}

static void status_url(void *ctx, size_t i, char *buf, size_t cap)
{
    struct pass_state *ps = ctx;
    size_t idx = ps->subset ? ps->subset[i] : i;
    snprintf(buf, cap, "%.*s" STATUS_PATH, (int)ps->base_len, ps->base, ps->targets[idx]);
}

void collector_status_url(const struct collector *c, int64_t etl_id, char *buf, size_t cap)
{
    size_t len = strlen(c->ic->url);
    while (len && c->ic->url[len - 1] == '/')
        len--;
    snprintf(buf, cap, "%.*s" STATUS_PATH, (int)len, c->ic->url, etl_id);
}

void collector_classify(struct observation *o, int64_t etl_id, const struct http_result *r)
{
    memset(o, 0, sizeof *o);
    o->etl_id = etl_id;
    o->task_id = -1;
    o->http_code = r->http_code;
    if (r->error[0])
        api_set_error(o, "%s", r->error);
    else if ((r->http_code == 200 || r->http_code == 204) && r->len > 0)
        api_parse_status(r->body, r->len, o);
    else if (r->http_code == 200 || r->http_code == 204)
        api_set_error(o, "HTTP %ld without a body", r->http_code);
    else if (r->http_code == 400)
        api_set_error(o, "ETL not found (HTTP 400)");
    else if (r->http_code == 401)
        api_set_error(o, "unauthorized (HTTP 401)");
    else if (r->http_code == 403)
        api_set_forbidden(o, r->body, r->len);
    else
        api_set_error(o, "HTTP %ld", r->http_code);
    if (o->error[0] && r->error[0])
        o->failure = r->failure != FAILURE_NONE ? r->failure : FAILURE_OTHER;
    else if (o->error[0])
        o->failure = failure_of_http(r->http_code);
}

static void status_done(void *ctx, size_t i, const struct http_result *r)
{
    struct pass_state *ps = ctx;
    size_t idx = ps->subset ? ps->subset[i] : i;
    struct observation *o = &ps->obs[idx];
    collector_classify(o, ps->targets[idx], r);
    if (ps->progress && (++ps->done % 64 == 0 || ps->done == ps->n))
        fprintf(stderr, "\r%s: %zu/%zu ETLs polled", ps->c->ic->name, ps->done, ps->n);
    int throttled = (r->http_code == 429 || r->http_code == 503) && r->retry_after_s >= 0;
    if ((r->http_code == 401 || throttled) && !ps->subset) {
        ps->retry_wait_s[ps->n_retry] = throttled ? r->retry_after_s : 0;
        ps->retry[ps->n_retry++] = idx;
    }
    int64_t skew = pass_clock_skew(ps->clk, r);
    if (skew != INT64_MIN)
        ps->skews[ps->n_skews++] = skew;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_info(const void *a, const void *b)
{
    return cmp_i64(&((const struct etl_info *)a)->etl_id, &((const struct etl_info *)b)->etl_id);
}

/* GET the ETL list: ids for "etls = all", names always. Returns 0, or -1 with err and
 * *failure set. */
static int discover(struct pass_state *ps, char *err, size_t errlen, enum failure *failure)
{
    struct collector *c = ps->c;
    char url[1200], *body = NULL;
    struct http_result r;
    size_t skipped = 0;
    struct http_opts o = c->auth.http;
    o.bearer = c->auth.token;
    o.max_body = POLL_LIST_CAP;
    snprintf(url, sizeof url, "%.*s" LIST_PATH, (int)ps->base_len, ps->base);
    int rc = http_request(&o, url, NULL, &r, &body);
    if (rc == 0 && r.http_code == 401 && auth_renew(&c->auth, ps->clk->now) == 0) {
        free(body);
        o.bearer = c->auth.token;
        rc = http_request(&o, url, NULL, &r, &body);
    }
    *failure = r.failure;
    if (rc != 0)
        snprintf(err, errlen, "%s", r.error);
    else if (r.http_code != 200) {
        snprintf(err, errlen, "HTTP %ld", r.http_code);
        *failure = failure_of_http(r.http_code);
        rc = -1;
    } else if ((rc = api_parse_list(body, r.len, &ps->names, &ps->n_names, &skipped, err,
                                    errlen)) != 0)
        *failure = FAILURE_SERVER;
    free(body);
    if (skipped)
        log_warn("%s: %zu %s of the ETL list from " LIST_PATH " %s no usable etl_id "
                 "(a positive integer); skipped",
                 c->ic->name, skipped, log_plural(skipped, "entry", "entries"),
                 log_plural(skipped, "has", "have"));
    if (rc == 0)
        qsort(ps->names, ps->n_names, sizeof *ps->names, cmp_info);
    return rc;
}

/* The ETLs this pass polls: the discovered ones for "all", else the configured list. */
static int choose_targets(struct pass_state *ps)
{
    const struct etlset *set = &ps->c->etls;
    size_t n = set->all ? ps->n_names : etlset_count(set), k = 0;
    ps->targets = calloc(n ? n : 1, sizeof *ps->targets);
    ps->obs = calloc(n ? n : 1, sizeof *ps->obs);
    ps->retry = calloc(n ? n : 1, sizeof *ps->retry);
    ps->retry_wait_s = calloc(n ? n : 1, sizeof *ps->retry_wait_s);
    ps->skews = calloc(2 * n + 1, sizeof *ps->skews);
    if (!ps->targets || !ps->obs || !ps->retry || !ps->retry_wait_s || !ps->skews)
        return -1;
    if (set->all) {
        for (size_t i = 0; i < ps->n_names; i++)
            if (i == 0 || ps->names[i].etl_id != ps->names[i - 1].etl_id)
                ps->targets[k++] = ps->names[i].etl_id;
    } else {
        for (size_t r = 0; r < set->n; r++)
            for (int64_t id = set->ranges[r].lo; id <= set->ranges[r].hi; id++)
                ps->targets[k++] = id;
    }
    ps->n = k;
    return 0;
}

static int64_t median_skew(struct pass_state *ps)
{
    qsort(ps->skews, ps->n_skews, sizeof *ps->skews, cmp_i64);
    return ps->skews[ps->n_skews / 2];
}

/* Keeps in the retry list only what a second try can help: 401s once a new token is in
 * hand, and throttled ETLs whose own Retry-After fits before the pass deadline. Returns
 * the longest wait among those kept. */
static long filter_retries(struct pass_state *ps, int renewed, int64_t deadline_ms)
{
    size_t k = 0;
    long wait_s = 0;
    for (size_t i = 0; i < ps->n_retry; i++) {
        long code = ps->obs[ps->retry[i]].http_code, wait = ps->retry_wait_s[i];
        int fits = poll_now_ms() + wait * 1000 + 1000 < deadline_ms;
        if (code == 401 ? !renewed : !fits)
            continue;
        if (wait > wait_s)
            wait_s = wait;
        ps->retry_wait_s[k] = wait;
        ps->retry[k++] = ps->retry[i];
    }
    ps->n_retry = k;
    return wait_s;
}

static int poll_all(struct pass_state *ps, int64_t deadline_ms)
{
    struct collector *c = ps->c;
    struct http_opts o = c->auth.http;
    o.bearer = c->auth.token;
    if (poll_many(&o, c->cfg->concurrency, deadline_ms, ps->n, status_url, status_done, ps))
        return -1;
    if (ps->n_retry == 0)
        return 0;
    int unauthorized = 0;
    for (size_t i = 0; i < ps->n_retry; i++)
        unauthorized |= ps->obs[ps->retry[i]].http_code == 401;
    /* A token that expired mid-pass: renew once and ask again for those ETLs. */
    int renewed = unauthorized && auth_renew(&c->auth, ps->clk->now) == 0;
    long wait_s = filter_retries(ps, renewed, deadline_ms);
    if (ps->n_retry == 0)
        return 0;
    if (wait_s > 0)
        sleep((unsigned)wait_s);
    o.bearer = c->auth.token;
    ps->subset = ps->retry;
    int rc =
        poll_many(&o, c->cfg->concurrency, deadline_ms, ps->n_retry, status_url, status_done, ps);
    ps->subset = NULL;
    return rc;
}

void collector_report_errors(const struct collector *c, const struct observation *obs, size_t n,
                             const char *during)
{
    const char *name = c->ic->name;
    size_t shown = 0, failed = 0, unread = 0;
    for (size_t i = 0; i < n; i++) {
        const struct observation *o = &obs[i];
        if (o->last_exec_ts_unread && ++unread <= ERROR_LINES_MAX)
            log_warn("%s etl %" PRId64 ": last_exec_ts from " STATUS_PATH
                     " is not a time; the status is stored without it",
                     name, o->etl_id, o->etl_id);
        if (!o->error[0])
            continue;
        if (++failed > ERROR_LINES_MAX || c->quiet)
            continue;
        log_err("%s etl %" PRId64 ": %s from " STATUS_PATH "%s", name, o->etl_id, o->error,
                o->etl_id, during);
        shown++;
    }
    if (failed > shown)
        log_err("%s: %zu of %zu %s failed%s%s", name, failed, n, log_plural(n, "ETL", "ETLs"),
                during, shown ? " (first ones above)" : "");
}

/* What the server sent is printed, so its control characters are neutralised: a status
 * must not be able to clear the screen or forge a line. */
static void print_dry_run(const struct pass_state *ps, FILE *out)
{
    char ts[TIME_BUF];
    fprintf(out, "%-10s %-8s %-12s %-10s %-21s %s\n", "instance", "etl_id", "status", "exit_code",
            "last_exec_utc", "error");
    for (size_t i = 0; i < ps->n; i++) {
        struct observation o = ps->obs[i];
        if (o.last_exec_ts)
            time_format_utc(o.last_exec_ts, ts);
        log_clean(o.status);
        log_clean(o.exit_code);
        log_clean(o.error);
        fprintf(out, "%-10s %-8" PRId64 " %-12s %-10s %-21s %s\n", ps->c->ic->name, o.etl_id,
                o.error[0] ? "-" : o.status, o.exit_code[0] ? o.exit_code : "-",
                o.last_exec_ts ? ts : "-", o.error);
    }
}

/* A configured ETL list is known without the server: a failed pass still makes sure each of
 * its ETLs has a row, so that a history that never observed anything lists them. */
static void note_configured(struct pass_state *ps, struct pass_record *rec)
{
    if (ps->c->etls.all || (!ps->targets && choose_targets(ps)))
        return;
    rec->configured = ps->targets;
    rec->n_configured = ps->n;
}

/* A pass that could not poll at all is still recorded: it is what was not observed. */
static int failed_pass(struct pass_state *ps, struct pass_record *rec, const char *why,
                       enum failure failure)
{
    log_err("%s: %s", ps->c->ic->name, why);
    rec->error = why;
    rec->failure = failure;
    note_configured(ps, rec);
    rec->finished = pass_clock_at(ps->clk, poll_now_ms());
    if (ps->c->db && store_pass(ps->c->db, rec, NULL, 0, ps->names, ps->n_names) &&
        !dbcheck_damaged(ps->c->db))
        log_err("%s: failed pass not recorded (database error above)", ps->c->ic->name);
    return EXIT_NOTHING;
}

/* A pass whose every poll failed observed nothing, like one that could not poll: it says
 * why, from its polls' failures (one class when they agree). */
static void explain_nothing(const struct pass_state *ps, struct pass_record *rec, char *why,
                            size_t cap)
{
    enum failure f = FAILURE_NONE;
    for (size_t i = 0; i < ps->n; i++)
        f = failure_join(f, ps->obs[i].failure);
    rec->failure = f != FAILURE_NONE ? f : FAILURE_OTHER;
    if (ps->n == 0)
        snprintf(why, cap, "no ETL to poll (the ETL list is empty)");
    else
        snprintf(why, cap, "every ETL failed (first: etl %" PRId64 ": %s)", ps->obs[0].etl_id,
                 ps->obs[0].error);
    rec->error = why;
}

static int finish_pass(struct pass_state *ps, struct pass_record *rec)
{
    struct collector *c = ps->c;
    size_t unauthorized = 0;
    char why[API_ERR_MAX + 64];
    for (size_t i = 0; i < ps->n; i++) {
        ps->obs[i].error[0] ? rec->errors++ : rec->ok++;
        unauthorized += ps->obs[i].http_code == 401;
    }
    rec->polled = (long)ps->n;
    /* Refused everywhere even after renewal: the token is bad, not the ETLs. */
    if (ps->n && unauthorized == ps->n)
        return failed_pass(ps, rec, "authentication failed (HTTP 401 for every ETL)", FAILURE_AUTH);
    if (rec->ok == 0)
        explain_nothing(ps, rec, why, sizeof why);
    note_configured(ps, rec);
    rec->finished = pass_clock_at(ps->clk, poll_now_ms());
    if (ps->n_skews) {
        rec->has_skew = 1;
        rec->skew_s = median_skew(ps);
    }
    if (c->dry_out) {
        print_dry_run(ps, c->dry_out);
    } else if (store_pass(c->db, rec, ps->obs, ps->n, ps->names, ps->n_names)) {
        if (!dbcheck_damaged(c->db))
            log_err("%s: pass not stored (database error above); earlier passes are intact",
                    c->ic->name);
        return EXIT_NOTHING;
    } else if (c->stored) {
        c->polled = (long)ps->n;
        c->stored(c, ps->obs, ps->n, rec->started, rec->has_skew ? rec->skew_s : 0);
    }
    collector_report_errors(c, ps->obs, ps->n, "");
    if (rec->error || rec->ok == 0)
        return EXIT_NOTHING;
    return rec->errors ? EXIT_PARTIAL : EXIT_ALL_POLLED;
}

int collector_interrupted(const struct collector *c)
{
    return c->auth.http.cancel && *c->auth.http.cancel;
}

/* Stopped by a signal: nothing of this pass is stored, as if it had not begun. */
static int interrupted_pass(struct pass_state *ps)
{
    log_err("%s: interrupted by a signal; this pass is not stored", ps->c->ic->name);
    return EXIT_NOTHING;
}

static int run_pass(struct pass_state *ps, struct pass_record *rec)
{
    struct collector *c = ps->c;
    char err[200], why[300];
    enum failure failure;
    int64_t last;
    /* A file found damaged earlier in this run: nothing more is polled for it. */
    if (c->db && (dbcheck_damaged(c->db) || store_last_pass(c->db, c->ic->name, &last)))
        return EXIT_NOTHING;
    if (c->db && rec->started < last) {
        log_err("%s: the clock (%" PRId64 ") is behind the last stored pass (%" PRId64
                "); nothing polled",
                c->ic->name, rec->started, last);
        return EXIT_NOTHING;
    }
    if (auth_ensure(&c->auth, rec->started))
        return collector_interrupted(c)
                   ? interrupted_pass(ps)
                   : failed_pass(ps, rec, "authentication failed", c->auth.failure);
    if (discover(ps, err, sizeof err, &failure)) {
        if (collector_interrupted(c))
            return interrupted_pass(ps);
        if (!strcmp(err, "HTTP 401"))
            return failed_pass(ps, rec, "authentication failed (HTTP 401 from " LIST_PATH ")",
                               FAILURE_AUTH);
        snprintf(why, sizeof why, "ETL list from " LIST_PATH " failed: %s", err);
        if (c->etls.all)
            return failed_pass(ps, rec, why, failure);
        log_info("%s: %s (ETL names not updated)", c->ic->name, why);
    } else {
        rec->listed = 1;
    }
    if (choose_targets(ps)) {
        log_err("%s: out of memory", c->ic->name);
        return EXIT_NOTHING;
    }
    long budget = c->cfg->pass_timeout ? c->cfg->pass_timeout : c->cfg->interval;
    ps->progress = isatty(STDERR_FILENO) && !c->quiet && ps->n >= 100;
    int polled = poll_all(ps, poll_now_ms() + budget * 1000);
    if (ps->progress)
        fputs("\r\033[K", stderr);
    if (collector_interrupted(c))
        return interrupted_pass(ps);
    if (polled)
        return failed_pass(ps, rec, "HTTP client failure", FAILURE_OTHER);
    return finish_pass(ps, rec);
}

int collector_pass(struct collector *c, const struct pass_clock *clk)
{
    struct pass_state ps = {.c = c, .clk = clk, .base = c->ic->url};
    free(c->follow);
    c->follow = NULL;
    c->n_follow = 0;
    ps.base_len = strlen(ps.base);
    while (ps.base_len && ps.base[ps.base_len - 1] == '/')
        ps.base_len--;
    struct pass_record rec = {
        .instance = c->ic->name,
        .url = c->ic->url,
        .interval_s = c->cfg->interval,
        .started = clk->now,
        .tz = c->ic->tz,
    };
    int rc = run_pass(&ps, &rec);
    log_info("%s: pass polled %ld %s, %ld ok, %ld %s", c->ic->name, rec.polled,
             log_plural(rec.polled, "ETL", "ETLs"), rec.ok, rec.errors,
             log_plural(rec.errors, "error", "errors"));
    free(ps.targets);
    free(ps.obs);
    free(ps.retry);
    free(ps.retry_wait_s);
    free(ps.skews);
    free(ps.names);
    return rc;
}
