#include "auth.h"

#include "api.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_MAX 65536

static void wipe_free(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

static char *trim(char *s)
{
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    size_t lead = strspn(s, " \t\r\n");
    memmove(s, s + lead, n - lead + 1);
    return s;
}

/* A secret goes into an HTTP header: a line break in it would add headers of its own. */
static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

int auth_read_secret(const char *instance, const char *path, int allow_readable, char **out)
{
    struct stat st;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        log_err("instance %s: secret file %s: %s", instance, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    const char *why = NULL;
    if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (!allow_readable && (st.st_mode & (S_IRWXG | S_IRWXO)))
        why = "readable by group or others (chmod 600 it, or set allow_readable_secrets)";
    else if (st.st_size > SECRET_MAX)
        why = "too large for a secret";
    char *buf = why ? NULL : calloc(1, (size_t)st.st_size + 1);
    if (!why && !buf)
        why = "out of memory";
    if (!why && read(fd, buf, (size_t)st.st_size) != st.st_size)
        why = "short read";
    close(fd);
    if (!why && !strncmp(buf, "\xEF\xBB\xBF", 3)) /* a byte order mark from an editor */
        memmove(buf, buf + 3, strlen(buf + 3) + 1);
    if (!why && !*trim(buf))
        why = "empty";
    if (why) {
        log_err("instance %s: secret file %s: %s", instance, path, why);
        wipe_free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

/* access_key_file: lines tenant_id=, access_key=, access_secret_key=. */
static int read_keys(struct auth *a, const char *path, int allow_readable)
{
    char *text, *save = NULL;
    if (auth_read_secret(a->instance, path, allow_readable, &text))
        return -1;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (!eq || *trim(line) == '#')
            continue;
        *eq = '\0';
        char **slot = !strcmp(trim(line), "tenant_id")     ? &a->tenant
                      : !strcmp(line, "access_key")        ? &a->key
                      : !strcmp(line, "access_secret_key") ? &a->secret
                                                           : NULL;
        if (slot && has_control(trim(eq + 1))) {
            log_err("instance %s: access key file %s: %s holds a control character; refused",
                    a->instance, path, line);
            wipe_free(text);
            return -1;
        }
        if (slot) {
            wipe_free(*slot);
            *slot = strdup(eq + 1);
        }
    }
    wipe_free(text);
    if (!a->tenant || !a->key || !a->secret) {
        log_err("instance %s: access key file %s: needs tenant_id=, access_key= and "
                "access_secret_key=",
                a->instance, path);
        return -1;
    }
    return 0;
}

int auth_init(struct auth *a, const struct instance_config *ic, long timeout_s)
{
    memset(a, 0, sizeof *a);
    a->instance = ic->name;
    a->http.timeout_s = timeout_s;
    a->http.ca_file = ic->ca_file;
    a->http.max_body = POLL_STATUS_CAP;
    a->expires = INT64_MAX;
    if (ic->token_file) {
        if (auth_read_secret(ic->name, ic->token_file, (int)ic->allow_readable_secrets, &a->token))
            return -1;
        if (!has_control(a->token))
            return 0;
        log_err("instance %s: token file %s holds a control character (more than one line?); "
                "refused",
                ic->name, ic->token_file);
        return -1;
    }
    if (ic->access_key_file) {
        a->renewable = 1;
        a->portal = ic->portal_url ? ic->portal_url : ic->url;
        a->expires = INT64_MIN; /* log in at the first pass */
        return read_keys(a, ic->access_key_file, (int)ic->allow_readable_secrets);
    }
    const char *env = getenv("ETLHIST_TOKEN");
    if (env && *env && has_control(env)) {
        log_err("instance %s: ETLHIST_TOKEN holds a control character; refused", ic->name);
        return -1;
    }
    if (env && *env) {
        a->token = strdup(env);
        return a->token ? 0 : -1;
    }
    log_err("instance %s: no token (set token_file, access_key_file or ETLHIST_TOKEN)", ic->name);
    return -1;
}

/* POSTs a JSON object to the portal and takes the tokens from the answer. */
static int token_call(struct auth *a, const char *path, json_object *req, int64_t now)
{
    char url[1024], *body = NULL, *jwt = NULL, *refresh = NULL;
    struct http_result r;
    snprintf(url, sizeof url, "%s%s", a->portal, path);
    const char *json = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
    int rc = http_request(&a->http, url, json, &r, &body);
    if (rc != 0)
        log_err("instance %s: %s: %s", a->instance, path, r.error);
    else if (r.http_code != 200)
        log_err("instance %s: %s: HTTP %ld", a->instance, path, r.http_code);
    else if (api_parse_token(body, r.len, &jwt, &refresh))
        log_err("instance %s: %s: no json_web_token in the answer", a->instance, path);
    else if (has_control(jwt)) {
        log_err("instance %s: %s: the json_web_token holds a control character; refused",
                a->instance, path);
        wipe_free(jwt);
        jwt = NULL;
    }
    if (rc != 0 || r.http_code != 200 || !jwt) {
        /* A portal that answers but refuses is an authentication failure; one that
         * answers 200 without a usable token is a server fault. */
        a->failure = rc != 0              ? r.failure
                     : r.http_code >= 500 ? FAILURE_SERVER
                     : r.http_code != 200 ? FAILURE_AUTH
                                          : FAILURE_SERVER;
        wipe_free(jwt);
        wipe_free(refresh);
        free(body);
        return -1;
    }
    wipe_free(a->token);
    a->token = jwt;
    if (refresh) {
        wipe_free(a->refresh);
        a->refresh = refresh;
    }
    a->expires = now + AUTH_JWT_LIFETIME_S;
    free(body);
    return rc;
}

static int login(struct auth *a, int64_t now)
{
    json_object *req = json_object_new_object();
    json_object_object_add(req, "tenant_id", json_object_new_string(a->tenant));
    json_object_object_add(req, "access_key", json_object_new_string(a->key));
    json_object_object_add(req, "access_secret_key", json_object_new_string(a->secret));
    int rc = token_call(a, "/ims/api/v1/access_keys/login", req, now);
    json_object_put(req);
    return rc;
}

static int refresh(struct auth *a, int64_t now)
{
    json_object *req = json_object_new_object();
    json_object_object_add(req, "token", json_object_new_string(a->refresh));
    int rc = token_call(a, "/ims/api/v1/auth/tokens", req, now);
    json_object_put(req);
    return rc;
}

int auth_renew(struct auth *a, int64_t now)
{
    a->failure = FAILURE_AUTH; /* a static token cannot be renewed: it was refused */
    if (!a->renewable)
        return -1;
    log_info("instance %s: renewing the access token", a->instance);
    if (a->refresh && refresh(a, now) == 0)
        return 0;
    return login(a, now);
}

int auth_ensure(struct auth *a, int64_t now)
{
    if (a->token && now < a->expires - AUTH_RENEW_MARGIN_S)
        return 0;
    return auth_renew(a, now);
}

void auth_free(struct auth *a)
{
    wipe_free(a->token);
    wipe_free(a->refresh);
    wipe_free(a->tenant);
    wipe_free(a->key);
    wipe_free(a->secret);
    memset(a, 0, sizeof *a);
}
