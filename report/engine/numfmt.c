#include "numfmt.h"

#include "log.h"

#include <string.h>

/* Digits of v, most significant first; v >= 0. Returns the length. */
static size_t put_digits(uint64_t v, char *out, size_t min_digits)
{
    char rev[NUM_BUF];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return n;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void numfmt_int(int64_t v, char buf[NUM_BUF])
{
    size_t n = 0;
    if (v < 0)
        buf[n++] = '-';
    put_digits(magnitude(v), buf + n, 1);
}

void numfmt_fixed(int64_t scaled, int scale, char buf[NUM_BUF])
{
    if (scale <= 0 || scale > 9) {
        numfmt_int(scaled, buf);
        return;
    }
    uint64_t div = 1;
    for (int i = 0; i < scale; i++)
        div *= 10;
    uint64_t m = magnitude(scaled);
    size_t n = 0;
    if (scaled < 0)
        buf[n++] = '-';
    n += put_digits(m / div, buf + n, 1);
    buf[n++] = '.';
    put_digits(m % div, buf + n, (size_t)scale);
}

void numfmt_duration(int64_t tenths, char buf[NUM_BUF])
{
    static const struct {
        int64_t big, small;
        char big_unit, small_unit;
    } steps[] = {{86400, 3600, 'd', 'h'}, {3600, 60, 'h', 'm'}, {60, 1, 'm', 's'}};
    int64_t s = (tenths < 0 ? 0 : tenths + 5) / 10; /* whole seconds, rounded */
    char a[NUM_BUF], b[NUM_BUF];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (s < steps[i].big)
            continue;
        numfmt_int(s / steps[i].big, a);
        put_digits((uint64_t)(s % steps[i].big / steps[i].small), b, 2);
        size_t n = strlen(a);
        memcpy(buf, a, n);
        buf[n++] = steps[i].big_unit;
        memcpy(buf + n, b, 2);
        buf[n + 2] = steps[i].small_unit;
        buf[n + 3] = '\0';
        return;
    }
    numfmt_int(s, buf);
    strcat(buf, "s");
}

int64_t numfmt_pct_tenths(int64_t num, int64_t den)
{
    return (2000 * num + den) / (2 * den);
}

const char *numfmt_plural(int64_t n, const char *one, const char *many)
{
    return log_plural(n, one, many);
}
