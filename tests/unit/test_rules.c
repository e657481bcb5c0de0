/* The shared judging rules (common/rules.c) at their boundaries, end to end: polls stored by
 * the collector's store_pass() in a real SQLite file, read back by the report's query layer
 * and by the metrics file. Each case sits just inside, on and just outside its boundary. */
#include "check_main.h"
#include "db.h"
#include "log.h"
#include "prom.h"
#include "rules.h"
#include "store.h"
#include "query.h"
#include "run.h"
#include "defs.h"
#include "history.h"
#include "expect.h"
#include "metrics_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define B 1795003200 /* 2026-11-18 12:00:00 UTC */

static char path[128];

static sqlite3 *fresh_db(void)
{
    sqlite3 *db;
    snprintf(path, sizeof path, "/tmp/etlhist-test-rules-%d.db", (int)getpid());
    unlink(path);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    return db;
}

/* One pass at t with the given interval that polls ETL etl_id once. */
static void poll(sqlite3 *db, int64_t t, long interval, int64_t etl_id, const char *status,
                 const char *exit_code, int64_t exec)
{
    struct observation o = {.etl_id = etl_id, .task_id = 1, .last_exec_ts = exec};
    snprintf(o.status, sizeof o.status, "%s", status);
    snprintf(o.exit_code, sizeof o.exit_code, "%s", exit_code);
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = interval,
                              .started = t,
                              .finished = t,
                              .polled = 1,
                              .ok = 1};
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
}

/* The report's view of ETL etl_id: the file opened read-only, as etlhist-report does. */
struct view {
    struct source src;
    struct etl_list etls;
    const struct query_etl *etl;
};

static void view_open(struct view *v, int64_t etl_id)
{
    memset(v, 0, sizeof *v);
    ck_assert_int_eq(query_open(&v->src, path), 0);
    struct report_filter all = {0};
    ck_assert_int_eq(report_list(&v->src, 1, &all, &v->etls), 0);
    for (size_t i = 0; i < v->etls.n; i++)
        if (v->etls.v[i].etl_id == etl_id)
            v->etl = &v->etls.v[i];
    ck_assert_ptr_nonnull(v->etl);
}

static void view_close(struct view *v)
{
    etl_list_free(&v->etls);
    query_close(&v->src);
}

static int64_t observed(int64_t etl_id, int64_t since, int64_t until)
{
    struct view v;
    struct sample_scan scan;
    struct window w = {since, until, NULL};
    view_open(&v, etl_id);
    ck_assert_int_eq(history_samples(v.etl, &w, &scan), 0);
    int64_t seconds = scan.cov.observed;
    history_samples_free(&scan);
    view_close(&v);
    return seconds;
}

START_TEST(gap_of_exactly_max_gap_is_observed_one_second_more_is_not)
{
    sqlite3 *db = fresh_db();
    /* Each poll changes the payload, so each opens a sample: only the gap rule joins them. */
    poll(db, B, 300, 1, "WAITING", "OK", B - 100);
    poll(db, B + 900, 300, 1, "WAITING", "ERROR", B - 100); /* 3 x 300: observed */
    poll(db, B + 1801, 300, 1, "WAITING", "OK", B - 100);   /* 3 x 300 + 1: not */
    db_close(db);
    ck_assert_int_eq(observed(1, B, B + 1801), 900);
}
END_TEST

START_TEST(changing_the_interval_does_not_rejudge_old_coverage)
{
    sqlite3 *db = fresh_db();
    poll(db, B, 300, 1, "WAITING", "OK", B - 100);
    poll(db, B + 600, 300, 1, "WAITING", "ERROR", B - 100); /* 600 <= 3 x 300: observed */
    poll(db, B + 1200, 60, 1, "WAITING", "OK", B - 100);    /* 600 > 3 x 60: not */
    poll(db, B + 1260, 60, 1, "WAITING", "ERROR", B - 100); /* 60: observed */
    db_close(db);
    ck_assert_int_eq(observed(1, B, B + 1260), 660);
    struct view v;
    view_open(&v, 1);
    ck_assert_int_eq(v.etl->interval, 60); /* staleness and "stopped" use the latest pass */
    ck_assert_int_eq(v.etl->max_gap, rules_max_gap(60));
    view_close(&v);
}
END_TEST

