/* A chart as a PNG image for mail clients, which do not show SVG: librsvg draws the SVG the
 * HTML writer made on a cairo surface, cairo writes the PNG. */
#ifndef ETLHIST_REPORT_MAIL_PNG_H
#define ETLHIST_REPORT_MAIL_PNG_H

#include <stddef.h>

/* A chart of the HTML part. */
struct mail_image {
    char *cid;  /* Content-ID without angle brackets */
    char *file; /* the attachment's file name: what the chart shows, ".png" */
    unsigned char *png;
    size_t png_len;
    int width, height;
};

/* The SVG (as html_chart.c writes it, inline: no XML namespace) as a PNG at its own size,
 * into img's png, png_len, width and height. Returns 0, or -1 (logged). */
int mail_png_from_svg(const char *svg, size_t len, struct mail_image *img);
/* Warns (one line) when fontconfig has no font for the charts' labels. */
void mail_png_check_fonts(void);

#endif
