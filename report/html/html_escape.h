/* HTML escaping, for the writer and its charts. */
#ifndef ETLHIST_REPORT_HTML_ESCAPE_H
#define ETLHIST_REPORT_HTML_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Writes s as HTML text or as a quoted attribute value: & < > " ' become entities, control
 * characters spaces and bytes that are not UTF-8 U+FFFD, so no name can open markup. */
void html_escape(FILE *out, const char *s);

#endif
