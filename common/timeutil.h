/* UTC time parsing and formatting. Times are int64 Unix seconds everywhere. */
#ifndef ETLHIST_TIMEUTIL_H
#define ETLHIST_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_BUF 32

/* Days since 1970-01-01 of a proleptic Gregorian date (no range checks). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

unsigned days_in_month(int64_t y, unsigned m);

/* Reads exactly n decimal digits (no sign, no spaces) into out. Returns 0 or -1. */
int parse_digits(const char *s, int n, unsigned *out);

/* RFC 3339 into UTC seconds: "YYYY-MM-DDThh:mm:ss[.fff]" then "Z" or an offset "+hh:mm";
 * also 't', 'z', a space for 'T', and offsets "+hhmm" or "+hh", as servers send them.
 * Returns 0 or -1 (also for times before 1970 UTC). */
int time_parse_iso_utc(const char *s, int64_t *out);

/* "YYYY-MM-DDThh:mm:ssZ". */
void time_format_iso(int64_t t, char buf[TIME_BUF]);

/* "YYYY-MM-DD hh:mm:ss" in UTC, the form the database views and the collector show. */
void time_format_utc(int64_t t, char buf[TIME_BUF]);

/* "YYYY-MM-DDThh:mm:ss" in UTC without a zone suffix, the CSV form: spreadsheets take it as
 * a date and time without "detect special numbers" (LibreOffice's default is off), which
 * the form with a space is not, nor one ending in "Z". */
void time_format_sheet(int64_t t, char buf[TIME_BUF]);

/* Nonzero when name is a zone of the zoneinfo database: a TZif file under $TZDIR, else
 * /usr/share/zoneinfo ("Europe/Berlin", "UTC"). Absolute names and ".." are refused. */
int time_zone_file_exists(const char *name);

/* A span such as "300", "300s", "5m", "2h", "7d", "2w" into seconds. */
int time_parse_span(const char *s, int64_t *out);

#endif
