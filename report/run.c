#include "run.h"

#include "formats.h"
#include "log.h"
#include "timeutil.h"
#include "zone.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int passes(const struct report_filter *f, const struct query_etl *e)
{
    if (f->n_instances) {
        size_t i = 0;
        while (i < f->n_instances && strcmp(f->instances[i], e->raw_instance) != 0 &&
               strcmp(f->instances[i], e->instance) != 0)
            i++;
        if (i == f->n_instances)
            return 0;
    }
    if (e->no_etl)
        return 1; /* it stands for its instance: never filtered away by ETL */
    if (f->etls && !etlset_contains(f->etls, e->etl_id))
        return 0;
    return !f->name_glob || fnmatch(f->name_glob, e->name, 0) == 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Did a source before this one have an instance called name? list is ordered by source. */
static int seen_before(const struct etl_list *all, size_t end, const char *name)
{
    for (size_t i = 0; i < end; i++)
        if (strcmp(all->v[i].raw_instance, name) == 0)
            return 1;
    return 0;
}

static int rename_repeats(struct etl_list *all, size_t first)
{
    for (size_t i = first; i < all->n; i++) {
        struct query_etl *e = &all->v[i];
        if (!seen_before(all, first, e->raw_instance))
            continue;
        const char *base = base_name(e->src->path);
        size_t len = strlen(e->raw_instance) + strlen(base) + 2;
        char *name = malloc(len);
        if (!name) {
            log_err("out of memory");
            return -1;
        }
        snprintf(name, len, "%s@%s", e->raw_instance, base);
        free(e->instance);
        e->instance = name;
    }
    return 0;
}

static int cmp_etl(const void *a, const void *b)
{
    const struct query_etl *x = a, *y = b;
    int c = strcmp(x->instance, y->instance);
    if (c)
        return c;
    if (x->etl_id != y->etl_id)
        return x->etl_id < y->etl_id ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

int report_list(struct source *srcs, size_t n, const struct report_filter *filter,
                struct etl_list *out)
{
    struct etl_list all = {0};
    for (size_t s = 0; s < n; s++) {
        size_t first = all.n;
        if (query_list_etls(&srcs[s], &all) || rename_repeats(&all, first)) {
            etl_list_free(&all);
            return -1;
        }
    }
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < all.n; i++) {
        all.v[i].order = i;
        if (!passes(filter, &all.v[i]))
            continue;
        out->v = out->v ? out->v : malloc(all.n * sizeof *out->v);
        if (!out->v) {
            etl_list_free(&all);
            log_err("out of memory");
            return -1;
        }
        out->v[out->n++] = all.v[i];
        memset(&all.v[i], 0, sizeof all.v[i]); /* moved */
    }
    out->cap = out->n;
    etl_list_free(&all);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_etl);
    return 0;
}

int report_write(const struct report_def *def, const struct window *win,
                 const struct etl_list *etls, const struct fmt_writer *writer,
                 const struct fmt_opts *fopts, FILE *out)
{
    return report_write_with(def, win, etls, writer, fopts, out, NULL);
}

/* The report over the window before win, of the same length, added up by fmt_totals: what
 * the week-over-week view compares the window with. Nothing is watched or shown meanwhile. */
static int previous_totals(const struct report_def *def, const struct window *win,
                           const struct etl_list *etls, const struct fmt_opts *fopts, FILE *out,
                           const struct report_hooks *hooks, struct window_totals *t)
{
    struct window before = *win;
    before.until = win->since;
    zone_window_before(win->tz, win->since, win->until, &before.since);
    struct fmt_opts o = *fopts;
    o.totals = t;
    struct report_hooks h = {NULL, NULL, hooks ? hooks->rate_pct : 0,
                             hooks ? hooks->trend_min_runs : 0, hooks ? hooks->silences : NULL};
    return report_write_with(def, &before, etls, &fmt_totals, &o, out, &h);
}

/* The job's rules from the hooks (NULL: the defaults), and the overview and the attention
 * list it fills when the report has them, shown to the writer through rep. */
