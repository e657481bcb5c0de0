/* collect.c: whole passes against the fake CO server into a real SQLite file, each at an
 * explicit clock. The pass row carries the pass's one reading of the clock, the server's
 * skew is measured against it, a clock behind the last pass polls nothing, a token refused
 * mid-pass is renewed once, and the status classification at its boundaries. */
#include "check_main.h"
#include "collect.h"
#include "db.h"
#include "fakeco_proc.h"
#include "log.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define NOW 1795392000

static const char *const scenario =
    "token static-token\n"
    "keys tenant_id=acme access_key=AK1 access_secret_key=SK1\n"
    "skew 120\n"
    "etl 1 name=\"Running one\" period=3600 offset=0 duration=1800\n"
    "etl 2 name=\"Done one\" period=3600 offset=60 duration=10 outcomes=ERROR\n"
    "etl 3 name=\"Never\"\n";

static struct fakeco server;
static struct config cfg;
static struct collector c;
static sqlite3 *db;
static char db_path[128];

static void setup(void)
{
    char err[200], path[128];
    log_init("test_collect", LOG_ERROR - 1);
    fakeco_start(&server, scenario, NOW);
    fakeco_file(&server, "token", "static-token\n", path, sizeof path);
    config_defaults(&cfg);
    ck_assert_int_eq(config_set(&cfg, "instance", "unit", "url", server.url, err, sizeof err), 0);
    ck_assert_int_eq(config_set(&cfg, "instance", "unit", "token_file", path, err, sizeof err), 0);
    ck_assert_int_eq(config_set(&cfg, "instance", "unit", "etls", "all", err, sizeof err), 0);
    config_resolve_follow(&cfg, cfg.interval, 0);
    snprintf(db_path, sizeof db_path, "%s/history.db", server.dir);
    ck_assert_int_eq(db_open(db_path, DB_READWRITE, &db), 0);
}

static void teardown(void)
{
    collector_free(&c);
    db_close(db);
    config_free(&cfg);
    fakeco_stop(&server);
}

static void init_collector(void)
{
    ck_assert_int_eq(collector_init(&c, &cfg, &cfg.instances[0], db), 0);
    c.quiet = 1;
}

/* A pass clock at the Unix second t, as if read just now. */
static struct pass_clock clock_at(int64_t t)
{
    return (struct pass_clock){.now = t, .wall_ms = t * 1000, .mono_ms = poll_now_ms()};
}

static int64_t num(const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

START_TEST(a_pass_is_dated_by_its_clock_and_measures_the_server_skew_against_it)
{
    init_collector();
    struct pass_clock clk = clock_at(NOW);
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_ALL_POLLED);
    ck_assert_int_eq(num("SELECT count(*) FROM pass"), 1);
    ck_assert_int_eq(num("SELECT started FROM pass"), NOW);
    ck_assert_int_le(num("SELECT took_s FROM pass"), 2);
    ck_assert_int_ge(num("SELECT took_s FROM pass"), 0);
    ck_assert_int_eq(num("SELECT polled * 100 + ok * 10 + errors FROM pass"), 330);
    ck_assert_int_eq(num("SELECT server_skew_s FROM pass"), 120);
    ck_assert_int_eq(num("SELECT count(*) FROM sample WHERE first_seen = "
                         "1795392000"),
                     3);
    ck_assert_int_eq(num("SELECT count(*) FROM etl WHERE name = 'Running one'"), 1);
    int64_t last;
    ck_assert_int_eq(store_last_pass(db, "unit", &last), 0);
    ck_assert_int_eq(last, NOW);
}
END_TEST

START_TEST(a_clock_behind_the_last_pass_polls_nothing)
{
    init_collector();
    struct pass_clock clk = clock_at(NOW);
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_ALL_POLLED);
    long requests = fakeco_stat(&server, "requests");
    clk = clock_at(NOW - 1);
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_NOTHING);
    ck_assert_int_eq(fakeco_stat(&server, "requests"), requests);
    ck_assert_int_eq(num("SELECT count(*) FROM pass"), 1);
    clk = clock_at(NOW); /* the same second again is not behind */
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_ALL_POLLED);
    ck_assert_int_eq(num("SELECT count(*) FROM pass"), 2);
}
END_TEST

START_TEST(a_token_revoked_mid_pass_is_renewed_once_and_the_pass_completes)
{
    char err[200], keys[128];
    fakeco_file(&server, "keys", "tenant_id=acme\naccess_key=AK1\naccess_secret_key=SK1\n", keys,
                sizeof keys);
    struct instance_config *ic = &cfg.instances[0];
    free(ic->token_file);
    ic->token_file = NULL;
    ck_assert_int_eq(config_set(&cfg, "instance", "unit", "access_key_file", keys, err, sizeof err),
                     0);
    init_collector();
    struct pass_clock clk = clock_at(NOW);
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_ALL_POLLED);
    ck_assert_int_eq(c.auth.expires, NOW + AUTH_JWT_LIFETIME_S); /* dated by the pass */
    ck_assert_int_eq(fakeco_stat(&server, "logins"), 1);
    /* Revoked on the server although our clock says it is still good. */
    char url[128], *body;
    struct http_result r;
    struct http_opts o = {.timeout_s = 5, .max_body = 4096};
    snprintf(url, sizeof url, "%s/_ctl/expire", server.url);
    ck_assert_int_eq(http_request(&o, url, "{}", &r, &body), 0);
    free(body);
    clk = clock_at(NOW + 300);
    fakeco_set_clock(&server, NOW + 300);
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_ALL_POLLED);
    ck_assert_int_eq(fakeco_stat(&server, "refreshes") + fakeco_stat(&server, "logins"), 2);
    ck_assert_int_eq(c.auth.expires, NOW + 300 + AUTH_JWT_LIFETIME_S);
    ck_assert_int_eq(num("SELECT ok FROM pass WHERE started = 1795392300"), 3);
}
END_TEST

