/* common/config.c: where the configuration file is looked for (both programs). */
#include "check_main.h"
#include "config.h"

#include <stdlib.h>

START_TEST(config_option_wins_over_environment_and_default)
{
    enum config_origin from = CONFIG_FROM_DEFAULT;
    setenv("ETLHIST_CONFIG", "/from/env.conf", 1);
    ck_assert_str_eq(config_path("/from/option.conf", &from), "/from/option.conf");
    ck_assert_int_eq(from, CONFIG_FROM_OPTION);
}
END_TEST

START_TEST(config_environment_is_used_without_an_option)
{
    enum config_origin from = CONFIG_FROM_DEFAULT;
    setenv("ETLHIST_CONFIG", "/from/env.conf", 1);
    ck_assert_str_eq(config_path(NULL, &from), "/from/env.conf");
    ck_assert_int_eq(from, CONFIG_FROM_ENV);
}
END_TEST

START_TEST(config_unset_environment_means_the_default_file)
{
    enum config_origin from = CONFIG_FROM_OPTION;
    unsetenv("ETLHIST_CONFIG");
    ck_assert_str_eq(config_path(NULL, &from), CONFIG_DEFAULT_PATH);
    ck_assert_int_eq(from, CONFIG_FROM_DEFAULT);
}
END_TEST

START_TEST(config_empty_environment_is_the_same_as_unset)
{
    enum config_origin from = CONFIG_FROM_OPTION;
    setenv("ETLHIST_CONFIG", "", 1);
    ck_assert_str_eq(config_path(NULL, &from), CONFIG_DEFAULT_PATH);
    ck_assert_int_eq(from, CONFIG_FROM_DEFAULT);
    ck_assert_str_eq(config_path(NULL, NULL), CONFIG_DEFAULT_PATH);
}
END_TEST

START_TEST(config_empty_option_is_kept_for_the_loader_to_refuse)
{
    enum config_origin from = CONFIG_FROM_DEFAULT;
    unsetenv("ETLHIST_CONFIG");
    ck_assert_str_eq(config_path("", &from), "");
    ck_assert_int_eq(from, CONFIG_FROM_OPTION);
}
END_TEST

START_TEST(numbers_are_digits_alone_without_spaces_or_plus)
{
    long v = -7;
    ck_assert_int_eq(config_parse_long("10", 0, 86400, &v), 0);
    ck_assert_int_eq(v, 10);
    ck_assert_int_eq(config_parse_long("-3", -5, 5, &v), 0);
    ck_assert_int_eq(v, -3);
    static const char *const bad[] = {" 10",  "10 ", "+10", "",      "-",  "1e3",
                                      "0x10", "\t5", "- 5", "86401", "-1", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = -7;
        ck_assert_msg(config_parse_long(bad[i], 0, 86400, &v) == -1, "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(v, -7);
    }
    /* a key set from the command line (--follow " 10") goes through the same rule */
    struct config cfg;
    char err[200];
    config_defaults(&cfg);
    ck_assert_int_eq(config_set(&cfg, "collect", NULL, "follow", " 10", err, sizeof err), -1);
    ck_assert_str_eq(err, "follow: expected an integer from 0 to 86400, got \" 10\"");
    ck_assert_int_eq(config_set(&cfg, "collect", NULL, "follow", "10", err, sizeof err), 0);
    ck_assert_int_eq(cfg.follow, 10);
    config_free(&cfg);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config_path");
    tcase_add_test(tc, config_option_wins_over_environment_and_default);
    tcase_add_test(tc, config_environment_is_used_without_an_option);
    tcase_add_test(tc, config_unset_environment_means_the_default_file);
    tcase_add_test(tc, config_empty_environment_is_the_same_as_unset);
    tcase_add_test(tc, config_empty_option_is_kept_for_the_loader_to_refuse);
    tcase_add_test(tc, numbers_are_digits_alone_without_spaces_or_plus);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(config_suite)
