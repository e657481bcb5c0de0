/* Change-compressed samples, pass rows and names, on a real SQLite file. */
#include "check_main.h"
#include "db.h"
#include "log.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char path[128];

static sqlite3 *fresh_db(void)
{
    sqlite3 *db;
    snprintf(path, sizeof path, "/tmp/etlhist-test-store-%d.db", (int)getpid());
    unlink(path);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    return db;
}

static struct observation waiting(const char *exit_code)
{
    struct observation o = {.etl_id = 7, .task_id = 70, .last_exec_ts = 500};
    strcpy(o.status, "WAITING");
    strcpy(o.exit_code, exit_code);
    return o;
}

static struct observation failed(long code)
{
    struct observation o = {.etl_id = 7, .task_id = -1, .http_code = code};
    snprintf(o.error, sizeof o.error, "HTTP %ld", code);
    return o;
}

static void poll_at(sqlite3 *db, int64_t t, struct observation o)
{
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = t,
                              .finished = t + 1,
                              .polled = 1};
    rec.errors = o.error[0] != 0;
    rec.ok = !rec.errors;
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
}

static long long q(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -999;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

START_TEST(sample_identical_poll_extends_last_row)
{
    sqlite3 *db = fresh_db();
    poll_at(db, 1000, waiting("OK"));
    poll_at(db, 1300, waiting("OK"));
    poll_at(db, 1600, waiting("OK"));
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 1);
    ck_assert_int_eq(q(db, "SELECT polls FROM sample"), 3);
    ck_assert_int_eq(q(db, "SELECT first_seen FROM sample"), 1000);
    ck_assert_int_eq(q(db, "SELECT first_seen + span_s FROM sample"), 1600);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass"), 3);
    db_close(db);
}
END_TEST

START_TEST(sample_change_or_gap_opens_new_row)
{
    sqlite3 *db = fresh_db();
    poll_at(db, 1000, waiting("OK"));
    poll_at(db, 1300, waiting("ERROR")); /* changed */
    poll_at(db, 2201, waiting("ERROR")); /* 901 s later: beyond 3 x 300 */
    poll_at(db, 3101, waiting("ERROR")); /* exactly max_gap: extends */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 3);
    ck_assert_int_eq(q(db, "SELECT first_seen + span_s FROM sample ORDER BY first_seen DESC"),
                     3101);
    db_close(db);
}
END_TEST

START_TEST(sample_same_error_extends_other_error_does_not)
{
    sqlite3 *db = fresh_db();
    poll_at(db, 1000, failed(500));
    poll_at(db, 1300, failed(500));
    poll_at(db, 1600, failed(503));
    poll_at(db, 1900, waiting("OK"));
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 3);
    ck_assert_int_eq(q(db, "SELECT polls FROM sample WHERE http_code = 500"), 2);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample WHERE error IS NOT NULL AND "
                           "status IS NULL AND last_exec_ago_s IS NULL"),
                     2);
    db_close(db);
}
END_TEST

/* Two polls of one ETL in the same second with different payloads (two passes, a follow
 * round, an error then an answer) keep both samples: seq breaks the tie in the key. */
START_TEST(polls_in_the_same_second_keep_every_sample_and_pass)
{
    sqlite3 *db = fresh_db();
    poll_at(db, 1000, waiting("OK"));
    poll_at(db, 1000, failed(503));
    poll_at(db, 1000, waiting("ERROR"));
    poll_at(db, 1000, waiting("ERROR")); /* identical: extends the third */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample WHERE first_seen = 1000"), 3);
    ck_assert_int_eq(q(db, "SELECT max(seq) FROM sample"), 2);
    ck_assert_int_eq(q(db, "SELECT polls FROM sample WHERE seq = 2"), 2);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass WHERE started = 1000"), 4);
    ck_assert_int_eq(q(db, "SELECT max(seq) FROM pass"), 3);
    poll_at(db, 1300, waiting("OK")); /* and the next poll still finds the latest one */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 4);
    db_close(db);
}
END_TEST

START_TEST(unknown_exit_code_round_trips_verbatim)
{
    sqlite3 *db = fresh_db();
    poll_at(db, 1000, waiting("Exit 7 été 'quoted'"));
    poll_at(db, 1300, waiting("FAILED"));
    poll_at(db, 1600, waiting("Exit 7 été 'quoted'"));
    ck_assert_int_eq(
        q(db, "SELECT count(*) FROM v_sample WHERE exit_code = 'Exit 7 été ''quoted'''"), 2);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM code WHERE text LIKE 'Exit 7%'"), 1);
    db_close(db);
}
END_TEST

