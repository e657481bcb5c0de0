#include "db.h"

#include "log.h"
#include "sqlfiles.h"

#include <stdio.h>

void db_log_error(sqlite3 *db, const char *what)
{
    log_err("database %s: %s: %s", sqlite3_db_filename(db, "main"), what, sqlite3_errmsg(db));
}

int db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_err("database %s: %s", sqlite3_db_filename(db, "main"), msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

void db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        db_exec(db, "ROLLBACK");
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        db_log_error(db, "prepare");
        return -1;
    }
    return 0;
}

int db_step_done(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_log_error(db, "write");
        return -1;
    }
    return 0;
}

/* Returns the integer of a one-value query, or -1 on error. */
static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int create_schema(sqlite3 *db)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", DB_SCHEMA_VERSION);
    if (db_exec(db, sql_schema) || db_exec(db, sql_views) || db_exec(db, sql))
        return -1;
    return 0;
}

/* Version checks shared by both modes; migrate says whether a missing schema may be made. */
static int check_version(sqlite3 *db, const char *path, int migrate)
{
    long long version = query_int(db, "PRAGMA user_version");
    if (version < 0) {
        log_err("database %s: %s", path, sqlite3_errmsg(db));
        return -1;
    }
    if (version > DB_SCHEMA_VERSION) {
        log_err("database %s: schema version %lld is newer than this etlhist supports (%d); "
                "upgrade etlhist",
                path, version, DB_SCHEMA_VERSION);
        return -1;
    }
    if (version == DB_SCHEMA_VERSION)
        return 0;
    long long tables = query_int(db, "SELECT count(*) FROM sqlite_schema");
    if (version == 0 && tables != 0) {
        log_err("database %s: not an etlhist database (it has tables but no etlhist schema)",
                path);
        return -1;
    }
    if (!migrate) {
        log_err("database %s: %s", path,
                version == 0 ? "not an etlhist database (empty)"
                             : "older schema; run etlhist-collect once to upgrade it");
        return -1;
    }
    return 1; /* needs creating or migrating */
}

static int migrate(sqlite3 *db, const char *path)
{
    if (db_exec(db, "BEGIN IMMEDIATE"))
        return -1;
    /* Another collector may have created the schema while we waited for the lock. */
    int need = check_version(db, path, 1);
    if (need == 1 && create_schema(db) == 0)
        need = 0;
    if (need != 0) {
        db_rollback(db);
        return -1;
    }
    return db_exec(db, "COMMIT");
}

static int configure(sqlite3 *db, enum db_mode mode)
{
    sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    if (db_exec(db, "PRAGMA foreign_keys = ON"))
        return -1;
    if (mode == DB_READONLY)
        return 0;
    /* FULL: a pass that was reported stored survives a power cut. */
    return db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
}

int db_open(const char *path, enum db_mode mode, sqlite3 **out)
{
    sqlite3 *db = NULL;
    int flags = mode == DB_READONLY ? SQLITE_OPEN_READONLY
                                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        log_err("database %s: cannot open: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    int need = -1;
    if (configure(db, mode) == 0)
        need = check_version(db, path, mode == DB_READWRITE);
    if (need == 1)
        need = migrate(db, path);
    if (need != 0) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

void db_close(sqlite3 *db)
{
    if (db)
        sqlite3_close(db);
}
