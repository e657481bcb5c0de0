#!/bin/sh
# Turns sql/*.sql into C strings: embed-sql.sh OUT.c OUT.h FILE.sql...
# sql/report_summary.sql becomes `extern const char sql_report_summary[];`. Lines that are
# only a comment stay in the .sql file (for people) and out of the binary, which keeps each
# string within the 4095 characters C99 compilers must support; comments inside a statement
# stay, since SQLite keeps them in sqlite_schema for whoever opens the file.
set -eu
out_c=$1 out_h=$2
shift 2
{
    echo "/* Generated from the sql/ folder by tools/embed-sql.sh; do not edit. */"
    echo "#ifndef ETLHIST_SQLFILES_H"
    echo "#define ETLHIST_SQLFILES_H"
    for f in "$@"; do
        echo "extern const char sql_$(basename "$f" .sql)[];"
    done
    echo "#endif"
} >"$out_h.tmp"
{
    echo "/* Generated from the sql/ folder by tools/embed-sql.sh; do not edit. */"
    echo "#include \"sqlfiles.h\""
    for f in "$@"; do
        echo "const char sql_$(basename "$f" .sql)[] ="
        awk '/^[ \t]*--/ { next } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "    \"%s\\n\"\n", $0 }' "$f"
        echo "    \"\";"
    done
} >"$out_c.tmp"
mv "$out_h.tmp" "$out_h"
mv "$out_c.tmp" "$out_c"
