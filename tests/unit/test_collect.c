/* collect.c: whole passes against the fake CO server into a real SQLite file, each at an
 * explicit clock. The pass row carries the pass's one reading of the clock, the server's
 * skew is measured against it, a clock behind the last pass polls nothing, a token refused
 * mid-pass is renewed once, and the status classification at its boundaries. A pass that
 * observed nothing says why (pass.error_class), an ETL found gone is marked so
 * (etl.deleted_since) until it is back, and configured ETLs get rows from any pass. */
#include "check_main.h"
#include "collect.h"
#include "db.h"
#include "fakeco_proc.h"
#include "log.h"
#include "store.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
                         "AND error LIKE 'authentication failed (HTTP 401 from %' "
                         "AND error_class = 'auth'"),
                     1);
    ck_assert_int_eq(num("SELECT count(*) FROM sample"), 0);
}
END_TEST

static const char *text(const char *sql)
{
    static char buf[256];
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *v = sqlite3_column_text(st, 0);
    snprintf(buf, sizeof buf, "%s", v ? (const char *)v : "(null)");
    sqlite3_finalize(st);
    return buf;
}

static void set_key(const char *key, const char *value)
{
    char err[200];
    ck_assert_int_eq(config_set(&cfg, "instance", "unit", key, value, err, sizeof err), 0);
}

/* The collector anew, after a change of its config. */
static void reinit_collector(void)
{
    collector_free(&c);
    memset(&c, 0, sizeof c);
    init_collector();
}

/* One pass at t, the server's clock (srv) set to it too; returns the exit code. */
static int pass_at(struct fakeco *srv, int64_t t)
{
    fakeco_set_clock(srv, t);
    struct pass_clock clk = clock_at(t);
    return collector_pass(&c, &clk);
}

/* A loopback port nothing listens on: bound, then closed. */
static int closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

START_TEST(a_pass_to_a_closed_port_is_unreachable)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
    set_key("url", url);
    set_key("etls", "5, 7-8");
    init_collector();
    ck_assert_int_eq(pass_at(&server, NOW), EXIT_NOTHING);
    ck_assert_str_eq(text("SELECT error_class FROM pass"), "unreachable");
    ck_assert_int_eq(num("SELECT ok FROM pass"), 0);
    ck_assert_int_eq(num("SELECT count(*) FROM pass WHERE error IS NOT NULL"), 1);
    /* the ETL list failed, so each configured ETL was asked and failed alike */
    ck_assert_str_eq(text("SELECT group_concat(etl_id) FROM (SELECT etl_id FROM etl ORDER BY 1)"),
                     "5,7,8");
    ck_assert_int_eq(num("SELECT count(*) FROM sample WHERE http_code IS NULL "
                         "AND error IS NOT NULL"),
                     3);
    ck_assert_int_eq(num("SELECT count(*) FROM pass WHERE error LIKE 'every ETL failed%'"), 1);
}
END_TEST

START_TEST(a_refused_token_with_a_configured_list_is_auth_and_still_lists_the_etls)
{
    char path[128];
    fakeco_file(&server, "token", "wrong-token\n", path, sizeof path);
    set_key("etls", "1-2, 9");
    init_collector();
    ck_assert_int_eq(pass_at(&server, NOW), EXIT_NOTHING);
    ck_assert_str_eq(text("SELECT error_class FROM pass"), "auth");
    ck_assert_int_eq(num("SELECT polled FROM pass"), 0); /* it stopped at the ETL list */
    /* the configured ETLs have rows, dated by the pass, without names (none was polled:
     * last_seen is first_seen until a pass polls them) */
    ck_assert_str_eq(text("SELECT group_concat(etl_id) FROM (SELECT etl_id FROM etl ORDER BY 1)"),
                     "1,2,9");
    ck_assert_int_eq(num("SELECT count(*) FROM etl WHERE first_seen = 1795392000 "
                         "AND last_seen = first_seen AND name IS NULL AND deleted_since IS NULL"),
                     3);
    ck_assert_int_eq(num("SELECT count(*) FROM sample"), 0);
    /* a later failed pass keeps the rows as they are */
    ck_assert_int_eq(pass_at(&server, NOW + 300), EXIT_NOTHING);
    ck_assert_int_eq(num("SELECT count(*) FROM etl WHERE first_seen = 1795392000 "
                         "AND last_seen = 1795392000"),
                     3);
    ck_assert_int_eq(num("SELECT count(*) FROM pass WHERE error_class = 'auth'"), 2);
}
END_TEST

