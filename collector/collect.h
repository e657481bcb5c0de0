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

/* Exit codes of etlhist-collect (DESIGN section 2). */
enum collect_exit {
    EXIT_ALL_POLLED = 0,
    EXIT_PARTIAL = 1,
    EXIT_USAGE = 2,
    EXIT_NOTHING = 3,
    EXIT_LOCKED = 4,
};

struct collector {
    const struct config *cfg;
    const struct instance_config *ic;
    struct auth auth;
    struct etlset etls;
    sqlite3 *db;   /* NULL with --dry-run */
    FILE *dry_out; /* where --dry-run prints what it saw */
    int quiet;
    /* Left by the latest stored pass or follow round: the ETLs to follow (DESIGN 2). */
    int64_t *follow_ids;
    size_t n_follow;
};

/* Reads the instance's secrets and ETL list. Returns 0, or -1 after logging. */
int collector_init(struct collector *c, const struct config *cfg,
                   const struct instance_config *ic, sqlite3 *db);
void collector_free(struct collector *c);

/* Runs one pass; returns an enum collect_exit value. A pass stopped by a signal (see
 * auth.http.cancel) stores nothing and returns EXIT_NOTHING. */
int collector_pass(struct collector *c);
/* Nonzero once the signal flag in c->auth.http.cancel is set. */
int collector_interrupted(const struct collector *c);

/* The status URL of one ETL of c's instance. */
void collector_status_url(const struct collector *c, int64_t etl_id, char *buf, size_t cap);
/* One status response → one observation; the parser sees only bytes. */
void collector_classify(struct observation *o, int64_t etl_id, const struct http_result *r);
/* The ETLs worth following after polls: those seen RUNNING, and those whose poll failed
 * while they were being followed (a failed poll says nothing, so their end is still unseen;
 * keep_failed). Writes their ids to ids (room for n) and returns how many. */
size_t collector_pick_follow(const struct observation *obs, size_t n, int keep_failed,
                             int64_t *ids);

#endif
