/* Inline SVG charts of run durations for the HTML report, drawn from plain arrays (no
 * database, no writer state), so tests feed them directly. Output depends only on the
 * arguments (the display zone among them): the same runs always give the same bytes. */
#ifndef ETLHIST_REPORT_HTML_CHART_H
#define ETLHIST_REPORT_HTML_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pick.h" /* struct chart_run: runs are given oldest first */

struct chart_spec {
    int64_t since, until;           /* the window: the trend's time axis */
    int64_t p50_tenths, p95_tenths; /* drawn as reference lines; -1 when unknown */
    const char *label;              /* the ETL, for the charts' accessible names */
    const char *tz;                 /* the display zone (zone.h) */
    int64_t limit_tenths;           /* the learnt duration limit (trend); -1: none */
    const char *file;               /* a file name for the chart without ".png", or NULL */
};

/* Approximate width in SVG units of text at the charts' 11 px font (DejaVu Sans averages
 * under 0.62 em a character): labels are laid out with it so that none overlap. */
#define CHART_TEXT_W(chars) ((int64_t)(chars)*7)

/* More runs than this with a known duration are drawn as one min-max bar and median per
 * slice of the window rather than one point each. */
#define CHART_MAX_POINTS 300

/* Duration of each run against its start (trend). */
void chart_trend(FILE *out, const struct chart_run *runs, size_t n, const struct chart_spec *spec);
/* Histogram of the known durations, stacked by outcome (spread). */
void chart_spread(FILE *out, const struct chart_run *runs, size_t n, const struct chart_spec *spec);
/* How many bars the histogram has: one or two say nothing the p50 and p95 do not. */
size_t chart_spread_bars(const struct chart_run *runs, size_t n);

/* Failed and aborted runs per column of days (the overview's heat-map columns). */
struct chart_days {
    const int64_t *day; /* column starts, then the window's end: n + 1 of them */
    const int64_t *runs, *failed, *aborted;
    size_t n;
    int days_per_col;
    const char *tz;
};

/* Stacked bars of failed (ERROR) and aborted runs per column, in the display zone. */
void chart_failures_by_day(FILE *out, const struct chart_days *days, const char *file);

/* One figure of two windows: before and now, in tenths when pct (a percentage), else a count;
 * -1: unknown (no finished run). */
struct chart_pair {
    const char *name;
    int64_t before, now;
    int pct;
};

/* Pairs of bars, the window before and this one, each figure on its own scale. */
void chart_compare(FILE *out, const struct chart_pair *pairs, size_t n, const char *before_name,
                   const char *file);

/* "Nice" axis: the step (one of 1 2 5 10 15 30 s, 1 2 5 10 15 30 min, 1 2 3 6 12 h, days)
 * and the top, the first multiple of the step above max_tenths, with at most 5 steps. */
void chart_duration_axis(int64_t max_tenths, int64_t *step_tenths, int64_t *top_tenths);

#endif
