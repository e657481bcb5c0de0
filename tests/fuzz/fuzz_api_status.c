/* The ETL status parser (api_parse_status) on arbitrary response bodies, and the token
 * answer parser (api_parse_token) on the same bytes. Checks: no memory error or undefined
 * behaviour; exactly one of status or error is set; every field is terminated within its
 * buffer and valid UTF-8 (they are stored and reported as text); an error clears the
 * payload; an observation equals itself. */
#include "api.h"
#include "fuzz_util.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct observation o;
    memset(&o, 0, sizeof o); /* as the collector prepares it */
    o.etl_id = 321;
    o.task_id = -1;
    o.http_code = 200;
    int rc = api_parse_status((const char *)data, size, &o);
    FUZZ_CHECK_FIELD(o.status);
    FUZZ_CHECK_FIELD(o.exit_code);
    FUZZ_CHECK_FIELD(o.error);
    if (rc == 0) {
        FUZZ_CHECK(o.error[0] == '\0');
        FUZZ_CHECK(o.status[0] != '\0'); /* "NONE" when the server sent no value */
    } else {
        FUZZ_CHECK(rc == -1);
        FUZZ_CHECK(o.error[0] != '\0');
        FUZZ_CHECK(o.status[0] == '\0' && o.exit_code[0] == '\0');
        FUZZ_CHECK(o.last_exec_ts == 0 && o.task_id == -1);
    }
    FUZZ_CHECK(o.etl_id == 321 && o.http_code == 200);
    struct observation copy = o;
    FUZZ_CHECK(observation_same(&o, &copy));

    char *jwt = NULL, *refresh = NULL;
    if (api_parse_token((const char *)data, size, &jwt, &refresh) == 0) {
        FUZZ_CHECK(jwt != NULL);
#ifndef FUZZ_SKIP_KNOWN
        FUZZ_CHECK(jwt[0] != '\0'); /* "\u0000…" must not become an empty bearer token */
#endif
    } else
        FUZZ_CHECK(jwt == NULL);
    free(jwt);
    free(refresh);
    return 0;
}
