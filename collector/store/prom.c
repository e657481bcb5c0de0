#include "prom.h"

#include "db.h"
#include "log.h"
#include "rules.h"
#include "schedule.h"
#include "sqlfiles.h"
#include "zone.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Label values escape backslash, double quote and newline (text exposition format). */
static void label(FILE *f, const char *v)
{
    for (; v && *v; v++) {
        if (*v == '\\' || *v == '"')
            fputc('\\', f), fputc(*v, f);
        else if (*v == '\n')
            fputs("\\n", f);
        else
            fputc(*v, f);
    }
}

static void head(FILE *f, const char *name, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void etl_labels(FILE *f, sqlite3_stmt *st)
{
    fputs("{instance=\"", f);
    label(f, (const char *)sqlite3_column_text(st, 0));
    fprintf(f, "\",etl_id=\"%lld\"", sqlite3_column_int64(st, 1));
}

/* The ETL's current failure streak, read newest first until it is settled. */
static int failure_streak(sqlite3 *db, sqlite3_stmt *outcomes, int64_t etl_ref, int64_t *count)
{
    struct streak streak = {0};
    int rc;
    sqlite3_reset(outcomes);
    db_bind_int(outcomes, ":etl", etl_ref);
    while ((rc = sqlite3_step(outcomes)) == SQLITE_ROW &&
           !streak_feed(&streak, outcome_parse((const char *)sqlite3_column_text(outcomes, 0))))
        ;
    sqlite3_reset(outcomes);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_log_error(db, "metrics");
        return -1;
    }
    *count = streak.count;
    return 0;
}

/* One metric family over every ETL row; col selects what it shows. */
static int etl_family(FILE *f, sqlite3 *db, int family)
{
    sqlite3_stmt *st, *outcomes = NULL;
    if (db_prepare(db, sql_prom_etls, &st))
        return -1;
    if (family == 3 && db_prepare(db, sql_prom_etl_outcomes, &outcomes)) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc;
    int64_t streak = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 3);
        const char *outcome = (const char *)sqlite3_column_text(st, 6);
        if (family == 0) {
            fputs("etlhist_etl_status", f);
            etl_labels(f, st);
            fputs(",name=\"", f);
            label(f, (const char *)sqlite3_column_text(st, 2));
            fputs("\",status=\"", f);
            label(f, status ? status : "ERROR_POLLING");
            fputs("\"} 1\n", f);
        } else if (family == 1 && sqlite3_column_type(st, 5) != SQLITE_NULL) {
            fputs("etlhist_etl_last_exec_timestamp_seconds", f);
            etl_labels(f, st);
            fprintf(f, "} %lld\n", sqlite3_column_int64(st, 5));
        } else if (family == 2 && outcome) {
            fputs("etlhist_etl_last_outcome", f);
            etl_labels(f, st);
            fprintf(f, ",outcome=\"%s\"} 1\n", outcome);
        } else if (family == 3) {
            if (failure_streak(db, outcomes, sqlite3_column_int64(st, 7), &streak)) {
                rc = SQLITE_ERROR;
                break;
            }
            fputs("etlhist_etl_consecutive_failures", f);
            etl_labels(f, st);
            fprintf(f, "} %lld\n", (long long)streak);
        } else if (family == 4) {
            fputs("etlhist_etl_poll_error", f);
            etl_labels(f, st);
            fprintf(f, "} %d\n", sqlite3_column_int(st, 4));
        } else if (family == 5) {
            fputs("etlhist_etl_deleted", f);
            etl_labels(f, st);
            fprintf(f, "} %d\n", sqlite3_column_int(st, 8));
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(outcomes);
    if (rc != SQLITE_DONE) {
        db_log_error(db, "metrics");
        return -1;
    }
    return 0;
}

static int pass_family(FILE *f, sqlite3 *db, int col, const char *name)
{
    sqlite3_stmt *st;
    if (db_prepare(db, sql_prom_passes, &st))
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(f, "%s{instance=\"", name);
        label(f, (const char *)sqlite3_column_text(st, 0));
        fprintf(f, "\"} %lld\n", sqlite3_column_int64(st, col));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The latest run is RUNNING and still observed: a run the instance's later passes no longer
 * saw is UNKNOWN (observation stopped, common/rules.c), as the reports judge it. */
static int still_running(sqlite3_stmt *st)
{
    if (sqlite3_column_type(st, 4) == SQLITE_NULL ||
        strcmp((const char *)sqlite3_column_text(st, 4), "RUNNING") != 0 ||
        sqlite3_column_type(st, 5) == SQLITE_NULL)
        return 0;
    return sqlite3_column_type(st, 8) == SQLITE_NULL ||
           !rules_run_unobserved(sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 8),
                                 rules_max_gap(sqlite3_column_int64(st, 7)));
}

/* 1 when the ETL's latest run is still RUNNING beyond the duration limit learnt from its
 * earlier runs (common/schedule.c, the rule the reports use). */
