#include "defs.h"

#include "expect.h"
#include "history.h"
#include "log.h"
#include "numfmt.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The three columns every report starts with. */
#define ETL_COLUMNS                                                                                \
    {"instance", "instance", COL_TEXT, 1}, {"etl_id", "id", COL_INT, 0},                           \
    {                                                                                              \
        "etl_name", "name", COL_TEXT, 1                                                            \
    }

static const struct column summary_cols[] = {
    ETL_COLUMNS,
    {"runs", "runs", COL_INT, 0},
    {"ok", NULL, COL_INT, 0},      /* text leaves out ok and max to fit 100 columns */
    {"warning", NULL, COL_INT, 0}, /* and warning and late, since missed and overdue came */
    {"failed", "fail", COL_INT, 0},
    {"aborted", "abrt", COL_INT, 0},
    {"unknown", "unkn", COL_INT, 0},
    {"failure_rate_pct", "fail%", COL_PCT, 0},
    {"abort_rate_pct", "abrt%", COL_PCT, 0},
    {"duration_p50_s", "p50", COL_DURATION, 0},
    {"duration_p95_s", "p95", COL_DURATION, 0},
    {"duration_max_s", NULL, COL_DURATION, 0},
    {"last_start_utc", "last start", COL_TIME, 0},
    {"last_outcome", "outcome", COL_TEXT, 0},
    {"failure_streak", "strk", COL_INT, 0},
    {"coverage_pct", "cov%", COL_PCT, 0},
    {"late", NULL, COL_INT, 0},
    {"missed", "miss", COL_INT, 0},
    {"overdue", "ovrd", COL_INT, 0},
    {"mttr_s", NULL, COL_DURATION, 0},
    {"mtbf_s", NULL, COL_DURATION, 0},
    {"manual", NULL, COL_INT, 0},
};

static const struct column summary_totals[] = {
    {"runs", "runs", COL_INT, 0},
    {"failed", "failed", COL_INT, 0},
    {"aborted", "aborted", COL_INT, 0},
    {"failure_rate_pct", "failure rate", COL_PCT, 0},
    {"abort_rate_pct", "abort rate", COL_PCT, 0},
};

static const struct column run_cols[] = {
    ETL_COLUMNS,
    {"task_id", "task", COL_INT, 0},
    {"start_utc", "start", COL_TIME, 0},
    {"end_utc", "end", COL_TIME, 0},
    {"outcome", "outcome", COL_TEXT, 0},
    {"exit_code", "exit", COL_TEXT, 1},
    {"duration_s", "duration", COL_DURATION, 0},
    {"duration_lo_s", "lo", COL_INT, 0},
    {"duration_hi_s", "hi", COL_INT, 0},
    {"expected_start_utc", NULL, COL_TIME, 0},
    {"delay_s", "delay", COL_INT, 0},
    {"overdue", "ovrd", COL_INT, 0},
    {"late", "late", COL_INT, 0},
    {"manual", "man", COL_INT, 0},
};

static const struct column service_cols[] = {
    ETL_COLUMNS,
    {"on_pct", "on%", COL_PCT, 0},
    {"off_pct", "off%", COL_PCT, 0},
    {"unobserved_pct", "unobserved%", COL_PCT, 0},
    {"transitions", "transitions", COL_INT, 0},
};

static const struct column trend_cols[] = {
    ETL_COLUMNS,
    {"runs", "runs", COL_INT, 0},
    {"runs_prev", "prev", COL_INT, 0},
    {"failure_rate_pct", "fail%", COL_PCT, 0},
    {"failure_rate_prev_pct", "prev%", COL_PCT, 0},
    {"duration_p50_s", "p50", COL_DURATION, 0},
    {"duration_p50_prev_s", "prev p50", COL_DURATION, 0},
    {"regression", "regression", COL_TEXT, 0},
};

static const struct column health_cols[] = {
    ETL_COLUMNS,
    {"polls", "polls", COL_INT, 0},
    {"errors", "errors", COL_INT, 0},
    {"not_found", "400", COL_INT, 0},
    {"http_5xx", "5xx", COL_INT, 0},
    {"timeouts", "timeouts", COL_INT, 0},
    {"last_error", "last error", COL_TEXT, 1},
    {"coverage_pct", "cov%", COL_PCT, 0},
    {"last_pass_utc", "last pass", COL_TIME, 0},
    {"stale", "stale", COL_INT, 0},
};

