/* poll.c over real HTTP to the fake CO server: the response size bound (at the limit and one
 * byte over), the per-request timeout, the pass deadline, a signal, bounded concurrency,
 * and the headers a pass reads (Date, Retry-After). */
#include "check_main.h"
#include "fakeco_proc.h"
#include "poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1795392000
#define TOKEN "unit-token"

static const char *const scenario = "token " TOKEN "\n"
                                    "skew 120\n"
                                    "etl 1 period=3600 offset=0 duration=600\n"
                                    "etl 2 fault=hang\n"
                                    "etl 3 fault=429\n"
                                    "etl 4 fault=empty204\n"
                                    "etl 5 period=3600 fault=slow delay_ms=150\n";

static struct fakeco server;

static void setup(void)
{
    fakeco_start(&server, scenario, NOW);
}

static void teardown(void)
{
    fakeco_stop(&server);
}

static struct http_opts opts(size_t max_body, long timeout_s)
{
    return (struct http_opts){.timeout_s = timeout_s, .bearer = TOKEN, .max_body = max_body};
}

/* GET of one ETL's status; the body is freed, its length kept in r->len. */
static int get_status(const struct http_opts *o, int etl, struct http_result *r)
{
    char url[128], *body;
    snprintf(url, sizeof url, "%s/opt/api/v1/backend/etls/%d/status", server.url, etl);
    int rc = http_request(o, url, NULL, r, &body);
    free(body);
    return rc;
}

START_TEST(a_body_exactly_at_the_cap_is_kept_and_one_byte_over_is_refused)
{
    struct http_result r;
    struct http_opts o = opts(POLL_STATUS_CAP, 5);
    ck_assert_int_eq(get_status(&o, 1, &r), 0);
    size_t len = r.len;
    ck_assert_uint_gt(len, 10);
    o.max_body = len;
    ck_assert_int_eq(get_status(&o, 1, &r), 0);
    ck_assert_int_eq(r.http_code, 200);
    ck_assert_uint_eq(r.len, len);
    o.max_body = len - 1;
    ck_assert_int_eq(get_status(&o, 1, &r), -1);
    char want[64];
    snprintf(want, sizeof want, "response over %zu bytes", len - 1);
    ck_assert_str_eq(r.error, want);
}
END_TEST

START_TEST(a_request_that_never_answers_times_out_with_a_stable_message)
{
    struct http_result r;
    struct http_opts o = opts(POLL_STATUS_CAP, 1);
    int64_t began = poll_now_ms();
    ck_assert_int_eq(get_status(&o, 2, &r), -1);
    int64_t took = poll_now_ms() - began;
    ck_assert_str_eq(r.error, "timeout after 1 s");
    ck_assert_int_eq(r.http_code, 0);
    ck_assert_int_ge(took, 900);
    ck_assert_int_lt(took, 3000);
}
END_TEST

START_TEST(date_and_retry_after_are_read_and_a_204_has_no_body)
{
    struct http_result r;
    struct http_opts o = opts(POLL_STATUS_CAP, 5);
    int64_t before = poll_now_ms();
    ck_assert_int_eq(get_status(&o, 1, &r), 0);
    ck_assert_int_eq(r.server_date, NOW + 120); /* the server's clock, skew included */
    ck_assert_int_eq(r.retry_after_s, -1);
    ck_assert_int_ge(r.sent_ms, before);
    ck_assert_int_le(r.sent_ms, poll_now_ms());
    ck_assert_int_eq(get_status(&o, 3, &r), 0);
    ck_assert_int_eq(r.http_code, 429);
    ck_assert_int_eq(r.retry_after_s, 1);
    ck_assert_int_eq(get_status(&o, 4, &r), 0);
    ck_assert_int_eq(r.http_code, 204);
    ck_assert_uint_eq(r.len, 0);
}
END_TEST

struct collected {
    long code[8];
    char error[8][160];
    int calls[8];
    const int *etls;
};

