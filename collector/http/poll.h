/* HTTP with libcurl: one blocking request (login, discovery) and many concurrent GETs
 * (a pass). Bytes in, bytes out: nothing here parses JSON. */
#ifndef ETLHIST_POLL_H
#define ETLHIST_POLL_H

#include "failure.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define POLL_STATUS_CAP (64 * 1024)
#define POLL_LIST_CAP (16 * 1024 * 1024)

struct http_opts {
    long timeout_s;      /* per request */
    const char *ca_file; /* extra trust anchor, or NULL for the system's */
    const char *bearer;  /* token for "Authorization: Bearer", or NULL */
    size_t max_body;     /* larger bodies are refused */
    /* When set and nonzero (a signal arrived), requests in flight are abandoned within
     * about a second; NULL: never. */
    const volatile sig_atomic_t *cancel;
};

struct http_result {
    long http_code;       /* 0 when no response arrived */
    char error[160];      /* transport error, stable text (no timings), "" when none */
    enum failure failure; /* the class of that error; FAILURE_NONE when none */
    const char *body;
    size_t len;
    int64_t server_date; /* from the Date header; INT64_MIN when absent */
    long retry_after_s;  /* from a Retry-After header in seconds; -1 when absent */
    int64_t sent_ms;     /* poll_now_ms() when the request was handed to libcurl */
};

int http_global_init(void);
void http_global_cleanup(void);

/* One blocking request: GET, or POST of a JSON body when post_json is given. The body is
 * malloc'd into *body (free it). Returns 0 when a response arrived (any HTTP code). */
int http_request(const struct http_opts *o, const char *url, const char *post_json,
                 struct http_result *r, char **body);

/* Builds the URL of request i into buf. */
typedef void (*poll_url_fn)(void *ctx, size_t i, char *buf, size_t cap);
/* Receives the result of request i; r->body is valid only during the call. */
typedef void (*poll_done_fn)(void *ctx, size_t i, const struct http_result *r);

/* Runs n GETs with at most concurrency in flight over kept-alive connections. Requests not
 * finished by deadline_ms (monotonic, see poll_now_ms) are reported with an error. Returns 0,
 * or -1 when libcurl itself failed (then every unfinished request was reported). A cancel
 * (see struct http_opts) reports the unfinished requests as interrupted and returns 0. */
int poll_many(const struct http_opts *o, long concurrency, int64_t deadline_ms, size_t n,
              poll_url_fn url, poll_done_fn done, void *ctx);

/* The options of request i (its instance's token and CA file); timeout_s and cancel must be
 * those of the o given to poll_many_each. */
typedef const struct http_opts *(*poll_opts_fn)(void *ctx, size_t i);

/* poll_many where each request may go to another instance, with its own options, in the
 * same event loop (follow rounds over several instances). */
int poll_many_each(const struct http_opts *o, poll_opts_fn opts_of, long concurrency,
                   int64_t deadline_ms, size_t n, poll_url_fn url, poll_done_fn done, void *ctx);

/* The monotonic clock in milliseconds: deadlines, timeouts and waits, never dates. */
int64_t poll_now_ms(void);

/* Sleeps until the monotonic time when_ms; returns early once *cancel is set (cancel may be
 * NULL). */
void poll_sleep_until_ms(int64_t when_ms, const volatile sig_atomic_t *cancel);

#endif
