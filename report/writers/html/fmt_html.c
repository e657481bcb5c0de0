/* HTML: one self-contained page for a weekly mail and a browser. No script, font or image
 * is loaded (a Content-Security-Policy says so to the browser); style is inline, charts are
 * inline SVG, and every text is escaped. Every report is a table; the summary also gets
 * headline figures, a failures-by-day heat map and duration charts of the slowest and most
 * failing ETLs. The page depends only on the rows, the window and the display zone. */
#include "fmt.h"

#include "html_escape.h"
#include "html_chart.h"
#include "numfmt.h"
#include "stats.h"
#include "timeutil.h"
#include "zone.h"

#include <stdlib.h>
#include <string.h>

#define ATTN_SHOWN 100 /* items of the "needs attention" block; the rest are counted */

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

struct html_state {
    FILE *out;
    const struct fmt_report *rep;
    const struct overview *ov; /* summary: the headline, heat map and charts; else NULL */
    struct html_cols col;
    /* The summary's tables wait here for the headline, which needs the overview. */
    FILE *rows, *glance;
    char *rows_buf, *glance_buf;
    size_t rows_len, glance_len;
    size_t nrows, nattention;
};

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
    ".charts svg{max-width:100%;height:auto}\n"
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

static int numeric(const struct column *col)
{
    return col->kind == COL_INT || col->kind == COL_PCT || col->kind == COL_DURATION;
}

/* A fixed-point cell in tenths (durations and percentages have one decimal). */
static int64_t tenths(const struct cell *c)
{
    int64_t v = c->num;
    if (c->type == CELL_INT || c->scale == 0)
        return v * 10;
    for (int i = 1; i < c->scale; i++)
        v /= 10;
    return v;
}

static void put_time(FILE *out, const char *tz, int64_t t)
{
    char iso[TIME_BUF], day[ZONE_TIME_BUF], hour[ZONE_TIME_BUF];
    time_format_iso(t, iso);
    zone_format(tz, t, "%Y-%m-%d", day, sizeof day);
    zone_format(tz, t, "%H:%M", hour, sizeof hour);
    fprintf(out,
            "<td class=\"t\"><time datetime=\"%s\"><span>%s</span> <span>%s</span></time></td>",
            iso, day, hour);
}

static void put_cell(FILE *out, const char *tz, const struct column *col, const struct cell *c,
                     int is_name)
{
    char buf[NUM_BUF], exact[NUM_BUF];
    switch (c->type) {
    case CELL_NULL:
        fputs(numeric(col) ? "<td class=\"num\">-</td>" : "<td>-</td>", out);
        return;
    case CELL_TEXT:
        fputs(is_name ? "<td class=\"name\">" : "<td>", out);
        html_escape(out, c->text);
        fputs("</td>", out);
        return;
    case CELL_INT:
        numfmt_int(c->num, buf);
        fprintf(out, "<td class=\"num\">%s</td>", buf);
        return;
    case CELL_REAL:
        numfmt_fixed(c->num, c->scale, exact);
        if (col->kind == COL_DURATION) {
            numfmt_duration(tenths(c), buf);
            fprintf(out, "<td class=\"num\" title=\"%s s\">%s</td>", exact, buf);
        } else {
            fprintf(out, "<td class=\"num\">%s</td>", exact);
        }
        return;
    case CELL_TIME:
        put_time(out, tz, c->num);
        return;
    }
}