static const struct column schedule_cols[] = {
    ETL_COLUMNS,
    {"kind", "kind", COL_TEXT, 0},
    {"period_s", "period", COL_DURATION, 0},
    {"offset_s", "offset", COL_DURATION, 0},
    {"next_expected_utc", "next expected", COL_TIME, 0},
    {"duration_limit_s", "limit", COL_DURATION, 0},
    {"late", "late", COL_INT, 0},
    {"missed", "miss", COL_INT, 0},
    {"overdue", "ovrd", COL_INT, 0},
    {"runs_used", "used", COL_INT, 0},
    {"unscheduled_since_utc", "ended since", COL_TIME, 0},
    {"manual", "man", COL_INT, 0},
    {"clock", "clock", COL_TEXT, 1},
    {"deleted_since_utc", "deleted", COL_TIME, 0},
};

static const struct column missed_cols[] = {
    ETL_COLUMNS,
    {"expected_start_utc", "expected start", COL_TIME, 0},
    {"period_s", "period", COL_DURATION, 0},
};

static const struct column etl_cols[] = {
    ETL_COLUMNS,
    {"first_seen_utc", "first seen", COL_TIME, 0},
    {"last_seen_utc", "last seen", COL_TIME, 0},
    {"last_status", "status", COL_TEXT, 0},
};

/* ---- rows ---- */

static int64_t window_len(const struct report_job *job)
{
    return job->win.until - job->win.since;
}

static void etl_cells(struct cell *c, const struct query_etl *etl)
{
    c[0] = cell_text(etl->instance);
    c[1] = etl->no_etl ? cell_null() : cell_int(etl->etl_id);
    c[2] = cell_text(etl->name);
}

static struct cell rate(int64_t num, int64_t finished)
{
    return finished > 0 ? cell_real(numfmt_pct_tenths(num, finished), 1) : cell_null();
}

/* lo + hi is twice the midpoint, so the duration in tenths is (lo + hi) * 5. */
static struct cell duration2(int ok, int64_t dur2)
{
    return ok ? cell_real(dur2 * 5, 1) : cell_null();
}

static struct cell percentile(struct runstats *rs, int p)
{
    int64_t d;
    int ok = runstats_percentile2(rs, p, &d) == 0;
    return duration2(ok, d);
}

/* A row has a failed or aborted run: its counts say so (summary, trend), or its outcome
 * does (runs, failures). */
static int row_failed(struct report_job *job, const struct cell *cells)
{
    if (!job->cols_found) {
        const struct column *c = job->def->cols;
        job->col_failed = column_index(c, job->def->ncols, "failed");
        job->col_aborted = column_index(c, job->def->ncols, "aborted");
        job->col_outcome = column_index(c, job->def->ncols, "outcome");
        job->cols_found = 1;
    }
    if (job->col_failed >= 0 && job->col_aborted >= 0)
        return cells[job->col_failed].num + cells[job->col_aborted].num > 0;
    if (job->col_outcome >= 0 && cells[job->col_outcome].type == CELL_TEXT) {
        enum outcome o = outcome_parse(cells[job->col_outcome].text);
        return outcome_failed(o);
    }
    return 0;
}

/* Hands one row to the writer with what the definitions say of it (mark: the summary's
 * attention flags and duration limit, or NULL). */
/* Writes the row; --fail-on watches judged, the same row with what silences cover taken out
 * (NULL: the row itself). A silence hides verdicts, never data. */
static int put_judged(struct report_job *job, const struct cell *cells, const struct cell *judged,
                      const struct row_mark *mark)
{
    if (job->watch && failon_row(job->watch, judged ? judged : cells))
        return -2; /* out of memory, logged by report_write */
    struct row_mark m = mark ? *mark : (struct row_mark){0};
    if (row_failed(job, cells))
        m.flags |= ROW_FAILED;
    return job->sink.row(job->sink.state, cells, &m) ? -2 : 0;
}

static int put_marked(struct report_job *job, const struct cell *cells, const struct row_mark *mark)
{
    return put_judged(job, cells, NULL, mark);
}

static int put(struct report_job *job, const struct cell *cells)
{
    return put_marked(job, cells, NULL);
}

static void add_totals(struct runstats *t, const struct runstats *rs)
{
    t->runs += rs->runs;
    t->ok += rs->ok;
    t->warning += rs->warning;
    t->failed += rs->failed;
    t->aborted += rs->aborted;
    t->unknown += rs->unknown;
}

static struct cell opt_int(int has, int64_t v)
{
    return has ? cell_int(v) : cell_null();
}

static struct cell opt_seconds(int has, int64_t v)
{
    return has ? cell_real(v, 0) : cell_null();
}

/* Verdicts of one ETL a silence kept from its summary row (missed, late, overdue). */
struct quieted {
    int64_t missed, late, overdue;
    int failing; /* the failure streak is within a silence */
};

