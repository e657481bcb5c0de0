#include "html_chart.h"

#include "html_escape.h"
#include "numfmt.h"
#include "stats.h"
#include "zone.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Plot areas in SVG user units; the SVG scales to its box, so these are proportions. */
/* The band above TOP holds the chart's title and its legend. */
enum { TREND_W = 640, TREND_H = 196, SPREAD_W = 320, SPREAD_H = 196 };
enum { TITLE_Y = 13, TOP = 30, BOTTOM = 164, LABEL_Y = 180 };
enum { TREND_L = 60, TREND_R = 628, SPREAD_L = 40, SPREAD_R = 308 };
enum { SPREAD_BINS = 20, TREND_SLICES = 120, MAX_TIME_TICKS = 8 };

#define INK "#555"
#define GRID "#e3e3e3"
#define FAIL_COLOUR "#c62828"

static const char *outcome_colour(int outcome)
{
    switch (outcome) {
    case OUT_ERROR:
        return FAIL_COLOUR;
    case OUT_ABORTED:
        return "#8e24aa";
    case OUT_WARNING:
        return "#d08a00";
    default:
        return "#2f6db5";
    }
}

static const char *outcome_name(int outcome)
{
    return outcome_word((enum outcome)outcome);
}

static int failed(int outcome)
{
    return outcome_failed((enum outcome)outcome);
}

/* The outcomes a chart draws in their own colour, in legend order; the rest count as OK. */
static const int drawn_outcomes[] = {OUT_OK, OUT_WARNING, OUT_ERROR, OUT_ABORTED};
#define N_DRAWN 4

static size_t drawn_index(int outcome)
{
    for (size_t i = 1; i < N_DRAWN; i++)
        if (drawn_outcomes[i] == outcome)
            return i;
    return 0;
}

void chart_duration_axis(int64_t max_tenths, int64_t *step_tenths, int64_t *top_tenths)
{
    static const int64_t steps_s[] = {1,     2,     5,      10,     15,     30,     60,    120,
                                      300,   600,   900,    1800,   3600,   7200,   10800, 21600,
                                      43200, 86400, 172800, 432000, 864000, 1728000};
    size_t n = sizeof steps_s / sizeof steps_s[0];
    int64_t step = steps_s[n - 1] * 10;
    for (size_t i = 0; i < n; i++) {
        if (max_tenths / (steps_s[i] * 10) + 1 <= 5) {
            step = steps_s[i] * 10;
            break;
        }
    }
    *step_tenths = step;
    *top_tenths = (max_tenths / step + 1) * step; /* above the longest: no point on the edge */
}

static int64_t scale(int64_t v, int64_t v_max, int64_t px)
{
    if (v_max <= 0)
        return 0;
    if (v < 0)
        v = 0;
    if (v > v_max)
        v = v_max;
    return v * px / v_max;
}

static void duration_text(int64_t tenths, char buf[NUM_BUF])
{
    numfmt_duration(tenths, buf);
}

static void svg_open(FILE *out, const char *kind, int w, int h, const char *what,
                     const struct chart_spec *spec)
{
    fprintf(out,
            "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
            "role=\"img\"",
            kind, w, h, w, h);
    if (spec->file) {
        fputs(" data-file=\"", out);
        html_escape(out, spec->file);
        fprintf(out, "-%s\"", kind);
    }
    fputs(" aria-label=\"", out);
    fputs(what, out);
    html_escape(out, spec->label);
    fputs("\"><title>", out);
    fputs(what, out);
    html_escape(out, spec->label);
    fprintf(out, "</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", w,
            h);
}

static void text_at(FILE *out, int64_t x, int64_t y, const char *anchor, const char *text);

/* The chart's visible title, top left. */
static void chart_title(FILE *out, const char *title)
{
    fprintf(out, "<text x=\"4\" y=\"%d\" font-size=\"12\" font-weight=\"bold\" fill=\"#333\">",
            TITLE_Y);
    html_escape(out, title);
    fputs("</text>\n", out);
}

