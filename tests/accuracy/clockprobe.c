/*
 * clockprobe.c - one reading of the clock a process sees, for the accuracy simulation's moving
 * clock (tests/accuracy/lib.sh). Prints "FAKE_NS REAL_NS": CLOCK_REALTIME as this process
 * sees it (under libfaketime, the fake clock) and the real CLOCK_REALTIME at the same instant
 * (the midpoint of two raw system calls around the reading, which libfaketime does not
 * intercept), both in nanoseconds since the epoch.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* One reading bracketed by two raw ones; false on error. */
static int bracket(int64_t *seen_ns, int64_t *real_ns, int64_t *spread_ns)
{
    struct timespec before, seen, after;
    if (syscall(SYS_clock_gettime, CLOCK_REALTIME, &before) != 0 ||
        clock_gettime(CLOCK_REALTIME, &seen) != 0 ||
        syscall(SYS_clock_gettime, CLOCK_REALTIME, &after) != 0)
        return 0;
    *seen_ns = ns_of(&seen);
    *real_ns = ns_of(&before) + (ns_of(&after) - ns_of(&before)) / 2;
    *spread_ns = ns_of(&after) - ns_of(&before);
    return 1;
}

int main(void)
{
    /* The first reading in a process sets libfaketime up (shared memory, FAKETIME), which
     * can take milliseconds: it is not measured. Of the next ones, the tightest is kept. */
    int64_t seen = 0, real = 0, spread = INT64_MAX, s, r, w;
    struct timespec warm;
    if (clock_gettime(CLOCK_REALTIME, &warm) != 0) {
        perror("clockprobe: clock_gettime");
        return 1;
    }
    for (int i = 0; i < 8; i++) {
        if (!bracket(&s, &r, &w)) {
            perror("clockprobe: clock_gettime");
            return 1;
        }
        if (w < spread) {
            seen = s;
            real = r;
            spread = w;
        }
    }
    printf("%" PRId64 " %" PRId64 "\n", seen, real);
    return 0;
}
