#include "poll.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
    CURL *easy;
    size_t index;
    char *buf;
    size_t len, cap, max;
    int over_cap;
    int headers_done; /* the blank line that ends the headers arrived */
    int busy;
    int64_t sent_ms; /* poll_now_ms() when the request was handed to libcurl */
    const volatile sig_atomic_t *cancel;
    struct curl_slist *own_headers; /* when requests carry their own options */
    char url[1024];
    char curl_error[CURL_ERROR_SIZE];
};

int http_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_global_cleanup(void)
{
    curl_global_cleanup();
}

int64_t poll_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void poll_sleep_until_ms(int64_t when_ms, const volatile sig_atomic_t *cancel)
{
    int64_t now;
    while (!(cancel && *cancel) && (now = poll_now_ms()) < when_ms) {
        int64_t step = when_ms - now < 100 ? when_ms - now : 100;
        struct timespec ts = {0, (long)step * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Collects the body, refusing to grow past the cap (a hostile server cannot exhaust memory). */
static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    struct slot *s = user;
    size_t n = size * nmemb;
    if (n > s->max - s->len) {
        s->over_cap = 1;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *grown = realloc(s->buf, cap);
        if (!grown)
            return 0;
        s->buf = grown;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

/* A 204 may carry a body the server should not have sent; libcurl ignores it, and left on
 * a kept-alive connection it would poison the next response. Such connections are closed
 * after use. The status line is the first header line of each response. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
    struct slot *s = user;
    size_t n = size * nmemb;
    if (n <= 2 && (data[0] == '\r' || data[0] == '\n'))
        s->headers_done = 1;
    if (n > 12 && !strncmp(data, "HTTP/", 5)) {
        s->headers_done = 0; /* after a 1xx, another head follows */
        const char *sp = memchr(data, ' ', n);
        if (sp && sp + 4 <= data + n && !strncmp(sp + 1, "204", 3))
            curl_easy_setopt(s->easy, CURLOPT_FORBID_REUSE, 1L);
    }
    return n;
}

/* Called by libcurl about once a second even when nothing arrives: a signal aborts a
 * blocking request (login, the ETL list) without waiting for its timeout. */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const struct slot *s = user;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return s->cancel && *s->cancel;
}

static struct curl_slist *make_headers(const struct http_opts *o)
{
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, "Accept: application/json");
    if (o->bearer) {
        /* Lives only in this list: never logged (no CURLOPT_VERBOSE), never followed on a
         * redirect (FOLLOWLOCATION stays off). */
        size_t n = strlen(o->bearer) + 32;
        char *line = malloc(n);
        if (line) {
            snprintf(line, n, "Authorization: Bearer %s", o->bearer);
            h = curl_slist_append(h, line);
            memset(line, 0, n);
            free(line);
        }
    }
    return h;
}

static void setup_easy(CURL *e, const struct http_opts *o, struct curl_slist *headers,
                       struct slot *s)
{
    curl_easy_setopt(e, CURLOPT_URL, s->url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(e, CURLOPT_PRIVATE, s);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 0L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->curl_error);
    s->curl_error[0] = '\0';
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout_s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->timeout_s);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "etlhist/" ETLHIST_VERSION);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, s);
    s->cancel = o->cancel;
    if (o->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
    s->len = 0;
    s->over_cap = 0;
    s->headers_done = 0;
    s->max = o->max_body;
}

/* Transport errors as stable text, so identical failures compress into one sample. */
static void describe_error(CURLcode rc, const struct slot *s, long timeout_s, char *err, size_t cap)
{
    int tls = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
              rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM;
    if (rc == CURLE_WRITE_ERROR && s->over_cap)
        snprintf(err, cap, "response over %zu bytes", s->max);
    else if (rc == CURLE_SSL_CONNECT_ERROR && strstr(s->curl_error, "wrong version number"))
        snprintf(err, cap,
                 "TLS: the server does not speak TLS on this port (an https URL for a "
                 "plain-HTTP port? check the URL's scheme and port)");
    else if (rc == CURLE_PEER_FAILED_VERIFICATION && s->curl_error[0])
        snprintf(err, cap, "TLS: certificate not trusted (%.60s; a private CA: set ca_file)",
                 s->curl_error);
    else if (tls && s->curl_error[0]) /* says which check failed: issuer, name, expiry */
        snprintf(err, cap, "TLS: %.150s", s->curl_error);
    else if (rc == CURLE_COULDNT_RESOLVE_HOST)
        snprintf(err, cap, "%.40s: the URL's host name is not known to DNS",
                 curl_easy_strerror(rc));
    else if (rc == CURLE_COULDNT_CONNECT)
        snprintf(err, cap, "%.40s: nothing answers at the URL's host and port (is CO up there?)",
                 curl_easy_strerror(rc));
    else if (rc == CURLE_ABORTED_BY_CALLBACK)
        snprintf(err, cap, "interrupted by a signal");
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        snprintf(err, cap, "timeout after %ld s", timeout_s);
    else
        snprintf(err, cap, "%s", curl_easy_strerror(rc));
}