START_TEST(a_static_token_refused_everywhere_is_a_recorded_failed_pass)
{
    char path[128];
    fakeco_file(&server, "token", "wrong-token\n", path, sizeof path);
    init_collector();
    struct pass_clock clk = clock_at(NOW);
    ck_assert_int_eq(collector_pass(&c, &clk), EXIT_NOTHING);
    ck_assert_int_eq(num("SELECT count(*) FROM pass WHERE started = 1795392000 AND polled = 0 "
                         "AND error LIKE 'authentication failed (HTTP 401 from %'"),
                     1);
    ck_assert_int_eq(num("SELECT count(*) FROM sample"), 0);
}
END_TEST

static void classify(struct observation *o, long code, const char *body, const char *error)
{
    struct http_result r = {.http_code = code,
                            .body = body,
                            .len = strlen(body),
                            .server_date = INT64_MIN,
                            .retry_after_s = -1};
    snprintf(r.error, sizeof r.error, "%s", error);
    collector_classify(o, 7, &r);
}

START_TEST(responses_are_classified_at_their_boundaries)
{
    struct observation o;
    classify(&o, 200, "{\"status\":\"RUNNING\"}", "");
    ck_assert_str_eq(o.status, "RUNNING");
    ck_assert_str_eq(o.error, "");
    classify(&o, 204, "{\"status\":\"WAITING\"}", ""); /* a 204 with its documented body */
    ck_assert_str_eq(o.status, "WAITING");
    classify(&o, 204, "", "");
    ck_assert_str_eq(o.error, "HTTP 204 without a body");
    classify(&o, 400, "{}", "");
    ck_assert_str_eq(o.error, "ETL not found (HTTP 400)");
    classify(&o, 401, "", "");
    ck_assert_str_eq(o.error, "unauthorized (HTTP 401)");
    classify(&o, 0, "", "timeout after 20 s");
    ck_assert_str_eq(o.error, "timeout after 20 s");
    classify(&o, 502, "<html>", "");
    ck_assert_str_eq(o.error, "HTTP 502");
    ck_assert_int_eq(o.etl_id, 7);
    ck_assert_int_eq(o.http_code, 502);
}
END_TEST

START_TEST(the_pass_clock_maps_monotonic_time_to_our_seconds)
{
    struct pass_clock clk = {.now = NOW, .wall_ms = NOW * 1000LL + 900, .mono_ms = 5000};
    ck_assert_int_eq(pass_clock_at(&clk, 5000), NOW);
    ck_assert_int_eq(pass_clock_at(&clk, 5099), NOW);
    ck_assert_int_eq(pass_clock_at(&clk, 5100), NOW + 1);
    ck_assert_int_eq(pass_clock_at(&clk, 4000), NOW - 1);
    /* A wake-up for second NOW + 2 comes once that second has begun. */
    ck_assert_int_eq(pass_clock_at(&clk, pass_clock_mono(&clk, NOW + 2)), NOW + 2);
    ck_assert_int_eq(pass_clock_at(&clk, pass_clock_mono(&clk, NOW + 2) - 10), NOW + 1);
    struct pass_clock real = pass_clock_read();
    ck_assert_int_eq(real.now, real.wall_ms / 1000);
}
END_TEST

/* The server stamps Date between the sending and the arrival: with our clock 100 ms before a
 * second boundary at the sending and a server that agrees with us, a Date of the next second
 * must not read as a server 1 s behind (that would narrow duration bounds below the truth). */
START_TEST(the_skew_is_measured_from_the_sending_so_it_is_never_too_small)
{
    struct pass_clock clk = {.now = NOW, .wall_ms = NOW * 1000LL + 900, .mono_ms = 5000};
    struct http_result r = {.http_code = 200, .server_date = NOW + 1, .sent_ms = 5000};
    ck_assert_int_eq(pass_clock_skew(&clk, &r), 1); /* from the arrival (5200) it would be 0 */
    r.server_date = NOW;
    ck_assert_int_eq(pass_clock_skew(&clk, &r), 0);
    r.server_date = NOW + 834;
    r.sent_ms = 5100; /* sent in the next second */
    ck_assert_int_eq(pass_clock_skew(&clk, &r), 833);
    r.server_date = INT64_MIN;
    ck_assert(pass_clock_skew(&clk, &r) == INT64_MIN);
    r.server_date = NOW;
    r.http_code = 0; /* no response: no Date to trust */
    ck_assert(pass_clock_skew(&clk, &r) == INT64_MIN);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("collect");
    TCase *tc = tcase_create("pass");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_pass_is_dated_by_its_clock_and_measures_the_server_skew_against_it);
    tcase_add_test(tc, a_clock_behind_the_last_pass_polls_nothing);
    tcase_add_test(tc, a_token_revoked_mid_pass_is_renewed_once_and_the_pass_completes);
    tcase_add_test(tc, a_static_token_refused_everywhere_is_a_recorded_failed_pass);
    suite_add_tcase(s, tc);
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, responses_are_classified_at_their_boundaries);
    tcase_add_test(pure, the_pass_clock_maps_monotonic_time_to_our_seconds);
    tcase_add_test(pure, the_skew_is_measured_from_the_sending_so_it_is_never_too_small);
    suite_add_tcase(s, pure);
    return s;
}

CHECK_MAIN(suite)
