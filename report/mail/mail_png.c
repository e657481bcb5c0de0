/* The HTML writer's SVG charts as PNG images for mail clients, which do not show SVG:
 * librsvg draws the SVG on a cairo image surface and cairo writes the PNG. One drawing
 * code (html_chart.c) serves the page and the mail. */
#include "mail_png.h"

#include "log.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <librsvg/rsvg.h>
#include <stdlib.h>
#include <string.h>

/* The page's text is sans-serif by its stylesheet; a standalone SVG would fall back to serif. */
#define CHART_FONTS "DejaVu Sans, Arial, sans-serif"
#define SVG_NS " xmlns=\"http://www.w3.org/2000/svg\" font-family=\"" CHART_FONTS "\""
#define MAX_SIDE 4096 /* the charts are a few hundred pixels; anything bigger is a bug */

struct png_buf {
    unsigned char *data;
    size_t len, cap;
};

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct png_buf *b = closure;
    if (b->len + length > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + length)
            cap *= 2;
        unsigned char *v = realloc(b->data, cap);
        if (!v)
            return CAIRO_STATUS_NO_MEMORY;
        b->data = v;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Inline SVG in HTML needs no namespace; as a document of its own it does. */
static char *with_namespace(const char *svg, size_t len, size_t *out_len)
{
    if (len < 4 || memcmp(svg, "<svg", 4) != 0)
        return NULL;
    size_t ns = strlen(SVG_NS);
    char *doc = malloc(len + ns + 1);
    if (!doc)
        return NULL;
    memcpy(doc, "<svg", 4);
    memcpy(doc + 4, SVG_NS, ns);
    memcpy(doc + 4 + ns, svg + 4, len - 4);
    doc[len + ns] = '\0';
    *out_len = len + ns;
    return doc;
}

static int render(RsvgHandle *h, struct mail_image *img, struct png_buf *png)
{
    gdouble w = 0, hgt = 0;
    GError *err = NULL;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hgt) || w < 1 || hgt < 1 ||
        w > MAX_SIDE || hgt > MAX_SIDE) {
        log_err("mail: a chart has no usable size");
        return -1;
    }
    img->width = (int)(w + 0.5);
    img->height = (int)(hgt + 0.5);
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, img->width, img->height);
    cairo_t *cr = cairo_create(surface);
    RsvgRectangle viewport = {0, 0, img->width, img->height};
    int rc = -1;
    if (!rsvg_handle_render_document(h, cr, &viewport, &err))
        log_err("mail: cannot draw a chart: %s", err ? err->message : "librsvg failed");
    else if (cairo_surface_write_to_png_stream(surface, png_write, png) != CAIRO_STATUS_SUCCESS)
        log_err("mail: cannot write a chart as PNG");
    else
        rc = 0;
    if (err)
        g_error_free(err);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return rc;
}

int mail_png_from_svg(const char *svg, size_t len, struct mail_image *img)
{
    size_t doc_len = 0;
    char *doc = with_namespace(svg, len, &doc_len);
    GError *err = NULL;
    if (!doc) {
        log_err("mail: a chart is not SVG, or out of memory");
        return -1;
    }
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)doc, doc_len, &err);
    free(doc);
    if (!h) {
        log_err("mail: cannot read a chart: %s", err ? err->message : "librsvg failed");
        if (err)
            g_error_free(err);
        return -1;
    }
    struct png_buf png = {0};
    int rc = render(h, img, &png);
    g_object_unref(h);
    if (rc) {
        free(png.data);
        return -1;
    }
    img->png = png.data;
    img->png_len = png.len;
    return 0;
}

/* librsvg draws text through Pango and fontconfig: with no font at all every label is a row
 * of boxes, and nothing else says so. */
void mail_png_check_fonts(void)
{
    FcPattern *want = FcNameParse((const FcChar8 *)"DejaVu Sans,Arial,sans-serif");
    if (!want)
        return;
    FcConfigSubstitute(NULL, want, FcMatchPattern);
    FcDefaultSubstitute(want);
    FcResult result;
    FcPattern *found = FcFontMatch(NULL, want, &result);
    if (!found) {
        const char *file = getenv("FONTCONFIG_FILE");
        log_warn("mail: fontconfig finds no font for the charts (%s)%s%s: their labels are drawn "
                 "as boxes; install one (Debian: fonts-dejavu-core)",
                 CHART_FONTS, file ? "; FONTCONFIG_FILE=" : "", file ? file : "");
    }
    FcPatternDestroy(want);
    if (found)
        FcPatternDestroy(found);
}
