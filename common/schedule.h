/* What did not happen: a batch ETL's schedule learnt from its run starts, late and missed
 * expected starts, the duration limit beyond which a run is overdue, and MTTR/MTBF.
 * Plain arrays in, figures out: no database, no clock, so tests feed it directly.
 * The method and its constants are explained in docs/reports.md ("What did not happen"). */
#ifndef ETLHIST_SCHEDULE_H
#define ETLHIST_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_WINDOW 12     /* a schedule is learnt from at most this many latest starts */
#define SCHED_MIN_RUNS 5    /* and from at least this many */
#define SCHED_LEARN_MAX 24  /* or, when manual runs crowd them, the latest this many */
#define SCHED_DUR_WINDOW 30 /* a duration limit from at most this many earlier runs */
#define SCHED_DUR_MIN 5     /* and at least this many with a known duration */

enum sched_kind {
    SCHED_UNKNOWN,     /* too few runs to tell */
    SCHED_PERIODIC,    /* a stable period and offset */
    SCHED_IRREGULAR,   /* runs, but without a stable rhythm: never missed runs */
    SCHED_UNSCHEDULED, /* left ENDED: not rescheduled, no expected starts */
    SCHED_SERVICE      /* SERVICE_ON/OFF: no runs at all */
};

const char *sched_kind_name(enum sched_kind kind);

/* A wall clock: its offset from UTC (seconds east) at UTC instant t. The report passes the
 * instance's time zone; this module never reads a zone or the time itself. */
struct sched_clock {
    int64_t (*utc_offset)(const void *arg, int64_t t);
    const void *arg;
};

struct sched {
    enum sched_kind kind;
    int64_t period; /* seconds; 0 unless periodic */
    int64_t offset; /* an expected start modulo period on the schedule's clock, in [0, period) */
    int used;       /* starts it was learnt from */
    const struct sched_clock *wall; /* the wall clock it is on; NULL: UTC */
};

/* max(10 % of the period, 60 s): a start this close to an expected one is on time. */
int64_t sched_grace(int64_t period);

/* The latest starts a schedule and its clock are learnt from where no report window says
 * which (follow, the metrics file): as many as a report reads before its window. */
#define SCHED_HISTORY 32

/* Learns from the latest SCHED_WINDOW of n ascending starts (server clock), on UTC. */
void sched_learn(const int64_t *starts, size_t n, struct sched *out);

/* Learns from n ascending starts (server clock) on UTC or on wall (NULL: UTC only),
 * whichever explains them better, as sched_judge picks it (the clock is chosen from all n
 * starts, the schedule learnt from the latest on it). Returns 0, or -1 when out of memory. */
int sched_learn_clock(const int64_t *starts, size_t n, const struct sched_clock *wall,
                      struct sched *out);

/* The first expected start at or after t (UTC); s must be periodic. */
int64_t sched_next(const struct sched *s, int64_t t);

/* The expected start after the one a start at t belongs to (UTC); s must be periodic. */
int64_t sched_after(const struct sched *s, int64_t t);

/* The next expected start not yet served at t (server clock), latest being the latest start
 * (server clock, at or before t): after the one latest belongs to (a manual run belongs to
 * the expected start whose stretch it fell in, so it moves nothing), and not one whose
 * stretch on time, up to grace after it, ended before t (that one is missed, not awaited),
 * nor a wall time the clocks skipped (some schedulers fire it later, some never).
 * What follow awaits, the metrics file's next start (t = latest) and a report's next
 * expected start (t = until) all come from here; s must be periodic. */
int64_t sched_upcoming(const struct sched *s, int64_t latest, int64_t t);

/* How one start compares with the schedule in force when it happened. */
struct sched_verdict {
    int judged;       /* a periodic schedule, confirmed by the runs after, was in force */
    int late;         /* delay > grace, and not manual */
    int manual;       /* not a scheduled start: its expected start was served already, or it
                         came more than half a period (and grace) after it */
    int64_t expected; /* the expected start it belongs to */
    int64_t delay;    /* start - expected; within [-grace, period - grace) */
};

