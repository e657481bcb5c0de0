/* The message's HTML part: the HTML writer's rows, sections and charts in the mail look
 * (html_look.h: every style inline, a layout table at most 800 px wide), each chart a PNG
 * image referenced by cid:, its alt text carrying its figures. */
#ifndef ETLHIST_REPORT_MAIL_HTML_H
#define ETLHIST_REPORT_MAIL_HTML_H

#include "fmt.h"
#include "mail_png.h"

#include <stddef.h>
#include <stdio.h>

struct mail_doc {
    char *html;
    size_t html_len;
    struct mail_image *img;
    size_t nimg;
};

/* A writer (fmt.h's begin, row, end) of the HTML part into doc; cid_suffix ends every
 * Content-ID (".token@host"). begin returns NULL when out of memory; end returns 0, or -1
 * (logged) when out of memory or a chart cannot be drawn, and frees the state; doc is the
 * caller's to free (mail_doc_free) either way. */
void *mail_html_begin(const struct fmt_report *rep, const char *cid_suffix, struct mail_doc *doc);
int mail_html_row(void *state, const struct cell *cells, const struct row_mark *mark);
int mail_html_end(void *state, const struct cell *totals);
void mail_doc_free(struct mail_doc *doc);

#endif
