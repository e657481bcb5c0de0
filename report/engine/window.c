#include "window.h"

#include "timeutil.h"
#include "zone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct tm civil(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    return tm;
}

/* The start of a local day in tz: its midnight, or the first instant after it when the clocks
 * skipped midnight. */
static int day_start(const char *tz, int y, int mo, int d, int64_t *out)
{
    struct tm tm = civil(y, mo, d, 0, 0, 0);
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
    int utc = *p == 'Z', date_only = p == text + 10;
    if (p[utc] != '\0')
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 59)
        return -1;
    if (utc) {
        *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
        return 0;
    }
    if (date_only)
        return day_start(tz, (int)y, (int)mo, (int)d, out);
    struct tm tm = civil((int)y, (int)mo, (int)d, (int)h, (int)mi, (int)s);
    return zone_civil_exact(tz, &tm, out);
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
    if (day_start(tz, a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, since) ||
        day_start(tz, b.tm_year + 1900, b.tm_mon + 1, b.tm_mday, until))
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

/* One of --since and --until into *out. */
static int time_option(const char *opt, const char *text, int64_t now, const char *tz, int64_t *out,
                       char *err, size_t errlen)
{
    int rc = window_parse_time(text, now, tz, out);
    if (rc == ZONE_SKIPPED) {
        snprintf(err, errlen, "%s %s does not exist in %s (clocks went forward)", opt, text,
                 zone_name(tz));
        return -1;
    }
    return rc ? bad_time(opt, text, err, errlen) : 0;
}

static int resolve_times(const struct window_spec *spec, int64_t now, struct window *out, char *err,
                         size_t errlen)
{
    int64_t span = WINDOW_DEFAULT_SPAN;
    if (spec->last && (time_parse_span(spec->last, &span) || span <= 0)) {
        snprintf(err, errlen, "--last: bad span \"%s\" (expected e.g. 7d, 12h, 2w)", spec->last);
        return -1;
    }
    if (spec->since && time_option("--since", spec->since, now, spec->tz, &out->since, err, errlen))
        return -1;
    if (spec->until && time_option("--until", spec->until, now, spec->tz, &out->until, err, errlen))
        return -1;
    if (spec->since && !spec->until)
        out->until = spec->last ? out->since + span : now;
    if (!spec->since)
        out->since = (spec->until ? out->until : now) - span;
    if (!spec->since && !spec->until)
        out->until = now;
    return 0;
}

/* The option that set the start (or the end) of the window, as given, for messages. */
static void edge_origin(const struct window_spec *spec, int end, char *buf, size_t size)
{
    const char *opt = "--week", *text = spec->week;
    if (!spec->week && (end ? spec->until : spec->since)) {
        opt = end ? "--until" : "--since";
        text = end ? spec->until : spec->since;
    } else if (!spec->week && spec->last) {
        opt = "--last";
        text = spec->last;
    } else if (!spec->week) {
        opt = end ? "--since" : "--until"; /* the other edge, and the default span */
        text = end ? spec->since : spec->until;
    }
    snprintf(buf, size, "%s %s", opt, text ? text : "now");
}

/* Windows lie within WINDOW_EARLIEST and WINDOW_LATEST: beyond, no collector ran, and the
 * loops over a window's days would spin for nothing. */
static int check_bounds(const struct window_spec *spec, const struct window *w, char *err,
                        size_t errlen)
{
    char origin[96];
    int late = w->until > WINDOW_LATEST;
    if (w->since >= WINDOW_EARLIEST && !late)
        return 0;
    edge_origin(spec, late, origin, sizeof origin);
    snprintf(err, errlen,
             "%s: the window would %s (a window lies within 1970-01-01 and 9999-12-31 UTC)", origin,
             late ? "end after 9999-12-31T23:59:59Z" : "start before 1970-01-01T00:00:00Z");
    return -1;
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
    if (check_bounds(spec, out, err, errlen))
        return -1;
    if (out->until <= out->since) {
        snprintf(err, errlen, "the window is empty: --until must be after --since");
        return -1;
    }
    return 0;
}
