/* report/stats.c: percentiles and coverage from plain arrays. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
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

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    log_init("test_stats", LOG_ERROR);
    tcase_add_test(tc, percentiles_are_nearest_rank);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(stats_suite)
