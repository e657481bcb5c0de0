/* HTML: one self-contained page for a browser, and (in the mail look, html_look.h) the HTML
 * part of the weekly mail. No script, font or image is loaded (a Content-Security-Policy
 * says so to the browser); charts are inline SVG on the page, images in the mail; every text
 * is escaped. Every report is a table; the summary also gets what needs attention, headline
 * figures, the window against the one before, failures by day and duration charts of the
 * ETLs that need attention (html_sections.c). The page and the mail are made from the same
 * rows by the same code; the mail leaves the table of every column, the ETLs with nothing to
 * act on and the heat map to its text part and CSV. Output depends only on the rows, the
 * window and the display zone. */
#include "fmt.h"

#include "html_escape.h"
#include "html_writer.h"
#include "numfmt.h"
#include "timeutil.h"
#include "zone.h"

#include <stdlib.h>
#include <string.h>

/* The column the page shows as the ETL's name; -1 when the report has none. The summary's
 * glance table reads the others (-1: that column is missing, and the table is not drawn). */
struct html_cols {
    int name;
    int instance, etl_id, runs, fail_pct, abort_pct, p95, last_start, last_outcome, late, missed,
        overdue, mttr;
};

/* The summary's first table: what a person acts on, in a width that fits a phone's mail
 * client (600 px) and a page of 100 ETLs at 1280 px with no sideways scroll. The page keeps
 * every column in a table folded below it; the mail's text part and CSV have them. */
#define GLANCE_COLS 9

/* The mail's layout table: at most this wide. */
#define MAIL_WIDTH 800
#define MAIL_FONT "font:14px/1.45 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif"

struct html_state {
    FILE *out;
    const struct fmt_report *rep;
    const struct html_look *look;
    struct html_ctx ctx;
    const struct overview *ov; /* summary: the sections; else NULL */
    struct html_cols col;
    /* The summary's tables wait here for the sections before them, which need the overview. */
    FILE *rows, *glance;
    char *rows_buf, *glance_buf;
    size_t rows_len, glance_len;
    size_t nrows, nattention;
    struct window_totals now; /* this window's, against rep->previous */
};

static int mail_look(const struct html_state *st)
{
    return st->look->inline_styles;
}

