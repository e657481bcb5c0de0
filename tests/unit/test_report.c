/* etlhist-report: numbers worked out by hand from fixed rows in a real SQLite file, read back
 * through the query layer and the writers (CSV parsed back with libcsv). */
#include "check_main.h"
#include "db.h"
#include "log.h"
#include "numfmt.h"
#include "report.h"
#include "sqlfiles.h"
#include "stats.h"
#include "window.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NUL INT64_MIN /* an integer column left NULL */
#define B 1795003200  /* 2026-11-18 12:00:00 UTC: where the test windows start */
#define DAY 86400

/* ---- fixture: a database file of hand-written rows ---- */

struct fixture {
    char path[128];
    sqlite3 *db; /* read-write, for inserting */
    struct source src;
    struct etl_list etls;
};

static struct fixture fx;

static void fixture_create(void)
{
    static int n;
    snprintf(fx.path, sizeof fx.path, "/tmp/etlhist-test-report-%d-%d.db", (int)getpid(), n++);
    unlink(fx.path);
    ck_assert_int_eq(db_open(fx.path, DB_READWRITE, &fx.db), 0);
}

/* Runs one INSERT; types is one letter per parameter: i (int64, NUL for NULL), s (text). */
static void insert(const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(fx.db, sql, -1, &st, NULL), SQLITE_OK);
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i') {
            int64_t v = va_arg(ap, int64_t);
            if (v == NUL)
                sqlite3_bind_null(st, i + 1);
            else
                sqlite3_bind_int64(st, i + 1, v);
        } else {
            const char *s = va_arg(ap, const char *);
            sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
        }
    }
    va_end(ap);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The polling interval lives in passes: a pass at time 0 that observed nothing sets it. */
static void add_instance(int64_t id, const char *name, int64_t interval_s)
{
    insert("INSERT INTO instance (id, name, url) VALUES (?, ?, 'http://co')", "is", id, name);
    insert("INSERT INTO pass (instance_id, started, took_s, polled, ok, errors, interval_s, error) "
           "VALUES (?, 0, 0, 0, 0, 0, ?, 'fixture')",
           "ii", id, interval_s);
}

static void add_etl(int64_t ref, int64_t instance, int64_t etl_id, const char *name)
{
    insert("INSERT INTO etl (id, instance_id, etl_id, name, first_seen, last_seen) "
           "VALUES (?, ?, ?, ?, ?, ?)",
           "iiisii", ref, instance, etl_id, name, (int64_t)(B - 30 * DAY), (int64_t)(B + 30 * DAY));
}

static void add_run(int64_t ref, int64_t start, const char *outcome, int64_t lo, int64_t hi)
{
    insert("INSERT INTO run (etl_ref, start_ts, seq, end_seen_s, outcome, exit_code, task_id, "
           "dur_lo_s, dur_hi_s) VALUES (?1, ?2, "
           "(SELECT count(*) FROM run WHERE etl_ref = ?1 AND start_ts = ?2), ?3, "
           "(SELECT id FROM code WHERE text = ?4), (SELECT id FROM code WHERE text = ?5), 467, ?6, "
           "?7)",
           "iiissii", ref, start, hi, outcome, strcmp(outcome, "ABORTED") == 0 ? NULL : outcome,
           lo, hi);
}

static void add_sample(int64_t ref, int64_t first, int64_t last, int64_t polls, const char *status,
                       int64_t http, const char *error)
{
    insert("INSERT INTO sample (etl_ref, first_seen, span_s, polls, status, http_code, error) "
           "VALUES (?, ?, ?, ?, (SELECT id FROM code WHERE text = ?), ?, ?)",
           "iiiisis", ref, first, last - first, polls, status, http, error);
}

/* Closes the writer connection and opens the file as the report does: read-only. */
static void fixture_open(void)
{
    db_close(fx.db);
    fx.db = NULL;
    ck_assert_int_eq(query_open(&fx.src, fx.path), 0);
    struct report_filter all = {0};
    ck_assert_int_eq(report_list(&fx.src, 1, &all, &fx.etls), 0);
}

static void fixture_free(void)
{
    etl_list_free(&fx.etls);
    query_close(&fx.src);
    db_close(fx.db);
    fx.db = NULL;
    unlink(fx.path);
}

static const struct etl_info *etl(int64_t etl_id)
{
    for (size_t i = 0; i < fx.etls.n; i++)
        if (fx.etls.v[i].etl_id == etl_id)
            return &fx.etls.v[i];
    ck_abort_msg("no ETL %lld", (long long)etl_id);
    return NULL;
}

/* ---- writing a report to memory, and parsing CSV back with libcsv ---- */

static char *write_report(const char *report, const char *format, int64_t since, int64_t until,
                          const struct fmt_opts *opts)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct window win = {since, until};
    struct fmt_opts plain = {.delimiter = ',', .header = 1};
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(report_write(report_find(report), &win, &fx.etls, fmt_find(format),
                                  opts ? opts : &plain, out),
                     0);
    fclose(out);
    return buf;
}

#define MAX_ROWS 32
#define MAX_FIELDS 24

