/* report/plugin.c: threshold ranges as the Monitoring Plugins guidelines write them, the state
 * the Needs attention counts give, and the plugin's output. */
#include "check_main.h"
#include "plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct plugin_range range(const char *text)
{
    struct plugin_range r;
    char err[200];
    ck_assert_msg(plugin_range_parse(text, &r, err, sizeof err) == 0, "%s: %s", text, err);
    return r;
}

START_TEST(ranges_alert_outside_start_to_end_inclusive)
{
    struct plugin_range r = range("10"); /* 0..10 */
    ck_assert(!plugin_range_alerts(&r, 0) && !plugin_range_alerts(&r, 10));
    ck_assert(plugin_range_alerts(&r, 11) && plugin_range_alerts(&r, -1));
    r = range("10:"); /* 10..infinity */
    ck_assert(plugin_range_alerts(&r, 9.9) && !plugin_range_alerts(&r, 10));
    ck_assert(!plugin_range_alerts(&r, 1e9));
    r = range("~:10"); /* minus infinity..10 */
    ck_assert(!plugin_range_alerts(&r, -1e9) && plugin_range_alerts(&r, 10.5));
    r = range("10:20");
    ck_assert(plugin_range_alerts(&r, 9) && !plugin_range_alerts(&r, 15));
    ck_assert(plugin_range_alerts(&r, 21));
    r = range("@10:20"); /* inside, inclusive */
    ck_assert(plugin_range_alerts(&r, 10) && plugin_range_alerts(&r, 20));
    ck_assert(!plugin_range_alerts(&r, 9) && !plugin_range_alerts(&r, 21));
    r = range("0"); /* the defaults: any count above 0 */
    ck_assert(!plugin_range_alerts(&r, 0) && plugin_range_alerts(&r, 1));
    ck_assert_str_eq(range("@10:20").text, "@10:20");
}
END_TEST

START_TEST(bad_ranges_are_refused_with_the_text)
{
    const char *bad[] = {"", "abc", "20:10", "1:2:3", "10:~", "@", "1e999", "5x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct plugin_range r;
        char err[200] = "";
        ck_assert_msg(plugin_range_parse(bad[i], &r, err, sizeof err) == -1, "%s", bad[i]);
        ck_assert_msg(strstr(err, "expected [@]START:END") != NULL, "%s: %s", bad[i], err);
    }
}
END_TEST

START_TEST(limits_name_metrics_and_an_empty_range_removes_one)
{
    struct plugin_limits l;
    char err[300];
    plugin_limits_default(&l);
    ck_assert(l.crit[ATTN_FAILING].set && !l.warn[ATTN_FAILING].set);
    ck_assert(l.warn[ATTN_MISSED].set && !l.crit[ATTN_MISSED].set);
    ck_assert_int_eq(plugin_limits_parse(&l, 1, "failing=3,coverage=95:", err, sizeof err), 0);
    ck_assert_str_eq(l.crit[ATTN_FAILING].text, "3");
    ck_assert_str_eq(l.crit[PLUGIN_COVERAGE].text, "95:");
    ck_assert_int_eq(plugin_limits_parse(&l, 0, "late=", err, sizeof err), 0);
    ck_assert(!l.warn[ATTN_LATE].set);
    ck_assert_int_eq(plugin_limits_parse(&l, 0, "failng=1", err, sizeof err), -1);
    ck_assert(strstr(err, "\"failng=1\"") != NULL);
    ck_assert_int_eq(plugin_limits_parse(&l, 0, "failing", err, sizeof err), -1);
    ck_assert_int_eq(plugin_limits_parse(&l, 0, "", err, sizeof err), -1);
    ck_assert_int_eq(plugin_limits_parse(&l, 0, "missed=9:1", err, sizeof err), -1);
}
END_TEST

static struct attention list_of(const struct attn_item *items, size_t n)
{
    struct attention a;
    attention_init(&a, 20);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(attention_add(&a, &items[i]), 0);
    attention_sort(&a);
    return a;
}

