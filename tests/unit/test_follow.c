/* Follow's pure parts: which ETLs to follow and for how long, when the next round is, the
 * expected start of a batch ETL, how often a run is polled from its ETL's durations, the
 * request budget, the cap on follow; and a follow plan learnt from a real SQLite file. */
#include "check_main.h"
#include "collect.h"
#include "config.h"
#include "db.h"
#include "follow.h"
#include "log.h"
#include "schedule.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct observation obs(int64_t id, const char *status, const char *error)
{
    struct observation o;
    memset(&o, 0, sizeof o);
    o.etl_id = id;
    o.task_id = -1;
    snprintf(o.status, sizeof o.status, "%s", status);
    snprintf(o.error, sizeof o.error, "%s", error);
    return o;
}

START_TEST(after_a_pass_only_running_etls_are_followed)
{
    struct observation o[] = {obs(1, "RUNNING", ""), obs(2, "WAITING", ""),
                              obs(3, "ENDED", ""),   obs(4, "", "HTTP 500"),
                              obs(5, "RUNNING", ""), obs(6, "SERVICE_ON", "")};
    struct follow_target t[6];
    ck_assert_uint_eq(follow_pick_running(o, 6, t), 2);
    ck_assert_int_eq(t[0].etl_id, 1);
    ck_assert_int_eq(t[1].etl_id, 5);
    ck_assert_int_eq(t[1].due, 0);
    ck_assert_int_eq(t[1].give_up, 0);
}
END_TEST

START_TEST(a_followed_run_is_kept_until_it_ends_or_its_poll_fails)
{
    struct follow_target t = {7, 1000, 0, 0, 0, 0};
    struct observation o = obs(7, "RUNNING", "");
    o.last_exec_ts = 1000;
    ck_assert(follow_keep(&t, &o, 2000, 60));
    struct observation failed = obs(7, "", "timeout after 20 s");
    ck_assert(follow_keep(&t, &failed, 2015, 60)); /* a failed poll says nothing */
    struct observation ended = obs(7, "WAITING", "");
    ended.last_exec_ts = 1000;
    ck_assert(!follow_keep(&t, &ended, 2030, 60));
}
END_TEST

START_TEST(an_expected_start_is_awaited_until_grace_then_followed_once_seen)
{
    /* Expected at 5000, given up at 5060. */
    struct follow_target t = {8, 1400, 5000, 5060, 0, 0};
    struct observation waiting = obs(8, "WAITING", "");
    waiting.last_exec_ts = 1400;
    ck_assert(follow_keep(&t, &waiting, 5015, 60));  /* not started yet: wait */
    ck_assert(!follow_keep(&t, &waiting, 5060, 60)); /* late beyond grace: given up */
    t = (struct follow_target){8, 1400, 5000, 5060, 0, 0};
    struct observation running = obs(8, "RUNNING", "");
    running.last_exec_ts = 5003;
    ck_assert(follow_keep(&t, &running, 5015, 60));
    ck_assert_int_eq(t.give_up, 0); /* a run now: followed until it ends */
    ck_assert_int_eq(t.last_exec_ts, 5003);
    waiting.last_exec_ts = 5003;
    ck_assert(!follow_keep(&t, &waiting, 5100, 60));
    /* Started and ended between two polls: a newer last_exec_ts, not RUNNING. */
    t = (struct follow_target){8, 1400, 5000, 5060, 0, 0};
    waiting.last_exec_ts = 5001;
    ck_assert(!follow_keep(&t, &waiting, 5030, 60));
}
END_TEST

START_TEST(the_next_start_comes_from_the_learnt_schedule)
{
    /* Hourly at :10 (offset 600), the latest run at 7*3600+600. */
    int64_t starts[8];
    for (int i = 0; i < 8; i++)
        starts[i] = i * 3600 + 600 + (i % 2) * 5;
    ck_assert_int_eq(follow_expected_start(starts, 8, 7 * 3600 + 1200), 8 * 3600 + 600);
    /* Several expected starts missed: the latest one still within grace (360 s) of now. */
    ck_assert_int_eq(follow_expected_start(starts, 8, 10 * 3600 + 700), 10 * 3600 + 600);
    ck_assert_int_eq(follow_expected_start(starts, 8, 10 * 3600 + 1000), 11 * 3600 + 600);
    /* Too few runs, or no rhythm: nothing expected. */
    ck_assert_int_eq(follow_expected_start(starts, 3, 7 * 3600), INT64_MIN);
    int64_t irregular[] = {0, 10, 20, 5000, 5010, 5020, 9000}; /* bursts */
    ck_assert_int_eq(follow_expected_start(irregular, 7, 50000), INT64_MIN);
}
END_TEST

