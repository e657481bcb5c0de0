/* common/config.c: where the configuration file is looked for (both programs). */
#include "check_main.h"
#include "stderr_capture.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Loads text as a config file; returns config_load's answer. */
static int load_text(struct config *cfg, const char *text)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/etlhist-test-config-%d.conf", (int)getpid());
    FILE *out = fopen(path, "w");
    ck_assert_ptr_nonnull(out);
    fputs(text, out);
    fclose(out);
    config_defaults(cfg);
    int rc = config_load(cfg, path);
    unlink(path);
    return rc;
}

START_TEST(tz_takes_a_zoneinfo_name_or_utc_and_prints_it)
{
    struct config cfg;
    char printed[512] = "";
    ck_assert_int_eq(load_text(&cfg, "[instance a]\nurl = http://h\ntz = Europe/Berlin\n\n"
                                     "[instance b]\nurl = http://h\ntz = UTC\n\n"
                                     "[instance c]\nurl = http://h\n"),
                     0);
    ck_assert_str_eq(cfg.instances[0].tz, "Europe/Berlin");
    ck_assert_str_eq(cfg.instances[1].tz, "UTC");
    ck_assert_ptr_null(cfg.instances[2].tz); /* not set: unknown */
    FILE *out = fmemopen(printed, sizeof printed - 1, "w");
    config_print(&cfg, out);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(printed, "[instance a]\n"));
    ck_assert_ptr_nonnull(strstr(printed, "tz = Europe/Berlin\n"));
    ck_assert_ptr_nonnull(strstr(printed, "tz = UTC\n"));
    config_free(&cfg);
}
END_TEST

START_TEST(tz_refuses_what_is_not_a_zone_file)
{
    static const char *const bad[] = {"Europe/Atlantis",         "Europe",    "../../etc/passwd",
                                      "/usr/share/zoneinfo/UTC", "CET-1CEST", ""};
    char err[200];
    struct config cfg;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&cfg);
        ck_assert_msg(config_set(&cfg, "instance", "a", "tz", bad[i], err, sizeof err) == -1,
                      "accepted \"%s\"", bad[i]);
        ck_assert_ptr_nonnull(strstr(err, "tz: unknown time zone"));
        config_free(&cfg);
    }
    struct stderr_capture cap;
    stderr_capture_begin(&cap);
    ck_assert_int_eq(load_text(&cfg, "[instance a]\nurl = http://h\ntz = Mars/Olympus\n"), -1);
    char *said = stderr_capture_end(&cap);
    ck_assert_ptr_nonnull(strstr(said, ":3: [instance a] tz: unknown time zone \"Mars/Olympus\""));
    free(said);
    config_free(&cfg);
}
END_TEST

START_TEST(report_tz_is_kept_as_written_and_printed_under_its_section)
{
    struct config cfg;
    char printed[512] = "";
    ck_assert_int_eq(load_text(&cfg, "[report]\ntz = CET-1CEST,M3.5.0,M10.5.0/3\n"), 0);
    ck_assert_str_eq(cfg.report_tz, "CET-1CEST,M3.5.0,M10.5.0/3"); /* checked by the report */
    FILE *out = fmemopen(printed, sizeof printed - 1, "w");
    config_print(&cfg, out);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(printed, "\n[report]\ntz = CET-1CEST,M3.5.0,M10.5.0/3\n"));
    config_free(&cfg);
    ck_assert_int_eq(load_text(&cfg, "[collect]\ninterval = 300\n"), 0);
    out = fmemopen(printed, sizeof printed - 1, "w");
    config_print(&cfg, out);
    fclose(out);
    ck_assert_ptr_null(strstr(printed, "[report]")); /* nothing set: no heading */
    config_free(&cfg);
}
END_TEST

START_TEST(report_section_takes_tz_alone_and_once)
{
    struct config cfg;
    struct stderr_capture cap;
    stderr_capture_begin(&cap);
    ck_assert_int_eq(load_text(&cfg, "[report]\nzone = UTC\n"), -1);
    config_free(&cfg);
    ck_assert_int_eq(load_text(&cfg, "[report]\ntz = UTC\n[report]\ntz = UTC\n"), -1);
    config_free(&cfg);
    ck_assert_int_eq(load_text(&cfg, "[reports]\ntz = UTC\n"), -1);
    config_free(&cfg);
    char *said = stderr_capture_end(&cap);
    ck_assert_ptr_nonnull(strstr(said, ":2: [report] unknown key \"zone\" in [report]"));
    ck_assert_ptr_nonnull(strstr(said, ":3: [report] appears twice (first on line 1)"));
    ck_assert_ptr_nonnull(strstr(said, "unknown section [reports] (expected [collect], [report]"));
    free(said);
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
    TCase *zone = tcase_create("tz");
    tcase_add_test(zone, tz_takes_a_zoneinfo_name_or_utc_and_prints_it);
    tcase_add_test(zone, tz_refuses_what_is_not_a_zone_file);
    tcase_add_test(zone, report_tz_is_kept_as_written_and_printed_under_its_section);
    tcase_add_test(zone, report_section_takes_tz_alone_and_once);
    suite_add_tcase(s, zone);
    return s;
}

CHECK_MAIN(config_suite)
