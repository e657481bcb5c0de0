/* The message, built with GMime (which folds and encodes headers, non-ASCII included, and
 * writes the MIME structure):
 *   multipart/mixed
 *     multipart/alternative
 *       text/plain              what needs attention, then the text report
 *       multipart/related       (type text/html)
 *         text/html             the page for mail, charts as <img src="cid:...">
 *         image/png ...         one per chart, Content-ID as in the page
 *     text/csv (attachment)     exactly what -f csv writes */
#include "mail_mime.h"

#include "log.h"
#include "utf8.h"
#include "zone.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>

int mail_fixed(void)
{
    const char *v = getenv(MAIL_FIXED_ENV);
    return v && strcmp(v, "1") == 0;
}

static GMimeObject *leaf(const char *type, const char *subtype, const void *data, size_t len,
                         GMimeContentEncoding encoding)
{
    GMimePart *part = g_mime_part_new_with_type(type, subtype);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeDataWrapper *content =
        g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
    g_object_unref(stream);
    g_mime_part_set_content(part, content);
    g_object_unref(content);
    g_mime_part_set_content_encoding(part, encoding);
    if (strcmp(type, "text") == 0)
        g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
    return GMIME_OBJECT(part);
}

static GMimeMultipart *multipart(const char *subtype, int fixed)
{
    GMimeMultipart *mp = g_mime_multipart_new_with_subtype(subtype);
    char boundary[64];
    snprintf(boundary, sizeof boundary, "=-etlhist-%s-fixed", subtype);
    g_mime_multipart_set_boundary(mp, fixed ? boundary : NULL);
    return mp;
}

static void add(GMimeMultipart *mp, GMimeObject *part)
{
    g_mime_multipart_add(mp, part);
    g_object_unref(part);
}

static GMimeObject *related_part(const struct mail_content *c, int fixed)
{
    const struct mail_doc *doc = c->doc;
    GMimeMultipart *related = multipart("related", fixed);
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(related), "type", "text/html");
    add(related,
        leaf("text", "html", doc->html, doc->html_len, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE));
    for (size_t i = 0; i < doc->nimg; i++) {
        char name[96];
        GMimeObject *png = leaf("image", "png", doc->img[i].png, doc->img[i].png_len,
                                GMIME_CONTENT_ENCODING_BASE64);
        g_mime_object_set_content_id(png, doc->img[i].cid);
        g_mime_object_set_disposition(png, "inline");
        if (doc->img[i].file && strcmp(doc->img[i].file, ".png") != 0)
            snprintf(name, sizeof name, "%s", doc->img[i].file);
        else
            snprintf(name, sizeof name, "chart%zu.png", i + 1);
        g_mime_part_set_filename(GMIME_PART(png), name);
        add(related, png);
    }
    return GMIME_OBJECT(related);
}

static void csv_name(const struct fmt_report *rep, char *buf, size_t size)
{
    char day[ZONE_TIME_BUF];
    if (!rep->windowed) {
        snprintf(buf, size, "etlhist-%s.csv", rep->name);
        return;
    }
    zone_format(rep->tz, rep->since, "%Y-%m-%d", day, sizeof day);
    snprintf(buf, size, "etlhist-%s-%s.csv", rep->name, day);
}

static GMimeObject *body(const struct mail_content *c, int fixed)
{
    char name[128];
    GMimeMultipart *mixed = multipart("mixed", fixed);
    GMimeMultipart *alternative = multipart("alternative", fixed);
    add(alternative,
        leaf("text", "plain", c->text, c->text_len, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE));
    add(alternative, related_part(c, fixed));
    add(mixed, GMIME_OBJECT(alternative));
    GMimeObject *csv = leaf("text", "csv", c->csv, c->csv_len, GMIME_CONTENT_ENCODING_BASE64);
    csv_name(c->rep, name, sizeof name);
    g_mime_object_set_disposition(csv, "attachment");
    g_mime_part_set_filename(GMIME_PART(csv), name);
    add(mixed, csv);
    return GMIME_OBJECT(mixed);
}

