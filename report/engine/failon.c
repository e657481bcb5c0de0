#include "failon.h"

#include "cell.h"
#include "log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *text;
    enum failon_op op;
} ops[] = {{">=", FAILON_GE}, {"<=", FAILON_LE}, {"==", FAILON_EQ},
           {"!=", FAILON_NE}, {">", FAILON_GT},  {"<", FAILON_LT}};

#define NOPS (sizeof ops / sizeof ops[0])

static const char *op_text(enum failon_op op)
{
    for (size_t i = 0; i < NOPS; i++)
        if (ops[i].op == op)
            return ops[i].text;
    return "?";
}

void failon_init(struct failon *f, const char *report, const struct column *cols, size_t ncols)
{
    memset(f, 0, sizeof *f);
    f->report = report;
    f->cols = cols;
    f->ncols = ncols;
    f->col_instance = column_index(cols, ncols, "instance");
    f->col_etl_id = column_index(cols, ncols, "etl_id");
    f->col_etl_name = column_index(cols, ncols, "etl_name");
}

/* Counts over the whole report, named like columns: how many rows have their flag column
 * say yes. A report without the flag column has no such count. */
static const struct {
    const char *name, *flag;
} counts[] = {{"regressions", "regression"}};

#define NCOUNTS (sizeof counts / sizeof counts[0])

/* The index of the column called name (len bytes), or -1. */
static long column_named(const struct failon *f, const char *name, size_t len)
{
    for (size_t i = 0; i < f->ncols; i++)
        if (strlen(f->cols[i].name) == len && strncmp(f->cols[i].name, name, len) == 0)
            return (long)i;
    return -1;
}

