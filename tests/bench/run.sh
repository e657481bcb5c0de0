#!/bin/sh
# make bench: etlhist against its baselines, on this machine, in one run. Prints one table of
# ratios (DESIGN section 5 targets) and the tables of how the cost grows; never fails on a
# missed target, only when something could not run. Method: docs/PERFORMANCE.md.
#   sh tests/bench/run.sh BUILD_DIR
# Knobs (environment): BENCH_REPS (5) repetitions, median taken; BENCH_C (8) concurrency;
# BENCH_ETLS (10000); BENCH_SHELL_ETLS (300); BENCH_SCALE=0 skips the growth tables;
# BENCH_YEAR_PASSES (105120) the length of the long history.
set -eu
B=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
REPS=${BENCH_REPS:-5}
C=${BENCH_C:-8}
ETLS=${BENCH_ETLS:-10000}
SHELL_ETLS=${BENCH_SHELL_ETLS:-300}
SCALE=${BENCH_SCALE:-1}
YEAR=${BENCH_YEAR_PASSES:-105120}
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
T0=1795392000 # the fake servers' clock for the collection benchmarks (2026-11-23 00:00 UTC)
TOKEN=bench-token

die() {
    echo "bench: $*" >&2
    exit 1
}

missing=
for c in curl jq sqlite3 cc pkg-config awk md5sum; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
[ -x /usr/bin/time ] || missing="$missing time"
[ -r "$FAKETIME_LIB" ] || missing="$missing faketime"
[ -z "$missing" ] || die "missing:$missing (Debian: apt-get install -y$missing)"
for p in etlhist-collect etlhist-report fakeco; do
    [ -x "$B/$p" ] || die "$B/$p not built (make all)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/etlhist-bench.XXXXXX")
