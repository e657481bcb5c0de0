/* Schedule inference on hand-made start series: what is learnt, what is late, what is
 * missed and what never is; duration limits; MTTR and MTBF. */
#include "check_main.h"
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define T0 1790000000 /* 2026-09-21 14:13:20 UTC */
#define MAXS 2000

static int64_t starts[MAXS];
static struct sched_verdict verdicts[MAXS];

/* A deterministic jitter in [0, max]. */
static int64_t jitter(int k, int64_t max)
{
    uint64_t x = (uint64_t)k * UINT64_C(0x9E3779B97F4A7C15);
    x ^= x >> 31;
    return (int64_t)(x % (uint64_t)(max + 1));
}

/* count hourly starts from T0 (offset 800); those listed in late start 1500 s after their
 * expected start (more than a grace: not on time); start 3 comes early by early seconds. */
static struct sched hourly_with(int count, const int *late, size_t n_late, int64_t early)
{
    struct sched s;
    for (int k = 0; k < count; k++)
        starts[k] = T0 + k * 3600;
    for (size_t i = 0; i < n_late; i++)
        starts[late[i]] += 1500;
    starts[3] -= early;
    sched_learn(starts, (size_t)count, &s);
    return s;
}

static size_t series(int64_t first, int64_t period, int count, int64_t max_jitter)
{
    for (int k = 0; k < count; k++)
        starts[k] = first + k * period + jitter(k, max_jitter);
    return (size_t)count;
}

/* Removes starts[i..i+len). */
static size_t drop(size_t n, size_t i, size_t len)
{
    memmove(starts + i, starts + i + len, (n - i - len) * sizeof *starts);
    return n - len;
}

/* Everything observed, except [gap_from, gap_until). */
struct world {
    int64_t gap_from, gap_until;
    int64_t missed[64];
    int n_missed;
};

static int observed(void *arg, int64_t e, int64_t from, int64_t until)
{
    (void)e;
    const struct world *w = arg;
    return until <= w->gap_from || from >= w->gap_until;
}

static int missed(void *arg, int64_t expected, int64_t period)
{
    (void)period;
    struct world *w = arg;
    if (w->n_missed < 64)
        w->missed[w->n_missed++] = expected;
    return 0;
}

static struct world world;

static int64_t judge(size_t n, size_t first, int64_t since, int64_t until)
{
    memset(&world, 0, sizeof world);
    struct sched_env env = {since, until, until, observed, missed, &world, NULL, NULL};
    return sched_judge(starts, n, first, &env, verdicts, NULL);
}

static int late_count(size_t n, size_t first)
{
    int late = 0;
    for (size_t i = 0; i < n - first; i++)
        late += verdicts[i].late;
    return late;
}

START_TEST(hourly_with_jitter_within_grace_is_periodic_and_never_late)
{
    size_t n = series(T0, 3600, 200, 300);
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, 3600);
    ck_assert_int_eq(s.used, SCHED_WINDOW);
    ck_assert_int_eq(judge(n, 20, starts[20], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 20), 0);
    ck_assert(verdicts[0].judged);
    ck_assert(verdicts[0].delay >= -360 && verdicts[0].delay <= 360);
}
END_TEST

/* Delays of 0 to 1.25 x grace: a prompt run is still in its own slot (the offset is the
 * phases' lower quartile, not their median), and a gap one period long lacks no run. */
START_TEST(jitter_beyond_grace_never_makes_a_missed_run)
{
    static const int64_t delay[12] = {0, 400, 350, 420, 380, 300, 450, 10, 390, 410, 330, 370};
    size_t n = 200;
    for (size_t k = 0; k < n; k++)
        starts[k] = T0 + (int64_t)k * 3600 + delay[k % 12]; /* most start 5-7 minutes late */
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0); /* the prompt ones are not late for the hour before */
    for (size_t i = 0; i < n - 12; i++)
        ck_assert(verdicts[i].judged);
    n = drop(n, 100, 1);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 1);
}
END_TEST

START_TEST(every_fifteen_minutes_learns_period_and_offset)
{
    size_t n = series(T0 + 120, 900, 100, 0);
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, 900);
    ck_assert_int_eq(s.offset, (T0 + 120) % 900);
    ck_assert_int_eq(sched_next(&s, starts[n - 1]), starts[n - 1]);
    ck_assert_int_eq(sched_next(&s, starts[n - 1] + 1), starts[n - 1] + 900);
    ck_assert_int_eq(sched_grace(900), 90);
    ck_assert_int_eq(sched_grace(300), 60);
}
END_TEST

START_TEST(daily_and_weekly_are_learnt_from_five_runs)
{
    size_t n = series(T0, DAY, 5, 0);
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, DAY);
    ck_assert_int_eq(s.offset, T0 % DAY);
    sched_learn(starts, 4, &s);
    ck_assert_int_eq(s.kind, SCHED_UNKNOWN);
    n = series(T0, 7 * DAY, 8, 600);
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, 7 * DAY);
}
END_TEST

