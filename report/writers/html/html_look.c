#include "html_look.h"

#include <string.h>

const struct html_look html_page_look = {0, NULL, NULL};

/* The stylesheet's rules as inline styles, per element (tag) and per class, applied in this
 * order: the tag's, then each class's in this table's order, then the element's own. */
static const char *const tag_styles[][2] = {
    {"h1", "font-size:22px;margin:4px 0"},
    {"h2", "font-size:18px;margin:20px 0 6px"},
    {"h3", "font-size:14px;margin:0 0 2px"},
    {"table", "border-collapse:collapse;font-size:12px;width:100%"},
    {"th", "padding:3px 4px;border-bottom:1px solid #eceef1;text-align:left;"
           "vertical-align:bottom;background:#eef1f5;font-weight:600"},
    {"td", "padding:3px 4px;border-bottom:1px solid #eceef1;vertical-align:top"},
    {"ul", "margin:4px 0 6px;padding-left:18px"},
    {"li", "margin:0"},
    {"footer", "margin-top:24px;color:#666;font-size:12px"},
};

static const char *const class_styles[][2] = {
    {"window", "color:#555;margin:0 0 10px"},
    {"figures", "margin:10px 0 4px"},
    /* five in a row at 600 px: a phone's mail client */
    {"fig", "display:inline-block;vertical-align:top;width:84px;margin:0 3px 6px 0;"
            "background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:6px 7px"},
    {"bad", "color:#c62828"},
    {"v", "display:block;font-size:20px;font-weight:600"},
    {"k", "display:block;color:#555;font-size:13px"},
    {"d", "display:block;font-size:11px;color:#666"},
    {"scroll", "overflow-x:auto;background:#fff;border:1px solid #dde1e6;border-radius:6px"},
    {"num", "text-align:right;white-space:nowrap"},
    {"t", "white-space:nowrap"},
    {"name", "min-width:6em"},
    {"inst", "color:#666;font-size:11px;font-weight:normal"},
    {"tag", "display:inline-block;font-size:11px;font-weight:600;color:#fff;"
            "background:#5a6b80;border-radius:3px;padding:0 5px;margin-left:6px"},
    {"f", "background:#c62828"},
    {"card", "margin:0 0 10px"},
    {"facts", "margin:0 0 4px;color:#555;font-size:12px"},
    {"note", "color:#555;font-size:13px;margin:4px 0"},
    {"attention", "background:#fff;border:1px solid #dde1e6;border-left:4px solid #c62828;"
                  "border-radius:6px;padding:2px 12px;margin:10px 0;font-size:13px;"
                  "line-height:1.35"},
    {"clear", "border-left:4px solid #2e7d32"},
    {"ah", "margin:6px 0 2px"},
    {"m", "text-align:center;padding-right:0"},
    {"mk", "color:#c62828;font-weight:700;border-left:4px solid #c62828"},
    {"attn", "background:#fdf1f0"},
    {"lim", "display:block;color:#666;font-size:11px;white-space:nowrap"},
    {"r", "text-align:right"},
    {"over", "color:#c62828;font-weight:600"},
};

/* Elements mail clients may not know become divs and spans. */
static const char *const renamed[][2] = {
    {"section", "div"}, {"article", "div"}, {"header", "div"}, {"footer", "div"}, {"time", "span"},
};

static const char *mail_name(const char *tag)
{
    for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
        if (strcmp(tag, renamed[i][0]) == 0)
            return renamed[i][1];
    return tag;
}

/* Is word one of the space-separated classes? */
static int has_class(const char *classes, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = classes; p && (p = strstr(p, word)); p += n)
        if ((p == classes || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

static void put_inline_style(FILE *out, const char *tag, const char *classes, const char *style)
{
    const char *sep = " style=\"";
    for (size_t i = 0; i < sizeof tag_styles / sizeof tag_styles[0]; i++) {
        if (strcmp(tag, tag_styles[i][0]) == 0) {
            fprintf(out, "%s%s", sep, tag_styles[i][1]);
            sep = ";";
        }
    }
    for (size_t i = 0; i < sizeof class_styles / sizeof class_styles[0]; i++) {
        if (has_class(classes, class_styles[i][0])) {
            fprintf(out, "%s%s", sep, class_styles[i][1]);
            sep = ";";
        }
    }
    if (style && *style) {
        fprintf(out, "%s%s", sep, style);
        sep = ";";
    }
    if (*sep == ';')
        fputc('"', out);
}

void html_open(FILE *out, const struct html_look *look, const char *tag, const char *classes,
               const char *attrs, const char *style)
{
    if (!look->inline_styles) {
        fprintf(out, "<%s", tag);
        if (classes && *classes)
            fprintf(out, " class=\"%s\"", classes);
        fprintf(out, "%s", attrs ? attrs : "");
        if (style && *style)
            fprintf(out, " style=\"%s\"", style);
        fputc('>', out);
        return;
    }
    fprintf(out, "<%s%s", mail_name(tag), attrs ? attrs : "");
    put_inline_style(out, tag, classes, style);
    fputc('>', out);
}

void html_close(FILE *out, const struct html_look *look, const char *tag)
{
    fprintf(out, "</%s>", look->inline_styles ? mail_name(tag) : tag);
}

int html_put_chart(FILE *out, const struct html_look *look, const struct html_chart *chart)
{
    if (look->chart)
        return look->chart(look->ctx, out, chart);
    return fwrite(chart->svg, 1, chart->len, out) == chart->len ? 0 : -1;
}
