/* The metrics file etlhist-collect writes from a database, read back by tests that compare
 * it with the reports: written beside the database, read whole, removed. */
#ifndef ETLHIST_TEST_METRICS_FILE_H
#define ETLHIST_TEST_METRICS_FILE_H

#include "db.h"
#include "prom.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The metrics file of the database at db_path as written at now (malloc'd text). */
static inline char *metrics_text(const char *db_path, int64_t now)
{
    sqlite3 *db;
    char prom[256];
    snprintf(prom, sizeof prom, "%s.prom", db_path);
    ck_assert_int_eq(db_open(db_path, DB_READWRITE, &db), 0);
    ck_assert_int_eq(prom_write(db, prom, now), 0);
    db_close(db);
    FILE *f = fopen(prom, "r");
    ck_assert_ptr_nonnull(f);
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_ge(getdelim(&text, &len, '\0', f), 0);
    fclose(f);
    unlink(prom);
    return text;
}

/* The value of the sample whose series (name{labels}) is series, at the start of a line:
 * 1 and *value, or 0 when there is none. */
static inline int metrics_find(const char *text, const char *series, long long *value)
{
    size_t n = strlen(series);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n'), line = line ? line + 1 : NULL)
        if (strncmp(line, series, n) == 0 && line[n] == ' ') {
            *value = strtoll(line + n + 1, NULL, 10);
            return 1;
        }
    return 0;
}

#endif
