/* The summary's sections for the page and the mail alike (html_writer.h): what needs
 * attention, the headline figures, the window against the one before, failures by day and
 * the duration charts. Each chart is drawn as SVG and put in by the look: inline on the
 * page, as an image in the mail, with a file name saying what it shows and an alt text
 * carrying its figures. */
#include "html_writer.h"

#include "html_chart.h"
#include "html_escape.h"
#include "numfmt.h"
#include "zone.h"

#include <stdlib.h>
#include <string.h>

#define ATTN_SHOWN 100 /* items of the "needs attention" block; the rest are counted */

/* ---- charts: drawn into memory, put in by the look ---- */

struct drawn {
    FILE *fp;
    char *svg, *alt;
    size_t len, alt_len;
    FILE *alt_fp;
};

static int draw_begin(struct drawn *d)
{
    memset(d, 0, sizeof *d);
    d->fp = open_memstream(&d->svg, &d->len);
    d->alt_fp = open_memstream(&d->alt, &d->alt_len);
    return d->fp && d->alt_fp ? 0 : -1;
}

/* Puts the chart drawn into d->fp in, with the alt text written into d->alt_fp. */
static int draw_end(const struct html_ctx *c, struct drawn *d, const char *file)
{
    int rc = -1, closed = 1; /* each stream closed once, whatever the other did */
    if (d->fp)
        closed &= fclose(d->fp) == 0;
    if (d->alt_fp)
        closed &= fclose(d->alt_fp) == 0;
    if (d->fp && d->alt_fp && closed) {
        struct html_chart chart = {d->svg, d->len, file, d->alt};
        rc = html_put_chart(c->out, c->look, &chart);
    }
    free(d->svg);
    free(d->alt);
    return rc;
}

/* ---- what needs attention: the report's one list, before anything else ---- */

/* The verdicts silences kept from the list, each with the silence's reason: hidden from
 * the list, never from the reader. */
static void put_silenced(const struct html_ctx *c)
{
    const struct attention *a = c->rep->attention;
    char line[1024], n[NUM_BUF];
    if (!a || a->n_silenced == 0)
        return;
    html_open(c->out, c->look, "section", "attention clear", " id=\"silenced\"", NULL);
    numfmt_int((int64_t)a->n_silenced, n);
    html_open(c->out, c->look, "h2", "ah", NULL, NULL);
    fprintf(c->out, "Silenced (%s)</h2>\n", n);
    html_open(c->out, c->look, "ul", NULL, NULL, NULL);
    fputc('\n', c->out);
    for (size_t i = 0; i < a->n_silenced && i < ATTN_SHOWN; i++) {
        html_open(c->out, c->look, "li", NULL, NULL, NULL);
        html_escape(c->out,
                    attention_silenced_line(&a->silenced[i], c->rep->tz, line, sizeof line));
        fputs("</li>\n", c->out);
    }
    if (a->n_silenced > ATTN_SHOWN) {
        html_open(c->out, c->look, "li", NULL, NULL, NULL);
        fprintf(c->out, "and %zu more: see the text part.</li>\n", a->n_silenced - ATTN_SHOWN);
    }
    fputs("</ul>", c->out);
    html_close(c->out, c->look, "section");
    fputc('\n', c->out);
}

static void put_attention_list(const struct html_ctx *c, const struct attention *a)
{
    char line[1024], cls[64];
    html_open(c->out, c->look, "ul", NULL, NULL, NULL);
    fputc('\n', c->out);
    for (size_t i = 0; i < a->n && i < ATTN_SHOWN; i++) {
        snprintf(cls, sizeof cls, "%s", attention_kind_name(a->v[i].kind));
        html_open(c->out, c->look, "li", cls, NULL, NULL);
        html_escape(c->out, attention_line(&a->v[i], c->rep->tz, line, sizeof line));
        fputs("</li>\n", c->out);
    }
    if (a->n > ATTN_SHOWN) {
        html_open(c->out, c->look, "li", NULL, NULL, NULL);
        fprintf(c->out, "and %zu more: see the text part or the summary's columns.</li>\n",
                a->n - ATTN_SHOWN);
    }
    fputs("</ul>", c->out);
}

