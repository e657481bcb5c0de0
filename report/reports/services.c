/* The services report: how long each service ETL was on, off or unobserved in the window. */
#include "shared.h"

#include "numfmt.h"

enum services_col {
    SERVICES_ON_PCT = ETL_NCOLS,
    SERVICES_OFF_PCT,
    SERVICES_UNOBSERVED_PCT,
    SERVICES_TRANSITIONS,
    SERVICES_NCOLS
};

static const struct column service_cols[SERVICES_NCOLS] = {
    ETL_COLUMNS,
    [SERVICES_ON_PCT] = {"on_pct", "on%", COL_PCT, 0},
    [SERVICES_OFF_PCT] = {"off_pct", "off%", COL_PCT, 0},
    [SERVICES_UNOBSERVED_PCT] = {"unobserved_pct", "unobserved%", COL_PCT, 0},
    [SERVICES_TRANSITIONS] = {"transitions", "transitions", COL_INT, 0},
};

static int services_rows(struct report_job *job, const struct query_etl *etl)
{
    struct sample_scan scan;
    if (history_samples(etl, &job->win, &scan)) {
        history_samples_free(&scan);
        return -1;
    }
    int rc = 0;
    if (scan.present && scan.service) {
        struct cell c[SERVICES_NCOLS];
        int64_t on = numfmt_pct_tenths(scan.cov.on, window_len(job));
        int64_t off = numfmt_pct_tenths(scan.cov.off, window_len(job));
        etl_cells(c, etl);
        c[SERVICES_ON_PCT] = cell_real(on, 1);
        c[SERVICES_OFF_PCT] = cell_real(off, 1);
        c[SERVICES_UNOBSERVED_PCT] =
            cell_real(1000 - on - off, 1); /* the rest, so the three add up to 100.0 */
        c[SERVICES_TRANSITIONS] = cell_int(scan.cov.transitions);
        rc = row_put(job, c);
    }
    history_samples_free(&scan);
    return rc;
}

const struct report_def report_services = {.name = "services",
                                           .cols = service_cols,
                                           .ncols = SERVICES_NCOLS,
                                           .windowed = 1,
                                           .etl_rows = services_rows};
