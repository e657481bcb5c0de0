#include "formats.h"

#include "mail.h"

#include <string.h>

/* ETLHIST_MAIL=0 (make MAIL=0): built without the mail backend, so without -f mail. */
#ifndef ETLHIST_MAIL
#define ETLHIST_MAIL 1
#endif

static const struct fmt_writer *const writers[] = {&fmt_text, &fmt_csv, &fmt_json, &fmt_html,
#if ETLHIST_MAIL
                                                   &fmt_mail
#endif
};

const struct fmt_writer *fmt_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof writers / sizeof writers[0]; i++)
        if (strcmp(writers[i]->name, name) == 0)
            return writers[i];
    return NULL;
}

const char *fmt_names(void)
{
    return ETLHIST_MAIL ? "text, csv, json, html, mail" : "text, csv, json, html";
}

const char *fmt_missing(const char *name)
{
    if (!ETLHIST_MAIL && name && strcmp(name, "mail") == 0)
        return "format \"mail\": etlhist-report was built without mail (make MAIL=1)";
    return NULL;
}