/* One legend entry, its right end at *x (which moves left past it). */
static void legend_item(FILE *out, int64_t *x, const char *colour, const char *name)
{
    *x -= CHART_TEXT_W(strlen(name));
    fprintf(out,
            "<g class=\"legend\"><rect x=\"%" PRId64 "\" y=\"%d\" width=\"9\" height=\"9\" "
            "fill=\"%s\"/>",
            *x - 12, TITLE_Y - 9, colour);
    text_at(out, *x, TITLE_Y, "start", name);
    fputs("</g>\n", out);
    *x -= 12 + 10;
}

/* The colours of the outcomes the chart drew (present[i] for drawn_outcomes[i]), right
 * aligned in the title band: a legend names no colour the chart lacks. */
static void legend(FILE *out, const int present[N_DRAWN], int right)
{
    int64_t x = right;
    for (size_t i = N_DRAWN; i-- > 0;)
        if (present[i])
            legend_item(out, &x, outcome_colour(drawn_outcomes[i]),
                        outcome_name(drawn_outcomes[i]));
}

static void text_at(FILE *out, int64_t x, int64_t y, const char *anchor, const char *text)
{
    fprintf(out,
            "<text x=\"%" PRId64 "\" y=\"%" PRId64 "\" text-anchor=\"%s\" font-size=\"11\" "
            "fill=\"" INK "\">",
            x, y, anchor);
    html_escape(out, text);
    fputs("</text>\n", out);
}

static void hline(FILE *out, int64_t x1, int64_t x2, int64_t y, const char *colour)
{
    fprintf(out,
            "<line x1=\"%" PRId64 "\" y1=\"%" PRId64 "\" x2=\"%" PRId64 "\" y2=\"%" PRId64
            "\" stroke=\"%s\"/>\n",
            x1, y, x2, y, colour);
}

static void vline(FILE *out, int64_t x, int64_t y1, int64_t y2, const char *colour,
                  const char *extra)
{
    fprintf(out,
            "<line x1=\"%" PRId64 "\" y1=\"%" PRId64 "\" x2=\"%" PRId64 "\" y2=\"%" PRId64
            "\" stroke=\"%s\"%s/>\n",
            x, y1, x, y2, colour, extra);
}

/* Horizontal grid and labels of a duration axis (trend: y). */
static void duration_grid_y(FILE *out, int64_t step, int64_t top, int left, int right)
{
    char buf[NUM_BUF];
    for (int64_t v = 0; v <= top; v += step) {
        int64_t y = BOTTOM - scale(v, top, BOTTOM - TOP);
        hline(out, left, right, y, v ? GRID : INK);
        duration_text(v, buf);
        text_at(out, left - 4, y + 4, "end", buf);
    }
}

/* Vertical grid and labels of a duration axis (spread: x). */
/* A label centred on x (or against the edge it sits on), when it keeps clear of the one
 * before it, which ended at *last_right. */
static void axis_label(FILE *out, int64_t x, int left, int right, const char *text,
                       int64_t *last_right)
{
    int64_t w = CHART_TEXT_W(strlen(text));
    const char *anchor = "middle";
    int64_t from = x - w / 2;
    if (from < left - 4) {
        anchor = "start";
        from = x;
    } else if (from + w > right + 4) {
        anchor = "end";
        from = x - w;
    }
    if (from < *last_right + 6)
        return;
    text_at(out, x, LABEL_Y, anchor, text);
    *last_right = from + w;
}

static void duration_grid_x(FILE *out, int64_t step, int64_t top, int left, int right)
{
    char buf[NUM_BUF];
    int64_t last_right = INT64_MIN / 2;
    for (int64_t v = 0; v <= top; v += step) {
        int64_t x = left + scale(v, top, right - left);
        vline(out, x, TOP, BOTTOM, v ? GRID : INK, "");
        duration_text(v, buf);
        axis_label(out, x, left, right, buf, &last_right);
    }
}

/* ---- time axis ---- */

/* The midnight in tz at or before t. */
static int64_t local_midnight(const char *tz, int64_t t)
{
    int64_t m = zone_next_midnight(tz, t - 2 * 86400);
    for (int64_t next = zone_next_midnight(tz, m); next <= t; next = zone_next_midnight(tz, m))
        m = next;
    return m;
}