static void job_begin(struct report_job *job, const struct report_def *def,
                      const struct window *win, const struct report_hooks *hooks,
                      struct overview *overview, struct attention *attention,
                      struct fmt_report *rep)
{
    *job = (struct report_job){.def = def,
                               .win = *win,
                               .watch = hooks ? hooks->watch : NULL,
                               .col_failed = -1,
                               .col_aborted = -1,
                               .col_outcome = -1,
                               .trend_min_runs = TREND_MIN_RUNS};
    if (hooks && hooks->trend_min_runs > 0)
        job->trend_min_runs = hooks->trend_min_runs;
    job->silences = hooks ? hooks->silences : NULL;
    if (def->overview) {
        overview_init(overview, win->since, win->until, win->tz);
        job->overview = overview;
        rep->overview = overview;
    }
    job->rate_pct = hooks && hooks->rate_pct > 0 ? hooks->rate_pct : ATTN_RATE_PCT_DEFAULT;
    if (def->windowed) {
        attention_init(attention, job->rate_pct);
        attention->windowed_all = def->overview;
        job->attention = attention;
        rep->attention = attention;
    }
}

static void job_free(struct report_job *job)
{
    runstats_free(&job->totals);
    if (job->overview)
        overview_free(job->overview);
    if (job->attention)
        attention_free(job->attention);
}

/* Every listed ETL's rows, then the list's end and the totals, through the writer. Returns 0,
 * -1 on a database error, or -2 when the writer failed. */
static int job_rows(struct report_job *job, const struct etl_list *etls,
                    const struct fmt_writer *writer, void *wstate, struct progress *progress)
{
    int rc = writer->header(wstate) ? -2 : 0;
    for (size_t i = 0; rc == 0 && i < etls->n; i++) {
        const struct query_etl *etl = &etls->v[i];
        rc = report_instance_attention(job, etl);
        if (rc == 0 && (!etl->no_etl || job->def->instance_rows))
            rc = job->def->etl_rows(job, etl);
        if (progress)
            progress_update(progress, i + 1, etls->n);
    }
    if (rc == 0)
        rc = report_attention_end(job);
    struct cell totals[16];
    int has_totals = rc == 0 && job->def->n_total <= 16 && report_totals(job, totals);
    if (writer->end(wstate, has_totals ? totals : NULL) && rc == 0)
        rc = -2;
    return rc;
}

int report_write_with(const struct report_def *def, const struct window *win,
                      const struct etl_list *etls, const struct fmt_writer *writer,
                      const struct fmt_opts *fopts, FILE *out, const struct report_hooks *hooks)
{
    struct fmt_report rep = {def->name,    def->cols,     def->ncols, def->total_cols,
                             def->n_total, def->windowed, win->since, win->until,
                             win->tz,      NULL,          NULL,       NULL};
    struct overview overview;
    struct attention attention;
    struct window_totals previous;
    if (def->overview && def->windowed && writer->previous) {
        int rc = previous_totals(def, win, etls, fopts, out, hooks, &previous);
        if (rc)
            return rc;
        rep.previous = &previous;
    }
    struct report_job job;
    job_begin(&job, def, win, hooks, &overview, &attention, &rep);
    void *wstate = writer->begin(out, &rep, fopts);
    if (!wstate) {
        log_err("out of memory");
        job_free(&job);
        return -2;
    }
    job.sink = (struct row_sink){writer->row, wstate};
    int rc = job_rows(&job, etls, writer, wstate, hooks ? hooks->progress : NULL);
    if (rc == -2 && !ferror(out))
        log_err("out of memory"); /* writers fail only on memory or on the stream */
    job_free(&job);
    return rc;
}

/* A new or regular output file is written beside its final name and renamed into place, so
 * a failed report never leaves a half-written file where the last good one was. Anything
 * else (a device, a pipe, a symbolic link) is written in place: renaming over it would
 * replace it. */
struct output {
    FILE *fp;
    const char *path;
    char *tmp; /* NULL when writing in place */
};

/* The temporary file a SIGINT, SIGTERM or SIGHUP must remove. A signal handler can reach
 * nothing else, so it is process-wide; it changes only while those signals are blocked. */
static const int tmp_signals[] = {SIGINT, SIGTERM, SIGHUP};
static char *volatile pending_tmp;
static struct sigaction saved_actions[3];

static void remove_tmp_and_die(int sig)
{
    int saved_errno = errno;
    if (pending_tmp)
        unlink(pending_tmp); /* async-signal-safe, as are signal and raise */
    signal(sig, SIG_DFL);
    raise(sig); /* blocked in this handler: delivered, and fatal, once it returns */
    errno = saved_errno;
}

static void block_tmp_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < 3; i++)
        sigaddset(&set, tmp_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Called with the signals blocked. A signal the caller ignores (nohup) stays ignored. */
static void guard_tmp(char *tmp)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_tmp_and_die;
    sigfillset(&sa.sa_mask);
    pending_tmp = tmp;
    for (size_t i = 0; i < 3; i++) {
        sigaction(tmp_signals[i], NULL, &saved_actions[i]);
        if (saved_actions[i].sa_handler != SIG_IGN)
            sigaction(tmp_signals[i], &sa, NULL);
    }
}

