/* --fail-on: expressions parsed against a report's columns, exact comparisons, and one line
 * per ETL whatever the number of its rows. */
#include "check_main.h"
#include "failon.h"
#include "log.h"
#include "defs.h"
#include "stderr_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct failon watch;

static void setup_report(const char *name)
{
    const struct report_def *def = report_find(name);
    ck_assert_ptr_nonnull(def);
    failon_init(&watch, def->name, def->cols, def->ncols);
}

static int parse(const char *expr, char *err, size_t size)
{
    err[0] = '\0';
    return failon_parse(&watch, expr, err, size);
}

START_TEST(conditions_parse_with_spaces_commas_and_every_operator)
{
    char err[640];
    setup_report("summary");
    ck_assert_int_eq(parse("failure_rate_pct>10", err, sizeof err), 0);
    ck_assert_int_eq(parse(" coverage_pct < 95.5 , runs>=1,failed<=0", err, sizeof err), 0);
    ck_assert_int_eq(parse("aborted==2,unknown!=-1.25", err, sizeof err), 0);
    ck_assert_uint_eq(watch.n, 6);
    ck_assert_int_eq(watch.conds[0].op, FAILON_GT);
    ck_assert_int_eq(watch.conds[0].millionths, 10000000);
    ck_assert_int_eq(watch.conds[1].op, FAILON_LT);
    ck_assert_int_eq(watch.conds[1].millionths, 95500000);
    ck_assert_str_eq(watch.conds[1].number, "95.5");
    ck_assert_int_eq(watch.conds[2].op, FAILON_GE);
    ck_assert_int_eq(watch.conds[3].op, FAILON_LE);
    ck_assert_int_eq(watch.conds[4].op, FAILON_EQ);
    ck_assert_int_eq(watch.conds[5].op, FAILON_NE);
    ck_assert_int_eq(watch.conds[5].millionths, -1250000);
    failon_free(&watch);
}
END_TEST

START_TEST(bad_conditions_are_refused_with_the_cause)
{
    static const struct {
        const char *expr, *cause;
    } cases[] = {
        {"nosuch>1", "the summary report has no column \"nosuch\" (numeric: etl_id, runs,"},
        {"last_outcome>1", "column last_outcome of the summary report is not numeric"},
        {"etl_name==1", "is not numeric"},
        {"runs=1", "expected COLUMN OP NUMBER"},
        {"runs", "expected COLUMN OP NUMBER"},
        {">1", "expected COLUMN OP NUMBER"},
        {"runs>", "bad number \"\""},
        {"runs>1e3", "bad number \"1e3\""},
        {"runs>1.1234567", "bad number"},
        {"runs>1234567890123", "bad number"},
        {"runs>.", "bad number"},
        {"runs>1,", "expected COLUMN OP NUMBER"},
        {"runs>1,5", "got \"5\""},
    };
    char err[640];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup_report("summary");
        ck_assert_int_eq(parse(cases[i].expr, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[i].cause), "%s: %s", cases[i].expr, err);
        failon_free(&watch);
    }
    setup_report("runs");
    ck_assert_int_eq(parse("coverage_pct<95", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "the runs report has no column"));
    failon_free(&watch);
    setup_report("summary");
    ck_assert_int_eq(parse("runs>1234567890123", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "at most 12 digits before the point and 6 after"));
    ck_assert_int_eq(parse("runs>123456789012.123456", err, sizeof err), 0);
    failon_free(&watch);
}
END_TEST

START_TEST(regressions_is_a_count_of_the_trend_report_only)
{
    char err[640];
    setup_report("trend");
    ck_assert_int_eq(parse("regressions>0", err, sizeof err), 0);
    ck_assert_ptr_nonnull(watch.conds[0].count);
    ck_assert_str_eq(watch.conds[0].count, "regressions");
    ck_assert_int_eq(parse("regression>0", err, sizeof err), -1); /* the column is text */
    ck_assert_ptr_nonnull(strstr(err, "numeric: etl_id, runs, runs_prev, failure_rate_pct, "
                                      "failure_rate_prev_pct, duration_p50_s, "
                                      "duration_p50_prev_s, regressions)"));
    failon_free(&watch);
    static const char *const others[] = {"summary", "runs", "failures", "services",
                                         "health",  "etls", "schedule", "missed"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        setup_report(others[i]);
        ck_assert_int_eq(parse("regressions>0", err, sizeof err), -1);
        ck_assert_msg(strstr(err, "regressions counts the rows whose regression column says "
                                  "yes: the ") &&
                          strstr(err, others[i]),
                      "%s: %s", others[i], err);
        failon_free(&watch);
    }
}
END_TEST