/* The summary's runs: counted, given to what was expected, and kept for the overview's
 * charts and heat map. */
struct summary_runs {
    struct report_job *job;
    struct runstats *rs;
    struct etl_expect *ex;
    struct chart_run *run;
    size_t nrun, cap;
};

/* A cell in tenths (durations and percentages made here have one decimal), -1 when NULL. */
static int64_t tenths_or_unknown(const struct cell *c)
{
    return c->type == CELL_REAL ? c->num : -1;
}

/* Hands the ETL's row and runs to the overview (which takes the runs). Returns 0, or -2
 * when out of memory (logged by report_write, as a writer's would be). */
static int summary_overview(struct report_job *job, const struct query_etl *etl,
                            const struct cell *c, const struct latest_runs *lr,
                            struct summary_runs *runs, const struct row_mark *mark)
{
    if (!job->overview)
        return 0;
    const struct runstats *rs = runs->rs;
    struct overview_etl e = {etl->instance,
                             etl->name,
                             etl->etl_id,
                             rs->runs,
                             rs->failed,
                             rs->aborted,
                             tenths_or_unknown(&c[11]),
                             tenths_or_unknown(&c[12]),
                             c[17].num,
                             lr->streak.count,
                             runs->run,
                             runs->nrun,
                             mark->flags & ROW_ATTENTION ? 1 : 0,
                             mark->has_limit ? mark->limit_s * 10 : -1};
    runs->run = NULL;
    return overview_add(job->overview, &e) ? -2 : 0;
}

static int summary_put(struct report_job *job, const struct query_etl *etl,
                       struct summary_runs *runs, struct latest_runs *lr, struct sample_scan *scan,
                       const struct etl_expect *ex, struct row_mark *mark, const struct quieted *q)
{
    struct runstats *rs = runs->rs;
    struct cell c[N(summary_cols)];
    int64_t finished = runstats_finished(rs), max2, mttr = 0, mtbf = 0;
    int has_max = runstats_max2(rs, &max2) == 0;
    int has_mttr = mttr_repair(&ex->mttr, &mttr), has_mtbf = mttr_between(&ex->mttr, &mtbf);
    etl_cells(c, etl);
    c[3] = cell_int(rs->runs);
    c[4] = cell_int(rs->ok);
    c[5] = cell_int(rs->warning);
    c[6] = cell_int(rs->failed);
    c[7] = cell_int(rs->aborted);
    c[8] = cell_int(rs->unknown);
    c[9] = rate(rs->failed, finished);
    c[10] = rate(rs->aborted, finished);
    c[11] = percentile(rs, 50);
    c[12] = percentile(rs, 95);
    c[13] = duration2(has_max, max2);
    c[14] = lr->has_last ? cell_time(lr->last_start) : cell_null();
    c[15] = cell_text(lr->last_outcome);
    c[16] = cell_int(lr->streak.count);
    c[17] = cell_real(numfmt_pct_tenths(scan->cov.observed, window_len(job)), 1);
    c[18] = cell_int(ex->late - q->late); /* silenced verdicts stay out of --fail-on */
    c[19] = cell_int((int64_t)ex->n_missed - q->missed);
    c[20] = cell_int(ex->overdue - q->overdue);
    c[21] = opt_seconds(has_mttr, mttr);
    c[22] = opt_seconds(has_mtbf, mtbf);
    c[23] = cell_int(ex->manual);
    add_totals(&job->totals, rs);
    mark->has_limit = ex->has_limit;
    mark->limit_s = ex->limit;
    if (summary_overview(job, etl, c, lr, runs, mark))
        return -2;
    struct cell judged[N(summary_cols)];
    memcpy(judged, c, sizeof c);
    if (q->failing)
        judged[16] = cell_int(0); /* a silenced streak does not cross --fail-on */
    return put_judged(job, c, judged, mark);
}

/* The freshness of etl's instance, read once per instance; *first says whether etl is the
 * instance's first ETL in the report. Returns NULL on a database error (logged). */
static const struct freshness *instance_freshness(struct report_job *job,
                                                  const struct query_etl *etl, int *first,
                                                  struct pass_state *ps)
{
    *first = !job->fresh_instance || strcmp(job->fresh_instance, etl->instance) != 0;
    if (!*first)
        return &job->fresh;
    struct freshness *fr = &job->fresh;
    memset(fr, 0, sizeof *fr);
    job->fresh_instance = NULL;
    struct pass_state own;
    ps = ps ? ps : &own;
    if (query_pass_state(etl, job->win.until, ps))
        return NULL;
    fr->has_pass = ps->has_ok;
    fr->last_pass = ps->last_ok;
    fr->stale = !fr->has_pass || fr->last_pass < job->win.until - etl->max_gap;
    job->fresh_instance = etl->instance;
    if (ps == &own) {
        free(own.error);
        free(own.error_class);
    }
    return fr;
}