/* Ticks at local hours that are multiples of hours (< 24), or at local midnights every days
 * days; returns how many were stored in ticks (at most max). */
static size_t time_ticks(const char *tz, int64_t since, int64_t until, int64_t *ticks, size_t max,
                         int *daily)
{
    static const int64_t hours[] = {1, 2, 3, 6, 12, 24, 48, 168, 336, 720, 2160, 4320, 8760};
    int64_t span = until - since;
    int64_t step_h = hours[sizeof hours / sizeof hours[0] - 1];
    for (size_t i = 0; i < sizeof hours / sizeof hours[0]; i++) {
        if (span / (hours[i] * 3600) <= (int64_t)max) {
            step_h = hours[i];
            break;
        }
    }
    *daily = step_h >= 24;
    size_t n = 0;
    for (int64_t day = local_midnight(tz, since); day < until && n < max;) {
        int64_t next = zone_next_midnight(tz, day);
        if (*daily) {
            if (day >= since)
                ticks[n++] = day;
            day = zone_midnight_after(tz, day, (int)(step_h / 24));
            continue;
        }
        for (int64_t h = 0; h < 24 && n < max; h += step_h) {
            int64_t t = day + h * 3600; /* DST days: ticks stay within the day */
            if (t >= since && t < until && t < next)
                ticks[n++] = t;
        }
        day = next;
    }
    return n;
}

static int64_t time_x(int64_t t, const struct chart_spec *spec)
{
    return TREND_L + scale(t - spec->since, spec->until - spec->since, TREND_R - TREND_L);
}

static void time_grid(FILE *out, const struct chart_spec *spec)
{
    int64_t ticks[MAX_TIME_TICKS + 1];
    int daily;
    size_t n = time_ticks(spec->tz, spec->since, spec->until, ticks, MAX_TIME_TICKS + 1, &daily);
    char buf[ZONE_TIME_BUF];
    int64_t last_right = INT64_MIN / 2;
    for (size_t i = 0; i < n; i++) {
        int64_t x = time_x(ticks[i], spec);
        vline(out, x, TOP, BOTTOM, GRID, "");
        zone_format(spec->tz, ticks[i], daily ? "%m-%d" : "%H:%M", buf, sizeof buf);
        axis_label(out, x, TREND_L, TREND_R, buf, &last_right);
    }
}

/* ---- trend ---- */

static int64_t max_known_tenths(const struct chart_run *runs, size_t n, size_t *known)
{
    int64_t max = 0;
    *known = 0;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].dur2 < 0)
            continue;
        (*known)++;
        if (runs[i].dur2 * 5 > max)
            max = runs[i].dur2 * 5;
    }
    return max;
}

/* A dashed line across the plot, its label at the right end (at_left: the left end, so
 * that two lines' labels never share a place). */
static void reference_line(FILE *out, const char *name, int64_t tenths, int64_t top, int left,
                           int right, const char *colour, int at_left)
{
    char buf[NUM_BUF], text[NUM_BUF + 8];
    if (tenths < 0)
        return;
    int64_t y = BOTTOM - scale(tenths, top, BOTTOM - TOP);
    fprintf(out,
            "<line x1=\"%d\" y1=\"%" PRId64 "\" x2=\"%d\" y2=\"%" PRId64
            "\" stroke=\"%s\" stroke-dasharray=\"5 3\"/>\n",
            left, y, right, y, colour);
    duration_text(tenths, buf);
    snprintf(text, sizeof text, "%s %s", name, buf);
    text_at(out, at_left ? left + 2 : right - 2, y - 3, at_left ? "start" : "end", text);
}

static void point(FILE *out, const char *tz, const struct chart_run *r, int64_t x, int64_t y)
{
    char when[ZONE_TIME_BUF], dur[NUM_BUF];
    zone_format(tz, r->start, "%Y-%m-%d %H:%M", when, sizeof when);
    duration_text(r->dur2 * 5, dur);
    fprintf(out,
            "<circle cx=\"%" PRId64 "\" cy=\"%" PRId64 "\" r=\"3\" fill=\"%s\"><title>%s %s "
            "%s</title></circle>\n",
            x, y, outcome_colour(r->outcome), when, outcome_name(r->outcome), dur);
}