struct table {
    char *f[MAX_ROWS][MAX_FIELDS];
    size_t nf[MAX_ROWS];
    size_t rows;
};

static void on_field(void *s, size_t len, void *data)
{
    struct table *t = data;
    ck_assert_uint_lt(t->rows, MAX_ROWS);
    ck_assert_uint_lt(t->nf[t->rows], MAX_FIELDS);
    t->f[t->rows][t->nf[t->rows]++] = strndup(s ? s : "", len);
}

static void on_row(int c, void *data)
{
    (void)c;
    ((struct table *)data)->rows++;
}

static void parse_csv(const char *text, char delimiter, struct table *t)
{
    struct csv_parser p;
    memset(t, 0, sizeof *t);
    ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    csv_set_delim(&p, (unsigned char)delimiter);
    size_t len = strlen(text);
    ck_assert_uint_eq(csv_parse(&p, text, len, on_field, on_row, t), len);
    ck_assert_int_eq(csv_fini(&p, on_field, on_row, t), 0);
    csv_free(&p);
}

static void table_free(struct table *t)
{
    for (size_t r = 0; r < MAX_ROWS; r++)
        for (size_t i = 0; i < t->nf[r]; i++)
            free(t->f[r][i]);
}

/* The field under column name in data row r (row 0 is the header). */
static const char *field(const struct table *t, size_t r, const char *name)
{
    for (size_t i = 0; i < t->nf[0]; i++)
        if (strcmp(t->f[0][i], name) == 0) {
            ck_assert_uint_lt(i, t->nf[r]);
            return t->f[r][i];
        }
    ck_abort_msg("no column %s", name);
    return NULL;
}

static void csv_of(const char *report, int64_t since, int64_t until, struct table *t)
{
    char *text = write_report(report, "csv", since, until, NULL);
    parse_csv(text, ',', t);
    free(text);
}

#define ck_field(t, r, name, want) ck_assert_str_eq(field(t, r, name), want)

/* ---- numbers ---- */

START_TEST(numbers_never_use_the_locale_and_round_half_up)
{
    char buf[NUM_BUF];
    numfmt_int(-5, buf);
    ck_assert_str_eq(buf, "-5");
    numfmt_fixed(-5, 1, buf);
    ck_assert_str_eq(buf, "-0.5");
    numfmt_fixed(1234567, 1, buf);
    ck_assert_str_eq(buf, "123456.7");
    numfmt_fixed(0, 1, buf);
    ck_assert_str_eq(buf, "0.0");
    ck_assert_int_eq(numfmt_pct_tenths(1, 8), 125);  /* 12.5 exactly */
    ck_assert_int_eq(numfmt_pct_tenths(1, 3), 333);  /* 33.33 */
    ck_assert_int_eq(numfmt_pct_tenths(2, 3), 667);  /* 66.67 */
    ck_assert_int_eq(numfmt_pct_tenths(1, 2000), 1); /* 0.05 rounds up */
    numfmt_duration(3005, buf);
    ck_assert_str_eq(buf, "5m01s");
    numfmt_duration(450, buf);
    ck_assert_str_eq(buf, "45s");
    numfmt_duration(10 * (2 * 3600 + 7 * 60), buf);
    ck_assert_str_eq(buf, "2h07m");
}
END_TEST

START_TEST(percentiles_are_nearest_rank)
{
    struct runstats rs;
    int64_t d;
    runstats_init(&rs);
    ck_assert_int_eq(runstats_percentile2(&rs, 50, &d), -1);
    for (int64_t v = 1; v <= 20; v++) /* durations 1..20 s, added out of order */
        runstats_add(&rs, OUT_OK, 1, 21 - v, 21 - v);
    ck_assert_int_eq(runstats_percentile2(&rs, 50, &d), 0);
    ck_assert_int_eq(d, 2 * 10); /* rank ceil(0.5 * 20) = 10 */
    ck_assert_int_eq(runstats_percentile2(&rs, 95, &d), 0);
    ck_assert_int_eq(d, 2 * 19); /* rank ceil(0.95 * 20) = 19 */
    runstats_add(&rs, OUT_OK, 1, 21, 21);
    ck_assert_int_eq(runstats_percentile2(&rs, 50, &d), 0);
    ck_assert_int_eq(d, 2 * 11); /* rank ceil(10.5) = 11 */
    runstats_free(&rs);
}
END_TEST

/* ---- summary ---- */

/* Runs at since - 1 and at until are outside; the one at since is inside. */
static void summary_fixture(void)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 321, "Daily extract");
    add_run(1, B - 1, "ERROR", 1, 1);
    int64_t t = B;
    add_run(1, t, "OK", 10, 10);
    add_run(1, t += 3600, "OK", 20, 20);
    add_run(1, t += 3600, "OK", 30, 30);
    add_run(1, t += 3600, "OK", 40, 40);
    add_run(1, t += 3600, "OK", 50, 50);
    add_run(1, t += 3600, "OK", 60, 62);
    add_run(1, t += 3600, "WARNING", 70, 70);
    add_run(1, t += 3600, "ERROR", 80, 80);
    add_run(1, t += 3600, "ERROR", NUL, NUL);
    add_run(1, t += 3600, "ABORTED", 0, 5);
    add_run(1, t += 3600, "UNKNOWN", NUL, NUL);
    add_run(1, t += 3600, "RUNNING", NUL, NUL);
    add_run(1, B + 7 * DAY, "ERROR", 1, 1);
    add_sample(1, B - 600, B + 7 * DAY + 600, 2020, "WAITING", 200, NULL);
    fixture_open();
}

