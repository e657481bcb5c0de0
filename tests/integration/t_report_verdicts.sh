# What needs attention, from histories the real collector recorded against the fake CO server:
# a collector that never reached CO (unreachable, token refused; ETLs listed or discovered) is
# never "all clear" to a reader or to --fail-on; a failing ETL is named with its streak and
# since when; "Nothing needs attention" appears only when nothing qualifies and the window was
# observed throughout, and an observation gap alone keeps it away.
. "$(dirname "$0")/lib.sh"
BASE=1795392000 # 2026-11-23T00:00:00Z
DAY="--since 2026-11-23T00:00:00Z --until 2026-11-24T00:00:00Z --tz UTC"
R=$B/etlhist-report

# report REPORT ARGS...: the report over the day; its exit code in RC, stderr in $T/report.err.
report() {
    set +e
    # shellcheck disable=SC2086 # DAY is a list of words
    "$R" "$@" --db "$DB" $DAY 2>"$T/report.err"
    RC=$?
    set -e
}

# attention FILE: the Needs attention block of a text report, one item a line (the report
# wraps long items under their start).
attention() {
    sed -n '/^Needs attention/,/^$/p' "$1" |
        awk '/^    [^ -]/ { sub(/^ +/, ""); line = line " " $0; next }
             { if (line != "") print line; line = $0 } END { if (line != "") print line }'
}

# --- a collector that never reached CO ---------------------------------------------------
cat >"$T/never.scn" <<EOS
token right-token
etl 1 name="Hourly" period=3600 offset=300 duration=120 outcomes=OK
EOS
start_fakeco "$T/never.scn"
secret_file "$T/wrong" wrong-token
# never_db NAME URL ETLS: a history of 12 failed passes, one every 300 s from 00:00:30.
never_db() {
    DB=$T/$1.db
    printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = %s\n' \
        "$DB" "$2" "$T/wrong" "$3" >"$T/$1.conf"
    i=0
    while [ $i -lt 12 ]; do
        collect_at $((BASE + 30 + i * 300)) -c "$T/$1.conf" -q
        expect_eq "$1: pass $i stored nothing" "$RC" 3
        i=$((i + 1))
    done
    expect_eq "$1: every failed pass recorded" "$(sql "SELECT count(*) FROM pass WHERE ok = 0")" 12
}
# The discard port: nothing listens there.
for case in "unreachable-all http://127.0.0.1:9 all" "unreachable-list http://127.0.0.1:9 1,2" \
    "refused-all $URL all" "refused-list $URL 1,2"; do
    set -- $case
    never_db "$1" "$2" "$3"
    report summary -o /dev/null
    expect_eq "$1: summary exit" "$RC" 0
    "$R" summary --db "$DB" $DAY >"$T/$1.txt" 2>/dev/null
    attention "$T/$1.txt" >"$T/$1.attn"
    grep -q '^Needs attention (1):$' "$T/$1.attn" || fail "$1: no attention list: $(cat "$T/$1.txt")"
    grep -q '^  - instance prod: never observed: the collector has had no successful pass; last error: ' \
        "$T/$1.attn" || fail "$1: not named never observed: $(cat "$T/$1.attn")"
    case $1 in
    unreachable-all) grep -q "last error: CO unreachable: ETL list .* failed: Couldn't connect to server" "$T/$1.attn" ;;
    unreachable-list) grep -q "last error: CO unreachable: every ETL failed (first: etl 1: Couldn't connect to server: nothing answers at the URL's host and port (is CO up there?))" "$T/$1.attn" ;;
    refused-*) grep -q 'last error: authentication refused: authentication failed (HTTP 401 from /opt/api/v1/backend/etls/)' "$T/$1.attn" ;;
    esac || fail "$1: the collector's error is not given: $(cat "$T/$1.attn")"
    grep -q 'Nothing needs attention' "$T/$1.txt" && fail "$1: reads as all clear"
    report health -o /dev/null --fail-on 'stale>0'
    expect_eq "$1: health --fail-on stale>0" "$RC" 1
    report summary -o /dev/null --fail-on 'coverage_pct<95'
    expect_eq "$1: summary --fail-on coverage_pct<95" "$RC" 1
    report summary -f csv --no-header -o /dev/null
    case $1 in
    *-all) expect_eq "$1: one row stands for the instance" "$("$R" summary --db "$DB" $DAY -f csv --no-header 2>/dev/null | tr -d '\r' | cut -d, -f1-4,18)" "prod,,(no ETL known),0,0.0" ;;
    *) expect_eq "$1: the listed ETLs, 0 % covered" "$("$R" summary --db "$DB" $DAY -f csv --no-header 2>/dev/null | tr -d '\r' | cut -d, -f1,2,18 | tr '\n' ' ')" "prod,1,0.0 prod,2,0.0 " ;;
    esac
    grep -q 'stale 1 > 0' "$T/report.err" && fail "$1: summary has no stale column"
    report runs -o "$T/$1.runs"
    grep -q 'instance prod: never observed' "$T/$1.runs" || fail "$1: runs does not say it"
