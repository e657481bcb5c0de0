/* report/reports/: each report's figures worked out by hand from fixed rows in a real SQLite
 * file, read back through the query layer and the CSV writer (parsed back with libcsv). */
#include "check_main.h"
#include "history.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(summary_rates_counts_and_durations_by_hand)
{
    struct table t;
    summary_fixture();
    csv_of("summary", B, B + 7 * DAY, &t);
    ck_assert_uint_eq(t.rows, 2);
    size_t r = 1;
    ck_field(&t, r, "instance", "prod");
    ck_field(&t, r, "etl_name", "Daily extract");
    ck_field(&t, r, "runs", "12");
    ck_field(&t, r, "ok", "6");
    ck_field(&t, r, "warning", "1");
    ck_field(&t, r, "failed", "2");
    ck_field(&t, r, "aborted", "1");
    ck_field(&t, r, "unknown", "2");             /* UNKNOWN + RUNNING */
    ck_field(&t, r, "failure_rate_pct", "20.0"); /* 2 of 10 finished */
    ck_field(&t, r, "abort_rate_pct", "10.0");
    /* known durations 2.5 10 20 30 40 50 61 70 80: rank 5 and rank ceil(8.55) = 9 */
    ck_field(&t, r, "duration_p50_s", "40.0");
    ck_field(&t, r, "duration_p95_s", "80.0");
    ck_field(&t, r, "duration_max_s", "80.0");
    ck_field(&t, r, "last_start_utc", "2026-11-18T23:00:00"); /* the RUNNING one, B + 11 h */
    ck_field(&t, r, "last_outcome", "RUNNING");
    ck_field(&t, r, "failure_streak", "3"); /* ABORTED, ERROR, ERROR back to the WARNING */
    ck_field(&t, r, "coverage_pct", "100.0");
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(failure_streak_skips_running_and_unknown_and_stops_at_ok)
{
    struct latest_runs lr;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 7, NULL);
    add_run(1, B + 100, "OK", 1, 1);
    add_run(1, B + 200, "ERROR", 1, 1);
    add_run(1, B + 300, "UNKNOWN", NUL, NUL);
    add_run(1, B + 400, "ABORTED", 1, 1);
    add_run(1, B + 500, "RUNNING", NUL, NUL);
    add_run(1, B + 600, "OK", 1, 1); /* after until: not seen */
    fixture_open();
    ck_assert_int_eq(history_latest_runs(etl(7), B + 600, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 2);
    ck_assert_int_eq(lr.last_start, B + 500);
    ck_assert_str_eq(lr.last_outcome, "RUNNING");
    free(lr.last_outcome);
    ck_assert_int_eq(history_latest_runs(etl(7), B + 700, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 0);
    free(lr.last_outcome);
    ck_assert_int_eq(history_latest_runs(etl(7), B + 150, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 0);
    ck_assert_str_eq(lr.last_outcome, "OK");
    free(lr.last_outcome);
    ck_assert_str_eq(etl(7)->name, "etl 7");
    fixture_free();
}
END_TEST

START_TEST(runs_belong_to_the_window_of_their_start)
{
    struct runstats rs;
    summary_fixture();
    struct window w = {B, B + 7 * DAY, "UTC"};
    ck_assert_int_eq(history_run_stats(etl(321), &w, &rs), 0);
    ck_assert_int_eq(rs.runs, 12);
    runstats_free(&rs);
    struct window before = {B - 7 * DAY, B, "UTC"};
    ck_assert_int_eq(history_run_stats(etl(321), &before, &rs), 0);
    ck_assert_int_eq(rs.runs, 1);
    ck_assert_int_eq(rs.failed, 1);
    runstats_free(&rs);
    fixture_free();
}
END_TEST

START_TEST(coverage_counts_gaps_up_to_max_gap_and_ignores_failed_polls)
{
    struct sample_scan scan;
    struct window w = {B, B + 10000, "UTC"};
    fixture_create();
    add_instance(1, "prod", 300); /* max_gap 900 */
    add_etl(1, 1, 1, "gappy");
    add_sample(1, B - 2000, B - 100, 7, "WAITING", 200, NULL);   /* gap 300 into the window */
    add_sample(1, B + 200, B + 1000, 3, "WAITING", 200, NULL);   /* 200 + 800 */
    add_sample(1, B + 1500, B + 3000, 6, "RUNNING", 200, NULL);  /* gap 500 + 1500 */
    add_sample(1, B + 5000, B + 6000, 4, "WAITING", 200, NULL);  /* gap 2000 > 900: 1000 */
    add_sample(1, B + 6100, B + 6200, 2, NULL, 500, "HTTP 500"); /* observes nothing */
    add_sample(1, B + 6700, B + 8000, 5, "WAITING", 200, NULL);  /* gap 700 + 1300 */
    add_sample(1, B + 9500, B + 20000, 9, "WAITING", 200, NULL); /* gap 1500; 500 inside */
    fixture_open();
    ck_assert_int_eq(history_samples(etl(1), &w, &scan), 0);
    ck_assert_int_eq(scan.cov.observed, 200 + 800 + 500 + 1500 + 1000 + 700 + 1300 + 500);
    history_samples_free(&scan);
    struct table t;
    csv_of("summary", B, B + 10000, &t);
    ck_field(&t, 1, "coverage_pct", "65.0");
    table_free(&t);
    fixture_free();
}
END_TEST

/* The poll that closes the last gap comes after until, past an error that straddles it. */
START_TEST(coverage_reaches_until_when_the_next_poll_is_after_it)
{
    struct sample_scan scan;
    struct window w = {B, B + 10000, "UTC"};
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "edge");
    add_sample(1, B - 50, B + 9800, 30, "WAITING", 200, NULL);
    add_sample(1, B + 9900, B + 10100, 2, NULL, 503, "HTTP 503");
    add_sample(1, B + 10400, B + 12000, 5, "WAITING", 200, NULL);
    fixture_open();
    ck_assert_int_eq(history_samples(etl(1), &w, &scan), 0);
    ck_assert_int_eq(scan.cov.observed, 10000);
    ck_assert_int_eq(scan.errors, 2);
    ck_assert_int_eq(scan.http_5xx, 2);
    ck_assert_int_eq(scan.polls, 2); /* the first sample began before since */
    history_samples_free(&scan);
    /* the same rows with a longer gap after the error: [B+9800, until) unobserved */
    struct obs o[] = {{B - 50, B + 9800, 1, SVC_OTHER, 0, 0, 0},
                      {B + 9900, B + 10100, 0, SVC_OTHER, 0, 0, 0},
                      {B + 10800, B + 12000, 1, SVC_OTHER, 0, 0, 0}};
    struct coverage c;
    coverage_compute(o, 3, B, B + 10000, 900, &c);
    ck_assert_int_eq(c.observed, 9800);
    fixture_free();
}
END_TEST

START_TEST(services_time_in_state_and_transitions)
{
    struct table t;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 53, "vCenter Extractor Service");
    add_etl(2, 1, 54, "batch");
    add_sample(1, B - 3000, B - 1000, 5, "SERVICE_OFF", 200, NULL);
    add_sample(1, B - 500, B + 2000, 9, "SERVICE_ON", 200, NULL);   /* 2000 + gap 300 ON */
    add_sample(1, B + 2300, B + 5000, 9, "SERVICE_OFF", 200, NULL); /* 2700 + gap 600 OFF */
    add_sample(1, B + 5600, B + 7000, 5, "SERVICE_ON", 200, NULL);  /* 1400 + gap 500 ON */
    add_sample(1, B + 7100, B + 7200, 1, NULL, NUL, "timeout after 20 s");
    add_sample(1, B + 7500, B + 9000, 5, "SERVICE_OFF", 200, NULL); /* 1500 OFF */
    add_sample(2, B, B + 9000, 30, "WAITING", 200, NULL);           /* not a service */
    fixture_open();
    csv_of("services", B, B + 10000, &t);
    ck_assert_uint_eq(t.rows, 2);
    ck_field(&t, 1, "etl_id", "53");
    ck_field(&t, 1, "on_pct", "42.0");
    ck_field(&t, 1, "off_pct", "48.0");
    ck_field(&t, 1, "unobserved_pct", "10.0");
    ck_field(&t, 1, "transitions", "3"); /* the OFF -> ON at B - 500 is before the window */
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(trend_flags_regressions_of_rate_and_median)
{
    struct table t;
    int64_t week = 7 * DAY;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "rate 0 of 10 to 8 of 10");
    add_etl(2, 1, 2, "rate 1 of 10 to 2 of 10");
    add_etl(3, 1, 3, "median 300 s to 361 s");
    add_etl(4, 1, 4, "median 100 s to 150 s");
    add_etl(5, 1, 5, "one run before");
    for (int i = 0; i < 10; i++) {
        add_run(1, B - week + i * 3600, "OK", 10, 10);
        add_run(1, B + i * 3600, i < 8 ? "ERROR" : "OK", 10, 10);
        add_run(2, B - week + i * 3600, i < 1 ? "ERROR" : "OK", 10, 10);
        add_run(2, B + i * 3600, i < 2 ? "ERROR" : "OK", 10, 10);
        add_run(3, B - week + i * 3600, "OK", 300, 300);
        add_run(3, B + i * 3600, "OK", 361, 361);
        add_run(4, B - week + i * 3600, "OK", 100, 100);
        add_run(4, B + i * 3600, "OK", 150, 150);
        add_run(5, B + i * 3600, "ERROR", 5, 5);
    }
    add_run(5, B - week + 60, "OK", 5, 5);
    fixture_open();
    csv_of("trend", B, B + week, &t);
    ck_assert_uint_eq(t.rows, 6);
    ck_field(&t, 1, "runs", "10");
    ck_field(&t, 1, "runs_prev", "10");
    ck_field(&t, 1, "failure_rate_pct", "80.0");
    ck_field(&t, 1, "failure_rate_prev_pct", "0.0");
    ck_field(&t, 1, "regression", "yes");
    ck_field(&t, 2, "failure_rate_pct", "20.0");
    ck_field(&t, 2, "failure_rate_prev_pct", "10.0");
    ck_field(&t, 2, "regression", "no"); /* the Wilson intervals overlap */
    ck_field(&t, 3, "duration_p50_s", "361.0");
    ck_field(&t, 3, "duration_p50_prev_s", "300.0");
    ck_field(&t, 3, "regression", "yes");
    ck_field(&t, 4, "regression", "no"); /* +50 % but only 50 s */
    ck_field(&t, 5, "runs_prev", "1");
    ck_field(&t, 5, "failure_rate_prev_pct", "0.0");
    ck_field(&t, 5, "failure_rate_pct", "100.0");
    ck_field(&t, 5, "regression", ""); /* one run before: too few to judge */
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(health_counts_polls_by_kind_of_error)
{
    struct table t;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 9, "flaky");
    add_etl(2, 1, 10, "never polled in the window");
    add_sample(1, B - 5000, B + 100, 100, "WAITING", 200, NULL); /* began before: not counted */
    add_sample(1, B + 400, B + 3000, 10, "WAITING", 200, NULL);
    add_sample(1, B + 3300, B + 3900, 3, NULL, 400, "HTTP 400: ETL not found");
    add_sample(1, B + 4200, B + 4500, 2, NULL, 503, "HTTP 503");
    add_sample(1, B + 4800, B + 5700, 4, NULL, NUL, "timeout after 20 s");
    add_sample(1, B + 6000, B + 9000, 11, "WAITING", 200, NULL);
    add_sample(2, B - 9000, B - 5000, 11, "WAITING", 200, NULL);
    fixture_open();
    csv_of("health", B, B + 10000, &t);
    ck_assert_uint_eq(t.rows, 3); /* the ETL not polled in the window is listed too */
    ck_field(&t, 2, "polls", "0");
    ck_field(&t, 2, "coverage_pct", "0.0");
    ck_field(&t, 2, "stale", "1"); /* no pass recorded at all */
    ck_field(&t, 2, "last_pass_utc", "");
    ck_field(&t, 1, "polls", "30");
    ck_field(&t, 1, "errors", "9");
    ck_field(&t, 1, "not_found", "3");
    ck_field(&t, 1, "http_5xx", "2");
    ck_field(&t, 1, "timeouts", "4");
    ck_field(&t, 1, "last_error", "timeout after 20 s");
    /* observed: 100 + 300 + 2600, then nothing until the poll at B+6000 (3000 > 900), 3000 */
    ck_field(&t, 1, "coverage_pct", "60.0");
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(etls_lists_every_etl_with_its_latest_status)
{
    struct table t;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "fine");
    add_etl(2, 1, 2, "broken");
    add_etl(3, 1, 3, "silent");
    add_sample(1, B, B + 100, 2, "RUNNING", 200, NULL);
    add_sample(1, B + 200, B + 300, 2, "WAITING", 200, NULL);
    add_sample(2, B, B + 100, 2, "WAITING", 200, NULL);
    add_sample(2, B + 200, B + 300, 2, NULL, 400, "HTTP 400");
    fixture_open();
    csv_of("etls", B + 50 * DAY, B + 51 * DAY, &t); /* the window does not matter */
    ck_assert_uint_eq(t.rows, 4);
    ck_field(&t, 1, "last_status", "WAITING");
    ck_field(&t, 2, "last_status", "error");
    ck_field(&t, 3, "last_status", "");
    ck_field(&t, 3, "first_seen_utc", "2026-10-19T12:00:00");
    table_free(&t);
    fixture_free();
}
END_TEST

/* Health counts the samples that start in [since, until): one starting at until - 1 counts,
 * one starting exactly at until belongs to the next window. */
START_TEST(health_counts_a_sample_starting_at_until_minus_1_but_not_at_until)
{
    struct table t;
    const int64_t until = B + 10000;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 9, "edge");
    add_sample(1, B + 1000, B + 2000, 5, "WAITING", 200, NULL);
    add_sample(1, until - 1, until + 100, 3, NULL, 503, "HTTP 503");
    add_sample(1, until, until + 200, 7, NULL, NUL, "timeout after 20 s");
    fixture_open();
    csv_of("health", B, until, &t);
    ck_assert_uint_eq(t.rows, 2);
    ck_field(&t, 1, "polls", "8");
    ck_field(&t, 1, "errors", "3");
    ck_field(&t, 1, "http_5xx", "3");
    ck_field(&t, 1, "timeouts", "0");
    ck_field(&t, 1, "last_error", "HTTP 503");
    table_free(&t);
    struct sample_scan scan;
    struct window w = {B, until, "UTC"};
    ck_assert_int_eq(history_samples(etl(9), &w, &scan), 0);
    ck_assert_int_eq(scan.polls, 8);
    ck_assert_int_eq(scan.errors, 3);
    history_samples_free(&scan);
    fixture_free();
}
END_TEST

