#include "zone.h"

#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The abbreviation a POSIX TZ string starts with (3+ letters, or <...>): its end, or NULL. */
static const char *posix_name(const char *p)
{
    const char *start = p;
    if (*p == '<') {
        p = strchr(p, '>');
        return p ? p + 1 : NULL;
    }
    while (isalpha((unsigned char)*p))
        p++;
    return p - start >= 3 ? p : NULL;
}

/* A POSIX TZ offset, [+-]h[h][:mm[:ss]], into *seconds (west of Greenwich, as written):
 * its end, or NULL. */
static const char *posix_offset(const char *p, long *seconds)
{
    long part[3] = {0, 0, 0};
    int sign = *p == '-' ? -1 : 1;
    p += *p == '+' || *p == '-';
    for (int i = 0; i < 3; i++) {
        if (i > 0 && *p != ':')
            break;
        p += i > 0;
        int digits = 0;
        for (; isdigit((unsigned char)*p) && digits < 2; p++, digits++)
            part[i] = part[i] * 10 + (*p - '0');
        if (digits == 0 || (i > 0 && (digits != 2 || part[i] > 59)))
            return NULL;
    }
    *seconds = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    return p;
}

/* A POSIX TZ string: std offset [dst [offset] [,rule]]. Returns 0 with the largest offset
 * from UTC it names in *widest (seconds), or -1 when tz is not one. */
static int posix_tz(const char *tz, long *widest)
{
    long off, dst;
    const char *p = posix_name(tz);
    if (!p || !(p = posix_offset(p, &off)))
        return -1;
    *widest = labs(off);
    if (*p == '\0' || *p == ',')
        return 0;
    if (!(p = posix_name(p)))
        return -1;
    if (*p && *p != ',') {
        if (!(p = posix_offset(p, &dst)))
            return -1;
        *widest = labs(dst) > *widest ? labs(dst) : *widest;
    }
    return *p == '\0' || *p == ',' ? 0 : -1;
}

int zone_check(const char *tz, char *err, size_t errlen)
{
    if (!tz)
        return 0;
    const char *name = tz[0] == ':' ? tz + 1 : tz;
    long widest = 0;
    if (*name && time_zone_file_exists(name))
        return 0;
    if (!*name || tz[0] == ':' || posix_tz(tz, &widest)) {
        snprintf(err, errlen, "unknown time zone \"%s\" (expected e.g. UTC, Europe/Paris)", tz);
        return -1;
    }
    if (widest > ZONE_MAX_OFFSET) {
        snprintf(err, errlen,
                 "time zone \"%s\": an offset of %ld:%02ld from UTC, beyond the 14 hours of any "
                 "real zone",
                 tz, widest / 3600, widest % 3600 / 60);
        return -1;
    }
    return 0;
}

static int same_zone(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* glibc converts civil time only in the zone named by the TZ variable: it has no per-call
 * zone. This is the one place that sets TZ, just before each conversion, to the zone the
 * caller passed; nothing may rely on TZ between calls. The zone the process started in is
 * kept for tz NULL. */
static int started;
static char *startup, *current; /* NULL: TZ unset */

static void zone_start(void)
{
    if (!started) {
        const char *env = getenv("TZ");
        startup = env ? strdup(env) : NULL;
        current = startup ? strdup(startup) : NULL;
        started = 1;
    }
}

static void zone_use(const char *tz)
{
    zone_start();
    const char *want = tz ? tz : startup;
    if (same_zone(want, current))
        return;
    if (want)
        setenv("TZ", want, 1);
    else
        unsetenv("TZ");
    tzset();
    free(current);
    current = want ? strdup(want) : NULL;
}

const char *zone_name(const char *tz)
{
    zone_start();
    if (tz || (startup && *startup))
        return tz ? tz : startup;
    return "the system time zone";
}

int zone_localtime(const char *tz, int64_t t, struct tm *out)
{
    time_t tt = (time_t)t;
    zone_use(tz);
    return localtime_r(&tt, out) ? 0 : -1;
}

int64_t zone_utc_offset(const char *tz, int64_t t)
{
    struct tm tm;
    return zone_localtime(tz, t, &tm) ? 0 : (int64_t)tm.tm_gmtoff;
}

int64_t zone_clock_offset(const void *tz, int64_t t)
{
    return zone_utc_offset(tz, t);
}

int zone_mktime(const char *tz, const struct tm *civil, int64_t *out)
{
    struct tm tm = *civil;
    zone_use(tz);
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && !(civil->tm_year == 69 && civil->tm_mon == 11 && civil->tm_mday == 31))
        return -1;
    *out = (int64_t)t;
    return 0;
}

