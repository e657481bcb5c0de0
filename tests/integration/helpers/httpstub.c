/*
 * httpstub - a scripted HTTP/1.1 responder on 127.0.0.1 for the reliability tests.
 *
 * It answers what the fake CO server cannot: a 204 that carries a body, a redirect, a reset
 * in the middle of a body, a 429 followed by a 200. Each request is logged (method, target,
 * every header, connection number, milliseconds since start), so a test can check what a
 * client sent and on which connection.
 *
 *   httpstub --port-file FILE --rules FILE --log FILE
 *
 * Rules, one per line: PATH SPEC [SPEC...]. The n-th request for PATH (the target without
 * its query) gets the n-th SPEC; the last one repeats. PATH "*" matches any other target;
 * without it, unknown targets get a 404. SPEC is a file of raw response bytes (status line,
 * headers, blank line, body; relative to the rules file), optionally with one flag:
 *   FILE!close  send, then close the connection
 *   FILE!rst    send, then reset the connection (SO_LINGER 0): a reset mid-body when the
 *               file holds less body than its Content-Length announces
 *   FILE!pause  send the head, wait 300 ms, send the body (it arrives in a later segment)
 *   FILE!hang   send nothing and keep the connection open until the client gives up
 * Connections are kept alive otherwise. The stub runs until killed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_RULES 256
#define MAX_SPECS 16
#define REQ_MAX 65536

enum flag { F_NONE, F_CLOSE, F_RST, F_PAUSE, F_HANG };

struct spec {
    char *path;
    enum flag flag;
};

struct rule {
    char *target;
    struct spec specs[MAX_SPECS];
    size_t n_specs;
    size_t hits;
};

static struct rule rules[MAX_RULES];
static size_t n_rules;
static FILE *log_fp;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long next_conn;
static struct timespec t0;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("httpstub: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static long elapsed_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
}

static char *join(const char *dir, const char *name)
{
    char *s = malloc(strlen(dir) + strlen(name) + 2);
    if (!s)
        die("out of memory");
    if (name[0] == '/')
        strcpy(s, name);
    else
        sprintf(s, "%s/%s", dir, name);
    return s;
}

static struct spec parse_spec(const char *dir, char *word)
{
    struct spec sp = {NULL, F_NONE};
    char *bang = strchr(word, '!');
    if (bang) {
        *bang++ = '\0';
        if (!strcmp(bang, "close"))
            sp.flag = F_CLOSE;
        else if (!strcmp(bang, "rst"))
            sp.flag = F_RST;
        else if (!strcmp(bang, "pause"))
            sp.flag = F_PAUSE;
        else if (!strcmp(bang, "hang"))
            sp.flag = F_HANG;
        else
            die("unknown flag !%s", bang);
    }
    sp.path = join(dir, word);
    return sp;
}

static void load_rules(const char *path)
{
    char dir[4096], line[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    FILE *f = fopen(path, "r");
    if (!f)
        die("%s: %s", path, strerror(errno));
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *w = strtok_r(line, " \t\r\n", &save);
        if (!w || w[0] == '#')
            continue;
        if (n_rules == MAX_RULES)
            die("too many rules");
        struct rule *r = &rules[n_rules++];
        r->target = strdup(w);
        while ((w = strtok_r(NULL, " \t\r\n", &save)) && r->n_specs < MAX_SPECS)
            r->specs[r->n_specs++] = parse_spec(dir, w);
        if (r->n_specs == 0)
            die("%s: rule %s has no response", path, r->target);
    }
    fclose(f);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Picks the response for target and logs the request; called with the head in req. */
static struct spec pick(long conn, const char *req, size_t head_len)
{
    char method[16] = "", target[2048] = "";
    struct spec none = {NULL, F_NONE};
    sscanf(req, "%15s %2047s", method, target);
    char *q = strchr(target, '?');
    if (q)
        *q = '\0';
    pthread_mutex_lock(&mu);
    fprintf(log_fp, "T=%ld conn=%ld %s %s\n", elapsed_ms(), conn, method, target);
    const char *line = strstr(req, "\r\n");
    while (line && line + 2 < req + head_len) {
        const char *end = strstr(line + 2, "\r\n");
        if (!end || end == line + 2)
            break;
        fprintf(log_fp, "  %.*s\n", (int)(end - line - 2), line + 2);
        line = end;
    }
    fflush(log_fp);
    struct rule *hit = NULL;
    for (size_t i = 0; i < n_rules && !hit; i++)
        if (!strcmp(rules[i].target, target))
            hit = &rules[i];
    for (size_t i = 0; i < n_rules && !hit; i++)
        if (!strcmp(rules[i].target, "*"))
            hit = &rules[i];
    struct spec sp = none;
    if (hit) {
        size_t k = hit->hits < hit->n_specs ? hit->hits : hit->n_specs - 1;
        hit->hits++;
        sp = hit->specs[k];
    }
    pthread_mutex_unlock(&mu);
    return sp;
}

