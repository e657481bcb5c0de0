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
    char *cid;  /* Content-ID without angle brackets */
    char *file; /* the attachment's file name: the chart's data-file, or ".png" */
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

/* mail_address_problem's answer for what is not one bare address. */
#define MAIL_NOT_PLAIN                                                                             \
    "not one plain address (name@domain, without spaces, commas, quotes, angle brackets or "       \
    "line breaks)"

/* NULL when addr can go in a header as one bare address, else why not. Refused: empty,
 * above 254 bytes, a control character (CR and LF above all: no header injection), space,
 * comma, angle bracket, quote or parenthesis, not one @ with text on each side, non-ASCII
 * before the @ (only SMTPUTF8 carries it, and the message is plain RFC 5322), and a
 * non-ASCII domain with no IDNA form (RFC 5891). A non-ASCII domain that has one goes
 * into the header in that form (GMime converts it with libidn2). */
const char *mail_address_problem(const char *addr);

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
