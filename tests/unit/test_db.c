/* Opening the database: the in-place upgrade of a v1 file recorded by the v1 collector
 * (tests/data/v1/history.db), of a v2 file recorded by the v2 collector with follow on
 * (tests/data/v2/history.db) and of a v3 file recorded by the v3 collector with a deleted ETL
 * and failed passes (tests/data/v3/history.db), all or nothing, and never by a read-only
 * open. */
#include "check_main.h"
#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[128];

/* A private copy of the test file of release v<version>. */
static void copy_release(int version)
{
    char cmd[512];
    snprintf(path, sizeof path, "/tmp/etlhist-test-db-%d.db", (int)getpid());
    unlink(path);
    snprintf(cmd, sizeof cmd, "cp '%s/tests/data/v%d/history.db' '%s'", ETLHIST_SRCDIR, version,
             path);
    ck_assert_int_eq(system(cmd), 0);
}

static long long q(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -999;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Counts and sums that an upgrade must keep, read with plain SQLite from either schema. */
struct totals {
    long long version, samples, runs, passes, polls, span, ok_runs;
};

/* Every row and poll kept (the version may differ). */
static void same_rows(struct totals a, struct totals b)
{
    ck_assert_int_eq(a.samples, b.samples);
    ck_assert_int_eq(a.runs, b.runs);
    ck_assert_int_eq(a.passes, b.passes);
    ck_assert_int_eq(a.polls, b.polls);
    ck_assert_int_eq(a.span, b.span);
    ck_assert_int_eq(a.ok_runs, b.ok_runs);
}

static struct totals totals(void)
{
    sqlite3 *db;
    struct totals t;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    t.version = q(db, "PRAGMA user_version");
    t.samples = q(db, "SELECT count(*) FROM sample");
    t.runs = q(db, "SELECT count(*) FROM run");
    t.passes = q(db, "SELECT count(*) FROM pass");
    t.polls = q(db, "SELECT sum(polls) FROM sample");
    t.span = q(db, t.version == 1 ? "SELECT sum(last_seen - first_seen) FROM sample"
                                  : "SELECT sum(span_s) FROM sample");
    t.ok_runs = q(db, t.version == 1 ? "SELECT count(*) FROM run WHERE outcome = 'OK'"
                                     : "SELECT count(*) FROM v_run WHERE outcome = 'OK'");
    sqlite3_close(db);
    return t;
}

START_TEST(v1_file_upgrades_in_place_keeping_every_row)
{
    copy_release(1);
    struct totals v1 = totals();
    ck_assert_int_eq(v1.version, 1);
    ck_assert_int_gt(v1.runs, 500);
    sqlite3 *db;
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), -1); /* "run etlhist-collect once" */
    ck_assert_int_eq(totals().version, 1);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    ck_assert_int_eq(q(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    ck_assert_int_eq(
        q(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v1'"), 0);
    /* every code a row holds is in the code table */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sample WHERE status NOT IN (SELECT id FROM code) "
                           "OR exit_code NOT IN (SELECT id FROM code)"),
                     0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM run WHERE outcome NOT IN (SELECT id FROM code) "
                           "OR exit_code NOT IN (SELECT id FROM code)"),
                     0);
    /* exit codes the documentation does not list come back verbatim */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM v_run WHERE exit_code = 'PARTIAL_SUCCESS'"), 6);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM v_sample WHERE exit_code = 'Exit_7'"), 7);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass WHERE interval_s != 300"), 0);
    db_close(db);
    struct totals v2 = totals();
    same_rows(v2, v1);
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), 0); /* now the report may read it */
    db_close(db);
}
END_TEST

/* The file of release v<version>, with obstacle (SQL) run on it, fails to upgrade and keeps
 * its version and every row. */
static void fail_upgrade(int version, const char *obstacle)
{
    copy_release(version);
    struct totals before = totals();
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, obstacle, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), -1);
    struct totals after = totals();
    ck_assert_int_eq(after.version, version);
    same_rows(after, before);
}

START_TEST(failed_upgrade_rolls_back_and_leaves_the_v1_file_intact)
{
    /* A table in the way of the upgrade's renames makes it fail half-way. */
    fail_upgrade(1, "CREATE TABLE pass_v1 (x)");
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('code', 'run_v1', "
                           "'sample_v1', 'v_run', 'run_etl_start')"),
                     2); /* v_run and the v1 index are back; nothing of v2 stayed */
    sqlite3_close(db);
}
END_TEST

