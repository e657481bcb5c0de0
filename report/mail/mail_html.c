/* The -f html page rewritten for mail clients, the way CSS inliners do it: Gmail and Outlook
 * ignore a <style> block, flex layout and SVG. So the stylesheet below is written into each
 * element's style attribute, the page sits in a layout table at most 800 px wide, sections
 * become divs, the navigation (links within the page) goes, and each inline SVG chart
 * becomes a PNG image referenced by cid:, its alt text naming the chart and its figures. The
 * input is fmt_html's own output: every attribute is double-quoted and escaped, so a '>'
 * always ends a tag and '"' always ends a value. */
#include "mail.h"

#include "log.h"
#include "numfmt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAIL_WIDTH 800
#define FONT "font:14px/1.45 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif"

/* Style per element (tag) or class, applied in this order, the element's own last. */
static const char *const tag_styles[][2] = {
    {"h1", "font-size:22px;margin:4px 0"},
    {"h2", "font-size:18px;margin:24px 0 8px"},
    {"h3", "font-size:15px;margin:0 0 4px"},
    {"table", "border-collapse:collapse;font-size:13px;width:100%"},
    {"th", "padding:4px 5px;border-bottom:1px solid #eceef1;text-align:left;"
           "vertical-align:bottom;background:#eef1f5;font-weight:600"},
    {"td", "padding:4px 5px;border-bottom:1px solid #eceef1;vertical-align:top"},
    {"ul", "margin:4px 0 8px;padding-left:20px"},
    {"footer", "margin-top:28px;color:#666;font-size:12px"},
};

static const char *const class_styles[][2] = {
    {"window", "color:#555;margin:0 0 12px"},
    {"figures", "margin:12px 0 4px"},
    {"fig", "display:inline-block;vertical-align:top;width:124px;margin:0 6px 8px 0;"
            "background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px 10px"},
    {"bad", "color:#c62828"},
    {"v", "display:block;font-size:22px;font-weight:600"},
    {"k", "display:block;color:#555"},
    {"d", "display:block;font-size:12px;color:#666"},
    {"scroll", "overflow-x:auto;background:#fff;border:1px solid #dde1e6;border-radius:6px"},
    {"num", "text-align:right;white-space:nowrap"},
    {"t", "white-space:nowrap"},
    {"name", "min-width:9em"},
    {"heat", "width:auto"},
    {"h0", "background:#e8f3e8;text-align:center"},
    {"h1", "background:#fbd5d0;text-align:center"},
    {"h2", "background:#f4a194;text-align:center"},
    {"h3", "background:#e5604f;color:#fff;text-align:center"},
    {"h4", "background:#b71c1c;color:#fff;text-align:center"},
    {"idle", "background:#f1f1f1;text-align:center"},
    {"inst", "color:#666;font-size:12px;font-weight:normal"},
    {"tag", "display:inline-block;font-size:11px;font-weight:600;color:#fff;"
            "background:#5a6b80;border-radius:3px;padding:0 5px;margin-left:6px"},
    {"f", "background:#c62828"},
    {"card", "background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px;"
             "margin:0 0 14px"},
    {"facts", "margin:0 0 6px;color:#555;font-size:13px"},
    {"note", "color:#555;font-size:13px"},
    {"key", "display:inline-block;width:10px;height:10px;border-radius:5px;margin:0 3px 0 10px"},
    {"attention", "background:#fff;border:1px solid #dde1e6;border-left:4px solid #c62828;"
                  "border-radius:6px;padding:4px 14px;margin:12px 0"},
    {"clear", "border-left:4px solid #2e7d32"},
    {"m", "text-align:center;padding-right:0"},
    {"mk", "color:#c62828;font-weight:700;border-left:4px solid #c62828"},
    {"attn", "background:#fdf1f0"},
    {"lim", "display:block;color:#666;font-size:12px;white-space:nowrap"},
    {"r", "text-align:right"},
    {"over", "color:#c62828;font-weight:600"},
};

/* A row heading of the heat map is a name, not a column heading. */
#define ROW_HEADING "background:none;font-weight:normal;vertical-align:top;min-width:10em"

/* Elements mail clients may not know become divs and spans. */
static const char *const renamed[][2] = {
    {"section", "div"}, {"article", "div"}, {"header", "div"}, {"footer", "div"}, {"time", "span"},
};

