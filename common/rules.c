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

static const char *const outcome_words[] = {
    [OUT_OK] = "OK",           [OUT_WARNING] = "WARNING", [OUT_ERROR] = "ERROR",
    [OUT_ABORTED] = "ABORTED", [OUT_RUNNING] = "RUNNING", [OUT_UNKNOWN] = "UNKNOWN"};
#define N_OUTCOMES (sizeof outcome_words / sizeof outcome_words[0])

enum outcome outcome_parse(const char *text)
{
    if (!text)
        return OUT_UNKNOWN;
    if (strcmp(text, "FAILED") == 0) /* the word CO's UI uses for ERROR */
        return OUT_ERROR;
    for (size_t i = 0; i < N_OUTCOMES; i++)
        if (strcmp(text, outcome_words[i]) == 0)
            return (enum outcome)i;
    return OUT_UNKNOWN;
}

const char *outcome_word(enum outcome out)
{
    return (size_t)out < N_OUTCOMES ? outcome_words[out] : outcome_words[OUT_UNKNOWN];
}

int outcome_failed(enum outcome out)
{
    return out == OUT_ERROR || out == OUT_ABORTED;
}

int outcome_finished(enum outcome out)
{
    return out == OUT_OK || out == OUT_WARNING || outcome_failed(out);
}

enum outcome outcome_of_end(const char *status, const char *exit_code)
{
    if (status && strcmp(status, "ABORTED") == 0)
        return OUT_ABORTED;
    enum outcome out = outcome_parse(exit_code);
    return out == OUT_OK || out == OUT_WARNING || out == OUT_ERROR ? out : OUT_UNKNOWN;
}

int streak_feed(struct streak *s, enum outcome out)
{
    if (s->settled)
        return 1;
    if (outcome_failed(out))
        s->count++;
    else if (outcome_finished(out))
        s->settled = 1;
    return s->settled;
}
