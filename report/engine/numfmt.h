/* Numbers as text without the C library's locale: '.' decimal point, no grouping, always. */
#ifndef ETLHIST_REPORT_NUMFMT_H
#define ETLHIST_REPORT_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

#define NUM_BUF 32

/* "-5", "1234". */
void numfmt_int(int64_t v, char buf[NUM_BUF]);
/* scaled / 10^scale with exactly scale decimals: (35, 1) is "3.5", (-5, 1) is "-0.5". */
void numfmt_fixed(int64_t scaled, int scale, char buf[NUM_BUF]);
/* Seconds in tenths as a short human duration: "45s", "4m05s", "2h07m", "3d04h". */
void numfmt_duration(int64_t tenths, char buf[NUM_BUF]);

/* log_plural (common/log.h), for the report's int64_t counts. */
const char *numfmt_plural(int64_t n, const char *one, const char *many);

/* 100 * num / den in tenths of a percent, rounded half up; den must be > 0. */
int64_t numfmt_pct_tenths(int64_t num, int64_t den);

#endif
