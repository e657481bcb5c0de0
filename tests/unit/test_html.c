/* The HTML report's parts fed directly: escaping, chart axes and SVG, the pool that picks
 * the ETLs to draw, and the writer over hand-made summary rows. */
#include "check_main.h"
#include "fmt.h"
#include "html_escape.h"
#include "html_chart.h"
#include "html_writer.h"
#include "pick.h"
#include "log.h"
#include "defs.h"
#include "stats.h"
#include "zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define B 1795392000 /* 2026-11-23T00:00:00Z, a Monday */
#define DAY 86400

static char *capture_escape(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(out);
    html_escape(out, s);
    fclose(out);
    return buf;
}

static void expect_escape(const char *in, const char *want)
{
    char *got = capture_escape(in);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(escape_turns_markup_into_entities_and_keeps_utf8)
{
    expect_escape("<script>alert('x')</script> & \"q\"",
                  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    expect_escape("Ünïcødé 日本 🙂", "Ünïcødé 日本 🙂");
    expect_escape("", "");
    expect_escape(NULL, "");
}
END_TEST

START_TEST(escape_replaces_controls_and_bytes_that_are_not_utf8)
{
    expect_escape("a\nb\tc\x01"
                  "d\x7f",
                  "a b c d ");
    expect_escape("c1 \xC2\x85 nbsp \xC2\xA0", "c1   nbsp \xC2\xA0");
    /* a lone continuation byte, a cut sequence, an overlong '<', a surrogate, > U+10FFFF */
    expect_escape("x\x80y", "x\xEF\xBF\xBDy");
    expect_escape("\xE6\x97", "\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_escape("\xC0\xBC", "\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_escape("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_escape("\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}
END_TEST

/* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE and U+061C ARABIC LETTER MARK
 * would reorder the page around a name: shown as U+FFFD; Arabic letters are text. */
START_TEST(escape_shows_bidirectional_controls)
{
    expect_escape("invoice\xE2\x80\xAEgpj.exe", "invoice\xEF\xBF\xBDgpj.exe");
    expect_escape("\xE2\x81\xA6<b>\xD8\x9C", "\xEF\xBF\xBD&lt;b&gt;\xEF\xBF\xBD");
    expect_escape("\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A", "\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A");
}
END_TEST

START_TEST(duration_axis_has_at_most_five_nice_steps_above_the_longest)
{
    static const struct {
        int64_t max, step, top;
    } cases[] = {
        {0, 10, 10},          /* nothing: one second */
        {7800, 3000, 9000},   /* 13m00s: 5-minute steps to 15m */
        {1800, 600, 2400},    /* 3m00s exactly: one step above, 4m */
        {28800, 6000, 30000}, /* 48m */
        {150, 50, 200},       /* 15s: 5 s steps */
        {864000, 216000, 1080000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t step, top;
        chart_duration_axis(cases[i].max, &step, &top);
        ck_assert_int_eq(step, cases[i].step);
        ck_assert_int_eq(top, cases[i].top);
        ck_assert_int_gt(top, cases[i].max);
        ck_assert_int_le(top / step, 5);
    }
}
END_TEST

static char *chart(int spread, const struct chart_run *runs, size_t n,
                   const struct chart_spec *spec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(out);
    if (spread)
        chart_spread(out, runs, n, spec);
    else
        chart_trend(out, runs, n, spec);
    fclose(out);
    return buf;
}

static size_t occurrences(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

START_TEST(trend_draws_one_point_per_known_duration_and_ticks_unknown_failures)
{
    struct chart_run runs[] = {
        {B + 600, 1560, OUT_OK},     /* 13m00s */
        {B + 4200, 1560, OUT_ERROR}, /* red point */
        {B + 7800, -1, OUT_ERROR},   /* no duration: a red tick */
        {B + 11400, -1, OUT_OK},     /* no duration, not failed: nothing */
    };
    struct chart_spec spec = {B, B + DAY, 7800, 7800, "<b>name</b>", "UTC", -1, NULL};
    char *svg = chart(0, runs, 4, &spec);
    ck_assert_uint_eq(occurrences(svg, "<circle"), 2);
    ck_assert_uint_eq(occurrences(svg, "fill=\"#c62828\"><title>2026-11-23 01:10 ERROR 13m00s"), 1);
    ck_assert_uint_eq(occurrences(svg, "stroke=\"#c62828\" stroke-width=\"2\""), 1);
    ck_assert_ptr_nonnull(strstr(svg, "&lt;b&gt;name&lt;/b&gt;"));
    ck_assert_ptr_null(strstr(svg, "<b>"));
    ck_assert_ptr_nonnull(strstr(svg, ">p50 13m00s</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">03:00</text>")); /* 3-hour ticks over a day */
    char *again = chart(0, runs, 4, &spec);
    ck_assert_str_eq(svg, again); /* the same runs, the same bytes */
    free(again);
    free(svg);
}
END_TEST

START_TEST(trend_over_many_runs_draws_slices_not_points)
{
    size_t n = CHART_MAX_POINTS * 4;
    struct chart_run *runs = calloc(n, sizeof *runs);
    for (size_t i = 0; i < n; i++)
        runs[i] = (struct chart_run){B + (int64_t)i * 7 * DAY / (int64_t)n, 100 + (int64_t)i % 50,
                                     i % 10 ? OUT_OK : OUT_ERROR};
    struct chart_spec spec = {B, B + 7 * DAY, -1, -1, "many", "UTC", -1, NULL};
    char *svg = chart(0, runs, n, &spec);
    ck_assert_uint_le(occurrences(svg, "<circle"), 120);
    ck_assert_uint_gt(occurrences(svg, "<circle"), 100);
    ck_assert_ptr_nonnull(strstr(svg, " runs: min "));
    ck_assert_ptr_nonnull(strstr(svg, ">11-24</text>")); /* daily ticks over a week */
    free(svg);
    /* the last slice of the window alone holds one run, then two */
    for (size_t last = 1; last <= 2; last++) {
        for (size_t i = 0; i < n; i++)
            runs[i].start = i < n - last ? B + (int64_t)i : B + 7 * DAY - 1;
        svg = chart(0, runs, n, &spec);
        ck_assert_ptr_nonnull(
            strstr(svg, last == 1 ? "<title>1 run: min " : "<title>2 runs: min "));
        ck_assert_ptr_null(strstr(svg, "<title>1 runs"));
        free(svg);
    }
    free(runs);
}
END_TEST

START_TEST(spread_stacks_failed_runs_and_says_when_nothing_is_known)
{
    struct chart_run runs[] = {
        {B, 200, OUT_OK}, {B + 1, 200, OUT_OK}, {B + 2, 200, OUT_ERROR}, {B + 3, -1, OUT_OK}};
    struct chart_spec spec = {B, B + DAY, 1000, 1000, "x", "UTC", -1, NULL};
    char *svg = chart(1, runs, 4, &spec);
    /* the axis is 0 to 2m in 20 bins of 6 s: 100 s falls in 1m36s to 1m42s */
    /* the background, two bars (OK, ERROR) and the legend's two keys, OK and ERROR */
    ck_assert_uint_eq(occurrences(svg, "<rect x=\"") - 1, 4);
    ck_assert_uint_eq(occurrences(svg, "<g class=\"legend\">"), 2);
    ck_assert_ptr_null(strstr(svg, ">ABORTED</text>"));
    ck_assert_ptr_nonnull(strstr(svg, "1m36s to 1m42s: 3 runs, 1 failed or aborted"));
    ck_assert_ptr_nonnull(strstr(svg, ">p95 1m40s</text>"));
    free(svg);
    /* a bar's count is singular for one run */
    svg = chart(1, runs, 1, &spec);
    ck_assert_ptr_nonnull(strstr(svg, "1m36s to 1m42s: 1 run, 0 failed or aborted"));
    free(svg);
    svg = chart(1, runs, 2, &spec);
    ck_assert_ptr_nonnull(strstr(svg, "1m36s to 1m42s: 2 runs, 0 failed or aborted"));
    free(svg);
    struct chart_run unknown[] = {{B, -1, OUT_ERROR}};
    svg = chart(1, unknown, 1, &spec);
    ck_assert_ptr_nonnull(strstr(svg, "no run with a known duration"));
    free(svg);
}
END_TEST

static struct pick *make_pick(size_t order, int64_t p95, int64_t failed, int64_t finished)
{
    struct pick *p = calloc(1, sizeof *p);
    p->instance = strdup("i");
    p->name = strdup("n");
    p->etl_id = (int64_t)order;
    p->order = order;
    p->p50 = p95 < 0 ? -1 : p95 / 2;
    p->p95 = p95;
    p->failed = failed;
    p->finished = finished;
    p->runs = finished;
    p->run = calloc(1, sizeof *p->run);
    p->nrun = 1;
    p->day_runs = calloc(1, sizeof *p->day_runs);
    p->day_fails = calloc(1, sizeof *p->day_fails);
    return p;
}

START_TEST(pool_keeps_exactly_the_best_of_each_list_however_many_come)
{
    struct picks ps = {0};
    /* pseudo-random, with ties: p95 in 0..39 (some unknown), failures 0..9 */
    for (size_t i = 0; i < 500; i++) {
        int64_t p95 = (int64_t)((i * 7919) % 41) - 1, failed = (int64_t)((i * 104729) % 10);
        ck_assert_int_eq(picks_offer(&ps, make_pick(i, p95, failed, 10)), 0);
        ck_assert_uint_le(ps.n, PICK_CHARTS * 2 + PICK_HEAT_ROWS);
    }
    const struct pick *slow[PICK_CHARTS], *heat[PICK_HEAT_ROWS];
    ck_assert_uint_eq(picks_list(&ps, PICK_SLOW, slow, PICK_CHARTS), PICK_CHARTS);
    ck_assert_uint_eq(picks_list(&ps, PICK_HEAT, heat, PICK_HEAT_ROWS), PICK_HEAT_ROWS);
    /* brute force: the largest p95 is 39, first reached at the smallest i */
    size_t want_first = 0;
    while ((int64_t)((want_first * 7919) % 41) - 1 != 39)
        want_first++;
    ck_assert_int_eq(slow[0]->p95, 39);
    ck_assert_uint_eq(slow[0]->order, want_first);
    for (size_t i = 1; i < PICK_CHARTS; i++)
        ck_assert(slow[i - 1]->p95 > slow[i]->p95 ||
                  (slow[i - 1]->p95 == slow[i]->p95 && slow[i - 1]->order < slow[i]->order));
    for (size_t i = 0; i < PICK_HEAT_ROWS; i++)
        ck_assert_int_eq(heat[i]->failed, 9); /* 50 ETLs have 9: the first 25 of them */
    for (size_t i = 1; i < PICK_HEAT_ROWS; i++)
        ck_assert_uint_lt(heat[i - 1]->order, heat[i]->order);
    /* what no list needs is freed: heat-only picks keep no runs */
    for (size_t i = 0; i < ps.n; i++)
        if (!(ps.v[i]->lists & (PICK_SLOW | PICK_FAIL)))
            ck_assert_ptr_null(ps.v[i]->run);
    picks_free(&ps);
}
END_TEST

/* ---- the writer over hand-made summary rows and the overview made from them ---- */

struct page {
    char *buf;
    size_t len;
    FILE *out;
    const struct fmt_writer *w;
    void *st;
    struct fmt_report rep;
    struct overview ov;
    struct window_totals prev; /* the window before, as the engine adds it up */
};

static void page_begin(struct page *pg, int64_t since, int64_t until, const char *tz)
{
    const struct report_def *def = report_find("summary");
    static const struct column totals[] = {{"runs", "runs", COL_INT, 0},
                                           {"failed", "failed", COL_INT, 0},
                                           {"aborted", "aborted", COL_INT, 0},
                                           {"failure_rate_pct", "f", COL_PCT, 0},
                                           {"abort_rate_pct", "a", COL_PCT, 0}};
    memset(pg, 0, sizeof *pg);
    pg->out = open_memstream(&pg->buf, &pg->len);
    pg->w = &fmt_html;
    ck_assert_ptr_nonnull(pg->w);
    overview_init(&pg->ov, since, until, tz);
    pg->prev = (struct window_totals){.since = since - (until - since),
                                      .until = since,
                                      .etls = 2,
                                      .runs = 4,
                                      .failed = 1,
                                      .fail_pct = 250,
                                      .abort_pct = 0,
                                      .missed = 1,
                                      .observed = 2};
    pg->rep = (struct fmt_report){"summary", def->cols, def->ncols, totals,  5,    1,
                                  since,     until,     tz,         &pg->ov, NULL, &pg->prev};
    struct fmt_opts opts = {.delimiter = ',', .header = 1};
    pg->st = pg->w->begin(pg->out, &pg->rep, &opts);
    ck_assert_ptr_nonnull(pg->st);
}

/* One ETL: its runs (start offsets in hours, outcome, 60 s each) to the overview, as the
 * summary's definition gives them, then its summary row to the writer. */
static void page_etl(struct page *pg, int64_t id, const char *name, const int *hours,
                     const char *const *outcomes, size_t n, int64_t p95_tenths)
{
    int64_t failed = 0, aborted = 0;
    struct chart_run *runs = calloc(n ? n : 1, sizeof *runs);
    ck_assert_ptr_nonnull(runs);
    for (size_t i = 0; i < n; i++) {
        runs[i] =
            (struct chart_run){pg->rep.since + hours[i] * 3600, 120, outcome_parse(outcomes[i])};
        failed += strcmp(outcomes[i], "ERROR") == 0;
        aborted += strcmp(outcomes[i], "ABORTED") == 0;
    }
    struct overview_etl e = {"prod",         name,       id,
                             (int64_t)n,     failed,     aborted,
                             p95_tenths,     p95_tenths, 1000 - id % 10,
                             failed ? 1 : 0, runs,       n,
                             failed > 0,     6000};
    ck_assert_int_eq(overview_add(&pg->ov, &e), 0);
    struct cell c[32];
    ck_assert_uint_le(pg->rep.ncols, 32);
    for (size_t i = 0; i < 32; i++)
        c[i] = cell_null();
    c[0] = cell_text("prod");
    c[1] = cell_int(id);
    c[2] = cell_text(name);
    c[3] = cell_int((int64_t)n);
    c[4] = cell_int((int64_t)n - failed - aborted);
    c[5] = cell_int(0);
    c[6] = cell_int(failed);
    c[7] = cell_int(aborted);
    c[8] = cell_int(0);
    c[11] = p95_tenths < 0 ? cell_null() : cell_real(p95_tenths, 1);
    c[12] = c[11];
    c[16] = cell_int(failed ? 1 : 0);
    c[17] = cell_real(1000 - id % 10, 1);
    /* an ETL with a failed run needs attention here; every one learnt a 10-minute limit */
    struct row_mark mark = {(failed + aborted ? ROW_FAILED : 0) | (failed ? ROW_FAILING : 0), 1,
                            600};
    ck_assert_int_eq(pg->w->row(pg->st, c, &mark), 0);
}

static const char *page_end(struct page *pg)
{
    struct cell t[5] = {cell_int(6), cell_int(3), cell_int(1), cell_real(500, 1),
                        cell_real(167, 1)};
    ck_assert_int_eq(pg->w->end(pg->st, t), 0);
    fclose(pg->out);
    overview_free(&pg->ov);
    return pg->buf;
}

START_TEST(summary_page_has_headline_heat_map_and_charts_in_the_display_zone)
{
    struct page pg;
    page_begin(&pg, B, B + 3 * DAY, "UTC");
    static const int h1[] = {1, 2, 25, 49};
    static const char *const o1[] = {"ERROR", "OK", "ERROR", "ABORTED"};
    static const int h2[] = {5, 6};
    static const char *const o2[] = {"OK", "OK"};
    page_etl(&pg, 321, "Nightly <load>", h1, o1, 4, 600);
    page_etl(&pg, 322, "Quiet", h2, o2, 2, 600);
    const char *html = page_end(&pg);
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"v\">50.0 %</span>"));
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"v\">99.9 %</span><span class=\"k\">"
                                       "coverage</span>")); /* (99.9 + 99.8) / 2, half up */
    ck_assert_ptr_nonnull(strstr(html, "lowest 99.8 % (Quiet)"));
    /* heat map: only 321, one cell per day: 1 of 2, 1 of 1, 1 (aborted) of 1 */
    ck_assert_uint_eq(occurrences(html, "<tr><th scope=\"row\">"), 1);
    ck_assert_ptr_nonnull(strstr(html, "title=\"2026-11-23: 1 of 2 runs failed or aborted\">1<"));
    ck_assert_ptr_nonnull(strstr(html, "title=\"2026-11-25: 1 of 1 run failed or aborted\">1<"));
    ck_assert_ptr_nonnull(strstr(html, "<th scope=\"col\" class=\"num\">Wed<br>11-25</th>"));
    /* the glance table: 321 marked with colour and a symbol, Quiet only on the page */
    ck_assert_ptr_nonnull(strstr(html, "<tr class=\"attn\"><td class=\"m mk\" title=\"needs "
                                       "attention: failing\">\u2716</td><td class=\"name\">"
                                       "Nightly &lt;load&gt;<br>"));
    ck_assert_uint_eq(occurrences(html, "<tr class=\"page-only\"><td class=\"m\"></td>"), 1);
    ck_assert_ptr_nonnull(strstr(html, "1m00s<span class=\"lim\" title=\"learnt duration "
                                       "limit\">&#8804;&#160;10m00s</span>"));
    /* charts: only the ETL that needs attention, against its limit */
    ck_assert_uint_eq(occurrences(html, "<svg class=\"chart trend\""), 1);
    ck_assert_ptr_nonnull(strstr(html, "data-file=\"durations-etl-321-trend\""));
    ck_assert_ptr_nonnull(strstr(html, ">limit 10m00s</text>"));
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"tag f\">needs attention</span>"));
    /* failures by day: every ETL's failed and aborted runs per day of the display zone, as
     * stacked bars; both outcomes drawn, so both in the legend */
    ck_assert_uint_eq(occurrences(html, "<svg class=\"chart failures\""), 1);
    ck_assert_ptr_nonnull(strstr(html, "data-file=\"failures-by-day\""));
    ck_assert_ptr_nonnull(strstr(html, "<title>2026-11-23: 1 failed, 0 aborted of 4 runs</title>"));
    ck_assert_ptr_nonnull(strstr(html, "<title>2026-11-25: 0 failed, 1 aborted of 1 run</title>"));
    ck_assert_ptr_nonnull(strstr(html, ">Mon 11-23</text>"));
    ck_assert_ptr_nonnull(strstr(html, "fill=\"#8e24aa\"/><text"));
    /* the window against the one before: runs 6 (before 4), failure % 33.3 (25.0) */
    ck_assert_uint_eq(occurrences(html, "<svg class=\"chart compare\""), 1);
    ck_assert_ptr_nonnull(strstr(html, "data-file=\"week-over-week\""));
    ck_assert_ptr_nonnull(strstr(html, "<title>failure %, the 3 days before: 25.0 %</title>"));
    /* this window's rates are the totals row's, as the headline shows them */
    ck_assert_ptr_nonnull(strstr(html, "<title>failure %, this window: 50.0 %</title>"));
    ck_assert_ptr_nonnull(strstr(html, ">missed + late</text>"));
    ck_assert_ptr_null(strstr(html, "not observed"));
    ck_assert_uint_le(occurrences(html, "<svg class=\"chart"), HTML_CHARTS_MAX);
    ck_assert_ptr_nonnull(strstr(html, "Nightly &lt;load&gt;"));
    ck_assert_ptr_null(strstr(html, "<load>"));
    ck_assert_ptr_null(strstr(html, "<script"));
    free(pg.buf);

    /* days are in the display zone: in Tokyo 00:00 is 15:00 UTC the day before */
    page_begin(&pg, B - 9 * 3600, B - 9 * 3600 + 2 * DAY, "Asia/Tokyo");
    static const int h3[] = {8, 10};
    static const char *const o3[] = {"ERROR", "ERROR"};
    page_etl(&pg, 7, "Tokyo", h3, o3, 2, -1);
    html = page_end(&pg);
    ck_assert_ptr_nonnull(strstr(html, "2026-11-23 00:00 JST to 2026-11-25 00:00 JST"));
    /* 23:00 UTC on the 22nd and 01:00 UTC on the 23rd: both on the 23rd in Tokyo */
    ck_assert_ptr_nonnull(strstr(html, "title=\"2026-11-23: 2 of 2 runs failed or aborted\">2<"));
    ck_assert_ptr_nonnull(strstr(html, "title=\"2026-11-24: no run\""));
    ck_assert_ptr_nonnull(strstr(html, "<title>2026-11-23: 2 failed, 0 aborted of 2 runs</title>"));
    ck_assert_ptr_null(strstr(html, ">ABORTED</text>")); /* none drawn: not in a legend */
    ck_assert_ptr_nonnull(strstr(html, "<p class=\"facts\">2 runs, 2 failed, 0 aborted;"));
    free(pg.buf);

    /* one run: every count of it is singular */
    page_begin(&pg, B, B + DAY, "UTC");
    static const int h4[] = {2};
    static const char *const o4[] = {"ERROR"};
    page_etl(&pg, 8, "Once", h4, o4, 1, -1);
    html = page_end(&pg);
    ck_assert_ptr_nonnull(strstr(html, "<p class=\"facts\">1 run, 1 failed, 0 aborted;"));
    ck_assert_ptr_nonnull(strstr(html, "title=\"2026-11-23: 1 of 1 run failed or aborted\">1<"));
    ck_assert_ptr_nonnull(strstr(html, "<title>2026-11-23: 1 failed, 0 aborted of 1 run</title>"));
    ck_assert_ptr_null(strstr(html, " 1 runs"));
    free(pg.buf);
}
END_TEST

/* A window before the history began has no figures: no chart of bars of 0 that would read
 * as a quiet week, but a line that says why there is no comparison. */
START_TEST(window_before_the_history_is_not_observed_not_zero)
{
    struct page pg;
    page_begin(&pg, B, B + 3 * DAY, "UTC");
    pg.prev.observed = 0;
    static const int h[] = {1, 2};
    static const char *const o[] = {"OK", "ERROR"};
    page_etl(&pg, 5, "Load", h, o, 2, -1);
    const char *html = page_end(&pg);
    ck_assert_ptr_null(strstr(html, "<svg class=\"chart compare\""));
    ck_assert_ptr_nonnull(
        strstr(html, "No comparison with the 3 days before: no ETL was observed then.</p>"));
    ck_assert_ptr_nonnull(strstr(html, "<svg class=\"chart failures\"")); /* the rest stays */
    free(pg.buf);
}
END_TEST

START_TEST(other_reports_are_one_table_streamed_row_by_row)
{
    const struct report_def *def = report_find("etls");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct fmt_report rep = {"etls", def->cols, def->ncols, NULL, 0,    0,
                             0,      0,         "UTC",      NULL, NULL, NULL};
    struct fmt_opts opts = {.delimiter = ',', .header = 1};
    const struct fmt_writer *w = &fmt_html;
    void *st = w->begin(out, &rep, &opts);
    struct cell c[6] = {cell_text("p"), cell_int(1),       cell_text("a'b"),
                        cell_time(B),   cell_time(B + 60), cell_null()};
    struct row_mark mark = {0, 0, 0};
    ck_assert_int_eq(w->row(st, c, &mark), 0);
    c[2] = cell_text("invoice\xE2\x80\xAEgpj.exe");
    ck_assert_int_eq(w->row(st, c, &mark), 0);
    fflush(out);
    ck_assert_ptr_nonnull(strstr(buf, "<td class=\"name\">a&#39;b</td>")); /* before the end */
    ck_assert_int_eq(w->end(st, NULL), 0);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "<td class=\"name\">invoice\xEF\xBF\xBDgpj.exe</td>"));
    ck_assert_ptr_null(strstr(buf, "\xE2\x80\xAE"));
    ck_assert_ptr_nonnull(strstr(buf, "<time datetime=\"2026-11-23T00:01:00Z\">"));
    ck_assert_ptr_null(strstr(buf, "id=\"headline\""));
    ck_assert_ptr_nonnull(strstr(buf, "</html>\n"));
    free(buf);
}
END_TEST

