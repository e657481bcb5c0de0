/* ETL id lists such as "321, 467, 500-520", or "all". */
#ifndef ETLHIST_ETLSET_H
#define ETLHIST_ETLSET_H

#include <stddef.h>
#include <stdint.h>

struct etl_range {
    int64_t lo, hi;
};

struct etlset {
    int all; /* "all": discover the ETLs from the server */
    struct etl_range *ranges;
    size_t n;
};

/* Parses text into set; on error returns -1 and writes the cause to err. */
int etlset_parse(const char *text, struct etlset *set, char *err, size_t errlen);
int etlset_contains(const struct etlset *set, int64_t id);
/* Number of ids in an explicit set (ranges expanded). */
size_t etlset_count(const struct etlset *set);
void etlset_free(struct etlset *set);

#endif
