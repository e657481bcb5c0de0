# The trend report flags a regression only on evidence: enough runs in both windows
# (--trend-min-runs, default 5) and, for the failure rate, Wilson intervals apart; and
# --fail-on 'regressions>0' turns it into a check. Over a history made with sqlite3: hourly
# passes for two weeks, the previous window 2026-11-09..16 and this one 2026-11-16..23.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
report=$B/etlhist-report
DB=$T/history.db
{
    cat "$root/sql/schema.sql" "$root/sql/views.sql"
    echo "PRAGMA user_version = $SCHEMA_VERSION;"
} | sqlite3 "$DB" || fail "cannot create $DB"
prev=1794182400 # 2026-11-09T00:00:00Z
now=1794787200  # 2026-11-16T00:00:00Z, where this window starts
# runs_sql REF FROM N FAILED: N hourly runs of 60 s from FROM, the first FAILED of them
# ERROR (code 9), the rest OK (code 0).
runs_sql() {
    ref=$1 from=$2 n=$3 failed=$4
    echo "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < $n)
        INSERT INTO run (etl_ref, start_ts, end_seen_s, outcome, dur_lo_s, dur_hi_s)
        SELECT $ref, $from + i * 3600 + 600, 60, CASE WHEN i < $failed THEN 9 ELSE 0 END, 60, 60
        FROM k;"
}
sqlite3 "$DB" "INSERT INTO instance (id, name, url) VALUES (1, 'prod', 'http://co');
    INSERT INTO etl (id, instance_id, etl_id, name, first_seen, last_seen) VALUES
        (1, 1, 1, 'One run before', $prev, $((now + 7 * 86400))),
        (2, 1, 2, 'Clear regression', $prev, $((now + 7 * 86400))),
        (3, 1, 3, 'Three runs before', $prev, $((now + 7 * 86400))),
        (4, 1, 4, 'Steady', $prev, $((now + 7 * 86400)));
    WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < 336)
    INSERT INTO pass (instance_id, started, took_s, polled, ok, errors, interval_s)
    SELECT 1, $prev + i * 3600, 1, 4, 4, 0, 3600 FROM k;
    $(runs_sql 1 $prev 1 0) $(runs_sql 1 $now 10 10)
    $(runs_sql 2 $prev 10 0) $(runs_sql 2 $now 10 8)
    $(runs_sql 3 $prev 3 0) $(runs_sql 3 $now 10 10)
    $(runs_sql 4 $prev 10 1) $(runs_sql 4 $now 10 2)" || fail "cannot fill $DB"
W="--db $DB --since 2026-11-16T00:00Z --until 2026-11-23T00:00Z"

# trend [ARGS...]: the trend report as CSV in $T/out, stderr in $T/err, exit code in RC.
trend() {
    RC=0
    # shellcheck disable=SC2086 # W is a list of words
    "$report" trend $W -f csv "$@" >"$T/out" 2>"$T/err" || RC=$?
}
# flag ID: the regression column of ETL ID.
flag() { tr -d '\r' <"$T/out" | awk -F, -v id="$1" '$2 == id { print $10 }'; }
figures() { tr -d '\r' <"$T/out" | awk -F, -v id="$1" '$2 == id { print $4 "," $5 "," $6 "," $7 }'; }

trend
expect_eq "trend exit" "$RC" 0
expect_eq "one run before: figures" "$(figures 1)" "10,1,100.0,0.0"
expect_eq "one run before: not judged" "$(flag 1)" ""
expect_eq "0 of 10 failed, then 8 of 10: figures" "$(figures 2)" "10,10,80.0,0.0"
expect_eq "0 of 10 failed, then 8 of 10: flagged" "$(flag 2)" yes
expect_eq "three runs before: not judged at the default minimum" "$(flag 3)" ""
expect_eq "1 of 10 failed, then 2 of 10: intervals overlap" "$(flag 4)" no

# The check: one regression, named with the count, exit 1 after the report was written.
trend --fail-on 'regressions>0'
expect_eq "--fail-on regressions>0 exit" "$RC" 1
expect_eq "--fail-on regressions>0 stderr" "$(cat "$T/err")" \
    "etlhist-report: prod etl 2 (Clear regression): regression yes
etlhist-report: regressions 1 > 0"
expect_eq "--fail-on: the report is written all the same" "$(flag 2)" yes
trend --fail-on 'regressions>1'
expect_eq "--fail-on regressions>1: not crossed" "$RC:$(cat "$T/err")" "0:"
# One previous run no longer flags: the ETL alone passes the check.
trend --etl 1,3,4 --fail-on 'regressions>0'
expect_eq "one run before: --fail-on regressions>0 passes" "$RC:$(cat "$T/err")" "0:"

# --trend-min-runs lowers the evidence needed: three runs before now suffice for ETL 3.
trend --trend-min-runs 3 --fail-on 'regressions>0'
expect_eq "--trend-min-runs 3 exit" "$RC" 1
expect_eq "--trend-min-runs 3: three runs before judged" "$(flag 3)" yes
expect_eq "--trend-min-runs 3: one run before still not judged" "$(flag 1)" ""
grep -q '^etlhist-report: regressions 2 > 0$' "$T/err" || fail "regressions 2: $(cat "$T/err")"
# Even at 1, the intervals judge: 0 of 1 before is [0, 79 %], 10 of 10 now [72 %, 100 %].
trend --trend-min-runs 1
expect_eq "--trend-min-runs 1: one run before judged, not flagged" "$(flag 1)" no

# Usage errors: exit 2, one line, nothing written.
for bad in 0 -1 x 5x 1000001 " 5"; do
    trend --trend-min-runs "$bad"
    expect_eq "--trend-min-runs '$bad' exit" "$RC" 2
    expect_eq "--trend-min-runs '$bad' message" "$(cat "$T/err")" \
        "etlhist-report: --trend-min-runs: expected a whole number from 1 to 1000000, got \"$bad\""
done
RC=0
# shellcheck disable=SC2086
"$report" summary $W -o "$T/s.txt" --fail-on 'regressions>0' 2>"$T/err" || RC=$?
expect_eq "regressions on the summary: exit" "$RC" 2
expect_eq "regressions on the summary: message" "$(cat "$T/err")" \
    "etlhist-report: --fail-on: regressions counts the rows whose regression column says yes: the summary report has no such column"
[ ! -e "$T/s.txt" ] || fail "regressions on the summary: a report was written"
echo "trend report ok"
