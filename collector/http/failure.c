#include "failure.h"

#include <stddef.h>

const char *failure_name(enum failure f)
{
    static const char *const names[] = {NULL, "unreachable", "tls", "auth", "server", "other"};
    return f >= FAILURE_NONE && f <= FAILURE_OTHER ? names[f] : "other";
}

enum failure failure_of_http(long http_code)
{
    if (http_code == 401 || http_code == 403)
        return FAILURE_AUTH;
    if (http_code >= 500 || http_code == 200 || http_code == 204)
        return FAILURE_SERVER;
    return FAILURE_OTHER;
}

enum failure failure_join(enum failure so_far, enum failure next)
{
    if (so_far == FAILURE_NONE || so_far == next)
        return next;
    return next == FAILURE_NONE ? so_far : FAILURE_OTHER;
}
