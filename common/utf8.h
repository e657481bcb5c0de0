/* UTF-8 validity, one rule for the collector (what it stores) and the report (what it
 * escapes); and the one rule for the bidirectional controls no report shows. */
#ifndef ETLHIST_UTF8_H
#define ETLHIST_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 sequence at p, which has left bytes, or 0:
 * RFC 3629, so no overlong forms, no surrogates (U+D800 to U+DFFF), nothing above U+10FFFF
 * and no sequence cut short by the end of the bytes. left must be at least 1. */
size_t utf8_seq(const unsigned char *p, size_t left);

/* 1 when the len bytes at s are all well-formed UTF-8 (utf8_seq). */
int utf8_valid(const char *s, size_t len);

/* Length (2 or 3) of the bidirectional control at p, which has left bytes, or 0. The
 * controls are the embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
 * U+2069) and the marks (U+200E, U+200F, U+061C): each reorders the text around it
 * without being seen, so a name holding one can display as another ("Trojan Source",
 * CVE-2021-42574). */
size_t utf8_bidi(const unsigned char *p, size_t left);

/* What a report shows in place of a bidirectional control: U+FFFD REPLACEMENT CHARACTER.
 * Visible, one column wide like the character it replaces (the text report's widths stay
 * right), never mistaken for text a name could hold on purpose (as "<U+202E>" could be),
 * and the same mark the HTML page shows for bytes that are not UTF-8. */
#define UTF8_BIDI_SHOWN "\xEF\xBF\xBD"

/* Room utf8_unbidi needs for len bytes: a control is at least 2 bytes and becomes 3. */
#define UTF8_UNBIDI_SIZE(len) ((len) + (len) / 2 + 1)

/* Copies s to dst, which has room for UTF8_UNBIDI_SIZE(strlen(s)) bytes, with every
 * bidirectional control as UTF8_BIDI_SHOWN. Returns dst. */
char *utf8_unbidi(char *dst, const char *s);

/* utf8_unbidi into a malloc'd copy; NULL when out of memory. */
char *utf8_unbidi_dup(const char *s);

#endif
