/* Follow (adaptive polling, DESIGN 2): after the passes, the ETLs they saw RUNNING are
 * polled again every follow_interval until they end or the follow window closes, so that
 * a run's end is bracketed to about follow_interval instead of the pass interval. */
#ifndef ETLHIST_FOLLOW_H
#define ETLHIST_FOLLOW_H

#include "collect.h"

#include <stddef.h>
#include <stdint.h>

/* The monotonic time (poll_now_ms) of the next follow round: interval_ms after the last
 * one began (or after the passes began, for the first), at once when that is past; -1 when
 * that falls at or after the window's end (began_ms + follow_ms): following is over. */
int64_t follow_next_round(int64_t began_ms, int64_t follow_ms, int64_t last_round_ms,
                          int64_t interval_ms, int64_t now_ms);

/* Follows what the latest passes of the n collectors left in their follow lists, in one
 * event loop for every instance. Each round is stored as one pass row per instance (the
 * ETLs it polled), in one short transaction per instance, or not at all when a signal cut
 * it short. began_ms: when the passes began. Returns 0, or -1 when a round could not be
 * stored (logged); following goes on for the other instances. */
int follow_run(struct collector *cs, size_t n, int64_t began_ms);

#endif
