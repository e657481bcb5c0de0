/* The ETL list parser (api_parse_list) on arbitrary response bodies. Checks: no memory
 * error or undefined behaviour; success gives a list (possibly empty) whose names are
 * terminated and valid UTF-8 (they are stored and shown in every report format); failure
 * gives no list and a terminated, non-empty cause. */
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
    free(list);
    return 0;
}
