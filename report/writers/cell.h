/* The rows every report produces: typed cells under named columns, shared by all formats. */
#ifndef ETLHIST_REPORT_CELL_H
#define ETLHIST_REPORT_CELL_H

#include <stddef.h>
#include <stdint.h>

/* How a column reads; decides alignment and how text output shows its cells. */
enum col_kind {
    COL_TEXT,     /* left-aligned text */
    COL_INT,      /* counts and ids */
    COL_PCT,      /* fixed-point percentage */
    COL_DURATION, /* fixed-point seconds; text shows 4m05s */
    COL_TIME      /* Unix seconds; CSV UTC, JSON ISO, text in the display zone */
};

struct column {
    const char *name;  /* CSV header and JSON key: stable, never renamed */
    const char *label; /* text header; NULL leaves the column out of text output */
    enum col_kind kind;
    int flex; /* text: may be truncated to keep lines within the width */
};

enum cell_type { CELL_NULL, CELL_TEXT, CELL_INT, CELL_REAL, CELL_TIME };

/* CELL_REAL is fixed-point: num / 10^scale, so every format prints the exact same digits. */
struct cell {
    enum cell_type type;
    int scale;
    int64_t num;
    const char *text; /* CELL_TEXT: borrowed, valid during the writer's row() call */
};

static inline struct cell cell_null(void)
{
    return (struct cell){CELL_NULL, 0, 0, NULL};
}

static inline struct cell cell_text(const char *s)
{
    return s ? (struct cell){CELL_TEXT, 0, 0, s} : cell_null();
}

static inline struct cell cell_int(int64_t v)
{
    return (struct cell){CELL_INT, 0, v, NULL};
}

static inline struct cell cell_real(int64_t scaled, int scale)
{
    return (struct cell){CELL_REAL, scale, scaled, NULL};
}

static inline struct cell cell_time(int64_t t)
{
    return (struct cell){CELL_TIME, 0, t, NULL};
}

#endif
