/* report/writers/fmt_text.c: the text report within its width, whole names last, a legend. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LONG_A "VMware - vCenter Extractor for the production cluster in Frankfurt"
#define LONG_B "VMware - vCenter Extractor for the production cluster in Amsterdam"

START_TEST(text_keeps_whole_names_last_and_fits_the_width_otherwise)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, LONG_A);
    add_etl(2, 1, 2, LONG_B);
    add_run(1, B + 10, "ERROR", 10, 12);
    add_run(1, B + 20, "OK", 10, 12);
    fixture_open();
    char *text = write_report("summary", "text", B, B + DAY, NULL);
    const char *title = "etlhist summary, 2026-11-18 12:00 UTC to 2026-11-19 12:00 UTC\n";
    ck_assert(strncmp(text, title, strlen(title)) == 0);
    /* names that share a long prefix stay apart: each is whole, at the end of its row */
    ck_assert_ptr_nonnull(strstr(text, " " LONG_A "\n"));
    ck_assert_ptr_nonnull(strstr(text, " " LONG_B "\n"));
    ck_assert_ptr_null(strstr(text, "~"));
    ck_assert_ptr_nonnull(strstr(text, "\ntotal: runs 2, failed 1, aborted 0, failure rate "
                                       "50.0%, abort rate 0.0%\n"));
    /* every line fits, but for a long name past the first 8 characters (TEXT_MIN_FLEX) */
    for (char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        long len = nl - line;
        const char *names[] = {LONG_A, LONG_B};
        for (int i = 0; i < 2; i++) {
            size_t n = strlen(names[i]);
            if (len >= (long)n && strncmp(nl - n, names[i], n) == 0)
                len -= (long)n - 8;
        }
        ck_assert_msg(len <= FMT_TEXT_WIDTH, "line too wide: %.*s", (int)(nl - line), line);
    }
    free(text);
    text = write_report("summary", "text", B + 2 * DAY, B + 3 * DAY, NULL);
    ck_assert_ptr_nonnull(strstr(text, "\ntotal: runs 0, failed 0, aborted 0, failure rate -, "
                                       "abort rate -\n"));
    free(text);
    fixture_free();
}
END_TEST

/* The legend explains every abbreviated heading the table shows, and no other. */
START_TEST(text_legend_explains_each_abbreviated_heading)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "A");
    add_run(1, B + 10, "OK", 10, 12);
    fixture_open();
    char *text = write_report("summary", "text", B, B + DAY, NULL);
    const char *shown[] = {"fail", "abrt", "unkn", "fail%", "abrt%", "p50",
                           "p95",  "strk", "cov%", "miss",  "ovrd"};
    char *legend = strstr(text, "\nlegend:");
    ck_assert_ptr_nonnull(legend);
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, " %s = ", shown[i]);
        ck_assert_msg(strstr(legend, want), "legend lacks %s", shown[i]);
    }
    ck_assert_ptr_null(strstr(legend, " delay = ")); /* not a summary heading */
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
    tcase_add_test(tc, text_keeps_whole_names_last_and_fits_the_width_otherwise);
    tcase_add_test(tc, text_legend_explains_each_abbreviated_heading);
    tcase_add_test(tc, text_shows_bidirectional_controls_in_names);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(fmt_text_suite)
