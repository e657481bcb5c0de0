/* common/silence.c and report/silenced.c: [silence NAME] keys, what a section needs, and
 * which verdicts a silence covers on the instance's wall clock. */
#include "check_main.h"
#include "silenced.h"

#include <string.h>

#define MON 1795392000 /* Monday 2026-11-23T00:00:00Z */

static struct silence made(const char *const *kv)
{
    struct silence s;
    char err[200];
    memset(&s, 0, sizeof s);
    for (; kv[0]; kv += 2)
        ck_assert_msg(silence_set(&s, kv[0], kv[1], err, sizeof err) == 0, "%s: %s", kv[0], err);
    ck_assert_msg(silence_check(&s, err, sizeof err) == 0, "%s", err);
    return s;
}

START_TEST(weekly_covers_its_span_on_the_instance_clock_and_may_pass_midnight)
{
    const char *kv[] = {"instance", "prod", "weekly", "Sun 23:00-01:00", "reason", "r", NULL};
    struct silence s = made(kv);
    struct silences all = {&s, 1};
    int64_t sun = MON - 86400;
    ck_assert_ptr_null(silenced_at(&all, "prod", 5, SILENCE_MISSED, sun + 22 * 3600 + 3599, NULL));
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 5, SILENCE_MISSED, sun + 23 * 3600, NULL));
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 5, SILENCE_MISSED, MON + 3599, NULL));
    ck_assert_ptr_null(silenced_at(&all, "prod", 5, SILENCE_MISSED, MON + 3600, NULL));
    ck_assert_ptr_null(silenced_at(&all, "test", 5, SILENCE_MISSED, MON, NULL)); /* instance */
    /* In Berlin (UTC+1 in November) Sunday 23:00 is 22:00 UTC. */
    ck_assert_ptr_nonnull(
        silenced_at(&all, "prod", 5, SILENCE_LATE, sun + 22 * 3600, "Europe/Berlin"));
    ck_assert_ptr_null(silenced_at(&all, "prod", 5, SILENCE_LATE, MON + 30 * 60, "Europe/Berlin"));
    silence_free(&s);
}
END_TEST

/* Sun 02:00-04:00 in Berlin across the end of summer time (Sunday 2026-10-25: 03:00 CEST
 * becomes 02:00 CET): the window keeps to the wall clock, so it is 00:00-02:00Z the week
 * before, 00:00-03:00Z that night (the hour from 02:00 to 03:00 happens twice) and
 * 01:00-03:00Z the week after. */
START_TEST(weekly_keeps_to_the_wall_clock_across_a_change_of_time)
{
    const char *kv[] = {"instance", "prod", "weekly", "Sun 02:00-04:00", "reason", "r", NULL};
    struct silence s = made(kv);
    struct silences all = {&s, 1};
    const char *tz = "Europe/Berlin";
    int64_t oct18 = 1792281600, oct25 = oct18 + 7 * 86400, nov1 = oct25 + 7 * 86400; /* 00:00Z */
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 1, SILENCE_MISSED, oct18 + 1800, tz));
    ck_assert_ptr_null(silenced_at(&all, "prod", 1, SILENCE_MISSED, oct18 + 2 * 3600 + 60, tz));
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 1, SILENCE_MISSED, oct25 + 1800, tz));
    ck_assert_ptr_nonnull(
        silenced_at(&all, "prod", 1, SILENCE_MISSED, oct25 + 2 * 3600 + 1800, tz));
    ck_assert_ptr_null(silenced_at(&all, "prod", 1, SILENCE_MISSED, oct25 + 3 * 3600 + 60, tz));
    ck_assert_ptr_null(silenced_at(&all, "prod", 1, SILENCE_MISSED, nov1 + 1800, tz));
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 1, SILENCE_MISSED, nov1 + 3600 + 60, tz));
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 1, SILENCE_MISSED, nov1 + 2 * 3600 + 3599, tz));
    ck_assert_ptr_null(silenced_at(&all, "prod", 1, SILENCE_MISSED, nov1 + 3 * 3600, tz));
    silence_free(&s);
}
END_TEST

START_TEST(etls_and_kinds_narrow_a_silence)
{
    const char *kv[] = {"instance", "prod",
                        "etls",     "500-520",
                        "kinds",    "failing, deleted",
                        "from",     "2026-11-23T02:00",
                        "until",    "2026-11-23T04:00Z",
                        NULL};
    struct silence s;
    char err[200];
    memset(&s, 0, sizeof s);
    for (size_t i = 0; kv[i]; i += 2)
        ck_assert_int_eq(silence_set(&s, kv[i], kv[i + 1], err, sizeof err), 0);
    ck_assert_int_eq(silence_check(&s, err, sizeof err), -1); /* no reason */
    ck_assert_str_eq(err, "no reason (reason = ... is required)");
    ck_assert_int_eq(silence_set(&s, "reason", "upgrade", err, sizeof err), 0);
    ck_assert_int_eq(silence_check(&s, err, sizeof err), -1); /* Z on until only */
    ck_assert_int_eq(silence_set(&s, "from", "2026-11-23T02:00Z", err, sizeof err), 0);
    ck_assert_int_eq(silence_check(&s, err, sizeof err), 0);
    struct silences all = {&s, 1};
    int64_t t = MON + 3 * 3600;
    ck_assert_ptr_nonnull(silenced_at(&all, "prod", 510, SILENCE_FAILING, t, NULL));
    ck_assert_ptr_null(silenced_at(&all, "prod", 530, SILENCE_FAILING, t, NULL)); /* etl */
    ck_assert_ptr_null(silenced_at(&all, "prod", 510, SILENCE_MISSED, t, NULL));  /* kind */
    ck_assert_ptr_null(silenced_at(&all, "prod", -1, SILENCE_STALE, t, NULL));    /* instance's */
    ck_assert_ptr_null(silenced_at(&all, "prod", 510, SILENCE_FAILING, MON + 4 * 3600, NULL));
    ck_assert(silence_expired(&s, MON + 4 * 3600, NULL));
    ck_assert(!silence_expired(&s, MON + 4 * 3600 - 1, NULL));
    silence_free(&s);
}
END_TEST

START_TEST(bad_forms_are_refused)
{
    static const char *const bad[][2] = {{"weekly", "Sunday 02:00-04:00"},
                                         {"weekly", "Sun 2:00-4:00"},
                                         {"weekly", "Sun 02:00-02:00"},
                                         {"weekly", "Sun 02:00-25:00"},
                                         {"from", "2026-13-01"},
                                         {"until", "2026-11-23T2:00"},
                                         {"kinds", "missed,gaps"},
                                         {"kinds", ""},
                                         {"etls", "x"},
                                         {"reason", ""},
                                         {"colour", "red"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct silence s;
        char err[200] = "";
        memset(&s, 0, sizeof s);
        ck_assert_msg(silence_set(&s, bad[i][0], bad[i][1], err, sizeof err) == -1, "%s = %s",
                      bad[i][0], bad[i][1]);
        ck_assert(err[0] != '\0');
        silence_free(&s);
    }
}
END_TEST

static Suite *silence_suite(void)
{
    Suite *s = suite_create("silence");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, weekly_covers_its_span_on_the_instance_clock_and_may_pass_midnight);
    tcase_add_test(tc, weekly_keeps_to_the_wall_clock_across_a_change_of_time);
    tcase_add_test(tc, etls_and_kinds_narrow_a_silence);
    tcase_add_test(tc, bad_forms_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(silence_suite)