START_TEST(rounds_are_paced_to_the_requests_left_in_the_budget)
{
    ck_assert_int_eq(follow_pace(240, 15, 5, 0, 100), 15); /* 16 rounds x 5 = 80: fits */
    ck_assert_int_eq(follow_pace(240, 15, 6, 0, 96), 15);  /* 96: exactly */
    ck_assert_int_eq(follow_pace(240, 15, 7, 0, 96), 18);  /* 112: stretched */
    /* A slow target costs a quarter of a fast one. */
    ck_assert_int_eq(follow_pace(240, 15, 4, 8, 96), 15);
    ck_assert_int_eq(follow_pace(240, 15, 4, 9, 96), 16);
    ck_assert_int_eq(follow_pace(240, 15, 0, 24, 96), 15);
    /* Fewer requests left: later rounds stretch; none left: over. */
    ck_assert_int_eq(follow_pace(120, 15, 10, 0, 20), 60);
    ck_assert_int_eq(follow_pace(120, 15, 10, 0, 1), 1200);
    ck_assert_int_eq(follow_pace(120, 15, 10, 0, 0), -1);
    ck_assert_int_eq(follow_pace(0, 15, 10, 0, 5), 15);
}
END_TEST

START_TEST(a_run_is_near_its_end_from_its_etls_shortest_recent_run_on)
{
    int64_t lows[] = {900, 640, 1210, 700, 1000, 655};
    ck_assert_int_eq(follow_near_s(lows, 6), 640);
    ck_assert_int_eq(follow_near_s(lows + 1, SCHED_DUR_MIN), 640);
    /* Too little history: every round, as without it. */
    ck_assert_int_eq(follow_near_s(lows, SCHED_DUR_MIN - 1), 0);
    ck_assert_int_eq(follow_near_s(lows, 0), 0);
    int64_t with_zero[] = {900, 0, 1210, 700, 1000}; /* a run seen only ended */
    ck_assert_int_eq(follow_near_s(with_zero, 5), 0);
}
END_TEST

START_TEST(a_run_before_its_usual_end_is_polled_every_slow_interval)
{
    /* Started at 10834 on the server, whose clock is 834 s ahead: 10000 on ours; near 640 s,
     * so polled every round from 10640 (our clock) on. */
    struct follow_target t = {9, 10834, 0, 0, 640, 834};
    ck_assert_int_eq(follow_next_due(&t, 10100, 60), 10160);
    ck_assert_int_eq(follow_next_due(&t, 10580, 60), 10640); /* not past near */
    ck_assert_int_eq(follow_next_due(&t, 10579, 60), 10639);
    ck_assert_int_eq(follow_next_due(&t, 10639, 60), 10640);
    ck_assert_int_eq(follow_next_due(&t, 10640, 60), 0); /* near: every round */
    ck_assert_int_eq(follow_next_due(&t, 12000, 60), 0); /* past it: every round */
    t.near_s = 0;                                        /* too little history */
    ck_assert_int_eq(follow_next_due(&t, 10100, 60), 0);
    /* A poll that sees it RUNNING sets when it is next due; a newer run starts over. */
    t = (struct follow_target){9, 10834, 0, 0, 640, 834};
    struct observation o = obs(9, "RUNNING", "");
    o.last_exec_ts = 10834;
    ck_assert(follow_keep(&t, &o, 10300, 60));
    ck_assert_int_eq(t.due, 10360);
    ck_assert(follow_keep(&t, &o, 10600, 60));
    ck_assert_int_eq(t.due, 10640);
    ck_assert(follow_keep(&t, &o, 10640, 60));
    ck_assert_int_eq(t.due, 0);
    /* An expected start seen RUNNING: its run has just begun, so it is slow first. */
    t = (struct follow_target){9, 10834, 20000, 20060, 640, 834};
    o.last_exec_ts = 20834;
    ck_assert(follow_keep(&t, &o, 20015, 60));
    ck_assert_int_eq(t.give_up, 0);
    ck_assert_int_eq(t.due, 20075);
}
END_TEST

/* One poll of ETL 321 at t (our clock) by a pass whose server clock is 100 s ahead. */
static void poll_at(sqlite3 *db, int64_t t, const char *status, int64_t exec)
{
    struct observation o = obs(321, status, "");
    o.last_exec_ts = exec;
    snprintf(o.exit_code, sizeof o.exit_code, "%s", strcmp(status, "RUNNING") ? "OK" : "");
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = t,
                              .finished = t + 1,
                              .polled = 1,
                              .has_skew = 1,
                              .skew_s = 100};
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
}

