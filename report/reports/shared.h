/* What several reports' rows are made with: the ETL's own columns, cells from figures, putting
 * a row, and the attention items and silences every report judges the same way. Private to
 * report/reports/; what the rest of the report sees is defs.h. */
#ifndef ETLHIST_REPORT_SHARED_H
#define ETLHIST_REPORT_SHARED_H

#include "defs.h"
#include "expect.h"
#include "history.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The three columns every report starts with; each report's column enum starts at
 * ETL_NCOLS. */
enum etl_col { ETL_COL_INSTANCE, ETL_COL_ID, ETL_COL_NAME, ETL_NCOLS };

#define ETL_COLUMNS                                                                                \
    [ETL_COL_INSTANCE] = {"instance", "instance", COL_TEXT, 1},                                    \
    [ETL_COL_ID] = {"etl_id", "id", COL_INT, 0},                                                   \
    [ETL_COL_NAME] = {"etl_name", "name", COL_TEXT, 1}

/* Fills the ETL's own columns (an instance's row without an ETL has no id). */
void etl_cells(struct cell *c, const struct query_etl *etl);

int64_t window_len(const struct report_job *job);
/* Windowed reports list every ETL known by the window's end, also one with nothing in it. */
int etl_known(const struct report_job *job, const struct query_etl *etl);
/* Gone from CO by the window's end (etl.deleted_since). */
int etl_deleted(const struct report_job *job, const struct query_etl *etl);

/* num of finished as a percentage with one decimal; NULL when nothing finished. */
struct cell cell_rate(int64_t num, int64_t finished);
/* A duration given doubled (lo + hi), in seconds with one decimal; NULL unless ok. */
struct cell cell_duration2(int ok, int64_t dur2);
/* The p-th percentile of the runs' durations, or NULL. */
struct cell cell_percentile(struct runstats *rs, int p);
/* Whole seconds, or NULL unless has. */
struct cell cell_opt_seconds(int has, int64_t v);

/* Hands the row to the writer, marked ROW_FAILED when it has a failed run (mark: the
 * summary's attention flags and duration limit, or NULL); --fail-on watches judged, the same
 * row with what silences cover taken out (NULL: the row itself). Returns 0 or -2. */
int row_put_judged(struct report_job *job, const struct cell *cells, const struct cell *judged,
                   const struct row_mark *mark);
int row_put(struct report_job *job, const struct cell *cells);

/* The freshness of etl's instance, read once per instance; *first says whether etl is the
 * instance's first ETL in the report; ps (or NULL) gets the latest pass. Returns NULL on a
 * database error (logged). */
const struct freshness *instance_freshness(struct report_job *job, const struct query_etl *etl,
                                           int *first, struct pass_state *ps);

/* The silence covering kind for etl at t (etl_id < 0: the instance's own verdicts), on the
 * instance's wall clock (instance.tz, else UTC); or NULL. */
const struct silence *silence_of(const struct report_job *job, const struct query_etl *etl,
                                 int64_t etl_id, unsigned kind, int64_t t);
/* The item joins the job's attention list (when it has one). Returns 0 or -2 (logged). */
int attend(struct report_job *job, const struct attn_item *item);
/* The item joins the list, or the silenced ones when silence s covers it. */
int attend_unless(struct report_job *job, const struct attn_item *item, const struct silence *s);

/* instance.c: counts the ETL's gaps for its instance's item (summary). */
void count_gaps(struct report_job *job, const struct query_etl *etl,
                const struct sample_scan *scan);

#endif
