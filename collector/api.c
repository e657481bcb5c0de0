#include "api.h"

#include "timeutil.h"
#include "utf8.h"

#include <json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void api_set_error(struct observation *o, const char *fmt, ...)
{
    if (o->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->error, sizeof o->error, fmt, ap);
    va_end(ap);
}

static int utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_seq((const unsigned char *)s + i, len - i)))
            return 0;
    return 1;
}

/* Copies what fits of src into dst as valid UTF-8: ill-formed bytes become '?', and a
 * sequence is never cut in two (the text is stored and reported). */
static void copy_utf8(char *dst, size_t cap, const char *src)
{
    size_t len = strlen(src), w = 0;
    for (size_t i = 0, n; i < len; i += n) {
        n = utf8_seq((const unsigned char *)src + i, len - i);
        if (w + (n ? n : 1) >= cap)
            break;
        if (n)
            memcpy(dst + w, src + i, n);
        else
            dst[w] = '?';
        w += n ? n : 1;
        n = n ? n : 1;
    }
    dst[w] = '\0';
}

/* A UTF-8 byte order mark before the JSON is allowed by RFC 8259 to be ignored; some
 * gateways add one. */
static void skip_bom(const char **body, size_t *len)
{
    if (*len >= 3 && !memcmp(*body, "\xEF\xBB\xBF", 3)) {
        *body += 3;
        *len -= 3;
    }
}

/* Parses exactly one JSON value filling the whole buffer (bar whitespace and a leading
 * byte order mark), checking UTF-8. */
static json_object *parse_whole(const char *body, size_t len, char *err, size_t errlen)
{
    skip_bom(&body, &len);
    if (len == 0 || len > INT32_MAX) {
        snprintf(err, errlen, len ? "body too large" : "empty body");
        return NULL;
    }
    json_tokener *tok = json_tokener_new();
    if (!tok) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *root = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (jerr == json_tokener_continue) {
        snprintf(err, errlen, "truncated JSON (%zu bytes)", len);
        return NULL;
    }
    if (!root || jerr != json_tokener_success) {
        snprintf(err, errlen, "malformed JSON: %s", json_tokener_error_desc(jerr));
        json_object_put(root);
        return NULL;
    }
    while (used < len && strchr(" \t\r\n", body[used]))
        used++;
    if (used != len) {
        snprintf(err, errlen, "malformed JSON: trailing data after byte %zu", used);
        json_object_put(root);
        return NULL;
    }
    return root;
}

/* A string field: absent, null and "" leave dst as def; another type is an error. */
static int get_string(json_object *obj, const char *key, char *dst, size_t cap, const char *def,
                      struct observation *o)
{
    json_object *v;
    snprintf(dst, cap, "%s", def);
    if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_string)) {
        api_set_error(o, "%s is a JSON %s, not a string", key,
                      json_type_to_name(json_object_get_type(v)));
        return -1;
    }
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    if (n == 0)
        return 0;
    if (n >= cap || memchr(s, '\0', n)) {
        api_set_error(o, "%s is not a short text (%zu bytes)", key, n);
        return -1;
    }
    if (!utf8_valid(s, n)) {
        api_set_error(o, "%s is not valid UTF-8", key);
        return -1;
    }
    memcpy(dst, s, n + 1);
    return 0;
}

/* Known words compare without regard to case and are stored in their documented form;
 * anything else stays verbatim (DESIGN 1: unknown strings are never rejected). */
static void canonical_case(char *word, const char *const *known)
{
    for (; *known; known++)
        if (!strcasecmp(word, *known)) {
            strcpy(word, *known);
            return;
        }
}

static const char *const known_statuses[] = {"RUNNING", "SERVICE_ON", "SERVICE_OFF", "WAITING",
                                             "ENDED",   "ABORTED",    "NONE",        NULL};
static const char *const known_exit_codes[] = {"OK", "WARNING", "ERROR", "FAILED", NULL};

static int get_task_id(json_object *obj, struct observation *o)
{
    json_object *v;
    o->task_id = -1;
    if (!json_object_object_get_ex(obj, "task_id", &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_int)) {
        api_set_error(o, "task_id is a JSON %s, not an integer",
                      json_type_to_name(json_object_get_type(v)));
        return -1;
    }
    o->task_id = json_object_get_int64(v);
    return 0;
}

