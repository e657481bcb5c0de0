/*
 * fakeco - fake BMC Helix Continuous Optimization REST server.
 *
 * Serves the handful of CO endpoints etlhist talks to (ETL status and
 * list, access-key login, token refresh) from a scenario file, with a
 * controllable clock and injectable faults, for tests, demos and
 * benchmarks.  See tests/fakeco/README.md.
 */
#include "scenario.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ETLS_PATH "/opt/api/v1/backend/etls"
#define LOGIN_PATH "/ims/api/v1/access_keys/login"
#define REFRESH_PATH "/ims/api/v1/auth/tokens"
#define CTL_PREFIX "/_ctl/"

#define JWT_TTL 900 /* seconds of server time */
#define REFRESH_TTL 86400
#define MAX_BODY 65536 /* request bodies are tiny JSON documents */
#define MAX_AUTH_SEEN 16
#define HANG_MS (3600 * 1000)
#define DRIP_MS 500
#define HUGE_PAD 200000
#define NEST_DEPTH 10000
#define CONN_LIMIT 20000u
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* ------------------------------------------------------------------ */
/* Server context: the only mutable state, passed to MHD as cls        */
/* ------------------------------------------------------------------ */

struct clock_src {
    pthread_mutex_t mu;
    const char *file;      /* --clock-file, NULL if none */
    bool ctl_set;          /* POST /_ctl/now overrides everything */
    int64_t ctl_now;       /* now at ctl_anchor_ns */
    int64_t ctl_rate;      /* 0: stands still; R: R seconds per real second */
    int64_t ctl_anchor_ns; /* CLOCK_REALTIME when ctl_now was set */
    bool cached;           /* value below matches the key below */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim;
    bool have_good;
    int64_t value; /* last good value read from the file */
    bool warned;
};

struct issued {
    int64_t expires; /* server time */
    uint64_t secret;
};

struct issued_vec {
    struct issued *v;
    size_t n;
    size_t cap;
};

/* Tokens are "<prefix><index>-<16 hex>", so lookup is an array index. */
struct tokens {
    pthread_mutex_t mu;
    uint64_t rng;
    struct issued_vec jwt;
    struct issued_vec refresh;
    size_t jwt_floor; /* jwts below this index were expired by /_ctl */
};

struct stats {
    atomic_ullong requests, status_requests, list_requests;
    atomic_ullong logins, refreshes, unauthorized;
    atomic_llong in_flight, max_in_flight;
    pthread_mutex_t mu; /* guards auth_seen */
    char *auth_seen[MAX_AUTH_SEEN];
    size_t n_auth_seen;
};

struct waiter {
    int64_t due_ms; /* CLOCK_MONOTONIC milliseconds */
    struct MHD_Connection *conn;
};

/* Resumes suspended connections when due, so delays never block MHD. */
struct ticker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct waiter *heap;
    size_t n;
    size_t cap;
    bool stopping;
    bool started;
    pthread_t thread;
};

struct server {
    struct fake_scenario *sc;
    struct clock_src clk;
    struct tokens tok;
    struct stats st;
    struct ticker tk;
    atomic_bool stopping;
    atomic_int parked;     /* suspended connections not yet re-entered */
    atomic_bool quiet_mhd; /* MHD's own messages only matter at startup */
    struct MHD_Daemon *daemon;
    char *huge_pad;
    int request_log; /* --request-log descriptor, -1 if none */
};

/* Per-request state, MHD's con_cls. */
struct req {
    struct server *srv;
    struct MHD_Connection *conn;
    char *body;
    size_t len;
    size_t cap;
    bool too_big;
    bool api; /* counted in stats (not /_ctl/) */
    bool parked;
    bool woke; /* resumed after a slow fault: answer normally */
    bool hang;
    int64_t now;        /* collector-side now */
    int64_t server_now; /* now + skew */
};

struct options {
    const char *scenario;
    const char *port_file;
    const char *clock_file;
    const char *request_log;
    const char *bind;
    struct in_addr addr; /* parsed --bind */
    long port;
    long threads;
};

/* ------------------------------------------------------------------ */
/* Utilities                                                           */
/* ------------------------------------------------------------------ */

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fmt_time(int64_t t, const char *fmt, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, n, fmt, &tm) == 0)
        snprintf(buf, n, "invalid-time");
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static bool etl_listed(const struct fake_etl *e, int64_t t)
{
    return !(e->has_deleted && t >= e->deleted);
}

static void mutex_init(pthread_mutex_t *mu)
{
    if (pthread_mutex_init(mu, NULL) != 0) {
        fprintf(stderr, "fakeco: pthread_mutex_init failed\n");
        exit(1);
    }
}

/* ------------------------------------------------------------------ */
/* Clock                                                               */
/* ------------------------------------------------------------------ */

static bool read_clock_file(const char *path, int64_t *out)
{
    char buf[64];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return false;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    while (n > 0 && strchr(" \t\r\n", buf[n - 1]) != NULL)
        n--;
    buf[n] = '\0';
    return scenario_parse_i64(buf, out) && *out >= -SCENARIO_TIME_MAX && *out <= SCENARIO_TIME_MAX;
}

/*
 * The cache is keyed by inode, size and mtime; a file modified within
 * the last two seconds is always re-read because a rewrite in the same
 * timestamp tick with the same length would otherwise go unnoticed.
 */
static bool clock_cache_hit(const struct clock_src *c, const struct stat *st)
{
    return c->cached && c->dev == st->st_dev && c->ino == st->st_ino && c->size == st->st_size &&
           c->mtim.tv_sec == st->st_mtim.tv_sec && c->mtim.tv_nsec == st->st_mtim.tv_nsec &&
           st->st_mtim.tv_sec < time(NULL) - 2;
}

static void clock_store(struct clock_src *c, const struct stat *st, int64_t v)
{
    c->cached = true;
    c->dev = st->st_dev;
    c->ino = st->st_ino;
    c->size = st->st_size;
    c->mtim = st->st_mtim;
    c->have_good = true;
    c->value = v;
    c->warned = false;
}

/* Keeps serving the last good value while a writer is mid-update. */
static int64_t clock_fallback(struct clock_src *c)
{
    int64_t v;

    pthread_mutex_lock(&c->mu);
    v = c->have_good ? c->value : (int64_t)time(NULL);
    if (!c->warned) {
        c->warned = true;
        fprintf(stderr,
                "fakeco: clock file %s: unreadable or not an integer, "
                "using %lld\n",
                c->file, (long long)v);
    }
    c->cached = false;
    pthread_mutex_unlock(&c->mu);
    return v;
}