static void put_table_head(const struct html_state *st, FILE *out)
{
    fputs("<div class=\"scroll\"><table class=\"data\">\n<thead><tr>", out);
    for (size_t i = 0; i < st->rep->ncols; i++) {
        const struct column *col = &st->rep->cols[i];
        fprintf(out, "<th scope=\"col\"%s title=\"%s\">", numeric(col) ? " class=\"num\"" : "",
                col->name);
        put_label(out, col->name);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
}

static void put_table_end(const struct html_state *st, FILE *out)
{
    fputs("</tbody></table></div>\n", out);
    if (st->nrows == 0)
        fputs("<p class=\"note\">No rows: nothing was recorded for these ETLs in the "
              "window.</p>\n",
              out);
}

/* ---- the page ---- */

static void window_text(const struct fmt_report *rep, char *buf, size_t size)
{
    char a[ZONE_TIME_BUF], b[ZONE_TIME_BUF];
    zone_format(rep->tz, rep->since, "%Y-%m-%d %H:%M %Z", a, sizeof a);
    zone_format(rep->tz, rep->until, "%Y-%m-%d %H:%M %Z", b, sizeof b);
    snprintf(buf, size, "%s to %s", a, b);
}

static void put_page_head(const struct html_state *st)
{
    FILE *out = st->out;
    char when[2 * ZONE_TIME_BUF + 8];
    window_text(st->rep, when, sizeof when);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n<title>etlhist ",
          out);
    html_escape(out, st->rep->name);
    if (st->rep->windowed) {
        fputs(", ", out);
        html_escape(out, when);
    }
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header><h1>etlhist ",
            page_style);
    html_escape(out, st->rep->name);
    fputs("</h1>", out);
    if (st->rep->windowed) {
        fputs("<p class=\"window\">", out);
        html_escape(out, when);
        fputs("</p>", out);
    }
    fputs("</header>\n", out);
}

static void put_footer(const struct html_state *st)
{
    char zone[ZONE_TIME_BUF];
    zone_format(st->rep->tz, st->rep->since, "%Z", zone, sizeof zone);
    fputs("<footer>Written by etlhist-report from the history etlhist-collect recorded. ", st->out);
    if (st->rep->windowed) {
        fputs("A run belongs to the window its start falls in. Times are in ", st->out);
        html_escape(st->out, zone);
        fputs(". ", st->out);
    }
    fputs("Every column is defined in docs/reports.md.</footer>\n</main>\n</body>\n</html>\n",
          st->out);
}

static void *html_begin(FILE *out, const struct fmt_report *rep, const struct fmt_opts *opts)
{
    (void)opts; /* a page always has its headings; CSV options do not apply */
    struct html_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->rep = rep;
    st->ov = rep->overview;
    find_columns(st);
    if (st->ov) {
        st->rows = open_memstream(&st->rows_buf, &st->rows_len);
        st->glance = has_glance(st) ? open_memstream(&st->glance_buf, &st->glance_len) : NULL;
        if (!st->rows || (has_glance(st) && !st->glance)) {
            if (st->rows)
                fclose(st->rows);
            free(st->rows_buf);
            free(st);
            return NULL;
        }
    }
    put_page_head(st);
    if (!st->ov)
        put_table_head(st, out);
    return st;
}

static int html_header(void *state)
{
    (void)state; /* written by begin, or with the headline at the end */
    return 0;
}

/* ---- rows ---- */

/* ---- the summary's glance table ---- */

static const char *const glance_heads[GLANCE_COLS][3] = {
    /* class, heading, title (the columns it shows) */
    {"m", "", "needs attention: \u2716 failing, \u25f7 overdue, \u26a0 missed or late"},
    {"", "ETL", "etl_name, instance, etl_id"},
    {"r", "runs", "runs"},
    {"r", "fail %", "failure_rate_pct"},
    {"r", "abort %", "abort_rate_pct"},
    {"r", "p95 / limit", "duration_p95_s and the learnt duration limit"},
    {"", "last", "last_outcome, last_start_utc"},
    {"", "schedule", "late, missed, overdue"},
    {"r", "MTTR", "mttr_s"},
};

