#include "api.h"

#include "log.h"
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

static json_tokener *new_tokener(int flags)
{
    json_tokener *tok = json_tokener_new();
    if (tok)
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | flags);
    return tok;
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
    json_tokener *tok = new_tokener(JSON_TOKENER_VALIDATE_UTF8);
    if (!tok) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    json_object *root = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (jerr == json_tokener_continue) {
        snprintf(err, errlen, "truncated JSON (%zu %s)", len,
                 log_plural((long long)len, "byte", "bytes"));
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
 * anything else stays verbatim (docs/design.md §1: unknown strings are never rejected). */
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

/* The array's own punctuation is read here; each entry is parsed by json-c's tokener alone,
 * checked and freed, so memory holds one entry's tree at a time however long the list
 * (docs/dev/PERFORMANCE.md, row 5a: a whole tree of 10,000 entries costs about 9 MiB). */
enum list_state {
    LIST_BOM,   /* a byte order mark may begin the body */
    LIST_OPEN,  /* before the '[' */
    LIST_FIRST, /* after '[': an entry or ']' */
    LIST_NEXT,  /* after ',': an entry */
    LIST_ENTRY, /* inside an entry: its bytes go to the tokener */
    LIST_SEP,   /* after an entry: ',' or ']' */
    LIST_OTHER, /* the body is not an array: parsed whole, to say what it is */
    LIST_END,   /* after the value: whitespace only */
    LIST_FAILED,
};

struct api_list {
    enum list_state state;
    json_tokener *entry_tok, *other_tok;
    size_t bom;   /* bytes of a byte order mark matched so far */
    char held[4]; /* an unfinished UTF-8 sequence that ended the latest piece */
    size_t n_held;
    size_t at;   /* bytes taken so far, after a byte order mark */
    char *stash; /* an entry that the latest piece began but did not finish */
    size_t n_stash;
    const char *other; /* LIST_OTHER: the type of the whole value, once parsed */
    struct list_build b;
    char err[API_ERR_MAX];
};

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int list_fail(struct api_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int list_fail(struct api_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, sizeof l->err, fmt, ap);
    va_end(ap);
    l->state = LIST_FAILED;
    return -1;
}

struct api_list *api_list_new(void)
{
    struct api_list *l = calloc(1, sizeof *l);
    size_t empty_at;
    if (!l)
        return NULL;
    /* Entries may be split anywhere, so each value continues in the next piece; trailing
     * characters are the array's, read here. UTF-8 is checked before the tokener sees the
     * bytes (list_take): json-c's check also judges the bytes after a value. */
    l->entry_tok = new_tokener(JSON_TOKENER_ALLOW_TRAILING_CHARS);
    l->other_tok = new_tokener(JSON_TOKENER_ALLOW_TRAILING_CHARS);
    if (!l->entry_tok || !l->other_tok || pool_add(&l->b, "", &empty_at)) /* offset 0: "" */
        list_fail(l, "out of memory");
    return l;
}

static void list_free(struct api_list *l)
{
    if (l->entry_tok)
        json_tokener_free(l->entry_tok);
    if (l->other_tok)
        json_tokener_free(l->other_tok);
    free(l->b.items);
    free(l->b.name_at);
    free(l->b.pool);
    free(l->stash);
    free(l);
}

static int grow_items(struct list_build *b)
{
    if (b->n < b->cap)
        return 0;
    size_t cap = b->cap ? b->cap * 2 : 256;
    struct etl_info *items = realloc(b->items, cap * sizeof *items);
    if (items)
        b->items = items;
    size_t *name_at = items ? realloc(b->name_at, cap * sizeof *name_at) : NULL;
    if (!name_at)
        return -1;
    b->name_at = name_at;
    b->cap = cap;
    return 0;
}

/* Gives the tokener what it takes of [p, end): an entry, or the whole non-array value.
 * Returns the bytes it used, or (size_t)-1 after failing l. An entry is always parsed in one
 * call from its first byte: json-c resumes a number cut between two calls wrongly ("8" then
 * "-" reads as 8, where "8-" in one call ends the number before the "-"), so an entry the
 * piece does not finish is kept in l->stash and parsed again, whole, with the next piece. */
static size_t list_value(struct api_list *l, const char *p, size_t len)
{
    int entry = l->state == LIST_ENTRY;
    json_tokener *tok = entry ? l->entry_tok : l->other_tok;
    int piece = len > INT32_MAX ? INT32_MAX : (int)len;
    json_object *v = json_tokener_parse_ex(tok, p, piece);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = jerr == json_tokener_continue ? (size_t)piece : json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue && entry) {
        json_object_put(v);
        /* A new tokener, not json_tokener_reset(): a reset keeps a pending \uD800 of the
         * cut entry, which then reads as an extra U+FFFD when the entry is parsed again. */
        json_tokener_free(l->entry_tok);
        l->entry_tok = new_tokener(JSON_TOKENER_ALLOW_TRAILING_CHARS);
        if (!l->entry_tok || !(l->stash = malloc(used ? used : 1))) {
            list_fail(l, "out of memory");
            return (size_t)-1;
        }
        memcpy(l->stash, p, used);
        l->n_stash = used;
        return used;
    }
    if (jerr == json_tokener_continue)
        return used;
    if (jerr != json_tokener_success) { /* success with v NULL: a JSON null */
        json_object_put(v);
        list_fail(l, "malformed JSON: %s at byte %zu%s", json_tokener_error_desc(jerr),
                  l->at + used, entry ? " of the ETL list" : "");
        return (size_t)-1;
    }
    json_tokener_reset(tok);
    if (!entry) {
        l->other = json_type_to_name(json_object_get_type(v));
        l->state = LIST_END;
    } else if (grow_items(&l->b) || list_entry(v, &l->b, l->err, sizeof l->err)) {
        list_fail(l, "out of memory");
        used = (size_t)-1;
    } else {
        l->state = LIST_SEP;
    }
    json_object_put(v);
    return used;
}