/* The class of a transport error (pass.error_class). */
static enum failure failure_of_curl(CURLcode rc, const struct slot *s)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return FAILURE_UNREACHABLE;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return FAILURE_TLS;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
        return FAILURE_SERVER;
    case CURLE_WRITE_ERROR:
        return s->over_cap ? FAILURE_SERVER : FAILURE_OTHER;
    default:
        return FAILURE_OTHER;
    }
}

static void fill_result(CURL *e, CURLcode rc, const struct slot *s, long timeout_s,
                        struct http_result *r)
{
    struct curl_header *h;
    memset(r, 0, sizeof *r);
    r->server_date = INT64_MIN;
    r->retry_after_s = -1;
    r->sent_ms = s->sent_ms;
    if (rc != CURLE_OK) {
        describe_error(rc, s, timeout_s, r->error, sizeof r->error);
        r->failure = failure_of_curl(rc, s);
        return;
    }
    if (!s->headers_done) { /* libcurl takes a head cut short for a whole one */
        snprintf(r->error, sizeof r->error, "connection closed in the middle of the headers");
        r->failure = FAILURE_UNREACHABLE;
        return;
    }
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->http_code);
    r->body = s->buf ? s->buf : "";
    r->len = s->len;
    if (curl_easy_header(e, "Date", 0, CURLH_HEADER, -1, &h) == CURLHE_OK) {
        time_t t = curl_getdate(h->value, NULL);
        if (t != -1)
            r->server_date = (int64_t)t;
    }
    curl_off_t wait;
    if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait >= 0 &&
        curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK)
        r->retry_after_s = (long)wait;
}

int http_request(const struct http_opts *o, const char *url, const char *post_json,
                 struct http_result *r, char **body)
{
    struct slot s = {0};
    CURL *e = curl_easy_init();
    struct curl_slist *headers = make_headers(o);
    *body = NULL;
    if (!e || !headers) {
        curl_easy_cleanup(e);
        curl_slist_free_all(headers);
        memset(r, 0, sizeof *r);
        snprintf(r->error, sizeof r->error, "out of memory");
        r->failure = FAILURE_OTHER;
        return -1;
    }
    snprintf(s.url, sizeof s.url, "%s", url);
    s.easy = e;
    setup_easy(e, o, headers, &s);
    s.sent_ms = poll_now_ms();
    if (post_json)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, post_json);
    CURLcode rc = curl_easy_perform(e);
    fill_result(e, rc, &s, o->timeout_s, r);
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    *body = s.buf;
    r->body = s.buf ? s.buf : "";
    return rc == CURLE_OK ? 0 : -1;
}

struct pool {
    CURLM *multi;
    struct slot *slots;
    long n_slots;
    const struct http_opts *o;
    struct curl_slist *headers;
    poll_url_fn url;
    poll_opts_fn opts_of; /* NULL: every request uses o */
    poll_done_fn done;
    void *ctx;
    size_t next, total, active;
};

static int start_next(struct pool *p, struct slot *s)
{
    if (p->next >= p->total)
        return 0;
    s->index = p->next++;
    p->url(p->ctx, s->index, s->url, sizeof s->url);
    const struct http_opts *o = p->o;
    struct curl_slist *headers = p->headers;
    if (p->opts_of) {
        /* The easy handle is idle here: its previous header list can go. */
        o = p->opts_of(p->ctx, s->index);
        curl_slist_free_all(s->own_headers);
        if (!(headers = s->own_headers = make_headers(o)))
            return -1;
    }
    setup_easy(s->easy, o, headers, s);
    s->sent_ms = poll_now_ms();
    if (curl_multi_add_handle(p->multi, s->easy) != CURLM_OK)
        return -1;
    s->busy = 1;
    p->active++;
    return 0;
}

static void report_error(struct pool *p, size_t index, const char *what, enum failure failure)
{
    struct http_result r = {0};
    r.server_date = INT64_MIN;
    r.retry_after_s = -1;
    r.sent_ms = poll_now_ms();
    r.failure = failure;
    snprintf(r.error, sizeof r.error, "%s", what);
    p->done(p->ctx, index, &r);
}

