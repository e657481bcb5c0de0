/* Output formats as a table: each format is a writer (begin, header, row, end) over the same
 * typed rows. Adding a format is one file and one line in report/formats.c. */
#ifndef ETLHIST_REPORT_FMT_H
#define ETLHIST_REPORT_FMT_H

#include "attention.h"
#include "cell.h"
#include "overview.h"

#include <stdint.h>
#include <stdio.h>

#define FMT_TEXT_WIDTH 100

/* -f mail: the message's addresses (checked by mail_address_problem) and subject. */
struct fmt_mail_opts {
    const char **to; /* at least one */
    size_t n_to;
    const char *from;    /* NULL: etlhist@<hostname> */
    const char *subject; /* NULL: the report and the window */
};

struct plugin_run;

/* What the summary says of one window: the week-over-week view compares two. */
struct window_totals {
    int64_t since, until;
    int64_t runs, failed, aborted; /* the summary's totals row */
    int64_t fail_pct, abort_pct;   /* its rates, tenths of a percent; -1: no finished run */
    int64_t etls, missed, late;    /* its rows added up */
    int64_t observed;              /* ETLs observed at some time in the window (coverage above 0) */
};

struct fmt_opts {
    char delimiter; /* CSV field separator */
    int bom;        /* CSV: start with a UTF-8 byte order mark */
    int header;     /* CSV header row; text title and column headings */
    int width;      /* text: the line width; 0 is FMT_TEXT_WIDTH (run.c sets a terminal's) */
    struct fmt_mail_opts mail;
    struct plugin_run *plugin;    /* the check writer's limits in, its output out (plugin.h) */
    struct window_totals *totals; /* fmt_totals's output */
};

/* What every writer knows about the report it writes. */
struct fmt_report {
    const char *name; /* "summary" */
    const struct column *cols;
    size_t ncols;
    const struct column *total_cols; /* NULL when the report has no totals */
    size_t n_total;
    int windowed; /* 0: the report ignores the window (etls) */
    int64_t since, until;
    const char *tz; /* the display zone, for zone.h's functions (NULL: the process's own) */
    /* The figures across ETLs that the report's definition computes (summary), complete when
     * end() is called; NULL for reports without them. */
    const struct overview *overview;
    /* What needs attention (windowed reports), complete and sorted when end() is called; the
     * summary's is the whole list, other reports' only their instances' items. Writers for
     * people show it first. NULL for reports without it. */
    const struct attention *attention;
    /* The summary over the window before this one, of the same length, for writers that ask
     * for it (fmt_writer's previous); else NULL. */
    const struct window_totals *previous;
};

struct fmt_writer {
    const char *name;
    /* Returns the writer's state, or NULL when out of memory. */
    void *(*begin)(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts);
    int (*header)(void *state);
    /* cells[i] is under rep->cols[i]; mark: what the report definitions say of the row (a
     * writer for people may mark it). */
    int (*row)(void *state, const struct cell *cells, const struct row_mark *mark);
    /* Writes what is left (totals under rep->total_cols, or NULL) and frees the state.
     * Every function returns 0, or -1 on a write error. */
    int (*end)(void *state, const struct cell *totals);
    /* 1: the writer compares the window with the one before (summary): the engine writes the
     * report over that window with fmt_totals first, into fmt_report's previous. */
    int previous;
};

extern const struct fmt_writer fmt_text, fmt_csv, fmt_json, fmt_html;
/* Adds one summary row (cells under cols) to t; rows of other reports add nothing. */
void window_totals_add(struct window_totals *t, const struct column *cols, size_t n,
                       const struct cell *cells);
/* Takes the summary's totals row (cells under cols; NULL: none) into t. */
void window_totals_end(struct window_totals *t, const struct column *cols, size_t n,
                       const struct cell *totals);
/* Adds the rows up into fmt_opts's totals and writes nothing; not a -f format. */
extern const struct fmt_writer fmt_totals;

#endif
