/*
 * clockprobe.c - one reading of the clock a process sees, for the accuracy simulation's moving
 * clock (tests/accuracy/lib.sh). Prints "FAKE_NS REAL_NS": CLOCK_REALTIME as this process
 * sees it (under libfaketime, the fake clock) and the real CLOCK_REALTIME at the same instant
 * (the midpoint of two raw system calls around the first reading, which libfaketime does not
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

int main(void)
{
    struct timespec before, seen, after;
    if (syscall(SYS_clock_gettime, CLOCK_REALTIME, &before) != 0 ||
        clock_gettime(CLOCK_REALTIME, &seen) != 0 ||
        syscall(SYS_clock_gettime, CLOCK_REALTIME, &after) != 0) {
        perror("clockprobe: clock_gettime");
        return 1;
    }
    int64_t real = ns_of(&before) + (ns_of(&after) - ns_of(&before)) / 2;
    printf("%" PRId64 " %" PRId64 "\n", ns_of(&seen), real);
    return 0;
}
