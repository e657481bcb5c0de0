/* The progress line: "etlhist-report: summary: 1200 of 5000 ETLs (24 %)" on a terminal, for
 * reports that take more than a second. Under cron (standard error is not a terminal)
 * nothing is drawn. When the report itself goes to the same terminal, its output passes
 * through progress_wrap(), which wipes the line before each write and draws it again only
 * at the start of a line, so the report reads exactly as without it. */
#ifndef ETLHIST_REPORT_PROGRESS_H
#define ETLHIST_REPORT_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_AFTER_MS 1000 /* nothing for reports faster than this */
#define PROGRESS_EVERY_MS 100  /* redraw at most this often */

struct progress {
    FILE *tty;                  /* NULL: no progress line */
    const char *what;           /* the report's name */
    int64_t (*clock_ms)(void);  /* monotonic milliseconds */
    int64_t start_ms, drawn_ms; /* drawn_ms: when the line was last drawn */
    size_t width;               /* characters on screen, 0 when nothing is */
    FILE *real_out;             /* progress_wrap: the report's own stream */
    int mid_line;               /* the report's output to the terminal ended mid-line */
};

/* tty NULL disables the line. clock_ms is progress_clock_ms outside tests. */
void progress_init(struct progress *p, FILE *tty, const char *what, int64_t (*clock_ms)(void));
/* A line-buffered stream over out that keeps the line out of the report's way; NULL when
 * out of memory. fclose() it before progress_done(). */
FILE *progress_wrap(struct progress *p, FILE *out);
/* done of total ETLs are written: draws or redraws the line when it is time to. */
void progress_update(struct progress *p, size_t done, size_t total);
/* Wipes the line, if one is drawn. */
void progress_done(struct progress *p);

int64_t progress_clock_ms(void);

#endif
