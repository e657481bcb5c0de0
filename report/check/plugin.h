/* etlhist-report check as a monitoring plugin (the Monitoring Plugins development
 * guidelines): threshold ranges, the counts of the Needs attention list, the state they give,
 * and the plugin's output (status line, performance data, the list's lines). */
#ifndef ETLHIST_REPORT_PLUGIN_H
#define ETLHIST_REPORT_PLUGIN_H

#include "attention.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The plugin's exit codes. */
enum plugin_state { PLUGIN_OK = 0, PLUGIN_WARNING = 1, PLUGIN_CRITICAL = 2, PLUGIN_UNKNOWN = 3 };

/* What is counted: the attention kinds, in their order, then the mean coverage. */
#define PLUGIN_COVERAGE (ATTN_GAPS + 1)
#define PLUGIN_METRICS (PLUGIN_COVERAGE + 1)

/* A range as the guidelines write it: [@]start:end, "10" = 0:10, "10:" = 10 to infinity,
 * "~:10" = minus infinity to 10; it alerts outside [start, end], or inside with '@'. */
struct plugin_range {
    int set;
    int inside;
    int has_lo, has_hi; /* no bound: infinity */
    double lo, hi;
    char text[40]; /* as given, for the performance data */
};

struct plugin_limits {
    struct plugin_range warn[PLUGIN_METRICS], crit[PLUGIN_METRICS];
};

/* What the check found, counted from the attention list and the summary's rows. */
struct plugin_counts {
    int64_t n[PLUGIN_METRICS]; /* coverage: tenths of a percent */
    int has_coverage;
    int64_t etls, instances; /* listed */
    int64_t silenced;        /* items a silence kept out of the list (no threshold) */
};

struct fmt_writer;
/* etlhist-report check: counts the summary's rows and keeps its Needs attention list; not a
 * -f format (fmt_find does not know it). */
extern const struct fmt_writer fmt_check;

/* The check writer's (fmt_check) exchange with its caller: the limits in; when the report is
 * written, the plugin's output and its state out (text is malloc'd, or NULL). */
struct plugin_run {
    const struct plugin_limits *limits;
    enum plugin_state state;
    char *text;
    size_t len;
};

/* Parses one range. Returns 0, or -1 with a one-line cause in err. */
int plugin_range_parse(const char *text, struct plugin_range *r, char *err, size_t errlen);
/* Does value lie where the range alerts? An unset range never alerts. */
int plugin_range_alerts(const struct plugin_range *r, double value);

/* The defaults: a never observed or stale instance, or a failing ETL, is CRITICAL; a missed
 * run, a late start, an overdue run or a deleted ETL is a WARNING. */
void plugin_limits_default(struct plugin_limits *l);
/* Applies -w (critical 0) or -c (critical 1): METRIC=RANGE, comma-separated; an empty RANGE
 * removes that threshold. Returns 0, or -1 with a one-line cause in err. */
int plugin_limits_parse(struct plugin_limits *l, int critical, const char *arg, char *err,
                        size_t errlen);
/* The name of metric i in the performance data and in -w/-c. */
const char *plugin_metric_name(size_t i);

/* Adds the attention list to counts: ETLs for ETL kinds, instances for instance kinds, runs
 * for missed and late. */
void plugin_count(struct plugin_counts *c, const struct attention *a);
/* The state the counts give under the limits. */
enum plugin_state plugin_state_of(const struct plugin_counts *c, const struct plugin_limits *l);
/* Writes the plugin's output: "ETLHIST STATE - summary | perfdata", then the list's lines
 * (times in tz). Returns the state written. */
enum plugin_state plugin_write(FILE *out, const struct plugin_counts *c,
                               const struct plugin_limits *l, const struct attention *a,
                               const char *tz);
/* The one line of an UNKNOWN: "ETLHIST UNKNOWN - reason". */
void plugin_write_unknown(FILE *out, const char *reason);

#endif
