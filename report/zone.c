#include "zone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A POSIX TZ string starts with a zone abbreviation (3+ letters or <...>) and an offset. */
static int looks_posix_tz(const char *tz)
{
    const char *p = tz;
    if (*p == '<') {
        p = strchr(p, '>');
        if (!p)
            return 0;
        p++;
    } else {
        while (isalpha((unsigned char)*p))
            p++;
        if (p - tz < 3)
            return 0;
    }
    return *p == '+' || *p == '-' || isdigit((unsigned char)*p);
}

static int zoneinfo_exists(const char *tz)
{
    const char *dir = getenv("TZDIR");
    char path[4096];
    if (strstr(tz, ".."))
        return 0;
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    return access(path, R_OK) == 0;
}

int zone_check(const char *tz, char *err, size_t errlen)
{
    if (!tz)
        return 0;
    const char *name = tz[0] == ':' ? tz + 1 : tz;
    if (!*name || !(zoneinfo_exists(name) || (tz[0] != ':' && looks_posix_tz(tz)))) {
        snprintf(err, errlen, "unknown time zone \"%s\" (expected e.g. UTC, Europe/Paris)", tz);
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
static void zone_use(const char *tz)
{
    static int started;
    static char *startup, *current; /* NULL: TZ unset */
    if (!started) {
        const char *env = getenv("TZ");
        startup = env ? strdup(env) : NULL;
        current = startup ? strdup(startup) : NULL;
        started = 1;
    }
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

void zone_format(const char *tz, int64_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;
    if (zone_localtime(tz, t, &tm) || strftime(buf, size, fmt, &tm) == 0)
        snprintf(buf, size, "?");
}

int64_t zone_next_midnight(const char *tz, int64_t t)
{
    struct tm tm;
    int64_t next;
    if (zone_localtime(tz, t, &tm))
        return t + 86400;
    tm.tm_mday++;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return zone_mktime(tz, &tm, &next) == 0 && next > t ? next : t + 86400;
}
