#include "plugin_main.h"

#include "cli.h"
#include "log.h"
#include "plugin.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ETLHIST_VERSION
#define ETLHIST_VERSION "unknown"
#endif

/* The window's options (cli.h), handed on as --NAME=VALUE to the summary's command line,
 * then check's own. */
static const struct option check_opts[] = {
    REPORT_WINDOW_OPTIONS(REPORT_WINDOW_ENTRY),
    {"warning", required_argument, NULL, 'w'},
    {"critical", required_argument, NULL, 'c'},
    {"timeout", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

#define WINDOW_USAGE(name, id, value)                                                              \
    {                                                                                              \
        name, value                                                                                \
    }

/* Names the window's options, described in the reports' help, in lines up to 80 wide. */
static void window_usage(void)
{
    static const char *const opts[][2] = {REPORT_WINDOW_OPTIONS(WINDOW_USAGE)};
    size_t n = sizeof opts / sizeof opts[0], col = 80;
    puts("  as for the reports (default --last 1d, unless --since or --week):");
    for (size_t i = 0; i < n; i++) {
        const char *comma = i + 1 < n ? "," : "";
        size_t width = strlen(opts[i][0]) + strlen(opts[i][1]) + strlen(comma) + 4;
        if (col + width > 80) {
            fputs(i ? "\n   " : "   ", stdout);
            col = 3;
        }
        col += (size_t)printf(" --%s %s%s", opts[i][0], opts[i][1], comma);
    }
    putchar('\n');
}

void check_usage(void)
{
    printf("Usage: etlhist-report check [OPTIONS]\n"
           "A monitoring plugin (Nagios, Icinga, Checkmk): the summary's Needs attention list\n"
           "as a state, a status line with performance data, and the list's lines.\n"
           "\n"
           "  -w, --warning M=RANGE   WARNING when metric M lies outside RANGE\n"
           "  -c, --critical M=RANGE  CRITICAL likewise; comma-separated or repeated; an\n"
           "                          empty RANGE removes the threshold (-w late=)\n"
           "                          M: never_observed stale deleted failing overdue\n"
           "                          missed unscheduled late failure_rate abort_rate\n"
           "                          gaps coverage\n"
           "                          RANGE: 10 (0..10), 10: (>= 10), ~:10, 10:20, @10:20\n"
           "                          (alert inside)\n"
           "                          defaults: -c never_observed=0,stale=0,failing=0\n"
           "                                    -w deleted=0,overdue=0,missed=0,\n"
           "                                       unscheduled=0,late=0\n"
           "  -t, --timeout SECONDS   UNKNOWN after SECONDS (default %d, 0: none)\n",
           CHECK_TIMEOUT_DEFAULT);
    window_usage();
    fputs("  -h, --help              this help\n"
          "  -V, --version           print the version\n"
          "\n"
          "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (any error).\n",
          stdout);
}

/* What the command line gave check. */
struct check_args {
    struct plugin_limits limits;
    long timeout;
    char **argv; /* for the report's command line, each malloc'd */
    int argc;
    int has_window;
    int done; /* --help or --version was printed */
};

static int pass_on(struct check_args *a, const char *name, const char *value)
{
    char **v = realloc(a->argv, (size_t)(a->argc + 2) * sizeof *v);
    if (!v)
        return -1;
    a->argv = v;
    size_t len = strlen(name) + (value ? strlen(value) : 0) + 4;
    if (!(v[a->argc] = malloc(len)))
        return -1;
    snprintf(v[a->argc], len, value ? "--%s=%s" : "%s", name, value ? value : "");
    v[++a->argc] = NULL;
    return 0;
}

static int set_timeout(struct check_args *a, const char *arg)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 0 || v > 86400) {
        log_err("--timeout: expected whole seconds from 0 to 86400, got \"%s\"", arg);
        return -1;
    }
    a->timeout = v;
    return 0;
}

static int set_limits(struct check_args *a, int critical, const char *arg)
{
    char err[400];
    if (plugin_limits_parse(&a->limits, critical, arg, err, sizeof err)) {
        log_err("%s: %s", critical ? "--critical" : "--warning", err);
        return -1;
    }
    return 0;
}

