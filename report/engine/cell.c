#include "cell.h"

#include "numfmt.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

int column_index(const struct column *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *cell_plain(const struct cell *c, char *buf, size_t size)
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

int64_t cell_tenths(const struct cell *c)
{
    int64_t v = c->num;
    if (c->type == CELL_INT || c->scale == 0)
        return v * 10;
    for (int i = 1; i < c->scale; i++)
        v /= 10;
    return v;
}

void cell_duration(const struct cell *c, char buf[NUM_BUF])
{
    int64_t t = cell_tenths(c);
    if (t >= 0) {
        numfmt_duration(t, buf);
        return;
    }
    char d[NUM_BUF];
    numfmt_duration(-t, d); /* an early start's delay; at most "-" and 30 characters */
    size_t n = strnlen(d, NUM_BUF - 2);
    buf[0] = '-';
    memcpy(buf + 1, d, n);
    buf[n + 1] = '\0';
}

int column_numeric(const struct column *col)
{
    return col->kind == COL_INT || col->kind == COL_PCT || col->kind == COL_DURATION;
}
