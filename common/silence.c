#include "silence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {"missed", "late",    "overdue",    "failing",
                                         "stale",  "deleted", "unscheduled"};
#define N_KINDS (sizeof kind_names / sizeof kind_names[0])
static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

const char *silence_kind_name(unsigned kind)
{
    for (unsigned i = 0; i < N_KINDS; i++)
        if (kind == 1u << i)
            return kind_names[i];
    return "?";
}

static int set_text(char **slot, const char *value, const char *key, char *err, size_t errlen)
{
    if (!*value) {
        snprintf(err, errlen, "%s is empty", key);
        return -1;
    }
    free(*slot);
    if (!(*slot = strdup(value))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* "2026-11-23", "2026-11-23T02:00[:ss]" or with a space for the T; a trailing Z is UTC. */
static int parse_time(const char *v, struct silence_time *t)
{
    int n = 0, len = (int)strlen(v);
    memset(t, 0, sizeof *t);
    t->utc = len > 0 && v[len - 1] == 'Z';
    if (sscanf(v, "%4d-%2d-%2d%n", &t->year, &t->month, &t->day, &n) != 3 || n != 10)
        return -1;
    if (n < len - t->utc) {
        int m = 0;
        if ((v[10] != 'T' && v[10] != ' ') ||
            sscanf(v + 11, "%2d:%2d%n", &t->hour, &t->min, &m) != 2 || m != 5)
            return -1;
        n = 16;
        if (v[n] == ':' && (sscanf(v + 17, "%2d%n", &t->sec, &m) != 1 || m != 2))
            return -1;
        n += v[n] == ':' ? 3 : 0;
    }
    if (n != len - t->utc)
        return -1;
    return t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 || t->hour > 23 ||
                   t->min > 59 || t->sec > 59
               ? -1
               : 0;
}

static int parse_hhmm(const char *s, int *minutes)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h > 24 || m > 59 || (h == 24 && m))
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

/* "Sun 02:00-04:00" (the end may be on the next day: "Sat 23:00-01:00"). */
static int parse_weekly(struct silence *s, const char *v)
{
    char day[4], a[6], b[6];
    int n = 0;
    if (sscanf(v, "%3s %5[0-9:]-%5[0-9:]%n", day, a, b, &n) != 3 || v[n])
        return -1;
    s->wday = -1;
    for (int i = 0; i < 7; i++)
        if (strcasecmp(day, days[i]) == 0)
            s->wday = i;
    if (s->wday < 0 || parse_hhmm(a, &s->start_min) || parse_hhmm(b, &s->end_min) ||
        s->start_min == s->end_min)
        return -1;
    s->weekly = 1;
    return 0;
}

static int parse_kinds(struct silence *s, const char *v, char *err, size_t errlen)
{
    char *copy = strdup(v), *save = NULL;
    unsigned kinds = 0;
    for (char *w = copy ? strtok_r(copy, ", \t", &save) : NULL; w;
         w = strtok_r(NULL, ", \t", &save)) {
        unsigned i = 0;
        while (i < N_KINDS && strcmp(w, kind_names[i]) != 0)
            i++;
        if (i == N_KINDS) {
            snprintf(err, errlen,
                     "kinds: unknown \"%s\" (expected missed, late, overdue, failing, stale, "
                     "deleted, unscheduled)",
                     w);
            free(copy);
            return -1;
        }
        kinds |= 1u << i;
    }
    free(copy);
    if (!kinds) {
        snprintf(err, errlen, "kinds is empty");
        return -1;
    }
    s->kinds = kinds;
    return 0;
}

static int set_time(struct silence_time *t, int *has, const char *key, const char *value, char *err,
                    size_t errlen)
{
    if (parse_time(value, t)) {
        snprintf(err, errlen, "%s: bad date-time \"%s\" (expected 2026-11-23T02:00[:ss][Z])", key,
                 value);
        return -1;
    }
    *has = 1;
    return 0;
}

int silence_set(struct silence *s, const char *key, const char *value, char *err, size_t errlen)
{
    if (!strcmp(key, "instance"))
        return set_text(&s->instance, value, key, err, errlen);
    if (!strcmp(key, "reason"))
        return set_text(&s->reason, value, key, err, errlen);
    if (!strcmp(key, "from"))
        return set_time(&s->from, &s->has_from, key, value, err, errlen);
    if (!strcmp(key, "until"))
        return set_time(&s->until, &s->has_until, key, value, err, errlen);
    if (!strcmp(key, "kinds"))
        return parse_kinds(s, value, err, errlen);
    if (!strcmp(key, "weekly")) {
        if (parse_weekly(s, value) == 0)
            return 0;
        snprintf(err, errlen, "weekly: bad form \"%s\" (expected DAY HH:MM-HH:MM, Sun 02:00-04:00)",
                 value);
        return -1;
    }
    if (!strcmp(key, "etls")) {
        char why[160];
        if (s->has_etls)
            etlset_free(&s->etls);
        s->has_etls = 0;
        if (etlset_parse(value, &s->etls, why, sizeof why)) {
            snprintf(err, errlen, "etls: %s", why);
            return -1;
        }
        s->has_etls = 1;
        return 0;
    }
    snprintf(err, errlen,
             "unknown key \"%s\" (expected instance, etls, from, until, weekly, kinds, reason)",
             key);
    return -1;
}

static int time_cmp(const struct silence_time *a, const struct silence_time *b)
{
    const int x[] = {a->year, a->month, a->day, a->hour, a->min, a->sec};
    const int y[] = {b->year, b->month, b->day, b->hour, b->min, b->sec};
    for (int i = 0; i < 6; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

int silence_check(const struct silence *s, char *err, size_t errlen)
{
    const char *why = NULL;
    if (!s->reason)
        why = "no reason (reason = ... is required)";
    else if (!s->instance)
        why = "no instance";
    else if (s->weekly && (s->has_from || s->has_until))
        why = "weekly cannot be combined with from or until";
    else if (!s->weekly && (!s->has_from || !s->has_until))
        why = "needs weekly = DAY HH:MM-HH:MM, or both from and until";
    else if (!s->weekly && s->from.utc != s->until.utc)
        why = "from and until must both be in UTC (Z) or both in the instance's zone";
    else if (!s->weekly && time_cmp(&s->until, &s->from) <= 0)
        why = "until is not after from";
    if (why)
        snprintf(err, errlen, "%s", why);
    return why ? -1 : 0;
}

void silence_free(struct silence *s)
{
    free(s->name);
    free(s->instance);
    free(s->reason);
    if (s->has_etls)
        etlset_free(&s->etls);
    memset(s, 0, sizeof *s);
}
