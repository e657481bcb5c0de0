/* [silence NAME] sections of etlhist.conf: when the verdicts a silence names (missed, late,
 * overdue, failing, stale, deleted) are not raised for an instance and some of its ETLs.
 * Parsed and checked here, for both programs; the report applies them (report/silenced.c). */
#ifndef ETLHIST_SILENCE_H
#define ETLHIST_SILENCE_H

#include "etlset.h"

#include <stddef.h>
#include <stdint.h>

enum silence_kind {
    SILENCE_MISSED = 1,
    SILENCE_LATE = 2,
    SILENCE_OVERDUE = 4,
    SILENCE_FAILING = 8,
    SILENCE_STALE = 16, /* and never observed */
    SILENCE_DELETED = 32,
    SILENCE_UNSCHEDULED = 64,
    SILENCE_ALL = 127
};

/* A civil date-time as written (in the instance's zone, or UTC with a trailing Z). */
struct silence_time {
    int year, month, day, hour, min, sec;
    int utc;
};

struct silence {
    char *name;
    char *instance;
    struct etlset etls; /* all: every ETL of the instance */
    int has_etls;
    int has_from, has_until;
    struct silence_time from, until;
    int weekly;             /* weekly: wday, start and end in minutes of the day */
    int wday;               /* 0 Sunday .. 6 Saturday */
    int start_min, end_min; /* end <= start: it ends on the next day */
    unsigned kinds;         /* enum silence_kind bits; 0 until set: every kind */
    char *reason;
    int line; /* of its section header */
};

/* Sets one key of a silence. Returns 0, or -1 with the cause in err. */
int silence_set(struct silence *s, const char *key, const char *value, char *err, size_t errlen);
/* What a whole section needs: instance, reason, and either weekly or from and until (until
 * after from). Returns 0, or -1 with the cause in err. */
int silence_check(const struct silence *s, char *err, size_t errlen);
/* The kind's word ("missed"); kind is one bit. */
const char *silence_kind_name(unsigned kind);
void silence_free(struct silence *s);

#endif
