#!/bin/sh
# etlhist-report exit codes and messages: usage errors exit 2, database errors exit 3, every
# error is exactly one line on stderr; an empty window is not an error.
set -u
build=$1
report=$build/etlhist-report
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# A valid, empty etlhist database made from the schema the programs embed.
db=$tmp/history.db
{
    cat "$root/sql/schema.sql" "$root/sql/views.sql"
    echo "PRAGMA user_version = $(sed -n 's/^#define DB_SCHEMA_VERSION //p' "$root/common/db.h");"
} |
    sqlite3 "$db" || { echo "cannot create $db"; exit 1; }
sqlite3 "$db" "INSERT INTO instance (id, name, url) VALUES (1, 'prod', 'http://co');
    INSERT INTO etl (id, instance_id, etl_id, name, first_seen, last_seen)
    VALUES (1, 1, 321, 'Daily', 1795000000, 1795000000);
    INSERT INTO pass (instance_id, started, took_s, polled, ok, errors, interval_s, error)
    VALUES (1, 1795000000, 1, 1, 0, 1, 300, 'HTTP 503 from the ETL list');"
cp "$db" "$tmp/newer.db"
sqlite3 "$tmp/newer.db" "PRAGMA user_version = 99"
echo "this is not a database" >"$tmp/text.db"
window="--since 2026-11-16 --until 2026-11-23"
early="--since 2026-11-01 --until 2026-11-08" # before the ETL was first seen
allow_nopass=

# expect CODE NAME ARGS...: exit status CODE and, when not 0, one stderr line from us.
expect() {
    want=$1 name=$2
    shift 2
    "$report" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    lines=$(wc -l <"$tmp/err")
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"; cat "$tmp/err"; fail=1; return
    fi
    if [ "$want" -ne 0 ] && { [ "$lines" -ne 1 ] || ! grep -q '^etlhist-report: ' "$tmp/err"; }; then
        echo "FAIL $name: expected one 'etlhist-report: ' line on stderr, got:"; cat "$tmp/err"
        fail=1; return
    fi
    if [ "$want" -eq 0 ] && [ -n "$allow_nopass" ] && [ "$lines" -eq 1 ] &&
        grep -q '^etlhist-report: warning: no collector pass between ' "$tmp/err"; then
        lines=0 # a window the collector never ran in is said, and is not an error
    fi
    if [ "$want" -eq 0 ] && [ "$lines" -ne 0 ]; then
        echo "FAIL $name: unexpected stderr:"; cat "$tmp/err"; fail=1; return
    fi
    echo "ok $name: exit $got ${lines:+$(head -c 100 "$tmp/err")}"
}

expect 2 unknown-report nonsense --db "$db" $window
expect 2 bad-date summary --db "$db" --since 2026-02-30
expect 2 bad-date-text summary --db "$db" --until yesterday
expect 2 until-before-since summary --db "$db" --since 2026-11-23 --until 2026-11-16
expect 2 until-equals-since summary --db "$db" --since 2026-11-23 --until 2026-11-23
expect 2 bad-week summary --db "$db" --week 2026-W54
expect 2 bad-last summary --db "$db" --last 7y
expect 2 bad-tz summary --db "$db" --tz Nowhere/Special $window
expect 2 unknown-format summary --db "$db" -f xml $window
expect 2 unknown-option summary --db "$db" --colour $window
expect 2 missing-value summary --db
expect 2 bad-delimiter summary --db "$db" -f csv --delimiter ';;' $window
expect 2 bad-etl-list summary --db "$db" --etl 5-x $window
expect 2 extra-argument summary runs --db "$db" $window
expect 3 missing-db summary --db "$tmp/nonexistent.db" $window
expect 3 text-file-db summary --db "$tmp/text.db" $window
expect 3 newer-schema summary --db "$tmp/newer.db" $window
expect 3 second-db-bad summary --db "$db" --db "$tmp/text.db" $window
expect 0 help --help
expect 0 version --version
grep -q '^etlhist-report ' "$tmp/out" || { echo "FAIL version text"; fail=1; }

# An empty window is a report with no rows, not an error; the database has an ETL but no
# pass in that window, and that is said on stderr (one warning line), exit 0.
allow_nopass=1
expect 0 empty-text summary --db "$db" $early
grep -q '^total: runs 0, failed 0, aborted 0, failure rate -, abort rate -$' "$tmp/out" ||
    { echo "FAIL empty-text totals:"; cat "$tmp/out"; fail=1; }
expect 0 empty-csv summary --db "$db" -f csv $early
if [ "$(wc -l <"$tmp/out")" -ne 1 ] || ! head -n 1 "$tmp/out" | grep -q '^instance,etl_id,etl_name,runs,'; then
    echo "FAIL empty-csv: expected the header alone:"; cat "$tmp/out"; fail=1
fi
expect 0 empty-json summary --db "$db" -f json $early
tr -d ' \n' <"$tmp/out" | grep -q '"rows":\[\]' || { echo "FAIL empty-json rows"; fail=1; }
for r in failures runs services trend health etls schedule missed; do
    expect 0 "empty-$r" "$r" --db "$db" -f csv $early
done
grep -q 'no collector pass between 2026-11-01T00:00:00Z and 2026-11-08T00:00:00Z' "$tmp/err" ||
    { echo "FAIL empty: no warning about the window without a pass"; fail=1; }

# A known ETL with nothing in the window (one pass, which failed) is listed, coverage 0: a
# silent collector is never "no rows"; --fail-on sees the row.
allow_nopass=
expect 0 silent-summary summary --db "$db" -f csv $window
tr -d '\r' <"$tmp/out" | grep -q '^prod,321,Daily,0,0,0,0,0,0,,,,,,,,0,0.0,0,0,0,,,0$' ||
    { echo "FAIL silent-summary: ETL 321 not listed with coverage 0:"; cat "$tmp/out"; fail=1; }
for r in trend health schedule; do
    expect 0 "silent-$r" "$r" --db "$db" -f csv $window
    grep -q '^prod,321,' "$tmp/out" || { echo "FAIL silent-$r: ETL 321 not listed"; fail=1; }
done
"$report" health --db "$db" -f csv $window -o /dev/null --fail-on 'stale>0' 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'prod etl 321 (Daily): stale 1 > 0' "$tmp/err" ||
    { echo "FAIL silent-health: --fail-on stale>0 did not fire:"; cat "$tmp/err"; fail=1; }
"$report" summary --db "$db" $window -o /dev/null --fail-on 'coverage_pct<95' 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'prod etl 321 (Daily): coverage_pct 0.0 < 95' "$tmp/err" ||
    { echo "FAIL silent-summary: --fail-on coverage_pct<95 did not fire:"; cat "$tmp/err"; fail=1; }
allow_nopass=

# -o writes the file only when the report succeeds.
expect 0 output-file summary --db "$db" -f csv -o "$tmp/r.csv" $window
[ -s "$tmp/r.csv" ] || { echo "FAIL output-file: nothing written"; fail=1; }
expect 3 output-kept summary --db "$tmp/text.db" -o "$tmp/r.csv" $window
[ -s "$tmp/r.csv" ] || { echo "FAIL output-kept: the last good file was lost"; fail=1; }
expect 1 output-unwritable summary --db "$db" -o "$tmp/no/such/dir/r.txt" $window
ls "$tmp" | grep -q tmp && { echo "FAIL a temporary output file was left behind"; fail=1; }

exit $fail
