#include "progress.h"

#include <string.h>
#include <sys/types.h>
#include <time.h>

int64_t progress_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_init(struct progress *p, FILE *tty, const char *what, int64_t (*clock_ms)(void))
{
    memset(p, 0, sizeof *p);
    p->tty = tty;
    p->what = what;
    p->clock_ms = clock_ms;
    if (tty)
        p->start_ms = clock_ms();
}

void progress_done(struct progress *p)
{
    if (!p->tty || p->width == 0)
        return;
    fprintf(p->tty, "\r%*s\r", (int)p->width, "");
    fflush(p->tty);
    p->width = 0;
}

static ssize_t wrapped_write(void *cookie, const char *buf, size_t size)
{
    struct progress *p = cookie;
    progress_done(p);
    size_t n = fwrite(buf, 1, size, p->real_out);
    if (fflush(p->real_out) != 0 || n < size)
        return n ? (ssize_t)n : -1;
    if (size)
        p->mid_line = buf[size - 1] != '\n';
    return (ssize_t)n;
}

FILE *progress_wrap(struct progress *p, FILE *out)
{
    cookie_io_functions_t io = {NULL, wrapped_write, NULL, NULL};
    p->real_out = out;
    FILE *f = fopencookie(p, "w", io);
    if (f)
        setvbuf(f, NULL, _IOLBF, BUFSIZ);
    return f;
}

void progress_update(struct progress *p, size_t done, size_t total)
{
    if (!p->tty || p->mid_line)
        return;
    int64_t now = p->clock_ms();
    if (now - p->start_ms < PROGRESS_AFTER_MS)
        return;
    if (p->drawn_ms && now - p->drawn_ms < PROGRESS_EVERY_MS)
        return; /* also after a wipe for the report's output: no flicker per row */
    char line[160];
    int pct = total ? (int)(100 * (uint64_t)done / total) : 100;
    int n = snprintf(line, sizeof line, "etlhist-report: %s: %zu of %zu ETLs (%d %%)", p->what,
                     done, total, pct);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    /* Spaces wipe what a longer previous line left. */
    fprintf(p->tty, "\r%s%*s", line, p->width > len ? (int)(p->width - len) : 0, "");
    fflush(p->tty);
    p->width = len > p->width ? len : p->width;
    p->drawn_ms = now;
}
