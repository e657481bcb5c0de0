/* ETL-range syntax (etlset_parse: "all", "321, 467, 500-520") on arbitrary text. Checks: no
 * memory error or undefined behaviour; a parsed set is sorted, merged (no overlapping or
 * touching ranges), within the id limits and the 1,000,000-id cap, and membership agrees
 * with the ranges at and around every bound; a refused text gives a terminated cause. */
#include "etlset.h"
#include "fuzz_util.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct etlset set;
    char err[128];
    memset(err, 'x', sizeof err);
    if (etlset_parse(s, &set, err, sizeof err) == 0) {
        if (set.all) {
            FUZZ_CHECK(set.n == 0 && etlset_contains(&set, 42));
        } else {
            FUZZ_CHECK(set.n > 0);
            FUZZ_CHECK(etlset_count(&set) <= 1000000);
            for (size_t i = 0; i < set.n; i++) {
                const struct etl_range *r = &set.ranges[i];
                FUZZ_CHECK(r->lo >= 0 && r->lo <= r->hi && r->hi <= INT32_MAX);
                if (i > 0)
                    FUZZ_CHECK(r->lo > set.ranges[i - 1].hi + 1);
                FUZZ_CHECK(etlset_contains(&set, r->lo) && etlset_contains(&set, r->hi));
                FUZZ_CHECK(!etlset_contains(&set, r->lo - 1) && !etlset_contains(&set, r->hi + 1));
            }
        }
        etlset_free(&set);
    } else {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
        etlset_free(&set); /* as callers do */
    }
    free(s);
    return 0;
}
