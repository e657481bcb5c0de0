/* etlhist-report check: the summary run as a monitoring plugin. Its own options (-w, -c,
 * --timeout) are read here; the window and the filters go to the report's command line, and
 * the report engine runs the summary with the check writer. Every error is UNKNOWN (3). */
#ifndef ETLHIST_REPORT_PLUGIN_MAIN_H
#define ETLHIST_REPORT_PLUGIN_MAIN_H

#include <stdint.h>

#define CHECK_TIMEOUT_DEFAULT 50 /* s: below the 60 s Nagios and Icinga allow a check */

/* argv[1] is "check". Writes the plugin's output on standard output and returns its exit
 * code (plugin.h's enum plugin_state). */
int check_main(int argc, char **argv, int64_t now);
void check_usage(void);

#endif