START_TEST(paused_scheduler_misses_exactly_the_skipped_starts)
{
    size_t n = series(T0, 3600, 60, 120);
    int64_t expected[5];
    for (int k = 0; k < 5; k++)
        expected[k] = T0 + (30 + k) * 3600;
    n = drop(n, 30, 5); /* paused for five hours */
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 5);
    for (int k = 0; k < 5; k++)
        ck_assert(world.missed[k] - expected[k] >= 0 && world.missed[k] - expected[k] <= 120);
    ck_assert_int_eq(late_count(n, 12), 0);
}
END_TEST

START_TEST(paused_until_now_misses_the_starts_whose_stretch_has_passed)
{
    size_t n = series(T0, 3600, 40, 0);
    int64_t now = starts[n - 1] + 5 * 3600 + 100; /* five expected starts since the last run */
    memset(&world, 0, sizeof world);
    struct sched_env env = {starts[12], now, now, observed, missed, &world, NULL, NULL};
    /* The fifth one's stretch ends at +6 h - grace: not decided yet. */
    ck_assert_int_eq(sched_judge(starts, n, 12, &env, verdicts, NULL), 4);
}
END_TEST

START_TEST(missed_start_in_unobserved_time_is_never_missed)
{
    size_t n = series(T0, 3600, 60, 0);
    n = drop(n, 30, 3);
    memset(&world, 0, sizeof world);
    world.gap_from = T0 + 31 * 3600 - 60; /* the collector was down around the second one */
    world.gap_until = T0 + 31 * 3600 + 600;
    struct sched_env env = {
        starts[12], starts[n - 1] + 1, starts[n - 1] + 1, observed, missed, &world, NULL, NULL};
    ck_assert_int_eq(sched_judge(starts, n, 12, &env, verdicts, NULL), 2);
}
END_TEST

START_TEST(late_start_is_late_not_missed)
{
    size_t n = series(T0, 3600, 60, 0);
    starts[40] += 1500; /* 25 minutes late: beyond the 6 minute grace, before the next */
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 1);
    ck_assert(verdicts[40 - 12].late);
    ck_assert_int_eq(verdicts[40 - 12].delay, 1500);
    ck_assert_int_eq(verdicts[40 - 12].expected, T0 + 40 * 3600);
    ck_assert(!verdicts[41 - 12].late);
}
END_TEST

START_TEST(change_of_period_is_picked_up_without_false_alarms)
{
    size_t n = 0;
    for (int k = 0; k < 40; k++)
        starts[n++] = T0 + k * 1800; /* half-hourly, then hourly from the 40th */
    for (int k = 0; k < 40; k++)
        starts[n++] = T0 + 39 * 1800 + (k + 1) * 3600;
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.period, 3600);
    /* and back: hourly to every 2 hours */
    n = 0;
    for (int k = 0; k < 40; k++)
        starts[n++] = T0 + k * 3600;
    for (int k = 0; k < 40; k++)
        starts[n++] = T0 + 39 * 3600 + (k + 1) * 7200;
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
    /* a missed run after the change is still found */
    n = drop(n, 70, 1);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 1);
}
END_TEST

START_TEST(late_is_decided_at_grace)
{
    size_t n = series(T0, 3600, 60, 0);
    starts[40] += 360; /* exactly grace: on time */
    starts[50] += 361; /* one second more: late */
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 1);
    ck_assert(!verdicts[40 - 12].late);
    ck_assert_int_eq(verdicts[40 - 12].delay, 360);
    ck_assert(verdicts[50 - 12].late);
}
END_TEST

START_TEST(a_third_of_starts_off_the_grid_is_irregular)
{
    size_t n = series(T0, 3600, 24, 0);
    for (size_t i = 0; i < n; i += 3)
        starts[i] += 1500; /* 8 of 24 well off the hour: under the 75 % a rhythm needs */
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_IRREGULAR);
    starts[n - 3] -= 1500; /* 3 of the latest 12 off: 75 % on the grid, periodic */
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
}
END_TEST

START_TEST(change_of_offset_is_neither_late_nor_missed)
{
    size_t n = 0;
    for (int k = 0; k < 40; k++)
        starts[n++] = T0 + k * 3600; /* at :13, then at :43 from the 40th run */
    for (int k = 40; k < 80; k++)
        starts[n++] = T0 + k * 3600 + 1800;
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
    /* the same half-hour shift as one late run is late */
    n = series(T0, 3600, 80, 0);
    starts[40] += 1800;
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 1);
}
END_TEST

START_TEST(irregular_starts_are_never_missed_nor_late)
{
    size_t n = 0;
    int64_t t = T0;
    for (int k = 0; k < 80; k++) {
        t += 600 + jitter(k, 20000);
        starts[n++] = t;
    }
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_IRREGULAR);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
}
END_TEST

/* Europe/Berlin 02:15 local every day: 00:15 UTC in summer time, 01:15 UTC from the last
 * Sunday of October (2026-10-25), and weekly on Sundays at 03:00 local. */
START_TEST(dst_change_on_a_local_clock_raises_nothing)
{
    const int64_t oct1 = 1790812800;   /* 2026-10-01 00:00 UTC */
    const int64_t change = 1792890000; /* 2026-10-25 01:00 UTC */
    size_t n = 0;
    for (int d = 0; d < 60; d++) {
        int64_t utc = oct1 + d * DAY + 15 * 60;
        starts[n++] = utc < change ? utc : utc + 3600;
    }
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
    for (size_t i = 0; i < n - 12; i++)
        ck_assert(verdicts[i].judged);
    /* A day skipped after the change is still a missed run. */
    n = drop(n, 40, 1);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 1);
    n = 0;
    for (int w = 0; w < 20; w++) {
        int64_t utc = 1789261200 + w * 7 * DAY; /* Sundays 01:00 UTC = 03:00 CEST */
        starts[n++] = utc < change ? utc : utc + 3600;
    }
    ck_assert_int_eq(judge(n, 6, starts[6], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 6), 0);
}
END_TEST

