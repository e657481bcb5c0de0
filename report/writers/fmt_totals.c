/* The totals writer: the summary's rows of a window added up (struct window_totals), for the
 * week-over-week view; it writes nothing. */
#include "fmt.h"

#include <stdlib.h>

static int64_t num(const struct column *cols, size_t n, const struct cell *cells, const char *name)
{
    int i = column_index(cols, n, name);
    return i >= 0 && cells[i].type == CELL_INT ? cells[i].num : 0;
}

void window_totals_add(struct window_totals *t, const struct column *cols, size_t n,
                       const struct cell *cells)
{
    if (column_index(cols, n, "runs") < 0)
        return;
    int64_t failed = num(cols, n, cells, "failed"), aborted = num(cols, n, cells, "aborted");
    t->etls++;
    t->runs += num(cols, n, cells, "runs");
    t->failed += failed;
    t->aborted += aborted;
    /* finished as the failure rate counts them (stats.h): known outcomes */
    t->finished += num(cols, n, cells, "ok") + num(cols, n, cells, "warning") + failed + aborted;
    t->missed += num(cols, n, cells, "missed");
    t->late += num(cols, n, cells, "late");
    int cov = column_index(cols, n, "coverage_pct");
    t->observed += cov >= 0 && cells[cov].type != CELL_NULL && cells[cov].num > 0;
}

struct totals_state {
    const struct fmt_report *rep;
    struct window_totals *out;
};

static void *totals_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    (void)out;
    struct totals_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->rep = rep;
    st->out = opts->totals;
    *st->out = (struct window_totals){.since = rep->since, .until = rep->until};
    return st;
}

static int totals_header(void *state)
{
    (void)state;
    return 0;
}

static int totals_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    struct totals_state *st = state;
    (void)mark;
    window_totals_add(st->out, st->rep->cols, st->rep->ncols, cells);
    return 0;
}

static int totals_end(void *state, const struct cell *totals)
{
    (void)totals;
    free(state);
    return 0;
}

const struct fmt_writer fmt_totals = {"totals",   totals_begin, totals_header,
                                      totals_row, totals_end,   0};
