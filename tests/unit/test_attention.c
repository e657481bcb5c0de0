/* report/engine/attention.c: the one list of what needs attention, its order and its words. */
#include "attention.h"
#include "check_main.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

#define T0 1795392000 /* 2026-11-23T00:00:00Z */

static struct attn_item etl_item(enum attn_kind kind, const char *instance, int64_t id)
{
    return (struct attn_item){
        .kind = kind, .instance = (char *)instance, .etl_name = "ETL", .etl_id = id};
}

START_TEST(items_come_by_severity_then_instance_then_etl_id)
{
    struct attention a;
    attention_init(&a, 20);
    struct attn_item in[] = {
        etl_item(ATTN_LATE, "prod", 5),
        etl_item(ATTN_FAILING, "test", 1),
        etl_item(ATTN_FAILING, "prod", 9),
        etl_item(ATTN_MISSED, "prod", 2),
        etl_item(ATTN_FAILURE_RATE, "prod", 1),
        etl_item(ATTN_DELETED, "prod", 7),
        etl_item(ATTN_OVERDUE_NOW, "prod", 3),
        etl_item(ATTN_FAILING, "prod", 4),
        {.kind = ATTN_GAPS, .instance = "prod"},
        {.kind = ATTN_STALE, .instance = "test"},
        {.kind = ATTN_NEVER_OBSERVED, .instance = "zeta"},
    };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        ck_assert_int_eq(attention_add(&a, &in[i]), 0);
    attention_sort(&a);
    const char *want[] = {"never_observed zeta 0", "stale test 0",   "deleted prod 7",
                          "failing prod 4",        "failing prod 9", "failing test 1",
                          "overdue prod 3",        "missed prod 2",  "late prod 5",
                          "failure_rate prod 1",   "gaps prod 0"};
    ck_assert_uint_eq(a.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < a.n; i++) {
        char got[64];
        snprintf(got, sizeof got, "%s %s %lld", attention_kind_name(a.v[i].kind), a.v[i].instance,
                 (long long)a.v[i].etl_id);
        ck_assert_str_eq(got, want[i]);
    }
    attention_free(&a);
}
END_TEST

static const char *line_of(const struct attn_item *it)
{
    static char buf[512];
    return attention_line(it, "UTC", buf, sizeof buf);
}

START_TEST(each_line_names_the_etl_what_and_since_when)
{
    struct attn_item it = etl_item(ATTN_FAILING, "prod", 303);
    it.etl_name = "Business drivers import";
    it.count = 3;
    it.has_since = 1;
    it.since = T0 + 6 * 3600;
    it.detail = "ERROR";
    it.value = 5;
    it.of = 7;
    ck_assert_str_eq(line_of(&it),
                     "Business drivers import (id 303, prod): failing: the last 3 finished runs "
                     "failed (latest ERROR), since 2026-11-23 06:00; 5 of 7 finished runs in "
                     "the window failed");
    it.count = 1;
    it.detail = "ABORTED";
    it.of = 0;
    ck_assert_str_eq(line_of(&it), "Business drivers import (id 303, prod): failing: the latest "
                                   "finished run failed (ABORTED), started 2026-11-23 06:00");
    it.kind = ATTN_MISSED;
    it.count = 1;
    ck_assert_str_eq(line_of(&it), "Business drivers import (id 303, prod): 1 missed run "
                                   "(expected start with no run), the first at 2026-11-23 06:00");
    it.kind = ATTN_LATE;
    it.count = 2;
    it.value = 1500;
    ck_assert_str_eq(line_of(&it), "Business drivers import (id 303, prod): 2 late starts, the "
                                   "latest at 2026-11-23 06:00; up to 25m00s late");
    it.kind = ATTN_OVERDUE_NOW;
    it.value = 2295;
    ck_assert_str_eq(line_of(&it), "Business drivers import (id 303, prod): overdue: RUNNING "
                                   "since 2026-11-23 06:00, beyond its limit of 38m15s");
    it.kind = ATTN_ABORT_RATE;
    it.count = 2;
    it.of = 7;
    it.value = 286;
    ck_assert_str_eq(line_of(&it), "Business drivers import (id 303, prod): abort rate 28.6 % "
                                   "(2 of 7 finished runs)");
    it.kind = ATTN_DELETED;
    it.detail = "ETL not found (HTTP 400)";
    ck_assert_str_eq(line_of(&it), "Business drivers import (id 303, prod): deleted from CO: gone "
                                   "by 2026-11-23 06:00 (the first poll that found it missing) "
                                   "(ETL not found (HTTP 400))");
}
END_TEST

