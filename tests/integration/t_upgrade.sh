#!/bin/sh
# A schema v1 history recorded by the v1 collector (tests/data/v1) is upgraded in place by
# the collector's first read-write open: the report refuses it untouched before, and after
# it every report is the v1 release's own output row for row, every row is kept, and
# --rebuild-runs derives the same runs the upgrade carried over.
. "$(dirname "$0")/lib.sh"
data=$(cd "$(dirname "$0")/../data/v1" && pwd)
DB=$T/history.db
cp "$data/history.db" "$DB"
W="--since 2026-11-16T00:00Z --until 2026-11-18T00:00Z --tz UTC"
REPORTS="summary failures runs services trend health etls schedule missed"

counts() { sql "SELECT (SELECT count(*) FROM sample), (SELECT count(*) FROM run), (SELECT count(*) FROM pass), (SELECT sum(polls) FROM sample)"; }
v1_counts=$(counts)
expect_eq "v1 file" "$(sql "PRAGMA user_version")" 1

# The report never upgrades: a clear message, the file byte for byte as it was.
sum_before=$(md5sum <"$DB")
rc=0
"$B/etlhist-report" summary --db "$DB" $W >/dev/null 2>"$T/report.err" || rc=$?
expect_eq "report on a v1 file: exit code" "$rc" 3
grep -q "older schema; run etlhist-collect once to upgrade it" "$T/report.err" ||
    fail "report on a v1 file: no clear message: $(cat "$T/report.err")"
expect_eq "report left the v1 file alone" "$(md5sum <"$DB")" "$sum_before"

# A failed upgrade (here: the file is read-only) leaves the v1 file intact.
chmod 444 "$DB"
rc=0
if [ "$(id -u)" != 0 ]; then
    "$B/etlhist-collect" --db "$DB" --prune 36500 2>"$T/ro.err" || rc=$?
    [ "$rc" -ne 0 ] || fail "upgrade of a read-only file reported success"
    expect_eq "read-only v1 file intact" "$(md5sum <"$DB")" "$sum_before"
fi
chmod 644 "$DB"

# The collector's first open upgrades (--prune 36500 deletes nothing: 100 years).
"$B/etlhist-collect" --db "$DB" --prune 36500 2>"$T/up.err" || fail "upgrade failed: $(cat "$T/up.err")"
expect_eq "schema version" "$(sql "PRAGMA user_version")" 2
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
expect_eq "foreign keys" "$(sql "PRAGMA foreign_key_check")" ""
expect_eq "samples, runs, passes and polls kept" "$(counts)" "$v1_counts"
expect_eq "each pass took the instance's interval" "$(sql "SELECT group_concat(DISTINCT interval_s) FROM pass")" 300
expect_eq "undocumented exit codes verbatim" \
    "$(sql "SELECT group_concat(exit_code, ',') FROM (SELECT DISTINCT exit_code FROM v_run WHERE exit_code NOT IN ('OK', 'WARNING', 'ERROR') ORDER BY 1)")" \
    "Exit_7,FAILED,PARTIAL_SUCCESS"

for r in $REPORTS; do
    "$B/etlhist-report" "$r" --db "$DB" $W -f csv -o "$T/$r.csv" || fail "$r report failed"
    diff -u "$data/expected/$r.csv" "$T/$r.csv" >&2 || fail "$r report differs from v1's"
done

sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq" >"$T/runs.upgraded"
"$B/etlhist-collect" --db "$DB" --rebuild-runs -q || fail "--rebuild-runs failed on v2"
sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq" >"$T/runs.rebuilt"
[ -s "$T/runs.rebuilt" ] || fail "no runs rebuilt"
diff -u "$T/runs.upgraded" "$T/runs.rebuilt" >&2 || fail "rebuilt runs differ from the upgraded ones"

# A second open finds v2 and changes nothing.
"$B/etlhist-collect" --db "$DB" --prune 36500 || fail "second open failed"
expect_eq "rows after a second open" "$(counts)" "$v1_counts"
echo "upgrade v1 -> v2 ok ($(echo "$v1_counts" | cut -d'|' -f2) runs, $(echo $REPORTS | wc -w) reports identical)"
