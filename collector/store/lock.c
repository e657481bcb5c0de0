#include "lock.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The database's real path: a symlink or "dir/../x" to the same file must meet the same
 * lock. A database not created yet is resolved through its folder. */
static char *resolve(const char *db_path)
{
    char *real = realpath(db_path, NULL);
    if (real || errno != ENOENT)
        return real;
    char *dir_copy = strdup(db_path), *base_copy = strdup(db_path), *path = NULL;
    char *dir = dir_copy ? realpath(dirname(dir_copy), NULL) : NULL;
    if (dir && base_copy) {
        const char *base = basename(base_copy);
        size_t n = strlen(dir) + strlen(base) + 2;
        if ((path = malloc(n)))
            snprintf(path, n, "%s/%s", strcmp(dir, "/") ? dir : "", base);
    }
    free(dir);
    free(dir_copy);
    free(base_copy);
    return path;
}

int lock_acquire(const char *db_path)
{
    char path[4096];
    char *real = resolve(db_path);
    if (!real) {
        if (errno == ENOENT)
            log_err("database %s: its directory does not exist (create it, owned by the user the "
                    "collector runs as, or correct db in the configuration)",
                    db_path);
        else
            log_err("database %s: cannot resolve its directory: %s", db_path, strerror(errno));
        return -1;
    }
    int too_long = snprintf(path, sizeof path, "%s.lock", real) >= (int)sizeof path;
    free(real);
    if (too_long) {
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