/* Every count in a line takes its noun in the number the count asks for: 1 run, 2 runs. */
START_TEST(counts_of_one_take_the_singular)
{
    struct attn_item it = etl_item(ATTN_FAILING, "prod", 7);
    it.etl_name = "Nightly";
    it.has_since = 1;
    it.since = T0;
    it.detail = "ERROR";
    it.count = 1;
    it.value = 1;
    it.of = 1;
    ck_assert_str_eq(line_of(&it), "Nightly (id 7, prod): failing: the latest finished run failed "
                                   "(ERROR), started 2026-11-23 00:00; 1 of 1 finished run in the "
                                   "window failed");
    it.count = 2;
    it.value = 2;
    it.of = 2;
    ck_assert_ptr_nonnull(strstr(line_of(&it), "the last 2 finished runs failed (latest ERROR)"));
    ck_assert_ptr_nonnull(strstr(line_of(&it), "; 2 of 2 finished runs in the window failed"));
    it.kind = ATTN_LATE;
    it.count = 1;
    it.value = 600;
    ck_assert_ptr_nonnull(strstr(line_of(&it), ": 1 late start, the latest"));
    it.kind = ATTN_MISSED;
    it.count = 2;
    ck_assert_ptr_nonnull(strstr(line_of(&it), ": 2 missed runs (expected"));
    it.kind = ATTN_FAILURE_RATE;
    it.count = 1;
    it.of = 1;
    it.value = 1000;
    ck_assert_ptr_nonnull(strstr(line_of(&it), "(1 of 1 finished run)"));
}
END_TEST

START_TEST(instance_lines_give_the_collectors_last_error)
{
    struct attn_item it = {.kind = ATTN_NEVER_OBSERVED,
                           .instance = "prod",
                           .detail = "authentication failed (HTTP 401)"};
    ck_assert_str_eq(line_of(&it), "instance prod: never observed: the collector has had no "
                                   "successful pass; last error: authentication failed (HTTP 401)");
    it.kind = ATTN_STALE;
    it.has_since = 1;
    it.since = T0;
    it.detail = NULL;
    ck_assert_str_eq(line_of(&it),
                     "instance prod: collector stale: no successful pass since 2026-11-23 00:00");
    it.kind = ATTN_GAPS;
    it.count = 1;
    it.of = 1;
    it.value = 523;
    ck_assert_str_eq(line_of(&it), "instance prod: observation gaps: 1 of 1 ETL observed over "
                                   "less than the whole window (lowest 52.3 %)");
}
END_TEST

START_TEST(names_and_errors_cannot_break_a_line)
{
    struct attention a;
    attention_init(&a, 20);
    struct attn_item it = etl_item(ATTN_MISSED, "pr\nod", 1);
    it.etl_name = "a\rb\x1b[2Jc";
    it.count = 1;
    ck_assert_int_eq(attention_add(&a, &it), 0);
    const char *line = line_of(&a.v[0]);
    ck_assert_ptr_null(strpbrk(line, "\r\n\x1b"));
    ck_assert_ptr_nonnull(strstr(line, "a b [2Jc (id 1, pr od)"));
    attention_free(&a);
}
END_TEST

static Suite *attention_suite(void)
{
    Suite *s = suite_create("attention");
    TCase *tc = tcase_create("attention");
    log_init("test_attention", LOG_ERROR);
    tcase_add_test(tc, items_come_by_severity_then_instance_then_etl_id);
    tcase_add_test(tc, each_line_names_the_etl_what_and_since_when);
    tcase_add_test(tc, counts_of_one_take_the_singular);
    tcase_add_test(tc, instance_lines_give_the_collectors_last_error);
    tcase_add_test(tc, names_and_errors_cannot_break_a_line);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(attention_suite)
