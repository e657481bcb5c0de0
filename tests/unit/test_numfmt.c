/* report/engine/numfmt.c: numbers as every format prints them. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(numbers_never_use_the_locale_and_round_half_up)
{
    char buf[NUM_BUF];
    numfmt_int(-5, buf);
    ck_assert_str_eq(buf, "-5");
    numfmt_fixed(-5, 1, buf);
    ck_assert_str_eq(buf, "-0.5");
    numfmt_fixed(1234567, 1, buf);
    ck_assert_str_eq(buf, "123456.7");
    numfmt_fixed(0, 1, buf);
    ck_assert_str_eq(buf, "0.0");
    ck_assert_int_eq(numfmt_pct_tenths(1, 8), 125);  /* 12.5 exactly */
    ck_assert_int_eq(numfmt_pct_tenths(1, 3), 333);  /* 33.33 */
    ck_assert_int_eq(numfmt_pct_tenths(2, 3), 667);  /* 66.67 */
    ck_assert_int_eq(numfmt_pct_tenths(1, 2000), 1); /* 0.05 rounds up */
    numfmt_duration(3005, buf);
    ck_assert_str_eq(buf, "5m01s");
    numfmt_duration(450, buf);
    ck_assert_str_eq(buf, "45s");
    numfmt_duration(10 * (2 * 3600 + 7 * 60), buf);
    ck_assert_str_eq(buf, "2h07m");
}
END_TEST

static Suite *numfmt_suite(void)
{
    Suite *s = suite_create("numfmt");
    TCase *tc = tcase_create("numfmt");
    log_init("test_numfmt", LOG_ERROR);
    tcase_add_test(tc, numbers_never_use_the_locale_and_round_half_up);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(numfmt_suite)