static void trend_points(FILE *out, const struct chart_run *runs, size_t n, int64_t top,
                         const struct chart_spec *spec)
{
    fputs("<polyline fill=\"none\" stroke=\"#9db9d8\" stroke-width=\"1\" points=\"", out);
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].dur2 < 0)
            continue;
        fprintf(out, "%s%" PRId64 ",%" PRId64, first ? "" : " ", time_x(runs[i].start, spec),
                BOTTOM - scale(runs[i].dur2 * 5, top, BOTTOM - TOP));
        first = 0;
    }
    fputs("\"/>\n", out);
    for (size_t i = 0; i < n; i++)
        if (runs[i].dur2 >= 0)
            point(out, spec->tz, &runs[i], time_x(runs[i].start, spec),
                  BOTTOM - scale(runs[i].dur2 * 5, top, BOTTOM - TOP));
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One slice of the window: min-max bar and nearest-rank median of its known durations. */
static void slice_bar(FILE *out, int64_t *d, size_t k, int worst, int64_t x, int64_t top)
{
    char lo[NUM_BUF], mid[NUM_BUF], hi[NUM_BUF];
    qsort(d, k, sizeof *d, cmp_i64);
    int64_t med = d[(k + 1) / 2 - 1];
    const char *colour = outcome_colour(worst);
    vline(out, x, BOTTOM - scale(d[0] * 5, top, BOTTOM - TOP),
          BOTTOM - scale(d[k - 1] * 5, top, BOTTOM - TOP), colour, " stroke-width=\"2\"");
    duration_text(d[0] * 5, lo);
    duration_text(med * 5, mid);
    duration_text(d[k - 1] * 5, hi);
    fprintf(out,
            "<circle cx=\"%" PRId64 "\" cy=\"%" PRId64 "\" r=\"2.5\" fill=\"%s\"><title>%zu %s: "
            "min %s, median %s, max %s</title></circle>\n",
            x, BOTTOM - scale(med * 5, top, BOTTOM - TOP), colour, k,
            numfmt_plural((int64_t)k, "run", "runs"), lo, mid, hi);
}

static size_t slice_of(int64_t t, const struct chart_spec *spec)
{
    int64_t s = scale(t - spec->since, spec->until - spec->since, TREND_SLICES);
    return s >= TREND_SLICES ? TREND_SLICES - 1 : (size_t)s;
}

static void trend_slices(FILE *out, const struct chart_run *runs, size_t n, int64_t top,
                         const struct chart_spec *spec)
{
    int64_t *d = malloc(n * sizeof *d);
    if (!d)
        return; /* the chart stays empty; the writer notices nothing worse than that */
    for (size_t i = 0; i < n;) {
        size_t s = slice_of(runs[i].start, spec), k = 0, worst = 0;
        for (; i < n && slice_of(runs[i].start, spec) == s; i++) {
            if (runs[i].dur2 < 0)
                continue;
            d[k++] = runs[i].dur2;
            if (drawn_index(runs[i].outcome) > worst)
                worst = drawn_index(runs[i].outcome);
        }
        int64_t x = TREND_L + (int64_t)(2 * s + 1) * (TREND_R - TREND_L) / (2 * TREND_SLICES);
        if (k)
            slice_bar(out, d, k, drawn_outcomes[worst], x, top);
    }
    free(d);
}

/* Failed runs whose duration is unknown: a short red tick on the time axis each. */
static void failure_ticks(FILE *out, const struct chart_run *runs, size_t n,
                          const struct chart_spec *spec)
{
    for (size_t i = 0; i < n; i++)
        if (runs[i].dur2 < 0 && failed(runs[i].outcome))
            vline(out, time_x(runs[i].start, spec), BOTTOM - 8, BOTTOM, FAIL_COLOUR,
                  " stroke-width=\"2\"");
}

static void no_data(FILE *out, int left, int right)
{
    text_at(out, (left + right) / 2, (TOP + BOTTOM) / 2, "middle", "no run with a known duration");
}

