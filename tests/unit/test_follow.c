/* Follow's pure parts: which ETLs to follow and for how long, when the next round is, the
 * expected start of a batch ETL, when a run may end from its ETL's durations and which runs
 * a round polls within its share of the request budget, the cap on follow; and a follow plan
 * learnt from a real SQLite file. */
#include "check_main.h"
#include "collect.h"
#include "config.h"
#include "db.h"
#include "follow.h"
#include "log.h"
#include "schedule.h"
#include "store.h"

#include <math.h>
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
    ck_assert_uint_eq(follow_pick_running(o, 6, 4000, t), 2);
    ck_assert_int_eq(t[0].etl_id, 1);
    ck_assert_int_eq(t[0].last_poll, 4000);
    ck_assert_int_eq(t[1].etl_id, 5);
    ck_assert_int_eq(t[1].due, 0);
    ck_assert_int_eq(t[1].give_up, 0);
}
END_TEST

START_TEST(a_followed_run_is_kept_until_it_ends_or_its_poll_fails)
{
    struct follow_target t = {.etl_id = 7, .last_exec_ts = 1000, .last_poll = 1900};
    struct observation o = obs(7, "RUNNING", "");
    o.last_exec_ts = 1000;
    ck_assert(follow_keep(&t, &o, 2000));
    ck_assert_int_eq(t.last_poll, 2000);
    struct observation failed = obs(7, "", "timeout after 20 s");
    ck_assert(follow_keep(&t, &failed, 2015)); /* a failed poll says nothing */
    ck_assert_int_eq(t.last_poll, 2000);
    struct observation ended = obs(7, "WAITING", "");
    ended.last_exec_ts = 1000;
    ck_assert(!follow_keep(&t, &ended, 2030));
}
END_TEST

START_TEST(an_expected_start_is_awaited_until_grace_then_followed_once_seen)
{
    /* Expected at 5000, given up at 5060. */
    struct follow_target t = {.etl_id = 8, .last_exec_ts = 1400, .due = 5000, .give_up = 5060};
    struct observation waiting = obs(8, "WAITING", "");
    waiting.last_exec_ts = 1400;
    ck_assert(follow_keep(&t, &waiting, 5015)); /* not started yet: wait */
    ck_assert_int_eq(t.last_poll, 5015);
    ck_assert(!follow_keep(&t, &waiting, 5060)); /* late beyond grace: given up */
    t = (struct follow_target){.etl_id = 8, .last_exec_ts = 1400, .due = 5000, .give_up = 5060};
    struct observation running = obs(8, "RUNNING", "");
    running.last_exec_ts = 5003;
    ck_assert(follow_keep(&t, &running, 5015));
    ck_assert_int_eq(t.give_up, 0); /* a run now: followed until it ends */
    ck_assert_int_eq(t.due, 0);
    ck_assert_int_eq(t.last_exec_ts, 5003);
    ck_assert_int_eq(t.last_poll, 5015);
    waiting.last_exec_ts = 5003;
    ck_assert(!follow_keep(&t, &waiting, 5100));
    /* Started and ended between two polls: a newer last_exec_ts, not RUNNING. */
    t = (struct follow_target){.etl_id = 8, .last_exec_ts = 1400, .due = 5000, .give_up = 5060};
    waiting.last_exec_ts = 5001;
    ck_assert(!follow_keep(&t, &waiting, 5030));
}
END_TEST

/* The next start follow awaits, on UTC only (no wall clock); the grace in *grace. */
static int64_t next_start(const int64_t *starts, size_t n, int64_t server_now, int64_t *grace)
{
    *grace = -1;
    return follow_expected_start(starts, n, server_now, NULL, grace);
}

