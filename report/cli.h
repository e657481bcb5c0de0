/* etlhist-report's command line: argv into report_opts, with one-line usage errors. */
#ifndef ETLHIST_REPORT_CLI_H
#define ETLHIST_REPORT_CLI_H

#include "config.h"
#include "run.h"

#include <getopt.h>

/* The options that choose the databases, the window and the ETLs, each --NAME VALUE: the
 * reports take them and check hands them on to the summary. One list for both, so an option
 * added here is taken by both: X(name, id, value), value as the help names it. */
#define REPORT_WINDOW_OPTIONS(X)                                                                   \
    X("db", OPT_DB, "FILE"), X("last", OPT_LAST, "SPAN"), X("since", OPT_SINCE, "TIME"),           \
        X("until", OPT_UNTIL, "TIME"), X("week", OPT_WEEK, "YYYY-Www"), X("tz", OPT_TZ, "ZONE"),   \
        X("instance", OPT_INSTANCE, "NAME"), X("etl", OPT_ETL, "LIST"),                            \
        X("name", OPT_NAME, "GLOB"), X("max-rate", OPT_MAX_RATE, "PCT")

#define REPORT_WINDOW_ID(name, id, value) id
/* getopt_long's values for them: after every character, so no short option collides. */
enum report_window_opt {
    OPT_WINDOW_BEFORE = 255,
    REPORT_WINDOW_OPTIONS(REPORT_WINDOW_ID),
    OPT_WINDOW_END /* the first value after them */
};
/* Their struct option entries, for an option table. */
#define REPORT_WINDOW_ENTRY(name, id, value)                                                       \
    {                                                                                              \
        name, required_argument, NULL, id                                                          \
    }

struct report_cli {
    struct report_opts opts;
    struct etlset etls;
    int have_etls;
    const char *config_file; /* -c FILE; NULL: $ETLHIST_CONFIG, else the default path */
    char *config_db;         /* --db taken from the configuration file, when no --db was given */
    struct config cfg;       /* the configuration file, when read (its silences) */
    int have_cfg;
};

enum cli_result { CLI_RUN = 0, CLI_DONE = 1, CLI_USAGE = -1 };

/* CLI_DONE: --help or --version was printed. CLI_USAGE: the error was logged. */
enum cli_result report_cli_parse(struct report_cli *cli, int argc, char **argv);
void report_cli_free(struct report_cli *cli);
void report_cli_usage(FILE *out);

#endif