static int attend(struct report_job *job, const struct attn_item *item)
{
    if (!job->attention)
        return 0; /* the row's mark still says it */
    if (attention_add(job->attention, item)) {
        log_err("out of memory");
        return -2;
    }
    return 0;
}

/* The silence covering kind for etl at t (etl_id < 0: the instance's own verdicts), on the
 * instance's wall clock (instance.tz, else UTC); or NULL. */
static const struct silence *silence_of(const struct report_job *job, const struct query_etl *etl,
                                        int64_t etl_id, unsigned kind, int64_t t)
{
    return silenced_at(job->silences, etl->raw_instance, etl_id, kind, t, etl->instance_tz);
}

/* The item joins the list, or the silenced ones when silence s covers it. */
static int attend_unless(struct report_job *job, const struct attn_item *item,
                         const struct silence *s)
{
    if (!s)
        return attend(job, item);
    if (attention_add_silenced(job->attention, item, s->name, s->reason)) {
        log_err("out of memory");
        return -2;
    }
    return 0;
}

/* What the class of a failed pass means for the person who must act on it. */
static const char *class_words(const char *error_class)
{
    static const struct {
        const char *class_name, *words;
    } words[] = {{"unreachable", "CO unreachable"},
                 {"tls", "TLS failed"},
                 {"auth", "authentication refused"},
                 {"server", "CO server error"}};
    for (size_t i = 0; error_class && i < N(words); i++)
        if (strcmp(words[i].class_name, error_class) == 0)
            return words[i].words;
    return NULL;
}

/* Why an instance observed nothing lately, from its latest pass, into buf. NULL when its
 * latest pass observed something (it is old, not failed). */
static const char *pass_trouble(const struct pass_state *ps, char *buf, size_t size)
{
    if (!ps->has_pass)
        return "no pass recorded";
    const char *what = class_words(ps->error_class);
    if (ps->error) {
        snprintf(buf, size, "%s%s%s", what ? what : "", what ? ": " : "", ps->error);
        return buf;
    }
    if (ps->ok == 0 && ps->errors > 0) {
        snprintf(buf, size, "%s%severy ETL's poll failed (%lld %s)", what ? what : "",
                 what ? ": " : "", (long long)ps->errors, ps->errors == 1 ? "error" : "errors");
        return buf;
    }
    return NULL;
}

static int flush_gaps(struct report_job *job)
{
    struct gap_count *g = &job->gaps;
    int rc = 0;
    if (g->instance && g->with_gaps > 0) {
        struct attn_item it = {.kind = ATTN_GAPS,
                               .instance = (char *)g->instance,
                               .count = g->with_gaps,
                               .of = g->etls,
                               .value = g->lowest};
        rc = attend(job, &it);
    }
    memset(g, 0, sizeof *g);
    return rc;
}

int report_instance_attention(struct report_job *job, const struct query_etl *etl)
{
    if (!job->attention || (job->fresh_instance && strcmp(job->fresh_instance, etl->instance) == 0))
        return 0;
    struct pass_state ps;
    int first;
    const struct freshness *fr = instance_freshness(job, etl, &first, &ps);
    if (!fr)
        return -1;
    int rc = flush_gaps(job);
    if (rc == 0 && fr->stale) {
        char buf[600];
        struct attn_item it = {.kind = fr->has_pass ? ATTN_STALE : ATTN_NEVER_OBSERVED,
                               .instance = etl->instance,
                               .has_since = fr->has_pass,
                               .since = fr->last_pass};
        it.detail = (char *)pass_trouble(&ps, buf, sizeof buf);
        const struct silence *quiet = silence_of(job, etl, -1, SILENCE_STALE, job->win.until - 1);
        job->fresh.stale_silenced = quiet != NULL;
        rc = attend_unless(job, &it, quiet);
    }
    if (rc == 0 && !fr->stale)
        job->gaps.instance = etl->instance;
    free(ps.error);
    free(ps.error_class);
    return rc;
}

int report_attention_end(struct report_job *job)
{
    if (!job->attention)
        return 0;
    int rc = flush_gaps(job);
    attention_sort(job->attention);
    return rc;
}

/* Counts the ETL's gaps: unobserved time within its part of the window (from its first
 * sighting) beyond max_gap, which a poll's own lateness can explain. */