static int64_t clock_file_now(struct clock_src *c)
{
    struct stat st;
    int64_t v;

    if (stat(c->file, &st) != 0)
        return clock_fallback(c);
    pthread_mutex_lock(&c->mu);
    if (clock_cache_hit(c, &st)) {
        v = c->value;
        pthread_mutex_unlock(&c->mu);
        return v;
    }
    pthread_mutex_unlock(&c->mu);
    if (!read_clock_file(c->file, &v))
        return clock_fallback(c);
    pthread_mutex_lock(&c->mu);
    clock_store(c, &st, v);
    pthread_mutex_unlock(&c->mu);
    return v;
}

static int64_t real_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The set clock at the real instant at_ns, in nanoseconds: it runs at
 * ctl_rate from (ctl_anchor_ns, ctl_now), or stands still at ctl_now. */
static int64_t ctl_clock_ns(const struct clock_src *c, int64_t at_ns)
{
    return c->ctl_now * 1000000000 + (at_ns - c->ctl_anchor_ns) * c->ctl_rate;
}

/* Whole seconds, rounded down (as time() rounds a running clock). */
static int64_t floor_s(int64_t ns)
{
    return ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
}

static int64_t clock_now(struct clock_src *c)
{
    int64_t v;
    bool set;

    pthread_mutex_lock(&c->mu);
    set = c->ctl_set;
    v = set ? floor_s(ctl_clock_ns(c, real_ns())) : 0;
    pthread_mutex_unlock(&c->mu);
    if (set)
        return v;
    if (c->file != NULL)
        return clock_file_now(c);
    return (int64_t)time(NULL);
}

/* Returns the real instant (CLOCK_REALTIME ns) at which the clock reads v. */
static int64_t clock_set(struct clock_src *c, bool set, int64_t v, int64_t rate)
{
    int64_t anchor = real_ns();

    pthread_mutex_lock(&c->mu);
    c->ctl_set = set;
    c->ctl_now = v;
    c->ctl_rate = rate;
    c->ctl_anchor_ns = anchor;
    pthread_mutex_unlock(&c->mu);
    return anchor;
}

/* ------------------------------------------------------------------ */
/* Issued tokens                                                       */
/* ------------------------------------------------------------------ */

static bool issue_token(struct tokens *tk, struct issued_vec *vec, const char *prefix,
                        int64_t expires, char *buf, size_t len)
{
    uint64_t secret;
    size_t idx;

    pthread_mutex_lock(&tk->mu);
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 256;
        struct issued *v = realloc(vec->v, cap * sizeof *v);

        if (v == NULL) {
            pthread_mutex_unlock(&tk->mu);
            return false;
        }
        vec->v = v;
        vec->cap = cap;
    }
    secret = splitmix64(&tk->rng);
    idx = vec->n++;
    vec->v[idx].expires = expires;
    vec->v[idx].secret = secret;
    pthread_mutex_unlock(&tk->mu);
    snprintf(buf, len, "%s%zu-%016llx", prefix, idx, (unsigned long long)secret);
    return true;
}

static bool split_token(const char *s, const char *prefix, size_t *idx, uint64_t *secret)
{
    size_t pl = strlen(prefix);
    unsigned long long i, x;
    char *end, *end2;

    if (strncmp(s, prefix, pl) != 0 || s[pl] < '0' || s[pl] > '9')
        return false;
    errno = 0;
    i = strtoull(s + pl, &end, 10);
    if (errno != 0 || *end != '-' || strlen(end + 1) != 16 ||
        strspn(end + 1, "0123456789abcdef") != 16)
        return false;
    x = strtoull(end + 1, &end2, 16);
    if (errno != 0 || *end2 != '\0' || i > SIZE_MAX)
        return false;
    *idx = (size_t)i;
    *secret = (uint64_t)x;
    return true;
}

static bool token_valid(struct tokens *tk, const struct issued_vec *vec, size_t floor,
                        const char *prefix, const char *s, int64_t now)
{
    size_t idx;
    uint64_t secret;
    bool ok;

    if (!split_token(s, prefix, &idx, &secret))
        return false;
    pthread_mutex_lock(&tk->mu);
    ok = idx < vec->n && idx >= floor && vec->v[idx].secret == secret && now < vec->v[idx].expires;
    pthread_mutex_unlock(&tk->mu);
    return ok;
}

static bool jwt_valid(struct tokens *tk, const char *s, int64_t now)
{
    size_t floor;

    pthread_mutex_lock(&tk->mu);
    floor = tk->jwt_floor;
    pthread_mutex_unlock(&tk->mu);
    return token_valid(tk, &tk->jwt, floor, "jwt-", s, now);
}

