/* Output formats as a table: each format is a writer (begin, header, row, end) over the same
 * typed rows. Adding a format is one file and one line in fmt.c. */
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

struct fmt_opts {
    char delimiter; /* CSV field separator */
    int bom;        /* CSV: start with a UTF-8 byte order mark */
    int header;     /* CSV header row; text title and column headings */
    int width;      /* text: the line width; 0 is FMT_TEXT_WIDTH (engine.c sets a terminal's) */
    struct fmt_mail_opts mail;
    struct plugin_run *plugin; /* the check writer's limits in, its output out (plugin.h) */
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
};

/* What the report definitions say of one row (report/defs.c decides; writers only show it). */
enum row_flag {
    ROW_FAILED = 1u << 0,  /* the row has a failed or aborted run */
    ROW_FAILING = 1u << 1, /* needs attention: failing now, or a failure or abort rate
                              above --max-rate */
    ROW_OVERDUE = 1u << 2, /* needs attention: a run still RUNNING beyond its limit */
    ROW_LATE = 1u << 3,    /* needs attention: missed or late starts */
    ROW_DELETED = 1u << 4  /* needs attention: gone from CO */
};
#define ROW_ATTENTION (ROW_FAILING | ROW_OVERDUE | ROW_LATE | ROW_DELETED)

struct row_mark {
    unsigned flags;  /* enum row_flag bits */
    int has_limit;   /* the ETL has a learnt duration limit (summary) */
    int64_t limit_s; /* that limit in seconds */
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
};

extern const struct fmt_writer fmt_text, fmt_csv, fmt_json, fmt_html, fmt_mail;
/* etlhist-report check: counts the summary's rows and keeps its Needs attention list; not a
 * -f format (fmt_find does not know it). */
extern const struct fmt_writer fmt_check;

/* The index of the column named name among cols[0..n), or -1. */
int fmt_column(const struct column *cols, size_t n, const char *name);

/* The writer named name, or NULL. */
const struct fmt_writer *fmt_find(const char *name);
/* "text, csv, json, html, mail" (without mail in a MAIL=0 build): for messages and --help. */
const char *fmt_names(void);
/* Why the format named name is known but not in this build (-f mail of a MAIL=0 build), or
 * NULL. */
const char *fmt_missing(const char *name);

/* The CSV cell as text ('.' decimals, UTC times as time_format_sheet); buf holds at least
 * 32 bytes. Returns the text to write, which is buf or the cell's own text. */
const char *fmt_cell_plain(const struct cell *c, char *buf, size_t size);

#endif