static void count_gaps(struct report_job *job, const struct query_etl *etl,
                       const struct sample_scan *scan)
{
    struct gap_count *g = &job->gaps;
    if (!g->instance)
        return; /* a stale instance: said once for all its ETLs */
    int64_t from = etl->first_seen > job->win.since ? etl->first_seen : job->win.since;
    int64_t span = job->win.until - from;
    if (span <= 0)
        return;
    g->etls++;
    if (span - scan->cov.observed <= etl->max_gap)
        return;
    int64_t cov = numfmt_pct_tenths(scan->cov.observed, span);
    if (g->with_gaps == 0 || cov < g->lowest)
        g->lowest = cov;
    g->with_gaps++;
}

static int attend_rate(struct report_job *job, const struct query_etl *etl, enum attn_kind kind,
                       int64_t n, int64_t finished, struct row_mark *mark)
{
    if (finished < ATTN_RATE_MIN_RUNS || n * 100 <= job->rate_pct * finished)
        return 0;
    mark->flags |= ROW_FAILING;
    struct attn_item it = {.kind = kind,
                           .instance = etl->instance,
                           .etl_name = etl->name,
                           .etl_id = etl->etl_id,
                           .count = n,
                           .of = finished,
                           .value = numfmt_pct_tenths(n, finished)};
    return attend(job, &it);
}

/* The ETL's missed starts: those outside silences as one item, those within as another. */
static int attend_missed(struct report_job *job, const struct query_etl *etl,
                         const struct attn_item *it, const struct etl_expect *ex, struct quieted *q)
{
    struct attn_item m = *it, quiet = *it;
    const struct silence *first = NULL;
    m.kind = quiet.kind = ATTN_MISSED;
    m.has_since = quiet.has_since = 1;
    for (size_t i = 0; i < ex->n_missed; i++) {
        int64_t t = ex->missed[i].expected;
        const struct silence *s = silence_of(job, etl, etl->etl_id, SILENCE_MISSED, t);
        struct attn_item *to = s ? &quiet : &m;
        first = first ? first : s;
        if (to->count++ == 0)
            to->since = t;
    }
    q->missed = quiet.count;
    int rc = m.count ? attend(job, &m) : 0;
    return rc == 0 && quiet.count ? attend_unless(job, &quiet, first) : rc;
}

/* The ETL's late starts (the latest, and the largest delay), split as attend_missed does. */
static int attend_late(struct report_job *job, const struct query_etl *etl,
                       const struct attn_item *it, const struct etl_expect *ex, struct quieted *q)
{
    struct attn_item l = *it, quiet = *it;
    const struct silence *first = NULL;
    l.kind = quiet.kind = ATTN_LATE;
    l.has_since = quiet.has_since = 1;
    for (size_t i = 0; i < ex->n_runs; i++) {
        const struct sched_verdict *v = &ex->runs[i].v;
        if (!v->judged || !v->late)
            continue;
        const struct silence *s = silence_of(job, etl, etl->etl_id, SILENCE_LATE, v->expected);
        struct attn_item *to = s ? &quiet : &l;
        first = first ? first : s;
        to->count++;
        to->since = v->expected + v->delay;
        if (v->delay > to->value)
            to->value = v->delay;
    }
    q->late = quiet.count;
    int rc = l.count ? attend(job, &l) : 0;
    return rc == 0 && quiet.count ? attend_unless(job, &quiet, first) : rc;
}

/* Gone from CO by the window's end (etl.deleted_since): said once, instead of the rest. */
static int deleted(const struct report_job *job, const struct query_etl *etl)
{
    return etl->has_deleted && etl->deleted_since < job->win.until;
}

