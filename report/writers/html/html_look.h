/* How the HTML writer's elements look, for the two readers it writes for. A browser gets the
 * page: class attributes and one stylesheet, inline SVG charts. A mail client gets the same
 * elements with each one's style in its own style attribute (Gmail and Outlook ignore a
 * <style> block), elements it may not know as divs and spans, and each chart as whatever the
 * look's chart function puts in (the mail: a PNG image referenced by cid:). */
#ifndef ETLHIST_REPORT_HTML_LOOK_H
#define ETLHIST_REPORT_HTML_LOOK_H

#include <stddef.h>
#include <stdio.h>

/* One chart as the writer drew it. */
struct html_chart {
    const char *svg; /* inline SVG, as html_chart.c writes it */
    size_t len;
    const char *file; /* what it shows, a file name without ".png" */
    const char *alt;  /* its title and figures, HTML-escaped */
};

struct html_look {
    int inline_styles; /* 1: style attributes (mail), 0: classes and the stylesheet (page) */
    /* Puts the chart in at out; returns 0 or -1 (logged). NULL: the SVG itself, inline. */
    int (*chart)(void *ctx, FILE *out, const struct html_chart *chart);
    void *ctx;
};

/* The page's look: classes, the stylesheet of fmt_html.c, SVG inline. */
extern const struct html_look html_page_look;

/* Opens an element: "<tag class=\"classes\"ATTRS>" for the page. For inline styles the tag
 * is renamed when mail clients may not know it (section becomes div, time span), classes
 * become the style attribute, and style (the element's own, may be NULL) comes last in it,
 * so it wins. classes may be NULL or ""; attrs NULL or " name=\"value\"...", escaped. */
void html_open(FILE *out, const struct html_look *look, const char *tag, const char *classes,
               const char *attrs, const char *style);
/* Closes what html_open opened with the same tag. */
void html_close(FILE *out, const struct html_look *look, const char *tag);
/* Puts a chart in: the SVG inline, or through the look's chart function. */
int html_put_chart(FILE *out, const struct html_look *look, const struct html_chart *chart);

#endif
