/* -f mail's parts fed directly: which addresses may reach a header, the page rewritten for
 * mail clients (inline styles, no SVG, charts as cid: images) and a chart as a PNG. */
#include "check_main.h"
#include "html_chart.h"
#include "log.h"
#include "mail.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B 1795392000 /* 2026-11-23T00:00:00Z */

START_TEST(addresses_with_line_breaks_lists_or_no_domain_are_refused)
{
    ck_assert_int_eq(mail_address_ok("ops@example.com"), 1);
    ck_assert_int_eq(mail_address_ok("o.p-s+w47@sub.example.com"), 1);
    ck_assert_int_eq(mail_address_ok("ops@example.com\nBcc: all@example.com"), 0);
    ck_assert_int_eq(mail_address_ok("ops@example.com\r"), 0);
    ck_assert_int_eq(mail_address_ok("ops@example.com, boss@example.com"), 0);
    ck_assert_int_eq(mail_address_ok("Ops <ops@example.com>"), 0);
    ck_assert_int_eq(mail_address_ok("\"a\"@example.com"), 0);
    ck_assert_int_eq(mail_address_ok("ops"), 0);
    ck_assert_int_eq(mail_address_ok("@example.com"), 0);
    ck_assert_int_eq(mail_address_ok("ops@"), 0);
    ck_assert_int_eq(mail_address_ok("a@b@c"), 0);
    ck_assert_int_eq(mail_address_ok(""), 0);
    ck_assert_int_eq(mail_address_ok(NULL), 0);
    ck_assert_int_eq(mail_address_ok("tab\t@example.com"), 0);
    ck_assert_int_eq(mail_address_ok("del\x7f@example.com"), 0);
}
END_TEST

/* A chart as html_chart.c draws it for the page. */
static char *trend_svg(size_t *len)
{
    struct chart_run runs[] = {{B + 600, 1200, OUT_OK}, {B + 4200, 1800, OUT_ERROR}};
    struct chart_spec spec = {B, B + 86400, 600, 900, "a & <b>", "UTC"};
    char *buf = NULL;
    FILE *out = open_memstream(&buf, len);
    ck_assert_ptr_nonnull(out);
    chart_trend(out, runs, 2, &spec);
    fclose(out);
    return buf;
}

START_TEST(chart_becomes_a_png_of_its_own_size)
{
    size_t len;
    char *svg = trend_svg(&len);
    struct mail_image img = {0};
    ck_assert_int_eq(mail_png_from_svg(svg, len, &img), 0);
    ck_assert_int_eq(img.width, 640);
    ck_assert_int_eq(img.height, 220);
    ck_assert_uint_gt(img.png_len, 1000);
    ck_assert_int_eq(memcmp(img.png, "\x89PNG\r\n\x1a\n", 8), 0);
    free(img.png);
    free(svg);
    ck_assert_int_eq(mail_png_from_svg("<p>no</p>", 9, &img), -1);
}
END_TEST

START_TEST(page_gets_inline_styles_and_cid_images_and_loses_svg_style_and_nav)
{
    size_t svg_len;
    char *svg = trend_svg(&svg_len);
    char *page = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&page, &len);
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<style>\nbody{}\n</style>\n"
            "<title>etlhist summary</title>\n</head>\n<body>\n<main>\n<header><h1>etlhist "
            "summary</h1></header>\n<nav><a href=\"#etls\">Per ETL</a></nav>\n"
            "<section id=\"x\" class=\"attention clear\"><h2>Needs attention</h2></section>\n"
            "<article class=\"card\"><p class=\"facts\">2 runs, 1 failed</p>"
            "<div class=\"charts\">\n%s</div></article>\n"
            "<span class=\"key\" style=\"background:#2f6db5\"></span>\n"
            "</main>\n</body>\n</html>\n",
            svg);
    fclose(out);
    struct mail_doc doc;
    ck_assert_int_eq(mail_html_from_page(page, len, ".t@h", 1, &doc), 0);
    ck_assert_uint_eq(doc.nimg, 1);
    ck_assert_str_eq(doc.img[0].cid, "chart1.t@h");
    const char *h = doc.html;
    ck_assert_ptr_null(strstr(h, "<svg"));
    ck_assert_ptr_null(strstr(h, "<style"));
    ck_assert_ptr_null(strstr(h, "<nav"));
    ck_assert_ptr_null(strstr(h, "<section"));
    ck_assert_ptr_null(strstr(h, "<main"));
    ck_assert_ptr_nonnull(strstr(h, "<title>etlhist summary</title>"));
    ck_assert_ptr_nonnull(strstr(h, "<img src=\"cid:chart1.t@h\" width=\"640\" height=\"220\" "
                                    "alt=\"Duration of each run against its start: a &amp; "
                                    "&lt;b&gt;. 2 runs, 1 failed\""));
    ck_assert_ptr_nonnull(strstr(h, "<div id=\"x\" style=\"background:#fff;"));
    /* the element's own style comes last, so it wins */
    ck_assert_ptr_nonnull(strstr(h, "margin:0 3px 0 10px;background:#2f6db5\""));
    ck_assert_ptr_nonnull(strstr(h, "max-width:800px"));
    mail_doc_free(&doc);
    free(page);
    free(svg);
}
END_TEST

static Suite *mail_suite(void)
{
    Suite *s = suite_create("mail");
    TCase *tc = tcase_create("mail");
    log_init("test_mail", LOG_ERROR);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, addresses_with_line_breaks_lists_or_no_domain_are_refused);
    tcase_add_test(tc, chart_becomes_a_png_of_its_own_size);
    tcase_add_test(tc, page_gets_inline_styles_and_cid_images_and_loses_svg_style_and_nav);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(mail_suite)
