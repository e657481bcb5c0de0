/* A damaged history is noticed and never written further (docs/dev/reliability.md): the file's
 * header is read before SQLite opens it, PRAGMA quick_check runs when the collector has not
 * checked the file for a day, and SQLITE_CORRUPT or SQLITE_NOTADB from any statement stops
 * every write on the connection. The last check is recorded in DB.checked beside the file. */
#ifndef ETLHIST_DBCHECK_H
#define ETLHIST_DBCHECK_H

#include <sqlite3.h>
#include <stdint.h>

/* How often the collector runs PRAGMA quick_check on its database (docs/dev/PERFORMANCE.md). */
#define DBCHECK_EVERY_S 86400

/* Reads the 100-byte header of the file at path before SQLite does: an empty file (with no
 * write-ahead log beside it), a file that is not SQLite, and header fields SQLite would
 * misread (a write or read version other than 1 or 2, a bad page size, bytes 21-23) are
 * refused with a line that says what is wrong and what to do. A missing file passes (the
 * collector creates it; a read-only open reports it). Returns 0, or -1 after logging. */
int dbcheck_header(const char *path);

/* Whether rc (a result code, extended or not) means a damaged file: SQLITE_CORRUPT or
 * SQLITE_NOTADB. */
int dbcheck_is_damage(int rc);

/* After a failed call on db: when its error is damage, logs the damage line (once per
 * connection) and makes the connection refuse every write from then on (PRAGMA
 * query_only). Returns 1 when the connection has met damage, now or before, else 0. */
int dbcheck_after_error(sqlite3 *db);

/* Whether db has met damage (dbcheck_after_error or dbcheck_quick): it writes nothing more. */
int dbcheck_damaged(sqlite3 *db);

/* The one line said about a damaged file: its name, the cause, and what to do. */
void dbcheck_log_damage(const char *path, const char *cause);

/* PRAGMA quick_check on db. Returns 0 when the file is whole, 1 when it is damaged (logged,
 * the connection refusing writes), -1 when the check itself could not run (logged). */
int dbcheck_quick(sqlite3 *db);

/* The collector's check before a pass: quick_check when the file at path was not found whole
 * in the last DBCHECK_EVERY_S seconds before now (path.checked), the outcome recorded there;
 * then whether the connection can write (BEGIN IMMEDIATE). Returns 0, or -1 after logging
 * (damaged, or not writable). */
int dbcheck_before_pass(sqlite3 *db, const char *path, int64_t now);

/* The report's check: a file the collector found damaged (path.checked) is checked again
 * before anything is read from it. Returns 0, or -1 after logging. */
int dbcheck_before_report(sqlite3 *db, const char *path);

#endif