/* Renames the temporary file into place when keep, else removes it; then drops the guard.
 * Returns -1 when the rename failed (the file is removed then too). */
static int finish_tmp(struct output *o, int keep)
{
    sigset_t old;
    block_tmp_signals(&old);
    int rc = keep && rename(o->tmp, o->path) != 0 ? -1 : 0;
    if (rc || !keep)
        unlink(o->tmp);
    for (size_t i = 0; i < 3; i++)
        sigaction(tmp_signals[i], &saved_actions[i], NULL);
    pending_tmp = NULL;
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

static int open_in_place(struct output *o, const char *path)
{
    o->fp = fopen(path, "w");
    if (!o->fp) {
        log_err("output %s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* A temporary file beside path, guarded against signals; mode is the final file's. */
static int open_tmp(struct output *o, const char *path, mode_t mode)
{
    size_t len = strlen(path) + 16;
    o->tmp = malloc(len);
    if (!o->tmp) {
        log_err("out of memory");
        return -1;
    }
    snprintf(o->tmp, len, "%s.tmpXXXXXX", path);
    sigset_t old;
    block_tmp_signals(&old);
    int fd = mkstemp(o->tmp);
    if (fd >= 0)
        guard_tmp(o->tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        log_err("output %s: cannot create: %s", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    fchmod(fd, mode);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        log_err("output %s: %s", path, strerror(errno));
        close(fd);
        finish_tmp(o, 0);
        return -1;
    }
    return 0;
}

static int output_open(struct output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    o->path = path;
    struct stat sb;
    int exists = lstat(path, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode))
        return open_in_place(o, path);
    mode_t mask = umask(0);
    umask(mask);
    /* A replaced file keeps its mode; a new one gets what fopen would give it. */
    mode_t mode = exists ? sb.st_mode & 07777 : 0666 & ~mask;
    return open_tmp(o, path, mode);
}

/* Closes the output; keeps it only when ok. Returns 0, or -1 when it could not be written. */
static int output_close(struct output *o, int ok)
{
    int failed = ferror(o->fp);
    if (o->fp == stdout)
        failed |= fflush(stdout) != 0;
    else
        failed |= fclose(o->fp) != 0;
    if (o->tmp && finish_tmp(o, !failed && ok))
        failed = 1;
    if (failed)
        log_err("output %s: write failed: %s", o->path ? o->path : "(stdout)",
                strerror(errno ? errno : EIO));
    return failed ? -1 : 0;
}

static int open_sources(const struct report_opts *opts, struct source *srcs)
{
    for (size_t i = 0; i < opts->n_dbs; i++) {
        if (query_open(&srcs[i], opts->dbs[i])) {
            while (i-- > 0)
                query_close(&srcs[i]);
            return -1;
        }
    }
    return 0;
}

static int resolve_window(const struct report_opts *opts, int64_t now, struct window *win)
{
    char err[256];
    struct window_spec spec = opts->when;
    spec.tz = opts->tz;
    if (window_resolve(&spec, now, win, err, sizeof err)) {
        log_err("%s", err);
        return -1;
    }
    return 0;
}

/* The text's width: the terminal's when the report goes to one, else 0 (the default, so that
 * files and pipes do not change with the terminal someone ran it from). */
static int terminal_width(FILE *out)
{
    struct winsize ws;
    if (out != stdout || !isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
        return 0;
    return ws.ws_col;
}

/* The report through the progress line's stream when both go to one terminal. */
static int write_watched(const struct report_opts *opts, const struct window *win,
                         const struct etl_list *etls, FILE *out, struct report_hooks *hooks)
{
    const struct report_def *def = report_find(opts->report);
    const struct fmt_writer *writer = opts->writer ? opts->writer : fmt_find(opts->format);
    struct progress *progress = hooks->progress;
    FILE *wrapped = NULL;
    if (progress->tty && out == stdout && isatty(STDOUT_FILENO))
        wrapped = progress_wrap(progress, out);
    struct fmt_opts fopts = opts->fmt;
    fopts.width = terminal_width(out);
    int rc = report_write_with(def, win, etls, writer, &fopts, wrapped ? wrapped : out, hooks);
    if (wrapped && fclose(wrapped) != 0 && rc == 0)
        rc = -2;
    progress_done(progress);
    return rc;
}

static int write_output(const struct report_opts *opts, const struct window *win,
                        const struct etl_list *etls, struct failon *watch)
{
    struct output out;
    struct progress progress;
    if (!report_find(opts->report) || !fmt_find(opts->format)) {
        log_err("unknown report or format");
        return REPORT_EXIT_USAGE;
    }
    if (output_open(&out, opts->output))
        return REPORT_EXIT_OUTPUT;
    /* A progress line only on a terminal: never under cron. */
    progress_init(&progress, isatty(STDERR_FILENO) ? stderr : NULL, opts->report,
                  progress_clock_ms);
    struct report_hooks hooks = {watch, &progress, opts->rate_pct, opts->trend_min_runs,
                                 &opts->silences};
    errno = 0;
    int rc = write_watched(opts, win, etls, out.fp, &hooks);
    if (output_close(&out, rc == 0) && rc == 0)
        rc = -2;
    if (rc == 0 && failon_report(watch) > 0)
        return REPORT_EXIT_CROSSED;
    return rc == 0 ? REPORT_EXIT_OK : rc == -1 ? REPORT_EXIT_DB : REPORT_EXIT_OUTPUT;
}

/* --fail-on against the report's columns; a bad expression is a usage error. */
static int parse_fail_on(const struct report_opts *opts, struct failon *watch)
{
    const struct report_def *def = report_find(opts->report);
    char err[640];
    memset(watch, 0, sizeof *watch);
    if (!def)
        return -1;
    failon_init(watch, def->name, def->cols, def->ncols);
    for (size_t i = 0; i < opts->n_fail_on; i++) {
        if (failon_parse(watch, opts->fail_on[i], err, sizeof err)) {
            log_err("--fail-on: %s", err);
            return -1;
        }
    }
    return 0;
}

/* A window the collector never ran in says nothing of the ETLs: said on stderr, so a report
 * from cron over a dead collector does not read as all clear. */
static int warn_no_pass(struct source *srcs, size_t n, const struct window *win,
                        const struct etl_list *etls)
{
    if (etls->n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int any;
        if (query_any_pass(&srcs[i], win->since, win->until, &any))
            return -1;
        if (any)
            return 0;
    }
    char a[TIME_BUF], b[TIME_BUF];
    time_format_iso(win->since, a);
    time_format_iso(win->until, b);
    log_warn("no collector pass between %s and %s: nothing was observed in this window", a, b);
    return 0;
}

/* The wall clock each instance's scheduler runs on: its own time zone (instance.tz, from the
 * collector's configuration), else the report's --tz, else none (UTC only). */
static void instance_zones(struct etl_list *etls, const char *tz)
{
    for (size_t i = 0; i < etls->n; i++)
        etls->v[i].tz = etls->v[i].instance_tz ? etls->v[i].instance_tz : tz;
}

/* A silence whose until has passed silences nothing now: said, so that it is removed. */
static void warn_expired(const struct silences *s, const struct etl_list *etls, int64_t now)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *tz = NULL;
        for (size_t e = 0; e < etls->n && !tz; e++)
            if (strcmp(etls->v[e].raw_instance, s->v[i].instance) == 0)
                tz = etls->v[e].instance_tz;
        if (silence_expired(&s->v[i], now, tz))
            log_warn("silence %s (instance %s) has expired: it silences nothing now", s->v[i].name,
                     s->v[i].instance);
    }
}

int report_main(const struct report_opts *opts, int64_t now)
{
    struct window win;
    struct failon watch;
    if (resolve_window(opts, now, &win))
        return REPORT_EXIT_USAGE;
    if (parse_fail_on(opts, &watch)) {
        failon_free(&watch);
        return REPORT_EXIT_USAGE;
    }
    struct source *srcs = calloc(opts->n_dbs ? opts->n_dbs : 1, sizeof *srcs);
    if (!srcs) {
        log_err("out of memory");
        failon_free(&watch);
        return REPORT_EXIT_DB;
    }
    int rc = REPORT_EXIT_DB;
    if (open_sources(opts, srcs) == 0) {
        struct etl_list etls;
        if (report_list(srcs, opts->n_dbs, &opts->filter, &etls) == 0) {
            instance_zones(&etls, opts->tz);
            warn_expired(&opts->silences, &etls, now);
            const struct report_def *def = report_find(opts->report);
            if (def && def->windowed && warn_no_pass(srcs, opts->n_dbs, &win, &etls))
                rc = REPORT_EXIT_DB;
            else
                rc = write_output(opts, &win, &etls, &watch);
            etl_list_free(&etls);
        }
        for (size_t i = 0; i < opts->n_dbs; i++)
            query_close(&srcs[i]);
    }
    free(srcs);
    failon_free(&watch);
    return rc;
}
