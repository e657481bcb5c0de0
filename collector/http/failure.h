/* Why a request, or a whole pass, observed nothing: the classes stored in pass.error_class. */
#ifndef ETLHIST_FAILURE_H
#define ETLHIST_FAILURE_H

enum failure {
    FAILURE_NONE = 0,    /* it observed something */
    FAILURE_UNREACHABLE, /* DNS, connection refused or reset, timeout */
    FAILURE_TLS,         /* certificate, TLS handshake */
    FAILURE_AUTH,        /* 401/403, login or token refresh refused */
    FAILURE_SERVER,      /* 5xx, or a body that cannot be used */
    FAILURE_OTHER,
};

/* The word stored in pass.error_class; NULL for FAILURE_NONE. */
const char *failure_name(enum failure f);

/* A response that arrived with HTTP code but observed nothing: 401/403 auth, 5xx server,
 * a 200/204 (whose body could not be used) server, anything else other. */
enum failure failure_of_http(long http_code);

/* The class of several failures taken together (all ETLs of a pass): the one class they
 * share, else other. FAILURE_NONE is the start: it adds nothing. */
enum failure failure_join(enum failure so_far, enum failure next);

#endif
