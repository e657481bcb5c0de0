/* -f mail's parts fed directly: which addresses may reach a header, the page rewritten for
 * mail clients (inline styles, no SVG, charts as cid: images) and a chart as a PNG. */
#include "check_main.h"
#include "defs.h"
#include "html_chart.h"
#include "log.h"
#include "mail.h"
#include "stats.h"
#include "stderr_capture.h"

#include <ctype.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define B 1795392000 /* 2026-11-23T00:00:00Z */
/* An ETL name with U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE, and what
 * every display output shows for it. */
#define TROJAN "invoice\xE2\x80\xAEgpj.exe\xE2\x81\xA6"
#define TROJAN_SHOWN "invoice\xEF\xBF\xBDgpj.exe\xEF\xBF\xBD"

#define OK(addr) ck_assert_ptr_null(mail_address_problem(addr))
#define NOT_PLAIN(addr) ck_assert_str_eq(mail_address_problem(addr), MAIL_NOT_PLAIN)

START_TEST(addresses_with_line_breaks_lists_or_no_domain_are_refused)
{
    OK("ops@example.com");
    OK("o.p-s+w47@sub.example.com");
    NOT_PLAIN("ops@example.com\nBcc: all@example.com");
    NOT_PLAIN("ops@example.com\r");
    NOT_PLAIN("ops@example.com, boss@example.com");
    NOT_PLAIN("Ops <ops@example.com>");
    NOT_PLAIN("\"a\"@example.com");
    NOT_PLAIN("ops");
    NOT_PLAIN("@example.com");
    NOT_PLAIN("ops@");
    NOT_PLAIN("a@b@c");
    NOT_PLAIN("");
    NOT_PLAIN(NULL);
    NOT_PLAIN("tab\t@example.com");
    NOT_PLAIN("del\x7f@example.com");
}
END_TEST

/* Without SMTPUTF8 only the domain may be international, and only in its IDNA form. */
START_TEST(non_ascii_is_refused_before_the_at_and_needs_an_idna_form_after_it)
{
    OK("ops@b\xC3\xBC"
       "cher.de"); /* bücher.de: xn--bcher-kva.de */
    OK("ops@xn--bcher-kva.de");
    const char *local = mail_address_problem("\xC3\xBC@b\xC3\xBC"
                                             "cher.de"); /* ü@bücher.de */
    ck_assert_ptr_nonnull(local);
    ck_assert_ptr_nonnull(strstr(local, "SMTPUTF8"));
    const char *bad_utf8 = mail_address_problem("ops@b\xFF"
                                                "cher.de");
    ck_assert_ptr_nonnull(bad_utf8);
    ck_assert_ptr_nonnull(strstr(bad_utf8, "punycode"));
    /* U+202E has no IDNA form (RFC 5892: DISALLOWED) */
    ck_assert_ptr_nonnull(mail_address_problem("ops@b\xE2\x80\xAE"
                                               "cher.de"));
}
END_TEST