START_TEST(summary_rates_counts_and_durations_by_hand)
{
    struct table t;
    summary_fixture();
    csv_of("summary", B, B + 7 * DAY, &t);
    ck_assert_uint_eq(t.rows, 2);
    size_t r = 1;
    ck_field(&t, r, "instance", "prod");
    ck_field(&t, r, "etl_name", "Daily extract");
    ck_field(&t, r, "runs", "12");
    ck_field(&t, r, "ok", "6");
    ck_field(&t, r, "warning", "1");
    ck_field(&t, r, "failed", "2");
    ck_field(&t, r, "aborted", "1");
    ck_field(&t, r, "unknown", "2");             /* UNKNOWN + RUNNING */
    ck_field(&t, r, "failure_rate_pct", "20.0"); /* 2 of 10 finished */
    ck_field(&t, r, "abort_rate_pct", "10.0");
    /* known durations 2.5 10 20 30 40 50 61 70 80: rank 5 and rank ceil(8.55) = 9 */
    ck_field(&t, r, "duration_p50_s", "40.0");
    ck_field(&t, r, "duration_p95_s", "80.0");
    ck_field(&t, r, "duration_max_s", "80.0");
    ck_field(&t, r, "last_start_utc", "2026-11-18 23:00:00"); /* the RUNNING one, B + 11 h */
    ck_field(&t, r, "last_outcome", "RUNNING");
    ck_field(&t, r, "failure_streak", "3"); /* ABORTED, ERROR, ERROR back to the WARNING */
    ck_field(&t, r, "coverage_pct", "100.0");
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(failure_streak_skips_running_and_unknown_and_stops_at_ok)
{
    struct latest_runs lr;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 7, NULL);
    add_run(1, B + 100, "OK", 1, 1);
    add_run(1, B + 200, "ERROR", 1, 1);
    add_run(1, B + 300, "UNKNOWN", NUL, NUL);
    add_run(1, B + 400, "ABORTED", 1, 1);
    add_run(1, B + 500, "RUNNING", NUL, NUL);
    add_run(1, B + 600, "OK", 1, 1); /* after until: not seen */
    fixture_open();
    ck_assert_int_eq(report_latest_runs(etl(7), B + 600, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 2);
    ck_assert_int_eq(lr.last_start, B + 500);
    ck_assert_str_eq(lr.last_outcome, "RUNNING");
    free(lr.last_outcome);
    ck_assert_int_eq(report_latest_runs(etl(7), B + 700, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 0);
    free(lr.last_outcome);
    ck_assert_int_eq(report_latest_runs(etl(7), B + 150, &lr), 0);
    ck_assert_int_eq(lr.streak.count, 0);
    ck_assert_str_eq(lr.last_outcome, "OK");
    free(lr.last_outcome);
    ck_assert_str_eq(etl(7)->name, "etl 7");
    fixture_free();
}
END_TEST

START_TEST(runs_belong_to_the_window_of_their_start)
{
    struct runstats rs;
    summary_fixture();
    struct window w = {B, B + 7 * DAY};
    ck_assert_int_eq(report_run_stats(etl(321), &w, &rs), 0);
    ck_assert_int_eq(rs.runs, 12);
    runstats_free(&rs);
    struct window before = {B - 7 * DAY, B};
    ck_assert_int_eq(report_run_stats(etl(321), &before, &rs), 0);
    ck_assert_int_eq(rs.runs, 1);
    ck_assert_int_eq(rs.failed, 1);
    runstats_free(&rs);
    fixture_free();
}
END_TEST

/* ---- coverage ---- */

START_TEST(coverage_counts_gaps_up_to_max_gap_and_ignores_failed_polls)
{
    struct sample_scan scan;
    struct window w = {B, B + 10000};
    fixture_create();
    add_instance(1, "prod", 300); /* max_gap 900 */
    add_etl(1, 1, 1, "gappy");
    add_sample(1, B - 2000, B - 100, 7, "WAITING", 200, NULL);   /* gap 300 into the window */
    add_sample(1, B + 200, B + 1000, 3, "WAITING", 200, NULL);   /* 200 + 800 */
    add_sample(1, B + 1500, B + 3000, 6, "RUNNING", 200, NULL);  /* gap 500 + 1500 */
    add_sample(1, B + 5000, B + 6000, 4, "WAITING", 200, NULL);  /* gap 2000 > 900: 1000 */
    add_sample(1, B + 6100, B + 6200, 2, NULL, 500, "HTTP 500"); /* observes nothing */
    add_sample(1, B + 6700, B + 8000, 5, "WAITING", 200, NULL);  /* gap 700 + 1300 */
    add_sample(1, B + 9500, B + 20000, 9, "WAITING", 200, NULL); /* gap 1500; 500 inside */
    fixture_open();
    ck_assert_int_eq(report_scan_samples(etl(1), &w, &scan), 0);
    ck_assert_int_eq(scan.cov.observed, 200 + 800 + 500 + 1500 + 1000 + 700 + 1300 + 500);
    report_scan_free(&scan);
    struct table t;
    csv_of("summary", B, B + 10000, &t);
    ck_field(&t, 1, "coverage_pct", "65.0");
    table_free(&t);
    fixture_free();
}
END_TEST

/* The poll that closes the last gap comes after until, past an error that straddles it. */
START_TEST(coverage_reaches_until_when_the_next_poll_is_after_it)
{
    struct sample_scan scan;
    struct window w = {B, B + 10000};
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "edge");
    add_sample(1, B - 50, B + 9800, 30, "WAITING", 200, NULL);
    add_sample(1, B + 9900, B + 10100, 2, NULL, 503, "HTTP 503");
    add_sample(1, B + 10400, B + 12000, 5, "WAITING", 200, NULL);
    fixture_open();
    ck_assert_int_eq(report_scan_samples(etl(1), &w, &scan), 0);
    ck_assert_int_eq(scan.cov.observed, 10000);
    ck_assert_int_eq(scan.errors, 2);
    ck_assert_int_eq(scan.http_5xx, 2);
    ck_assert_int_eq(scan.polls, 2); /* the first sample began before since */
    report_scan_free(&scan);
    /* the same rows with a longer gap after the error: [B+9800, until) unobserved */
    struct obs o[] = {{B - 50, B + 9800, 1, SVC_OTHER, 0, 0},
                      {B + 9900, B + 10100, 0, SVC_OTHER, 0, 0},
                      {B + 10800, B + 12000, 1, SVC_OTHER, 0, 0}};
    struct coverage c;
    coverage_compute(o, 3, B, B + 10000, 900, &c);
    ck_assert_int_eq(c.observed, 9800);
    fixture_free();
}
END_TEST

/* ---- services ---- */

START_TEST(services_time_in_state_and_transitions)
{
    struct table t;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 53, "vCenter Extractor Service");
    add_etl(2, 1, 54, "batch");
    add_sample(1, B - 3000, B - 1000, 5, "SERVICE_OFF", 200, NULL);
    add_sample(1, B - 500, B + 2000, 9, "SERVICE_ON", 200, NULL);   /* 2000 + gap 300 ON */
    add_sample(1, B + 2300, B + 5000, 9, "SERVICE_OFF", 200, NULL); /* 2700 + gap 600 OFF */
    add_sample(1, B + 5600, B + 7000, 5, "SERVICE_ON", 200, NULL);  /* 1400 + gap 500 ON */
    add_sample(1, B + 7100, B + 7200, 1, NULL, NUL, "timeout after 20 s");
    add_sample(1, B + 7500, B + 9000, 5, "SERVICE_OFF", 200, NULL); /* 1500 OFF */
    add_sample(2, B, B + 9000, 30, "WAITING", 200, NULL);           /* not a service */
    fixture_open();
    csv_of("services", B, B + 10000, &t);
    ck_assert_uint_eq(t.rows, 2);
    ck_field(&t, 1, "etl_id", "53");
    ck_field(&t, 1, "on_pct", "42.0");
    ck_field(&t, 1, "off_pct", "48.0");
    ck_field(&t, 1, "unobserved_pct", "10.0");
    ck_field(&t, 1, "transitions", "3"); /* the OFF -> ON at B - 500 is before the window */
    table_free(&t);
    fixture_free();
}
END_TEST