/* A trend row: regression yes, no or unknown (NULL), failure rate in tenths. */
static void trend_row(const char *inst, int64_t id, const char *name, const char *regression,
                      int64_t rate_tenths)
{
    struct cell c[10];
    for (size_t i = 0; i < 10; i++)
        c[i] = cell_null();
    c[0] = cell_text(inst);
    c[1] = cell_int(id);
    c[2] = cell_text(name);
    c[5] = cell_real(rate_tenths, 1);
    c[9] = cell_text(regression);
    ck_assert_int_eq(failon_row(&watch, c), 0);
}

/* failon_report's lines on stderr, into got. */
static size_t report_into(char *got, size_t size)
{
    fflush(stderr);
    int saved = dup(2);
    char path[] = "/tmp/etlhist-test-failon-XXXXXX";
    int fd = mkstemp(path);
    dup2(fd, 2);
    size_t n = failon_report(&watch);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    memset(got, 0, size);
    ck_assert_int_ge(pread(fd, got, size - 1, 0), 0);
    close(fd);
    unlink(path);
    return n;
}

START_TEST(regressions_counts_flagged_rows_and_names_them_when_crossed)
{
    char err[640], got[1024];
    setup_report("trend");
    ck_assert_int_eq(parse("regressions>1,failure_rate_pct>50", err, sizeof err), 0);
    trend_row("prod", 1, "Nightly", "yes", 800);
    trend_row("prod", 2, "Hourly", "no", 100);
    trend_row("prod", 3, "Weekly", NULL, 0);
    trend_row("test", 4, "Import", "yes", 200);
    ck_assert_int_eq(watch.conds[0].rows, 2);
    ck_assert_uint_eq(report_into(got, sizeof got), 2); /* ETL 1's rate, and the count */
    ck_assert_str_eq(got, "test_failon: prod etl 1 (Nightly): failure_rate_pct 80.0 > 50\n"
                          "test_failon: prod etl 1 (Nightly): regression yes\n"
                          "test_failon: test etl 4 (Import): regression yes\n"
                          "test_failon: regressions 2 > 1\n");
    failon_free(&watch);
    /* not crossed: nothing said, however many rows were counted */
    setup_report("trend");
    ck_assert_int_eq(parse("regressions>2", err, sizeof err), 0);
    trend_row("prod", 1, "Nightly", "yes", 800);
    trend_row("prod", 2, "Hourly", "yes", 800);
    ck_assert_uint_eq(report_into(got, sizeof got), 0);
    ck_assert_str_eq(got, "");
    failon_free(&watch);
    /* a count can be crossed by no row at all */
    setup_report("trend");
    ck_assert_int_eq(parse("regressions==0", err, sizeof err), 0);
    trend_row("prod", 2, "Hourly", "no", 0);
    ck_assert_uint_eq(report_into(got, sizeof got), 1);
    ck_assert_str_eq(got, "test_failon: regressions 0 == 0\n");
    failon_free(&watch);
}
END_TEST

START_TEST(comparisons_are_exact_and_unknown_values_never_cross)
{
    char err[640];
    setup_report("summary");
    ck_assert_int_eq(
        parse("failure_rate_pct>33.3,failure_rate_pct>=33.3,runs==24", err, sizeof err), 0);
    struct cell rate = cell_real(333, 1), other = cell_real(3331, 2), null = cell_null();
    struct cell text = cell_text("33.4"), runs = cell_int(24);
    ck_assert(!failon_crosses(&watch.conds[0], &rate));
    ck_assert(failon_crosses(&watch.conds[1], &rate));
    ck_assert(failon_crosses(&watch.conds[0], &other)); /* 33.31 > 33.3 */
    ck_assert(!failon_crosses(&watch.conds[1], &null));
    ck_assert(!failon_crosses(&watch.conds[1], &text));
    ck_assert(failon_crosses(&watch.conds[2], &runs));
    struct cell huge = cell_int(INT64_MAX);
    ck_assert(failon_crosses(&watch.conds[1], &huge));
    failon_free(&watch);
}
END_TEST