static void put_glance_head(FILE *out)
{
    /* The ETL column's names wrap anywhere; the others keep their figures whole. */
    fputs("<div class=\"scroll\"><table class=\"data glance\">\n<thead><tr>", out);
    for (size_t i = 0; i < GLANCE_COLS; i++) {
        fprintf(out, "<th scope=\"col\"%s%s%s title=\"%s\">",
                glance_heads[i][0][0] ? " class=\"" : "", glance_heads[i][0],
                glance_heads[i][0][0] ? "\"" : "", glance_heads[i][2]);
        fputs(glance_heads[i][1], out);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
}

/* The symbols say what colour alone would not. */
static void put_mark(FILE *out, unsigned flags)
{
    static const struct {
        unsigned flag;
        const char *symbol, *words;
    } marks[] = {{ROW_FAILING | ROW_DELETED, "\u2716", "failing"},
                 {ROW_OVERDUE, "\u25f7", "overdue"},
                 {ROW_LATE, "\u26a0", "missed or late"}};
    if (!(flags & ROW_ATTENTION)) {
        fputs("<td class=\"m\"></td>", out);
        return;
    }
    fputs("<td class=\"m mk\" title=\"needs attention:", out);
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (flags & marks[i].flag)
            fprintf(out, " %s", marks[i].words);
    fputs("\">", out);
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (flags & marks[i].flag)
            fputs(marks[i].symbol, out);
    fputs("</td>", out);
}

static void put_num(FILE *out, const struct column *col, const struct cell *c)
{
    put_cell(out, NULL, col, c, 0);
}

static void put_glance_name(const struct html_state *st, FILE *out, const struct cell *cells)
{
    const struct html_cols *k = &st->col;
    fputs("<td class=\"name\">", out);
    html_escape(out, cells[k->name].type == CELL_TEXT ? cells[k->name].text : "");
    fputs("<br><span class=\"inst\">", out);
    html_escape(out, cells[k->instance].type == CELL_TEXT ? cells[k->instance].text : "");
    fprintf(out, " &#183; ETL %lld</span></td>", (long long)cells[k->etl_id].num);
}

static void put_p95(FILE *out, const struct cell *p95, const struct row_mark *mark)
{
    char buf[NUM_BUF], lim[NUM_BUF];
    int known = p95->type != CELL_NULL;
    int over = known && mark->has_limit && tenths(p95) > mark->limit_s * 10;
    if (known)
        numfmt_duration(tenths(p95), buf);
    fprintf(out, "<td class=\"num%s\">%s", over ? " over" : "", known ? buf : "-");
    if (mark->has_limit) {
        numfmt_duration(mark->limit_s * 10, lim);
        fprintf(out, "<span class=\"lim\" title=\"learnt duration limit\">%s&#160;%s</span>",
                over ? "&gt;" : "&#8804;", lim);
    }
    fputs("</td>", out);
}

static void put_last(const struct html_state *st, FILE *out, const struct cell *cells)
{
    const struct cell *o = &cells[st->col.last_outcome], *t = &cells[st->col.last_start];
    char when[ZONE_TIME_BUF];
    fputs("<td>", out);
    html_escape(out, o->type == CELL_TEXT ? o->text : "-");
    if (t->type == CELL_TIME) {
        zone_format(st->rep->tz, t->num, "%m-%d %H:%M", when, sizeof when);
        fprintf(out, "<span class=\"lim\">%s</span>", when);
    }
    fputs("</td>", out);
}

static void put_schedule(const struct html_state *st, FILE *out, const struct cell *cells)
{
    const int cols[] = {st->col.missed, st->col.late, st->col.overdue};
    const char *words[] = {"missed", "late", "overdue"};
    int any = 0;
    fputs("<td>", out);
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
    fputs(attention ? "<tr class=\"attn\">" : "<tr class=\"page-only\">", out);
    put_mark(out, mark->flags);
    put_glance_name(st, out, cells);
    put_num(out, &c[k->runs], &cells[k->runs]);
    put_num(out, &c[k->fail_pct], &cells[k->fail_pct]);
    put_num(out, &c[k->abort_pct], &cells[k->abort_pct]);
    put_p95(out, &cells[k->p95], mark);
    put_last(st, out, cells);
    put_schedule(st, out, cells);
    put_num(out, &c[k->mttr], &cells[k->mttr]);
    fputs("</tr>\n", out);
}

static int html_row(void *state, const struct cell *cells, const struct row_mark *mark)
{
    struct html_state *st = state;
    FILE *out = st->ov ? st->rows : st->out;
    if (st->glance)
        put_glance_row(st, cells, mark);
    fputs(mark->flags & ROW_FAILED ? "<tr class=\"fail\">" : "<tr>", out);
    for (size_t i = 0; i < st->rep->ncols; i++)
        put_cell(out, st->rep->tz, &st->rep->cols[i], &cells[i], (int)i == st->col.name);
    fputs("</tr>\n", out);
    st->nrows++;
    return ferror(out) ? -1 : 0;
}

/* ---- what needs attention: the report's one list, before anything else ---- */

/* The verdicts silences kept from the list, each with the silence's reason: hidden from
 * the list, never from the reader. */
static void put_silenced(const struct html_state *st, FILE *out)
{
    const struct attention *a = st->rep->attention;
    char line[1024];
    if (!a || a->n_silenced == 0)
        return;
    fprintf(out,
            "<section id=\"silenced\" class=\"attention clear\"><h2>Silenced (%zu)</h2>\n<ul>\n",
            a->n_silenced);
    for (size_t i = 0; i < a->n_silenced && i < ATTN_SHOWN; i++) {
        fputs("<li>", out);
        html_escape(out, attention_silenced_line(&a->silenced[i], st->rep->tz, line, sizeof line));
        fputs("</li>\n", out);
    }
    if (a->n_silenced > ATTN_SHOWN)
        fprintf(out, "<li>and %zu more: see the text part.</li>\n", a->n_silenced - ATTN_SHOWN);
    fputs("</ul></section>\n", out);
}

static void put_attention(const struct html_state *st, FILE *out)
{
    const struct attention *a = st->rep->attention;
    char line[1024];
    if (!a || (a->n == 0 && !a->windowed_all)) {
        put_silenced(st, out);
        return;
    }
    if (a->n == 0) {
        fputs("<section id=\"attention\" class=\"attention clear\"><h2>Needs attention</h2><p>",
              out);
        html_escape(out, attention_clear);
        fputs("</p></section>\n", out);
        put_silenced(st, out);
        return;
    }
    fputs("<section id=\"attention\" class=\"attention\"><h2>Needs attention</h2>\n<ul>\n", out);
    for (size_t i = 0; i < a->n && i < ATTN_SHOWN; i++) {
        fprintf(out, "<li class=\"%s\">", attention_kind_name(a->v[i].kind));
        html_escape(out, attention_line(&a->v[i], st->rep->tz, line, sizeof line));
        fputs("</li>\n", out);
    }
    if (a->n > ATTN_SHOWN)
        fprintf(out, "<li>and %zu more: see the text part or the summary's columns.</li>\n",
                a->n - ATTN_SHOWN);
    fputs("</ul></section>\n", out);
    put_silenced(st, out);
}

/* ---- the summary's headline ---- */

static const struct cell *total(const struct html_state *st, const struct cell *totals,
                                const char *name)
{
    int i = column_index(st->rep->total_cols, st->rep->n_total, name);
    return totals && i >= 0 ? &totals[i] : NULL;
}

static void figure_text(const struct cell *c, const char *unit, char *buf, size_t size)
{
    char num[NUM_BUF];
    if (!c || c->type == CELL_NULL) {
        snprintf(buf, size, "-");
        return;
    }
    if (c->type == CELL_REAL)
        numfmt_fixed(c->num, c->scale, num);
    else
        numfmt_int(c->num, num);
    snprintf(buf, size, "%s%s", num, unit);
}

static void figure(FILE *out, int bad, const char *value, const char *key, const char *detail)
{
    fprintf(out, "<div class=\"fig%s\"><span class=\"v\">", bad ? " bad" : "");
    html_escape(out, value);
    fputs("</span><span class=\"k\">", out);
    html_escape(out, key);
    fputs("</span>", out);
    if (detail) {
        fputs("<span class=\"d\">", out);
        html_escape(out, detail);
        fputs("</span>", out);
    }
    fputs("</div>\n", out);
}

static void put_coverage_figure(const struct html_state *st, FILE *out)
{
    const struct overview *ov = st->ov;
    char value[NUM_BUF + 4], num[NUM_BUF], low[NUM_BUF];
    char *detail = NULL;
    if (ov->cov_n == 0) {
        figure(out, 0, "-", "coverage", NULL);
        return;
    }
    numfmt_fixed(ov->cov_mean, 1, num);
    snprintf(value, sizeof value, "%s %%", num);
    numfmt_fixed(ov->cov_min, 1, low);
    if (asprintf(&detail, "mean of the ETLs; lowest %s %% (%s)", low,
                 ov->cov_min_name ? ov->cov_min_name : "") < 0)
        detail = NULL;
    figure(out, 0, value, "coverage", detail);
    free(detail);
}

static void put_headline(const struct html_state *st, FILE *out, const struct cell *totals)
{
    const struct cell *runs = total(st, totals, "runs"), *failed = total(st, totals, "failed");
    const struct cell *aborted = total(st, totals, "aborted");
    char value[NUM_BUF + 4], detail[2 * NUM_BUF + 32], n[NUM_BUF];
    fputs("<section id=\"headline\" class=\"figures\" aria-label=\"Headline figures\">\n", out);
    figure_text(runs, "", value, sizeof value);
    numfmt_int((int64_t)st->nrows, n);
    snprintf(detail, sizeof detail, "started in the window, %s %s listed", n,
             numfmt_plural((int64_t)st->nrows, "ETL", "ETLs"));
    figure(out, 0, value, "runs", detail);
    figure_text(total(st, totals, "failure_rate_pct"), " %", value, sizeof value);
    figure_text(failed, " failed (ERROR) of the finished runs", detail, sizeof detail);
    figure(out, failed && failed->num > 0, value, "failure rate", detail);
    figure_text(total(st, totals, "abort_rate_pct"), " %", value, sizeof value);
    figure_text(aborted, " aborted of the finished runs", detail, sizeof detail);
    figure(out, aborted && aborted->num > 0, value, "abort rate", detail);
    put_coverage_figure(st, out);
    numfmt_int(st->ov->failing_now, value);
    figure(out, st->ov->failing_now > 0, value, "failing now",
           "ETLs whose latest finished runs failed or aborted");
    fputs("</section>\n<nav><a href=\"#etls\">Per ETL</a><a href=\"#failures\">Failures by "
          "day</a><a href=\"#durations\">Durations</a></nav>\n",
          out);
}

/* ---- the summary's heat map ---- */

static void put_heat_head(const struct html_state *st, FILE *out)
{
    char a[ZONE_TIME_BUF], b[ZONE_TIME_BUF];
    fputs("<div class=\"scroll\"><table class=\"heat\">\n<thead><tr><th scope=\"col\">ETL</th>",
          out);
    for (size_t d = 0; d < st->ov->ndays; d++) {
        zone_format(st->rep->tz, st->ov->day[d], "%m-%d", b, sizeof b);
        if (st->ov->days_per_col == 1) {
            zone_format(st->rep->tz, st->ov->day[d], "%a", a, sizeof a);
            fprintf(out, "<th scope=\"col\" class=\"num\">%s<br>%s</th>", a, b);
        } else {
            zone_format(st->rep->tz, st->ov->day[d + 1] - 1, "%m-%d", a, sizeof a);
            fprintf(out, "<th scope=\"col\" class=\"num\" title=\"%s to %s\">%s</th>", b, a, b);
        }
    }
    fputs("<th scope=\"col\" class=\"num\">total</th></tr></thead>\n<tbody>\n", out);
}

static int heat_level(int64_t fails, int64_t max)
{
    int64_t level = (4 * fails + max - 1) / (max ? max : 1);
    return level < 1 ? 1 : level > 4 ? 4 : (int)level;
}

static void put_heat_row(const struct html_state *st, FILE *out, const struct pick *p, int64_t max)
{
    char day[ZONE_TIME_BUF];
    fputs("<tr><th scope=\"row\">", out);
    html_escape(out, p->name);
    fputs(" <span class=\"inst\">", out);
    html_escape(out, p->instance);
    fprintf(out, " &#183; ETL %lld</span></th>", (long long)p->etl_id);
    for (size_t d = 0; d < st->ov->ndays; d++) {
        zone_format(st->rep->tz, st->ov->day[d], "%Y-%m-%d", day, sizeof day);
        if (p->day_runs[d] == 0) {
            fprintf(out, "<td class=\"idle\" title=\"%s: no run\"></td>", day);
            continue;
        }
        int64_t f = p->day_fails[d];
        fprintf(out, "<td class=\"h%d\" title=\"%s: %lld of %lld runs failed or aborted\">",
                f ? heat_level(f, max) : 0, day, (long long)f, (long long)p->day_runs[d]);
        if (f)
            fprintf(out, "%lld", (long long)f);
        fputs("</td>", out);
    }
    fprintf(out, "<td class=\"num\">%lld</td></tr>\n", (long long)(p->failed + p->aborted));
}

static void put_heat_map(const struct html_state *st, FILE *out)
{
    const struct pick *rows[PICK_HEAT_ROWS];
    size_t n = picks_list(&st->ov->picks, PICK_HEAT, rows, PICK_HEAT_ROWS);
    fputs("<section id=\"failures\">\n<h2>Failures by day</h2>\n", out);
    if (n == 0) {
        fputs("<p class=\"note\">No run failed or aborted in the window.</p>\n</section>\n", out);
        return;
    }
    fputs("<p class=\"note\">ERROR and ABORTED runs ", out);
    if (st->ov->with_failures > (int64_t)n)
        fprintf(out, "of the %zu ETLs with the most (of %lld that had some)", n,
                (long long)st->ov->with_failures);
    else
        fputs("of every ETL that had some", out);
    if (st->ov->days_per_col == 1)
        fputs(", by the day they started in the display zone; grey: no run that day.</p>\n", out);
    else
        fprintf(out, ", by the %d days they started in (display zone); grey: no run.</p>\n",
                st->ov->days_per_col);
    int64_t max = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < st->ov->ndays; d++)
            max = rows[i]->day_fails[d] > max ? rows[i]->day_fails[d] : max;
    put_heat_head(st, out);
    for (size_t i = 0; i < n; i++)
        put_heat_row(st, out, rows[i], max);
    fputs("</tbody></table></div>\n</section>\n", out);
}