static const char *const page_style =
    "body{margin:0;background:#f4f5f7;color:#1d2127;font:14px/1.45 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,\"DejaVu Sans\",Arial,sans-serif}\n"
    "main{max-width:1280px;margin:0 auto;padding:16px 12px 32px}\n"
    "h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:28px 0 8px}"
    "h3{font-size:15px;margin:0 0 4px;overflow-wrap:anywhere}\n"
    ".window{color:#555;margin:0 0 12px}nav{font-size:13px;color:#555}"
    "nav a{color:#2f6db5;margin-right:12px}\n"
    ".figures{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}\n"
    ".fig{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 12px;"
    "min-width:108px;flex:1 1 108px}\n"
    ".fig .v{display:block;font-size:26px;font-weight:600}"
    ".fig .k{display:block;color:#555}.fig .d{display:block;font-size:12px;color:#666;"
    "overflow-wrap:anywhere}\n"
    ".fig.bad .v{color:#c62828}\n"
    ".scroll{overflow-x:auto;background:#fff;border:1px solid #dde1e6;border-radius:6px}\n"
    "table{border-collapse:collapse;font-size:13px;width:100%}\n"
    "th,td{padding:4px 5px;border-bottom:1px solid #eceef1;text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:#eef1f5;font-weight:600;vertical-align:bottom}\n"
    "td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "table.glance th.r{text-align:right}\n"
    "td.t span{white-space:nowrap}td.name{min-width:9em;max-width:28em;overflow-wrap:anywhere}\n"
    "tr.fail td:first-child{box-shadow:inset 3px 0 #c62828}\n"
    "table.glance td.name{min-width:6em;overflow-wrap:anywhere}table.glance "
    ".lim{white-space:nowrap}\n"
    "table.glance th.m,table.glance td.m{width:1.6em;padding-right:0;text-align:center}\n"
    "tr.attn td{background:#fdf1f0}"
    "td.mk{color:#c62828;font-weight:700;box-shadow:inset 4px 0 #c62828}\n"
    "td.over{color:#c62828;font-weight:600}.lim{display:block;color:#666;font-size:12px}\n"
    "details.all{margin-top:8px}details.all summary{cursor:pointer;color:#2f6db5}\n"
    "table.heat{width:auto}table.heat td{text-align:center;min-width:2.6em;"
    "border:1px solid #fff}\n"
    "table.heat th[scope=row]{font-weight:normal;min-width:12em;max-width:24em;"
    "overflow-wrap:anywhere}\n"
    ".h0{background:#e8f3e8}.h1{background:#fbd5d0}.h2{background:#f4a194}"
    ".h3{background:#e5604f;color:#fff}.h4{background:#b71c1c;color:#fff}"
    ".idle{background:#f1f1f1}\n"
    ".inst{color:#666;font-size:12px;font-weight:normal}\n"
    ".tag{display:inline-block;font-size:11px;font-weight:600;color:#fff;"
    "background:#5a6b80;border-radius:3px;padding:0 5px;margin-left:6px}\n"
    ".tag.f{background:#c62828}\n"
    ".cards{display:flex;flex-direction:column;gap:14px}\n"
    ".card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px}\n"
    ".facts{margin:0 0 6px;color:#555;font-size:13px}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:8px}\n"
    "svg.chart{max-width:100%;height:auto}\n"
    ".note{color:#555;font-size:13px}.key{display:inline-block;width:10px;height:10px;"
    "border-radius:5px;margin:0 3px 0 10px}\n"
    ".attention{background:#fff;border:1px solid #dde1e6;border-left:4px solid #c62828;"
    "border-radius:6px;padding:4px 14px;margin:12px 0}\n"
    ".attention.clear{border-left-color:#2e7d32}.attention h2{margin:8px 0 4px}"
    ".attention ul{margin:4px 0 8px;padding-left:20px}.attention li{overflow-wrap:anywhere}\n"
    "footer{margin-top:28px;color:#666;font-size:12px}\n"
    "@media (max-width:900px){main{padding:10px}.fig .v{font-size:22px}}\n";

static void find_columns(struct html_state *st)
{
    const struct column *c = st->rep->cols;
    size_t n = st->rep->ncols;
    st->col = (struct html_cols){column_index(c, n, "etl_name"),
                                 column_index(c, n, "instance"),
                                 column_index(c, n, "etl_id"),
                                 column_index(c, n, "runs"),
                                 column_index(c, n, "failure_rate_pct"),
                                 column_index(c, n, "abort_rate_pct"),
                                 column_index(c, n, "duration_p95_s"),
                                 column_index(c, n, "last_start_utc"),
                                 column_index(c, n, "last_outcome"),
                                 column_index(c, n, "late"),
                                 column_index(c, n, "missed"),
                                 column_index(c, n, "overdue"),
                                 column_index(c, n, "mttr_s")};
}

static int has_glance(const struct html_state *st)
{
    const int *v = &st->col.name;
    for (size_t i = 0; i < sizeof st->col / sizeof *v; i++)
        if (v[i] < 0)
            return 0;
    return st->ov != NULL;
}

/* ---- cells ---- */

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len > n && strcmp(s + len - n, suffix) == 0;
}

/* Headings for people: "failure_rate_pct" reads "failure %", "last_start_utc" "last start"
 * (shown in the display zone); the stable column name is the heading's title. */
static const char *const short_labels[][2] = {
    {"duration_p50_s", "p50"},     {"duration_p95_s", "p95"},
    {"duration_max_s", "max"},     {"failure_rate_pct", "failure %"},
    {"abort_rate_pct", "abort %"}, {"failure_streak", "streak"},
    {"etl_id", "ETL id"},          {"etl_name", "ETL name"},
};