START_TEST(the_next_start_comes_from_the_learnt_schedule)
{
    /* Hourly at :10 (offset 600), the latest run at 7*3600+600. */
    int64_t starts[8], grace;
    for (int i = 0; i < 8; i++)
        starts[i] = i * 3600 + 600 + (i % 2) * 5;
    ck_assert_int_eq(next_start(starts, 8, 7 * 3600 + 1200, &grace), 8 * 3600 + 600);
    ck_assert_int_eq(grace, sched_grace(3600));
    /* Several expected starts missed: the latest one still within grace (360 s) of now. */
    ck_assert_int_eq(next_start(starts, 8, 10 * 3600 + 700, &grace), 10 * 3600 + 600);
    ck_assert_int_eq(next_start(starts, 8, 10 * 3600 + 960, &grace), 10 * 3600 + 600);
    ck_assert_int_eq(next_start(starts, 8, 10 * 3600 + 961, &grace), 11 * 3600 + 600);
    /* Too few runs, or no rhythm: nothing expected. */
    ck_assert_int_eq(next_start(starts, 3, 7 * 3600, &grace), INT64_MIN);
    int64_t irregular[] = {0, 10, 20, 5000, 5010, 5020, 9000}; /* bursts */
    ck_assert_int_eq(next_start(irregular, 7, 50000, &grace), INT64_MIN);
}
END_TEST

START_TEST(each_round_gets_an_even_share_of_the_requests_left)
{
    /* A window of 240 s from 0, rounds every 15 s: the one at 15 s is the first of 16. */
    ck_assert_int_eq(follow_rounds_left(240000, 15000, 15000), 16);
    ck_assert_int_eq(follow_rounds_left(240000, 225000, 15000), 2);
    ck_assert_int_eq(follow_rounds_left(240000, 239999, 15000), 1);
    ck_assert_int_eq(follow_rounds_left(240000, 240000, 15000), 1); /* the last one */
    ck_assert_int_eq(follow_rounds_left(240000, 250000, 15000), 1);
    ck_assert_uint_eq(follow_quota(100, 16), 7); /* 6.25, rounded up */
    ck_assert_uint_eq(follow_quota(96, 16), 6);
    ck_assert_uint_eq(follow_quota(5, 2), 3);
    ck_assert_uint_eq(follow_quota(5, 1), 5); /* the last round may spend what is left */
    ck_assert_uint_eq(follow_quota(5, 0), 5);
    ck_assert_uint_eq(follow_quota(0, 3), 0);
    ck_assert_uint_eq(follow_quota(-2, 3), 0);
}
END_TEST

/* A target whose ETL's n latest runs all took exactly d seconds (bounds [d, d]). */
static struct follow_target learnt(int64_t d, size_t n)
{
    int64_t lo[SCHED_DUR_WINDOW], hi[SCHED_DUR_WINDOW];
    for (size_t i = 0; i < n; i++)
        lo[i] = hi[i] = d;
    struct follow_target t = {.etl_id = 1};
    follow_learn_ends(&t, lo, hi, n);
    return t;
}

