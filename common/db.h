/* Opening, creating and migrating the etlhist SQLite database. */
#ifndef ETLHIST_DB_H
#define ETLHIST_DB_H

#include <sqlite3.h>

#define DB_SCHEMA_VERSION 1
#define DB_BUSY_TIMEOUT_MS 10000

enum db_mode { DB_READWRITE, DB_READONLY };

/* Opens path with WAL, foreign keys and a busy timeout. A read-write open creates or
 * migrates the schema; a read-only open never writes. Errors are logged; returns 0 or -1. */
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

#endif