static void put_label(FILE *out, const char *name)
{
    for (size_t i = 0; i < sizeof short_labels / sizeof short_labels[0]; i++) {
        if (strcmp(name, short_labels[i][0]) == 0) {
            fputs(short_labels[i][1], out);
            return;
        }
    }
    size_t len = strlen(name);
    const char *suffix = "";
    if (ends_with(name, len, "_utc"))
        len -= 4;
    else if (ends_with(name, len, "_pct"))
        len -= 4, suffix = " %";
    else if (ends_with(name, len, "_s"))
        len -= 2;
    for (size_t i = 0; i < len; i++)
        fputc(name[i] == '_' ? ' ' : name[i], out);
    fputs(suffix, out);
}

/* A fixed-point cell in tenths (durations and percentages have one decimal). */
static void put_time(const struct html_state *st, FILE *out, int64_t t)
{
    char iso[TIME_BUF], day[ZONE_TIME_BUF], hour[ZONE_TIME_BUF];
    time_format_iso(t, iso);
    zone_format(st->rep->tz, t, "%Y-%m-%d", day, sizeof day);
    zone_format(st->rep->tz, t, "%H:%M", hour, sizeof hour);
    html_open(out, st->look, "td", "t", NULL, NULL);
    if (mail_look(st))
        fprintf(out, "%s %s</td>", day, hour);
    else
        fprintf(out, "<time datetime=\"%s\"><span>%s</span> <span>%s</span></time></td>", iso, day,
                hour);
}

static void put_cell(const struct html_state *st, FILE *out, const struct column *col,
                     const struct cell *c, int is_name)
{
    char buf[NUM_BUF], exact[NUM_BUF], title[NUM_BUF + 16];
    switch (c->type) {
    case CELL_NULL:
        html_open(out, st->look, "td", column_numeric(col) ? "num" : NULL, NULL, NULL);
        fputs("-</td>", out);
        return;
    case CELL_TEXT:
        html_open(out, st->look, "td", is_name ? "name" : NULL, NULL, NULL);
        html_escape(out, c->text);
        fputs("</td>", out);
        return;
    case CELL_INT:
        if (col->kind == COL_DURATION)
            cell_duration(c, buf);
        else
            numfmt_int(c->num, buf);
        html_open(out, st->look, "td", "num", NULL, NULL);
        fprintf(out, "%s</td>", buf);
        return;
    case CELL_REAL:
        numfmt_fixed(c->num, c->scale, exact);
        if (col->kind == COL_DURATION) {
            /* the exact seconds: in the mail's CSV (Gmail clips HTML over 102 KB) */
            cell_duration(c, buf);
            snprintf(title, sizeof title, " title=\"%s s\"", exact);
            html_open(out, st->look, "td", "num", mail_look(st) ? NULL : title, NULL);
            fprintf(out, "%s</td>", buf);
        } else {
            html_open(out, st->look, "td", "num", NULL, NULL);
            fprintf(out, "%s</td>", exact);
        }
        return;
    case CELL_TIME:
        put_time(st, out, c->num);
        return;
    }
}

