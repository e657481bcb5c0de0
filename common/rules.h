/* The judging rules the collector and the reports share (docs/design.md §3.2, 3.3): each is written
 * here once and called, never restated. */
#ifndef ETLHIST_RULES_H
#define ETLHIST_RULES_H

#include <stdint.h>

/* A gap between two polls of an ETL longer than this many polling intervals is unobserved. */
#define MAX_GAP_INTERVALS 3

/* max_gap for a polling interval. A gap ending at a poll is judged by the interval of the
 * pass that made that poll (pass.interval_s); "observation stopped" by the interval of the
 * instance's latest pass. */
int64_t rules_max_gap(int64_t interval_s);

/* "Observation stopped" (docs/design.md §3.3): a run still RUNNING at its last RUNNING poll
 * (last_running) while its instance went on being polled until last_pass, for more than
 * max_gap, is UNKNOWN at report time. */
int rules_run_unobserved(int64_t last_running, int64_t last_pass, int64_t max_gap);

/* A run's outcome (docs/design.md §3.3). Code never relies on the order of these. */
enum outcome { OUT_OK, OUT_WARNING, OUT_ERROR, OUT_ABORTED, OUT_RUNNING, OUT_UNKNOWN };

/* The run table's outcome text (FAILED reads as ERROR); anything unexpected counts as
 * UNKNOWN (never guessed). */
enum outcome outcome_parse(const char *text);
/* The outcome's word, as the run table and every report write it. */
const char *outcome_word(enum outcome out);
/* Failed: ERROR or ABORTED (failure streaks, MTTR and MTBF, the failures report). */
int outcome_failed(enum outcome out);
/* Finished: OK, WARNING, ERROR or ABORTED, the runs every rate is a share of. */
int outcome_finished(enum outcome out);
/* The outcome of a run that ended, from its first sample that is not RUNNING: ABORTED when
 * the status is, else the exit code's (OK, WARNING, ERROR; FAILED counts as ERROR); any
 * other exit code, or none, is UNKNOWN. */
enum outcome outcome_of_end(const char *status, const char *exit_code);

/* Current failure streak (ERROR or ABORTED runs since the latest OK or WARNING), fed with
 * runs newest first; RUNNING and UNKNOWN runs neither count nor end it. */
struct streak {
    int64_t count;
    int settled; /* an OK or WARNING ended it: feeding more changes nothing */
};

/* Returns 1 once the streak is settled (the caller may stop reading runs). */
int streak_feed(struct streak *s, enum outcome out);

#endif