START_TEST(when_a_run_ends_is_learnt_from_its_etls_recent_bounds)
{
    /* Runs of 100 s, each widened by 20 % and 1 s: their ends spread over [79, 121]. */
    struct follow_target t = learnt(100, 5);
    ck_assert(t.ends_from);
    ck_assert_int_eq(t.ends[0], 79);
    ck_assert_int_eq(t.ends[FOLLOW_KNOTS - 1], 121);
    ck_assert_int_eq(t.ends[(FOLLOW_KNOTS - 1) / 2], 100);
    ck_assert_double_eq(follow_ended_share(&t, 50), 0);
    ck_assert_double_eq(follow_ended_share(&t, 79), 0);
    ck_assert_double_eq_tol(follow_ended_share(&t, 100), 0.5, 0.001);
    ck_assert_double_eq_tol(follow_ended_share(&t, 90), 11.0 / 42, 0.02);
    ck_assert_double_eq(follow_ended_share(&t, 121), 1);
    ck_assert_double_eq(follow_ended_share(&t, 5000), 1);
    ck_assert_int_eq(t.ends_from, 5);
    /* One run is enough to learn from, none is not. */
    ck_assert_int_eq(learnt(100, 1).ends_from, 1);
    ck_assert_int_eq(learnt(100, 1).ends[FOLLOW_KNOTS - 1], 121);
    ck_assert_int_eq(learnt(100, 0).ends_from, 0);
    /* Two kinds of run, 60 s and 600 s: half of them end by the first. */
    int64_t lo[] = {60, 600, 60, 600, 60, 600}, hi[] = {60, 600, 60, 600, 60, 600};
    follow_learn_ends(&t, lo, hi, 6);
    ck_assert_double_eq_tol(follow_ended_share(&t, 73), 0.5, 0.001);
    /* Between the two, the knots (every 16th of the runs) interpolate. */
    ck_assert(follow_ended_share(&t, 400) > 0.5 && follow_ended_share(&t, 400) < 9.0 / 16);
    ck_assert_double_eq_tol(follow_ended_share(&t, 600), 0.75, 0.001);
    /* A wide bound spreads the run over all of it. */
    int64_t wlo[] = {0, 0, 0, 0, 0}, whi[] = {300, 300, 300, 300, 300};
    follow_learn_ends(&t, wlo, whi, 5);
    ck_assert_int_eq(t.ends[0], 0);
    ck_assert_int_eq(t.ends[FOLLOW_KNOTS - 1], 361);
    ck_assert_double_eq_tol(follow_ended_share(&t, 180), 0.5, 0.01);
}
END_TEST

START_TEST(the_chance_a_run_has_ended_follows_its_etls_runs)
{
    struct follow_target t = learnt(100, 8);
    /* Near its usual end: almost surely ended between 79 s and 121 s. */
    double any = -expm1(-42.0 / 300);
    ck_assert_double_eq_tol(follow_end_chance(&t, 79, 121, 300),
                            (1 - FOLLOW_UNFORESEEN) + FOLLOW_UNFORESEEN * any, 1e-9);
    /* Half of what remains after 100 s ends within the next 10 s. */
    ck_assert_double_eq_tol(
        follow_end_chance(&t, 100, 110, 300),
        (1 - FOLLOW_UNFORESEEN) * (10.0 / 21) + FOLLOW_UNFORESEEN * -expm1(-10.0 / 300), 0.02);
    /* Long before it: only the unforeseen share. */
    ck_assert_double_eq_tol(follow_end_chance(&t, 10, 25, 300),
                            FOLLOW_UNFORESEEN * -expm1(-15.0 / 300), 1e-9);
    /* Older than every recent run, or nothing learnt: an end rate of 1 / its age. */
    ck_assert_double_eq_tol(follow_end_chance(&t, 600, 615, 300), -expm1(-15.0 / 600), 1e-9);
    /* Fewer runs foresee less: with one, half of the chance is an end rate of 1 / age. */
    ck_assert_double_eq(follow_unforeseen(1), 0.5);
    ck_assert_double_eq(follow_unforeseen(4), 0.2);
    ck_assert_double_eq(follow_unforeseen(SCHED_DUR_MIN), FOLLOW_UNFORESEEN);
    struct follow_target one = learnt(100, 1);
    ck_assert_double_eq_tol(follow_end_chance(&one, 79, 121, 300), 0.5 + 0.5 * any, 1e-9);
    struct follow_target unknown = {.etl_id = 2};
    ck_assert_double_eq_tol(follow_end_chance(&unknown, 20, 35, 300), -expm1(-15.0 / 300), 1e-9);
    ck_assert_double_eq_tol(follow_end_chance(&unknown, 3000, 3015, 300), -expm1(-15.0 / 3000),
                            1e-9);
    ck_assert_double_eq(follow_end_chance(&unknown, 40, 40, 300), 0);
    ck_assert_double_eq(follow_end_chance(&unknown, 40, 30, 300), 0);
}
END_TEST