/* What of one ETL needs attention, in the summary. */
static int summary_attention(struct report_job *job, const struct query_etl *etl,
                             const struct runstats *rs, const struct latest_runs *lr,
                             const struct sample_scan *scan, const struct etl_expect *ex,
                             struct row_mark *mark, struct quieted *q)
{
    struct attn_item it = {.instance = etl->instance, .etl_name = etl->name, .etl_id = etl->etl_id};
    int64_t now = job->win.until - 1; /* current states are judged at the window's end */
    if (deleted(job, etl)) {
        mark->flags |= ROW_DELETED;
        it.kind = ATTN_DELETED;
        it.has_since = 1;
        it.since = etl->deleted_since;
        return attend_unless(
            job, &it, silence_of(job, etl, etl->etl_id, SILENCE_DELETED, etl->deleted_since));
    }
    int64_t finished = runstats_finished(rs);
    int rc = 0;
    if (job->attention)
        count_gaps(job, etl, scan);
    if (lr->streak.count > 0) {
        mark->flags |= ROW_FAILING;
        struct attn_item f = it;
        f.kind = ATTN_FAILING;
        f.count = lr->streak.count;
        f.has_since = 1;
        f.since = lr->streak_since;
        f.detail = (char *)outcome_word(lr->streak_outcome); /* attention_add copies it */
        f.value = rs->failed + rs->aborted;
        f.of = finished;
        const struct silence *quiet = silence_of(job, etl, etl->etl_id, SILENCE_FAILING, now);
        q->failing = quiet != NULL;
        rc = attend_unless(job, &f, quiet);
    } else {
        rc = attend_rate(job, etl, ATTN_FAILURE_RATE, rs->failed, finished, mark);
        if (rc == 0)
            rc = attend_rate(job, etl, ATTN_ABORT_RATE, rs->aborted, finished, mark);
    }
    if (ex->overdue_now)
        mark->flags |= ROW_OVERDUE;
    if (ex->n_missed > 0)
        mark->flags |= ROW_LATE;
    if (rc == 0 && ex->overdue_now) {
        struct attn_item o = it;
        o.kind = ATTN_OVERDUE_NOW;
        o.has_since = 1;
        o.since = ex->overdue_now_start;
        o.value = ex->limit;
        const struct silence *s = silence_of(job, etl, etl->etl_id, SILENCE_OVERDUE, now);
        q->overdue = s != NULL;
        rc = attend_unless(job, &o, s);
    }
    if (ex->late > 0)
        mark->flags |= ROW_LATE;
    if (rc == 0)
        rc = attend_missed(job, etl, &it, ex, q);
    return rc == 0 ? attend_late(job, etl, &it, ex, q) : rc;
}

static int keep_chart_run(struct summary_runs *a, const struct query_run *r)
{
    if (a->nrun == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        struct chart_run *v = realloc(a->run, cap * sizeof *v);
        if (!v) {
            log_err("out of memory");
            return -1;
        }
        a->run = v;
        a->cap = cap;
    }
    a->run[a->nrun++] =
        (struct chart_run){r->start, r->has_dur ? r->lo + r->hi : -1, outcome_parse(r->outcome)};
    return 0;
}

static int summary_add_run(void *arg, const struct query_run *r)
{
    struct summary_runs *a = arg;
    if (history_count_run(a->rs, r) || expect_add(a->ex, r))
        return -1;
    return a->job->overview ? keep_chart_run(a, r) : 0;
}

static int summary_run_stats(struct report_job *job, const struct query_etl *etl,
                             struct summary_runs *a)
{
    runstats_init(a->rs);
    if (expect_begin(etl, &job->win, a->ex))
        return -1;
    return query_runs(etl, job->win.since, job->win.until, summary_add_run, a);
}

/* Windowed reports list every ETL known by the window's end, also one with nothing in the
 * window: a silent collector shows as coverage 0, never as no rows. */
static int known(const struct report_job *job, const struct query_etl *etl)
{
    return etl->first_seen < job->win.until;
}

static int summary_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!known(job, etl))
        return 0;
    struct runstats rs;
    struct latest_runs lr = {0};
    struct sample_scan scan = {0};
    struct etl_expect ex = {0};
    struct row_mark mark = {0};
    struct summary_runs runs = {job, &rs, &ex, NULL, 0, 0};
    struct quieted quiet = {0};
    /* One read of the runs and one of the samples serve the figures and the expectations. */
    int rc = summary_run_stats(job, etl, &runs);
    if (rc == 0 && history_latest_runs(etl, job->win.until, &lr) == 0 &&
        history_samples(etl, &job->win, &scan) == 0 && expect_end(etl, &job->win, &scan, &ex) == 0)
        rc = summary_attention(job, etl, &rs, &lr, &scan, &ex, &mark, &quiet);
    else if (rc == 0)
        rc = -1;
    if (rc == 0)
        rc = summary_put(job, etl, &runs, &lr, &scan, &ex, &mark, &quiet);
    free(runs.run); /* NULL once the overview has them */
    runstats_free(&rs);
    free(lr.last_outcome);
    history_samples_free(&scan);
    expect_free(&ex);
    return rc;
}

struct runs_arg {
    struct report_job *job;
    const struct query_etl *etl;
    int failures_only;
    const struct etl_expect *ex;
    size_t index; /* of the run in the window, as expect_etl() read them */
    int rc;
};