START_TEST(missed_starts_are_counted_only_inside_the_window)
{
    size_t n = series(T0, 3600, 60, 0);
    n = drop(n, 30, 5);
    /* the window starts after the second skipped start */
    ck_assert_int_eq(judge(n, 12, T0 + 31 * 3600 + 1, starts[n - 1] + 1), 3);
}
END_TEST

START_TEST(duration_limit_stays_above_ordinary_variation)
{
    int64_t hi[40];
    for (int i = 0; i < 40; i++)
        hi[i] = 1200 + 300 * (i % 4); /* 20 to 35 minutes, bounds one interval wide */
    int64_t limit;
    ck_assert_int_eq(sched_duration_limit(hi, 4, 300, &limit), -1);
    ck_assert_int_eq(sched_duration_limit(hi, 40, 300, &limit), 0);
    ck_assert_int_eq(limit, 3150); /* 3/2 x 2100 */
    for (int i = 0; i < 40; i++)
        hi[i] = 60;
    ck_assert_int_eq(sched_duration_limit(hi, 10, 300, &limit), 0);
    ck_assert_int_eq(limit, 360); /* p95 + interval, whatever the spread */
    struct dur_history h = {0};
    for (int i = 0; i < 100; i++)
        dur_history_add(&h, i < 70 ? 100000 : 600);
    ck_assert_int_eq(dur_history_limit(&h, 300, &limit), 0);
    ck_assert_int_eq(limit, 900); /* only the latest 30 count */
}
END_TEST

START_TEST(mttr_and_mtbf_follow_the_jenkins_definitions)
{
    struct mttr m = {0};
    int64_t mean;
    ck_assert_int_eq(mttr_repair(&m, &mean), 0);
    mttr_feed(&m, 0, 0);   /* OK */
    mttr_feed(&m, 1, 100); /* failure streak starts */
    mttr_feed(&m, 1, 200);
    mttr_feed(&m, 0, 400); /* recovered after 300 */
    mttr_feed(&m, 0, 500);
    mttr_feed(&m, 1, 1000); /* 600 after the recovery */
    mttr_feed(&m, 0, 1100); /* recovered after 100 */
    mttr_feed(&m, 1, 2000); /* 900 after; this streak never recovers */
    ck_assert_int_eq(mttr_repair(&m, &mean), 1);
    ck_assert_int_eq(mean, 200);
    ck_assert_int_eq(mttr_between(&m, &mean), 1);
    ck_assert_int_eq(mean, 750);
}
END_TEST

/* Inserts t into the ascending starts[0..n). */
static size_t insert(size_t n, int64_t t)
{
    size_t i = n;
    while (i > 0 && starts[i - 1] > t) {
        starts[i] = starts[i - 1];
        i--;
    }
    starts[i] = t;
    return n + 1;
}

static int manual_count(size_t n, size_t first)
{
    int manual = 0;
    for (size_t i = 0; i < n - first; i++)
        manual += verdicts[i].manual;
    return manual;
}

START_TEST(hourly_with_five_manual_runs_learns_the_hour_and_calls_them_manual)
{
    size_t n = series(T0, 3600, 60, 0);
    static const int hours[5] = {30, 31, 33, 34, 36};
    static const int64_t after[5] = {1200, 600, 2900, 1500, 2000};
    for (int i = 0; i < 5; i++)
        n = insert(n, T0 + hours[i] * 3600 + after[i]);
    struct sched s;
    sched_learn(starts, 42, &s); /* the latest 12: 7 scheduled, 5 manual */
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, 3600);
    ck_assert_int_eq(s.offset, T0 % 3600);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
    ck_assert_int_eq(manual_count(n, 12), 5);
    for (size_t i = 0; i < n - 12; i++)
        ck_assert(verdicts[i].judged);
}
END_TEST

/* A daily ETL run by hand on three days of five, 8 to 18 hours after its 03:45 start: the
 * manual runs must not make a twelve-hour grid of it (whose odd starts would be missed). */
START_TEST(daily_with_frequent_manual_runs_is_daily_not_twelve_hourly)
{
    int64_t day0 = T0 - T0 % DAY + 3 * 3600 + 45 * 60;
    size_t n = series(day0, DAY, 28, 0);
    static const int64_t after[] = {45060, 51600, 56700, 62820, 30900, 58000, 41000};
    size_t manual = 0;
    for (int d = 1; d < 27; d++) {
        if (d % 5 == 2 || d % 5 == 4)
            continue; /* two days of five have none */
        n = insert(n, day0 + d * DAY + after[d % 7]);
        manual++;
    }
    for (size_t m = 12; m <= n; m++) { /* whatever the latest starts, never twelve-hourly */
        struct sched s;
        sched_learn(starts, m, &s);
        ck_assert_msg(s.kind != SCHED_PERIODIC || s.period == DAY, "period %lld from %zu starts",
                      (long long)s.period, m);
    }
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, DAY);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(late_count(n, 12), 0);
    size_t judged = 0; /* once a schedule is in force, a start is manual exactly when by hand */
    for (size_t i = 12; i < n; i++) {
        if (!verdicts[i - 12].judged)
            continue;
        judged++;
        ck_assert_int_eq(verdicts[i - 12].manual, (starts[i] - day0) % DAY != 0);
    }
    ck_assert_uint_ge(judged, (n - 12) / 2);
    ck_assert_uint_gt(manual, 0);
}
END_TEST

