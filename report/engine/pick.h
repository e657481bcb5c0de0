/* Which ETLs the summary's overview ranks (the HTML writer draws them): the slowest and the
 * most failing get duration charts, the most failing a row of the heat map. Rows come one
 * ETL at a time and the choice is known only at the end, so a small pool keeps just the
 * ETLs that can still be chosen: memory stays bounded however many ETLs the report lists. */
#ifndef ETLHIST_REPORT_PICK_H
#define ETLHIST_REPORT_PICK_H

#include <stddef.h>
#include <stdint.h>

/* One run: start, duration as lo + hi (twice the midpoint, -1 when unknown), outcome as an
 * enum outcome (stats.h). */
struct chart_run {
    int64_t start;
    int64_t dur2;
    int outcome;
};

enum pick_list { PICK_SLOW = 1, PICK_FAIL = 2, PICK_HEAT = 4, PICK_ATTN = 8 };

#define PICK_CHARTS 5      /* ETLs in each of the slow and fail lists */
#define PICK_HEAT_ROWS 25  /* ETLs in the heat map */
#define PICK_ATTN_CHARTS 6 /* ETLs that need attention whose durations are drawn */

struct pick {
    char *instance, *name;
    int64_t etl_id;
    size_t order; /* position in the report: ties go to the earlier ETL */
    int64_t runs, failed, aborted, finished;
    int64_t p50, p95;      /* tenths of a second, -1 when unknown */
    int64_t limit;         /* the learnt duration limit in tenths of a second, -1: none */
    int attention;         /* the report definitions say the ETL needs attention */
    struct chart_run *run; /* kept while in PICK_SLOW, PICK_FAIL or PICK_ATTN */
    size_t nrun;
    int64_t *day_runs, *day_fails; /* per heat-map column, kept while in PICK_HEAT */
    unsigned lists;                /* enum pick_list bits */
};

struct picks {
    struct pick **v;
    size_t n, cap;
};

/* Hands p (malloc'd, with malloc'd members) to the pool: it stays while it ranks among the
 * first of a list it qualifies for (slow: a known p95; fail, heat: a failed or aborted
 * run), else it is freed. Returns 0, or -1 when out of memory (p is freed). */
int picks_offer(struct picks *ps, struct pick *p);

/* The ETLs of one list, best first: slow by p95, then p50; fail and heat by failed +
 * aborted runs, then by their share of finished runs. Returns how many (at most max). */
size_t picks_list(const struct picks *ps, enum pick_list list, const struct pick **out, size_t max);

void pick_free(struct pick *p);
void picks_free(struct picks *ps);

#endif
