/* report/window.c: the window options, in the display zone. */
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

static Suite *window_suite(void)
{
    Suite *s = suite_create("window");
    TCase *tc = tcase_create("window");
    log_init("test_window", LOG_ERROR);
    tcase_add_test(tc, window_forms_parse_in_the_display_zone);
    tcase_add_test(tc, window_options_combine_and_empty_windows_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(window_suite)
