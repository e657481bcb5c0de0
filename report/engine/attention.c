#include "attention.h"

#include "log.h"
#include "numfmt.h"
#include "rules.h"
#include "utf8.h"
#include "zone.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char attention_clear[] = "Nothing needs attention: every instance was observed throughout "
                               "the window and no ETL failed, stopped, overran or ran late.";

static const char *const kind_names[] = {[ATTN_NEVER_OBSERVED] = "never_observed",
                                         [ATTN_STALE] = "stale",
                                         [ATTN_DELETED] = "deleted",
                                         [ATTN_FAILING] = "failing",
                                         [ATTN_OVERDUE_NOW] = "overdue",
                                         [ATTN_MISSED] = "missed",
                                         [ATTN_UNSCHEDULED] = "unscheduled",
                                         [ATTN_LATE] = "late",
                                         [ATTN_FAILURE_RATE] = "failure_rate",
                                         [ATTN_ABORT_RATE] = "abort_rate",
                                         [ATTN_GAPS] = "gaps"};

const char *attention_kind_name(enum attn_kind kind)
{
    return (size_t)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

void attention_init(struct attention *a, int64_t rate_pct)
{
    memset(a, 0, sizeof *a);
    a->rate_pct = rate_pct;
}

static char *copy(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *c = utf8_unbidi_dup(s); /* and no control character: a name cannot break a line */
    *failed |= !c;
    return c ? log_clean(c) : NULL;
}

static void free_item(struct attn_item *it)
{
    free(it->instance);
    free(it->etl_name);
    free(it->detail);
}

/* A copy of item with its own strings (cleaned). Returns 0, or -1 when out of memory. */
static int copy_item(struct attn_item *out, const struct attn_item *item)
{
    int failed = 0;
    struct attn_item c = *item;
    c.instance = copy(item->instance, &failed);
    c.etl_name = copy(item->etl_name, &failed);
    c.detail = copy(item->detail, &failed);
    if (failed) {
        free_item(&c);
        return -1;
    }
    *out = c;
    return 0;
}

int attention_add(struct attention *a, const struct attn_item *item)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        struct attn_item *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return -1;
        a->v = v;
        a->cap = cap;
    }
    if (copy_item(&a->v[a->n], item))
        return -1;
    a->n++;
    return 0;
}

int attention_add_silenced(struct attention *a, const struct attn_item *item, const char *silence,
                           const char *reason)
{
    if (a->n_silenced == a->cap_silenced) {
        size_t cap = a->cap_silenced ? a->cap_silenced * 2 : 8;
        struct attn_silenced *v = realloc(a->silenced, cap * sizeof *v);
        if (!v)
            return -1;
        a->silenced = v;
        a->cap_silenced = cap;
    }
    struct attn_silenced *s = &a->silenced[a->n_silenced];
    int failed = 0;
    s->silence = copy(silence, &failed);
    s->reason = copy(reason, &failed);
    if (failed || copy_item(&s->item, item)) {
        free(s->silence);
        free(s->reason);
        return -1;
    }
    a->n_silenced++;
    return 0;
}

static int cmp_item(const void *x, const void *y)
{
    const struct attn_item *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->instance ? a->instance : "", b->instance ? b->instance : "");
    if (c)
        return c;
    return a->etl_id < b->etl_id ? -1 : a->etl_id > b->etl_id;
}

static int cmp_silenced(const void *x, const void *y)
{
    return cmp_item(&((const struct attn_silenced *)x)->item,
                    &((const struct attn_silenced *)y)->item);
}

void attention_sort(struct attention *a)
{
    if (a->n > 1)
        qsort(a->v, a->n, sizeof *a->v, cmp_item);
    if (a->n_silenced > 1)
        qsort(a->silenced, a->n_silenced, sizeof *a->silenced, cmp_silenced);
}

void attention_free(struct attention *a)
{
    for (size_t i = 0; i < a->n; i++)
        free_item(&a->v[i]);
    for (size_t i = 0; i < a->n_silenced; i++) {
        free_item(&a->silenced[i].item);
        free(a->silenced[i].silence);
        free(a->silenced[i].reason);
    }
    free(a->v);
    free(a->silenced);
    memset(a, 0, sizeof *a);
}