START_TEST(v2_file_upgrades_in_place_keeping_every_row)
{
    copy_release(2);
    struct totals v2 = totals();
    ck_assert_int_eq(v2.version, 2);
    sqlite3 *db;
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), -1); /* "run etlhist-collect once" */
    ck_assert_int_eq(totals().version, 2);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    /* what v2 bounded run ends by: the end of the pass (or follow round) a sample began in */
    long long took = q(db, "SELECT sum(p.took_s) FROM sample s JOIN etl e ON e.id = s.etl_ref "
                           "JOIN pass p ON p.instance_id = e.instance_id "
                           "AND p.started = s.first_seen AND p.seq = 0");
    sqlite3_close(db);
    ck_assert_int_gt(took, 0); /* else the failed upgrade below tests nothing */
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    ck_assert_int_eq(q(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    ck_assert_int_eq(
        q(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    ck_assert_int_eq(q(db, "SELECT sum(first_by_s) FROM sample"), took);
    ck_assert_int_eq(q(db, "SELECT sum(follow_rounds) FROM pass"), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM v_pass WHERE follow_polled > 0"), 0);
    db_close(db);
    struct totals v3 = totals();
    same_rows(v3, v2);
}
END_TEST

START_TEST(failed_upgrade_rolls_back_and_leaves_the_v2_file_intact)
{
    /* A trigger that refuses updates of sample stops the upgrade after its columns were
     * added: all of it must go. */
    fail_upgrade(2, "CREATE TRIGGER no_update BEFORE UPDATE ON sample "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pragma_table_info('sample') "
                           "WHERE name = 'first_by_s'"),
                     0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pragma_table_info('pass') "
                           "WHERE name LIKE 'follow_%'"),
                     0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'v_pass'"), 1);
    sqlite3_close(db);
}
END_TEST

/* The columns schema v4 added, counted in the file at path. */
static long long v4_columns(sqlite3 *db)
{
    return q(db, "SELECT (SELECT count(*) FROM pragma_table_info('instance') WHERE name = 'tz') + "
                 "(SELECT count(*) FROM pragma_table_info('etl') WHERE name = 'deleted_since') + "
                 "(SELECT count(*) FROM pragma_table_info('pass') WHERE name = 'error_class')");
}

START_TEST(v3_file_upgrades_in_place_keeping_every_row_and_judging_its_history)
{
    copy_release(3);
    struct totals v3 = totals();
    ck_assert_int_eq(v3.version, 3);
    sqlite3 *db;
    ck_assert_int_eq(db_open(path, DB_READONLY, &db), -1);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(v4_columns(db), 0);
    long long etls = q(db, "SELECT count(*) FROM etl");
    long long failed = q(db, "SELECT count(*) FROM pass WHERE ok = 0");
    sqlite3_close(db);
    ck_assert_int_gt(failed, 0); /* else the classes below test nothing */
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    ck_assert_int_eq(q(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    ck_assert_int_eq(
        q(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    ck_assert_int_eq(v4_columns(db), 3);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM etl"), etls);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM instance WHERE tz IS NOT NULL"), 0);
    /* ETLs whose latest answer is "not found" are gone since the first 400 of that streak:
     * 701 (deleted at 03:00 server time, polled by "listed") and 999 (never existed); 702's
     * 400s ended, and "demo" stopped polling 701 once unlisted */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM etl WHERE deleted_since IS NOT NULL"), 2);
    ck_assert_int_eq(q(db, "SELECT e.deleted_since FROM etl e JOIN instance i ON i.id = "
                           "e.instance_id WHERE i.name = 'listed' AND e.etl_id = 701"),
                     1794798330); /* 2026-11-16 03:05:30, the first pass that got a 400 */
    ck_assert_int_eq(q(db, "SELECT e.deleted_since FROM etl e WHERE e.etl_id = 999"),
                     q(db, "SELECT min(started) FROM pass"));
    /* every pass that observed nothing has a class, the others none */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass WHERE (ok = 0) != (error_class IS NOT NULL)"),
                     0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pass WHERE error_class = 'server'"), failed);
    db_close(db);
    same_rows(totals(), v3);
}
END_TEST

START_TEST(failed_upgrade_rolls_back_and_leaves_the_v3_file_intact)
{
    /* A trigger that refuses updates of etl stops the upgrade after its columns were added. */
    fail_upgrade(3, "CREATE TRIGGER no_update BEFORE UPDATE ON etl "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(v4_columns(db), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'v_pass'"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM pragma_table_info('v_pass')"), 12);
    sqlite3_close(db);
}
END_TEST

START_TEST(new_file_is_created_at_the_current_version)
{
    sqlite3 *db;
    snprintf(path, sizeof path, "/tmp/etlhist-test-db-%d.db", (int)getpid());
    unlink(path);
    ck_assert_int_eq(db_open(path, DB_READWRITE, &db), 0);
    ck_assert_int_eq(q(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM code WHERE text IN ('OK', 'RUNNING')"), 2);
    db_close(db);
}
END_TEST

static void teardown(void)
{
    unlink(path);
}

static Suite *db_suite(void)
{
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("db");
    log_init("test", -1);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, v1_file_upgrades_in_place_keeping_every_row);
    tcase_add_test(tc, failed_upgrade_rolls_back_and_leaves_the_v1_file_intact);
    tcase_add_test(tc, v2_file_upgrades_in_place_keeping_every_row);
    tcase_add_test(tc, failed_upgrade_rolls_back_and_leaves_the_v2_file_intact);
    tcase_add_test(tc, v3_file_upgrades_in_place_keeping_every_row_and_judging_its_history);
    tcase_add_test(tc, failed_upgrade_rolls_back_and_leaves_the_v3_file_intact);
    tcase_add_test(tc, new_file_is_created_at_the_current_version);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(db_suite)
