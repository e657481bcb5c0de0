#include "plugin.h"

#include "numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *state_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

const char *plugin_metric_name(size_t i)
{
    return i == PLUGIN_COVERAGE ? "coverage" : attention_kind_name((enum attn_kind)i);
}

/* One bound: a number, or "~" (minus infinity) where a start is allowed. */
static int parse_bound(const char *s, size_t len, int tilde_ok, int *has, double *v)
{
    char buf[40];
    if (len == 1 && s[0] == '~' && tilde_ok) {
        *has = 0;
        return 0;
    }
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    *v = strtod(buf, &end);
    *has = 1;
    return errno || *end || !isfinite(*v) ? -1 : 0;
}

int plugin_range_parse(const char *text, struct plugin_range *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    const char *p = text;
    if (strlen(text) >= sizeof r->text) {
        snprintf(err, errlen, "range \"%s\" is too long", text);
        return -1;
    }
    r->inside = *p == '@';
    p += r->inside;
    const char *colon = strchr(p, ':');
    int bad;
    if (!colon) { /* "10": 0 to 10 */
        r->has_lo = 1;
        bad = parse_bound(p, strlen(p), 0, &r->has_hi, &r->hi);
    } else {
        bad = colon == p ? (r->has_lo = 1, 0) : parse_bound(p, colon - p, 1, &r->has_lo, &r->lo);
        if (!bad && colon[1])
            bad = parse_bound(colon + 1, strlen(colon + 1), 0, &r->has_hi, &r->hi);
    }
    if (bad || (r->has_lo && r->has_hi && r->lo > r->hi)) {
        snprintf(err, errlen,
                 "range \"%s\": expected [@]START:END, START <= END (10, 10:, ~:10, 10:20, "
                 "@10:20)",
                 text);
        return -1;
    }
    snprintf(r->text, sizeof r->text, "%s", text);
    r->set = 1;
    return 0;
}

int plugin_range_alerts(const struct plugin_range *r, double value)
{
    if (!r->set)
        return 0;
    int outside = (r->has_lo && value < r->lo) || (r->has_hi && value > r->hi);
    return r->inside ? !outside : outside;
}

static void set_default(struct plugin_range *r)
{
    char err[8];
    plugin_range_parse("0", r, err, sizeof err); /* alerts above 0 */
}

void plugin_limits_default(struct plugin_limits *l)
{
    memset(l, 0, sizeof *l);
    set_default(&l->crit[ATTN_NEVER_OBSERVED]);
    set_default(&l->crit[ATTN_STALE]);
    set_default(&l->crit[ATTN_FAILING]);
    set_default(&l->warn[ATTN_DELETED]);
    set_default(&l->warn[ATTN_OVERDUE_NOW]);
    set_default(&l->warn[ATTN_MISSED]);
    set_default(&l->warn[ATTN_UNSCHEDULED]);
    set_default(&l->warn[ATTN_LATE]);
}

static int metric_index(const char *name, size_t len)
{
    for (size_t i = 0; i < PLUGIN_METRICS; i++) {
        const char *m = plugin_metric_name(i);
        if (strlen(m) == len && strncmp(m, name, len) == 0)
            return (int)i;
    }
    return -1;
}

static int parse_one(struct plugin_limits *l, int critical, const char *item, char *err,
                     size_t errlen)
{
    const char *eq = strchr(item, '=');
    int i = eq ? metric_index(item, (size_t)(eq - item)) : -1;
    if (i < 0) {
        snprintf(err, errlen,
                 "\"%s\": expected METRIC=RANGE, METRIC one of never_observed, stale, deleted, "
                 "failing, overdue, missed, unscheduled, late, failure_rate, abort_rate, gaps, "
                 "coverage",
                 item);
        return -1;
    }
    struct plugin_range *r = critical ? &l->crit[i] : &l->warn[i];
    if (!eq[1]) {
        memset(r, 0, sizeof *r); /* no threshold */
        return 0;
    }
    return plugin_range_parse(eq + 1, r, err, errlen);
}

int plugin_limits_parse(struct plugin_limits *l, int critical, const char *arg, char *err,
                        size_t errlen)
{
    if (!arg[0]) {
        snprintf(err, errlen, "expected METRIC=RANGE, got nothing");
        return -1;
    }
    char *copy = strdup(arg), *save = NULL;
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (char *item = strtok_r(copy, ",", &save); rc == 0 && item;
         item = strtok_r(NULL, ",", &save))
        rc = parse_one(l, critical, item, err, errlen);
    free(copy);
    return rc;
}

void plugin_count(struct plugin_counts *c, const struct attention *a)
{
    c->silenced += (int64_t)a->n_silenced;
    for (size_t i = 0; i < a->n; i++) {
        const struct attn_item *it = &a->v[i];
        int runs = it->kind == ATTN_MISSED || it->kind == ATTN_LATE;
        c->n[it->kind] += runs ? it->count : 1;
    }
}

static double value_of(const struct plugin_counts *c, size_t i)
{
    return i == PLUGIN_COVERAGE ? (double)c->n[i] / 10.0 : (double)c->n[i];
}

/* Coverage alerts only when it was measured. */
static int measured(const struct plugin_counts *c, size_t i)
{
    return i != PLUGIN_COVERAGE || c->has_coverage;
}

static enum plugin_state metric_state(const struct plugin_counts *c, const struct plugin_limits *l,
                                      size_t i)
{
    if (!measured(c, i))
        return PLUGIN_OK;
    if (plugin_range_alerts(&l->crit[i], value_of(c, i)))
        return PLUGIN_CRITICAL;
    return plugin_range_alerts(&l->warn[i], value_of(c, i)) ? PLUGIN_WARNING : PLUGIN_OK;
}