static void url_of(void *ctx, size_t i, char *buf, size_t cap)
{
    const struct collected *c = ctx;
    snprintf(buf, cap, "%s/opt/api/v1/backend/etls/%d/status", server.url, c->etls[i]);
}

static void done(void *ctx, size_t i, const struct http_result *r)
{
    struct collected *c = ctx;
    c->calls[i]++;
    c->code[i] = r->http_code;
    snprintf(c->error[i], sizeof c->error[i], "%s", r->error);
}

START_TEST(requests_past_the_pass_deadline_are_reported_once_each_not_lost)
{
    static const int etls[] = {1, 2, 5, 1};
    struct collected c = {.etls = etls};
    struct http_opts o = opts(POLL_STATUS_CAP, 20);
    int64_t began = poll_now_ms();
    ck_assert_int_eq(poll_many(&o, 2, began + 1000, 4, url_of, done, &c), 0);
    ck_assert_int_lt(poll_now_ms() - began, 2500);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(c.calls[i], 1);
    ck_assert_int_eq(c.code[0], 200);
    ck_assert_int_eq(c.code[2], 200);
    ck_assert_int_eq(c.code[1], 0);
    ck_assert_str_eq(c.error[1], "pass deadline exceeded");
}
END_TEST

START_TEST(a_signal_abandons_what_is_in_flight)
{
    static const int etls[] = {2, 2, 1};
    static volatile sig_atomic_t cancel = 1;
    struct collected c = {.etls = etls};
    struct http_opts o = opts(POLL_STATUS_CAP, 20);
    o.cancel = &cancel;
    int64_t began = poll_now_ms();
    ck_assert_int_eq(poll_many(&o, 3, began + 20000, 3, url_of, done, &c), 0);
    ck_assert_int_lt(poll_now_ms() - began, 2500);
    ck_assert_str_eq(c.error[0], "interrupted by a signal");
    ck_assert_str_eq(c.error[1], "interrupted by a signal");
}
END_TEST

START_TEST(no_more_than_concurrency_requests_are_in_flight)
{
    static const int etls[] = {5, 5, 5, 5, 5, 5, 5, 5};
    struct collected c = {.etls = etls};
    struct http_opts o = opts(POLL_STATUS_CAP, 20);
    ck_assert_int_eq(poll_many(&o, 3, poll_now_ms() + 20000, 8, url_of, done, &c), 0);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(c.code[i], 200);
    ck_assert_int_eq(fakeco_stat(&server, "status_requests"), 8);
    ck_assert_int_le(fakeco_stat(&server, "max_in_flight"), 3);
    ck_assert_int_ge(fakeco_stat(&server, "max_in_flight"), 2); /* but they do overlap */
}
END_TEST

START_TEST(the_sleep_ends_at_its_time_or_at_a_signal)
{
    static volatile sig_atomic_t cancel = 0;
    int64_t began = poll_now_ms();
    poll_sleep_until_ms(began + 150, &cancel);
    ck_assert_int_ge(poll_now_ms() - began, 150);
    cancel = 1;
    began = poll_now_ms();
    poll_sleep_until_ms(began + 5000, &cancel);
    ck_assert_int_lt(poll_now_ms() - began, 50);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("poll");
    TCase *tc = tcase_create("http");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_body_exactly_at_the_cap_is_kept_and_one_byte_over_is_refused);
    tcase_add_test(tc, a_request_that_never_answers_times_out_with_a_stable_message);
    tcase_add_test(tc, date_and_retry_after_are_read_and_a_204_has_no_body);
    tcase_add_test(tc, requests_past_the_pass_deadline_are_reported_once_each_not_lost);
    tcase_add_test(tc, a_signal_abandons_what_is_in_flight);
    tcase_add_test(tc, no_more_than_concurrency_requests_are_in_flight);
    tcase_add_test(tc, the_sleep_ends_at_its_time_or_at_a_signal);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(suite)
