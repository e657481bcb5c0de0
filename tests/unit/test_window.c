/* report/window.c and report/zone.c: the window options, in the display zone given. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(window_forms_parse_in_the_display_zone)
{
    int64_t t, since, until, now = B;
    ck_assert_int_eq(window_parse_time("2026-11-23", now, "UTC", &t), 0);
    ck_assert_int_eq(t, 1795392000);
    ck_assert_int_eq(window_parse_time("2026-11-23T10:00", now, "UTC", &t), 0);
    ck_assert_int_eq(t, 1795392000 + 36000);
    ck_assert_int_eq(window_parse_time("2026-11-23 10:00:05Z", now, "UTC", &t), 0);
    ck_assert_int_eq(t, 1795392000 + 36005);
    ck_assert_int_eq(window_parse_time("-3d", now, "UTC", &t), 0);
    ck_assert_int_eq(t, B - 3 * DAY);
    ck_assert_int_eq(window_parse_time("now", now, "UTC", &t), 0);
    ck_assert_int_eq(t, B);
    const char *bad[] = {"2026-11-31", "2026-13-01",        "2026-11-23T25:00", "yesterday",
                         "3d",         "2026-11-23T10",     "2026-11-23X",      "",
                         "-3x",        "2026-11-23T10:00Zx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(window_parse_time(bad[i], now, "UTC", &t) == -1, "accepted %s", bad[i]);

    ck_assert_int_eq(window_parse_week("2026-W48", "UTC", &since, &until), 0);
    ck_assert_int_eq(since, 1795392000); /* Monday 2026-11-23 */
    ck_assert_int_eq(until, 1795392000 + 7 * DAY);
    ck_assert_int_eq(window_parse_week("2026-W01", "UTC", &since, &until), 0);
    ck_assert_int_eq(since, 1766966400); /* Monday 2025-12-29 */
    ck_assert_int_eq(window_parse_week("2026-W53", "UTC", &since, &until), 0);
    ck_assert_int_eq(window_parse_week("2025-W53", "UTC", &since, &until), -1);
    ck_assert_int_eq(window_parse_week("2026-W00", "UTC", &since, &until), -1);

    char err[200];
    ck_assert_int_eq(zone_check("Europe/Paris", err, sizeof err), 0);
    ck_assert_int_eq(window_parse_week("2026-W48", "Europe/Paris", &since, &until), 0);
    ck_assert_int_eq(since, 1795392000 - 3600);
    ck_assert_int_eq(window_parse_time("2026-07-01", now, "Europe/Paris", &t), 0);
    ck_assert_int_eq(t, 1782864000 - 7200); /* summer time */
    ck_assert_int_eq(zone_check("Mars/Olympus", err, sizeof err), -1);
    ck_assert_int_eq(zone_check("UTC", err, sizeof err), 0);
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