static void expire_jwts(struct tokens *tk)
{
    pthread_mutex_lock(&tk->mu);
    tk->jwt_floor = tk->jwt.n;
    pthread_mutex_unlock(&tk->mu);
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

static void note_auth_header(struct stats *st, const char *h)
{
    size_t i;

    pthread_mutex_lock(&st->mu);
    for (i = 0; i < st->n_auth_seen; i++)
        if (strcmp(st->auth_seen[i], h) == 0)
            break;
    if (i == st->n_auth_seen && i < MAX_AUTH_SEEN && (st->auth_seen[i] = strdup(h)) != NULL)
        st->n_auth_seen++;
    pthread_mutex_unlock(&st->mu);
}

static void note_in_flight(struct stats *st)
{
    long long cur = atomic_fetch_add(&st->in_flight, 1) + 1;
    long long max = atomic_load(&st->max_in_flight);

    while (cur > max && !atomic_compare_exchange_weak(&st->max_in_flight, &max, cur))
        ;
}

/* Counts by URL at the first callback, so retries after resume don't. */
static void count_request(struct stats *st, const char *url)
{
    size_t pl = strlen(ETLS_PATH "/");
    size_t ul = strlen(url);

    atomic_fetch_add(&st->requests, 1);
    if (strcmp(url, ETLS_PATH) == 0 || strcmp(url, ETLS_PATH "/") == 0)
        atomic_fetch_add(&st->list_requests, 1);
    else if (strncmp(url, ETLS_PATH "/", pl) == 0 && ul > pl + 7 &&
             strcmp(url + ul - 7, "/status") == 0)
        atomic_fetch_add(&st->status_requests, 1);
    else if (strcmp(url, LOGIN_PATH) == 0)
        atomic_fetch_add(&st->logins, 1);
    else if (strcmp(url, REFRESH_PATH) == 0)
        atomic_fetch_add(&st->refreshes, 1);
}

static void reset_stats(struct stats *st)
{
    size_t i;

    atomic_store(&st->requests, 0);
    atomic_store(&st->status_requests, 0);
    atomic_store(&st->list_requests, 0);
    atomic_store(&st->logins, 0);
    atomic_store(&st->refreshes, 0);
    atomic_store(&st->unauthorized, 0);
    atomic_store(&st->max_in_flight, atomic_load(&st->in_flight));
    pthread_mutex_lock(&st->mu);
    for (i = 0; i < st->n_auth_seen; i++)
        free(st->auth_seen[i]);
    st->n_auth_seen = 0;
    pthread_mutex_unlock(&st->mu);
}

static void add_count(struct json_object *o, const char *k, unsigned long long v)
{
    json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static struct json_object *stats_obj(struct stats *st)
{
    struct json_object *o = json_object_new_object();
    struct json_object *seen = json_object_new_array();
    size_t i;

    add_count(o, "requests", atomic_load(&st->requests));
    add_count(o, "status_requests", atomic_load(&st->status_requests));
    add_count(o, "list_requests", atomic_load(&st->list_requests));
    add_count(o, "logins", atomic_load(&st->logins));
    add_count(o, "refreshes", atomic_load(&st->refreshes));
    add_count(o, "unauthorized", atomic_load(&st->unauthorized));
    add_count(o, "max_in_flight", (unsigned long long)atomic_load(&st->max_in_flight));
    pthread_mutex_lock(&st->mu);
    for (i = 0; i < st->n_auth_seen; i++)
        json_object_array_add(seen, json_object_new_string(st->auth_seen[i]));
    pthread_mutex_unlock(&st->mu);
    json_object_object_add(o, "auth_headers_seen", seen);
    return o;
}

/* ------------------------------------------------------------------ */
/* Ticker: timed resumption of suspended connections                   */
/* ------------------------------------------------------------------ */

static void heap_swap(struct waiter *h, size_t a, size_t b)
{
    struct waiter t = h[a];

    h[a] = h[b];
    h[b] = t;
}

static void heap_up(struct waiter *h, size_t i)
{
    while (i > 0 && h[(i - 1) / 2].due_ms > h[i].due_ms) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(struct waiter *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;

        if (l < n && h[l].due_ms < h[m].due_ms)
            m = l;
        if (l + 1 < n && h[l + 1].due_ms < h[m].due_ms)
            m = l + 1;
        if (m == i)
            return;
        heap_swap(h, i, m);
        i = m;
    }
}

static struct MHD_Connection *heap_pop(struct ticker *tk)
{
    struct MHD_Connection *c = tk->heap[0].conn;

    tk->heap[0] = tk->heap[--tk->n];
    heap_down(tk->heap, tk->n, 0);
    return c;
}

static bool heap_reserve(struct ticker *tk)
{
    size_t cap;
    struct waiter *h;

    if (tk->n < tk->cap)
        return true;
    cap = tk->cap ? tk->cap * 2 : 64;
    h = realloc(tk->heap, cap * sizeof *h);
    if (h == NULL)
        return false;
    tk->heap = h;
    tk->cap = cap;
    return true;
}

/*
 * Suspends `conn` until due_ms.  Suspension and registration happen under
 * the ticker lock so the ticker can never resume a connection that is not
 * yet suspended, and nothing is parked once shutdown has begun.
 */
static bool park(struct server *srv, struct MHD_Connection *conn, int64_t due_ms)
{
    struct ticker *tk = &srv->tk;

    pthread_mutex_lock(&tk->mu);
    if (tk->stopping || !heap_reserve(tk)) {
        pthread_mutex_unlock(&tk->mu);
        return false;
    }
    MHD_suspend_connection(conn);
    tk->heap[tk->n].due_ms = due_ms;
    tk->heap[tk->n].conn = conn;
    heap_up(tk->heap, tk->n++);
    atomic_fetch_add(&srv->parked, 1);
    pthread_cond_signal(&tk->cv);
    pthread_mutex_unlock(&tk->mu);
    return true;
}

static void unpark(struct server *srv, bool *parked)
{
    if (*parked) {
        *parked = false;
        atomic_fetch_sub(&srv->parked, 1);
    }
}

static void wait_until_ms(struct ticker *tk, int64_t due_ms)
{
    struct timespec ts;

    ts.tv_sec = (time_t)(due_ms / 1000);
    ts.tv_nsec = (long)(due_ms % 1000) * 1000000L;
    pthread_cond_timedwait(&tk->cv, &tk->mu, &ts);
}

static void *ticker_main(void *arg)
{
    struct ticker *tk = arg;

    pthread_mutex_lock(&tk->mu);
    while (!tk->stopping) {
        if (tk->n == 0)
            pthread_cond_wait(&tk->cv, &tk->mu);
        else if (tk->heap[0].due_ms <= mono_ms())
            MHD_resume_connection(heap_pop(tk));
        else
            wait_until_ms(tk, tk->heap[0].due_ms);
    }
    /* shutdown: MHD_stop_daemon must not find suspended connections */
    while (tk->n > 0)
        MHD_resume_connection(heap_pop(tk));
    pthread_mutex_unlock(&tk->mu);
    return NULL;
}

static bool ticker_start(struct ticker *tk)
{
    pthread_condattr_t ca;

    mutex_init(&tk->mu);
    if (pthread_condattr_init(&ca) != 0 || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&tk->cv, &ca) != 0)
        return false;
    pthread_condattr_destroy(&ca);
    if (pthread_create(&tk->thread, NULL, ticker_main, tk) != 0)
        return false;
    tk->started = true;
    return true;
}

static void ticker_stop(struct ticker *tk)
{
    if (!tk->started)
        return;
    pthread_mutex_lock(&tk->mu);
    tk->stopping = true;
    pthread_cond_signal(&tk->cv);
    pthread_mutex_unlock(&tk->mu);
    pthread_join(tk->thread, NULL);
    tk->started = false;
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

/* Adds Date (server clock) and queues; consumes resp. */
static enum MHD_Result send_response(struct req *r, unsigned code, struct MHD_Response *resp)
{
    char date[64];
    enum MHD_Result ret;

    if (resp == NULL)
        return MHD_NO;
    fmt_time(r->server_now, "%a, %d %b %Y %H:%M:%S GMT", date, sizeof date);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_DATE, date);
    ret = MHD_queue_response(r->conn, code, resp);
    MHD_destroy_response(resp);
    return ret;
}

static struct MHD_Response *bytes_response(const char *buf, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)buf, MHD_RESPMEM_MUST_COPY);

    if (resp != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    return resp;
}