static int finish(struct pool *p, CURLMsg *msg)
{
    struct slot *s;
    struct http_result r;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
    fill_result(s->easy, msg->data.result, s, p->o->timeout_s, &r);
    curl_multi_remove_handle(p->multi, s->easy);
    s->busy = 0;
    p->active--;
    p->done(p->ctx, s->index, &r);
    return start_next(p, s);
}

/* Reports every request still in flight or not yet started, e.g. at the pass deadline,
 * so that no ETL of the pass goes unrecorded. */
static void abandon(struct pool *p, const char *why, enum failure failure)
{
    for (long i = 0; p->slots && i < p->n_slots; i++) {
        struct slot *s = &p->slots[i];
        if (!s->busy)
            continue;
        curl_multi_remove_handle(p->multi, s->easy);
        s->busy = 0;
        report_error(p, s->index, why, failure);
    }
    while (p->next < p->total)
        report_error(p, p->next++, why, failure);
}

static int run_pool(struct pool *p, int64_t deadline_ms)
{
    for (long i = 0; i < p->n_slots; i++)
        if (start_next(p, &p->slots[i]))
            return -1;
    while (p->active > 0) {
        int running, left;
        if (curl_multi_perform(p->multi, &running) != CURLM_OK)
            return -1;
        CURLMsg *msg;
        while ((msg = curl_multi_info_read(p->multi, &left)))
            if (msg->msg == CURLMSG_DONE && finish(p, msg))
                return -1;
        if (p->active == 0)
            break;
        if (poll_now_ms() >= deadline_ms)
            return 1;
        if (p->o->cancel && *p->o->cancel)
            return 2;
        if (curl_multi_poll(p->multi, NULL, 0, 100, NULL) != CURLM_OK)
            return -1;
    }
    return 0;
}

static int pool_init(struct pool *p, long concurrency)
{
    p->multi = curl_multi_init();
    p->headers = make_headers(p->o);
    p->n_slots = concurrency < (long)p->total ? concurrency : (long)p->total;
    p->slots = calloc(p->n_slots ? (size_t)p->n_slots : 1, sizeof *p->slots);
    if (!p->multi || !p->headers || !p->slots)
        return -1;
    curl_multi_setopt(p->multi, CURLMOPT_MAX_HOST_CONNECTIONS, concurrency);
    curl_multi_setopt(p->multi, CURLMOPT_MAXCONNECTS, concurrency);
    curl_multi_setopt(p->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    for (long i = 0; i < p->n_slots; i++)
        if (!(p->slots[i].easy = curl_easy_init()))
            return -1;
    return 0;
}

static void pool_free(struct pool *p)
{
    for (long i = 0; p->slots && i < p->n_slots; i++) {
        if (p->slots[i].easy) {
            curl_multi_remove_handle(p->multi, p->slots[i].easy);
            curl_easy_cleanup(p->slots[i].easy);
        }
        free(p->slots[i].buf);
        curl_slist_free_all(p->slots[i].own_headers);
    }
    free(p->slots);
    curl_slist_free_all(p->headers);
    if (p->multi)
        curl_multi_cleanup(p->multi);
}

int poll_many(const struct http_opts *o, long concurrency, int64_t deadline_ms, size_t n,
              poll_url_fn url, poll_done_fn done, void *ctx)
{
    return poll_many_each(o, NULL, concurrency, deadline_ms, n, url, done, ctx);
}

int poll_many_each(const struct http_opts *o, poll_opts_fn opts_of, long concurrency,
                   int64_t deadline_ms, size_t n, poll_url_fn url, poll_done_fn done, void *ctx)
{
    struct pool p = {.o = o, .url = url, .opts_of = opts_of, .done = done, .ctx = ctx, .total = n};
    int rc = -1;
    if (n == 0)
        return 0;
    if (pool_init(&p, concurrency) == 0)
        rc = run_pool(&p, deadline_ms);
    /* Past the deadline the server was too slow: a timeout, as libcurl's own would be. */
    if (rc != 0)
        abandon(&p,
                rc == 2  ? "interrupted by a signal"
                : rc > 0 ? "pass deadline exceeded"
                         : "HTTP client failure",
                rc > 0 && rc != 2 ? FAILURE_UNREACHABLE : FAILURE_OTHER);
    pool_free(&p);
    return rc < 0 ? -1 : 0;
}
