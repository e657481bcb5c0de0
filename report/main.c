/* etlhist-report: options in, one report out. The work is in run.c. */
#include "plugin_main.h"
#include "cli.h"
#include "log.h"

#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    struct report_cli cli;
    log_init("etlhist-report", LOG_WARN);
    if (argc > 1 && strcmp(argv[1], "check") == 0) /* a monitoring plugin: its own exits */
        return check_main(argc, argv, (int64_t)time(NULL));
    enum cli_result parsed = report_cli_parse(&cli, argc, argv);
    int rc = parsed == CLI_DONE ? REPORT_EXIT_OK : REPORT_EXIT_USAGE;
    if (parsed == CLI_RUN)
        rc = report_main(&cli.opts, (int64_t)time(NULL));
    report_cli_free(&cli);
    return rc;
}
