/* etlhist-report's command line: argv into report_opts, with one-line usage errors. */
#ifndef ETLHIST_REPORT_CLI_H
#define ETLHIST_REPORT_CLI_H

#include "config.h"
#include "run.h"

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