/* Offsets from UTC, in seconds, in force around u (seconds of a civil time read as if UTC):
 * a change of offset near u shows as two. Returns how many (1 or 2). */
static int offsets_near(const char *tz, int64_t u, long off[2])
{
    int n = 0;
    for (int64_t d = -86400; d <= 86400; d += 86400) {
        struct tm tm;
        if (zone_localtime(tz, u + d, &tm) || (n > 0 && off[0] == tm.tm_gmtoff) ||
            (n > 1 && off[1] == tm.tm_gmtoff) || n == 2)
            continue;
        off[n++] = tm.tm_gmtoff;
    }
    return n;
}

int zone_civil_exact(const char *tz, const struct tm *civil, int64_t *out)
{
    int64_t u = days_from_civil((int64_t)civil->tm_year + 1900, (unsigned)civil->tm_mon + 1,
                                (unsigned)civil->tm_mday) *
                    86400 +
                civil->tm_hour * 3600 + civil->tm_min * 60 + civil->tm_sec;
    long off[2];
    int n = offsets_near(tz, u, off), found = 0;
    if (n == 0)
        return -1;
    /* The instants that show as the civil time: u less an offset in force at that instant. */
    for (int i = 0; i < n; i++) {
        struct tm tm;
        int64_t t = u - off[i];
        if (zone_localtime(tz, t, &tm) == 0 && tm.tm_gmtoff == off[i] && (!found || t < *out)) {
            *out = t;
            found = 1;
        }
    }
    return found ? 0 : ZONE_SKIPPED;
}

static int claims_utc(const char *abbr)
{
    static const char *const utc[] = {"UTC", "GMT", "UT", "UCT", "Z"};
    for (size_t i = 0; i < sizeof utc / sizeof utc[0]; i++)
        if (strcmp(abbr, utc[i]) == 0)
            return 1;
    return 0;
}

/* The zone's abbreviation at tm, or its offset (+05:30) when it has none or it would lie: a
 * POSIX TZ string such as UTC+5 calls itself UTC five hours from it. */
static void zone_label(const struct tm *tm, char *buf, size_t size)
{
    long off = tm->tm_gmtoff, a = labs(off);
    const char *abbr = tm->tm_zone;
    if (abbr && *abbr && !strchr(abbr, '%') && (off == 0 || !claims_utc(abbr)))
        snprintf(buf, size, "%s", abbr);
    else if (a % 60)
        snprintf(buf, size, "%c%02ld:%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60,
                 a % 60);
    else
        snprintf(buf, size, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

void zone_format(const char *tz, int64_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;
    char label[64], with_label[160];
    if (zone_localtime(tz, t, &tm)) {
        snprintf(buf, size, "?");
        return;
    }
    const char *z = strstr(fmt, "%Z"); /* strftime's %Z would print the abbreviation as is */
    if (z) {
        zone_label(&tm, label, sizeof label);
        snprintf(with_label, sizeof with_label, "%.*s%s%s", (int)(z - fmt), fmt, label, z + 2);
        fmt = with_label;
    }
    if (strftime(buf, size, fmt, &tm) == 0)
        snprintf(buf, size, "?");
}

int64_t zone_midnight_after(const char *tz, int64_t t, int days)
{
    struct tm tm;
    int64_t next;
    if (zone_localtime(tz, t, &tm))
        return t + 86400 * (int64_t)days;
    tm.tm_mday += days; /* mktime carries the overflow into months and years */
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return zone_mktime(tz, &tm, &next) == 0 && next > t ? next : t + 86400 * (int64_t)days;
}

int64_t zone_next_midnight(const char *tz, int64_t t)
{
    return zone_midnight_after(tz, t, 1);
}

int64_t zone_day_number(const char *tz, int64_t t)
{
    struct tm tm;
    if (zone_localtime(tz, t, &tm))
        return t / 86400;
    return days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                           (unsigned)tm.tm_mday);
}

int64_t zone_whole_days(const char *tz, int64_t since, int64_t until)
{
    if (until <= since || zone_next_midnight(tz, since - 1) != since ||
        zone_next_midnight(tz, until - 1) != until)
        return 0;
    return zone_day_number(tz, until) - zone_day_number(tz, since);
}

void zone_window_before(const char *tz, int64_t since, int64_t until, int64_t *b_since)
{
    int64_t days = zone_whole_days(tz, since, until);
    if (days <= 0) {
        *b_since = since - (until - since);
        return;
    }
    /* noon of the first day before, give or take a clock change: its midnight starts it */
    int64_t noon = since - days * 86400 + 43200;
    *b_since = zone_next_midnight(tz, noon - 86400);
}