struct present {
    int v[N_DRAWN];
};

/* The colours drawn: each known duration's outcome (one_each), or each slice's worst. Failed
 * runs of unknown duration are red ticks, so ERROR is in the legend with them. */
static struct present present_outcomes(const struct chart_run *runs, size_t n, int one_each,
                                       const struct chart_spec *spec)
{
    struct present p = {{0}};
    for (size_t i = 0; i < n; i++)
        if (runs[i].dur2 < 0 && failed(runs[i].outcome))
            p.v[drawn_index(OUT_ERROR)] = 1;
    for (size_t i = 0; i < n;) {
        size_t s = slice_of(runs[i].start, spec), worst = 0;
        int any = 0;
        for (; i < n && (one_each ? !any : slice_of(runs[i].start, spec) == s); i++) {
            if (runs[i].dur2 < 0)
                continue;
            any = 1;
            if (drawn_index(runs[i].outcome) > worst)
                worst = drawn_index(runs[i].outcome);
        }
        if (any)
            p.v[worst] = 1;
    }
    return p;
}

void chart_trend(FILE *out, const struct chart_run *runs, size_t n, const struct chart_spec *spec)
{
    size_t known;
    int64_t step, top;
    int64_t longest = max_known_tenths(runs, n, &known);
    if (spec->limit_tenths > longest)
        longest = spec->limit_tenths; /* the limit stays in sight */
    chart_duration_axis(longest, &step, &top);
    svg_open(out, "trend", TREND_W, TREND_H, "Duration of each run against its start: ", spec);
    chart_title(out, spec->limit_tenths >= 0 ? "Duration of each run, against the learnt limit"
                                             : "Duration of each run");
    time_grid(out, spec);
    duration_grid_y(out, step, top, TREND_L, TREND_R);
    if (known == 0)
        no_data(out, TREND_L, TREND_R);
    else if (known <= CHART_MAX_POINTS)
        trend_points(out, runs, n, top, spec);
    else
        trend_slices(out, runs, n, top, spec);
    if (known)
        reference_line(out, "p50", spec->p50_tenths, top, TREND_L, TREND_R, "#777", 0);
    reference_line(out, "limit", spec->limit_tenths, top, TREND_L, TREND_R, FAIL_COLOUR, 1);
    failure_ticks(out, runs, n, spec);
    legend(out, present_outcomes(runs, n, known <= CHART_MAX_POINTS, spec).v, TREND_R);
    fputs("</svg>\n", out);
}

/* ---- spread ---- */

static size_t bin_of(int64_t tenths, int64_t top)
{
    int64_t b = scale(tenths, top, SPREAD_BINS);
    return b >= SPREAD_BINS ? SPREAD_BINS - 1 : (size_t)b;
}

/* Count axis: steps of 1, 2, 5, 10, 20, 50... with at most 4 of them. */
static void count_axis(int64_t max_count, int64_t *step, int64_t *top)
{
    int64_t s = 1;
    for (int64_t unit = 1; (max_count + s - 1) / s > 4;) {
        if (s == unit)
            s = 2 * unit;
        else if (s == 2 * unit)
            s = 5 * unit;
        else
            s = unit *= 10;
    }
    *step = s;
    *top = max_count > 0 ? (max_count + s - 1) / s * s : s;
}

static void count_grid(FILE *out, int64_t step, int64_t top)
{
    char buf[NUM_BUF];
    for (int64_t v = 0; v <= top; v += step) {
        int64_t y = BOTTOM - scale(v, top, BOTTOM - TOP);
        hline(out, SPREAD_L, SPREAD_R, y, v ? GRID : INK);
        numfmt_int(v, buf);
        text_at(out, SPREAD_L - 4, y + 4, "end", buf);
    }
}