START_TEST(counts_are_etls_instances_and_runs)
{
    struct attn_item items[] = {
        {.kind = ATTN_STALE, .instance = "prod"},
        {.kind = ATTN_FAILING, .instance = "prod", .etl_name = "A", .etl_id = 1, .count = 4},
        {.kind = ATTN_FAILING, .instance = "prod", .etl_name = "B", .etl_id = 2, .count = 1},
        {.kind = ATTN_MISSED, .instance = "prod", .etl_name = "C", .etl_id = 3, .count = 3},
        {.kind = ATTN_MISSED, .instance = "prod", .etl_name = "D", .etl_id = 4, .count = 2},
    };
    struct attention a = list_of(items, 5);
    struct plugin_counts c = {0};
    plugin_count(&c, &a);
    ck_assert_int_eq(c.n[ATTN_STALE], 1);
    ck_assert_int_eq(c.n[ATTN_FAILING], 2); /* ETLs, not the runs of their streaks */
    ck_assert_int_eq(c.n[ATTN_MISSED], 5);  /* runs */
    struct plugin_limits l;
    plugin_limits_default(&l);
    ck_assert_int_eq(plugin_state_of(&c, &l), PLUGIN_CRITICAL);
    c.n[ATTN_STALE] = c.n[ATTN_FAILING] = 0;
    ck_assert_int_eq(plugin_state_of(&c, &l), PLUGIN_WARNING);
    c.n[ATTN_MISSED] = 0;
    ck_assert_int_eq(plugin_state_of(&c, &l), PLUGIN_OK);
    attention_free(&a);
}
END_TEST

/* The plugin's output, in *text (malloc'd). */
static enum plugin_state written(const struct plugin_counts *c, const struct plugin_limits *l,
                                 const struct attention *a, char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    enum plugin_state state = plugin_write(f, c, l, a, "UTC");
    fclose(f);
    return state;
}

START_TEST(output_is_status_line_perfdata_then_the_list)
{
    struct attn_item items[] = {
        {.kind = ATTN_STALE, .instance = "prod|x", .has_since = 1, .since = 1795392000},
        {.kind = ATTN_FAILING,
         .instance = "prod|x",
         .etl_name = "Load",
         .etl_id = 7,
         .count = 1,
         .has_since = 1,
         .since = 1795392000},
        {.kind = ATTN_LATE, .instance = "prod|x", .etl_name = "Late", .etl_id = 8, .count = 2},
    };
    struct attention a = list_of(items, 3);
    struct plugin_counts c = {.etls = 2, .instances = 1, .has_coverage = 1};
    plugin_count(&c, &a);
    c.n[PLUGIN_COVERAGE] = 975;
    struct plugin_limits l;
    char err[200];
    plugin_limits_default(&l);
    ck_assert_int_eq(plugin_limits_parse(&l, 0, "coverage=99:", err, sizeof err), 0);
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(written(&c, &l, &a, &text, &len), PLUGIN_CRITICAL);
    const char *want =
        "ETLHIST CRITICAL - collector stale on prod/x, 1 ETL failing, 2 late starts, "
        "coverage 97.5 % | never_observed=0;;0;0 stale=1;;0;0 deleted=0;0;;0 failing=1;;0;0 "
        "overdue=0;0;;0 missed=0;0;;0 unscheduled=0;0;;0 late=2;0;;0 failure_rate=0;;;0 "
        "abort_rate=0;;;0 "
        "gaps=0;;;0 coverage=97.5%;99:;;0;100 silenced=0;;;0\n"
        "instance prod/x: collector stale: no successful pass since 2026-11-23 00:00\n";
    ck_assert_msg(strncmp(text, want, strlen(want)) == 0, "%s", text);
    ck_assert_int_eq(strchr(strchr(text, '|') + 1, '|') == NULL, 1); /* names cannot add one */
    free(text);
    attention_free(&a);
    struct attention none = list_of(NULL, 0);
    struct plugin_counts clear = {.etls = 3, .instances = 1};
    ck_assert_int_eq(written(&clear, &l, &none, &text, &len), PLUGIN_OK);
    ck_assert_msg(
        strncmp(text, "ETLHIST OK - 3 ETLs on 1 instance, nothing needs attention | ", 61) == 0,
        "%s", text);
    ck_assert(strstr(text, " coverage=U;99:;;0;100 silenced=0;;;0\n") != NULL); /* not measured */
    ck_assert(strstr(text, attention_clear) != NULL);
    free(text);
}
END_TEST

static Suite *plugin_suite(void)
{
    Suite *s = suite_create("plugin");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, ranges_alert_outside_start_to_end_inclusive);
    tcase_add_test(tc, bad_ranges_are_refused_with_the_text);
    tcase_add_test(tc, limits_name_metrics_and_an_empty_range_removes_one);
    tcase_add_test(tc, counts_are_etls_instances_and_runs);
    tcase_add_test(tc, output_is_status_line_perfdata_then_the_list);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(plugin_suite)