int api_parse_status(const char *body, size_t len, struct observation *o)
{
    char err[API_ERR_MAX - 32], ts[API_STR_MAX];
    o->status[0] = o->exit_code[0] = '\0';
    o->last_exec_ts = 0;
    o->last_exec_ts_unread = 0;
    o->task_id = -1;
    json_object *root = parse_whole(body, len, err, sizeof err);
    if (!root) {
        api_set_error(o, "%s", err);
        return -1;
    }
    if (!json_object_is_type(root, json_type_object))
        api_set_error(o, "response is a JSON %s, not an object",
                      json_type_to_name(json_object_get_type(root)));
    else if (get_string(root, "status", o->status, sizeof o->status, "NONE", o) == 0 &&
             get_string(root, "exit_code", o->exit_code, sizeof o->exit_code, "", o) == 0 &&
             get_task_id(root, o) == 0 &&
             get_string(root, "last_exec_ts", ts, sizeof ts, "", o) != 0) {
        /* A last_exec_ts of the wrong type or length: the status is still good. */
        o->error[0] = '\0';
        o->last_exec_ts_unread = 1;
    } else if (!o->error[0] && ts[0] && time_parse_iso_utc(ts, &o->last_exec_ts)) {
        o->last_exec_ts = 0;
        o->last_exec_ts_unread = 1;
    }
    canonical_case(o->status, known_statuses);
    canonical_case(o->exit_code, known_exit_codes);
    json_object_put(root);
    if (o->error[0]) {
        o->status[0] = o->exit_code[0] = '\0';
        o->last_exec_ts = 0;
        o->last_exec_ts_unread = 0;
        o->task_id = -1;
        return -1;
    }
    return 0;
}

/* The list as it is parsed: entries hold offsets into a pool of names, which moves as it
 * grows; api_parse_list turns them into pointers at the end. */
struct list_build {
    struct etl_info *items;
    size_t *name_at;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    size_t skipped;
};

static int pool_add(struct list_build *b, const char *name, size_t *at)
{
    char buf[API_NAME_MAX];
    copy_utf8(buf, sizeof buf, name);
    size_t n = strlen(buf) + 1;
    if (b->pool_len + n > b->pool_cap) {
        size_t cap = b->pool_cap ? b->pool_cap * 2 : 4096;
        while (cap < b->pool_len + n)
            cap *= 2;
        char *grown = realloc(b->pool, cap);
        if (!grown)
            return -1;
        b->pool = grown;
        b->pool_cap = cap;
    }
    memcpy(b->pool + b->pool_len, buf, n);
    *at = b->pool_len;
    b->pool_len += n;
    return 0;
}

/* An entry without a usable etl_id (not an object, a missing, non-integer or non-positive
 * id) is skipped and counted: one odd entry must not hide every other ETL. */
static int list_entry(json_object *item, struct list_build *b, char *err, size_t errlen)
{
    json_object *id, *name;
    if (!json_object_is_type(item, json_type_object) ||
        !json_object_object_get_ex(item, "etl_id", &id) ||
        !json_object_is_type(id, json_type_int) || json_object_get_int64(id) <= 0) {
        b->skipped++;
        return 0;
    }
    size_t at = 0; /* offset 0 holds "" */
    if (json_object_object_get_ex(item, "name", &name) &&
        json_object_is_type(name, json_type_string) &&
        pool_add(b, json_object_get_string(name), &at)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    b->items[b->n].etl_id = json_object_get_int64(id);
    b->name_at[b->n++] = at;
    return 0;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && *p && strchr(" \t\r\n", *p))
        p++;
    return p;
}

/* The end of the JSON value that starts at p, found by matching brackets outside strings;
 * NULL when the body ends first. Only the extent is found here: parse_whole judges it. */
static const char *value_end(const char *p, const char *end)
{
    int depth = 0, in_string = 0;
    for (; p < end; p++) {
        if (in_string) {
            if (*p == '\\') {
                p++;
            } else if (*p == '"') {
                in_string = 0;
                if (depth == 0)
                    return p + 1;
            }
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (--depth <= 0)
                return depth == 0 ? p + 1 : p;
        } else if (depth == 0 && (*p == ',' || (*p && strchr(" \t\r\n", *p)))) {
            return p;
        }
    }
    return NULL;
}

static int add_entry(const char *item, size_t len, struct list_build *b, char *err,
                     size_t errlen)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        struct etl_info *items = realloc(b->items, cap * sizeof *items);
        if (items)
            b->items = items;
        size_t *name_at = items ? realloc(b->name_at, cap * sizeof *name_at) : NULL;
        if (!name_at) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        b->name_at = name_at;
        b->cap = cap;
    }
    json_object *obj = parse_whole(item, len, err, errlen);
    if (!obj)
        return -1;
    int rc = list_entry(obj, b, err, errlen);
    json_object_put(obj);
    return rc;
}