/* An ETL every 240 s on a server whose clock is `skew` ahead of ours (negative: behind),
 * polled every 60 s and WAITING throughout; it runs at B + 100 + k x 240 (server clock),
 * its expected starts, from k = -40 on, except at k = skip. Runs go on for an hour after
 * until + skew on the server. */
static void skewed_fixture(int64_t skew, int64_t skip, int64_t until)
{
    fixture_create();
    add_instance(1, "prod", 60);
    insert("INSERT INTO pass (instance_id, started, took_s, polled, ok, errors, server_skew_s, "
           "interval_s) VALUES (1, ?, 1, 1, 1, 0, ?, 60)",
           "ii", (int64_t)B, skew);
    add_etl(1, 1, 5, "every 4 min");
    for (int64_t k = -40; B + 100 + k * 240 < until + (skew > 0 ? skew : 0) + 3600; k++)
        if (k != skip)
            add_run(1, B + 100 + k * 240, "OK", 10, 15);
    add_sample(1, B - DAY, until + DAY, 2 * DAY / 60, "WAITING", 200, NULL);
    fixture_open();
}

/* The window's runs are those that started before until on the server's clock, so a server
 * 1000 s ahead has run four more times by until on ours, in runs of the next window: their
 * expected starts are not missed, and the one true missed start (k = 10, B + 2500) is. */
