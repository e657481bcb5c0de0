/* Prometheus node_exporter textfile metrics, written atomically after each round of passes. */
#ifndef ETLHIST_PROM_H
#define ETLHIST_PROM_H

#include <sqlite3.h>
#include <stdint.h>

/* Writes the metrics of every instance in db to path (via path.tmp and rename); now (our
 * clock) dates the seconds-since gauges. Returns 0, or -1 after logging. */
int prom_write(sqlite3 *db, const char *path, int64_t now);

#endif