struct first_run {
    int seen;
    char outcome[16];
};

static int take_first(void *arg, const struct query_run *r)
{
    struct first_run *f = arg;
    if (!f->seen++)
        snprintf(f->outcome, sizeof f->outcome, "%s", r->outcome);
    return 0;
}

/* The outcome both run queries give ETL 1's only run. */
static void check_outcome(const char *want)
{
    struct view v;
    struct first_run in = {0}, before = {0};
    view_open(&v, 1);
    ck_assert_int_eq(query_runs(v.etl, B - 3600, B + 86400, take_first, &in), 0);
    ck_assert_int_eq(query_runs_before(v.etl, B + 86400, take_first, &before), 0);
    view_close(&v);
    ck_assert_int_eq(in.seen, 1);
    ck_assert_str_eq(in.outcome, want);
    ck_assert_str_eq(before.outcome, want);
}

START_TEST(running_run_is_unknown_once_polled_past_max_gap_without_it)
{
    sqlite3 *db = fresh_db();
    poll(db, B, 300, 1, "RUNNING", "", B - 60);
    /* The instance goes on being polled, but only for ETL 2. */
    poll(db, B + 600, 300, 2, "WAITING", "OK", B - 60);
    poll(db, B + 900, 300, 2, "WAITING", "OK", B - 60); /* exactly max_gap after */
    db_close(db);
    check_outcome("RUNNING");
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    poll(db, B + 901, 300, 2, "WAITING", "OK", B - 60); /* max_gap + 1 */
    db_close(db);
    check_outcome("UNKNOWN");
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    ck_assert_int_eq(db_exec(db, "SELECT 1 FROM v_run WHERE outcome = 'RUNNING'"), 0);
    db_close(db);
}
END_TEST

/* Runs ERROR, ERROR, WARNING, ERROR, oldest first: the WARNING ended the first streak. */
static void error_warning_error(sqlite3 *db)
{
    static const char *const outcomes[] = {"ERROR", "ERROR", "WARNING", "ERROR"};
    for (int i = 0; i < 4; i++)
        poll(db, B + 1000 * i + 100, 300, 1, "WAITING", outcomes[i], B + 1000 * i);
}

START_TEST(warning_run_ends_a_failure_streak_in_the_report)
{
    sqlite3 *db = fresh_db();
    error_warning_error(db);
    db_close(db);
    struct view v;
    struct latest_runs lr;
    view_open(&v, 1);
    ck_assert_int_eq(history_latest_runs(v.etl, B + 86400, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 1);
    ck_assert_str_eq(lr.last_outcome, "ERROR");
    free(lr.last_outcome);
    view_close(&v);
}
END_TEST

START_TEST(warning_run_ends_a_failure_streak_in_the_metrics_file)
{
    sqlite3 *db = fresh_db();
    error_warning_error(db);
    char prom[160], line[256];
    snprintf(prom, sizeof prom, "%s.prom", path);
    ck_assert_int_eq(prom_write(db, prom, B + 5000), 0);
    db_close(db);
    FILE *f = fopen(prom, "r");
    ck_assert_ptr_nonnull(f);
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "etlhist_etl_consecutive_failures{", 33)) {
            found = 1;
            ck_assert_str_eq(line, "etlhist_etl_consecutive_failures{instance=\"prod\","
                                   "etl_id=\"1\"} 1\n");
        }
    fclose(f);
    unlink(prom);
    ck_assert(found);
}
END_TEST

/* ETL 1: five hourly runs of 60 to 360 s, then one polled RUNNING from 60 to 1260 s after
 * its start (well beyond its limit of max(1.5 x 360, 360 + 300) = 660 s); then the instance
 * goes on being polled, for ETL 2 only, last at last_pass. */
