#include "config.h"

#include "log.h"
#include "timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum key_type { KEY_STR, KEY_INT, KEY_BOOL, KEY_ZONE };
enum key_section { SEC_COLLECT, SEC_REPORT, SEC_INSTANCE };

struct key {
    enum key_section section;
    const char *name;
    enum key_type type;
    const char *def;
    long min, max;
    size_t offset; /* into struct config or struct instance_config */
};

#define C(field) offsetof(struct config, field)
#define I(field) offsetof(struct instance_config, field)

static const struct key keys[] = {
    {SEC_COLLECT, "db", KEY_STR, "/var/lib/etlhist/history.db", 0, 0, C(db)},
    {SEC_COLLECT, "interval", KEY_INT, "300", 10, 86400, C(interval)},
    {SEC_COLLECT, "concurrency", KEY_INT, "8", 1, 256, C(concurrency)},
    {SEC_COLLECT, "timeout", KEY_INT, "20", 1, 600, C(timeout)},
    {SEC_COLLECT, "pass_timeout", KEY_INT, "0", 0, 86400, C(pass_timeout)},
    {SEC_COLLECT, "follow", KEY_INT, NULL, 0, 86400, C(follow)}, /* default: see resolve */
    {SEC_COLLECT, "follow_interval", KEY_INT, "15", 5, 3600, C(follow_interval)},
    {SEC_REPORT, "tz", KEY_STR, NULL, 0, 0, C(report_tz)},
    {SEC_INSTANCE, "url", KEY_STR, NULL, 0, 0, I(url)},
    {SEC_INSTANCE, "token_file", KEY_STR, NULL, 0, 0, I(token_file)},
    {SEC_INSTANCE, "portal_url", KEY_STR, NULL, 0, 0, I(portal_url)},
    {SEC_INSTANCE, "access_key_file", KEY_STR, NULL, 0, 0, I(access_key_file)},
    {SEC_INSTANCE, "etls", KEY_STR, "all", 0, 0, I(etls)},
    {SEC_INSTANCE, "ca_file", KEY_STR, NULL, 0, 0, I(ca_file)},
    {SEC_INSTANCE, "allow_readable_secrets", KEY_BOOL, "no", 0, 1, I(allow_readable_secrets)},
    {SEC_INSTANCE, "tz", KEY_ZONE, NULL, 0, 0, I(tz)},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

int config_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    if (!isdigit((unsigned char)s[s[0] == '-'])) /* strtol would skip spaces and take '+' */
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int set_value(void *base, const struct key *k, const char *value, char *err, size_t errlen)
{
    /* A zone is kept as written once the zoneinfo database knows it; UTC needs no file. */
    if (k->type == KEY_ZONE && value && strcmp(value, "UTC") && !time_zone_file_exists(value)) {
        snprintf(err, errlen,
                 "%s: unknown time zone \"%s\" (expected a zoneinfo name such as "
                 "Europe/Berlin, or UTC)",
                 k->name, value);
        return -1;
    }
    if (k->type == KEY_STR || k->type == KEY_ZONE) {
        char **slot = (char **)((char *)base + k->offset);
        char *copy = value ? strdup(value) : NULL;
        if (value && !copy)
            return -1;
        free(*slot);
        *slot = copy;
        return 0;
    }
    long v;
    if (k->type == KEY_BOOL) {
        if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
            v = 1;
        else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
            v = 0;
        else {
            snprintf(err, errlen, "%s: expected yes or no, got \"%s\"", k->name, value);
            return -1;
        }
    } else {
        if (config_parse_long(value, k->min, k->max, &v)) {
            snprintf(err, errlen, "%s: expected an integer from %ld to %ld, got \"%s\"", k->name,
                     k->min, k->max, value);
            return -1;
        }
    }
    *(long *)((char *)base + k->offset) = v;
    return 0;
}

static void set_defaults(void *base, enum key_section section)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].section == section && keys[i].def)
            set_value(base, &keys[i], keys[i].def, NULL, 0);
}

const char *config_path(const char *option, enum config_origin *origin)
{
    const char *env = getenv("ETLHIST_CONFIG");
    enum config_origin from = option        ? CONFIG_FROM_OPTION
                              : env && *env ? CONFIG_FROM_ENV
                                            : CONFIG_FROM_DEFAULT;
    if (origin)
        *origin = from;
    return from == CONFIG_FROM_OPTION ? option
           : from == CONFIG_FROM_ENV  ? env
                                      : CONFIG_DEFAULT_PATH;
}

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    set_defaults(cfg, SEC_COLLECT);
    cfg->follow = cfg->follow_asked = -1;
}