void html_attention(const struct html_ctx *c)
{
    const struct attention *a = c->rep->attention;
    if (a && (a->n > 0 || a->windowed_all)) {
        html_open(c->out, c->look, "section", a->n ? "attention" : "attention clear",
                  " id=\"attention\"", NULL);
        html_open(c->out, c->look, "h2", "ah", NULL, NULL);
        fputs("Needs attention</h2>", c->out);
        if (a->n == 0) {
            html_open(c->out, c->look, "p", NULL, NULL, NULL);
            html_escape(c->out, attention_clear);
            fputs("</p>", c->out);
        } else {
            fputc('\n', c->out);
            put_attention_list(c, a);
        }
        html_close(c->out, c->look, "section");
        fputc('\n', c->out);
    }
    put_silenced(c);
}

/* ---- the summary's headline ---- */

static const struct cell *total(const struct fmt_report *rep, const struct cell *totals,
                                const char *name)
{
    int i = column_index(rep->total_cols, rep->n_total, name);
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

static void figure(const struct html_ctx *c, int bad, const char *value, const char *key,
                   const char *detail)
{
    FILE *out = c->out;
    html_open(out, c->look, "div", bad ? "fig bad" : "fig", NULL, NULL);
    html_open(out, c->look, "span", "v", NULL, NULL);
    html_escape(out, value);
    fputs("</span>", out);
    html_open(out, c->look, "span", "k", NULL, NULL);
    html_escape(out, key);
    fputs("</span>", out);
    if (detail) {
        html_open(out, c->look, "span", "d", NULL, NULL);
        html_escape(out, detail);
        fputs("</span>", out);
    }
    fputs("</div>\n", out);
}

static void put_coverage_figure(const struct html_ctx *c)
{
    const struct overview *ov = c->rep->overview;
    char value[NUM_BUF + 4], num[NUM_BUF], low[NUM_BUF];
    char *detail = NULL;
    if (ov->cov_n == 0) {
        figure(c, 0, "-", "coverage", NULL);
        return;
    }
    numfmt_fixed(ov->cov_mean, 1, num);
    snprintf(value, sizeof value, "%s %%", num);
    numfmt_fixed(ov->cov_min, 1, low);
    if (asprintf(&detail, "mean of the ETLs; lowest %s %% (%s)", low,
                 ov->cov_min_name ? ov->cov_min_name : "") < 0)
        detail = NULL;
    figure(c, 0, value, "coverage", detail);
    free(detail);
}

void html_headline(const struct html_ctx *c, const struct cell *totals, size_t nrows)
{
    const struct fmt_report *rep = c->rep;
    const struct cell *runs = total(rep, totals, "runs"), *failed = total(rep, totals, "failed");
    const struct cell *aborted = total(rep, totals, "aborted");
    char value[NUM_BUF + 4], detail[2 * NUM_BUF + 32], n[NUM_BUF];
    html_open(c->out, c->look, "section", "figures",
              " id=\"headline\" aria-label=\"Headline figures\"", NULL);
    fputc('\n', c->out);
    figure_text(runs, "", value, sizeof value);
    numfmt_int((int64_t)nrows, n);
    snprintf(detail, sizeof detail, "started in the window, %s %s listed", n,
             numfmt_plural((int64_t)nrows, "ETL", "ETLs"));
    figure(c, 0, value, "runs", detail);
    figure_text(total(rep, totals, "failure_rate_pct"), " %", value, sizeof value);
    figure_text(failed, " failed (ERROR) of the finished runs", detail, sizeof detail);
    figure(c, failed && failed->num > 0, value, "failure rate", detail);
    figure_text(total(rep, totals, "abort_rate_pct"), " %", value, sizeof value);
    figure_text(aborted, " aborted of the finished runs", detail, sizeof detail);
    figure(c, aborted && aborted->num > 0, value, "abort rate", detail);
    put_coverage_figure(c);
    numfmt_int(rep->overview->failing_now, value);
    figure(c, rep->overview->failing_now > 0, value, "failing now",
           "ETLs whose latest finished runs failed or aborted");
    html_close(c->out, c->look, "section");
    fputc('\n', c->out);
}

/* ---- the window against the one before ---- */

/* "the 7 days before", "the 36 hours before": the earlier window by its length. */
static void before_name(const struct window_totals *t, const char *tz, char *buf, size_t size)
{
    int64_t len = t->until - t->since, days = zone_whole_days(tz, t->since, t->until);
    if (days > 0)
        snprintf(buf, size, "the %lld %s before", (long long)days, days == 1 ? "day" : "days");
    else if (len % 86400 == 0)
        snprintf(buf, size, "the %lld %s before", (long long)(len / 86400),
                 len == 86400 ? "day" : "days");
    else
        snprintf(buf, size, "the %lld h before", (long long)(len / 3600));
}

static void pair_alt(FILE *alt, const struct chart_pair *p)
{
    char a[NUM_BUF], b[NUM_BUF];
    if (p->pct) {
        if (p->now >= 0)
            numfmt_fixed(p->now, 1, a);
        if (p->before >= 0)
            numfmt_fixed(p->before, 1, b);
        fprintf(alt, "%s %s%s (before: %s%s)", p->name, p->now >= 0 ? a : "-",
                p->now >= 0 ? " %" : "", p->before >= 0 ? b : "-", p->before >= 0 ? " %" : "");
        return;
    }
    numfmt_int(p->now, a);
    if (p->before >= 0)
        numfmt_int(p->before, b);
    fprintf(alt, "%s %s (before: %s)", p->name, a, p->before >= 0 ? b : "-");
}

int html_compare(const struct html_ctx *c, const struct window_totals *now)
{
    const struct window_totals *prev = c->rep->previous;
    if (!prev)
        return 0;
    char before[64];
    before_name(prev, c->rep->tz, before, sizeof before);
    const struct chart_pair pairs[] = {
        {"runs", prev->runs, now->runs, 0},
        {"failure %", prev->fail_pct, now->fail_pct, 1},
        {"abort %", prev->abort_pct, now->abort_pct, 1},
        {"missed + late", prev->missed + prev->late, now->missed + now->late, 0},
    };
    /* A window nobody observed has no figures, not zeros: bars of 0 would read as a quiet
     * week, so there is no chart, and the page says why. */
    if (prev->observed == 0) {
        html_open(c->out, c->look, "section", NULL, " id=\"compare\"", NULL);
        html_open(c->out, c->look, "p", "note", NULL, NULL);
        fprintf(c->out, "No comparison with %s: no ETL was observed then.</p>", before);
        html_close(c->out, c->look, "section");
        fputc('\n', c->out);
        return 0;
    }
    struct drawn d;
    if (draw_begin(&d) == 0) {
        chart_compare(d.fp, pairs, sizeof pairs / sizeof pairs[0], before, "week-over-week");
        fprintf(d.alt_fp, "This window against %s: ", before);
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
            fputs(i ? ", " : "", d.alt_fp);
            pair_alt(d.alt_fp, &pairs[i]);
        }
    }
    html_open(c->out, c->look, "section", NULL, " id=\"compare\"", NULL);
    fputc('\n', c->out);
    int rc = draw_end(c, &d, "week-over-week");
    html_close(c->out, c->look, "section");
    fputc('\n', c->out);
    return rc;
}

