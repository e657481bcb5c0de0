/* What several reports' rows are made with (shared.h). */
#include "shared.h"

#include "log.h"
#include "numfmt.h"

#include <stdlib.h>
#include <string.h>

int64_t window_len(const struct report_job *job)
{
    return job->win.until - job->win.since;
}

void etl_cells(struct cell *c, const struct query_etl *etl)
{
    c[ETL_COL_INSTANCE] = cell_text(etl->instance);
    c[ETL_COL_ID] = etl->no_etl ? cell_null() : cell_int(etl->etl_id);
    c[ETL_COL_NAME] = cell_text(etl->name);
}

struct cell cell_rate(int64_t num, int64_t finished)
{
    return finished > 0 ? cell_real(numfmt_pct_tenths(num, finished), 1) : cell_null();
}

/* lo + hi is twice the midpoint, so the duration in tenths is (lo + hi) * 5. */
struct cell cell_duration2(int ok, int64_t dur2)
{
    return ok ? cell_real(dur2 * 5, 1) : cell_null();
}

struct cell cell_percentile(struct runstats *rs, int p)
{
    int64_t d;
    int ok = runstats_percentile2(rs, p, &d) == 0;
    return cell_duration2(ok, d);
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

/* Writes the row; --fail-on watches judged, the same row with what silences cover taken out
 * (NULL: the row itself). A silence hides verdicts, never data. */
int row_put_judged(struct report_job *job, const struct cell *cells, const struct cell *judged,
                   const struct row_mark *mark)
{
    if (job->watch && failon_row(job->watch, judged ? judged : cells))
        return -2; /* out of memory, logged by report_write */
    struct row_mark m = mark ? *mark : (struct row_mark){0};
    if (row_failed(job, cells))
        m.flags |= ROW_FAILED;
    return job->sink.row(job->sink.state, cells, &m) ? -2 : 0;
}

int row_put(struct report_job *job, const struct cell *cells)
{
    return row_put_judged(job, cells, NULL, NULL);
}

struct cell cell_opt_seconds(int has, int64_t v)
{
    return has ? cell_real(v, 0) : cell_null();
}

/* The freshness of etl's instance, read once per instance; *first says whether etl is the
 * instance's first ETL in the report. Returns NULL on a database error (logged). */
const struct freshness *instance_freshness(struct report_job *job, const struct query_etl *etl,
                                           int *first, struct pass_state *ps)
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

int attend(struct report_job *job, const struct attn_item *item)
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
const struct silence *silence_of(const struct report_job *job, const struct query_etl *etl,
                                 int64_t etl_id, unsigned kind, int64_t t)
{
    return silenced_at(job->silences, etl->raw_instance, etl_id, kind, t, etl->instance_tz);
}

/* The item joins the list, or the silenced ones when silence s covers it. */
int attend_unless(struct report_job *job, const struct attn_item *item, const struct silence *s)
{
    if (!s)
        return attend(job, item);
    if (attention_add_silenced(job->attention, item, s->name, s->reason)) {
        log_err("out of memory");
        return -2;
    }
    return 0;
}

/* Gone from CO by the window's end (etl.deleted_since): said once, instead of the rest. */
int etl_deleted(const struct report_job *job, const struct query_etl *etl)
{
    return etl->has_deleted && etl->deleted_since < job->win.until;
}

/* Windowed reports list every ETL known by the window's end, also one with nothing in the
 * window: a silent collector shows as coverage 0, never as no rows. */
int etl_known(const struct report_job *job, const struct query_etl *etl)
{
    return etl->first_seen < job->win.until;
}
