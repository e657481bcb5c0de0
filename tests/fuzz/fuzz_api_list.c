/* The ETL list parser (api_parse_list) on arbitrary response bodies. Checks: no memory
 * error or undefined behaviour; success gives a list (possibly empty) whose names are
 * terminated and valid UTF-8 (they are stored and shown in every report format); failure
 * gives no list and a terminated, non-empty cause; the same body fed in three pieces
 * (api_list_feed, as it arrives over HTTP) gives the same list, or fails too. */
#include "api.h"
#include "fuzz_util.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct etl_info *list = (struct etl_info *)1;
    size_t n = 12345, skipped = 12345;
    char err[API_ERR_MAX];
    memset(err, 'x', sizeof err);
    int rc = api_parse_list((const char *)data, size, &list, &n, &skipped, err, sizeof err);
    if (rc == 0) {
        FUZZ_CHECK(list != NULL && skipped <= size);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(list[i].name && strlen(list[i].name) < API_NAME_MAX &&
                       FUZZ_UTF8_OK(list[i].name));
    } else {
        FUZZ_CHECK(rc == -1 && list == NULL && n == 0);
        FUZZ_CHECK_FIELD(err);
        FUZZ_CHECK(err[0] != '\0');
    }
    size_t cut1 = size ? data[0] % (size + 1) : 0, cut2 = size ? data[size - 1] % (size + 1) : 0;
    if (cut1 > cut2) {
        size_t t = cut1;
        cut1 = cut2;
        cut2 = t;
    }
    struct api_list *l = api_list_new();
    api_list_feed(l, (const char *)data, cut1);
    api_list_feed(l, (const char *)data + cut1, cut2 - cut1);
    api_list_feed(l, (const char *)data + cut2, size - cut2);
    struct etl_info *pieces;
    size_t n2, skipped2;
    char err2[API_ERR_MAX];
    FUZZ_CHECK(api_list_end(l, &pieces, &n2, &skipped2, err2, sizeof err2) == rc);
    FUZZ_CHECK(n2 == n && skipped2 == skipped);
    if (rc == 0)
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(pieces[i].etl_id == list[i].etl_id && !strcmp(pieces[i].name, list[i].name));
    else /* the cause may be worded otherwise: json-c reads a number cut in two its own way */
        FUZZ_CHECK_FIELD(err2);
    free(pieces);
    free(list);
    return 0;
}
