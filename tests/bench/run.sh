#!/bin/sh
# make bench: etlhist against its baselines, on this machine, in one run. Prints one table of
# ratios (docs/design.md §5 targets) and the tables of how the cost grows; never fails on a
# missed target, only when something could not run. Method: docs/dev/PERFORMANCE.md.
#   sh tests/bench/run.sh BUILD_DIR
# Knobs (environment): BENCH_REPS (5) repetitions of rows 1 and 3, median taken;
# BENCH_GROW_REPS (3) those of the growth tables; BENCH_C (8) concurrency; BENCH_ETLS (10000);
# BENCH_SHELL_ETLS (300); BENCH_SCALE=0 skips the growth tables; BENCH_YEAR_ETLS (100) and
# BENCH_YEAR_PASSES (105120) the long history; BENCH_WIDE_ETLS (1000) the ETLs of the
# 4-week check that row 3 does not depend on the number of ETLs, and of row 6 (follow).
set -eu
B=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
REPS=${BENCH_REPS:-5}
GROW_REPS=${BENCH_GROW_REPS:-3}
C=${BENCH_C:-8}
ETLS=${BENCH_ETLS:-10000}
SHELL_ETLS=${BENCH_SHELL_ETLS:-300}
SCALE=${BENCH_SCALE:-1}
YEAR=${BENCH_YEAR_PASSES:-105120}
YEAR_ETLS=${BENCH_YEAR_ETLS:-100}
WIDE=${BENCH_WIDE_ETLS:-1000}
FOLLOW=240 # etlhist-collect --follow at a 300 s interval: the cap, interval less timeout
MONTH=8064 # passes in 4 weeks
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
T0=1795392000 # the fake servers' clock for the collection benchmarks (2026-11-23 00:00 UTC)
TOKEN=bench-token

die() {
    echo "bench: $*" >&2
    exit 1
}

missing=
for c in curl h2load jq sqlite3 awk md5sum; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
[ -x /usr/bin/time ] || missing="$missing time"
[ -r "$FAKETIME_LIB" ] || missing="$missing faketime"
[ -z "$missing" ] || die "missing:$missing (Debian: apt-get install -y$missing)"
for p in etlhist-collect etlhist-report fakeco bench/genhist; do
    [ -x "$B/$p" ] || die "$B/$p not built (make bench builds it)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/etlhist-bench.XXXXXX")
