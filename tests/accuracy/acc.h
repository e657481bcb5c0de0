/* acc.h - what the accuracy generator (gen.c) and checker (check.c) agree on: the flags of
 * a true run in the truth file, and how times are written. The format is in README.md. */
#ifndef ETLHIST_ACC_H
#define ETLHIST_ACC_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Run flags, written as letters in this order. */
enum {
    RF_OBSERVED = 1 << 0, /* O: start and end both fell inside observed time */
    RF_SEEN = 1 << 1,     /* S: a successful poll showed this run (RUNNING or ended) */
    RF_RUNNING = 1 << 2,  /* R: a successful poll showed it RUNNING */
    RF_END = 1 << 3,      /* E: a successful poll showed it ended, before the next run began */
    RF_BRACKET = 1 << 4,  /* B: that poll and the successful one before it <= max_gap apart */
    RF_FINISHED = 1 << 5, /* F: it ended before the simulation (or the ETL) did */
};
#define RF_LETTERS "OSREBF"

/* 2026-11-23T00:00:00Z; buf needs 21 bytes. */
static inline const char *acc_iso(int64_t t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, cap, "-");
    return buf;
}

#endif
