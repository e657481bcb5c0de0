/* Follow (adaptive polling, docs/design.md §2): after the passes, the ETLs they saw RUNNING, and
 * the batch ETLs whose learnt next start falls inside the follow window, are followed until they
 * end or the window closes, so that a run's end is bracketed to about follow_interval
 * instead of the pass interval. Rounds come every follow_interval; within a request budget
 * of about one pass per window, each polls the runs most likely to have ended since they
 * were last seen running, as their ETL's recent durations tell. */
#ifndef ETLHIST_FOLLOW_H
#define ETLHIST_FOLLOW_H

#include "collect.h"

#include <stddef.h>
#include <stdint.h>

struct sched_clock;

/* Follow never adds more requests than a pass of max(its ETLs, this) makes. */
#define FOLLOW_BUDGET_MIN 100

/* The monotonic time (poll_now_ms) of the next follow round: interval_ms after the last
 * one was due (last_round_ms, the value this returned for it; INT64_MIN for none: after the
 * passes began), at once when that is past; -1 when that falls after the window's end
 * (began_ms + follow_ms): following is over. A round may begin at the window's end itself. */
int64_t follow_next_round(int64_t began_ms, int64_t follow_ms, int64_t last_round_ms,
                          int64_t interval_ms, int64_t now_ms);

/* How many rounds a window has left, the one beginning at now_ms included, when rounds come
 * every interval_ms until window_end_ms (at least 1). */
long follow_rounds_left(int64_t window_end_ms, int64_t now_ms, int64_t interval_ms);

/* A round's share of the requests left: budget_left spread evenly over rounds_left rounds,
 * rounded up; 0 when the budget is spent. */
size_t follow_quota(long budget_left, long rounds_left);

/* The bounds of past runs are widened by this share of themselves (and 1 s) before they
 * say when a run ends: durations vary from one run to the next. */
#define FOLLOW_SPREAD_PCT 20

/* The share of ends SCHED_DUR_MIN or more recent runs do not foresee (a failure earlier than
 * any before, a run longer than all): a run is never certain not to have ended. */
#define FOLLOW_UNFORESEEN 0.05

/* The share of ends that `runs` recent runs do not foresee: FOLLOW_UNFORESEEN from
 * SCHED_DUR_MIN runs on, 1 / (runs + 1) with fewer (half with one run). */
double follow_unforeseen(int runs);

/* Learns t->ends from the duration bounds [lo[i], hi[i]] of its ETL's latest n bracketed
 * runs (any order, at most SCHED_DUR_WINDOW used); t->ends_from is how many (0: nothing
 * learnt). */
void follow_learn_ends(struct follow_target *t, const int64_t *lo, const int64_t *hi, size_t n);

/* The share of t's ETL's runs that ended within running_s (0..1), from t->ends. */
double follow_ended_share(const struct follow_target *t, int64_t running_s);

/* The chance that a run of t's ETL seen running at from_s has ended by to_s (running times,
 * seconds): what its ETL's runs say, mixed with their follow_unforeseen share of an end as
 * likely as the run is old (an end rate of 1 / max(from_s, interval_s)); that alone when
 * nothing was learnt or every recent run had ended by from_s. */
double follow_end_chance(const struct follow_target *t, int64_t from_s, int64_t to_s,
                         long interval_s);

/* The chance that an awaited start (t->give_up set), not seen by t->last_poll, has come by
 * now (our clock): a start is taken as evenly likely from t->due to t->give_up. */
double follow_start_chance(const struct follow_target *t, int64_t now);

/* How much polling t at now (our clock) is worth: the chance that what it waits for (its
 * run's end, or for an awaited start the start) has come since its last poll, times the
 * time since, which is how much later it would be seen by not polling it now; -1 for an
 * awaited start not yet due (not polled). interval_s: the pass interval. */
double follow_worth(const struct follow_target *t, int64_t now, long interval_s);

/* A target a round may poll: its collector, its index in that collector's follow list and
 * what polling it is worth. */
struct follow_pick {
    double worth;
    size_t ci, fi;
};

/* Appends to out what polling each of the n targets of collector ci is worth at now (our
 * clock); returns n. interval_s: the pass interval. */
size_t follow_worths(const struct follow_target *t, size_t n, size_t ci, int64_t now,
                     long interval_s, struct follow_pick *out);

/* Keeps in picks the (at most) quota of the n picks worth the most, those worth less than 0
 * dropped, ties to the earlier; sorted by collector then index; returns how many. */
size_t follow_choose(struct follow_pick *picks, size_t n, size_t quota);

/* The ETLs a pass saw RUNNING at now (our clock), as targets; returns how many. */
size_t follow_pick_running(const struct observation *obs, size_t n, int64_t now,
                           struct follow_target *out);

/* The next expected start (server clock) of a batch ETL from its latest run starts
 * (ascending, server clock), not yet served at server_now (sched_upcoming), with its grace
 * in *grace; or INT64_MIN when it has no periodic schedule. The schedule is learnt on UTC or
 * on wall (the instance's wall clock; NULL: UTC only) as the reports learn it
 * (sched_learn_clock). */
int64_t follow_expected_start(const int64_t *starts, size_t n, int64_t server_now,
                              const struct sched_clock *wall, int64_t *grace);

/* After a follow poll o of target t in a round begun at now (our clock): whether t is
 * still followed, t updated. RUNNING and failed polls keep it (a RUNNING one last seen
 * running at now); an expected start that has not come yet keeps it until give_up; anything
 * else (the run ended, or ran and ended between two polls) ends it. */
int follow_keep(struct follow_target *t, const struct observation *o, int64_t now);

/* Fills c->follow after a stored pass: the ETLs seen RUNNING, and the WAITING ones whose
 * schedule, learnt from their runs in the database, expects a start before
 * pass_started + follow; each with its ends learnt from its runs' durations. skew_s: the
 * server's clock minus ours. Returns 0, or -1 (logged; the pass is not affected). */
int follow_plan(struct collector *c, const struct observation *obs, size_t n, int64_t pass_started,
                int64_t skew_s);

/* Follows what the latest passes of the n collectors left in their follow lists, in one
 * event loop for every instance. Each round stores its observations as samples and counts
 * itself on each instance's pass (pass.follow_rounds, no row of its own), in one short
 * transaction per instance, or not at all when a signal cut it short. began: the clock of
 * the first of the passes (the follow window starts there). Each round polls its share of
 * the window's request budget (follow_quota): the targets worth the most (follow_worth,
 * follow_choose), over every instance. It reads the clock once as it begins (its samples'
 * first_seen, token expiry, what is due and worth what); its end (finished) is that reading
 * advanced by the monotonic time since.
 * Failed polls are said as a pass's are (collector_report_errors).
 * Returns 0, or -1 when a poll failed or a round could not be stored (logged); following goes
 * on for the other instances. */
int follow_run(struct collector *cs, size_t n, const struct pass_clock *began);

#endif
