/* CO REST responses → structs. No I/O here: the network code hands bytes in. */
#ifndef ETLHIST_API_H
#define ETLHIST_API_H

#include "failure.h"

#include <stddef.h>
#include <stdint.h>

/* Sized for 10,000 ETLs a pass within a few MiB: statuses and exit codes are short words,
 * names are cut at a character boundary. */
#define API_STR_MAX 32
#define API_ERR_MAX 128
#define API_NAME_MAX 128

/* What one poll of one ETL saw: a status, or an error (error[0] != '\0'). */
struct observation {
    int64_t etl_id;
    char status[API_STR_MAX];    /* "NONE" for no value */
    char exit_code[API_STR_MAX]; /* "" when absent */
    int64_t last_exec_ts;        /* 0 when absent or unreadable */
    int last_exec_ts_unread;     /* sent but not a time: the status is kept without it */
    int64_t task_id;             /* -1 when absent */
    long http_code;              /* 0 when no HTTP response arrived */
    char error[API_ERR_MAX];
    enum failure failure; /* the class of error; FAILURE_NONE when it holds a status */
};

struct etl_info {
    int64_t etl_id;
    const char *name; /* "" when the list gives none */
};

/* Fills o (whose etl_id and http_code the caller set) from a status body. Any defect in the
 * body becomes o->error; returns 0 when o holds a status, -1 when it holds an error. */
int api_parse_status(const char *body, size_t len, struct observation *o);

/* Parses the ETL list. *out is one malloc'd block holding the entries and their names:
 * free(*out) releases both. Names are cut to API_NAME_MAX - 1 bytes at a character
 * boundary. Entries without a positive integer etl_id are left out and counted in
 * *skipped. Returns 0, or -1 with the cause in err. */
int api_parse_list(const char *body, size_t len, struct etl_info **out, size_t *n, size_t *skipped,
                   char *err, size_t errlen);

/* api_parse_list on a body that arrives in pieces, split anywhere: api_list_new, then
 * api_list_feed for each piece in order, then api_list_end. */
struct api_list;
struct api_list *api_list_new(void); /* NULL when out of memory */
/* Returns 0, or -1 once the body cannot be an ETL list: later pieces are ignored, and
 * api_list_end says why. */
int api_list_feed(struct api_list *l, const char *data, size_t len);
/* The body is complete: the results of api_parse_list. Frees l (which may be NULL: out of
 * memory). */
int api_list_end(struct api_list *l, struct etl_info **out, size_t *n, size_t *skipped, char *err,
                 size_t errlen);

/* Parses the login/refresh answer: {"json_web_token":"…","token":"…"}. Strings are malloc'd;
 * refresh may come back NULL. Returns 0 or -1. */
int api_parse_token(const char *body, size_t len, char **jwt, char **refresh);

/* Sets o->error from a printf format; keeps the first error if one is already there. */
void api_set_error(struct observation *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets o->error for a 403 from its body: CO answers in JSON (a missing permission); anything
 * else came from something in between (a proxy), and the error says so. */
void api_set_forbidden(struct observation *o, const char *body, size_t len);

/* Same payload or same error: the test for extending a sample. */
int observation_same(const struct observation *a, const struct observation *b);

#endif
