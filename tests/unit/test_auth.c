/* auth.c against the fake CO server's login and refresh endpoints: a static token is never
 * renewed, access keys log in once, the JWT is refreshed exactly at the renewal margin and
 * not a second before, a refused refresh falls back to a login; secret files that others may
 * read are refused. */
#include "auth.h"
#include "check_main.h"
#include "fakeco_proc.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#define NOW 1795392000

static const char *const scenario = "token static-token\n"
                                    "keys tenant_id=acme access_key=AK1 access_secret_key=SK1\n"
                                    "etl 1\n";

static struct fakeco server;
static struct auth a;
static struct instance_config ic;
static char keys_path[128];

static void setup(void)
{
    log_init("test_auth", LOG_ERROR - 1); /* the refusals below are expected */
    fakeco_start(&server, scenario, NOW);
    fakeco_file(&server, "keys", "tenant_id=acme\naccess_key=AK1\naccess_secret_key=SK1\n",
                keys_path, sizeof keys_path);
    memset(&ic, 0, sizeof ic);
    snprintf(ic.name, sizeof ic.name, "unit");
    ic.url = server.url;
    ic.access_key_file = keys_path;
}

static void teardown(void)
{
    auth_free(&a);
    fakeco_stop(&server);
}

START_TEST(a_static_token_is_used_as_it_is_and_never_renewed)
{
    char path[128];
    fakeco_file(&server, "token", "\xEF\xBB\xBF  static-token \n", path, sizeof path);
    ic.access_key_file = NULL;
    ic.token_file = path;
    ck_assert_int_eq(auth_init(&a, &ic, 5), 0);
    ck_assert_str_eq(a.token, "static-token"); /* byte order mark and blanks trimmed */
    ck_assert_int_eq(auth_ensure(&a, NOW + 100LL * 365 * 86400), 0); /* a century on */
    ck_assert_int_eq(auth_renew(&a, NOW), -1);
    ck_assert_int_eq(fakeco_stat(&server, "requests"), 0);
}
END_TEST

START_TEST(access_keys_log_in_at_the_first_pass_and_the_jwt_lives_15_minutes)
{
    ck_assert_int_eq(auth_init(&a, &ic, 5), 0);
    ck_assert_ptr_null(a.token);
    ck_assert_int_eq(auth_ensure(&a, NOW), 0);
    ck_assert_msg(!strncmp(a.token, "jwt-", 4), "%s", a.token);
    ck_assert_int_eq(a.expires, NOW + AUTH_JWT_LIFETIME_S);
    ck_assert_int_eq(fakeco_stat(&server, "logins"), 1);
    ck_assert_int_eq(auth_ensure(&a, NOW + 60), 0);
    ck_assert_int_eq(fakeco_stat(&server, "logins"), 1);
}
END_TEST

START_TEST(the_jwt_is_refreshed_at_the_margin_and_not_a_second_before)
{
    ck_assert_int_eq(auth_init(&a, &ic, 5), 0);
    ck_assert_int_eq(auth_ensure(&a, NOW), 0);
    char *first = strdup(a.token);
    int64_t renew_at = NOW + AUTH_JWT_LIFETIME_S - AUTH_RENEW_MARGIN_S;
    ck_assert_int_eq(auth_ensure(&a, renew_at - 1), 0);
    ck_assert_int_eq(fakeco_stat(&server, "refreshes"), 0);
    ck_assert_str_eq(a.token, first);
    fakeco_set_clock(&server, renew_at);
    ck_assert_int_eq(auth_ensure(&a, renew_at), 0);
    ck_assert_int_eq(fakeco_stat(&server, "refreshes"), 1);
    ck_assert_int_eq(fakeco_stat(&server, "logins"), 1);
    ck_assert_str_ne(a.token, first);
    ck_assert_int_eq(a.expires, renew_at + AUTH_JWT_LIFETIME_S);
    free(first);
}
END_TEST

START_TEST(a_refused_refresh_falls_back_to_a_login)
{
    ck_assert_int_eq(auth_init(&a, &ic, 5), 0);
    ck_assert_int_eq(auth_ensure(&a, NOW), 0);
    /* The refresh token lives 24 h of server time: a day later it is refused. */
    fakeco_set_clock(&server, NOW + 86400 + 10);
    ck_assert_int_eq(auth_renew(&a, NOW + 86400 + 10), 0);
    ck_assert_int_eq(fakeco_stat(&server, "refreshes"), 1);
    ck_assert_int_eq(fakeco_stat(&server, "logins"), 2);
    ck_assert_int_eq(a.expires, NOW + 86400 + 10 + AUTH_JWT_LIFETIME_S);
}
END_TEST

START_TEST(wrong_access_keys_give_no_token)
{
    char path[128];
    fakeco_file(&server, "bad", "tenant_id=acme\naccess_key=AK1\naccess_secret_key=nope\n", path,
                sizeof path);
    ic.access_key_file = path;
    ck_assert_int_eq(auth_init(&a, &ic, 5), 0);
    ck_assert_int_eq(auth_ensure(&a, NOW), -1);
    ck_assert_ptr_null(a.token);
    ck_assert_int_eq(fakeco_stat(&server, "unauthorized"), 1);
}
END_TEST

START_TEST(secret_files_others_may_read_are_refused_unless_allowed)
{
    char path[128], *text;
    fakeco_file(&server, "open", "s3cret\n", path, sizeof path);
    chmod(path, 0640);
    ck_assert_int_eq(auth_read_secret("unit", path, 0, &text), -1);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(auth_read_secret("unit", path, 1, &text), 0);
    ck_assert_str_eq(text, "s3cret");
    free(text);
    fakeco_file(&server, "empty", " \n\n", path, sizeof path);
    ck_assert_int_eq(auth_read_secret("unit", path, 0, &text), -1);
    fakeco_file(&server, "two-lines", "one\ntwo\n", path, sizeof path);
    ic.access_key_file = NULL;
    ic.token_file = path;
    ck_assert_int_eq(auth_init(&a, &ic, 5), -1); /* a second line would add a header */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("auth");
    TCase *tc = tcase_create("tokens");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, a_static_token_is_used_as_it_is_and_never_renewed);
    tcase_add_test(tc, access_keys_log_in_at_the_first_pass_and_the_jwt_lives_15_minutes);
    tcase_add_test(tc, the_jwt_is_refreshed_at_the_margin_and_not_a_second_before);
    tcase_add_test(tc, a_refused_refresh_falls_back_to_a_login);
    tcase_add_test(tc, wrong_access_keys_give_no_token);
    tcase_add_test(tc, secret_files_others_may_read_are_refused_unless_allowed);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(suite)