/* ---- trend ---- */

START_TEST(trend_flags_regressions_of_rate_and_median)
{
    struct table t;
    int64_t week = 7 * DAY;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "rate up 10 points");
    add_etl(2, 1, 2, "median up 19%");
    add_etl(3, 1, 3, "median up 20%");
    add_etl(4, 1, 4, "new this week");
    for (int i = 0; i < 10; i++) {
        add_run(1, B - week + i * 3600, i < 1 ? "ERROR" : "OK", 10, 10);
        add_run(1, B + i * 3600, i < 2 ? "ERROR" : "OK", 10, 10);
        add_run(2, B - week + i * 3600, "OK", 100, 100);
        add_run(2, B + i * 3600, "OK", 119, 119);
        add_run(3, B - week + i * 3600, "OK", 100, 100);
        add_run(3, B + i * 3600, "OK", 120, 120);
    }
    add_run(4, B + 60, "ERROR", 5, 5);
    fixture_open();
    csv_of("trend", B, B + week, &t);
    ck_assert_uint_eq(t.rows, 5);
    ck_field(&t, 1, "runs", "10");
    ck_field(&t, 1, "runs_prev", "10");
    ck_field(&t, 1, "failure_rate_pct", "20.0");
    ck_field(&t, 1, "failure_rate_prev_pct", "10.0");
    ck_field(&t, 1, "regression", "yes");
    ck_field(&t, 2, "duration_p50_s", "119.0");
    ck_field(&t, 2, "duration_p50_prev_s", "100.0");
    ck_field(&t, 2, "regression", "no");
    ck_field(&t, 3, "regression", "yes");
    ck_field(&t, 4, "runs_prev", "0");
    ck_field(&t, 4, "failure_rate_prev_pct", "");
    ck_field(&t, 4, "regression", "no"); /* nothing to compare with */
    table_free(&t);
    fixture_free();
}
END_TEST

