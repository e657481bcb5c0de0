/* The message's HTML part: the HTML writer (html_writer.h) over the same rows as the text
 * part and the CSV, in the mail look, and each chart it draws rasterised to a PNG and put in
 * as <img src="cid:...">. Nothing is parsed: the HTML is written once, for mail clients. */
#include "mail_html.h"

#include "html_writer.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

struct mail_html {
    struct html_look look; /* its ctx is this state */
    struct mail_doc *doc;
    const char *cid_suffix;
    FILE *fp; /* into doc->html */
    void *writer;
};

static int add_image(struct mail_html *m, const struct html_chart *chart, struct mail_image **out)
{
    struct mail_doc *doc = m->doc;
    struct mail_image *v = realloc(doc->img, (doc->nimg + 1) * sizeof *v);
    if (!v) {
        log_err("out of memory");
        return -1;
    }
    doc->img = v;
    struct mail_image *img = &doc->img[doc->nimg];
    memset(img, 0, sizeof *img);
    if (doc->nimg == 0)
        mail_png_check_fonts(); /* once per mail: its first chart */
    if (mail_png_from_svg(chart->svg, chart->len, img))
        return -1;
    doc->nimg++;
    if (asprintf(&img->cid, "chart%zu%s", doc->nimg, m->cid_suffix) < 0)
        img->cid = NULL;
    if (img->cid && asprintf(&img->file, "%s.png", chart->file ? chart->file : "chart") < 0)
        img->file = NULL;
    if (!img->cid || !img->file) {
        log_err("out of memory");
        return -1;
    }
    *out = img;
    return 0;
}

/* The look's chart: a PNG part, and the image that shows it. */
static int put_chart(void *ctx, FILE *out, const struct html_chart *chart)
{
    struct mail_image *img;
    if (add_image(ctx, chart, &img))
        return -1;
    fprintf(out,
            "<img src=\"cid:%s\" width=\"%d\" height=\"%d\" alt=\"%s\" "
            "style=\"display:block;max-width:100%%;height:auto;border:0;margin:0 0 8px;"
            "font-size:13px;color:#555\">\n",
            img->cid, img->width, img->height, chart->alt ? chart->alt : "");
    return 0;
}

void *mail_html_begin(const struct fmt_report *rep, const char *cid_suffix, struct mail_doc *doc)
{
    struct mail_html *m = calloc(1, sizeof *m);
    memset(doc, 0, sizeof *doc);
    if (!m)
        return NULL;
    m->look = (struct html_look){1, put_chart, m};
    m->doc = doc;
    m->cid_suffix = cid_suffix;
    m->fp = open_memstream(&doc->html, &doc->html_len);
    m->writer = m->fp ? html_writer_begin(m->fp, rep, &m->look) : NULL;
    if (!m->writer) {
        if (m->fp)
            fclose(m->fp);
        free(m);
        return NULL;
    }
    return m;
}

int mail_html_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    struct mail_html *m = state;
    return html_writer_row(m->writer, cells, mark);
}

int mail_html_end(void *state, const struct cell *totals)
{
    struct mail_html *m = state;
    int rc = html_writer_end(m->writer, totals);
    if (fclose(m->fp) != 0 && rc == 0) {
        log_err("out of memory");
        rc = -1;
    }
    free(m);
    return rc;
}

void mail_doc_free(struct mail_doc *doc)
{
    for (size_t i = 0; i < doc->nimg; i++) {
        free(doc->img[i].cid);
        free(doc->img[i].file);
        free(doc->img[i].png);
    }
    free(doc->img);
    free(doc->html);
    memset(doc, 0, sizeof *doc);
}
