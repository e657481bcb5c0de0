/* etlhist.conf: one table of keys that parses, validates and prints (--print-config). */
#ifndef ETLHIST_CONFIG_H
#define ETLHIST_CONFIG_H

#include "silence.h"

#include <stddef.h>
#include <stdio.h>

#define CONFIG_DEFAULT_PATH "/etc/etlhist.conf"
#define CONFIG_NAME_MAX 64

struct instance_config {
    char name[CONFIG_NAME_MAX];
    char *url;
    char *token_file;
    char *portal_url;
    char *access_key_file;
    char *etls;
    char *ca_file;
    long allow_readable_secrets;
    char *tz; /* the server's time zone: a zoneinfo name or UTC; NULL when not set */
};

struct config {
    char *db;
    long interval;     /* seconds between passes */
    long concurrency;  /* requests in flight per instance */
    long timeout;      /* seconds per request */
    long pass_timeout; /* seconds for a whole pass; 0 means the interval */
    /* Follow (adaptive polling): seconds after a pass began during which RUNNING ETLs are
     * polled again every follow_interval. -1 until config_resolve_follow: not set, so the
     * default applies (off for one pass, on with --loop). */
    long follow;
    long follow_interval;
    long follow_asked;  /* what was asked (or the --loop default) before the cap */
    long follow_every;  /* the time between passes the cap was computed from */
    int follow_default; /* follow was not set: the default for one pass or --loop applies */
    struct instance_config *instances;
    size_t n_instances;
    /* [report] tz: the report's display zone when --tz is not given, kept as written; the
     * report checks it as it checks --tz (a POSIX TZ string is a zone too). NULL: not set. */
    char *report_tz;
    struct silence *silences; /* [silence NAME] sections, for the report */
    size_t n_silences;
};

/* Where the configuration file was found: config_path's answer. */
enum config_origin {
    CONFIG_FROM_OPTION, /* -c FILE */
    CONFIG_FROM_ENV,    /* $ETLHIST_CONFIG */
    CONFIG_FROM_DEFAULT /* CONFIG_DEFAULT_PATH */
};

/* The configuration file both programs read: option (-c FILE) when given, else
 * $ETLHIST_CONFIG when set and not empty, else CONFIG_DEFAULT_PATH. An empty ETLHIST_CONFIG
 * is the same as an unset one. *origin (may be NULL) says which applied. */
const char *config_path(const char *option, enum config_origin *origin);

/* Fills every key with its default (no instances). */
void config_defaults(struct config *cfg);
/* Reads an INI file over cfg; errors name file:line. A section or a key given twice is an
 * error. Returns 0 or -1. */
int config_load(struct config *cfg, const char *path);
/* A whole number written plainly, as every numeric key and option takes it: an optional
 * '-' then decimal digits, nothing else (no spaces, no '+'), from min to max. Returns 0,
 * or -1. */
int config_parse_long(const char *s, long min, long max, long *out);
/* Sets one key from a string, as a file line would; section is "collect", "report" or
 * "instance" (then instance names it).
 * Returns 0, or -1 with the cause in err. */
int config_set(struct config *cfg, const char *section, const char *instance, const char *key,
               const char *value, char *err, size_t errlen);
/* Checks cross-key rules: every instance has a usable url (no credentials, query or fragment
 * in it); need_instance: at least one instance (polling needs one, maintenance does not).
 * Returns 0, or -1 after logging. */
int config_validate(const struct config *cfg, int need_instance);
/* Fixes follow for a run whose passes start every_s seconds apart (loop: with --loop):
 * not set → 0 for one pass, every_s - timeout with --loop; then capped at every_s - timeout
 * so that the last follow request ends before the next pass is due. */
void config_resolve_follow(struct config *cfg, long every_s, int loop);
/* The cap itself: the longest follow that ends before the next pass (never negative). */
long config_follow_cap(long every_s, long timeout_s);
void config_print(const struct config *cfg, FILE *out);
struct instance_config *config_instance(struct config *cfg, const char *name, int create);
void config_free(struct config *cfg);

#endif
