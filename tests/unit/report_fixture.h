/* The report's unit tests share this: a database file of hand-written rows, opened as the
 * report opens it, reports written to memory, and CSV parsed back with libcsv. */
#ifndef ETLHIST_TEST_REPORT_FIXTURE_H
#define ETLHIST_TEST_REPORT_FIXTURE_H

#include "db.h"
#include "run.h"
#include "log.h"
#include "numfmt.h"
#include "sqlfiles.h"
#include "stats.h"
#include "window.h"
#include "zone.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>

#define NUL INT64_MIN /* an integer column left NULL */
#define B 1795003200  /* 2026-11-18 12:00:00 UTC: where the test windows start */
#define DAY 86400
#define MAX_ROWS 32
#define MAX_FIELDS 24
#define ck_field(t, r, name, want) ck_assert_str_eq(field(t, r, name), want)

struct fixture {
    char path[128];
    sqlite3 *db; /* read-write, for inserting */
    struct source src;
    struct etl_list etls;
};

struct table {
    char *f[MAX_ROWS][MAX_FIELDS];
    size_t nf[MAX_ROWS];
    size_t rows;
};

extern struct fixture fx;

void fixture_create(void);
void insert(const char *sql, const char *types, ...);
void add_instance(int64_t id, const char *name, int64_t interval_s);
void add_etl(int64_t ref, int64_t instance, int64_t etl_id, const char *name);
void add_run(int64_t ref, int64_t start, const char *outcome, int64_t lo, int64_t hi);
void add_sample(int64_t ref, int64_t first, int64_t last, int64_t polls, const char *status,
                int64_t http, const char *error);
void fixture_open(void);
void fixture_free(void);
const struct query_etl *etl(int64_t etl_id);
char *write_report(const char *report, const char *format, int64_t since, int64_t until,
                   const struct fmt_opts *opts);
void parse_csv(const char *text, char delimiter, struct table *t);
void table_free(struct table *t);
const char *field(const struct table *t, size_t r, const char *name);
void csv_of(const char *report, int64_t since, int64_t until, struct table *t);
void summary_fixture(void);
void csv_fixture(void);

/* An ETL name that reads "invoiceexe.jpg" where bidirectional controls are obeyed: U+202E
 * RIGHT-TO-LEFT OVERRIDE, then U+202C POP DIRECTIONAL FORMATTING. Every display output shows
 * BIDI_SHOWN instead. */
#define BIDI_NAME "invoice\xE2\x80\xAEgpj.exe\xE2\x80\xAC"
#define BIDI_SHOWN "invoice\xEF\xBF\xBDgpj.exe\xEF\xBF\xBD"
/* U+0085 NEXT LINE, a C1 control. */
#define C1_NAME "next\xC2\x85line"
/* One instance "prod" with ETL 1 named BIDI_NAME (one run) and ETL 2 named C1_NAME. */
void bidi_fixture(void);
/* text holds neither control of BIDI_NAME. */
#define ck_no_bidi(text)                                                                           \
    do {                                                                                           \
        ck_assert_ptr_null(strstr(text, "\xE2\x80\xAE"));                                          \
        ck_assert_ptr_null(strstr(text, "\xE2\x80\xAC"));                                          \
    } while (0)

#endif