/* The array's punctuation at *p (not whitespace). Returns 0, or -1 after failing l. */
static int list_punct(struct api_list *l, char c)
{
    switch (l->state) {
    case LIST_OPEN:
        l->state = c == '[' ? LIST_FIRST : LIST_OTHER;
        return c == '[' ? 1 : 0;
    case LIST_FIRST:
    case LIST_NEXT:
        if (c == ']' && l->state == LIST_FIRST) {
            l->state = LIST_END;
            return 1;
        }
        if (c == ']' || c == ',')
            return list_fail(l, "malformed JSON in the ETL list at byte %zu", l->at);
        l->state = LIST_ENTRY;
        return 0;
    case LIST_SEP:
        if (c != ',' && c != ']')
            return list_fail(l, "malformed JSON in the ETL list at byte %zu", l->at);
        l->state = c == ',' ? LIST_NEXT : LIST_END;
        return 1;
    default: /* LIST_END */
        return list_fail(l, "malformed JSON: trailing data after %s (byte %zu)",
                         l->other ? "the value" : "the ETL list", l->at);
    }
}

static const char bom_bytes[] = "\xEF\xBB\xBF";

static int list_take(struct api_list *l, const char *data, size_t len);

/* The byte order mark is over, or was not one: what matched of it is data. */
static int bom_done(struct api_list *l)
{
    size_t partial = l->bom < 3 ? l->bom : 0;
    l->state = LIST_OPEN;
    return partial ? list_take(l, bom_bytes, partial) : 0;
}

static int list_scan(struct api_list *l, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end && l->state == LIST_BOM && l->bom < 3 && *p == bom_bytes[l->bom]) {
        l->bom++;
        p++;
    }
    if (l->state == LIST_BOM && (l->bom == 3 || p < end) && bom_done(l))
        return -1;
    while (p < end && l->state != LIST_FAILED) {
        size_t used;
        if (l->state == LIST_ENTRY || l->state == LIST_OTHER) {
            if ((used = list_value(l, p, (size_t)(end - p))) == (size_t)-1)
                break;
        } else if (is_ws(*p)) {
            used = 1;
        } else {
            int rc = list_punct(l, *p);
            if (rc < 0)
                break;
            used = (size_t)rc;
        }
        p += used;
        l->at += used;
    }
    return l->state == LIST_FAILED ? -1 : 0;
}