#define STUCK_START (B + 5 * 3600)
#define STUCK_LAST_RUNNING (STUCK_START + 1260)
#define STUCK_LIMIT 660
/* ... the latest run last seen RUNNING running_s after its start. */
static void run_seen_running_for(sqlite3 *db, int64_t running_s, int64_t last_pass)
{
    for (int k = 0; k < 5; k++) {
        poll(db, B + 3600 * k + 60, 300, 1, "RUNNING", "", B + 3600 * k);
        poll(db, B + 3600 * k + 360, 300, 1, "WAITING", "OK", B + 3600 * k);
    }
    for (int64_t t = STUCK_START + 60; t < STUCK_START + running_s; t += 300)
        poll(db, t, 300, 1, "RUNNING", "", STUCK_START);
    poll(db, STUCK_START + running_s, 300, 1, "RUNNING", "", STUCK_START);
    poll(db, last_pass, 300, 2, "WAITING", "OK", B);
}

static void stuck_run(sqlite3 *db, int64_t last_pass)
{
    run_seen_running_for(db, STUCK_LAST_RUNNING - STUCK_START, last_pass);
}

/* Whether the report names ETL 1's latest run overdue now (still RUNNING); its count of
 * overdue runs in *overdue. */
static int report_overdue(int64_t until, int64_t *overdue)
{
    struct view v;
    struct etl_expect e;
    struct window w = {B, until, NULL};
    view_open(&v, 1);
    ck_assert_int_eq(expect_etl(v.etl, &w, &e), 0);
    int now = e.overdue_now;
    *overdue = e.overdue;
    ck_assert_int_eq(e.limit, STUCK_LIMIT);
    expect_free(&e);
    view_close(&v);
    return now;
}

static int report_overdue_now(int64_t until)
{
    int64_t overdue;
    int now = report_overdue(until, &overdue);
    ck_assert_int_eq(overdue, 1); /* overdue either way: its lower bound is 1260 s */
    return now;
}

/* The metrics file's etlhist_etl_overdue for ETL 1, written at now. */
static int metrics_overdue_now(int64_t now)
{
    long long value = -1;
    char *text = metrics_text(path, now);
    metrics_find(text, "etlhist_etl_overdue{instance=\"prod\",etl_id=\"1\"}", &value);
    free(text);
    ck_assert_int_ge(value, 0);
    return (int)value;
}

START_TEST(report_and_metrics_agree_on_overdue_runs_when_observation_stops)
{
    /* Exactly max_gap after its last RUNNING poll the run is still RUNNING: overdue now. */
    sqlite3 *db = fresh_db();
    stuck_run(db, STUCK_LAST_RUNNING + 900);
    db_close(db);
    ck_assert_int_eq(report_overdue_now(STUCK_LAST_RUNNING + 901), 1);
    ck_assert_int_eq(metrics_overdue_now(STUCK_LAST_RUNNING + 901), 1);
    /* One second more and observation stopped: UNKNOWN, overdue but no longer running. */
    db = fresh_db();
    stuck_run(db, STUCK_LAST_RUNNING + 901);
    db_close(db);
    ck_assert_int_eq(report_overdue_now(STUCK_LAST_RUNNING + 902), 0);
    ck_assert_int_eq(metrics_overdue_now(STUCK_LAST_RUNNING + 902), 0);
}
END_TEST

/* One pass at t that polls ETLs 1 to 3, each with its status and run start. */
static void poll_three(sqlite3 *db, int64_t t, const char *const status[3], const int64_t exec[3])
{
    struct observation o[3];
    for (int i = 0; i < 3; i++) {
        o[i] = (struct observation){.etl_id = i + 1, .task_id = 1, .last_exec_ts = exec[i]};
        snprintf(o[i].status, sizeof o[i].status, "%s", status[i]);
        snprintf(o[i].exit_code, sizeof o[i].exit_code, "%s",
                 strcmp(status[i], "RUNNING") ? "OK" : "");
    }
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = t,
                              .finished = t,
                              .polled = 3,
                              .ok = 3};
    ck_assert_int_eq(store_pass(db, &rec, o, 3, NULL, 0), 0);
}