static int run_put(void *arg, const struct query_run *r)
{
    struct runs_arg *a = arg;
    enum outcome out = outcome_parse(r->outcome);
    size_t i = a->index++;
    if (a->failures_only && !outcome_failed(out))
        return 0;
    const struct expect_run *x = i < a->ex->n_runs ? &a->ex->runs[i] : NULL;
    int judged = x && x->v.judged;
    struct cell c[N(run_cols)];
    etl_cells(c, a->etl);
    c[3] = r->has_task ? cell_int(r->task_id) : cell_null();
    c[4] = cell_time(r->start);
    c[5] = r->has_end ? cell_time(r->end_seen) : cell_null();
    c[6] = cell_text(r->outcome);
    c[7] = cell_text(r->exit_code);
    c[8] = duration2(r->has_dur, r->lo + r->hi);
    c[9] = r->has_dur ? cell_int(r->lo) : cell_null();
    c[10] = r->has_dur ? cell_int(r->hi) : cell_null();
    c[11] = judged ? cell_time(x->v.expected) : cell_null();
    c[12] = opt_int(judged, judged ? x->v.delay : 0);
    c[13] = cell_int(x ? x->overdue : 0);
    c[14] = cell_int(judged ? x->v.late : 0);
    c[15] = cell_int(judged ? x->v.manual : 0);
    a->rc = put(a->job, c);
    return a->rc;
}

static int runs_common(struct report_job *job, const struct query_etl *etl, int failures_only)
{
    struct etl_expect ex;
    if (expect_etl(etl, &job->win, &ex)) {
        expect_free(&ex);
        return -1;
    }
    struct runs_arg a = {job, etl, failures_only, &ex, 0, 0};
    int rc = query_runs(etl, job->win.since, job->win.until, run_put, &a);
    expect_free(&ex);
    return a.rc ? a.rc : rc;
}

static int runs_rows(struct report_job *job, const struct query_etl *etl)
{
    return runs_common(job, etl, 0);
}

static int failures_rows(struct report_job *job, const struct query_etl *etl)
{
    return runs_common(job, etl, 1);
}

static int services_rows(struct report_job *job, const struct query_etl *etl)
{
    struct sample_scan scan;
    if (history_samples(etl, &job->win, &scan)) {
        history_samples_free(&scan);
        return -1;
    }
    int rc = 0;
    if (scan.present && scan.service) {
        struct cell c[N(service_cols)];
        int64_t on = numfmt_pct_tenths(scan.cov.on, window_len(job));
        int64_t off = numfmt_pct_tenths(scan.cov.off, window_len(job));
        etl_cells(c, etl);
        c[3] = cell_real(on, 1);
        c[4] = cell_real(off, 1);
        c[5] = cell_real(1000 - on - off, 1); /* the rest, so the three add up to 100.0 */
        c[6] = cell_int(scan.cov.transitions);
        rc = put(job, c);
    }
    history_samples_free(&scan);
    return rc;
}

static int trend_put(struct report_job *job, const struct query_etl *etl, struct runstats *cur,
                     struct runstats *prev)
{
    struct cell c[N(trend_cols)];
    etl_cells(c, etl);
    c[3] = cell_int(cur->runs);
    c[4] = cell_int(prev->runs);
    c[5] = rate(cur->failed, runstats_finished(cur));
    c[6] = rate(prev->failed, runstats_finished(prev));
    c[7] = percentile(cur, 50);
    c[8] = percentile(prev, 50);
    enum trend_verdict v = runstats_trend(cur, prev, job->trend_min_runs);
    c[9] = v == TREND_UNJUDGED ? cell_null() : cell_text(v == TREND_REGRESSED ? "yes" : "no");
    return put(job, c);
}

static int trend_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!known(job, etl))
        return 0;
    struct window before = {job->win.since - window_len(job), job->win.since, job->win.tz};
    struct runstats cur, prev;
    int rc = -1;
    runstats_init(&prev);
    if (history_run_stats(etl, &job->win, &cur) == 0 && history_run_stats(etl, &before, &prev) == 0)
        rc = trend_put(job, etl, &cur, &prev);
    runstats_free(&cur);
    runstats_free(&prev);
    return rc;
}

static int health_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!known(job, etl))
        return 0;
    struct sample_scan scan;
    int first;
    const struct freshness *fr = instance_freshness(job, etl, &first, NULL);
    if (!fr || history_samples(etl, &job->win, &scan)) {
        history_samples_free(&scan);
        return -1;
    }
    struct cell c[N(health_cols)];
    etl_cells(c, etl);
    c[3] = cell_int(scan.polls);
    c[4] = cell_int(scan.errors);
    c[5] = cell_int(scan.not_found);
    c[6] = cell_int(scan.http_5xx);
    c[7] = cell_int(scan.timeouts);
    c[8] = cell_text(scan.last_error);
    c[9] = cell_real(numfmt_pct_tenths(scan.cov.observed, window_len(job)), 1);
    c[10] = fr->has_pass ? cell_time(fr->last_pass) : cell_null();
    c[11] = cell_int(fr->stale);
    struct cell judged[N(health_cols)];
    memcpy(judged, c, sizeof c);
    if (fr->stale_silenced)
        judged[11] = cell_int(0); /* a silenced staleness does not cross --fail-on */
    int rc = put_judged(job, c, judged, NULL);
    history_samples_free(&scan);
    return rc;
}

