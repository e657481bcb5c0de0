/* The RFC 3339 parser (time_parse_iso_utc) on arbitrary text, with a round trip: what it
 * accepts formats (time_format_iso) to text it accepts again as the same instant. Also
 * the span parser of the report's --last (time_parse_span) and the formatters on any
 * 64-bit time, for memory errors and undefined behaviour. */
#include "fuzz_util.h"
#include "timeutil.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    int64_t t = -1, again = -1, span = -1;
    char buf[TIME_BUF];
    if (time_parse_iso_utc(s, &t) == 0) {
        FUZZ_CHECK(t >= 0); /* years before 1970 are refused */
        time_format_iso(t, buf);
        FUZZ_CHECK(strlen(buf) == 20);
        FUZZ_CHECK(time_parse_iso_utc(buf, &again) == 0 && again == t);
        if (!strpbrk(s + 19, "+-")) /* in UTC: same date, hour and minute */
            FUZZ_CHECK(memcmp(buf, s, 10) == 0 && memcmp(buf + 11, s + 11, 5) == 0);
    }
    if (time_parse_span(s, &span) == 0)
        FUZZ_CHECK(span >= 0);
    if (size >= sizeof(int64_t)) {
        int64_t any;
        memcpy(&any, data, sizeof any);
        time_format_iso(any, buf);
        FUZZ_CHECK(memchr(buf, '\0', sizeof buf) != NULL);
        time_format_utc(any, buf);
        FUZZ_CHECK(memchr(buf, '\0', sizeof buf) != NULL);
    }
    free(s);
    return 0;
}
