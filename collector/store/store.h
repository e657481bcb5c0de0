/* A pass's observations → rows, in one short transaction after the network work. */
#ifndef ETLHIST_STORE_H
#define ETLHIST_STORE_H

#include "api.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct pass_record {
    const char *instance;
    const char *url;
    long interval_s;
    int64_t started, finished; /* started is the time of every observation of the pass */
    long polled, ok, errors;
    int has_skew;
    int64_t skew_s;
    const char *error;         /* why the pass observed nothing, or NULL */
    enum failure failure;      /* its class (pass.error_class); FAILURE_NONE when ok > 0 */
    int follow;                /* a follow round: counted on the instance's latest pass, no row */
    const char *tz;            /* the instance's time zone (instance.tz), or NULL */
    int listed;                /* names is the server's whole ETL list: a known ETL it lacks is
                                  gone (etl.deleted_since) */
    const int64_t *configured; /* the configured ETL ids (not "all"): each gets a row */
    size_t n_configured;
};

/* Stores the pass row (or counts a follow round on its pass) and every observation: samples
 * change-compressed, runs derived.
 * names (sorted by etl_id, may be NULL) gives ETL names learnt from the server.
 * All or nothing: on error the transaction is rolled back and -1 returned. */
int store_pass(sqlite3 *db, const struct pass_record *p, const struct observation *obs, size_t n,
               const struct etl_info *names, size_t n_names);

/* The latest pass start stored for an instance, or INT64_MIN when none. */
int store_last_pass(sqlite3 *db, const char *instance, int64_t *started);

/* The latest (at most cap) run starts of one ETL, oldest first, into starts; *n how many.
 * *st caches the statement across calls (NULL at first; sqlite3_finalize it after). */
int store_run_starts(sqlite3 *db, sqlite3_stmt **st, const char *instance, int64_t etl_id,
                     int64_t *starts, size_t cap, size_t *n);

/* The duration bounds (lo[i], hi[i]) of the latest (at most cap) runs of one ETL whose end
 * was bracketed, newest first; *st as for store_run_starts. */
int store_run_bounds(sqlite3 *db, sqlite3_stmt **st, const char *instance, int64_t etl_id,
                     int64_t *lo, int64_t *hi, size_t cap, size_t *n);

/* Deletes passes, samples and runs older than cutoff. */
int store_prune(sqlite3 *db, int64_t cutoff, int64_t *deleted);

#endif