/* ---- health and etls ---- */

START_TEST(health_counts_polls_by_kind_of_error)
{
    struct table t;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 9, "flaky");
    add_etl(2, 1, 10, "never polled in the window");
    add_sample(1, B - 5000, B + 100, 100, "WAITING", 200, NULL); /* began before: not counted */
    add_sample(1, B + 400, B + 3000, 10, "WAITING", 200, NULL);
    add_sample(1, B + 3300, B + 3900, 3, NULL, 400, "HTTP 400: ETL not found");
    add_sample(1, B + 4200, B + 4500, 2, NULL, 503, "HTTP 503");
    add_sample(1, B + 4800, B + 5700, 4, NULL, NUL, "timeout after 20 s");
    add_sample(1, B + 6000, B + 9000, 11, "WAITING", 200, NULL);
    add_sample(2, B - 9000, B - 5000, 11, "WAITING", 200, NULL);
    fixture_open();
    csv_of("health", B, B + 10000, &t);
    ck_assert_uint_eq(t.rows, 3); /* the ETL not polled in the window is listed too */
    ck_field(&t, 2, "polls", "0");
    ck_field(&t, 2, "coverage_pct", "0.0");
    ck_field(&t, 2, "stale", "1"); /* no pass recorded at all */
    ck_field(&t, 2, "last_pass_utc", "");
    ck_field(&t, 1, "polls", "30");
    ck_field(&t, 1, "errors", "9");
    ck_field(&t, 1, "not_found", "3");
    ck_field(&t, 1, "http_5xx", "2");
    ck_field(&t, 1, "timeouts", "4");
    ck_field(&t, 1, "last_error", "timeout after 20 s");
    /* observed: 100 + 300 + 2600, then nothing until the poll at B+6000 (3000 > 900), 3000 */
    ck_field(&t, 1, "coverage_pct", "60.0");
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(etls_lists_every_etl_with_its_latest_status)
{
    struct table t;
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "fine");
    add_etl(2, 1, 2, "broken");
    add_etl(3, 1, 3, "silent");
    add_sample(1, B, B + 100, 2, "RUNNING", 200, NULL);
    add_sample(1, B + 200, B + 300, 2, "WAITING", 200, NULL);
    add_sample(2, B, B + 100, 2, "WAITING", 200, NULL);
    add_sample(2, B + 200, B + 300, 2, NULL, 400, "HTTP 400");
    fixture_open();
    csv_of("etls", B + 50 * DAY, B + 51 * DAY, &t); /* the window does not matter */
    ck_assert_uint_eq(t.rows, 4);
    ck_field(&t, 1, "last_status", "WAITING");
    ck_field(&t, 2, "last_status", "error");
    ck_field(&t, 3, "last_status", "");
    ck_field(&t, 3, "first_seen_utc", "2026-10-19 12:00:00");
    table_free(&t);
    fixture_free();
}
END_TEST

/* ---- CSV ---- */

static void csv_fixture(void)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "=HYPERLINK(\"x\")");
    add_etl(2, 1, 2, "@cmd");
    add_etl(3, 1, 3, "comma, \"quote\"\nand newline");
    add_etl(4, 1, 4, "-5");
    insert("INSERT INTO code (text) VALUES ('+1')", "");
    insert("INSERT INTO run (etl_ref, start_ts, outcome, exit_code, task_id) "
           "VALUES (?, ?, (SELECT id FROM code WHERE text = 'ERROR'), "
           "(SELECT id FROM code WHERE text = '+1'), -5)",
           "ii", (int64_t)1, (int64_t)(B + 10));
    for (int64_t ref = 2; ref <= 4; ref++)
        add_run(ref, B + 20, "OK", 3, 4);
    fixture_open();
}

START_TEST(csv_neutralises_formulas_but_not_numbers)
{
    struct table t;
    csv_fixture();
    csv_of("runs", B, B + DAY, &t);
    ck_assert_uint_eq(t.rows, 5);
    ck_field(&t, 1, "etl_name", "'=HYPERLINK(\"x\")");
    ck_field(&t, 1, "task_id", "-5");
    ck_field(&t, 1, "exit_code", "'+1");
    ck_field(&t, 1, "end_utc", "");
    ck_field(&t, 1, "duration_s", "");
    ck_field(&t, 1, "start_utc", "2026-11-18 12:00:10");
    ck_field(&t, 2, "etl_name", "'@cmd");
    ck_field(&t, 3, "etl_name", "comma, \"quote\"\nand newline");
    ck_field(&t, 4, "etl_name", "'-5");
    ck_field(&t, 4, "duration_s", "3.5");
    ck_field(&t, 4, "duration_lo_s", "3");
    ck_field(&t, 4, "duration_hi_s", "4");
    table_free(&t);
    fixture_free();
}
END_TEST

