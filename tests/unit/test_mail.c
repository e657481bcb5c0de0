/* -f mail's parts fed directly: which addresses may reach a header, the HTML part written
 * from summary rows for mail clients (inline styles, no SVG, charts as cid: images, at most
 * HTML_CHARTS_MAX) and a chart as a PNG. */
#include "check_main.h"
#include "defs.h"
#include "html_chart.h"
#include "log.h"
#include "html_writer.h"
#include "mail.h"
#include "mail_html.h"
#include "mail_mime.h"
#include "mail_png.h"
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

/* One summary row of ETL id with n runs an hour apart, failed ones first, handed to the
 * overview and to the mail's HTML writer, as the summary's definition does. */
static void summary_etl(void *st, struct overview *ov, const struct report_def *def, int64_t id,
                        int64_t n, int64_t failed)
{
    struct chart_run *runs = calloc((size_t)n, sizeof *runs);
    ck_assert_ptr_nonnull(runs);
    for (int64_t i = 0; i < n; i++)
        runs[i] = (struct chart_run){B + i * 3600, 1200, i < failed ? OUT_ERROR : OUT_OK};
    struct overview_etl e = {"prod", "a & <b>", id,         n,    failed,    0,          600,
                             600,    1000,      failed > 0, runs, (size_t)n, failed > 0, 3000};
    ck_assert_int_eq(overview_add(ov, &e), 0);
    struct cell c[32];
    for (size_t i = 0; i < 32; i++)
        c[i] = cell_int(0);
    c[0] = cell_text("prod");
    c[1] = cell_int(id);
    c[2] = cell_text("a & <b>");
    c[3] = cell_int(n);
    c[4] = cell_int(n - failed);
    c[6] = cell_int(failed);
    for (size_t i = 9; i < def->ncols; i++)
        if (def->cols[i].kind != COL_INT)
            c[i] = cell_null();
    struct row_mark mark = {failed ? ROW_FAILED | ROW_FAILING : 0, 1, 300};
    ck_assert_int_eq(mail_html_row(st, c, &mark), 0);
}

START_TEST(summary_rows_become_inline_styled_html_with_named_cid_images)
{
    const struct report_def *def = report_find("summary");
    static const struct column totals[] = {{"runs", "runs", COL_INT, 0},
                                           {"failure_rate_pct", "failure rate", COL_PCT, 0}};
    struct overview ov;
    overview_init(&ov, B, B + 86400, "UTC");
    struct window_totals prev = {.since = B - 86400,
                                 .until = B,
                                 .etls = 8,
                                 .runs = 40,
                                 .failed = 2,
                                 .fail_pct = 50,
                                 .abort_pct = 0,
                                 .observed = 8};
    struct fmt_report rep = {"summary", def->cols, def->ncols, totals, 2,    1,
                             B,         B + 86400, "UTC",      &ov,    NULL, &prev};
    struct mail_doc doc;
    void *st = mail_html_begin(&rep, ".t@h", &doc);
    ck_assert_ptr_nonnull(st);
    for (int64_t id = 1; id <= 8; id++)
        summary_etl(st, &ov, def, id, 6, id <= 5 ? id : 0);
    struct cell t[2] = {cell_int(48), cell_real(313, 1)};
    ck_assert_int_eq(mail_html_end(st, t), 0);
    /* the comparison, failures by day, and one duration chart per ETL that needs attention
     * up to the budget: at most HTML_CHARTS_MAX images, each named for what it shows */
    ck_assert_uint_eq(doc.nimg, 2 + HTML_DURATION_CHARTS);
    ck_assert_uint_le(doc.nimg, HTML_CHARTS_MAX);
    ck_assert_str_eq(doc.img[0].cid, "chart1.t@h");
    ck_assert_str_eq(doc.img[0].file, "week-over-week.png");
    ck_assert_str_eq(doc.img[1].file, "failures-by-day.png");
    ck_assert_str_eq(doc.img[2].file, "durations-etl-5-trend.png"); /* most failures first */
    for (size_t i = 0; i < doc.nimg; i++)
        ck_assert_int_eq(doc.img[i].width, 640);
    const char *h = doc.html;
    ck_assert_ptr_null(strstr(h, "<svg"));
    ck_assert_ptr_null(strstr(h, "<style"));
    ck_assert_ptr_null(strstr(h, "<nav"));
    ck_assert_ptr_null(strstr(h, "<section"));
    ck_assert_ptr_null(strstr(h, "<details"));
    ck_assert_ptr_null(strstr(h, " class="));
    ck_assert_ptr_nonnull(strstr(h, "<title>etlhist summary, 2026-11-23 00:00 UTC to "));
    ck_assert_ptr_nonnull(strstr(h, "<img src=\"cid:chart1.t@h\" width=\"640\" height=\"196\" "
                                    "alt=\"This window against the 1 day before: runs 48 "
                                    "(before: 40), failure % 31.3 % (before: 5.0 %)"));
    ck_assert_ptr_nonnull(strstr(h, "alt=\"Duration of each run against its start: a &amp; "
                                    "&lt;b&gt;. 6 runs, 5 failed, 0 aborted;"));
    ck_assert_ptr_nonnull(strstr(h, "alt=\"Failed and aborted runs per day, in the display "
                                    "zone: Mon 11-23 15 failed, 0 aborted\""));
    ck_assert_ptr_nonnull(
        strstr(h, "<div id=\"headline\" aria-label=\"Headline figures\" style=\"margin:"));
    ck_assert_ptr_nonnull(strstr(h, "max-width:800px"));
    /* the glance table: the five ETLs that need attention; the three others counted */
    ck_assert_ptr_nonnull(strstr(h, "3 more ETLs with nothing to act on"));
    ck_assert_ptr_nonnull(strstr(h, "<tr style=\"background:#fdf1f0\">"));
    ck_assert_ptr_nonnull(strstr(h, "Every column, for every ETL, is in the text part"));
    mail_doc_free(&doc);
    overview_free(&ov);
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
    struct fmt_report rep = {"etls", def->cols, def->ncols, NULL, 0,     0,
                             B,      B + 86400, "UTC",      NULL, &attn, NULL};
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
    tcase_add_test(tc, summary_rows_become_inline_styled_html_with_named_cid_images);
    tcase_add_test(tc, bidirectional_controls_are_shown_in_the_subject_text_and_html_parts);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(mail_suite)