static int apply(struct check_args *a, int c, int index, char **argv)
{
    switch (c) {
    case 'w':
    case 'c':
        return set_limits(a, c == 'c', optarg);
    case 't':
        return set_timeout(a, optarg);
    case 'h':
        check_usage();
        a->done = 1;
        return 0;
    case 'V':
        printf("etlhist-report %s\n", ETLHIST_VERSION);
        a->done = 1;
        return 0;
    case ':':
    case '?':
        log_bad_option(c, argv, "check --help");
        return -1;
    default:
        a->has_window |= c == OPT_LAST || c == OPT_SINCE || c == OPT_WEEK;
        return pass_on(a, check_opts[index].name, optarg);
    }
}

static int parse_args(struct check_args *a, int argc, char **argv)
{
    plugin_limits_default(&a->limits);
    a->timeout = CHECK_TIMEOUT_DEFAULT;
    if (pass_on(a, "etlhist-report", NULL))
        return -1;
    opterr = 0;
    optind = 2; /* after "check" */
    int c, index = 0;
    while ((c = getopt_long(argc, argv, ":w:c:t:hV", check_opts, &index)) != -1) {
        if (apply(a, c, index, argv) || a->done)
            return a->done ? 0 : -1;
    }
    if (optind < argc) {
        log_err("unexpected argument \"%s\" (see check --help)", argv[optind]);
        return -1;
    }
    /* the last day unless the window is given */
    if (!a->has_window && pass_on(a, "last", "1d"))
        return -1;
    return pass_on(a, "summary", NULL);
}

static void free_args(struct check_args *a)
{
    for (int i = 0; i < a->argc; i++)
        free(a->argv[i]);
    free(a->argv);
}

/* The first error logged: the UNKNOWN's reason. */
struct first_error {
    char line[512];
};

static void keep_error(void *ctx, enum log_level level, const char *line)
{
    struct first_error *e = ctx;
    if (level == LOG_ERROR && !e->line[0])
        snprintf(e->line, sizeof e->line, "%s", line);
}

/* The line a timeout writes, made before the alarm is set: a signal handler may only write. */
static char timeout_line[96];

static void on_alarm(int sig)
{
    (void)sig;
    ssize_t n = write(STDOUT_FILENO, timeout_line, strlen(timeout_line));
    (void)n;
    _exit(PLUGIN_UNKNOWN);
}

static void arm_timeout(long seconds)
{
    if (seconds <= 0)
        return;
    snprintf(timeout_line, sizeof timeout_line,
             "ETLHIST UNKNOWN - no result within %ld s (--timeout)\n", seconds);
    fflush(stdout);
    signal(SIGALRM, on_alarm);
    alarm((unsigned)seconds);
}

/* Runs the summary with the check writer. Returns the plugin's state. */
static int run(struct check_args *a, int64_t now, struct first_error *err)
{
    struct report_cli cli;
    if (report_cli_parse(&cli, a->argc, a->argv) != CLI_RUN) {
        report_cli_free(&cli);
        plugin_write_unknown(stdout, err->line[0] ? err->line : "bad options");
        return PLUGIN_UNKNOWN;
    }
    struct plugin_run pr = {.limits = &a->limits, .state = PLUGIN_UNKNOWN};
    cli.opts.writer = &fmt_check;
    cli.opts.fmt.plugin = &pr;
    int rc = report_main(&cli.opts, now);
    report_cli_free(&cli);
    if (rc == REPORT_EXIT_OK && pr.text) {
        fwrite(pr.text, 1, pr.len, stdout);
    } else {
        plugin_write_unknown(stdout, err->line[0] ? err->line : "the summary could not be made");
        pr.state = PLUGIN_UNKNOWN;
    }
    free(pr.text);
    return pr.state;
}

int check_main(int argc, char **argv, int64_t now)
{
    struct check_args a = {0};
    struct first_error err = {""};
    log_set_hook(keep_error, &err);
    int state = PLUGIN_UNKNOWN;
    if (parse_args(&a, argc, argv) == 0 && !a.done) {
        arm_timeout(a.timeout);
        state = run(&a, now, &err);
        alarm(0);
    } else if (!a.done) {
        plugin_write_unknown(stdout, err.line[0] ? err.line : "out of memory");
    } else {
        state = PLUGIN_OK;
    }
    log_set_hook(NULL, NULL);
    free_args(&a);
    return fflush(stdout) == 0 ? state : PLUGIN_UNKNOWN;
}
