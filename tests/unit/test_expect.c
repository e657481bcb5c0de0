/* What did not happen, at the boundaries of the rules it rests on: whether a successful poll
 * happened in a stretch (a missed start needs one). */
#include "check_main.h"
#include "defs.h"
#include "expect.h"
#include "history.h"
#include "log.h"
#include "stats.h"

#include <string.h>

#define I 300 /* the polling interval */

/* Whether one successful sample [first, last] polled in [from, until). */
static int polled(int64_t first, int64_t last, int64_t from, int64_t until)
{
    struct obs o = {.first = first, .last = last, .ok = 1};
    struct sample_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.obs = &o;
    scan.n = scan.cap = 1;
    return expect_polled_in(&scan, from, until, I);
}

START_TEST(a_poll_at_either_end_of_a_sample_counts_inside_the_stretch_only)
{
    /* A sample that begins exactly at from, and lasts past until, polled in the stretch. */
    ck_assert(polled(1000, 2000, 1000, 1100));
    /* One whose last poll is exactly at from polled at from; a second earlier, not. */
    ck_assert(polled(500, 1000, 1000, 1100));
    ck_assert(!polled(500, 999, 1000, 1100));
    /* One that begins exactly at until is after the stretch. */
    ck_assert(!polled(1100, 2000, 1000, 1100));
    ck_assert(polled(1099, 2000, 1000, 1100));
}
END_TEST

START_TEST(a_sample_spanning_the_stretch_polled_in_it_when_it_is_an_interval_long)
{
    /* Polls of a sample are at most about an interval apart: a stretch that long inside it
     * holds one; a shorter one may not. */
    ck_assert(polled(0, 5000, 1000, 1000 + I));
    ck_assert(!polled(0, 5000, 1000, 1000 + I - 1));
    /* A failed poll observes nothing. */
    struct obs o = {.first = 1000, .last = 1000, .ok = 0};
    struct sample_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.obs = &o;
    scan.n = scan.cap = 1;
    ck_assert(!expect_polled_in(&scan, 900, 1100, I));
}
END_TEST

static Suite *expect_suite(void)
{
    Suite *s = suite_create("expect");
    TCase *tc = tcase_create("expect");
    log_init("test", -1);
    tcase_add_test(tc, a_poll_at_either_end_of_a_sample_counts_inside_the_stretch_only);
    tcase_add_test(tc, a_sample_spanning_the_stretch_polled_in_it_when_it_is_an_interval_long);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(expect_suite)