/* Serialises and releases obj. */
static struct MHD_Response *json_response(struct json_object *obj)
{
    struct MHD_Response *resp = NULL;
    size_t len;
    const char *s;

    if (obj == NULL)
        return NULL;
    s = json_object_to_json_string_length(obj, JSON_FLAGS, &len);
    if (s != NULL)
        resp = bytes_response(s, len);
    json_object_put(obj);
    return resp;
}

static enum MHD_Result send_json(struct req *r, unsigned code, struct json_object *obj)
{
    return send_response(r, code, json_response(obj));
}

static struct json_object *message_obj(const char *msg)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "message", json_object_new_string(msg));
    return o;
}

static enum MHD_Result send_message(struct req *r, unsigned code, const char *msg)
{
    return send_json(r, code, message_obj(msg));
}

static enum MHD_Result send_unauthorized(struct req *r)
{
    atomic_fetch_add(&r->srv->st.unauthorized, 1);
    return send_message(r, MHD_HTTP_UNAUTHORIZED, "Unauthorized");
}

static enum MHD_Result send_fault_code(struct req *r, int code)
{
    struct MHD_Response *resp = json_response(message_obj("Error"));

    if (resp != NULL && code == MHD_HTTP_TOO_MANY_REQUESTS)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    return send_response(r, (unsigned)code, resp);
}

static enum MHD_Result send_204(struct req *r)
{
    return send_response(r, MHD_HTTP_NO_CONTENT,
                         MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT));
}

/* Valid JSON that is NEST_DEPTH arrays deep: exercises parser limits. */
static enum MHD_Result send_nested(struct req *r)
{
    char *buf = malloc(2 * NEST_DEPTH);

    if (buf == NULL)
        return MHD_NO;
    memset(buf, '[', NEST_DEPTH);
    memset(buf + NEST_DEPTH, ']', NEST_DEPTH);
    return send_response(
        r, MHD_HTTP_OK,
        MHD_create_response_from_buffer(2 * NEST_DEPTH, buf, MHD_RESPMEM_MUST_FREE));
}

/* First half of the serialised object, announced with its own length. */
static enum MHD_Result send_cut(struct req *r, struct json_object *obj)
{
    size_t len;
    const char *s = json_object_to_json_string_length(obj, JSON_FLAGS, &len);
    struct MHD_Response *resp = s ? bytes_response(s, len / 2) : NULL;

    json_object_put(obj);
    return send_response(r, MHD_HTTP_OK, resp);
}

/* A body owned by a callback response (truncated and drip faults). */
struct stream {
    struct server *srv;
    struct MHD_Connection *conn;
    char *data;
    size_t len;
    size_t limit;    /* truncated: bytes sent before the error */
    int64_t next_ms; /* drip: when the next byte may go out */
    bool parked;
};

static void stream_free(void *cls)
{
    struct stream *s = cls;

    free(s->data);
    free(s);
}

static struct stream *stream_new(struct req *r, struct json_object *obj)
{
    struct stream *s = calloc(1, sizeof *s);
    size_t len = 0;
    const char *txt = obj ? json_object_to_json_string_length(obj, JSON_FLAGS, &len) : NULL;

    if (s != NULL && txt != NULL && (s->data = malloc(len + 1)) != NULL) {
        memcpy(s->data, txt, len);
        s->len = len;
        s->srv = r->srv;
        s->conn = r->conn;
        json_object_put(obj);
        return s;
    }
    free(s);
    json_object_put(obj);
    return NULL;
}

static ssize_t truncated_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    size_t n;

    /* the announced Content-Length is never reached: MHD drops the socket */
    if (pos >= s->limit)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    n = s->limit - (size_t)pos < max ? s->limit - (size_t)pos : max;
    memcpy(buf, s->data + pos, n);
    return (ssize_t)n;
}

static enum MHD_Result send_truncated(struct req *r, struct json_object *obj)
{
    struct stream *s = stream_new(r, obj);
    struct MHD_Response *resp;

    if (s == NULL)
        return MHD_NO;
    s->limit = s->len / 2;
    resp = MHD_create_response_from_callback(s->len, 4096, truncated_read, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    return send_response(r, MHD_HTTP_OK, resp);
}

/* One byte per DRIP_MS; between bytes the connection is suspended. */
static ssize_t drip_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    int64_t now = mono_ms();

    unpark(s->srv, &s->parked);
    if (atomic_load(&s->srv->stopping) || pos >= s->len || max == 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (now >= s->next_ms) {
        buf[0] = s->data[pos];
        s->next_ms = now + DRIP_MS;
        return 1;
    }
    if (!park(s->srv, s->conn, s->next_ms))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    s->parked = true;
    return 0;
}

static enum MHD_Result send_drip(struct req *r, struct json_object *obj)
{
    struct stream *s = stream_new(r, obj);
    struct MHD_Response *resp;

    if (s == NULL)
        return MHD_NO;
    resp = MHD_create_response_from_callback(s->len, 1, drip_read, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    return send_response(r, MHD_HTTP_OK, resp);
}

/* Suspends the request; the handler runs again when the ticker resumes it. */
static enum MHD_Result park_request(struct req *r, int64_t delay_ms)
{
    if (!park(r->srv, r->conn, mono_ms() + delay_ms))
        return MHD_NO;
    r->parked = true;
    return MHD_YES;
}

/* ------------------------------------------------------------------ */
/* Bodies of the two data endpoints                                    */
/* ------------------------------------------------------------------ */

static void add_iso(struct json_object *o, const char *key, int64_t t)
{
    char buf[64];

    fmt_time(t, "%Y-%m-%dT%H:%M:%SZ", buf, sizeof buf);
    json_object_object_add(o, key, json_object_new_string(buf));
}

static struct json_object *status_obj(const struct fake_state *st)
{
    struct json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    if (st->status_kind == FAKE_STATUS_VALUE)
        json_object_object_add(o, "status", json_object_new_string(st->status));
    else if (st->status_kind == FAKE_STATUS_NULL)
        json_object_object_add(o, "status", NULL);
    else if (st->status_kind == FAKE_STATUS_EMPTY)
        json_object_object_add(o, "status", json_object_new_string(""));
    json_object_object_add(o, "task_id", json_object_new_int64(st->task_id));
    if (st->exit_code != NULL)
        json_object_object_add(o, "exit_code", json_object_new_string(st->exit_code));
    if (st->has_last_exec)
        add_iso(o, "last_exec_ts", st->last_exec_ts);
    return o;
}

static struct json_object *etl_entry(const struct fake_etl *e)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "name", json_object_new_string(e->name));
    json_object_object_add(o, "etl_id", json_object_new_int64(e->id));
    json_object_object_add(o, "run_configurations", json_object_new_array());
    return o;
}