long config_follow_cap(long every_s, long timeout_s)
{
    return every_s > timeout_s ? every_s - timeout_s : 0;
}

void config_resolve_follow(struct config *cfg, long every_s, int loop)
{
    long cap = config_follow_cap(every_s, cfg->timeout);
    cfg->follow_default = cfg->follow < 0;
    cfg->follow_asked = cfg->follow_default ? (loop ? cap : 0) : cfg->follow;
    cfg->follow_every = every_s;
    cfg->follow = cfg->follow_asked < cap ? cfg->follow_asked : cap;
}

/* Follow is printed with why it has the value it has: a default or a cap is not obvious. */
static void print_follow(const struct config *cfg, FILE *out)
{
    if (cfg->follow < 0) {
        fputs("; follow not set: off for one pass, interval - timeout with --loop\n"
              "follow = 0\n",
              out);
        return;
    }
    if (cfg->follow_default && cfg->follow > 0)
        fprintf(out,
                "; follow not set: with --loop it defaults to the time between passes "
                "(%ld s) minus timeout\n",
                cfg->follow_every);
    else if (cfg->follow_default)
        fputs("; follow not set: off for one pass (on by default with --loop)\n", out);
    else if (cfg->follow < cfg->follow_asked)
        fprintf(out,
                "; follow capped from %ld s: the next pass is due %ld s after this one "
                "began, and its last request may take timeout = %ld s\n",
                cfg->follow_asked, cfg->follow_every, cfg->timeout);
    fprintf(out, "follow = %ld\n", cfg->follow);
}

