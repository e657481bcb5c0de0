/* The report window [since, until): options in, Unix seconds out. Dates without a zone are
 * in the display zone (TZ, set from --tz). */
#ifndef ETLHIST_REPORT_WINDOW_H
#define ETLHIST_REPORT_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#define WINDOW_DEFAULT_SPAN (7 * 86400)

struct window_spec {
    const char *last, *since, *until, *week; /* option texts, NULL when not given */
};

struct window {
    int64_t since, until;
};

/* Makes tz the display and input zone (sets TZ). Rejects names with no zoneinfo file that
 * are not POSIX TZ strings either. Returns 0, or -1 with the cause in err. */
int window_set_tz(const char *tz, char *err, size_t errlen);

/* "2026-11-23", "2026-11-23T10:00[:ss]" (local, or UTC with a trailing Z; a space may
 * replace the T), "now", or "-3d" (a span before now). Returns 0 or -1. */
int window_parse_time(const char *text, int64_t now, int64_t *out);

/* "2026-W48": Monday 00:00 to the next Monday 00:00, local. Returns 0 or -1. */
int window_parse_week(const char *text, int64_t *since, int64_t *until);

/* Combines the options; now is used only for what they leave open. Returns 0, or -1 with a
 * one-line cause in err. */
int window_resolve(const struct window_spec *spec, int64_t now, struct window *out, char *err,
                   size_t errlen);

#endif
