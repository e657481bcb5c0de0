/* report/writers/fmt_json.c: the JSON document, parsed back with json-c. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(json_has_report_window_rows_and_nulls)
{
    summary_fixture();
    char *text = write_report("summary", "json", B, B + 7 * DAY, NULL);
    json_object *root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    json_object *v, *rows, *row;
    ck_assert(json_object_object_get_ex(root, "report", &v));
    ck_assert_str_eq(json_object_get_string(v), "summary");
    ck_assert(json_object_object_get_ex(root, "window", &v));
    ck_assert_str_eq(json_object_get_string(json_object_object_get(v, "since")),
                     "2026-11-18T12:00:00Z");
    ck_assert(json_object_object_get_ex(root, "rows", &rows));
    ck_assert_uint_eq(json_object_array_length(rows), 1);
    row = json_object_array_get_idx(rows, 0);
    ck_assert(json_object_get_double(json_object_object_get(row, "failure_rate_pct")) == 20.0);
    ck_assert_int_eq(json_object_get_int(json_object_object_get(row, "runs")), 12);
    ck_assert(strstr(text, "\"duration_p50_s\": 40.0"));
    json_object_put(root);
    free(text);
    fixture_free();
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "idle");
    fixture_open();
    text = write_report("summary", "json", B, B + DAY, NULL);
    root = json_tokener_parse(text);
    json_object_object_get_ex(root, "totals", &v);
    ck_assert(json_object_is_type(json_object_object_get(v, "failure_rate_pct"), json_type_null));
    json_object_put(root);
    free(text);
    fixture_free();
}
END_TEST

/* JSON is data: a parser reads the exact name, while the file holds the controls only as
 * escapes, so printing it reorders nothing. */
START_TEST(json_escapes_bidirectional_and_c1_controls_and_keeps_the_name)
{
    bidi_fixture();
    char *text = write_report("summary", "json", B, B + DAY, NULL);
    ck_no_bidi(text);
    ck_assert_ptr_nonnull(strstr(text, "\"etl_name\": \"invoice\\u202egpj.exe\\u202c\""));
    ck_assert_ptr_null(strstr(text, "\xC2\x85"));
    ck_assert_ptr_nonnull(strstr(text, "\"etl_name\": \"next\\u0085line\""));
    json_object *root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    json_object *rows = json_object_object_get(root, "rows");
    ck_assert_uint_eq(json_object_array_length(rows), 2);
    json_object *name = json_object_object_get(json_object_array_get_idx(rows, 0), "etl_name");
    ck_assert_str_eq(json_object_get_string(name), BIDI_NAME);
    name = json_object_object_get(json_object_array_get_idx(rows, 1), "etl_name");
    ck_assert_str_eq(json_object_get_string(name), C1_NAME);
    json_object_put(root);
    free(text);
    fixture_free();
}
END_TEST

static Suite *fmt_json_suite(void)
{
    Suite *s = suite_create("fmt_json");
    TCase *tc = tcase_create("fmt_json");
    log_init("test_fmt_json", LOG_ERROR);
    tcase_add_test(tc, json_has_report_window_rows_and_nulls);
    tcase_add_test(tc, json_escapes_bidirectional_and_c1_controls_and_keeps_the_name);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(fmt_json_suite)