/* ---- failures by day ---- */

static void put_heat_head(const struct html_ctx *c, const struct overview *ov)
{
    char a[ZONE_TIME_BUF], b[ZONE_TIME_BUF];
    fputs("<div class=\"scroll\"><table class=\"heat\">\n<thead><tr><th scope=\"col\">ETL</th>",
          c->out);
    for (size_t d = 0; d < ov->ndays; d++) {
        zone_format(c->rep->tz, ov->day[d], "%m-%d", b, sizeof b);
        if (ov->days_per_col == 1) {
            zone_format(c->rep->tz, ov->day[d], "%a", a, sizeof a);
            fprintf(c->out, "<th scope=\"col\" class=\"num\">%s<br>%s</th>", a, b);
        } else {
            zone_format(c->rep->tz, ov->day[d + 1] - 1, "%m-%d", a, sizeof a);
            fprintf(c->out, "<th scope=\"col\" class=\"num\" title=\"%s to %s\">%s</th>", b, a, b);
        }
    }
    fputs("<th scope=\"col\" class=\"num\">total</th></tr></thead>\n<tbody>\n", c->out);
}

static int heat_level(int64_t fails, int64_t max)
{
    int64_t level = (4 * fails + max - 1) / (max ? max : 1);
    return level < 1 ? 1 : level > 4 ? 4 : (int)level;
}