static struct json_object *list_obj(const struct fake_scenario *sc, int64_t t)
{
    struct json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; a != NULL && i < sc->n_etls; i++)
        if (etl_listed(&sc->etls[i], t))
            json_object_array_add(a, etl_entry(&sc->etls[i]));
    return a;
}

static struct json_object *padding(const struct server *srv)
{
    return json_object_new_string_len(srv->huge_pad, HUGE_PAD);
}

static const char bad_utf8[] = "EN\xC3\x28\xFF\xFE"
                               "DED";

/* Applies the faults that tweak an otherwise normal status body. */
static void tweak_status(const struct server *srv, struct json_object *o, enum fake_fault_kind k)
{
    if (k == FAKE_FAULT_UNKNOWNSTATUS)
        json_object_object_add(o, "status", json_object_new_string("PAUSED_BY_ADMIN"));
    else if (k == FAKE_FAULT_BADUTF8)
        json_object_object_add(o, "status", json_object_new_string(bad_utf8));
    else if (k == FAKE_FAULT_HUGE)
        json_object_object_add(o, "padding", padding(srv));
}

/* The list has no status: bad UTF-8 and padding go into the first entry. */
static void tweak_list(const struct server *srv, struct json_object *a, enum fake_fault_kind k)
{
    struct json_object *first;

    if (k != FAKE_FAULT_BADUTF8 && k != FAKE_FAULT_HUGE)
        return;
    if (json_object_array_length(a) == 0)
        json_object_array_add(a, json_object_new_object());
    first = json_object_array_get_idx(a, 0);
    if (k == FAKE_FAULT_BADUTF8)
        json_object_object_add(first, "name", json_object_new_string(bad_utf8));
    else
        json_object_object_add(first, "padding", padding(srv));
}

static struct json_object *wrongtypes_status(void)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "status", json_object_new_int(42));
    json_object_object_add(o, "task_id", json_object_new_string("x"));
    json_object_object_add(o, "exit_code", json_object_new_array());
    json_object_object_add(o, "last_exec_ts", json_object_new_boolean(1));
    return o;
}

static struct json_object *wrongtypes_list(void)
{
    struct json_object *a = json_object_new_array();
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "name", json_object_new_int(42));
    json_object_object_add(o, "etl_id", json_object_new_string("x"));
    json_object_object_add(o, "run_configurations", json_object_new_object());
    json_object_array_add(a, o);
    return a;
}

/* What a data endpoint would normally answer; NULL etl means the list. */
static struct json_object *normal_body(struct req *r, const struct fake_etl *e,
                                       enum fake_fault_kind k)
{
    struct fake_state st;
    struct json_object *o;

    if (e == NULL) {
        o = list_obj(r->srv->sc, r->server_now);
        if (o != NULL)
            tweak_list(r->srv, o, k);
        return o;
    }
    scenario_state(e, r->server_now, &st);
    o = status_obj(&st);
    if (o != NULL)
        tweak_status(r->srv, o, k);
    return o;
}

/* Faults that need no normal body; returns true when it answered. */
static bool serve_bodiless_fault(struct req *r, const struct fake_fault *f, bool is_list,
                                 enum MHD_Result *ret)
{
    switch (f->kind) {
    case FAKE_FAULT_SLOW:
        *ret = park_request(r, f->delay_ms);
        return true;
    case FAKE_FAULT_HANG:
        r->hang = true;
        *ret = park_request(r, HANG_MS);
        return true;
    case FAKE_FAULT_CLOSE:
        *ret = MHD_NO; /* MHD closes the socket without a response */
        return true;
    case FAKE_FAULT_HTTP:
        *ret = send_fault_code(r, f->http_code);
        return true;
    case FAKE_FAULT_EMPTY204:
        *ret = send_204(r);
        return true;
    case FAKE_FAULT_NESTED:
        *ret = send_nested(r);
        return true;
    case FAKE_FAULT_WRONGTYPES:
        *ret = send_json(r, MHD_HTTP_OK, is_list ? wrongtypes_list() : wrongtypes_status());
        return true;
    default:
        return false;
    }
}

/* --request-log: "NOW ID" per answered status request, NOW the
 * collector-side second the answer was computed for (a parked slow request
 * is logged when it answers). One write per line, so threads never mix
 * lines. */
static void log_status_request(struct req *r, int64_t id)
{
    char line[96];
    int n;

    if (r->srv->request_log < 0)
        return;
    n = snprintf(line, sizeof line, "%lld %lld\n", (long long)r->now, (long long)id);
    if (n > 0 && (size_t)n < sizeof line && write(r->srv->request_log, line, (size_t)n) != n)
        fprintf(stderr, "fakeco: request log: write failed\n");
}

static enum MHD_Result serve_data(struct req *r, const struct fake_fault *f,
                                  const struct fake_etl *e)
{
    enum fake_fault_kind k = FAKE_FAULT_NONE;
    enum MHD_Result ret;
    struct json_object *body;

    /* a slow request that woke up answers normally */
    bool active = !r->woke && scenario_fault_active(f, r->server_now);
    if (e != NULL && !(active && (f->kind == FAKE_FAULT_SLOW || f->kind == FAKE_FAULT_HANG)))
        log_status_request(r, e->id);
    if (active) {
        if (serve_bodiless_fault(r, f, e == NULL, &ret))
            return ret;
        k = f->kind;
    }
    body = normal_body(r, e, k);
    if (body == NULL)
        return MHD_NO;
    if (k == FAKE_FAULT_MALFORMED)
        return send_cut(r, body);
    if (k == FAKE_FAULT_TRUNCATED)
        return send_truncated(r, body);
    if (k == FAKE_FAULT_DRIP)
        return send_drip(r, body);
    return send_json(r, MHD_HTTP_OK, body);
}

/* ------------------------------------------------------------------ */
/* Routes                                                              */
/* ------------------------------------------------------------------ */

static bool authorized(struct req *r)
{
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *tok;
    const struct fake_scenario *sc = r->srv->sc;

    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return false;
    tok = h + 7;
    while (*tok == ' ')
        tok++;
    if (*tok == '\0')
        return false;
    if (sc->token != NULL && strcmp(tok, sc->token) == 0)
        return true;
    return jwt_valid(&r->srv->tok, tok, r->server_now);
}

