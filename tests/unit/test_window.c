/* report/engine/window.c and zone.c: the window options, in the display zone given. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The window before a local week across a clock change is the local week before, of its own
 * length (168 h), not 167 or 169 h back; a window of hours is its length back. */
START_TEST(window_before_a_week_across_a_clock_change_is_the_week_before)
{
    int64_t b;
    ck_assert_int_eq(zone_whole_days("Europe/Berlin", 1774220400, 1774821600), 7); /* 167 h */
    zone_window_before("Europe/Berlin", 1774220400, 1774821600, &b);
    ck_assert_int_eq(b, 1773615600);                                 /* 2026-03-16 00:00 CET */
    zone_window_before("Europe/Berlin", 1792969200, 1793574000, &b); /* 2026-W44, 168 h */
    ck_assert_int_eq(b, 1792360800);                                 /* 2026-10-19 00:00 CEST */
    ck_assert_int_eq(zone_whole_days("Europe/Berlin", 1792969200 + 3600, 1793574000), 0);
    zone_window_before("Europe/Berlin", 1792969200 + 3600, 1793574000, &b);
    ck_assert_int_eq(b, 1792969200 + 3600 - (1793574000 - 1792969200 - 3600));
    ck_assert_int_eq(zone_whole_days("UTC", 0, 86400), 1);
}
END_TEST

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

