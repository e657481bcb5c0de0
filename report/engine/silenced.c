#include "silenced.h"

#include "zone.h"

#include <string.h>
#include <time.h>

/* The silence's from or until as Unix seconds: in tz, or UTC when written with Z. */
static int64_t instant(const struct silence_time *t, const char *tz)
{
    struct tm civil = {.tm_year = t->year - 1900,
                       .tm_mon = t->month - 1,
                       .tm_mday = t->day,
                       .tm_hour = t->hour,
                       .tm_min = t->min,
                       .tm_sec = t->sec,
                       .tm_isdst = -1};
    int64_t out = 0;
    if (zone_mktime(t->utc || !tz ? "UTC" : tz, &civil, &out))
        return 0;
    return out;
}

static int weekly_covers(const struct silence *s, int64_t t, const char *tz)
{
    struct tm tm;
    if (zone_localtime(tz ? tz : "UTC", t, &tm))
        return 0;
    int min = tm.tm_hour * 60 + tm.tm_min;
    if (s->start_min < s->end_min)
        return tm.tm_wday == s->wday && min >= s->start_min && min < s->end_min;
    return (tm.tm_wday == s->wday && min >= s->start_min) ||
           (tm.tm_wday == (s->wday + 1) % 7 && min < s->end_min);
}

static int covers(const struct silence *s, int64_t t, const char *tz)
{
    if (s->weekly)
        return weekly_covers(s, t, tz);
    return t >= instant(&s->from, tz) && t < instant(&s->until, tz);
}

const struct silence *silenced_at(const struct silences *s, const char *instance, int64_t etl_id,
                                  unsigned kind, int64_t t, const char *tz)
{
    for (size_t i = 0; s && i < s->n; i++) {
        const struct silence *x = &s->v[i];
        if (strcmp(x->instance, instance) != 0 || !((x->kinds ? x->kinds : SILENCE_ALL) & kind))
            continue;
        if (x->has_etls && !x->etls.all && (etl_id < 0 || !etlset_contains(&x->etls, etl_id)))
            continue;
        if (covers(x, t, tz))
            return x;
    }
    return NULL;
}

int silence_expired(const struct silence *s, int64_t now, const char *tz)
{
    return !s->weekly && instant(&s->until, tz) <= now;
}