START_TEST(window_last_since_until_and_week_resolve_to_seconds)
{
    struct window w;
    char err[200];
    struct window_spec last = {.last = "12h", .tz = "UTC"};
    ck_assert_int_eq(window_resolve(&last, B, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.since, B - 12 * 3600);
    ck_assert_int_eq(w.until, B);
    ck_assert_str_eq(w.tz, "UTC");
    struct window_spec range = {.since = "2026-11-23", .until = "2026-11-24T06:30", .tz = "UTC"};
    ck_assert_int_eq(window_resolve(&range, B, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.since, 1795392000);
    ck_assert_int_eq(w.until, 1795392000 + DAY + 6 * 3600 + 1800);
    struct window_spec since_only = {.since = "-2d", .tz = "UTC"};
    ck_assert_int_eq(window_resolve(&since_only, B, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.since, B - 2 * DAY);
    ck_assert_int_eq(w.until, B); /* until defaults to now */
    struct window_spec week = {.week = "2026-W48", .tz = "UTC"};
    ck_assert_int_eq(window_resolve(&week, B, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.until - w.since, 7 * DAY);
}
END_TEST

START_TEST(window_days_with_a_dst_change_are_23_or_25_hours)
{
    int64_t since, until, a, b;
    /* Europe/Paris: summer time began 2026-03-29 and ends 2026-10-25 */
    ck_assert_int_eq(window_parse_time("2026-03-29", B, "Europe/Paris", &a), 0);
    ck_assert_int_eq(window_parse_time("2026-03-30", B, "Europe/Paris", &b), 0);
    ck_assert_int_eq(b - a, 23 * 3600);
    ck_assert_int_eq(window_parse_time("2026-10-25", B, "Europe/Paris", &a), 0);
    ck_assert_int_eq(window_parse_time("2026-10-26", B, "Europe/Paris", &b), 0);
    ck_assert_int_eq(b - a, 25 * 3600);
    /* the week holding the autumn change is an hour longer */
    ck_assert_int_eq(window_parse_week("2026-W43", "Europe/Paris", &since, &until), 0);
    ck_assert_int_eq(until - since, 7 * DAY + 3600);
    ck_assert_int_eq(window_parse_week("2026-W43", "UTC", &since, &until), 0);
    ck_assert_int_eq(until - since, 7 * DAY);
    /* the day's midnight after a change is found by the zone's rules */
    ck_assert_int_eq(zone_next_midnight("Europe/Paris", a + 3600), b);
}
END_TEST

START_TEST(window_tz_offsets_and_posix_strings_shift_local_dates)
{
    int64_t t;
    char err[200];
    ck_assert_int_eq(window_parse_time("2026-11-23", B, "Asia/Tokyo", &t), 0);
    ck_assert_int_eq(t, 1795392000 - 9 * 3600);
    ck_assert_int_eq(window_parse_time("2026-11-23", B, "America/New_York", &t), 0);
    ck_assert_int_eq(t, 1795392000 + 5 * 3600);
    /* POSIX TZ strings: the sign is west of Greenwich */
    ck_assert_int_eq(zone_check("<+0530>-5:30", err, sizeof err), 0);
    ck_assert_int_eq(window_parse_time("2026-11-23", B, "<+0530>-5:30", &t), 0);
    ck_assert_int_eq(t, 1795392000 - 5 * 3600 - 1800);
    ck_assert_int_eq(window_parse_time("2026-11-23T10:00", B, "EST5", &t), 0);
    ck_assert_int_eq(t, 1795392000 + 15 * 3600);
    /* a trailing Z is UTC whatever the zone */
    ck_assert_int_eq(window_parse_time("2026-11-23T10:00Z", B, "Asia/Tokyo", &t), 0);
    ck_assert_int_eq(t, 1795392000 + 10 * 3600);
    ck_assert_int_eq(zone_check(":Europe/Paris", err, sizeof err), 0);
    ck_assert_int_eq(zone_check(NULL, err, sizeof err), 0);
    /* a zone given explicitly does not depend on TZ */
    char buf[ZONE_TIME_BUF];
    zone_format("Asia/Tokyo", 1795392000, "%Y-%m-%d %H:%M %Z", buf, sizeof buf);
    ck_assert_str_eq(buf, "2026-11-23 09:00 JST");
    zone_format("UTC", 1795392000, "%Y-%m-%d %H:%M %Z", buf, sizeof buf);
    ck_assert_str_eq(buf, "2026-11-23 00:00 UTC");
}
END_TEST

START_TEST(window_bad_input_gets_one_line_naming_the_option)
{
    struct window w;
    char err[200];
    struct {
        struct window_spec spec;
        const char *want;
    } bad[] = {
        {{.last = "7x"}, "--last: bad span \"7x\" (expected e.g. 7d, 12h, 2w)"},
        {{.last = "0d"}, "--last: bad span \"0d\""},
        {{.since = "2026-02-30"}, "--since: bad date \"2026-02-30\" (expected 2026-11-23, "},
        {{.until = "tomorrow"}, "--until: bad date \"tomorrow\""},
        {{.week = "2026-48"}, "--week: bad ISO week \"2026-48\" (expected e.g. 2026-W48)"},
        {{.week = "2026-W48", .since = "-1d"}, "--week cannot be combined with --last"},
        {{.last = "1d", .since = "-3d", .until = "-1d"}, "--last cannot be combined with both"},
        {{.since = "-1d", .until = "-2d"}, "the window is empty: --until must be after --since"},
        {{.tz = "Mars/Olympus"}, "unknown time zone \"Mars/Olympus\" (expected e.g. UTC, "},
        {{.tz = ":../../etc/passwd"}, "unknown time zone"},
        {{.tz = ""}, "unknown time zone \"\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_int_eq(window_resolve(&bad[i].spec, B, &w, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0, "%zu: %s", i, err);
        ck_assert_ptr_null(strchr(err, '\n'));
    }
}
END_TEST

static Suite *window_suite(void)
{
    Suite *s = suite_create("window");
    TCase *tc = tcase_create("window");
    log_init("test_window", LOG_ERROR);
    tcase_add_test(tc, window_forms_parse_in_the_display_zone);
    tcase_add_test(tc, window_options_combine_and_empty_windows_are_refused);
    tcase_add_test(tc, window_last_since_until_and_week_resolve_to_seconds);
    tcase_add_test(tc, window_days_with_a_dst_change_are_23_or_25_hours);
    tcase_add_test(tc, window_tz_offsets_and_posix_strings_shift_local_dates);
    tcase_add_test(tc, window_bad_input_gets_one_line_naming_the_option);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(window_suite)