struct instance_config *config_instance(struct config *cfg, const char *name, int create)
{
    for (size_t i = 0; i < cfg->n_instances; i++)
        if (!strcmp(cfg->instances[i].name, name))
            return &cfg->instances[i];
    if (!create || strlen(name) >= CONFIG_NAME_MAX)
        return NULL;
    struct instance_config *grown = realloc(cfg->instances, (cfg->n_instances + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    cfg->instances = grown;
    struct instance_config *ic = &cfg->instances[cfg->n_instances++];
    memset(ic, 0, sizeof *ic);
    strcpy(ic->name, name);
    set_defaults(ic, SEC_INSTANCE);
    return ic;
}

int config_set(struct config *cfg, const char *section, const char *instance, const char *key,
               const char *value, char *err, size_t errlen)
{
    enum key_section sec = instance                         ? SEC_INSTANCE
                           : strcmp(section, "report") == 0 ? SEC_REPORT
                                                            : SEC_COLLECT;
    if (!instance && sec == SEC_COLLECT && strcmp(section, "collect") != 0) {
        snprintf(err, errlen,
                 "unknown section [%s] (expected [collect], [report], [instance NAME] or "
                 "[silence NAME])",
                 section);
        return -1;
    }
    for (size_t i = 0; i < N_KEYS; i++) {
        if (keys[i].section != sec || strcmp(keys[i].name, key) != 0)
            continue;
        void *base = cfg;
        if (instance && !(base = config_instance(cfg, instance, 1))) {
            snprintf(err, errlen, "bad instance name \"%s\"", instance);
            return -1;
        }
        return set_value(base, &keys[i], value, err, errlen);
    }
    snprintf(err, errlen, "unknown key \"%s\" in [%s]", key, section);
    return -1;
}

/* "instance prod" → "prod" for kind "instance"; NULL when the section is not of that kind. */
static const char *section_name(const char *section, const char *kind)
{
    size_t n = strlen(kind);
    if (strncmp(section, kind, n) != 0 || (section[n] != ' ' && section[n] != '\t'))
        return NULL;
    section += n;
    while (*section == ' ' || *section == '\t')
        section++;
    return section;
}

static const char *instance_name(const char *section)
{
    return section_name(section, "instance");
}

/* A [silence NAME] section begins on line: its silence is made there, so that one without
 * keys is still checked. Returns 0, or -1 when out of memory. */
static int add_silence(struct config *cfg, const char *name, int line)
{
    struct silence *v = realloc(cfg->silences, (cfg->n_silences + 1) * sizeof *v);
    if (!v)
        return -1;
    cfg->silences = v;
    memset(&v[cfg->n_silences], 0, sizeof *v);
    v[cfg->n_silences].line = line;
    if (!(v[cfg->n_silences].name = strdup(name)))
        return -1;
    cfg->n_silences++;
    return 0;
}

static struct silence *find_silence(struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_silences; i++)
        if (!strcmp(cfg->silences[i].name, name))
            return &cfg->silences[i];
    return NULL;
}

/* A section header or a key already met in the file, with the line it was on. */
struct seen {
    char *what; /* "[SECTION" or "SECTION]KEY", instance sections as "[instance NAME" */
    int line;
};

struct load_ctx {
    struct config *cfg;
    char err[320];
    FILE *file;
    int line, at_line_start;
    int dup_line; /* a duplicate section header stopped the parse there */
    struct seen *seen;
    size_t n_seen;
};

/* Records what, or returns the line it was first seen on (0: new, -1: out of memory). */
static int seen_before(struct load_ctx *ctx, const char *section, const char *key)
{
    char what[512];
    const char *inst = instance_name(section);
    if (inst)
        snprintf(what, sizeof what, "%sinstance %s%s%s", key ? "" : "[", inst, key ? "]" : "",
                 key ? key : "");
    else
        snprintf(what, sizeof what, "%s%s%s%s", key ? "" : "[", section, key ? "]" : "",
                 key ? key : "");
    for (size_t i = 0; i < ctx->n_seen; i++)
        if (!strcmp(ctx->seen[i].what, what))
            return ctx->seen[i].line;
    struct seen *grown = realloc(ctx->seen, (ctx->n_seen + 1) * sizeof *grown);
    if (!grown)
        return -1;
    ctx->seen = grown;
    if (!(grown[ctx->n_seen].what = strdup(what)))
        return -1;
    grown[ctx->n_seen++].line = ctx->line;
    return 0;
}

/* inih's reader: counts lines and stops the parse at a section header met before (inih
 * itself merges such sections without a word). */
static char *read_line(char *buf, int size, void *user)
{
    struct load_ctx *ctx = user;
    if (!fgets(buf, size, ctx->file))
        return NULL;
    if (!ctx->at_line_start)
        return buf; /* the rest of a line longer than buf */
    ctx->line++;
    ctx->at_line_start = strchr(buf, '\n') != NULL;
    const char *p = buf + strspn(buf, " \t"), *end = strchr(p, ']');
    if (*p != '[' || !end)
        return buf;
    char section[256];
    snprintf(section, sizeof section, "%.*s", (int)(end - p - 1), p + 1);
    int first = seen_before(ctx, section, NULL);
    const char *silence = section_name(section, "silence");
    if (first == 0 && silence && add_silence(ctx->cfg, silence, ctx->line)) {
        snprintf(ctx->err, sizeof ctx->err, "out of memory");
        ctx->dup_line = ctx->line;
        return NULL;
    }
    if (first == 0)
        return buf;
    ctx->dup_line = ctx->line;
    snprintf(ctx->err, sizeof ctx->err, "[%s] appears twice (first on line %d)", section, first);
    return NULL;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct load_ctx *ctx = user;
    char err[256];
    if (ctx->err[0])
        return 0; /* inih goes on after an error; the first one is reported */
    int first = seen_before(ctx, section, key);
    if (first) {
        snprintf(err, sizeof err,
                 first > 0 ? "key \"%s\" set twice (first on line %d)"
                           : "out of memory (key \"%s\")",
                 key, first);
        goto fail;
    }
    const char *silence_name = section_name(section, "silence");
    struct silence *silence = silence_name ? find_silence(ctx->cfg, silence_name) : NULL;
    if (silence && silence_set(silence, key, value, err, sizeof err) == 0)
        return 1;
    if (silence)
        goto fail;
    const char *inst = instance_name(section);
    if (inst && (!*inst || strspn(inst, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_.-") != strlen(inst))) {
        snprintf(err, sizeof err, "bad instance name \"%s\" (letters, digits, _ . - only)", inst);
        goto fail;
    }
    if (config_set(ctx->cfg, section, inst, key, value, err, sizeof err) == 0)
        return 1;
fail:
    snprintf(ctx->err, sizeof ctx->err, "[%s] %s", section, err);
    return 0;
}

int config_load(struct config *cfg, const char *path)
{
    struct load_ctx ctx = {.cfg = cfg, .at_line_start = 1};
    if (!(ctx.file = fopen(path, "r"))) {
        log_err("config %s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    int rc = ini_parse_stream(read_line, &ctx, on_key, &ctx);
    fclose(ctx.file);
    if (rc == 0 && ctx.dup_line)
        rc = ctx.dup_line;
    if (rc != 0)
        log_err("config %s:%d: %s", path, rc, ctx.err[0] ? ctx.err : "syntax error");
    for (size_t i = 0; rc == 0 && i < cfg->n_silences; i++) {
        if (silence_check(&cfg->silences[i], ctx.err, sizeof ctx.err) == 0)
            continue;
        log_err("config %s:%d: [silence %s] %s", path, cfg->silences[i].line, cfg->silences[i].name,
                ctx.err);
        rc = -1;
    }
    for (size_t i = 0; i < ctx.n_seen; i++)
        free(ctx.seen[i].what);
    free(ctx.seen);
    return rc == 0 ? 0 : -1;
}

/* Why a URL cannot be an instance's base, or NULL. Credentials are refused before anything
 * quotes the URL: they would end up in logs and in the database. */
static const char *url_problem(const char *url)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    if (memchr(host, '@', strcspn(host, "/?#")))
        return "must not carry user:password@ (a token comes from token_file, access_key_file "
               "or ETLHIST_TOKEN)";
    if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
        return "must start with https:// or http://";
    if (strchr(url, '?'))
        return "must not carry a ?query (etlhist appends the API path to it)";
    if (strchr(url, '#'))
        return "must not carry a #fragment (etlhist appends the API path to it)";
    return NULL;
}

/* Logs "instance NAME: KEY ...: URL" (the URL only when it holds no credentials). */
static int check_url(const struct instance_config *ic, const char *key, const char *url)
{
    const char *why = url_problem(url);
    if (!why)
        return 0;
    if (strchr(why, '@'))
        log_err("instance %s: %s %s", ic->name, key, why);
    else
        log_err("instance %s: %s %s: %s", ic->name, key, why, url);
    return -1;
}

int config_validate(const struct config *cfg, int need_instance)
{
    if (cfg->n_instances == 0 && need_instance) {
        log_err("no instance configured (add an [instance NAME] section, or use --url)");
        return -1;
    }
    for (size_t i = 0; i < cfg->n_instances; i++) {
        const struct instance_config *ic = &cfg->instances[i];
        if (!ic->url || !*ic->url) {
            log_err("instance %s: no url", ic->name);
            return -1;
        }
        if (check_url(ic, "url", ic->url) ||
            (ic->portal_url && check_url(ic, "portal_url", ic->portal_url)))
            return -1;
        if (ic->portal_url && !ic->access_key_file) {
            log_err("instance %s: portal_url needs access_key_file", ic->name);
            return -1;
        }
    }
    return 0;
}

static void print_value(FILE *out, const void *base, const struct key *k)
{
    const char *p = (const char *)base + k->offset;
    if (k->section == SEC_COLLECT && !strcmp(k->name, "follow")) {
        print_follow(base, out);
    } else if (k->type == KEY_STR || k->type == KEY_ZONE) {
        char *s = *(char *const *)p ? strdup(*(char *const *)p) : NULL;
        if (s) {
            log_clean(s); /* printed to a terminal, maybe */
            fprintf(out, "%s = %s\n", k->name, s);
        }
        free(s);
    } else if (k->type == KEY_BOOL) {
        fprintf(out, "%s = %s\n", k->name, *(const long *)p ? "yes" : "no");
    } else {
        fprintf(out, "%s = %ld\n", k->name, *(const long *)p);
    }
}

void config_print(const struct config *cfg, FILE *out)
{
    fprintf(out, "[collect]\n");
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].section == SEC_COLLECT)
            print_value(out, cfg, &keys[i]);
    if (cfg->report_tz) /* the section's one key: no heading over nothing */
        fprintf(out, "\n[report]\n");
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].section == SEC_REPORT)
            print_value(out, cfg, &keys[i]);
    for (size_t n = 0; n < cfg->n_instances; n++) {
        fprintf(out, "\n[instance %s]\n", cfg->instances[n].name);
        for (size_t i = 0; i < N_KEYS; i++)
            if (keys[i].section == SEC_INSTANCE)
                print_value(out, &cfg->instances[n], &keys[i]);
    }
}

static void free_strings(void *base, enum key_section section)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].section == section && (keys[i].type == KEY_STR || keys[i].type == KEY_ZONE)) {
            char **slot = (char **)((char *)base + keys[i].offset);
            free(*slot);
            *slot = NULL;
        }
}

void config_free(struct config *cfg)
{
    for (size_t n = 0; n < cfg->n_instances; n++)
        free_strings(&cfg->instances[n], SEC_INSTANCE);
    free(cfg->instances);
    for (size_t n = 0; n < cfg->n_silences; n++)
        silence_free(&cfg->silences[n]);
    free(cfg->silences);
    cfg->silences = NULL;
    cfg->n_silences = 0;
    free_strings(cfg, SEC_COLLECT);
    free_strings(cfg, SEC_REPORT);
    cfg->instances = NULL;
    cfg->n_instances = 0;
}
