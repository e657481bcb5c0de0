#include "db.h"

#include "dbcheck.h"
#include "log.h"
#include "sqlfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A damaged file is said once, by dbcheck, and the errors that follow from it are not. */
void db_log_error(sqlite3 *db, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(db));
    if (!dbcheck_after_error(db))
        log_err("database %s: %s: %s", sqlite3_db_filename(db, "main"), what, msg);
}

int db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (!dbcheck_after_error(db))
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

static int set_version(sqlite3 *db)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", DB_SCHEMA_VERSION);
    return db_exec(db, sql);
}

static int create_schema(sqlite3 *db)
{
    if (db_exec(db, sql_schema) || db_exec(db, sql_views) || set_version(db))
        return -1;
    return 0;
}

/* v1 → current: the v1 tables step aside, the current schema is created, every row is copied
 * over and the v1 tables dropped. v2 → v3 and v3 → v4: columns are added (sql/migrate_v2.sql,
 * sql/migrate_v3.sql). Every upgrade ends by judging the recorded history as the current
 * collector would (sql/migrate_v3_history.sql). The caller holds the transaction: a failure
 * anywhere rolls it all back and leaves the file as it was. */
static int upgrade_v1(sqlite3 *db)
{
    if (db_exec(db, sql_migrate_v1_rename) || db_exec(db, sql_schema) ||
        db_exec(db, sql_migrate_v1_copy))
        return -1;
    return 0;
}

static int upgrade(sqlite3 *db, const char *path, long long version)
{
    log_info("database %s: upgrading schema %lld to %d", path, version, DB_SCHEMA_VERSION);
    int rc = version == 1   ? upgrade_v1(db)
             : version == 2 ? db_exec(db, sql_migrate_v2) || db_exec(db, sql_migrate_v3)
                            : db_exec(db, sql_migrate_v3);
    if (rc || db_exec(db, sql_migrate_v3_history) || db_exec(db, sql_views) || set_version(db))
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
        log_err("database %s: not an etlhist database (it has tables but no etlhist schema)", path);
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
    /* Another collector may have created or upgraded the schema while we waited. */
    int need = check_version(db, path, 1);
    if (need == 1) {
        long long version = query_int(db, "PRAGMA user_version");
        int rc = version == 0 ? create_schema(db) : upgrade(db, path, version);
        need = rc == 0 ? 0 : -1;
    }
    if (need != 0) {
        log_err("database %s: schema not %s; the file is unchanged", path,
                query_int(db, "PRAGMA user_version") == 0 ? "created" : "upgraded");
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
    int flags =
        mode == DB_READONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
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

void db_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int64(st, i, v);
}

void db_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0 && v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else if (i > 0)
        sqlite3_bind_null(st, i);
}

void db_bind_null(sqlite3_stmt *st, const char *name)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_null(st, i);
}

static int codes_push(struct db_codes *c, int64_t id, const char *text)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        struct db_code *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n].id = id;
    if (!(c->v[c->n].text = strdup(text)))
        return -1;
    c->n++;
    return 0;
}

int db_codes_load(struct db_codes *c, sqlite3 *db)
{
    sqlite3_stmt *st;
    memset(c, 0, sizeof *c);
    c->db = db;
    if (db_prepare(db, sql_collect_code_list, &st))
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (codes_push(c, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1)))
            break;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_log_error(db, rc == SQLITE_ROW ? "out of memory" : "read codes");
        return -1;
    }
    return db_prepare(db, sql_collect_code_add, &c->add);
}

int db_code_id(struct db_codes *c, const char *text, int64_t *id)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].text, text)) {
            *id = c->v[i].id;
            return 0;
        }
    db_bind_text(c->add, ":text", text);
    int rc = sqlite3_step(c->add);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(c->add, 0);
        rc = sqlite3_step(c->add);
    }
    sqlite3_reset(c->add);
    if (rc != SQLITE_DONE) {
        db_log_error(c->db, "add code");
        return -1;
    }
    if (codes_push(c, *id, text)) {
        log_err("out of memory");
        return -1;
    }
    return 0;
}

void db_codes_free(struct db_codes *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].text);
    free(c->v);
    sqlite3_finalize(c->add);
    memset(c, 0, sizeof *c);
}
