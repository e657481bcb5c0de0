/* The check writer: run under the summary definition, it writes nothing itself. It counts the
 * ETLs and instances listed and, at the end, hands the summary's Needs attention list and mean
 * coverage to plugin.c, whose output goes back to the caller (fmt_opts.plugin). */
#include "fmt.h"
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

struct check_state {
    const struct fmt_report *rep;
    struct plugin_run *run;
    struct plugin_counts counts;
    char *instance;               /* the last row's: rows come by instance */
    int col_instance, col_etl_id; /* -1: the report has no such column */
};

static void *check_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    (void)out;
    if (!opts->plugin)
        return NULL;
    struct check_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rep = rep;
    s->run = opts->plugin;
    s->col_instance = column_index(rep->cols, rep->ncols, "instance");
    s->col_etl_id = column_index(rep->cols, rep->ncols, "etl_id");
    return s;
}

static int check_header(void *state)
{
    (void)state;
    return 0;
}

static int check_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    struct check_state *s = state;
    (void)mark; /* the counts come from the attention list */
    const struct cell *in = s->col_instance >= 0 ? &cells[s->col_instance] : NULL;
    const char *instance = in && in->type == CELL_TEXT ? in->text : "";
    if (!s->instance || strcmp(s->instance, instance) != 0) {
        free(s->instance);
        if (!(s->instance = strdup(instance)))
            return -1;
        s->counts.instances++;
    }
    s->counts.etls += s->col_etl_id >= 0 && cells[s->col_etl_id].type != CELL_NULL;
    return 0;
}

/* A misspelt --instance must not read as all clear. */
static int nothing_listed(FILE *text, const struct plugin_counts *c)
{
    if (c->etls + c->instances > 0)
        return 0;
    plugin_write_unknown(text, "nothing to check: no instance or ETL matches the options");
    return 1;
}

static int check_end(void *state, const struct cell *totals)
{
    struct check_state *s = state;
    struct plugin_run *run = s->run;
    const struct overview *ov = s->rep->overview;
    (void)totals;
    int rc = -1;
    if (s->rep->attention) {
        plugin_count(&s->counts, s->rep->attention);
        s->counts.has_coverage = ov && ov->cov_n > 0;
        s->counts.n[PLUGIN_COVERAGE] = s->counts.has_coverage ? ov->cov_mean : 0;
        free(run->text);
        run->text = NULL;
        FILE *text = open_memstream(&run->text, &run->len);
        if (text) {
            run->state =
                nothing_listed(text, &s->counts)
                    ? PLUGIN_UNKNOWN
                    : plugin_write(text, &s->counts, run->limits, s->rep->attention, s->rep->tz);
            rc = fclose(text) ? -1 : 0;
        }
    }
    free(s->instance);
    free(s);
    return rc;
}

const struct fmt_writer fmt_check = {"check", check_begin, check_header, check_row, check_end, 0};
