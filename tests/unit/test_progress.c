/* The progress line with a hand-driven clock: nothing in the first second, at most ten
 * draws a second, wiped at the end, and out of the way of a report on the same terminal. */
#include "check_main.h"
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now_ms;

static int64_t fake_clock(void)
{
    return now_ms;
}

struct screen {
    char *buf;
    size_t len;
    FILE *f;
};

static void screen_open(struct screen *s)
{
    s->buf = NULL;
    s->len = 0;
    s->f = open_memstream(&s->buf, &s->len);
    ck_assert_ptr_nonnull(s->f);
}

static const char *screen_text(struct screen *s)
{
    fflush(s->f);
    return s->buf ? s->buf : "";
}

START_TEST(nothing_is_drawn_in_the_first_second_nor_without_a_terminal)
{
    struct screen tty;
    struct progress p;
    screen_open(&tty);
    now_ms = 5000;
    progress_init(&p, tty.f, "summary", fake_clock);
    now_ms += 999;
    progress_update(&p, 10, 100);
    ck_assert_str_eq(screen_text(&tty), "");
    now_ms += 1;
    progress_update(&p, 11, 100);
    ck_assert_str_eq(screen_text(&tty), "\retlhist-report: summary: 11 of 100 ETLs (11 %)");
    progress_done(&p);
    ck_assert_str_eq(screen_text(&tty), "\retlhist-report: summary: 11 of 100 ETLs (11 %)"
                                        "\r                                              \r");
    fclose(tty.f);
    free(tty.buf);

    progress_init(&p, NULL, "summary", fake_clock); /* cron: no terminal */
    now_ms += 60000;
    progress_update(&p, 1, 2);
    progress_done(&p);
}
END_TEST

START_TEST(redraws_are_at_most_every_tenth_of_a_second)
{
    struct screen tty;
    struct progress p;
    screen_open(&tty);
    now_ms = 0;
    progress_init(&p, tty.f, "runs", fake_clock);
    now_ms = 1500;
    progress_update(&p, 99, 1000);
    size_t first = strlen(screen_text(&tty));
    now_ms += 99;
    progress_update(&p, 100, 1000);
    ck_assert_uint_eq(strlen(screen_text(&tty)), first); /* too soon */
    now_ms += 1;
    progress_update(&p, 100, 1000);
    ck_assert_ptr_nonnull(
        strstr(screen_text(&tty), "\retlhist-report: runs: 100 of 1000 ETLs (10 %)"));
    now_ms += 100;
    progress_update(&p, 1000, 1000);
    ck_assert_ptr_nonnull(strstr(screen_text(&tty), "1000 of 1000 ETLs (100 %)"));
    fclose(tty.f);
    free(tty.buf);
}
END_TEST

START_TEST(report_output_to_the_same_terminal_wipes_the_line_first)
{
    struct screen tty;
    struct progress p;
    screen_open(&tty);
    now_ms = 0;
    progress_init(&p, tty.f, "summary", fake_clock);
    FILE *report = progress_wrap(&p, tty.f);
    ck_assert_ptr_nonnull(report);
    now_ms = 2000;
    progress_update(&p, 1, 4);
    fputs("row one\n", report); /* line-buffered: reaches the terminal now */
    const char *want = "\retlhist-report: summary: 1 of 4 ETLs (25 %)"
                       "\r                                           \rrow one\n";
    ck_assert_str_eq(screen_text(&tty), want);
    fputs("half a ro", report);
    fflush(report);
    now_ms += 500;
    progress_update(&p, 2, 4); /* the terminal is mid-line: not now */
    ck_assert_ptr_null(strstr(screen_text(&tty), "2 of 4"));
    fputs("w\n", report);
    fflush(report);
    now_ms += 500;
    progress_update(&p, 3, 4);
    ck_assert_ptr_nonnull(
        strstr(screen_text(&tty), "half a row\n\retlhist-report: summary: 3 of 4"));
    fclose(report);
    progress_done(&p);
    fclose(tty.f);
    free(tty.buf);
}
END_TEST

static Suite *progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("progress");
    tcase_add_test(tc, nothing_is_drawn_in_the_first_second_nor_without_a_terminal);
    tcase_add_test(tc, redraws_are_at_most_every_tenth_of_a_second);
    tcase_add_test(tc, report_output_to_the_same_terminal_wipes_the_line_first);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(progress_suite)
