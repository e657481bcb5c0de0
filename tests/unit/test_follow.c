/* Follow's pure parts: which ETLs to follow and for how long, when the next round is, the
 * expected start of a batch ETL, the request budget, the cap on follow. */
#include "check_main.h"
#include "collect.h"
#include "config.h"
#include "follow.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

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
    struct follow_target t = {7, 1000, 0, 0};
    struct observation o = obs(7, "RUNNING", "");
    o.last_exec_ts = 1000;
    ck_assert(follow_keep(&t, &o, 2000));
    struct observation failed = obs(7, "", "timeout after 20 s");
    ck_assert(follow_keep(&t, &failed, 2015)); /* a failed poll says nothing */
    struct observation ended = obs(7, "WAITING", "");
    ended.last_exec_ts = 1000;
    ck_assert(!follow_keep(&t, &ended, 2030));
}
END_TEST

START_TEST(an_expected_start_is_awaited_until_grace_then_followed_once_seen)
{
    /* Expected at 5000, given up at 5060. */
    struct follow_target t = {8, 1400, 5000, 5060};
    struct observation waiting = obs(8, "WAITING", "");
    waiting.last_exec_ts = 1400;
    ck_assert(follow_keep(&t, &waiting, 5015));  /* not started yet: wait */
    ck_assert(!follow_keep(&t, &waiting, 5060)); /* late beyond grace: given up */
    t = (struct follow_target){8, 1400, 5000, 5060};
    struct observation running = obs(8, "RUNNING", "");
    running.last_exec_ts = 5003;
    ck_assert(follow_keep(&t, &running, 5015));
    ck_assert_int_eq(t.give_up, 0); /* a run now: followed until it ends */
    ck_assert_int_eq(t.last_exec_ts, 5003);
    waiting.last_exec_ts = 5003;
    ck_assert(!follow_keep(&t, &waiting, 5100));
    /* Started and ended between two polls: a newer last_exec_ts, not RUNNING. */
    t = (struct follow_target){8, 1400, 5000, 5060};
    waiting.last_exec_ts = 5001;
    ck_assert(!follow_keep(&t, &waiting, 5030));
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

START_TEST(many_running_etls_stretch_the_follow_interval)
{
    ck_assert_int_eq(follow_stretch(280, 15, 5, 1000), 15);    /* few: as configured */
    ck_assert_int_eq(follow_stretch(280, 15, 1, 2), 15);       /* small passes: a floor */
    ck_assert_int_eq(follow_stretch(280, 15, 500, 1000), 140); /* half running */
    ck_assert_int_eq(follow_stretch(280, 15, 100, 100), 280);
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
    tcase_add_test(tc, many_running_etls_stretch_the_follow_interval);
    tcase_add_test(tc, rounds_come_every_interval_and_stop_at_the_window_end);
    tcase_add_test(tc, follow_is_capped_at_interval_minus_timeout);
    tcase_add_test(tc, print_config_says_why_follow_was_capped);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(follow_suite)
