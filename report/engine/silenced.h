/* Which configured silence ([silence NAME], common/silence.h) covers a verdict: the instance,
 * the ETL and the kind it names, at an instant, on the instance's wall clock. */
#ifndef ETLHIST_REPORT_SILENCED_H
#define ETLHIST_REPORT_SILENCED_H

#include "silence.h"

#include <stddef.h>
#include <stdint.h>

struct silences {
    const struct silence *v;
    size_t n;
};

/* The first silence of s for instance (its stored name), ETL etl_id (< 0: the instance's
 * own verdicts, which only a silence without etls covers) and kind (one enum silence_kind
 * bit) in force at t, its times and weekdays in zone tz (the instance's; NULL: UTC); or
 * NULL. */
const struct silence *silenced_at(const struct silences *s, const char *instance, int64_t etl_id,
                                  unsigned kind, int64_t t, const char *tz);

/* A from/until silence whose until is at or before now (in tz, the instance's). */
int silence_expired(const struct silence *s, int64_t now, const char *tz);

#endif
