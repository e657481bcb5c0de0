#include "html_escape.h"

#include "utf8.h"

#include <string.h>

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
        else if (utf8_bidi(p, n))
            fputs(UTF8_BIDI_SHOWN, out); /* so no name reorders the page around it */
        else
            fwrite(p, 1, n, out);
        p += n ? n : 1;
    }
}
