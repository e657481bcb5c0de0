/* The message, with GMime: headers, the text and HTML alternatives with the charts, and the
 * CSV attachment. */
#ifndef ETLHIST_REPORT_MAIL_MIME_H
#define ETLHIST_REPORT_MAIL_MIME_H

#include "fmt.h"
#include "mail.h"
#include "mail_html.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* 1 when MAIL_FIXED_ENV is set to 1. */
int mail_fixed(void);

struct mail_content {
    const struct fmt_report *rep;
    const struct fmt_mail_opts *opts;
    const char *token, *host; /* Message-ID "<etlhist.TOKEN@HOST>" */
    int64_t date;
    const char *text, *csv;
    size_t text_len, csv_len;
    const struct mail_doc *doc;
};

/* Writes the whole message to out. Returns 0, or -1 (logged). */
int mail_message_write(FILE *out, const struct mail_content *c);

#endif
