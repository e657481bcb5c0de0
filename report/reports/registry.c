/* The list of reports: each is defined in its own file (summary.c, runs.c, ...). */
#include "shared.h"

#include <string.h>

static const struct report_def *const reports[] = {
    &report_summary, &report_failures, &report_runs,     &report_services, &report_trend,
    &report_health,  &report_etls,     &report_schedule, &report_missed,
};

const struct report_def *report_find(const char *name)
{
    for (size_t i = 0; name && i < N(reports); i++)
        if (strcmp(reports[i]->name, name) == 0)
            return reports[i];
    return NULL;
}

const struct report_def *report_at(size_t i)
{
    return i < N(reports) ? reports[i] : NULL;
}

const char *report_names(void)
{
    return "summary, failures, runs, services, trend, health, etls, schedule, missed";
}

int report_totals(const struct report_job *job, struct cell *cells)
{
    return job->def->totals ? job->def->totals(job, cells) : 0;
}
