/* One-line diagnostics on stderr, prefixed with the program name. */
#ifndef ETLHIST_LOG_H
#define ETLHIST_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_init(const char *prog, int verbosity);
int log_verbosity(void);
/* Replaces every control character (newlines, escapes: whatever a server sent) with a space,
 * so that text keeps to one line and cannot drive a terminal. Used for every text a program
 * prints, not only diagnostics. */
void log_neutralise(char *text);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