static void put_table_head(const struct html_state *st, FILE *out)
{
    char title[128];
    html_open(out, st->look, "div", "scroll", NULL, NULL);
    html_open(out, st->look, "table", "data", NULL, NULL);
    fputs("\n<thead><tr>", out);
    for (size_t i = 0; i < st->rep->ncols; i++) {
        const struct column *col = &st->rep->cols[i];
        snprintf(title, sizeof title, " scope=\"col\" title=\"%s\"", col->name);
        html_open(out, st->look, "th", column_numeric(col) ? "num" : NULL, title, NULL);
        put_label(out, col->name);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
}

static void put_table_end(const struct html_state *st, FILE *out)
{
    fputs("</tbody></table></div>\n", out);
    if (st->nrows == 0) {
        html_open(out, st->look, "p", "note", NULL, NULL);
        fputs("No rows: nothing was recorded for these ETLs in the window.</p>\n", out);
    }
}

/* ---- the page ---- */

static void window_text(const struct fmt_report *rep, char *buf, size_t size)
{
    char a[ZONE_TIME_BUF], b[ZONE_TIME_BUF];
    zone_format(rep->tz, rep->since, "%Y-%m-%d %H:%M %Z", a, sizeof a);
    zone_format(rep->tz, rep->until, "%Y-%m-%d %H:%M %Z", b, sizeof b);
    snprintf(buf, size, "%s to %s", a, b);
}

/* The mail's body sits in a layout table at most MAIL_WIDTH wide: mail clients know no
 * max-width on a div. */
static void put_mail_body_open(FILE *out)
{
    fprintf(out,
            "<body style=\"margin:0;padding:0;background:#f4f5f7;color:#1d2127;" MAIL_FONT "\">\n"
            "<table role=\"presentation\" width=\"100%%\" cellpadding=\"0\" cellspacing=\"0\" "
            "border=\"0\" style=\"background:#f4f5f7\"><tr><td align=\"center\" "
            "style=\"padding:12px 8px\">\n"
            "<table role=\"presentation\" width=\"%d\" cellpadding=\"0\" cellspacing=\"0\" "
            "border=\"0\" style=\"width:100%%;max-width:%dpx;table-layout:fixed\"><tr><td "
            "style=\"text-align:left;color:#1d2127;" MAIL_FONT "\">\n",
            MAIL_WIDTH, MAIL_WIDTH);
}

static void put_head(const struct html_state *st, const char *when)
{
    FILE *out = st->out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n", out);
    if (mail_look(st))
        fputs("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
              out);
    else
        fputs("<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'\">\n",
              out);
    fputs("<title>etlhist ", out);
    html_escape(out, st->rep->name);
    if (st->rep->windowed) {
        fputs(", ", out);
        html_escape(out, when);
    }
    fputs("</title>\n", out);
    if (!mail_look(st))
        fprintf(out, "<style>\n%s</style>\n", page_style);
    fputs("</head>\n", out);
}

static void put_page_head(const struct html_state *st)
{
    FILE *out = st->out;
    char when[2 * ZONE_TIME_BUF + 8];
    window_text(st->rep, when, sizeof when);
    put_head(st, when);
    if (mail_look(st))
        put_mail_body_open(out);
    else
        fputs("<body>\n<main>\n", out);
    html_open(out, st->look, "header", NULL, NULL, NULL);
    html_open(out, st->look, "h1", NULL, NULL, NULL);
    fputs("etlhist ", out);
    html_escape(out, st->rep->name);
    fputs("</h1>", out);
    if (st->rep->windowed) {
        html_open(out, st->look, "p", "window", NULL, NULL);
        html_escape(out, when);
        fputs("</p>", out);
    }
    html_close(out, st->look, "header");
    fputc('\n', out);
}

static void put_footer(const struct html_state *st)
{
    FILE *out = st->out;
    char zone[ZONE_TIME_BUF];
    zone_format(st->rep->tz, st->rep->since, "%Z", zone, sizeof zone);
    html_open(out, st->look, "footer", NULL, NULL, NULL);
    fputs("Written by etlhist-report from the history etlhist-collect recorded. ", out);
    if (st->rep->windowed) {
        fputs("A run belongs to the window its start falls in. Times are in ", out);
        html_escape(out, zone);
        fputs(". ", out);
    }
    fputs("Every column is defined in docs/reports.md.", out);
    html_close(out, st->look, "footer");
    fputc('\n', out);
    if (mail_look(st))
        fputs("</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n", out);
    else
        fputs("</main>\n</body>\n</html>\n", out);
}

static void html_free(struct html_state *st)
{
    if (st->rows)
        fclose(st->rows);
    if (st->glance)
        fclose(st->glance);
    free(st->rows_buf);
    free(st->glance_buf);
    free(st);
}

void *html_writer_begin(FILE *out, const struct fmt_report *rep, const struct html_look *look)
{
    struct html_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->rep = rep;
    st->look = look;
    st->ctx = (struct html_ctx){out, rep, look};
    st->ov = rep->overview;
    find_columns(st);
    if (st->ov) {
        /* the mail leaves the table of every column to its text part and CSV */
        st->rows = mail_look(st) ? NULL : open_memstream(&st->rows_buf, &st->rows_len);
        st->glance = has_glance(st) ? open_memstream(&st->glance_buf, &st->glance_len) : NULL;
        if ((!mail_look(st) && !st->rows) || (has_glance(st) && !st->glance)) {
            html_free(st);
            return NULL;
        }
    }
    put_page_head(st);
    if (!st->ov)
        put_table_head(st, out);
    return st;
}

static void *html_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    (void)opts; /* a page always has its headings; CSV options do not apply */
    return html_writer_begin(out, rep, &html_page_look);
}

