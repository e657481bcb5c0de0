#include "cli.h"

#include "config.h"
#include "formats.h"
#include "log.h"
#include "mail.h"
#include "utf8.h"
#include "zone.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ETLHIST_VERSION
#define ETLHIST_VERSION "unknown"
#endif

/* The report's own options, after the window's (cli.h). */
enum {
    OPT_DELIMITER = OPT_WINDOW_END,
    OPT_BOM,
    OPT_NO_HEADER,
    OPT_FAIL_ON,
    OPT_TREND_MIN_RUNS,
    OPT_TO,
    OPT_FROM,
    OPT_SUBJECT,
    OPT_VERSION
};

static const struct option long_opts[] = {
    {"config", required_argument, NULL, 'c'},
    REPORT_WINDOW_OPTIONS(REPORT_WINDOW_ENTRY),
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"bom", no_argument, NULL, OPT_BOM},
    {"no-header", no_argument, NULL, OPT_NO_HEADER},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"trend-min-runs", required_argument, NULL, OPT_TREND_MIN_RUNS},
    {"to", required_argument, NULL, OPT_TO},
    {"from", required_argument, NULL, OPT_FROM},
    {"subject", required_argument, NULL, OPT_SUBJECT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

void report_cli_usage(FILE *out)
{
    fprintf(out,
            "Usage: etlhist-report [REPORT] [OPTIONS]\n"
            "Reports on the ETL history etlhist-collect recorded.\n"
            "\n"
            "Reports: %s (default summary).\n"
            "\n"
            "  -c, --config FILE    the collector's configuration: its db (without --db) and\n"
            "                       its [silence NAME] sections (default $ETLHIST_CONFIG,\n"
            "                       else " CONFIG_DEFAULT_PATH ")\n"
            "  --db FILE            history database (repeatable: one report over several)\n"
            "  --last SPAN          window of SPAN before --until (300s, 5m, 2h, 7d, 2w)\n"
            "  --since TIME         window start: 2026-11-23, 2026-11-23T10:00[:ss][Z],\n"
            "                       now, or -3d (3 days before now)\n"
            "  --until TIME         window end, excluded (default now)\n"
            "  --week YYYY-Www      ISO week, Monday 00:00 to Monday 00:00 in the zone\n"
            "  --tz ZONE            display zone and zone of dates given without Z\n"
            "  --instance NAME      only this instance (repeatable)\n"
            "  --etl LIST           only these ETL ids: 321,500-520\n"
            "  --name GLOB          only ETLs whose name matches GLOB\n"
            "  -f, --format FMT     %s (default text)\n"
            "  -o, --output FILE    write to FILE instead of standard output\n"
            "  --delimiter C        CSV field separator (default ,)\n"
            "  --bom                CSV: start with a UTF-8 byte order mark\n"
            "  --no-header          no CSV header row; no text title and headings\n"
            "  --fail-on EXPR       exit 1 and name the ETLs whose rows cross EXPR:\n"
            "                       COLUMN OP NUMBER, OP one of > >= < <= == !=,\n"
            "                       comma-separated or repeated (failure_rate_pct>10);\n"
            "                       trend also takes regressions (regressions>0)\n"
            "  --trend-min-runs N   trend: runs each window needs before a change counts\n"
            "                       as a regression (default %d)\n"
            "  --max-rate PCT       a failure or abort rate above PCT needs attention\n"
            "                       (1 to 100, default 20)\n"
            "  --to ADDR            -f mail: a recipient (repeatable; required)\n"
            "  --from ADDR          -f mail: the sender (default etlhist@HOSTNAME)\n"
            "  --subject TEXT       -f mail: the subject (default the report and window)\n"
            "  -h, --help           this help\n"
            "  --version            print the version\n"
            "\n"
            "Without --db, the db of -c FILE, $ETLHIST_CONFIG or " CONFIG_DEFAULT_PATH " is read.\n"
            "Exit status: 0 ok, 1 a --fail-on condition crossed, 2 usage, 3 database error,\n"
            "4 output not written.\n",
            report_names(), fmt_names(), TREND_MIN_RUNS);
}

static int push(const char ***list, size_t *n, const char *value)
{
    const char **v = realloc(*list, (*n + 1) * sizeof *v);
    if (!v) {
        log_err("out of memory");
        return -1;
    }
    v[(*n)++] = value;
    *list = v;
    return 0;
}

static int set_delimiter(struct report_cli *cli, const char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
        arg = "\t";
    if (strlen(arg) != 1 || strchr("\"\r\n", arg[0])) {
        log_err("--delimiter: expected one character other than a quote or a line end, got "
                "\"%s\"",
                arg);
        return -1;
    }
    cli->opts.fmt.delimiter = arg[0];
    return 0;
}

static int set_etls(struct report_cli *cli, const char *arg)
{
    char err[160];
    if (cli->have_etls)
        etlset_free(&cli->etls);
    cli->have_etls = 0;
    if (etlset_parse(arg, &cli->etls, err, sizeof err)) {
        log_err("--etl: %s", err);
        return -1;
    }
    cli->have_etls = 1;
    cli->opts.filter.etls = cli->etls.all ? NULL : &cli->etls;
    return 0;
}

/* Why text cannot be the subject, or NULL: it must be UTF-8 (GMime would replace what is
 * not, unseen) without a C0 or C1 control (a line break would end the header, and the
 * others drive terminals). */
static const char *subject_problem(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t left = strlen(text), n;
    for (; left; p += n, left -= n) {
        if (!(n = utf8_seq(p, left)))
            return "not valid UTF-8";
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xC2 && p[1] < 0xA0))
            return "control characters and line breaks are not allowed";
    }
    return NULL;
}