/* The heat map over the longest window: 62 columns of whole local days, planned by calendar
 * arithmetic (walking 2.9 million days one by one took minutes). */
START_TEST(heat_map_over_eight_thousand_years_has_62_columns_of_whole_days)
{
    struct overview ov;
    int64_t latest = INT64_C(253402300800); /* 10000-01-01T00:00:00Z */
    overview_init(&ov, 0, latest, "UTC");
    ck_assert_uint_eq(ov.ndays, 62);
    ck_assert_int_eq(ov.days_per_col, 47305); /* ceil(2932897 days / 62) */
    ck_assert_int_eq(ov.day[0], 0);
    for (size_t d = 1; d < ov.ndays; d++)
        ck_assert_int_eq(ov.day[d], (int64_t)d * 47305 * DAY);
    ck_assert_int_eq(ov.day[ov.ndays], latest);
    overview_free(&ov);
    /* in a zone with summer time the columns start at local midnights */
    overview_init(&ov, B + 3600, B + 400 * DAY, "Europe/Paris");
    ck_assert_int_eq(ov.days_per_col, 7); /* 400 local days */
    char day[32];
    for (size_t d = 1; d < ov.ndays; d++) {
        zone_format("Europe/Paris", ov.day[d], "%H:%M", day, sizeof day);
        ck_assert_str_eq(day, "00:00");
        ck_assert_int_eq(zone_day_number("Europe/Paris", ov.day[d]) -
                             zone_day_number("Europe/Paris", ov.day[d - 1]),
                         7);
    }
    overview_free(&ov);
}
END_TEST

static Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("html");
    log_init("test_html", LOG_ERROR);
    tcase_add_test(tc, escape_turns_markup_into_entities_and_keeps_utf8);
    tcase_add_test(tc, escape_replaces_controls_and_bytes_that_are_not_utf8);
    tcase_add_test(tc, escape_shows_bidirectional_controls);
    tcase_add_test(tc, window_before_the_history_is_not_observed_not_zero);
    tcase_add_test(tc, duration_axis_has_at_most_five_nice_steps_above_the_longest);
    tcase_add_test(tc, trend_draws_one_point_per_known_duration_and_ticks_unknown_failures);
    tcase_add_test(tc, trend_over_many_runs_draws_slices_not_points);
    tcase_add_test(tc, spread_stacks_failed_runs_and_says_when_nothing_is_known);
    tcase_add_test(tc, pool_keeps_exactly_the_best_of_each_list_however_many_come);
    tcase_add_test(tc, summary_page_has_headline_heat_map_and_charts_in_the_display_zone);
    tcase_add_test(tc, other_reports_are_one_table_streamed_row_by_row);
    tcase_add_test(tc, heat_map_over_eight_thousand_years_has_62_columns_of_whole_days);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(html_suite)