/* Which of ETLs 1 to 3 the report and the metrics file call overdue now, as bits. */
static int report_overdue_set(int64_t until)
{
    int set = 0;
    struct window w = {B, until, NULL};
    for (int id = 1; id <= 3; id++) {
        struct view v;
        struct etl_expect e;
        view_open(&v, id);
        ck_assert_int_eq(expect_etl(v.etl, &w, &e), 0);
        set |= e.overdue_now << (id - 1);
        expect_free(&e);
        view_close(&v);
    }
    return set;
}

static int metrics_overdue_set(int64_t now)
{
    int set = 0, seen = 0;
    char *text = metrics_text(path, now), series[96];
    for (int id = 1; id <= 3; id++) {
        long long flag;
        snprintf(series, sizeof series, "etlhist_etl_overdue{instance=\"prod\",etl_id=\"%d\"}", id);
        if (metrics_find(text, series, &flag)) {
            set |= (int)flag << (id - 1);
            seen |= 1 << (id - 1);
        }
    }
    free(text);
    ck_assert_int_eq(seen, 7);
    return set;
}

START_TEST(report_and_metrics_agree_on_the_set_of_etls_overdue_now)
{
    /* Five hourly runs of 300 s each (limit 660 s), then: ETL 1 still RUNNING 1260 s in
     * (overdue now), ETL 2 RUNNING 360 s in (not yet), ETL 3 overdue but ended (not now). */
    static const char *const running[] = {"RUNNING", "RUNNING", "RUNNING"};
    static const char *const waiting[] = {"WAITING", "WAITING", "WAITING"};
    static const char *const last[] = {"RUNNING", "RUNNING", "WAITING"};
    sqlite3 *db = fresh_db();
    for (int k = 0; k < 5; k++) {
        int64_t exec[3] = {B + 3600 * k, B + 3600 * k, B + 3600 * k};
        poll_three(db, B + 3600 * k + 60, running, exec);
        poll_three(db, B + 3600 * k + 360, waiting, exec);
    }
    int64_t exec[3] = {STUCK_START, STUCK_START + 900, STUCK_START};
    for (int64_t t = STUCK_START + 960; t < STUCK_LAST_RUNNING; t += 60)
        poll_three(db, t, running, exec);
    poll_three(db, STUCK_LAST_RUNNING, last, exec);
    db_close(db);
    ck_assert_int_eq(report_overdue_set(STUCK_LAST_RUNNING + 1), 1);
    ck_assert_int_eq(metrics_overdue_set(STUCK_LAST_RUNNING + 1), 1);
}
END_TEST

START_TEST(a_run_is_overdue_one_second_beyond_its_limit_not_at_it)
{
    int64_t overdue;
    sqlite3 *db = fresh_db();
    run_seen_running_for(db, STUCK_LIMIT, STUCK_START + STUCK_LIMIT + 300);
    db_close(db);
    ck_assert_int_eq(report_overdue(STUCK_START + STUCK_LIMIT + 301, &overdue), 0);
    ck_assert_int_eq(overdue, 0);
    ck_assert_int_eq(metrics_overdue_now(STUCK_START + STUCK_LIMIT + 301), 0);
    db = fresh_db();
    run_seen_running_for(db, STUCK_LIMIT + 1, STUCK_START + STUCK_LIMIT + 300);
    db_close(db);
    ck_assert_int_eq(report_overdue(STUCK_START + STUCK_LIMIT + 301, &overdue), 1);
    ck_assert_int_eq(overdue, 1);
    ck_assert_int_eq(metrics_overdue_now(STUCK_START + STUCK_LIMIT + 301), 1);
}
END_TEST

START_TEST(rules_judge_exactly_at_their_bounds)
{
    ck_assert_int_eq(rules_max_gap(300), 900);
    ck_assert(!rules_run_unobserved(1000, 1900, 900));
    ck_assert(rules_run_unobserved(1000, 1901, 900));
    struct streak s = {0};
    ck_assert_int_eq(streak_feed(&s, OUT_RUNNING), 0);
    ck_assert_int_eq(streak_feed(&s, OUT_ABORTED), 0);
    ck_assert_int_eq(streak_feed(&s, OUT_WARNING), 1);
    ck_assert_int_eq(streak_feed(&s, OUT_ERROR), 1);
    ck_assert_int_eq(s.count, 1);
}
END_TEST

