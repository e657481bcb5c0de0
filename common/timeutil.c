#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's algorithm: exact for every Gregorian date, no libc time zone state. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int parse_digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "+hh:mm", "+hhmm" or "+hh" (or '-') into signed seconds east of UTC. */
static int parse_offset(const char *p, int64_t *east)
{
    unsigned oh, om = 0;
    int sign = *p == '-' ? -1 : 1;
    if ((*p != '+' && *p != '-') || parse_digits(p + 1, 2, &oh))
        return -1;
    p += 3;
    if (*p == ':')
        p++;
    if (*p && parse_digits(p, 2, &om))
        return -1;
    if ((*p && p[2]) || (p[-1] == ':' && !*p) || oh > 23 || om > 59)
        return -1;
    *east = sign * (int64_t)(oh * 3600 + om * 60);
    return 0;
}

int time_parse_iso_utc(const char *s, int64_t *out)
{
    unsigned y, mo, d, h, mi, se;
    int64_t east = 0;
    if (!s || strlen(s) < 20)
        return -1;
    if (parse_digits(s, 4, &y) || s[4] != '-' || parse_digits(s + 5, 2, &mo) || s[7] != '-' ||
        parse_digits(s + 8, 2, &d) || !strchr("Tt ", s[10]) || parse_digits(s + 11, 2, &h) ||
        s[13] != ':' || parse_digits(s + 14, 2, &mi) || s[16] != ':' ||
        parse_digits(s + 17, 2, &se))
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++; /* sub-second precision is below what etlhist records */
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        east = 0;
    else if (parse_offset(p, &east))
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        se > 60)
        return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se);
    /* 1970 to 9999 in UTC too: an offset may not carry the instant out of four-digit years */
    if (t - east < 0 || t - east >= days_from_civil(10000, 1, 1) * 86400)
        return -1;
    *out = t - east;
    return 0;
}

static void format(int64_t t, char buf[TIME_BUF], char sep, const char *suffix)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, TIME_BUF, "%04d-%02u-%02u%c%02d:%02d:%02d%s", y, m, d, sep, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60), suffix);
}

void time_format_iso(int64_t t, char buf[TIME_BUF])
{
    format(t, buf, 'T', "Z");
}

void time_format_utc(int64_t t, char buf[TIME_BUF])
{
    format(t, buf, ' ', "");
}

void time_format_sheet(int64_t t, char buf[TIME_BUF])
{
    format(t, buf, 'T', "");
}

int time_parse_span(const char *s, int64_t *out)
{
    char *end;
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    long long v = strtoll(s, &end, 10);
    int64_t unit = 1;
    switch (*end) {
    case '\0':
    case 's':
        unit = 1;
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    case 'w':
        unit = 7 * 86400;
        break;
    default:
        return -1;
    }
    if (*end && end[1] != '\0')
        return -1;
    if (v < 0 || v > INT64_MAX / unit / 2)
        return -1;
    *out = (int64_t)v * unit;
    return 0;
}

int time_zone_file_exists(const char *name)
{
    const char *dir = getenv("TZDIR");
    char path[4096], magic[4];
    if (!*name || name[0] == '/' || strstr(name, ".."))
        return 0;
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    FILE *f = fopen(path, "rb"); /* a directory opens but does not read */
    int ok = f && fread(magic, 1, sizeof magic, f) == sizeof magic && !memcmp(magic, "TZif", 4);
    if (f)
        fclose(f);
    return ok;
}