/* A chart as html_chart.c draws it for the page. */
static char *trend_svg(size_t *len)
{
    struct chart_run runs[] = {{B + 600, 1200, OUT_OK}, {B + 4200, 1800, OUT_ERROR}};
    struct chart_spec spec = {B, B + 86400, 600, 900, "a & <b>", "UTC", 3000, "durations-etl-7"};
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
    ck_assert_int_eq(img.height, 196);
    ck_assert_uint_gt(img.png_len, 1000);
    ck_assert_int_eq(memcmp(img.png, "\x89PNG\r\n\x1a\n", 8), 0);
    free(img.png);
    free(svg);
    struct stderr_capture cap;
    stderr_capture_begin(&cap);
    ck_assert_int_eq(mail_png_from_svg("<p>no</p>", 9, &img), -1);
    char *err = stderr_capture_end(&cap);
    ck_assert_str_eq(err, "test_mail: mail: a chart is not SVG, or out of memory\n");
    free(err);
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
    ck_assert_str_eq(doc.img[0].file, "durations-etl-7-trend.png"); /* what it shows */
    const char *h = doc.html;
    ck_assert_ptr_null(strstr(h, "<svg"));
    ck_assert_ptr_null(strstr(h, "<style"));
    ck_assert_ptr_null(strstr(h, "<nav"));
    ck_assert_ptr_null(strstr(h, "<section"));
    ck_assert_ptr_null(strstr(h, "<main"));
    ck_assert_ptr_nonnull(strstr(h, "<title>etlhist summary</title>"));
    ck_assert_ptr_nonnull(strstr(h, "<img src=\"cid:chart1.t@h\" width=\"640\" height=\"196\" "
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

/* The message's text as a mail client shows it: quoted-printable undone (the text and HTML
 * parts), and each RFC 2047 encoded word ("=?UTF-8?B?...?=") of the headers decoded. */
static char *shown_text(const char *msg)
{
    char *out = calloc(1, strlen(msg) + 1), *o = out;
    ck_assert_ptr_nonnull(out);
    for (const char *p = msg; *p;) {
        unsigned hex;
        const char *end;
        if (strncasecmp(p, "=?utf-8?b?", 10) == 0 && (end = strstr(p + 10, "?="))) {
            char *b64 = strndup(p + 10, (size_t)(end - p - 10));
            gsize n;
            guchar *bytes = g_base64_decode(b64, &n);
            memcpy(o, bytes, n);
            o += n;
            g_free(bytes);
            free(b64);
            p = end + 2;
        } else if (p[0] == '=' && p[1] == '\n') {
            p += 2; /* a soft line break */
        } else if (p[0] == '=' && sscanf(p + 1, "%2x", &hex) == 1 && isxdigit(p[2])) {
            *o++ = (char)hex;
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    return out;
}

/* The whole message from the mail writer, as fmt_mail writes it for etls rows. */
START_TEST(bidirectional_controls_are_shown_in_the_subject_text_and_html_parts)
{
    const struct report_def *def = report_find("etls");
    const char *to[] = {"ops@example.com"};
    struct fmt_opts opts = {.delimiter = ',', .header = 1};
    opts.mail = (struct fmt_mail_opts){to, 1, NULL,
                                       "week \xE2\x80\xAE"
                                       "47"};
    struct attention attn;
    attention_init(&attn, 20);
    struct attn_item a = {.kind = ATTN_MISSED,
                          .instance = "prod",
                          .etl_name = TROJAN,
                          .etl_id = 7,
                          .count = 2,
                          .has_since = 1,
                          .since = B};
    ck_assert_int_eq(attention_add(&attn, &a), 0);
    struct fmt_report rep = {"etls", def->cols, def->ncols, NULL, 0,    0,
                             B,      B + 86400, "UTC",      NULL, &attn};
    struct cell c[6] = {cell_text("prod"), cell_int(7),       cell_text(TROJAN),
                        cell_time(B),      cell_time(B + 60), cell_text("OK")};
    char *msg = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&msg, &len);
    ck_assert_ptr_nonnull(out);
    setenv(MAIL_FIXED_ENV, "1", 1);
    void *st = fmt_mail.begin(out, &rep, &opts);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(fmt_mail.header(st), 0);
    struct row_mark mark = {0, 0, 0};
    ck_assert_int_eq(fmt_mail.row(st, c, &mark), 0);
    ck_assert_int_eq(fmt_mail.end(st, NULL), 0);
    fclose(out);
    char *shown = shown_text(msg);
    ck_assert_ptr_nonnull(strstr(shown, "\nSubject: week \xEF\xBF\xBD"
                                        "47\n"));
    ck_assert_ptr_nonnull(strstr(shown, "  - " TROJAN_SHOWN " (id 7, prod): 2 missed runs"));
    ck_assert_ptr_nonnull(strstr(shown, "2026-11-23 00:01  OK      " TROJAN_SHOWN "\n")); /* text */
    ck_assert_ptr_nonnull(strstr(shown, ">" TROJAN_SHOWN "</td>"));                       /* HTML */
    ck_assert_ptr_null(strstr(shown, "\xE2\x80\xAE"));
    ck_assert_ptr_null(strstr(shown, "\xE2\x81\xA6"));
    free(shown);
    free(msg);
    attention_free(&attn);
}
END_TEST

static Suite *mail_suite(void)
{
    Suite *s = suite_create("mail");
    TCase *tc = tcase_create("mail");
    log_init("test_mail", LOG_ERROR);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, addresses_with_line_breaks_lists_or_no_domain_are_refused);
    tcase_add_test(tc, non_ascii_is_refused_before_the_at_and_needs_an_idna_form_after_it);
    tcase_add_test(tc, chart_becomes_a_png_of_its_own_size);
    tcase_add_test(tc, page_gets_inline_styles_and_cid_images_and_loses_svg_style_and_nav);
    tcase_add_test(tc, bidirectional_controls_are_shown_in_the_subject_text_and_html_parts);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(mail_suite)
