/* The fake CO server's scenario model (tests/fakeco/scenario.c): explicit run starts and
 * ended_from, as the accuracy generator relies on them. */
#include "check_main.h"
#include "scenario.h"

#include <stdio.h>
#include <string.h>

static char err[256];

static struct fake_scenario *parse(const char *text)
{
    err[0] = '\0';
    return scenario_parse(text, strlen(text), "t.scn", err, sizeof err);
}

static const char *status_at(const struct fake_etl *e, int64_t t, struct fake_state *st)
{
    ck_assert_int_eq(scenario_state(e, t, st), 0);
    return st->status_kind == FAKE_STATUS_VALUE ? st->status : "(none)";
}

START_TEST(listed_starts_give_run_k_at_the_kth_time)
{
    struct fake_scenario *sc = parse("etl 1 starts=100,200,500 duration=10,20,30 "
                                     "outcomes=OK,ERROR,WARNING\n");
    ck_assert_msg(sc != NULL, "%s", err);
    const struct fake_etl *e = scenario_find(sc, 1);
    ck_assert_int_eq(e->kind, FAKE_ETL_SCHEDULED);
    ck_assert_int_eq(scenario_run_start(e, 0), 100);
    ck_assert_int_eq(scenario_run_start(e, 2), 500);
    ck_assert_int_eq(scenario_run_start(e, 3), SCENARIO_NEVER);
    scenario_free(sc);
}
END_TEST

START_TEST(listed_starts_state_runs_finishes_and_holds_after_the_last)
{
    struct fake_state st;
    struct fake_scenario *sc = parse("etl 1 starts=100,200,500 duration=10,20,30 "
                                     "outcomes=OK,ERROR,WARNING\n");
    ck_assert_msg(sc != NULL, "%s", err);
    const struct fake_etl *e = scenario_find(sc, 1);
    ck_assert_str_eq(status_at(e, 99, &st), "(none)");
    ck_assert_int_eq(st.run, -1);
    ck_assert_str_eq(status_at(e, 100, &st), "RUNNING");
    ck_assert_int_eq(st.last_exec_ts, 100);
    ck_assert_str_eq(status_at(e, 219, &st), "RUNNING");
    ck_assert_str_eq(status_at(e, 220, &st), "WAITING");
    ck_assert_str_eq(st.exit_code, "ERROR");
    ck_assert_int_eq(st.run, 1);
    ck_assert_str_eq(status_at(e, 499, &st), "WAITING");
    ck_assert_int_eq(st.last_exec_ts, 200);
    ck_assert_str_eq(status_at(e, 1000000, &st), "WAITING");
    ck_assert_str_eq(st.exit_code, "WARNING");
    ck_assert_int_eq(st.last_exec_ts, 500);
    scenario_free(sc);
}
END_TEST

START_TEST(ended_from_turns_finished_runs_ended_from_that_time)
{
    struct fake_state st;
    struct fake_scenario *sc = parse("etl 1 period=100 duration=10 ended_from=250\n"
                                     "etl 2 starts=0,100 duration=10 ended_from=101\n");
    ck_assert_msg(sc != NULL, "%s", err);
    const struct fake_etl *e = scenario_find(sc, 1);
    ck_assert_str_eq(status_at(e, 249, &st), "WAITING");
    ck_assert_str_eq(status_at(e, 250, &st), "ENDED");
    ck_assert_str_eq(status_at(e, 305, &st), "RUNNING");
    ck_assert_str_eq(status_at(e, 310, &st), "ENDED");
    e = scenario_find(sc, 2);
    ck_assert_str_eq(status_at(e, 50, &st), "WAITING");
    ck_assert_str_eq(status_at(e, 105, &st), "RUNNING");
    ck_assert_str_eq(status_at(e, 5000, &st), "ENDED");
    ck_assert_int_eq(st.last_exec_ts, 100);
    scenario_free(sc);
}
END_TEST

static void refused(const char *text, const char *cause)
{
    struct fake_scenario *sc = parse(text);
    ck_assert_msg(sc == NULL, "accepted: %s", text);
    ck_assert_msg(strstr(err, cause) != NULL, "%s: %s", text, err);
}

START_TEST(starts_and_ended_from_are_parsed_strictly)
{
    refused("etl 1 starts=100,100\n", "strictly ascending");
    refused("etl 1 starts=200,100\n", "strictly ascending");
    refused("etl 1 starts=100,,200\n", "bad starts");
    refused("etl 1 starts=100 period=60\n", "excludes period");
    refused("etl 1 starts=100 jitter=5\n", "excludes period");
    refused("etl 1 starts=100 offset=5\n", "excludes period");
    refused("etl 1 starts=100 ended ended_from=5\n", "exclude each other");
    refused("etl 1 ended_from=5\n", "need period= or starts=");
    refused("etl 1 service starts=5\n", "service ETLs take no");
    refused("etl 1 starts=1 starts=2\n", "duplicate starts");
    refused("etl 1 period=60 ended_from=x\n", "bad ended_from");
}
END_TEST

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, listed_starts_give_run_k_at_the_kth_time);
    tcase_add_test(tc, listed_starts_state_runs_finishes_and_holds_after_the_last);
    tcase_add_test(tc, ended_from_turns_finished_runs_ended_from_that_time);
    tcase_add_test(tc, starts_and_ended_from_are_parsed_strictly);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(scenario_suite)
