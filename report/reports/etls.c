/* The etls report: every ETL known, when it was first and last seen and its latest status;
 * it ignores the window. */
#include "shared.h"

#include <stdlib.h>

enum etls_col { ETLS_FIRST_SEEN = ETL_NCOLS, ETLS_LAST_SEEN, ETLS_LAST_STATUS, ETLS_NCOLS };

static const struct column etl_cols[ETLS_NCOLS] = {
    ETL_COLUMNS,
    [ETLS_FIRST_SEEN] = {"first_seen_utc", "first seen", COL_TIME, 0},
    [ETLS_LAST_SEEN] = {"last_seen_utc", "last seen", COL_TIME, 0},
    [ETLS_LAST_STATUS] = {"last_status", "status", COL_TEXT, 0},
};

static int etls_rows(struct report_job *job, const struct query_etl *etl)
{
    char *status;
    if (query_latest_status(etl, &status))
        return -1;
    struct cell c[ETLS_NCOLS];
    etl_cells(c, etl);
    c[ETLS_FIRST_SEEN] = cell_time(etl->first_seen);
    c[ETLS_LAST_SEEN] = cell_time(etl->last_seen);
    c[ETLS_LAST_STATUS] = cell_text(status);
    int rc = row_put(job, c);
    free(status);
    return rc;
}

const struct report_def report_etls = {
    .name = "etls", .cols = etl_cols, .ncols = ETLS_NCOLS, .etl_rows = etls_rows};