static int overdue_now(sqlite3 *db, sqlite3_stmt *bounds, sqlite3_stmt *st)
{
    if (!still_running(st))
        return 0;
    int64_t hi[SCHED_DUR_WINDOW], limit;
    size_t n = 0;
    sqlite3_reset(bounds);
    db_bind_int(bounds, ":etl", sqlite3_column_int64(st, 2));
    db_bind_int(bounds, ":limit", SCHED_DUR_WINDOW);
    int rc;
    while ((rc = sqlite3_step(bounds)) == SQLITE_ROW && n < SCHED_DUR_WINDOW)
        hi[n++] = sqlite3_column_int64(bounds, 0);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_log_error(db, "metrics");
        return -1;
    }
    if (sched_duration_limit(hi, n, sqlite3_column_int64(st, 7), &limit))
        return 0;
    return sched_since_start(sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 5),
                             sqlite3_column_int64(st, 6)) > limit;
}

/* Seconds since each ETL's latest start, and whether that run is overdue now. */
static int run_families(FILE *f, sqlite3 *db, int64_t now)
{
    sqlite3_stmt *st = NULL, *bounds = NULL;
    if (db_prepare(db, sql_prom_etl_latest_run, &st) ||
        db_prepare(db, sql_prom_duration_bounds, &bounds)) {
        sqlite3_finalize(st);
        return -1;
    }
    char *overdue = NULL, *since = NULL;
    size_t overdue_len = 0, since_len = 0;
    FILE *o = open_memstream(&overdue, &overdue_len), *s = open_memstream(&since, &since_len);
    int rc = o && s ? SQLITE_ROW : SQLITE_NOMEM, flag = 0;
    while (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((flag = overdue_now(db, bounds, st)) < 0)
            break;
        fputs("etlhist_etl_overdue", o);
        etl_labels(o, st);
        fprintf(o, "} %d\n", flag);
        if (sqlite3_column_type(st, 3) == SQLITE_NULL)
            continue;
        fputs("etlhist_etl_seconds_since_last_start", s);
        etl_labels(s, st);
        fprintf(s, "} %lld\n",
                (long long)sched_since_start(sqlite3_column_int64(st, 3), now,
                                             sqlite3_column_int64(st, 6)));
    }
    int failed = rc != SQLITE_DONE || flag < 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        db_log_error(db, "metrics");
    if (o)
        fclose(o);
    if (s)
        fclose(s);
    if (!failed) {
        head(f, "etlhist_etl_overdue",
             "1 when the ETL's latest run is still RUNNING beyond its learnt duration limit.");
        fputs(overdue, f);
        head(f, "etlhist_etl_seconds_since_last_start",
             "Seconds since the ETL's latest run started (server clock corrected).");
        fputs(since, f);
    }
    free(overdue);
    free(since);
    sqlite3_finalize(st);
    sqlite3_finalize(bounds);
    return failed ? -1 : 0;
}

/* When the start after the latest run's is missed (its expected time plus grace, our clock),
 * for an ETL that awaits a start (not left ENDED, not deleted) and whose schedule is periodic:
 * learnt from its latest starts on UTC or on its instance's wall clock, and the next expected start
 * not yet served at the latest start, as follow and the reports have it (common/schedule.c).
 * Returns 0 with *due set, 1 when not periodic, -1 on error. */
static int start_due(sqlite3 *db, sqlite3_stmt *starts, sqlite3_stmt *st, int64_t *due)
{
    int64_t v[SCHED_HISTORY];
    size_t n = 0;
    sqlite3_reset(starts);
    db_bind_text(starts, ":instance", (const char *)sqlite3_column_text(st, 0));
    db_bind_int(starts, ":etl_id", sqlite3_column_int64(st, 1));
    db_bind_int(starts, ":limit", SCHED_HISTORY);
    int rc;
    while ((rc = sqlite3_step(starts)) == SQLITE_ROW && n < SCHED_HISTORY)
        v[SCHED_HISTORY - 1 - n++] = sqlite3_column_int64(starts, 0); /* newest first */
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_log_error(db, "metrics");
        return -1;
    }
    if (n == 0 || sqlite3_column_int(st, 10))
        return 1;
    const char *tz = (const char *)sqlite3_column_text(st, 9);
    struct sched_clock wall = {zone_clock_offset, tz};
    struct sched s;
    if (sched_learn_clock(v + SCHED_HISTORY - n, n, tz ? &wall : NULL, &s)) {
        log_err("metrics: out of memory");
        return -1;
    }
    if (s.kind != SCHED_PERIODIC)
        return 1;
    int64_t latest = v[SCHED_HISTORY - 1];
    *due = sched_upcoming(&s, latest, latest) + sched_grace(s.period) - sqlite3_column_int64(st, 6);
    return 0;
}