static void bar(FILE *out, size_t b, int64_t from, int64_t to, int64_t ctop, const char *colour,
                const char *tip)
{
    int64_t x0 = SPREAD_L + (int64_t)b * (SPREAD_R - SPREAD_L) / SPREAD_BINS;
    int64_t x1 = SPREAD_L + (int64_t)(b + 1) * (SPREAD_R - SPREAD_L) / SPREAD_BINS;
    int64_t y0 = BOTTOM - scale(from, ctop, BOTTOM - TOP);
    int64_t y1 = BOTTOM - scale(to, ctop, BOTTOM - TOP);
    fprintf(out,
            "<rect x=\"%" PRId64 "\" y=\"%" PRId64 "\" width=\"%" PRId64 "\" height=\"%" PRId64
            "\" fill=\"%s\"><title>%s</title></rect>\n",
            x0 + 1, y1, x1 - x0 - 1, y0 - y1, colour, tip);
}

/* The bars of one bin, stacked by outcome in legend order. */
static void spread_bars(FILE *out, int64_t (*count)[N_DRAWN], int64_t top_tenths, int64_t ctop)
{
    for (size_t b = 0; b < SPREAD_BINS; b++) {
        int64_t total = 0, failed_n = count[b][2] + count[b][3];
        for (size_t o = 0; o < N_DRAWN; o++)
            total += count[b][o];
        if (total == 0)
            continue;
        char lo[NUM_BUF], hi[NUM_BUF], tip[3 * NUM_BUF + 48];
        duration_text((int64_t)b * top_tenths / SPREAD_BINS, lo);
        duration_text((int64_t)(b + 1) * top_tenths / SPREAD_BINS, hi);
        snprintf(tip, sizeof tip, "%s to %s: %" PRId64 " %s, %" PRId64 " failed or aborted", lo, hi,
                 total, numfmt_plural(total, "run", "runs"), failed_n);
        int64_t from = 0;
        for (size_t o = 0; o < N_DRAWN; o++) {
            if (count[b][o])
                bar(out, b, from, from + count[b][o], ctop, outcome_colour(drawn_outcomes[o]), tip);
            from += count[b][o];
        }
    }
}

static void spread_marker(FILE *out, const char *name, int64_t tenths, int64_t top, int row)
{
    char buf[NUM_BUF], text[NUM_BUF + 8];
    if (tenths < 0)
        return;
    int64_t x = SPREAD_L + scale(tenths, top, SPREAD_R - SPREAD_L);
    vline(out, x, TOP, BOTTOM, "#777", " stroke-dasharray=\"5 3\"");
    duration_text(tenths, buf);
    snprintf(text, sizeof text, "%s %s", name, buf);
    text_at(out, x > (SPREAD_L + SPREAD_R) / 2 ? x - 3 : x + 3, TOP + 10 + 12 * row,
            x > (SPREAD_L + SPREAD_R) / 2 ? "end" : "start", text);
}

/* Counts the known durations by bin and outcome; returns the largest bin's count. */
static int64_t spread_count(const struct chart_run *runs, size_t n, int64_t top,
                            int64_t (*count)[N_DRAWN], struct present *drawn)
{
    int64_t max_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].dur2 < 0)
            continue;
        size_t b = bin_of(runs[i].dur2 * 5, top), o = drawn_index(runs[i].outcome);
        count[b][o]++;
        drawn->v[o] = 1;
        int64_t total = 0;
        for (size_t k = 0; k < N_DRAWN; k++)
            total += count[b][k];
        if (total > max_count)
            max_count = total;
    }
    return max_count;
}

size_t chart_spread_bars(const struct chart_run *runs, size_t n)
{
    size_t known, bars = 0;
    int64_t step, top, count[SPREAD_BINS][N_DRAWN] = {{0}};
    struct present drawn = {{0}};
    chart_duration_axis(max_known_tenths(runs, n, &known), &step, &top);
    spread_count(runs, n, top, count, &drawn);
    for (size_t b = 0; b < SPREAD_BINS; b++)
        bars += count[b][0] + count[b][1] + count[b][2] + count[b][3] > 0;
    return bars;
}

