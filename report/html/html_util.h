/* What the HTML writer and its charts share: escaping, and times in the display zone. */
#ifndef ETLHIST_REPORT_HTML_UTIL_H
#define ETLHIST_REPORT_HTML_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HTML_TIME_BUF 48

/* Writes s as HTML text or as a quoted attribute value: & < > " ' become entities, control
 * characters spaces and bytes that are not UTF-8 U+FFFD, so no name can open markup. */
void html_escape(FILE *out, const char *s);

/* t in the display zone with strftime(3) format fmt ("?" when out of range). */
void html_local_time(int64_t t, const char *fmt, char *buf, size_t size);

/* Local midnight of the day after the one t falls in (DST-safe). */
int64_t html_next_midnight(int64_t t);

#endif