/* "{id}/status" -> status of that ETL; anything non-numeric is a 400. */
static enum MHD_Result handle_status(struct req *r, const char *rest)
{
    char idbuf[32];
    size_t n = strlen(rest) - strlen("/status");
    const struct fake_etl *e;
    struct fake_state st;
    int64_t id;

    if (n >= sizeof idbuf)
        return send_message(r, MHD_HTTP_BAD_REQUEST, "ETL not found");
    memcpy(idbuf, rest, n);
    idbuf[n] = '\0';
    if (!scenario_parse_i64(idbuf, &id) || (e = scenario_find(r->srv->sc, id)) == NULL ||
        scenario_state(e, r->server_now, &st) != 0) {
        log_status_request(r, id);
        return send_message(r, MHD_HTTP_BAD_REQUEST, "ETL not found");
    }
    return serve_data(r, &e->fault, e);
}

static bool is_status_path(const char *rest)
{
    size_t n = strlen(rest);
    const char *slash;

    if (n <= strlen("/status") || strcmp(rest + n - 7, "/status") != 0)
        return false;
    slash = strchr(rest, '/');
    return slash == rest + n - 7 && n > 7;
}

/* rest = URL after ETLS_PATH */
static enum MHD_Result route_etls(struct req *r, const char *rest, const char *method)
{
    bool list = rest[0] == '\0' || strcmp(rest, "/") == 0;
    bool status = rest[0] == '/' && is_status_path(rest + 1);

    if (!list && !status)
        return send_message(r, MHD_HTTP_NOT_FOUND, "Not found");
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return send_message(r, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed");
    if (!r->woke && !authorized(r))
        return send_unauthorized(r);
    if (list)
        return serve_data(r, &r->srv->sc->list_fault, NULL);
    return handle_status(r, rest + 1);
}

static struct json_object *parse_body(const struct req *r)
{
    struct json_tokener *tok = json_tokener_new();
    struct json_object *o;

    if (tok == NULL || r->len == 0)
        o = NULL;
    else
        o = json_tokener_parse_ex(tok, r->body, (int)r->len);
    if (tok != NULL && o != NULL && json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(o);
        o = NULL;
    }
    if (tok != NULL)
        json_tokener_free(tok);
    if (o != NULL && !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = NULL;
    }
    return o;
}

static bool field_is(struct json_object *o, const char *key, const char *want)
{
    struct json_object *v;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) &&
           strcmp(json_object_get_string(v), want) == 0;
}

static enum MHD_Result send_tokens(struct req *r, const char *refresh)
{
    struct server *srv = r->srv;
    char jwt[64], rt[64];
    struct json_object *o;

    if (!issue_token(&srv->tok, &srv->tok.jwt, "jwt-", r->server_now + JWT_TTL, jwt, sizeof jwt))
        return MHD_NO;
    if (refresh == NULL && !issue_token(&srv->tok, &srv->tok.refresh, "rt-",
                                        r->server_now + REFRESH_TTL, rt, sizeof rt))
        return MHD_NO;
    o = json_object_new_object();
    json_object_object_add(o, "json_web_token", json_object_new_string(jwt));
    json_object_object_add(o, "token", json_object_new_string(refresh ? refresh : rt));
    return send_json(r, MHD_HTTP_OK, o);
}

static enum MHD_Result handle_login(struct req *r)
{
    const struct fake_scenario *sc = r->srv->sc;
    struct json_object *body = parse_body(r);
    bool ok;

    if (body == NULL)
        return send_message(r, MHD_HTTP_BAD_REQUEST, "Bad request");
    ok = sc->has_keys && field_is(body, "tenant_id", sc->tenant_id) &&
         field_is(body, "access_key", sc->access_key) &&
         field_is(body, "access_secret_key", sc->access_secret_key);
    json_object_put(body);
    return ok ? send_tokens(r, NULL) : send_unauthorized(r);
}

/* The refresh token is returned unchanged: it keeps its original expiry. */
static enum MHD_Result handle_refresh(struct req *r)
{
    struct server *srv = r->srv;
    struct json_object *body = parse_body(r), *v;
    enum MHD_Result ret;

    if (body == NULL)
        return send_message(r, MHD_HTTP_BAD_REQUEST, "Bad request");
    if (json_object_object_get_ex(body, "token", &v) && json_object_is_type(v, json_type_string) &&
        token_valid(&srv->tok, &srv->tok.refresh, 0, "rt-", json_object_get_string(v),
                    r->server_now))
        ret = send_tokens(r, json_object_get_string(v));
    else
        ret = send_unauthorized(r);
    json_object_put(body);
    return ret;
}

static struct json_object *now_obj(int64_t now)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "now", json_object_new_int64(now));
    return o;
}

/* An optional integer query argument in [lo, hi]; false when malformed. */
static bool query_i64(struct req *r, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

    return s == NULL || (scenario_parse_i64(s, out) && *out >= lo && *out <= hi);
}

/* GET /_ctl/now[?real_ns=N]: with real_ns, what a running set clock reads
 * at that real instant, to the nanosecond (for checking another clock). */
static enum MHD_Result ctl_get_now(struct req *r)
{
    struct clock_src *c = &r->srv->clk;
    int64_t at = INT64_MIN, ns;
    struct json_object *o;

    if (!query_i64(r, "real_ns", 0, INT64_MAX, &at))
        return send_message(r, MHD_HTTP_BAD_REQUEST, "real_ns must be a non-negative integer");
    if (at == INT64_MIN)
        return send_json(r, MHD_HTTP_OK, now_obj(r->now));
    pthread_mutex_lock(&c->mu);
    bool set = c->ctl_set;
    ns = set ? ctl_clock_ns(c, at) : 0;
    pthread_mutex_unlock(&c->mu);
    if (!set)
        return send_message(r, MHD_HTTP_CONFLICT, "real_ns needs a clock set by POST /_ctl/now");
    o = now_obj(floor_s(ns));
    json_object_object_add(o, "now_ns", json_object_new_int64(ns));
    return send_json(r, MHD_HTTP_OK, o);
}