void chart_spread(FILE *out, const struct chart_run *runs, size_t n, const struct chart_spec *spec)
{
    size_t known;
    int64_t step, top, count[SPREAD_BINS][N_DRAWN] = {{0}};
    struct present drawn = {{0}};
    chart_duration_axis(max_known_tenths(runs, n, &known), &step, &top);
    int64_t max_count = spread_count(runs, n, top, count, &drawn);
    svg_open(out, "spread", SPREAD_W, SPREAD_H, "How run durations spread: ", spec);
    chart_title(out, "How durations spread");
    int64_t cstep, ctop;
    count_axis(max_count, &cstep, &ctop);
    count_grid(out, cstep, ctop);
    duration_grid_x(out, step, top, SPREAD_L, SPREAD_R);
    if (known == 0) {
        no_data(out, SPREAD_L, SPREAD_R);
    } else {
        spread_bars(out, count, top, ctop);
        spread_marker(out, "p50", spec->p50_tenths, top, 0);
        spread_marker(out, "p95", spec->p95_tenths, top, 1);
    }
    legend(out, drawn.v, SPREAD_R);
    fputs("</svg>\n", out);
}

/* ---- charts across ETLs ---- */

/* A chart across ETLs: its file name and title are its own. */
static void svg_open_named(FILE *out, const char *kind, int w, int h, const char *title,
                           const char *file)
{
    fprintf(out,
            "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
            "role=\"img\" data-file=\"%s\" aria-label=\"%s\"><title>%s</title>\n"
            "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
            kind, w, h, w, h, file, title, title, w, h);
    chart_title(out, title);
}

static void count_grid_at(FILE *out, int64_t step, int64_t top, int left, int right)
{
    char buf[NUM_BUF];
    for (int64_t v = 0; v <= top; v += step) {
        int64_t y = BOTTOM - scale(v, top, BOTTOM - TOP);
        hline(out, left, right, y, v ? GRID : INK);
        numfmt_int(v, buf);
        text_at(out, left - 4, y + 4, "end", buf);
    }
}

static void day_bar(FILE *out, int64_t x0, int64_t x1, int64_t from, int64_t to, int64_t top,
                    const char *colour, const char *tip)
{
    int64_t y0 = BOTTOM - scale(from, top, BOTTOM - TOP),
            y1 = BOTTOM - scale(to, top, BOTTOM - TOP);
    fprintf(out,
            "<rect x=\"%" PRId64 "\" y=\"%" PRId64 "\" width=\"%" PRId64 "\" height=\"%" PRId64
            "\" fill=\"%s\"><title>%s</title></rect>\n",
            x0, y1, x1 - x0, y0 - y1, colour, tip);
}

/* The column's label: its weekday and date for one day, else its first date. */
static void day_label(const struct chart_days *d, size_t i, char *buf, size_t size)
{
    zone_format(d->tz, d->day[i], d->days_per_col == 1 ? "%a %m-%d" : "%m-%d", buf, size);
}

static void day_column(FILE *out, const struct chart_days *d, size_t i, int64_t top)
{
    char day[ZONE_TIME_BUF], tip[ZONE_TIME_BUF + 96];
    int64_t x0 = TREND_L + (int64_t)i * (TREND_R - TREND_L) / (int64_t)d->n;
    int64_t x1 = TREND_L + (int64_t)(i + 1) * (TREND_R - TREND_L) / (int64_t)d->n;
    int64_t pad = (x1 - x0) / 6;
    zone_format(d->tz, d->day[i], "%Y-%m-%d", day, sizeof day);
    snprintf(tip, sizeof tip, "%s: %" PRId64 " failed, %" PRId64 " aborted of %" PRId64 " %s", day,
             d->failed[i], d->aborted[i], d->runs[i], numfmt_plural(d->runs[i], "run", "runs"));
    if (d->failed[i])
        day_bar(out, x0 + pad, x1 - pad, 0, d->failed[i], top, FAIL_COLOUR, tip);
    if (d->aborted[i])
        day_bar(out, x0 + pad, x1 - pad, d->failed[i], d->failed[i] + d->aborted[i], top,
                outcome_colour(OUT_ABORTED), tip);
}

