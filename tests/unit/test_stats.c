/* report/engine/stats.c: percentiles and coverage from plain arrays. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(percentiles_are_nearest_rank)
{
    struct runstats rs;
    int64_t d;
    runstats_init(&rs);
    ck_assert_int_eq(runstats_percentile2(&rs, 50, &d), -1);
    for (int64_t v = 1; v <= 20; v++) /* durations 1..20 s, added out of order */
        runstats_add(&rs, OUT_OK, 1, 21 - v, 21 - v);
    ck_assert_int_eq(runstats_percentile2(&rs, 50, &d), 0);
    ck_assert_int_eq(d, 2 * 10); /* rank ceil(0.5 * 20) = 10 */
    ck_assert_int_eq(runstats_percentile2(&rs, 95, &d), 0);
    ck_assert_int_eq(d, 2 * 19); /* rank ceil(0.95 * 20) = 19 */
    runstats_add(&rs, OUT_OK, 1, 21, 21);
    ck_assert_int_eq(runstats_percentile2(&rs, 50, &d), 0);
    ck_assert_int_eq(d, 2 * 11); /* rank ceil(10.5) = 11 */
    runstats_free(&rs);
}
END_TEST

/* Published 95 % Wilson intervals (z = 1.96), to 4 decimals. */
START_TEST(wilson_intervals_match_known_values)
{
    static const struct {
        int64_t k, n;
        double lo, hi;
    } known[] = {
        {0, 10, 0.0, 0.2775},    {5, 10, 0.2366, 0.7634}, {10, 10, 0.7225, 1.0},
        {1, 10, 0.0179, 0.4042}, {8, 10, 0.4902, 0.9433}, {0, 5, 0.0, 0.4345},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        double lo = -1, hi = -1;
        ck_assert_int_eq(wilson_interval(known[i].k, known[i].n, 1.96, &lo, &hi), 0);
        ck_assert_msg(fabs(lo - known[i].lo) < 5e-5 && fabs(hi - known[i].hi) < 5e-5,
                      "%lld of %lld: [%.5f, %.5f]", (long long)known[i].k, (long long)known[i].n,
                      lo, hi);
    }
    double lo, hi;
    ck_assert_int_eq(wilson_interval(0, 0, 1.96, &lo, &hi), -1);
    ck_assert_int_eq(wilson_interval(11, 10, 1.96, &lo, &hi), -1);
}
END_TEST

/* n runs of duration dur s, the first failed of them ERROR. */
static void add_runs(struct runstats *rs, int n, int failed, int64_t dur)
{
    for (int i = 0; i < n; i++)
        runstats_add(rs, i < failed ? OUT_ERROR : OUT_OK, 1, dur, dur);
}

static enum trend_verdict verdict(int n0, int f0, int64_t d0, int n1, int f1, int64_t d1,
                                  int64_t min_runs)
{
    struct runstats prev, cur;
    runstats_init(&prev);
    runstats_init(&cur);
    add_runs(&prev, n0, f0, d0);
    add_runs(&cur, n1, f1, d1);
    enum trend_verdict v = runstats_trend(&cur, &prev, min_runs);
    runstats_free(&prev);
    runstats_free(&cur);
    return v;
}

START_TEST(trend_needs_runs_in_both_windows_and_intervals_apart)
{
    /* one previous run, failed now and not then: too few to judge */
    ck_assert_int_eq(verdict(1, 0, 100, 10, 10, 100, 5), TREND_UNJUDGED);
    ck_assert_int_eq(verdict(10, 0, 100, 4, 4, 100, 5), TREND_UNJUDGED);
    /* with the minimum lowered, the intervals still judge: 0 of 1 is [0, 0.7934], 0 of 3
     * is [0, 0.5615], and 10 of 10 is [0.7225, 1] */
    ck_assert_int_eq(verdict(1, 0, 100, 10, 10, 100, 1), TREND_STEADY);
    ck_assert_int_eq(verdict(3, 0, 100, 10, 10, 100, 1), TREND_REGRESSED);
    /* 0 of 10 then 8 of 10: [0, 0.2775] below [0.4902, 0.9433] */
    ck_assert_int_eq(verdict(10, 0, 100, 10, 8, 100, 5), TREND_REGRESSED);
    /* 1 of 10 then 5 of 10: [0.0179, 0.4042] overlaps [0.2366, 0.7634] */
    ck_assert_int_eq(verdict(10, 1, 100, 10, 5, 100, 5), TREND_STEADY);
    /* a lower rate is no regression, however far apart */
    ck_assert_int_eq(verdict(10, 10, 100, 10, 0, 100, 5), TREND_STEADY);
}
END_TEST

START_TEST(trend_medians_must_grow_by_a_fifth_and_a_minute)
{
    ck_assert_int_eq(verdict(10, 0, 300, 10, 0, 361, 5), TREND_REGRESSED); /* +20.3 %, +61 s */
    ck_assert_int_eq(verdict(10, 0, 300, 10, 0, 360, 5), TREND_STEADY);    /* +60 s only */
    ck_assert_int_eq(verdict(10, 0, 100, 10, 0, 150, 5), TREND_STEADY);    /* +50 %, +50 s */
    ck_assert_int_eq(verdict(10, 0, 1000, 10, 0, 1190, 5), TREND_STEADY);  /* +19 % */
    ck_assert_int_eq(verdict(10, 0, 1000, 10, 0, 1200, 5), TREND_REGRESSED);
    /* known durations count, not runs: runs without one do not make up the minimum */
    struct runstats prev, cur;
    runstats_init(&prev);
    runstats_init(&cur);
    add_runs(&prev, 5, 0, 100);
    add_runs(&cur, 4, 0, 1000);
    runstats_add(&cur, OUT_OK, 0, 0, 0);
    ck_assert_int_eq(runstats_trend(&cur, &prev, 5), TREND_STEADY); /* the rate is judged */
    ck_assert_int_eq(runstats_trend(&cur, &prev, 6), TREND_UNJUDGED);
    runstats_add(&cur, OUT_OK, 1, 1000, 1000);
    ck_assert_int_eq(runstats_trend(&cur, &prev, 5), TREND_REGRESSED);
    runstats_free(&prev);
    runstats_free(&cur);
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    log_init("test_stats", LOG_ERROR);
    tcase_add_test(tc, percentiles_are_nearest_rank);
    tcase_add_test(tc, wilson_intervals_match_known_values);
    tcase_add_test(tc, trend_needs_runs_in_both_windows_and_intervals_apart);
    tcase_add_test(tc, trend_medians_must_grow_by_a_fifth_and_a_minute);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(stats_suite)