FAKECO_PID=
cleanup() {
    [ -z "$FAKECO_PID" ] || { kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null; }
    [ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers ----
now_ns() { date +%s%N; }

# timed FILE CMD...: runs CMD, appends "wall_seconds peak_rss_kib cpu_seconds" to FILE (cpu:
# user + system). Keeps CMD's exit status in RC.
timed() {
    out=$1
    shift
    s=$(now_ns)
    set +e
    /usr/bin/time -f '%M %U %S' -o "$W/rss" "$@"
    RC=$?
    set -e
    e=$(now_ns)
    echo "$(((e - s) / 1000)) $(tail -n 1 "$W/rss")" |
        awk '{printf "%.6f %d %.2f\n", $1 / 1e6, $2, $3 + $4}' >>"$out"
}
# median FILE [COLUMN]
median() { awk -v c="${2:-1}" '{print $c}' "$1" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
maxcol2() { awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_fakeco N: a fake CO server with N hourly ETLs, clock at T0; sets PORT and URL.
start_fakeco() {
    stop_fakeco
    sh "$here/scenario.sh" "$1" "$TOKEN" >"$W/scn"
    rm -f "$W/port"
    "$B/fakeco" --scenario "$W/scn" --port-file "$W/port" >"$W/fakeco.out" 2>"$W/fakeco.err" &
    FAKECO_PID=$!
    i=0
    while [ ! -s "$W/port" ]; do
        i=$((i + 1))
        [ $i -le 200 ] || die "fakeco did not start: $(cat "$W/fakeco.err")"
        sleep 0.05
    done
    PORT=$(cat "$W/port")
    URL=http://127.0.0.1:$PORT
    set_clock "$T0"
    awk -v u="$URL" -v n="$1" 'BEGIN {for (i = 1; i <= n; i++)
        printf "url = \"%s/opt/api/v1/backend/etls/%d/status\"\noutput = \"/dev/null\"\n", u, 10000 + i}' \
        >"$W/urls"
    awk -v u="$URL" -v n="$1" 'BEGIN {for (i = 1; i <= n; i++)
        printf "%s/opt/api/v1/backend/etls/%d/status\n", u, 10000 + i}' >"$W/h2urls"
}
stop_fakeco() {
    [ -z "$FAKECO_PID" ] || { kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null || true; }
    FAKECO_PID=
}
set_clock() { curl -sf -X POST "$URL/_ctl/now?t=$1" >/dev/null || die "cannot set the fake clock"; }

printf '%s\n' "$TOKEN" >"$W/token"
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$W/header"
chmod 600 "$W/token" "$W/header"

# collect_at T N DB OUT: one collector pass at fake time T over N ETLs, timed into OUT.
collect_at() {
    set_clock "$1"
    timed "$4" env LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$1" \
        FAKETIME_DONT_FAKE_MONOTONIC=1 "$B/etlhist-collect" --url "$URL" --token-file "$W/token" \
        --etl "10001-$((10000 + $2))" --db "$3" --concurrency "$C" -q 2>>"$W/collect.err"
    [ "$RC" = 0 ] || die "collector exited $RC over $2 ETLs: $(tail -n 3 "$W/collect.err" 2>/dev/null)"
}
curl_all() {
    timed "$1" curl --parallel --parallel-max "$C" --no-progress-meter -H @"$W/header" --config "$W/urls"
    [ "$RC" = 0 ] || die "curl exited $RC"
}
# h2load_all N OUT: h2load's HTTP/1.1 client, C connections (N when fewer), N requests, the
# same token.
# h2load has no header file: the fake server's token is on its argv. Each of its clients
# walks the URL list from the top, so N requests ask the first N / C URLs C times each.
h2load_all() {
    timed "$2" h2load --h1 -c $(($1 < C ? $1 : C)) -n "$1" -H "Authorization: Bearer $TOKEN" -i "$W/h2urls" \
        >"$W/h2load.out"
    [ "$RC" = 0 ] || die "h2load exited $RC"
    grep -q "status codes: $1 2xx" "$W/h2load.out" ||
        die "h2load: not $1 answers 2xx: $(grep 'status codes' "$W/h2load.out")"
}

# bench_collect N R: R interleaved passes of the collector, curl and h2load over N ETLs,
# each collector pass 300 s of fake time after the previous one (after a first, untimed pass
# that creates the ETL rows). Sets COL_S, CURL_S, H2_S (medians), COL_RSS (max KiB), FIRST_S.
bench_collect() {
    n=$1
    reps=$2
    start_fakeco "$n"
    db=$W/collect-$n.db
    rm -f "$db" "$db-wal" "$db-shm" "$W/col" "$W/curl" "$W/h2" "$W/first"
    collect_at "$T0" "$n" "$db" "$W/first"
    FIRST_S=$(median "$W/first")
    curl_all "$W/warm"
    h2load_all "$n" "$W/warm"
    srv0=$(cpu_ticks "$FAKECO_PID")
    k=1
    while [ $k -le "$reps" ]; do
        collect_at $((T0 + k * 300)) "$n" "$db" "$W/col"
        curl_all "$W/curl"
        h2load_all "$n" "$W/h2"
        k=$((k + 1))
    done
    SRV_TICKS=$(($(cpu_ticks "$FAKECO_PID") - srv0))
    SRV_WALL=$(cat "$W/col" "$W/curl" "$W/h2" | awk '{s += $1} END {print s}')
    COL_S=$(median "$W/col")
    CURL_S=$(median "$W/curl")
    H2_S=$(median "$W/h2")
    H2_CPU=$(median "$W/h2" 3)
    COL_CPU=$(median "$W/col" 3)
    CURL_CPU=$(median "$W/curl" 3)
    COL_RSS=$(maxcol2 "$W/col")
    polled=$(sqlite3 "$db" "SELECT sum(ok) FROM pass WHERE polled = $n")
    [ "$polled" = $((n * (reps + 1))) ] || die "collector stored $polled polls, expected $((n * (reps + 1)))"
}

hz=$(getconf CLK_TCK)
load0=$(cut -d' ' -f1 /proc/loadavg)
cores=$(nproc)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)

# ---- 0. the histories, generated on both cores before anything is timed ----
# Each is generated once and cached in $B/bench-cache (history.sh). One core: the long
# history (YEAR_ETLS ETLs over YEAR passes, snapshots after 1, 4 and 13 weeks). The other:
# WIDE ETLs over 4 weeks (week snapshot), the same week with follow rounds (row 6), and the
# 1-week histories of the growth table.
echo "bench: 0. histories (in $B/bench-cache; generated when missing, on both cores)" >&2
GENCHK=$(sh "$here/check-genhist.sh" "$B") || die "the history generator is not faithful"
s0=$(now_ns)
sh "$here/history.sh" "$B" "$YEAR_ETLS" "$YEAR" 2016=week 8064=month 26208=quarter \
    >"$W/hy" 2>"$W/hy.err" &
py=$!
(
    sh "$here/history.sh" "$B" "$WIDE" "$MONTH" 2016=week
    sh "$here/history.sh" "$B" "$WIDE" 2016 --follow "$FOLLOW"
    for n in 100 300 1000; do
        [ $n = "$YEAR_ETLS" ] || [ $n = "$WIDE" ] || sh "$here/history.sh" "$B" $n 2016
    done
) >"$W/hw" 2>"$W/hw.err" &
pw=$!
wait $py || die "generating the long history failed: $(tail -n 3 "$W/hy.err")"
wait $pw || die "generating the other histories failed: $(tail -n 3 "$W/hw.err")"
GEN_S=$((($(now_ns) - s0) / 1000000000))
echo "bench: histories ready after $GEN_S s" >&2
HY=$(cat "$W/hy")
HW=$(sed -n 1p "$W/hw")
HF=$(sed -n 2p "$W/hw")
week_db() { # the 1-week history of N ETLs
    if [ "$1" = "$YEAR_ETLS" ]; then
        echo "$HY/week.db"
    elif [ "$1" = "$WIDE" ]; then
        echo "$HW/week.db"
    else
        echo "$(sh "$here/history.sh" "$B" "$1" 2016)/final.db"
    fi
}

# ---- 1. collection against curl --parallel and h2load; the fake server's own capacity ----
echo "bench: 1. collection, $ETLS ETLs, concurrency $C, $REPS repetitions" >&2
bench_collect "$ETLS" "$REPS"
R1_COL=$COL_S R1_CURL=$CURL_S R1_RSS=$COL_RSS R1_FIRST=$FIRST_S R1_COL_CPU=$COL_CPU R1_CURL_CPU=$CURL_CPU
R1_H2=$H2_S R1_H2_CPU=$H2_CPU
# Server check: its CPU per request while collector, curl and h2load ran, and what two curl
# clients get out of it together against one.
srv_us=$(awk -v t="$SRV_TICKS" -v hz="$hz" -v n=$((3 * REPS * ETLS)) 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
rm -f "$W/two"
s=$(now_ns)
curl --parallel --parallel-max "$C" --no-progress-meter -H @"$W/header" --config "$W/urls" &
p1=$!
curl --parallel --parallel-max "$C" --no-progress-meter -H @"$W/header" --config "$W/urls" &
p2=$!
wait $p1 $p2
e=$(now_ns)
two_rate=$(awk -v n=$((2 * ETLS)) -v ns=$((e - s)) 'BEGIN {printf "%.0f", n / (ns / 1e9)}')
one_rate=$(awk -v n="$ETLS" -v s="$R1_CURL" 'BEGIN {printf "%.0f", n / s}')
cap_rate=$(awk -v us="$srv_us" 'BEGIN {printf "%.0f", 1e6 / us}')
srv_busy=$(awk -v t="$SRV_TICKS" -v hz="$hz" -v w="$SRV_WALL" 'BEGIN {printf "%.0f", 100 * t / hz / w}')
stop_fakeco

# ---- 2. collection against a curl | jq | sqlite3 loop ----
echo "bench: 2. collection against a shell loop, $SHELL_ETLS ETLs" >&2
bench_collect "$SHELL_ETLS" "$REPS"
R2_COL=$COL_S
start_fakeco "$SHELL_ETLS"
rm -f "$W/shell" "$W/shell.db"
k=1
while [ $k -le 3 ]; do
    timed "$W/shell" sh "$here/shellpoll.sh" "$URL" "$W/header" "$W/shell.db" 10001 $((10000 + SHELL_ETLS))
    [ "$RC" = 0 ] || die "shell loop failed"
    k=$((k + 1))
done
[ "$(sqlite3 "$W/shell.db" "SELECT count(*) FROM poll WHERE status IS NOT NULL")" = $((3 * SHELL_ETLS)) ] ||
    die "the shell loop did not store every poll"
R2_SHELL=$(median "$W/shell")
stop_fakeco
r2_col_ms=$(awk -v s="$R2_COL" -v n="$SHELL_ETLS" 'BEGIN {printf "%.2f", s * 1000 / n}')
r2_shell_ms=$(awk -v s="$R2_SHELL" -v n="$SHELL_ETLS" 'BEGIN {printf "%.1f", s * 1000 / n}')

# ---- growth of collection with the number of ETLs ----
if [ "$SCALE" = 1 ]; then
    echo "bench: collection growth" >&2
    : >"$W/grow-collect"
    for n in 1 1000 3000 "$ETLS"; do
        if [ "$n" = "$ETLS" ]; then
            echo "$n $R1_COL $R1_CURL $R1_RSS $R1_FIRST $R1_COL_CPU $R1_CURL_CPU $R1_H2" >>"$W/grow-collect"
        else
            bench_collect "$n" "$GROW_REPS"
            echo "$n $COL_S $CURL_S $COL_RSS $FIRST_S $COL_CPU $CURL_CPU $H2_S" >>"$W/grow-collect"
        fi
    done
    stop_fakeco
fi

# ---- 3. the weekly summary over a year against over a week ----
# The long history has YEAR_ETLS ETLs; row 3b repeats the comparison over 4 weeks with WIDE
# ETLs, to show whether the ratio depends on the number of ETLs (docs/dev/PERFORMANCE.md).
echo "bench: 3. reports" >&2
# report_on DB PASSES OUT [REPS]: the weekly summary of the last 7 days of a history of
# PASSES passes, after one untimed run.
report_on() {
    until_ts=$((1736121600 + $2 * 300))
    since_ts=$((until_ts - 7 * 86400))
    rm -f "$3"
    "$B/etlhist-report" summary --db "$1" --since "$(iso $since_ts)" --until "$(iso $until_ts)" \
        -f csv -o "$W/summary.csv" || die "etlhist-report failed on $1"
    k=1
    while [ $k -le "${4:-$REPS}" ]; do
        timed "$3" "$B/etlhist-report" summary --db "$1" --since "$(iso $since_ts)" \
            --until "$(iso $until_ts)" -f csv -o "$W/summary.csv"
        [ "$RC" = 0 ] || die "etlhist-report exited $RC on $1"
        k=$((k + 1))
    done
    REP_S=$(median "$3")
    REP_CPU=$(median "$3" 3)
    REP_RSS=$(maxcol2 "$3")
    REP_ROWS=$(($(wc -l <"$W/summary.csv") - 1))
}
# report_pair WEEK_DB LONG_DB LONG_PASSES ETLS: the two reports interleaved (a busy moment
# hurts both); sets WK_S, LG_S, WK_CPU, LG_CPU, LG_RSS.
report_pair() {
    rm -f "$W/pair-week" "$W/pair-long"
    j=1
    while [ $j -le "$REPS" ]; do
        report_on "$1" 2016 "$W/pw" 1
        cat "$W/pw" >>"$W/pair-week"
        [ "$REP_ROWS" = "$4" ] || die "summary of $1: $REP_ROWS rows, expected $4"
        report_on "$2" "$3" "$W/pl" 1
        cat "$W/pl" >>"$W/pair-long"
        [ "$REP_ROWS" = "$4" ] || die "summary of $2: $REP_ROWS rows, expected $4"
        j=$((j + 1))
    done
    WK_S=$(median "$W/pair-week") WK_CPU=$(median "$W/pair-week" 3)
    LG_S=$(median "$W/pair-long") LG_CPU=$(median "$W/pair-long" 3) LG_RSS=$(maxcol2 "$W/pair-long")
}
report_pair "$HY/week.db" "$HY/final.db" "$YEAR" "$YEAR_ETLS"
R3_WEEK=$WK_S R3_WEEK_CPU=$WK_CPU R3_YEAR=$LG_S R3_YEAR_CPU=$LG_CPU R3_YEAR_RSS=$LG_RSS
report_pair "$HW/week.db" "$HW/final.db" "$MONTH" "$WIDE"
R3B_WEEK=$WK_S R3B_MONTH=$LG_S R3B_WEEK_CPU=$WK_CPU R3B_MONTH_CPU=$LG_CPU
report_pair "$HY/week.db" "$HY/month.db" "$MONTH" "$YEAR_ETLS"
R3C_WEEK=$WK_S R3C_MONTH=$LG_S

# ---- 4. storage ----
echo "bench: 4. storage" >&2
q() { sqlite3 -readonly "$1" "$2"; }
year_bytes=$(($(stat -c %s "$HY/final.db") + $(stat -c %s "$HY/final.db-wal" 2>/dev/null || echo 0)))
year_runs=$(q "$HY/final.db" "SELECT count(*) FROM run")
year_polls=$(q "$HY/final.db" "SELECT sum(polls) FROM sample")
year_samples=$(q "$HY/final.db" "SELECT count(*) FROM sample")
per_run=$(awk -v b="$year_bytes" -v r="$year_runs" 'BEGIN {printf "%.0f", b / r}')
wide_per_run=$(awk -v b="$(stat -c %s "$HW/final.db")" -v r="$(q "$HW/final.db" "SELECT count(*) FROM run")" \
    'BEGIN {printf "%.0f", b / r}')
pp_bytes=$(stat -c %s "$HW/perpoll.db")
pp_rows=$(q "$HW/perpoll.db" "SELECT count(*) FROM poll")
per_poll=$(awk -v b="$pp_bytes" -v r="$pp_rows" 'BEGIN {printf "%.1f", b / r}')
pp_per_run=$(awk -v b="$per_poll" -v p="$year_polls" -v r="$year_runs" 'BEGIN {printf "%.0f", b * p / r}')

# ---- 6. what follow costs on disk ----
# The same week of WIDE ETLs without and with follow rounds, each VACUUMed into a copy so
# that both are measured packed: bytes per run, and per table and index (dbstat).
echo "bench: 6. follow's storage" >&2
for h in "nofollow:$HW/week.db" "follow:$HF/final.db"; do
    rm -f "$W/${h%%:*}.db"
    sqlite3 -readonly "${h#*:}" "VACUUM INTO '$W/${h%%:*}.db'" || die "cannot vacuum ${h#*:}"
done
nf_runs=$(q "$W/nofollow.db" "SELECT count(*) FROM run")
f_runs=$(q "$W/follow.db" "SELECT count(*) FROM run")
nf_per_run=$(awk -v b="$(stat -c %s "$W/nofollow.db")" -v r="$nf_runs" 'BEGIN {printf "%.1f", b / r}')
f_per_run=$(awk -v b="$(stat -c %s "$W/follow.db")" -v r="$f_runs" 'BEGIN {printf "%.1f", b / r}')
f_growth=$(awk -v a="$f_per_run" -v b="$nf_per_run" 'BEGIN {printf "%+.1f", 100 * (a / b - 1)}')
f_passes=$(q "$W/follow.db" "SELECT count(*) FROM pass")
f_rounds=$(q "$W/follow.db" "SELECT sum(follow_rounds) FROM pass")
f_polls=$(q "$W/follow.db" "SELECT sum(polled + follow_polled) FROM pass")
nf_polls=$(q "$W/nofollow.db" "SELECT sum(polled + follow_polled) FROM pass")
f_width=$(q "$W/follow.db" "SELECT round(avg(dur_hi_s - dur_lo_s), 1) FROM run WHERE dur_hi_s IS NOT NULL")
nf_width=$(q "$W/nofollow.db" "SELECT round(avg(dur_hi_s - dur_lo_s), 1) FROM run WHERE dur_hi_s IS NOT NULL")

# ---- table ----
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {ok = op == "le" ? v <= t : v >= t; print ok ? "yes" : "NO"}'; }
r1=$(ratio "$R1_COL" "$R1_CURL")
r1b=$(ratio "$R1_COL" "$R1_H2")
r2=$(awk -v a="$R2_SHELL" -v b="$R2_COL" 'BEGIN {printf "%.0f", a / b}')
r3=$(ratio "$R3_YEAR" "$R3_WEEK")
r3b=$(ratio "$R3B_MONTH" "$R3B_WEEK")
r3c=$(ratio "$R3C_MONTH" "$R3C_WEEK")
r4=$(ratio "$per_run" "$pp_per_run")
rss_c=$(mib "$R1_RSS")
rss_r=$(mib "$R3_YEAR_RSS")
echo
echo "etlhist benchmarks, $(date -u +%Y-%m-%d): $cores cores ($cpu), $mem RAM, $(uname -sr)"
echo "curl $(curl --version | awk 'NR == 1 {print $2}'), $(h2load --version | awk '{print $2; exit}'), SQLite $(sqlite3 --version | cut -d' ' -f1), concurrency $C, median of $REPS"
awk -v l="$load0" -v c="$cores" 'BEGIN {
    if (l > 0.5) printf "WARNING: load average %s when the benchmarks started: other work shared the %d cores.\n", l, c }'
echo
echo "| # | measure | etlhist | baseline | ratio | target | met |"
echo "|---|---|---|---|---|---|---|"
printf '| 1 | one pass over %d ETLs on loopback | %.3f s | curl --parallel-max %d: %.3f s | %s× | ≤ 1.25× | %s |\n' \
    "$ETLS" "$R1_COL" "$C" "$R1_CURL" "$r1" "$(met "$r1" le 1.25)"
printf '| 1b | the same pass against a load generator | %.3f s | h2load --h1 -c %d: %.3f s | %s× | ≤ 1.3× | %s |\n' \
    "$R1_COL" "$C" "$R1_H2" "$r1b" "$(met "$r1b" le 1.3)"
printf '| 2 | collection per ETL (%d ETLs) | %s ms | curl+jq+sqlite3 loop: %s ms | %s× faster | ≥ 50× | %s |\n' \
    "$SHELL_ETLS" "$r2_col_ms" "$r2_shell_ms" "$r2" "$(met "$r2" ge 50)"
printf '| 3 | weekly summary, %d ETLs: 1-year history vs 1-week | %.3f s | 1 week: %.3f s | %s× | ≤ 1.2× | %s |\n' \
    "$YEAR_ETLS" "$R3_YEAR" "$R3_WEEK" "$r3" "$(met "$r3" le 1.2)"
printf '| 3b | weekly summary, %d ETLs: 4-week history vs 1-week | %.3f s | 1 week: %.3f s | %s× | (%d ETLs: %s×) | %s |\n' \
    "$WIDE" "$R3B_MONTH" "$R3B_WEEK" "$r3b" "$YEAR_ETLS" "$r3c" "$(met "$r3b" le 1.2)"
printf '| 4 | bytes on disk per run, 1-year history (%d runs) | %d B | one row per poll: %d B | %s× | ≤ 100 B | %s |\n' \
    "$year_runs" "$per_run" "$pp_per_run" "$r4" "$(met "$per_run" le 100)"
printf '| 5a | collector peak RSS, %d ETLs | %s MiB | target 16 MiB | %s× | ≤ 16 MiB | %s |\n' \
    "$ETLS" "$rss_c" "$(ratio "$rss_c" 16)" "$(met "$rss_c" le 16)"
printf '| 5b | report peak RSS, 1-year history | %s MiB | target 64 MiB | %s× | ≤ 64 MiB | %s |\n' \
    "$rss_r" "$(ratio "$rss_r" 64)" "$(met "$rss_r" le 64)"
printf '| 6 | bytes per run with follow %d s (1 week, %d ETLs, VACUUMed) | %s B | follow off: %s B | %s %% | ≤ +10 %% | %s |\n' \
    "$FOLLOW" "$WIDE" "$f_per_run" "$nf_per_run" "$f_growth" "$(met "$f_growth" le 10)"
echo
echo "Fake server check: fakeco spent $srv_us µs of CPU per request (≈ $cap_rate requests/s per core) and was"
echo "busy $srv_busy% of one core during row 1; one curl got $one_rate requests/s from it, two curls at once"
awk -v one="$one_rate" -v two="$two_rate" -v busy="$srv_busy" 'BEGIN {
    printf "%d requests/s together: ", two
    if (two > one * 1.15 || busy < 50) print "the server is not the bottleneck of row 1."
    else print "WARNING: the server may be the bottleneck of row 1." }'