static int due_family(FILE *f, sqlite3 *db)
{
    sqlite3_stmt *st = NULL, *starts = NULL;
    if (db_prepare(db, sql_prom_etl_latest_run, &st) ||
        db_prepare(db, sql_collect_run_starts, &starts)) {
        sqlite3_finalize(st);
        return -1;
    }
    head(f, "etlhist_etl_next_start_due_timestamp_seconds",
         "When the start after the latest run's counts as missed (expected time and grace).");
    int rc, got = 0;
    int64_t due = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
           (sqlite3_column_type(st, 3) == SQLITE_NULL ||
            (got = start_due(db, starts, st, &due)) >= 0)) {
        if (sqlite3_column_type(st, 3) == SQLITE_NULL || got)
            continue;
        fputs("etlhist_etl_next_start_due_timestamp_seconds", f);
        etl_labels(f, st);
        fprintf(f, "} %lld\n", (long long)due);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(starts);
    if (rc != SQLITE_DONE && got >= 0)
        db_log_error(db, "metrics");
    return rc == SQLITE_DONE ? 0 : -1;
}

/* family 0: the latest successful pass; 1: never observed; 2: max_gap (staleness). */
static void instance_metric(FILE *f, sqlite3_stmt *st, int family)
{
    static const char *const names[] = {"etlhist_last_success_timestamp_seconds",
                                        "etlhist_instance_never_observed",
                                        "etlhist_instance_max_gap_seconds"};
    int never = sqlite3_column_type(st, 1) == SQLITE_NULL;
    if ((family == 0 && never) || (family == 2 && sqlite3_column_type(st, 2) == SQLITE_NULL))
        return;
    fprintf(f, "%s{instance=\"", names[family]);
    label(f, (const char *)sqlite3_column_text(st, 0));
    fprintf(f, "\"} %lld\n",
            family == 0   ? sqlite3_column_int64(st, 1)
            : family == 1 ? (long long)never
                          : (long long)rules_max_gap(sqlite3_column_int64(st, 2)));
}

static int instance_family(FILE *f, sqlite3 *db, int family)
{
    static const struct {
        const char *name, *help;
    } heads[] = {
        {"etlhist_last_success_timestamp_seconds",
         "Start of the instance's latest pass in which some ETL answered."},
        {"etlhist_instance_never_observed",
         "1 when no pass of the instance ever had an ETL answer."},
        {"etlhist_instance_max_gap_seconds",
         "Beyond this without a successful pass, the instance is stale (3 polling intervals)."},
    };
    sqlite3_stmt *st;
    if (db_prepare(db, sql_prom_last_success, &st))
        return -1;
    head(f, heads[family].name, heads[family].help);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        instance_metric(f, st, family);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_log_error(db, "metrics");
        return -1;
    }
    return 0;
}

static int write_all(FILE *f, sqlite3 *db, int64_t now)
{
    static const struct {
        const char *name, *help;
    } etl[] = {
        {"etlhist_etl_status", "Latest polled status of the ETL (1 for the label that holds)."},
        {"etlhist_etl_last_exec_timestamp_seconds", "Start of the ETL's latest run."},
        {"etlhist_etl_last_outcome", "Outcome of the ETL's latest finished run."},
        {"etlhist_etl_consecutive_failures", "ERROR or ABORTED runs since the last OK or WARNING."},
        {"etlhist_etl_poll_error", "1 when the latest poll of the ETL failed."},
        {"etlhist_etl_deleted", "1 when the ETL was found gone from CO."},
    };
    static const struct {
        int col;
        const char *name, *help;
    } pass[] = {
        {1, "etlhist_pass_timestamp_seconds", "Start of the latest collector pass."},
        {2, "etlhist_pass_duration_seconds", "Duration of the latest collector pass."},
        {3, "etlhist_pass_etls_polled", "ETLs polled in the latest pass."},
        {5, "etlhist_pass_errors", "ETLs whose poll failed in the latest pass."},
    };
    for (size_t i = 0; i < sizeof etl / sizeof etl[0]; i++) {
        head(f, etl[i].name, etl[i].help);
        if (etl_family(f, db, (int)i))
            return -1;
    }
    for (size_t i = 0; i < sizeof pass / sizeof pass[0]; i++) {
        head(f, pass[i].name, pass[i].help);
        if (pass_family(f, db, pass[i].col, pass[i].name))
            return -1;
    }
    for (int i = 0; i < 3; i++)
        if (instance_family(f, db, i))
            return -1;
    return run_families(f, db, now) || due_family(f, db) ? -1 : 0;
}

int prom_write(sqlite3 *db, const char *path, int64_t now)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        log_err("--prom-file %s: path too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        log_err("--prom-file %s: %s", tmp, strerror(errno));
        return -1;
    }
    /* One read transaction: the file shows one consistent state of the database. */
    int rc = db_exec(db, "BEGIN");
    if (rc == 0) {
        rc = write_all(f, db, now);
        db_exec(db, "COMMIT");
    }
    if (fclose(f) != 0 && rc == 0) {
        log_err("--prom-file %s: %s", tmp, strerror(errno));
        rc = -1;
    }
    /* rename() is atomic: node_exporter never reads a half-written file. */
    if (rc == 0 && rename(tmp, path) != 0) {
        log_err("--prom-file %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc)
        unlink(tmp);
    return rc;
}
