/* Text for people: aligned columns within the terminal's width (FMT_TEXT_WIDTH when the
 * output is not a terminal), times in the display zone, grouped by instance. The ETL name is
 * the last column and always whole: two ETLs whose names share a long prefix stay apart, and
 * a long name runs past the width instead of being cut. Abbreviated headings are explained
 * in a legend under the table. Widths depend on the rows, so rows are kept until
 * TEXT_CHUNK_ROWS have come (or the end); later rows reuse those widths, keeping memory
 * bounded. */
#include "fmt.h"

#include "log.h"
#include "numfmt.h"
#include "utf8.h"
#include "zone.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXT_MIN_FLEX 8
#define TEXT_CHUNK_ROWS 20000
#define TEXT_MIN_WIDTH 60
#define TEXT_MAX_WIDTH 400

/* Columns a narrow terminal does without, first to last, when cutting flexible columns was
 * not enough (the CSV and JSON outputs always have them all). */
static const char *const drop_order[] = {"unkn", "abrt%", "p50",     "last start", "strk",
                                         "lo",   "hi",    "task",    "timeouts",   "5xx",
                                         "used", "prev",  "prev p50"};

/* What each abbreviated heading means: the legend under a table lists those it shows. */
static const struct {
    const char *label, *meaning;
} glossary[] = {
    {"fail", "failed runs (ERROR)"},
    {"abrt", "aborted runs"},
    {"unkn", "runs whose end was not seen"},
    {"fail%", "failure rate"},
    {"abrt%", "abort rate"},
    {"p50", "median duration"},
    {"p95", "95th percentile duration"},
    {"strk", "current failure streak"},
    {"cov%", "share of the window observed"},
    {"miss", "expected starts with no run"},
    {"ovrd", "runs beyond the learnt duration limit"},
    {"late", "starts later than the schedule's grace"},
    {"lo", "duration at least"},
    {"hi", "duration at most"},
    {"delay", "start minus expected start"},
    {"400", "polls answered ETL not found"},
    {"5xx", "polls answered with a server error"},
    {"prev", "the previous window of the same length"},
    {"used", "run starts the schedule was learnt from"},
    {"limit", "duration beyond which a run is overdue"},
    {"on%", "time SERVICE_ON"},
    {"off%", "time SERVICE_OFF"},
};

struct text_state {
    FILE *out;
    const struct fmt_report *rep;
    struct fmt_opts opts;
    size_t shown[64]; /* indexes of the columns text shows */
    size_t nshown;
    int grouped;     /* rows are grouped under their instance, shown as a heading */
    int group_col;   /* the instance column, when grouped */
    size_t width;    /* of a line, the trailing name aside */
    int name_last;   /* shown[nshown - 1] is the ETL name: never cut, never padded */
    char hidden[64]; /* shown columns left out to fit a narrow terminal */
    int base_year;   /* times in this year drop the year; -1: never */
    char **cells;    /* nrows x nshown: the rows not printed yet */
    char **groups;
    size_t nrows, cap;
    int laid_out; /* widths are fixed and the title is out */
    size_t w[64];
    int gap;
    char *group; /* group of the last row printed */
    size_t printed;
    int attention_shown; /* under the title; else after the rows */
};

/* Width on screen, counting code points (every name is assumed single-width). */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Width on screen of the first len bytes of s. */
static size_t text_width_n(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Byte length of the first n code points of s. */
static size_t prefix_bytes(const char *s, size_t n)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n-- == 0)
            break;
    return i;
}

/* A copy with control characters as spaces, so no name or error can break a line, and
 * bidirectional controls shown (utf8.h), so none can reorder it. */
static char *clean_copy(const char *s)
{
    char *c = utf8_unbidi_dup(s);
    return c ? log_clean(c) : NULL;
}

static int year_of(const char *tz, int64_t t)
{
    struct tm tm;
    return zone_localtime(tz, t, &tm) == 0 ? tm.tm_year + 1900 : -1;
}

