/* The fake CO server (build/fakeco) run from a unit test on a loopback port: real HTTP for
 * the modules that speak it. Its clock is a file the test sets (fakeco_set_clock). */
#ifndef ETLHIST_FAKECO_PROC_H
#define ETLHIST_FAKECO_PROC_H

#include "poll.h"

#include <check.h>
#include <json.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct fakeco {
    pid_t pid;
    char dir[64];
    char url[64];
};

/* A file in the test's scratch folder (mode 600: secrets are refused otherwise). */
static inline void fakeco_file(const struct fakeco *f, const char *name, const char *text,
                               char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", f->dir, name);
    FILE *out = fopen(path, "w");
    ck_assert_ptr_nonnull(out);
    fputs(text, out);
    fclose(out);
    chmod(path, 0600);
}

static inline void fakeco_set_clock(const struct fakeco *f, int64_t now)
{
    char path[96], text[32];
    snprintf(text, sizeof text, "%lld\n", (long long)now);
    fakeco_file(f, "clock", text, path, sizeof path);
}

/* Serves the scenario text with the clock at now; fails the test if it does not start. */
static inline void fakeco_start(struct fakeco *f, const char *scenario, int64_t now)
{
    char scn[96], port_file[96], clock[96];
    snprintf(f->dir, sizeof f->dir, "/tmp/etlhist-unit.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(f->dir));
    fakeco_file(f, "scenario.scn", scenario, scn, sizeof scn);
    fakeco_set_clock(f, now);
    snprintf(port_file, sizeof port_file, "%s/port", f->dir);
    snprintf(clock, sizeof clock, "%s/clock", f->dir);
    f->pid = fork();
    ck_assert_int_ge(f->pid, 0);
    if (f->pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execl(ETLHIST_FAKECO, "fakeco", "--scenario", scn, "--port-file", port_file, "--clock-file",
              clock, "--threads", "2", (char *)NULL);
        _exit(127);
    }
    int port = 0;
    for (int i = 0; i < 200 && port == 0; i++) {
        FILE *in = fopen(port_file, "r");
        if (!in || fscanf(in, "%d", &port) != 1)
            port = 0;
        if (in)
            fclose(in);
        if (!port)
            nanosleep(&(struct timespec){0, 25000000L}, NULL);
    }
    ck_assert_msg(port > 0, "fakeco did not start (%s)", ETLHIST_FAKECO);
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d", port);
}

/* A counter from GET /_ctl/stats: requests, status_requests, logins, refreshes,
 * max_in_flight, … */
static inline long fakeco_stat(const struct fakeco *f, const char *key)
{
    char url[128], *body;
    struct http_result r;
    struct http_opts o = {.timeout_s = 5, .max_body = 65536};
    json_object *v;
    snprintf(url, sizeof url, "%s/_ctl/stats", f->url);
    ck_assert_int_eq(http_request(&o, url, NULL, &r, &body), 0);
    json_object *root = json_tokener_parse(body);
    ck_assert_msg(json_object_object_get_ex(root, key, &v), "no %s in %s", key, body);
    long n = (long)json_object_get_int64(v);
    json_object_put(root);
    free(body);
    return n;
}

static inline void fakeco_stop(struct fakeco *f)
{
    char cmd[96];
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
}

#endif