START_TEST(a_round_polls_the_runs_most_likely_to_have_ended)
{
    /* Server 834 s ahead. A run of a 100 s ETL started at 10834 (server): 10000 on ours. */
    struct follow_target near = learnt(100, 8), early = learnt(1000, 8), fresh = {.etl_id = 3};
    near.last_exec_ts = early.last_exec_ts = fresh.last_exec_ts = 10834;
    near.skew_s = early.skew_s = fresh.skew_s = 834;
    near.last_poll = early.last_poll = fresh.last_poll = 10090;
    /* At 10105: the 100 s run is most likely over; the 1000 s one least. */
    double w_near = follow_worth(&near, 10105, 300), w_early = follow_worth(&early, 10105, 300),
           w_fresh = follow_worth(&fresh, 10105, 300);
    ck_assert_double_eq_tol(w_near, 15 * follow_end_chance(&near, 90, 105, 300), 1e-9);
    ck_assert(w_near > w_fresh && w_fresh > w_early && w_early > 0);
    /* Not polled for longer: worth more. */
    ck_assert(follow_worth(&early, 10150, 300) > 4 * w_early);
    ck_assert_double_eq(follow_worth(&near, 10090, 300), 0);
    /* An awaited start, due at 10100 and given up at 10160, last polled by the pass at
     * 10000: never before it is due; then the chance it has come (even over the 60 s) times
     * the time since its last poll. Its first poll is worth the most. */
    struct follow_target start = {.etl_id = 4, .due = 10100, .give_up = 10160, .last_poll = 10000};
    ck_assert_double_eq(follow_worth(&start, 10099, 300), -1);
    ck_assert_double_eq(follow_worth(&start, 10100, 300), 0);
    ck_assert_double_eq_tol(follow_start_chance(&start, 10115), 0.25, 1e-9);
    ck_assert_double_eq_tol(follow_worth(&start, 10115, 300), 0.25 * 115, 1e-9);
    ck_assert(follow_worth(&start, 10115, 300) > follow_worth(&near, 10115, 300));
    start.last_poll = 10115; /* seen WAITING at 10115: the rest of the grace is 45 s */
    ck_assert_double_eq_tol(follow_start_chance(&start, 10130), 1.0 / 3, 1e-9);
    ck_assert_double_eq_tol(follow_worth(&start, 10130, 300), 5, 1e-9);
    ck_assert_double_eq(follow_start_chance(&start, 10160), 1);

    struct follow_pick p[] = {{0.5, 0, 0},      {-1, 0, 1},  {2.0, 0, 2}, {0.5, 1, 0},
                              {HUGE_VAL, 1, 1}, {0.1, 1, 2}, {0.5, 0, 3}};
    /* The three worth the most, the earlier of equals, back in collector order. */
    ck_assert_uint_eq(follow_choose(p, 7, 3), 3);
    ck_assert_uint_eq(p[0].ci, 0);
    ck_assert_uint_eq(p[0].fi, 0);
    ck_assert_uint_eq(p[1].fi, 2);
    ck_assert_uint_eq(p[2].ci, 1);
    ck_assert_uint_eq(p[2].fi, 1);
    struct follow_pick q[] = {{-1, 0, 0}, {0, 0, 1}, {0.2, 1, 0}};
    ck_assert_uint_eq(follow_choose(q, 3, 10), 2); /* not due: never */
    ck_assert_uint_eq(q[0].fi, 1);
    ck_assert_uint_eq(follow_choose(q, 3, 0), 0);
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

START_TEST(a_planned_start_is_due_on_our_clock_less_the_server_skew)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/etlhist-test-follow-skew-%d.db", (int)getpid());
    unlink(path);
    sqlite3 *db;
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.follow = 240;
    cfg.follow_interval = 15;
    struct instance_config ic = {.name = "prod"};
    struct collector c = {.cfg = &cfg, .ic = &ic, .db = db};
    /* Six hourly runs on the server's clock, which is 100 s ahead of ours. */
    int64_t start = 0;
    for (int k = 0; k < 6; k++) {
        start = 100000 + 3600 * k;
        poll_at(db, start - 100 + 60, "RUNNING", start);
        poll_at(db, start - 100 + 360, "WAITING", start);
    }
    /* The next start is 103600 + 5 x 3600 on the server's clock: 100 s earlier on ours. */
    int64_t next = start + 3600, now = next - 100 - 200;
    struct observation o = obs(321, "WAITING", "");
    snprintf(o.exit_code, sizeof o.exit_code, "OK");
    o.last_exec_ts = start;
    ck_assert_int_eq(follow_plan(&c, &o, 1, now, 100), 0);
    ck_assert_uint_eq(c.n_follow, 1);
    ck_assert_int_eq(c.follow[0].due, next - 100);
    ck_assert_int_eq(c.follow[0].give_up, next - 100 + sched_grace(3600));
    free(c.follow);
    config_free(&cfg);
    sqlite3_close(db);
    unlink(path);
}
END_TEST