printf 'Row 1 first pass (empty database, %d ETL rows created): %.3f s; h2load asks the first %d URLs %d times each\n' \
    "$ETLS" "$R1_FIRST" $((ETLS / C)) "$C"
printf '(its clients each walk the list from the top). Row 4: %d samples, %d polls, %s bytes; with %d ETLs\n' \
    "$year_samples" "$year_polls" "$year_bytes" "$WIDE"
printf '(4 weeks) %s B per run. One row per poll costs %s B (%d rows of a first week, index on (etl_id, polled_at)).\n' \
    "$wide_per_run" "$per_poll" "$pp_rows"
printf 'Row 6: %d pass rows and %d follow rounds counted on them, %d polls against %d; mean duration bound width %s s against %s s.\n' \
    "$f_passes" "$f_rounds" "$f_polls" "$nf_polls" "$f_width" "$nf_width"
echo "Histories ($GEN_S s to make or find): $(cat "$HY/gen.txt"); $GENCHK."
printf 'CPU time (user + sys, medians): row 1 etlhist %.2f s, curl %.2f s, h2load %.2f s; row 3 year %.2f s,\n' \
    "$R1_COL_CPU" "$R1_CURL_CPU" "$R1_H2_CPU" "$R3_YEAR_CPU"
printf 'week %.2f s (%s×); row 3b 4 weeks %.2f s, week %.2f s (%s×).\n' "$R3_WEEK_CPU" \
    "$(ratio "$R3_YEAR_CPU" "$R3_WEEK_CPU")" "$R3B_MONTH_CPU" "$R3B_WEEK_CPU" \
    "$(ratio "$R3B_MONTH_CPU" "$R3B_WEEK_CPU")"