/* "Run now" up to five days a week on a daily ETL: 10 manual runs among its latest 24
 * starts (14 on time) keep it daily; an ETL with a run by hand beside nearly every
 * scheduled one (11 for 13) is no daily schedule with manual runs. */
static size_t daily_with_manual_days(int manual_days)
{
    int64_t day0 = T0 - T0 % DAY + 3 * 3600 + 45 * 60;
    static const int64_t after[] = {45060, 51600, 56700, 62820, 30900, 58000, 41000};
    size_t n = series(day0, DAY, 24 - manual_days, 0);
    for (int d = 0; d < manual_days; d++)
        n = insert(n, day0 + d * DAY + after[d % 7]);
    return n;
}

START_TEST(a_daily_etl_run_by_hand_five_days_a_week_stays_daily)
{
    struct sched s;
    sched_learn(starts, daily_with_manual_days(10), &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, DAY);
    sched_learn(starts, daily_with_manual_days(11), &s);
    ck_assert_int_ne(s.kind, SCHED_PERIODIC);
}
END_TEST

/* A weekly two-hour CO shutdown takes two starts of an hourly ETL every week: whatever the
 * latest starts, it stays hourly on the same grid, never irregular. */
START_TEST(weekly_two_hour_shutdown_keeps_an_hourly_etl_hourly)
{
    size_t n = series(T0, 3600, 24 * 21, 0);
    for (int week = 2; week >= 0; week--) /* from the end, so the indexes hold */
        n = drop(n, (size_t)(week * 168 + 100), 2);
    for (size_t m = SCHED_WINDOW; m <= n; m++) {
        struct sched s;
        sched_learn(starts, m, &s);
        ck_assert_msg(s.kind == SCHED_PERIODIC && s.period == 3600 && s.offset == T0 % 3600,
                      "kind %d period %lld offset %lld from %zu starts", s.kind,
                      (long long)s.period, (long long)s.offset, m);
    }
}
END_TEST

/* A collector outage of five hours among the latest twelve starts: the grid is still the
 * schedule (the run of missing expected starts is left out of the 75 %), so the starts just
 * after it are judged, and a late one is late. Single missing starts are no outage: a grid
 * of half the period misses one start in two, not two in a row. */
START_TEST(an_outage_of_hours_among_the_latest_starts_keeps_the_schedule)
{
    size_t n = drop(series(T0, 3600, 40, 0), 30, 5); /* no starts at hours 30 to 34 */
    starts[32] += 1500;                              /* hour 37, late */
    struct sched s;
    sched_learn(starts, 31, &s); /* 24 to 29, then 35 to 39: 17 slots, 11 served */
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, 3600);
    ck_assert_int_eq(s.offset, T0 % 3600);
    /* observed throughout here, so the five are missed (an outage would hide them) */
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 5);
    ck_assert_int_eq(late_count(n, 12), 1);
    ck_assert(verdicts[32 - 12].judged && verdicts[32 - 12].late);
    /* 9 served of 13 slots, every third missing: no schedule */
    n = drop(drop(drop(drop(series(T0, 3600, 13, 0), 11, 1), 8, 1), 5, 1), 2, 1);
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_IRREGULAR);
}
END_TEST

START_TEST(second_start_in_a_served_slot_is_manual_even_on_time)
{
    size_t n = series(T0, 3600, 60, 0);
    n = insert(n, T0 + 40 * 3600 + 100);
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert_int_eq(manual_count(n, 12), 1);
    ck_assert(verdicts[41 - 12].manual);
    ck_assert(!verdicts[41 - 12].late);
    ck_assert(!verdicts[40 - 12].manual);
}
END_TEST

/* Hourly, grace 360 s: the run of an expected start may come up to half a period late
 * (late); one later than that is a manual run, and the expected start stays missed. */
START_TEST(manual_run_after_a_skipped_start_does_not_hide_the_miss)
{
    size_t n = series(T0, 3600, 60, 0);
    starts[40] += 1801;
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 1);
    ck_assert_int_eq(world.missed[0], T0 + 40 * 3600);
    ck_assert(verdicts[40 - 12].manual);
    ck_assert(!verdicts[40 - 12].late);
    ck_assert_int_eq(verdicts[40 - 12].delay, 1801);
    ck_assert_int_eq(late_count(n, 12), 0);
    ck_assert(!verdicts[41 - 12].manual);
    starts[40] -= 1; /* exactly half a period: the expected start's own run, late */
    ck_assert_int_eq(judge(n, 12, starts[12], starts[n - 1] + 1), 0);
    ck_assert(verdicts[40 - 12].late);
    ck_assert(!verdicts[40 - 12].manual);
}
END_TEST