/* Where judging looks outside the run starts. observed() says whether the stretch
 * [from, until) of expected start e (server clock) was observed throughout, with the ETL
 * scheduled (not ENDED) at e; missed() hears of each missed expected start (and the period
 * it was judged with) and returns 0 to go on. resume(), when set, is the earliest time at
 * or after t at which an expected start could be observed (INT64_MAX: never again), so
 * that unobserved stretches are passed in one step. wall, when set, is the instance's wall
 * clock: a schedule is learnt on it too, and kept when it explains the starts better. */
struct sched_env {
    int64_t since, until; /* expected starts counted: those in [since, until) */
    int64_t horizon;      /* stretches ending after this are not decided yet */
    int (*observed)(void *arg, int64_t e, int64_t from, int64_t until);
    int (*missed)(void *arg, int64_t expected, int64_t period);
    void *arg;
    int64_t (*resume)(void *arg, int64_t t);
    const struct sched_clock *wall;
};

/* Judges starts[first..n) (ascending; the ones before first are the lookback they are learnt
 * from) into v[0..n-first), and reports missed expected starts through env. Each gap between
 * two starts is judged with the schedule learnt up to its first start, only when the runs
 * after the gap confirm it (same period, offset within grace): a schedule change is neither
 * late nor missed. The gap after the last start has no runs after it and is judged with the
 * schedule learnt so far. Starts are judged on UTC or on env->wall, whichever explains more
 * of them on time (then: puts more of them on one grid; a tie: UTC); *learnt (when not NULL) is the
 * schedule learnt from the latest starts on that clock. Returns the number of missed
 * starts, or -1 when out of memory. */
int64_t sched_judge(const int64_t *starts, size_t n, size_t first, const struct sched_env *env,
                    struct sched_verdict *v, struct sched *learnt);

/* The time an ETL left ENDED can have become unscheduled at the earliest (our clock): the
 * earliest end of its latest run (start - skew + lo, has_lo 0: its start), or the last
 * poll that still saw it scheduled (has_poll), whichever is later. Returns 0, or -1 when
 * neither is known. */
int sched_unscheduled_since(int has_run, int64_t start, int has_lo, int64_t lo, int64_t skew,
                            int has_poll, int64_t poll, int64_t *since);

/* Seconds from a run's start (server clock) to t (our clock), skew = server minus ours;
 * never negative. Duration bounds and running times of runs all come from it. */
int64_t sched_since_start(int64_t start, int64_t t, int64_t skew);

/* Duration limit from the upper bounds (dur_hi_s) of up to SCHED_DUR_WINDOW earlier runs:
 * max(3/2 x p95, p95 + interval), so a run's lower bound above it is beyond ordinary
 * variation whatever the bounds' own width (at most about one interval). Returns 0 and
 * sets *limit, or -1 with fewer than SCHED_DUR_MIN bounds. */
int sched_duration_limit(const int64_t *hi, size_t n, int64_t interval, int64_t *limit);

/* The last SCHED_DUR_WINDOW upper bounds, oldest first, fed run by run. */
struct dur_history {
    int64_t hi[SCHED_DUR_WINDOW];
    size_t n, next;
};

void dur_history_add(struct dur_history *h, int64_t hi);
int dur_history_limit(const struct dur_history *h, int64_t interval, int64_t *limit);

/* MTTR and MTBF (Jenkins build-history-metrics, failed = ERROR or ABORTED), fed with finished
 * runs oldest first. */
struct mttr {
    int in_streak, recovered;
    int64_t streak_start, recovery_start;
    int64_t repair_sum, repairs;   /* recovered streaks: first OK/WARNING - first failure */
    int64_t between_sum, betweens; /* recoveries: next failure - recovering run */
};

void mttr_feed(struct mttr *m, int failed, int64_t start);
/* Mean in seconds (rounded down); 0 when there is none, else 1. */
int mttr_repair(const struct mttr *m, int64_t *mean);
int mttr_between(const struct mttr *m, int64_t *mean);

#endif
