/* -f mail: the report as one RFC 5322 message for `sendmail -t`. fmt_mail.c feeds the rows
 * to the text, CSV and HTML writers at once; mail_html.c turns the HTML page into what mail
 * clients show (inline styles, tables, charts as PNG images referenced by cid:); mail_png.c
 * rasterises the page's own SVG charts with librsvg; mail_mime.c builds the message with
 * GMime. Nothing here reads the database. */
#ifndef ETLHIST_REPORT_MAIL_H
#define ETLHIST_REPORT_MAIL_H

#include "fmt.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Tests set this to 1 for a message that is the same bytes on every run: Date is the end of
 * the window (or $SOURCE_DATE_EPOCH), Message-ID, Content-IDs and boundaries are fixed. */
#define MAIL_FIXED_ENV "ETLHIST_MAIL_FIXED"

/* A chart of the HTML part. */
struct mail_image {
    char *cid; /* Content-ID without angle brackets */
    unsigned char *png;
    size_t png_len;
    int width, height;
};

struct mail_doc {
    char *html;
    size_t html_len;
    struct mail_image *img;
    size_t nimg;
};

/* 1 when addr can go in a header as one bare address: not empty, at most 254 bytes, no
 * control character (CR and LF above all: no header injection), no space, comma, angle
 * bracket, quote or parenthesis, and one @ with text on each side. Non-ASCII is left to
 * GMime to encode. */
int mail_address_ok(const char *addr);

/* 1 when MAIL_FIXED_ENV is set to 1. */
int mail_fixed(void);

/* The page fmt_html wrote, rewritten for mail. cid_suffix ends every Content-ID
 * ("@host"). summary: the per-ETL table keeps its main columns (the text part and the CSV
 * have them all). Returns 0, or -1 (logged) when out of memory or a chart cannot be drawn. */
int mail_html_from_page(const char *page, size_t len, const char *cid_suffix, int summary,
                        struct mail_doc *doc);
void mail_doc_free(struct mail_doc *doc);

/* The SVG (as fmt_html writes it, inline: no XML namespace) as a PNG at its own size.
 * Returns 0, or -1 (logged). */
int mail_png_from_svg(const char *svg, size_t len, struct mail_image *img);
/* Warns (one line) when fontconfig has no font for the charts' labels. */
void mail_png_check_fonts(void);

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
