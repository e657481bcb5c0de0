/* The -f formats of etlhist-report: the writers of every layer, by name. The table lives at
 * the top, beside the command line, because it names writers of the layers above writers/
 * (mail/); each layer declares its own writer. */
#ifndef ETLHIST_REPORT_FORMATS_H
#define ETLHIST_REPORT_FORMATS_H

#include "fmt.h"

/* The writer named name, or NULL. */
const struct fmt_writer *fmt_find(const char *name);
/* "text, csv, json, html, mail" (without mail in a MAIL=0 build): for messages and --help. */
const char *fmt_names(void);
/* Why the format named name is known but not in this build (-f mail of a MAIL=0 build), or
 * NULL. */
const char *fmt_missing(const char *name);

#endif