START_TEST(csv_has_crlf_header_delimiter_and_bom_options)
{
    csv_fixture();
    char *text = write_report("runs", "csv", B, B + DAY, NULL);
    const char *header = "instance,etl_id,etl_name,task_id,start_utc,end_utc,outcome,"
                         "exit_code,duration_s,duration_lo_s,duration_hi_s,"
                         "expected_start_utc,delay_s,overdue,late\r\n";
    ck_assert(strncmp(text, header, strlen(header)) == 0);
    int bare_lf = 0;
    for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
        bare_lf += p[-1] != '\r';
    ck_assert_int_eq(bare_lf, 1); /* the one inside the quoted name */
    free(text);
    struct fmt_opts semi = {.delimiter = ';', .bom = 1};
    text = write_report("runs", "csv", B, B + DAY, &semi);
    const char *start = "\xEF\xBB\xBF"
                        "prod;1;\"'=HYPERLINK(\"\"x\"\")\";-5;";
    ck_assert(strncmp(text, start, strlen(start)) == 0);
    struct table t;
    parse_csv(text + 3, ';', &t);
    ck_assert_uint_eq(t.rows, 4); /* no header */
    ck_assert_str_eq(t.f[2][2], "comma, \"quote\"\nand newline");
    table_free(&t);
    free(text);
    fixture_free();
}
END_TEST

static const char *const comma_locales[] = {"de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8",
                                            "fr_FR.utf8",  "nl_NL.UTF-8", "ru_RU.UTF-8",
                                            "de_DE",       "fr_FR"};

/* Sets a locale whose decimal point is a comma, if this system has one. The test image may
 * have none (locale -a lists only C, C.utf8 and POSIX, and nothing is installed for a test):
 * then the comparison runs between "C" and "C.UTF-8", which still proves that no output
 * depends on setlocale, and the comma case runs wherever such a locale exists (also with
 * one built by `localedef -i de_DE -f UTF-8 DIR/de_DE.UTF-8` and LOCPATH=DIR, which is how
 * this test was checked against a real decimal comma). */
static const char *set_comma_locale(void)
{
    for (size_t i = 0; i < sizeof comma_locales / sizeof comma_locales[0]; i++)
        if (setlocale(LC_ALL, comma_locales[i]) && strcmp(localeconv()->decimal_point, ",") == 0)
            return comma_locales[i];
    return setlocale(LC_ALL, "C.UTF-8") ? "C.UTF-8" : "C";
}

START_TEST(output_is_the_same_in_a_decimal_comma_locale)
{
    const char *reports[] = {"summary", "runs", "services", "trend", "health"};
    const char *formats[] = {"csv", "json", "text"};
    summary_fixture();
    for (size_t r = 0; r < 5; r++)
        for (size_t f = 0; f < 3; f++) {
            setlocale(LC_ALL, "C");
            char *c = write_report(reports[r], formats[f], B, B + 7 * DAY, NULL);
            const char *name = set_comma_locale();
            char *other = write_report(reports[r], formats[f], B, B + 7 * DAY, NULL);
            ck_assert_msg(strcmp(c, other) == 0, "%s %s differs under %s", reports[r], formats[f],
                          name);
            free(c);
            free(other);
        }
    setlocale(LC_ALL, "C");
    fixture_free();
}
END_TEST

/* ---- JSON and text ---- */

START_TEST(json_has_report_window_rows_and_nulls)
{
    summary_fixture();
    char *text = write_report("summary", "json", B, B + 7 * DAY, NULL);
    json_object *root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    json_object *v, *rows, *row;
    ck_assert(json_object_object_get_ex(root, "report", &v));
    ck_assert_str_eq(json_object_get_string(v), "summary");
    ck_assert(json_object_object_get_ex(root, "window", &v));
    ck_assert_str_eq(json_object_get_string(json_object_object_get(v, "since")),
                     "2026-11-18T12:00:00Z");
    ck_assert(json_object_object_get_ex(root, "rows", &rows));
    ck_assert_uint_eq(json_object_array_length(rows), 1);
    row = json_object_array_get_idx(rows, 0);
    ck_assert(json_object_get_double(json_object_object_get(row, "failure_rate_pct")) == 20.0);
    ck_assert_int_eq(json_object_get_int(json_object_object_get(row, "runs")), 12);
    ck_assert(strstr(text, "\"duration_p50_s\": 40.0"));
    json_object_put(root);
    free(text);
    fixture_free();
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "idle");
    fixture_open();
    text = write_report("summary", "json", B, B + DAY, NULL);
    root = json_tokener_parse(text);
    json_object_object_get_ex(root, "totals", &v);
    ck_assert(json_object_is_type(json_object_object_get(v, "failure_rate_pct"), json_type_null));
    json_object_put(root);
    free(text);
    fixture_free();
}
END_TEST

