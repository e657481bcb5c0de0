#include "utf8.h"

#include <stdlib.h>
#include <string.h>

size_t utf8_seq(const unsigned char *p, size_t left)
{
    size_t n = p[0] < 0x80                    ? 1
               : p[0] >= 0xC2 && p[0] <= 0xDF ? 2
               : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
               : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4
                                              : 0;
    if (n == 0 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    /* The second byte's range that the lead byte alone cannot rule out: overlong 3- and
     * 4-byte forms, surrogates, and past U+10FFFF. */
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

int utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_seq((const unsigned char *)s + i, len - i)))
            return 0;
    return 1;
}

size_t utf8_bidi(const unsigned char *p, size_t left)
{
    if (left >= 2 && p[0] == 0xD8 && p[1] == 0x9C)
        return 2; /* U+061C ARABIC LETTER MARK */
    if (left < 3 || p[0] != 0xE2)
        return 0;
    if (p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
        return 3; /* U+200E, U+200F, U+202A to U+202E */
    if (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
        return 3; /* U+2066 to U+2069 */
    return 0;
}

char *utf8_unbidi(char *dst, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s), o = 0;
    while (left) {
        size_t n = utf8_bidi(p, left);
        if (n) {
            memcpy(dst + o, UTF8_BIDI_SHOWN, 3);
            o += 3;
        } else {
            dst[o++] = (char)*p;
            n = 1;
        }
        p += n;
        left -= n;
    }
    dst[o] = '\0';
    return dst;
}

char *utf8_unbidi_dup(const char *s)
{
    char *dst = malloc(UTF8_UNBIDI_SIZE(strlen(s)));
    return dst ? utf8_unbidi(dst, s) : NULL;
}