struct attr {
    const char *name, *value; /* value NULL for a bare attribute */
    size_t name_len, value_len;
};

struct tag {
    char name[16];
    struct attr attr[16];
    size_t nattr;
    const char *end; /* after the '>' */
};

struct rewrite {
    FILE *out;
    const char *page, *limit;
    const char *cid_suffix;
    int summary;
    struct mail_doc *doc;
    const char *facts; /* the latest card's figures, escaped, for the charts' alt texts */
    size_t facts_len;
    size_t page_only; /* rows of the table being read that only the page shows */
};

static const char *find(const char *from, const char *limit, const char *what)
{
    size_t n = strlen(what);
    for (const char *p = from; p + n <= limit; p++)
        if (memcmp(p, what, n) == 0)
            return p;
    return NULL;
}

/* Parses the tag at p ('<' then a letter); returns -1 when it is not closed. */
static int parse_tag(const char *p, const char *limit, struct tag *t)
{
    size_t n = 0;
    p++;
    memset(t, 0, sizeof *t);
    while (p < limit && (isalnum((unsigned char)*p)) && n < sizeof t->name - 1)
        t->name[n++] = *p++;
    while (p < limit && *p != '>') {
        if (*p == ' ' || *p == '/' || *p == '\n') {
            p++;
            continue;
        }
        struct attr a = {p, NULL, 0, 0};
        while (p < limit && *p != '=' && *p != ' ' && *p != '>')
            p++;
        a.name_len = (size_t)(p - a.name);
        if (p + 1 < limit && *p == '=' && p[1] == '"') {
            a.value = p + 2;
            const char *q = memchr(a.value, '"', (size_t)(limit - a.value));
            if (!q)
                return -1;
            a.value_len = (size_t)(q - a.value);
            p = q + 1;
        }
        if (t->nattr < sizeof t->attr / sizeof t->attr[0])
            t->attr[t->nattr++] = a;
    }
    if (p >= limit)
        return -1;
    t->end = p + 1;
    return 0;
}

static const struct attr *attr_of(const struct tag *t, const char *name)
{
    for (size_t i = 0; i < t->nattr; i++)
        if (t->attr[i].name_len == strlen(name) &&
            memcmp(t->attr[i].name, name, t->attr[i].name_len) == 0)
            return &t->attr[i];
    return NULL;
}

static int attr_is(const struct tag *t, const char *name, const char *value)
{
    const struct attr *a = attr_of(t, name);
    return a && a->value && a->value_len == strlen(value) &&
           memcmp(a->value, value, a->value_len) == 0;
}

/* Is word one of the classes of t? */
static int has_class(const struct tag *t, const char *word)
{
    const struct attr *a = attr_of(t, "class");
    size_t n = strlen(word);
    for (size_t i = 0; a && a->value && i + n <= a->value_len; i++)
        if ((i == 0 || a->value[i - 1] == ' ') && memcmp(a->value + i, word, n) == 0 &&
            (i + n == a->value_len || a->value[i + n] == ' '))
            return 1;
    return 0;
}

static void put_style(FILE *out, const struct tag *t)
{
    int first = 1;
    for (size_t i = 0; i < sizeof tag_styles / sizeof tag_styles[0]; i++) {
        if (strcmp(t->name, tag_styles[i][0]) == 0) {
            fprintf(out, "%s%s", first ? "" : ";", tag_styles[i][1]);
            first = 0;
        }
    }
    if (strcmp(t->name, "th") == 0 && attr_is(t, "scope", "row")) {
        fprintf(out, ";" ROW_HEADING);
    }
    for (size_t i = 0; i < sizeof class_styles / sizeof class_styles[0]; i++) {
        if (has_class(t, class_styles[i][0])) {
            fprintf(out, "%s%s", first ? "" : ";", class_styles[i][1]);
            first = 0;
        }
    }
    const struct attr *own = attr_of(t, "style");
    if (own && own->value)
        fprintf(out, "%s%.*s", first ? "" : ";", (int)own->value_len, own->value);
}

static const char *new_name(const char *name)
{
    for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
        if (strcmp(name, renamed[i][0]) == 0)
            return renamed[i][1];
    return name;
}

/* style is rewritten; class says nothing without the stylesheet, and the data table's
 * titles (column names, exact seconds) are in the CSV: Gmail clips HTML over 102 KB. */
