#include "app.h"

#include "collect.h"
#include "db.h"
#include "dbcheck.h"
#include "follow.h"
#include "lock.h"
#include "log.h"
#include "poll.h"
#include "prom.h"
#include "runs.h"
#include "store.h"

#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cli {
    const char *config_path;
    const char **instances;
    size_t n_instances;
    long loop; /* 0: one pass; else seconds between passes */
    int dry_run, rebuild_runs, print_config, verbosity;
    long prune_days;
    const char *prom_file;
};

/* SIGTERM, SIGINT or SIGHUP: the number of the signal. A handler can only set a flag; the
 * poll loop and the loop between passes look at it (struct http_opts.cancel). */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    stop_requested = sig;
}

static void usage(void)
{
    fputs("Usage: etlhist-collect [OPTIONS]\n"
          "  -c, --config FILE     configuration (default $ETLHIST_CONFIG, " CONFIG_DEFAULT_PATH
          ")\n"
          "      --db FILE         history database\n"
          "      --instance NAME   poll only this instance (repeatable)\n"
          "      --url URL         ad-hoc instance \"default\" at URL (with --token-file, --etl)\n"
          "      --token-file FILE bearer token file for --url (or set ETLHIST_TOKEN)\n"
          "      --etl LIST        ETLs for --url: all, or 321, 467, 500-520\n"
          "      --interval S      seconds between passes (gaps over 3x are unobserved)\n"
          "      --concurrency N   requests in flight per instance\n"
          "      --timeout S       seconds per request\n"
          "      --loop [S]        repeat passes every S seconds (default: the interval)\n"
          "      --follow S        poll RUNNING ETLs again for S s after a pass (0: off)\n"
          "      --follow-interval S  seconds between those polls (default 15)\n"
          "      --dry-run         poll and print, store nothing\n"
          "      --rebuild-runs    derive every run again from the stored samples\n"
          "      --prune DAYS      delete history older than DAYS days\n"
          "      --print-config    print the effective configuration and exit\n"
          "      --prom-file PATH  write Prometheus textfile metrics after each pass\n"
          "  -v, --verbose         more detail (repeatable)\n"
          "  -q, --quiet           only the summary of failures\n"
          "  -h, --help            this help\n"
          "      --version         print the version\n"
          "exit: 0 all polled, 1 some ETLs failed, 2 usage, 3 nothing stored, 4 locked\n",
          stdout);
}

enum {
    OPT_DB = 256,
    OPT_INSTANCE,
    OPT_URL,
    OPT_TOKEN_FILE,
    OPT_ETL,
    OPT_INTERVAL,
    OPT_CONCURRENCY,
    OPT_TIMEOUT,
    OPT_LOOP,
    OPT_DRY_RUN,
    OPT_REBUILD,
    OPT_PRUNE,
    OPT_PRINT,
    OPT_HELP,
    OPT_VERSION,
    OPT_TOKEN,
    OPT_PROM,
    OPT_FOLLOW,
    OPT_FOLLOW_INTERVAL,
};

static const struct option long_opts[] = {
    {"config", required_argument, NULL, 'c'},
    {"db", required_argument, NULL, OPT_DB},
    {"instance", required_argument, NULL, OPT_INSTANCE},
    {"url", required_argument, NULL, OPT_URL},
    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
    {"token", required_argument, NULL, OPT_TOKEN},
    {"etl", required_argument, NULL, OPT_ETL},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"loop", optional_argument, NULL, OPT_LOOP},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"rebuild-runs", no_argument, NULL, OPT_REBUILD},
    {"prune", required_argument, NULL, OPT_PRUNE},
    {"print-config", no_argument, NULL, OPT_PRINT},
    {"prom-file", required_argument, NULL, OPT_PROM},
    {"follow", required_argument, NULL, OPT_FOLLOW},
    {"follow-interval", required_argument, NULL, OPT_FOLLOW_INTERVAL},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* Command-line settings that are config keys go through the same table as the file. */
struct override {
    const char *instance; /* NULL for [collect] */
    const char *key, *value;
};

/* The options that are config keys: [collect] ones, and the ad-hoc instance's (--url). */
static const struct {
    int opt;
    const char *instance, *key;
} key_opts[] = {
    {OPT_DB, NULL, "db"},
    {OPT_INTERVAL, NULL, "interval"},
    {OPT_CONCURRENCY, NULL, "concurrency"},
    {OPT_TIMEOUT, NULL, "timeout"},
    {OPT_FOLLOW, NULL, "follow"},
    {OPT_FOLLOW_INTERVAL, NULL, "follow_interval"},
    {OPT_URL, "default", "url"},
    {OPT_TOKEN_FILE, "default", "token_file"},
    {OPT_ETL, "default", "etls"},
};