START_TEST(text_fits_100_columns_and_has_title_and_totals)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "A very long ETL name that goes on and on well past any reasonable width");
    add_run(1, B + 10, "ERROR", 10, 12);
    add_run(1, B + 20, "OK", 10, 12);
    fixture_open();
    char *text = write_report("summary", "text", B, B + DAY, NULL);
    const char *title = "etlhist summary, 2026-11-18 12:00 UTC to 2026-11-19 12:00 UTC\n";
    ck_assert(strncmp(text, title, strlen(title)) == 0);
    ck_assert_ptr_nonnull(strstr(text, "A very long"));
    ck_assert_ptr_nonnull(strstr(text, "~ "));
    ck_assert_ptr_nonnull(strstr(text, "\ntotal: runs 2, failed 1, aborted 0, failure rate "
                                       "50.0%, abort rate 0.0%\n"));
    for (char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1)
        ck_assert_int_le(nl - line, FMT_TEXT_WIDTH);
    free(text);
    text = write_report("summary", "text", B + 2 * DAY, B + 3 * DAY, NULL);
    ck_assert_ptr_nonnull(strstr(text, "\ntotal: runs 0, failed 0, aborted 0, failure rate -, "
                                       "abort rate -\n"));
    free(text);
    fixture_free();
}
END_TEST

/* ---- several files, filters ---- */

START_TEST(several_databases_merge_and_keep_same_named_instances_apart)
{
    char first[128];
    struct source src[2];
    struct etl_list list;
    fixture_create();
    add_instance(1, "prod", 300);
    add_instance(2, "test", 300);
    add_etl(1, 1, 500, "a");
    add_etl(2, 2, 1, "b");
    db_close(fx.db);
    snprintf(first, sizeof first, "%s", fx.path);
    fixture_create();
    add_instance(1, "prod", 300);
    add_instance(2, "dev", 300);
    add_etl(1, 1, 400, "c");
    add_etl(2, 2, 2, "d");
    db_close(fx.db);
    fx.db = NULL;
    ck_assert_int_eq(query_open(&src[0], first), 0);
    ck_assert_int_eq(query_open(&src[1], fx.path), 0);
    struct report_filter all = {0};
    ck_assert_int_eq(report_list(src, 2, &all, &list), 0);
    ck_assert_uint_eq(list.n, 4);
    const char *base = strrchr(fx.path, '/') + 1;
    char suffixed[160];
    snprintf(suffixed, sizeof suffixed, "prod@%s", base);
    ck_assert_str_eq(list.v[0].instance, "dev");
    ck_assert_str_eq(list.v[1].instance, "prod");
    ck_assert_int_eq(list.v[1].etl_id, 500);
    ck_assert_str_eq(list.v[2].instance, suffixed);
    ck_assert_int_eq(list.v[2].etl_id, 400);
    ck_assert_str_eq(list.v[3].instance, "test");
    etl_list_free(&list);

    const char *only[] = {suffixed};
    struct report_filter by_instance = {only, 1, NULL, NULL};
    ck_assert_int_eq(report_list(src, 2, &by_instance, &list), 0);
    ck_assert_uint_eq(list.n, 1);
    ck_assert_str_eq(list.v[0].name, "c");
    etl_list_free(&list);

    struct etlset ids;
    char err[100];
    ck_assert_int_eq(etlset_parse("1-2, 400", &ids, err, sizeof err), 0);
    struct report_filter by_id_and_name = {NULL, 0, &ids, "[bc]"};
    ck_assert_int_eq(report_list(src, 2, &by_id_and_name, &list), 0);
    ck_assert_uint_eq(list.n, 2);
    ck_assert_str_eq(list.v[0].name, "c");
    ck_assert_str_eq(list.v[1].name, "b");
    etl_list_free(&list);
    etlset_free(&ids);
    query_close(&src[0]);
    query_close(&src[1]);
    unlink(first);
    unlink(fx.path);
}
END_TEST

/* ---- queries use the indexes ---- */

START_TEST(no_report_query_scans_a_big_table)
{
    const char *queries[] = {sql_report_etls, sql_report_runs, sql_report_runs_before,
                             sql_report_samples, sql_report_latest_sample};
    fixture_create();
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        char sql[4096];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[q]);
        ck_assert_int_eq(sqlite3_prepare_v2(fx.db, sql, -1, &st, NULL), SQLITE_OK);
        int uses_index = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(st, 3);
            uses_index |= strstr(detail, "USING INDEX") != NULL ||
                          strstr(detail, "USING PRIMARY KEY") != NULL;
            if (strncmp(detail, "SCAN ", 5) != 0 || strncmp(detail, "SCAN (subquery", 14) == 0)
                continue;
            /* only the small etl and instance tables (aliases e and i) may be read whole */
            ck_assert_msg(strncmp(detail, "SCAN i ", 7) == 0 || strncmp(detail, "SCAN e ", 7) == 0,
                          "query %zu: %s", q, detail);
        }
        ck_assert_msg(uses_index, "query %zu uses no index", q);
        sqlite3_finalize(st);
    }
    fixture_free();
}
END_TEST

/* ---- the window ---- */

