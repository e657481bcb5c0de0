/* The status parser against the seed's examples and every defect a server can send. */
#include "api.h"
#include "check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *body, struct observation *o)
{
    memset(o, 0, sizeof *o);
    return api_parse_status(body, strlen(body), o);
}

START_TEST(seed_example_1_parses)
{
    struct observation o;
    ck_assert_int_eq(parse("{\n \"status\": \"ENDED\",\n \"task_id\": 467,\n \"exit_code\": "
                           "\"ERROR\",\n \"last_exec_ts\": \"2022-09-06T12:07:34Z\"\n}",
                           &o),
                     0);
    ck_assert_str_eq(o.status, "ENDED");
    ck_assert_str_eq(o.exit_code, "ERROR");
    ck_assert_int_eq(o.task_id, 467);
    ck_assert_int_eq(o.last_exec_ts, 1662466054);
    ck_assert_str_eq(o.error, "");
}
END_TEST

START_TEST(seed_example_2_parses)
{
    struct observation o;
    ck_assert_int_eq(parse("{\"status\":\"ENDED\",\"task_id\":321,\"exit_code\":\"OK\","
                           "\"last_exec_ts\":\"2022-09-08T14:56:28Z\"}",
                           &o),
                     0);
    ck_assert_str_eq(o.exit_code, "OK");
    ck_assert_int_eq(o.last_exec_ts, 1662648988);
}
END_TEST

START_TEST(status_null_missing_and_empty_mean_none)
{
    const char *bodies[] = {"{}", "{\"status\":null}", "{\"status\":\"\"}"};
    for (size_t i = 0; i < 3; i++) {
        struct observation o;
        ck_assert_int_eq(parse(bodies[i], &o), 0);
        ck_assert_str_eq(o.status, "NONE");
        ck_assert_int_eq(o.last_exec_ts, 0);
        ck_assert_int_eq(o.task_id, -1);
    }
}
END_TEST

START_TEST(unknown_strings_are_kept_verbatim)
{
    struct observation o;
    ck_assert_int_eq(parse("{\"status\":\"PAUSED_BY_ADMIN\",\"exit_code\":\"FAILED\"}", &o), 0);
    ck_assert_str_eq(o.status, "PAUSED_BY_ADMIN");
    ck_assert_str_eq(o.exit_code, "FAILED");
}
END_TEST

START_TEST(service_etl_has_no_exit_code)
{
    struct observation o;
    ck_assert_int_eq(parse("{\"status\":\"SERVICE_ON\",\"task_id\":9,"
                           "\"last_exec_ts\":\"2026-11-01T00:00:00Z\"}",
                           &o),
                     0);
    ck_assert_str_eq(o.status, "SERVICE_ON");
    ck_assert_str_eq(o.exit_code, "");
}
END_TEST

static void assert_error(const char *body, const char *needle)
{
    struct observation o;
    ck_assert_int_eq(parse(body, &o), -1);
    ck_assert_msg(strstr(o.error, needle), "error \"%s\" lacks \"%s\"", o.error, needle);
    ck_assert_str_eq(o.status, "");
}

START_TEST(defects_become_errors)
{
    assert_error("{\"status\": \"ENDED\", \"task_id\": 4", "truncated");
    assert_error("{", "truncated JSON (1 byte)");
    assert_error("{ ", "truncated JSON (2 bytes)");
    assert_error("{\"status\": ENDED}", "malformed");
    assert_error("", "empty body");
    assert_error("[1,2]", "not an object");
    assert_error("{\"status\":42}", "status is a JSON int");
    assert_error("{\"status\":\"OK\",\"task_id\":\"x\"}", "task_id");
    assert_error("{\"status\":\"OK\",\"exit_code\":[]}", "exit_code");
    assert_error("{\"status\":\"OK\"} trailing", "malformed");
    assert_error("{\"status\":\"\xff\xfe\"}", "malformed");
}
END_TEST

START_TEST(unreadable_last_exec_ts_keeps_the_status)
{
    const char *bodies[] = {"{\"status\":\"WAITING\",\"exit_code\":\"OK\",\"task_id\":3,"
                            "\"last_exec_ts\":\"2022-09-06 12:07:34\"}",
                            "{\"status\":\"WAITING\",\"exit_code\":\"OK\",\"task_id\":3,"
                            "\"last_exec_ts\":\"yesterday\"}",
                            "{\"status\":\"WAITING\",\"exit_code\":\"OK\",\"task_id\":3,"
                            "\"last_exec_ts\":true}"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct observation o;
        ck_assert_int_eq(parse(bodies[i], &o), 0);
        ck_assert_str_eq(o.status, "WAITING");
        ck_assert_str_eq(o.exit_code, "OK");
        ck_assert_int_eq(o.task_id, 3);
        ck_assert_int_eq(o.last_exec_ts, 0);
        ck_assert_int_eq(o.last_exec_ts_unread, 1);
    }
}
END_TEST

