#include "window.h"

#include "timeutil.h"
#include "zone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Local civil time in tz to Unix seconds (the zone's DST rules apply). */
static int local_to_unix(const char *tz, int y, int mo, int d, int h, int mi, int s, int64_t *out)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    return zone_mktime(tz, &tm, out);
}

static int parse_relative(const char *text, int64_t now, int64_t *out)
{
    int64_t span;
    if (strcmp(text, "now") == 0) {
        *out = now;
        return 0;
    }
    if (text[0] != '-' || time_parse_span(text + 1, &span))
        return -1;
    *out = now - span;
    return 0;
}

int window_parse_time(const char *text, int64_t now, const char *tz, int64_t *out)
{
    unsigned y, mo, d, h = 0, mi = 0, s = 0;
    if (!text || !*text)
        return -1;
    if (!isdigit((unsigned char)text[0]))
        return parse_relative(text, now, out);
    if (parse_digits(text, 4, &y) || text[4] != '-' || parse_digits(text + 5, 2, &mo) ||
        text[7] != '-' || parse_digits(text + 8, 2, &d))
        return -1;
    const char *p = text + 10;
    if (*p == 'T' || *p == ' ') {
        if (parse_digits(p + 1, 2, &h) || p[3] != ':' || parse_digits(p + 4, 2, &mi))
            return -1;
        p += 6;
        if (*p == ':') {
            if (parse_digits(p + 1, 2, &s))
                return -1;
            p += 3;
        }
    }
    int utc = *p == 'Z';
    if (p[utc] != '\0')
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 59)
        return -1;
    if (utc) {
        *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
        return 0;
    }
    return local_to_unix(tz, (int)y, (int)mo, (int)d, (int)h, (int)mi, (int)s, out);
}

/* Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
    return (int)(((days % 7) + 7 + 3) % 7);
}

static int64_t iso_week1_monday(int y)
{
    int64_t jan4 = days_from_civil(y, 1, 4);
    return jan4 - weekday(jan4);
}

int window_parse_week(const char *text, const char *tz, int64_t *since, int64_t *until)
{
    unsigned y, w;
    if (!text || parse_digits(text, 4, &y) || text[4] != '-' || text[5] != 'W' ||
        parse_digits(text + 6, 2, &w) || text[8] != '\0' || y < 1970)
        return -1;
    int64_t monday1 = iso_week1_monday(y);
    int weeks = (int)((days_from_civil(y, 12, 28) - monday1) / 7 + 1);
    if (w < 1 || (int)w > weeks)
        return -1;
    int64_t start_days = monday1 + 7 * (int64_t)(w - 1);
    struct tm a, b;
    time_t ta = (time_t)(start_days * 86400), tb = (time_t)((start_days + 7) * 86400);
    if (!gmtime_r(&ta, &a) || !gmtime_r(&tb, &b))
        return -1;
    if (local_to_unix(tz, a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, 0, 0, 0, since) ||
        local_to_unix(tz, b.tm_year + 1900, b.tm_mon + 1, b.tm_mday, 0, 0, 0, until))
        return -1;
    return 0;
}

static int bad_time(const char *opt, const char *text, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "%s: bad date \"%s\" (expected 2026-11-23, 2026-11-23T10:00[:ss][Z], now or -3d)", opt,
             text);
    return -1;
}

static int resolve_times(const struct window_spec *spec, int64_t now, struct window *out, char *err,
                         size_t errlen)
{
    int64_t span = WINDOW_DEFAULT_SPAN;
    if (spec->last && (time_parse_span(spec->last, &span) || span <= 0)) {
        snprintf(err, errlen, "--last: bad span \"%s\" (expected e.g. 7d, 12h, 2w)", spec->last);
        return -1;
    }
    if (spec->since && window_parse_time(spec->since, now, spec->tz, &out->since))
        return bad_time("--since", spec->since, err, errlen);
    if (spec->until && window_parse_time(spec->until, now, spec->tz, &out->until))
        return bad_time("--until", spec->until, err, errlen);
    if (spec->since && !spec->until)
        out->until = spec->last ? out->since + span : now;
    if (!spec->since)
        out->since = (spec->until ? out->until : now) - span;
    if (!spec->since && !spec->until)
        out->until = now;
    return 0;
}

int window_resolve(const struct window_spec *spec, int64_t now, struct window *out, char *err,
                   size_t errlen)
{
    if (zone_check(spec->tz, err, errlen))
        return -1;
    out->tz = spec->tz;
    if (spec->week && (spec->last || spec->since || spec->until)) {
        snprintf(err, errlen, "--week cannot be combined with --last, --since or --until");
        return -1;
    }
    if (spec->last && spec->since && spec->until) {
        snprintf(err, errlen, "--last cannot be combined with both --since and --until");
        return -1;
    }
    if (spec->week) {
        if (window_parse_week(spec->week, spec->tz, &out->since, &out->until)) {
            snprintf(err, errlen, "--week: bad ISO week \"%s\" (expected e.g. 2026-W48)",
                     spec->week);
            return -1;
        }
    } else if (resolve_times(spec, now, out, err, errlen)) {
        return -1;
    }
    if (out->until <= out->since) {
        snprintf(err, errlen, "the window is empty: --until must be after --since");
        return -1;
    }
    return 0;
}
