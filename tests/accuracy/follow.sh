#!/bin/sh
# make accuracy-follow: sh tests/accuracy/follow.sh BUILD [ETLS [DAYS [SEED [SINCE [RATE]]]]]
# The accuracy simulation with a moving clock (RATE simulated seconds per real second, default
# 100): the same scenario (default 100 ETLs over 1 day) collected with follow off, then with
# follow on at the defaults (interval 300 s, follow 240 s, follow_interval 15 s). Prints both
# tables side by side, the requests per day and the clock agreement. Everything stays in
# BUILD/accuracy/follow-ETLS-DAYS-SEED/{off,on}/ (each with its own table.md). About 11
# minutes on two shared cores (follow off 33 s, follow on 10 min).
# ACC_FAST=F (default 0) adds F fast ETLs after the ETLS others (gen --fast F: periodic every
# 120, 180 or 240 s, shorter than the pass interval, so that polls miss whole runs and follow
# has batch starts to poll); the folder is then follow-ETLS-DAYS-SEED-fastF.
set -eu
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
export TZ=UTC LC_ALL=C
. "$ACC_TOP/tests/integration/lib.sh"
. "$ACC_TOP/tests/accuracy/lib.sh"
B=$(cd "$B" && pwd)
etls=${2:-100}
days=${3:-1}
seed=${4:-20261123}
since=${5:-1791763200} # 2026-10-12T00:00:00Z, as make accuracy
ACC_RATE=${6:-100}
ACC_FOLLOW_WINDOW=240
ACC_FOLLOW_INTERVAL=15
ACC_FAST=${ACC_FAST:-0}
[ "$ACC_FAST" -ge 0 ] 2>/dev/null || fail "ACC_FAST must be a number of ETLs, not '$ACC_FAST'"
command -v faketime >/dev/null || fail "the faketime wrapper (package faketime) is needed"
acc_out=$B/accuracy/follow-$etls-$days-$seed
[ "$ACC_FAST" -gt 0 ] && acc_out=$acc_out-fast$ACC_FAST
rm -rf "$acc_out"
acc_build
acc_freeze "$acc_out"
echo "accuracy-follow: $etls ETLs (and $ACC_FAST fast) over $days simulated days, seed $seed," \
    "rate x$ACC_RATE, in $acc_out" >&2
ACC_PROGRESS=1
rc=0
for mode in off on; do
    [ $mode = on ] && ACC_FOLLOW=$ACC_FOLLOW_WINDOW || ACC_FOLLOW=0
    start=$(date +%s)
    : >"$T/collect.err"
    acc_simulate "$acc_out/$mode" "$etls" "$days" "$seed" "$since"
    cp "$T/collect.err" "$acc_out/$mode/collect.err"
    rm -f "$acc_out/$mode/history.db-shm" "$acc_out/$mode/history.db-wal"
    acc_check "$acc_out/$mode" >"$acc_out/$mode/table.md" || rc=1
    echo "$(($(date +%s) - start))" >"$acc_out/$mode/seconds"
    echo "accuracy-follow: follow $mode took $(cat "$acc_out/$mode/seconds") s" >&2
done

# Both tables have the same rows: measure, etlhist and truth of each, target, verdicts.
awk '
    function cells(line, c) {
        sub(/^[|] /, "", line); sub(/ [|]$/, "", line)
        return split(line, c, / [|] /)
    }
    FNR == NR { if (/^[|]/) off[++n] = $0; next }
    /^[|]---/ { m++; print "|---|---|---|---|---|---|---|"; next }
    /^[|] [*][*]/ { m++; cells($0, b); print "| " b[1] " | | | | | | |"; next }
    /^[|]/ {
        cells(off[++m], a); cells($0, b)
        v = (a[5] == "" && b[5] == "") ? "" : a[5] " / " b[5]
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", a[1], a[2], b[2], a[3], b[3], a[4], v
    }' "$acc_out/off/table.md" "$acc_out/on/table.md" |
    sed '1s/.*/| measure | follow off | follow on | truth (off) | truth (on) | target | off \/ on |/' \
        >"$acc_out/side-by-side.md"
cat "$acc_out/side-by-side.md"

requests() {
    sed -n 's/.*"status_requests":\([0-9]*\).*/\1/p' "$acc_out/$1/stats.json"
}
clock_max() {
    awk '{ d = $2 < 0 ? -$2 : $2; if (d > m) m = d } END { printf "%d", m }' "$acc_out/$1/clock.log"
}
off=$(requests off) on=$(requests on)
echo
echo "status requests per simulated day: follow off $((off / days)), follow on $((on / days))," \
    "ratio $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", a / b }')"
echo "largest clock difference collector - server after a pass: off $(clock_max off) ns," \
    "on $(clock_max on) ns"
echo "real time: follow off $(cat "$acc_out/off/seconds") s, follow on $(cat "$acc_out/on/seconds") s"
exit $rc
