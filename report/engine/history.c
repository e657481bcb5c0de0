#include "history.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

static enum svc_state svc_state_of(const char *status)
{
    if (status && strcmp(status, "SERVICE_ON") == 0)
        return SVC_ON;
    if (status && strcmp(status, "SERVICE_OFF") == 0)
        return SVC_OFF;
    return SVC_OTHER;
}

struct scan_arg {
    struct sample_scan *scan;
    const struct window *win;
};

static int push_obs(struct sample_scan *scan, const struct obs *o)
{
    if (scan->n == scan->cap) {
        size_t cap = scan->cap ? scan->cap * 2 : 64;
        struct obs *v = realloc(scan->obs, cap * sizeof *v);
        if (!v)
            return -1;
        scan->obs = v;
        scan->cap = cap;
    }
    scan->obs[scan->n++] = *o;
    return 0;
}

static int count_health(struct sample_scan *scan, const struct sample_row *s)
{
    scan->polls += s->polls;
    if (s->has_http && s->http_code == 400)
        scan->not_found += s->polls;
    if (s->has_http && s->http_code >= 500 && s->http_code <= 599)
        scan->http_5xx += s->polls;
    if (!s->error)
        return 0;
    scan->errors += s->polls;
    if (strncmp(s->error, "timeout", 7) == 0)
        scan->timeouts += s->polls;
    if (!scan->last_error || s->first >= scan->last_error_at) {
        char *e = strdup(s->error);
        if (!e)
            return -1;
        free(scan->last_error);
        scan->last_error = e;
        scan->last_error_at = s->first;
    }
    return 0;
}

static int scan_one(void *arg, const struct sample_row *s)
{
    struct scan_arg *a = arg;
    struct sample_scan *scan = a->scan;
    struct obs o = {s->first,
                    s->last,
                    s->error == NULL,
                    svc_state_of(s->status),
                    s->status && strcmp(s->status, "ENDED") == 0,
                    s->max_gap,
                    s->status && strcmp(s->status, "WAITING") == 0};
    if (s->last >= a->win->since && s->first < a->win->until)
        scan->present = 1;
    if (o.ok && o.state != SVC_OTHER)
        scan->service = 1;
    int failed = push_obs(scan, &o);
    if (!failed && s->first >= a->win->since && s->first < a->win->until)
        failed = count_health(scan, s);
    if (failed)
        log_err("out of memory");
    return failed;
}

int history_samples(const struct query_etl *etl, const struct window *win, struct sample_scan *scan)
{
    memset(scan, 0, sizeof *scan);
    struct scan_arg a = {scan, win};
    if (query_samples(etl, win->since, win->until, scan_one, &a))
        return -1;
    coverage_compute(scan->obs, scan->n, win->since, win->until, etl->max_gap, &scan->cov);
    return 0;
}

void history_samples_free(struct sample_scan *scan)
{
    free(scan->obs);
    free(scan->last_error);
    memset(scan, 0, sizeof *scan);
}

int history_count_run(void *arg, const struct query_run *r)
{
    if (runstats_add(arg, outcome_parse(r->outcome), r->has_dur, r->lo, r->hi)) {
        log_err("out of memory");
        return -1;
    }
    return 0;
}

int history_run_stats(const struct query_etl *etl, const struct window *win, struct runstats *rs)
{
    runstats_init(rs);
    return query_runs(etl, win->since, win->until, history_count_run, rs);
}

static int feed_latest(void *arg, const struct query_run *r)
{
    struct latest_runs *lr = arg;
    if (!lr->has_last) {
        lr->has_last = 1;
        lr->last_start = r->start;
        lr->last_outcome = strdup(r->outcome ? r->outcome : "UNKNOWN");
        if (!lr->last_outcome) {
            log_err("out of memory");
            return -1;
        }
    }
    enum outcome out = outcome_parse(r->outcome);
    int settled = streak_feed(&lr->streak, out);
    if (!settled && outcome_failed(out)) {
        if (lr->streak.count == 1)
            lr->streak_outcome = out;
        lr->streak_since = r->start;
    }
    return settled;
}

int history_latest_runs(const struct query_etl *etl, int64_t until, struct latest_runs *out)
{
    memset(out, 0, sizeof *out);
    return query_runs_before(etl, until, feed_latest, out);
}
