/* CSV round trip through the report's own writer (report/writers/fmt_csv.c, the fmt_csv table
 * entry) and libcsv's reader. The input is one row: its first byte picks the delimiter
 * (',' ';' TAB '|'), the rest is split on NUL bytes into text cells (C strings cannot hold
 * NUL), after one integer cell. Checks: no memory error or undefined behaviour; the output
 * reads back as exactly one record with one field per cell; the integer is untouched; every
 * text reads back byte for byte, except that one starting with = + - @ TAB or CR carries a
 * leading ' (OWASP CSV injection). Spaces are significant (libcsv would trim them). */
#include "fmt.h"
#include "fuzz_util.h"
#include "utf8.h"

#include <csv.h>
#include <stdint.h>

#define MAX_CELLS 16

struct readback {
    char *field[MAX_CELLS + 2];
    size_t len[MAX_CELLS + 2];
    size_t n_fields;
    size_t n_records;
};

static void on_field(void *s, size_t len, void *user)
{
    struct readback *rb = user;
    if (rb->n_records == 0 && rb->n_fields < MAX_CELLS + 2) {
        rb->field[rb->n_fields] = malloc(len + 1);
        FUZZ_CHECK(rb->field[rb->n_fields] != NULL);
        memcpy(rb->field[rb->n_fields], s, len);
        rb->field[rb->n_fields][len] = '\0';
        rb->len[rb->n_fields] = len;
    }
    rb->n_fields += rb->n_records == 0;
}

static void on_record(int c, void *user)
{
    (void)c;
    ((struct readback *)user)->n_records++;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t', '|'};
    static const struct column proto = {"c", "c", COL_TEXT, 0};
    struct column cols[MAX_CELLS + 1];
    struct cell cells[MAX_CELLS + 1];
    if (size < 1)
        return 0;
    char delim = delims[data[0] % 4];
    char *text = fuzz_cstr(data + 1, size - 1);
    size_t n = 1;
    cols[0] = (struct column){"n", "n", COL_INT, 0};
    cells[0] = cell_int(-42);
    for (const char *p = text; n <= MAX_CELLS && p <= text + size - 1; p += strlen(p) + 1) {
        cols[n] = proto;
        cells[n++] = cell_text(p);
    }

    struct fmt_report rep = {"fuzz", cols, n, NULL, 0, 1, 0, 0};
    struct fmt_opts opts = {.delimiter = delim};
    char *out = NULL;
    size_t out_len = 0;
    FILE *fp = open_memstream(&out, &out_len);
    FUZZ_CHECK(fp != NULL);
    void *st = fmt_csv.begin(fp, &rep, &opts);
    FUZZ_CHECK(st != NULL);
    FUZZ_CHECK(fmt_csv.header(st) == 0);
    FUZZ_CHECK(fmt_csv.row(st, cells, 0) == 0);
    FUZZ_CHECK(fmt_csv.end(st, NULL) == 0);
    fclose(fp);
    FUZZ_CHECK(out_len >= 2 && memcmp(out + out_len - 2, "\r\n", 2) == 0);

    struct csv_parser parser;
    struct readback rb = {0};
    FUZZ_CHECK(csv_init(&parser, 0) == 0);
    csv_set_delim(&parser, (unsigned char)delim);
    csv_set_space_func(&parser, no_space);
    FUZZ_CHECK(csv_parse(&parser, out, out_len, on_field, on_record, &rb) == out_len);
    FUZZ_CHECK(csv_fini(&parser, on_field, on_record, &rb) == 0);
    csv_free(&parser);

    FUZZ_CHECK(rb.n_records == 1);
    FUZZ_CHECK(rb.n_fields == n);
    FUZZ_CHECK(strcmp(rb.field[0], "-42") == 0);
    for (size_t i = 1; i < n; i++) {
        /* bidi controls are shown as U+FFFD in CSV as in every display output (utf8.h) */
        char *shown = utf8_unbidi_dup(cells[i].text);
        FUZZ_CHECK(shown != NULL);
        const char *want = shown;
        int neutralised = want[0] && strchr("=+-@\t\r", want[0]) != NULL;
        if (neutralised) {
            FUZZ_CHECK(rb.field[i][0] == '\'');
            FUZZ_CHECK(strcmp(rb.field[i] + 1, want) == 0);
        } else {
            FUZZ_CHECK(strcmp(rb.field[i], want) == 0);
        }
        FUZZ_CHECK(rb.len[i] == strlen(want) + (size_t)neutralised); /* no NUL crept in */
        free(shown);
    }
    for (size_t i = 0; i < rb.n_fields && i < MAX_CELLS + 2; i++)
        free(rb.field[i]);
    free(out);
    free(text);
    return 0;
}
