#include "rules.h"

#include <stddef.h>
#include <string.h>

int64_t rules_max_gap(int64_t interval_s)
{
    return MAX_GAP_INTERVALS * interval_s;
}

int rules_run_unobserved(int64_t last_running, int64_t last_pass, int64_t max_gap)
{
    return last_pass - last_running > max_gap;
}

enum outcome outcome_parse(const char *text)
{
    static const struct {
        const char *name;
        enum outcome out;
    } names[] = {{"OK", OUT_OK},          {"WARNING", OUT_WARNING}, {"ERROR", OUT_ERROR},
                 {"FAILED", OUT_ERROR},   {"ABORTED", OUT_ABORTED}, {"RUNNING", OUT_RUNNING},
                 {"UNKNOWN", OUT_UNKNOWN}};
    for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(text, names[i].name) == 0)
            return names[i].out;
    return OUT_UNKNOWN;
}

int streak_feed(struct streak *s, enum outcome out)
{
    if (s->settled)
        return 1;
    if (out == OUT_ERROR || out == OUT_ABORTED)
        s->count++;
    else if (out == OUT_OK || out == OUT_WARNING)
        s->settled = 1;
    return s->settled;
}
