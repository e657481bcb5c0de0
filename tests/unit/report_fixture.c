#include "report_fixture.h"

#include "formats.h"

#include <csv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixture: a database file of hand-written rows ---- */

struct fixture fx;

void fixture_create(void)
{
    static int n;
    snprintf(fx.path, sizeof fx.path, "/tmp/etlhist-test-report-%d-%d.db", (int)getpid(), n++);
    unlink(fx.path);
    ck_assert_int_eq(db_open(fx.path, DB_READWRITE, &fx.db), 0);
}

/* Runs one INSERT; types is one letter per parameter: i (int64, NUL for NULL), s (text). */
void insert(const char *sql, const char *types, ...)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(fx.db, sql, -1, &st, NULL), SQLITE_OK);
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i') {
            int64_t v = va_arg(ap, int64_t);
            if (v == NUL)
                sqlite3_bind_null(st, i + 1);
            else
                sqlite3_bind_int64(st, i + 1, v);
        } else {
            const char *s = va_arg(ap, const char *);
            sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
        }
    }
    va_end(ap);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The polling interval lives in passes: a pass at time 0 that observed nothing sets it. */
void add_instance(int64_t id, const char *name, int64_t interval_s)
{
    insert("INSERT INTO instance (id, name, url) VALUES (?, ?, 'http://co')", "is", id, name);
    insert("INSERT INTO pass (instance_id, started, took_s, polled, ok, errors, interval_s, error) "
           "VALUES (?, 0, 0, 0, 0, 0, ?, 'fixture')",
           "ii", id, interval_s);
}

void add_etl(int64_t ref, int64_t instance, int64_t etl_id, const char *name)
{
    insert("INSERT INTO etl (id, instance_id, etl_id, name, first_seen, last_seen) "
           "VALUES (?, ?, ?, ?, ?, ?)",
           "iiisii", ref, instance, etl_id, name, (int64_t)(B - 30 * DAY), (int64_t)(B + 30 * DAY));
}

void add_run(int64_t ref, int64_t start, const char *outcome, int64_t lo, int64_t hi)
{
    insert("INSERT INTO run (etl_ref, start_ts, seq, end_seen_s, outcome, exit_code, task_id, "
           "dur_lo_s, dur_hi_s) VALUES (?1, ?2, "
           "(SELECT count(*) FROM run WHERE etl_ref = ?1 AND start_ts = ?2), ?3, "
           "(SELECT id FROM code WHERE text = ?4), (SELECT id FROM code WHERE text = ?5), 467, ?6, "
           "?7)",
           "iiissii", ref, start, hi, outcome, strcmp(outcome, "ABORTED") == 0 ? NULL : outcome, lo,
           hi);
}

void add_sample(int64_t ref, int64_t first, int64_t last, int64_t polls, const char *status,
                int64_t http, const char *error)
{
    insert("INSERT INTO sample (etl_ref, first_seen, span_s, polls, status, http_code, error) "
           "VALUES (?, ?, ?, ?, (SELECT id FROM code WHERE text = ?), ?, ?)",
           "iiiisis", ref, first, last - first, polls, status, http, error);
}

/* Closes the writer connection and opens the file as the report does: read-only. */
void fixture_open(void)
{
    db_close(fx.db);
    fx.db = NULL;
    ck_assert_int_eq(query_open(&fx.src, fx.path), 0);
    struct report_filter all = {0};
    ck_assert_int_eq(report_list(&fx.src, 1, &all, &fx.etls), 0);
}

void fixture_free(void)
{
    etl_list_free(&fx.etls);
    query_close(&fx.src);
    db_close(fx.db);
    fx.db = NULL;
    unlink(fx.path);
}

const struct query_etl *etl(int64_t etl_id)
{
    for (size_t i = 0; i < fx.etls.n; i++)
        if (fx.etls.v[i].etl_id == etl_id)
            return &fx.etls.v[i];
    ck_abort_msg("no ETL %lld", (long long)etl_id);
    return NULL;
}

/* ---- writing a report to memory, and parsing CSV back with libcsv ---- */