static enum MHD_Result ctl_set_now(struct req *r)
{
    const char *t = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "t");
    int64_t v, rate = 0, anchor;
    struct json_object *o;

    if (t == NULL || !scenario_parse_i64(t, &v) || v < -SCENARIO_TIME_MAX || v > SCENARIO_TIME_MAX)
        return send_message(r, MHD_HTTP_BAD_REQUEST, "t must be an integer");
    if (!query_i64(r, "rate", 0, 1000000, &rate))
        return send_message(r, MHD_HTTP_BAD_REQUEST, "rate must be an integer in [0, 1000000]");
    anchor = clock_set(&r->srv->clk, true, v, rate);
    r->now = v;
    r->server_now = v + r->srv->sc->skew;
    o = now_obj(v);
    json_object_object_add(o, "rate", json_object_new_int64(rate));
    json_object_object_add(o, "anchor_ns", json_object_new_int64(anchor));
    return send_json(r, MHD_HTTP_OK, o);
}

static struct json_object *ok_obj(void)
{
    struct json_object *o = json_object_new_object();

    json_object_object_add(o, "ok", json_object_new_boolean(1));
    return o;
}

static enum MHD_Result route_ctl(struct req *r, const char *what, const char *method)
{
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;

    if (strcmp(what, "now") == 0 && get)
        return ctl_get_now(r);
    if (strcmp(what, "now") == 0 && post)
        return ctl_set_now(r);
    if (strcmp(what, "now") == 0 && strcmp(method, MHD_HTTP_METHOD_DELETE) == 0) {
        clock_set(&r->srv->clk, false, 0, 0);
        return send_json(r, MHD_HTTP_OK, ok_obj());
    }
    if (strcmp(what, "expire") == 0 && post) {
        expire_jwts(&r->srv->tok);
        return send_json(r, MHD_HTTP_OK, ok_obj());
    }
    if (strcmp(what, "stats") == 0 && get)
        return send_json(r, MHD_HTTP_OK, stats_obj(&r->srv->st));
    if (strcmp(what, "reset-stats") == 0 && post) {
        reset_stats(&r->srv->st);
        return send_json(r, MHD_HTTP_OK, ok_obj());
    }
    return send_message(r, MHD_HTTP_NOT_FOUND, "Not found");
}

static enum MHD_Result route_post(struct req *r, const char *method,
                                  enum MHD_Result (*handler)(struct req *))
{
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return send_message(r, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed");
    if (r->too_big)
        return send_message(r, MHD_HTTP_CONTENT_TOO_LARGE, "Payload too large");
    return handler(r);
}

static enum MHD_Result route(struct req *r, const char *url, const char *method)
{
    size_t el = strlen(ETLS_PATH);

