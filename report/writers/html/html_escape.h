/* HTML escaping, for the writer and its charts. */
#ifndef ETLHIST_REPORT_HTML_ESCAPE_H
#define ETLHIST_REPORT_HTML_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Writes s as HTML text or as a quoted attribute value: & < > " ' become entities, control
 * characters spaces, bytes that are not UTF-8 U+FFFD, so no name can open markup, and
 * bidirectional controls UTF8_BIDI_SHOWN (utf8.h), so none can reorder the page. */
void html_escape(FILE *out, const char *s);

#endif