/* The gap before a poll is judged by the interval of that poll's pass: after a change from
 * 300 to 60 s, 181 s between identical polls no longer extends the sample, 180 still does. */
START_TEST(sample_extension_follows_the_interval_of_the_pass)
{
    sqlite3 *db = fresh_db();
    struct observation o = waiting("OK");
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = 1000,
                              .finished = 1000,
                              .polled = 1,
                              .ok = 1};
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
    rec.interval_s = 60;
    rec.started = 1180; /* exactly 3 x 60 */
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 1);
    rec.started = 1361; /* 3 x 60 + 1 */
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 2);
    ck_assert_int_eq(q(db, "SELECT group_concat(interval_s) = '300,60,60' FROM pass"), 1);
    db_close(db);
}
END_TEST

START_TEST(names_from_discovery_are_kept)
{
    sqlite3 *db = fresh_db();
    struct etl_info names[] = {{7, "Daily import"}};
    struct observation o = waiting("OK");
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = 1000,
                              .finished = 1001,
                              .polled = 1,
                              .ok = 1};
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, names, 1), 0);
    rec.started = 1300;
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), 0); /* no list this time */
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT name, first_seen, last_seen FROM etl", -1, &st, NULL);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "Daily import");
    ck_assert_int_eq(sqlite3_column_int64(st, 1), 1000);
    ck_assert_int_eq(sqlite3_column_int64(st, 2), 1300);
    sqlite3_finalize(st);
    db_close(db);
}
END_TEST

START_TEST(failed_write_keeps_earlier_passes)
{
    sqlite3 *db = fresh_db();
    poll_at(db, 1000, waiting("OK"));
    /* A trigger makes the next pass fail half-way: nothing of it may remain. */
    ck_assert_int_eq(db_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON pass "
                                 "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"),
                     0);
    struct observation o = waiting("ERROR");
    struct pass_record rec = {.instance = "prod",
                              .url = "http://x",
                              .interval_s = 300,
                              .started = 1300,
                              .finished = 1301,
                              .polled = 1,
                              .ok = 1};
    ck_assert_int_eq(store_pass(db, &rec, &o, 1, NULL, 0), -1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 1);
    ck_assert_int_eq(q(db, "SELECT first_seen + span_s FROM sample"), 1000);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass"), 1);
    db_close(db);
}
END_TEST

START_TEST(prune_deletes_only_old_history)
{
    sqlite3 *db = fresh_db();
    int64_t n;
    poll_at(db, 1000, waiting("OK"));
    poll_at(db, 100000, waiting("ERROR"));
    ck_assert_int_eq(store_prune(db, 50000, &n), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass"), 1);
    db_close(db);
}
END_TEST

START_TEST(newer_schema_is_refused_and_not_an_etlhist_file_too)
{
    sqlite3 *db = fresh_db();
    db_exec(db, "PRAGMA user_version = 99");
    db_close(db);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), -1);
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), -1);
    unlink(path);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE other (x)", NULL, NULL, NULL);
    sqlite3_close(db);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), -1);
    FILE *f = fopen(path, "w");
    fputs("this is not a database, just text that is long enough to have a header...", f);
    fclose(f);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), -1);
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), -1);
}
END_TEST

START_TEST(read_only_open_never_creates)
{
    sqlite3 *db;
    snprintf(path, sizeof path, "/tmp/etlhist-test-store-%d.db", (int)getpid());
    unlink(path);
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), -1);
    ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

static void teardown(void)
{
    unlink(path);
}

static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");
    log_init("test", -1);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, sample_identical_poll_extends_last_row);
    tcase_add_test(tc, sample_change_or_gap_opens_new_row);
    tcase_add_test(tc, sample_same_error_extends_other_error_does_not);
    tcase_add_test(tc, polls_in_the_same_second_keep_every_sample_and_pass);
    tcase_add_test(tc, unknown_exit_code_round_trips_verbatim);
    tcase_add_test(tc, sample_extension_follows_the_interval_of_the_pass);
    tcase_add_test(tc, names_from_discovery_are_kept);
    tcase_add_test(tc, failed_write_keeps_earlier_passes);
    tcase_add_test(tc, prune_deletes_only_old_history);
    tcase_add_test(tc, newer_schema_is_refused_and_not_an_etlhist_file_too);
    tcase_add_test(tc, read_only_open_never_creates);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(store_suite)
