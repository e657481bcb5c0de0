/* The next expected start is one rule: the same history, a real SQLite file written by the
 * collector's store_pass(), fed to follow's plan and to `etlhist-report schedule` (the call
 * its main() makes), gives the same next start, on UTC and on an instance's wall clock
 * across the end of summer time. */
#include "check_main.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "schedule.h"
#include "timeutil.h"
#include "follow.h"
#include "metrics_file.h"
#include "run.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400
#define SKEW 40           /* the server's clock runs this far ahead of ours */
#define AUTUMN 1792890000 /* 2026-10-25 01:00 UTC: Berlin leaves summer time */
#define OCT1 1790812800   /* 2026-10-01 00:00 UTC */
#define TZ_BERLIN "Europe/Berlin"

static char path[128];

/* One pass at t (our clock) that polls ETL etl_id once, on an instance in Europe/Berlin. */
static void poll(sqlite3 *db, int64_t t, int64_t etl_id, const char *status, int64_t exec)
{
    struct observation o = {.etl_id = etl_id, .task_id = 1, .last_exec_ts = exec};
    snprintf(o.status, sizeof o.status, "%s", status);
    snprintf(o.exit_code, sizeof o.exit_code, "%s", strcmp(status, "RUNNING") ? "OK" : "");
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = t,
                              .finished = t + 1,
                              .polled = 1,
                              .ok = 1,
                              .has_skew = 1,
                              .skew_s = SKEW,
                              .tz = TZ_BERLIN};
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
}

/* A fresh file with ETL etl_id's runs at starts (server clock, ascending), each seen
 * RUNNING a minute in and ended ten minutes in (plus up to half a minute), then one poll
 * that sees it waiting at last_poll (our clock). */
static void history(int64_t etl_id, const int64_t *starts, size_t n, int64_t last_poll)
{
    sqlite3 *db;
    snprintf(path, sizeof path, "/tmp/etlhist-test-next-start-%d.db", (int)getpid());
    unlink(path);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    for (size_t i = 0; i < n; i++) {
        poll(db, starts[i] - SKEW + 60, etl_id, "RUNNING", starts[i]);
        poll(db, starts[i] - SKEW + 600 + (int64_t)(i * 7 % 30), etl_id, "WAITING", starts[i]);
    }
    poll(db, last_poll, etl_id, "WAITING", starts[n - 1]);
    db_close(db);
}

/* The start follow's plan after a pass at now (our clock) awaits for etl_id (server clock),
 * on the instance's wall clock as configured; INT64_MIN when it awaits none. */
static int64_t follow_next(int64_t etl_id, int64_t now)
{
    sqlite3 *db;
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.follow = 240;
    struct instance_config ic = {.name = "prod", .tz = TZ_BERLIN};
    struct collector c = {.cfg = &cfg, .ic = &ic, .db = db};
    struct observation o = {.etl_id = etl_id, .task_id = 1};
    snprintf(o.status, sizeof o.status, "WAITING");
    ck_assert_int_eq(follow_plan(&c, &o, 1, now, SKEW), 0);
    int64_t due = c.n_follow == 1 ? c.follow[0].due + SKEW : INT64_MIN;
    free(c.follow);
    config_free(&cfg);
    db_close(db);
    return due;
}

/* Field col of a CSV line without quoted fields (fields may be empty). */
static const char *csv_field(char *line, int col)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *rest = line, *f = strsep(&rest, ",");
    for (int i = 0; f && i < col; i++)
        f = strsep(&rest, ",");
    return f ? f : "";
}

/* next_expected_utc of etlhist-report schedule over the week before until (our clock), as
 * Unix seconds (server clock). */
