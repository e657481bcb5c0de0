#!/bin/sh
# make demo: the fake CO server serves tests/fakeco/demo.scn; the real collector polls it
# every 5 simulated minutes for the week 2026-W47, each pass at its own instant (libfaketime);
# then the weekly summary. Leaves demo/history.db and demo/summary.csv behind.
set -eu
B=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/demo
mkdir -p "$out"
rm -f "$out"/history.db* "$out"/summary.csv
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
# A sanitizer build (make check SANITIZE=1) also runs under LD_PRELOAD=libfaketime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
start=1794787200 # 2026-11-16T00:00:00Z, Monday of ISO week 47
end=$((start + 7 * 86400))
step=300

echo "$start" >"$out/clock"
rm -f "$out/port"
"$B/fakeco" --scenario "$top/tests/fakeco/demo.scn" --port-file "$out/port" \
    --clock-file "$out/clock" >/dev/null 2>"$out/fakeco.log" &
fakeco=$!
trap 'kill $fakeco 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$out/port" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && { echo "demo: fake CO server did not start" >&2; exit 1; }
    sleep 0.05
done
printf 'demo-token-not-secret\n' >"$out/token"
chmod 600 "$out/token"
cat >"$out/etlhist.conf" <<EOC
[collect]
db = $out/history.db
interval = $step

[instance demo]
url = http://127.0.0.1:$(cat "$out/port")
token_file = $out/token
etls = all
EOC

echo "demo: collecting a simulated week: 2016 passes over the 33 ETLs of tests/fakeco/demo.scn ..."
t=$((start + 30))
n=0
while [ $t -lt $end ]; do
    echo "$t" >"$out/clock"
    # Exit 1 is expected (the demo has a failing ETL); 2 and above mean the demo is broken.
    rc=0
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$B/etlhist-collect" -q -c "$out/etlhist.conf" 2>>"$out/collect.log" || rc=$?
    if [ $rc -gt 1 ]; then
        echo "demo: the collector failed (exit $rc) at pass $n:" >&2
        tail -n 3 "$out/collect.log" >&2
        exit 1
    fi
    t=$((t + step))
    n=$((n + 1))
done
echo "demo: $n passes stored in demo/history.db"
"$B/etlhist-report" summary --db "$out/history.db" --week 2026-W47 --tz UTC
"$B/etlhist-report" summary --db "$out/history.db" --week 2026-W47 --tz UTC -f csv \
    -o "$out/summary.csv"
echo "demo: CSV in demo/summary.csv; try: $B/etlhist-report missed --db demo/history.db --week 2026-W47 --tz UTC"
echo "demo: (or failures, schedule, health; -f html -o week.html for the page with what needs attention)"