/* Returns 1 when c is one of key_opts, added to ov (collect_main bounds argc below its size). */
static int add_override(int c, const char *arg, struct override *ov, size_t *n_ov)
{
    for (size_t i = 0; i < sizeof key_opts / sizeof key_opts[0]; i++)
        if (key_opts[i].opt == c) {
            ov[(*n_ov)++] = (struct override){key_opts[i].instance, key_opts[i].key, arg};
            return 1;
        }
    return 0;
}

static int parse_long(const char *opt, const char *s, long min, long max, long *out)
{
    if (config_parse_long(s, min, max, out)) {
        log_err("%s: expected an integer from %ld to %ld, got \"%s\"", opt, min, max, s);
        return -1;
    }
    return 0;
}

/* --loop takes "--loop 60" as well as "--loop=60": getopt only hands over the latter. */
static int set_loop(struct cli *cli, int argc, char **argv)
{
    const char *arg = optarg;
    cli->loop = -1;
    if (!arg && optind < argc && isdigit((unsigned char)argv[optind][0]))
        arg = argv[optind++];
    return arg && parse_long("--loop", arg, 1, 86400, &cli->loop) ? EXIT_USAGE : 0;
}

#define NOT_CLI (-1)   /* set_switch, set_cli: c is none of theirs */
#define ARGS_DONE (-2) /* parse_args: --help or --version was printed */

/* The options without a value. */
static int set_switch(struct cli *cli, int c)
{
    switch (c) {
    case 'v':
        cli->verbosity++;
        return 0;
    case 'q':
        cli->verbosity = -1;
        return 0;
    case OPT_DRY_RUN:
        cli->dry_run = 1;
        return 0;
    case OPT_REBUILD:
        cli->rebuild_runs = 1;
        return 0;
    case OPT_PRINT:
        cli->print_config = 1;
        return 0;
    default:
        return NOT_CLI;
    }
}

/* The options with a value that struct cli keeps: returns 0, EXIT_USAGE or NOT_CLI. */
static int set_cli(struct cli *cli, int c, int argc, char **argv)
{
    switch (c) {
    case 'c':
        cli->config_path = optarg;
        return 0;
    case OPT_INSTANCE:
        cli->instances[cli->n_instances++] = optarg;
        return 0;
    case OPT_PROM:
        cli->prom_file = optarg;
        return 0;
    case OPT_LOOP:
        return set_loop(cli, argc, argv);
    case OPT_PRUNE:
        return parse_long("--prune", optarg, 1, 100000, &cli->prune_days) ? EXIT_USAGE : 0;
    default:
        return set_switch(cli, c);
    }
}

/* The options that end the command line: --help, --version, --token and what getopt
 * refused. Returns ARGS_DONE or EXIT_USAGE. */
static int end_option(int c, char **argv)
{
    switch (c) {
    case 'h':
    case OPT_HELP:
        usage();
        return ARGS_DONE;
    case OPT_VERSION:
        puts("etlhist-collect " ETLHIST_VERSION);
        return ARGS_DONE;
    case OPT_TOKEN:
        log_err("--token: tokens are never taken from the command line (other users can "
                "read it); use --token-file or ETLHIST_TOKEN");
        return EXIT_USAGE;
    default:
        log_bad_option(c, argv, "--help");
        return EXIT_USAGE;
    }
}

