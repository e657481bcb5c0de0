/* The rows every report produces: typed cells under named columns, shared by all formats, and
 * what the report says of a row. */
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

/* What the report definitions say of one row (report/reports/ decides; writers only show it). */
enum row_flag {
    ROW_FAILED = 1u << 0,  /* the row has a failed or aborted run */
    ROW_FAILING = 1u << 1, /* needs attention: failing now, or a failure or abort rate
                              above --max-rate */
    ROW_OVERDUE = 1u << 2, /* needs attention: a run still RUNNING beyond its limit */
    ROW_LATE = 1u << 3,    /* needs attention: missed or late starts, unscheduled */
    ROW_DELETED = 1u << 4  /* needs attention: gone from CO */
};
#define ROW_ATTENTION (ROW_FAILING | ROW_OVERDUE | ROW_LATE | ROW_DELETED)

struct row_mark {
    unsigned flags;  /* enum row_flag bits */
    int has_limit;   /* the ETL has a learnt duration limit (summary) */
    int64_t limit_s; /* that limit in seconds */
};

/* The index of the column named name among cols[0..n), or -1. */
int column_index(const struct column *cols, size_t n, const char *name);

/* A number (count, percentage, duration): right-aligned by writers, comparable by --fail-on. */
int column_numeric(const struct column *col);

/* A duration cell (whole seconds as CELL_INT, or fixed-point seconds) in tenths of a second. */
int64_t cell_tenths(const struct cell *c);
/* A duration cell as people read it, in every writer alike: "45s", "4m05s", "-30s". */
void cell_duration(const struct cell *c, char buf[32]);

/* The cell as plain text ('.' decimals, UTC times as time_format_sheet), as CSV writes it
 * and --fail-on quotes it; buf holds at least 32 bytes. Returns buf or the cell's own text. */
const char *cell_plain(const struct cell *c, char *buf, size_t size);

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
