/*
 * scenario.c - scenario parsing and the pure state-at-time function of
 * the fake CO server.  No I/O here: the caller reads the file.
 */
#include "scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

struct line_ctx {
    const char *name;
    int line;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 2, 3))) static bool fail(const struct line_ctx *lc, const char *fmt,
                                                       ...)
{
    va_list ap;
    int n = snprintf(lc->err, lc->errlen, "%s:%d: ", lc->name, lc->line);

    if (n < 0 || (size_t)n >= lc->errlen)
        return false;
    va_start(ap, fmt);
    vsnprintf(lc->err + n, lc->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

bool scenario_parse_i64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    /* strtoll alone would accept leading blanks, '+' and trailing junk */
    if (s == NULL || !((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (int64_t)v;
    return true;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

/* ------------------------------------------------------------------ */
/* Tokenizer                                                           */
/* ------------------------------------------------------------------ */

/* One word of a line: `key=val`, or a bare word (val == NULL). */
struct tok {
    const char *key;
    char *val;
};

struct toks {
    struct tok *v;
    size_t n;
    size_t cap;
};

static bool toks_push(struct toks *t, char *key, char *val)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct tok *v = realloc(t->v, cap * sizeof *v);

        if (v == NULL)
            return false;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].key = key;
    t->v[t->n].val = val;
    t->n++;
    return true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Unescapes one token in place starting at *rp; the result never grows,
 * so writing behind the read pointer is safe.  Returns the value part
 * (after the first unquoted '=') or NULL via *val.
 */
static bool read_token(char **rp, char **val, const struct line_ctx *lc)
{
    char *r = *rp, *w = *rp;
    bool in_q = false;
    char c;

    *val = NULL;
    while (*r != '\0' && (in_q || !is_blank(*r))) {
        if (*r == '"') {
            in_q = !in_q;
            r++;
        } else if (in_q && *r == '\\') {
            if (r[1] != '"' && r[1] != '\\')
                return fail(lc, "bad escape \\%c (only \\\" and \\\\)", r[1] ? r[1] : ' ');
            *w++ = r[1];
            r += 2;
        } else if (!in_q && *r == '=' && *val == NULL) {
            *w++ = '\0';
            *val = w;
            r++;
        } else {
            *w++ = *r++;
        }
    }
    if (in_q)
        return fail(lc, "unterminated quote");
    c = *r;
    if (c != '\0')
        r++;
    *w = '\0';
    *rp = r;
    return true;
}

/* Splits a mutable line into tokens; '#' at a token start ends it. */
static bool tokenize(char *s, struct toks *t, const struct line_ctx *lc)
{
    t->n = 0;
    for (;;) {
        char *start, *val;

        while (is_blank(*s))
            s++;
        if (*s == '\0' || *s == '#')
            return true;
        start = s;
        if (!read_token(&s, &val, lc))
            return false;
        if (*start == '\0')
            return fail(lc, "empty key or token");
        if (!toks_push(t, start, val))
            return fail(lc, "out of memory");
    }
}

/* ------------------------------------------------------------------ */
/* Value parsers                                                       */
/* ------------------------------------------------------------------ */

static bool parse_int(const char *key, const char *val, int64_t lo, int64_t hi, int64_t *out,
                      const struct line_ctx *lc)
{
    if (val == NULL)
        return fail(lc, "%s needs a value", key);
    if (!scenario_parse_i64(val, out) || *out < lo || *out > hi)
        return fail(lc, "bad %s \"%s\" (integer in [%lld, %lld])", key, val, (long long)lo,
                    (long long)hi);
    return true;
}

static bool parse_range(const struct tok *t, int64_t lo, int64_t hi, int64_t *out,
                        const struct line_ctx *lc)
{
    return parse_int(t->key, t->val, lo, hi, out, lc);
}

static bool parse_time(const struct tok *t, int64_t *out, const struct line_ctx *lc)
{
    return parse_range(t, -SCENARIO_TIME_MAX, SCENARIO_TIME_MAX, out, lc);
}

static size_t count_items(const char *s)
{
    size_t n = 1;

    for (; *s; s++)
        n += (*s == ',');
    return n;
}

static bool parse_durations(const struct tok *t, struct fake_etl *e, const struct line_ctx *lc)
{
    size_t n = count_items(t->val), i = 0;
    char *p = t->val;

    e->durations = calloc(n, sizeof *e->durations);
    if (e->durations == NULL)
        return fail(lc, "out of memory");
    for (i = 0; i < n; i++) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (!parse_int("duration", p, 0, SCENARIO_TIME_MAX, &e->durations[i], lc))
            return false;
        e->n_durations = i + 1;
        p = comma ? comma + 1 : p;
    }
    return true;
}

static bool parse_outcomes(const struct tok *t, struct fake_etl *e, const struct line_ctx *lc)
{
    size_t n = count_items(t->val), i;
    char *p = t->val;

    e->outcomes = calloc(n, sizeof *e->outcomes);
    if (e->outcomes == NULL)
        return fail(lc, "out of memory");
    for (i = 0; i < n; i++) {
        char *comma = strchr(p, ',');

        if (comma != NULL)
            *comma = '\0';
        if (*p == '\0')
            return fail(lc, "empty item in outcomes");
        e->outcomes[i] = dup_str(p);
        if (e->outcomes[i] == NULL)
            return fail(lc, "out of memory");
        e->n_outcomes = i + 1;
        p = comma ? comma + 1 : p;
    }
    return true;
}

/* starts=T1,T2,...: at least one time, strictly ascending. */
static bool parse_starts(const struct tok *t, struct fake_etl *e, const struct line_ctx *lc)
{
    size_t n = count_items(t->val), i;
    char *p = t->val;

    e->starts = calloc(n, sizeof *e->starts);
    if (e->starts == NULL)
        return fail(lc, "out of memory");
    for (i = 0; i < n; i++) {
        char *comma = strchr(p, ',');

        if (comma != NULL)
            *comma = '\0';
        if (!parse_int("starts", p, -SCENARIO_TIME_MAX, SCENARIO_TIME_MAX, &e->starts[i], lc))
            return false;
        if (i > 0 && e->starts[i] <= e->starts[i - 1])
            return fail(lc, "starts must be strictly ascending (%lld after %lld)",
                        (long long)e->starts[i], (long long)e->starts[i - 1]);
        e->n_starts = i + 1;
        p = comma ? comma + 1 : p;
    }
    return true;
}

static const int http_fault_codes[] = {400, 401, 403, 429, 500, 502, 503, 504};

static const struct {
    const char *name;
    enum fake_fault_kind kind;
} fault_names[] = {
    {"empty204", FAKE_FAULT_EMPTY204},   {"malformed", FAKE_FAULT_MALFORMED},
    {"truncated", FAKE_FAULT_TRUNCATED}, {"wrongtypes", FAKE_FAULT_WRONGTYPES},
    {"huge", FAKE_FAULT_HUGE},           {"badutf8", FAKE_FAULT_BADUTF8},
    {"nested", FAKE_FAULT_NESTED},       {"unknownstatus", FAKE_FAULT_UNKNOWNSTATUS},
    {"slow", FAKE_FAULT_SLOW},           {"hang", FAKE_FAULT_HANG},
    {"drip", FAKE_FAULT_DRIP},           {"close", FAKE_FAULT_CLOSE},
};

static bool parse_fault_kind(const char *s, struct fake_fault *f, const struct line_ctx *lc)
{
    int64_t code;
    size_t i;

    if (s == NULL)
        return fail(lc, "fault needs a kind");
    if (scenario_parse_i64(s, &code)) {
        for (i = 0; i < sizeof http_fault_codes / sizeof *http_fault_codes; i++)
            if (code == http_fault_codes[i]) {
                f->kind = FAKE_FAULT_HTTP;
                f->http_code = (int)code;
                return true;
            }
        return fail(lc, "fault code %s not one of 400 401 403 429 500 502 503 504", s);
    }
    for (i = 0; i < sizeof fault_names / sizeof *fault_names; i++)
        if (strcmp(s, fault_names[i].name) == 0) {
            f->kind = fault_names[i].kind;
            return true;
        }
    return fail(lc, "unknown fault kind \"%s\"", s);
}

/* fault_from / fault_until / delay_ms; returns 1 handled, 0 not, -1 error */
static int apply_fault_attr(const struct tok *t, struct fake_fault *f, const struct line_ctx *lc)
{
    int64_t v;

    if (strcmp(t->key, "fault_from") == 0) {
        if (!parse_time(t, &f->from, lc))
            return -1;
        f->has_from = true;
    } else if (strcmp(t->key, "fault_until") == 0) {
        if (!parse_time(t, &f->until, lc))
            return -1;
        f->has_until = true;
    } else if (strcmp(t->key, "delay_ms") == 0) {
        if (!parse_range(t, 0, 3600000, &v, lc))
            return -1;
        f->delay_ms = (int)v;
    } else {
        return 0;
    }
    return 1;
}

static bool check_fault(const struct fake_fault *f, bool delay_set, const struct line_ctx *lc)
{
    if (f->kind == FAKE_FAULT_NONE && (f->has_from || f->has_until))
        return fail(lc, "fault_from/fault_until need a fault");
    if (delay_set && f->kind != FAKE_FAULT_SLOW)
        return fail(lc, "delay_ms needs fault=slow");
    if (f->has_from && f->has_until && f->from >= f->until)
        return fail(lc, "fault_from must be before fault_until");
    return true;
}

/* ------------------------------------------------------------------ */
/* etl lines                                                           */
/* ------------------------------------------------------------------ */

enum etl_attr {
    A_NAME,
    A_PERIOD,
    A_OFFSET,
    A_DURATION,
    A_OUTCOMES,
    A_TASK,
    A_ON,
    A_NEVER,
    A_JITTER,
    A_DELETED,
    A_FAULT,
    A_FAULT_FROM,
    A_FAULT_UNTIL,
    A_DELAY_MS,
    A_SERVICE,
    A_ENDED,
    A_STARTS,
    A_ENDED_FROM,
    A_COUNT
};

static const char *const attr_names[A_COUNT] = {
    "name",        "period",   "offset",  "duration", "outcomes", "task",
    "on",          "never",    "jitter",  "deleted",  "fault",    "fault_from",
    "fault_until", "delay_ms", "service", "ended",    "starts",   "ended_from"};

static int find_attr(const char *key)
{
    int i;

    for (i = 0; i < A_COUNT; i++)
        if (strcmp(key, attr_names[i]) == 0)
            return i;
    return -1;
}

static bool parse_never(const struct tok *t, struct fake_etl *e, const struct line_ctx *lc)
{
    if (strcmp(t->val, "missing") == 0)
        e->never = FAKE_NEVER_MISSING;
    else if (strcmp(t->val, "null") == 0)
        e->never = FAKE_NEVER_NULL;
    else if (strcmp(t->val, "empty") == 0)
        e->never = FAKE_NEVER_EMPTY;
    else
        return fail(lc, "never must be missing, null or empty, not \"%s\"", t->val);
    return true;
}

/* Attributes that take a value; flags are handled by the caller. */
static bool apply_valued(int a, const struct tok *t, struct fake_etl *e, const struct line_ctx *lc)
{
    switch (a) {
    case A_NAME:
        e->name = dup_str(t->val);
        return e->name != NULL || fail(lc, "out of memory");
    case A_PERIOD:
        return parse_range(t, -SCENARIO_TIME_MAX, SCENARIO_TIME_MAX, &e->period, lc);
    case A_OFFSET:
        return parse_time(t, &e->offset, lc);
    case A_DURATION:
        return parse_durations(t, e, lc);
    case A_OUTCOMES:
        return parse_outcomes(t, e, lc);
    case A_TASK:
        return parse_range(t, INT64_MIN, INT64_MAX, &e->task_id, lc);
    case A_ON:
        return parse_range(t, 0, SCENARIO_TIME_MAX, &e->on, lc);
    case A_NEVER:
        return parse_never(t, e, lc);
    case A_JITTER:
        return parse_range(t, 0, SCENARIO_TIME_MAX, &e->jitter, lc);
    case A_DELETED:
        e->has_deleted = true;
        return parse_time(t, &e->deleted, lc);
    case A_FAULT:
        return parse_fault_kind(t->val, &e->fault, lc);
    case A_STARTS:
        return parse_starts(t, e, lc);
    case A_ENDED_FROM:
        e->has_ended_from = true;
        return parse_time(t, &e->ended_from, lc);
    default:
        return apply_fault_attr(t, &e->fault, lc) == 1;
    }
}

static bool apply_etl_attr(const struct tok *t, struct fake_etl *e, unsigned *seen,
                           const struct line_ctx *lc)
{
    int a = find_attr(t->key);
    bool is_flag = (a == A_SERVICE || a == A_ENDED);

    if (a < 0)
        return fail(lc, "etl %lld: unknown key \"%s\"", (long long)e->id, t->key);
    if (*seen & (1u << a))
        return fail(lc, "etl %lld: duplicate %s", (long long)e->id, t->key);
    *seen |= 1u << a;
    if (is_flag && t->val != NULL)
        return fail(lc, "etl %lld: %s is a flag and takes no value", (long long)e->id, t->key);
    if (!is_flag && t->val == NULL)
        return fail(lc, "etl %lld: %s needs a value", (long long)e->id, t->key);
    if (a == A_SERVICE)
        e->kind = FAKE_ETL_SERVICE;
    else if (a == A_ENDED)
        e->ended = true;
    else
        return apply_valued(a, t, e, lc);
    return true;
}

#define SEEN(a) ((seen & (1u << (a))) != 0)

static bool check_service(struct fake_etl *e, unsigned seen, const struct line_ctx *lc)
{
    /* a service with a period but no on= is on all the time */
    if (!SEEN(A_ON))
        e->on = e->period;
    if (SEEN(A_DURATION) || SEEN(A_OUTCOMES) || SEEN(A_JITTER) || SEEN(A_ENDED) || SEEN(A_STARTS) ||
        SEEN(A_ENDED_FROM))
        return fail(lc,
                    "etl %lld: service ETLs take no duration, outcomes, "
                    "jitter, starts, ended or ended_from",
                    (long long)e->id);
    if (SEEN(A_ON) && !SEEN(A_PERIOD))
        return fail(lc, "etl %lld: on= needs period=", (long long)e->id);
    if (e->on > e->period)
        return fail(lc, "etl %lld: on= must not exceed period", (long long)e->id);
    return true;
}

static bool check_scheduled(const struct fake_etl *e, unsigned seen, const struct line_ctx *lc)
{
    if (e->n_starts == 0 && e->jitter >= e->period)
        return fail(lc, "etl %lld: jitter must be smaller than period", (long long)e->id);
    if (SEEN(A_ON))
        return fail(lc, "etl %lld: on= is only for service ETLs", (long long)e->id);
    if (SEEN(A_ENDED) && SEEN(A_ENDED_FROM))
        return fail(lc, "etl %lld: ended and ended_from exclude each other", (long long)e->id);
    return true;
}

/* starts= replaces period, offset and jitter. */
static bool check_starts(const struct fake_etl *e, unsigned seen, const struct line_ctx *lc)
{
    if (SEEN(A_PERIOD) || SEEN(A_OFFSET) || SEEN(A_JITTER))
        return fail(lc, "etl %lld: starts excludes period, offset and jitter", (long long)e->id);
    return check_scheduled(e, seen, lc);
}

static bool check_etl(struct fake_etl *e, unsigned seen, const struct line_ctx *lc)
{
    e->has_period = SEEN(A_PERIOD);
    if (e->has_period && e->period <= 0)
        return fail(lc, "etl %lld: period must be > 0", (long long)e->id);
    if (!check_fault(&e->fault, SEEN(A_DELAY_MS), lc))
        return false;
    if (e->kind == FAKE_ETL_SERVICE)
        return check_service(e, seen, lc);
    if (SEEN(A_STARTS)) {
        e->kind = FAKE_ETL_SCHEDULED;
        return check_starts(e, seen, lc);
    }
    if (e->has_period) {
        e->kind = FAKE_ETL_SCHEDULED;
        return check_scheduled(e, seen, lc);
    }
    if (SEEN(A_OFFSET) || SEEN(A_DURATION) || SEEN(A_OUTCOMES) || SEEN(A_JITTER) || SEEN(A_ON) ||
        SEEN(A_ENDED) || SEEN(A_ENDED_FROM))
        return fail(lc,
                    "etl %lld: offset, duration, outcomes, jitter, on, "
                    "ended and ended_from need period= or starts=",
                    (long long)e->id);
    return true;
}

#undef SEEN

static void etl_free(struct fake_etl *e)
{
    size_t i;

    free(e->name);
    free(e->durations);
    free(e->starts);
    for (i = 0; i < e->n_outcomes; i++)
        free(e->outcomes[i]);
    free(e->outcomes);
}

/* Fills in what the line did not say. */
static bool etl_defaults(struct fake_etl *e, const struct line_ctx *lc)
{
    char buf[64];

    if (e->name == NULL) {
        snprintf(buf, sizeof buf, "ETL %lld", (long long)e->id);
        e->name = dup_str(buf);
    }
    if (e->kind == FAKE_ETL_SCHEDULED && e->n_durations == 0) {
        e->durations = calloc(1, sizeof *e->durations);
        e->n_durations = e->durations ? 1 : 0;
    }
    if (e->kind == FAKE_ETL_SCHEDULED && e->n_outcomes == 0) {
        e->outcomes = calloc(1, sizeof *e->outcomes);
        if (e->outcomes != NULL && (e->outcomes[0] = dup_str("OK")) != NULL)
            e->n_outcomes = 1;
    }
    if (e->name == NULL ||
        (e->kind == FAKE_ETL_SCHEDULED && (e->n_durations == 0 || e->n_outcomes == 0)))
        return fail(lc, "out of memory");
    return true;
}

static bool etls_push(struct fake_scenario *sc, size_t *cap, const struct fake_etl *e)
{
    if (sc->n_etls == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct fake_etl *v = realloc(sc->etls, ncap * sizeof *v);

        if (v == NULL)
            return false;
        sc->etls = v;
        *cap = ncap;
    }
    sc->etls[sc->n_etls++] = *e;
    return true;
}

static bool parse_etl(struct fake_scenario *sc, size_t *cap, const struct toks *t,
                      const struct line_ctx *lc)
{
    struct fake_etl e;
    unsigned seen = 0;
    size_t i;

    memset(&e, 0, sizeof e);
    e.line = lc->line;
    e.fault.delay_ms = 2000;
    if (t->n < 2 || t->v[1].val != NULL)
        return fail(lc, "etl needs an id");
    if (!scenario_parse_i64(t->v[1].key, &e.id) || e.id < 0 || e.id > INT64_MAX - 1000)
        return fail(lc, "bad etl id \"%s\"", t->v[1].key);
    e.task_id = e.id + 1000;
    for (i = 2; i < t->n; i++)
        if (!apply_etl_attr(&t->v[i], &e, &seen, lc))
            goto bad;
    if (!check_etl(&e, seen, lc) || !etl_defaults(&e, lc))
        goto bad;
    if (!etls_push(sc, cap, &e)) {
        fail(lc, "out of memory");
        goto bad;
    }
    return true;
bad:
    etl_free(&e);
    return false;
}

/* ------------------------------------------------------------------ */
/* Global lines                                                        */
/* ------------------------------------------------------------------ */

struct parse_state {
    struct fake_scenario *sc;
    size_t etl_cap;
    int line_token, line_keys, line_skew, line_list_fault;
};

static bool once(int *first_line, const char *what, const struct line_ctx *lc)
{
    if (*first_line != 0)
        return fail(lc, "duplicate %s line (first at line %d)", what, *first_line);
    *first_line = lc->line;
    return true;
}

static bool one_bare_arg(const struct toks *t, const struct line_ctx *lc)
{
    if (t->n != 2 || t->v[1].val != NULL)
        return fail(lc, "%s takes exactly one value", t->v[0].key);
    return true;
}

static bool parse_token_line(struct parse_state *ps, const struct toks *t,
                             const struct line_ctx *lc)
{
    if (!once(&ps->line_token, "token", lc) || !one_bare_arg(t, lc))
        return false;
    ps->sc->token = dup_str(t->v[1].key);
    return ps->sc->token != NULL || fail(lc, "out of memory");
}

static bool parse_skew_line(struct parse_state *ps, const struct toks *t, const struct line_ctx *lc)
{
    if (!once(&ps->line_skew, "skew", lc) || !one_bare_arg(t, lc))
        return false;
    return parse_int("skew", t->v[1].key, -SCENARIO_TIME_MAX, SCENARIO_TIME_MAX, &ps->sc->skew, lc);
}

static bool set_key(char **slot, const struct tok *t, const struct line_ctx *lc)
{
    if (*slot != NULL)
        return fail(lc, "duplicate %s", t->key);
    if (t->val == NULL)
        return fail(lc, "%s needs a value", t->key);
    *slot = dup_str(t->val);
    return *slot != NULL || fail(lc, "out of memory");
}

static bool parse_keys_line(struct parse_state *ps, const struct toks *t, const struct line_ctx *lc)
{
    struct fake_scenario *sc = ps->sc;
    size_t i;

    if (!once(&ps->line_keys, "keys", lc))
        return false;
    for (i = 1; i < t->n; i++) {
        const char *k = t->v[i].key;
        char **slot = strcmp(k, "tenant_id") == 0           ? &sc->tenant_id
                      : strcmp(k, "access_key") == 0        ? &sc->access_key
                      : strcmp(k, "access_secret_key") == 0 ? &sc->access_secret_key
                                                            : NULL;

        if (slot == NULL)
            return fail(lc, "keys: unknown key \"%s\"", k);
        if (!set_key(slot, &t->v[i], lc))
            return false;
    }
    if (!sc->tenant_id || !sc->access_key || !sc->access_secret_key)
        return fail(lc, "keys needs tenant_id, access_key and access_secret_key");
    sc->has_keys = true;
    return true;
}

static bool parse_list_fault_line(struct parse_state *ps, const struct toks *t,
                                  const struct line_ctx *lc)
{
    struct fake_fault *f = &ps->sc->list_fault;
    bool delay_set = false;
    size_t i;

    if (!once(&ps->line_list_fault, "list_fault", lc))
        return false;
    if (t->n < 2 || t->v[1].val != NULL)
        return fail(lc, "list_fault needs a fault kind");
    if (!parse_fault_kind(t->v[1].key, f, lc))
        return false;
    for (i = 2; i < t->n; i++) {
        int r = t->v[i].val ? apply_fault_attr(&t->v[i], f, lc) : 0;

        if (r < 0)
            return false;
        if (r == 0)
            return fail(lc, "list_fault: unknown key \"%s\"", t->v[i].key);
        delay_set |= strcmp(t->v[i].key, "delay_ms") == 0;
    }
    return check_fault(f, delay_set, lc);
}

static bool parse_line(struct parse_state *ps, const struct toks *t, const struct line_ctx *lc)
{
    const char *d;

    if (t->n == 0)
        return true;
    d = t->v[0].key;
    if (t->v[0].val != NULL)
        return fail(lc, "expected a directive, got \"%s=\"", d);
    if (strcmp(d, "etl") == 0)
        return parse_etl(ps->sc, &ps->etl_cap, t, lc);
    if (strcmp(d, "token") == 0)
        return parse_token_line(ps, t, lc);
    if (strcmp(d, "keys") == 0)
        return parse_keys_line(ps, t, lc);
    if (strcmp(d, "skew") == 0)
        return parse_skew_line(ps, t, lc);
    if (strcmp(d, "list_fault") == 0)
        return parse_list_fault_line(ps, t, lc);
    return fail(lc, "unknown directive \"%s\"", d);
}

/* ------------------------------------------------------------------ */
/* Whole file                                                          */
/* ------------------------------------------------------------------ */

static int cmp_etl_ptr(const void *a, const void *b)
{
    const struct fake_etl *x = *(const struct fake_etl *const *)a;
    const struct fake_etl *y = *(const struct fake_etl *const *)b;

    return (x->id > y->id) - (x->id < y->id);
}

static bool build_index(struct fake_scenario *sc, struct line_ctx *lc)
{
    size_t i;

    sc->by_id = malloc((sc->n_etls ? sc->n_etls : 1) * sizeof *sc->by_id);
    if (sc->by_id == NULL)
        return fail(lc, "out of memory");
    for (i = 0; i < sc->n_etls; i++)
        sc->by_id[i] = &sc->etls[i];
    qsort(sc->by_id, sc->n_etls, sizeof *sc->by_id, cmp_etl_ptr);
    for (i = 1; i < sc->n_etls; i++)
        if (sc->by_id[i]->id == sc->by_id[i - 1]->id) {
            const struct fake_etl *a = sc->by_id[i - 1], *b = sc->by_id[i];

            lc->line = a->line > b->line ? a->line : b->line;
            return fail(lc, "duplicate etl id %lld (also at line %d)", (long long)a->id,
                        a->line < b->line ? a->line : b->line);
        }
    return true;
}

static bool parse_text(struct parse_state *ps, const char *text, size_t len, struct line_ctx *lc)
{
    struct toks t = {NULL, 0, 0};
    char *buf = malloc(len + 1);
    size_t pos = 0;
    bool ok = buf != NULL || fail(lc, "out of memory");

    while (ok && pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

        lc->line++;
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        if (memchr(buf, '\0', n) != NULL)
            ok = fail(lc, "NUL byte in line");
        else
            ok = tokenize(buf, &t, lc) && parse_line(ps, &t, lc);
        pos += n + 1;
    }
    free(t.v);
    free(buf);
    return ok;
}

struct fake_scenario *scenario_parse(const char *text, size_t len, const char *name, char *err,
                                     size_t errlen)
{
    struct line_ctx lc = {name, 0, err, errlen};
    struct parse_state ps;

    memset(&ps, 0, sizeof ps);
    ps.sc = calloc(1, sizeof *ps.sc);
    if (ps.sc == NULL) {
        fail(&lc, "out of memory");
        return NULL;
    }
    ps.sc->list_fault.delay_ms = 2000;
    if (!parse_text(&ps, text, len, &lc) || !build_index(ps.sc, &lc)) {
        scenario_free(ps.sc);
        return NULL;
    }
    return ps.sc;
}

void scenario_free(struct fake_scenario *sc)
{
    size_t i;

    if (sc == NULL)
        return;
    for (i = 0; i < sc->n_etls; i++)
        etl_free(&sc->etls[i]);
    free(sc->etls);
    free(sc->by_id);
    free(sc->token);
    free(sc->tenant_id);
    free(sc->access_key);
    free(sc->access_secret_key);
    free(sc);
}

static int cmp_id_key(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key;
    const struct fake_etl *e = *(const struct fake_etl *const *)elem;

    return (id > e->id) - (id < e->id);
}

const struct fake_etl *scenario_find(const struct fake_scenario *sc, int64_t id)
{
    const struct fake_etl *const *p;

    if (sc->n_etls == 0)
        return NULL;
    p = bsearch(&id, sc->by_id, sc->n_etls, sizeof *sc->by_id, cmp_id_key);
    return p ? *p : NULL;
}

/* ------------------------------------------------------------------ */
/* State at a given time                                               */
/* ------------------------------------------------------------------ */

bool scenario_fault_active(const struct fake_fault *f, int64_t now)
{
    if (f->kind == FAKE_FAULT_NONE)
        return false;
    if (f->has_from && now < f->from)
        return false;
    if (f->has_until && now >= f->until)
        return false;
    return true;
}

/*
 * murmur3's 64-bit finaliser over (id * golden ratio) ^ k: cheap,
 * deterministic across platforms and well spread for small ids.
 */
int64_t scenario_jitter(const struct fake_etl *e, int64_t k)
{
    uint64_t x;

    if (e->jitter <= 0)
        return 0;
    x = ((uint64_t)e->id * UINT64_C(0x9E3779B97F4A7C15)) ^ (uint64_t)k;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return (int64_t)(x % (uint64_t)(e->jitter + 1));
}

int64_t scenario_run_start(const struct fake_etl *e, int64_t k)
{
    if (e->n_starts > 0)
        return k >= 0 && (uint64_t)k < e->n_starts ? e->starts[k] : SCENARIO_NEVER;
    return e->offset + k * e->period + scenario_jitter(e, k);
}

static void no_value_status(const struct fake_etl *e, struct fake_state *out)
{
    static const enum fake_status_kind map[] = {
        [FAKE_NEVER_MISSING] = FAKE_STATUS_MISSING,
        [FAKE_NEVER_NULL] = FAKE_STATUS_NULL,
        [FAKE_NEVER_EMPTY] = FAKE_STATUS_EMPTY,
    };

    out->status_kind = map[e->never];
}

static void set_status(struct fake_state *out, const char *s)
{
    out->status_kind = FAKE_STATUS_VALUE;
    out->status = s;
}

/* Latest k with starts[k] <= t, by bisection; false when none. */
static bool latest_listed(const struct fake_etl *e, int64_t t, int64_t *k)
{
    size_t lo = 0, hi = e->n_starts;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (e->starts[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    *k = (int64_t)lo - 1;
    return true;
}

/* Latest run k with start_k <= t; false when the first run is ahead. */
static bool latest_run(const struct fake_etl *e, int64_t t, int64_t *k)
{
    int64_t k0;

    if (e->n_starts > 0)
        return latest_listed(e, t, k);
    if (t < e->offset)
        return false;
    k0 = (t - e->offset) / e->period;
    /* jitter < period, so run k0-1 always started before offset+k0*period */
    if (scenario_run_start(e, k0) > t)
        k0--;
    if (k0 < 0)
        return false;
    *k = k0;
    return true;
}

static void scheduled_state(const struct fake_etl *e, int64_t t, struct fake_state *out)
{
    int64_t k, start, dur;
    const char *outcome;

    if (!latest_run(e, t, &k)) {
        no_value_status(e, out);
        return;
    }
    start = scenario_run_start(e, k);
    dur = e->durations[(size_t)(k % (int64_t)e->n_durations)];
    out->run = k;
    out->has_last_exec = true;
    out->last_exec_ts = start;
    if (t < start + dur) {
        set_status(out, "RUNNING");
        return;
    }
    outcome = e->outcomes[(size_t)(k % (int64_t)e->n_outcomes)];
    if (strcmp(outcome, "ABORTED") == 0) {
        set_status(out, "ABORTED");
        out->exit_code = "ERROR";
        return;
    }
    set_status(out, e->ended || (e->has_ended_from && t >= e->ended_from) ? "ENDED" : "WAITING");
    out->exit_code = outcome;
}

static void service_state(const struct fake_etl *e, int64_t t, struct fake_state *out)
{
    bool on;

    if (t < e->offset) {
        no_value_status(e, out);
        return;
    }
    on = !e->has_period || (t - e->offset) % e->period < e->on;
    set_status(out, on ? "SERVICE_ON" : "SERVICE_OFF");
    out->has_last_exec = true;
    out->last_exec_ts = e->offset;
}

int scenario_state(const struct fake_etl *e, int64_t now, struct fake_state *out)
{
    /* keep schedule arithmetic far away from int64 overflow */
    int64_t t = now > 2 * SCENARIO_TIME_MAX    ? 2 * SCENARIO_TIME_MAX
                : now < -2 * SCENARIO_TIME_MAX ? -2 * SCENARIO_TIME_MAX
                                               : now;

    memset(out, 0, sizeof *out);
    out->task_id = e->task_id;
    out->run = -1;
    if (e->has_deleted && t >= e->deleted)
        return -1;
    if (e->kind == FAKE_ETL_SCHEDULED)
        scheduled_state(e, t, out);
    else if (e->kind == FAKE_ETL_SERVICE)
        service_state(e, t, out);
    else
        no_value_status(e, out);
    return 0;
}