static void put_heat_row(const struct html_ctx *c, const struct pick *p, int64_t max)
{
    const struct overview *ov = c->rep->overview;
    FILE *out = c->out;
    char day[ZONE_TIME_BUF];
    fputs("<tr><th scope=\"row\">", out);
    html_escape(out, p->name);
    fputs(" <span class=\"inst\">", out);
    html_escape(out, p->instance);
    fprintf(out, " &#183; ETL %lld</span></th>", (long long)p->etl_id);
    for (size_t d = 0; d < ov->ndays; d++) {
        zone_format(c->rep->tz, ov->day[d], "%Y-%m-%d", day, sizeof day);
        if (p->day_runs[d] == 0) {
            fprintf(out, "<td class=\"idle\" title=\"%s: no run\"></td>", day);
            continue;
        }
        int64_t f = p->day_fails[d];
        fprintf(out, "<td class=\"h%d\" title=\"%s: %lld of %lld %s failed or aborted\">",
                f ? heat_level(f, max) : 0, day, (long long)f, (long long)p->day_runs[d],
                numfmt_plural(p->day_runs[d], "run", "runs"));
        if (f)
            fprintf(out, "%lld", (long long)f);
        fputs("</td>", out);
    }
    fprintf(out, "<td class=\"num\">%lld</td></tr>\n", (long long)(p->failed + p->aborted));
}

/* The page's heat map: the ETLs with the most failures, a row each. */
static void put_heat_map(const struct html_ctx *c, const struct pick *const *rows, size_t n)
{
    const struct overview *ov = c->rep->overview;
    fputs("<p class=\"note\">ERROR and ABORTED runs ", c->out);
    if (ov->with_failures > (int64_t)n)
        fprintf(c->out, "of the %zu %s with the most (of %lld that had some)", n,
                numfmt_plural((int64_t)n, "ETL", "ETLs"), (long long)ov->with_failures);
    else
        fputs("of every ETL that had some", c->out);
    if (ov->days_per_col == 1)
        fputs(", by the day they started in the display zone; grey: no run that day.</p>\n",
              c->out);
    else
        fprintf(c->out, ", by the %d days they started in (display zone); grey: no run.</p>\n",
                ov->days_per_col);
    int64_t max = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < ov->ndays; d++)
            max = rows[i]->day_fails[d] > max ? rows[i]->day_fails[d] : max;
    put_heat_head(c, ov);
    for (size_t i = 0; i < n; i++)
        put_heat_row(c, rows[i], max);
    fputs("</tbody></table></div>\n", c->out);
}

static int put_failures_chart(const struct html_ctx *c)
{
    const struct overview *ov = c->rep->overview;
    char day[ZONE_TIME_BUF], n[NUM_BUF];
    struct chart_days days = {ov->day,   ov->day_runs,     ov->day_failed, ov->day_aborted,
                              ov->ndays, ov->days_per_col, c->rep->tz};
    struct drawn d;
    if (draw_begin(&d) == 0) {
        chart_failures_by_day(d.fp, &days, "failures-by-day");
        fputs("Failed and aborted runs per day, in the display zone:", d.alt_fp);
        for (size_t i = 0; i < ov->ndays; i++) {
            zone_format(c->rep->tz, ov->day[i], "%a %m-%d", day, sizeof day);
            numfmt_int(ov->day_failed[i], n);
            fprintf(d.alt_fp, "%s %s %s failed", i ? ";" : "", day, n);
            numfmt_int(ov->day_aborted[i], n);
            fprintf(d.alt_fp, ", %s aborted", n);
        }
    }
    return draw_end(c, &d, "failures-by-day");
}

int html_failures(const struct html_ctx *c)
{
    const struct pick *rows[PICK_HEAT_ROWS];
    size_t n = picks_list(&c->rep->overview->picks, PICK_HEAT, rows, PICK_HEAT_ROWS);
    int rc = 0;
    html_open(c->out, c->look, "section", NULL, " id=\"failures\"", NULL);
    html_open(c->out, c->look, "h2", NULL, NULL, NULL);
    fputs("Failures by day</h2>\n", c->out);
    if (n == 0) {
        html_open(c->out, c->look, "p", "note", NULL, NULL);
        fputs("No run failed or aborted in the window.</p>\n", c->out);
    } else {
        rc = put_failures_chart(c);
        if (!c->look->inline_styles) /* the mail's CSV has every ETL's counts */
            put_heat_map(c, rows, n);
    }
    html_close(c->out, c->look, "section");
    fputc('\n', c->out);
    return rc;
}

/* ---- the summary's duration charts ---- */

