/* Run derivation as sequences of polls → expected runs, through the real store on a real
 * SQLite file; every case is then rebuilt from samples and must come out the same. */
#include "check_main.h"
#include "db.h"
#include "log.h"
#include "runs.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NONE -1
#define ERR NULL

struct poll {
    int64_t t;
    const char *status; /* ERR: the poll failed */
    const char *exit_code;
    int64_t exec;
    int64_t skew;
    int64_t took; /* seconds the pass took */
};

struct expect {
    int64_t start;
    const char *outcome;
    int64_t lo, hi; /* NONE: unknown duration */
};

static sqlite3 *fresh_db(char *path, size_t cap)
{
    sqlite3 *db;
    snprintf(path, cap, "/tmp/etlhist-test-runs-%d.db", (int)getpid());
    unlink(path);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    return db;
}

static void feed(sqlite3 *db, const struct poll *p)
{
    for (; p->t; p++) {
        struct observation o = {.etl_id = 321, .task_id = 467, .last_exec_ts = p->exec};
        if (p->status) {
            snprintf(o.status, sizeof o.status, "%s", p->status);
            snprintf(o.exit_code, sizeof o.exit_code, "%s", p->exit_code ? p->exit_code : "");
        } else {
            o.http_code = 500;
            o.last_exec_ts = 0;
            snprintf(o.error, sizeof o.error, "HTTP 500");
        }
        struct pass_record rec = {.instance = "prod",
                                  .url = "http://x",
                                  .interval_s = 300,
                                  .started = p->t,
                                  .finished = p->t + p->took,
                                  .polled = 1,
                                  .has_skew = 1,
                                  .skew_s = p->skew};
        ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
    }
}

static void check_runs(sqlite3 *db, const struct expect *e, const char *when)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT start_ts, c.text, coalesce(dur_lo_s, -1), "
                                        "coalesce(dur_hi_s, -1) FROM run r JOIN code c ON "
                                        "c.id = r.outcome ORDER BY start_ts, seq",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        ck_assert_msg(e[i].outcome, "%s: more runs than expected", when);
        ck_assert_int_eq(sqlite3_column_int64(st, 0), e[i].start);
        ck_assert_msg(!strcmp((const char *)sqlite3_column_text(st, 1), e[i].outcome),
                      "%s: run %d outcome %s, expected %s", when, i, sqlite3_column_text(st, 1),
                      e[i].outcome);
        ck_assert_msg(sqlite3_column_int64(st, 2) == e[i].lo &&
                          sqlite3_column_int64(st, 3) == e[i].hi,
                      "%s: run %d bounds [%lld, %lld], expected [%lld, %lld]", when, i,
                      sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), (long long)e[i].lo,
                      (long long)e[i].hi);
        i++;
    }
    sqlite3_finalize(st);
    ck_assert_msg(e[i].outcome == NULL, "%s: fewer runs than expected (%d)", when, i);
}

static void run_case(const struct poll *polls, const struct expect *e)
{
    char path[128];
    int64_t n;
    sqlite3 *db = fresh_db(path, sizeof path);
    feed(db, polls);
    check_runs(db, e, "incremental");
    ck_assert_int_eq(runs_rebuild(db, &n), 0);
    check_runs(db, e, "rebuilt");
    db_close(db);
    unlink(path);
}

