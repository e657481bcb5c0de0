/* One pass over one CO instance: token → discovery → concurrent polls → one transaction. */
#ifndef ETLHIST_COLLECT_H
#define ETLHIST_COLLECT_H

#include "auth.h"
#include "config.h"
#include "etlset.h"
#include "api.h"
#include "poll.h"

#include <sqlite3.h>
#include <stdio.h>

/* Exit codes of etlhist-collect (docs/design.md §2). */
enum collect_exit {
    EXIT_ALL_POLLED = 0,
    EXIT_PARTIAL = 1,
    EXIT_USAGE = 2,
    EXIT_NOTHING = 3,
    EXIT_LOCKED = 4,
};

/* When a followed run may end: FOLLOW_KNOTS running times (seconds) by which 0/16, 1/16, ...,
 * 16/16 of its ETL's latest bracketed runs had ended, each run spread over its bounds widened
 * by FOLLOW_SPREAD_PCT (follow_learn_ends). */
#define FOLLOW_KNOTS 17

/* An ETL to follow (docs/design.md §2): one seen RUNNING, or a batch ETL whose learnt next start
 * falls inside the follow window. Times are on our clock, in seconds. */
struct follow_target {
    int64_t etl_id;
    int64_t last_exec_ts;       /* the latest seen: a newer one is another run */
    int64_t due;                /* an expected start: not polled before this; 0 for a run */
    int64_t give_up;            /* an expected start not seen by then is given up; 0: a run seen
                                   RUNNING, followed until it ends */
    int64_t skew_s;             /* the server's clock minus ours, at the pass */
    int64_t last_poll;          /* its latest successful poll (the pass's, at first) */
    int32_t ends[FOLLOW_KNOTS]; /* when its ETL's runs end, learnt from ends_from runs */
    int ends_from;              /* how many; 0: nothing learnt */
};

struct collector {
    const struct config *cfg;
    const struct instance_config *ic;
    struct auth auth;
    struct etlset etls;
    sqlite3 *db;   /* NULL with --dry-run */
    FILE *dry_out; /* where --dry-run prints what it saw */
    int quiet;
    /* Left by the latest stored pass or follow round: the ETLs to follow (docs/design.md §2). */
    struct follow_target *follow;
    size_t n_follow;
    long polled; /* ETLs the latest pass polled: follow's request budget */
    /* Told of each stored pass: its observations, its start and the server's clock skew
     * (NULL: nobody). The command line sets follow_plan (collector/follow/) here when
     * following is on: the pass does not know the layer above it. Returns 0, or -1 (logged;
     * the pass stands). */
    int (*stored)(struct collector *c, const struct observation *obs, size_t n,
                  int64_t pass_started, int64_t skew_s);
};

/* A pass's (or a follow round's) one reading of our clock. Everything the pass decides or
 * stores is dated by now; the monotonic time taken with it turns a response's completion
 * (struct http_result.sent_ms) into our time without reading the wall clock again. */
struct pass_clock {
    int64_t now;     /* Unix seconds */
    int64_t wall_ms; /* the same reading in milliseconds */
    int64_t mono_ms; /* poll_now_ms() at that reading */
};

struct pass_clock pass_clock_read(void);
/* Our clock, in Unix seconds, at the monotonic time mono_ms. */
int64_t pass_clock_at(const struct pass_clock *clk, int64_t mono_ms);
/* The server's clock minus ours from one response's Date header, INT64_MIN when it has none.
 * The server stamps Date (whole seconds, rounded down) between our sending the request and
 * the response's arrival; measured from the sending, the skew is never too small, so a
 * duration's upper bound (end seen + skew - start) is never too narrow. */
int64_t pass_clock_skew(const struct pass_clock *clk, const struct http_result *r);
/* The monotonic time at which our clock reaches the Unix second t. */
int64_t pass_clock_mono(const struct pass_clock *clk, int64_t t);

/* Reads the instance's secrets and ETL list. Returns 0, or -1 after logging. */
int collector_init(struct collector *c, const struct config *cfg, const struct instance_config *ic,
                   sqlite3 *db);
void collector_free(struct collector *c);

/* Runs one pass that began at clk; returns an enum collect_exit value. The pass's end
 * (pass.finished) is clk advanced by the monotonic time since. A pass stopped by a signal (see
 * auth.http.cancel) stores nothing and returns EXIT_NOTHING. */
int collector_pass(struct collector *c, const struct pass_clock *clk);
/* Nonzero once the signal flag in c->auth.http.cancel is set. */
int collector_interrupted(const struct collector *c);

/* Says which of the n observations failed, one line each (the first ERROR_LINES_MAX, none
 * when c->quiet), then how many failed if not all were shown; during ("" for a pass, else
 * " during follow" and the like) is appended to each line. */
void collector_report_errors(const struct collector *c, const struct observation *obs, size_t n,
                             const char *during);

/* The status URL of one ETL of c's instance. */
void collector_status_url(const struct collector *c, int64_t etl_id, char *buf, size_t cap);
/* One status response → one observation; the parser sees only bytes. */
void collector_classify(struct observation *o, int64_t etl_id, const struct http_result *r);

#endif
