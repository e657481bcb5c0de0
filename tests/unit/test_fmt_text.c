/* report/fmt_text.c: the text report within 100 columns. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(text_fits_100_columns_and_has_title_and_totals)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "A very long ETL name that goes on and on well past any reasonable width");
    add_run(1, B + 10, "ERROR", 10, 12);
    add_run(1, B + 20, "OK", 10, 12);
    fixture_open();
    char *text = write_report("summary", "text", B, B + DAY, NULL);
    const char *title = "etlhist summary, 2026-11-18 12:00 UTC to 2026-11-19 12:00 UTC\n";
    ck_assert(strncmp(text, title, strlen(title)) == 0);
    ck_assert_ptr_nonnull(strstr(text, "A very long"));
    ck_assert_ptr_nonnull(strstr(text, "~ "));
    ck_assert_ptr_nonnull(strstr(text, "\ntotal: runs 2, failed 1, aborted 0, failure rate "
                                       "50.0%, abort rate 0.0%\n"));
    for (char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1)
        ck_assert_int_le(nl - line, FMT_TEXT_WIDTH);
    free(text);
    text = write_report("summary", "text", B + 2 * DAY, B + 3 * DAY, NULL);
    ck_assert_ptr_nonnull(strstr(text, "\ntotal: runs 0, failed 0, aborted 0, failure rate -, "
                                       "abort rate -\n"));
    free(text);
    fixture_free();
}
END_TEST

START_TEST(text_shows_bidirectional_controls_in_names)
{
    bidi_fixture();
    char *text = write_report("summary", "text", B, B + DAY, NULL);
    ck_assert_ptr_nonnull(strstr(text, BIDI_SHOWN));
    ck_no_bidi(text);
    free(text);
    fixture_free();
}
END_TEST

static Suite *fmt_text_suite(void)
{
    Suite *s = suite_create("fmt_text");
    TCase *tc = tcase_create("fmt_text");
    log_init("test_fmt_text", LOG_ERROR);
    tcase_add_test(tc, text_fits_100_columns_and_has_title_and_totals);
    tcase_add_test(tc, text_shows_bidirectional_controls_in_names);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(fmt_text_suite)