static int skipped_attr(const struct tag *t, const struct attr *a)
{
    if ((a->name_len == 5 && memcmp(a->name, "style", 5) == 0) ||
        (a->name_len == 5 && memcmp(a->name, "class", 5) == 0))
        return 1;
    return a->name_len == 5 && memcmp(a->name, "title", 5) == 0 &&
           (strcmp(t->name, "th") == 0 || strcmp(t->name, "td") == 0) && !attr_of(t, "scope") &&
           (has_class(t, "num") || has_class(t, "t"));
}

static void put_open_tag(FILE *out, const struct tag *t)
{
    fprintf(out, "<%s", new_name(t->name));
    for (size_t i = 0; i < t->nattr; i++) {
        const struct attr *a = &t->attr[i];
        if (skipped_attr(t, a))
            continue;
        fprintf(out, " %.*s", (int)a->name_len, a->name);
        if (a->value)
            fprintf(out, "=\"%.*s\"", (int)a->value_len, a->value);
    }
    char *style = NULL;
    size_t len = 0;
    FILE *s = open_memstream(&style, &len);
    if (s) {
        put_style(s, t);
        fclose(s);
    }
    if (style && len)
        fprintf(out, " style=\"%s\"", style);
    free(style);
    fputc('>', out);
}

/* ---- the charts ---- */

static int put_chart(struct rewrite *rw, const struct tag *t, const char *svg, const char *end)
{
    struct mail_doc *doc = rw->doc;
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
    if (mail_png_from_svg(svg, (size_t)(end - svg), img))
        return -1;
    doc->nimg++;
    if (asprintf(&img->cid, "chart%zu%s", doc->nimg, rw->cid_suffix) < 0) {
        img->cid = NULL;
        log_err("out of memory");
        return -1;
    }
    const struct attr *file = attr_of(t, "data-file");
    if (asprintf(&img->file, "%.*s.png", file && file->value ? (int)file->value_len : 0,
                 file && file->value ? file->value : "") < 0) {
        img->file = NULL;
        log_err("out of memory");
        return -1;
    }
    const struct attr *label = attr_of(t, "aria-label");
    fprintf(rw->out, "<img src=\"cid:%s\" width=\"%d\" height=\"%d\" alt=\"", img->cid, img->width,
            img->height);
    if (label && label->value)
        fprintf(rw->out, "%.*s", (int)label->value_len, label->value);
    if (rw->facts)
        fprintf(rw->out, ". %.*s", (int)rw->facts_len, rw->facts);
    fputs("\" style=\"display:block;max-width:100%;height:auto;border:0;margin:0 0 8px;"
          "font-size:13px;color:#555\">",
          rw->out);
    return 0;
}

/* ---- the page ---- */

static void put_head(struct rewrite *rw, const char *head_end)
{
    const char *title = find(rw->page, head_end, "<title>");
    const char *title_end = title ? find(title, head_end, "</title>") : NULL;
    fputs("<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
          rw->out);
    if (title && title_end)
        fprintf(rw->out, "%.*s</title>\n", (int)(title_end - title), title);
    fputs("</head>\n", rw->out);
}

static void put_body_open(FILE *out)
{
    fprintf(out,
            "<body style=\"margin:0;padding:0;background:#f4f5f7;color:#1d2127;" FONT "\">\n"
            "<table role=\"presentation\" width=\"100%%\" cellpadding=\"0\" cellspacing=\"0\" "
            "border=\"0\" style=\"background:#f4f5f7\"><tr><td align=\"center\" "
            "style=\"padding:12px 8px\">\n"
            "<table role=\"presentation\" width=\"%d\" cellpadding=\"0\" cellspacing=\"0\" "
            "border=\"0\" style=\"width:100%%;max-width:%dpx;table-layout:fixed\"><tr><td "
            "style=\"text-align:left;"
            "color:#1d2127;" FONT "\">\n",
            MAIL_WIDTH, MAIL_WIDTH);
}

/* The page folds every column of the summary into a <details>; mail clients do not unfold
 * it, and the text part and the CSV have them. */
static void put_all_columns_note(FILE *out)
{
    fputs("<p style=\"color:#555;font-size:13px;margin:6px 0\">Every column, for every ETL, is "
          "in the text part and the attached CSV.</p>\n",
          out);
}