static void local_time(const struct text_state *st, int64_t t, int with_zone, char *buf,
                       size_t size)
{
    const char *f = with_zone ? "%Y-%m-%d %H:%M %Z" : "%Y-%m-%d %H:%M";
    if (!with_zone && year_of(st->rep->tz, t) == st->base_year)
        f = "%m-%d %H:%M";
    zone_format(st->rep->tz, t, f, buf, size);
}

static char *cell_string(const struct text_state *st, const struct column *col,
                         const struct cell *c)
{
    char buf[64];
    switch (c->type) {
    case CELL_NULL:
        return strdup("-");
    case CELL_TEXT:
        return clean_copy(c->text);
    case CELL_INT:
    case CELL_REAL:
        if (col->kind == COL_DURATION)
            cell_duration(c, buf);
        else if (c->type == CELL_INT)
            numfmt_int(c->num, buf);
        else
            numfmt_fixed(c->num, c->scale, buf);
        break;
    case CELL_TIME:
        local_time(st, c->num, 0, buf, sizeof buf);
        break;
    }
    return strdup(buf);
}

/* The width asked for, within bounds; FMT_TEXT_WIDTH when none was. */
static size_t line_width(int asked)
{
    size_t w = asked > 0 ? (size_t)asked : FMT_TEXT_WIDTH;
    return w < TEXT_MIN_WIDTH ? TEXT_MIN_WIDTH : w > TEXT_MAX_WIDTH ? TEXT_MAX_WIDTH : w;
}

static void *text_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    struct text_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->rep = rep;
    st->opts = *opts;
    st->group_col = column_index(rep->cols, rep->ncols, "instance");
    st->grouped = rep->ncols > 1 && st->group_col >= 0;
    st->width = line_width(opts->width);
    int name = column_index(rep->cols, rep->ncols, "etl_name");
    for (size_t i = 0; i < rep->ncols && st->nshown < 63; i++)
        if (rep->cols[i].label && (int)i != name && !(st->grouped && (int)i == st->group_col))
            st->shown[st->nshown++] = i;
    if (name >= 0 && rep->cols[name].label) {
        st->shown[st->nshown++] = (size_t)name;
        st->name_last = 1;
    }
    st->base_year = rep->windowed ? year_of(rep->tz, rep->until - 1) : -1;
    return st;
}

static int text_header(void *state)
{
    (void)state; /* written with the rows, once widths are known */
    return 0;
}

static int flush(struct text_state *st, int final);

/* The summary keeps all its rows (one per ETL) for the end: what needs attention, known only
 * then, comes before them. */
static int holds_all(const struct text_state *st)
{
    return st->rep->attention && st->rep->attention->windowed_all;
}

static int text_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    (void)mark; /* rows are not marked in this format */
    struct text_state *st = state;
    if (st->nrows == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        char **c = realloc(st->cells, cap * st->nshown * sizeof *c);
        if (c)
            st->cells = c;
        char **g = realloc(st->groups, cap * sizeof *g);
        if (g)
            st->groups = g;
        if (!c || !g)
            return -1;
        st->cap = cap;
    }
    char **row = st->cells + st->nrows * st->nshown;
    for (size_t j = 0; j < st->nshown; j++)
        row[j] = cell_string(st, &st->rep->cols[st->shown[j]], &cells[st->shown[j]]);
    int g = st->group_col;
    st->groups[st->nrows] = st->grouped ? cell_string(st, &st->rep->cols[g], &cells[g]) : NULL;
    st->nrows++;
    return st->nrows == TEXT_CHUNK_ROWS && !holds_all(st) ? flush(st, 0) : 0;
}

/* Natural widths, then one-space gaps, then narrower flexible columns until lines fit with
 * room for the trailing name (which is never cut). */
