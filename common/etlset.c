#include "etlset.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Generous, but keeps a typo such as "1-999999999" from expanding into a billion polls. */
#define ETLSET_MAX_IDS 1000000

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

static int parse_id(const char **pp, int64_t *out)
{
    const char *p = *pp;
    if (!isdigit((unsigned char)*p))
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (errno || v > INT32_MAX)
        return -1;
    *out = v;
    *pp = end;
    return 0;
}

static int cmp_range(const void *a, const void *b)
{
    const struct etl_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorted, merged ranges make lookups a binary search and counts exact. */
static void normalise(struct etlset *set)
{
    if (set->n == 0)
        return;
    qsort(set->ranges, set->n, sizeof *set->ranges, cmp_range);
    size_t w = 0;
    for (size_t r = 1; r < set->n; r++) {
        if (set->ranges[r].lo <= set->ranges[w].hi + 1) {
            if (set->ranges[r].hi > set->ranges[w].hi)
                set->ranges[w].hi = set->ranges[r].hi;
        } else {
            set->ranges[++w] = set->ranges[r];
        }
    }
    set->n = w + 1;
}

static int add_range(struct etlset *set, int64_t lo, int64_t hi)
{
    struct etl_range *r = realloc(set->ranges, (set->n + 1) * sizeof *r);
    if (!r)
        return -1;
    set->ranges = r;
    set->ranges[set->n++] = (struct etl_range){lo, hi};
    return 0;
}

int etlset_parse(const char *text, struct etlset *set, char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    const char *p = skip_space(text ? text : "");
    if (strncasecmp(p, "all", 3) == 0 && *skip_space(p + 3) == '\0') {
        set->all = 1;
        return 0;
    }
    while (*p) {
        int64_t lo, hi;
        const char *item = p;
        if (parse_id(&p, &lo))
            goto bad;
        hi = lo;
        p = skip_space(p);
        if (*p == '-') {
            p = skip_space(p + 1);
            if (parse_id(&p, &hi) || hi < lo)
                goto bad;
            p = skip_space(p);
        }
        if (hi - lo >= ETLSET_MAX_IDS || add_range(set, lo, hi))
            goto bad;
        if (*p == ',') {
            p = skip_space(p + 1);
            if (!*p)
                goto bad; /* a trailing comma usually means a lost id */
        } else if (*p) {
            goto bad;
        }
        continue;
    bad:
        snprintf(err, errlen, "bad ETL id or range at \"%.20s\" (expected e.g. 321, 500-520)",
                 item);
        etlset_free(set);
        return -1;
    }
    if (set->n == 0) {
        snprintf(err, errlen, "empty ETL list (use \"all\" or ids such as 321, 500-520)");
        return -1;
    }
    normalise(set);
    if (etlset_count(set) > ETLSET_MAX_IDS) {
        snprintf(err, errlen, "ETL list names more than %d ids", ETLSET_MAX_IDS);
        etlset_free(set);
        return -1;
    }
    return 0;
}

int etlset_contains(const struct etlset *set, int64_t id)
{
    if (set->all)
        return 1;
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (id < set->ranges[mid].lo)
            hi = mid;
        else if (id > set->ranges[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

size_t etlset_count(const struct etlset *set)
{
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        n += (size_t)(set->ranges[i].hi - set->ranges[i].lo + 1);
    return n;
}

void etlset_free(struct etlset *set)
{
    free(set->ranges);
    set->ranges = NULL;
    set->n = 0;
}