static void append_name(char *buf, size_t size, size_t *len, const char *name)
{
    int n = snprintf(buf + *len, size - *len, "%s%s", *len ? ", " : "", name);
    *len += n > 0 && (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

/* "runs, ok, ..." into buf: the numeric columns, then the counts the report has. */
static void numeric_names(const struct failon *f, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->ncols; i++)
        if (column_numeric(&f->cols[i]))
            append_name(buf, size, &len, f->cols[i].name);
    for (size_t i = 0; i < NCOUNTS; i++)
        if (column_named(f, counts[i].flag, strlen(counts[i].flag)) >= 0)
            append_name(buf, size, &len, counts[i].name);
}

/* A count named name (len bytes) into c. Returns 1 when it is one the report has, 0 when
 * name is no count, -1 with the cause in err when the report lacks its flag column. */
static int find_count(const struct failon *f, const char *name, size_t len, struct failon_cond *c,
                      char *err, size_t errlen)
{
    for (size_t i = 0; i < NCOUNTS; i++) {
        if (strlen(counts[i].name) != len || strncmp(counts[i].name, name, len) != 0)
            continue;
        long col = column_named(f, counts[i].flag, strlen(counts[i].flag));
        if (col < 0) {
            snprintf(err, errlen,
                     "%s counts the rows whose %s column says yes: the %s report has "
                     "no such column",
                     counts[i].name, counts[i].flag, f->report);
            return -1;
        }
        c->col = (size_t)col;
        c->count = counts[i].name;
        return 1;
    }
    return 0;
}

static int find_column(const struct failon *f, const char *name, size_t len, size_t *col, char *err,
                       size_t errlen)
{
    char names[400];
    numeric_names(f, names, sizeof names);
    for (size_t i = 0; i < f->ncols; i++) {
        if (strlen(f->cols[i].name) != len || strncmp(f->cols[i].name, name, len) != 0)
            continue;
        if (column_numeric(&f->cols[i])) {
            *col = i;
            return 0;
        }
        snprintf(err, errlen, "column %s of the %s report is not numeric (numeric: %s)",
                 f->cols[i].name, f->report, names);
        return -1;
    }
    snprintf(err, errlen, "the %s report has no column \"%.*s\" (numeric: %s)", f->report, (int)len,
             name, names);
    return -1;
}

/* [-+]digits[.digits] with at most 12 digits before the point and 6 after: a threshold in
 * millionths fits in 64 bits. */
static int parse_number(const char *s, size_t len, int64_t *millionths)
{
    size_t i = 0, int_digits = 0, frac_digits = 0;
    int negative = 0;
    int64_t v = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        negative = s[i++] == '-';
    for (; i < len && isdigit((unsigned char)s[i]); i++, int_digits++)
        v = v * 10 + (s[i] - '0');
    if (i < len && s[i] == '.')
        for (i++; i < len && isdigit((unsigned char)s[i]); i++, frac_digits++)
            v = v * 10 + (s[i] - '0');
    if (i != len || int_digits + frac_digits == 0 || int_digits > 12 ||
        frac_digits > FAILON_DECIMALS)
        return -1;
    for (; frac_digits < FAILON_DECIMALS; frac_digits++)
        v *= 10;
    *millionths = negative ? -v : v;
    return 0;
}

static const char *skip_space(const char *s, const char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    return s;
}

static int add_cond(struct failon *f, const struct failon_cond *c)
{
    struct failon_cond *v = realloc(f->conds, (f->n + 1) * sizeof *v);
    if (!v)
        return -1;
    f->conds = v;
    f->conds[f->n++] = *c;
    return 0;
}

/* One COLUMN OP NUMBER in [s, end). */
static int parse_one(struct failon *f, const char *s, const char *end, char *err, size_t errlen)
{
    struct failon_cond c = {0};
    const char *p = skip_space(s, end), *name = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
    size_t name_len = (size_t)(p - name), i = 0;
    p = skip_space(p, end);
    for (; i < NOPS; i++)
        if ((size_t)(end - p) >= strlen(ops[i].text) &&
            strncmp(p, ops[i].text, strlen(ops[i].text)) == 0)
            break;
    if (name_len == 0 || i == NOPS) {
        snprintf(err, errlen,
                 "expected COLUMN OP NUMBER with OP one of > >= < <= == !=, got \"%.*s\"",
                 (int)(end - s), s);
        return -1;
    }
    c.op = ops[i].op;
    const char *num = skip_space(p + strlen(ops[i].text), end), *num_end = end;
    while (num_end > num && isspace((unsigned char)num_end[-1]))
        num_end--;
    if (parse_number(num, (size_t)(num_end - num), &c.millionths) != 0) {
        snprintf(err, errlen,
                 "bad number \"%.*s\" in \"%.*s\" (expected at most 12 digits before the point "
                 "and 6 after)",
                 (int)(num_end - num), num, (int)(end - s), s);
        return -1;
    }
    snprintf(c.number, sizeof c.number, "%.*s", (int)(num_end - num), num);
    int is_count = find_count(f, name, name_len, &c, err, errlen);
    if (is_count < 0 || (!is_count && find_column(f, name, name_len, &c.col, err, errlen)))
        return -1;
    if (add_cond(f, &c)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int failon_parse(struct failon *f, const char *expr, char *err, size_t errlen)
{
    const char *s = expr;
    for (;;) {
        const char *comma = strchr(s, ',');
        const char *end = comma ? comma : s + strlen(s);
        if (parse_one(f, s, end, err, errlen))
            return -1;
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

static int64_t cell_millionths(const struct cell *c)
{
    int64_t v = c->num, limit = INT64_MAX / 1000000;
    int scale = c->type == CELL_REAL ? c->scale : 0;
    if (v > limit || v < -limit) /* beyond any threshold parse_number accepts */
        return v > 0 ? INT64_MAX : INT64_MIN;
    for (int i = scale; i < FAILON_DECIMALS; i++)
        v *= 10;
    for (int i = FAILON_DECIMALS; i < scale; i++)
        v /= 10;
    return v;
}

int failon_crosses(const struct failon_cond *c, const struct cell *cell)
{
    if (cell->type != CELL_INT && cell->type != CELL_REAL)
        return 0;
    int64_t v = cell_millionths(cell), t = c->millionths;
    switch (c->op) {
    case FAILON_GT:
        return v > t;
    case FAILON_GE:
        return v >= t;
    case FAILON_LT:
        return v < t;
    case FAILON_LE:
        return v <= t;
    case FAILON_EQ:
        return v == t;
    case FAILON_NE:
        return v != t;
    }
    return 0;
}

/* Queues the line of the ETL watched so far, if it crossed anything. */
static int flush_etl(struct failon *f)
{
    int rc = 0;
    if (f->etl_msg) {
        if (!f->lines)
            f->lines = open_memstream(&f->lines_buf, &f->lines_len);
        if (!f->lines)
            rc = -1;
        else if (f->etl_more)
            fprintf(f->lines, "%s (and %zu more %s)%c", f->etl_msg, f->etl_more,
                    log_plural((long long)f->etl_more, "row", "rows"), '\0');
        else
            fprintf(f->lines, "%s%c", f->etl_msg, '\0');
        f->matched++;
    }
    free(f->etl_msg);
    free(f->etl_key);
    f->etl_msg = f->etl_key = NULL;
    f->etl_more = 0;
    return rc;
}

/* "failure_rate_pct 33.3 > 10, coverage_pct 49.7 < 95" for the conditions the row crosses,
 * or NULL when none. */
static char *crossed(const struct failon *f, const struct cell *cells)
{
    char *buf = NULL, value[64];
    size_t len = 0;
    FILE *m = NULL;
    for (size_t i = 0; i < f->n; i++) {
        const struct failon_cond *c = &f->conds[i];
        if (c->count || !failon_crosses(c, &cells[c->col]))
            continue;
        if (!m && !(m = open_memstream(&buf, &len)))
            return NULL;
        fprintf(m, "%s%s %s %s %s", ftell(m) ? ", " : "", f->cols[c->col].name,
                cell_plain(&cells[c->col], value, sizeof value), op_text(c->op), c->number);
    }
    if (m)
        fclose(m);
    return buf;
}

static const char *text_or_empty(const struct cell *c)
{
    return c->type == CELL_TEXT ? c->text : "";
}

/* The row's cell under column col, or a NULL cell when the report has no such column. */
static const struct cell *cell_at(const struct cell *cells, int col)
{
    static const struct cell none = {CELL_NULL, 0, 0, NULL};
    return col >= 0 ? &cells[col] : &none;
}

static int says_yes(const struct cell *c)
{
    return c->type == CELL_TEXT && strcmp(c->text, "yes") == 0;
}

/* Was column col counted for this row by a condition before conds[i]? */
static int counted_before(const struct failon *f, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (f->conds[j].count && f->conds[j].col == f->conds[i].col)
            return 1;
    return 0;
}

/* Counts the row for every count whose flag it has, and keeps its name for the message. */
static int count_row(struct failon *f, const struct cell *cells)
{
    char id[32];
    cell_plain(cell_at(cells, f->col_etl_id), id, sizeof id);
    for (size_t i = 0; i < f->n; i++) {
        struct failon_cond *c = &f->conds[i];
        if (!c->count || !says_yes(&cells[c->col]))
            continue;
        c->rows++;
        if (counted_before(f, i))
            continue;
        if (!f->counted && !(f->counted = open_memstream(&f->counted_buf, &f->counted_len)))
            return -1;
        fprintf(f->counted, "%s etl %s (%s): %s yes%c",
                text_or_empty(cell_at(cells, f->col_instance)), id,
                text_or_empty(cell_at(cells, f->col_etl_name)), f->cols[c->col].name, '\0');
    }
    return 0;
}

/* Counts the ETL (serial f->etl_serial) once under each condition its row crosses. */
static int count_etl(struct failon *f, const struct cell *cells, const char *instance,
                     const char *id, const char *name)
{
    for (size_t i = 0; i < f->n; i++) {
        struct failon_cond *c = &f->conds[i];
        if (c->count || c->last_etl == f->etl_serial || !failon_crosses(c, &cells[c->col]))
            continue;
        c->last_etl = f->etl_serial;
        c->etls++;
        if (!c->first && (cell_at(cells, f->col_etl_id)->type == CELL_NULL
                              ? asprintf(&c->first, "%s, no ETL known", instance)
                              : asprintf(&c->first, "%s etl %s (%s)", instance, id, name)) < 0) {
            c->first = NULL;
            return -1;
        }
    }
    return 0;
}

int failon_row(struct failon *f, const struct cell *cells)
{
    if (f->n == 0)
        return 0;
    if (count_row(f, cells))
        return -1;
    char *what = crossed(f, cells), id[32], *key = NULL, *msg = NULL;
    if (!what)
        return 0; /* also when out of memory: the row is not named, nothing worse */
    cell_plain(cell_at(cells, f->col_etl_id), id, sizeof id);
    const char *instance = text_or_empty(cell_at(cells, f->col_instance)),
               *name = text_or_empty(cell_at(cells, f->col_etl_name));
    int rc = 0;
    if (asprintf(&key, "%s%c%s", instance, '\x1f', id) < 0) {
        free(what);
        return -1;
    }
    if (!f->etl_key || strcmp(key, f->etl_key) != 0)
        f->etl_serial++;
    if (count_etl(f, cells, instance, id, name)) {
        free(key);
        free(what);
        return -1;
    }
    if (f->etl_key && strcmp(key, f->etl_key) == 0) {
        f->etl_more++;
        free(key);
    } else if (flush_etl(f) == 0 &&
               (cell_at(cells, f->col_etl_id)->type == CELL_NULL
                    ? asprintf(&msg, "%s, no ETL known: %s", instance, what)
                    : asprintf(&msg, "%s etl %s (%s): %s", instance, id, name, what)) >= 0) {
        f->etl_key = key;
        f->etl_msg = msg;
    } else {
        free(key);
        rc = -1;
    }
    free(what);
    return rc;
}

/* Logs the '\0'-ended lines of a memory stream, and closes it. */
static void log_lines(FILE **m, char **buf, size_t *len)
{
    if (!*m)
        return;
    fclose(*m);
    *m = NULL;
    for (size_t i = 0; i < *len; i += strlen(*buf + i) + 1)
        log_err("%s", *buf + i);
}

/* The counts that crossed their condition, after the rows they counted. */
static void report_counts(struct failon *f)
{
    int named = 0;
    char value[32];
    for (size_t i = 0; i < f->n; i++) {
        const struct failon_cond *c = &f->conds[i];
        struct cell rows = cell_int(c->rows);
        if (!c->count || !failon_crosses(c, &rows))
            continue;
        if (!named)
            log_lines(&f->counted, &f->counted_buf, &f->counted_len);
        named = 1;
        log_err("%s %s %s %s", c->count, cell_plain(&rows, value, sizeof value), op_text(c->op),
                c->number);
        f->matched++;
    }
}

/* More ETLs than FAILON_ETL_LINES: one line per condition with how many crossed it. */
static void report_by_condition(struct failon *f)
{
    char value[32];
    fclose(f->lines);
    f->lines = NULL;
    for (size_t i = 0; i < f->n; i++) {
        const struct failon_cond *c = &f->conds[i];
        if (c->count || c->etls == 0)
            continue;
        struct cell threshold = cell_int(c->etls);
        log_err("%s %s %s: %s %s (the first: %s)", f->cols[c->col].name, op_text(c->op), c->number,
                cell_plain(&threshold, value, sizeof value), c->etls == 1 ? "ETL" : "ETLs",
                c->first ? c->first : "?");
    }
}

size_t failon_report(struct failon *f)
{
    flush_etl(f);
    if (f->matched > FAILON_ETL_LINES && f->lines)
        report_by_condition(f);
    else
        log_lines(&f->lines, &f->lines_buf, &f->lines_len);
    report_counts(f);
    return f->matched;
}

void failon_free(struct failon *f)
{
    if (f->lines)
        fclose(f->lines);
    if (f->counted)
        fclose(f->counted);
    free(f->counted_buf);
    free(f->lines_buf);
    free(f->etl_key);
    free(f->etl_msg);
    for (size_t i = 0; i < f->n; i++)
        free(f->conds[i].first);
    free(f->conds);
    memset(f, 0, sizeof *f);
}
