/* The mail backend of a MAIL=0 build: no -f mail (report/formats.c leaves it out of its table and
 * says why), so the mail options have nothing to check. */
#include "mail.h"

#include <stddef.h>

const char *mail_address_problem(const char *addr)
{
    (void)addr;
    return NULL;
}