FAKECO_PID=
cleanup() {
    [ -z "$FAKECO_PID" ] || { kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null; }
    [ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the history generator, built with the Makefile's flags from the collector's sources ----
genhist_src="$here/genhist.c $top/collector/store.c $top/collector/runs.c $top/collector/api.c
    $top/common/log.c $top/common/timeutil.c $top/common/etlset.c $top/common/db.c
    $top/common/config.c $top/common/schedule.c $top/common/utf8.c $top/common/rules.c $B/sqlfiles.c $top/tests/fakeco/scenario.c"
mkdir -p "$B/bench"
rebuild=0
[ -x "$B/bench/genhist" ] || rebuild=1
for f in $genhist_src; do
    [ $rebuild = 1 ] || [ -z "$(find "$f" -newer "$B/bench/genhist")" ] || rebuild=1
done
if [ $rebuild = 1 ]; then
    # shellcheck disable=SC2046,SC2086 # word splitting of flags and sources is intended
    cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -O2 -g $(pkg-config --cflags sqlite3 json-c libcurl inih) \
        -I"$top/common" -I"$B" -I"$top/collector" -I"$top/tests/fakeco" -o "$B/bench/genhist" \
        $genhist_src $(pkg-config --libs sqlite3 json-c libcurl inih) ||
        die "cannot build genhist"
fi

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

# bench_collect N: REPS interleaved passes of the collector and of curl over N ETLs, each
# collector pass 300 s of fake time after the previous one (after a first, untimed pass that
# creates the ETL rows). Sets COL_S, CURL_S (medians), COL_RSS (max KiB), FIRST_S.
bench_collect() {
    n=$1
    start_fakeco "$n"
    db=$W/collect-$n.db
    rm -f "$db" "$db-wal" "$db-shm" "$W/col" "$W/curl" "$W/first"
    collect_at "$T0" "$n" "$db" "$W/first"
    FIRST_S=$(median "$W/first")
    curl_all "$W/warm"
    srv0=$(cpu_ticks "$FAKECO_PID")
    k=1
    while [ $k -le "$REPS" ]; do
        collect_at $((T0 + k * 300)) "$n" "$db" "$W/col"
        curl_all "$W/curl"
        k=$((k + 1))
    done
    SRV_TICKS=$(($(cpu_ticks "$FAKECO_PID") - srv0))
    SRV_WALL=$(cat "$W/col" "$W/curl" | awk '{s += $1} END {print s}')
    COL_S=$(median "$W/col")
    CURL_S=$(median "$W/curl")
    COL_CPU=$(median "$W/col" 3)
    CURL_CPU=$(median "$W/curl" 3)
    COL_RSS=$(maxcol2 "$W/col")
    polled=$(sqlite3 "$db" "SELECT sum(ok) FROM pass WHERE polled = $n")
    [ "$polled" = $((n * (REPS + 1))) ] || die "collector stored $polled polls, expected $((n * (REPS + 1)))"
}

hz=$(getconf CLK_TCK)
load0=$(cut -d' ' -f1 /proc/loadavg)
cores=$(nproc)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)

# ---- 1. collection against curl --parallel; the fake server's own capacity ----
echo "bench: 1. collection, $ETLS ETLs, concurrency $C, $REPS repetitions" >&2
bench_collect "$ETLS"
R1_COL=$COL_S R1_CURL=$CURL_S R1_RSS=$COL_RSS R1_FIRST=$FIRST_S R1_COL_CPU=$COL_CPU R1_CURL_CPU=$CURL_CPU
# Server check: its CPU per request while collector and curl ran, and what two curl
# clients get out of it together against one.
srv_us=$(awk -v t="$SRV_TICKS" -v hz="$hz" -v n=$((2 * REPS * ETLS)) 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
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
bench_collect "$SHELL_ETLS"
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
            echo "$n $R1_COL $R1_CURL $R1_RSS $R1_FIRST $R1_COL_CPU $R1_CURL_CPU" >>"$W/grow-collect"
        else
            bench_collect "$n"
            echo "$n $COL_S $CURL_S $COL_RSS $FIRST_S $COL_CPU $CURL_CPU" >>"$W/grow-collect"
        fi
    done
    stop_fakeco
fi

# ---- 3. the weekly summary over a year against over a week ----
# history.sh generates (once, cached) 1,000 ETLs over YEAR passes with snapshots after
# one week, four weeks and thirteen weeks.
echo "bench: 3. reports (histories in $B/bench-cache; the first run generates them)" >&2
GENCHK=$(sh "$here/check-genhist.sh" "$B") || die "the history generator is not faithful"
HY=$(sh "$here/history.sh" "$B" 1000 "$YEAR" 2016=week 8064=month 26208=quarter)
# report_on DB PASSES OUT: the weekly summary of the last 7 days of a history of PASSES passes.
report_on() {
    until_ts=$((1736121600 + $2 * 300))
    since_ts=$((until_ts - 7 * 86400))
    rm -f "$3"
    "$B/etlhist-report" summary --db "$1" --since "$(iso $since_ts)" --until "$(iso $until_ts)" \
        -f csv -o "$W/summary.csv" || die "etlhist-report failed on $1"
    k=1
    while [ $k -le "$REPS" ]; do
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
report_on "$HY/week.db" 2016 "$W/rep-week"
R3_WEEK=$REP_S R3_WEEK_CPU=$REP_CPU R3_WEEK_ROWS=$REP_ROWS
report_on "$HY/final.db" "$YEAR" "$W/rep-year"
R3_YEAR=$REP_S R3_YEAR_CPU=$REP_CPU R3_YEAR_RSS=$REP_RSS R3_YEAR_ROWS=$REP_ROWS
if [ "$R3_WEEK_ROWS" != 1000 ] || [ "$R3_YEAR_ROWS" != 1000 ]; then
    die "summary rows: week $R3_WEEK_ROWS, year $R3_YEAR_ROWS, expected 1000"
fi

# ---- 4. storage ----
echo "bench: 4. storage" >&2
q() { sqlite3 -readonly "$1" "$2"; }
year_bytes=$(($(stat -c %s "$HY/final.db") + $(stat -c %s "$HY/final.db-wal" 2>/dev/null || echo 0)))
year_runs=$(q "$HY/final.db" "SELECT count(*) FROM run")
year_polls=$(q "$HY/final.db" "SELECT sum(polls) FROM sample")
year_samples=$(q "$HY/final.db" "SELECT count(*) FROM sample")
per_run=$(awk -v b="$year_bytes" -v r="$year_runs" 'BEGIN {printf "%.0f", b / r}')
pp_bytes=$(stat -c %s "$HY/perpoll.db")
pp_rows=$(q "$HY/perpoll.db" "SELECT count(*) FROM poll")
per_poll=$(awk -v b="$pp_bytes" -v r="$pp_rows" 'BEGIN {printf "%.1f", b / r}')
pp_per_run=$(awk -v b="$per_poll" -v p="$year_polls" -v r="$year_runs" 'BEGIN {printf "%.0f", b * p / r}')

# ---- table ----
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {ok = op == "le" ? v <= t : v >= t; print ok ? "yes" : "NO"}'; }
r1=$(ratio "$R1_COL" "$R1_CURL")
r2=$(awk -v a="$R2_SHELL" -v b="$R2_COL" 'BEGIN {printf "%.0f", a / b}')
r3=$(ratio "$R3_YEAR" "$R3_WEEK")
r4=$(ratio "$per_run" "$pp_per_run")
rss_c=$(mib "$R1_RSS")
rss_r=$(mib "$R3_YEAR_RSS")
echo
echo "etlhist benchmarks, $(date -u +%Y-%m-%d): $cores cores ($cpu), $mem RAM, $(uname -sr)"
echo "curl $(curl --version | awk 'NR == 1 {print $2}'), SQLite $(sqlite3 --version | cut -d' ' -f1), concurrency $C, median of $REPS"
awk -v l="$load0" -v c="$cores" 'BEGIN {
    if (l > 0.5) printf "WARNING: load average %s when the benchmarks started: other work shared the %d cores.\n", l, c }'
echo
echo "| # | measure | etlhist | baseline | ratio | target | met |"
echo "|---|---|---|---|---|---|---|"
printf '| 1 | one pass over %d ETLs on loopback | %.3f s | curl --parallel-max %d: %.3f s | %s× | ≤ 1.25× | %s |\n' \
    "$ETLS" "$R1_COL" "$C" "$R1_CURL" "$r1" "$(met "$r1" le 1.25)"
printf '| 2 | collection per ETL (%d ETLs) | %s ms | curl+jq+sqlite3 loop: %s ms | %s× faster | ≥ 50× | %s |\n' \
    "$SHELL_ETLS" "$r2_col_ms" "$r2_shell_ms" "$r2" "$(met "$r2" ge 50)"
printf '| 3 | weekly summary, 1,000 ETLs: 1-year history vs 1-week | %.3f s | 1 week: %.3f s | %s× | ≤ 1.2× | %s |\n' \
    "$R3_YEAR" "$R3_WEEK" "$r3" "$(met "$r3" le 1.2)"
printf '| 4 | bytes on disk per run, 1-year history (%d runs) | %d B | one row per poll: %d B | %s× | ≤ 150 B | %s |\n' \
    "$year_runs" "$per_run" "$pp_per_run" "$r4" "$(met "$per_run" le 150)"
printf '| 5a | collector peak RSS, %d ETLs | %s MiB | target 16 MiB | %s× | ≤ 16 MiB | %s |\n' \
    "$ETLS" "$rss_c" "$(ratio "$rss_c" 16)" "$(met "$rss_c" le 16)"
printf '| 5b | report peak RSS, 1-year history | %s MiB | target 64 MiB | %s× | ≤ 64 MiB | %s |\n' \
    "$rss_r" "$(ratio "$rss_r" 64)" "$(met "$rss_r" le 64)"
echo
echo "Fake server check: fakeco spent $srv_us µs of CPU per request (≈ $cap_rate requests/s per core) and was"
echo "busy $srv_busy% of one core during row 1; one curl got $one_rate requests/s from it, two curls at once"
awk -v one="$one_rate" -v two="$two_rate" -v busy="$srv_busy" 'BEGIN {
    printf "%d requests/s together: ", two
    if (two > one * 1.15 || busy < 50) print "the server is not the bottleneck of row 1."
    else print "WARNING: the server may be the bottleneck of row 1." }'
printf 'Row 1 first pass (empty database, %d ETL rows created): %.3f s. Row 4: %d samples, %d polls,\n' \
    "$ETLS" "$R1_FIRST" "$year_samples" "$year_polls"
printf '%s bytes; one row per poll costs %s B (%d rows of the first week, with an index on (etl_id, polled_at)).\n' \
    "$year_bytes" "$per_poll" "$pp_rows"
echo "Histories: $(cat "$HY/gen.txt"); $GENCHK."
printf 'CPU time (user + sys, medians): row 1 etlhist %.2f s, curl %.2f s; row 3 year %.2f s, week %.2f s (%s×).\n' \
    "$R1_COL_CPU" "$R1_CURL_CPU" "$R3_YEAR_CPU" "$R3_WEEK_CPU" "$(ratio "$R3_YEAR_CPU" "$R3_WEEK_CPU")"

if [ "$SCALE" = 1 ]; then
    echo
    echo "Collection, growth with the number of ETLs (concurrency $C, median of $REPS):"
    echo
    echo "| ETLs | etlhist pass | curl --parallel | ratio | etlhist µs per ETL | CPU etlhist / curl | first pass | collector peak RSS |"
    echo "|---|---|---|---|---|---|---|---|"
    while read -r n col crl rss first ccpu kcpu; do
        printf '| %d | %.3f s | %.3f s | %s× | %.0f | %.2f / %.2f s | %.3f s | %s MiB |\n' "$n" "$col" \
            "$crl" "$(ratio "$col" "$crl")" "$(awk -v s="$col" -v n="$n" 'BEGIN {print s * 1e6 / n}')" \
            "$ccpu" "$kcpu" "$first" "$(mib "$rss")"
    done <"$W/grow-collect"
    echo
    echo "Weekly summary, growth with the length of the history (1,000 ETLs, median of $REPS):"
    echo
    echo "| history | passes | file | runs | summary | vs 1 week | CPU (user + sys) | report peak RSS |"
    echo "|---|---|---|---|---|---|---|---|"
    for h in "1 week:week:2016" "4 weeks:month:8064" "13 weeks:quarter:26208" "1 year:final:$YEAR"; do
        label=${h%%:*}
        rest=${h#*:}
        name=${rest%%:*}
        passes=${rest#*:}
        db=$HY/$name.db
        [ -s "$db" ] || continue
        report_on "$db" "$passes" "$W/rep-$name"
        [ -n "${week_s:-}" ] || week_s=$REP_S
        printf '| %s | %d | %s MiB | %d | %.3f s | %s× | %.2f s | %s MiB |\n' "$label" "$passes" \
            "$(awk -v b="$(stat -c %s "$db")" 'BEGIN {printf "%.0f", b / 1048576}')" \
            "$(q "$db" "SELECT count(*) FROM run")" "$REP_S" "$(ratio "$REP_S" "$week_s")" \
            "$REP_CPU" "$(mib "$REP_RSS")"
    done
    echo
    echo "Weekly summary, growth with the number of ETLs (1-week histories, median of $REPS):"
    echo
    echo "| ETLs | summary | ms per ETL | CPU (user + sys) | report peak RSS |"
    echo "|---|---|---|---|---|"
    for n in 100 300 1000; do
        if [ $n = 1000 ]; then
            db=$HY/week.db
        else
            db=$(sh "$here/history.sh" "$B" $n 2016)/final.db
        fi
        report_on "$db" 2016 "$W/rep-e$n"
        printf '| %d | %.3f s | %.2f | %.2f s | %s MiB |\n' $n "$REP_S" \
            "$(awk -v s="$REP_S" -v n=$n 'BEGIN {print s * 1000 / n}')" "$REP_CPU" "$(mib "$REP_RSS")"
    done
    echo
    echo "Storage by table and index, 1-year history:"
    echo
    if q "$HY/final.db" "SELECT 1 FROM dbstat LIMIT 1" >/dev/null 2>&1; then
        echo "| table or index | bytes | bytes per run |"
        echo "|---|---|---|"
        q "$HY/final.db" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC" |
            awk -F'|' -v r="$year_runs" '$2 > 1048576 {printf "| %s | %d | %.1f |\n", $1, $2, $2 / r}'
    else
        echo "(this sqlite3 has no dbstat table: breakdown skipped)"
    fi
fi
