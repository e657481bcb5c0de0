/* JSON through json-c: {"report", "window": {"since", "until"}, "rows": [{column: value}]}. */
#include "fmt.h"

#include "numfmt.h"
#include "timeutil.h"
#include "utf8.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

/* Rows stream: each value is written by json-c as it comes, and only the top-level object's
 * fixed keys and brackets are laid out here, so memory stays flat however many rows. */
struct json_state {
    FILE *out;
    const struct fmt_report *rep;
    size_t nrows;
};

#define JSON_FLAGS (JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

static json_object *iso_time(int64_t t)
{
    char buf[TIME_BUF];
    time_format_iso(t, buf);
    return json_object_new_string(buf);
}

/* Numbers carry their own text (json_object_new_double_s) so json-c never formats a double
 * through the C locale: the digits are exactly those of CSV. */
static json_object *cell_value(const struct cell *c)
{
    char buf[NUM_BUF];
    switch (c->type) {
    case CELL_NULL:
        return NULL;
    case CELL_TEXT:
        return json_object_new_string(c->text);
    case CELL_INT:
        return json_object_new_int64(c->num);
    case CELL_REAL: {
        double v = (double)c->num;
        for (int i = 0; i < c->scale; i++)
            v /= 10;
        numfmt_fixed(c->num, c->scale, buf);
        return json_object_new_double_s(v, buf);
    }
    case CELL_TIME:
        return iso_time(c->num);
    }
    return NULL;
}

/* The code point of the 2- or 3-byte UTF-8 sequence at p. */
static unsigned code_point(const unsigned char *p, size_t n)
{
    return n == 2 ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)
                  : (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
}

/* Writes json-c's text with every bidirectional control (utf8.h) and C1 control as a
 * \uXXXX escape: the value a parser reads is the exact name, while the file itself holds
 * nothing that reorders or drives what a terminal or viewer shows. json-c already escapes
 * C0 controls, and raw non-ASCII can only be inside strings, where an escape is valid. */
static int put_text(FILE *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t left = strlen(text);
    while (left) {
        size_t n = utf8_bidi(p, left);
        if (!n && left >= 2 && p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            n = 2; /* U+0080 to U+009F */
        if (n)
            fprintf(out, "\\u%04x", code_point(p, n));
        else
            fputc(*p, out);
        n = n ? n : 1;
        p += n;
        left -= n;
    }
    return ferror(out) ? -1 : 0;
}

/* Writes "key": value, and releases value. */
static int put_member(FILE *out, const char *key, json_object *value, const char *after)
{
    const char *text = json_object_to_json_string_ext(value, JSON_FLAGS);
    int rc = value && text && fprintf(out, "  \"%s\": ", key) > 0 && put_text(out, text) == 0 &&
                     fputs(after, out) != EOF
                 ? 0
                 : -1;
    json_object_put(value);
    return rc;
}

static void *json_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    (void)opts;
    struct json_state *st = calloc(1, sizeof *st);
    json_object *window = json_object_new_object();
    if (!st || !window) {
        free(st);
        json_object_put(window);
        return NULL;
    }
    st->out = out;
    st->rep = rep;
    json_object_object_add(window, "since", iso_time(rep->since));
    json_object_object_add(window, "until", iso_time(rep->until));
    fputs("{\n", out);
    put_member(out, "report", json_object_new_string(rep->name), ",\n");
    put_member(out, "window", window, ",\n");
    fputs("  \"rows\": [", out);
    return st;
}

static int json_header(void *state)
{
    (void)state; /* keys name the columns */
    return 0;
}

static json_object *object_of(const struct column *cols, size_t n, const struct cell *cells)
{
    json_object *obj = json_object_new_object();
    for (size_t i = 0; obj && i < n; i++)
        json_object_object_add(obj, cols[i].name, cell_value(&cells[i]));
    return obj;
}

static int json_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    (void)mark; /* rows are not marked in this format */
    struct json_state *st = state;
    json_object *row = object_of(st->rep->cols, st->rep->ncols, cells);
    const char *text = json_object_to_json_string_ext(row, JSON_FLAGS);
    int rc = row && text && fprintf(st->out, "%s\n    ", st->nrows ? "," : "") > 0 &&
             put_text(st->out, text) == 0;
    json_object_put(row);
    st->nrows++;
    return rc ? 0 : -1;
}

static json_object *attention_item(const struct attn_item *it, const char *tz)
{
    char line[1024];
    json_object *obj = json_object_new_object();
    if (!obj)
        return NULL;
    json_object_object_add(obj, "kind", json_object_new_string(attention_kind_name(it->kind)));
    json_object_object_add(obj, "instance", json_object_new_string(it->instance));
    json_object_object_add(obj, "etl_id", it->etl_name ? json_object_new_int64(it->etl_id) : NULL);
    json_object_object_add(obj, "etl_name",
                           it->etl_name ? json_object_new_string(it->etl_name) : NULL);
    json_object_object_add(obj, "count", json_object_new_int64(it->count));
    json_object_object_add(obj, "since", it->has_since ? iso_time(it->since) : NULL);
    json_object_object_add(obj, "text",
                           json_object_new_string(attention_line(it, tz, line, sizeof line)));
    return obj;
}

/* What needs attention, as the text writer says it, with the fields a program needs. */
static int put_attention(const struct json_state *st)
{
    const struct attention *a = st->rep->attention;
    json_object *list = json_object_new_array();
    for (size_t i = 0; list && i < a->n; i++)
        json_object_array_add(list, attention_item(&a->v[i], st->rep->tz));
    fputs(",\n", st->out);
    int rc = put_member(st->out, "attention", list, "");
    if (a->n_silenced == 0)
        return rc;
    char line[1024];
    json_object *quiet = json_object_new_array();
    for (size_t i = 0; quiet && i < a->n_silenced; i++) {
        json_object *obj = attention_item(&a->silenced[i].item, st->rep->tz);
        if (obj) {
            json_object_object_add(obj, "silence", json_object_new_string(a->silenced[i].silence));
            json_object_object_add(obj, "reason", json_object_new_string(a->silenced[i].reason));
            json_object_object_add(obj, "text",
                                   json_object_new_string(attention_silenced_line(
                                       &a->silenced[i], st->rep->tz, line, sizeof line)));
        }
        json_object_array_add(quiet, obj);
    }
    fputs(",\n", st->out);
    return rc | put_member(st->out, "silenced", quiet, "");
}

static int json_end(void *state, const struct cell *totals)
{
    struct json_state *st = state;
    int rc = 0;
    fputs(st->nrows ? "\n  ]" : "]", st->out);
    if (totals && st->rep->total_cols) {
        fputs(",\n", st->out);
        rc = put_member(st->out, "totals", object_of(st->rep->total_cols, st->rep->n_total, totals),
                        "");
    }
    if (st->rep->attention)
        rc |= put_attention(st);
    fputs("\n}\n", st->out);
    rc |= ferror(st->out) ? -1 : 0;
    free(st);
    return rc;
}

const struct fmt_writer fmt_json = {"json", json_begin, json_header, json_row, json_end, 0};
