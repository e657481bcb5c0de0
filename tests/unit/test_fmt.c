/* report/writers: every writer gives the same bytes whatever the locale. */
#include "check_main.h"
#include "report_fixture.h"

#include <csv.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const comma_locales[] = {"de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8",
                                            "fr_FR.utf8",  "nl_NL.UTF-8", "ru_RU.UTF-8",
                                            "de_DE",       "fr_FR"};

/* Sets a locale whose decimal point is a comma, if this system has one. The test image may
 * have none (locale -a lists only C, C.utf8 and POSIX, and nothing is installed for a test):
 * then the comparison runs between "C" and "C.UTF-8", which still proves that no output
 * depends on setlocale, and the comma case runs wherever such a locale exists (also with
 * one built by `localedef -i de_DE -f UTF-8 DIR/de_DE.UTF-8` and LOCPATH=DIR, which is how
 * this test was checked against a real decimal comma). */
static const char *set_comma_locale(void)
{
    for (size_t i = 0; i < sizeof comma_locales / sizeof comma_locales[0]; i++)
        if (setlocale(LC_ALL, comma_locales[i]) && strcmp(localeconv()->decimal_point, ",") == 0)
            return comma_locales[i];
    return setlocale(LC_ALL, "C.UTF-8") ? "C.UTF-8" : "C";
}

START_TEST(output_is_the_same_in_a_decimal_comma_locale)
{
    const char *reports[] = {"summary", "runs", "services", "trend", "health"};
    const char *formats[] = {"csv", "json", "text"};
    summary_fixture();
    for (size_t r = 0; r < 5; r++)
        for (size_t f = 0; f < 3; f++) {
            setlocale(LC_ALL, "C");
            char *c = write_report(reports[r], formats[f], B, B + 7 * DAY, NULL);
            const char *name = set_comma_locale();
            char *other = write_report(reports[r], formats[f], B, B + 7 * DAY, NULL);
            ck_assert_msg(strcmp(c, other) == 0, "%s %s differs under %s", reports[r], formats[f],
                          name);
            free(c);
            free(other);
        }
    setlocale(LC_ALL, "C");
    fixture_free();
}
END_TEST

static Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("fmt");
    log_init("test_fmt", LOG_ERROR);
    tcase_add_test(tc, output_is_the_same_in_a_decimal_comma_locale);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(fmt_suite)