static int set_min_runs(struct report_opts *o, const char *arg)
{
    long n;
    if (config_parse_long(arg, 1, TREND_MAX_MIN_RUNS, &n)) {
        log_err("--trend-min-runs: expected a whole number from 1 to %d, got \"%s\"",
                TREND_MAX_MIN_RUNS, arg);
        return CLI_USAGE;
    }
    o->trend_min_runs = n;
    return 0;
}

/* --to, --from, --subject: each goes into a header, so no line break can reach one. */
static int set_mail(struct fmt_mail_opts *m, int c, const char *arg)
{
    const char *problem;
    if (c == OPT_SUBJECT) {
        if ((problem = subject_problem(arg))) {
            log_err("--subject: %s", problem);
            return CLI_USAGE;
        }
        m->subject = arg;
        return 0;
    }
    if ((problem = mail_address_problem(arg))) {
        log_err("%s %s: %s", c == OPT_TO ? "--to" : "--from", arg, problem);
        return CLI_USAGE;
    }
    if (c == OPT_FROM) {
        m->from = arg;
        return 0;
    }
    return push(&m->to, &m->n_to, arg);
}

/* --max-rate: a whole percentage, 1 to 100. */
static int set_max_rate(struct report_opts *o, const char *arg)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] < '0' || arg[0] > '9' || v < 1 || v > 100) {
        log_err("--max-rate: expected a whole percentage from 1 to 100, got \"%s\"", arg);
        return CLI_USAGE;
    }
    o->rate_pct = v;
    return 0;
}

/* The options whose value is kept as given (checked once all are read): where each goes. */
static const struct {
    int opt;
    size_t field; /* of a const char * in struct report_cli */
} plain_opts[] = {
    {'c', offsetof(struct report_cli, config_file)},
    {'f', offsetof(struct report_cli, opts.format)},
    {'o', offsetof(struct report_cli, opts.output)},
    {OPT_LAST, offsetof(struct report_cli, opts.when.last)},
    {OPT_SINCE, offsetof(struct report_cli, opts.when.since)},
    {OPT_UNTIL, offsetof(struct report_cli, opts.when.until)},
    {OPT_WEEK, offsetof(struct report_cli, opts.when.week)},
    {OPT_TZ, offsetof(struct report_cli, opts.tz)},
    {OPT_NAME, offsetof(struct report_cli, opts.filter.name_glob)},
};