START_TEST(every_etl_refused_with_401_is_an_auth_pass)
{
    struct fakeco other;
    fakeco_start(&other, "token static-token\netl 1 fault=401\netl 2 fault=403\n", NOW);
    set_key("url", other.url);
    set_key("etls", "1-2");
    init_collector();
    ck_assert_int_eq(pass_at(&other, NOW), EXIT_NOTHING);
    fakeco_stop(&other);
    ck_assert_int_eq(num("SELECT polled * 10 + ok FROM pass"), 20);
    ck_assert_str_eq(text("SELECT error_class FROM pass"), "auth");
    /* the ETL list was fine: the names are known */
    ck_assert_int_eq(num("SELECT count(*) FROM etl WHERE name = 'ETL 1'"), 1);
}
END_TEST

START_TEST(every_etl_answering_500_is_a_server_pass)
{
    struct fakeco other;
    fakeco_start(&other, "token static-token\netl 1 fault=500\netl 2 fault=502\n", NOW);
    set_key("url", other.url);
    init_collector();
    ck_assert_int_eq(pass_at(&other, NOW), EXIT_NOTHING);
    ck_assert_int_eq(pass_at(&other, NOW + 300), EXIT_NOTHING);
    fakeco_stop(&other);
    ck_assert_int_eq(num("SELECT count(*) FROM pass WHERE polled = 2 AND ok = 0 "
                         "AND error_class = 'server' AND error LIKE 'every ETL failed%'"),
                     2);
    ck_assert_int_eq(num("SELECT count(*) FROM sample WHERE http_code >= 500"), 2);
}
END_TEST

START_TEST(a_pass_that_observed_something_has_no_error_class)
{
    init_collector();
    ck_assert_int_eq(pass_at(&server, NOW), EXIT_ALL_POLLED);
    ck_assert_int_eq(num("SELECT count(*) FROM pass WHERE error_class IS NULL AND ok = 3"), 1);
    ck_assert_str_eq(text("SELECT coalesce(tz, 'none') FROM instance"), "none");
}
END_TEST

START_TEST(the_instance_keeps_the_configured_time_zone)
{
    set_key("tz", "Europe/Berlin");
    init_collector();
    ck_assert_int_eq(pass_at(&server, NOW), EXIT_ALL_POLLED);
    ck_assert_str_eq(text("SELECT tz FROM instance WHERE name = 'unit'"), "Europe/Berlin");
    set_key("tz", "UTC");
    reinit_collector();
    ck_assert_int_eq(pass_at(&server, NOW + 300), EXIT_ALL_POLLED);
    ck_assert_str_eq(text("SELECT tz FROM instance WHERE name = 'unit'"), "UTC");
}
END_TEST

/* ETL 2 is deleted at NOW + 300 (400 and no longer listed); ETL 3 answers 400 from NOW + 300
 * to NOW + 600 while listed. */
static const char *const deleting =
    "token static-token\n"
    "etl 1 period=3600\n"
    "etl 2 period=3600 deleted=1795392300\n"
    "etl 3 period=3600 fault=400 fault_from=1795392300 fault_until=1795392600\n";

static void expect_deleted(const char *want)
{
    ck_assert_str_eq(text("SELECT group_concat(etl_id || ':' || coalesce(deleted_since - "
                          "1795392000, '-'), ' ') FROM (SELECT * FROM etl ORDER BY etl_id)"),
                     want);
}

START_TEST(an_etl_answering_400_is_deleted_since_that_pass_until_it_answers_again)
{
    struct fakeco other;
    fakeco_start(&other, deleting, NOW);
    set_key("url", other.url);
    set_key("etls", "1-3");
    init_collector();
    ck_assert_int_eq(pass_at(&other, NOW), EXIT_ALL_POLLED);
    expect_deleted("1:- 2:- 3:-");
    ck_assert_int_eq(pass_at(&other, NOW + 300), EXIT_PARTIAL);
    expect_deleted("1:- 2:300 3:300");
    ck_assert_int_eq(pass_at(&other, NOW + 600), EXIT_PARTIAL);
    expect_deleted("1:- 2:300 3:-"); /* 3 answers again; 2 keeps when it went */
    fakeco_stop(&other);
}
END_TEST

