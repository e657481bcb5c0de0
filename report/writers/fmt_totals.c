/* The totals writer: what the summary says of a window (struct window_totals: its totals row,
 * and its rows added up), for the week-over-week view; it writes nothing. */
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
    t->etls++;
    t->missed += num(cols, n, cells, "missed");
    t->late += num(cols, n, cells, "late");
    int cov = column_index(cols, n, "coverage_pct");
    t->observed += cov >= 0 && cells[cov].type != CELL_NULL && cells[cov].num > 0;
}

/* A rate cell in tenths of a percent, -1 when there is none. */
static int64_t tenths_pct(const struct column *cols, size_t n, const struct cell *cells,
                          const char *name)
{
    int i = column_index(cols, n, name);
    if (i < 0 || cells[i].type != CELL_REAL)
        return -1;
    int64_t v = cells[i].num;
    for (int s = cells[i].scale; s > 1; s--)
        v /= 10;
    return cells[i].scale == 0 ? v * 10 : v;
}

void window_totals_end(struct window_totals *t, const struct column *cols, size_t n,
                       const struct cell *totals)
{
    t->fail_pct = t->abort_pct = -1;
    if (!totals)
        return;
    t->runs = num(cols, n, totals, "runs");
    t->failed = num(cols, n, totals, "failed");
    t->aborted = num(cols, n, totals, "aborted");
    t->fail_pct = tenths_pct(cols, n, totals, "failure_rate_pct");
    t->abort_pct = tenths_pct(cols, n, totals, "abort_rate_pct");
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
    struct totals_state *st = state;
    window_totals_end(st->out, st->rep->total_cols, st->rep->n_total, totals);
    free(state);
    return 0;
}

const struct fmt_writer fmt_totals = {"totals",   totals_begin, totals_header,
                                      totals_row, totals_end,   0};
