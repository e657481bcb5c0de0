/* common/: time parsing and formatting, ETL lists, the config table. */
#include "check_main.h"
#include "config.h"
#include "etlset.h"
#include "log.h"
#include "stderr_capture.h"
#include "timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

START_TEST(iso_utc_parses_exactly)
{
    int64_t t;
    ck_assert_int_eq(time_parse_iso_utc("2022-09-06T12:07:34Z", &t), 0);
    ck_assert_int_eq(t, 1662466054);
    ck_assert_int_eq(time_parse_iso_utc("1970-01-01T00:00:00Z", &t), 0);
    ck_assert_int_eq(t, 0);
    ck_assert_int_eq(time_parse_iso_utc("2024-02-29T23:59:59.123Z", &t), 0);
    ck_assert_int_eq(t, 1709251199);
}
END_TEST

START_TEST(rfc3339_variants_are_read_as_utc)
{
    const char *same[] = {"2022-09-06T12:07:34Z",      "2022-09-06t12:07:34z",
                          "2022-09-06 12:07:34Z",      "2022-09-06T14:07:34+02:00",
                          "2022-09-06T14:07:34+0200",  "2022-09-06T14:07:34+02",
                          "2022-09-06T07:37:34-04:30", "2022-09-06T12:07:34.999999+00:00",
                          "2022-09-06T12:07:34-00:00", "2022-09-07T00:07:34+12:00"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        int64_t t = -1;
        ck_assert_msg(time_parse_iso_utc(same[i], &t) == 0, "refused \"%s\"", same[i]);
        ck_assert_msg(t == 1662466054, "\"%s\" read as %lld", same[i], (long long)t);
    }
    int64_t t = -1; /* the last second of four-digit years, from an offset */
    ck_assert_int_eq(time_parse_iso_utc("9999-12-31T23:59:59-00:01", &t), -1);
    ck_assert_int_eq(time_parse_iso_utc("9999-12-31T23:59:59+00:00", &t), 0);
    ck_assert_int_eq(t, 253402300799);
}
END_TEST

