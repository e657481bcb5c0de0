/* report/run.c: several databases in one report. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(several_databases_merge_and_keep_same_named_instances_apart)
{
    char first[128];
    struct source src[2];
    struct etl_list list;
    fixture_create();
    add_instance(1, "prod", 300);
    add_instance(2, "test", 300);
    add_etl(1, 1, 500, "a");
    add_etl(2, 2, 1, "b");
    db_close(fx.db);
    snprintf(first, sizeof first, "%s", fx.path);
    fixture_create();
    add_instance(1, "prod", 300);
    add_instance(2, "dev", 300);
    add_etl(1, 1, 400, "c");
    add_etl(2, 2, 2, "d");
    db_close(fx.db);
    fx.db = NULL;
    ck_assert_int_eq(query_open(&src[0], first), 0);
    ck_assert_int_eq(query_open(&src[1], fx.path), 0);
    struct report_filter all = {0};
    ck_assert_int_eq(report_list(src, 2, &all, &list), 0);
    ck_assert_uint_eq(list.n, 4);
    const char *base = strrchr(fx.path, '/') + 1;
    char suffixed[160];
    snprintf(suffixed, sizeof suffixed, "prod@%s", base);
    ck_assert_str_eq(list.v[0].instance, "dev");
    ck_assert_str_eq(list.v[1].instance, "prod");
    ck_assert_int_eq(list.v[1].etl_id, 500);
    ck_assert_str_eq(list.v[2].instance, suffixed);
    ck_assert_int_eq(list.v[2].etl_id, 400);
    ck_assert_str_eq(list.v[3].instance, "test");
    etl_list_free(&list);

    const char *only[] = {suffixed};
    struct report_filter by_instance = {only, 1, NULL, NULL};
    ck_assert_int_eq(report_list(src, 2, &by_instance, &list), 0);
    ck_assert_uint_eq(list.n, 1);
    ck_assert_str_eq(list.v[0].name, "c");
    etl_list_free(&list);

    struct etlset ids;
    char err[100];
    ck_assert_int_eq(etlset_parse("1-2, 400", &ids, err, sizeof err), 0);
    struct report_filter by_id_and_name = {NULL, 0, &ids, "[bc]"};
    ck_assert_int_eq(report_list(src, 2, &by_id_and_name, &list), 0);
    ck_assert_uint_eq(list.n, 2);
    ck_assert_str_eq(list.v[0].name, "c");
    ck_assert_str_eq(list.v[1].name, "b");
    etl_list_free(&list);
    etlset_free(&ids);
    query_close(&src[0]);
    query_close(&src[1]);
    unlink(first);
    unlink(fx.path);
}
END_TEST

static Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("engine");
    log_init("test_run", LOG_ERROR);
    tcase_add_test(tc, several_databases_merge_and_keep_same_named_instances_apart);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(engine_suite)
