/* What needs attention: every problem a person should act on in a report's window, built once
 * by the report definitions from the per-ETL verdicts and the instances' state, ordered by
 * severity. Every writer shows this one list first, in the same words (attention_line).
 * The rules are in docs/reports.md ("Needs attention"). */
#ifndef ETLHIST_REPORT_ATTENTION_H
#define ETLHIST_REPORT_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

#define ATTN_RATE_PCT_DEFAULT 20 /* a failure or abort rate above this is named */
#define ATTN_RATE_MIN_RUNS 3     /* out of at least this many finished runs */

/* In order of severity: the list is sorted by kind first. */
enum attn_kind {
    ATTN_NEVER_OBSERVED, /* instance: no successful pass at all before the window's end */
    ATTN_STALE,          /* instance: its last successful pass is older than max_gap */
    ATTN_DELETED,        /* the ETL is gone from CO */
    ATTN_FAILING,        /* the latest finished run failed or aborted */
    ATTN_OVERDUE_NOW,    /* a run still RUNNING beyond the ETL's duration limit */
    ATTN_MISSED,         /* expected starts with no run */
    ATTN_UNSCHEDULED,    /* a periodic ETL left ENDED in the window: no longer scheduled */
    ATTN_LATE,           /* runs that started late */
    ATTN_FAILURE_RATE,   /* failure rate above the threshold (not failing now) */
    ATTN_ABORT_RATE,     /* abort rate above the threshold (not failing now) */
    ATTN_GAPS            /* instance: ETLs observed over less than the whole window */
};

struct attn_item {
    enum attn_kind kind;
    char *instance;
    char *etl_name; /* NULL for the instance's own items */
    int64_t etl_id;
    /* How many: failed runs in the streak, missed starts, late runs, ETLs with gaps. */
    int64_t count;
    /* Of how many (the window's finished runs for rates and failing; ETLs for gaps). */
    int64_t of;
    int64_t value; /* failing: failed runs in the window; rates: tenths of a percent;
                      overdue: the duration limit (s); late: the largest delay (s);
                      unscheduled: the period it ran at before (s);
                      gaps: the lowest coverage in tenths of a percent */
    int has_since;
    int64_t since; /* when it began, or the bound the history gives (docs/reports.md) */
    char *detail;  /* the collector's last error, the failed outcome; or NULL */
};

/* An item a silence kept out of the list: shown under "Silenced" with the silence's reason. */
struct attn_silenced {
    struct attn_item item;
    char *silence, *reason;
};

struct attention {
    struct attn_item *v;
    size_t n, cap;
    struct attn_silenced *silenced;
    size_t n_silenced, cap_silenced;
    int windowed_all; /* the list is the summary's whole one, not only the instances' */
    int64_t rate_pct; /* the threshold rates were judged by */
};

void attention_init(struct attention *a, int64_t rate_pct);
/* Adds a copy of item (its strings are copied). Returns 0, or -1 when out of memory. */
int attention_add(struct attention *a, const struct attn_item *item);
/* Adds a copy of item to the silenced ones, with the silence's name and reason. Returns 0,
 * or -1 when out of memory. */
int attention_add_silenced(struct attention *a, const struct attn_item *item, const char *silence,
                           const char *reason);
/* Orders the list by severity, then instance, then ETL id. */
void attention_sort(struct attention *a);
void attention_free(struct attention *a);

/* One item as a plain line (no list marker, no newline) with times in zone tz; control and
 * bidi characters of names and errors are neutralised. Returns buf. */
char *attention_line(const struct attn_item *item, const char *tz, char *buf, size_t size);
/* A silenced item as a line: attention_line's, then "; silenced by NAME: REASON". */
char *attention_silenced_line(const struct attn_silenced *s, const char *tz, char *buf,
                              size_t size);
/* The kind as a word for programs ("failing", "missed", ...). */
const char *attention_kind_name(enum attn_kind kind);
/* The line shown when the list is empty. */
extern const char attention_clear[];

#endif