/* Returns 0, EXIT_USAGE after logging, or ARGS_DONE. */
static int parse_args(int argc, char **argv, struct cli *cli, struct override *ov, size_t *n_ov)
{
    int c, rc;
    opterr = 0; /* one line of our own, as etlhist-report writes */
    while ((c = getopt_long(argc, argv, ":c:vqh", long_opts, NULL)) != -1) {
        if (add_override(c, optarg, ov, n_ov))
            continue;
        if ((rc = set_cli(cli, c, argc, argv)) == NOT_CLI)
            return end_option(c, argv);
        if (rc)
            return rc;
    }
    if (optind < argc) {
        log_err("unexpected argument \"%s\" (see --help)", argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

static int maintenance_only(const struct cli *cli)
{
    return cli->rebuild_runs || cli->prune_days;
}

/* Defaults, then the file, then the command line. Maintenance works on a database alone:
 * it needs neither a config file nor an instance. */
static int build_config(struct cli *cli, struct config *cfg, const struct override *ov, size_t n_ov)
{
    char err[256];
    int adhoc = 0;
    config_defaults(cfg);
    for (size_t i = 0; i < n_ov; i++)
        adhoc |= ov[i].instance != NULL;
    enum config_origin from;
    const char *path = config_path(cli->config_path, &from);
    int required = from != CONFIG_FROM_DEFAULT || !(adhoc || maintenance_only(cli));
    if ((required || access(path, F_OK) == 0) && config_load(cfg, path))
        return -1;
    for (size_t i = 0; i < n_ov; i++)
        if (config_set(cfg, ov[i].instance ? "instance" : "collect", ov[i].instance, ov[i].key,
                       ov[i].value, err, sizeof err)) {
            log_err("option: %s", err);
            return -1;
        }
    for (size_t i = 0; i < cli->n_instances; i++)
        if (!config_instance(cfg, cli->instances[i], 0)) {
            log_err("--instance %s: no such instance in the configuration", cli->instances[i]);
            return -1;
        }
    /* --dry-run stores nothing, so there is nothing for follow to narrow. */
    if (cli->dry_run)
        cfg->follow = 0;
    config_resolve_follow(cfg, cli->loop > 0 ? cli->loop : cfg->interval, cli->loop != 0);
    return config_validate(cfg, !maintenance_only(cli));
}

static int selected(const struct cli *cli, const char *name)
{
    if (cli->n_instances == 0)
        return 1;
    for (size_t i = 0; i < cli->n_instances; i++)
        if (!strcmp(cli->instances[i], name))
            return 1;
    return 0;
}

/* 0 when every instance polled everything, 3 when none observed anything, else 1. */
static int combine(int acc, int rc, int first)
{
    if (first)
        return rc;
    if (acc == rc)
        return acc;
    return EXIT_PARTIAL;
}

/* One pass per instance, one after the other: the first begins at began, each later one
 * at its own reading of the clock. */
static int one_round(struct collector *cs, size_t n, const struct pass_clock *began)
{
    int rc = EXIT_ALL_POLLED;
    for (size_t i = 0; i < n && !stop_requested; i++) {
        struct pass_clock clk = i == 0 ? *began : pass_clock_read();
        rc = combine(rc, collector_pass(&cs[i], &clk), i == 0);
    }
    return rc;
}

static void free_collectors(struct collector *cs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        collector_free(&cs[i]);
    free(cs);
}

/* Reads every selected instance's ETL list and secrets: all that can be wrong with the
 * configuration is found before a database or a lock file is created. Returns the number
 * of collectors in *cs, or -1 after logging (nothing left to free). */
static long prepare_collectors(const struct cli *cli, const struct config *cfg,
                               struct collector **cs)
{
    size_t n = 0;
    if (!(*cs = calloc(cfg->n_instances ? cfg->n_instances : 1, sizeof **cs))) {
        log_err("out of memory");
        return -1;
    }
    for (size_t i = 0; i < cfg->n_instances; i++) {
        if (!selected(cli, cfg->instances[i].name))
            continue;
        struct collector *c = &(*cs)[n++];
        if (collector_init(c, cfg, &cfg->instances[i], NULL)) {
            free_collectors(*cs, n);
            return -1;
        }
        c->dry_out = cli->dry_run ? stdout : NULL;
        c->quiet = cli->verbosity < 0;
        c->auth.http.cancel = &stop_requested;
    }
    return (long)n;
}

static int run_passes(const struct cli *cli, const struct config *cfg, struct collector *cs,
                      size_t n, sqlite3 *db)
{
    int rc;
    long every = cli->loop < 0 ? cfg->interval : cli->loop;
    for (size_t i = 0; i < n; i++) {
        cs[i].db = db;
        cs[i].stored = cfg->follow > 0 ? follow_plan : NULL; /* a stored pass plans follow */
    }
    do {
        struct pass_clock began = pass_clock_read();
        /* Checked before anything is polled: a file that cannot take the pass costs no
         * requests, and a damaged one is never written further. */
        if (db && dbcheck_before_pass(db, cfg->db, began.now))
            return EXIT_NOTHING;
        rc = one_round(cs, n, &began);
        /* Follow polls are part of the round: the metrics are written once, after them, and
         * dated when they are written. */
        if (!stop_requested && follow_run(cs, n, &began) && rc == EXIT_ALL_POLLED)
            rc = EXIT_PARTIAL;
        if (db && dbcheck_damaged(db))
            return EXIT_NOTHING;
        if (cli->prom_file && db && prom_write(db, cli->prom_file, pass_clock_read().now) &&
            rc == EXIT_ALL_POLLED)
            rc = EXIT_PARTIAL;
        /* The wait between passes is a duration: a clock set back or forward meanwhile
         * neither stretches nor skips it. */
        if (cli->loop)
            poll_sleep_until_ms(began.mono_ms + every * 1000, &stop_requested);
    } while (cli->loop && !stop_requested);
    /* Stopped by a signal: a loop was asked to end (success); a single pass was cut short. */
    if (stop_requested)
        return cli->loop ? EXIT_ALL_POLLED : 128 + stop_requested;
    return rc;
}

static int maintenance(const struct cli *cli, const struct config *cfg, sqlite3 *db)
{
    int64_t count;
    if (dbcheck_before_pass(db, cfg->db, pass_clock_read().now))
        return EXIT_NOTHING;
    if (cli->rebuild_runs) {
        if (runs_rebuild(db, &count))
            return EXIT_NOTHING;
        log_info("rebuilt %lld %s", (long long)count, log_plural(count, "run", "runs"));
    }
    if (cli->prune_days) {
        if (store_prune(db, pass_clock_read().now - cli->prune_days * 86400, &count))
            return EXIT_NOTHING;
        log_info("pruned %lld %s", (long long)count, log_plural(count, "row", "rows"));
    }
    return EXIT_ALL_POLLED;
}

static int with_database(const struct cli *cli, const struct config *cfg, struct collector *cs,
                         size_t n)
{
    sqlite3 *db = NULL;
    int lock = -1, rc;
    if (!cli->dry_run) {
        lock = lock_acquire(cfg->db);
        if (lock < 0)
            return lock == -2 ? EXIT_LOCKED : EXIT_NOTHING;
        if (dbcheck_header(cfg->db)) {
            lock_release(lock);
            return EXIT_NOTHING;
        }
        /* A pass touches a few pages per ETL, each once: SQLite's default 2 MiB page cache
         * buys nothing there but resident memory (docs/dev/PERFORMANCE.md, row 5a). */
        if (db_open(cfg->db, DB_READWRITE, &db) || db_exec(db, "PRAGMA cache_size = -512")) {
            db_close(db);
            lock_release(lock);
            return EXIT_NOTHING;
        }
    }
    if (maintenance_only(cli))
        rc = maintenance(cli, cfg, db);
    else
        rc = run_passes(cli, cfg, cs, n, db);
    db_close(db);
    lock_release(lock);
    return rc;
}

int collect_main(int argc, char **argv)
{
    struct cli cli = {0};
    struct config cfg;
    struct override ov[64];
    size_t n_ov = 0;
    const char *names[64];
    if (argc > 60) {
        fputs("etlhist-collect: too many arguments\n", stderr);
        return EXIT_USAGE;
    }
    cli.instances = names;
    log_init("etlhist-collect", LOG_WARN);
    int rc = parse_args(argc, argv, &cli, ov, &n_ov);
    if (rc)
        return rc == ARGS_DONE ? 0 : rc;
    log_init("etlhist-collect", cli.verbosity < 0 ? LOG_ERROR : LOG_WARN + cli.verbosity);
    struct collector *cs = NULL;
    long n = 0;
    if (build_config(&cli, &cfg, ov, n_ov) ||
        (!maintenance_only(&cli) && (n = prepare_collectors(&cli, &cfg, &cs)) < 0)) {
        config_free(&cfg);
        return EXIT_USAGE;
    }
    if (cli.print_config) {
        config_print(&cfg, stdout);
        rc = 0;
    } else {
        signal(SIGTERM, on_stop);
        signal(SIGINT, on_stop);
        signal(SIGHUP, on_stop);
        signal(SIGPIPE, SIG_IGN);
        if (http_global_init()) {
            log_err("cannot initialise libcurl");
            rc = EXIT_NOTHING;
        } else {
            rc = with_database(&cli, &cfg, cs, (size_t)n);
            http_global_cleanup();
        }
    }
    free_collectors(cs, (size_t)n);
    config_free(&cfg);
    return rc;
}
