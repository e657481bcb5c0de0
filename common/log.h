/* One-line diagnostics on stderr, prefixed with the program name. */
#ifndef ETLHIST_LOG_H
#define ETLHIST_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_init(const char *prog, int verbosity);
int log_verbosity(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Also hands every message shown (cleaned, without the program name) to hook, with ctx;
 * NULL removes it. A monitoring check puts the first error on its status line. */
void log_set_hook(void (*hook)(void *ctx, enum log_level level, const char *line), void *ctx);

/* Makes s safe to show on a terminal, in place: every control character (C0, DEL, and the
 * C1 controls U+0080..U+009F in UTF-8, which some terminals obey as escapes) becomes one
 * space, so a name or a server's error text cannot break a line or move the cursor.
 * Returns s. Every text output (stderr, the text report, --dry-run, --print-config) goes
 * through it. */
char *log_clean(char *s);

/* one when n is 1, else many: "1 ETL", "2 ETLs". Every count in a message people read
 * (log lines, reports) takes its noun from here. */
const char *log_plural(long long n, const char *one, const char *many);

/* What getopt_long refused (with opterr 0 and an optstring that begins with ':'): c is ':'
 * for a value missing, else an unknown option. One line naming the option as it was given
 * (-x alone when x shares its word with other letters, as in -vx), and where to read more:
 * help is "--help" or "check --help". Every program's usage errors look alike. */
void log_bad_option(int c, char *const argv[], const char *help);

#define log_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