static int layout(struct text_state *st, size_t *w)
{
    size_t total = 0;
    size_t fitted = st->nshown - (size_t)st->name_last;
    for (size_t j = 0; j < st->nshown; j++) {
        w[j] = text_width(st->rep->cols[st->shown[j]].label);
        for (size_t r = 0; r < st->nrows; r++) {
            const char *s = st->cells[r * st->nshown + j];
            size_t sw = s ? text_width(s) : 0;
            if (sw > w[j])
                w[j] = sw;
        }
        if (j < fitted)
            total += w[j];
    }
    if (st->name_last)
        total += w[fitted] < TEXT_MIN_FLEX ? w[fitted] : TEXT_MIN_FLEX;
    int gap = total + 2 * (st->nshown - 1) <= st->width ? 2 : 1;
    total += (size_t)gap * (st->nshown - 1);
    while (total > st->width) {
        size_t widest = st->nshown;
        for (size_t j = 0; j < fitted; j++) {
            const struct column *col = &st->rep->cols[st->shown[j]];
            size_t min = text_width(col->label);
            if (min < TEXT_MIN_FLEX)
                min = TEXT_MIN_FLEX;
            if (col->flex && w[j] > min && (widest == st->nshown || w[j] > w[widest]))
                widest = j;
        }
        if (widest == st->nshown)
            break; /* nothing left to narrow: the line is as short as it gets */
        w[widest]--;
        total--;
    }
    for (size_t d = 0; total > st->width && d < sizeof drop_order / sizeof drop_order[0]; d++) {
        for (size_t j = 0; j < fitted; j++) {
            if (!st->hidden[j] && strcmp(st->rep->cols[st->shown[j]].label, drop_order[d]) == 0) {
                st->hidden[j] = 1;
                total -= w[j] + (size_t)gap;
            }
        }
    }
    return gap;
}

static int put_line(struct text_state *st, const char *const *cells, const size_t *w, int gap)
{
    int first = 1;
    for (size_t j = 0; j < st->nshown; j++) {
        if (st->hidden[j])
            continue;
        const char *s = cells[j] ? cells[j] : "";
        size_t sw = text_width(s), len = strlen(s), pad = 0;
        int last = j + 1 == st->nshown;
        if (sw > w[j] && st->rep->cols[st->shown[j]].flex && !(last && st->name_last)) {
            len = prefix_bytes(s, w[j] - 1);
            sw = w[j];
        } else if (sw < w[j]) {
            pad = w[j] - sw; /* a wider cell of a later chunk just overflows */
        }
        if (!first)
            fprintf(st->out, "%*s", gap, "");
        first = 0;
        if (column_numeric(&st->rep->cols[st->shown[j]]))
            fprintf(st->out, "%*s", (int)pad, "");
        fwrite(s, 1, len, st->out);
        if (len < strlen(s))
            fputc('~', st->out);
        if (!column_numeric(&st->rep->cols[st->shown[j]]) && !last)
            fprintf(st->out, "%*s", (int)pad, "");
    }
    return fputc('\n', st->out) == EOF ? -1 : 0;
}

static void put_title(struct text_state *st)
{
    char a[64], b[64];
    if (!st->rep->windowed) {
        fprintf(st->out, "etlhist %s\n", st->rep->name);
        return;
    }
    local_time(st, st->rep->since, 1, a, sizeof a);
    local_time(st, st->rep->until, 1, b, sizeof b);
    fprintf(st->out, "etlhist %s, %s to %s\n", st->rep->name, a, b);
}

static void put_totals(struct text_state *st, const struct cell *totals)
{
    fputs("\ntotal:", st->out);
    for (size_t i = 0; i < st->rep->n_total; i++) {
        const struct column *col = &st->rep->total_cols[i];
        char *v = cell_string(st, col, &totals[i]);
        int pct = col->kind == COL_PCT && totals[i].type != CELL_NULL;
        fprintf(st->out, "%s %s %s%s", i ? "," : "", col->label, v ? v : "?", pct ? "%" : "");
        free(v);
    }
    fputc('\n', st->out);
}

/* "fail = failed runs (ERROR), abrt = ...", for the shown headings the glossary has, wrapped
 * at the line width. */
static void put_legend(struct text_state *st)
{
    size_t col = 0;
    for (size_t j = 0; j < st->nshown; j++) {
        const char *label = st->rep->cols[st->shown[j]].label;
        if (st->hidden[j])
            continue;
        for (size_t g = 0; g < sizeof glossary / sizeof glossary[0]; g++) {
            if (strcmp(glossary[g].label, label) != 0)
                continue;
            size_t len = strlen(label) + 3 + strlen(glossary[g].meaning);
            if (col == 0) {
                col = (size_t)fprintf(st->out, "\n%s", "legend:") - 1;
            } else if (col + 3 + len > st->width) { /* room for a comma after it */
                fputs(",\n       ", st->out);
                col = 7;
            } else {
                fputc(',', st->out);
                col++;
            }
            col += (size_t)fprintf(st->out, " %s = %s", label, glossary[g].meaning);
        }
    }
    if (col)
        fputc('\n', st->out);
}

