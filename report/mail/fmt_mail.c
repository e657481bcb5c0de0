/* -f mail: every row goes to the text, CSV and HTML writers at once, each into memory; at the
 * end the three become one message (mail.h). The text part is the text report (what needs
 * attention first, as -f text writes it), the attachment is exactly what -f csv writes, and the
 * HTML part is what the HTML writer writes from the same rows for mail clients, its charts
 * as PNG images (mail_html.h). The top of the mail layer: it includes the others' headers,
 * none of them includes this file's. */
#include "mail_html.h"
#include "mail_mime.h"

#include "log.h"
#include "numfmt.h"
#include "utf8.h"
#include "zone.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

struct membuf {
    FILE *fp;
    char *buf;
    size_t len;
};

struct mail_state {
    FILE *out;
    const struct fmt_report *rep;
    struct fmt_mail_opts opts;
    struct membuf text, csv;
    void *text_st, *csv_st, *html_st;
    struct mail_doc doc;
    char token[64], host[256], cid_suffix[336];
};

static int membuf_open(struct membuf *m)
{
    m->fp = open_memstream(&m->buf, &m->len);
    return m->fp ? 0 : -1;
}

static int membuf_close(struct membuf *m)
{
    int rc = 0;
    if (m->fp)
        rc = fclose(m->fp) ? -1 : 0;
    m->fp = NULL;
    return rc;
}

static void membuf_free(struct membuf *m)
{
    membuf_close(m);
    free(m->buf);
    m->buf = NULL;
}

static void mail_free(struct mail_state *st)
{
    membuf_free(&st->text);
    membuf_free(&st->csv);
    mail_doc_free(&st->doc);
    free(st);
}

/* The unique part of the Message-ID and Content-IDs. */
static void make_token(char *buf, size_t size)
{
    uint32_t r = 0;
    if (mail_fixed()) {
        snprintf(buf, size, "fixed");
        return;
    }
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        r = (uint32_t)clock();
    snprintf(buf, size, "%lld.%ld.%08x", (long long)time(NULL), (long)getpid(), (unsigned)r);
}

/* The Message-ID's token and host, and the Content-IDs' suffix made of them. */
static void name_message(struct mail_state *st)
{
    make_token(st->token, sizeof st->token);
    snprintf(st->host, sizeof st->host, "etlhist.invalid");
    if (!mail_fixed() && (gethostname(st->host, sizeof st->host) != 0 || !st->host[0]))
        snprintf(st->host, sizeof st->host, "localhost");
    st->host[sizeof st->host - 1] = '\0';
    snprintf(st->cid_suffix, sizeof st->cid_suffix, ".%s@%s", st->token, st->host);
}

static void *mail_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    struct mail_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->rep = rep;
    st->opts = opts->mail;
    name_message(st);
    struct fmt_opts text_opts = *opts;
    text_opts.header = 1; /* the text part always has its title and headings */
    if (membuf_open(&st->text) || membuf_open(&st->csv) ||
        !(st->text_st = fmt_text.begin(st->text.fp, rep, &text_opts)) ||
        !(st->csv_st = fmt_csv.begin(st->csv.fp, rep, opts)) ||
        !(st->html_st = mail_html_begin(rep, st->cid_suffix, &st->doc))) {
        /* a writer's state is freed only by its end(), which also writes: the part is
         * dropped with its buffer */
        if (st->text_st)
            fmt_text.end(st->text_st, NULL);
        if (st->csv_st)
            fmt_csv.end(st->csv_st, NULL);
        mail_free(st);
        return NULL;
    }
    return st;
}

static int mail_header(void *state)
{
    struct mail_state *st = state;
    int rc = fmt_text.header(st->text_st);
    rc |= fmt_csv.header(st->csv_st);
    return rc ? -1 : 0;
}

static int mail_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    struct mail_state *st = state;
    int rc = fmt_text.row(st->text_st, cells, mark);
    rc |= fmt_csv.row(st->csv_st, cells, mark);
    rc |= mail_html_row(st->html_st, cells, mark);
    return rc ? -1 : 0;
}

static int64_t message_date(const struct fmt_report *rep)
{
    if (!mail_fixed())
        return (int64_t)time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t = sde && *sde ? strtoll(sde, &end, 10) : 0;
    return sde && *sde && *end == '\0' ? (int64_t)t : rep->until;
}

static int write_message(struct mail_state *st)
{
    if (!st->text.buf) {
        log_err("out of memory");
        return -1;
    }
    struct mail_content c = {
        st->rep,      &st->opts,   st->token,    st->host,    message_date(st->rep),
        st->text.buf, st->csv.buf, st->text.len, st->csv.len, &st->doc};
    return mail_message_write(st->out, &c);
}

static int mail_end(void *state, const struct cell *totals)
{
    struct mail_state *st = state;
    int rc = fmt_text.end(st->text_st, totals);
    rc |= fmt_csv.end(st->csv_st, totals);
    rc |= mail_html_end(st->html_st, totals);
    rc |= membuf_close(&st->text) | membuf_close(&st->csv);
    if (rc == 0)
        rc = write_message(st);
    mail_free(st);
    return rc ? -1 : 0;
}

const struct fmt_writer fmt_mail = {"mail", mail_begin, mail_header, mail_row, mail_end, 1};