START_TEST(a_plan_learns_when_a_run_is_near_its_end_from_the_runs_in_the_database)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/etlhist-test-follow-%d.db", (int)getpid());
    unlink(path);
    sqlite3 *db;
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.follow = 240;
    cfg.follow_interval = 15;
    struct instance_config ic = {.name = "prod"};
    struct collector c = {.cfg = &cfg, .ic = &ic, .db = db};
    /* Runs every hour (server clock) seen RUNNING this long after their start, then ended
     * 300 s later: lower bounds 300, 200, 400, 250, 350 s. */
    static const int64_t seen[] = {300, 200, 400, 250, 350};
    for (int k = 0; k < 5; k++) {
        int64_t start = 100000 + 3600 * k;
        poll_at(db, start - 100 + seen[k], "RUNNING", start);
        if (k == 4) { /* four bracketed runs: too few, every round */
            struct observation o = obs(321, "RUNNING", "");
            o.last_exec_ts = start;
            ck_assert_int_eq(follow_plan(&c, &o, 1, start - 100 + seen[k], 100), 0);
            ck_assert_uint_eq(c.n_follow, 1);
            ck_assert_int_eq(c.follow[0].near_s, 0);
            ck_assert_int_eq(c.follow[0].due, 0);
        }
        poll_at(db, start - 100 + seen[k] + 300, "WAITING", start);
    }
    /* Five: a run seen 60 s after its start is polled 60 s later, then every round from
     * 200 s on. */
    int64_t start = 100000 + 3600 * 5, now = start - 100 + 60;
    poll_at(db, now, "RUNNING", start);
    struct observation o = obs(321, "RUNNING", "");
    o.last_exec_ts = start;
    ck_assert_int_eq(follow_plan(&c, &o, 1, now, 100), 0);
    ck_assert_uint_eq(c.n_follow, 1);
    ck_assert_int_eq(c.follow[0].near_s, 200);
    ck_assert_int_eq(c.follow[0].skew_s, 100);
    ck_assert_int_eq(c.follow[0].due, now + FOLLOW_SLOW * 15);
    ck_assert_int_eq(follow_next_due(&c.follow[0], now + 130, 60), start - 100 + 200);
    free(c.follow);
    config_free(&cfg);
    sqlite3_close(db);
    unlink(path);
}
END_TEST

START_TEST(rounds_come_every_interval_and_stop_at_the_window_end)
{
    /* Passes began at 1000 ms; follow 60 s, every 15 s. */
    ck_assert_int_eq(follow_next_round(1000, 60000, INT64_MIN, 15000, 3000), 16000);
    ck_assert_int_eq(follow_next_round(1000, 60000, 16000, 15000, 16500), 31000);
    /* A slow pass or round: the next one starts at once. */
    ck_assert_int_eq(follow_next_round(1000, 60000, INT64_MIN, 15000, 20000), 20000);
    /* 61000 would be at the window's end: over. */
    ck_assert_int_eq(follow_next_round(1000, 60000, 46000, 15000, 46100), -1);
    ck_assert_int_eq(follow_next_round(1000, 60000, 31000, 15000, 70000), -1);
}
END_TEST

START_TEST(follow_is_capped_at_interval_minus_timeout)
{
    ck_assert_int_eq(config_follow_cap(300, 20), 280);
    ck_assert_int_eq(config_follow_cap(10, 20), 0);
    struct config cfg;
    config_defaults(&cfg);
    config_resolve_follow(&cfg, 300, 0);
    ck_assert_int_eq(cfg.follow, 0); /* one pass: off unless asked */
    config_free(&cfg);
    config_defaults(&cfg);
    config_resolve_follow(&cfg, 60, 1);
    ck_assert_int_eq(cfg.follow, 40); /* --loop 60: on, up to the next pass */
    config_free(&cfg);
    config_defaults(&cfg);
    cfg.follow = 600;
    config_resolve_follow(&cfg, 300, 0);
    ck_assert_int_eq(cfg.follow, 280);
    ck_assert_int_eq(cfg.follow_asked, 600);
    config_free(&cfg);
    config_defaults(&cfg);
    cfg.follow = 0;
    config_resolve_follow(&cfg, 300, 1);
    ck_assert_int_eq(cfg.follow, 0); /* off stays off with --loop */
    config_free(&cfg);
}
END_TEST

START_TEST(print_config_says_why_follow_was_capped)
{
    struct config cfg;
    char buf[2048] = "";
    config_defaults(&cfg);
    cfg.follow = 900;
    config_resolve_follow(&cfg, 300, 0);
    FILE *f = fmemopen(buf, sizeof buf, "w");
    config_print(&cfg, f);
    fclose(f);
    ck_assert(strstr(buf, "; follow capped from 900 s"));
    ck_assert(strstr(buf, "\nfollow = 280\nfollow_interval = 15\n"));
    config_free(&cfg);
}
END_TEST

static Suite *follow_suite(void)
{
    Suite *s = suite_create("follow");
    TCase *tc = tcase_create("follow");
    log_init("test", -1);
    tcase_add_test(tc, after_a_pass_only_running_etls_are_followed);
    tcase_add_test(tc, a_followed_run_is_kept_until_it_ends_or_its_poll_fails);
    tcase_add_test(tc, an_expected_start_is_awaited_until_grace_then_followed_once_seen);
    tcase_add_test(tc, the_next_start_comes_from_the_learnt_schedule);
    tcase_add_test(tc, rounds_are_paced_to_the_requests_left_in_the_budget);
    tcase_add_test(tc, a_run_is_near_its_end_from_its_etls_shortest_recent_run_on);
    tcase_add_test(tc, a_run_before_its_usual_end_is_polled_every_slow_interval);
    tcase_add_test(tc, a_plan_learns_when_a_run_is_near_its_end_from_the_runs_in_the_database);
    tcase_add_test(tc, rounds_come_every_interval_and_stop_at_the_window_end);
    tcase_add_test(tc, follow_is_capped_at_interval_minus_timeout);
    tcase_add_test(tc, print_config_says_why_follow_was_capped);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(follow_suite)
