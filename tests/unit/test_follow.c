/* Follow's pure parts: which ETLs to follow, when the next round is, the cap on follow. */
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
    int64_t ids[6];
    ck_assert_uint_eq(collector_pick_follow(o, 6, 0, ids), 2);
    ck_assert_int_eq(ids[0], 1);
    ck_assert_int_eq(ids[1], 5);
}
END_TEST

START_TEST(a_followed_etl_whose_poll_failed_stays_followed)
{
    struct observation o[] = {obs(1, "WAITING", ""), obs(4, "", "timeout after 20 s"),
                              obs(5, "RUNNING", "")};
    int64_t ids[3];
    ck_assert_uint_eq(collector_pick_follow(o, 3, 1, ids), 2);
    ck_assert_int_eq(ids[0], 4);
    ck_assert_int_eq(ids[1], 5);
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
    tcase_add_test(tc, a_followed_etl_whose_poll_failed_stays_followed);
    tcase_add_test(tc, rounds_come_every_interval_and_stop_at_the_window_end);
    tcase_add_test(tc, follow_is_capped_at_interval_minus_timeout);
    tcase_add_test(tc, print_config_says_why_follow_was_capped);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(follow_suite)