/* ---- the summary's duration charts ---- */

/* The mail carries every chart as an image: a few that say something, not one per ETL. */
#define CHARTS_MAX 3

static void put_card(const struct html_state *st, FILE *out, const struct pick *p, int *budget)
{
    char p50[NUM_BUF], p95[NUM_BUF], file[64];
    size_t known = 0;
    for (size_t i = 0; i < p->nrun; i++)
        known += p->run[i].dur2 >= 0;
    fputs("<article class=\"card\">\n<h3>", out);
    html_escape(out, p->name);
    fputs(" <span class=\"inst\">", out);
    html_escape(out, p->instance);
    fprintf(out, " &#183; ETL %lld</span>", (long long)p->etl_id);
    if (p->attention)
        fputs("<span class=\"tag f\">needs attention</span>", out);
    if (p->p50 >= 0)
        numfmt_duration(p->p50, p50);
    if (p->p95 >= 0)
        numfmt_duration(p->p95, p95);
    fprintf(out,
            "</h3>\n<p class=\"facts\">%lld runs, %lld failed, %lld aborted; %zu with a known "
            "duration; p50 %s, p95 %s</p>\n<div class=\"charts\">\n",
            (long long)p->runs, (long long)p->failed, (long long)p->aborted, known,
            p->p50 >= 0 ? p50 : "-", p->p95 >= 0 ? p95 : "-");
    snprintf(file, sizeof file, "durations-etl-%lld", (long long)p->etl_id);
    struct chart_spec spec = {st->rep->since, st->rep->until, p->p50,   p->p95,
                              p->name,        st->rep->tz,    p->limit, file};
    chart_trend(out, p->run, p->nrun, &spec);
    (*budget)--;
    if (*budget > 0 && chart_spread_bars(p->run, p->nrun) >= 3) {
        chart_spread(out, p->run, p->nrun, &spec);
        (*budget)--;
    }
    fputs("</div>\n</article>\n", out);
}

