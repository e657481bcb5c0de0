# Windows and zones at their limits: absurd windows are refused or finish quickly (never a
# core spinning over millions of days), offsets beyond 14 hours are refused and every zone
# is labelled truly, and local times the clocks skipped are named as such.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
report=$B/etlhist-report
DB=$T/history.db
{
    cat "$root/sql/schema.sql" "$root/sql/views.sql"
    echo "PRAGMA user_version = $SCHEMA_VERSION;"
} | sqlite3 "$DB" || fail "cannot create $DB"
# Two ETLs observed on 2026-11-23 by passes every 5 minutes, three runs each at uneven
# starts (no period to learn), one of them failed.
day=1795392000 # 2026-11-23T00:00:00Z
sqlite3 "$DB" "INSERT INTO instance (id, name, url) VALUES (1, 'prod', 'http://co');
    INSERT INTO etl (id, instance_id, etl_id, name, first_seen, last_seen) VALUES
        (1, 1, 1, 'Loader', $day, $((day + 86100))), (2, 1, 2, 'Export', $day, $((day + 86100)));
    WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < 288)
    INSERT INTO pass (instance_id, started, took_s, polled, ok, errors, interval_s)
    SELECT 1, $day + i * 300, 1, 2, 2, 0, 300 FROM k;
    INSERT INTO run (etl_ref, start_ts, end_seen_s, outcome, dur_lo_s, dur_hi_s) VALUES
        (1, $((day + 3600)), 300, 0, 200, 300), (1, $((day + 5 * 3600)), 300, 9, 200, 300),
        (1, $((day + 17 * 3600)), 300, 0, 200, 300), (2, $((day + 7200)), 300, 0, 60, 120),
        (2, $((day + 9 * 3600)), 300, 0, 60, 120), (2, $((day + 11 * 3600)), 300, 0, 60, 120);" ||
    fail "cannot fill $DB"

# run WANT_RC NAME ARGS...: etlhist-report ARGS within 20 s, exit WANT_RC; output in
# $T/out, stderr in $T/err.
run() {
    want=$1 name=$2
    shift 2
    rc=0
    timeout 20 "$report" "$@" --db "$DB" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" -ne 124 ] || fail "$name: still running after 20 s"
    [ "$rc" -eq "$want" ] || fail "$name: exit $rc, expected $want: $(cat "$T/err")"
}
bound="(a window lies within 1970-01-01 and 9999-12-31 UTC)"

# Absurd windows: refused at once, naming the option.
run 2 "--last 999999999999d" summary --last 999999999999d
expect_eq "--last 999999999999d" "$(cat "$T/err")" \
    "etlhist-report: --last 999999999999d: the window would start before 1970-01-01T00:00:00Z $bound"
run 2 "--since -99999999999d" summary --since -99999999999d
expect_eq "--since -99999999999d" "$(cat "$T/err")" \
    "etlhist-report: --since -99999999999d: the window would start before 1970-01-01T00:00:00Z $bound"
run 2 "--until beyond 9999" summary --since 9999-12-31T23:00Z --last 2h
expect_eq "--last past 9999" "$(cat "$T/err")" \
    "etlhist-report: --last 2h: the window would end after 9999-12-31T23:59:59Z $bound"

# The widest window allowed: every run, every figure, quickly.
all="--since 1970-01-01 --until 9999-12-31T23:59:59Z --tz UTC"
# shellcheck disable=SC2086
run 0 "runs over 8000 years" runs $all -f csv
expect_eq "runs over 8000 years: every run" "$(tr -d '\r' <"$T/out" | cut -d, -f2,5,7 | tail -n +2)" \
    "1,2026-11-23T01:00:00,OK
1,2026-11-23T05:00:00,ERROR
1,2026-11-23T17:00:00,OK
2,2026-11-23T02:00:00,OK
2,2026-11-23T09:00:00,OK
2,2026-11-23T11:00:00,OK"
# shellcheck disable=SC2086
run 0 "summary over 8000 years" summary $all -f csv
expect_eq "summary over 8000 years: runs, failed, rate, p50" \
    "$(tr -d '\r' <"$T/out" | awk -F, 'NR > 1 { print $2 "," $4 "," $7 "," $10 "," $12 }')" \
    "1,3,1,33.3,250.0
2,3,0,0.0,90.0"
# shellcheck disable=SC2086
run 0 "html summary over 8000 years" summary $all -f html
expect_eq "html: heat map columns, several days each" \
    "$(grep -o '<th scope="col" class="num" title="[0-9-]* to [0-9-]*"' "$T/out" | wc -l | tr -d ' ')" 62
grep -q '1970-01-01 00:00 UTC' "$T/out" || fail "html: the window is not shown as asked"
# shellcheck disable=SC2086
run 0 "text summary over 8000 years" summary $all
expect_eq "text title" "$(head -n 1 "$T/out")" \
    "etlhist summary, 1970-01-01 00:00 UTC to 9999-12-31 23:59 UTC"

# Zones: offsets beyond 14 hours are refused; a POSIX string calling itself UTC away from
# it is labelled with its offset.
w="--since 2026-11-23T00:00Z --until 2026-11-24T00:00Z"
for z in UTC+99 UTC+25 UTC-14:30; do
    # shellcheck disable=SC2086
    run 2 "--tz $z" summary $w --tz "$z"
    grep -q "^etlhist-report: time zone \"$z\": an offset of [0-9:]* from UTC, beyond the 14 hours of any real zone$" "$T/err" ||
        fail "--tz $z: $(cat "$T/err")"
done
# shellcheck disable=SC2086
run 0 "--tz UTC+5" runs $w --tz UTC+5
expect_eq "--tz UTC+5: title" "$(head -n 1 "$T/out")" \
    "etlhist runs, 2026-11-22 19:00 -05:00 to 2026-11-23 19:00 -05:00"
grep -q ' 11-22 20:00 ' "$T/out" || fail "--tz UTC+5: the 01:00Z run is not shown at 20:00"
# shellcheck disable=SC2086
run 0 "--tz UTC-14" runs $w --tz UTC-14
expect_eq "--tz UTC-14: title" "$(head -n 1 "$T/out")" \
    "etlhist runs, 2026-11-23 14:00 +14:00 to 2026-11-24 14:00 +14:00"

# Local times the clocks skipped are an error naming them; one shown twice is the first.
run 2 "spring gap" summary --since 2026-03-29T02:30 --tz Europe/Berlin
expect_eq "spring gap" "$(cat "$T/err")" \
    "etlhist-report: --since 2026-03-29T02:30 does not exist in Europe/Berlin (clocks went forward)"
run 2 "spring gap hour" summary --since 2026-03-29T02:00 --until 2026-03-29T03:00 --tz Europe/Berlin
expect_eq "spring gap hour" "$(cat "$T/err")" \
    "etlhist-report: --since 2026-03-29T02:00 does not exist in Europe/Berlin (clocks went forward)"
TZ=Europe/Berlin run 2 "spring gap in TZ" summary --since 2026-03-29T02:59
expect_eq "spring gap in TZ" "$(cat "$T/err")" \
    "etlhist-report: --since 2026-03-29T02:59 does not exist in Europe/Berlin (clocks went forward)"
run 0 "autumn fold" etls --since 2026-10-25T02:30 --until 2026-10-25T03:00 --tz Europe/Berlin -f json
expect_eq "autumn fold: 02:30 is the first, in summer time" \
    "$(tr -d ' \n' <"$T/out" | grep -o '"window":{[^}]*}')" \
    '"window":{"since":"2026-10-25T00:30:00Z","until":"2026-10-25T02:00:00Z"}'
echo "report windows ok"