static int schedule_rows(struct report_job *job, const struct query_etl *etl)
{
    if (!known(job, etl))
        return 0;
    struct etl_expect ex;
    if (expect_etl(etl, &job->win, &ex)) {
        expect_free(&ex);
        return -1;
    }
    int periodic = ex.kind == SCHED_PERIODIC, gone = deleted(job, etl);
    struct cell c[N(schedule_cols)];
    etl_cells(c, etl);
    /* gone from CO: no start is expected of it any more (docs/reports.md) */
    c[3] = cell_text(gone ? "deleted" : sched_kind_name(ex.kind));
    c[4] = opt_seconds(periodic, ex.sched.period);
    c[5] = opt_seconds(periodic, ex.sched.offset);
    c[6] = ex.has_next && !gone ? cell_time(ex.next_expected) : cell_null();
    c[7] = opt_seconds(ex.has_limit, ex.limit);
    c[8] = cell_int(ex.late);
    c[9] = cell_int((int64_t)ex.n_missed);
    c[10] = cell_int(ex.overdue);
    c[11] = cell_int(ex.sched.used);
    c[12] = ex.has_unscheduled_since ? cell_time(ex.unscheduled_since) : cell_null();
    c[13] = cell_int(ex.manual);
    c[14] = periodic ? cell_text(ex.sched.wall ? etl->tz : "UTC") : cell_null();
    c[15] = gone ? cell_time(etl->deleted_since) : cell_null();
    int rc = put(job, c);
    expect_free(&ex);
    return rc;
}

static int missed_rows(struct report_job *job, const struct query_etl *etl)
{
    struct etl_expect ex;
    int rc = expect_etl(etl, &job->win, &ex);
    for (size_t i = 0; rc == 0 && i < ex.n_missed; i++) {
        struct cell c[N(missed_cols)];
        etl_cells(c, etl);
        c[3] = cell_time(ex.missed[i].expected);
        c[4] = cell_real(ex.missed[i].period, 0);
        rc = put(job, c);
    }
    expect_free(&ex);
    return rc;
}

static int etls_rows(struct report_job *job, const struct query_etl *etl)
{
    char *status;
    if (query_latest_status(etl, &status))
        return -1;
    struct cell c[N(etl_cols)];
    etl_cells(c, etl);
    c[3] = cell_time(etl->first_seen);
    c[4] = cell_time(etl->last_seen);
    c[5] = cell_text(status);
    int rc = put(job, c);
    free(status);
    return rc;
}

#define REPORT(name, cols, windowed, instance_rows, fn)                                            \
    {                                                                                              \
        name, cols, N(cols), NULL, 0, windowed, 0, instance_rows, fn                               \
    }

static const struct report_def reports[] = {
    {"summary", summary_cols, N(summary_cols), summary_totals, N(summary_totals), 1, 1, 1,
     summary_rows},
    REPORT("failures", run_cols, 1, 0, failures_rows),
    REPORT("runs", run_cols, 1, 0, runs_rows),
    REPORT("services", service_cols, 1, 0, services_rows),
    REPORT("trend", trend_cols, 1, 0, trend_rows),
    REPORT("health", health_cols, 1, 1, health_rows),
    REPORT("etls", etl_cols, 0, 0, etls_rows),
    REPORT("schedule", schedule_cols, 1, 0, schedule_rows),
    REPORT("missed", missed_cols, 1, 0, missed_rows),
};

const struct report_def *report_find(const char *name)
{
    for (size_t i = 0; name && i < N(reports); i++)
        if (strcmp(reports[i].name, name) == 0)
            return &reports[i];
    return NULL;
}

const char *report_names(void)
{
    return "summary, failures, runs, services, trend, health, etls, schedule, missed";
}

int report_totals(const struct report_job *job, struct cell *cells)
{
    if (!job->def->total_cols)
        return 0;
    const struct runstats *t = &job->totals;
    int64_t finished = runstats_finished(t);
    cells[0] = cell_int(t->runs);
    cells[1] = cell_int(t->failed);
    cells[2] = cell_int(t->aborted);
    cells[3] = rate(t->failed, finished);
    cells[4] = rate(t->aborted, finished);
    return 1;
}
