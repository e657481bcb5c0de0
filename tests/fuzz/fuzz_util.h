/* Shared checks for the fuzz targets: a failed check aborts, which libFuzzer reports as a
 * finding with the input that caused it. */
#ifndef ETLHIST_FUZZ_UTIL_H
#define ETLHIST_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A NUL-terminated copy of the fuzzer's bytes (they are not terminated). */
static inline char *fuzz_cstr(const unsigned char *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF): what the database, JSON and
 * HTML output expect of every text that reaches them. */
static inline int fuzz_valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n, cp;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        for (unsigned i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

/* A fixed-size text field: terminated inside its buffer, and valid UTF-8 (build with
 * -DFUZZ_SKIP_KNOWN to look past the known findings (docs/dev/reliability.md) for new ones). */
#ifdef FUZZ_SKIP_KNOWN
#define FUZZ_UTF8_OK(s) 1
#else
#define FUZZ_UTF8_OK(s) fuzz_valid_utf8(s)
#endif
#define FUZZ_CHECK_FIELD(field)                                                                    \
    do {                                                                                           \
        FUZZ_CHECK(memchr((field), '\0', sizeof(field)) != NULL);                                  \
        FUZZ_CHECK(FUZZ_UTF8_OK(field));                                                           \
    } while (0)

#endif
