#!/bin/sh
# make accuracy-realistic: sh tests/accuracy/realistic.sh BUILD [ETLS [DAYS [SEED [SINCE]]]]
# A realistic site (gen --realistic, default 60 ETLs over 21 days from 2026-10-12, across the
# end of summer time in Europe on 2026-10-25): UTC and Europe/Berlin wall-clock schedules,
# "Run now" runs, late starts, overruns, a scheduler paused for a day, a collector outage of
# hours. The reports run with --tz Europe/Berlin (the wall clock schedules are learnt on).
# Everything stays in BUILD/accuracy/realistic-ETLS-DAYS-SEED/ (table.md, params, truth).
# ACC_INTERVAL=S (environment) changes the pass interval from 300 s.
set -eu
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
export TZ=UTC LC_ALL=C
. "$ACC_TOP/tests/integration/lib.sh"
. "$ACC_TOP/tests/accuracy/lib.sh"
B=$(cd "$B" && pwd)
etls=${2:-60}
days=${3:-21}
seed=${4:-20261012}
since=${5:-1791763200} # 2026-10-12T00:00:00Z
acc_out=$B/accuracy/realistic-$etls-$days-$seed
rm -rf "$acc_out"
acc_build
acc_freeze "$acc_out"
echo "accuracy: realistic site, $etls ETLs over $days simulated days, seed $seed, in $acc_out" >&2
start=$(date +%s)
ACC_PROGRESS=1 ACC_REALISTIC=1 ACC_TZ=Europe/Berlin
acc_simulate "$acc_out" "$etls" "$days" "$seed" "$since"
cp "$T/collect.err" "$acc_out/collect.err"
rm -f "$acc_out/history.db-shm" "$acc_out/history.db-wal"
set +e
acc_check "$acc_out" >"$acc_out/table.md"
rc=$?
set -e
cat "$acc_out/table.md"
echo "accuracy: $(($(date +%s) - start)) s; scenario parameters in $acc_out/params" >&2
exit $rc
