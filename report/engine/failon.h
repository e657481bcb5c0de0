/* --fail-on for monitoring checks: conditions on a report's numeric columns, such as
 * "failure_rate_pct>10,coverage_pct<95", or on a count over the whole report, such as
 * "regressions>0" (the rows whose regression column says yes: the trend report's). Rows are
 * watched as they are written; every ETL with a row that crosses a condition is named on
 * standard error at the end, and the program exits 1 once the report is written. */
#ifndef ETLHIST_REPORT_FAILON_H
#define ETLHIST_REPORT_FAILON_H

#include "cell.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum failon_op { FAILON_GT, FAILON_GE, FAILON_LT, FAILON_LE, FAILON_EQ, FAILON_NE };

#define FAILON_DECIMALS 6  /* thresholds are exact to the millionth */
#define FAILON_ETL_LINES 5 /* more ETLs crossing than this: one line per condition instead */

struct failon_cond {
    size_t col; /* index into the report's columns */
    /* A count's name: the condition is on the number of rows whose column col says yes, not
     * on the column. NULL: on the column. */
    const char *count;
    int64_t rows;    /* a count: the rows counted so far */
    int64_t etls;    /* on the column: the ETLs with a row that crossed it */
    size_t last_etl; /* the serial (struct failon's etl_serial) of the last one counted */
    char *first;     /* "prod etl 101 (Name)": the first of them, for the summary line */
    enum failon_op op;
    int64_t millionths; /* the threshold */
    char number[32];    /* the threshold as written, for messages */
};

struct failon {
    const char *report;
    const struct column *cols;
    size_t ncols;
    int col_instance, col_etl_id, col_etl_name; /* that name the row in messages; -1: none */
    struct failon_cond *conds;
    size_t n;
    /* The ETL being watched: rows of one ETL come together. */
    char *etl_key;
    char *etl_msg;   /* what its first crossing row crossed, NULL when none */
    size_t etl_more; /* further crossing rows of that ETL */
    /* Lines to print, each ending in '\0'. */
    FILE *lines;
    char *lines_buf;
    size_t lines_len;
    size_t matched;    /* ETLs named, and counts crossed */
    size_t etl_serial; /* counts the ETLs seen with a crossing row */
    /* "instance etl id (name): column yes" of each row a count counted, each ending in '\0':
     * named only when the count crosses its condition. */
    FILE *counted;
    char *counted_buf;
    size_t counted_len;
};

/* report names the report in messages. */
void failon_init(struct failon *f, const char *report, const struct column *cols, size_t ncols);
/* Adds the conditions of one --fail-on value: COLUMN OP NUMBER, comma-separated, OP one of
 * > >= < <= == !=, COLUMN a numeric column or a count the report has. NUMBER has at most
 * 12 digits before the point and 6 after. Returns 0, or -1 with a one-line cause in err
 * (unknown or non-numeric column, a count of another report, bad operator or number). */
int failon_parse(struct failon *f, const char *expr, char *err, size_t errlen);
/* Does the cell cross the condition? Unknown (empty) cells never do. */
int failon_crosses(const struct failon_cond *c, const struct cell *cell);
/* Watches one row (cells under cols; the first three are instance, etl_id, etl_name).
 * Returns 0, or -1 when out of memory. */
int failon_row(struct failon *f, const struct cell *cells);
/* Logs one line per ETL that crossed a condition (for more than FAILON_ETL_LINES ETLs, one
 * line per condition instead, with how many ETLs crossed it and the first of them), then,
 * for a count that crossed its condition, one per row counted and one with the count;
 * returns how many ETLs and counts. */
size_t failon_report(struct failon *f);
void failon_free(struct failon *f);

#endif
