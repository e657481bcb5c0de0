#include "log.h"

#include "utf8.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Diagnostics settings are process-wide by nature: stderr is one stream. */
static const char *log_prog = "etlhist";
static int log_level_max = LOG_WARN;
static void (*log_hook)(void *ctx, enum log_level level, const char *line);
static void *log_hook_ctx;

void log_set_hook(void (*hook)(void *ctx, enum log_level level, const char *line), void *ctx)
{
    log_hook = hook;
    log_hook_ctx = ctx;
}

void log_init(const char *prog, int verbosity)
{
    log_prog = prog;
    log_level_max = verbosity;
}

int log_verbosity(void)
{
    return log_level_max;
}

char *log_clean(char *s)
{
    unsigned char *in = (unsigned char *)s, *out = in;
    while (*in) {
        if (in[0] == 0xC2 && in[1] >= 0x80 && in[1] <= 0x9F) {
            *out++ = ' ';
            in += 2;
        } else {
            *out++ = *in < 0x20 || *in == 0x7F ? ' ' : *in;
            in++;
        }
    }
    *out = '\0';
    return s;
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
    log_clean(line);                           /* one line whatever a server sent us */
    char shown[UTF8_UNBIDI_SIZE(sizeof line)]; /* names as every report shows them */
    fprintf(stderr, "%s: %s%s\n", log_prog, level == LOG_WARN ? "warning: " : "",
            utf8_unbidi(shown, line));
    if (log_hook)
        log_hook(log_hook_ctx, level, shown);
}

const char *log_plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void log_bad_option(int c, char *const argv[], const char *help)
{
    /* A letter in optopt is a short option, or a long one whose value is that letter
     * (--config, -c); a value missing is always at the end of the word just read, so its
     * word tells which. An unknown letter inside a group (-vZq) has no word of its own. */
    const char *word = argv[optind - 1];
    char letter[3] = {'-', (char)optopt, '\0'};
    if (optopt > 0 && optopt < 256 && (c != ':' || strncmp(word, "--", 2) != 0))
        word = letter;
    if (c == ':')
        log_err("%s needs a value (see %s)", word, help);
    else
        log_err("unknown option %s (see %s)", word, help);
}
