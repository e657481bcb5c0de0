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

void log_neutralise(char *text)
{
    for (char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
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
    log_neutralise(line);
    fprintf(stderr, "%s: %s%s\n", log_prog, level == LOG_WARN ? "warning: " : "", line);
}
