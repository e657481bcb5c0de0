#include "html.h"

#include <string.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s, or 0: no overlong forms, surrogates or code
 * points past U+10FFFF. The terminating NUL is never a continuation byte, so this stops there. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

static const char *entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

void html_escape(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = utf8_len(p);
        const char *e = entity(*p);
        if (e)
            fputs(e, out);
        else if (n == 0)
            fputs("\xEF\xBF\xBD", out); /* U+FFFD for one bad byte */
        else if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] < 0xA0))
            fputc(' ', out); /* C0 and C1 controls */
        else
            fwrite(p, 1, n, out);
        p += n ? n : 1;
    }
}

void html_local_time(int64_t t, const char *fmt, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(buf, size, fmt, &tm) == 0)
        snprintf(buf, size, "?");
}

int64_t html_next_midnight(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return t + 86400;
    tm.tm_mday++;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t next = mktime(&tm);
    return next > tt ? (int64_t)next : t + 86400;
}