START_TEST(manual_run_after_the_last_scheduled_one_does_not_hide_a_stopped_scheduler)
{
    size_t n = series(T0, 3600, 40, 0);
    n = insert(n, starts[n - 1] + 3600 + 2400); /* the scheduler stopped; someone ran it */
    int64_t now = starts[n - 1] + 3 * 3600;
    memset(&world, 0, sizeof world);
    struct sched_env env = {starts[12], now, now, observed, missed, &world, NULL, NULL};
    /* the stretches of 40 h, 41 h and 42 h are over; 43 h's ends at 43 h 54 m, after now */
    ck_assert_int_eq(sched_judge(starts, n, 12, &env, verdicts, NULL), 3);
    ck_assert_int_eq(world.missed[0], T0 + 40 * 3600);
    ck_assert(verdicts[n - 1 - 12].manual);
}
END_TEST

/* Europe/Berlin in 2026: CET (+1 h), CEST (+2 h) from 2026-03-29 01:00 UTC to
 * 2026-10-25 01:00 UTC. */
#define SPRING 1774746000
#define AUTUMN 1792890000

static int64_t berlin_offset(const void *arg, int64_t t)
{
    (void)arg;
    return t >= SPRING && t < AUTUMN ? 7200 : 3600;
}

static const struct sched_clock berlin = {berlin_offset, NULL};

/* Daily at a local time from 2026-02-01 for days days: UTC starts, plus a jitter of at most
 * max_jitter seconds. A local time the clock skips or shows twice is taken with the offset
 * before the change. */
static size_t daily_berlin(int64_t local_seconds, int days, int64_t max_jitter)
{
    const int64_t feb1 = 1769904000; /* 2026-02-01 00:00 UTC */
    for (int d = 0; d < days; d++) {
        int64_t local = feb1 + d * DAY + local_seconds, utc = local - 3600;
        if (berlin_offset(NULL, local - 7200) == 7200)
            utc = local - 7200;
        starts[d] = utc + jitter(d, max_jitter);
    }
    return (size_t)days;
}

static int64_t judge_on(const struct sched_clock *wall, size_t n, size_t first,
                        struct sched *learnt)
{
    memset(&world, 0, sizeof world);
    struct sched_env env = {
        starts[first], starts[n - 1] + 1, starts[n - 1] + 1, observed, missed, &world, NULL, wall};
    return sched_judge(starts, n, first, &env, verdicts, learnt);
}