START_TEST(short_run_never_seen_running_has_lo_zero)
{
    static const struct poll p[] = {{1000, "WAITING", "OK", 500, 0, 0},
                                    {1300, "WAITING", "OK", 500, 0, 0},
                                    {1600, "WAITING", "ERROR", 1400, 0, 0},
                                    {0}};
    /* The first observation's run ended before observation began: no duration. */
    static const struct expect e[] = {{500, "OK", NONE, NONE}, {1400, "ERROR", 0, 200}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(run_seen_running_is_bracketed_by_polls)
{
    static const struct poll p[] = {{1000, "WAITING", "OK", 100, 0, 0},
                                    {1300, "RUNNING", NULL, 1200, 0, 0},
                                    {1600, "RUNNING", NULL, 1200, 0, 0},
                                    {1900, "WAITING", "WARNING", 1200, 0, 0},
                                    {0}};
    static const struct expect e[] = {{100, "OK", NONE, NONE}, {1200, "WARNING", 400, 700}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(aborted_status_wins_over_exit_code)
{
    static const struct poll p[] = {
        {1000, "RUNNING", NULL, 900, 0, 0}, {1300, "ABORTED", "ERROR", 900, 0, 0}, {0}};
    static const struct expect e[] = {{900, "ABORTED", 100, 400}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(newer_run_makes_unfinished_one_unknown)
{
    static const struct poll p[] = {
        {1000, "RUNNING", NULL, 900, 0, 0}, {1300, "RUNNING", NULL, 1250, 0, 0}, {0}};
    static const struct expect e[] = {
        {900, "UNKNOWN", NONE, NONE}, {1250, "RUNNING", NONE, NONE}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(end_across_a_gap_has_no_duration)
{
    static const struct poll p[] = {
        {1000, "RUNNING", NULL, 900, 0, 0}, {3000, "WAITING", "OK", 900, 0, 0}, {0}};
    static const struct expect e[] = {{900, "OK", NONE, NONE}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(end_bracketed_exactly_max_gap_apart_has_a_duration_one_more_not)
{
    static const struct poll at[] = {
        {1000, "RUNNING", NULL, 900, 0, 0}, {1900, "WAITING", "OK", 900, 0, 0}, {0}};
    static const struct expect e_at[] = {{900, "OK", 100, 1000}, {0}};
    run_case(at, e_at);
    static const struct poll past[] = {
        {1000, "RUNNING", NULL, 900, 0, 0}, {1901, "WAITING", "OK", 900, 0, 0}, {0}};
    static const struct expect e_past[] = {{900, "OK", NONE, NONE}, {0}};
    run_case(past, e_past);
}
END_TEST

START_TEST(failed_poll_inside_max_gap_keeps_bracket)
{
    static const struct poll p[] = {{1000, "RUNNING", NULL, 900, 0, 0},
                                    {1300, ERR, NULL, 0, 0, 0},
                                    {1600, "WAITING", "OK", 900, 0, 0},
                                    {0}};
    static const struct expect e[] = {{900, "OK", 100, 700}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(failed_polls_beyond_max_gap_lose_bracket)
{
    static const struct poll p[] = {{1000, "RUNNING", NULL, 900, 0, 0}, {1300, ERR, NULL, 0, 0, 0},
                                    {1600, ERR, NULL, 0, 0, 0},         {1900, ERR, NULL, 0, 0, 0},
                                    {2200, "WAITING", "OK", 900, 0, 0}, {0}};
    static const struct expect e[] = {{900, "OK", NONE, NONE}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(server_clock_skew_corrects_start)
{
    /* The server runs 100 s ahead: its 1250 is our 1150. */
    static const struct poll p[] = {
        {1000, "WAITING", "OK", 100, 100, 0}, {1300, "WAITING", "OK", 1250, 100, 0}, {0}};
    static const struct expect e[] = {{100, "OK", NONE, NONE}, {1250, "OK", 0, 150}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(failed_exit_code_counts_as_error_unknown_code_as_unknown)
{
    static const struct poll p[] = {{1000, "WAITING", "OK", 100, 0, 0},
                                    {1300, "WAITING", "FAILED", 1200, 0, 0},
                                    {1600, "ENDED", "MAYBE", 1500, 0, 0},
                                    {0}};
    static const struct expect e[] = {
        {100, "OK", NONE, NONE}, {1200, "ERROR", 0, 100}, {1500, "UNKNOWN", 0, 100}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(service_and_never_run_etls_have_no_runs)
{
    static const struct poll p[] = {{1000, "SERVICE_ON", NULL, 100, 0, 0},
                                    {1300, "SERVICE_OFF", NULL, 100, 0, 0},
                                    {1600, "NONE", NULL, 0, 0, 0},
                                    {0}};
    static const struct expect e[] = {{0}};
    run_case(p, e);
}
END_TEST

START_TEST(first_observation_running_then_end)
{
    static const struct poll p[] = {{1000, "RUNNING", NULL, 400, 0, 0},
                                    {1300, "RUNNING", NULL, 400, 0, 0},
                                    {1600, "RUNNING", NULL, 400, 0, 0},
                                    {1900, "WAITING", "ERROR", 400, 0, 0},
                                    {0}};
    static const struct expect e[] = {{400, "ERROR", 1200, 1500}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(rerun_with_same_start_opens_a_new_run)
{
    static const struct poll p[] = {{1000, "WAITING", "OK", 900, 0, 0},
                                    {1300, "RUNNING", NULL, 900, 0, 0},
                                    {1600, "WAITING", "OK", 900, 0, 0},
                                    {0}};
    static const struct expect e[] = {{900, "OK", NONE, NONE}, {900, "OK", 400, 700}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(end_is_bounded_by_the_end_of_the_pass_that_saw_it)
{
    /* The pass at 1300 took 20 s: the run that started at 1302 (during it) and was seen
     * ended by it ended by 1320, not by 1300. */
    static const struct poll p[] = {
        {1000, "WAITING", "OK", 100, 0, 0}, {1300, "WAITING", "ERROR", 1302, 0, 20}, {0}};
    static const struct expect e[] = {{100, "OK", NONE, NONE}, {1302, "ERROR", 0, 18}, {0}};
    run_case(p, e);
}
END_TEST

START_TEST(older_last_exec_ts_opens_no_run)
{
    static const struct poll p[] = {
        {1000, "WAITING", "OK", 900, 0, 0}, {1300, "WAITING", "ERROR", 500, 0, 0}, {0}};
    static const struct expect e[] = {{900, "OK", NONE, NONE}, {0}};
    run_case(p, e);
}
END_TEST

static Suite *runs_suite(void)
{
    Suite *s = suite_create("runs");
    TCase *tc = tcase_create("derive");
    tcase_add_test(tc, short_run_never_seen_running_has_lo_zero);
    tcase_add_test(tc, end_bracketed_exactly_max_gap_apart_has_a_duration_one_more_not);
    tcase_add_test(tc, run_seen_running_is_bracketed_by_polls);
    tcase_add_test(tc, aborted_status_wins_over_exit_code);
    tcase_add_test(tc, newer_run_makes_unfinished_one_unknown);
    tcase_add_test(tc, end_across_a_gap_has_no_duration);
    tcase_add_test(tc, failed_poll_inside_max_gap_keeps_bracket);
    tcase_add_test(tc, failed_polls_beyond_max_gap_lose_bracket);
    tcase_add_test(tc, server_clock_skew_corrects_start);
    tcase_add_test(tc, failed_exit_code_counts_as_error_unknown_code_as_unknown);
    tcase_add_test(tc, service_and_never_run_etls_have_no_runs);
    tcase_add_test(tc, first_observation_running_then_end);
    tcase_add_test(tc, rerun_with_same_start_opens_a_new_run);
    tcase_add_test(tc, older_last_exec_ts_opens_no_run);
    tcase_add_test(tc, end_is_bounded_by_the_end_of_the_pass_that_saw_it);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(runs_suite)
