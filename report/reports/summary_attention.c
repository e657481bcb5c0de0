/* What of one ETL needs attention in the summary: failing now or too often, overdue, missed
 * and late starts, gone from CO; each kept apart when a silence covers it. */
#include "summary.h"

#include "numfmt.h"

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

/* An ETL CO scheduled (seen WAITING) left ENDED, not rescheduled, first seen so within the
 * window: the runs its schedule promised stop, and no missed run will say so. Named in the
 * window that saw it happen only; an ETL run by hand or from outside CO, ENDED after each
 * run, never is. */
static int attend_unscheduled(struct report_job *job, const struct query_etl *etl,
                              const struct attn_item *it, const struct etl_expect *ex,
                              struct row_mark *mark)
{
    if (ex->kind != SCHED_UNSCHEDULED || !ex->was_scheduled || ex->ended_seen < job->win.since)
        return 0;
    mark->flags |= ROW_LATE;
    struct attn_item u = *it;
    u.kind = ATTN_UNSCHEDULED;
    u.has_since = 1;
    u.since = ex->unscheduled_since;
    u.value = ex->sched.kind == SCHED_PERIODIC ? ex->sched.period : 0;
    return attend_unless(job, &u, silence_of(job, etl, etl->etl_id, SILENCE_UNSCHEDULED, u.since));
}

/* What of one ETL needs attention, in the summary. */
int summary_attention(struct report_job *job, const struct query_etl *etl,
                      const struct runstats *rs, const struct latest_runs *lr,
                      const struct sample_scan *scan, const struct etl_expect *ex,
                      struct row_mark *mark, struct quieted *q)
{
    struct attn_item it = {.instance = etl->instance, .etl_name = etl->name, .etl_id = etl->etl_id};
    int64_t now = job->win.until - 1; /* current states are judged at the window's end */
    if (etl_deleted(job, etl)) {
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
    if (rc == 0)
        rc = attend_unscheduled(job, etl, &it, ex, mark);
    return rc == 0 ? attend_late(job, etl, &it, ex, q) : rc;
}