START_TEST(daily_two_oclock_berlin_keeps_the_wall_clock_across_both_changes)
{
    size_t n = daily_berlin(2 * 3600, 300, 59); /* 2026-02-01 to 2026-11-27 */
    struct sched learnt;
    ck_assert_int_eq(judge_on(&berlin, n, 12, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, &berlin);
    ck_assert_int_eq(learnt.kind, SCHED_PERIODIC);
    ck_assert_int_eq(learnt.period, DAY);
    ck_assert(learnt.offset >= 2 * 3600 && learnt.offset < 2 * 3600 + 60);
    for (size_t i = 0; i < n - 12; i++) {
        ck_assert(verdicts[i].judged);
        ck_assert(verdicts[i].delay > -60 && verdicts[i].delay < 60);
        ck_assert(!verdicts[i].late && !verdicts[i].manual);
    }
    /* On UTC alone, the days after each change are an hour off. */
    ck_assert_int_eq(judge_on(NULL, n, 12, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, NULL);
    int64_t worst = 0;
    for (size_t i = 0; i < n - 12; i++)
        worst = verdicts[i].delay < -worst ? -verdicts[i].delay : worst;
    ck_assert_int_ge(worst, 3600 - 60);
}
END_TEST

START_TEST(four_hourly_utc_across_a_change_stays_on_utc)
{
    size_t n = series(SPRING - 20 * DAY, 4 * 3600, 240, 0); /* 01, 05, ... UTC */
    struct sched learnt;
    ck_assert_int_eq(judge_on(&berlin, n, 12, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, NULL);
    ck_assert_int_eq(learnt.period, 4 * 3600);
    ck_assert_int_eq(learnt.offset, 3600);
    ck_assert_int_eq(late_count(n, 12), 0);
    ck_assert_int_eq(manual_count(n, 12), 0);
    for (size_t i = 0; i < n - 12; i++)
        ck_assert_int_eq(verdicts[i].delay, 0);
}
END_TEST

/* 02:30 local does not exist on 2026-03-29 and exists twice on 2026-10-25: the scheduler
 * fires 03:30 CEST (01:30 UTC) in spring, and once, at the first 02:30 (00:30 UTC), in
 * autumn. */
START_TEST(slots_in_the_dst_gap_and_fold_fire_as_a_wall_clock_scheduler_does)
{
    size_t n = daily_berlin(2 * 3600 + 1800, 300, 0); /* 01:30 UTC on 03-29, 00:30 on 10-25 */
    struct sched learnt;
    ck_assert_int_eq(judge_on(&berlin, n, 12, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, &berlin);
    ck_assert_int_eq(late_count(n, 12), 0);
    int spring = 0, autumn = 0;
    for (size_t i = 0; i < n - 12; i++) {
        ck_assert_int_eq(verdicts[i].delay, 0);
        spring += verdicts[i].expected == 1774747800;
        autumn += verdicts[i].expected == 1792888200; /* 2026-10-25 00:30 UTC */
    }
    ck_assert_int_eq(spring, 1);
    ck_assert_int_eq(autumn, 1);
    ck_assert_int_eq(sched_next(&learnt, 1792886400), 1792888200);
    ck_assert_int_eq(sched_next(&learnt, 1792888201), 1792888200 + DAY + 3600);
}
END_TEST

/* Some schedulers skip a wall time the clock skips instead of firing it after the change:
 * no run for 02:30 on 2026-03-29 is no missed start, while a day without a run is one. */
START_TEST(a_skipped_wall_time_without_a_run_is_not_missed)
{
    size_t n = daily_berlin(2 * 3600 + 1800, 300, 0);
    size_t gap = 0;
    while (starts[gap] != 1774747800) /* 03:30 CEST, the skipped 02:30 fired late */
        gap++;
    n = drop(n, gap, 1);
    struct sched learnt;
    ck_assert_int_eq(judge_on(&berlin, n, 12, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, &berlin);
    ck_assert_int_eq(late_count(n, 12), 0);
    /* Nor awaited: after the day before's start, the next is the day after's 02:30 CEST. */
    ck_assert_int_eq(sched_upcoming(&learnt, 1774747800 - DAY, 1774747800 - DAY),
                     1774747800 - 3600 + DAY);
    n = drop(n, gap + 3, 1); /* 2026-04-02 */
    ck_assert_int_eq(judge_on(&berlin, n, 12, &learnt), 1);
    ck_assert_int_eq(world.missed[0], 1774747800 - 3600 + 4 * DAY); /* 02:30 CEST */
}
END_TEST

/* sched_learn_clock picks the clock sched_judge judges on, from the same starts. */
START_TEST(learning_picks_the_clock_judging_picks)
{
    struct sched judged, learnt;
    size_t n = daily_berlin(2 * 3600, 300, 59);
    ck_assert_int_eq(judge_on(&berlin, n, 12, &judged), 0);
    ck_assert_int_eq(sched_learn_clock(starts, n, &berlin, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, &berlin);
    ck_assert_mem_eq(&learnt, &judged, sizeof learnt);
    ck_assert_int_eq(sched_learn_clock(starts, n, NULL, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, NULL); /* no wall clock: UTC only */
    n = series(SPRING - 20 * DAY, 4 * 3600, 240, 0);
    ck_assert_int_eq(judge_on(&berlin, n, 12, &judged), 0);
    ck_assert_int_eq(sched_learn_clock(starts, n, &berlin, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, NULL);
    ck_assert_mem_eq(&learnt, &judged, sizeof learnt);
}
END_TEST

/* Three daily ETLs over three weeks across the end of summer time, run by hand on many
 * days (those runs are the starts off 02:35, 18:40 and 01:50): few starts are judged around
 * the change, and the grace of 2.4 hours keeps an hour's shift on time on either clock. */
static const int64_t utc_0235[] = {
    1791772505, 1791804968, 1791858900, 1791909202, 1791945304, 1791976502, 1792031712,
    1792078170, 1792118102, 1792152372, 1792204517, 1792260968, 1792290908, 1792377309,
    1792463715, 1792505062, 1792550112, 1792636513, 1792674102, 1792722905, 1792763814,
    1792809307, 1792895705, 1792940304, 1792982107, 1793029758, 1793068504, 1793154917,
    1793241310, 1793290084, 1793327720, 1793414100, 1793500515, 1793543663};
static const int64_t utc_1840[] = {
    1791794447, 1791830414, 1791876468, 1791916808, 1792003211, 1792089611, 1792143448, 1792176002,
    1792212160, 1792262410, 1792348812, 1792435201, 1792521609, 1792608001, 1792666125, 1792694406,
    1792780800, 1792819869, 1792867213, 1792924752, 1792953614, 1793040010, 1793126406, 1793179451,
    1793212818, 1793299218, 1793345324, 1793385617, 1793424730, 1793472011, 1793558409};
static const int64_t berlin_0150[] = {/* 23:50 UTC in summer, 00:50 UTC in winter */
                                      1791801476, 1791849005, 1791897265, 1791935404, 1791990775,
                                      1792021820, 1792108203, 1792148069, 1792194619, 1792240766,
                                      1792281007, 1792327725, 1792367411, 1792416555, 1792453820,
                                      1792540201, 1792626613, 1792688471, 1792713001, 1792799403,
                                      1792858947, 1792885818, 1792942869, 1792975811, 1793023516,
                                      1793062216, 1793117872, 1793148604, 1793202853, 1793235004,
                                      1793321420, 1793357333, 1793407803, 1793494204};

static const struct sched_clock *clock_of(const int64_t *v, size_t n)
{
    struct sched judged, learnt;
    memcpy(starts, v, n * sizeof *v);
    ck_assert_int_ge(judge_on(&berlin, n, 1, &judged), 0);
    ck_assert_int_eq(sched_learn_clock(starts, n, &berlin, &learnt), 0);
    ck_assert_ptr_eq(learnt.wall, judged.wall);
    ck_assert_int_eq(judged.kind, SCHED_PERIODIC);
    ck_assert_int_eq(judged.period, DAY);
    return judged.wall;
}

/* A start an hour early is on time for no clock (schedulers start late, never early); with
 * as many starts on time on both, the clock that puts more of them on one grid wins, not
 * the one whose learnt offset happens to be a few seconds nearer. */
START_TEST(daily_etls_run_by_hand_keep_their_clock_across_a_change)
{
    ck_assert_ptr_eq(clock_of(utc_0235, sizeof utc_0235 / sizeof *utc_0235), NULL);
    ck_assert_ptr_eq(clock_of(utc_1840, sizeof utc_1840 / sizeof *utc_1840), NULL);
    ck_assert_ptr_eq(clock_of(berlin_0150, sizeof berlin_0150 / sizeof *berlin_0150), &berlin);
}
END_TEST

/* The next expected start not yet served: after the latest start's, and not one whose
 * stretch on time has ended. */
START_TEST(the_upcoming_start_is_neither_served_nor_past_its_grace)
{
    size_t n = series(DAY, 3600, 12, 0); /* hourly on the hour, last at DAY + 11 h */
    struct sched s;
    sched_learn(starts, n, &s);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    int64_t last = starts[n - 1], g = sched_grace(3600);
    ck_assert_int_eq(sched_upcoming(&s, last, last), last + 3600);
    ck_assert_int_eq(sched_upcoming(&s, last, last + 3600 + g), last + 3600);
    ck_assert_int_eq(sched_upcoming(&s, last, last + 3600 + g + 1), last + 7200);
    /* A start early for its slot served it: the next one is awaited, not that one. */
    ck_assert_int_eq(sched_upcoming(&s, last + 3600 - g / 2, last + 3600 - 10), last + 7200);
    /* A manual start late in a slot moves nothing. */
    ck_assert_int_eq(sched_upcoming(&s, last + 1800, last + 1900), last + 3600);
    /* On the wall clock across the end of summer time: 06:00 Berlin is 04:00 UTC before,
     * 05:00 UTC after (AUTUMN is 01:00 UTC). */
    n = daily_berlin(6 * 3600, 266, 0); /* the latest on 2026-10-24, 04:00 UTC */
    ck_assert_int_eq(sched_learn_clock(starts, n, &berlin, &s), 0);
    ck_assert_ptr_eq(s.wall, &berlin);
    ck_assert_int_eq(sched_upcoming(&s, starts[n - 1], starts[n - 1] + 3600), AUTUMN + 4 * 3600);
    ck_assert_int_eq(sched_upcoming(&s, AUTUMN + 4 * 3600, AUTUMN + 5 * 3600),
                     AUTUMN + 4 * 3600 + DAY);
}
END_TEST

START_TEST(unscheduled_since_is_the_earliest_the_last_run_can_have_ended)
{
    int64_t since;
    /* a run started at 1000 (server clock, 100 s ahead) that took at least 50 s */
    ck_assert_int_eq(sched_unscheduled_since(1, 1000, 1, 50, 100, 0, 0, &since), 0);
    ck_assert_int_eq(since, 950);
    /* its duration unknown: its start */
    ck_assert_int_eq(sched_unscheduled_since(1, 1000, 0, 0, 100, 0, 0, &since), 0);
    ck_assert_int_eq(since, 900);
    /* a poll that saw it scheduled later than that */
    ck_assert_int_eq(sched_unscheduled_since(1, 1000, 1, 50, 100, 1, 951, &since), 0);
    ck_assert_int_eq(since, 951);
    ck_assert_int_eq(sched_unscheduled_since(1, 1000, 1, 50, 100, 1, 949, &since), 0);
    ck_assert_int_eq(since, 950);
    ck_assert_int_eq(sched_unscheduled_since(0, 0, 0, 0, 0, 1, 700, &since), 0);
    ck_assert_int_eq(since, 700);
    ck_assert_int_eq(sched_unscheduled_since(0, 0, 0, 0, 0, 0, 0, &since), -1);
}
END_TEST

/* Observed only in [from, until); counts the questions. */
struct sparse {
    int64_t from, until;
    long asked;
};

static int sparse_observed(void *arg, int64_t e, int64_t from, int64_t until)
{
    (void)e;
    struct sparse *w = arg;
    w->asked++;
    return from >= w->from && until <= w->until;
}

static int64_t sparse_resume(void *arg, int64_t t)
{
    const struct sparse *w = arg;
    return t < w->from ? w->from : t < w->until ? t : INT64_MAX;
}

START_TEST(missed_starts_cost_follows_the_observations_not_the_window)
{
    size_t n = series(T0, 60, 40, 0); /* every minute, then stopped */
    struct sparse w = {T0 + 40 * 60, T0 + 40 * 60 + 3 * DAY, 0};
    int64_t until = INT64_C(253402300800); /* 10000-01-01 */
    struct sched_env env = {0, until, until, sparse_observed, NULL, &w, sparse_resume, NULL};
    int64_t missed = sched_judge(starts, n, 12, &env, verdicts, NULL);
    /* the stretches [e - 60 s, e) inside: from e = w.from + 60 to e = w.until */
    ck_assert_int_eq(missed, 3 * 24 * 60);
    ck_assert_int_le(w.asked, 3 * 24 * 60 + 2);
}
END_TEST

START_TEST(a_start_half_a_grace_early_is_on_time_one_second_more_is_not)
{
    /* Hourly, grace 360 s: 6 of 8 starts on time is 75 %, a schedule; the early start 3 is
     * the sixth when it is on time. */
    static const int late[] = {1, 6};
    struct sched s = hourly_with(8, late, 2, 180);
    ck_assert_int_eq(s.kind, SCHED_PERIODIC);
    ck_assert_int_eq(s.period, 3600);
    ck_assert_int_eq(s.offset, T0 % 3600);
    s = hourly_with(8, late, 2, 181);
    ck_assert(s.kind != SCHED_PERIODIC || s.period != 3600);
    s = hourly_with(8, late, 2, 360); /* a whole grace early: not on time either */
    ck_assert(s.kind != SCHED_PERIODIC || s.period != 3600);
}
END_TEST

START_TEST(a_schedule_needs_75_percent_of_its_starts_on_time)
{
    static const int late7[] = {1, 5}, late7b[] = {1};
    static const int late10[] = {1, 4, 7}, late10b[] = {1, 7};
    /* 5 of 7 (71 %) and 7 of 10 (70 %) are not enough; 6 of 7 and 8 of 10 are. */
    ck_assert_int_eq(hourly_with(7, late7, 2, 0).kind, SCHED_IRREGULAR);
    ck_assert_int_eq(hourly_with(7, late7b, 1, 0).kind, SCHED_PERIODIC);
    ck_assert_int_eq(hourly_with(10, late10, 3, 0).kind, SCHED_IRREGULAR);
    ck_assert_int_eq(hourly_with(10, late10b, 2, 0).kind, SCHED_PERIODIC);
}
END_TEST

static Suite *schedule_suite(void)
{
    Suite *s = suite_create("schedule");
    TCase *tc = tcase_create("inference");
    tcase_add_test(tc, a_start_half_a_grace_early_is_on_time_one_second_more_is_not);
    tcase_add_test(tc, a_schedule_needs_75_percent_of_its_starts_on_time);
    tcase_add_test(tc, hourly_with_jitter_within_grace_is_periodic_and_never_late);
    tcase_add_test(tc, jitter_beyond_grace_never_makes_a_missed_run);
    tcase_add_test(tc, every_fifteen_minutes_learns_period_and_offset);
    tcase_add_test(tc, daily_and_weekly_are_learnt_from_five_runs);
    tcase_add_test(tc, paused_scheduler_misses_exactly_the_skipped_starts);
    tcase_add_test(tc, paused_until_now_misses_the_starts_whose_stretch_has_passed);
    tcase_add_test(tc, missed_start_in_unobserved_time_is_never_missed);
    tcase_add_test(tc, late_start_is_late_not_missed);
    tcase_add_test(tc, change_of_period_is_picked_up_without_false_alarms);
    tcase_add_test(tc, late_is_decided_at_grace);
    tcase_add_test(tc, a_third_of_starts_off_the_grid_is_irregular);
    tcase_add_test(tc, change_of_offset_is_neither_late_nor_missed);
    tcase_add_test(tc, irregular_starts_are_never_missed_nor_late);
    tcase_add_test(tc, dst_change_on_a_local_clock_raises_nothing);
    tcase_add_test(tc, missed_starts_are_counted_only_inside_the_window);
    tcase_add_test(tc, hourly_with_five_manual_runs_learns_the_hour_and_calls_them_manual);
    tcase_add_test(tc, daily_with_frequent_manual_runs_is_daily_not_twelve_hourly);
    tcase_add_test(tc, a_daily_etl_run_by_hand_five_days_a_week_stays_daily);
    tcase_add_test(tc, weekly_two_hour_shutdown_keeps_an_hourly_etl_hourly);
    tcase_add_test(tc, an_outage_of_hours_among_the_latest_starts_keeps_the_schedule);
    tcase_add_test(tc, second_start_in_a_served_slot_is_manual_even_on_time);
    tcase_add_test(tc, manual_run_after_a_skipped_start_does_not_hide_the_miss);
    tcase_add_test(tc, manual_run_after_the_last_scheduled_one_does_not_hide_a_stopped_scheduler);
    tcase_add_test(tc, daily_two_oclock_berlin_keeps_the_wall_clock_across_both_changes);
    tcase_add_test(tc, four_hourly_utc_across_a_change_stays_on_utc);
    tcase_add_test(tc, slots_in_the_dst_gap_and_fold_fire_as_a_wall_clock_scheduler_does);
    tcase_add_test(tc, a_skipped_wall_time_without_a_run_is_not_missed);
    tcase_add_test(tc, learning_picks_the_clock_judging_picks);
    tcase_add_test(tc, daily_etls_run_by_hand_keep_their_clock_across_a_change);
    tcase_add_test(tc, the_upcoming_start_is_neither_served_nor_past_its_grace);
    tcase_add_test(tc, unscheduled_since_is_the_earliest_the_last_run_can_have_ended);
    tcase_add_test(tc, missed_starts_cost_follows_the_observations_not_the_window);
    tcase_add_test(tc, duration_limit_stays_above_ordinary_variation);
    tcase_add_test(tc, mttr_and_mtbf_follow_the_jenkins_definitions);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(schedule_suite)
