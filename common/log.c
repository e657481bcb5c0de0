#include "log.h"

#include <stdarg.h>
#include <stdio.h>

/* Diagnostics settings are process-wide by nature: stderr is one stream. */
static const char *log_prog = "etlhist";
static int log_level_max = LOG_WARN;

void log_init(const char *prog, int verbosity)
{
    log_prog = prog;
    log_level_max = verbosity;
}

int log_verbosity(void)
{
    return log_level_max;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if ((int)level > log_level_max)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* Keep every message on one line whatever a server sent us. */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r' || (unsigned char)*p < 0x20)
            *p = ' ';
    fprintf(stderr, "%s: %s%s\n", log_prog, level == LOG_WARN ? "warning: " : "", line);
}