START_TEST(windows_lie_within_1970_and_9999)
{
    struct window w;
    char err[200];
    struct window_spec all = {.since = "1970-01-01", .until = "9999-12-31T23:59:59Z", .tz = "UTC"};
    ck_assert_int_eq(window_resolve(&all, B, &w, err, sizeof err), 0);
    ck_assert_int_eq(w.since, 0);
    ck_assert_int_eq(w.until, WINDOW_LATEST - 1);
    struct {
        struct window_spec spec;
        const char *want;
    } bad[] = {
        {{.last = "999999999999d"},
         "--last 999999999999d: the window would start before 1970-01-01T00:00:00Z (a window "
         "lies within 1970-01-01 and 9999-12-31 UTC)"},
        {{.since = "-99999999999d"},
         "--since -99999999999d: the window would start before 1970-01-01T00:00:00Z"},
        {{.until = "1970-01-03"}, "--until 1970-01-03: the window would start before 1970"},
        {{.since = "1970-01-01", .tz = "Asia/Tokyo"}, "--since 1970-01-01: the window would"},
        {{.since = "9999-12-31T23:00Z", .last = "2h"},
         "--last 2h: the window would end after 9999-12-31T23:59:59Z"},
        {{.until = "9999-12-31T23:59:59", .tz = "America/New_York"},
         "--until 9999-12-31T23:59:59: the window would end after 9999-12-31T23:59:59Z"},
        {{.week = "9999-W52", .tz = "UTC"}, "--week 9999-W52: the window would end after"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_int_eq(window_resolve(&bad[i].spec, B, &w, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0, "%zu: %s", i, err);
    }
}
END_TEST

START_TEST(days_are_stepped_over_by_calendar_arithmetic)
{
    int64_t a;
    ck_assert_int_eq(window_parse_time("2026-03-01", B, "Europe/Paris", &a), 0);
    /* 29 days over the spring change (the 29th had 23 h), in one step */
    ck_assert_int_eq(zone_midnight_after("Europe/Paris", a + 3600, 29), a + 29 * DAY - 3600);
    ck_assert_int_eq(zone_midnight_after("Europe/Paris", a, 1),
                     zone_next_midnight("Europe/Paris", a));
    ck_assert_int_eq(zone_day_number("UTC", 1795392000), 1795392000 / DAY);
    ck_assert_int_eq(zone_day_number("Asia/Tokyo", 1795392000 - 1), 1795392000 / DAY);
    ck_assert_int_eq(zone_day_number("UTC", WINDOW_LATEST - 1), 2932896);
}
END_TEST

START_TEST(tz_offsets_beyond_14_hours_are_refused)
{
    char err[200];
    static const char *const ok[] = {"UTC+14",   "UTC-14",    "<+1345>-13:45",
                                     "EST5EDT4", "UTC-12:00", "ABC+3DEF+14,M3.5.0,M10.5.0/3"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(zone_check(ok[i], err, sizeof err) == 0, "%s: %s", ok[i], err);
    static const struct {
        const char *tz, *want;
    } bad[] = {
        {"UTC+99", "time zone \"UTC+99\": an offset of 99:00 from UTC, beyond the 14 hours of "
                   "any real zone"},
        {"UTC+25", "time zone \"UTC+25\": an offset of 25:00 from UTC"},
        {"UTC-14:01", "time zone \"UTC-14:01\": an offset of 14:01 from UTC"},
        {"ABC-3DEF-15", "time zone \"ABC-3DEF-15\": an offset of 15:00 from UTC"},
        {"XYZ+1:70", "unknown time zone \"XYZ+1:70\""},
        {"UTC+100", "unknown time zone"},
        {"UTC+5ju", "unknown time zone"}, /* a summer-time name has 3 letters or more */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_int_eq(zone_check(bad[i].tz, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0, "%s: %s", bad[i].tz,
                      err);
    }
}
END_TEST

START_TEST(times_are_labelled_with_a_true_abbreviation_or_the_offset)
{
    static const struct {
        const char *tz, *want;
    } cases[] = {
        {"UTC+5", "2026-11-22 19:00 -05:00"}, /* not "UTC" */
        {"UTC-14", "2026-11-23 14:00 +14:00"},
        {"GMT-5:30:15", "2026-11-23 05:30 +05:30:15"},
        {"UTC0", "2026-11-23 00:00 UTC"},
        {"<+0530>-5:30", "2026-11-23 05:30 +0530"},
        {"CET-1CEST,M3.5.0,M10.5.0/3", "2026-11-23 01:00 CET"},
        {"Europe/Berlin", "2026-11-23 01:00 CET"},
        {"America/Sao_Paulo", "2026-11-22 21:00 -03"},
    };
    char buf[ZONE_TIME_BUF];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zone_format(cases[i].tz, 1795392000, "%Y-%m-%d %H:%M %Z", buf, sizeof buf);
        ck_assert_msg(strcmp(buf, cases[i].want) == 0, "%s: %s", cases[i].tz, buf);
    }
    zone_format("UTC+5", 1795392000, "%Z", buf, sizeof buf);
    ck_assert_str_eq(buf, "-05:00");
}
END_TEST

START_TEST(local_times_the_clocks_skipped_are_refused_and_repeated_ones_are_the_first)
{
    int64_t t;
    const char *berlin = "Europe/Berlin";
    /* 2026-03-29: 02:00 CET became 03:00 CEST (01:00Z) */
    ck_assert_int_eq(window_parse_time("2026-03-29T02:30", B, berlin, &t), ZONE_SKIPPED);
    ck_assert_int_eq(window_parse_time("2026-03-29T02:00", B, berlin, &t), ZONE_SKIPPED);
    ck_assert_int_eq(window_parse_time("2026-03-29T02:59:59", B, berlin, &t), ZONE_SKIPPED);
    ck_assert_int_eq(window_parse_time("2026-03-29T01:59:59", B, berlin, &t), 0);
    ck_assert_int_eq(t, 1774745999); /* 00:59:59Z */
    ck_assert_int_eq(window_parse_time("2026-03-29T03:00", B, berlin, &t), 0);
    ck_assert_int_eq(t, 1774746000);                                            /* 01:00Z */
    ck_assert_int_eq(window_parse_time("2026-03-29T02:30Z", B, berlin, &t), 0); /* UTC exists */
    /* 2026-10-25: 03:00 CEST became 02:00 CET (01:00Z): 02:00-02:59 shows twice */
    ck_assert_int_eq(window_parse_time("2026-10-25T02:30", B, berlin, &t), 0);
    ck_assert_int_eq(t, 1792888200); /* 00:30Z, the first, in summer time */
    ck_assert_int_eq(window_parse_time("2026-10-25T03:00", B, berlin, &t), 0);
    ck_assert_int_eq(t, 1792893600); /* 02:00Z */
    ck_assert_int_eq(window_parse_time("2026-10-25T01:59", B, berlin, &t), 0);
    ck_assert_int_eq(t, 1792886340); /* 23:59Z the day before */

    struct window w;
    char err[200];
    struct window_spec gap = {.since = "2026-03-29T02:30", .tz = "Europe/Berlin"};
    ck_assert_int_eq(window_resolve(&gap, B, &w, err, sizeof err), -1);
    ck_assert_str_eq(
        err, "--since 2026-03-29T02:30 does not exist in Europe/Berlin (clocks went forward)");
    struct window_spec hour = {
        .since = "2026-03-29T02:00", .until = "2026-03-29T03:00", .tz = "Europe/Berlin"};
    ck_assert_int_eq(window_resolve(&hour, B, &w, err, sizeof err), -1);
    ck_assert_str_eq(
        err, "--since 2026-03-29T02:00 does not exist in Europe/Berlin (clocks went forward)");
    struct window_spec until = {
        .since = "2026-03-29", .until = "2026-03-29T02:15", .tz = "Europe/Berlin"};
    ck_assert_int_eq(window_resolve(&until, B, &w, err, sizeof err), -1);
    ck_assert_str_eq(
        err, "--until 2026-03-29T02:15 does not exist in Europe/Berlin (clocks went forward)");
    /* a date is the start of its day, also where the clocks skip midnight */
    ck_assert_int_eq(window_parse_time("2026-03-29", B, berlin, &t), 0);
    ck_assert_int_eq(t, 1774738800); /* 2026-03-28T23:00Z */
    ck_assert_int_eq(window_parse_time("2026-09-06", B, "America/Santiago", &t), 0);
    ck_assert_int_eq(t, 1788667200); /* 01:00 -03, 04:00Z: midnight was skipped */
}
END_TEST

static Suite *window_suite(void)
{
    Suite *s = suite_create("window");
    TCase *tc = tcase_create("window");
    log_init("test_window", LOG_ERROR);
    tcase_add_test(tc, window_forms_parse_in_the_display_zone);
    tcase_add_test(tc, window_before_a_week_across_a_clock_change_is_the_week_before);
    tcase_add_test(tc, window_options_combine_and_empty_windows_are_refused);
    tcase_add_test(tc, window_last_since_until_and_week_resolve_to_seconds);
    tcase_add_test(tc, window_days_with_a_dst_change_are_23_or_25_hours);
    tcase_add_test(tc, window_tz_offsets_and_posix_strings_shift_local_dates);
    tcase_add_test(tc, window_bad_input_gets_one_line_naming_the_option);
    tcase_add_test(tc, windows_lie_within_1970_and_9999);
    tcase_add_test(tc, days_are_stepped_over_by_calendar_arithmetic);
    tcase_add_test(tc, tz_offsets_beyond_14_hours_are_refused);
    tcase_add_test(tc, times_are_labelled_with_a_true_abbreviation_or_the_offset);
    tcase_add_test(tc, local_times_the_clocks_skipped_are_refused_and_repeated_ones_are_the_first);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(window_suite)
