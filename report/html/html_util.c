#include "html_util.h"

#include "utf8.h"

#include <string.h>
#include <time.h>

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
    const unsigned char *end = p + strlen((const char *)p);
    while (*p) {
        size_t n = utf8_seq(p, (size_t)(end - p));
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