/* Returns 1 when c is one of plain_opts, kept. */
static int set_plain(struct report_cli *cli, int c, const char *arg)
{
    for (size_t i = 0; i < sizeof plain_opts / sizeof plain_opts[0]; i++)
        if (plain_opts[i].opt == c) {
            *(const char **)(void *)((char *)cli + plain_opts[i].field) = arg;
            return 1;
        }
    return 0;
}

#define NOT_A_VALUE 1 /* set_value: c is none of its options */

/* The repeated options, the switches and the values checked as they are read: returns 0,
 * CLI_USAGE after logging, or NOT_A_VALUE. */
static int set_value(struct report_cli *cli, int c, const char *arg)
{
    struct report_opts *o = &cli->opts;
    switch (c) {
    case OPT_DB:
        return push(&o->dbs, &o->n_dbs, arg);
    case OPT_INSTANCE:
        return push(&o->filter.instances, &o->filter.n_instances, arg);
    case OPT_FAIL_ON:
        return push(&o->fail_on, &o->n_fail_on, arg);
    case OPT_BOM:
        o->fmt.bom = 1;
        return 0;
    case OPT_NO_HEADER:
        o->fmt.header = 0;
        return 0;
    case OPT_ETL:
        return set_etls(cli, arg);
    case OPT_DELIMITER:
        return set_delimiter(cli, arg);
    case OPT_MAX_RATE:
        return set_max_rate(o, arg);
    case OPT_TREND_MIN_RUNS:
        return set_min_runs(o, arg);
    case OPT_TO:
    case OPT_FROM:
    case OPT_SUBJECT:
        return set_mail(&o->fmt.mail, c, arg);
    default:
        return NOT_A_VALUE;
    }
}

/* Handles one option; returns 0, CLI_DONE or CLI_USAGE. */
static int apply(struct report_cli *cli, int c, char **argv)
{
    int rc;
    if (set_plain(cli, c, optarg))
        return 0;
    if ((rc = set_value(cli, c, optarg)) != NOT_A_VALUE)
        return rc;
    if (c == 'h')
        report_cli_usage(stdout);
    else if (c == OPT_VERSION)
        printf("etlhist-report %s\n", ETLHIST_VERSION);
    else
        log_bad_option(c, argv, "--help");
    return c == 'h' || c == OPT_VERSION ? CLI_DONE : CLI_USAGE;
}

/* [report] tz is the display zone when --tz is not given (TZ comes last), checked as --tz
 * is, also when --tz overrides it: a file that is wrong is said to be wrong. */
static int config_zone(struct report_cli *cli, const char *path)
{
    char err[200];
    const char *tz = cli->cfg.report_tz;
    if (tz && zone_check(tz, err, sizeof err)) {
        log_err("config %s: [report] tz: %s", path, err);
        return -1;
    }
    if (!cli->opts.tz)
        cli->opts.tz = tz;
    return 0;
}

/* The collector's configuration: without --db it says where the history is; with it, the
 * file is read when there is one, for its [silence NAME] sections. */