static int html_header(void *state)
{
    (void)state; /* written by begin, or with the sections at the end */
    return 0;
}

/* ---- the summary's glance table ---- */

static const char *const glance_heads[GLANCE_COLS][3] = {
    /* class, heading, title (the columns it shows) */
    {"m", "",
     "needs attention: \u2716 failing, \u25f7 overdue, \u26a0 missed, late or unscheduled"},
    {"", "ETL", "etl_name, instance, etl_id"},
    {"r", "runs", "runs"},
    {"r", "fail %", "failure_rate_pct"},
    {"r", "abort %", "abort_rate_pct"},
    {"r", "p95 / limit", "duration_p95_s and the learnt duration limit"},
    {"", "last", "last_outcome, last_start_utc"},
    {"", "schedule", "late, missed, overdue"},
    {"r", "MTTR", "mttr_s"},
};

static void put_glance_head(const struct html_state *st, FILE *out)
{
    char title[160];
    /* The ETL column's names wrap anywhere; the others keep their figures whole. */
    html_open(out, st->look, "div", "scroll", NULL, NULL);
    html_open(out, st->look, "table", "data glance", NULL, NULL);
    fputs("\n<thead><tr>", out);
    for (size_t i = 0; i < GLANCE_COLS; i++) {
        snprintf(title, sizeof title, " scope=\"col\" title=\"%s\"", glance_heads[i][2]);
        html_open(out, st->look, "th", glance_heads[i][0], title, NULL);
        fputs(glance_heads[i][1], out);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
}

/* The symbols say what colour alone would not. */
static void put_mark(const struct html_state *st, FILE *out, unsigned flags)
{
    static const struct {
        unsigned flag;
        const char *symbol, *words;
    } marks[] = {{ROW_FAILING | ROW_DELETED, "\u2716", "failing"},
                 {ROW_OVERDUE, "\u25f7", "overdue"},
                 {ROW_LATE, "\u26a0", "missed, late or unscheduled"}};
    char title[96] = " title=\"needs attention:";
    if (!(flags & ROW_ATTENTION)) {
        html_open(out, st->look, "td", "m", NULL, NULL);
        fputs("</td>", out);
        return;
    }
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (flags & marks[i].flag)
            snprintf(title + strlen(title), sizeof title - strlen(title), " %s", marks[i].words);
    snprintf(title + strlen(title), sizeof title - strlen(title), "\"");
    html_open(out, st->look, "td", "m mk", title, NULL);
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (flags & marks[i].flag)
            fputs(marks[i].symbol, out);
    fputs("</td>", out);
}

static void put_glance_name(const struct html_state *st, FILE *out, const struct cell *cells)
{
    const struct html_cols *k = &st->col;
    html_open(out, st->look, "td", "name", NULL, NULL);
    html_escape(out, cells[k->name].type == CELL_TEXT ? cells[k->name].text : "");
    fputs("<br>", out);
    html_open(out, st->look, "span", "inst", NULL, NULL);
    html_escape(out, cells[k->instance].type == CELL_TEXT ? cells[k->instance].text : "");
    fprintf(out, " &#183; ETL %lld</span></td>", (long long)cells[k->etl_id].num);
}

static void put_p95(const struct html_state *st, FILE *out, const struct cell *p95,
                    const struct row_mark *mark)
{
    char buf[NUM_BUF], lim[NUM_BUF];
    int known = p95->type != CELL_NULL;
    int over = known && mark->has_limit && cell_tenths(p95) > mark->limit_s * 10;
    if (known)
        numfmt_duration(cell_tenths(p95), buf);
    html_open(out, st->look, "td", over ? "num over" : "num", NULL, NULL);
    fputs(known ? buf : "-", out);
    if (mark->has_limit) {
        numfmt_duration(mark->limit_s * 10, lim);
        html_open(out, st->look, "span", "lim", " title=\"learnt duration limit\"", NULL);
        fprintf(out, "%s&#160;%s</span>", over ? "&gt;" : "&#8804;", lim);
    }
    fputs("</td>", out);
}

static void put_last(const struct html_state *st, FILE *out, const struct cell *cells)
{
    const struct cell *o = &cells[st->col.last_outcome], *t = &cells[st->col.last_start];
    char when[ZONE_TIME_BUF];
    html_open(out, st->look, "td", NULL, NULL, NULL);
    html_escape(out, o->type == CELL_TEXT ? o->text : "-");
    if (t->type == CELL_TIME) {
        zone_format(st->rep->tz, t->num, "%m-%d %H:%M", when, sizeof when);
        html_open(out, st->look, "span", "lim", NULL, NULL);
        fprintf(out, "%s</span>", when);
    }
    fputs("</td>", out);
}

static void put_schedule(const struct html_state *st, FILE *out, const struct cell *cells)
{
    const int cols[] = {st->col.missed, st->col.late, st->col.overdue};
    const char *words[] = {"missed", "late", "overdue"};
    int any = 0;
    html_open(out, st->look, "td", NULL, NULL, NULL);
    for (size_t i = 0; i < 3; i++) {
        if (cells[cols[i]].num <= 0)
            continue;
        fprintf(out, "%s%lld %s", any ? "<br>" : "", (long long)cells[cols[i]].num, words[i]);
        any = 1;
    }
    fputs(any ? "</td>" : "-</td>", out);
}

static void put_glance_row(struct html_state *st, const struct cell *cells,
                           const struct row_mark *mark)
{
    const struct column *c = st->rep->cols;
    const struct html_cols *k = &st->col;
    FILE *out = st->glance;
    int attention = (mark->flags & ROW_ATTENTION) != 0;
    st->nattention += attention;
    if (!attention && mail_look(st))
        return; /* counted in the note below the table */
    html_open(out, st->look, "tr", attention ? "attn" : "page-only", NULL, NULL);
    put_mark(st, out, mark->flags);
    put_glance_name(st, out, cells);
    put_cell(st, out, &c[k->runs], &cells[k->runs], 0);
    put_cell(st, out, &c[k->fail_pct], &cells[k->fail_pct], 0);
    put_cell(st, out, &c[k->abort_pct], &cells[k->abort_pct], 0);
    put_p95(st, out, &cells[k->p95], mark);
    put_last(st, out, cells);
    put_schedule(st, out, cells);
    put_cell(st, out, &c[k->mttr], &cells[k->mttr], 0);
    fputs("</tr>\n", out);
}

/* ---- rows ---- */

int html_writer_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    struct html_state *st = state;
    st->nrows++;
    if (st->ov)
        window_totals_add(&st->now, st->rep->cols, st->rep->ncols, cells);
    if (st->glance)
        put_glance_row(st, cells, mark);
    FILE *out = st->ov ? st->rows : st->out;
    if (!out)
        return st->glance && ferror(st->glance) ? -1 : 0;
    html_open(out, st->look, "tr", mark->flags & ROW_FAILED ? "fail" : NULL, NULL, NULL);
    for (size_t i = 0; i < st->rep->ncols; i++)
        put_cell(st, out, &st->rep->cols[i], &cells[i], (int)i == st->col.name);
    fputs("</tr>\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- the end ---- */

/* Writes what *f held and closes it. */
static int copy_buffer(FILE **f, char *const *buf, const size_t *len, FILE *out)
{
    if (fclose(*f) != 0)
        return -1;
    *f = NULL;
    return fwrite(*buf, 1, *len, out) == *len ? 0 : -1;
}

/* The mail's word for what it leaves to the text part and the CSV. */
static void put_mail_note(const struct html_state *st, FILE *out, const char *text)
{
    html_open(out, st->look, "p", "note", NULL, NULL);
    fputs(text, out);
    fputs("</p>\n", out);
}

static int put_glance(struct html_state *st, FILE *out)
{
    size_t quiet = st->nrows - st->nattention;
    char note[160];
    put_glance_head(st, out);
    int rc = copy_buffer(&st->glance, &st->glance_buf, &st->glance_len, out);
    fputs("</tbody></table></div>\n", out);
    html_open(out, st->look, "p", "note", NULL, NULL);
    fprintf(out,
            "%zu of %zu %s attention (marked \u2716 failing, \u25f7 overdue, \u26a0 missed or "
            "late). p95 against the learnt duration limit; MTTR: mean time to repair.</p>\n",
            st->nattention, st->nrows, numfmt_plural((int64_t)st->nrows, "ETL needs", "ETLs need"));
    if (mail_look(st) && quiet) {
        snprintf(note, sizeof note,
                 "%zu more %s with nothing to act on: in the text part and the attached CSV.",
                 quiet, numfmt_plural((int64_t)quiet, "ETL", "ETLs"));
        put_mail_note(st, out, note);
    }
    return rc;
}

static int put_tables(struct html_state *st, FILE *out)
{
    int rc = 0;
    if (st->glance) {
        rc = put_glance(st, out);
        if (mail_look(st)) {
            put_mail_note(st, out,
                          "Every column, for every ETL, is in the text part and the attached CSV.");
            return rc;
        }
        fprintf(out, "<details class=\"all\"><summary>All %zu columns</summary>\n", st->rep->ncols);
    }
    put_table_head(st, out);
    rc |= copy_buffer(&st->rows, &st->rows_buf, &st->rows_len, out);
    put_table_end(st, out);
    if (st->glance_buf)
        fputs("</details>\n", out);
    return rc;
}

static void put_nav(const struct html_state *st, FILE *out)
{
    if (mail_look(st))
        return; /* links within the page: a mail is read top to bottom */
    fputs("<nav><a href=\"#etls\">Per ETL</a><a href=\"#failures\">Failures by day</a>"
          "<a href=\"#durations\">Durations</a></nav>\n",
          out);
}

/* The summary: what needs attention, the figures, the tables, then the charts. */
static int put_summary(struct html_state *st, const struct cell *totals)
{
    FILE *out = st->out;
    html_attention(&st->ctx);
    html_headline(&st->ctx, totals, st->nrows);
    put_nav(st, out);
    window_totals_end(&st->now, st->rep->total_cols, st->rep->n_total, totals);
    int rc = html_compare(&st->ctx, &st->now);
    html_open(out, st->look, "section", NULL, " id=\"etls\"", NULL);
    html_open(out, st->look, "h2", NULL, NULL, NULL);
    fputs("Per ETL</h2>\n", out);
    rc |= put_tables(st, out);
    html_close(out, st->look, "section");
    fputc('\n', out);
    rc |= html_failures(&st->ctx);
    rc |= html_durations(&st->ctx);
    return rc ? -1 : 0;
}

int html_writer_end(void *state, const struct cell *totals)
{
    struct html_state *st = state;
    FILE *out = st->out;
    int rc = 0;
    if (st->ov) {
        rc = put_summary(st, totals);
    } else {
        put_table_end(st, out);
        html_attention(&st->ctx); /* rows stream: only the instances' items, after them */
    }
    put_footer(st);
    rc |= ferror(out) ? -1 : 0;
    html_free(st);
    return rc;
}

const struct fmt_writer fmt_html = {"html",          html_begin,      html_header,
                                    html_writer_row, html_writer_end, 1};
