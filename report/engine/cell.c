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
