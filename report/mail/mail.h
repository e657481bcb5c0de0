/* -f mail: the report as one RFC 5322 message for `sendmail -t` (the writer fmt_mail).
 * This header is what the rest of etlhist-report needs of the mail layer: whether an address
 * can go in a header. Inside the layer, from the top: fmt_mail.c feeds the rows to the text,
 * CSV and HTML writers at once; mail_mime.c (mail_mime.h) builds the message with GMime;
 * mail_html.c (mail_html.h) has the HTML writer write the message's HTML part, its charts
 * as PNG images referenced by cid:; mail_png.c (mail_png.h) rasterises a chart with
 * librsvg. A file includes only the headers of files below it. Nothing here reads the
 * database. */
#ifndef ETLHIST_REPORT_MAIL_H
#define ETLHIST_REPORT_MAIL_H

/* Tests set this to 1 for a message that is the same bytes on every run: Date is the end of
 * the window (or $SOURCE_DATE_EPOCH), Message-ID, Content-IDs and boundaries are fixed. */
#define MAIL_FIXED_ENV "ETLHIST_MAIL_FIXED"

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

struct fmt_writer;
/* The -f mail writer (fmt_mail.c); not in a MAIL=0 build. */
extern const struct fmt_writer fmt_mail;

#endif