static const char not_found[] = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                                "Content-Length: 2\r\n\r\n{}";

/* Sends one response; returns 1 to keep the connection, 0 to close it. */
static int respond(int fd, const struct spec *sp)
{
    size_t len = 0;
    char *data;
    if (!sp->path)
        return write_all(fd, not_found, sizeof not_found - 1) == 0;
    if (sp->flag == F_HANG) {
        char c;
        while (recv(fd, &c, 1, 0) > 0)
            ;
        return 0;
    }
    if (!(data = slurp(sp->path, &len))) {
        fprintf(stderr, "httpstub: %s: %s\n", sp->path, strerror(errno));
        return 0;
    }
    int keep = 1;
    if (sp->flag == F_PAUSE) {
        const char *body = strstr(data, "\r\n\r\n");
        size_t head = body ? (size_t)(body - data) + 4 : len;
        keep = write_all(fd, data, head) == 0;
        usleep(300 * 1000);
        keep = keep && write_all(fd, data + head, len - head) == 0;
    } else {
        keep = write_all(fd, data, len) == 0;
    }
    if (sp->flag == F_RST) {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        keep = 0;
    }
    if (sp->flag == F_CLOSE || strcasestr(data, "\r\nConnection: close\r\n"))
        keep = 0;
    free(data);
    return keep;
}

static long content_length(const char *head)
{
    const char *h = strcasestr(head, "\r\nContent-Length:");
    return h ? strtol(h + 17, NULL, 10) : 0;
}

static void *serve(void *arg)
{
    int fd = (int)(long)arg;
    char *buf = malloc(REQ_MAX + 1);
    size_t have = 0;
    pthread_mutex_lock(&mu);
    long conn = ++next_conn;
    pthread_mutex_unlock(&mu);
    for (int keep = buf != NULL; keep;) {
        char *end;
        buf[have] = '\0';
        while (!(end = strstr(buf, "\r\n\r\n"))) {
            if (have == REQ_MAX)
                goto out;
            ssize_t r = recv(fd, buf + have, REQ_MAX - have, 0);
            if (r <= 0)
                goto out;
            have += (size_t)r;
            buf[have] = '\0';
        }
        size_t head = (size_t)(end - buf) + 4;
        size_t body = (size_t)content_length(buf);
        while (have < head + body && have < REQ_MAX) {
            ssize_t r = recv(fd, buf + have, REQ_MAX - have, 0);
            if (r <= 0)
                goto out;
            have += (size_t)r;
        }
        struct spec sp = pick(conn, buf, head);
        keep = respond(fd, &sp);
        size_t used = head + body < have ? head + body : have;
        memmove(buf, buf + used, have - used);
        have -= used;
    }
out:
    free(buf);
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *port_file = NULL, *rules_file = NULL, *log_file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port-file"))
            port_file = argv[i + 1];
        else if (!strcmp(argv[i], "--rules"))
            rules_file = argv[i + 1];
        else if (!strcmp(argv[i], "--log"))
            log_file = argv[i + 1];
        else
            die("unknown option %s", argv[i]);
    }
    if (!port_file || !rules_file || !log_file)
        die("usage: httpstub --port-file FILE --rules FILE --log FILE");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    load_rules(rules_file);
    if (!(log_fp = fopen(log_file, "a")))
        die("%s: %s", log_file, strerror(errno));
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t salen = sizeof sa;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 64) ||
        getsockname(ls, (struct sockaddr *)&sa, &salen))
        die("listen: %s", strerror(errno));
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%d\n", ntohs(sa.sin_port)) < 0 || fclose(pf) || rename(tmp, port_file))
        die("%s: %s", port_file, strerror(errno));
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            die("accept: %s", strerror(errno));
        }
        pthread_t th;
        if (pthread_create(&th, NULL, serve, (void *)(long)fd) == 0)
            pthread_detach(th);
        else
            close(fd);
    }
}