/* Bytes go to the parser in order up to the first one that is not UTF-8: where a body is
 * cut into pieces cannot change which defect is reported. */
static int list_take(struct api_list *l, const char *data, size_t len)
{
    size_t valid = 0, n;
    while (valid < len && (n = utf8_seq((const unsigned char *)data + valid, len - valid)))
        valid += n;
    int rc;
    if (l->n_stash && valid) { /* the unfinished entry again, with what follows it */
        char *whole = malloc(l->n_stash + valid);
        if (!whole)
            return list_fail(l, "out of memory");
        memcpy(whole, l->stash, l->n_stash);
        memcpy(whole + l->n_stash, data, valid);
        n = l->n_stash + valid;
        l->at -= l->n_stash;
        free(l->stash);
        l->stash = NULL;
        l->n_stash = 0;
        rc = list_scan(l, whole, n);
        free(whole);
    } else {
        rc = list_scan(l, data, valid);
    }
    if (rc || valid == len)
        return l->state == LIST_FAILED ? -1 : 0;
    return list_fail(l, "malformed JSON: invalid UTF-8 at byte %zu", l->at);
}

/* How many bytes at the end of [p, p + len) begin a UTF-8 sequence they do not finish. */
static size_t utf8_unfinished(const char *p, size_t len)
{
    for (size_t k = 1; k <= 3 && k <= len; k++) {
        unsigned char c = (unsigned char)p[len - k];
        if ((c & 0xC0) == 0x80)
            continue;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

/* json-c checks UTF-8 within one call of its tokener: a character cut between two pieces
 * would be refused, so it is held back until the rest of it arrives. */
int api_list_feed(struct api_list *l, const char *data, size_t len)
{
    while (l->n_held && len) {
        l->held[l->n_held++] = *data++;
        len--;
        if (l->n_held == sizeof l->held || !utf8_unfinished(l->held, l->n_held)) {
            size_t n = l->n_held;
            l->n_held = 0;
            list_take(l, l->held, n);
        }
    }
    size_t tail = utf8_unfinished(data, len);
    memcpy(l->held + l->n_held, data + len - tail, tail);
    l->n_held += tail;
    return list_take(l, data, len - tail);
}

int api_list_end(struct api_list *l, struct etl_info **out, size_t *n, size_t *skipped, char *err,
                 size_t errlen)
{
    *out = NULL;
    *n = *skipped = 0;
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (l->n_held)
        list_take(l, l->held, l->n_held);
    if (l->state == LIST_BOM && l->bom) /* the body was a part of a byte order mark */
        bom_done(l);
    if (l->state == LIST_BOM || (l->state == LIST_OPEN && l->at == 0))
        list_fail(l, "empty body");
    else if (l->state != LIST_END && l->state != LIST_FAILED)
        list_fail(l, "truncated JSON (%zu %s)", l->at,
                  log_plural((long long)l->at, "byte", "bytes"));
    else if (l->state == LIST_END && l->other)
        list_fail(l, "ETL list is a JSON %s, not an array", l->other);
    else if (l->state == LIST_END && !(*out = list_finish(&l->b)))
        list_fail(l, "out of memory");
    int rc = l->state == LIST_FAILED ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "%s", l->err);
    else {
        *n = l->b.n;
        *skipped = l->b.skipped;
    }
    list_free(l);
    return rc;
}

int api_parse_list(const char *body, size_t len, struct etl_info **out, size_t *n, size_t *skipped,
                   char *err, size_t errlen)
{
    struct api_list *l = api_list_new();
    if (l)
        api_list_feed(l, body, len);
    return api_list_end(l, out, n, skipped, err, errlen);
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
        snprintf(raw, sizeof raw, "%.*s", (int)(len < sizeof raw - 1 ? len : sizeof raw - 1), body);
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