static int config_db(struct report_cli *cli)
{
    enum config_origin from;
    const char *path = config_path(cli->config_file, &from);
    const char *why = from == CONFIG_FROM_OPTION ? "named by -c"
                      : from == CONFIG_FROM_ENV  ? "named by $ETLHIST_CONFIG"
                                                 : "read when $ETLHIST_CONFIG is not set";
    int need_db = cli->opts.n_dbs == 0;
    if (access(path, R_OK) != 0) {
        if (from == CONFIG_FROM_OPTION) {
            log_err("-c %s: %s", path, strerror(errno));
            return -1;
        }
        if (need_db)
            log_err("no database given: use --db FILE, or db = FILE in %s (%s): %s", path, why,
                    strerror(errno));
        else if (errno != ENOENT)
            log_warn("config %s: %s: its silences are not applied", path, strerror(errno));
        return need_db ? -1 : 0;
    }
    config_defaults(&cli->cfg);
    cli->have_cfg = 1;
    if (config_load(&cli->cfg, path))
        return -1;
    cli->opts.silences = (struct silences){cli->cfg.silences, cli->cfg.n_silences};
    if (config_zone(cli, path))
        return -1;
    if (!need_db || !cli->cfg.db)
        return need_db ? -1 : 0;
    cli->config_db = strdup(cli->cfg.db);
    return cli->config_db ? push(&cli->opts.dbs, &cli->opts.n_dbs, cli->config_db) : -1;
}

/* The same file named twice (./a.db and ./x/../a.db, or a symbolic link) is read once, or
 * every run in it would count twice. A path that cannot be stat'ed is kept: opening it
 * gives the error. */
static void drop_repeated_dbs(struct report_opts *o)
{
    struct stat *seen = calloc(o->n_dbs ? o->n_dbs : 1, sizeof *seen);
    size_t kept = 0, n_seen = 0;
    for (size_t i = 0; i < o->n_dbs; i++) {
        struct stat sb;
        size_t j = 0;
        if (seen && stat(o->dbs[i], &sb) == 0) {
            while (j < n_seen && (seen[j].st_dev != sb.st_dev || seen[j].st_ino != sb.st_ino))
                j++;
            if (j < n_seen) {
                log_warn("--db %s is a file given before: read once", o->dbs[i]);
                continue;
            }
            seen[n_seen++] = sb;
        }
        o->dbs[kept++] = o->dbs[i];
    }
    o->n_dbs = kept;
    free(seen);
}

static int check_names(struct report_cli *cli)
{
    struct report_opts *o = &cli->opts;
    if (!report_find(o->report)) {
        log_err("unknown report \"%s\" (expected %s)", o->report, report_names());
        return -1;
    }
    if (fmt_missing(o->format)) {
        log_err("%s", fmt_missing(o->format));
        return -1;
    }
    if (!fmt_find(o->format)) {
        log_err("unknown format \"%s\" (expected %s)", o->format, fmt_names());
        return -1;
    }
    if (strcmp(o->format, "mail") == 0 && o->fmt.mail.n_to == 0) {
        log_err("-f mail needs at least one --to ADDR");
        return -1;
    }
    return 0;
}

enum cli_result report_cli_parse(struct report_cli *cli, int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->opts.report = "summary";
    cli->opts.format = "text";
    cli->opts.fmt = (struct fmt_opts){.delimiter = ',', .header = 1};
    opterr = 0; /* our own one-line messages */
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":c:f:o:h", long_opts, NULL)) != -1) {
        int rc = apply(cli, c, argv);
        if (rc)
            return rc == CLI_DONE ? CLI_DONE : CLI_USAGE;
    }
    if (optind < argc)
        cli->opts.report = argv[optind++];
    if (optind < argc) {
        log_err("unexpected argument \"%s\" (see --help)", argv[optind]);
        return CLI_USAGE;
    }
    if (check_names(cli) || config_db(cli))
        return CLI_USAGE;
    drop_repeated_dbs(&cli->opts);
    return CLI_RUN;
}

void report_cli_free(struct report_cli *cli)
{
    free(cli->opts.dbs);
    free(cli->opts.filter.instances);
    free(cli->opts.fail_on);
    free(cli->opts.fmt.mail.to);
    free(cli->config_db);
    if (cli->have_cfg)
        config_free(&cli->cfg);
    if (cli->have_etls)
        etlset_free(&cli->etls);
    memset(cli, 0, sizeof *cli);
}
