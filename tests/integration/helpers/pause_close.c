/* LD_PRELOAD shim for t_report_files.sh: fclose() of a stream whose file name contains
 * $PAUSE_MATCH first writes that name to $PAUSE_MARK, then waits for a signal. It holds
 * etlhist-report at a known point while its temporary output file exists, so a test can
 * interrupt it there without racing it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fclose(FILE *fp)
{
    const char *match = getenv("PAUSE_MATCH"), *mark = getenv("PAUSE_MARK");
    char link[64], name[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(fp));
    ssize_t n = readlink(link, name, sizeof name - 1);
    if (match && mark && n > 0) {
        name[n] = '\0';
        if (strstr(name, match)) {
            fflush(fp);
            int fd = open(mark, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) {
                dprintf(fd, "%s\n", name);
                close(fd);
            }
            pause();
        }
    }
    int (*real)(FILE *) = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
    return real(fp);
}
