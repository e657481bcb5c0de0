#!/bin/sh
# What etlhist-report check costs on a generated history (docs/dev/PERFORMANCE.md, "The
# monitoring check"):
#   sh check.sh BUILD HISTORY_DB [REPS]
# Runs the check over the last day of the history (its latest pass), and the weekly summary
# beside it, REPS times each (default 5); prints the medians of wall time and peak RSS.
set -eu
B=$1
DB=$2
REPS=${3:-5}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
last=$(sqlite3 -batch -noheader "$DB" "SELECT max(started) FROM pass")
until=$(date -u -d "@$((last + 1))" +%Y-%m-%dT%H:%M:%SZ)
etls=$(sqlite3 -batch -noheader "$DB" "SELECT count(*) FROM etl")
# median FILE COLUMN
median() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# timed NAME CMD...: one run's wall seconds and peak RSS (KiB) appended to $W/NAME.
timed() {
    name=$1
    shift
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$W/one" "$@" >"$W/out" 2>/dev/null || true
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v m="$(tail -n 1 "$W/one")" 'BEGIN {printf "%.3f %s\n", b - a, m}' >>"$W/$name"
}
i=0
while [ $i -lt "$REPS" ]; do
    timed check "$B/etlhist-report" check --db "$DB" --until "$until" --timeout 0
    timed week "$B/etlhist-report" summary --db "$DB" --until "$until" --last 7d -o /dev/null
    i=$((i + 1))
done
"$B/etlhist-report" check --db "$DB" --until "$until" >"$W/out" || true
printf 'check --last 1d, %s ETLs, history to %s: %s s, %s KiB peak RSS (median of %s)\n' \
    "$etls" "$until" "$(median "$W/check" 1)" "$(median "$W/check" 2)" "$REPS"
printf 'summary --last 7d, same history: %s s, %s KiB\n' "$(median "$W/week" 1)" \
    "$(median "$W/week" 2)"
printf 'status line: %s\n' "$(head -n 1 "$W/out" | cut -d'|' -f1)"