done
kill "$FAKECO_PID" && wait "$FAKECO_PID" 2>/dev/null
FAKECO_PID=

# --- a day observed throughout: two ETLs, one failing since 20:10 --------------------------
cat >"$T/day.scn" <<EOS
token tok
etl 1 name="Hourly fine" period=3600 offset=300 duration=120 outcomes=OK
etl 2 name="Hourly, failing since evening" period=3600 offset=600 duration=60 outcomes=OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,OK,ERROR,ERROR,ERROR,ERROR
EOS
start_fakeco "$T/day.scn"
secret_file "$T/token" tok
DB=$T/day.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/day.conf"
# one pass every 300 s from 23:00 the day before to 00:05 the day after; the copy in gap.db
# misses 12:00 to 13:00
i=0
while [ $i -le 313 ]; do
    t=$((BASE - 3600 + i * 300))
    collect_at $t -c "$T/day.conf" -q
    [ "$RC" -le 1 ] || fail "pass at $t exited $RC"
    i=$((i + 1))
done
report summary -o "$T/day.txt"
expect_eq "day: summary exit" "$RC" 0
attention "$T/day.txt" >"$T/day.attn"
expect_eq "day: the failing ETL, with its streak and since when" "$(cat "$T/day.attn")" \
    "$(printf 'Needs attention (1):\n  - Hourly, failing since evening (id 2, prod): failing: the last 4 finished runs failed (latest ERROR), since 2026-11-23 20:10; 4 of 24 finished runs in the window failed\n')"
report summary -o /dev/null --fail-on 'failure_streak>0'
expect_eq "day: --fail-on failure_streak>0" "$RC" 1
# -c: the collector's configuration names the database, as for the collector.
# shellcheck disable=SC2086
"$R" summary -c "$T/day.conf" $DAY -o "$T/day-c.txt" || fail "summary -c failed"
cmp "$T/day.txt" "$T/day-c.txt" || fail "summary -c differs from --db"
set +e
"$R" summary -c "$T/missing.conf" $DAY -o /dev/null 2>"$T/c.err"
rc=$?
set -e
expect_eq "summary -c missing file: exit" "$rc" 2
grep -q -- "-c $T/missing.conf: No such file or directory" "$T/c.err" || fail "-c: $(cat "$T/c.err")"
# [report] tz: the display zone without --tz, before TZ; --tz before it; checked as --tz is.
UTCDAY="--since 2026-11-23T00:00:00Z --until 2026-11-24T00:00:00Z"
zone_conf() { cp "$T/day.conf" "$T/zone.conf" && printf '[report]\ntz = %s\n' "$1" >>"$T/zone.conf"; }
# title VAR=VALUE ARGS...: the summary's first line, run with VAR=VALUE in its environment.
title() {
    e=$1
    shift
    # shellcheck disable=SC2086 # UTCDAY is a list of words
    env "$e" "$R" summary "$@" $UTCDAY 2>"$T/zone.err" | head -n 1
}
zone_conf Asia/Tokyo
expect_eq "[report] tz by -c" "$(title TZ=America/New_York -c "$T/zone.conf")" \
    "etlhist summary, 2026-11-23 09:00 JST to 2026-11-24 09:00 JST"
expect_eq "[report] tz by \$ETLHIST_CONFIG" "$(title ETLHIST_CONFIG="$T/zone.conf")" \
    "etlhist summary, 2026-11-23 09:00 JST to 2026-11-24 09:00 JST"
expect_eq "--tz before [report] tz" "$(title TZ=UTC -c "$T/zone.conf" --tz Europe/Paris)" \
    "etlhist summary, 2026-11-23 01:00 CET to 2026-11-24 01:00 CET"
expect_eq "TZ without [report] tz" "$(title TZ=America/New_York -c "$T/day.conf")" \
    "etlhist summary, 2026-11-22 19:00 EST to 2026-11-23 19:00 EST"
zone_conf UTC-3
expect_eq "[report] tz: a POSIX string" "$(title TZ=UTC -c "$T/zone.conf")" \
    "etlhist summary, 2026-11-23 03:00 +03:00 to 2026-11-24 03:00 +03:00"