static void put_charts(const struct html_state *st, FILE *out)
{
    const struct pick *v[PICK_ATTN_CHARTS];
    size_t n = picks_list(&st->ov->picks, PICK_ATTN, v, PICK_ATTN_CHARTS);
    int attention = n > 0;
    if (!attention)
        n = picks_list(&st->ov->picks, PICK_SLOW, v, 3);
    fputs("<section id=\"durations\">\n<h2>Durations</h2>\n", out);
    if (n == 0) {
        fputs("<p class=\"note\">No ETL needs attention and no run has a known duration in the "
              "window.</p>\n</section>\n",
              out);
        return;
    }
    fprintf(out,
            "<p class=\"note\">%s Each run's duration against its start, with the duration "
            "limit learnt from the ETL's earlier runs (a run beyond it is overdue); the spread "
            "of durations where it has more than two bars. A red tick on the time axis is a "
            "failed run whose duration is unknown.</p>\n<div class=\"cards\">\n",
            attention ? "The ETLs that need attention, most failures first."
                      : "No ETL needs attention: the slowest ETLs (by p95 duration).");
    int budget = CHARTS_MAX;
    for (size_t i = 0; i < n && budget > 0; i++)
        put_card(st, out, v[i], &budget);
    fputs("</div>\n</section>\n", out);
}

