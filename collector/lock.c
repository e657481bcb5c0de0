#include "lock.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int lock_acquire(const char *db_path)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s.lock", db_path) >= (int)sizeof path) {
        log_err("lock %s.lock: path too long", db_path);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        log_err("lock %s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd;
    int busy = errno == EWOULDBLOCK;
    if (busy)
        log_err("another etlhist-collect is running on %s (holds %s)", db_path, path);
    else
        log_err("lock %s: %s", path, strerror(errno));
    close(fd);
    return busy ? -2 : -1;
}

void lock_release(int fd)
{
    if (fd >= 0)
        close(fd); /* closing drops the flock */
}
