/* UTF-8 validity, one rule for the collector (what it stores) and the report (what it
 * escapes). */
#ifndef ETLHIST_UTF8_H
#define ETLHIST_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 sequence at p, which has left bytes, or 0:
 * RFC 3629, so no overlong forms, no surrogates (U+D800 to U+DFFF), nothing above U+10FFFF
 * and no sequence cut short by the end of the bytes. left must be at least 1. */
size_t utf8_seq(const unsigned char *p, size_t left);

#endif