START_TEST(every_operator_is_exact_at_its_threshold)
{
    char err[640];
    setup_report("summary");
    ck_assert_int_eq(parse("runs>5,runs>=5,runs<5,runs<=5,runs==5,runs!=5", err, sizeof err), 0);
    /* Crosses at 4, 5 and 6 runs, operator by operator. */
    static const int want[6][3] = {{0, 0, 1}, {0, 1, 1}, {1, 0, 0},
                                   {1, 1, 0}, {0, 1, 0}, {1, 0, 1}};
    for (int op = 0; op < 6; op++)
        for (int v = 4; v <= 6; v++) {
            struct cell runs = cell_int(v);
            ck_assert_msg(failon_crosses(&watch.conds[op], &runs) == want[op][v - 4],
                          "condition %d at runs=%d", op, v);
        }
    failon_free(&watch);
}
END_TEST

static void row(const char *inst, int64_t id, const char *name, int64_t duration_tenths)
{
    struct cell c[11];
    for (size_t i = 0; i < 11; i++)
        c[i] = cell_null();
    c[0] = cell_text(inst);
    c[1] = cell_int(id);
    c[2] = cell_text(name);
    c[8] = cell_real(duration_tenths, 1);
    ck_assert_int_eq(failon_row(&watch, c), 0);
}

START_TEST(each_etl_is_named_once_with_what_its_rows_crossed)
{
    char err[640];
    setup_report("runs");
    ck_assert_int_eq(parse("duration_s>600", err, sizeof err), 0);
    ck_assert_int_eq(parse("duration_s<10", err, sizeof err), 0);
    row("prod", 321, "Nightly", 7800);
    row("prod", 321, "Nightly", 100);
    row("prod", 321, "Nightly", 7000);
    row("prod", 400, "Fast", 50);
    row("prod", 500, "Fine", 3000);
    row("test", 321, "Nightly\nsecond line", 9000);
    /* failon_report logs to stderr: catch it */
    struct stderr_capture cap;
    stderr_capture_begin(&cap);
    ck_assert_uint_eq(failon_report(&watch), 3);
    char *got = stderr_capture_end(&cap);
    ck_assert_str_eq(got, "test_failon: prod etl 321 (Nightly): duration_s 780.0 > 600 (and 1 "
                          "more row)\n"
                          "test_failon: prod etl 400 (Fast): duration_s 5.0 < 10\n"
                          "test_failon: test etl 321 (Nightly second line): duration_s 900.0 > "
                          "600\n");
    free(got);
    failon_free(&watch);
}
END_TEST

/* One stale instance must not print a line per ETL: beyond FAILON_ETL_LINES ETLs, one line
 * per condition with the count and the first ETL. */
START_TEST(many_etls_make_one_line_per_condition)
{
    char err[640];
    setup_report("runs");
    ck_assert_int_eq(parse("duration_s>600,duration_s<10", err, sizeof err), 0);
    for (int id = 1; id <= FAILON_ETL_LINES + 2; id++) {
        row("prod", id, "Slow", 7000);
        row("prod", id, "Slow", 8000); /* a second row of the same ETL counts once */
    }
    row("prod", 99, "Fast", 50);
    struct stderr_capture cap;
    stderr_capture_begin(&cap);
    ck_assert_uint_eq(failon_report(&watch), FAILON_ETL_LINES + 3);
    char *got = stderr_capture_end(&cap);
    ck_assert_str_eq(got, "test_failon: duration_s > 600: 7 ETLs (the first: prod etl 1 (Slow))\n"
                          "test_failon: duration_s < 10: 1 ETL (the first: prod etl 99 (Fast))\n");
    free(got);
    failon_free(&watch);
}
END_TEST

static Suite *failon_suite(void)
{
    Suite *s = suite_create("failon");
    TCase *tc = tcase_create("failon");
    log_init("test_failon", LOG_ERROR);
    tcase_add_test(tc, conditions_parse_with_spaces_commas_and_every_operator);
    tcase_add_test(tc, bad_conditions_are_refused_with_the_cause);
    tcase_add_test(tc, comparisons_are_exact_and_unknown_values_never_cross);
    tcase_add_test(tc, every_operator_is_exact_at_its_threshold);
    tcase_add_test(tc, each_etl_is_named_once_with_what_its_rows_crossed);
    tcase_add_test(tc, many_etls_make_one_line_per_condition);
    tcase_add_test(tc, regressions_is_a_count_of_the_trend_report_only);
    tcase_add_test(tc, regressions_counts_flagged_rows_and_names_them_when_crossed);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(failon_suite)