/* One block: the entries, then the names they point to. */
static struct etl_info *list_finish(struct list_build *b)
{
    size_t items_size = b->n * sizeof *b->items;
    struct etl_info *list = malloc(items_size + b->pool_len);
    if (!list)
        return NULL;
    char *pool = (char *)list + items_size;
    memcpy(pool, b->pool, b->pool_len);
    for (size_t i = 0; i < b->n; i++) {
        list[i].etl_id = b->items[i].etl_id;
        list[i].name = pool + b->name_at[i];
    }
    return list;
}

/* Parses the list one entry at a time: a whole tree of 10,000 entries would cost the
 * collector more memory than everything else in a pass. */
int api_parse_list(const char *body, size_t len, struct etl_info **out, size_t *n,
                   size_t *skipped, char *err, size_t errlen)
{
    struct list_build b = {0};
    skip_bom(&body, &len);
    const char *end = body + len, *p = skip_ws(body, end);
    *out = NULL;
    *n = *skipped = 0;
    if (p == end || *p != '[') {
        json_object *root = parse_whole(body, len, err, errlen);
        if (root)
            snprintf(err, errlen, "ETL list is a JSON %s, not an array",
                     json_type_to_name(json_object_get_type(root)));
        json_object_put(root);
        return -1;
    }
    p = skip_ws(p + 1, end);
    size_t empty_at;
    int rc = pool_add(&b, "", &empty_at); /* offset 0: the name of nameless entries */
    if (rc)
        snprintf(err, errlen, "out of memory");
    else if (p < end && *p == ']') {
        p++;
    } else {
        for (;;) {
            const char *item_end = value_end(p, end);
            if (!item_end || item_end == p) {
                snprintf(err, errlen, item_end ? "malformed JSON in the ETL list" :
                                                 "truncated JSON (%zu bytes)", len);
                rc = -1;
                break;
            }
            if ((rc = add_entry(p, (size_t)(item_end - p), &b, err, errlen)))
                break;
            p = skip_ws(item_end, end);
            if (p < end && *p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            if (p < end && *p == ']') {
                p++;
                break;
            }
            snprintf(err, errlen, p < end ? "malformed JSON in the ETL list" :
                                            "truncated JSON (%zu bytes)", len);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && skip_ws(p, end) != end) {
        snprintf(err, errlen, "malformed JSON: trailing data after the ETL list");
        rc = -1;
    }
    if (rc == 0 && !(*out = list_finish(&b))) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc == 0) {
        *n = b.n;
        *skipped = b.skipped;
    }
    free(b.items);
    free(b.name_at);
    free(b.pool);
    return rc;
}

static char *dup_string(json_object *root, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(root, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    /* A token with a NUL in it would become a different, shorter header. */
    size_t n = (size_t)json_object_get_string_len(v);
    if (n == 0 || strlen(json_object_get_string(v)) != n)
        return NULL;
    return strdup(json_object_get_string(v));
}

int api_parse_token(const char *body, size_t len, char **jwt, char **refresh)
{
    char err[128];
    *jwt = *refresh = NULL;
    json_object *root = parse_whole(body, len, err, sizeof err);
    if (!root)
        return -1;
    if (json_object_is_type(root, json_type_object)) {
        *jwt = dup_string(root, "json_web_token");
        *refresh = dup_string(root, "token");
    }
    json_object_put(root);
    return *jwt ? 0 : -1;
}

void api_set_forbidden(struct observation *o, const char *body, size_t len)
{
    char err[64], head[41] = "";
    json_object *root = len ? parse_whole(body, len, err, sizeof err) : NULL;
    int from_co = root && json_object_is_type(root, json_type_object);
    json_object_put(root);
    if (from_co) {
        api_set_error(o, "forbidden (HTTP 403): the user needs "
                         "capacity_optimization.admin.etls_read");
        return;
    }
    /* A proxy or gateway refused: its page says why, CO's permissions are not in question. */
    if (len) {
        char raw[sizeof head];
        snprintf(raw, sizeof raw, "%.*s", (int)(len < sizeof raw - 1 ? len : sizeof raw - 1),
                 body);
        copy_utf8(head, sizeof head, raw);
    }
    api_set_error(o, "HTTP 403 (not from CO: %s%s%s)", len ? "body \"" : "no body", head,
                  len ? "\"" : "");
}

int observation_same(const struct observation *a, const struct observation *b)
{
    if (a->error[0] || b->error[0])
        return a->http_code == b->http_code && !strcmp(a->error, b->error);
    return !strcmp(a->status, b->status) && !strcmp(a->exit_code, b->exit_code) &&
           a->last_exec_ts == b->last_exec_ts && a->task_id == b->task_id;
}