static void default_subject(const struct fmt_report *rep, char *buf, size_t size)
{
    char a[ZONE_TIME_BUF], b[ZONE_TIME_BUF];
    if (!rep->windowed) {
        snprintf(buf, size, "etlhist %s", rep->name);
        return;
    }
    zone_format(rep->tz, rep->since, "%Y-%m-%d %H:%M %Z", a, sizeof a);
    zone_format(rep->tz, rep->until, "%Y-%m-%d %H:%M %Z", b, sizeof b);
    snprintf(buf, size, "etlhist %s, %s to %s", rep->name, a, b);
}

static int set_headers(GMimeMessage *msg, const struct mail_content *c)
{
    char from[320], subject[256], id[384];
    const struct fmt_mail_opts *o = c->opts;
    /* as every report shows a name: no bidirectional control (utf8.h) */
    default_subject(c->rep, subject, sizeof subject);
    char *shown = utf8_unbidi_dup(o->subject ? o->subject : subject);
    if (!shown)
        return -1;
    g_mime_message_set_subject(msg, shown, "utf-8");
    free(shown);
    snprintf(from, sizeof from, "etlhist@%s", c->host);
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, NULL, o->from ? o->from : from);
    for (size_t i = 0; i < o->n_to; i++)
        g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, NULL, o->to[i]);
    GDateTime *date = g_date_time_new_from_unix_utc(c->date);
    if (date) {
        g_mime_message_set_date(msg, date);
        g_date_time_unref(date);
    }
    snprintf(id, sizeof id, "etlhist.%s@%s", c->token, c->host);
    g_mime_message_set_message_id(msg, id);
    /* RFC 3834: written by a program, so no vacation auto-replies */
    g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted", "auto-generated", NULL);
    return 0;
}

int mail_message_write(FILE *out, const struct mail_content *c)
{
    int fixed = mail_fixed();
    g_mime_init();
    GMimeMessage *msg = g_mime_message_new(TRUE);
    if (set_headers(msg, c)) {
        g_object_unref(msg);
        g_mime_shutdown();
        log_err("out of memory");
        return -1;
    }
    GMimeObject *mixed = body(c, fixed);
    g_mime_message_set_mime_part(msg, mixed);
    g_object_unref(mixed);
    /* into memory, then out: GMime's file stream seeks, which a pipe to sendmail cannot */
    GMimeStream *stream = g_mime_stream_mem_new();
    ssize_t n = g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, stream);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
    int rc = n < 0 || !bytes ? -1 : 0;
    if (rc == 0 && fwrite(bytes->data, 1, bytes->len, out) != bytes->len)
        rc = -1;
    g_object_unref(stream);
    g_object_unref(msg);
    g_mime_shutdown();
    if (rc && !ferror(out))
        log_err("mail: the message could not be written");
    return rc;
}

/* 1 when the form GMime writes in the header is ASCII: the domain in IDNA (RFC 5891);
 * when the domain has no IDNA form GMime keeps it as it is. Called before g_mime_init:
 * GMime cannot be initialised again once shut down, and an address needs no more than
 * its GObject type. */
static int idna_is_ascii(const char *addr)
{
    InternetAddress *a = internet_address_mailbox_new(NULL, addr);
    const char *idn = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(a));
    int ascii = idn != NULL;
    for (const unsigned char *p = (const unsigned char *)idn; p && *p; p++)
        ascii &= *p < 0x80;
    g_object_unref(a);
    return ascii;
}

const char *mail_address_problem(const char *addr)
{
    size_t len = addr ? strlen(addr) : 0;
    const char *at = addr ? strchr(addr, '@') : NULL;
    if (len == 0 || len > 254 || !at || at == addr || !at[1] || strchr(at + 1, '@'))
        return MAIL_NOT_PLAIN;
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
        if (*p < 0x21 || *p == 0x7f || strchr(",;<>\"()[]\\", *p))
            return MAIL_NOT_PLAIN;
    for (const unsigned char *p = (const unsigned char *)addr; p < (const unsigned char *)at; p++)
        if (*p >= 0x80)
            return "a name before @ that is not ASCII needs SMTPUTF8, which this message does "
                   "not use: give an ASCII address";
    if (!utf8_valid(at + 1, strlen(at + 1)) || !idna_is_ascii(addr))
        return "the domain is not a valid internationalised name: give its ASCII (punycode) "
               "form";
    return NULL;
}