START_TEST(an_etl_gone_from_the_list_is_deleted_and_back_when_listed_again)
{
    struct fakeco other, again;
    fakeco_start(&other, deleting, NOW);
    set_key("url", other.url);
    init_collector(); /* etls = all: 2 is no longer polled once unlisted */
    ck_assert_int_eq(pass_at(&other, NOW), EXIT_ALL_POLLED);
    ck_assert_int_eq(pass_at(&other, NOW + 300), EXIT_PARTIAL);
    ck_assert_int_eq(num("SELECT polled FROM pass WHERE started = 1795392300"), 2);
    expect_deleted("1:- 2:300 3:300");
    ck_assert_int_eq(pass_at(&other, NOW + 600), EXIT_ALL_POLLED);
    expect_deleted("1:- 2:300 3:-");
    fakeco_stop(&other);
    /* The server lists 2 again; a configured list that leaves it out still learns it. */
    fakeco_start(&again, "token static-token\netl 1 period=3600\netl 2 period=3600\n", NOW);
    set_key("url", again.url);
    set_key("etls", "1");
    reinit_collector();
    ck_assert_int_eq(pass_at(&again, NOW + 900), EXIT_ALL_POLLED);
    fakeco_stop(&again);
    expect_deleted("1:- 2:- 3:900"); /* 3 is not listed by this server */
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

START_TEST(each_failed_response_has_the_class_of_why)
{
    struct observation o;
    classify(&o, 200, "{\"status\":\"RUNNING\"}", "");
    ck_assert_int_eq(o.failure, FAILURE_NONE);
    classify(&o, 200, "{\"status\":", "");
    ck_assert_int_eq(o.failure, FAILURE_SERVER); /* a body that cannot be used */
    classify(&o, 204, "", "");
    ck_assert_int_eq(o.failure, FAILURE_SERVER);
    classify(&o, 400, "{}", "");
    ck_assert_int_eq(o.failure, FAILURE_OTHER);
    classify(&o, 401, "", "");
    ck_assert_int_eq(o.failure, FAILURE_AUTH);
    classify(&o, 403, "{\"message\":\"no\"}", "");
    ck_assert_int_eq(o.failure, FAILURE_AUTH);
    classify(&o, 503, "", "");
    ck_assert_int_eq(o.failure, FAILURE_SERVER);
    classify(&o, 429, "", "");
    ck_assert_int_eq(o.failure, FAILURE_OTHER);
    classify(&o, 0, "", "timeout after 20 s"); /* no class from the transport: other */
    ck_assert_int_eq(o.failure, FAILURE_OTHER);
    /* a pass: one class when all agree, else other */
    ck_assert_int_eq(failure_join(FAILURE_NONE, FAILURE_TLS), FAILURE_TLS);
    ck_assert_int_eq(failure_join(FAILURE_TLS, FAILURE_TLS), FAILURE_TLS);
    ck_assert_int_eq(failure_join(FAILURE_TLS, FAILURE_SERVER), FAILURE_OTHER);
    ck_assert_int_eq(failure_join(FAILURE_AUTH, FAILURE_NONE), FAILURE_AUTH);
    ck_assert_str_eq(failure_name(FAILURE_UNREACHABLE), "unreachable");
    ck_assert_ptr_null(failure_name(FAILURE_NONE));
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
    tcase_add_test(tc, a_pass_to_a_closed_port_is_unreachable);
    tcase_add_test(tc, a_refused_token_with_a_configured_list_is_auth_and_still_lists_the_etls);
    tcase_add_test(tc, every_etl_refused_with_401_is_an_auth_pass);
    tcase_add_test(tc, every_etl_answering_500_is_a_server_pass);
    tcase_add_test(tc, a_pass_that_observed_something_has_no_error_class);
    tcase_add_test(tc, the_instance_keeps_the_configured_time_zone);
    tcase_add_test(tc, an_etl_answering_400_is_deleted_since_that_pass_until_it_answers_again);
    tcase_add_test(tc, an_etl_gone_from_the_list_is_deleted_and_back_when_listed_again);
    suite_add_tcase(s, tc);
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, responses_are_classified_at_their_boundaries);
    tcase_add_test(pure, each_failed_response_has_the_class_of_why);
    tcase_add_test(pure, the_pass_clock_maps_monotonic_time_to_our_seconds);
    tcase_add_test(pure, the_skew_is_measured_from_the_sending_so_it_is_never_too_small);
    suite_add_tcase(s, pure);
    return s;
}

CHECK_MAIN(suite)
