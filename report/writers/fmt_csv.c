/* CSV: RFC 4180 with CRLF, quoted by libcsv, safe to open in a spreadsheet. */
#include "fmt.h"

#include "utf8.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csv_state {
    FILE *out;
    const struct fmt_report *rep;
    struct fmt_opts opts;
};

static void *csv_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    struct csv_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->rep = rep;
    st->opts = *opts;
    if (opts->bom)
        fputs("\xEF\xBB\xBF", out);
    return st;
}

/* OWASP CSV injection: a text cell a spreadsheet would read as a formula gets a leading '.
 * Numeric cells are never touched, so -5 stays a number. */
static int needs_neutralising(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static int needs_quoting(const char *s, char delimiter)
{
    for (; *s; s++)
        if (*s == delimiter || *s == '"' || *s == '\r' || *s == '\n')
            return 1;
    return 0;
}

static int write_field(struct csv_state *st, size_t i, const char *text, int neutralise)
{
    if (i > 0 && fputc(st->opts.delimiter, st->out) == EOF)
        return -1;
    char *owned = NULL, *shown = NULL;
    if (neutralise) {
        /* A spreadsheet displays the cell: bidirectional controls are shown (utf8.h). */
        if (!(shown = utf8_unbidi_dup(text)))
            return -1;
        text = shown;
    }
    if (neutralise && needs_neutralising(text)) {
        /* The quote goes inside the field, so quoting below wraps it too. */
        if (asprintf(&owned, "'%s", text) < 0) {
            free(shown);
            return -1;
        }
        text = owned;
    }
    size_t len = strlen(text);
    int rc;
    if (needs_quoting(text, st->opts.delimiter))
        rc = csv_fwrite(st->out, text, len) == 0 ? 0 : -1;
    else
        rc = fwrite(text, 1, len, st->out) == len ? 0 : -1;
    free(owned);
    free(shown);
    return rc;
}

static int end_line(struct csv_state *st)
{
    return fputs("\r\n", st->out) == EOF ? -1 : 0;
}

static int csv_header(void *state)
{
    struct csv_state *st = state;
    if (!st->opts.header)
        return 0;
    for (size_t i = 0; i < st->rep->ncols; i++)
        if (write_field(st, i, st->rep->cols[i].name, 0))
            return -1;
    return end_line(st);
}

static int csv_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    (void)mark; /* rows are not marked in this format */
    struct csv_state *st = state;
    char buf[64];
    for (size_t i = 0; i < st->rep->ncols; i++) {
        const char *text = cell_plain(&cells[i], buf, sizeof buf);
        if (write_field(st, i, text, cells[i].type == CELL_TEXT))
            return -1;
    }
    return end_line(st);
}

static int csv_end(void *state, const struct cell *totals)
{
    (void)totals; /* a CSV file is one table: totals are the spreadsheet's job */
    free(state);
    return 0;
}

const struct fmt_writer fmt_csv = {"csv", csv_begin, csv_header, csv_row, csv_end, 0};