for bad in Mars/Olympus UTC+15; do
    zone_conf $bad
    set +e
    # shellcheck disable=SC2086
    "$R" summary -c "$T/zone.conf" $UTCDAY --tz UTC -o /dev/null 2>"$T/zone.err"
    rc=$?
    set -e
    expect_eq "[report] tz = $bad: exit" "$rc" 2
    expect_eq "[report] tz = $bad: one line" "$(wc -l <"$T/zone.err")" 1
    grep -q "^etlhist-report: config $T/zone.conf: \[report\] tz: .*\"$bad\"" "$T/zone.err" ||
        fail "[report] tz = $bad: $(cat "$T/zone.err")"
done
# The collector reads the same file: it takes the [report] section and shows it.
zone_conf Asia/Tokyo
"$B/etlhist-collect" -c "$T/zone.conf" --print-config >"$T/zone.print" 2>&1 ||
    fail "the collector refused [report]: $(cat "$T/zone.print")"
grep -A1 -x '\[report\]' "$T/zone.print" | grep -qx 'tz = Asia/Tokyo' || fail "--print-config: $(cat "$T/zone.print")"
# Only the fine ETL: nothing needs attention, said as such.
report summary --etl 1 -o "$T/fine.txt"
expect_eq "day, ETL 1: the all-clear line" "$(sed -n 3p "$T/fine.txt")" \
    "Nothing needs attention: every instance was observed throughout the window and no ETL failed, stopped, overran or ran late."
report summary --etl 1 -f html -o "$T/fine.html"
grep -q '<section class="attention clear" id="attention">' "$T/fine.html" || fail "day, ETL 1: HTML not clear"
# --max-rate: the failing ETL's 4 of 24 (16.7 %) is named as a rate only when not failing now;
# here it is failing, so it stays one line whatever the threshold.
report summary --max-rate 10 -o "$T/rate.txt"
expect_eq "day: one line per ETL and kind" "$(grep -c '(id 2, prod)' "$T/rate.txt")" 1

# The same day with the collector stopped from 12:00 to 13:00: not all clear.
cp "$DB" "$T/gap.db"
DB=$T/gap.db
sql "DELETE FROM sample WHERE first_seen >= $((BASE + 43200)) AND first_seen < $((BASE + 46800)); DELETE FROM pass WHERE started >= $((BASE + 43200)) AND started < $((BASE + 46800));"
report summary --etl 1 -o "$T/gap.txt"
grep -q 'Nothing needs attention' "$T/gap.txt" && fail "gap: an hour unobserved reads as all clear"
attention "$T/gap.txt" | grep -q '^  - instance prod: observation gaps: 1 of 1 ETL observed over less than the whole window' ||
    fail "gap: not named: $(sed -n 1,8p "$T/gap.txt")"
echo "verdicts ok"

# --- deleted from CO: by disappearing from the ETL list (etls = all) and by HTTP 400 (a list)
kill "$FAKECO_PID" && wait "$FAKECO_PID" 2>/dev/null
FAKECO_PID=
cat >"$T/del.scn" <<EOS
token tok
etl 1 name="Hourly fine" period=3600 offset=300 duration=120 outcomes=OK
etl 3 name="Retired at two" period=3600 offset=900 duration=60 outcomes=OK,ERROR deleted=$((BASE + 50400))
EOS
start_fakeco "$T/del.scn"
DB=$T/del.db
printf '[collect]\ndb = %s\n[instance all]\nurl = %s\ntoken_file = %s\netls = all\n[instance listed]\nurl = %s\ntoken_file = %s\netls = 1, 3\n' \
    "$DB" "$URL" "$T/token" "$URL" "$T/token" >"$T/del.conf"
i=0
while [ $i -le 313 ]; do
    collect_at $((BASE - 3600 + i * 300)) -c "$T/del.conf" -q
    i=$((i + 1))
done
report summary -o "$T/del.txt"
expect_eq "deleted: summary exit" "$RC" 0
attention "$T/del.txt" >"$T/del.attn"
expect_eq "deleted: named once per instance, first poll after 14:00, nothing else said of it" \
    "$(grep -c '(id 3, ' "$T/del.attn")" 2
for inst in all listed; do
    grep -q "^  - Retired at two (id 3, $inst): deleted from CO: gone by 2026-11-23 14:0[05]" "$T/del.attn" ||
        fail "deleted ($inst): not named: $(cat "$T/del.attn")"
done
grep -q 'missed\|observation gaps\|failing' "$T/del.attn" && fail "deleted: also missed, failing or a gap: $(cat "$T/del.attn")"
# the window before it was deleted judges it as any other ETL: its last run failed
"$R" summary --db "$DB" --since 2026-11-23T00:00:00Z --until 2026-11-23T12:00:00Z --tz UTC \
    -o "$T/before.txt" 2>/dev/null
attention "$T/before.txt" | grep -q '(id 3, all): failing' || fail "deleted: before its deletion it is not judged"
attention "$T/before.txt" | grep -q 'deleted' && fail "deleted: said before it happened"
echo "deleted ok"
