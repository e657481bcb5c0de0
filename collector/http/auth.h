/* Bearer tokens: a static API key (token file or ETLHIST_TOKEN), or Helix access keys
 * exchanged for a 15-minute JWT that is refreshed before it expires. */
#ifndef ETLHIST_AUTH_H
#define ETLHIST_AUTH_H

#include "config.h"
#include "poll.h"

#include <stdint.h>

#define AUTH_JWT_LIFETIME_S 900
#define AUTH_RENEW_MARGIN_S 120

struct auth {
    const char *instance;
    const char *portal; /* base URL for login and refresh */
    struct http_opts http;
    char *token;   /* current bearer token */
    char *refresh; /* refresh token, access keys only */
    int64_t expires;
    int renewable;
    char *tenant, *key, *secret;
    enum failure failure; /* why the latest login or refresh failed */
};

/* Reads the secrets the instance names. Errors are logged; returns 0 or -1. */
int auth_init(struct auth *a, const struct instance_config *ic, long timeout_s);
/* Makes sure a.token is usable at now: logs in or refreshes when needed. On failure,
 * a.failure says why. */
int auth_ensure(struct auth *a, int64_t now);
/* After a 401: gets a new token if that is possible. Returns 0 when it did. */
int auth_renew(struct auth *a, int64_t now);
void auth_free(struct auth *a);

/* Reads a secret file, refusing one that others may read unless allowed. The text is
 * malloc'd, without a leading UTF-8 byte order mark, and trimmed. Returns 0, or -1 after logging
 * why. */
int auth_read_secret(const char *instance, const char *path, int allow_readable, char **out);

#endif
