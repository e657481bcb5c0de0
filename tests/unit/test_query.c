/* report/engine/query.c: every report query uses an index. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(no_report_query_scans_a_big_table)
{
    const char *queries[] = {sql_report_etls, sql_report_runs, sql_report_runs_before,
                             sql_report_samples, sql_report_latest_sample};
    fixture_create();
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        char sql[4096];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[q]);
        ck_assert_int_eq(sqlite3_prepare_v2(fx.db, sql, -1, &st, NULL), SQLITE_OK);
        int uses_index = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(st, 3);
            uses_index |= strstr(detail, "USING INDEX") != NULL ||
                          strstr(detail, "USING PRIMARY KEY") != NULL;
            if (strncmp(detail, "SCAN ", 5) != 0 || strncmp(detail, "SCAN (subquery", 14) == 0)
                continue;
            /* only the small etl and instance tables (aliases e and i) may be read whole */
            ck_assert_msg(strncmp(detail, "SCAN i ", 7) == 0 || strncmp(detail, "SCAN e ", 7) == 0,
                          "query %zu: %s", q, detail);
        }
        ck_assert_msg(uses_index, "query %zu uses no index", q);
        sqlite3_finalize(st);
    }
    fixture_free();
}
END_TEST

static Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("query");
    log_init("test_query", LOG_ERROR);
    tcase_add_test(tc, no_report_query_scans_a_big_table);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(query_suite)
