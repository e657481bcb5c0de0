#include "dbcheck.h"

#include "log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HEADER_LEN 100
#define MARK_SUFFIX ".checked"

/* A path as a shell word: quoted when it holds anything but [A-Za-z0-9/._+,-]. */
static void shell_word(const char *s, char *buf, size_t cap)
{
    if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+,-") ==
        strlen(s)) {
        snprintf(buf, cap, "%s", s);
        return;
    }
    size_t k = 0;
    buf[k++] = '\'';
    for (; *s && k + 5 < cap; s++) {
        if (*s == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *s;
        }
    }
    buf[k++] = '\'';
    buf[k] = 0;
}

void dbcheck_log_damage(const char *path, const char *cause)
{
    char file[1100], recovered[1200], new_path[1200];
    snprintf(new_path, sizeof new_path, "%s.recovered", path);
    shell_word(path, file, sizeof file);
    shell_word(new_path, recovered, sizeof recovered);
    log_err("database %s is damaged (%s); nothing is written to it. Keep the file: recover what "
            "it holds with `sqlite3 %s .recover | sqlite3 %s` and move %s to its path, or move "
            "the damaged file aside and etlhist-collect starts a new history",
            path, cause, file, recovered, recovered);
}

int dbcheck_is_damage(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Whether a write-ahead log with something in it lies beside path: a database created and
 * committed to, never checkpointed, has an empty main file. */
static int has_wal(const char *path)
{
    char wal[4200];
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", path);
    return stat(wal, &st) == 0 && st.st_size > 0;
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* What is wrong with a header that begins with SQLite's magic, or NULL. The fix for a bad
 * file-format version: etlhist files are in WAL mode (2). */
static const char *header_fault(const unsigned char *h, char *buf, size_t cap, int *fixable)
{
    unsigned page = be16(h + 16);
    *fixable = 0;
    for (int at = 18; at <= 19; at++)
        if (h[at] != 1 && h[at] != 2) {
            snprintf(buf, cap,
                     "its header has %s version %u at byte %d, where SQLite writes 1 or 2",
                     at == 18 ? "write" : "read", h[at], at);
            *fixable = at;
            return buf;
        }
    if (page != 1 && (page < 512 || (page & (page - 1)))) {
        snprintf(buf, cap, "its header has page size %u at byte 16", page);
        return buf;
    }
    if (h[21] != 64 || h[22] != 32 || h[23] != 32) {
        snprintf(buf, cap, "its header has %u %u %u at bytes 21-23, where SQLite writes 64 32 32",
                 h[21], h[22], h[23]);
        return buf;
    }
    return NULL;
}

static int header_refused(const char *path, const unsigned char *h)
{
    char why[160];
    int fixable;
    if (!header_fault(h, why, sizeof why, &fixable))
        return 0;
    if (fixable)
        log_err("database %s: %s; nothing is written to it. Keep a copy of the file, then set the "
                "byte back with `printf '\\002' | dd of=%s bs=1 seek=%d conv=notrunc`",
                path, why, path, fixable);
    else
        dbcheck_log_damage(path, why);
    return -1;
}

int dbcheck_header(const char *path)
{
    unsigned char h[HEADER_LEN];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* missing, or unreadable: SQLite's open says which */
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n == 0 && has_wal(path))
        return 0;
    if (n == 0) {
        log_err("database %s: empty file (0 bytes), not an etlhist database; nothing is written "
                "to it. Remove it (or give another path) and etlhist-collect starts a new history",
                path);
        return -1;
    }
    if (n < HEADER_LEN || memcmp(h, "SQLite format 3", 16)) {
        log_err("database %s: not an SQLite database (it does not begin with the SQLite header); "
                "nothing is written to it",
                path);
        return -1;
    }
    return header_refused(path, h);
}

static int one_int(sqlite3 *db, const char *sql, int *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int dbcheck_damaged(sqlite3 *db)
{
    int query_only = 0;
    return one_int(db, "PRAGMA query_only", &query_only) == 0 && query_only;
}

/* From now on SQLite itself refuses every write on the connection. */
static void refuse_writes(sqlite3 *db, const char *cause)
{
    dbcheck_log_damage(sqlite3_db_filename(db, "main"), cause);
    sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
}

int dbcheck_after_error(sqlite3 *db)
{
    if (dbcheck_is_damage(sqlite3_extended_errcode(db))) {
        char cause[200];
        snprintf(cause, sizeof cause, "%s", sqlite3_errmsg(db));
        if (dbcheck_damaged(db))
            return 1;
        refuse_writes(db, cause);
        return 1;
    }
    return dbcheck_damaged(db);
}

int dbcheck_quick(sqlite3 *db)
{
    sqlite3_stmt *st;
    char first[200] = "";
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        if ((rc = sqlite3_step(st)) == SQLITE_ROW)
            snprintf(first, sizeof first, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_ROW && !strcmp(first, "ok"))
        return 0;
    if (rc == SQLITE_ROW) {
        char cause[240];
        snprintf(cause, sizeof cause, "quick_check: %s", log_clean(first));
        refuse_writes(db, cause);
        return 1;
    }
    if (dbcheck_after_error(db))
        return 1;
    log_err("database %s: quick_check: %s", sqlite3_db_filename(db, "main"), sqlite3_errmsg(db));
    return -1;
}

/* DB.checked holds "ok T" or "damaged T": the outcome of the last quick_check and when. */
static int read_mark(const char *path, int *ok, int64_t *when)
{
    char mark[4200], word[16];
    snprintf(mark, sizeof mark, "%s" MARK_SUFFIX, path);
    FILE *f = fopen(mark, "r");
    if (!f)
        return -1;
    int n = fscanf(f, "%15s %" SCNd64, word, when);
    fclose(f);
    if (n != 2)
        return -1;
    *ok = !strcmp(word, "ok");
    return 0;
}

/* A mark that cannot be written costs a check on the next run, nothing more. */
static void write_mark(const char *path, int ok, int64_t now)
{
    char mark[4200];
    snprintf(mark, sizeof mark, "%s" MARK_SUFFIX, path);
    FILE *f = fopen(mark, "w");
    if (!f) {
        log_info("%s: %s (the check runs again next time)", mark, strerror(errno));
        return;
    }
    fprintf(f, "%s %" PRId64 "\n", ok ? "ok" : "damaged", now);
    if (fclose(f))
        log_info("%s: %s (the check runs again next time)", mark, strerror(errno));
}

/* A clock set back more than a day also asks for a check: the mark is not to be trusted. */
static int check_due(const char *path, int64_t now)
{
    int ok;
    int64_t when;
    if (read_mark(path, &ok, &when))
        return 1;
    return !ok || now - when >= DBCHECK_EVERY_S || when - now >= DBCHECK_EVERY_S;
}

/* SQLite opens a file it may not write read-only without a word, and BEGIN IMMEDIATE in WAL
 * mode succeeds there: both are asked. */
static int writable(sqlite3 *db, const char *path)
{
    if (sqlite3_db_readonly(db, "main") == 1) {
        log_err("database %s: cannot write: attempt to write a readonly database (the file's "
                "mode or owner); nothing polled",
                path);
        return -1;
    }
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        if (!dbcheck_after_error(db))
            log_err("database %s: cannot write: %s; nothing polled", path, sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

int dbcheck_before_pass(sqlite3 *db, const char *path, int64_t now)
{
    if (dbcheck_damaged(db))
        return -1;
    if (check_due(path, now)) {
        int rc = dbcheck_quick(db);
        if (rc >= 0)
            write_mark(path, rc == 0, now);
        if (rc)
            return -1;
    }
    return writable(db, path);
}

int dbcheck_before_report(sqlite3 *db, const char *path)
{
    int ok;
    int64_t when;
    if (read_mark(path, &ok, &when) == 0 && !ok)
        return dbcheck_quick(db) ? -1 : 0;
    return 0;
}