/* An opening tag; returns where to go on, or NULL on error. */
static const char *open_tag(struct rewrite *rw, const char *p, const struct tag *t)
{
    const char *end = NULL;
    if (strcmp(t->name, "head") == 0) {
        end = find(p, rw->limit, "</head>");
        if (!end)
            return NULL;
        put_head(rw, end);
        return end + 7;
    }
    if (strcmp(t->name, "svg") == 0) {
        end = find(p, rw->limit, "</svg>");
        if (!end || put_chart(rw, t, p, end + 6))
            return NULL;
        return end + 6;
    }
    if (strcmp(t->name, "nav") == 0) {
        end = find(p, rw->limit, "</nav>");
        return end ? end + 6 : NULL;
    }
    if (strcmp(t->name, "tr") == 0 && has_class(t, "page-only")) {
        end = find(p, rw->limit, "</tr>");
        rw->page_only++;
        return end ? end + 5 : NULL;
    }
    if (strcmp(t->name, "details") == 0) {
        end = find(p, rw->limit, "</details>");
        put_all_columns_note(rw->out);
        return end ? end + 10 : NULL;
    }
    if (strcmp(t->name, "main") == 0)
        return t->end;
    if (strcmp(t->name, "body") == 0) {
        put_body_open(rw->out);
        return t->end;
    }
    if (strcmp(t->name, "p") == 0 && has_class(t, "facts")) {
        end = find(t->end, rw->limit, "</p>");
        rw->facts = t->end;
        rw->facts_len = end ? (size_t)(end - t->end) : 0;
    }
    put_open_tag(rw->out, t);
    return t->end;
}

static const char *close_tag(struct rewrite *rw, const char *p)
{
    const char *gt = memchr(p, '>', (size_t)(rw->limit - p));
    if (!gt)
        return NULL;
    char name[16] = "";
    size_t n = 0;
    for (const char *q = p + 2; q < gt && n < sizeof name - 1; q++)
        name[n++] = *q;
    if (strcmp(name, "main") == 0)
        return gt + 1;
    if (strcmp(name, "body") == 0) {
        fputs("</td></tr></table>\n</td></tr></table>\n</body>", rw->out);
        return gt + 1;
    }
    fprintf(rw->out, "</%s>", new_name(name));
    if (strcmp(name, "table") == 0 && rw->page_only) {
        fprintf(rw->out,
                "<p style=\"color:#555;font-size:13px;margin:6px 0\">%zu more %s with nothing "
                "to act on: in the text part and the attached CSV.</p>\n",
                rw->page_only, numfmt_plural((int64_t)rw->page_only, "ETL", "ETLs"));
        rw->page_only = 0;
    }
    return gt + 1;
}

static int rewrite(struct rewrite *rw)
{
    const char *p = rw->page;
    while (p && p < rw->limit) {
        const char *lt = memchr(p, '<', (size_t)(rw->limit - p));
        if (!lt) {
            fwrite(p, 1, (size_t)(rw->limit - p), rw->out);
            break;
        }
        fwrite(p, 1, (size_t)(lt - p), rw->out);
        struct tag t;
        if (lt + 1 < rw->limit && lt[1] == '/') {
            p = close_tag(rw, lt);
        } else if (lt + 1 < rw->limit && isalpha((unsigned char)lt[1])) {
            p = parse_tag(lt, rw->limit, &t) ? NULL : open_tag(rw, lt, &t);
        } else { /* <!DOCTYPE html> */
            const char *gt = memchr(lt, '>', (size_t)(rw->limit - lt));
            if (gt)
                fwrite(lt, 1, (size_t)(gt + 1 - lt), rw->out);
            p = gt ? gt + 1 : NULL;
        }
    }
    return p ? 0 : -1;
}

int mail_html_from_page(const char *page, size_t len, const char *cid_suffix, int summary,
                        struct mail_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    FILE *out = open_memstream(&doc->html, &doc->html_len);
    if (!out) {
        log_err("out of memory");
        return -1;
    }
    struct rewrite rw = {out, page, page + len, cid_suffix, summary, doc, NULL, 0, 0};
    int rc = rewrite(&rw);
    if (fclose(out) != 0 && rc == 0) {
        log_err("out of memory");
        rc = -1;
    } else if (rc && doc->html) {
        log_err("mail: the HTML report could not be rewritten for mail");
    }
    if (rc)
        mail_doc_free(doc);
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
