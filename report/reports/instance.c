/* What an instance needs attention for, once, before the rows of its first ETL: never
 * observed or stale (with why its latest pass failed), or its ETLs' gaps. */
#include "shared.h"

#include "numfmt.h"

#include <stdlib.h>
#include <string.h>

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
void count_gaps(struct report_job *job, const struct query_etl *etl, const struct sample_scan *scan)
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
