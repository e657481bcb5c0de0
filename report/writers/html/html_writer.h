/* The HTML writer over the rows, in either look (html_look.h): fmt_html writes the page with
 * it, the mail writer its message's HTML part. Both are made from the same rows, with the
 * same sections, tables and charts; only how they look, and what the mail leaves to its
 * text part and CSV, differ. */
#ifndef ETLHIST_REPORT_HTML_WRITER_H
#define ETLHIST_REPORT_HTML_WRITER_H

#include "fmt.h"
#include "html_look.h"

#include <stdio.h>

/* A writer's functions (fmt.h) with the look to write in; look outlives the writer. */
void *html_writer_begin(FILE *out, const struct fmt_report *rep, const struct html_look *look);
int html_writer_row(void *state, const struct cell *cells, const struct row_mark *mark);
/* Returns 0, or -1 on a write error or when a chart could not be put in (logged). */
int html_writer_end(void *state, const struct cell *totals);

/* ---- the sections (html_sections.c) ---- */

/* Where a section goes and how it looks. */
struct html_ctx {
    FILE *out;
    const struct fmt_report *rep;
    const struct html_look *look;
};

/* What needs attention, and what silences kept from it: before anything else. */
void html_attention(const struct html_ctx *c);
/* The summary's headline figures; nrows: the ETLs listed. */
void html_headline(const struct html_ctx *c, const struct cell *totals, size_t nrows);
/* The window against the one before (rep->previous), when the engine computed it. */
int html_compare(const struct html_ctx *c, const struct window_totals *now);
/* Failed and aborted runs per day: the chart, and on the page the heat map of the ETLs. */
int html_failures(const struct html_ctx *c);
/* Duration charts of the ETLs that need attention (else the slowest). */
int html_durations(const struct html_ctx *c);

/* Charts the summary draws at most: the mail carries each as an image. */
#define HTML_CHARTS_MAX 6
/* Of them, duration charts: the comparison and the failures take one each. */
#define HTML_DURATION_CHARTS 3

#endif
