#include "pick.h"

#include <stdlib.h>
#include <string.h>

static int64_t fails(const struct pick *p)
{
    return p->failed + p->aborted;
}

static int by_order(const struct pick *a, const struct pick *b)
{
    return a->order < b->order ? -1 : a->order > b->order;
}

/* < 0 when a ranks before b. */
static int cmp_slow(const struct pick *a, const struct pick *b)
{
    if (a->p95 != b->p95)
        return a->p95 > b->p95 ? -1 : 1;
    if (a->p50 != b->p50)
        return a->p50 > b->p50 ? -1 : 1;
    return by_order(a, b);
}

static int cmp_fail(const struct pick *a, const struct pick *b)
{
    if (fails(a) != fails(b))
        return fails(a) > fails(b) ? -1 : 1;
    /* a larger share of finished runs first: fa / na > fb / nb, without division */
    int64_t x = fails(a) * b->finished, y = fails(b) * a->finished;
    if (x != y)
        return x > y ? -1 : 1;
    return by_order(a, b);
}

static int cmp_in(enum pick_list list, const struct pick *a, const struct pick *b)
{
    return list == PICK_SLOW ? cmp_slow(a, b) : cmp_fail(a, b);
}

static size_t capacity(enum pick_list list)
{
    return list == PICK_HEAT ? PICK_HEAT_ROWS : list == PICK_ATTN ? PICK_ATTN_CHARTS : PICK_CHARTS;
}

void pick_free(struct pick *p)
{
    if (!p)
        return;
    free(p->instance);
    free(p->name);
    free(p->run);
    free(p->day_runs);
    free(p->day_fails);
    free(p);
}

/* A list over capacity loses its last member. */
static void trim(struct picks *ps, enum pick_list list)
{
    size_t members = 0, worst = ps->n;
    for (size_t i = 0; i < ps->n; i++) {
        if (!(ps->v[i]->lists & list))
            continue;
        members++;
        if (worst == ps->n || cmp_in(list, ps->v[i], ps->v[worst]) > 0)
            worst = i;
    }
    if (members > capacity(list))
        ps->v[worst]->lists &= ~(unsigned)list;
}

/* Frees what no list needs any more, and the picks that are in no list. */
static void sweep(struct picks *ps)
{
    size_t kept = 0;
    for (size_t i = 0; i < ps->n; i++) {
        struct pick *p = ps->v[i];
        if (!(p->lists & (PICK_SLOW | PICK_FAIL | PICK_ATTN))) {
            free(p->run);
            p->run = NULL;
            p->nrun = 0;
        }
        if (!(p->lists & PICK_HEAT)) {
            free(p->day_runs);
            free(p->day_fails);
            p->day_runs = p->day_fails = NULL;
        }
        if (p->lists)
            ps->v[kept++] = p;
        else
            pick_free(p);
    }
    ps->n = kept;
}

int picks_offer(struct picks *ps, struct pick *p)
{
    p->lists = (p->p95 >= 0 ? PICK_SLOW : 0) | (fails(p) > 0 ? PICK_FAIL | PICK_HEAT : 0) |
               (p->attention ? PICK_ATTN : 0);
    if (!p->lists) {
        pick_free(p);
        return 0;
    }
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 16;
        struct pick **v = realloc(ps->v, cap * sizeof *v);
        if (!v) {
            pick_free(p);
            return -1;
        }
        ps->v = v;
        ps->cap = cap;
    }
    ps->v[ps->n++] = p;
    trim(ps, PICK_SLOW);
    trim(ps, PICK_FAIL);
    trim(ps, PICK_HEAT);
    trim(ps, PICK_ATTN);
    sweep(ps);
    return 0;
}

size_t picks_list(const struct picks *ps, enum pick_list list, const struct pick **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n && n < max; i++) {
        if (!(ps->v[i]->lists & list))
            continue;
        size_t j = n++; /* insertion sort: a list holds at most PICK_HEAT_ROWS */
        for (; j > 0 && cmp_in(list, ps->v[i], out[j - 1]) < 0; j--)
            out[j] = out[j - 1];
        out[j] = ps->v[i];
    }
    return n;
}

void picks_free(struct picks *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        pick_free(ps->v[i]);
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}
