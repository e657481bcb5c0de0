/* Opening, creating and migrating the etlhist SQLite database. */
#ifndef ETLHIST_DB_H
#define ETLHIST_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define DB_SCHEMA_VERSION 4
#define DB_BUSY_TIMEOUT_MS 10000

enum db_mode { DB_READWRITE, DB_READONLY };

/* Opens path with WAL, foreign keys and a busy timeout. A read-write open creates the schema
 * or upgrades an older one in place (one transaction: all or nothing); a read-only open never
 * writes. Errors are logged; returns 0 or -1. */
int db_open(const char *path, enum db_mode mode, sqlite3 **out);
void db_close(sqlite3 *db);

/* Runs SQL without results (several statements allowed); logs and returns -1 on error. */
int db_exec(sqlite3 *db, const char *sql);
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
/* Rolls back the open transaction, if SQLite has not already done so after an error. */
void db_rollback(sqlite3 *db);
/* Steps a statement that returns no rows, then resets it. */
int db_step_done(sqlite3 *db, sqlite3_stmt *st);
/* Logs "database: WHAT: sqlite message". */
void db_log_error(sqlite3 *db, const char *what);

/* Named parameters (":name", as the sql/ files write them); a name the statement does not
 * have is skipped, so one binder serves statements that use a subset. */
void db_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
/* Binds NULL when v is NULL or "". */
void db_bind_text(sqlite3_stmt *st, const char *name, const char *v);
void db_bind_null(sqlite3_stmt *st, const char *name);

/* Status words, exit codes and outcomes are stored as numbers of the code table. The cache
 * holds the table (a few dozen rows) for the length of one write transaction. */
struct db_codes {
    sqlite3 *db;
    sqlite3_stmt *add;
    struct db_code {
        int64_t id;
        char *text;
    } * v;
    size_t n, cap;
};

/* Reads the code table into c. Returns 0, or -1 after logging. */
int db_codes_load(struct db_codes *c, sqlite3 *db);
/* The number of text, adding text to the table (verbatim) when it is new. */
int db_code_id(struct db_codes *c, const char *text, int64_t *id);
void db_codes_free(struct db_codes *c);

#endif