static void put_headings(struct text_state *st)
{
    const char *labels[64];
    for (size_t j = 0; j < st->nshown; j++)
        labels[j] = st->rep->cols[st->shown[j]].label;
    put_line(st, labels, st->w, st->gap);
}

static void put_rows(struct text_state *st)
{
    for (size_t r = 0; r < st->nrows; r++) {
        char *g = st->groups[r];
        if (st->printed == 0 || (g && st->group && strcmp(g, st->group) != 0)) {
            fputc('\n', st->out);
            if (g)
                fprintf(st->out, "instance %s\n", g);
            if (st->opts.header)
                put_headings(st);
        }
        put_line(st, (const char *const *)st->cells + r * st->nshown, st->w, st->gap);
        if (g) {
            free(st->group);
            st->group = g;
            st->groups[r] = NULL;
        }
        st->printed++;
    }
}

static void drop_rows(struct text_state *st)
{
    for (size_t i = 0; i < st->nrows * st->nshown; i++)
        free(st->cells[i]);
    for (size_t r = 0; r < st->nrows; r++)
        free(st->groups[r]);
    st->nrows = 0;
}

/* first, then text broken at spaces so that lines keep within the width, continued under
 * the text's start. A word longer than a line is written whole. */
static void put_wrapped(struct text_state *st, const char *first, const char *text)
{
    size_t indent = strlen(first), col = indent;
    fputs(first, st->out);
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + text_width_n(text, word) > st->width) {
            fprintf(st->out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', st->out);
            col++;
        }
        fwrite(text, 1, word, st->out);
        col += text_width_n(text, word);
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', st->out);
}

/* What needs attention, as a list under its heading; the summary says so when nothing does. */
static void put_attention(struct text_state *st)
{
    const struct attention *a = st->rep->attention;
    char line[1024];
    if (!a || (a->n == 0 && !a->windowed_all))
        return;
    if (a->n == 0)
        fprintf(st->out, "\n%s\n", attention_clear);
    else
        fprintf(st->out, "\nNeeds attention (%zu):\n", a->n);
    for (size_t i = 0; i < a->n; i++)
        put_wrapped(st, "  - ", attention_line(&a->v[i], st->rep->tz, line, sizeof line));
    if (a->n_silenced)
        fprintf(st->out, "\nSilenced (%zu):\n", a->n_silenced);
    for (size_t i = 0; i < a->n_silenced; i++)
        put_wrapped(st, "  - ",
                    attention_silenced_line(&a->silenced[i], st->rep->tz, line, sizeof line));
}

/* Prints the kept rows; the first call fixes the widths and writes the title, and what needs
 * attention when final (the list is complete only at the end). */
static int flush(struct text_state *st, int final)
{
    if (!st->laid_out) {
        st->gap = layout(st, st->w);
        st->laid_out = 1;
        st->attention_shown = final;
        if (st->opts.header)
            put_title(st);
        if (st->opts.header && final)
            put_attention(st);
    }
    put_rows(st);
    drop_rows(st);
    return ferror(st->out) ? -1 : 0;
}

static int text_end(void *state, const struct cell *totals)
{
    struct text_state *st = state;
    flush(st, 1);
    if (st->printed == 0 && st->opts.header) {
        fputc('\n', st->out);
        put_headings(st);
    }
    if (st->opts.header)
        put_legend(st);
    if (totals && st->rep->total_cols)
        put_totals(st, totals);
    if (!st->attention_shown && st->opts.header)
        put_attention(st);
    int rc = ferror(st->out) ? -1 : 0;
    free(st->cells);
    free(st->groups);
    free(st->group);
    free(st);
    return rc;
}

const struct fmt_writer fmt_text = {"text", text_begin, text_header, text_row, text_end, 0};