START_TEST(last_exec_ts_with_an_offset_is_converted_to_utc)
{
    struct observation o;
    ck_assert_int_eq(
        parse("{\"status\":\"ENDED\",\"last_exec_ts\":\"2022-09-06T14:07:34.250+02:00\"}", &o), 0);
    ck_assert_int_eq(o.last_exec_ts, 1662466054);
    ck_assert_int_eq(o.last_exec_ts_unread, 0);
}
END_TEST

START_TEST(known_words_in_any_case_are_stored_upper_case)
{
    struct observation o;
    ck_assert_int_eq(parse("{\"status\":\"aborted\",\"exit_code\":\"error\"}", &o), 0);
    ck_assert_str_eq(o.status, "ABORTED");
    ck_assert_str_eq(o.exit_code, "ERROR");
    ck_assert_int_eq(parse("{\"status\":\"Waiting\",\"exit_code\":\"Ok\"}", &o), 0);
    ck_assert_str_eq(o.status, "WAITING");
    ck_assert_str_eq(o.exit_code, "OK");
    ck_assert_int_eq(parse("{\"status\":\"paused\",\"exit_code\":\"meh\"}", &o), 0);
    ck_assert_str_eq(o.status, "paused");
    ck_assert_str_eq(o.exit_code, "meh");
}
END_TEST

START_TEST(a_leading_byte_order_mark_is_ignored)
{
    struct observation o;
    ck_assert_int_eq(parse("\xEF\xBB\xBF{\"status\":\"RUNNING\"}", &o), 0);
    ck_assert_str_eq(o.status, "RUNNING");
    const char *list_body = "\xEF\xBB\xBF[{\"etl_id\":5}]";
    struct etl_info *list;
    size_t n, skipped;
    char err[100];
    ck_assert_int_eq(
        api_parse_list(list_body, strlen(list_body), &list, &n, &skipped, err, sizeof err), 0);
    ck_assert_uint_eq(n, 1);
    free(list);
}
END_TEST