char *write_report(const char *report, const char *format, int64_t since, int64_t until,
                   const struct fmt_opts *opts)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct window win = {since, until, "UTC"};
    struct fmt_opts plain = {.delimiter = ',', .header = 1};
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(report_write(report_find(report), &win, &fx.etls, fmt_find(format),
                                  opts ? opts : &plain, out),
                     0);
    fclose(out);
    return buf;
}

static void on_field(void *s, size_t len, void *data)
{
    struct table *t = data;
    ck_assert_uint_lt(t->rows, MAX_ROWS);
    ck_assert_uint_lt(t->nf[t->rows], MAX_FIELDS);
    t->f[t->rows][t->nf[t->rows]++] = strndup(s ? s : "", len);
}

static void on_row(int c, void *data)
{
    (void)c;
    ((struct table *)data)->rows++;
}

void parse_csv(const char *text, char delimiter, struct table *t)
{
    struct csv_parser p;
    memset(t, 0, sizeof *t);
    ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
    csv_set_delim(&p, (unsigned char)delimiter);
    size_t len = strlen(text);
    ck_assert_uint_eq(csv_parse(&p, text, len, on_field, on_row, t), len);
    ck_assert_int_eq(csv_fini(&p, on_field, on_row, t), 0);
    csv_free(&p);
}

void table_free(struct table *t)
{
    for (size_t r = 0; r < MAX_ROWS; r++)
        for (size_t i = 0; i < t->nf[r]; i++)
            free(t->f[r][i]);
}

/* The field under column name in data row r (row 0 is the header). */
const char *field(const struct table *t, size_t r, const char *name)
{
    for (size_t i = 0; i < t->nf[0]; i++)
        if (strcmp(t->f[0][i], name) == 0) {
            ck_assert_uint_lt(i, t->nf[r]);
            return t->f[r][i];
        }
    ck_abort_msg("no column %s", name);
    return NULL;
}

void csv_of(const char *report, int64_t since, int64_t until, struct table *t)
{
    char *text = write_report(report, "csv", since, until, NULL);
    parse_csv(text, ',', t);
    free(text);
}

/* Runs at since - 1 and at until are outside; the one at since is inside. */
void summary_fixture(void)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 321, "Daily extract");
    add_run(1, B - 1, "ERROR", 1, 1);
    int64_t t = B;
    add_run(1, t, "OK", 10, 10);
    add_run(1, t += 3600, "OK", 20, 20);
    add_run(1, t += 3600, "OK", 30, 30);
    add_run(1, t += 3600, "OK", 40, 40);
    add_run(1, t += 3600, "OK", 50, 50);
    add_run(1, t += 3600, "OK", 60, 62);
    add_run(1, t += 3600, "WARNING", 70, 70);
    add_run(1, t += 3600, "ERROR", 80, 80);
    add_run(1, t += 3600, "ERROR", NUL, NUL);
    add_run(1, t += 3600, "ABORTED", 0, 5);
    add_run(1, t += 3600, "UNKNOWN", NUL, NUL);
    add_run(1, t += 3600, "RUNNING", NUL, NUL);
    add_run(1, B + 7 * DAY, "ERROR", 1, 1);
    add_sample(1, B - 600, B + 7 * DAY + 600, 2020, "WAITING", 200, NULL);
    fixture_open();
}

void csv_fixture(void)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, "=HYPERLINK(\"x\")");
    add_etl(2, 1, 2, "@cmd");
    add_etl(3, 1, 3, "comma, \"quote\"\nand newline");
    add_etl(4, 1, 4, "-5");
    insert("INSERT INTO code (text) VALUES ('+1')", "");
    insert("INSERT INTO run (etl_ref, start_ts, outcome, exit_code, task_id) "
           "VALUES (?, ?, (SELECT id FROM code WHERE text = 'ERROR'), "
           "(SELECT id FROM code WHERE text = '+1'), -5)",
           "ii", (int64_t)1, (int64_t)(B + 10));
    for (int64_t ref = 2; ref <= 4; ref++)
        add_run(ref, B + 20, "OK", 3, 4);
    fixture_open();
}

void bidi_fixture(void)
{
    fixture_create();
    add_instance(1, "prod", 300);
    add_etl(1, 1, 1, BIDI_NAME);
    add_etl(2, 1, 2, C1_NAME);
    add_run(1, B + 10, "OK", 3, 4);
    fixture_open();
}
