/* Zones, passed explicitly: every conversion between Unix seconds and civil time in a zone
 * goes through these functions, given the zone: the report's display zone (a struct
 * window's tz, which writers find in struct fmt_report), or an instance's time zone, the
 * wall clock its scheduler runs on (the collector's follow and metrics, the reports). A zone
 * is what --tz takes: a zoneinfo name ("UTC", "Europe/Paris", ":Europe/Paris") or a POSIX TZ
 * string ("CET-1CEST,M3.5.0,M10.5.0/3"); NULL is the zone the process started in (its TZ,
 * else the system's). */
#ifndef ETLHIST_ZONE_H
#define ETLHIST_ZONE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define ZONE_TIME_BUF 48
#define ZONE_MAX_OFFSET (14 * 3600) /* the widest offset from UTC --tz accepts */
#define ZONE_SKIPPED (-2)           /* a civil time the clocks skipped */

/* 0 when tz names a zone (a zoneinfo file, or a POSIX TZ string whose offsets are within
 * ZONE_MAX_OFFSET), else -1 with the cause in err. NULL is always a zone. */
int zone_check(const char *tz, char *err, size_t errlen);

/* tz, or for NULL the zone the process started in, as messages name it. */
const char *zone_name(const char *tz);

/* t as civil time in tz. Returns 0, or -1 when out of range. */
int zone_localtime(const char *tz, int64_t t, struct tm *out);

/* The offset of tz from UTC at t, in seconds east (0 when out of range). */
int64_t zone_utc_offset(const char *tz, int64_t t);

/* zone_utc_offset with the zone as an opaque argument: a struct sched_clock's utc_offset
 * (common/schedule.h), with the zone name as its arg. */
int64_t zone_clock_offset(const void *tz, int64_t t);

/* Civil time in tz (tm_isdst -1: the zone's rules decide) to Unix seconds. Returns 0 or -1. */
int zone_mktime(const char *tz, const struct tm *civil, int64_t *out);

/* Civil time in tz (tm_year, tm_mon, tm_mday, tm_hour, tm_min, tm_sec) to Unix seconds,
 * taken exactly: 0, ZONE_SKIPPED when the clocks skipped it (the gap when they go forward),
 * or -1 when out of range. A time shown twice (the clocks went back) is the earlier instant,
 * the one before the change. */
int zone_civil_exact(const char *tz, const struct tm *civil, int64_t *out);

/* t in tz with strftime(3) format fmt; "?" when out of range. %Z is the zone's abbreviation
 * when it has a true one, else its offset from UTC (+05:30). */
void zone_format(const char *tz, int64_t t, const char *fmt, char *buf, size_t size);

/* Midnight in tz of the day after the one t falls in (DST-safe). */
int64_t zone_next_midnight(const char *tz, int64_t t);

/* Midnight in tz of the day days (>= 1) after the one t falls in: one conversion, however
 * many days. */
int64_t zone_midnight_after(const char *tz, int64_t t, int days);

/* The whole local days from since to until when both are midnights in tz (a --week or a
 * --since/--until of dates), else 0. */
int64_t zone_whole_days(const char *tz, int64_t since, int64_t until);

/* The window of the same local days just before [since, until) when zone_whole_days gives
 * some (a week across a clock change is 167 or 169 hours, and so may be the one before),
 * else of the same length in seconds. */
void zone_window_before(const char *tz, int64_t since, int64_t until, int64_t *b_since);

/* The day t falls in, in tz, as days since 1970-01-01: consecutive local days differ by 1. */
int64_t zone_day_number(const char *tz, int64_t t);

#endif