START_TEST(a_plan_learns_when_a_run_may_end_from_the_runs_in_the_database)
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
        if (k == 4) { /* four bracketed runs: learnt from, less sure */
            struct observation o = obs(321, "RUNNING", "");
            o.last_exec_ts = start;
            ck_assert_int_eq(follow_plan(&c, &o, 1, start - 100 + seen[k], 100), 0);
            ck_assert_uint_eq(c.n_follow, 1);
            ck_assert_int_eq(c.follow[0].ends_from, 4);
            ck_assert_int_eq(c.follow[0].due, 0);
        }
        poll_at(db, start - 100 + seen[k] + 300, "WAITING", start);
    }
    /* Five: a run seen 60 s after its start is followed with what they say. */
    int64_t start = 100000 + 3600 * 5, now = start - 100 + 60;
    poll_at(db, now, "RUNNING", start);
    struct observation o = obs(321, "RUNNING", "");
    o.last_exec_ts = start;
    ck_assert_int_eq(follow_plan(&c, &o, 1, now, 100), 0);
    ck_assert_uint_eq(c.n_follow, 1);
    ck_assert_int_eq(c.follow[0].ends_from, 5);
    ck_assert_int_eq(c.follow[0].skew_s, 100);
    ck_assert_int_eq(c.follow[0].last_poll, now);
    /* From the shortest lower bound (200 s, less 20 % and 1 s) to the longest upper bound
     * (701 s: seen ended 300 s after RUNNING, plus the second a poll takes; then plus 20 % and
     * 1 s). */
    ck_assert_int_eq(c.follow[0].ends[0], 159);
    ck_assert_int_eq(c.follow[0].ends[FOLLOW_KNOTS - 1], 842);
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
    /* The last round comes at the window's end; after it, over. */
    ck_assert_int_eq(follow_next_round(1000, 60000, 46000, 15000, 46100), 61000);
    ck_assert_int_eq(follow_next_round(1000, 60000, 46001, 15000, 46100), -1);
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
    tcase_add_test(tc, each_round_gets_an_even_share_of_the_requests_left);
    tcase_add_test(tc, when_a_run_ends_is_learnt_from_its_etls_recent_bounds);
    tcase_add_test(tc, the_chance_a_run_has_ended_follows_its_etls_runs);
    tcase_add_test(tc, a_round_polls_the_runs_most_likely_to_have_ended);
    tcase_add_test(tc, a_plan_learns_when_a_run_may_end_from_the_runs_in_the_database);
    tcase_add_test(tc, a_planned_start_is_due_on_our_clock_less_the_server_skew);
    tcase_add_test(tc, rounds_come_every_interval_and_stop_at_the_window_end);
    tcase_add_test(tc, follow_is_capped_at_interval_minus_timeout);
    tcase_add_test(tc, print_config_says_why_follow_was_capped);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(follow_suite)