START_TEST(window_forms_parse_in_the_display_zone)
{
    int64_t t, since, until, now = B;
    ck_assert_int_eq(window_parse_time("2026-11-23", now, &t), 0);
    ck_assert_int_eq(t, 1795392000);
    ck_assert_int_eq(window_parse_time("2026-11-23T10:00", now, &t), 0);
    ck_assert_int_eq(t, 1795392000 + 36000);
    ck_assert_int_eq(window_parse_time("2026-11-23 10:00:05Z", now, &t), 0);
    ck_assert_int_eq(t, 1795392000 + 36005);
    ck_assert_int_eq(window_parse_time("-3d", now, &t), 0);
    ck_assert_int_eq(t, B - 3 * DAY);
    ck_assert_int_eq(window_parse_time("now", now, &t), 0);
    ck_assert_int_eq(t, B);
    const char *bad[] = {"2026-11-31", "2026-13-01",        "2026-11-23T25:00", "yesterday",
                         "3d",         "2026-11-23T10",     "2026-11-23X",      "",
                         "-3x",        "2026-11-23T10:00Zx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(window_parse_time(bad[i], now, &t) == -1, "accepted %s", bad[i]);

    ck_assert_int_eq(window_parse_week("2026-W48", &since, &until), 0);
    ck_assert_int_eq(since, 1795392000); /* Monday 2026-11-23 */
    ck_assert_int_eq(until, 1795392000 + 7 * DAY);
    ck_assert_int_eq(window_parse_week("2026-W01", &since, &until), 0);
    ck_assert_int_eq(since, 1766966400); /* Monday 2025-12-29 */
    ck_assert_int_eq(window_parse_week("2026-W53", &since, &until), 0);
    ck_assert_int_eq(window_parse_week("2025-W53", &since, &until), -1);
    ck_assert_int_eq(window_parse_week("2026-W00", &since, &until), -1);

    char err[200];
    ck_assert_int_eq(window_set_tz("Europe/Paris", err, sizeof err), 0);
    ck_assert_int_eq(window_parse_week("2026-W48", &since, &until), 0);
    ck_assert_int_eq(since, 1795392000 - 3600);
    ck_assert_int_eq(window_parse_time("2026-07-01", now, &t), 0);
    ck_assert_int_eq(t, 1782864000 - 7200); /* summer time */
    ck_assert_int_eq(window_set_tz("Mars/Olympus", err, sizeof err), -1);
    ck_assert_int_eq(window_set_tz("UTC", err, sizeof err), 0);
}
END_TEST

START_TEST(window_options_combine_and_empty_windows_are_refused)
{
    struct window w;
    char err[200];
    int64_t now = B;
    struct window_spec none = {0};
    ck_assert_int_eq(window_resolve(&none, now, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.until, now);
    ck_assert_int_eq(w.since, now - 7 * DAY);
    struct window_spec last = {.last = "2d", .until = "2026-11-23"};
    ck_assert_int_eq(window_resolve(&last, now, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.since, 1795392000 - 2 * DAY);
    struct window_spec since_last = {.last = "1h", .since = "2026-11-23"};
    ck_assert_int_eq(window_resolve(&since_last, now, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.until, 1795392000 + 3600);
    struct window_spec backwards = {.since = "2026-11-23", .until = "2026-11-22"};
    ck_assert_int_eq(window_resolve(&backwards, now, &w, err, sizeof err), -1);
    struct window_spec same = {.since = "2026-11-23", .until = "2026-11-23"};
    ck_assert_int_eq(window_resolve(&same, now, &w, err, sizeof err), -1);
    struct window_spec both = {.week = "2026-W48", .last = "7d"};
    ck_assert_int_eq(window_resolve(&both, now, &w, err, sizeof err), -1);
    ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    log_init("test_report", LOG_ERROR);
    tcase_add_test(tc, numbers_never_use_the_locale_and_round_half_up);
    tcase_add_test(tc, percentiles_are_nearest_rank);
    tcase_add_test(tc, summary_rates_counts_and_durations_by_hand);
    tcase_add_test(tc, failure_streak_skips_running_and_unknown_and_stops_at_ok);
    tcase_add_test(tc, runs_belong_to_the_window_of_their_start);
    tcase_add_test(tc, coverage_counts_gaps_up_to_max_gap_and_ignores_failed_polls);
    tcase_add_test(tc, coverage_reaches_until_when_the_next_poll_is_after_it);
    tcase_add_test(tc, services_time_in_state_and_transitions);
    tcase_add_test(tc, trend_flags_regressions_of_rate_and_median);
    tcase_add_test(tc, health_counts_polls_by_kind_of_error);
    tcase_add_test(tc, etls_lists_every_etl_with_its_latest_status);
    tcase_add_test(tc, csv_neutralises_formulas_but_not_numbers);
    tcase_add_test(tc, csv_has_crlf_header_delimiter_and_bom_options);
    tcase_add_test(tc, output_is_the_same_in_a_decimal_comma_locale);
    tcase_add_test(tc, json_has_report_window_rows_and_nulls);
    tcase_add_test(tc, text_fits_100_columns_and_has_title_and_totals);
    tcase_add_test(tc, several_databases_merge_and_keep_same_named_instances_apart);
    tcase_add_test(tc, no_report_query_scans_a_big_table);
    tcase_add_test(tc, window_forms_parse_in_the_display_zone);
    tcase_add_test(tc, window_options_combine_and_empty_windows_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(report_suite)