void chart_failures_by_day(FILE *out, const struct chart_days *d, const char *file)
{
    int64_t max = 0, step, top, last_right = INT64_MIN / 2, x = TREND_R;
    int any_failed = 0, any_aborted = 0;
    char label[ZONE_TIME_BUF];
    for (size_t i = 0; i < d->n; i++) {
        max = d->failed[i] + d->aborted[i] > max ? d->failed[i] + d->aborted[i] : max;
        any_failed |= d->failed[i] > 0;
        any_aborted |= d->aborted[i] > 0;
    }
    svg_open_named(out, "failures", TREND_W, TREND_H,
                   d->days_per_col == 1 ? "Failed and aborted runs per day"
                                        : "Failed and aborted runs per column of days",
                   file);
    count_axis(max, &step, &top);
    count_grid_at(out, step, top, TREND_L, TREND_R);
    for (size_t i = 0; i < d->n; i++) {
        day_column(out, d, i, top);
        int64_t x0 = TREND_L + (int64_t)i * (TREND_R - TREND_L) / (int64_t)d->n;
        int64_t x1 = TREND_L + (int64_t)(i + 1) * (TREND_R - TREND_L) / (int64_t)d->n;
        day_label(d, i, label, sizeof label);
        axis_label(out, (x0 + x1) / 2, TREND_L, TREND_R, label, &last_right);
    }
    if (any_aborted)
        legend_item(out, &x, outcome_colour(OUT_ABORTED), outcome_name(OUT_ABORTED));
    if (any_failed)
        legend_item(out, &x, FAIL_COLOUR, outcome_name(OUT_ERROR));
    fputs("</svg>\n", out);
}

#define BEFORE_COLOUR "#9aa5b1"
#define NOW_COLOUR "#2f6db5"

static void pair_text(const struct chart_pair *p, int64_t v, char buf[NUM_BUF + 4])
{
    char num[NUM_BUF];
    if (v < 0) {
        snprintf(buf, NUM_BUF + 4, "-");
        return;
    }
    if (p->pct)
        numfmt_fixed(v, 1, num);
    else
        numfmt_int(v, num);
    snprintf(buf, NUM_BUF + 4, "%s%s", num, p->pct ? " %" : "");
}

/* One figure's panel: two bars on the figure's own scale, their values above them. */
static void compare_panel(FILE *out, const struct chart_pair *p, int64_t left, int64_t right,
                          const char *before_name)
{
    int64_t max = p->before > p->now ? p->before : p->now, w = (right - left) / 4;
    const int64_t v[2] = {p->before, p->now};
    const char *colour[2] = {BEFORE_COLOUR, NOW_COLOUR}, *when[2] = {before_name, "this window"};
    hline(out, left + 4, right - 4, BOTTOM, INK);
    for (int i = 0; i < 2; i++) {
        char text[NUM_BUF + 4], tip[NUM_BUF + 128];
        int64_t x0 = left + w / 2 + i * (w + w / 2), h = scale(v[i], max, BOTTOM - TOP - 14);
        pair_text(p, v[i], text);
        snprintf(tip, sizeof tip, "%s, %s: %s", p->name, when[i], text);
        if (v[i] > 0)
            day_bar(out, x0, x0 + w, 0, h, BOTTOM - TOP, colour[i], tip);
        text_at(out, x0 + w / 2, BOTTOM - h - 4, "middle", text);
    }
    text_at(out, (left + right) / 2, LABEL_Y, "middle", p->name);
}

void chart_compare(FILE *out, const struct chart_pair *pairs, size_t n, const char *before_name,
                   const char *file)
{
    int64_t x = TREND_W - 12;
    int any_before = 0, any_now = 0;
    svg_open_named(out, "compare", TREND_W, TREND_H, "This window against the one before", file);
    for (size_t i = 0; i < n; i++) {
        compare_panel(out, &pairs[i], 8 + (int64_t)i * (TREND_W - 16) / (int64_t)n,
                      8 + (int64_t)(i + 1) * (TREND_W - 16) / (int64_t)n, before_name);
        any_before |= pairs[i].before > 0;
        any_now |= pairs[i].now > 0;
    }
    if (any_now)
        legend_item(out, &x, NOW_COLOUR, "this window");
    if (any_before)
        legend_item(out, &x, BEFORE_COLOUR, before_name);
    fputs("</svg>\n", out);
}