START_TEST(list_entries_without_a_positive_integer_id_are_skipped)
{
    const char *body = "[{\"etl_id\":\"abc\",\"name\":\"bad\"},{\"etl_id\":1,\"name\":\"One\"},"
                       "{\"etl_id\":0},{\"etl_id\":-4},{\"etl_id\":2.5},{\"name\":\"x\"},\"x\","
                       "{\"etl_id\":2},null,7,[1]]";
    struct etl_info *list;
    size_t n, skipped;
    char err[100];
    ck_assert_int_eq(api_parse_list(body, strlen(body), &list, &n, &skipped, err, sizeof err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(skipped, 9);
    ck_assert_int_eq(list[0].etl_id, 1);
    ck_assert_str_eq(list[0].name, "One");
    ck_assert_int_eq(list[1].etl_id, 2);
    free(list);
}
END_TEST

START_TEST(a_403_not_in_json_is_not_blamed_on_co)
{
    struct observation o = {0};
    const char *co = "{\"message\":\"Error\"}";
    api_set_forbidden(&o, co, strlen(co));
    ck_assert_msg(strstr(o.error, "capacity_optimization.admin.etls_read"), "%s", o.error);
    memset(&o, 0, sizeof o);
    const char *proxy = "<html><head><title>403 Forbidden</title></head></html>";
    api_set_forbidden(&o, proxy, strlen(proxy));
    ck_assert_str_eq(o.error,
                     "HTTP 403 (not from CO: body \"<html><head><title>403 Forbidden</title>\")");
    memset(&o, 0, sizeof o);
    api_set_forbidden(&o, "", 0);
    ck_assert_str_eq(o.error, "HTTP 403 (not from CO: no body)");
}
END_TEST

START_TEST(deep_nesting_is_refused_not_crashed)
{
    static char body[40001];
    memset(body, '[', 20000);
    memset(body + 20000, ']', 20000);
    assert_error(body, "malformed");
}
END_TEST

START_TEST(long_status_is_an_error)
{
    char body[400];
    char big[200];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(body, sizeof body, "{\"status\":\"%s\"}", big);
    assert_error(body, "not a short text");
}
END_TEST

START_TEST(list_parses_ids_and_names)
{
    const char *body = "[{\"name\":\"VMware - vCenter Extractor Service\",\"etl_id\":53,"
                       "\"run_configurations\":[]},{\"etl_id\":7}]";
    struct etl_info *list;
    size_t n, skipped;
    char err[100];
    ck_assert_int_eq(api_parse_list(body, strlen(body), &list, &n, &skipped, err, sizeof err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(list[0].etl_id, 53);
    ck_assert_str_eq(list[0].name, "VMware - vCenter Extractor Service");
    ck_assert_str_eq(list[1].name, "");
    free(list);
    ck_assert_int_eq(api_parse_list("{}", 2, &list, &n, &skipped, err, sizeof err), -1);
}
END_TEST

START_TEST(list_is_parsed_entry_by_entry_whatever_the_strings_hold)
{
    const char *body = " [ {\"name\":\"a ] \\\" [ {\",\"etl_id\":1,\"run_configurations\":"
                       "[{\"x\":[1,{\"y\":\"}\"}]}]} ,\n{\"etl_id\":2} ] \n";
    struct etl_info *list;
    size_t n, skipped;
    char err[100];
    ck_assert_int_eq(api_parse_list(body, strlen(body), &list, &n, &skipped, err, sizeof err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(list[0].name, "a ] \" [ {");
    ck_assert_int_eq(list[1].etl_id, 2);
    free(list);
    ck_assert_int_eq(api_parse_list("[]", 2, &list, &n, &skipped, err, sizeof err), 0);
    ck_assert_uint_eq(n, 0);
    free(list);
    const char *bad[] = {"[{\"etl_id\":1}",    "[{\"etl_id\":1},",
                         "[{\"etl_id\":1}] x", "[{\"etl_id\":1} {\"etl_id\":2}]",
                         "[{\"etl_id\":1},]",  "["};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(
            api_parse_list(bad[i], strlen(bad[i]), &list, &n, &skipped, err, sizeof err) == -1,
            "accepted %s", bad[i]);
    api_parse_list(bad[0], strlen(bad[0]), &list, &n, &skipped, err, sizeof err);
    ck_assert_msg(strstr(err, "truncated"), "%s", err);
}
END_TEST

/* The body as it arrives over HTTP: cut anywhere, even inside a byte order mark, a string,
 * an escape or a number, the pieces give what the whole body gives. */
START_TEST(a_list_fed_in_pieces_parses_as_the_whole_body)
{
    const char *bodies[] = {
        "\xEF\xBB\xBF [ {\"name\":\"a ] \\\" [\",\"etl_id\":12345,\"run_configurations\":[{}]},"
        " 7, {\"etl_id\":2,\"name\":\"\\u00e9t\u00e9\"} ]\n",
        "[{\"etl_id\":1},{\"etl_id\":2} {\"etl_id\":3}]", "[{\"etl_id\":1},", "\xEF\xBB{}", "{}",
        "[1,]",
        /* json-c resumes a number cut between two calls wrongly: "8" then "-" reads as 8 */
        "[8-,0]",
        /* lone surrogates, each escaped, between multi-byte characters */
        "[{\"name\":\"a\xC3\xA9\xC3\xA9\\ud800\xC3\xA9\xC3\xA9\xC3\xA1\\udc00  "
        "\xC3\x89\",\"etl_id\":7}]",
        "[{\"etl_id\":12-3},{\"etl_id\":4,\"name\":\"n-1e5-\"}, 1e5-2]", "[] x", "  "};
    for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
        const char *body = bodies[b];
        size_t len = strlen(body), n, skipped;
        struct etl_info *whole;
        char err[API_ERR_MAX];
        int rc = api_parse_list(body, len, &whole, &n, &skipped, err, sizeof err);
        for (size_t cut = 0; cut <= len; cut++) {
            struct api_list *l = api_list_new();
            struct etl_info *pieces;
            size_t n2, skipped2;
            char err2[API_ERR_MAX];
            api_list_feed(l, body, cut);
            api_list_feed(l, body + cut, len - cut);
            ck_assert_int_eq(api_list_end(l, &pieces, &n2, &skipped2, err2, sizeof err2), rc);
            ck_assert_uint_eq(n2, n);
            ck_assert_uint_eq(skipped2, skipped);
            if (rc)
                ck_assert_str_eq(err2, err);
            for (size_t i = 0; !rc && i < n; i++) {
                ck_assert_int_eq(pieces[i].etl_id, whole[i].etl_id);
                ck_assert_str_eq(pieces[i].name, whole[i].name);
            }
            free(pieces);
        }
        free(whole);
    }
}
END_TEST

/* Errors say what is wrong and where (bytes counted from 0, after a byte order mark). */
START_TEST(list_errors_name_the_defect_and_the_byte)
{
    struct {
        const char *body, *err;
    } cases[] = {
        {"", "empty body"},
        {"\xEF\xBB\xBF", "empty body"},
        {"[{\"etl_id\":1}", "truncated JSON (13 bytes)"},
        {"[", "truncated JSON (1 byte)"},
        {"[{", "truncated JSON (2 bytes)"},
        {"{\"etl_id\":1}", "ETL list is a JSON object, not an array"},
        {"[{\"etl_id\":1} {\"etl_id\":2}]", "malformed JSON in the ETL list at byte 14"},
        {"[{\"etl_id\":1},]", "malformed JSON in the ETL list at byte 14"},
        {"[{\"etl_id\":1}] x", "malformed JSON: trailing data after the ETL list (byte 15)"},
        {"[{\"etl_id\":1},{\"etl_id\":tru}]",
         "malformed JSON: boolean expected at byte 27 of the ETL list"},
        {"[{\"name\":\"\xC3\x28\"}]", "malformed JSON: invalid UTF-8 at byte 10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct etl_info *list;
        size_t n, skipped;
        char err[API_ERR_MAX];
        ck_assert_int_eq(api_parse_list(cases[i].body, strlen(cases[i].body), &list, &n, &skipped,
                                        err, sizeof err),
                         -1);
        ck_assert_str_eq(err, cases[i].err);
        ck_assert_ptr_null(list);
    }
}
END_TEST

START_TEST(token_answer_parses)
{
    const char *body = "{\"json_web_token\":\"abc\",\"token\":\"ref\"}";
    char *jwt, *refresh;
    ck_assert_int_eq(api_parse_token(body, strlen(body), &jwt, &refresh), 0);
    ck_assert_str_eq(jwt, "abc");
    ck_assert_str_eq(refresh, "ref");
    free(jwt);
    free(refresh);
    ck_assert_int_eq(api_parse_token("{}", 2, &jwt, &refresh), -1);
}
END_TEST

START_TEST(same_payload_and_same_error_compare_equal)
{
    struct observation a, b;
    parse("{\"status\":\"WAITING\",\"exit_code\":\"OK\"}", &a);
    parse("{\"status\":\"WAITING\",\"exit_code\":\"OK\"}", &b);
    a.http_code = 200;
    b.http_code = 204;
    ck_assert(observation_same(&a, &b));
    parse("{\"status\":\"WAITING\",\"exit_code\":\"ERROR\"}", &b);
    ck_assert(!observation_same(&a, &b));
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.http_code = b.http_code = 500;
    api_set_error(&a, "HTTP 500");
    api_set_error(&b, "HTTP 500");
    ck_assert(observation_same(&a, &b));
    b.http_code = 502;
    ck_assert(!observation_same(&a, &b));
}
END_TEST

static Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, seed_example_1_parses);
    tcase_add_test(tc, seed_example_2_parses);
    tcase_add_test(tc, status_null_missing_and_empty_mean_none);
    tcase_add_test(tc, unknown_strings_are_kept_verbatim);
    tcase_add_test(tc, service_etl_has_no_exit_code);
    tcase_add_test(tc, defects_become_errors);
    tcase_add_test(tc, unreadable_last_exec_ts_keeps_the_status);
    tcase_add_test(tc, last_exec_ts_with_an_offset_is_converted_to_utc);
    tcase_add_test(tc, known_words_in_any_case_are_stored_upper_case);
    tcase_add_test(tc, a_leading_byte_order_mark_is_ignored);
    tcase_add_test(tc, list_entries_without_a_positive_integer_id_are_skipped);
    tcase_add_test(tc, a_403_not_in_json_is_not_blamed_on_co);
    tcase_add_test(tc, deep_nesting_is_refused_not_crashed);
    tcase_add_test(tc, long_status_is_an_error);
    tcase_add_test(tc, list_parses_ids_and_names);
    tcase_add_test(tc, list_is_parsed_entry_by_entry_whatever_the_strings_hold);
    tcase_add_test(tc, a_list_fed_in_pieces_parses_as_the_whole_body);
    tcase_add_test(tc, list_errors_name_the_defect_and_the_byte);
    tcase_add_test(tc, token_answer_parses);
    tcase_add_test(tc, same_payload_and_same_error_compare_equal);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(api_suite)
