/* The report window [since, until): options in, Unix seconds out. Dates without a zone are
 * in the display zone (--tz), which the window carries for everything that shows times. */
#ifndef ETLHIST_REPORT_WINDOW_H
#define ETLHIST_REPORT_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#define WINDOW_DEFAULT_SPAN (7 * 86400)
/* Every window lies within [1970-01-01T00:00:00Z, 10000-01-01T00:00:00Z): the dates the
 * options can write, in UTC. */
#define WINDOW_EARLIEST 0
#define WINDOW_LATEST INT64_C(253402300800)

struct window_spec {
    const char *last, *since, *until, *week; /* option texts, NULL when not given */
    const char *tz; /* --tz, NULL when not given: the zone the process runs in */
};

struct window {
    int64_t since, until;
    const char *tz; /* the display zone (zone.h), NULL: the zone the process runs in */
};

/* "2026-11-23", "2026-11-23T10:00[:ss]" (in tz, or UTC with a trailing Z; a space may
 * replace the T), "now", or "-3d" (a span before now). A date is the start of that day in
 * tz; a time is taken exactly (zone_civil_exact: one shown twice is the earlier). Returns 0,
 * ZONE_SKIPPED for a time the clocks skipped in tz, or -1. */
int window_parse_time(const char *text, int64_t now, const char *tz, int64_t *out);

/* "2026-W48": Monday 00:00 to the next Monday 00:00 in tz. Returns 0 or -1. */
int window_parse_week(const char *text, const char *tz, int64_t *since, int64_t *until);

/* Combines the options; now is used only for what they leave open. A zone that is not one
 * (zone_check), and a window reaching outside [WINDOW_EARLIEST, WINDOW_LATEST], are refused.
 * Returns 0, or -1 with a one-line cause in err. */
int window_resolve(const struct window_spec *spec, int64_t now, struct window *out, char *err,
                   size_t errlen);

#endif