START_TEST(iso_utc_rejects_near_misses)
{
    const char *bad[] = {"2022-09-06_12:07:34Z",      "2022-09-06T12:07:34",
                         "2023-02-29T00:00:00Z",      "2022-13-01T00:00:00Z",
                         "2022-09-06T24:00:00Z",      "22-09-06T12:07:34Z",
                         "2022-09-06T12:07:34Zx",     "",
                         "2022-09-06T12:07:34.Z",     "2022-09-06T12:07:34+2:00",
                         "2022-09-06T12:07:34+02:",   "2022-09-06T12:07:34+02:0",
                         "2022-09-06T12:07:34+24:00", "2022-09-06T12:07:34+02:00x",
                         "2022-09-06T12:07:34+02:60", "1970-01-01T00:30:00+01:00",
                         "9999-12-31T23:59:59-05"}; /* UTC year 10000 */
    int64_t t;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(time_parse_iso_utc(bad[i], &t) == -1, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(formats_round_trip)
{
    char buf[TIME_BUF];
    int64_t t;
    time_format_iso(1662466054, buf);
    ck_assert_str_eq(buf, "2022-09-06T12:07:34Z");
    ck_assert_int_eq(time_parse_iso_utc(buf, &t), 0);
    ck_assert_int_eq(t, 1662466054);
    time_format_utc(951782400, buf);
    ck_assert_str_eq(buf, "2000-02-29 00:00:00");
    time_format_sheet(951868799, buf);
    ck_assert_str_eq(buf, "2000-02-29T23:59:59");
    ck_assert_int_eq(time_parse_iso_utc(buf, &t), -1); /* no zone: not an instant by itself */
}
END_TEST

START_TEST(spans_parse_with_units)
{
    int64_t s;
    ck_assert_int_eq(time_parse_span("7d", &s), 0);
    ck_assert_int_eq(s, 604800);
    ck_assert_int_eq(time_parse_span("300", &s), 0);
    ck_assert_int_eq(s, 300);
    ck_assert_int_eq(time_parse_span("2w", &s), 0);
    ck_assert_int_eq(s, 1209600);
    ck_assert_int_eq(time_parse_span("5x", &s), -1);
    ck_assert_int_eq(time_parse_span("-5m", &s), -1);
    ck_assert_int_eq(time_parse_span("5mm", &s), -1);
}
END_TEST

START_TEST(etl_lists_and_ranges_parse)
{
    struct etlset set;
    char err[128];
    ck_assert_int_eq(etlset_parse("321, 467, 500-520", &set, err, sizeof err), 0);
    ck_assert_uint_eq(etlset_count(&set), 23);
    ck_assert(etlset_contains(&set, 321));
    ck_assert(etlset_contains(&set, 510));
    ck_assert(!etlset_contains(&set, 499));
    etlset_free(&set);
    ck_assert_int_eq(etlset_parse("5-10,8-12, 1", &set, err, sizeof err), 0);
    ck_assert_uint_eq(etlset_count(&set), 9);
    etlset_free(&set);
    ck_assert_int_eq(etlset_parse(" all ", &set, err, sizeof err), 0);
    ck_assert(set.all);
}
END_TEST

START_TEST(bad_etl_lists_name_the_spot)
{
    struct etlset set;
    char err[128];
    const char *bad[] = {"", "12,", "a", "10-5", "1-2000000", "3 4", "-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(etlset_parse(bad[i], &set, err, sizeof err) == -1, "accepted \"%s\"", bad[i]);
    etlset_parse("321, x7", &set, err, sizeof err);
    ck_assert_msg(strstr(err, "x7"), "error does not point at x7: %s", err);
}
END_TEST

static const char *write_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/etlhist-test-conf-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

START_TEST(sample_config_in_docs_parses)
{
    struct config cfg;
    config_defaults(&cfg);
    ck_assert_int_eq(config_load(&cfg, ETLHIST_SRCDIR "/docs/etlhist.conf.example"), 0);
    ck_assert_int_eq(config_validate(&cfg, 1), 0);
    ck_assert_uint_eq(cfg.n_instances, 2);
    ck_assert_str_eq(cfg.instances[0].name, "prod");
    ck_assert_str_eq(cfg.instances[1].etls, "321, 467, 500-520");
    ck_assert_int_eq(cfg.interval, 300);
    config_free(&cfg);
}
END_TEST

START_TEST(config_rejects_bad_values_and_keys)
{
    struct config cfg;
    const char *bad[] = {"[collect]\ninterval = 5\n", "[collect]\ninterval = 3x\n",
                         "[collect]\ncolour = red\n", "[nope]\nx = 1\n",
                         "[instance a b]\nurl = http://x\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&cfg);
        ck_assert_msg(config_load(&cfg, write_file(bad[i])) == -1, "accepted %s", bad[i]);
        config_free(&cfg);
    }
    config_defaults(&cfg);
    ck_assert_int_eq(config_load(&cfg, write_file("[instance x]\netls = all\n")), 0);
    ck_assert_int_eq(config_validate(&cfg, 1), -1); /* no url */
    config_free(&cfg);
}
END_TEST

START_TEST(print_config_prints_what_was_read)
{
    struct config cfg;
    char buf[2048] = "";
    config_defaults(&cfg);
    ck_assert_int_eq(config_load(&cfg, write_file("[collect]\ntimeout = 7\n[instance p]\n"
                                                  "url = https://h\ntoken_file = /t\n")),
                     0);
    FILE *f = fmemopen(buf, sizeof buf, "w");
    config_print(&cfg, f);
    fclose(f);
    ck_assert(strstr(buf, "timeout = 7\n"));
    ck_assert(strstr(buf, "[instance p]\nurl = https://h\ntoken_file = /t\netls = all\n"));
    config_free(&cfg);
}
END_TEST

START_TEST(log_clean_blanks_every_control_character)
{
    char s[] = "a\rb\nc\x1b[2Jd\x7f"
               "e\xc2\x9b"
               "31mf\xc2\x80g\tZ\xc3\xbcrich \xe2\x80\x93 \xc2\xa0x";
    ck_assert_str_eq(log_clean(s), "a b c [2Jd e 31mf g Z\xc3\xbcrich \xe2\x80\x93 \xc2\xa0x");
    char empty[] = "";
    ck_assert_str_eq(log_clean(empty), "");
    char cut[] = "x\xc2"; /* a lone lead byte at the end is not a C1 control */
    ck_assert_str_eq(log_clean(cut), "x\xc2");
}
END_TEST

/* The option as the user wrote it: a long one whole, a letter alone even inside a group. */
START_TEST(bad_option_names_the_option_as_given)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    static const struct {
        const char *arg, *line;
    } cases[] = {
        {"--nope", "test: unknown option --nope (see --help)\n"},
        {"--nope=1", "test: unknown option --nope=1 (see --help)\n"},
        {"-Z", "test: unknown option -Z (see --help)\n"},
        {"-vZv", "test: unknown option -Z (see --help)\n"},
        {"--config", "test: --config needs a value (see --help)\n"},
        {"-vc", "test: -c needs a value (see --help)\n"},
    };
    log_init("test", LOG_ERROR);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {"test", "-v", (char *)cases[i].arg, NULL};
        struct stderr_capture cap;
        int c;
        opterr = 0;
        optind = 0; /* glibc: start afresh */
        while ((c = getopt_long(3, argv, ":c:v", opts, NULL)) == 'v')
            ;
        ck_assert(c == '?' || c == ':');
        stderr_capture_begin(&cap);
        log_bad_option(c, argv, "--help");
        char *got = stderr_capture_end(&cap);
        ck_assert_str_eq(got, cases[i].line);
        free(got);
    }
    log_init("test", -1);
}
END_TEST

static Suite *common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("common");
    log_init("test", -1);
    tcase_add_test(tc, iso_utc_parses_exactly);
    tcase_add_test(tc, rfc3339_variants_are_read_as_utc);
    tcase_add_test(tc, iso_utc_rejects_near_misses);
    tcase_add_test(tc, formats_round_trip);
    tcase_add_test(tc, spans_parse_with_units);
    tcase_add_test(tc, etl_lists_and_ranges_parse);
    tcase_add_test(tc, bad_etl_lists_name_the_spot);
    tcase_add_test(tc, sample_config_in_docs_parses);
    tcase_add_test(tc, config_rejects_bad_values_and_keys);
    tcase_add_test(tc, print_config_prints_what_was_read);
    tcase_add_test(tc, log_clean_blanks_every_control_character);
    tcase_add_test(tc, bad_option_names_the_option_as_given);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(common_suite)