static int64_t report_next(int64_t until)
{
    char since_s[TIME_BUF], until_s[TIME_BUF], out[160], line[1024];
    time_format_iso(until - 7 * DAY, since_s);
    time_format_iso(until, until_s);
    snprintf(out, sizeof out, "%s.csv", path);
    const char *dbs[] = {path};
    struct report_opts opts = {.report = "schedule",
                               .dbs = dbs,
                               .n_dbs = 1,
                               .when = {.since = since_s, .until = until_s},
                               .tz = "UTC",
                               .format = "csv",
                               .output = out,
                               .fmt = {.delimiter = ',', .header = 1}};
    ck_assert_int_eq(report_main(&opts, until), REPORT_EXIT_OK);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(csv_field(line, 6), "next_expected_utc");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    unlink(out);
    char iso[TIME_BUF + 1];
    int64_t t;
    snprintf(iso, sizeof iso, "%sZ", csv_field(line, 6));
    ck_assert_int_eq(time_parse_iso_utc(iso, &t), 0);
    return t;
}

/* The next start of etl_id in the metrics file written at now (server clock): its due time
 * is that start plus grace, on our clock. INT64_MIN when there is none. */
static int64_t metrics_next(int64_t etl_id, int64_t now, int64_t period)
{
    char series[128], *text = metrics_text(path, now);
    long long due;
    snprintf(series, sizeof series,
             "etlhist_etl_next_start_due_timestamp_seconds{instance=\"prod\",etl_id=\"%lld\"}",
             (long long)etl_id);
    int found = metrics_find(text, series, &due);
    free(text);
    return found ? due - sched_grace(period) + SKEW : INT64_MIN;
}

/* Follow, the report and the metrics file, all 100 s (our clock) before truth is due on the
 * server's clock, and half a grace after it with no start yet (still awaited, not missed): the same
 * next start, within a minute of truth (the offset is learnt from the starts). */
static void same_next_start(int64_t etl_id, int64_t truth, int64_t period)
{
    const int64_t at[] = {truth - SKEW - 100, truth - SKEW + sched_grace(period) / 2};
    for (int i = 0; i < 2; i++) {
        int64_t followed = follow_next(etl_id, at[i]), reported = report_next(at[i]);
        ck_assert_int_eq(followed, reported);
        ck_assert_int_eq(metrics_next(etl_id, at[i], period), followed);
        ck_assert_int_ge(followed, truth - 60);
        ck_assert_int_le(followed, truth + 60);
    }
}

START_TEST(a_utc_schedule_has_one_next_start_across_a_change_of_summer_time)
{
    /* Every four hours from 01:00 UTC, 2026-10-20 to 10-26, a few seconds late at times:
     * the instance's wall clock (Berlin) changes in between, the schedule does not. */
    int64_t starts[42];
    for (int k = 0; k < 42; k++)
        starts[k] = OCT1 + 19 * DAY + 3600 + k * 4 * 3600 + k % 3 * 5;
    history(20, starts, 42, starts[41] + 3600);
    same_next_start(20, OCT1 + 19 * DAY + 3600 + 42 * 4 * 3600, 4 * 3600);
}
END_TEST

START_TEST(a_wall_clock_daily_schedule_has_one_next_start_after_summer_time_ends)
{
    /* Daily at 06:00 Europe/Berlin, 2026-10-01 to 10-26: 04:00 UTC in summer time, 05:00
     * UTC from 10-25 on. On UTC the next start would be an hour early. */
    int64_t starts[26];
    for (int d = 0; d < 26; d++) {
        int64_t six = OCT1 + d * DAY + 6 * 3600;
        starts[d] = (six - 7200 < AUTUMN ? six - 7200 : six - 3600) + d % 4 * 10;
    }
    history(10, starts, 26, starts[25] + 3 * 3600);
    same_next_start(10, OCT1 + 26 * DAY + 5 * 3600, DAY); /* 2026-10-27 05:00 UTC */
}
END_TEST

static void teardown(void)
{
    unlink(path);
}

static Suite *next_start_suite(void)
{
    Suite *s = suite_create("next_start");
    TCase *tc = tcase_create("follow_and_report");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, a_utc_schedule_has_one_next_start_across_a_change_of_summer_time);
    tcase_add_test(tc, a_wall_clock_daily_schedule_has_one_next_start_after_summer_time_ends);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(next_start_suite)
