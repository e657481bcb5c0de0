/* Follow (adaptive polling, DESIGN 2): after the passes, the ETLs they saw RUNNING, and the
 * batch ETLs whose learnt next start falls inside the follow window, are polled again every
 * follow_interval until they end or the window closes, so that a run's end is bracketed to
 * about follow_interval instead of the pass interval. */
#ifndef ETLHIST_FOLLOW_H
#define ETLHIST_FOLLOW_H

#include "collect.h"

#include <stddef.h>
#include <stdint.h>

/* Follow never adds more requests than a pass of max(its ETLs, this) makes. */
#define FOLLOW_BUDGET_MIN 100

/* The monotonic time (poll_now_ms) of the next follow round: interval_ms after the last
 * one began (or after the passes began, for the first), at once when that is past; -1 when
 * that falls at or after the window's end (began_ms + follow_ms): following is over. */
int64_t follow_next_round(int64_t began_ms, int64_t follow_ms, int64_t last_round_ms,
                          int64_t interval_ms, int64_t now_ms);

/* A run that has not yet run as long as its ETL's shortest recent run is polled every
 * FOLLOW_SLOW-th round only: its end is unlikely before that. */
#define FOLLOW_SLOW 4

/* The time between follow rounds from now on: follow_interval (interval_s), stretched when
 * polling `fast` targets every round and `slow` ones every FOLLOW_SLOW-th round for the
 * remaining_s left of the window would cost more than budget_left requests; -1 when the
 * budget is spent. The budget of a window is max(polled, FOLLOW_BUDGET_MIN), about as many
 * requests as the pass itself. */
long follow_pace(long remaining_s, long interval_s, size_t fast, size_t slow, long budget_left);

/* The running time from which a run is polled every round, learnt from the duration lower
 * bounds (dur_lo_s) of its ETL's latest bracketed runs: the shortest of them, or 0 (every
 * round at once) with fewer than SCHED_DUR_MIN. */
int64_t follow_near_s(const int64_t *lows, size_t n);

/* When a run seen RUNNING at now (our clock) is next polled: at once (0) once it has run
 * near_s, else after slow_s, but not after it reaches near_s. */
int64_t follow_next_due(const struct follow_target *t, int64_t now, int64_t slow_s);

/* The ETLs a pass saw RUNNING, as targets followed at once (near_s 0); returns how many. */
size_t follow_pick_running(const struct observation *obs, size_t n, struct follow_target *out);

/* The next expected start (server clock) of a batch ETL from its latest run starts
 * (ascending, server clock), or INT64_MIN when it has no periodic schedule: the first
 * expected start more than half a period after the latest run's, or, if that is more than
 * grace past, the first one at or after server_now - grace. */
int64_t follow_expected_start(const int64_t *starts, size_t n, int64_t server_now);

/* How many of the n targets are not due at now (our clock): the slow runs, and expected
 * starts still to come. follow_pace counts them as slow. */
size_t follow_not_due(const struct follow_target *t, size_t n, int64_t now);

/* After a follow poll o of target t in a round begun at now (our clock): whether t is
 * still followed, t updated. RUNNING and failed polls keep it (a RUNNING one due again by
 * follow_next_due with slow_s); an expected start that has not come yet keeps it until
 * give_up; anything else (the run ended, or ran and ended between two polls) ends it. */
int follow_keep(struct follow_target *t, const struct observation *o, int64_t now, int64_t slow_s);

/* Fills c->follow after a stored pass: the ETLs seen RUNNING, and the WAITING ones whose
 * schedule, learnt from their runs in the database, expects a start before
 * pass_started + follow; each with its near_s from its runs' durations. skew_s: the
 * server's clock minus ours. Returns 0, or -1 (logged; the pass is not affected). */
int follow_plan(struct collector *c, const struct observation *obs, size_t n, int64_t pass_started,
                int64_t skew_s);

/* Follows what the latest passes of the n collectors left in their follow lists, in one
 * event loop for every instance. Each round is stored as one pass row per instance (the
 * ETLs it polled), in one short transaction per instance, or not at all when a signal cut
 * it short. began: the clock of the first of the passes (the follow window starts there).
 * Each round reads the clock once as it begins (its pass rows' started, token expiry, which
 * targets are due); its end (finished) is that reading advanced by the monotonic time since.
 * Returns 0, or -1 when a round could not be stored (logged); following goes on for the other
 * instances. */
int follow_run(struct collector *cs, size_t n, const struct pass_clock *began);

#endif