START_TEST(outcome_words_read_back_and_failed_is_error_or_aborted)
{
    for (enum outcome o = OUT_OK; o <= OUT_UNKNOWN; o++) {
        ck_assert_int_eq(outcome_parse(outcome_word(o)), o);
        ck_assert_int_eq(outcome_failed(o), o == OUT_ERROR || o == OUT_ABORTED);
        ck_assert_int_eq(outcome_finished(o), o != OUT_RUNNING && o != OUT_UNKNOWN);
    }
    ck_assert_str_eq(outcome_word(OUT_ABORTED), "ABORTED");
    ck_assert_int_eq(outcome_parse("FAILED"), OUT_ERROR);
    ck_assert_int_eq(outcome_parse("OKAY"), OUT_UNKNOWN);
    ck_assert_int_eq(outcome_parse(NULL), OUT_UNKNOWN);
    ck_assert_int_eq(outcome_of_end("ABORTED", "OK"), OUT_ABORTED);
    ck_assert_int_eq(outcome_of_end("WAITING", "FAILED"), OUT_ERROR);
    ck_assert_int_eq(outcome_of_end("ENDED", "WARNING"), OUT_WARNING);
    ck_assert_int_eq(outcome_of_end("WAITING", "ABORTED"), OUT_UNKNOWN); /* not an exit code */
    ck_assert_int_eq(outcome_of_end("WAITING", "RUNNING"), OUT_UNKNOWN);
    ck_assert_int_eq(outcome_of_end("WAITING", NULL), OUT_UNKNOWN);
}
END_TEST

/* Whether the metrics file written at now has a next-start due time for ETL 1. */
static int metrics_has_due(int64_t now)
{
    long long due;
    char *text = metrics_text(path, now);
    int found = metrics_find(
        text, "etlhist_etl_next_start_due_timestamp_seconds{instance=\"prod\",etl_id=\"1\"}", &due);
    free(text);
    return found;
}

/* Eight hourly runs, each seen RUNNING then over, the last poll saying what comes next. */
static void hourly_then(const char *last_status)
{
    sqlite3 *db = fresh_db();
    for (int64_t h = 0; h < 8; h++) {
        poll(db, B + h * 3600 + 60, 300, 1, "RUNNING", "", B + h * 3600);
        poll(db, B + h * 3600 + 600, 300, 1, h < 7 ? "WAITING" : last_status, "OK", B + h * 3600);
    }
    db_close(db);
}

/* An ETL left ENDED awaits no start: no due time (the missed-run alert would fire forever),
 * as the schedule report shows no next start. */
START_TEST(metrics_give_no_due_time_to_an_etl_left_ended)
{
    hourly_then("WAITING");
    ck_assert(metrics_has_due(B + 7 * 3600 + 700));
    hourly_then("ENDED");
    ck_assert(!metrics_has_due(B + 7 * 3600 + 700));
}
END_TEST

static void teardown(void)
{
    unlink(path);
}

static Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("rules");
    log_init("test", -1);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, gap_of_exactly_max_gap_is_observed_one_second_more_is_not);
    tcase_add_test(tc, changing_the_interval_does_not_rejudge_old_coverage);
    tcase_add_test(tc, running_run_is_unknown_once_polled_past_max_gap_without_it);
    tcase_add_test(tc, warning_run_ends_a_failure_streak_in_the_report);
    tcase_add_test(tc, warning_run_ends_a_failure_streak_in_the_metrics_file);
    tcase_add_test(tc, report_and_metrics_agree_on_overdue_runs_when_observation_stops);
    tcase_add_test(tc, report_and_metrics_agree_on_the_set_of_etls_overdue_now);
    tcase_add_test(tc, metrics_give_no_due_time_to_an_etl_left_ended);
    tcase_add_test(tc, a_run_is_overdue_one_second_beyond_its_limit_not_at_it);
    tcase_add_test(tc, rules_judge_exactly_at_their_bounds);
    tcase_add_test(tc, outcome_words_read_back_and_failed_is_error_or_aborted);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(rules_suite)