/* Appends to buf[*len..size), always terminated. */
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* "Name (id 303, demo)" or "instance demo". */
static void put_subject(char *buf, size_t size, size_t *len, const struct attn_item *it)
{
    if (it->etl_name)
        put(buf, size, len, "%s (id %lld, %s): ", it->etl_name, (long long)it->etl_id,
            it->instance);
    else
        put(buf, size, len, "instance %s: ", it->instance);
}

static void put_instance(char *buf, size_t size, size_t *len, const struct attn_item *it,
                         const char *when)
{
    if (it->kind == ATTN_NEVER_OBSERVED)
        put(buf, size, len, "never observed: the collector has had no successful pass");
    else
        put(buf, size, len, "collector stale: no successful pass since %s", when);
    if (it->detail)
        put(buf, size, len, "; last error: %s", it->detail);
}

static void put_rate(char *buf, size_t size, size_t *len, const struct attn_item *it,
                     const char *what)
{
    char pct[NUM_BUF];
    numfmt_fixed(it->value, 1, pct);
    put(buf, size, len, "%s rate %s %% (%lld of %lld finished %s)", what, pct, (long long)it->count,
        (long long)it->of, numfmt_plural(it->of, "run", "runs"));
}

static void put_failing(char *buf, size_t size, size_t *len, const struct attn_item *it,
                        const char *when)
{
    const char *latest = it->detail ? it->detail : outcome_word(OUT_ERROR);
    if (it->count == 1)
        put(buf, size, len, "failing: the latest finished run failed (%s), started %s", latest,
            when);
    else
        put(buf, size, len, "failing: the last %lld finished runs failed (latest %s), since %s",
            (long long)it->count, latest, when);
    if (it->of > 0)
        put(buf, size, len, "; %lld of %lld finished %s in the window failed", (long long)it->value,
            (long long)it->of, numfmt_plural(it->of, "run", "runs"));
}

char *attention_line(const struct attn_item *it, const char *tz, char *buf, size_t size)
{
    char when[ZONE_TIME_BUF] = "?", n[NUM_BUF];
    size_t len = 0;
    buf[0] = '\0';
    if (it->has_since)
        zone_format(tz, it->since, "%Y-%m-%d %H:%M", when, sizeof when);
    put_subject(buf, size, &len, it);
    switch (it->kind) {
    case ATTN_NEVER_OBSERVED:
    case ATTN_STALE:
        put_instance(buf, size, &len, it, when);
        break;
    case ATTN_DELETED:
        put(buf, size, &len, "deleted from CO: gone by %s (the first poll that found it missing)",
            when);
        if (it->detail)
            put(buf, size, &len, " (%s)", it->detail);
        break;
    case ATTN_FAILING:
        put_failing(buf, size, &len, it, when);
        break;
    case ATTN_OVERDUE_NOW:
        numfmt_duration(it->value * 10, n);
        put(buf, size, &len, "overdue: RUNNING since %s, beyond its limit of %s", when, n);
        break;
    case ATTN_MISSED:
        put(buf, size, &len, "%lld missed %s (expected start with no run), the first at %s",
            (long long)it->count, numfmt_plural(it->count, "run", "runs"), when);
        break;
    case ATTN_UNSCHEDULED:
        put(buf, size, &len, "no longer scheduled: left ENDED after %s, not rescheduled", when);
        numfmt_duration(it->value * 10, n);
        if (it->value > 0)
            put(buf, size, &len, " (it started every %s before)", n);
        break;
    case ATTN_LATE:
        numfmt_duration(it->value * 10, n);
        put(buf, size, &len, "%lld late %s, the latest at %s; up to %s late", (long long)it->count,
            numfmt_plural(it->count, "start", "starts"), when, n);
        break;
    case ATTN_FAILURE_RATE:
        put_rate(buf, size, &len, it, "failure");
        break;
    case ATTN_ABORT_RATE:
        put_rate(buf, size, &len, it, "abort");
        break;
    case ATTN_GAPS:
        numfmt_fixed(it->value, 1, n);
        put(buf, size, &len,
            "observation gaps: %lld of %lld %s observed over less than the "
            "whole window (lowest %s %%)",
            (long long)it->count, (long long)it->of, numfmt_plural(it->of, "ETL", "ETLs"), n);
        break;
    }
    return buf;
}

char *attention_silenced_line(const struct attn_silenced *s, const char *tz, char *buf, size_t size)
{
    attention_line(&s->item, tz, buf, size);
    size_t len = strlen(buf);
    put(buf, size, &len, "; silenced by %s: %s", s->silence, s->reason);
    return buf;
}