    r->now = clock_now(&r->srv->clk);
    r->server_now = r->now + r->srv->sc->skew;
    if (strncmp(url, CTL_PREFIX, strlen(CTL_PREFIX)) == 0)
        return route_ctl(r, url + strlen(CTL_PREFIX), method);
    if (strcmp(url, LOGIN_PATH) == 0)
        return route_post(r, method, handle_login);
    if (strcmp(url, REFRESH_PATH) == 0)
        return route_post(r, method, handle_refresh);
    if (strncmp(url, ETLS_PATH, el) == 0 && (url[el] == '\0' || url[el] == '/'))
        return route_etls(r, url + el, method);
    return send_message(r, MHD_HTTP_NOT_FOUND, "Not found");
}

/* ------------------------------------------------------------------ */
/* MHD callbacks                                                       */
/* ------------------------------------------------------------------ */

static enum MHD_Result begin_request(struct server *srv, struct MHD_Connection *conn,
                                     const char *url, void **con_cls)
{
    struct req *r = calloc(1, sizeof *r);
    const char *auth;

    if (r == NULL)
        return MHD_NO;
    r->srv = srv;
    r->conn = conn;
    r->api = strncmp(url, CTL_PREFIX, strlen(CTL_PREFIX)) != 0;
    *con_cls = r;
    if (!r->api)
        return MHD_YES;
    count_request(&srv->st, url);
    note_in_flight(&srv->st);
    auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (auth != NULL)
        note_auth_header(&srv->st, auth);
    return MHD_YES;
}

static void append_body(struct req *r, const char *data, size_t n)
{
    if (r->too_big || r->len + n > MAX_BODY) {
        r->too_big = true;
        return;
    }
    if (r->len + n > r->cap) {
        size_t cap = r->len + n + 1024;
        char *b = realloc(r->body, cap);

        if (b == NULL) {
            r->too_big = true;
            return;
        }
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct req *r = *con_cls;

    (void)version;
    if (r == NULL)
        return begin_request(srv, conn, url, con_cls);
    if (*upload_size != 0) {
        append_body(r, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->parked) {
        unpark(srv, &r->parked);
        if (r->hang || atomic_load(&srv->stopping))
            return MHD_NO;
        r->woke = true;
    }
    return route(r, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    struct server *srv = cls;
    struct req *r = *con_cls;

    (void)conn;
    (void)why;
    if (r == NULL)
        return;
    unpark(srv, &r->parked);
    if (r->api)
        atomic_fetch_sub(&srv->st.in_flight, 1);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct server *srv = cls;
    char buf[512];
    size_t n;

    if (atomic_load(&srv->quiet_mhd))
        return;
    vsnprintf(buf, sizeof buf, fmt, ap);
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    fprintf(stderr, "fakeco: microhttpd: %s\n", buf);
}

/* ------------------------------------------------------------------ */
/* Startup and shutdown                                                */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f, "usage: fakeco --scenario FILE [--port N] [--port-file F] "
               "[--clock-file F] [--request-log F] [--threads N] "
               "[--bind 127.0.0.1]\n");
}

static bool parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    int64_t v;

    if (!scenario_parse_i64(s, &v) || v < lo || v > hi) {
        fprintf(stderr, "fakeco: %s: expected an integer in [%ld, %ld], got \"%s\"\n", opt, lo, hi,
                s);
        return false;
    }
    *out = (long)v;
    return true;
}

static bool apply_option(struct options *o, const char *name, const char *val)
{
    if (strcmp(name, "--scenario") == 0)
        o->scenario = val;
    else if (strcmp(name, "--port-file") == 0)
        o->port_file = val;
    else if (strcmp(name, "--clock-file") == 0)
        o->clock_file = val;
    else if (strcmp(name, "--request-log") == 0)
        o->request_log = val;
    else if (strcmp(name, "--bind") == 0)
        o->bind = val;
    else if (strcmp(name, "--port") == 0)
        return parse_long(name, val, 0, 65535, &o->port);
    else if (strcmp(name, "--threads") == 0)
        return parse_long(name, val, 1, 1024, &o->threads);
    else {
        fprintf(stderr, "fakeco: unknown option %s\n", name);
        return false;
    }
    return true;
}

/* Accepts "--opt VALUE" and "--opt=VALUE". */
static bool parse_args(int argc, char **argv, struct options *o)
{
    int i;

    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->threads = 4;
    for (i = 1; i < argc; i++) {
        char name[64];
        const char *eq = strchr(argv[i], '=');
        const char *val;
        size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

        if (strncmp(argv[i], "--", 2) != 0 || n >= sizeof name) {
            fprintf(stderr, "fakeco: unexpected argument \"%s\"\n", argv[i]);
            return false;
        }
        memcpy(name, argv[i], n);
        name[n] = '\0';
        if (strcmp(name, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (val == NULL) {
            fprintf(stderr, "fakeco: %s needs a value\n", name);
            return false;
        }
        if (!apply_option(o, name, val))
            return false;
    }
    if (o->scenario == NULL) {
        fprintf(stderr, "fakeco: --scenario is required (see --help)\n");
        return false;
    }
    if (inet_pton(AF_INET, o->bind, &o->addr) != 1) {
        fprintf(stderr, "fakeco: --bind: not an IPv4 address: %s\n", o->bind);
        return false;
    }
    return true;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *b = realloc(buf, cap = cap ? cap * 2 : 65536);

            if (b == NULL)
                break;
            buf = b;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
    }
    if (ferror(f) || n == cap) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static bool load_scenario(struct server *srv, const char *path)
{
    char err[512];
    size_t len = 0;
    char *text = read_file(path, &len);

    if (text == NULL) {
        fprintf(stderr, "fakeco: %s: %s\n", path, strerror(errno ? errno : EIO));
        return false;
    }
    srv->sc = scenario_parse(text, len, path, err, sizeof err);
    free(text);
    if (srv->sc == NULL)
        fprintf(stderr, "fakeco: %s\n", err);
    return srv->sc != NULL;
}

static bool server_init(struct server *srv, const struct options *o)
{
    uint64_t seed;

    mutex_init(&srv->clk.mu);
    mutex_init(&srv->tok.mu);
    mutex_init(&srv->st.mu);
    srv->clk.file = o->clock_file;
    srv->request_log = -1;
    if (o->request_log != NULL &&
        (srv->request_log = open(o->request_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) <
            0) {
        fprintf(stderr, "fakeco: --request-log %s: %s\n", o->request_log, strerror(errno));
        return false;
    }
    if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
        seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    srv->tok.rng = seed;
    srv->huge_pad = malloc(HUGE_PAD);
    if (srv->huge_pad == NULL) {
        fprintf(stderr, "fakeco: out of memory\n");
        return false;
    }
    memset(srv->huge_pad, 'x', HUGE_PAD);
    if (!ticker_start(&srv->tk)) {
        fprintf(stderr, "fakeco: cannot start ticker thread\n");
        return false;
    }
    return true;
}

/* 20000 connections need more descriptors than the usual soft limit. */
static void raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static struct MHD_Daemon *start_with(struct server *srv, const struct options *o,
                                     const struct sockaddr_in *sa, unsigned poll_flag)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | poll_flag | MHD_USE_SUPPRESS_DATE_NO_CLOCK |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    /* MHD warns about a pool of one; 0 means a single polling thread */
    unsigned pool = o->threads > 1 ? (unsigned)o->threads : 0;

    /* the logger must come first or MHD reports earlier options itself */
    return MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, srv,
                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv, MHD_OPTION_SOCK_ADDR,
                            (const struct sockaddr *)sa, MHD_OPTION_THREAD_POOL_SIZE, pool,
                            MHD_OPTION_CONNECTION_LIMIT, CONN_LIMIT, MHD_OPTION_LISTEN_BACKLOG_SIZE,
                            4096u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
}

static bool start_daemon(struct server *srv, const struct options *o)
{
    struct sockaddr_in sa;

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o->port);
    sa.sin_addr = o->addr;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        srv->daemon = start_with(srv, o, &sa, MHD_USE_EPOLL);
    if (srv->daemon == NULL)
        srv->daemon = start_with(srv, o, &sa, MHD_USE_POLL);
    if (srv->daemon == NULL) {
        fprintf(stderr, "fakeco: cannot start HTTP daemon on %s:%ld\n", o->bind, o->port);
        return false;
    }
    atomic_store(&srv->quiet_mhd, true);
    return true;
}

/* temp + rename: readers never see a half-written port file */
static bool write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    FILE *f;
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());

    if (n < 0 || (size_t)n >= sizeof tmp || (f = fopen(tmp, "w")) == NULL) {
        fprintf(stderr, "fakeco: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "fakeco: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}

static bool announce_port(struct server *srv, const struct options *o)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : (unsigned)o->port;

    if (o->port_file != NULL && !write_port_file(o->port_file, port))
        return false;
    printf("port %u\n", port);
    fflush(stdout);
    return true;
}

/* Resumes every parked connection so MHD_stop_daemon finds none. */
static void shutdown_server(struct server *srv)
{
    int64_t deadline = mono_ms() + 5000;

    atomic_store(&srv->stopping, true);
    ticker_stop(&srv->tk);
    while (atomic_load(&srv->parked) > 0 && mono_ms() < deadline)
        usleep(5000);
    if (srv->daemon != NULL && atomic_load(&srv->parked) > 0) {
        /* stopping now would make MHD panic; leave the OS to clean up */
        fprintf(stderr, "fakeco: %d connections still suspended at exit\n",
                atomic_load(&srv->parked));
        exit(0);
    }
    if (srv->daemon != NULL)
        MHD_stop_daemon(srv->daemon);
    srv->daemon = NULL;
}

static void server_free(struct server *srv)
{
    size_t i;

    shutdown_server(srv);
    for (i = 0; i < srv->st.n_auth_seen; i++)
        free(srv->st.auth_seen[i]);
    free(srv->tok.jwt.v);
    free(srv->tok.refresh.v);
    free(srv->tk.heap);
    free(srv->huge_pad);
    scenario_free(srv->sc);
}

/* Signals are taken synchronously by the main thread only. */
static void block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    struct server srv; /* the one server context, MHD's cls */
    struct options opt;
    sigset_t set;
    int sig = 0;
    bool ok;

    memset(&srv, 0, sizeof srv);
    if (!parse_args(argc, argv, &opt))
        return 2;
    if (!load_scenario(&srv, opt.scenario))
        return 2;
    block_signals(&set);
    raise_nofile();
    ok = server_init(&srv, &opt) && start_daemon(&srv, &opt) && announce_port(&srv, &opt);
    if (ok)
        sigwait(&set, &sig);
    server_free(&srv);
    return ok ? 0 : 1;
}
