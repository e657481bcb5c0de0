/* What a test expects a function to log: stderr goes to a temporary file meanwhile, so the
 * message is asserted and a passing run prints nothing but Check's summary. */
#ifndef ETLHIST_TEST_STDERR_CAPTURE_H
#define ETLHIST_TEST_STDERR_CAPTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct stderr_capture {
    int saved, fd;
};

static inline void stderr_capture_begin(struct stderr_capture *c)
{
    char path[] = "/tmp/etlhist-test-stderr-XXXXXX";
    fflush(stderr);
    c->fd = mkstemp(path);
    ck_assert_int_ge(c->fd, 0);
    unlink(path);
    c->saved = dup(2);
    ck_assert_int_ge(c->saved, 0);
    dup2(c->fd, 2);
}

/* Restores stderr; returns what was written to it, malloc'd. */
static inline char *stderr_capture_end(struct stderr_capture *c)
{
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    off_t len = lseek(c->fd, 0, SEEK_END);
    ck_assert_int_ge(len, 0);
    char *got = calloc(1, (size_t)len + 1);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(pread(c->fd, got, (size_t)len, 0), len);
    close(c->fd);
    return got;
}

#endif
