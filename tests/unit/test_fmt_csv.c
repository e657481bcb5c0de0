/* report/writers/fmt_csv.c: CSV as spreadsheets need it, parsed back with libcsv. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(csv_neutralises_formulas_but_not_numbers)
{
    struct table t;
    csv_fixture();
    csv_of("runs", B, B + DAY, &t);
    ck_assert_uint_eq(t.rows, 5);
    ck_field(&t, 1, "etl_name", "'=HYPERLINK(\"x\")");
    ck_field(&t, 1, "task_id", "-5");
    ck_field(&t, 1, "exit_code", "'+1");
    ck_field(&t, 1, "end_utc", "");
    ck_field(&t, 1, "duration_s", "");
    ck_field(&t, 1, "start_utc", "2026-11-18T12:00:10");
    ck_field(&t, 2, "etl_name", "'@cmd");
    ck_field(&t, 3, "etl_name", "comma, \"quote\"\nand newline");
    ck_field(&t, 4, "etl_name", "'-5");
    ck_field(&t, 4, "duration_s", "3.5");
    ck_field(&t, 4, "duration_lo_s", "3");
    ck_field(&t, 4, "duration_hi_s", "4");
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(csv_has_crlf_header_delimiter_and_bom_options)
{
    csv_fixture();
    char *text = write_report("runs", "csv", B, B + DAY, NULL);
    const char *header = "instance,etl_id,etl_name,task_id,start_utc,end_utc,outcome,"
                         "exit_code,duration_s,duration_lo_s,duration_hi_s,"
                         "expected_start_utc,delay_s,overdue,late,manual\r\n";
    ck_assert(strncmp(text, header, strlen(header)) == 0);
    int bare_lf = 0;
    for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
        bare_lf += p[-1] != '\r';
    ck_assert_int_eq(bare_lf, 1); /* the one inside the quoted name */
    free(text);
    struct fmt_opts semi = {.delimiter = ';', .bom = 1};
    text = write_report("runs", "csv", B, B + DAY, &semi);
    const char *start = "\xEF\xBB\xBF"
                        "prod;1;\"'=HYPERLINK(\"\"x\"\")\";-5;";
    ck_assert(strncmp(text, start, strlen(start)) == 0);
    struct table t;
    parse_csv(text + 3, ';', &t);
    ck_assert_uint_eq(t.rows, 4); /* no header */
    ck_assert_str_eq(t.f[2][2], "comma, \"quote\"\nand newline");
    table_free(&t);
    free(text);
    fixture_free();
}
END_TEST

/* A spreadsheet displays what CSV holds: no control reorders a cell. */
START_TEST(csv_shows_bidirectional_controls_in_names)
{
    struct table t;
    bidi_fixture();
    char *text = write_report("summary", "csv", B, B + DAY, NULL);
    ck_no_bidi(text);
    free(text);
    csv_of("summary", B, B + DAY, &t);
    ck_field(&t, 1, "etl_name", BIDI_SHOWN);
    table_free(&t);
    fixture_free();
}
END_TEST

static Suite *fmt_csv_suite(void)
{
    Suite *s = suite_create("fmt_csv");
    TCase *tc = tcase_create("fmt_csv");
    log_init("test_fmt_csv", LOG_ERROR);
    tcase_add_test(tc, csv_neutralises_formulas_but_not_numbers);
    tcase_add_test(tc, csv_has_crlf_header_delimiter_and_bom_options);
    tcase_add_test(tc, csv_shows_bidirectional_controls_in_names);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(fmt_csv_suite)