enum plugin_state plugin_state_of(const struct plugin_counts *c, const struct plugin_limits *l)
{
    enum plugin_state s = PLUGIN_OK;
    for (size_t i = 0; i < PLUGIN_METRICS; i++) {
        enum plugin_state m = metric_state(c, l, i);
        s = m > s ? m : s;
    }
    return s;
}

/* Writes text with '|' (which would start the performance data) as '/'. */
static void put_safe(FILE *out, const char *text)
{
    for (; *text; text++)
        fputc(*text == '|' ? '/' : *text, out);
}

/* The instances the list names for kind: "prod, test". */
static void put_instances(FILE *out, const struct attention *a, enum attn_kind kind)
{
    const char *sep = "";
    for (size_t i = 0; i < a->n; i++) {
        if (a->v[i].kind != kind)
            continue;
        fputs(sep, out);
        put_safe(out, a->v[i].instance);
        sep = ", ";
    }
}

static void put_phrase(FILE *out, const struct plugin_counts *c, const struct attention *a,
                       size_t i)
{
    static const char *const what[] = {[ATTN_DELETED] = "deleted",
                                       [ATTN_FAILING] = "failing",
                                       [ATTN_OVERDUE_NOW] = "overdue",
                                       [ATTN_UNSCHEDULED] = "no longer scheduled",
                                       [ATTN_FAILURE_RATE] = "above the failure rate limit",
                                       [ATTN_ABORT_RATE] = "above the abort rate limit"};
    long long n = (long long)c->n[i];
    switch (i) {
    case ATTN_NEVER_OBSERVED:
    case ATTN_STALE:
    case ATTN_GAPS:
        fputs(i == ATTN_NEVER_OBSERVED ? "collector never observed on "
              : i == ATTN_STALE        ? "collector stale on "
                                       : "observation gaps on ",
              out);
        put_instances(out, a, (enum attn_kind)i);
        break;
    case ATTN_MISSED:
        fprintf(out, "%lld missed %s", n, numfmt_plural(n, "run", "runs"));
        break;
    case ATTN_LATE:
        fprintf(out, "%lld late %s", n, numfmt_plural(n, "start", "starts"));
        break;
    case PLUGIN_COVERAGE:
        fprintf(out, "coverage %.1f %%", value_of(c, i));
        break;
    default:
        fprintf(out, "%lld %s %s", n, numfmt_plural(n, "ETL", "ETLs"), what[i]);
    }
}

/* The metrics at state, in the list's order of severity. Returns how many were named. */
static int put_summary(FILE *out, const struct plugin_counts *c, const struct plugin_limits *l,
                       const struct attention *a, enum plugin_state state, int named)
{
    for (size_t i = 0; i < PLUGIN_METRICS; i++) {
        if (metric_state(c, l, i) != state)
            continue;
        fputs(named++ ? ", " : "", out);
        put_phrase(out, c, a, i);
    }
    return named;
}

static void put_ok(FILE *out, const struct plugin_counts *c, const struct attention *a)
{
    fprintf(out, "%lld %s on %lld %s, ", (long long)c->etls, numfmt_plural(c->etls, "ETL", "ETLs"),
            (long long)c->instances, numfmt_plural(c->instances, "instance", "instances"));
    if (a->n == 0)
        fputs("nothing needs attention", out);
    else
        fprintf(out, "%zu %s below the thresholds", a->n,
                numfmt_plural((int64_t)a->n, "item", "items"));
    if (c->silenced)
        fprintf(out, ", %lld silenced", (long long)c->silenced);
}

static void put_perfdata(FILE *out, const struct plugin_counts *c, const struct plugin_limits *l)
{
    for (size_t i = 0; i < PLUGIN_METRICS; i++) {
        fprintf(out, "%s%s=", i ? " " : "", plugin_metric_name(i));
        if (i == PLUGIN_COVERAGE && !c->has_coverage)
            fputs("U", out);
        else if (i == PLUGIN_COVERAGE)
            fprintf(out, "%.1f%%", value_of(c, i));
        else
            fprintf(out, "%lld", (long long)c->n[i]);
        fprintf(out, ";%s;%s;0%s", l->warn[i].text, l->crit[i].text,
                i == PLUGIN_COVERAGE ? ";100" : "");
    }
    fprintf(out, " silenced=%lld;;;0", (long long)c->silenced);
}

enum plugin_state plugin_write(FILE *out, const struct plugin_counts *c,
                               const struct plugin_limits *l, const struct attention *a,
                               const char *tz)
{
    enum plugin_state s = plugin_state_of(c, l);
    fprintf(out, "ETLHIST %s - ", state_names[s]);
    if (s == PLUGIN_OK)
        put_ok(out, c, a);
    else
        put_summary(out, c, l, a, PLUGIN_WARNING, put_summary(out, c, l, a, PLUGIN_CRITICAL, 0));
    fputs(" | ", out);
    put_perfdata(out, c, l);
    fputc('\n', out);
    char line[1024];
    for (size_t i = 0; i < a->n; i++) {
        put_safe(out, attention_line(&a->v[i], tz, line, sizeof line));
        fputc('\n', out);
    }
    if (a->n == 0)
        fprintf(out, "%s\n", attention_clear);
    if (a->n_silenced)
        fprintf(out, "Silenced (%zu):\n", a->n_silenced);
    for (size_t i = 0; i < a->n_silenced; i++) {
        put_safe(out, attention_silenced_line(&a->silenced[i], tz, line, sizeof line));
        fputc('\n', out);
    }
    return s;
}

void plugin_write_unknown(FILE *out, const char *reason)
{
    fputs("ETLHIST UNKNOWN - ", out);
    put_safe(out, reason);
    fputc('\n', out);
}
