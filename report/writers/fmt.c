#include "fmt.h"

#include "numfmt.h"
#include "timeutil.h"

#include <string.h>

/* ETLHIST_MAIL=0 (make MAIL=0): built without the mail backend, so without -f mail. */
#ifndef ETLHIST_MAIL
#define ETLHIST_MAIL 1
#endif

static const struct fmt_writer *const writers[] = {&fmt_text, &fmt_csv, &fmt_json, &fmt_html,
#if ETLHIST_MAIL
                                                   &fmt_mail
#endif
};

int fmt_column(const struct column *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

const struct fmt_writer *fmt_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof writers / sizeof writers[0]; i++)
        if (strcmp(writers[i]->name, name) == 0)
            return writers[i];
    return NULL;
}

const char *fmt_names(void)
{
    return ETLHIST_MAIL ? "text, csv, json, html, mail" : "text, csv, json, html";
}

const char *fmt_missing(const char *name)
{
    if (!ETLHIST_MAIL && name && strcmp(name, "mail") == 0)
        return "format \"mail\": etlhist-report was built without mail (make MAIL=1)";
    return NULL;
}

const char *fmt_cell_plain(const struct cell *c, char *buf, size_t size)
{
    char tmp[TIME_BUF > NUM_BUF ? TIME_BUF : NUM_BUF];
    switch (c->type) {
    case CELL_NULL:
        tmp[0] = '\0';
        break;
    case CELL_TEXT:
        return c->text;
    case CELL_INT:
        numfmt_int(c->num, tmp);
        break;
    case CELL_REAL:
        numfmt_fixed(c->num, c->scale, tmp);
        break;
    case CELL_TIME:
        time_format_sheet(c->num, tmp);
        break;
    }
    snprintf(buf, size, "%s", tmp);
    return buf;
}