START_TEST(a_server_ahead_misses_nothing_in_the_runs_after_until)
{
    struct table t;
    const int64_t until = B + 7200;
    skewed_fixture(1000, 10, until);
    csv_of("missed", B, until, &t);
    ck_assert_uint_eq(t.rows, 2);
    ck_field(&t, 1, "expected_start_utc", "2026-11-18T12:41:40");
    ck_field(&t, 1, "period_s", "240");
    table_free(&t);
    csv_of("summary", B, until, &t);
    ck_field(&t, 1, "missed", "1");
    table_free(&t);
    csv_of("schedule", B, until, &t);
    ck_field(&t, 1, "kind", "periodic");
    ck_field(&t, 1, "missed", "1");
    ck_field(&t, 1, "late", "0");
    /* the first expected start after until + 1000 s on the server: B + 100 + 34 x 240 */
    ck_field(&t, 1, "next_expected_utc", "2026-11-18T14:17:40");
    table_free(&t);
    fixture_free();
}
END_TEST

/* A server 1000 s behind has its runs up to until, but observation ends at until - 1000 on
 * its clock: a start missed after that (k = 27, B + 6580, stretch to B + 6760) is left to
 * the next window; one before it (k = 22, B + 5380) is missed. */
START_TEST(a_server_behind_judges_only_up_to_where_observation_ends)
{
    struct table t;
    const int64_t until = B + 7200;
    skewed_fixture(-1000, 27, until);
    csv_of("missed", B, until, &t);
    ck_assert_uint_eq(t.rows, 1);
    table_free(&t);
    fixture_free();
    skewed_fixture(-1000, 22, until);
    csv_of("missed", B, until, &t);
    ck_assert_uint_eq(t.rows, 2);
    ck_field(&t, 1, "expected_start_utc", "2026-11-18T13:29:40");
    table_free(&t);
    fixture_free();
}
END_TEST

static Suite *defs_suite(void)
{
    Suite *s = suite_create("defs");
    TCase *tc = tcase_create("defs");
    log_init("test_defs", LOG_ERROR);
    tcase_add_test(tc, summary_rates_counts_and_durations_by_hand);
    tcase_add_test(tc, failure_streak_skips_running_and_unknown_and_stops_at_ok);
    tcase_add_test(tc, runs_belong_to_the_window_of_their_start);
    tcase_add_test(tc, coverage_counts_gaps_up_to_max_gap_and_ignores_failed_polls);
    tcase_add_test(tc, coverage_reaches_until_when_the_next_poll_is_after_it);
    tcase_add_test(tc, services_time_in_state_and_transitions);
    tcase_add_test(tc, trend_flags_regressions_of_rate_and_median);
    tcase_add_test(tc, health_counts_polls_by_kind_of_error);
    tcase_add_test(tc, health_counts_a_sample_starting_at_until_minus_1_but_not_at_until);
    tcase_add_test(tc, etls_lists_every_etl_with_its_latest_status);
    tcase_add_test(tc, a_server_ahead_misses_nothing_in_the_runs_after_until);
    tcase_add_test(tc, a_server_behind_judges_only_up_to_where_observation_ends);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(defs_suite)