/* The card's facts: also the alt text of its charts. */
static void card_facts(FILE *out, const struct pick *p)
{
    char p50[NUM_BUF], p95[NUM_BUF];
    size_t known = 0;
    for (size_t i = 0; i < p->nrun; i++)
        known += p->run[i].dur2 >= 0;
    if (p->p50 >= 0)
        numfmt_duration(p->p50, p50);
    if (p->p95 >= 0)
        numfmt_duration(p->p95, p95);
    fprintf(out, "%lld %s, %lld failed, %lld aborted; %zu with a known duration; p50 %s, p95 %s",
            (long long)p->runs, numfmt_plural(p->runs, "run", "runs"), (long long)p->failed,
            (long long)p->aborted, known, p->p50 >= 0 ? p50 : "-", p->p95 >= 0 ? p95 : "-");
}

static int put_duration_chart(const struct html_ctx *c, const struct pick *p,
                              const struct chart_spec *spec, int spread)
{
    char file[96];
    struct drawn d;
    snprintf(file, sizeof file, "%s-%s", spec->file, spread ? "spread" : "trend");
    if (draw_begin(&d) == 0) {
        (spread ? chart_spread : chart_trend)(d.fp, p->run, p->nrun, spec);
        fputs(spread ? "How run durations spread: " : "Duration of each run against its start: ",
              d.alt_fp);
        html_escape(d.alt_fp, p->name);
        fputs(". ", d.alt_fp);
        card_facts(d.alt_fp, p);
    }
    return draw_end(c, &d, file);
}

static int put_card(const struct html_ctx *c, const struct pick *p, int *budget)
{
    FILE *out = c->out;
    char file[64];
    html_open(out, c->look, "article", "card", NULL, NULL);
    html_open(out, c->look, "h3", NULL, NULL, NULL);
    html_escape(out, p->name);
    fputc(' ', out);
    html_open(out, c->look, "span", "inst", NULL, NULL);
    html_escape(out, p->instance);
    fprintf(out, " &#183; ETL %lld</span>", (long long)p->etl_id);
    if (p->attention) {
        html_open(out, c->look, "span", "tag f", NULL, NULL);
        fputs("needs attention</span>", out);
    }
    fputs("</h3>\n", out);
    html_open(out, c->look, "p", "facts", NULL, NULL);
    card_facts(out, p);
    fputs("</p>\n", out);
    html_open(out, c->look, "div", "charts", NULL, NULL);
    fputc('\n', out);
    snprintf(file, sizeof file, "durations-etl-%lld", (long long)p->etl_id);
    struct chart_spec spec = {c->rep->since, c->rep->until, p->p50,   p->p95,
                              p->name,       c->rep->tz,    p->limit, file};
    int rc = put_duration_chart(c, p, &spec, 0);
    (*budget)--;
    if (rc == 0 && *budget > 0 && chart_spread_bars(p->run, p->nrun) >= 3) {
        rc = put_duration_chart(c, p, &spec, 1);
        (*budget)--;
    }
    fputs("</div>", out);
    html_close(out, c->look, "article");
    fputc('\n', out);
    return rc;
}

int html_durations(const struct html_ctx *c)
{
    const struct pick *v[PICK_ATTN_CHARTS];
    size_t n = picks_list(&c->rep->overview->picks, PICK_ATTN, v, PICK_ATTN_CHARTS);
    int attention = n > 0, rc = 0;
    if (!attention)
        n = picks_list(&c->rep->overview->picks, PICK_SLOW, v, 3);
    html_open(c->out, c->look, "section", NULL, " id=\"durations\"", NULL);
    html_open(c->out, c->look, "h2", NULL, NULL, NULL);
    fputs("Durations</h2>\n", c->out);
    html_open(c->out, c->look, "p", "note", NULL, NULL);
    if (n == 0) {
        fputs("No ETL needs attention and no run has a known duration in the window.</p>\n",
              c->out);
    } else {
        fprintf(c->out,
                "%s: each run's duration against its start and the limit learnt from earlier "
                "runs (beyond it: overdue), and their spread when it has more than two bars. A "
                "red tick on the time axis: a failed run of unknown duration.</p>\n",
                attention ? "The ETLs that need attention, most failures first"
                          : "No ETL needs attention: the slowest ETLs (by p95 duration)");
        html_open(c->out, c->look, "div", "cards", NULL, NULL);
        fputc('\n', c->out);
        int budget = HTML_DURATION_CHARTS;
        for (size_t i = 0; i < n && budget > 0 && rc == 0; i++)
            rc = put_card(c, v[i], &budget);
        fputs("</div>\n", c->out);
    }
    html_close(c->out, c->look, "section");
    fputc('\n', c->out);
    return rc;
}