/* ---- the end ---- */

/* Writes what *f held and closes it. */
static int copy_buffer(FILE **f, const char **buf, const size_t *len, FILE *out)
{
    if (fclose(*f) != 0)
        return -1;
    *f = NULL;
    return fwrite(*buf, 1, *len, out) == *len ? 0 : -1;
}

static int put_tables(struct html_state *st, FILE *out)
{
    int rc = 0;
    if (st->glance) {
        put_glance_head(out);
        rc = copy_buffer(&st->glance, (const char **)&st->glance_buf, &st->glance_len, out);
        fputs("</tbody></table></div>\n", out);
        fprintf(out,
                "<p class=\"note\">%zu of %zu %s attention (marked \u2716 failing, "
                "\u25f7 overdue, \u26a0 missed or late). p95 against the learnt duration "
                "limit; MTTR: mean time to repair.</p>\n"
                "<details class=\"all\"><summary>All %zu columns</summary>\n",
                st->nattention, st->nrows,
                numfmt_plural((int64_t)st->nrows, "ETL needs", "ETLs need"), st->rep->ncols);
    }
    put_table_head(st, out);
    fflush(st->rows);
    rc |= copy_buffer(&st->rows, (const char **)&st->rows_buf, &st->rows_len, out);
    put_table_end(st, out);
    if (st->glance_buf)
        fputs("</details>\n", out);
    return rc;
}

static int html_end(void *state, const struct cell *totals)
{
    struct html_state *st = state;
    FILE *out = st->out;
    int rc = 0;
    if (st->ov) {
        put_attention(st, out);
        put_headline(st, out, totals);
        fputs("<section id=\"etls\">\n<h2>Per ETL</h2>\n", out);
        rc = put_tables(st, out);
        fputs("</section>\n", out);
        put_heat_map(st, out);
        put_charts(st, out);
    } else {
        put_table_end(st, out);
        put_attention(st, out); /* rows stream: only the instances' items, after them */
    }
    put_footer(st);
    rc |= ferror(out) ? -1 : 0;
    if (st->rows)
        fclose(st->rows);
    if (st->glance)
        fclose(st->glance);
    free(st->rows_buf);
    free(st->glance_buf);
    free(st);
    return rc;
}

const struct fmt_writer fmt_html = {"html", html_begin, html_header, html_row, html_end};
