/* report/reports/registry.c and every report's column table: each table is indexed by its
 * report's column enum, so a column the enum names but the table lacks shows as an entry
 * without a name, and one put at another column's index as a repeated name. */
#include "check_main.h"
#include "log.h"
#include "shared.h"

#include <string.h>

/* Every entry of cols[0..n) is a named column of a known kind, and no name comes twice. */
static void ck_table(const char *report, const struct column *cols, size_t n)
{
    ck_assert_msg(n > 0, "%s: no columns", report);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(cols[i].name != NULL, "%s: column %zu has no entry in the table", report, i);
        ck_assert_msg(cols[i].kind >= COL_TEXT && cols[i].kind <= COL_TIME, "%s: %s: kind %d",
                      report, cols[i].name, (int)cols[i].kind);
        ck_assert_msg(column_index(cols, n, cols[i].name) == (int)i, "%s: %s comes twice", report,
                      cols[i].name);
    }
}

START_TEST(every_column_of_every_report_has_its_entry)
{
    size_t n = 0;
    for (const struct report_def *def; (def = report_at(n)) != NULL; n++) {
        ck_table(def->name, def->cols, def->ncols);
        if (def->total_cols)
            ck_table(def->name, def->total_cols, def->n_total);
        ck_assert_msg(!def->total_cols == !def->totals, "%s: totals columns without a totals row",
                      def->name);
    }
    ck_assert_uint_eq(n, 9);
}
END_TEST

START_TEST(every_report_starts_with_the_etl_columns)
{
    for (size_t i = 0; report_at(i); i++) {
        const struct report_def *def = report_at(i);
        ck_assert_uint_ge(def->ncols, ETL_NCOLS);
        ck_assert_str_eq(def->cols[ETL_COL_INSTANCE].name, "instance");
        ck_assert_str_eq(def->cols[ETL_COL_ID].name, "etl_id");
        ck_assert_str_eq(def->cols[ETL_COL_NAME].name, "etl_name");
    }
}
END_TEST

/* report_names() (--help, messages) and the registry list the same reports in one order. */
/* Every writer shows a duration the same way, whole seconds or fixed-point, early or not. */
START_TEST(durations_read_alike_whatever_the_cell)
{
    char buf[32];
    cell_duration(&(struct cell){.type = CELL_INT, .num = 330}, buf);
    ck_assert_str_eq(buf, "5m30s");
    cell_duration(&(struct cell){.type = CELL_INT, .num = -30}, buf);
    ck_assert_str_eq(buf, "-30s");
    cell_duration(&(struct cell){.type = CELL_INT, .num = 0}, buf);
    ck_assert_str_eq(buf, "0s");
    cell_duration(&(struct cell){.type = CELL_REAL, .scale = 1, .num = 3305}, buf);
    ck_assert_str_eq(buf, "5m31s"); /* 330.5 s, rounded */
    cell_duration(&(struct cell){.type = CELL_REAL, .scale = 0, .num = 7200}, buf);
    ck_assert_str_eq(buf, "2h00m");
    ck_assert_int_eq(cell_tenths(&(struct cell){.type = CELL_REAL, .scale = 2, .num = 12345}),
                     1234);
}
END_TEST

START_TEST(the_names_listed_are_the_reports_registered)
{
    char names[256] = "";
    for (size_t i = 0; report_at(i); i++) {
        const struct report_def *def = report_at(i);
        ck_assert_ptr_eq(report_find(def->name), def);
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                 def->name);
    }
    ck_assert_str_eq(report_names(), names);
    ck_assert_ptr_null(report_find("nosuch"));
    ck_assert_ptr_null(report_find(NULL));
}
END_TEST

static Suite *reports_suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("registry");
    log_init("test_reports", LOG_ERROR);
    tcase_add_test(tc, every_column_of_every_report_has_its_entry);
    tcase_add_test(tc, every_report_starts_with_the_etl_columns);
    tcase_add_test(tc, the_names_listed_are_the_reports_registered);
    tcase_add_test(tc, durations_read_alike_whatever_the_cell);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(reports_suite)