echo
echo "Follow's storage by table and index, 1 week of $WIDE ETLs, VACUUMed (bytes per run):"
echo
if q "$W/follow.db" "SELECT 1 FROM dbstat LIMIT 1" >/dev/null 2>&1; then
    echo "| table or index | follow off | follow $FOLLOW s | growth |"
    echo "|---|---|---|---|"
    q "$W/nofollow.db" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name" | sort >"$W/dbs-nf"
    q "$W/follow.db" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name" | sort >"$W/dbs-f"
    join -t'|' "$W/dbs-nf" "$W/dbs-f" | sort -t'|' -k3 -n -r |
        awk -F'|' -v a="$nf_runs" -v b="$f_runs" '{x = $2 / a; y = $3 / b
            printf "| %s | %.1f | %.1f | %+.1f |\n", $1, x, y, y - x}'
else
    echo "(this sqlite3 has no dbstat table: breakdown skipped)"
fi

if [ "$SCALE" = 1 ]; then
    echo
    echo "Collection, growth with the number of ETLs (concurrency $C, median of $GROW_REPS; $ETLS: of $REPS):"
    echo
    echo "| ETLs | etlhist pass | curl --parallel | h2load | etlhist / curl / h2load | etlhist µs per ETL | CPU etlhist / curl | first pass | collector peak RSS |"
    echo "|---|---|---|---|---|---|---|---|---|"
    while read -r n col crl rss first ccpu kcpu h2; do
        printf '| %d | %.3f s | %.3f s | %.3f s | %s× / %s× | %.0f | %.2f / %.2f s | %.3f s | %s MiB |\n' "$n" \
            "$col" "$crl" "$h2" "$(ratio "$col" "$crl")" "$(ratio "$col" "$h2")" \
            "$(awk -v s="$col" -v n="$n" 'BEGIN {print s * 1e6 / n}')" "$ccpu" "$kcpu" "$first" "$(mib "$rss")"
    done <"$W/grow-collect"
    echo
    echo "Weekly summary, growth with the length of the history (median of $GROW_REPS):"
    echo
    echo "| ETLs | history | passes | file | runs | summary | vs 1 week | CPU (user + sys) | report peak RSS |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for h in "$YEAR_ETLS:1 week:$HY/week.db:2016" "$YEAR_ETLS:4 weeks:$HY/month.db:$MONTH" \
        "$YEAR_ETLS:13 weeks:$HY/quarter.db:26208" "$YEAR_ETLS:1 year:$HY/final.db:$YEAR" \
        "$WIDE:1 week:$HW/week.db:2016" "$WIDE:4 weeks:$HW/final.db:$MONTH"; do
        etls=${h%%:*}
        rest=${h#*:}
        label=${rest%%:*}
        rest=${rest#*:}
        db=${rest%%:*}
        passes=${rest#*:}
        [ -s "$db" ] || continue
        report_on "$db" "$passes" "$W/rep-len" "$GROW_REPS"
        [ "$label" != "1 week" ] || week_s=$REP_S
        printf '| %d | %s | %d | %s MiB | %d | %.3f s | %s× | %.2f s | %s MiB |\n' "$etls" "$label" \
            "$passes" "$(awk -v b="$(stat -c %s "$db")" 'BEGIN {printf "%.0f", b / 1048576}')" \
            "$(q "$db" "SELECT count(*) FROM run")" "$REP_S" "$(ratio "$REP_S" "$week_s")" \
            "$REP_CPU" "$(mib "$REP_RSS")"
    done
    echo
    echo "Weekly summary, growth with the number of ETLs (1-week histories, median of $GROW_REPS):"
    echo
    echo "| ETLs | summary | ms per ETL | CPU (user + sys) | report peak RSS |"
    echo "|---|---|---|---|---|"
    for n in 100 300 1000; do
        report_on "$(week_db $n)" 2016 "$W/rep-e$n" "$GROW_REPS"
        printf '| %d | %.3f s | %.2f | %.2f s | %s MiB |\n' $n "$REP_S" \
            "$(awk -v s="$REP_S" -v n=$n 'BEGIN {print s * 1000 / n}')" "$REP_CPU" "$(mib "$REP_RSS")"
    done
    echo
    echo "Storage by table and index, 1-year history ($YEAR_ETLS ETLs):"
    echo
    if q "$HY/final.db" "SELECT 1 FROM dbstat LIMIT 1" >/dev/null 2>&1; then
        echo "| table or index | bytes | bytes per run |"
        echo "|---|---|---|"
        q "$HY/final.db" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC" |
            awk -F'|' -v r="$year_runs" '$2 > 65536 {printf "| %s | %d | %.1f |\n", $1, $2, $2 / r}'
    else
        echo "(this sqlite3 has no dbstat table: breakdown skipped)"
    fi
fi
